#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a fixed budget and prints
# executions and crashes per target.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     default 5 (CI smoke)
#   FUZZ_TARGETS="chains eab_key" scripts/fuzz.sh 60
#   FUZZ_SANITIZER=address scripts/fuzz.sh 30   (default: none; the core is
#                                                 safe Rust, so the oracle is
#                                                 "no panic, no abort, no OOM")
#
# cargo-fuzz needs nightly flags; on a stable toolchain RUSTC_BOOTSTRAP=1
# unlocks them. The corpus starts from the shared vectors and fixtures
# (fuzz/seeds/make_corpus.py) and grows in fuzz/corpus/ (not committed).
# A crash leaves its input in fuzz/artifacts/<target>/: turn it into a unit
# test in the core next to the parser, fix the parser, and keep the input.
# Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECS=${1:-5}
SAN=${FUZZ_SANITIZER:-none}
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

if ! command -v cargo-fuzz >/dev/null; then
  echo "installing cargo-fuzz (once; takes a few minutes)"
  cargo install -q cargo-fuzz --locked
fi

targets=${FUZZ_TARGETS:-$(cd fuzz && cargo fuzz list)}
python3 fuzz/seeds/make_corpus.py "$ROOT" fuzz/corpus

t0=$(date +%s)
if [ -n "${FUZZ_TARGETS:-}" ]; then
  for t in $targets; do (cd fuzz && cargo fuzz build -O -s "$SAN" "$t"); done
else
  (cd fuzz && cargo fuzz build -O -s "$SAN")   # all targets, one cargo invocation
fi
echo "fuzz build: $(( $(date +%s) - t0 ))s"

fail=0
results=()
for t in $targets; do
  log=$(mktemp)
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  before=$(find "fuzz/artifacts/$t" -type f | wc -l)
  set +e
  (cd fuzz && cargo fuzz run -O -s "$SAN" "$t" "corpus/$t" -- \
      -max_total_time="$SECS" -print_final_stats=1 -rss_limit_mb=2048 \
      -timeout=10 -max_len=65536) >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  after=$(find "fuzz/artifacts/$t" -type f | wc -l)
  crashes=$(( after - before ))
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  if [ "$crashes" -ne 0 ]; then
    fail=1
    echo "--- $t failed (exit $rc); last lines:"; tail -30 "$log"
    find "fuzz/artifacts/$t" -type f -newer "$log" -print
  fi
  results+=("$(printf '%-22s %12s %10s %8s' "$t" "${execs:-?}" "${speed:-?}" "$crashes")")
  rm -f "$log"
done
printf '%-22s %12s %10s %8s\n' target executions exec/s crashes
printf '%s\n' "${results[@]}"
echo "fuzz: $(( $(date +%s) - t0 ))s total, ${SECS}s per target"
exit $fail
