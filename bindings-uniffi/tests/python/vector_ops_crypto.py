"""`crypto.*` vector ops mapped onto the Python API (mirrors
core/tests/vectors/crypto.rs): certificate parsing, PKCS#7, thumbprints and
HS256 JWTs."""

from __future__ import annotations

import base64
import binascii
import json

import certbridge

import vector_runner as vr


def input_bytes(case) -> bytes:
    """`base64` decoded (garbage decodes to nothing, as in Rust), else `pem`."""
    b64 = case.opt_str("base64")
    if b64 is not None:
        try:
            return base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            return b""
    return case.str("pem").encode("utf-8")


def alt_name_json(san) -> dict:
    """An `AltName` variant (`AltName.DNS("x")`, ...) as `{type, value}`."""
    for kind in ("DNS", "EMAIL", "IP", "URI", "OTHER"):
        if getattr(san, f"is_{kind.lower()}")():
            return {"type": kind.lower(), "value": san[0]}
    raise AssertionError(f"unknown AltName {san!r}")


def certificate_json(c: certbridge.Certificate) -> dict:
    return {
        "subject": c.subject,
        "issuer": c.issuer,
        "serial_hex": c.serial_hex,
        "not_before": c.not_before,
        "not_after": c.not_after,
        "sans": [alt_name_json(s) for s in c.sans],
        "sha1_thumbprint": c.sha1_thumbprint,
        "sha256_thumbprint": c.sha256_thumbprint,
        "is_ca": c.is_ca,
        "pem": c.pem,
    }


def certificate(case):
    return vr.Value(certificate_json(certbridge.parse_certificate(input_bytes(case))))


def pkcs7(case):
    ders = certbridge.pkcs7_certificates(input_bytes(case))
    return vr.Value([certbridge.parse_certificate(d).subject for d in ders])


def thumbprints(case):
    data = input_bytes(case)
    return vr.Value({"sha1": certbridge.thumbprint_sha1(data), "sha256": certbridge.thumbprint_sha256(data)})


def jwt_hs256(case):
    claims = json.dumps(case.input.get("claims"))
    return vr.Value(certbridge.jwt_hs256(claims, case.str("key").encode("utf-8")))


OPS = {
    "certificate": certificate,
    "pkcs7": pkcs7,
    "thumbprints": thumbprints,
    "jwt_hs256": jwt_hs256,
}
