// The shared-vector runner for the JS API (tests/vectors/README.md): maps
// each `op` to the JS call, then compares like the Rust runner does. Our
// records have camelCase keys; vectors use snake_case, so values are
// compared after turning keys back into snake_case.
import { readFileSync, readdirSync } from 'node:fs';

export const VECTORS_DIR = new URL('../../tests/vectors/', import.meta.url);

/** Every case of every vector file, with its file name. */
export function loadCases() {
  const files = readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json')).sort();
  return files.flatMap((file) => {
    const doc = JSON.parse(readFileSync(new URL(file, VECTORS_DIR), 'utf8'));
    return (doc.cases ?? []).map((c) => ({ file, input: {}, ...c }));
  });
}

const FREE_FORM = new Set(['info']);
const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Renames object keys recursively, leaving free-form maps alone. */
export function renameKeys(value, f) {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, f));
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [f(k), FREE_FORM.has(k) ? v : renameKeys(v, f)]),
    );
  }
  return value;
}

function response(r) {
  if (!r) return { status: 0, headers: [], body: new Uint8Array() };
  let body = new Uint8Array();
  if (typeof r.body_base64 === 'string') body = new Uint8Array(Buffer.from(r.body_base64, 'base64'));
  else if (typeof r.body === 'string') body = r.body;
  else if (r.body_json !== undefined) body = JSON.stringify(r.body_json);
  return { status: r.status ?? 0, headers: r.headers ?? [], body };
}

// Like the Rust runner: a missing string input is "".
const str = (input, k) => (typeof input[k] === 'string' ? input[k] : '');
const opt = (input, k) => (typeof input[k] === 'string' ? input[k] : undefined);

const request = (r) => ({ kind: 'request', value: r });
const value = (v) => ({ kind: 'value', value: v });

/** Op tables per provider prefix; adding SwissSign means adding `swisssign`. */
export function opTables(cb) {
  const config = (i) => ({ server: str(i, 'server'), compat: opt(i, 'compat') });
  const session = (i) => ({ accessToken: str(i, 'access_token'), refreshToken: opt(i, 'refresh_token') });
  const csrRequest = (i) => renameKeys(i.request, camel);
  return {
    redtrust: {
      login_url: (c) =>
        request(
          cb.redtrustLoginUrl(
            config(c.input),
            {
              partner: str(c.input, 'partner'),
              hmacKey: str(c.input, 'hmac_key'),
              redirectUrl: str(c.input, 'redirect_url'),
              domain: opt(c.input, 'domain'),
            },
            (c.input.now ?? 0) * 1000,
          ),
        ),
      parse_redirect: (c) => value({ temporal_token: cb.redtrustParseRedirect(str(c.input, 'url')) }),
      login: (c) =>
        request(
          cb.redtrustLoginRequest(config(c.input), {
            username: str(c.input, 'username'),
            password: str(c.input, 'password'),
            domain: opt(c.input, 'domain'),
          }),
        ),
      exchange_temp_token: (c) =>
        request(cb.redtrustExchangeTempTokenRequest(config(c.input), str(c.input, 'temporal_token'))),
      refresh: (c) => request(cb.redtrustRefreshRequest(config(c.input), session(c.input))),
      logout: (c) => request(cb.redtrustLogoutRequest(config(c.input), session(c.input))),
      parse_session: (c) => value(cb.redtrustParseSession(response(c.response))),
      parse_refresh: (c) => value(cb.redtrustParseRefresh(response(c.response), session(c.input))),
      parse_logout: (c) => {
        const r = cb.redtrustParseLogout(response(c.response));
        if (r !== undefined) throw new Error(`parseLogout returned ${r}`);
        return value({});
      },
      csr_create: (c) =>
        request(cb.redtrustCreateCsrRequest(config(c.input), session(c.input), csrRequest(c.input))),
      parse_csr_create: (c) =>
        value(
          cb.redtrustParseCreateCsr(
            response(c.response),
            c.input.request === undefined ? undefined : csrRequest(c.input),
          ),
        ),
      csr_finalize: (c) =>
        request(
          cb.redtrustFinalizeRequest(config(c.input), session(c.input), {
            requestCode: str(c.input, 'request_code'),
            provider: str(c.input, 'provider'),
            dataInB64: opt(c.input, 'data_in_b64'),
          }),
        ),
      parse_csr_finalize: (c) => value(cb.redtrustParseFinalize(response(c.response), opt(c.input, 'compat'))),
      thumbprint: (c) =>
        value({
          sha1: cb.thumbprintSha1(str(c.input, 'certificate')),
          sha256: cb.thumbprintSha256(str(c.input, 'certificate')),
        }),
      parse_dn: (c) => value(cb.parseDn(str(c.input, 'text'))),
    },
  };
}

/** Runs one case: `{kind: 'request'|'value', value}` or `{kind: 'error', error}`;
 * `null` when the provider prefix is not supported yet. Unknown ops of a
 * supported provider throw. */
export function runCase(cb, c) {
  const [prefix, op] = c.op.split(/\.(.*)/s);
  const table = opTables(cb)[prefix];
  if (!table) return null;
  const fn = table[op];
  if (!fn) throw new Error(`${c.name}: unknown op ${c.op}`);
  try {
    return fn(c);
  } catch (error) {
    if (!cb.isCertbridgeError(error)) throw error;
    return { kind: 'error', error };
  }
}

/** Like the Rust `subset_diff`: keys the vector leaves out are not compared,
 * an expected `null` matches a missing key, arrays must have equal length. */
export function subsetDiff(path, expect, actual, out) {
  if (expect && typeof expect === 'object' && !Array.isArray(expect)) {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push(`${path}: expected ${JSON.stringify(expect)}, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const [k, ev] of Object.entries(expect)) {
      if (!(k in actual) || actual[k] === undefined) {
        if (ev !== null) out.push(`${path}.${k}: missing, expected ${JSON.stringify(ev)}`);
      } else subsetDiff(`${path}.${k}`, ev, actual[k], out);
    }
  } else if (Array.isArray(expect)) {
    if (!Array.isArray(actual) || actual.length !== expect.length) {
      out.push(`${path}: expected ${expect.length} items, got ${JSON.stringify(actual)}`);
      return;
    }
    expect.forEach((ev, i) => subsetDiff(`${path}[${i}]`, ev, actual[i], out));
  } else if (expect !== actual) {
    out.push(`${path}: expected ${JSON.stringify(expect)}, got ${JSON.stringify(actual)}`);
  }
}

/** The differences between an outcome and the case's `expect`. */
export function check(c, outcome) {
  const diffs = [];
  const expect = c.expect ?? {};
  if (outcome.kind === 'request') {
    if (!expect.request) return [`produced a request, expected ${JSON.stringify(expect)}`];
    const r = outcome.value;
    if (!(r.body instanceof Uint8Array)) diffs.push('request.body is not a Uint8Array');
    const actual = {
      method: r.method,
      url: r.url,
      headers: r.headers,
      body: new TextDecoder().decode(r.body),
    };
    subsetDiff('request', { body: '', ...expect.request }, actual, diffs);
  } else if (outcome.kind === 'value') {
    if (!('value' in expect)) return [`produced value ${JSON.stringify(outcome.value)}, expected ${JSON.stringify(expect)}`];
    subsetDiff('value', expect.value, renameKeys(outcome.value, snake), diffs);
  } else {
    const e = outcome.error;
    if (!expect.error) return [`failed with ${e.kind} (${e.message}), expected ${JSON.stringify(expect)}`];
    const { message_contains: contains, ...rest } = expect.error;
    const actual = { kind: e.kind, code: e.code ?? null, field: e.field ?? null, message: e.message };
    subsetDiff('error', rest, actual, diffs);
    if (contains !== undefined && !e.message.includes(contains)) {
      diffs.push(`error message ${JSON.stringify(e.message)} lacks ${JSON.stringify(contains)}`);
    }
  }
  return diffs;
}
