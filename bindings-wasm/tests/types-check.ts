// Compiled (not run) by types.test.js with `tsc --strict --noEmit`: the
// package's declarations type every record and option, and misuse fails.
import {
  RedtrustClient, isCertbridgeError, parseDn, redtrustCreateCsrRequest, redtrustLoginUrl,
  redtrustParseCreateCsr, redtrustParseFinalize, redtrustParseSession, thumbprintSha1,
  type CertbridgeError, type HttpRequest, type RedtrustCreatedCsr, type RedtrustCsrRequest, type RedtrustIssued, type Session,
  SwissSignClient, SwissSignIssueFlow, AcmeClient, IdenTrustClient, AccountKey, PrivateKey,
  generateKey, generateAccountKey, buildCsr, parseCertificate, parsePkcs7, jwtHs256, acmeEabKey,
  swissSignOrderStatusRequest, swissSignParseOrder, acmeParseOrder, acmeNewOrderRequest, identrustDirectoryUrl,
  type SwissSignIssued, type SwissSignOrder, type SwissSignOrderStatus, type AcmeIssued, type AcmeOrder,
  type Certificate, type ChallengeTask, type IdenTrustAccount, type KeyKind, type FlowStep,
  RedtrustIssueFlow, AcmeIssueFlow, acmeParseDirectory, type AcmeDirectory, type RedtrustCredentials,
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

// SwissSign, ACME, IdenTrust, crypto.
const kind: KeyKind = 'rsa-3072';
const pk: PrivateKey = generateKey(kind);
const csr = buildCsr(pk, { subject: [{ attribute: 'CN', value: 'x.example' }], dnsNames: ['x.example'] });
const csrDer: Uint8Array = csr.der;
const cert: Certificate = parseCertificate(csr.pem);
const notAfter: number = cert.notAfter;
const certs: Certificate[] = parsePkcs7(new Uint8Array());
const jwt: string = jwtHs256({ sub: 'a', n: 1, nested: { ok: true } }, 'key');
const eab: string = acmeEabKey({ kid: 'k', hmacKey: 'a2V5' }).hmacKeyB64url;
const ssReq: HttpRequest = swissSignOrderStatusRequest({ account: 'a', apiKey: 'k', now: 0 }, 'ord-x');
const order: SwissSignOrder = swissSignParseOrder({ status: 200, body: '{}' });
const status: SwissSignOrderStatus = order.status;
const ss = new SwissSignClient({ baseUrl: 'https://ra.example', account: 'a', apiKey: 'k', pollInitialMs: 100 });
const flowObj = new SwissSignIssueFlow({ token: 't' }, 'pma-x', csr.pem, Date.now() + 1000);
const step: FlowStep<SwissSignIssued> = flowObj.next();
const acmeOrder: AcmeOrder = acmeParseOrder({ status: 201, body: '{}' });
const newOrder: HttpRequest = acmeNewOrderRequest(generateAccountKey(), 'a', 'u', 'n', { identifiers: ['x', { type: 'ip', value: '192.0.2.1' }] });
const dirUrl: string = identrustDirectoryUrl(undefined, 'TLS-90d');
async function acmeFlow(): Promise<string> {
  const published: ChallengeTask[] = [];
  const acme: AcmeClient = await AcmeClient.connect('https://ca/dir', AccountKey.generate(), {
    eab: { kid: 'k', hmacKey: 'a2V5' },
    solver: { publish: (t) => { published.push(...t); } },
  });
  const issued: AcmeIssued = await acme.issue({ identifiers: ['x.example'], csr: csr.der, challengeTypes: ['dns-01'] });
  const reseller = new IdenTrustClient({ apiKey: 'k' });
  const account: IdenTrustAccount = await reseller.createAccount('a@b.example');
  const again: AcmeClient = await reseller.acmeClient('TLS-90d', account, generateAccountKey());
  const done: SwissSignIssued = await ss.issue('pma-x', csr.der, { timeoutMs: 1000 });
  return issued.chain.pem + done.pemChain + (again.accountUrl ?? '');
}

// The host-driven flows: one step shape, narrowed by `type`.
const creds: RedtrustCredentials = { session: { accessToken: 'a' } };
const rtFlow = new RedtrustIssueFlow({ server: 's' }, creds, request, 'ZGF0YQ==');
const rtStep: FlowStep<RedtrustIssued> = rtFlow.next(Date.now());
const rtSession: Session | undefined = rtFlow.session;
const rtCreated: RedtrustCreatedCsr | undefined = rtFlow.created;
const directory: AcmeDirectory = acmeParseDirectory({ status: 200, body: '{}' });
const acmeIssueFlow = new AcmeIssueFlow(directory, generateAccountKey(), {
  identifiers: ['x.example'], csr: csr.pem, eab: { kid: 'k', hmacKey: 'a2V5' }, accountUrl: 'https://ca/acct/1',
});
function acmeStep(): string {
  const s: FlowStep<AcmeIssued> = acmeIssueFlow.next();
  switch (s.type) {
    case 'send': acmeIssueFlow.receive({ status: 200 }, Date.now()); return s.request.url;
    case 'wait': return String(s.until);
    case 'solve': acmeIssueFlow.solved(); return s.tasks.map((t) => t.domain).join();
    case 'done': return s.value.chain.pem + (acmeIssueFlow.accountUrl ?? '') + (acmeIssueFlow.order?.status ?? '');
  }
}

// Misuse must not compile.
// @ts-expect-error key kinds are a closed set
generateKey('ed25519');
// @ts-expect-error a SwissSign session needs credentials of one kind
new SwissSignClient({ baseUrl: 'https://ra.example', account: 'a' });
// @ts-expect-error revocation reasons are a closed set
ss.revokeOrder('ord-x', 'because');
// @ts-expect-error challenge types are a closed set
void ({ identifiers: ['x'], csr: '', challengeTypes: ['http-02'] } satisfies Parameters<AcmeClient['issue']>[0]);

// @ts-expect-error keyType is a closed set
const bad1: RedtrustCsrRequest = { dn: [], keyType: 'EC' };
// @ts-expect-error compat is a closed set
redtrustLoginUrl({ server: 's', compat: 'v5' }, { partner: 'P', hmacKey: 'k', redirectUrl: 'r' });
// @ts-expect-error the transport must return a response
new RedtrustClient({ server: 's', transport: async () => 42 });
// @ts-expect-error issue returns a Promise of a record, not a string
const bad2: string = await client.issue(request);
// @ts-expect-error Redtrust credentials are a session, a password login or a temp token
new RedtrustIssueFlow({ server: 's' }, { username: 'u' }, request);
// @ts-expect-error an ACME flow needs the identifiers and the CSR
new AcmeIssueFlow(directory, generateAccountKey(), { csr: csr.pem });

export { created, method, body, expires, create, thumb, sha1, flow, describe, bad1, bad2, rtStep, rtSession, rtCreated, acmeStep };
export { csrDer, notAfter, certs, jwt, eab, ssReq, status, step, acmeOrder, newOrder, dirUrl, acmeFlow };
