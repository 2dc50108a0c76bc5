// swift-tools-version:5.9
// certbridge for Swift: the uniffi-generated sources (module Certbridge), the
// FFI headers as two C modules, and libcertbridge_ffi.so in lib/ (linked with
// an rpath to it). scripts/bindings-uniffi.sh assembles the package as
// target/uniffi/swift-pkg/certbridge-swift-<version>/ (dist-swift copies it
// to dist/); use it from another package with
//   .package(path: "path/to/certbridge-swift-<version>")
// and `.product(name: "Certbridge", package: "certbridge-swift-<version>")`.
import PackageDescription

// Absolute, so the library is found wherever the package directory is.
let lib = Context.packageDirectory + "/lib"

let package = Package(
    name: "Certbridge",
    products: [
        .library(name: "Certbridge", targets: ["Certbridge"]),
    ],
    targets: [
        .systemLibrary(name: "certbridgeFFI", path: "Sources/certbridgeFFI"),
        .systemLibrary(name: "certbridge_ffiFFI", path: "Sources/certbridge_ffiFFI"),
        .target(
            name: "Certbridge",
            dependencies: ["certbridgeFFI", "certbridge_ffiFFI"],
            path: "Sources/Certbridge",
            linkerSettings: [
                .linkedLibrary("certbridge_ffi"),
                .unsafeFlags(["-L", lib, "-Xlinker", "-rpath", "-Xlinker", lib]),
            ]
        ),
        .testTarget(name: "CertbridgeTests", dependencies: ["Certbridge"], path: "Tests/CertbridgeTests"),
    ]
)
