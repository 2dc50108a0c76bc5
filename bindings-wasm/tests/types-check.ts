// Compiled (not run) by types.test.js with `tsc --strict --noEmit`: the
// package's declarations type every record and option, and misuse fails.
import {
  RedtrustClient, isCertbridgeError, parseDn, redtrustCreateCsrRequest, redtrustLoginUrl,
  redtrustParseCreateCsr, redtrustParseFinalize, redtrustParseSession, thumbprintSha1,
  type CertbridgeError, type HttpRequest, type RedtrustCreatedCsr, type RedtrustCsrRequest, type RedtrustIssued, type Session,
} from 'certbridge';

const req: HttpRequest = redtrustLoginUrl(
  { server: 'https://rt.example:8082', compat: 'v4.33' },
  { partner: 'P', hmacKey: 'k', redirectUrl: 'https://a.example/' },
  Date.now(),
);
const method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' = req.method;
const body: Uint8Array = req.body;
const session: Session = redtrustParseSession({ status: 200, headers: [['a', 'b']], body: '{}' });
const expires: number | undefined = session.expiresAt;
const request: RedtrustCsrRequest = { dn: parseDn('cn=x'), keyType: 'RSA', hashType: 'SHA256', info: { a: 'b' } };
const create: HttpRequest = redtrustCreateCsrRequest({ server: 's' }, session, request);
const finalized = redtrustParseFinalize({ status: 200, body: new Uint8Array() }, 'v4.42');
const created: RedtrustCreatedCsr = redtrustParseCreateCsr({ status: 200, body: '' });
const thumb: string | undefined = finalized.thumbprint;
const sha1: string = thumbprintSha1(new Uint8Array([0x30]));

const client = new RedtrustClient({
  server: 'https://rt.example:8082',
  username: 'u',
  password: 'p',
  transport: async (r: HttpRequest) => ({ status: 200, headers: r.headers, body: r.body }),
});
async function flow(): Promise<string | undefined> {
  const issued: RedtrustIssued = await client.issue(request);
  const s: Session | undefined = client.session;
  await client.logout();
  return issued.thumbprint ?? s?.accessToken;
}

function describe(e: unknown): string {
  if (isCertbridgeError(e)) {
    const err: CertbridgeError = e;
    return `${err.kind} ${err.code ?? ''} ${err.field ?? ''} ${err.status ?? ''}`;
  }
  return 'other';
}

// Misuse must not compile.
// @ts-expect-error keyType is a closed set
const bad1: RedtrustCsrRequest = { dn: [], keyType: 'EC' };
// @ts-expect-error compat is a closed set
redtrustLoginUrl({ server: 's', compat: 'v5' }, { partner: 'P', hmacKey: 'k', redirectUrl: 'r' });
// @ts-expect-error the transport must return a response
new RedtrustClient({ server: 's', transport: async () => 42 });
// @ts-expect-error issue returns a Promise of a record, not a string
const bad2: string = await client.issue(request);

export { created, method, body, expires, create, thumb, sha1, flow, describe, bad1, bad2 };
