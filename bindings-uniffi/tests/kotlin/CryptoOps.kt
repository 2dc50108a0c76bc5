// `crypto.*` vector ops mapped onto the Kotlin API (mirrors
// core/tests/vectors/crypto.rs).
package certbridge.tests

import java.util.Base64
import uniffi.certbridge_ffi.*

object CryptoOps {
    /** `base64` decoded (garbage decodes to nothing, as in Rust), else `pem`. */
    private fun input(c: Case): ByteArray {
        val b64 = c.optStr("base64") ?: return c.str("pem").toByteArray(Charsets.UTF_8)
        return try { Base64.getDecoder().decode(b64) } catch (e: IllegalArgumentException) { ByteArray(0) }
    }

    val ops: Map<String, (Case) -> Outcome> = mapOf(
        "certificate" to { c -> Outcome.Value(Reflect.json(parseCertificate(input(c)))) },
        "pkcs7" to { c -> Outcome.Value(pkcs7Certificates(input(c)).map { parseCertificate(it).subject }) },
        "thumbprints" to { c ->
            val data = input(c)
            Outcome.Value(mapOf("sha1" to thumbprintSha1(data), "sha256" to thumbprintSha256(data)))
        },
        "jwt_hs256" to { c ->
            Outcome.Value(jwtHs256(Json.write(c.input["claims"]), c.str("key").toByteArray(Charsets.UTF_8)))
        },
    )
}
