#!/usr/bin/env bash
# Local Pebble (Let's Encrypt's ACME test server, Debian package `pebble`)
# with External Account Binding required, for the demo and the benchmarks.
#
#   scripts/pebble.sh start   # install if missing, start, wait for the directory
#   scripts/pebble.sh env     # print shell exports (directory URL, CA file, EAB keys)
#   scripts/pebble.sh stop    # stop the Pebble this script started (by PID)
#
# State (config, TLS listener CA and certificate, PID, log) lives outside the
# repository in $CERTBRIDGE_PEBBLE_DIR (default ~/.cache/certbridge/pebble).
# Ports: $PEBBLE_ACME_PORT (14000) and $PEBBLE_MGMT_PORT (15000).
# Pebble knobs passed through: PEBBLE_WFE_NONCEREJECT (default 0 here),
# PEBBLE_VA_ALWAYS_VALID (default 1), PEBBLE_ALTERNATE_ROOTS (default 1).
set -euo pipefail

STATE=${CERTBRIDGE_PEBBLE_DIR:-$HOME/.cache/certbridge/pebble}
ACME_PORT=${PEBBLE_ACME_PORT:-14000}
MGMT_PORT=${PEBBLE_MGMT_PORT:-15000}
PIDFILE=$STATE/pebble.pid

# kid, unpadded base64url key (Pebble's form), padded standard base64
# (IdenTrust's form). The first key has '+' and '/' in its standard form.
EAB_KEYS=(
  "kid-plus-slash ----____TJLtVcEUIXDCZVuiiI7rKwM1oSSwsDW38EE ++++////TJLtVcEUIXDCZVuiiI7rKwM1oSSwsDW38EE="
  "kid-2 G-Fpb8ZgPTDismJlHSA7vYv-xatfuye-OMGXTaPdQhA G+Fpb8ZgPTDismJlHSA7vYv+xatfuye+OMGXTaPdQhA="
  "kid-3 ki1Am3O3JKMOh34MF0NtOzHi2D_6_1lyjCws9ioiw_8 ki1Am3O3JKMOh34MF0NtOzHi2D/6/1lyjCws9ioiw/8="
)

running() {
  [[ -f $PIDFILE ]] || return 1
  local pid; pid=$(cat "$PIDFILE")
  [[ -d /proc/$pid ]] && grep -q pebble "/proc/$pid/cmdline" 2>/dev/null
}

install() {
  command -v pebble >/dev/null && command -v openssl >/dev/null && command -v curl >/dev/null && return
  if [[ $(id -u) -ne 0 ]]; then
    echo "pebble/openssl/curl missing: apt-get install pebble openssl curl" >&2; exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pebble openssl curl >/dev/null
}

certificates() {
  [[ -f $STATE/cert.pem && -f $STATE/ca.pem ]] && return
  # A throw-away CA and a CA:FALSE listener certificate signed by it: rustls
  # refuses a self-signed CA certificate as a server certificate.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/CN=certbridge pebble listener CA" -keyout "$STATE/ca.key" -out "$STATE/ca.pem" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$STATE/key.pem" -out "$STATE/listener.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$STATE/ext.cnf"
  openssl x509 -req -days 30 -set_serial 1 -in "$STATE/listener.csr" -CA "$STATE/ca.pem" \
    -CAkey "$STATE/ca.key" -extfile "$STATE/ext.cnf" -out "$STATE/cert.pem" 2>/dev/null
}

config() {
  local keys="" sep=""
  for entry in "${EAB_KEYS[@]}"; do
    read -r kid url _ <<<"$entry"
    keys+="$sep\"$kid\": \"$url\""; sep=", "
  done
  cat > "$STATE/config.json" <<JSON
{"pebble": {
  "listenAddress": "127.0.0.1:$ACME_PORT",
  "managementListenAddress": "127.0.0.1:$MGMT_PORT",
  "certificate": "$STATE/cert.pem",
  "privateKey": "$STATE/key.pem",
  "httpPort": 5002,
  "tlsPort": 5001,
  "ocspResponderURL": "",
  "externalAccountBindingRequired": true,
  "externalAccountMACKeys": { $keys }
}}
JSON
}

start() {
  if running; then echo "pebble already running (pid $(cat "$PIDFILE"))"; return; fi
  install
  mkdir -p "$STATE"
  certificates
  config
  PEBBLE_VA_ALWAYS_VALID=${PEBBLE_VA_ALWAYS_VALID:-1} PEBBLE_VA_NOSLEEP=1 \
  PEBBLE_WFE_NONCEREJECT=${PEBBLE_WFE_NONCEREJECT:-0} \
  PEBBLE_ALTERNATE_ROOTS=${PEBBLE_ALTERNATE_ROOTS:-1} \
    nohup pebble -config "$STATE/config.json" >"$STATE/pebble.log" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 200); do
    if curl -sf --cacert "$STATE/ca.pem" "https://127.0.0.1:$ACME_PORT/dir" >/dev/null; then
      curl -sf --cacert "$STATE/ca.pem" "https://127.0.0.1:$MGMT_PORT/roots/0" > "$STATE/root.pem"
      echo "pebble started (pid $(cat "$PIDFILE")): https://127.0.0.1:$ACME_PORT/dir"
      return
    fi
    running || break
    sleep 0.1
  done
  echo "pebble did not start; log:" >&2; cat "$STATE/pebble.log" >&2
  stop; exit 1
}

stop() {
  if running; then
    kill "$(cat "$PIDFILE")"
    echo "pebble stopped"
  fi
  rm -f "$PIDFILE"
}

env_vars() {
  read -r kid _ std <<<"${EAB_KEYS[0]}"
  local all="" sep=""
  for entry in "${EAB_KEYS[@]}"; do read -r k _ s <<<"$entry"; all+="$sep$k:$s"; sep=","; done
  cat <<ENV
export CERTBRIDGE_ACME_DIRECTORY=https://127.0.0.1:$ACME_PORT/dir
export CERTBRIDGE_ACME_CA_FILE=$STATE/ca.pem
export CERTBRIDGE_ACME_ROOT_URL=https://127.0.0.1:$MGMT_PORT/roots/0
export CERTBRIDGE_ACME_ROOT_FILE=$STATE/root.pem
export CERTBRIDGE_EAB_KID=$kid
export CERTBRIDGE_EAB_HMAC='$std'
export CERTBRIDGE_EAB_KEYS='$all'
ENV
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  env) env_vars ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
