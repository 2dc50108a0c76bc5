// swift-tools-version:5.9
// A consumer of the certbridge Swift package, by path, as a user's package
// would be. scripts/bindings-uniffi.sh test-swift points
// CERTBRIDGE_SWIFT_PACKAGE at the assembled package; by default it is the
// one `./x dist` writes.
import PackageDescription

let certbridge = Context.environment["CERTBRIDGE_SWIFT_PACKAGE"] ?? "../../../dist/certbridge-swift-0.1.0"
// A path dependency's identity is its directory's name.
let identity = String(certbridge.split(separator: "/").last ?? "certbridge-swift-0.1.0")

let package = Package(
    name: "SwissSignAtSim",
    dependencies: [
        .package(path: certbridge),
    ],
    targets: [
        .executableTarget(
            name: "SwissSignAtSim",
            dependencies: [.product(name: "Certbridge", package: identity)]
        ),
        // README.md's first Swift program.
        .executableTarget(
            name: "First",
            dependencies: [.product(name: "Certbridge", package: identity)]
        ),
    ]
)
