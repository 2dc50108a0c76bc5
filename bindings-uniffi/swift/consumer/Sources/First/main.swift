// The first program of README.md's "Install: Swift (SwiftPM)": a key, a CSR
// and a typed error. scripts/bindings-uniffi.sh test-swift runs it.
import Certbridge

let key = try PrivateKey.generate(kind: .ecP256)
let csr = try CsrBuilder().subject(attribute: "cn", value: "www.example.com").dnsName(name: "www.example.com").build(key: key)
print(csr.toPem().split(separator: "\n")[0])    // -----BEGIN CERTIFICATE REQUEST-----
do {
    _ = try AcmeEabKey(kid: "kid", hmacKey: "***")  // not base64
} catch CertbridgeError.InvalidInput(let kind, _, let field, _, _, _, _) {
    print(kind, field ?? "")                        // invalid_input hmac_key
}
