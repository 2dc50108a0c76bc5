// A Swift transport through the foreign HttpTransport protocol: a scripted
// fake Redtrust server answering a whole issuance, checked request by request.
import Certbridge
import Foundation

let csrB64 = "MAMCAQU="

func ok(_ data: String) -> HttpResponse {
    HttpResponse(status: 200, headers: [HeaderField(name: "Content-Type", value: "application/json")],
                 body: Data("{\"message\":\"ok\",\"messageType\":\"SUCCESS\",\"errorCode\":\"OK\",\"data\":\(data)}".utf8))
}

struct TestFailure: Error, CustomStringConvertible { let description: String }

func expect(_ cond: Bool, _ what: @autoclosure () -> String) throws {
    if !cond { throw TestFailure(description: what()) }
}

final class ScriptedRedtrust: HttpTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [HttpResponse]
    private(set) var sent: [HttpRequest] = []

    init(_ answers: [HttpResponse]) { self.answers = answers }

    func send(request: HttpRequest) async throws -> HttpResponse {
        try await Task.sleep(nanoseconds: 1_000) // a real suspension
        return record(request)
    }

    private func record(_ request: HttpRequest) -> HttpResponse {
        lock.lock()
        defer { lock.unlock() }
        sent.append(request)
        return answers.removeFirst()
    }
}

final class FailingTransport: HttpTransport, @unchecked Sendable {
    func send(request: HttpRequest) async throws -> HttpResponse {
        throw URLError(.networkConnectionLost)
    }
}

enum TransportTests {
    static func fullIssuance() async throws {
        let expiry = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let transport = ScriptedRedtrust([
            ok("{\"accessToken\":\"a-1\",\"refreshToken\":\"r-1\",\"expiration\":\"\(expiry)\"}"),
            ok("{\"requestCode\":\"P775\",\"csr\":\"\(csrB64)\"}"),
            ok("{\"idCertificate\":42,\"thumbprint\":\"abcdef0123456789abcdef0123456789abcdef01\"}"),
        ])
        let client = try RedtrustClient(
            config: redtrustConfig(server: "https://rt.example:8082", compat: nil), transport: transport,
            transportConfig: nil, password: RedtrustPassword(username: "app.user", password: "pw", domain: "local.users"),
            session: nil)
        let issued = try await client.issue(request: redtrustCsrRequest(dn: redtrustParseDn(text: "cn=John Doe,o=Example,c=ES")))
        try expect(issued.requestCode == "P775", "request code \(issued.requestCode)")
        try expect(issued.idCertificate == "42", "id")
        try expect(issued.thumbprint == "ABCDEF0123456789ABCDEF0123456789ABCDEF01", "thumbprint")
        let sent = transport.sent
        try expect(sent.count == 3, "3 requests, got \(sent.count)")
        try expect(sent[0].method == .post && sent[0].url == "https://rt.example:8082/raapi/v1/auth/login", "login")
        try expect(String(decoding: sent[0].body, as: UTF8.self)
                   == "{\"username\":\"app.user\",\"password\":\"pw\",\"domain\":\"local.users\"}", "login body")
        try expect(sent[1].url == "https://rt.example:8082/raapi/v1/csr/create", "create")
        try expect(sent[1].headers.last == HeaderField(name: "Authorization", value: "Bearer a-1"), "create auth")
        try expect(String(decoding: sent[1].body, as: UTF8.self) ==
                   "{\"dn\":[{\"attribute\":\"cn\",\"value\":\"John Doe\"},{\"attribute\":\"o\",\"value\":\"Example\"}," +
                   "{\"attribute\":\"c\",\"value\":\"ES\"}],\"hashType\":\"SHA384\",\"keyLength\":2048,\"keyType\":\"RSA\"," +
                   "\"provider\":\"CAMERFIRMA\"}", "create body")
        try expect(sent[2].method == .put && sent[2].url == "https://rt.example:8082/raapi/v1/csr/finalize", "finalize")
        try expect(String(decoding: sent[2].body, as: UTF8.self) == "{\"provider\":\"CAMERFIRMA\",\"requestCode\":\"P775\"}",
                   "finalize body")
        try expect(client.session()?.accessToken() == "a-1", "session kept")
        try expect(!"\(client.session()!)".contains("a-1"), "session printed redacted")
    }

    static func transportFailureIsTyped() async throws {
        let client = try RedtrustClient(
            config: redtrustConfig(server: "https://rt.example:8082", compat: nil), transport: FailingTransport(),
            transportConfig: nil, password: RedtrustPassword(username: "u", password: "p", domain: nil), session: nil)
        do {
            _ = try await client.login()
            throw TestFailure(description: "login through a failing transport succeeded")
        } catch CertbridgeError.Transport(let kind, _, _, _, _, _, _) {
            try expect(kind == "transport", "kind \(kind)")
        }
    }

    static func sansIoFlow() throws {
        var answers = [
            ok("{\"accessToken\":\"a-1\",\"expiration\":\"2100-01-01T00:00:00Z\"}"),
            ok("{\"requestCode\":\"P1\",\"csr\":\"\(csrB64)\"}"),
            ok("{\"idCertificate\":\"7\",\"thumbprint\":\"ABCDEF0123456789ABCDEF0123456789ABCDEF01\"}"),
        ]
        let flow = RedtrustIssueFlow(
            config: try redtrustConfig(server: "https://rt.example:8082", compat: nil),
            credentials: .tempToken(token: "tkn-1"),
            request: redtrustCsrRequest(dn: [DnEntry(attribute: "cn", value: "John Doe")]), finalizeData: nil)
        let now: UInt64 = 1_744_719_496_000
        var urls: [String] = []
        loop: while true {
            switch try flow.next(now: now) {
            case .send(let request):
                urls.append(request.url)
                try flow.receive(response: answers.removeFirst(), now: now)
            case .done(let issued):
                try expect(issued.idCertificate == "7", "flow id")
                break loop
            case .wait:
                throw TestFailure(description: "unexpected wait")
            }
        }
        try expect(urls == ["https://rt.example:8082/authapi/v1/login_by_temp_token",
                            "https://rt.example:8082/raapi/v1/csr/create",
                            "https://rt.example:8082/raapi/v1/csr/finalize"], "flow urls \(urls)")
    }

    static func errorKinds() throws {
        do {
            _ = try redtrustLoginUrl(config: redtrustConfig(server: "https://rt.example:8082", compat: nil),
                                     partner: "ca-demo", hmacKey: "k", redirectUrl: "https://a.example/", now: 1000, domain: nil)
            throw TestFailure(description: "bad partner accepted")
        } catch CertbridgeError.InvalidInput(_, _, let field, _, _, _, _) {
            try expect(field == "partner", "field \(String(describing: field))")
        }
        let body = "{\"message\":\"DN not allowed\",\"messageType\":\"ERROR\",\"errorCode\":\"INVALID_DN\",\"data\":null}"
        do {
            _ = try redtrustParseCreateCsr(response: HttpResponse(status: 400, headers: [], body: Data(body.utf8)),
                                           sent: redtrustCsrRequest(dn: []))
            throw TestFailure(description: "error envelope accepted")
        } catch CertbridgeError.Provider(_, let code, _, _, let status, _, _) {
            try expect(code == "INVALID_DN" && status == 400, "provider \(String(describing: code))")
        }
    }
}
