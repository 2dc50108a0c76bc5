// IdenTrust issuance end to end from Swift: the simulator's reseller API
// hands out EAB credentials, Pebble (EAB required, every challenge
// accepted) issues and revokes. scripts/bindings-uniffi.sh starts
// `certbridge-sim --pebble` (CERTBRIDGE_PEERS: its JSON line's file) and
// makes the CSR with openssl on the host (CERTBRIDGE_E2E_CSR, for
// AcmeE2e.names), as the chroot has no openssl.
import Certbridge
import Foundation

final class RecordingSolver: ChallengeSolver, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var published: [ChallengeTask] = []
    private(set) var cleaned: [ChallengeTask] = []

    func publish(tasks: [ChallengeTask]) async throws { record(tasks, cleanup: false) }

    func cleanup(tasks: [ChallengeTask]) async throws { record(tasks, cleanup: true) }

    private func record(_ tasks: [ChallengeTask], cleanup: Bool) {
        lock.lock(); defer { lock.unlock() }
        if cleanup { cleaned += tasks } else { published += tasks }
    }
}

enum AcmeE2e {
    static let names = ["www.swift.example", "swift.example"]

    static func env(_ name: String) throws -> String {
        guard let v = ProcessInfo.processInfo.environment[name] else {
            throw TestFailure(description: "\(name) is not set: run through scripts/bindings-uniffi.sh")
        }
        return v
    }

    static func keysAndErrors() throws {
        do {
            _ = try AcmeEabKey(kid: "kid", hmacKey: "***")
            throw TestFailure(description: "bad HMAC key accepted")
        } catch let e as CertbridgeError {
            try expect(ErrorFields(e).field == "hmac_key", "field \(e)")
        }
        let key = AcmeAccountKey.generate()
        try expect(!"\(key)".contains("PRIVATE"), "key printed")
        try expect(try AcmeAccountKey.fromPem(pem: key.toPkcs8Pem()).thumbprint() == key.thumbprint(), "PEM round trip")
        try expect(key.alg() == "ES256", "alg")
    }

    static func identrustIssuance() async throws {
        let peersData = try Data(contentsOf: URL(fileURLWithPath: env("CERTBRIDGE_PEERS")))
        let peers = try JSONSerialization.jsonObject(with: peersData) as! [String: Any]
        let csr = try Data(contentsOf: URL(fileURLWithPath: env("CERTBRIDGE_E2E_CSR")))
        let simUrl = peers["sim_url"] as! String
        var config = defaultTransportConfig()
        config.extraRootsPem = [peers["ca_pem"] as! String]
        let solver = RecordingSolver()
        let reseller = try IdenTrustClient(environment: identrustEnvironment(resellerBase: simUrl, acmeBase: simUrl),
                                           apiKey: peers["api_key"] as! String, transportConfig: config, solver: solver)
        let account = try await reseller.createAccount(customerEmail: "customer@example.com")
        var pool: [String: String] = [:]
        for pair in peers["eab_keys"] as! [[String]] { pool[pair[0]] = pair[1] }
        try expect(pool[account.kid()] != nil, "kid \(account.kid()) not from the pool")
        try expect(account.eab().hmacKeyB64url() == pool[account.kid()], "hmac key normalised")
        let acme = try await AcmeClient.connect(
            directoryUrl: peers["directory_url"] as! String, key: AcmeAccountKey.generate(),
            account: AcmeAccountOptions(contact: ["mailto:customer@example.com"], termsOfServiceAgreed: true, eab: account.eab()),
            transportConfig: config, solver: solver)
        try expect(acme.directory()?.meta.externalAccountRequired == true, "EAB required")
        let issued = try await acme.issueFor(names: names, csr: csr)
        try expect(issued.order.status == .valid, "order \(issued.order.status)")
        try expect(issued.accountUrl == acme.accountUrl(), "account url")
        try expect(Set(issued.order.identifiers.map { $0.value }) == Set(names), "identifiers")
        try expect(try acmeChainDer(chain: issued.chain).count >= 2, "chain")
        let domains = solver.published.compactMap { t -> String? in
            if case let .http01(domain, _, _) = t { return domain }
            return nil
        }
        try expect(Set(domains) == Set(names), "solver saw \(solver.published)")
        try expect(solver.cleaned.count == solver.published.count, "cleanup")
        let found = try await acme.findAccount()
        try expect(found.url == issued.accountUrl && found.contact == ["mailto:customer@example.com"], "find account")
        try await acme.revoke(certificate: Data(issued.chain.pem.utf8), reason: 4)
        do {
            try await acme.revoke(certificate: Data(issued.chain.pem.utf8), reason: nil)
            throw TestFailure(description: "revoked twice")
        } catch let e as CertbridgeError {
            try expect(ErrorFields(e).code == "urn:ietf:params:acme:error:alreadyRevoked", "\(e)")
        }
    }
}
