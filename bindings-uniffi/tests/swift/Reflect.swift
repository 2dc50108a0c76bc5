// Foreign records as the vectors' snake_case JSON, by Mirror reflection on
// the generated structs (camelCase labels -> snake_case); payload-less enum
// cases by name; `AltName` as `{type, value}`. Test code only: the core is
// never asked to serialise.
import Certbridge
import Foundation

enum Reflect {
    static func snake(_ name: String) -> String {
        var out = ""
        for ch in name {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    static func json(_ v: Any?) -> Any? {
        guard let v = v else { return nil }
        let mirror = Mirror(reflecting: v)
        if mirror.displayStyle == .optional {
            guard let inner = mirror.children.first else { return nil }
            return json(inner.value)
        }
        switch v {
        case is String, is Bool, is UInt64, is UInt32, is UInt16, is Int, is Int64: return v
        case let u as UInt8: return Int64(u)
        case let d as Data: return String(decoding: d, as: UTF8.self)
        case let a as [Any]: return a.map { json($0) }
        case let d as [String: Any]: return d.mapValues { json($0) }
        case let a as AltName:
            switch a {
            case .dns(let s): return ["type": "dns", "value": s]
            case .email(let s): return ["type": "email", "value": s]
            case .ip(let s): return ["type": "ip", "value": s]
            case .uri(let s): return ["type": "uri", "value": s]
            case .other(let n): return ["type": "other", "value": Int64(n)]
            }
        default: break
        }
        switch mirror.displayStyle {
        case .struct?, .class?:
            var out: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                out[snake(label)] = json(child.value) ?? NSNull()
            }
            return out
        case .enum?:
            return snake("\(v)")
        default:
            return "\(v)"
        }
    }
}
