#!/usr/bin/env bash
# Build and test the npm package (bindings-wasm/). ./x and .ci/run call it.
#
#   scripts/bindings-wasm.sh deps          install what is missing (idempotent)
#   scripts/bindings-wasm.sh check         cargo check of the core for wasm32,
#                                          with and without the client feature,
#                                          and clippy -D warnings of the binding
#   scripts/bindings-wasm.sh check-core    after `build`: cargo check of the core
#                                          without features for wasm32, and clippy
#                                          of the binding, same profile
#   scripts/bindings-wasm.sh build         .wasm (size profile) + JS glue (ESM and
#                                          CommonJS) in bindings-wasm/pkg
#   scripts/bindings-wasm.sh dist          build, then `npm pack` into dist/ as
#                                          certbridge-<version>.tgz and
#                                          `npm publish --dry-run` of it
#   scripts/bindings-wasm.sh test          dist, then every suite against the
#                                          tarball installed with `npm install`
#                                          in a fresh directory outside the tree:
#                                          node --test suites, ESM and CJS
#                                          smoke, tsc (node16, bundler), Chromium
#                                          (import map, Vite build + dev server,
#                                          webpack, esbuild)
#   scripts/bindings-wasm.sh test-node     dist, then only the node --test suites
#   scripts/bindings-wasm.sh test-browser  dist, then only the Chromium suites
#   scripts/bindings-wasm.sh size          raw and gzip size of the .wasm
#
# wasm32 needs Debian's rustc-web (1.96, with std sources) and build-std: the
# rustup toolchain has no wasm32 target here (shared/TOOLCHAIN.md). Artefacts
# go to target/wasm so the two compilers never share a target dir. Every stage
# prints its wall time; any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PKG=$ROOT/bindings-wasm
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_DIR=${CERTBRIDGE_WASM_TARGET_DIR:-$ROOT/target/wasm}
PROFILE=wasm-release
WASM=$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/certbridge_wasm.wasm
# The CLI must be exactly the wasm-bindgen crate version pinned in Cargo.toml.
WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' "$PKG/Cargo.toml")

stage_start=0
stage() { stage_name=$1; stage_start=$(date +%s); echo; echo "=== wasm: $stage_name"; }
stage_end() { echo "=== wasm: $stage_name: $(( $(date +%s) - stage_start ))s"; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Debian's rustc-web ships no `rust-lld`: link with lld-22's wasm-ld directly.
WASM_LD=/usr/lib/llvm-22/bin/wasm-ld

wasm_cargo() {
  local cmd=$1; shift
  RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=$TARGET_DIR \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$WASM_LD \
    /usr/bin/cargo "$cmd" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort "$@"
}

have_wasm_bindgen() {
  command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WB_VERSION" ]
}

cmd_deps() {
  stage "deps"
  apt_install rustc-web cargo-web rust-web-src lld-22 chromium
  # End-to-end peers: Pebble (ACME, EAB required) with an openssl-made CA.
  apt_install pebble openssl
  [ -n "$WB_VERSION" ] || { echo "no exact wasm-bindgen pin in bindings-wasm/Cargo.toml" >&2; exit 2; }
  if ! have_wasm_bindgen; then
    command -v cargo >/dev/null || { echo "cargo (rustup) is needed to install wasm-bindgen-cli" >&2; exit 2; }
    echo "installing wasm-bindgen-cli $WB_VERSION (a few minutes, once)"
    cargo install -q wasm-bindgen-cli --version "=$WB_VERSION"
    export PATH="$HOME/.cargo/bin:$PATH"
    have_wasm_bindgen || { echo "wasm-bindgen $WB_VERSION is not on PATH after install" >&2; exit 2; }
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    echo "Node.js >= 20 is required (found: $(node --version 2>/dev/null || echo none))" >&2
    exit 2
  fi
  # npm ci only when node_modules does not match the lock file.
  if ! cmp -s "$PKG/package-lock.json" "$PKG/node_modules/.package-lock.json.certbridge" 2>/dev/null; then
    (cd "$PKG" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$PKG/package-lock.json" "$PKG/node_modules/.package-lock.json.certbridge"
  fi
  stage_end
}

cmd_check() {
  stage "cargo check certbridge (wasm32, no features)"
  wasm_cargo check -q -p certbridge
  stage_end
  stage "cargo check certbridge (wasm32, client)"
  wasm_cargo check -q -p certbridge --features client
  stage_end
  # The binding is empty on native targets, so the workspace clippy does not
  # see it: lint it for wasm32 with Debian's clippy for rustc-web (first on
  # PATH so `cargo clippy` does not pick rustup's, which has no wasm32 std).
  apt_install rust-web-clippy
  stage "cargo clippy certbridge-wasm (wasm32)"
  PATH=/usr/bin:$PATH wasm_cargo clippy -q -p certbridge-wasm --profile "$PROFILE" -- -D warnings
  stage_end
}

# The gate "the core compiles for wasm32" (./x test runs it after `build`).
# `build` compiles the core with `client` only; this checks it without
# features. A plain `check` (dev profile, with and without client) re-did
# the host proc-macros and build scripts and type-checked everything twice
# (~16 min here). With the package's target dir, profile and -Zbuild-std
# flags, the proc-macros and build scripts of `build` are reused; std and
# the dependencies are only type-checked (no codegen): ~1.1 min of CPU.
# (`build` of the same crate would not reuse `build`'s std either: the
# package's cdylib is LTO-linked, so its std is compiled as bitcode.)
cmd_check_core() {
  stage "cargo check certbridge (wasm32, no features, $PROFILE)"
  wasm_cargo check -q -p certbridge --profile "$PROFILE"
  stage_end
  # The binding is empty on native targets, so the workspace clippy does not
  # see it: lint it here, reusing the type-checked std and dependencies.
  apt_install rust-web-clippy
  stage "cargo clippy certbridge-wasm (wasm32, $PROFILE)"
  PATH=/usr/bin:$PATH wasm_cargo clippy -q -p certbridge-wasm --profile "$PROFILE" -- -D warnings
  stage_end
}

built=0
cmd_build() {
  [ $built -eq 1 ] && return 0
  stage "cargo build certbridge-wasm ($PROFILE)"
  wasm_cargo build -q -p certbridge-wasm --profile "$PROFILE"
  stage_end
  stage "wasm-bindgen --target web"
  rm -rf "$PKG/pkg"
  # The name section (function names for stack traces) is as large as the
  # code itself: browsers download every byte, so it goes unless
  # CERTBRIDGE_WASM_KEEP_NAMES=1 (debugging).
  local names=(--remove-name-section --remove-producers-section)
  [ "${CERTBRIDGE_WASM_KEEP_NAMES:-0}" = 1 ] && names=()
  wasm-bindgen --target web "${names[@]}" --out-dir "$PKG/pkg" --out-name certbridge_wasm "$WASM"
  stage_end
  stage "CommonJS glue (esbuild) and its declarations"
  # One wasm, one glue: the `web` glue takes the module from its caller, so
  # the CommonJS entry (index.node.cjs) uses the same glue converted to
  # CommonJS, with the same .wasm. Only `init`'s unused default path reads
  # import.meta (empty in CommonJS), hence the silenced warning.
  local esbuild=$PKG/node_modules/esbuild/bin/esbuild
  "$esbuild" "$PKG/pkg/certbridge_wasm.js" --format=cjs --platform=node --log-level=warning \
    --log-override:empty-import-meta=silent --outfile="$PKG/pkg/certbridge_wasm.cjs"
  "$esbuild" "$PKG/js/errors.js" --format=cjs --platform=node --log-level=warning --outfile="$PKG/pkg/errors.cjs"
  cp "$PKG/pkg/certbridge_wasm.d.ts" "$PKG/pkg/certbridge_wasm.d.cts"
  # The `require` types: index.d.ts with its imports pointing at the .cjs glue.
  sed 's#\./pkg/certbridge_wasm\.js#./certbridge_wasm.cjs#' "$PKG/index.d.ts" >"$PKG/pkg/index.d.cts"
  grep -q "certbridge_wasm.cjs" "$PKG/pkg/index.d.cts" || { echo "index.d.ts no longer imports ./pkg/certbridge_wasm.js" >&2; exit 1; }
  stage_end
  built=1
}

# The workspace version (Cargo.toml [workspace.package]): every artifact's.
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml")
DIST=$ROOT/dist
TGZ=$DIST/certbridge-$VERSION.tgz

# The npm package, packed from a staging copy whose package.json carries the
# workspace version and neither scripts nor devDependencies (the build and
# test tools are this repository's, not the users').
disted=0
cmd_dist() {
  [ $disted -eq 1 ] && return 0
  [ -n "$VERSION" ] || { echo "no version in Cargo.toml [workspace.package]" >&2; exit 2; }
  cmd_build
  stage "npm pack -> dist/certbridge-$VERSION.tgz"
  local stage_dir=$TARGET_DIR/npm/certbridge
  rm -rf "$stage_dir" && mkdir -p "$stage_dir" "$DIST"
  cp -r "$PKG/README.md" "$PKG/index.node.js" "$PKG/index.node.cjs" "$PKG/index.browser.js" \
    "$PKG/index.d.ts" "$PKG/js" "$PKG/pkg" "$stage_dir/"
  VERSION=$VERSION node -e '
    const fs = require("node:fs");
    const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    p.version = process.env.VERSION;
    delete p.scripts;
    delete p.devDependencies;
    fs.writeFileSync(process.argv[2], JSON.stringify(p, null, 2) + "\n");
  ' "$PKG/package.json" "$stage_dir/package.json"
  rm -f "$TGZ"
  (cd "$stage_dir" && npm pack --silent --pack-destination "$DIST" >/dev/null)
  [ -f "$TGZ" ] || { echo "npm pack did not write $TGZ" >&2; exit 1; }
  # Every file the exports map and the entries name is in the tarball.
  local listed; listed=$(tar tzf "$TGZ")
  for f in package.json README.md index.node.js index.node.cjs index.browser.js index.d.ts js/errors.js \
    pkg/certbridge_wasm.js pkg/certbridge_wasm.cjs pkg/certbridge_wasm.d.ts pkg/certbridge_wasm.d.cts \
    pkg/certbridge_wasm_bg.wasm pkg/errors.cjs pkg/index.d.cts; do
    grep -qx "package/$f" <<<"$listed" || { echo "$TGZ lacks $f" >&2; exit 1; }
  done
  echo "$(basename "$TGZ"): $(stat -c %s "$TGZ") bytes, $(wc -l <<<"$listed") files"
  stage_end
  stage "npm publish --dry-run"
  # Clean means: exit 0 and no warning (npm warns about every manifest field
  # it would have to correct, and about files it cannot pack) but the one
  # that says this machine holds no registry login.
  local out
  out=$(cd "$stage_dir" && npm publish --dry-run --tag dry-run 2>&1) || { echo "$out" >&2; exit 1; }
  if grep -i "warn" <<<"$out" | grep -qv "requires you to be logged in"; then echo "$out" >&2; echo "npm publish --dry-run warned" >&2; exit 1; fi
  grep -E "name:|version:|package size:|unpacked size:|total files:" <<<"$out" || true
  stage_end
  disted=1
}

# The consumer: a fresh directory outside the repository with the tarball
# installed by `npm install`, and a copy of tests/ (they import `certbridge`
# by name, so they get the installed package). The test tools (playwright,
# typescript, vite, webpack, esbuild; bindings-wasm/package-lock.json) are
# found one level up through a symlink to the `npm ci`-ed node_modules, so
# nothing but the tarball is installed per run. CERTBRIDGE_ROOT tells the
# tests where the shared vectors, the examples and the simulator are.
APP=
consumer() {
  [ -n "$APP" ] && return 0
  cmd_dist
  stage "npm install dist/$(basename "$TGZ") into a fresh directory"
  local work; work=$(mktemp -d "${TMPDIR:-/tmp}/certbridge-npm-XXXXXX")
  trap 'rm -rf "'"$work"'"' EXIT
  ln -s "$PKG/node_modules" "$work/node_modules"
  APP=$work/app
  mkdir -p "$APP"
  printf '{ "name": "certbridge-consumer", "private": true, "type": "module" }\n' >"$APP/package.json"
  (cd "$APP" && npm install --no-audit --no-fund --loglevel=error "$TGZ")
  [ -f "$APP/node_modules/certbridge/pkg/certbridge_wasm_bg.wasm" ] || { echo "npm install left no .wasm" >&2; exit 1; }
  cp -r "$PKG/tests" "$APP/tests"
  export CERTBRIDGE_ROOT=$ROOT
  echo "installed in $APP"
  stage_end
}

# The simulator the end-to-end and browser tests start (tests/support/
# peers.js): `cargo build` reuses an up-to-date build (`./x test` has made
# one by then) in well under a second, and rebuilds a stale one.
sim_ready=0
ensure_sim() {
  [ -n "${CERTBRIDGE_SIM_BIN:-}" ] && return 0
  [ $sim_ready -eq 1 ] && return 0
  stage "cargo build certbridge-sim"
  cargo build -q -p certbridge-sim --bin certbridge-sim
  stage_end
  export CERTBRIDGE_SIM_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/certbridge-sim
  sim_ready=1
}

cmd_test_node() {
  consumer
  ensure_sim
  stage "node --test (installed package)"
  (cd "$APP" && node --test tests/*.test.js)
  stage_end
  stage "node smoke: ESM import and CommonJS require"
  (cd "$APP" && node tests/consumer/smoke.mjs && node tests/consumer/smoke.cjs)
  stage_end
}

cmd_test_browser() {
  consumer
  ensure_sim
  stage "browser: headless Chromium (import map, example page)"
  (cd "$APP" && node --test tests/browser/browser.test.js)
  stage_end
  stage "browser: bundles (Vite build and dev server, webpack, esbuild) in Chromium"
  (cd "$APP" && node --test tests/browser/bundlers.test.js)
  stage_end
}

cmd_size() {
  cmd_build
  local f=$PKG/pkg/certbridge_wasm_bg.wasm raw gz
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  echo "certbridge_wasm_bg.wasm: raw $raw bytes ($(( raw / 1024 )) KiB), gzip -9 $gz bytes ($(( gz / 1024 )) KiB)"
}

case "${1:-}" in
  deps) cmd_deps ;;
  check) cmd_deps; cmd_check ;;
  check-core) cmd_deps; cmd_check_core ;;
  build) cmd_deps; cmd_build ;;
  dist) cmd_deps; cmd_dist ;;
  test-node) cmd_deps; cmd_test_node ;;
  test-browser) cmd_deps; cmd_test_browser ;;
  test) cmd_deps; cmd_test_node; cmd_test_browser ;;
  size) cmd_deps; cmd_size ;;
  *) sed -n '2,25p' "$0"; exit 2 ;;
esac
