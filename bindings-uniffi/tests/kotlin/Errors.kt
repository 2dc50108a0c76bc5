// The fields every CertbridgeException variant carries, read uniformly.
package certbridge.tests

import uniffi.certbridge_ffi.CertbridgeException as E

data class ErrorFields(val kind: String, val code: String?, val field: String?, val reason: String, val status: UShort?)

object Errors {
    fun fields(e: E): ErrorFields = when (e) {
        is E.InvalidInput -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.Transport -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.HttpStatus -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.Provider -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.Auth -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.Protocol -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.Crypto -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.Timeout -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
        is E.Cancelled -> ErrorFields(e.kind, e.code, e.field, e.reason, e.status)
    }
}
