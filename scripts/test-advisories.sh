#!/usr/bin/env bash
# Proves that the advisories gate fails when a dependency has a known
# vulnerability, so a clean `cargo deny check advisories` in `./x gates`
# means something.
#
#   scripts/test-advisories.sh [DENY_TOML]   default: scripts/deny-config.sh's
#
# A throw-away crate whose Cargo.lock holds one planted entry,
# crossbeam-epoch 0.9.18 from crates.io (RUSTSEC-2026-0204, patched in
# 0.9.20). The package itself comes from a vendored directory source in the
# temp crate's .cargo/config.toml, so nothing is downloaded: cargo-deny
# matches advisories on the lockfile's name, version and source, which is
# exactly what the plant controls. The same crate without the entry is the
# control: it must pass, so the failure is the planted entry's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CFG=${1:-}
if [ -z "$CFG" ]; then
  CFG=$(scripts/deny-config.sh "$tmp/deny") || {
    echo "test-advisories: no advisory database (see scripts/deny-config.sh)" >&2
    exit 1
  }
fi
ID=RUSTSEC-2026-0204
# The plant only proves something if the database knows the advisory.
db=$(sed -n 's/^db-path = "\(.*\)"$/\1/p' "$CFG")
if ! compgen -G "$db/*/crates/crossbeam-epoch/$ID.md" >/dev/null; then
  echo "test-advisories: FAIL: $ID not in the database at $db" >&2
  exit 1
fi

# vendor/crossbeam-epoch: a minimal package with the planted name and version.
v=$tmp/vendor/crossbeam-epoch
mkdir -p "$v/src" "$tmp/app/src" "$tmp/app/.cargo"
cat >"$v/Cargo.toml" <<'EOF'
[package]
name = "crossbeam-epoch"
version = "0.9.18"
edition = "2021"
license = "MIT OR Apache-2.0"
EOF
: >"$v/src/lib.rs"
echo '{"files":{},"package":"0000000000000000000000000000000000000000000000000000000000000000"}' \
  >"$v/.cargo-checksum.json"
cat >"$tmp/app/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "planted"
[source.planted]
directory = "$tmp/vendor"
EOF
: >"$tmp/app/src/lib.rs"

# $1: dependencies section body. Prints cargo-deny's output, returns its rc.
deny_app() {
  cat >"$tmp/app/Cargo.toml" <<EOF
[package]
name = "planted-advisory"
version = "0.0.0"
edition = "2021"
publish = false
license = "Apache-2.0"
[dependencies]
$1
EOF
  rm -f "$tmp/app/Cargo.lock"
  (cd "$tmp/app" && cargo generate-lockfile --offline -q &&
     cargo deny --offline --config "$CFG" check --hide-inclusion-graph advisories 2>&1)
}

fail=0
set +e
out=$(deny_app ''); rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "test-advisories: FAIL: control crate without the plant failed (exit $rc):" >&2
  echo "$out" >&2
  fail=1
fi
set +e
out=$(deny_app 'crossbeam-epoch = "=0.9.18"'); rc=$?
set -e
grep -q 'crossbeam-epoch' "$tmp/app/Cargo.lock" || { echo "test-advisories: FAIL: no planted lockfile entry" >&2; fail=1; }
if [ "$rc" -eq 0 ]; then
  echo "test-advisories: FAIL: cargo deny passed with a known-vulnerable dependency:" >&2
  echo "$out" >&2
  fail=1
elif ! grep -q "$ID" <<<"$out" || ! grep -q 'advisories FAILED' <<<"$out"; then
  echo "test-advisories: FAIL: cargo deny failed (exit $rc) but not on $ID:" >&2
  echo "$out" >&2
  fail=1
fi
[ $fail -eq 0 ] && echo "test-advisories: ok (the planted crossbeam-epoch 0.9.18 fails with $ID; the control passes)"
exit $fail
