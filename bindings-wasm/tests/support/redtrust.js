// Redtrust fixtures shared by the scripted tests (client.test.js,
// flows.test.js): the server, the headers and body of each request as the
// core sends them, and the API's success envelope.
export const SERVER = 'https://rt.example:8082';
export const JSON_HEADERS = [['Accept', 'application/json'], ['Content-Type', 'application/json']];
export const bearer = (t) => [...JSON_HEADERS, ['Authorization', `Bearer ${t}`]];

/** A 200 answer in the API's envelope around `data`. */
export const ok = (data) => ({
  status: 200,
  headers: [['Content-Type', 'application/json']],
  body: JSON.stringify({ message: 'Operation finalized successfully', messageType: 'SUCCESS', errorCode: 'OK', data }),
});

export const DN = [
  { attribute: 'cn', value: 'John Doe' },
  { attribute: 'o', value: 'Example' },
  { attribute: 'c', value: 'ES' },
];
/** `csr/create` for `DN` with the defaults. */
export const CREATE_BODY = '{"dn":[{"attribute":"cn","value":"John Doe"},{"attribute":"o","value":"Example"},{"attribute":"c","value":"ES"}],"hashType":"SHA384","keyLength":2048,"keyType":"RSA","provider":"CAMERFIRMA"}';
