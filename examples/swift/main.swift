// Builds a Redtrust HMAC login URL, then issues a certificate through a
// host-supplied transport (a stand-in answering like a Redtrust server), with
// the certbridge Swift bindings. Run: scripts/bindings-uniffi.sh examples
import Foundation

/// Your own HTTP stack goes here (URLSession...).
final class DemoTransport: HttpTransport, @unchecked Sendable {
    private var answers = [
        "{\"accessToken\":\"demo-access\",\"refreshToken\":\"demo-refresh\",\"expiration\":\"2100-01-01T00:00:00Z\"}",
        "{\"requestCode\":\"P775W98SSW4Z1774PMZU\",\"csr\":\"MAMCAQU=\"}",
        "{\"idCertificate\":1234,\"thumbprint\":\"38cebdc83399e7dfb7874b9b5fa732a1e270a5d2\"}",
    ]

    func send(request: HttpRequest) async throws -> HttpResponse {
        print("  -> \(request.method) \(request.url)")
        let body = "{\"message\":\"ok\",\"messageType\":\"SUCCESS\",\"errorCode\":\"OK\",\"data\":\(answers.removeFirst())}"
        return HttpResponse(status: 200, headers: [], body: Data(body.utf8))
    }
}

let config = try redtrustConfig(server: "https://redtrust.example:8082")
let login = try redtrustLoginUrl(config: config, partner: "ca_demo", hmacKey: "shared-secret-key",
                                 redirectUrl: "https://app.example/callback",
                                 now: UInt64(Date().timeIntervalSince1970 * 1000))
print("redirect the user to: \(login.url)")

let client = try RedtrustClient(config: config, transport: DemoTransport(),
                                password: RedtrustPassword(username: "app", password: "pw"))
do {
    let issued = try await client.issue(request: redtrustCsrRequest(dn: redtrustParseDn(text: "cn=John Doe,o=Example,c=ES")))
    print("issued certificate \(issued.idCertificate ?? "?") thumbprint \(issued.thumbprint ?? "?")")
} catch let CertbridgeError.Provider(_, code, _, reason, _, _, _) {
    print("provider refused: \(code ?? "") \(reason)")
}
