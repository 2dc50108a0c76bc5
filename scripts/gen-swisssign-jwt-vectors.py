#!/usr/bin/env python3
"""Writes tests/vectors/swisssign-jwt.json with tokens signed by PyJWT, the
independent reference for certbridge's locally signed SwissSign JWTs
(swisssign-ra-api-v2, /v2/jwt/{userName}: iss SwissPKI, aud REST API,
sub = account, iat, nbf, exp = iat + 8 h, HS256 with the API key).

    pip install pyjwt && python3 scripts/gen-swisssign-jwt-vectors.py
"""
import json
import pathlib
import warnings

import jwt  # PyJWT

# Short keys are part of the test; PyJWT warns about them.
warnings.simplefilter("ignore")

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/vectors/swisssign-jwt.json"
EIGHT_HOURS = 8 * 60 * 60
ORD = "ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b"

cases = [
    ("seed-example-key", "service.account",
     "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w", 1744719496),
    ("unicode-account-and-short-key", "opérateur@example.ch", "k", 1700000000),
    ("key-with-url-unsafe-characters", "svc", "a+b/c=d&e f", 4102444800),
]


class Utf8Encoder(json.JSONEncoder):
    """Writes non-ASCII as UTF-8, as serde_json does (PyJWT's default would
    escape it as \\uXXXX: equally valid JSON, different bytes)."""

    def __init__(self, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(**kwargs)


def claims(account, now):
    # Same member order as certbridge's JwtClaims; PyJWT keeps dict order.
    return {"iss": "SwissPKI", "aud": "REST API", "sub": account,
            "iat": now, "nbf": now, "exp": now + EIGHT_HOURS}


vectors = []
for name, account, key, now in cases:
    token = jwt.encode(claims(account, now), key, algorithm="HS256", json_encoder=Utf8Encoder)
    # crypto.jwt_hs256 takes the claims as a JSON object, which certbridge
    # serialises with sorted member names: sign the same order here.
    sorted_token = jwt.encode(dict(sorted(claims(account, now).items())), key,
                              algorithm="HS256", json_encoder=Utf8Encoder)
    # PyJWT must read back what it wrote, with the audience the server checks.
    decoded = jwt.decode(token, key, algorithms=["HS256"], audience="REST API",
                         issuer="SwissPKI", options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    assert decoded["exp"] - decoded["iat"] == EIGHT_HOURS
    vectors.append({
        "name": f"swisssign/jwt-local/{name}",
        "op": "swisssign.jwt_local",
        "input": {"account": account, "api_key": key, "now": now},
        "expect": {"value": {"token": token}},
    })
    vectors.append({
        "name": f"swisssign/jwt-local/{name}/as-bearer",
        "op": "swisssign.order_status",
        "input": {"account": account, "api_key": key, "now": now, "order": ORD},
        "expect": {"request": {
            "method": "POST",
            "url": f"https://api.ra.swisssign.ch/v2/order/{ORD}/status",
            "headers": [["Accept", "application/json"], ["Authorization", f"Bearer {token}"]],
        }},
    })
    vectors.append({
        "name": f"crypto/jwt-hs256/{name}",
        "op": "crypto.jwt_hs256",
        "input": {"claims": claims(account, now), "key": key},
        "expect": {"value": sorted_token},
    })
    # The /v2/jwt answer is the token as text/plain; expiry comes from `exp`.
    vectors.append({
        "name": f"swisssign/jwt/response/{name}",
        "op": "swisssign.jwt",
        "input": {"now": now},
        "response": {"status": 200, "headers": [["Content-Type", "text/plain"]], "body": token + "\n"},
        "expect": {"value": {"token": token, "expires_at": (now + EIGHT_HOURS) * 1000}},
    })

doc = {
    "description": "SwissSign session JWTs: tokens and Bearer headers signed by PyJWT "
                   "(scripts/gen-swisssign-jwt-vectors.py) that certbridge must reproduce byte for byte.",
    "cases": vectors,
}
OUT.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {len(vectors)} vectors to {OUT}")
