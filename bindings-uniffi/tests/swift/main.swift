// Swift test program: the shared vectors, then the transport and flow
// tests; prints one line per failure and a closing `N passed, M failed`.
import Foundation

let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CERTBRIDGE_VECTORS"] ?? "tests/vectors")
var passed = 0
var failed = 0
let (cases, skipped) = try VectorRunner.load(dir)
if cases.count < 70 { print("FAIL only \(cases.count) supported vectors found in \(dir.path)"); failed += 1 }
for c in cases {
    let diffs = VectorRunner.check(c)
    if diffs.isEmpty { passed += 1 } else { failed += 1; print("FAIL \(c.name): \(diffs.joined(separator: "; "))") }
}
// An op this runner does not know must fail, not be skipped.
do {
    _ = try VectorRunner.run(Case(file: "redtrust.json", name: "x", op: "redtrust.no_such_op", input: [:], response: nil, expect: [:]))
    failed += 1; print("FAIL unknown op was accepted")
} catch is UnknownOp { passed += 1 }

let tests: [(String, () async throws -> Void)] = [
    ("swift/transport/full-issuance", TransportTests.fullIssuance),
    ("swift/transport/failure-is-typed", TransportTests.transportFailureIsTyped),
    ("swift/flow/sans-io", { try TransportTests.sansIoFlow() }),
    ("swift/errors/typed", { try TransportTests.errorKinds() }),
    ("swift/swisssign-sim/issue-chain-revoke", SwissSignSimTests.issueChainRevoke),
    ("swift/swisssign-sim/sans-io-flow", SwissSignSimTests.sansIoFlow),
    ("swift/acme/keys-and-errors", { try AcmeE2e.keysAndErrors() }),
    ("swift/identrust/issue-at-pebble", AcmeE2e.identrustIssuance),
]
for (name, test) in tests {
    do { try await test(); passed += 1 } catch { failed += 1; print("FAIL \(name): \(error)") }
}
if !skipped.isEmpty { print("skipped files of providers not bound yet: \(skipped.joined(separator: ", "))") }
print("\(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
