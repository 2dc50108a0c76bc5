#!/usr/bin/env bash
# Makes the committed test PKI in tests/vectors/fixtures/ with openssl:
# a root CA, an intermediate CA and a leaf with DNS (IDN), email and IP SANs,
# plus the chain as PKCS#7 (DER and PEM) the way `openssl crl2pkcs7` writes it.
# Run once; the vectors compare against these exact files.
#   scripts/gen-crypto-fixtures.sh && python3 scripts/gen-crypto-vectors.py && python3 scripts/gen-swisssign-vectors.py
# (the certificates carry fresh dates and keys, so the vectors must follow).
set -euo pipefail
cd "$(dirname "$0")/../tests/vectors/fixtures"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
ec "$tmp/root.key"; ec "$tmp/int.key"; ec "$tmp/leaf.key"
openssl req -x509 -new -key "$tmp/root.key" -sha256 -days 7300 -set_serial 1 \
  -subj "/C=CH/O=certbridge Test/CN=certbridge Test Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -out root.pem
openssl req -new -key "$tmp/int.key" -subj "/C=CH/O=certbridge Test/OU=Issuing/CN=certbridge Test Issuing CA" -out "$tmp/int.csr"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > "$tmp/int.ext"
openssl x509 -req -in "$tmp/int.csr" -CA root.pem -CAkey "$tmp/root.key" -set_serial 0x1002 \
  -days 3650 -sha256 -extfile "$tmp/int.ext" -out intermediate.pem
openssl req -new -key "$tmp/leaf.key" -utf8 \
  -subj "/C=CH/L=Lausanne/O=Déjà Vu AG/CN=déjà.vu.com" -out "$tmp/leaf.csr"
printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:xn--dj-kia8a.vu.com,DNS:*.vu.com,email:ops@vu.com,IP:192.0.2.7,IP:2001:db8::7\n' > "$tmp/leaf.ext"
openssl x509 -req -in "$tmp/leaf.csr" -CA intermediate.pem -CAkey "$tmp/int.key" \
  -set_serial 0x8A3893409CB666E1F092B7B6F28E1EAF4582AA7F -days 397 -sha256 \
  -extfile "$tmp/leaf.ext" -out leaf.pem
cat leaf.pem intermediate.pem root.pem > chain.pem
# Root first on purpose: the parser must put the leaf first itself.
openssl crl2pkcs7 -nocrl -certfile root.pem -certfile leaf.pem -certfile intermediate.pem -outform DER -out chain-shuffled.p7b
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7.pem
# A CSR as an application would send it to /v2/issue/csr/{pma}.
openssl req -new -key "$tmp/leaf.key" -subj "/C=CH/L=Lausanne/CN=www.vu.com" \
  -addext subjectAltName=DNS:www.vu.com -out request.csr.pem
