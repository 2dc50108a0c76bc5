"""Keys, CSRs, certificates and JWTs through the Python API (the vectors
cover parsing byte for byte; this covers the objects)."""

import json

import pytest

import certbridge


@pytest.mark.parametrize(
    "kind, kty",
    [
        (certbridge.KeyKind.EC_P256, "EC"),
        (certbridge.KeyKind.EC_P384, "EC"),
        (certbridge.KeyKind.RSA2048, "RSA"),
    ],
)
def test_key_round_trip_and_csr(kind, kty):
    key = certbridge.PrivateKey.generate(kind)
    pem = key.to_pkcs8_pem()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    again = certbridge.PrivateKey.from_pem(pem)
    assert again.kind() == kind
    assert again.public_key_der() == key.public_key_der()
    assert key.public_jwk()["kty"] == kty
    # The key never prints.
    assert "PRIVATE" not in repr(key) and pem.splitlines()[1] not in repr(key)
    csr = certbridge.CsrBuilder().subject("cn", "déjà.vu.example").dns_name("déjà.vu.example").ip("192.0.2.7").build(key)
    assert csr.to_pem().startswith("-----BEGIN CERTIFICATE REQUEST-----")
    assert certbridge.Csr.from_pem_or_der(csr.to_pem().encode()).der() == csr.der()


def test_bad_inputs_are_typed_errors():
    with pytest.raises(certbridge.CertbridgeError):
        certbridge.PrivateKey.from_pem("not a key")
    with pytest.raises(certbridge.CertbridgeError.Crypto):
        certbridge.pkcs7_certificates(b"\x30\x03\x02\x01\x05")
    with pytest.raises(certbridge.CertbridgeError.InvalidInput) as e:
        certbridge.jwt_hs256("[1]", b"k")
    assert e.value.field == "claims"
    with pytest.raises(certbridge.CertbridgeError):
        certbridge.Csr.from_pem_or_der(b"garbage")


def test_chain_parsing_and_jwt_round_trip():
    from vector_runner import VECTORS_DIR

    chain = (VECTORS_DIR / "fixtures/chain.pem").read_bytes()
    certs = certbridge.parse_certificates(chain)
    assert len(certs) == 3 and len(certbridge.certificates_der(chain)) == 3
    assert certs[0].issuer == certs[1].subject
    assert certbridge.certificate_pem(certbridge.certificates_der(chain)[0]) == certs[0].pem
    token = certbridge.jwt_hs256(json.dumps({"sub": "a", "exp": 2_000_000_000}), b"key")
    assert json.loads(certbridge.jwt_verify_hs256(token, b"key", 1_000_000_000_000)) == {"sub": "a", "exp": 2_000_000_000}
    with pytest.raises(certbridge.CertbridgeError.Auth):
        certbridge.jwt_verify_hs256(token, b"other", 1_000_000_000_000)
    assert json.loads(certbridge.jwt_decode_unverified(token))["sub"] == "a"
