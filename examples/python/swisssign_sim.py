"""Issues and revokes a SwissSign certificate against the local simulator
with the certbridge Python bindings: pre-validate a domain (its TXT record
published to the simulator's DNS), make a key and CSR, issue, print the
chain, revoke.

Run: target/release/certbridge-sim --port 0   (prints its URL), then
     CERTBRIDGE_SIM=http://127.0.0.1:PORT python examples/python/swisssign_sim.py
(`scripts/bindings-uniffi.sh examples` does both.)
"""

import asyncio
import json
import os
import urllib.request

import certbridge

SIM = os.environ.get("CERTBRIDGE_SIM", "http://127.0.0.1:8082")
ACCOUNT = "service.account"  # the simulator's demo account
API_KEY = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w"


def publish_txt(name: str, value: str) -> None:
    """Stands in for your DNS provider's API."""
    body = json.dumps({"name": name, "value": value}).encode()
    req = urllib.request.Request(f"{SIM}/sim/dns/txt", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).close()


async def main() -> None:
    session = certbridge.SwissSignSession.with_api_key(certbridge.swisssign_config(SIM), ACCOUNT, API_KEY)
    client = certbridge.SwissSignClient(session)
    cli = (await client.clients())[0]
    product = cli.products[0]
    print(f"client {cli.name} ({cli.uuid}), product {product.product_name} ({product.uuid})")

    [domain] = await client.register_domains(cli.uuid, ["example.test"])
    txt = domain.txt_record  # None once a domain is validated
    if txt is None:
        raise SystemExit(f"{domain.domain} has no TXT challenge: already validated?")
    print(f"publish TXT {txt.name} = {txt.value}")
    publish_txt(txt.name, txt.value)
    await client.domain(domain.uuid, certbridge.SwissSignDomainAction.VALIDATE)

    key = certbridge.PrivateKey.generate(certbridge.KeyKind.EC_P256)
    csr = certbridge.CsrBuilder().subject("cn", "example.test").dns_name("example.test").build(key)
    issued = await client.issue(product.uuid, csr.der())
    leaf = issued.certificate
    print(f"order {issued.order}: {leaf.subject}, serial {leaf.serial_hex}, issued by {leaf.issuer}")
    print(f"chain of {len(issued.chain.certificates)} certificates, {len(issued.pem_chain)} bytes of PEM")

    await client.revoke_order(issued.order, certbridge.SwissSignRevocationReason.SUPERSEDED)
    print(f"revoked: status {await client.order_status(issued.order)}")


if __name__ == "__main__":
    asyncio.run(main())
