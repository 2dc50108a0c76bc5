// The first program of README.md's "Install: Kotlin and Java (Maven)":
// a key, a CSR and a typed error. scripts/bindings-uniffi.sh test-kotlin runs it.
import uniffi.certbridge.KeyKind
import uniffi.certbridge_ffi.*

fun main() {
    val key = PrivateKey.generate(KeyKind.EC_P256)
    val csr = CsrBuilder().subject("cn", "www.example.com").dnsName("www.example.com").build(key)
    println(csr.toPem().lines().first())    // -----BEGIN CERTIFICATE REQUEST-----
    try {
        AcmeEabKey("kid", "***")             // not base64
    } catch (e: CertbridgeException.InvalidInput) {
        println("${e.kind} ${e.field}")      // invalid_input hmac_key
    }
}
