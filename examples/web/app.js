// The example's logic. It imports the package by name; index.html's import
// map points `certbridge` at /node_modules/certbridge/ (served by
// bindings-wasm/tests/browser/server.js; with a bundler no map is needed).
//
// 1. Redtrust: builds the HMAC-signed login redirect (sans-IO, no request).
// 2. SwissSign: makes a key and a CSR in the browser (Web Crypto randomness,
//    the private key never leaves the page), then runs a whole issuance
//    against a SwissSign RA API over fetch: pre-validate the domain, submit
//    the CSR, poll the order, download the chain. Point it at the simulator
//    (`certbridge-sim --port 8082`), which answers CORS preflights; a real
//    RA API must allow this page's origin, or run the same code under Node.
import {
  SwissSignClient, buildCsr, generateKey, isCertbridgeError, redtrustLoginUrl, redtrustParseRedirect,
} from 'certbridge';

const $ = (id) => document.getElementById(id);

function explain(e) {
  return isCertbridgeError(e)
    ? `${e.kind}${e.code ? ` ${e.code}` : ''}${e.field ? ` (${e.field})` : ''}: ${e.message}`
    : String(e);
}

function show(el, f) {
  try {
    el.textContent = f();
    el.className = '';
  } catch (e) {
    el.textContent = explain(e);
    el.className = 'error';
  }
}

$('form').addEventListener('submit', (event) => {
  event.preventDefault();
  show($('url'), () => {
    const request = redtrustLoginUrl(
      { server: $('server').value },
      {
        partner: $('partner').value,
        hmacKey: $('key').value,
        redirectUrl: location.origin + location.pathname,
        domain: $('domain').value || undefined,
      },
    );
    return `${request.url}\n\n${request.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}`;
  });
});

if (new URLSearchParams(location.search).has('tkn') || location.hash.includes('tkn=')) {
  show($('token'), () => `temporary token: ${redtrustParseRedirect(location.href)}\n(exchange it with RedtrustClient.loginWithRedirect or redtrustExchangeTempTokenRequest)`);
}

// ---------------- SwissSign ----------------

let key;
let csr;

$('ss-csr').addEventListener('click', () => {
  show($('ss-csr-out'), () => {
    key = generateKey($('ss-kind').value);
    const name = $('ss-name').value.trim();
    csr = buildCsr(key, { subject: [{ attribute: 'CN', value: name }], dnsNames: [name] });
    return `${key.kind} key generated in the page\n\n${csr.pem}`;
  });
});

const log = (line) => {
  $('ss-log').textContent += `${line}\n`;
};

$('ss-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('ss-log').textContent = '';
  $('ss-log').className = '';
  try {
    const base = $('ss-base').value.replace(/\/$/, '');
    const client = new SwissSignClient({ baseUrl: base, account: $('ss-account').value, apiKey: $('ss-apikey').value, pollInitialMs: 200 });
    const [first] = await client.clients();
    const product = first.products[0];
    log(`client ${first.name} (${first.uuid}), product ${product.productName ?? ''} ${product.uuid}`);
    const name = $('ss-name').value.trim();
    const [domain] = await client.registerDomains(first.uuid, [name]);
    log(`pre-validation: publish TXT ${domain.txtRecord.name} "${domain.txtRecord.value}"`);
    if ($('ss-sim').checked) {
      // The simulator's DNS control plane stands in for your DNS provider.
      await fetch(`${base}/sim/dns/txt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(domain.txtRecord) });
    }
    const validated = await client.domain(domain.uuid, 'validate');
    log(`domain validated: ${validated.validated}`);
    if (!csr) $('ss-csr').click();
    const ascii = domain.txtRecord.name.replace(/^_[^.]*\./, '');
    if (ascii !== name) {
      csr = buildCsr(key, { subject: [{ attribute: 'CN', value: ascii }], dnsNames: [ascii] });
      log(`CSR rebuilt for the punycode name ${ascii}`);
    }
    const issued = await client.issue(product.uuid, csr.pem, { timeoutMs: 120000 });
    log(`order ${issued.order}: ${await client.orderStatus(issued.order)}`);
    log(`serial ${issued.certificate.serialHex}, valid until ${new Date(issued.certificate.notAfter).toISOString()}`);
    log(`SANs: ${issued.certificate.sans.map((s) => s.value).join(', ')}`);
    log(`\n${issued.pemChain}`);
  } catch (e) {
    log(explain(e));
    $('ss-log').className = 'error';
  }
});
