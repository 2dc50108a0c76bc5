// SwissSign end to end against the simulator the test script starts
// (CERTBRIDGE_SIM=http://127.0.0.1:PORT), with the built-in transport and
// the sans-IO flow: domain pre-validation through the simulated DNS,
// issuance with a key and CSR made in Swift, the chain, revocation.
import Certbridge
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

enum SwissSignSimTests {
    static let account = "service.account"
    static let apiKey = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w"
    static let fast = Backoff(initialMillis: 50, maxMillis: 500, factorPercent: 150)

    static func sim() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CERTBRIDGE_SIM"], !url.isEmpty else {
            throw TestFailure(description: "CERTBRIDGE_SIM is not set (scripts/bindings-uniffi.sh starts the simulator)")
        }
        return url
    }

    /// `POST /sim/dns/txt` with URLSession.
    static func publishTxt(_ name: String, _ value: String) async throws {
        var req = URLRequest(url: URL(string: try sim() + "/sim/dns/txt")!)
        req.httpMethod = "POST"
        req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        req.httpBody = try JSONSerialization.data(withJSONObject: ["name": name, "value": value])
        let status: Int = try await withCheckedThrowingContinuation { cont in
            URLSession.shared.dataTask(with: req) { _, resp, err in
                if let err = err { cont.resume(throwing: err) } else {
                    cont.resume(returning: (resp as? HTTPURLResponse)?.statusCode ?? 0)
                }
            }.resume()
        }
        try expect(status < 300, "publish TXT: HTTP \(status)")
    }

    static func issueChainRevoke() async throws {
        let session = try SwissSignSession.withApiKey(config: swisssignConfig(baseUrl: sim()), account: account, apiKey: apiKey)
        let c = try SwissSignClient(session: session, backoff: fast)
        let first = try await c.clients()[0]
        let cli = first.uuid, pma = first.products[0].uuid
        try expect(cli.hasPrefix("cli-") && pma.hasPrefix("pma-"), "refs \(cli) \(pma)")

        let registered = try await c.registerDomains(client: cli, domains: ["swift.example"])[0]
        guard let record = registered.txtRecord else { throw TestFailure(description: "no TXT record") }
        do {
            _ = try await c.domain(domain: registered.uuid, action: .validate)
            throw TestFailure(description: "validated before the TXT record was published")
        } catch CertbridgeError.Provider { /* expected */ }
        try await publishTxt(record.name, record.value)
        try expect(try await c.domain(domain: registered.uuid, action: .validate).validated, "validated")

        let key = try PrivateKey.generate(kind: .ecP256)
        let csr = try CsrBuilder().subject(attribute: "cn", value: "swift.example").dnsName(name: "swift.example").build(key: key)
        let issued = try await c.issue(product: pma, csr: csr.der())
        try expect(issued.certificate.subject == "CN=swift.example", issued.certificate.subject)
        try expect(issued.chain.certificates.first == issued.certificate, "leaf first")
        let parsed = try parseCertificate(input: Data(issued.certificate.pem.utf8))
        try expect(parsed == issued.certificate, "re-parsed leaf")
        let chain = try await c.chain(order: issued.order)
        try expect(chain.certificates.map { $0.subject } == issued.chain.certificates.map { $0.subject }, "chain")

        try await c.revokeOrder(order: issued.order, reason: .superseded)
        try expect(try await c.orderStatus(order: issued.order) == "REVOKED", "revoked")
        do {
            try await c.revokeOrder(order: issued.order, reason: .superseded)
            throw TestFailure(description: "revoked twice")
        } catch let e as CertbridgeError {
            try expect(ErrorFields(e).code == "011.354.0233", "already revoked: \(e)")
        }
    }

    /// The host-driven flow, the host answering with the built-in client's
    /// calls replaced by its own loop over `next`/`receive` (requests sent
    /// with URLSession).
    static func sansIoFlow() async throws {
        let session = try SwissSignSession.withApiKey(config: swisssignConfig(baseUrl: sim()), account: account, apiKey: apiKey)
        let c = try SwissSignClient(session: session, backoff: fast)
        let pma = try await c.clients()[0].products[0].uuid
        let registered = try await c.registerDomains(client: try await c.clients()[0].uuid, domains: ["flow.swift.example"])[0]
        try await publishTxt(registered.txtRecord!.name, registered.txtRecord!.value)
        _ = try await c.domain(domain: registered.uuid, action: .validate)

        let key = try PrivateKey.generate(kind: .ecP384)
        let csr = try CsrBuilder().subject(attribute: "cn", value: "flow.swift.example").dnsName(name: "flow.swift.example").build(key: key)
        let flow = try SwissSignIssueFlow(session: session, product: pma, csr: Data(csr.toPem().utf8), backoff: fast)
        var urls: [String] = []
        while true {
            let now = UInt64(Date().timeIntervalSince1970 * 1000)
            switch try flow.next(now: now) {
            case .send(let request):
                urls.append(request.url)
                let response = try await send(request)
                try flow.receive(response: response, now: UInt64(Date().timeIntervalSince1970 * 1000))
            case .wait(let until):
                if until > now { try await Task.sleep(nanoseconds: (until - now) * 1_000_000) }
            case .done(let issued):
                try expect(issued.certificate.subject == "CN=flow.swift.example", issued.certificate.subject)
                try expect(urls.first!.hasSuffix("/v2/issue/csr/\(pma)"), "first \(urls.first!)")
                try expect(urls.last! == "\(try sim())/v2/order/\(issued.order)/certificate/chain", "last \(urls.last!)")
                try expect(flow.status() == "ISSUED" && flow.order() == issued.order, "flow state")
                return
            }
        }
    }

    static func send(_ r: HttpRequest) async throws -> HttpResponse {
        var req = URLRequest(url: URL(string: r.url)!)
        req.httpMethod = VectorRunner.methodName(r.method)
        for h in r.headers { req.addValue(h.value, forHTTPHeaderField: h.name) }
        if !r.body.isEmpty { req.httpBody = r.body }
        return try await withCheckedThrowingContinuation { cont in
            URLSession.shared.dataTask(with: req) { data, resp, err in
                if let err = err { cont.resume(throwing: err); return }
                let http = resp as! HTTPURLResponse
                let headers = http.allHeaderFields.map { HeaderField(name: "\($0.key)", value: "\($0.value)") }
                cont.resume(returning: HttpResponse(status: UInt16(http.statusCode), headers: headers, body: data ?? Data()))
            }.resume()
        }
    }
}
