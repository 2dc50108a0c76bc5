#!/usr/bin/env bash
# End-to-end comparison with peer ACME clients, on one machine in one go:
# N certificates each (default 10) against the same local Pebble (EAB
# required, PEBBLE_VA_ALWAYS_VALID=1, PEBBLE_VA_NOSLEEP=1), one name per
# issuance and a fresh account every time, by
#   certbridge CLI         target/release/certbridge acme issue
#   certbridge library     AcmeClient, sequential and CONCURRENCY at once
#                          (tests/e2e/examples/bench_acme.rs)
#   instant-acme           the Rust crate from crates.io, same harness shape
#                          (bench/instant-acme, its own workspace and lockfile),
#                          sequential and CONCURRENCY at once
#   lego                   Debian package `lego`
#   certbot                Debian package `certbot` (N capped by CERTBOT_N)
#
#   scripts/bench-peers.sh [N]      e.g. scripts/bench-peers.sh 3 while developing
#
# Also reported when their artefacts exist (never built here: they cost
# minutes of CPU): the .wasm raw/gzip size and Node import + init time
# (scripts/bindings-wasm.sh build), the Python wheel size
# (scripts/bindings-uniffi.sh dist-python, dist/) and Python import time
# (scripts/bindings-uniffi.sh build, i.e. target/uniffi/python).
#
# Prints per-issuance medians, ratios to the certbridge CLI, HTTP requests
# per issuance counted at Pebble (its "-> calling handler()" log lines; the
# protocol minimum with a fresh account is 9: directory, nonce, newAccount,
# newOrder, authorization, challenge, finalize, order poll, certificate),
# peak RSS of the CLI and lego (/usr/bin/time -v), binary size and cold
# start. Results are for BENCHMARKS.md; nothing here asserts a target.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-10}
CONCURRENCY=${CONCURRENCY:-10}
CERTBOT_N=${CERTBOT_N:-3}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

for p in lego certbot pebble time; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

echo "=== build (release)"
cargo build -q --release -p certbridge-cli
cargo build -q --release -p certbridge-e2e --example bench_acme
# Its own workspace; --locked: the committed Cargo.lock pins the peer's version.
(cd bench/instant-acme && cargo build -q --release --locked)
CLI=$ROOT/target/release/certbridge
LIB=$ROOT/target/release/examples/bench_acme
IACME=$ROOT/bench/instant-acme/target/release/bench-instant-acme

WORK=$(mktemp -d /tmp/certbridge-bench.XXXXXX)
export CERTBRIDGE_PEBBLE_DIR=$WORK/pebble
export PEBBLE_ACME_PORT=${PEBBLE_ACME_PORT:-14700} PEBBLE_MGMT_PORT=${PEBBLE_MGMT_PORT:-15700}
export PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_ALTERNATE_ROOTS=0   # pebble.sh sets PEBBLE_VA_NOSLEEP=1
cleanup() { scripts/pebble.sh stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
scripts/pebble.sh start
eval "$(scripts/pebble.sh env)"
DIR=$CERTBRIDGE_ACME_DIRECTORY CA=$CERTBRIDGE_ACME_CA_FILE KID=$CERTBRIDGE_EAB_KID
HMAC_STD=$CERTBRIDGE_EAB_HMAC
HMAC_URL=$(printf %s "$HMAC_STD" | tr '+/' '-_' | tr -d '=')   # lego/certbot want base64url
LOG=$CERTBRIDGE_PEBBLE_DIR/pebble.log
requests() { grep -c -- '-> calling handler()' "$LOG" || true; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
RESULTS=$WORK/results.tsv   # client  ms  requests  rss_kb

# run CLIENT NAME -- command...: one timed issuance under /usr/bin/time -v.
run() {
  local client=$1 i=$2; shift 3
  local before t0 t1 rss
  before=$(requests); t0=$(now_ms)
  if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1; then
    echo "$client issuance $i failed:"; tail -20 "$WORK/out.txt"; return 1
  fi
  t1=$(now_ms)
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
  printf '%s\t%s\t%s\t%s\n' "$client" $((t1 - t0)) $(( $(requests) - before )) "$rss" >>"$RESULTS"
}

echo "=== certbridge CLI x$N"
for i in $(seq 1 "$N"); do
  run cli "$i" -- "$CLI" acme issue --directory "$DIR" --eab-kid "$KID" --eab-hmac "$HMAC_STD" \
    --ca-cert "$CA" --domain "cli-$i.example.com" --http-port 18181 --out "$WORK/cli-$i"
done

echo "=== lego x$N"
for i in $(seq 1 "$N"); do
  LEGO_CA_CERTIFICATES=$CA run lego "$i" -- lego --server "$DIR" --eab --kid "$KID" --hmac "$HMAC_URL" \
    --email bench@example.com --accept-tos --domains "lego-$i.example.com" --http \
    --http.port 127.0.0.1:18182 --path "$WORK/lego-$i" run
done

n_certbot=$(( N < CERTBOT_N ? N : CERTBOT_N ))
echo "=== certbot x$n_certbot"
for i in $(seq 1 "$n_certbot"); do
  REQUESTS_CA_BUNDLE=$CA run certbot "$i" -- certbot certonly --standalone --http-01-port 18183 \
    --http-01-address 127.0.0.1 --server "$DIR" --eab-kid "$KID" "--eab-hmac-key=$HMAC_URL" \
    -d "certbot-$i.example.com" --agree-tos -m bench@example.com --non-interactive --no-eff-email \
    --config-dir "$WORK/cb-$i/c" --work-dir "$WORK/cb-$i/w" --logs-dir "$WORK/cb-$i/l"
done

# library NAME CONCURRENCY [BINARY]: the harness prints "issuance I MS" and
# "wall MS" (certbridge's bench_acme and bench-instant-acme alike).
library() {
  local name=$1 conc=$2 bin=${3:-$LIB} before
  before=$(requests)
  "$bin" "$DIR" "$CA" "$KID" "$HMAC_STD" "$N" "$conc" "$name" >"$WORK/$name.txt"
  local reqs=$(( ($(requests) - before) ))
  awk -v c="$name" -v r="$reqs" -v n="$N" '$1=="issuance"{printf "%s\t%s\t%.1f\t\n", c, $3, r/n}' \
    "$WORK/$name.txt" >>"$RESULTS"
  sed -n "s/^wall /$name-wall\t/p" "$WORK/$name.txt" >>"$RESULTS"
}
echo "=== certbridge library sequential x$N"
library lib-seq 1
echo "=== certbridge library $CONCURRENCY concurrent x$N"
library lib-conc "$CONCURRENCY"
echo "=== instant-acme sequential x$N"
library ia-seq 1 "$IACME"
echo "=== instant-acme $CONCURRENCY concurrent x$N"
library ia-conc "$CONCURRENCY" "$IACME"

echo "=== cold start (--version, median of 5) and size"
cold() {
  local xs=() t0
  for _ in 1 2 3 4 5; do t0=$(date +%s%N); "$@" >/dev/null 2>&1; xs+=($(( ($(date +%s%N) - t0) / 1000 ))); done
  printf '%s\n' "${xs[@]}" | sort -n | sed -n 3p
}
printf 'cold-cli\t%s\n' "$(cold "$CLI" --version)" >>"$RESULTS"
printf 'cold-lego\t%s\n' "$(cold lego --version)" >>"$RESULTS"
printf 'size-cli\t%s\n' "$(stat -c %s "$CLI")" >>"$RESULTS"
printf 'size-lego\t%s\n' "$(stat -c %s "$(command -v lego)")" >>"$RESULTS"

echo "=== bindings: sizes and cold starts (when built)"
WASM=$ROOT/bindings-wasm/pkg/certbridge_wasm_bg.wasm
if [ -f "$WASM" ] && command -v node >/dev/null; then
  printf 'size-wasm\t%s\n' "$(stat -c %s "$WASM")" >>"$RESULTS"
  printf 'size-wasm-gz\t%s\n' "$(gzip -9 -c "$WASM" | wc -c)" >>"$RESULTS"
  # Import + init inside Node (the entry instantiates the .wasm synchronously),
  # and the whole process against a bare `node`: median of 5 each.
  node_import() {
    node --input-type=module -e "const t0 = performance.now();
      await import('$ROOT/bindings-wasm/index.node.js');
      console.log(Math.round((performance.now() - t0) * 1000));"
  }
  xs=(); for _ in 1 2 3 4 5; do xs+=("$(node_import)"); done
  printf 'cold-node-import\t%s\n' "$(printf '%s\n' "${xs[@]}" | sort -n | sed -n 3p)" >>"$RESULTS"
  printf 'cold-node-process\t%s\n' "$(cold node --input-type=module -e "await import('$ROOT/bindings-wasm/index.node.js')")" >>"$RESULTS"
  printf 'cold-node-bare\t%s\n' "$(cold node -e '')" >>"$RESULTS"
else
  echo "no bindings-wasm/pkg: run scripts/bindings-wasm.sh build for the wasm size and Node cold start"
fi
WHEEL=$(ls -t "$ROOT"/dist/certbridge-*_x86_64.whl 2>/dev/null | head -1 || true)
if [ -n "$WHEEL" ]; then
  printf 'size-wheel\t%s\n' "$(stat -c %s "$WHEEL")" >>"$RESULTS"
else
  echo "no wheel in dist/: run scripts/bindings-uniffi.sh dist-python for its size"
fi
if [ -d "$ROOT/target/uniffi/python" ] && [ -f "$ROOT/target/release/libcertbridge_ffi.so" ]; then
  PY=$ROOT/.venv/bin/python; [ -x "$PY" ] || PY=python3
  xs=(); for _ in 1 2 3 4 5; do
    xs+=("$(PYTHONPATH=$ROOT/target/uniffi/python "$PY" -c 'import time; t0 = time.perf_counter(); import certbridge; print(round((time.perf_counter() - t0) * 1e6))')")
  done
  printf 'cold-python-import\t%s\n' "$(printf '%s\n' "${xs[@]}" | sort -n | sed -n 3p)" >>"$RESULTS"
else
  echo "no target/uniffi/python: run scripts/bindings-uniffi.sh build for the Python import time"
fi

python3 - "$RESULTS" "$N" "$CONCURRENCY" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
n, conc = int(sys.argv[2]), int(sys.argv[3])
by = {}
for r in rows:
    by.setdefault(r[0], []).append(r[1:])
def med(client, col):
    xs = [float(r[col]) for r in by.get(client, []) if len(r) > col and r[col] != ""]
    return statistics.median(xs) if xs else None
cli = med("cli", 0)
print()
print(f"{'client':<22}{'n':>4}{'median ms':>11}{'x CLI':>8}{'req/issue':>11}{'peak RSS MB':>13}")
for c in ["cli", "lib-seq", "lib-conc", "ia-seq", "ia-conc", "lego", "certbot"]:
    if c not in by:
        continue
    m, q, rss = med(c, 0), med(c, 1), med(c, 2)
    print(f"{c:<22}{len(by[c]):>4}{m:>11.0f}{m / cli:>8.2f}{q:>11.1f}"
          + (f"{rss / 1024:>13.1f}" if rss else f"{'-':>13}"))
print(f"{'protocol minimum':<37}{9:>11}")
lego = med("lego", 0)
print()
print(f"CLI median / lego median:             {cli / lego:.2f}   (target <= 0.2)")
print(f"CLI peak RSS / lego peak RSS:         {med('cli', 2) / med('lego', 2):.2f}   (target <= 0.5)")
seq_wall = float(by["lib-seq-wall"][0][0]); conc_wall = float(by["lib-conc-wall"][0][0])
print(f"library: {n} sequential {seq_wall:.0f} ms, {n} with {conc} concurrent {conc_wall:.0f} ms")
print(f"lego sequential total / library {conc} concurrent wall: {lego * n / conc_wall:.1f}x   (target >= 5)")
print(f"cold start (--version): certbridge {float(by['cold-cli'][0][0]) / 1000:.1f} ms, lego {float(by['cold-lego'][0][0]) / 1000:.1f} ms")
print(f"binary size: certbridge {int(by['size-cli'][0][0]) / 1e6:.1f} MB, lego {int(by['size-lego'][0][0]) / 1e6:.1f} MB")
if "ia-seq" in by:
    ia = med("ia-seq", 0)
    print(f"instant-acme sequential median / certbridge library sequential median: {ia / med('lib-seq', 0):.2f}")
    iaw = float(by["ia-conc-wall"][0][0])
    print(f"instant-acme: {n} with {conc} concurrent {iaw:.0f} ms wall ({iaw / conc_wall:.2f}x certbridge's)")
def one(key):
    return float(by[key][0][0]) if key in by else None
if one("size-wasm"):
    print(f"wasm: {one('size-wasm') / 1024:.0f} KiB raw, {one('size-wasm-gz') / 1024:.0f} KiB gzip -9")
    print(f"node: import + init {one('cold-node-import') / 1000:.1f} ms; process with import "
          f"{one('cold-node-process') / 1000:.1f} ms vs bare node {one('cold-node-bare') / 1000:.1f} ms")
if one("size-wheel"):
    print(f"python wheel: {one('size-wheel') / 1e6:.2f} MB")
if one("cold-python-import"):
    print(f"python: import certbridge {one('cold-python-import') / 1000:.1f} ms")
PY
