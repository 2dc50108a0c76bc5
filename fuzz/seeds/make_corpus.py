#!/usr/bin/env python3
"""Seeds each fuzz target's corpus from the shared vectors and fixtures.

Response vectors become target inputs in the layout fuzz/src/lib.rs reads
(byte 0 status, byte 1 header flags, then the body), so the fuzzer starts
from real provider answers instead of from nothing. Usage:
    make_corpus.py ROOT OUT_DIR
"""
import base64
import hashlib
import json
import os
import sys

root, out = sys.argv[1], sys.argv[2]
STATUSES = [200, 201, 202, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503, 0, 999]
TARGETS = {
    "redtrust": "redtrust_envelope",
    "swisssign": "swisssign_responses",
    "acme": "acme_documents",
    "identrust": "acme_documents",
}


def put(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def responses(node):
    """Every {status, body|body_json|body_b64} object anywhere in a case."""
    if isinstance(node, dict):
        if "status" in node and isinstance(node.get("status"), int) and (
            "body" in node or "body_json" in node or "body_b64" in node
        ):
            yield node
        for v in node.values():
            yield from responses(v)
    elif isinstance(node, list):
        for v in node:
            yield from responses(v)


def encode(resp):
    if "body_json" in resp:
        body = json.dumps(resp["body_json"]).encode()
    elif "body_b64" in resp:
        body = base64.b64decode(resp["body_b64"])
    else:
        body = resp["body"].encode() if isinstance(resp["body"], str) else b""
    status = resp["status"]
    headers = {k.lower(): v for k, v in resp.get("headers", [])} if isinstance(resp.get("headers"), list) else {}
    flags = 0
    ct = headers.get("content-type", "")
    flags |= 1 if "json" in ct and "problem" not in ct else 0
    flags |= 2 if "problem" in ct else 0
    flags |= 4 if "location" in headers else 0
    flags |= 64 if "pkcs7" in ct else 0
    flags |= 128 if "pem-certificate-chain" in ct else 0
    if status in STATUSES:
        head = bytes([STATUSES.index(status), flags])
    else:
        head = bytes([0xFF]) + status.to_bytes(2, "big") + bytes([flags])
    return head + body


vectors = os.path.join(root, "tests", "vectors")
for name in sorted(os.listdir(vectors)):
    if not name.endswith(".json"):
        continue
    target = TARGETS.get(name.split("-")[0].split(".")[0])
    with open(os.path.join(vectors, name)) as f:
        doc = json.load(f)
    for case in doc.get("cases", []):
        if target:
            for resp in responses(case):
                put(target, encode(resp))
        inp = case.get("input", {}) if isinstance(case.get("input"), dict) else {}
        for key in ("hmac_key", "key"):
            if isinstance(inp.get(key), str):
                put("eab_key", inp[key].encode())
        for key in ("redirect", "redirect_url", "url", "dn"):
            if isinstance(inp.get(key), str):
                put("redtrust_redirect", inp[key].encode())
        if isinstance(inp.get("pem"), str):
            put("certificate", inp["pem"].encode())
            put("chains", inp["pem"].encode())

fixtures = os.path.join(vectors, "fixtures")
for name in sorted(os.listdir(fixtures)):
    with open(os.path.join(fixtures, name), "rb") as f:
        data = f.read()
    put("chains", data)
    put("certificate", data)
put("redtrust_redirect", b"https://app.example/cb?tkn=TEMP")
for seed in (
    b'<https://ca.test/cert/1/1>;rel="alternate", <https://ca.test/dir>; rel=index',
    b"https://rt.example:8082",
    b"www.example.com",
    b"2001:db8::1",
    b"2025-04-15T12:18:16.123+02:00",
    b"Tue, 15 Apr 2025 12:18:16 GMT",
    b"PARTNER-1",
):
    put("inputs", seed)
for name in sorted(os.listdir(os.path.join(vectors, "keys"))):
    with open(os.path.join(vectors, "keys", name), "rb") as f:
        put("inputs", f.read())
put("redtrust_redirect", b"cn=John Doe,o=Example\\, Inc,c=ES")

# The flow targets read a sequence of framed responses (fuzz/src/lib.rs
# `responses`): a big-endian u16 length, then one encoded response. Each
# provider's answers, in the order its vector files give them, become one
# sequence per file and one per case, so the fuzzer starts from answers the
# flow accepts and mutates from there.
FLOWS = {
    "redtrust": "flow_redtrust",
    "swisssign": "flow_swisssign",
    "acme": "flow_acme",
}


def frame(encoded):
    encoded = encoded[:8191]
    return len(encoded).to_bytes(2, "big") + encoded


for name in sorted(os.listdir(vectors)):
    target = FLOWS.get(name.split("-")[0].split(".")[0])
    if not target or not name.endswith(".json"):
        continue
    with open(os.path.join(vectors, name)) as f:
        doc = json.load(f)
    every = b""
    for case in doc.get("cases", []):
        seq = b"".join(frame(encode(r)) for r in responses(case))
        if seq:
            put(target, seq)
            every += seq
    if every:
        put(target, every)
