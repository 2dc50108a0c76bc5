// The one error type certbridge throws: an `Error` named "CertbridgeError"
// carrying the core's stable `kind`, `code`, `field` and `status`.

/** Whether `e` was thrown by certbridge. */
export function isCertbridgeError(e) {
  return e instanceof Error && e.name === 'CertbridgeError' && typeof e.kind === 'string';
}
