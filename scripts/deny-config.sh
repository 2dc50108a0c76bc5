#!/usr/bin/env bash
# Prepares the cargo-deny configuration the gates run with, and the RustSec
# advisory database it points at, without touching the network.
#
#   scripts/deny-config.sh OUTDIR     writes OUTDIR/deny.toml, prints its path
#
# The database, first found wins:
#   1. CERTBRIDGE_ADVISORY_DB, or ~/.cargo/advisory-db (`cargo deny fetch`):
#      a fresher clone; deny.toml's staleness limit applies unchanged.
#   2. The snapshot ../shared/advisory-db.tar.gz (a shallow git clone;
#      CERTBRIDGE_ADVISORY_SNAPSHOT overrides the path): unpacked into
#      OUTDIR (the shared folder is read-only), its commit date printed,
#      and `maximum-db-staleness` set to the snapshot's age plus a margin,
#      so an old snapshot is used knowingly instead of failing as stale.
# Exit status 3 when neither exists (the caller decides how loud to be).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${1:?usage: scripts/deny-config.sh OUTDIR}
mkdir -p "$OUT"
CFG=$OUT/deny.toml
# The margin covers a CI run that starts just before midnight and a day or
# two between a snapshot refresh and the next run; it never hides a database
# that is months older than the date printed here.
MARGIN_DAYS=${CERTBRIDGE_ADVISORY_MARGIN_DAYS:-2}

db=${CERTBRIDGE_ADVISORY_DB:-$HOME/.cargo/advisory-db}
snapshot=${CERTBRIDGE_ADVISORY_SNAPSHOT:-$ROOT/../shared/advisory-db.tar.gz}
staleness=
# A clone holds crates/; a failed `cargo deny fetch` leaves only db.lock.
if compgen -G "$db/*/crates" >/dev/null; then
  echo "advisory database: $db" >&2
elif [ -f "$snapshot" ]; then
  db=$OUT/advisory-dbs
  mkdir -p "$db"
  # --no-same-owner: as root, tar would keep the packer's uid and git (and
  # cargo-deny's gix) would then refuse the repository as foreign.
  tar xzf "$snapshot" -C "$db" --no-same-owner
  # cargo-deny looks for the default database under a folder named after a
  # hash of its URL (https://github.com/rustsec/advisory-db).
  mv "$db/advisory-db" "$db/advisory-db-3157b0e258782691"
  when=$(git -c safe.directory='*' -C "$db/advisory-db-3157b0e258782691" log -1 --format=%cI)
  age_days=$(( ($(date +%s) - $(date -d "$when" +%s)) / 86400 ))
  staleness="P$(( age_days + MARGIN_DAYS ))D"
  echo "advisory database: snapshot $snapshot, commit date $when" \
       "($age_days days old; maximum-db-staleness $staleness)" >&2
else
  exit 3
fi

# deny.toml names ~/.cargo/advisory-db; the copy points at the database found.
sed -e "s|^db-path = .*|db-path = \"$db\"|" -e '/^maximum-db-staleness *=/d' deny.toml >"$CFG"
if [ -n "$staleness" ]; then
  sed -i "/^\[advisories\]/a maximum-db-staleness = \"$staleness\"" "$CFG"
fi
echo "$CFG"
