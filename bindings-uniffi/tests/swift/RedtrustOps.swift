// `redtrust.*` vector ops mapped onto the Swift API (mirrors
// core/tests/vectors/redtrust.rs).
import Certbridge
import Foundation

enum RedtrustOps {
    static let compat: [String: RedtrustCompat] = ["v4.42": .v442, "v4.33": .v433]

    static func config(_ c: Case) throws -> RedtrustConfig {
        let name = c.input["compat"] as? String ?? "v4.42"
        guard let v = compat[name] else { throw RunnerInputError(field: "compat", message: "unknown compat \(name)") }
        return try redtrustConfig(server: c.str("server"), compat: v)
    }

    static func session(_ c: Case) -> RedtrustSession {
        RedtrustSession(accessToken: c.str("access_token"), refreshToken: c.optStr("refresh_token"), expiresAt: nil)
    }

    static func sessionJSON(_ s: RedtrustSession) -> Any {
        ["access_token": s.accessToken(), "refresh_token": s.refreshToken() as Any, "expires_at": s.expiresAt() as Any]
    }

    static func csrRequest(_ c: Case) throws -> CsrRequest {
        let data = try JSONSerialization.data(withJSONObject: c.input["request"] ?? NSNull(), options: [.fragmentsAllowed])
        return try redtrustCsrRequestFromJson(json: String(decoding: data, as: UTF8.self))
    }

    static let ops: [String: (Case) throws -> Outcome] = [
        "login_url": { c in
            .request(try redtrustLoginUrl(config: config(c), partner: c.str("partner"), hmacKey: c.str("hmac_key"),
                                          redirectUrl: c.str("redirect_url"), now: c.nowMillis(), domain: c.optStr("domain")))
        },
        "parse_redirect": { c in .value(["temporal_token": try redtrustTemporalTokenFromRedirect(redirectedTo: c.str("url"))]) },
        "login": { c in
            .request(try redtrustLoginRequest(config: config(c), username: c.str("username"), password: c.str("password"),
                                              domain: c.optStr("domain")))
        },
        "exchange_temp_token": { c in
            .request(try redtrustExchangeTempTokenRequest(config: config(c), temporalToken: c.str("temporal_token")))
        },
        "refresh": { c in .request(try redtrustRefreshRequest(config: config(c), session: session(c))) },
        "logout": { c in .request(redtrustLogoutRequest(config: try config(c), session: session(c))) },
        "parse_session": { c in .value(sessionJSON(try redtrustParseLogin(response: c.httpResponse()))) },
        "parse_refresh": { c in
            .value(sessionJSON(try redtrustParseRefresh(response: c.httpResponse(), previous: session(c))))
        },
        "parse_logout": { c in
            try redtrustParseLogout(response: c.httpResponse())
            return .value([String: Any]())
        },
        "csr_create": { c in
            .request(try redtrustCreateCsrRequest(config: config(c), request: csrRequest(c), session: session(c)))
        },
        "parse_csr_create": { c in
            let sent = c.input["request"] != nil ? try csrRequest(c) : redtrustCsrRequest(dn: [])
            let created = try redtrustParseCreateCsr(response: c.httpResponse(), sent: sent)
            return .value(["request_code": created.requestCode, "csr_pem": created.csrPem])
        },
        "csr_finalize": { c in
            .request(try redtrustFinalizeCsrRequest(config: config(c), requestCode: c.str("request_code"),
                                                    provider: c.str("provider"), session: session(c),
                                                    dataInB64: c.optStr("data_in_b64")))
        },
        "parse_csr_finalize": { c in
            let f = try redtrustParseFinalizeCsr(response: c.httpResponse(), compat: compat[c.input["compat"] as? String ?? "v4.42"])
            return .value(["id_certificate": f.idCertificate as Any, "thumbprint": f.thumbprint as Any])
        },
        "thumbprint": { c in
            let cert = Data(c.str("certificate").utf8)
            return .value(["sha1": try thumbprintSha1(certificate: cert), "sha256": try thumbprintSha256(certificate: cert)])
        },
        "parse_dn": { c in
            .value(try redtrustParseDn(text: c.str("text")).map { ["attribute": $0.attribute, "value": $0.value] })
        },
    ]
}
