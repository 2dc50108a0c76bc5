// `acme.*` and `identrust.*` vector ops mapped onto the Swift API (mirrors
// core/tests/vectors/acme.rs). Signed requests use the committed keys in
// tests/vectors/keys: RS256 signatures are deterministic, so whole bodies
// compare byte for byte; ES256 ones are checked by verification.
import Certbridge
import Foundation

/// uniffi values as the vectors' snake_case JSON, by reflection: records by
/// their fields (`kind` is serde's `type`), enums without values by their
/// case name, enum cases with values as `{"type": "dns-txt", ...}`.
func toJSON(_ v: Any?) -> Any? {
    guard let v = v else { return nil }
    let mirror = Mirror(reflecting: v)
    if mirror.displayStyle == .optional {
        guard let inner = mirror.children.first else { return nil }
        return toJSON(inner.value)
    }
    switch v {
    case is String, is Bool, is UInt64, is UInt32, is UInt16, is UInt8, is Int, is Int64: return normalise(v)
    case let d as [String: String]: return d
    case let a as [Any]: return a.map { toJSON($0) }
    default: break
    }
    func split(_ name: String, _ sep: String) -> String {
        var out = ""
        for ch in name {
            if ch.isUppercase && !out.isEmpty { out += sep }
            out += ch.lowercased()
        }
        return out
    }
    func fields(_ m: Mirror) -> [String: Any] {
        var o: [String: Any] = [:]
        for child in m.children {
            guard let label = child.label else { continue }
            o[label == "kind" ? "type" : split(label, "_")] = toJSON(child.value) ?? NSNull()
        }
        return o
    }
    switch mirror.displayStyle {
    case .struct:
        return fields(mirror)
    case .enum:
        guard let case_ = mirror.children.first, let name = case_.label else { return "\(v)".lowercased() }
        var o = fields(Mirror(reflecting: case_.value))
        o["type"] = split(name, "-")
        return o
    default:
        return "\(v)"
    }
}

enum AcmeOps {
    static var keysDir: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["CERTBRIDGE_VECTORS"] ?? "tests/vectors")
            .appendingPathComponent("keys")
    }

    static func keyPem(_ c: Case, _ field: String = "key") throws -> String {
        let url = keysDir.appendingPathComponent(c.str(field))
        guard let pem = try? String(contentsOf: url, encoding: .utf8) else {
            throw RunnerInputError(field: field, message: "no key file \(c.str(field))")
        }
        return pem
    }

    static func key(_ c: Case, _ field: String = "key") throws -> AcmeAccountKey {
        try AcmeAccountKey.fromPem(pem: keyPem(c, field))
    }

    static func b64(_ c: Case, _ field: String) -> Data { Data(base64Encoded: c.str(field)) ?? Data() }

    static func json(_ text: String) -> Any? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])).flatMap { $0 is NSNull ? nil : $0 }
    }

    static func jsonText(_ v: Any?) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: v ?? NSNull(), options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    typealias KidBuilder = (AcmeAccountKey, String, String, String) throws -> HttpRequest

    static func kidRequest(_ build: @escaping KidBuilder) -> (Case) throws -> Outcome {
        { c in .request(try build(key(c), c.str("account_url"), c.str("url"), c.str("nonce"))) }
    }

    static let acme: [String: (Case) throws -> Outcome] = [
        "eab_key": { c in
            let k = try AcmeEabKey(kid: c.str("kid"), hmacKey: c.str("hmac_key"))
            return .value(["kid": k.kid(), "hmac_key_b64url": k.hmacKeyB64url()])
        },
        "eab_binding": { c in
            let k = try AcmeEabKey(kid: c.str("kid"), hmacKey: c.str("hmac_key"))
            return .value(json(try k.bindingForJwk(jwkJson: jsonText(c.input["jwk"]), newAccountUrl: c.str("url"))))
        },
        "thumbprint": { c in
            let k = try key(c)
            return .value(["jwk": json(k.jwkJson()) as Any, "thumbprint": k.thumbprint()])
        },
        "new_account": { c in
            var eab: AcmeEabKey? = nil
            if let e = c.input["eab"] as? [String: Any] {
                eab = try AcmeEabKey(kid: e["kid"] as? String ?? "", hmacKey: e["hmac_key"] as? String ?? "")
            }
            return .request(try acmeNewAccountRequest(
                key: key(c), newAccountUrl: c.str("url"), nonce: c.str("nonce"),
                contact: c.input["contact"] as? [String] ?? [],
                termsOfServiceAgreed: c.input["terms_of_service_agreed"] as? Bool ?? false,
                onlyReturnExisting: c.input["only_return_existing"] as? Bool ?? false, eab: eab))
        },
        "new_order": { c in
            let k = try key(c)
            let ids = try (c.input["identifiers"] as? [String] ?? []).map { try acmeIdentifierDns(name: $0) }
            return .request(try acmeNewOrderRequest(
                key: k, accountUrl: c.str("account_url"), newOrderUrl: c.str("url"), nonce: c.str("nonce"),
                identifiers: ids, notBefore: nil, notAfter: nil, replaces: c.optStr("replaces"), profile: c.optStr("profile")))
        },
        "post_as_get": kidRequest { try acmeOrderRequest(key: $0, accountUrl: $1, orderUrl: $2, nonce: $3) },
        "finalize": { c in
            .request(try acmeFinalizeRequest(key: key(c), accountUrl: c.str("account_url"), finalizeUrl: c.str("url"),
                                             csr: b64(c, "csr_base64"), nonce: c.str("nonce")))
        },
        "respond_challenge": kidRequest { try acmeRespondChallengeRequest(key: $0, accountUrl: $1, challengeUrl: $2, nonce: $3) },
        "new_authz": { c in
            let k = try key(c)
            return .request(try acmeNewAuthzRequest(key: k, accountUrl: c.str("account_url"), newAuthzUrl: c.str("url"),
                                                    identifier: acmeIdentifierDns(name: c.str("identifier")), nonce: c.str("nonce")))
        },
        "deactivate_authz": kidRequest { try acmeDeactivateAuthorizationRequest(key: $0, accountUrl: $1, url: $2, nonce: $3) },
        "deactivate_account": { c in
            .request(try acmeDeactivateAccountRequest(key: key(c), accountUrl: c.str("account_url"), nonce: c.str("nonce")))
        },
        "revoke": { c in
            let cert = b64(c, "certificate_base64")
            let reason = (c.input["reason"] as? NSNumber).map { UInt8(truncatingIfNeeded: $0.intValue) }
            if !c.str("account_url").isEmpty {
                return .request(try acmeRevokeRequest(key: key(c), accountUrl: c.str("account_url"), revokeUrl: c.str("url"),
                                                      certificate: cert, nonce: c.str("nonce"), reason: reason))
            }
            return .request(try acmeRevokeWithCertificateKeyRequest(certificateKeyPem: keyPem(c), revokeUrl: c.str("url"),
                                                                    certificate: cert, nonce: c.str("nonce"), reason: reason))
        },
        "key_change": { c in
            .request(try acmeKeyChangeRequest(oldKey: key(c), newKey: key(c, "new_key"), accountUrl: c.str("account_url"),
                                              keyChangeUrl: c.str("url"), nonce: c.str("nonce")))
        },
        "es256_signed": { c in
            let k = try key(c)
            let payload = c.input.keys.contains("payload") ? Data(jsonText(c.input["payload"]).utf8) : nil
            let accountUrl = c.optStr("account_url").flatMap { $0.isEmpty ? nil : $0 }
            let request = try acmeSignedRequest(key: k, url: c.str("url"), nonce: c.str("nonce"), accountUrl: accountUrl, payload: payload)
            let verified = try acmeVerifyJws(jws: request.body, key: k)
            let body = json(String(decoding: request.body, as: UTF8.self)) as? [String: Any] ?? [:]
            var sig = (body["signature"] as? String ?? "").replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while sig.count % 4 != 0 { sig += "=" }
            return .value([
                "header": json(verified.headerJson) as Any,
                "payload": verified.payload.isEmpty ? nil : json(String(decoding: verified.payload, as: UTF8.self)) as Any,
                "signature_bytes": Data(base64Encoded: sig)?.count ?? -1,
                "verified": true,
                "thumbprint": k.thumbprint(),
            ])
        },
        "new_nonce": { c in .request(acmeNewNonceRequest(newNonceUrl: c.str("url"))) },
        "download_certificate": kidRequest { try acmeDownloadCertificateRequest(key: $0, accountUrl: $1, url: $2, nonce: $3) },
        "renewal_info_request": { c in .request(acmeRenewalInfoRequest(renewalInfoUrl: c.str("url"), certId: c.str("cert_id"))) },
        "directory": { c in .value(toJSON(try acmeParseDirectory(response: c.httpResponse(), now: c.nowMillis()))) },
        "problem": { c in
            guard let info = acmeErrorInfo(response: c.httpResponse(), now: c.nowMillis()) else { return .value(nil) }
            var details: Any? = nil
            if let p = info.problem {
                details = ["provider": "acme", "problem_type": p.kind, "detail": p.detail as Any,
                           "subproblems": toJSON(p.subproblems) as Any]
            }
            return .value([
                "kind": info.kind, "code": info.code as Any, "status": info.status as Any,
                "retry_after": info.retryAfter as Any, "retryable": info.retryable, "details": details as Any,
            ])
        },
        "order": { c in
            if c.input["new"] as? Bool == true {
                return .value(toJSON(try acmeParseNewOrder(response: c.httpResponse(), now: c.nowMillis())))
            }
            return .value(toJSON(try acmeParseOrder(response: c.httpResponse(), now: c.nowMillis(), orderUrl: c.str("url"))))
        },
        "authorization": { c in
            if c.input["new"] as? Bool == true {
                return .value(toJSON(try acmeParseNewAuthz(response: c.httpResponse(), now: c.nowMillis())))
            }
            return .value(toJSON(try acmeParseAuthorization(response: c.httpResponse(), now: c.nowMillis(), url: c.str("url"))))
        },
        "challenge": { c in .value(toJSON(try acmeParseChallenge(response: c.httpResponse(), now: c.nowMillis()))) },
        "challenge_task": { c in
            let ch = AcmeChallenge(kind: c.str("type"), url: "https://ca.example/chall", status: .pending,
                                   token: c.optStr("token"), validated: nil, error: nil)
            return .value(toJSON(try acmeChallengeTask(challenge: ch, identifier: acmeIdentifierDns(name: c.str("identifier")),
                                                       thumbprint: c.str("thumbprint"))))
        },
        "cert_id": { c in .value(try acmeCertId(certificate: Data(c.str("certificate").utf8))) },
        "renewal_info": { c in .value(toJSON(try acmeParseRenewalInfo(response: c.httpResponse(), now: c.nowMillis()))) },
        "certificate": { c in .value(toJSON(try acmeParseCertificate(response: c.httpResponse(), now: c.nowMillis()))) },
        "account": { c in .value(toJSON(try acmeParseAccount(response: c.httpResponse(), now: c.nowMillis()))) },
    ]

    static let identrust: [String: (Case) throws -> Outcome] = [
        "create_account": { c in
            .request(try identrustCreateAccountRequest(resellerBase: c.str("reseller_base"), apiKey: c.str("api_key"),
                                                       customerEmail: c.str("customer_email")))
        },
        "create_account_response": { c in
            let a = try identrustParseCreateAccount(response: c.httpResponse(), now: c.nowMillis())
            let eab = a.eab()
            return .value([
                "id": json(a.idJson()) as Any, "kid": a.kid(), "reseller_code": a.resellerCode() as Any,
                "email": a.email() as Any, "revoked": a.revoked(), "deleted": a.deleted(),
                "eab_kid": eab.kid(), "eab_hmac_key_b64url": eab.hmacKeyB64url(),
            ])
        },
        "directory_url": { c in
            let env: IdenTrustEnvironment
            if let r = c.optStr("reseller_base"), let a = c.optStr("acme_base") {
                env = try identrustEnvironment(resellerBase: r, acmeBase: a)
            } else {
                env = identrustStaging()
            }
            return .value(try identrustDirectoryUrl(environment: env, profile: c.str("profile")))
        },
    ]
}
