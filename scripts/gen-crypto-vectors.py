#!/usr/bin/env python3
"""Writes tests/vectors/crypto-certificates.json from the committed test PKI
(tests/vectors/fixtures, made by scripts/gen-crypto-fixtures.sh). Every
expected value comes from `openssl`, the independent peer: subject and
issuer (-nameopt RFC2253,-esc_msb), serial, dates, SANs and fingerprints.

    python3 scripts/gen-crypto-vectors.py
"""
import base64
import datetime
import json
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "tests/vectors/fixtures"
OUT = ROOT / "tests/vectors/crypto-certificates.json"


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, check=True,
                          capture_output=True).stdout


def field(cert, flag):
    out = openssl("x509", "-in", str(cert), "-noout", flag, "-nameopt", "RFC2253,-esc_msb")
    return out.decode("utf-8").strip().split("=", 1)[1]


def millis(text):
    t = datetime.datetime.strptime(text, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1000


def fingerprint(cert, alg):
    out = openssl("x509", "-in", str(cert), "-noout", "-fingerprint", f"-{alg}").decode()
    return out.strip().split("=", 1)[1].replace(":", "")


def sans(cert):
    out = openssl("x509", "-in", str(cert), "-noout", "-ext", "subjectAltName").decode()
    lines = out.strip().splitlines()[1:]
    result = []
    for item in " ".join(lines).split(","):
        kind, _, value = item.strip().partition(":")
        if kind == "DNS":
            result.append({"type": "dns", "value": value})
        elif kind == "email":
            result.append({"type": "email", "value": value})
        elif kind == "IP Address":
            # openssl prints IPv6 uncompressed; certbridge uses the RFC 5952 form.
            import ipaddress
            result.append({"type": "ip", "value": str(ipaddress.ip_address(value))})
    return result


def summary(cert):
    text = cert.read_text()
    return {
        "subject": field(cert, "-subject"),
        "issuer": field(cert, "-issuer"),
        "serial_hex": field(cert, "-serial").upper(),
        "not_before": millis(field(cert, "-startdate")),
        "not_after": millis(field(cert, "-enddate")),
        "sans": sans(cert),
        "sha1_thumbprint": fingerprint(cert, "sha1"),
        "sha256_thumbprint": fingerprint(cert, "sha256"),
        "is_ca": b"CA:TRUE" in openssl("x509", "-in", str(cert), "-noout", "-ext", "basicConstraints"),
        "pem": text,
    }


cases = []
for name in ["leaf", "intermediate", "root"]:
    cert = FIX / f"{name}.pem"
    expect = summary(cert)
    cases.append({"name": f"crypto/certificate/{name}-pem", "op": "crypto.certificate",
                  "input": {"pem": cert.read_text()}, "expect": {"value": expect}})
    der = openssl("x509", "-in", str(cert), "-outform", "DER")
    cases.append({"name": f"crypto/certificate/{name}-der", "op": "crypto.certificate",
                  "input": {"base64": base64.b64encode(der).decode()}, "expect": {"value": expect}})
    cases.append({"name": f"crypto/thumbprints/{name}", "op": "crypto.thumbprints",
                  "input": {"pem": cert.read_text()},
                  "expect": {"value": {"sha1": expect["sha1_thumbprint"], "sha256": expect["sha256_thumbprint"]}}})

# PKCS#7: openssl lists the certificates in the order it wrote them.
def p7_subjects(path, inform):
    out = openssl("pkcs7", "-in", str(path), "-inform", inform, "-print_certs").decode()
    pems = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", out, re.S)
    return [openssl("x509", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb",
                    data=pem.encode()).decode("utf-8").strip().split("=", 1)[1] for pem in pems]


shuffled = FIX / "chain-shuffled.p7b"
cases.append({"name": "crypto/pkcs7/der-in-sent-order", "op": "crypto.pkcs7",
              "input": {"base64": base64.b64encode(shuffled.read_bytes()).decode()},
              "expect": {"value": p7_subjects(shuffled, "DER")}})
pem7 = FIX / "chain.p7.pem"
cases.append({"name": "crypto/pkcs7/pem", "op": "crypto.pkcs7",
              "input": {"pem": pem7.read_text()}, "expect": {"value": p7_subjects(pem7, "PEM")}})
b64_body = "".join(l for l in pem7.read_text().splitlines() if not l.startswith("-----"))
cases.append({"name": "crypto/pkcs7/bare-base64", "op": "crypto.pkcs7",
              "input": {"pem": b64_body}, "expect": {"value": p7_subjects(pem7, "PEM")}})

for name, data in [
    ("empty", ""),
    ("not-base64", "this is not a certificate"),
    ("truncated-pem", "-----BEGIN CERTIFICATE-----\nMIIB\n"),
    ("sequence-but-not-a-certificate", "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n"),
]:
    cases.append({"name": f"crypto/certificate/malformed/{name}", "op": "crypto.certificate",
                  "input": {"pem": data}, "expect": {"error": {}}})
for name, data in [
    ("not-signed-data", base64.b64encode(bytes.fromhex("300d06092a864886f70d010701a000")).decode()),
    ("truncated", base64.b64encode(shuffled.read_bytes()[:100]).decode()),
    ("indefinite-length", base64.b64encode(bytes.fromhex("3080")).decode()),
]:
    cases.append({"name": f"crypto/pkcs7/malformed/{name}", "op": "crypto.pkcs7",
                  "input": {"base64": data}, "expect": {"error": {"kind": "crypto"}}})

doc = {"description": "Certificate, PKCS#7 and thumbprint parsing of the committed test PKI; "
                      "expected values from openssl (scripts/gen-crypto-vectors.py).",
       "cases": cases}
OUT.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {len(cases)} vectors to {OUT}")
