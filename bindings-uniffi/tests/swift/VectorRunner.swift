// Runs the shared vectors (tests/vectors/*.json) through the Swift API,
// compared as tests/vectors/README.md says. Ops dispatch by provider prefix;
// files of a supported provider run completely and an unknown op fails.
import Certbridge
import Foundation

/// A JSON value normalised for comparison: nil, Bool, Int64, Double,
/// String, [JSONValue], [String: JSONValue].
typealias JSONValue = Any?

func normalise(_ v: Any?) -> JSONValue {
    guard let v = v else { return nil }
    // An Optional boxed in Any (e.g. `s.refreshToken() as Any`): unwrap it.
    let mirror = Mirror(reflecting: v)
    if mirror.displayStyle == .optional {
        guard let inner = mirror.children.first else { return nil }
        return normalise(inner.value)
    }
    // JSON `true`/`false` read by Foundation on Linux are NSNumbers
    // (`__NSCFBoolean`) that also cast to integers: tell them by their C
    // type `c` before the number cases, or `true` would compare as 1.
    if type(of: v) is NSNumber.Type, let n = v as? NSNumber, String(cString: n.objCType) == "c" {
        return n.boolValue
    }
    switch v {
    case is NSNull: return nil
    case let s as String: return s
    // JSONSerialization's booleans are NSNumbers of type "c"; without this
    // they would match the integer cases below as 0 / 1.
    case let n as NSNumber where String(cString: n.objCType) == "c": return n.boolValue
    case let u as UInt64: return Int64(u)
    case let u as UInt32: return Int64(u)
    case let u as UInt16: return Int64(u)
    case let i as Int: return Int64(i)
    case let i as Int64: return i
    case let b as Bool: return b
    case let n as NSNumber:
        return Double(n.int64Value) == n.doubleValue ? n.int64Value : n.doubleValue
    case let a as [Any]: return a.map { normalise($0) }
    case let d as [String: Any]: return d.mapValues { normalise($0) }
    default: return "\(v)"
    }
}

func describe(_ v: JSONValue) -> String {
    guard let v = v else { return "null" }
    if let s = v as? String { return "\"\(s)\"" }
    if let a = v as? [JSONValue] { return "[" + a.map(describe).joined(separator: ",") + "]" }
    if let d = v as? [String: JSONValue] {
        return "{" + d.keys.sorted().map { "\"\($0)\":\(describe(d[$0]!))" }.joined(separator: ",") + "}"
    }
    return "\(v)"
}

func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x as String, y as String): return x == y
    case let (x as Int64, y as Int64): return x == y
    case let (x as Double, y as Double): return x == y
    case let (x as Bool, y as Bool): return x == y
    default: return false
    }
}

struct Case {
    let file: String
    let name: String
    let op: String
    let input: [String: Any]
    let response: [String: Any]?
    let expect: [String: Any]

    func str(_ key: String) -> String { input[key] as? String ?? "" }
    func optStr(_ key: String) -> String? { input[key] as? String }
    func nowMillis() -> UInt64 { UInt64((input["now"] as? NSNumber)?.int64Value ?? 0) * 1000 }

    func httpResponse() -> HttpResponse {
        let r = response ?? [:]
        var body = Data()
        if let b64 = r["body_base64"] as? String {
            body = Data(base64Encoded: b64) ?? Data()
        } else if let text = r["body"] as? String {
            body = Data(text.utf8)
        } else if let j = r["body_json"] {
            body = (try? JSONSerialization.data(withJSONObject: j, options: [.fragmentsAllowed])) ?? Data()
        }
        let headers = (r["headers"] as? [[String]] ?? []).map { HeaderField(name: $0[0], value: $0[1]) }
        return HttpResponse(status: UInt16((r["status"] as? NSNumber)?.intValue ?? 0), headers: headers, body: body)
    }
}

enum Outcome {
    case request(HttpRequest)
    case value(Any?)
}

struct UnknownOp: Error { let message: String }

/// The vector's input could not be mapped onto the API (`invalid_input`).
struct RunnerInputError: Error { let field: String; let message: String }

enum VectorRunner {
    /// Provider prefix -> op name -> op.
    static let supported: [String: [String: (Case) throws -> Outcome]] = [
        "redtrust": RedtrustOps.ops,
        "swisssign": SwissSignOps.ops,
        "crypto": CryptoOps.ops,
        "acme": AcmeOps.acme,
        "identrust": AcmeOps.identrust,
    ]

    static func providerOf(_ file: String) -> String {
        String(file.replacingOccurrences(of: ".json", with: "").split(separator: "-")[0])
    }

    static func load(_ dir: URL) throws -> ([Case], [String]) {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        var cases: [Case] = []
        var skipped: [String] = []
        for f in files {
            if supported[providerOf(f)] == nil { skipped.append(f); continue }
            let data = try Data(contentsOf: dir.appendingPathComponent(f))
            let doc = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            for c in doc["cases"] as! [[String: Any]] {
                cases.append(Case(
                    file: f, name: c["name"] as! String, op: c["op"] as! String,
                    input: c["input"] as? [String: Any] ?? [:],
                    response: c["response"] as? [String: Any],
                    expect: c["expect"] as! [String: Any]))
            }
        }
        return (cases, skipped)
    }

    static func run(_ c: Case) throws -> Outcome {
        let parts = c.op.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let op = supported[parts[0]]?[parts[1]] else {
            throw UnknownOp(message: "\(c.file): \(c.name): no Swift mapping for op \(c.op)")
        }
        return try op(c)
    }

    static func methodName(_ m: Method) -> String {
        switch m {
        case .get: return "GET"
        case .head: return "HEAD"
        case .post: return "POST"
        case .put: return "PUT"
        case .delete: return "DELETE"
        }
    }

    static func requestJSON(_ r: HttpRequest) -> JSONValue {
        normalise([
            "method": methodName(r.method),
            "url": r.url,
            "headers": r.headers.map { [$0.name, $0.value] },
            "body": String(decoding: r.body, as: UTF8.self),
        ] as [String: Any])
    }

    static func subsetDiff(_ path: String, _ expect: JSONValue, _ actual: JSONValue, _ out: inout [String]) {
        if let e = expect as? [String: JSONValue], let a = actual as? [String: JSONValue] {
            for (k, ev) in e {
                if let av = a[k] { subsetDiff("\(path).\(k)", ev, av, &out) }
                else if ev != nil { out.append("\(path).\(k): missing, expected \(describe(ev))") }
            }
        } else if let e = expect as? [JSONValue], let a = actual as? [JSONValue] {
            if e.count != a.count { out.append("\(path): expected \(e.count) items, got \(a.count)"); return }
            for i in 0..<e.count { subsetDiff("\(path)[\(i)]", e[i], a[i], &out) }
        } else if !equal(expect, actual) {
            out.append("\(path): expected \(describe(expect)), got \(describe(actual))")
        }
    }

    static func check(_ c: Case) -> [String] {
        var diffs: [String] = []
        let outcome: Outcome
        do {
            outcome = try run(c)
        } catch let e as CertbridgeError {
            let f = ErrorFields(e)
            return errorDiffs(c, ["kind": f.kind, "code": f.code, "field": f.field, "message": f.reason])
        } catch let e as RunnerInputError {
            return errorDiffs(c, ["kind": "invalid_input", "code": nil, "field": e.field, "message": e.message])
        } catch {
            return ["\(error)"]
        }
        switch outcome {
        case .request(let r):
            guard var want = c.expect["request"] as? [String: Any] else { return ["produced a request, expected \(c.expect)"] }
            if want["body"] == nil { want["body"] = "" }
            subsetDiff("request", normalise(want), requestJSON(r), &diffs)
        case .value(let v):
            guard let want = c.expect["value"] else { return ["produced a value, expected \(c.expect)"] }
            subsetDiff("value", normalise(want), normalise(v), &diffs)
        }
        return diffs
    }

    static func errorDiffs(_ c: Case, _ got: [String: Any?]) -> [String] {
        guard var want = c.expect["error"] as? [String: Any] else {
            return ["failed with \(got), expected \(c.expect)"]
        }
        var diffs: [String] = []
        let contains = want.removeValue(forKey: "message_contains") as? String
        let gotJSON = normalise(got.mapValues { $0 ?? NSNull() } as [String: Any])
        subsetDiff("error", normalise(want), gotJSON, &diffs)
        if let m = contains, !((got["message"] as? String) ?? "").contains(m) {
            diffs.append("error message \(String(describing: got["message"] ?? nil)) lacks \(m)")
        }
        return diffs
    }
}

/// The fields every CertbridgeError case carries, read uniformly.
struct ErrorFields {
    let kind: String, code: String?, field: String?, reason: String, status: UInt16?

    init(_ e: CertbridgeError) {
        switch e {
        case let .InvalidInput(kind, code, field, reason, status, _, _),
             let .Transport(kind, code, field, reason, status, _, _),
             let .HttpStatus(kind, code, field, reason, status, _, _),
             let .Provider(kind, code, field, reason, status, _, _),
             let .Auth(kind, code, field, reason, status, _, _),
             let .Protocol(kind, code, field, reason, status, _, _),
             let .Crypto(kind, code, field, reason, status, _, _),
             let .Timeout(kind, code, field, reason, status, _, _),
             let .Cancelled(kind, code, field, reason, status, _, _):
            (self.kind, self.code, self.field, self.reason, self.status) = (kind, code, field, reason, status)
        }
    }
}
