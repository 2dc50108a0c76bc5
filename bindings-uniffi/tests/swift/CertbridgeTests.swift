// The Swift suite as XCTest cases, run by `swift test` of the assembled
// package: the shared vectors, then the transport and flow tests, SwissSign
// at the simulator and IdenTrust at Pebble. scripts/bindings-uniffi.sh sets
// CERTBRIDGE_VECTORS, CERTBRIDGE_SIM, CERTBRIDGE_PEERS, CERTBRIDGE_E2E_CSR.
import Certbridge
import Foundation
import XCTest

final class CertbridgeTests: XCTestCase {
    func testVectors() throws {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CERTBRIDGE_VECTORS"] ?? "tests/vectors")
        let (cases, skipped) = try VectorRunner.load(dir)
        XCTAssertGreaterThanOrEqual(cases.count, 70, "supported vectors found in \(dir.path)")
        var passed = 0
        for c in cases {
            let diffs = VectorRunner.check(c)
            if diffs.isEmpty { passed += 1 } else { XCTFail("\(c.file): \(c.name): \(diffs.joined(separator: "; "))") }
        }
        if !skipped.isEmpty { print("skipped files of providers not bound yet: \(skipped.joined(separator: ", "))") }
        print("vectors: \(passed) of \(cases.count) passed")
    }

    /// An op this runner does not know must fail, not be skipped.
    func testUnknownOpFails() {
        XCTAssertThrowsError(try VectorRunner.run(Case(file: "redtrust.json", name: "x", op: "redtrust.no_such_op", input: [:], response: nil, expect: [:]))) {
            XCTAssertTrue($0 is UnknownOp, "\($0)")
        }
    }

    func testTransportFullIssuance() async throws { try await TransportTests.fullIssuance() }
    func testTransportFailureIsTyped() async throws { try await TransportTests.transportFailureIsTyped() }
    func testFlowSansIo() throws { try TransportTests.sansIoFlow() }
    func testErrorsTyped() throws { try TransportTests.errorKinds() }
    func testSwissSignSimIssueChainRevoke() async throws { try await SwissSignSimTests.issueChainRevoke() }
    func testSwissSignSimSansIoFlow() async throws { try await SwissSignSimTests.sansIoFlow() }
    func testAcmeKeysAndErrors() throws { try AcmeE2e.keysAndErrors() }
    func testIdenTrustIssueAtPebble() async throws { try await AcmeE2e.identrustIssuance() }
}
