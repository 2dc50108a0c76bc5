#!/usr/bin/env python3
"""Generates tests/vectors/acme-*.json and identrust-*.json.

An independent implementation (Python `cryptography`, hashlib, hmac): the
expected JWS bodies, EAB MACs, thumbprints and digests here are computed
without certbridge, so the Rust core and every binding are checked against
a second implementation. RS256 is deterministic, so signed requests are
compared byte for byte. Run: python3 tests/vectors/tools/acme_vectors.py
"""
import base64, datetime, hashlib, hmac, json, os
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography import x509
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
VEC = os.path.dirname(HERE)


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def cj(v):
    return json.dumps(v, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def load(name):
    with open(os.path.join(VEC, "keys", name), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def jwk(key):
    n = key.public_key().public_numbers()
    tob = lambda i: i.to_bytes((i.bit_length() + 7) // 8, "big")
    return {"e": b64u(tob(n.e)), "kty": "RSA", "n": b64u(tob(n.n))}


def jws(key, header, payload):
    protected = b64u(cj(header).encode())
    pl = "" if payload is None else b64u(payload.encode() if isinstance(payload, str) else payload)
    sig = key.sign(f"{protected}.{pl}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return {"payload": pl, "protected": protected, "signature": b64u(sig)}


A, B = load("acme-rs256-a.pem"), load("acme-rs256-b.pem")
JOSE = [["Content-Type", "application/jose+json"]]
SEED_HMAC = "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg="
ACCT = "https://ca.example/acme/acct/17"


def post(key, url, nonce, payload, kid=None, extra_headers=()):
    h = {"alg": "RS256", "nonce": nonce, "url": url}
    if kid:
        h["kid"] = kid
    else:
        h["jwk"] = jwk(key)
    return {"method": "POST", "url": url, "headers": JOSE + list(extra_headers),
            "body": cj(jws(key, h, None if payload is None else cj(payload) if not isinstance(payload, str) else payload))}


def eab(kid, key_b64, account_jwk, url):
    raw = base64.urlsafe_b64decode(key_b64.replace("+", "-").replace("/", "_").rstrip("=") + "==")
    protected = b64u(cj({"alg": "HS256", "kid": kid, "url": url}).encode())
    payload = b64u(cj(account_jwk).encode())
    mac = hmac.new(raw, f"{protected}.{payload}".encode(), hashlib.sha256).digest()
    return {"payload": payload, "protected": protected, "signature": b64u(mac)}


def write(name, description, cases):
    with open(os.path.join(VEC, name), "w") as f:
        json.dump({"description": description, "cases": cases}, f, indent=2, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------- EAB
tricky = bytes([0xFB, 0xEF, 0xBE, 0xFF, 0xFF, 0xFF]) + hashlib.sha256(b"tricky").digest()[:26]
tricky_std = base64.b64encode(tricky).decode()
assert "+" in tricky_std and "/" in tricky_std
eab_cases = []
for label, form in [("identrust-padded-standard", SEED_HMAC), ("unpadded-standard", SEED_HMAC.rstrip("=")),
                    ("base64url", b64u(base64.b64decode(SEED_HMAC))), ("with-line-break", SEED_HMAC[:20] + "\n" + SEED_HMAC[20:])]:
    eab_cases.append({"name": f"acme/eab-key/{label}", "op": "acme.eab_key",
                      "input": {"kid": "f8217eb6-6e52-11f0-a301-bad3575f33d9", "hmac_key": form},
                      "expect": {"value": {"kid": "f8217eb6-6e52-11f0-a301-bad3575f33d9",
                                           "hmac_key_b64url": "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg"}}})
for label, form in [("plus-slash-standard", tricky_std), ("plus-slash-urlsafe", b64u(tricky))]:
    eab_cases.append({"name": f"acme/eab-key/{label}", "op": "acme.eab_key",
                      "input": {"kid": "kid-1", "hmac_key": form},
                      "expect": {"value": {"kid": "kid-1", "hmac_key_b64url": b64u(tricky)}}})
for label, form in [("not-base64", "not*base64!"), ("empty", ""), ("padding-inside", "ab=cd"), ("one-char", "A")]:
    eab_cases.append({"name": f"acme/eab-key/rejects-{label}", "op": "acme.eab_key",
                      "input": {"kid": "kid-1", "hmac_key": form},
                      "expect": {"error": {"kind": "invalid_input", "field": "hmac_key"}}})
eab_cases.append({"name": "acme/eab-key/rejects-empty-kid", "op": "acme.eab_key",
                  "input": {"kid": "  ", "hmac_key": SEED_HMAC},
                  "expect": {"error": {"kind": "invalid_input", "field": "kid"}}})
for label, form in [("standard", tricky_std), ("urlsafe", b64u(tricky))]:
    eab_cases.append({"name": f"acme/eab-binding/hs256-{label}-key", "op": "acme.eab_binding",
                      "input": {"kid": "kid-1", "hmac_key": form, "jwk": jwk(A),
                                "url": "https://ca.example/acme/new-acct"},
                      "expect": {"value": eab("kid-1", form, jwk(A), "https://ca.example/acme/new-acct")}})
write("acme-eab.json", "External Account Binding (RFC 8555 7.3.4): key normalisation and the exact HS256 JWS.", eab_cases)

# ---------------------------------------------------------------- signed requests
NEW_ACCT = "https://ca.example/acme/new-acct"
req = []
contact = ["mailto:ops@example.com"]
acct_payload = {"contact": contact, "externalAccountBinding": eab("kid-1", SEED_HMAC, jwk(A), NEW_ACCT),
                "termsOfServiceAgreed": True}
req.append({"name": "acme/request/new-account-with-eab", "op": "acme.new_account",
            "input": {"key": "acme-rs256-a.pem", "url": NEW_ACCT, "nonce": "nonce-1", "contact": contact,
                      "terms_of_service_agreed": True, "eab": {"kid": "kid-1", "hmac_key": SEED_HMAC}},
            "expect": {"request": post(A, NEW_ACCT, "nonce-1", acct_payload)}})
req.append({"name": "acme/request/account-lookup-only-return-existing", "op": "acme.new_account",
            "input": {"key": "acme-rs256-a.pem", "url": NEW_ACCT, "nonce": "nonce-2", "only_return_existing": True},
            "expect": {"request": post(A, NEW_ACCT, "nonce-2", {"onlyReturnExisting": True})}})
ids = [{"type": "dns", "value": "xn--bcher-kva.example"}, {"type": "dns", "value": "*.example.com"}]
order_payload = {"identifiers": ids, "profile": "shortlived", "replaces": "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"}
req.append({"name": "acme/request/new-order-with-profile-and-replaces", "op": "acme.new_order",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/new-order",
                      "nonce": "nonce-3", "identifiers": ["Bücher.example", "*.Example.com"], "profile": "shortlived",
                      "replaces": "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"},
            "expect": {"request": post(A, "https://ca.example/acme/new-order", "nonce-3", order_payload, kid=ACCT)}})
req.append({"name": "acme/request/new-order-plain", "op": "acme.new_order",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/new-order",
                      "nonce": "nonce-4", "identifiers": ["www.example.com"]},
            "expect": {"request": post(A, "https://ca.example/acme/new-order", "nonce-4",
                                       {"identifiers": [{"type": "dns", "value": "www.example.com"}]}, kid=ACCT)}})
req.append({"name": "acme/request/new-order-rejects-bad-name", "op": "acme.new_order",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/new-order",
                      "nonce": "n", "identifiers": ["bad name.example"]},
            "expect": {"error": {"kind": "invalid_input", "field": "identifiers"}}})
req.append({"name": "acme/request/post-as-get", "op": "acme.post_as_get",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/authz/1", "nonce": "nonce-5"},
            "expect": {"request": post(A, "https://ca.example/acme/authz/1", "nonce-5", None, kid=ACCT)}})
csr = bytes([0x30, 0x03, 0x02, 0x01, 0x00])
req.append({"name": "acme/request/finalize", "op": "acme.finalize",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/finalize/1",
                      "nonce": "nonce-6", "csr_base64": base64.b64encode(csr).decode()},
            "expect": {"request": post(A, "https://ca.example/acme/finalize/1", "nonce-6", {"csr": b64u(csr)}, kid=ACCT)}})
req.append({"name": "acme/request/respond-challenge", "op": "acme.respond_challenge",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/chall/1", "nonce": "nonce-7"},
            "expect": {"request": post(A, "https://ca.example/acme/chall/1", "nonce-7", "{}", kid=ACCT)}})
req.append({"name": "acme/request/new-authz-pre-authorization", "op": "acme.new_authz",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/new-authz",
                      "nonce": "nonce-8", "identifier": "example.org"},
            "expect": {"request": post(A, "https://ca.example/acme/new-authz", "nonce-8",
                                       {"identifier": {"type": "dns", "value": "example.org"}}, kid=ACCT)}})
req.append({"name": "acme/request/deactivate-authorization", "op": "acme.deactivate_authz",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/authz/9", "nonce": "nonce-9"},
            "expect": {"request": post(A, "https://ca.example/acme/authz/9", "nonce-9", {"status": "deactivated"}, kid=ACCT)}})
req.append({"name": "acme/request/deactivate-account", "op": "acme.deactivate_account",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "nonce": "nonce-10"},
            "expect": {"request": post(A, ACCT, "nonce-10", {"status": "deactivated"}, kid=ACCT)}})
cert = bytes([0x30, 0x03, 0x02, 0x01, 0x05])
req.append({"name": "acme/request/revoke-by-account", "op": "acme.revoke",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/revoke-cert",
                      "nonce": "nonce-11", "certificate_base64": base64.b64encode(cert).decode(), "reason": 1},
            "expect": {"request": post(A, "https://ca.example/acme/revoke-cert", "nonce-11",
                                       {"certificate": b64u(cert), "reason": 1}, kid=ACCT)}})
req.append({"name": "acme/request/revoke-by-certificate-key", "op": "acme.revoke",
            "input": {"key": "acme-rs256-b.pem", "url": "https://ca.example/acme/revoke-cert",
                      "nonce": "nonce-12", "certificate_base64": base64.b64encode(cert).decode()},
            "expect": {"request": post(B, "https://ca.example/acme/revoke-cert", "nonce-12", {"certificate": b64u(cert)})}})
req.append({"name": "acme/request/revoke-rejects-reason-7", "op": "acme.revoke",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/revoke-cert",
                      "nonce": "n", "certificate_base64": base64.b64encode(cert).decode(), "reason": 7},
            "expect": {"error": {"kind": "invalid_input", "field": "reason"}}})
inner = jws(B, {"alg": "RS256", "jwk": jwk(B), "url": "https://ca.example/acme/key-change"},
            cj({"account": ACCT, "oldKey": jwk(A)}))
req.append({"name": "acme/request/key-change", "op": "acme.key_change",
            "input": {"key": "acme-rs256-a.pem", "new_key": "acme-rs256-b.pem", "account_url": ACCT,
                      "url": "https://ca.example/acme/key-change", "nonce": "nonce-13"},
            "expect": {"request": post(A, "https://ca.example/acme/key-change", "nonce-13", cj(inner), kid=ACCT)}})
req.append({"name": "acme/request/new-nonce", "op": "acme.new_nonce",
            "input": {"url": "https://ca.example/acme/new-nonce"},
            "expect": {"request": {"method": "HEAD", "url": "https://ca.example/acme/new-nonce", "headers": []}}})
req.append({"name": "acme/request/download-certificate", "op": "acme.download_certificate",
            "input": {"key": "acme-rs256-a.pem", "account_url": ACCT, "url": "https://ca.example/acme/cert/1", "nonce": "nonce-14"},
            "expect": {"request": post(A, "https://ca.example/acme/cert/1", "nonce-14", None, kid=ACCT,
                                       extra_headers=[["Accept", "application/pem-certificate-chain"]])}})
req.append({"name": "acme/request/renewal-info", "op": "acme.renewal_info_request",
            "input": {"url": "https://ca.example/acme/renewal-info", "cert_id": "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"},
            "expect": {"request": {"method": "GET", "url": "https://ca.example/acme/renewal-info/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"}}})
tp = b64u(hashlib.sha256(cj(jwk(A)).encode()).digest())
req.append({"name": "acme/jwk/rs256-thumbprint", "op": "acme.thumbprint", "input": {"key": "acme-rs256-a.pem"},
            "expect": {"value": {"jwk": jwk(A), "thumbprint": tp}}})
# ES256 signatures are randomised in most implementations: compare the
# protected header and payload, and verify the signature (r||s, 64 bytes).
E = load("acme-es256.pem")
en = E.public_key().public_numbers()
ejwk = {"crv": "P-256", "kty": "EC", "x": b64u(en.x.to_bytes(32, "big")), "y": b64u(en.y.to_bytes(32, "big"))}
req.append({"name": "acme/request/es256-new-account-header-and-payload", "op": "acme.es256_signed",
            "input": {"key": "acme-es256.pem", "url": NEW_ACCT, "nonce": "nonce-es", "payload": {"onlyReturnExisting": True}},
            "expect": {"value": {"header": {"alg": "ES256", "jwk": ejwk, "nonce": "nonce-es", "url": NEW_ACCT},
                                 "payload": {"onlyReturnExisting": True}, "signature_bytes": 64, "verified": True,
                                 "thumbprint": b64u(hashlib.sha256(cj(ejwk).encode()).digest())}}})
req.append({"name": "acme/request/es256-kid-post-as-get", "op": "acme.es256_signed",
            "input": {"key": "acme-es256.pem", "account_url": ACCT, "url": "https://ca.example/acme/order/1", "nonce": "nonce-es2"},
            "expect": {"value": {"header": {"alg": "ES256", "kid": ACCT, "nonce": "nonce-es2", "url": "https://ca.example/acme/order/1"},
                                 "payload": None, "signature_bytes": 64, "verified": True}}})
write("acme-requests.json", "Signed ACME requests (RFC 8555 6.2): RS256 with committed test keys, compared byte for byte.", req)

# ---------------------------------------------------------------- parsing
p = []
full_dir = {"newNonce": "https://ca.example/acme/new-nonce", "newAccount": NEW_ACCT,
            "newOrder": "https://ca.example/acme/new-order", "newAuthz": "https://ca.example/acme/new-authz",
            "revokeCert": "https://ca.example/acme/revoke-cert", "keyChange": "https://ca.example/acme/key-change",
            "renewalInfo": "https://ca.example/acme/renewal-info",
            "meta": {"termsOfService": "https://ca.example/tos.pdf", "website": "https://ca.example",
                     "caaIdentities": ["ca.example"], "externalAccountRequired": True,
                     "profiles": {"classic": "The same profile you're accustomed to", "shortlived": "Six-day certificates"}}}
p.append({"name": "acme/directory/profiles-ari-and-new-authz", "op": "acme.directory",
          "response": {"status": 200, "headers": [["Content-Type", "application/json"]], "body_json": full_dir},
          "expect": {"value": {"new_nonce": full_dir["newNonce"], "new_authz": full_dir["newAuthz"],
                               "renewal_info": full_dir["renewalInfo"], "key_change": full_dir["keyChange"],
                               "meta": {"external_account_required": True, "caa_identities": ["ca.example"],
                                        "terms_of_service": "https://ca.example/tos.pdf",
                                        "profiles": full_dir["meta"]["profiles"]}}}})
pebble_dir = {k: v for k, v in full_dir.items() if k not in ("newAuthz", "renewalInfo", "meta")}
pebble_dir["meta"] = {"externalAccountRequired": True, "termsOfService": "data:text/plain,Do%20what%20thou%20wilt"}
p.append({"name": "acme/directory/pebble-2.4-shape", "op": "acme.directory",
          "response": {"status": 200, "body_json": pebble_dir},
          "expect": {"value": {"new_authz": None, "renewal_info": None, "meta": {"profiles": {}, "external_account_required": True}}}})
p.append({"name": "acme/directory/html-is-protocol-error", "op": "acme.directory",
          "response": {"status": 200, "body": "<html><body>maintenance</body></html>"},
          "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/directory/missing-new-order", "op": "acme.directory",
          "response": {"status": 200, "body_json": {k: v for k, v in full_dir.items() if k != "newOrder"}},
          "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/directory/relative-url-refused", "op": "acme.directory",
          "response": {"status": 200, "body_json": dict(full_dir, newOrder="/new-order")},
          "expect": {"error": {"kind": "protocol", "message_contains": "newOrder"}}})
p.append({"name": "acme/directory/502-page", "op": "acme.directory",
          "response": {"status": 502, "body": "<html>Bad Gateway</html>"},
          "expect": {"error": {"kind": "http_status"}}})
prob = {"type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "Some identifiers were rejected", "status": 400,
        "subproblems": [{"type": "urn:ietf:params:acme:error:malformed", "detail": "Invalid underscore in DNS name \"_example.org\"",
                         "identifier": {"type": "dns", "value": "_example.org"}}]}
p.append({"name": "acme/problem/rejected-identifier-with-subproblems", "op": "acme.problem", "input": {"now": 1000},
          "response": {"status": 400, "headers": [["Content-Type", "application/problem+json"]], "body_json": prob},
          "expect": {"value": {"kind": "provider", "code": prob["type"], "status": 400, "retry_after": None,
                               "details": {"provider": "acme", "problem_type": prob["type"], "detail": prob["detail"],
                                           "subproblems": [{"type": "urn:ietf:params:acme:error:malformed",
                                                            "detail": prob["subproblems"][0]["detail"],
                                                            "identifier": {"type": "dns", "value": "_example.org"}}]}}}})
p.append({"name": "acme/problem/rate-limited-keeps-retry-after", "op": "acme.problem", "input": {"now": 1000},
          "response": {"status": 429, "headers": [["Content-Type", "application/problem+json"], ["Retry-After", "120"]],
                       "body_json": {"type": "urn:ietf:params:acme:error:rateLimited", "detail": "too many new orders"}},
          "expect": {"value": {"kind": "provider", "code": "urn:ietf:params:acme:error:rateLimited", "status": 429,
                               "retry_after": 1120000, "retryable": True}}})
p.append({"name": "acme/problem/bad-nonce", "op": "acme.problem", "input": {"now": 0},
          "response": {"status": 400, "headers": [["Replay-Nonce", "fresh"]],
                       "body_json": {"type": "urn:ietf:params:acme:error:badNonce", "detail": "JWS has an invalid anti-replay nonce"}},
          "expect": {"value": {"kind": "provider", "code": "urn:ietf:params:acme:error:badNonce", "status": 400, "retryable": False}}})
p.append({"name": "acme/problem/not-a-problem-document", "op": "acme.problem", "input": {"now": 0},
          "response": {"status": 503, "headers": [["Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"]], "body": "upstream unavailable"},
          "expect": {"value": {"kind": "http_status", "status": 503, "retry_after": 1445412480000}}})
order = {"status": "pending", "expires": "2026-01-01T00:00:00Z", "identifiers": ids,
         "authorizations": ["https://ca.example/acme/authz/1", "https://ca.example/acme/authz/2"],
         "finalize": "https://ca.example/acme/finalize/1", "profile": "shortlived",
         "replaces": "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"}
p.append({"name": "acme/order/new-order-created", "op": "acme.order", "input": {"now": 0, "new": True},
          "response": {"status": 201, "headers": [["Location", "https://ca.example/acme/order/1"], ["Replay-Nonce", "x"]], "body_json": order},
          "expect": {"value": {"url": "https://ca.example/acme/order/1", "status": "pending", "profile": "shortlived",
                               "replaces": order["replaces"], "identifiers": ids, "authorizations": order["authorizations"],
                               "finalize": order["finalize"], "certificate": None, "error": None}}})
p.append({"name": "acme/order/new-order-without-location", "op": "acme.order", "input": {"now": 0, "new": True},
          "response": {"status": 201, "body_json": order}, "expect": {"error": {"kind": "protocol", "message_contains": "Location"}}})
p.append({"name": "acme/order/processing-with-retry-after", "op": "acme.order", "input": {"now": 100, "url": "https://ca.example/acme/order/1"},
          "response": {"status": 200, "headers": [["Retry-After", "3"]], "body_json": dict(order, status="processing")},
          "expect": {"value": {"status": "processing", "retry_after": 103000}}})
p.append({"name": "acme/order/invalid-with-error", "op": "acme.order", "input": {"now": 0, "url": "https://ca.example/acme/order/1"},
          "response": {"status": 200, "body_json": dict(order, status="invalid", error={"type": "urn:ietf:params:acme:error:caa", "detail": "CAA forbids"})},
          "expect": {"value": {"status": "invalid", "error": {"type": "urn:ietf:params:acme:error:caa", "detail": "CAA forbids"}}}})
p.append({"name": "acme/order/unknown-status", "op": "acme.order", "input": {"now": 0, "url": "u"},
          "response": {"status": 200, "body_json": dict(order, status="weird")}, "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/order/truncated-json", "op": "acme.order", "input": {"now": 0, "url": "u"},
          "response": {"status": 200, "body": "{\"status\":\"pend"}, "expect": {"error": {"kind": "protocol", "message_contains": "truncated"}}})
p.append({"name": "acme/order/non-utf8", "op": "acme.order", "input": {"now": 0, "url": "u"},
          "response": {"status": 200, "body_base64": "//79"}, "expect": {"error": {"kind": "protocol"}}})
authz = {"status": "pending", "expires": "2026-01-01T00:00:00Z", "identifier": {"type": "dns", "value": "example.com"}, "wildcard": True,
         "challenges": [{"type": "dns-01", "url": "https://ca.example/acme/chall/2", "status": "pending", "token": "DGyRejmCefe7v4NfDGDKfA"}]}
p.append({"name": "acme/authorization/wildcard", "op": "acme.authorization", "input": {"now": 0, "url": "https://ca.example/acme/authz/1"},
          "response": {"status": 200, "body_json": authz},
          "expect": {"value": {"url": "https://ca.example/acme/authz/1", "status": "pending", "wildcard": True,
                               "identifier": {"type": "dns", "value": "example.com"},
                               "challenges": [{"type": "dns-01", "url": "https://ca.example/acme/chall/2", "status": "pending", "token": "DGyRejmCefe7v4NfDGDKfA"}]}}})
p.append({"name": "acme/authorization/new-authz-created", "op": "acme.authorization", "input": {"now": 0, "new": True},
          "response": {"status": 201, "headers": [["Location", "https://ca.example/acme/authz/7"]], "body_json": dict(authz, wildcard=False)},
          "expect": {"value": {"url": "https://ca.example/acme/authz/7", "wildcard": False}}})
p.append({"name": "acme/authorization/deactivated", "op": "acme.authorization", "input": {"now": 0, "url": "https://ca.example/acme/authz/1"},
          "response": {"status": 200, "body_json": dict(authz, status="deactivated")},
          "expect": {"value": {"status": "deactivated"}}})
token = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
ka = f"{token}.{tp}"
for kind, ident, task in [
    ("http-01", "www.example.org", {"type": "http01", "domain": "www.example.org", "token": token, "body": ka}),
    ("dns-01", "*.example.org", {"type": "dns-txt", "domain": "*.example.org", "name": "_acme-challenge.example.org",
                                 "value": b64u(hashlib.sha256(ka.encode()).digest())}),
    ("tls-alpn-01", "www.example.org", {"type": "tls-alpn01", "domain": "www.example.org",
                                        "digest_hex": hashlib.sha256(ka.encode()).hexdigest()})]:
    p.append({"name": f"acme/challenge/{kind}-task", "op": "acme.challenge_task",
              "input": {"type": kind, "token": token, "identifier": ident, "thumbprint": tp},
              "expect": {"value": task}})
p.append({"name": "acme/challenge/dns-01-idn-uses-punycode", "op": "acme.challenge_task",
          "input": {"type": "dns-01", "token": token, "identifier": "Bücher.example", "thumbprint": tp},
          "expect": {"value": {"name": "_acme-challenge.xn--bcher-kva.example", "domain": "xn--bcher-kva.example"}}})
p.append({"name": "acme/challenge/token-with-slash-refused", "op": "acme.challenge_task",
          "input": {"type": "http-01", "token": "../../etc/passwd", "identifier": "www.example.org", "thumbprint": tp},
          "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/challenge/respond-answer", "op": "acme.challenge",
          "input": {"now": 0},
          "response": {"status": 200, "body_json": {"type": "http-01", "url": "https://ca.example/acme/chall/1", "status": "valid",
                                                    "token": token, "validated": "2026-01-01T00:00:00Z"}},
          "expect": {"value": {"type": "http-01", "status": "valid", "validated": "2026-01-01T00:00:00Z"}}})

# certificate with the RFC 9773 section 4.1 example AKI and serial
ca_key = ec.generate_private_key(ec.SECP256R1())
leaf_key = ec.generate_private_key(ec.SECP256R1())
aki = bytes.fromhex("69885B6B87464041E1B37B847BA0AE2CDE01C8D4")
name = lambda cn: x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
leaf = (x509.CertificateBuilder().subject_name(name("ari.example")).issuer_name(name("Vector CA"))
        .public_key(leaf_key.public_key()).serial_number(0x87654321)
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.AuthorityKeyIdentifier(aki, None, None), critical=False)
        .sign(ca_key, hashes.SHA256()))
leaf_pem = leaf.public_bytes(serialization.Encoding.PEM).decode()
noaki = (x509.CertificateBuilder().subject_name(name("x")).issuer_name(name("x")).public_key(leaf_key.public_key())
         .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)).sign(ca_key, hashes.SHA256()))
p.append({"name": "acme/ari/cert-id-rfc9773-example", "op": "acme.cert_id", "input": {"certificate": leaf_pem},
          "expect": {"value": "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"}})
p.append({"name": "acme/ari/cert-id-needs-aki", "op": "acme.cert_id",
          "input": {"certificate": noaki.public_bytes(serialization.Encoding.PEM).decode()},
          "expect": {"error": {"kind": "invalid_input", "field": "certificate"}}})
p.append({"name": "acme/ari/renewal-info", "op": "acme.renewal_info", "input": {"now": 1735689600},
          "response": {"status": 200, "headers": [["Retry-After", "21600"]],
                       "body_json": {"suggestedWindow": {"start": "2025-01-02T04:00:00Z", "end": "2025-01-03T04:00:00Z"},
                                     "explanationURL": "https://ca.example/docs/ari"}},
          "expect": {"value": {"suggested_window": {"start": 1735790400000, "end": 1735876800000},
                               "explanation_url": "https://ca.example/docs/ari", "retry_after": 1735711200000}}})
p.append({"name": "acme/ari/renewal-info-window-reversed", "op": "acme.renewal_info", "input": {"now": 0},
          "response": {"status": 200, "body_json": {"suggestedWindow": {"start": "2025-01-03T04:00:00Z", "end": "2025-01-02T04:00:00Z"}}},
          "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/ari/renewal-info-bad-time", "op": "acme.renewal_info", "input": {"now": 0},
          "response": {"status": 200, "body_json": {"suggestedWindow": {"start": "tomorrow", "end": "2025-01-02T04:00:00Z"}}},
          "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/ari/renewal-info-not-found", "op": "acme.renewal_info", "input": {"now": 0},
          "response": {"status": 404, "body_json": {"type": "urn:ietf:params:acme:error:malformed", "detail": "no such certificate"}},
          "expect": {"error": {"kind": "provider", "code": "urn:ietf:params:acme:error:malformed"}}})
p.append({"name": "acme/certificate/chain-with-alternates", "op": "acme.certificate", "input": {"now": 0},
          "response": {"status": 200, "headers": [["Content-Type", "application/pem-certificate-chain"],
                                                  ["Link", "<https://ca.example/acme/directory>;rel=\"index\""],
                                                  ["Link", "<https://ca.example/acme/cert/1/1>;rel=\"alternate\", <https://ca.example/acme/cert/1/2>; rel=alternate"]],
                       "body": leaf_pem + leaf_pem},
          "expect": {"value": {"pem": leaf_pem + leaf_pem, "alternates": ["https://ca.example/acme/cert/1/1", "https://ca.example/acme/cert/1/2"]}}})
p.append({"name": "acme/certificate/empty-200", "op": "acme.certificate", "input": {"now": 0},
          "response": {"status": 200, "body": ""}, "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/certificate/truncated-pem", "op": "acme.certificate", "input": {"now": 0},
          "response": {"status": 200, "body": leaf_pem[:100]}, "expect": {"error": {"kind": "protocol"}}})
p.append({"name": "acme/account/created", "op": "acme.account", "input": {"now": 0},
          "response": {"status": 201, "headers": [["Location", ACCT]], "body_json": {"status": "valid", "contact": contact, "orders": ACCT + "/orders"}},
          "expect": {"value": {"url": ACCT, "status": "valid", "contact": contact, "orders": ACCT + "/orders", "created": True}}})
p.append({"name": "acme/account/found-existing", "op": "acme.account", "input": {"now": 0},
          "response": {"status": 200, "headers": [["Location", ACCT]], "body_json": {"status": "valid"}},
          "expect": {"value": {"url": ACCT, "created": False, "contact": []}}})
p.append({"name": "acme/account/eab-rejected", "op": "acme.account", "input": {"now": 0},
          "response": {"status": 401, "body_json": {"type": "urn:ietf:params:acme:error:unauthorized", "detail": "EAB signature mismatch", "status": 401}},
          "expect": {"error": {"kind": "provider", "code": "urn:ietf:params:acme:error:unauthorized"}}})
p.append({"name": "acme/account/eab-required", "op": "acme.account", "input": {"now": 0},
          "response": {"status": 400, "body_json": {"type": "urn:ietf:params:acme:error:externalAccountRequired", "detail": "EAB required"}},
          "expect": {"error": {"kind": "provider", "code": "urn:ietf:params:acme:error:externalAccountRequired"}}})
# Issue 14, item 8: what an ACME server may not hand out (core/src/acme/guard.rs).
# Every URL in a server document or header is https (http only to a loopback
# host; a session over an https directory refuses even that, which is flow
# behaviour, not a parser vector). Counts are capped; authorization identifiers
# must be well-formed names.
p.append({"name": "acme/directory/http-entry-refused", "op": "acme.directory",
          "response": {"status": 200, "body_json": dict(full_dir, newNonce="http://ca.example/acme/new-nonce")},
          "expect": {"error": {"kind": "protocol", "message_contains": "newNonce URL refused"}}})
p.append({"name": "acme/directory/http-loopback-entries-parse", "op": "acme.directory",
          "response": {"status": 200, "body_json": {k: (v.replace("https://ca.example", "http://127.0.0.1:4001") if isinstance(v, str) else v)
                                                    for k, v in full_dir.items()}},
          "expect": {"value": {"new_nonce": "http://127.0.0.1:4001/acme/new-nonce"}}})
p.append({"name": "acme/order/http-finalize-refused", "op": "acme.order", "input": {"now": 0, "url": "https://ca.example/acme/order/1"},
          "response": {"status": 200, "body_json": dict(order, finalize="http://ca.example/acme/finalize/1")},
          "expect": {"error": {"kind": "protocol", "message_contains": "finalize URL refused"}}})
p.append({"name": "acme/order/http-authorization-refused", "op": "acme.order", "input": {"now": 0, "url": "https://ca.example/acme/order/1"},
          "response": {"status": 200, "body_json": dict(order, authorizations=["https://ca.example/acme/authz/1", "http://ca.example/acme/authz/2"])},
          "expect": {"error": {"kind": "protocol", "message_contains": "authorization URL refused"}}})
p.append({"name": "acme/order/http-certificate-refused", "op": "acme.order", "input": {"now": 0, "url": "https://ca.example/acme/order/1"},
          "response": {"status": 200, "body_json": dict(order, status="valid", certificate="http://ca.example/acme/cert/1")},
          "expect": {"error": {"kind": "protocol", "message_contains": "certificate URL refused"}}})
p.append({"name": "acme/order/http-location-refused", "op": "acme.order", "input": {"now": 0, "new": True},
          "response": {"status": 201, "headers": [["Location", "http://ca.example/acme/order/1"]], "body_json": order},
          "expect": {"error": {"kind": "protocol", "message_contains": "Location URL refused"}}})
p.append({"name": "acme/order/too-many-authorizations", "op": "acme.order", "input": {"now": 0, "url": "https://ca.example/acme/order/1"},
          "response": {"status": 200, "body_json": dict(order, authorizations=[f"https://ca.example/acme/authz/{i}" for i in range(101)])},
          "expect": {"error": {"kind": "protocol", "message_contains": "at most 100"}}})
p.append({"name": "acme/authorization/http-challenge-refused", "op": "acme.authorization", "input": {"now": 0, "url": "https://ca.example/acme/authz/1"},
          "response": {"status": 200, "body_json": dict(authz, challenges=[dict(authz["challenges"][0], url="http://ca.example/acme/chall/2")])},
          "expect": {"error": {"kind": "protocol", "message_contains": "challenge URL refused"}}})
p.append({"name": "acme/authorization/too-many-challenges", "op": "acme.authorization", "input": {"now": 0, "url": "https://ca.example/acme/authz/1"},
          "response": {"status": 200, "body_json": dict(authz, challenges=authz["challenges"] * 11)},
          "expect": {"error": {"kind": "protocol", "message_contains": "at most 10"}}})
for label, ident in [("control-character", {"type": "dns", "value": "example.com\u001b[2J"}),
                     ("trailing-dot", {"type": "dns", "value": "example.com."}),
                     ("not-an-ip", {"type": "ip", "value": "example.com"})]:
    p.append({"name": f"acme/authorization/identifier-{label}-refused", "op": "acme.authorization",
              "input": {"now": 0, "url": "https://ca.example/acme/authz/1"},
              "response": {"status": 200, "body_json": dict(authz, identifier=ident, wildcard=False)},
              "expect": {"error": {"kind": "protocol", "message_contains": "identifier is not a valid name"}}})
p.append({"name": "acme/challenge/http-url-refused", "op": "acme.challenge", "input": {"now": 0},
          "response": {"status": 200, "body_json": {"type": "http-01", "url": "http://ca.example/acme/chall/1", "status": "pending", "token": token}},
          "expect": {"error": {"kind": "protocol", "message_contains": "challenge URL refused"}}})
p.append({"name": "acme/certificate/http-alternate-refused", "op": "acme.certificate", "input": {"now": 0},
          "response": {"status": 200, "headers": [["Link", "<http://ca.example/acme/cert/1/1>;rel=\"alternate\""]],
                       "body": leaf_pem},
          "expect": {"error": {"kind": "protocol", "message_contains": "alternate URL refused"}}})
write("acme-responses.json", "Parsing ACME responses: directory (profiles, ARI, newAuthz), problems, orders, authorizations, challenges, ARI, chains.", p)

# ---------------------------------------------------------------- IdenTrust
seed_resp = {"id": 1234, "kid": "f8217eb6-6e52-11f0-a301-bad3575f33d9", "resellerCode": "RESELLER_CODE",
             "email": "customer@example.com", "revoked": False, "deleted": False, "hmacKey": SEED_HMAC}
it = []
it.append({"name": "identrust/create-account/seed-example-request", "op": "identrust.create_account",
           "input": {"reseller_base": "https://reseller-cms-pte.identrust.com", "api_key": "supersecret", "customer_email": "customer@example.com"},
           "expect": {"request": {"method": "POST", "url": "https://reseller-cms-pte.identrust.com/account",
                                  "headers": [["Accept", "application/json"], ["Authorization", "supersecret"], ["Content-Type", "application/json"]],
                                  "body": "{\"customer_email\":\"customer@example.com\"}"}}})
it.append({"name": "identrust/create-account/rejects-bad-email", "op": "identrust.create_account",
           "input": {"reseller_base": "https://reseller-cms-pte.identrust.com", "api_key": "k", "customer_email": "not an email"},
           "expect": {"error": {"kind": "invalid_input", "field": "customer_email"}}})
it.append({"name": "identrust/create-account/seed-example-response", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 200, "headers": [["Content-Type", "application/json"]], "body_json": seed_resp},
           "expect": {"value": {"id": 1234, "kid": seed_resp["kid"], "reseller_code": "RESELLER_CODE", "email": "customer@example.com",
                                "revoked": False, "deleted": False, "eab_kid": seed_resp["kid"],
                                "eab_hmac_key_b64url": "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg"}}})
it.append({"name": "identrust/create-account/revoked-account-is-reported", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 200, "body_json": dict(seed_resp, revoked=True, id="1234")},
           "expect": {"value": {"id": "1234", "revoked": True}}})
it.append({"name": "identrust/create-account/bad-hmac", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 200, "body_json": dict(seed_resp, hmacKey="***")}, "expect": {"error": {"kind": "protocol"}}})
it.append({"name": "identrust/create-account/missing-kid", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 200, "body_json": {k: v for k, v in seed_resp.items() if k != "kid"}}, "expect": {"error": {"kind": "protocol"}}})
it.append({"name": "identrust/create-account/unauthorized", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 401, "body": "Unauthorized"}, "expect": {"error": {"kind": "auth"}}})
it.append({"name": "identrust/create-account/server-error", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 502, "body": "<html>Bad Gateway</html>"}, "expect": {"error": {"kind": "provider", "code": "HTTP_502"}}})
it.append({"name": "identrust/create-account/json-error", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 409, "body_json": {"error": "ACCOUNT_EXISTS", "message": "account already exists"}},
           "expect": {"error": {"kind": "provider", "code": "ACCOUNT_EXISTS", "message_contains": "already exists"}}})
it.append({"name": "identrust/create-account/empty-200", "op": "identrust.create_account_response", "input": {"now": 0},
           "response": {"status": 200, "body": ""}, "expect": {"error": {"kind": "protocol"}}})
for prof in ["TLS-90d", "TLS-1y"]:
    it.append({"name": f"identrust/directory/staging-{prof}", "op": "identrust.directory_url", "input": {"profile": prof},
               "expect": {"value": f"https://acme-cms-pte.identrust.com/acme/{prof}/directory"}})
it.append({"name": "identrust/directory/configured-production", "op": "identrust.directory_url",
           "input": {"profile": "TLS-1y", "reseller_base": "https://reseller.identrust.invalid", "acme_base": "https://acme.identrust.invalid/"},
           "expect": {"value": "https://acme.identrust.invalid/acme/TLS-1y/directory"}})
it.append({"name": "identrust/directory/empty-profile", "op": "identrust.directory_url", "input": {"profile": " "},
           "expect": {"error": {"kind": "invalid_input", "field": "profile"}}})
write("identrust-reseller.json", "IdenTrust reseller API (identrust-reseller-acme.txt): account creation and profile directories.", it)
print("ok")
