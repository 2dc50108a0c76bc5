"""Builds a Redtrust HMAC login URL, then issues a certificate through a
host-supplied transport (here a stand-in that answers like a Redtrust
server), all with the certbridge Python bindings.

Run: scripts/bindings-uniffi.sh examples   (or, with the wheel installed,
python examples/python/redtrust_login.py)
"""

import asyncio
import json
import time
from typing import Any

import certbridge


class DemoTransport(certbridge.HttpTransport):
    """Your own HTTP stack goes here (httpx, aiohttp...). This stand-in
    answers like a Redtrust server so the example runs offline."""

    def __init__(self) -> None:
        self.answers: list[dict[str, Any]] = [
            {"accessToken": "demo-access", "refreshToken": "demo-refresh", "expiration": "2100-01-01T00:00:00Z"},
            {"requestCode": "P775W98SSW4Z1774PMZU", "csr": "MAMCAQU="},
            {"idCertificate": 1234, "thumbprint": "38cebdc83399e7dfb7874b9b5fa732a1e270a5d2"},
        ]

    async def send(self, request: certbridge.HttpRequest) -> certbridge.HttpResponse:
        print(f"  -> {request.method.name} {request.url}")
        body = {"message": "ok", "messageType": "SUCCESS", "errorCode": "OK", "data": self.answers.pop(0)}
        return certbridge.HttpResponse(status=200, headers=[], body=json.dumps(body).encode())


async def main() -> None:
    config = certbridge.redtrust_config("https://redtrust.example:8082")

    # 1. The signed browser redirect of the HMAC login (sans-IO, no network).
    login = certbridge.redtrust_login_url(
        config, "ca_demo", "shared-secret-key", "https://app.example/callback", int(time.time() * 1000)
    )
    print("redirect the user to:", login.url)
    token = certbridge.redtrust_temporal_token_from_redirect("https://app.example/callback?tkn=TEMPORARY")
    print("temporary token from the redirect back:", token)

    # 2. Issue through the async client and a host transport.
    client = certbridge.RedtrustClient(
        config, transport=DemoTransport(), password=certbridge.RedtrustPassword(username="app", password="pw")
    )
    request = certbridge.redtrust_csr_request(certbridge.redtrust_parse_dn("cn=John Doe,o=Example,c=ES"))
    try:
        issued = await client.issue(request)
    except certbridge.CertbridgeError as e:
        print(f"failed: {e.kind} {e.code or ''} {e.reason}")
        raise
    print("issued certificate", issued.id_certificate, "thumbprint", issued.thumbprint)


asyncio.run(main())
