// `swisssign.*` vector ops mapped onto the Swift API (mirrors
// core/tests/vectors/swisssign.rs). An op with a `response` parses it;
// without one it builds the request.
import Certbridge
import Foundation

enum SwissSignOps {
    static let listPath: [String: DomainListPath] = ["domain": .domain, "domains": .domains]
    static let spelling: [String: ReasonSpelling] = ["upper_snake": .upperSnake, "camel_case": .camelCase]
    static let reasons: [String: SwissSignRevocationReason] = [
        "unused": .unused, "key_compromise": .keyCompromise, "affiliation_changed": .affiliationChanged,
        "superseded": .superseded, "cessation_of_operation": .cessationOfOperation,
    ]
    static let actions: [String: SwissSignDomainAction] = [
        "validate": .validate, "token_reset": .resetToken, "token_delete": .deleteToken,
    ]

    static func compat(_ c: Case) throws -> SwissSignCompat {
        let given = c.input["compat"] as? [String: Any] ?? [:]
        var result = SwissSignCompat(domainListPath: .domain, reasonSpelling: .upperSnake)
        if let p = given["domain_list_path"] {
            guard let v = listPath["\(p)"] else { throw RunnerInputError(field: "compat", message: "unknown \(p)") }
            result.domainListPath = v
        }
        if let s = given["reason_spelling"] {
            guard let v = spelling["\(s)"] else { throw RunnerInputError(field: "compat", message: "unknown \(s)") }
            result.reasonSpelling = v
        }
        return result
    }

    static func config(_ c: Case) throws -> SwissSignConfig {
        var cfg = try c.optStr("base_url").map { try swisssignConfig(baseUrl: $0) } ?? swisssignProductionConfig()
        cfg.compat = try compat(c)
        return cfg
    }

    /// A session from `token`, or a locally signed one from `account`, `api_key` and `now`.
    static func session(_ c: Case) throws -> SwissSignSession {
        if let account = c.optStr("account") {
            let s = try SwissSignSession.withApiKey(config: config(c), account: account, apiKey: c.str("api_key"))
            _ = try s.prepare(now: c.nowMillis())
            return s
        }
        return try SwissSignSession.withToken(config: config(c), token: c.str("token"))
    }

    static func strings(_ c: Case, _ key: String) -> [String] {
        (c.input[key] as? [Any] ?? []).compactMap { $0 as? String }
    }

    static func u32(_ c: Case, _ key: String) -> UInt32? {
        guard let n = c.input[key] as? NSNumber, n.int64Value >= 0, n.int64Value <= Int64(UInt32.max) else { return nil }
        return UInt32(n.int64Value)
    }

    static func flag(_ c: Case, _ key: String) -> Bool? { c.input[key] as? Bool }

    static func issueRequest(_ c: Case) throws -> SwissSignIssueRequest {
        var r = try swisssignIssueRequest(product: c.str("product"), csrPem: c.str("csr"))
        if c.optStr("csr") == nil { r.csr = nil }
        let dns = strings(c, "dns"), emails = strings(c, "emails"), ips = strings(c, "ips")
        let subjectDn = c.optStr("subject_dn"), validity = u32(c, "validity")
        if subjectDn != nil || validity != nil || !dns.isEmpty || !emails.isEmpty || !ips.isEmpty {
            let ext = SwissSignRequestExtensions(
                requestDns: dns.isEmpty ? nil : dns.map { SwissSignRequestedDns(dns: $0) },
                requestRfc822: emails.isEmpty ? nil : emails,
                requestIp: ips.isEmpty ? nil : ips)
            let hasExt = ext.requestDns != nil || ext.requestRfc822 != nil || ext.requestIp != nil
            r.overrides = SwissSignRequestOverrides(subjectDn: subjectDn, validity: validity,
                                                    requestExtensions: hasExt ? ext : nil)
        }
        r.tags = strings(c, "tags")
        r.note = c.optStr("note")
        r.publishCertificate = flag(c, "publish_certificate")
        r.synchronous = flag(c, "synchronous")
        r.acceptTerms = flag(c, "accept_terms")
        r.includeCertificateChain = flag(c, "include_certificate_chain")
        return r
    }

    /// The `search` object (the API's camelCase JSON) as the record; a bad
    /// reference is `invalid_input` on `search`, as serde reports it.
    static func orderSearch(_ c: Case) throws -> SwissSignOrderSearch {
        let s = c.input["search"] as? [String: Any] ?? [:]
        func strs(_ k: String) -> [String] { (s[k] as? [Any] ?? []).compactMap { $0 as? String } }
        do {
            return SwissSignOrderSearch(
                orderReference: try (s["orderReference"] as? String).map { try swisssignOrderRef(value: $0) },
                serialNumber: s["serialNumber"] as? String,
                orderStatus: strs("orderStatus"),
                revocationReason: strs("revocationReason"),
                clientReferences: try strs("clientReferences").map { try swisssignClientRef(value: $0) },
                startAfter: s["startAfter"] as? String,
                startBefore: s["startBefore"] as? String,
                attribute: s["attribute"] as? String,
                includeCertificateChain: s["includeCertificateChain"] as? Bool,
                tags: strs("tags"))
        } catch let e as CertbridgeError {
            throw RunnerInputError(field: "search", message: ErrorFields(e).reason)
        }
    }

    static func revocations(_ c: Case) throws -> [SwissSignRevocationRequest] {
        try (c.input["certificates"] as? [[String: Any]] ?? []).map { m in
            guard let reason = reasons[m["reason"] as? String ?? ""] else {
                throw RunnerInputError(field: "certificates", message: "unknown reason \(m["reason"] ?? "")")
            }
            return SwissSignRevocationRequest(serialNumber: m["serial_number"] as? String ?? "",
                                              issuerName: m["issuer_name"] as? String ?? "", reason: reason,
                                              requestor: m["requestor"] as? String)
        }
    }

    static func endpoint(_ build: @escaping (Case, SwissSignSession) throws -> HttpRequest,
                         _ parse: @escaping (HttpResponse) throws -> Any?) -> (Case) throws -> Outcome {
        return { c in
            if c.response != nil { return .value(Reflect.json(try parse(c.httpResponse()))) }
            return .request(try build(c, try session(c)))
        }
    }

    static let ops: [String: (Case) throws -> Outcome] = [
        "jwt_local": { c in
            .value(["token": try swisssignJwtLocal(account: c.str("account"), apiKey: c.str("api_key"), now: c.nowMillis())])
        },
        "jwt": { c in
            if c.response != nil {
                let j = try swisssignParseJwt(response: c.httpResponse(), now: c.nowMillis())
                return .value(["token": j.token, "expires_at": j.expiresAt])
            }
            return .request(try swisssignJwtRequest(config: config(c), userName: c.str("user_name"),
                                                    userSecret: c.str("user_secret")))
        },
        "api_error": { c in
            let e = try swisssignParseError(response: c.httpResponse())
            return .value([
                "provider": "swisssign", "status": e.status, "code": e.code, "message": e.message,
                "correlation_id": e.correlationId as Any, "retry_after": e.retryAfter as Any,
                "details": [
                    "provider": "swisssign", "module": e.module as Any, "section": e.section as Any,
                    "error": e.error as Any, "messages": e.messages,
                ] as [String: Any],
            ] as [String: Any])
        },
        "search_clients": endpoint({ c, s in try swisssignSearchClientsRequest(session: s, search: c.optStr("search")) },
                                   { try swisssignParseSearchClients(response: $0) }),
        "search_clients_paged": endpoint({ c, s in
            try swisssignSearchClientsPagedRequest(session: s, search: c.optStr("search"), start: u32(c, "start"),
                                                   length: u32(c, "length"))
        }, { try swisssignParseSearchClientsPaged(response: $0) }),
        "get_client": endpoint({ c, s in try swisssignGetClientRequest(session: s, client: c.str("client")) },
                               { try swisssignParseGetClient(response: $0) }),
        "register_domains": endpoint({ c, s in
            try swisssignRegisterDomainsRequest(session: s, client: c.str("client"), domains: strings(c, "domains"))
        }, { try swisssignParseRegisterDomains(response: $0) }),
        "list_domains": endpoint({ c, s in try swisssignListDomainsRequest(session: s, client: c.str("client")) },
                                 { try swisssignParseListDomains(response: $0) }),
        "domain": endpoint({ c, s in
            try swisssignDomainRequest(session: s, domain: c.str("domain"), action: actions[c.str("action")] ?? .get)
        }, { try swisssignParseDomain(response: $0) }),
        "delete_domain": endpoint({ c, s in try swisssignDeleteDomainRequest(session: s, domain: c.str("domain")) },
                                  { try swisssignParseDeleteDomain(response: $0); return nil }),
        "issue_csr": endpoint({ c, s in
            try swisssignIssueCsrRequest(session: s, product: c.str("product"), csr: Data(c.str("csr").utf8))
        }, { try swisssignParseIssueCsr(response: $0) }),
        "issue": endpoint({ c, s in try swisssignIssueJsonRequest(session: s, request: issueRequest(c)) },
                          { try swisssignParseIssueJson(response: $0) }),
        "validate_issue": endpoint({ c, s in try swisssignValidateRequest(session: s, request: issueRequest(c)) },
                                   { try swisssignParseValidate(response: $0); return nil }),
        "order_status": endpoint({ c, s in try swisssignOrderStatusRequest(session: s, order: c.str("order")) },
                                 { try swisssignParseOrderStatus(response: $0) }),
        "get_order": endpoint({ c, s in try swisssignGetOrderRequest(session: s, order: c.str("order")) },
                              { try swisssignParseGetOrder(response: $0) }),
        "search_orders": endpoint({ c, s in try swisssignSearchOrdersRequest(session: s, search: orderSearch(c)) },
                                  { try swisssignParseSearchOrders(response: $0) }),
        "search_orders_paged": endpoint({ c, s in
            try swisssignSearchOrdersPagedRequest(session: s, search: orderSearch(c), start: u32(c, "start"),
                                                  length: u32(c, "length"))
        }, { try swisssignParseSearchOrdersPaged(response: $0) }),
        "chain": endpoint({ c, s in try swisssignChainRequest(session: s, order: c.str("order")) },
                          { try swisssignParseChain(response: $0) }),
        "revoke": endpoint({ c, s in try swisssignRevokeRequest(session: s, certificates: revocations(c)) },
                           { try swisssignParseRevoke(response: $0); return nil }),
    ]
}
