// A SwissSign issuance against the simulator (CERTBRIDGE_SIM), from a package
// that depends on certbridge by path: register and pre-validate the domain
// through the simulated DNS, issue with a key and CSR made here, fetch the
// chain, revoke.
import Certbridge
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

func fail(_ what: String) -> Never {
    FileHandle.standardError.write(Data("FAIL \(what)\n".utf8))
    exit(1)
}

guard let sim = ProcessInfo.processInfo.environment["CERTBRIDGE_SIM"], !sim.isEmpty else { fail("CERTBRIDGE_SIM is not set") }

/// The simulator's DNS: `POST /sim/dns/txt`.
func publishTxt(_ name: String, _ value: String) async throws {
    var req = URLRequest(url: URL(string: sim + "/sim/dns/txt")!)
    req.httpMethod = "POST"
    req.setValue("application/json", forHTTPHeaderField: "Content-Type")
    req.httpBody = try JSONSerialization.data(withJSONObject: ["name": name, "value": value])
    let status: Int = try await withCheckedThrowingContinuation { cont in
        URLSession.shared.dataTask(with: req) { _, resp, err in
            if let err = err { cont.resume(throwing: err) } else { cont.resume(returning: (resp as? HTTPURLResponse)?.statusCode ?? 0) }
        }.resume()
    }
    if status >= 300 { fail("publish TXT: HTTP \(status)") }
}

let session = try SwissSignSession.withApiKey(
    config: swisssignConfig(baseUrl: sim), account: "service.account",
    apiKey: "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w")
let client = try SwissSignClient(session: session, backoff: Backoff(initialMillis: 50, maxMillis: 500, factorPercent: 150))
let first = try await client.clients()[0]
let domain = "consumer.swift.example"
let registered = try await client.registerDomains(client: first.uuid, domains: [domain])[0]
guard let record = registered.txtRecord else { fail("no TXT record") }
try await publishTxt(record.name, record.value)
if !(try await client.domain(domain: registered.uuid, action: .validate).validated) { fail("domain not validated") }

let key = try PrivateKey.generate(kind: .ecP256)
let csr = try CsrBuilder().subject(attribute: "cn", value: domain).dnsName(name: domain).build(key: key)
let issued = try await client.issue(product: first.products[0].uuid, csr: csr.der())
if issued.certificate.subject != "CN=\(domain)" { fail("subject \(issued.certificate.subject)") }
let chain = try await client.chain(order: issued.order)
if chain.certificates.count < 2 || chain.certificates.first != issued.certificate { fail("chain of \(chain.certificates.count)") }
try await client.revokeOrder(order: issued.order, reason: .superseded)
if try await client.orderStatus(order: issued.order) != "REVOKED" { fail("not revoked") }
print("Swift consumer: issued and revoked \(issued.certificate.subject) (order \(issued.order), \(chain.certificates.count) certificates)")
