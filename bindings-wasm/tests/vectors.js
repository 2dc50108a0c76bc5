// The shared-vector runner for the JS API (tests/vectors/README.md): maps
// each `op` to the JS call, then compares like the Rust runner
// (core/tests/vectors/common.rs) does. Our records have the core's keys
// turned into camelCase by one rule (convert.rs, `snake_to_camel`); the
// expected values get the same rule before comparing, so the comparison is
// exact.
import { readFileSync, readdirSync } from 'node:fs';

import { pathToFileURL } from 'node:url';

/** The repository (shared vectors, fixtures, simulator): $CERTBRIDGE_ROOT
 * when the suites run against the installed package outside the tree
 * (scripts/bindings-wasm.sh test), else the tree these files are in. */
export const REPO = process.env.CERTBRIDGE_ROOT
  ? pathToFileURL(`${process.env.CERTBRIDGE_ROOT.replace(/\/$/, '')}/`)
  : new URL('../../', import.meta.url);
export const VECTORS_DIR = new URL('tests/vectors/', REPO);

/** Every case of every vector file, with its file name. */
export function loadCases() {
  const files = readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json')).sort();
  return files.flatMap((file) => {
    const doc = JSON.parse(readFileSync(new URL(file, VECTORS_DIR), 'utf8'));
    return (doc.cases ?? []).map((c) => ({ file, input: {}, ...c }));
  });
}

export const KEYS_DIR = new URL('keys/', VECTORS_DIR);

// Members whose keys are data (convert.rs FREE_FORM): never renamed.
const FREE_FORM = new Set(['info', 'profiles']);
/** convert.rs `snake_to_camel`: drop each `_`, upper-case the next char. */
export const camel = (k) => k.replace(/_+(.?)/g, (_, c) => c.toUpperCase());

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
const num = (input, k) => (typeof input[k] === 'number' ? input[k] : undefined);
const bool = (input, k) => (typeof input[k] === 'boolean' ? input[k] : undefined);
const strings = (input, k) => (Array.isArray(input[k]) ? input[k].filter((s) => typeof s === 'string') : []);
const b64 = (input, k) => new Uint8Array(Buffer.from(str(input, k), 'base64'));
const ms = (input) => (input.now ?? 0) * 1000;

const request = (r) => ({ kind: 'request', value: r });
/** A value; `undefined` (a Rust `()`) is JSON `null`, as in the Rust runner. */
const value = (v) => ({ kind: 'value', value: v === undefined ? null : v });

/** Op tables per provider prefix. */
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
      parse_redirect: (c) => value({ temporalToken: cb.redtrustParseRedirect(str(c.input, 'url')) }),
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
    swisssign: swissSignOps(cb),
    crypto: cryptoOps(cb),
    acme: acmeOps(cb),
    identrust: identrustOps(cb),
  };
}

/** core/tests/vectors/swisssign.rs, through the JS API. */
function swissSignOps(cb) {
  const config = (i) => ({
    baseUrl: opt(i, 'base_url'),
    compat: i.compat === undefined ? undefined : renameKeys(i.compat, camel),
  });
  // A session from `token`, or a JWT signed locally from `account`, `api_key` and `now`.
  const auth = (i) =>
    opt(i, 'account') !== undefined
      ? { ...config(i), account: str(i, 'account'), apiKey: str(i, 'api_key'), now: ms(i) }
      : { ...config(i), token: str(i, 'token') };
  // Builds the request, or parses the response (like the Rust `endpoint`).
  const endpoint = (build, parse) => (c) =>
    c.response ? value(parse(response(c.response))) : request(build(auth(c.input), c.input));
  const issueRequest = (i) => {
    const r = { productReference: str(i, 'product'), csr: opt(i, 'csr') };
    const dns = strings(i, 'dns');
    const emails = strings(i, 'emails');
    const ips = strings(i, 'ips');
    const subjectDn = opt(i, 'subject_dn');
    const validity = num(i, 'validity');
    if (subjectDn !== undefined || validity !== undefined || dns.length || emails.length || ips.length) {
      const ext = {};
      if (dns.length) ext.requestDns = dns.map((d) => ({ dns: d }));
      if (emails.length) ext.requestRfc822 = emails;
      if (ips.length) ext.requestIp = ips;
      r.overrides = { subjectDn, validity, requestExtensions: Object.keys(ext).length ? ext : undefined };
    }
    r.tags = strings(i, 'tags');
    r.note = opt(i, 'note');
    r.publishCertificate = bool(i, 'publish_certificate');
    r.synchronous = bool(i, 'synchronous');
    r.acceptTerms = bool(i, 'accept_terms');
    r.includeCertificateChain = bool(i, 'include_certificate_chain');
    return r;
  };
  const page = (i) => ({ start: num(i, 'start'), length: num(i, 'length') });
  return {
    jwt_local: (c) => value({ token: cb.swissSignLocalJwt(str(c.input, 'account'), str(c.input, 'api_key'), ms(c.input)) }),
    jwt: (c) =>
      c.response
        ? value(cb.swissSignParseJwt(response(c.response), ms(c.input)))
        : request(cb.swissSignJwtRequest(config(c.input), { userName: str(c.input, 'user_name'), userSecret: str(c.input, 'user_secret') })),
    api_error: (c) => value(cb.swissSignParseError(response(c.response))),
    search_clients: endpoint((a, i) => cb.swissSignSearchClientsRequest(a, opt(i, 'search')), cb.swissSignParseSearchClients),
    search_clients_paged: endpoint(
      (a, i) => cb.swissSignSearchClientsPagedRequest(a, { search: opt(i, 'search'), ...page(i) }),
      cb.swissSignParseSearchClientsPaged,
    ),
    get_client: endpoint((a, i) => cb.swissSignGetClientRequest(a, str(i, 'client')), cb.swissSignParseClient),
    register_domains: endpoint(
      (a, i) => cb.swissSignRegisterDomainsRequest(a, str(i, 'client'), strings(i, 'domains')),
      cb.swissSignParseRegisterDomains,
    ),
    list_domains: endpoint((a, i) => cb.swissSignListDomainsRequest(a, str(i, 'client')), cb.swissSignParseListDomains),
    domain: endpoint((a, i) => cb.swissSignDomainRequest(a, str(i, 'domain'), opt(i, 'action')), cb.swissSignParseDomain),
    delete_domain: endpoint((a, i) => cb.swissSignDeleteDomainRequest(a, str(i, 'domain')), cb.swissSignParseDeleteDomain),
    issue_csr: endpoint((a, i) => cb.swissSignIssueCsrRequest(a, str(i, 'product'), str(i, 'csr')), cb.swissSignParseIssueCsr),
    issue: endpoint((a, i) => cb.swissSignIssueRequest(a, issueRequest(i)), cb.swissSignParseIssue),
    validate_issue: endpoint((a, i) => cb.swissSignValidateRequest(a, issueRequest(i)), cb.swissSignParseValidate),
    order_status: endpoint((a, i) => cb.swissSignOrderStatusRequest(a, str(i, 'order')), cb.swissSignParseOrderStatus),
    get_order: endpoint((a, i) => cb.swissSignGetOrderRequest(a, str(i, 'order')), cb.swissSignParseOrder),
    // `search` is in the API's own camelCase, as in the vectors.
    search_orders: endpoint((a, i) => cb.swissSignSearchOrdersRequest(a, i.search ?? {}), cb.swissSignParseSearchOrders),
    search_orders_paged: endpoint(
      (a, i) => cb.swissSignSearchOrdersPagedRequest(a, i.search ?? {}, page(i)),
      cb.swissSignParseSearchOrdersPaged,
    ),
    chain: endpoint((a, i) => cb.swissSignChainRequest(a, str(i, 'order')), cb.swissSignParseChain),
    revoke: endpoint(
      (a, i) => cb.swissSignRevokeRequest(a, renameKeys(i.certificates ?? [], camel)),
      cb.swissSignParseRevoke,
    ),
  };
}

/** core/tests/vectors/crypto.rs: base64 input is DER bytes, else PEM text. */
function cryptoOps(cb) {
  const input = (i) => (opt(i, 'base64') !== undefined ? b64(i, 'base64') : str(i, 'pem'));
  return {
    certificate: (c) => value(cb.parseCertificate(input(c.input))),
    pkcs7: (c) => value(cb.parsePkcs7(input(c.input)).map((cert) => cert.subject)),
    thumbprints: (c) => value({ sha1: cb.thumbprintSha1(input(c.input)), sha256: cb.thumbprintSha256(input(c.input)) }),
    jwt_hs256: (c) => value(cb.jwtHs256(c.input.claims ?? null, str(c.input, 'key'))),
  };
}

/** The committed test keys (tests/vectors/keys), as AccountKeys. */
function keyOf(cb, i, field) {
  return cb.AccountKey.fromPem(readFileSync(new URL(str(i, field), KEYS_DIR), 'utf8'));
}

/** core/tests/vectors/acme.rs (`acme.*`). */
function acmeOps(cb) {
  const key = (i) => keyOf(cb, i, 'key');
  const eab = (i) => ({ kid: str(i, 'kid'), hmacKey: str(i, 'hmac_key') });
  const args = (i) => [key(i), str(i, 'account_url'), str(i, 'url'), str(i, 'nonce')];
  const parse = (f) => (c) => value(f(response(c.response), ms(c.input)));
  return {
    eab_key: (c) => value(cb.acmeEabKey(eab(c.input))),
    eab_binding: (c) => value(cb.acmeEabBinding(eab(c.input), c.input.jwk ?? null, str(c.input, 'url'))),
    thumbprint: (c) => {
      const k = key(c.input);
      return value({ jwk: k.jwk(), thumbprint: k.thumbprint() });
    },
    new_account: (c) => {
      const i = c.input;
      return request(
        cb.acmeNewAccountRequest(key(i), str(i, 'url'), str(i, 'nonce'), {
          contact: Array.isArray(i.contact) ? i.contact : [],
          termsOfServiceAgreed: i.terms_of_service_agreed === true,
          onlyReturnExisting: i.only_return_existing === true,
          eab: i.eab ? { kid: str(i.eab, 'kid'), hmacKey: str(i.eab, 'hmac_key') } : undefined,
        }),
      );
    },
    new_order: (c) =>
      request(
        cb.acmeNewOrderRequest(...args(c.input), {
          identifiers: (c.input.identifiers ?? []).map((v) => (typeof v === 'string' ? v : '')),
          profile: opt(c.input, 'profile'),
          replaces: opt(c.input, 'replaces'),
        }),
      ),
    post_as_get: (c) => request(cb.acmePostAsGetRequest(...args(c.input))),
    finalize: (c) => {
      const [k, acct, url, nonce] = args(c.input);
      return request(cb.acmeFinalizeRequest(k, acct, url, b64(c.input, 'csr_base64'), nonce));
    },
    respond_challenge: (c) => request(cb.acmeRespondChallengeRequest(...args(c.input))),
    new_authz: (c) => {
      const [k, acct, url, nonce] = args(c.input);
      return request(cb.acmeNewAuthzRequest(k, acct, url, str(c.input, 'identifier'), nonce));
    },
    deactivate_authz: (c) => request(cb.acmeDeactivateAuthorizationRequest(...args(c.input))),
    deactivate_account: (c) =>
      request(cb.acmeDeactivateAccountRequest(key(c.input), str(c.input, 'account_url'), str(c.input, 'nonce'))),
    revoke: (c) => {
      const [k, acct, url, nonce] = args(c.input);
      return request(cb.acmeRevokeRequest(k, acct, url, b64(c.input, 'certificate_base64'), num(c.input, 'reason'), nonce));
    },
    key_change: (c) => {
      const [k, acct, url, nonce] = args(c.input);
      return request(cb.acmeKeyChangeRequest(k, keyOf(cb, c.input, 'new_key'), acct, url, nonce));
    },
    es256_signed: (c) => {
      const [k, acct, url, nonce] = args(c.input);
      const r = cb.acmeSignedRequest(k, acct, url, nonce, c.input.payload);
      const body = JSON.parse(new TextDecoder().decode(r.body));
      const { header, payload } = cb.acmeVerifyJws(body, k);
      return value({
        header,
        payload,
        signatureBytes: Buffer.from(body.signature, 'base64url').length,
        verified: true,
        thumbprint: k.thumbprint(),
      });
    },
    new_nonce: (c) => request(cb.acmeNewNonceRequest(str(c.input, 'url'))),
    download_certificate: (c) => request(cb.acmeDownloadCertificateRequest(...args(c.input))),
    renewal_info_request: (c) => request(cb.acmeRenewalInfoRequest(str(c.input, 'url'), str(c.input, 'cert_id'))),
    directory: parse(cb.acmeParseDirectory),
    problem: (c) => {
      try {
        cb.acmeCheckResponse(response(c.response), ms(c.input));
        return value(null);
      } catch (e) {
        if (!cb.isCertbridgeError(e)) throw e;
        const { kind, code, status, retryAfter, retryable, details } = e;
        return value({ kind, code, status, retryAfter, retryable, details: details ?? null });
      }
    },
    order: (c) =>
      value(
        c.input.new === true
          ? cb.acmeParseOrder(response(c.response), ms(c.input))
          : cb.acmeParseOrder(response(c.response), ms(c.input), str(c.input, 'url')),
      ),
    authorization: (c) =>
      value(
        c.input.new === true
          ? cb.acmeParseAuthorization(response(c.response), ms(c.input))
          : cb.acmeParseAuthorization(response(c.response), ms(c.input), str(c.input, 'url')),
      ),
    challenge: parse(cb.acmeParseChallenge),
    challenge_task: (c) =>
      value(
        cb.acmeChallengeTask(
          { type: str(c.input, 'type'), url: 'https://ca.example/chall', status: 'pending', token: opt(c.input, 'token') },
          str(c.input, 'identifier'),
          str(c.input, 'thumbprint'),
        ),
      ),
    cert_id: (c) => value(cb.acmeCertId(str(c.input, 'certificate'))),
    renewal_info: parse(cb.acmeParseRenewalInfo),
    certificate: parse(cb.acmeParseCertificate),
    account: parse(cb.acmeParseAccount),
  };
}

/** core/tests/vectors/acme.rs (`identrust.*`). */
function identrustOps(cb) {
  return {
    create_account: (c) =>
      request(cb.identrustCreateAccountRequest(str(c.input, 'reseller_base'), str(c.input, 'api_key'), str(c.input, 'customer_email'))),
    create_account_response: (c) => value(cb.identrustParseCreateAccount(response(c.response), ms(c.input))),
    directory_url: (c) => {
      const r = opt(c.input, 'reseller_base');
      const a = opt(c.input, 'acme_base');
      const env = r !== undefined && a !== undefined ? { resellerBase: r, acmeBase: a } : undefined;
      return value(cb.identrustDirectoryUrl(env, str(c.input, 'profile')));
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
    subsetDiff('value', renameKeys(expect.value, camel), outcome.value, diffs);
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
