#!/usr/bin/env bash
# Android: the certbridge Kotlin API and the native library as an Android
# library (AAR). NOT RUN on the project's machines (no Android NDK or SDK
# there); meant for a machine that has them. It uses only what the tested
# builds use: the certbridge-ffi crate, the uniffi-bindgen of this workspace
# and the Kotlin sources it generates (the same as the tested JVM jar).
#
#   scripts/mobile/android.sh            -> target/mobile/android/ (Gradle module)
#   GRADLE=gradle scripts/mobile/android.sh   also runs `gradle assembleRelease`
#
# Needs: ANDROID_NDK_HOME (r26 or later), `cargo install cargo-ndk`, and
#   rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
# JNA on Android comes as its AAR (net.java.dev.jna:jna:<version>@aar), which
# carries libjnidispatch.so for every ABI; the jar's desktop natives must not
# be packaged, hence the AAR and not the jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/target/mobile/android
ABIS=(arm64-v8a armeabi-v7a x86_64)
JNA_VERSION=${JNA_VERSION:-5.19.1}  # as bindings-uniffi/jvm/pom.xml
: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to an installed NDK (r26 or later)}"
command -v cargo-ndk >/dev/null || { echo "cargo install cargo-ndk" >&2; exit 2; }

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
rm -rf "$OUT"
mkdir -p "$OUT/src/main/jniLibs" "$OUT/src/main/kotlin"

# 1. The native library per ABI (the same crate and release profile as the
#    tested desktop build; cargo-ndk only sets the NDK's linker).
ndk_args=()
for abi in "${ABIS[@]}"; do ndk_args+=(-t "$abi"); done
cargo ndk "${ndk_args[@]}" --platform 24 -o "$OUT/src/main/jniLibs" \
  build --release -p certbridge-ffi --lib

# 2. The Kotlin sources, generated from the host build exactly as for the JVM
#    jar (library mode reads the metadata the library carries).
cargo build -q --release -p certbridge-ffi --lib --bins
(cd bindings-uniffi && "$ROOT/target/release/uniffi-bindgen" generate --no-format \
  --library "$ROOT/target/release/libcertbridge_ffi.so" --language kotlin \
  --out-dir "$OUT/src/main/kotlin")

# 3. An Android library module around them.
cat >"$OUT/build.gradle.kts" <<GRADLE
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.0"
}

android {
    namespace = "dev.certbridge"
    compileSdk = 35
    defaultConfig { minSdk = 24 }
    sourceSets["main"].kotlin.srcDir("src/main/kotlin")
    sourceSets["main"].jniLibs.srcDir("src/main/jniLibs")
}

dependencies {
    implementation("net.java.dev.jna:jna:$JNA_VERSION@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
}

version = "$version"
GRADLE
cat >"$OUT/settings.gradle.kts" <<'GRADLE'
pluginManagement { repositories { google(); mavenCentral(); gradlePluginPortal() } }
dependencyResolutionManagement { repositories { google(); mavenCentral() } }
rootProject.name = "certbridge-android"
GRADLE
cat >"$OUT/src/main/AndroidManifest.xml" <<'XML'
<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <uses-permission android:name="android.permission.INTERNET" />
</manifest>
XML

if [ -n "${GRADLE:-}" ]; then
  (cd "$OUT" && "$GRADLE" assembleRelease)
  ls -l "$OUT"/build/outputs/aar/*.aar
else
  echo "Gradle module in $OUT; GRADLE=gradle $0 builds the AAR."
fi
