// The work every browser page does with the package, whichever way it was
// loaded (import map or a bundle): a key and a CSR made in the page
// (randomness from Web Crypto), then a SwissSign issuance against the
// simulator on another origin, so every call is a CORS request (JSON POSTs
// with a Bearer JWT are preflighted). `cb` is the imported package.
export async function keyCsrAndSwissSign(cb, input, name = 'browser.example') {
  const key = cb.generateKey('ec-p256');
  const csr = cb.buildCsr(key, { subject: [{ attribute: 'CN', value: name }], dnsNames: [name] });
  const out = { csr: { kind: key.kind, pem: csr.pem, derLength: csr.der.length } };

  const ss = new cb.SwissSignClient({ baseUrl: input.sim, account: input.account, apiKey: input.apiKey, pollInitialMs: 50 });
  const [customer] = await ss.clients();
  const [domain] = await ss.registerDomains(customer.uuid, [name]);
  const txt = await fetch(`${input.sim}/sim/dns/txt`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(domain.txtRecord),
  });
  if (txt.status !== 204) throw new Error(`publishing the TXT record: ${txt.status}`);
  const validated = await ss.domain(domain.uuid, 'validate');
  const issued = await ss.issue(customer.products[0].uuid, csr.pem, { timeoutMs: 30000 });
  out.swisssign = {
    validated: validated.validated,
    order: issued.order,
    sans: issued.certificate.sans,
    chainLength: issued.chain.certificates.length,
    status: await ss.orderStatus(issued.order),
    leafFirstInPemChain: cb.parseCertificateChain(issued.pemChain)[0].sha256Thumbprint === issued.certificate.sha256Thumbprint,
  };
  return out;
}
