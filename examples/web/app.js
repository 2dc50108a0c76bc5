// The example's logic: everything certbridge does here is sans-IO (no
// request leaves the browser). Served from the repository root, the package
// is at ../../bindings-wasm/ (in an app: `import ... from 'certbridge'`).
import { isCertbridgeError, redtrustLoginUrl, redtrustParseRedirect } from '../../bindings-wasm/index.browser.js';

const $ = (id) => document.getElementById(id);

function show(el, f) {
  try {
    el.textContent = f();
    el.className = '';
  } catch (e) {
    el.textContent = isCertbridgeError(e) ? `${e.kind}${e.field ? ` (${e.field})` : ''}: ${e.message}` : String(e);
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
