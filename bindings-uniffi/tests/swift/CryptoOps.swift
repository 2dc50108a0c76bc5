// `crypto.*` vector ops mapped onto the Swift API (mirrors
// core/tests/vectors/crypto.rs).
import Certbridge
import Foundation

enum CryptoOps {
    /// `base64` decoded (garbage decodes to nothing, as in Rust), else `pem`.
    static func input(_ c: Case) -> Data {
        if let b64 = c.optStr("base64") { return Data(base64Encoded: b64) ?? Data() }
        return Data(c.str("pem").utf8)
    }

    static let ops: [String: (Case) throws -> Outcome] = [
        "certificate": { c in .value(Reflect.json(try parseCertificate(input: input(c)))) },
        "pkcs7": { c in .value(try pkcs7Certificates(input: input(c)).map { try parseCertificate(input: $0).subject }) },
        "thumbprints": { c in
            let data = input(c)
            return .value(["sha1": try thumbprintSha1(certificate: data), "sha256": try thumbprintSha256(certificate: data)])
        },
        "jwt_hs256": { c in
            let claims = try JSONSerialization.data(withJSONObject: c.input["claims"] ?? NSNull(), options: [.fragmentsAllowed])
            return .value(try jwtHs256(claimsJson: String(decoding: claims, as: UTF8.self), key: Data(c.str("key").utf8)))
        },
    ]
}
