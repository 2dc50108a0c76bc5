#!/usr/bin/env bash
# iOS: the certbridge Swift API over an XCFramework of the native library,
# as a Swift package with a `binaryTarget`. NOT RUN on the project's
# machines (no Xcode there); meant for macOS with Xcode 15 or later. It uses
# only what the tested builds use: the certbridge-ffi crate, this
# workspace's uniffi-bindgen and the Swift sources it generates (the same as
# the tested Linux Swift package).
#
#   scripts/mobile/ios.sh     -> target/mobile/ios/certbridge-ios/ (Package.swift,
#                                CertbridgeFFI.xcframework, Sources/)
#
# Needs: Xcode's command line tools, and
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/target/mobile/ios
PKG=$OUT/certbridge-ios
command -v xcodebuild >/dev/null || { echo "xcodebuild not found: this recipe needs macOS with Xcode" >&2; exit 2; }

rm -rf "$OUT"
mkdir -p "$OUT/headers" "$PKG/Sources/Certbridge"

# 1. A static library per target. The crate is a cdylib for the desktop
#    bindings; iOS apps link statically, so this asks rustc for a staticlib
#    with the same release profile.
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo rustc -q --release -p certbridge-ffi --lib --target "$t" --crate-type staticlib
done
lib=libcertbridge_ffi.a
mkdir -p "$OUT/sim"
lipo -create "target/aarch64-apple-ios-sim/release/$lib" "target/x86_64-apple-ios/release/$lib" \
  -output "$OUT/sim/$lib"

# 2. The Swift sources and C headers, generated from the host build (library
#    mode reads the metadata the library carries).
cargo build -q --release -p certbridge-ffi --lib --bins
host_lib=$ROOT/target/release/libcertbridge_ffi.dylib
(cd bindings-uniffi && "$ROOT/target/release/uniffi-bindgen" generate --no-format \
  --library "$host_lib" --language swift --out-dir "$OUT/gen")
cp "$OUT"/gen/*.swift "$PKG/Sources/Certbridge/"
cp "$OUT"/gen/*.h "$OUT/headers/"
# One module map declaring every namespace's FFI module (certbridgeFFI,
# certbridge_ffiFFI), as the generated sources import them.
for h in "$OUT"/headers/*.h; do
  m=$(basename "$h" .h)
  printf 'module %s {\n    header "%s.h"\n    export *\n}\n' "$m" "$m"
done >"$OUT/headers/module.modulemap"

# 3. The XCFramework and the package that wraps it.
xcodebuild -create-xcframework \
  -library "target/aarch64-apple-ios/release/$lib" -headers "$OUT/headers" \
  -library "$OUT/sim/$lib" -headers "$OUT/headers" \
  -output "$PKG/CertbridgeFFI.xcframework"
deps=$(for h in "$OUT"/headers/*.h; do printf '"%s", ' "$(basename "$h" .h)"; done)
cat >"$PKG/Package.swift" <<SWIFT
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "certbridge",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "Certbridge", targets: ["Certbridge"])],
    targets: [
        .binaryTarget(name: "CertbridgeFFI", path: "CertbridgeFFI.xcframework"),
        .target(name: "Certbridge", dependencies: ["CertbridgeFFI"], path: "Sources/Certbridge"),
    ]
)
SWIFT
echo "Swift package in $PKG (FFI modules: ${deps%, }); add it with .package(path:)."
