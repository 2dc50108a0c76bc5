"""SwissSign end to end against the simulator (tests/sim), started here as a
process over HTTPS with its test CA as the only extra trust anchor: the
built-in transport, domain pre-validation through the simulated DNS,
issuance with a key and CSR made in Python, the chain, revocation, and the
host-driven flow."""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import certbridge

# The simulator binary: scripts/bindings-uniffi.sh test-python builds it and
# sets this (the suite runs from a copy outside the repository).
SIM = Path(os.environ.get("CERTBRIDGE_SIM_BIN", "certbridge-sim (CERTBRIDGE_SIM_BIN unset)"))
ACCOUNT = "service.account"
API_KEY = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w"
FAST = certbridge.Backoff(initial_millis=50, max_millis=500, factor_percent=150)


class Sim:
    def __init__(self, tmp: Path) -> None:
        assert SIM.is_file(), f"{SIM} is missing: run through scripts/bindings-uniffi.sh test-python, which builds it"
        ca = tmp / "sim-ca.pem"
        self.proc = subprocess.Popen(
            [str(SIM), "--port", "0", "--tls", "--ca-out", str(ca)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        line = self.proc.stdout.readline()
        assert line.startswith("certbridge-sim listening on "), line
        self.url = line.split()[-1]
        self.ca_pem = ca.read_text()
        self.ssl = ssl.create_default_context(cadata=self.ca_pem)

    def publish_txt(self, name: str, value: str) -> None:
        body = json.dumps({"name": name, "value": value}).encode()
        req = urllib.request.Request(
            f"{self.url}/sim/dns/txt", data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, context=self.ssl) as resp:
            assert resp.status < 300

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    s = Sim(tmp_path_factory.mktemp("sim"))
    yield s
    s.stop()


def session(sim: Sim) -> certbridge.SwissSignSession:
    return certbridge.SwissSignSession.with_api_key(certbridge.swisssign_config(sim.url), ACCOUNT, API_KEY)


def client(sim: Sim) -> certbridge.SwissSignClient:
    config = certbridge.default_transport_config()
    config.extra_roots_pem = [sim.ca_pem]
    return certbridge.SwissSignClient(session(sim), transport_config=config, backoff=FAST)


async def prevalidate(sim: Sim, c: certbridge.SwissSignClient, cli: str, name: str) -> None:
    registered = await c.register_domains(cli, [name])
    record = registered[0].txt_record
    assert record is not None and record.value.startswith("swiss-pki=")
    # Before the record is published, validation is refused with a typed error.
    with pytest.raises(certbridge.CertbridgeError.Provider):
        await c.domain(registered[0].uuid, certbridge.SwissSignDomainAction.VALIDATE)
    sim.publish_txt(record.name, record.value)
    validated = await c.domain(registered[0].uuid, certbridge.SwissSignDomainAction.VALIDATE)
    assert validated.validated


def csr_for(names: list[str], kind: certbridge.KeyKind) -> tuple[certbridge.PrivateKey, certbridge.Csr]:
    key = certbridge.PrivateKey.generate(kind)
    builder = certbridge.CsrBuilder().subject("cn", names[0])
    for n in names:
        builder = builder.dns_name(n)
    return key, builder.build(key)


def test_prevalidate_issue_chain_revoke(sim):
    async def run():
        c = client(sim)
        clients = await c.clients()
        cli, pma = clients[0].uuid, clients[0].products[0].uuid
        assert cli.startswith("cli-") and pma.startswith("pma-")
        await prevalidate(sim, c, cli, "déjà.vu.example")
        domains = await c.domains(cli)
        assert any(d.domain == "xn--dj-kia8a.vu.example" and d.validated for d in domains)

        key, csr = csr_for(["xn--dj-kia8a.vu.example", "www.xn--dj-kia8a.vu.example"], certbridge.KeyKind.EC_P256)
        assert "BEGIN PRIVATE KEY" in key.to_pkcs8_pem()
        issued = await c.issue(pma, csr.der(), int(time.time() * 1000) + 60_000)
        assert issued.order.startswith("ord-")
        assert issued.pem_chain.count("BEGIN CERTIFICATE") >= 2
        leaf = issued.chain.certificates[0]
        assert leaf == issued.certificate
        assert [s[0] for s in leaf.sans] == ["xn--dj-kia8a.vu.example", "www.xn--dj-kia8a.vu.example"]
        assert certbridge.parse_certificate(leaf.pem.encode()).serial_hex == leaf.serial_hex
        # The certificate is for the key the CSR was signed with.
        assert certbridge.parse_certificate(leaf.pem.encode()).sha256_thumbprint == leaf.sha256_thumbprint
        chain = await c.chain(issued.order)
        assert [x.subject for x in chain.certificates] == [x.subject for x in issued.chain.certificates]
        assert chain.certificates[-1].issuer == chain.certificates[1].subject or chain.certificates[-1].is_ca

        order = await c.order(issued.order)
        assert order.status == "ISSUED"
        assert order.certificate.serial.upper().lstrip("0") == leaf.serial_hex.lstrip("0")

        await c.revoke_order(issued.order, certbridge.SwissSignRevocationReason.SUPERSEDED)
        assert await c.order_status(issued.order) == "REVOKED"
        with pytest.raises(certbridge.CertbridgeError.Provider) as again:
            await c.revoke_order(issued.order, certbridge.SwissSignRevocationReason.SUPERSEDED)
        assert again.value.code == "011.354.0233"  # CERTIFICATE_ALREADY_REVOKED

    asyncio.run(run())


def test_unvalidated_name_fails_with_a_typed_error(sim):
    async def run():
        c = client(sim)
        pma = (await c.clients())[0].products[0].uuid
        _, csr = csr_for(["not-validated.example"], certbridge.KeyKind.RSA2048)
        with pytest.raises(certbridge.CertbridgeError.Provider):
            await c.issue(pma, csr.to_pem().encode())

    asyncio.run(run())


def test_bad_reference_is_refused_before_sending(sim):
    async def run():
        with pytest.raises(certbridge.CertbridgeError.InvalidInput) as e:
            await client(sim).order_status("order-uuid")
        assert e.value.field == "order_reference"

    asyncio.run(run())


def test_host_driven_flow_with_urllib(sim):
    """The sans-IO flow driven by Python's own HTTP stack (urllib)."""

    def send(request: certbridge.HttpRequest) -> certbridge.HttpResponse:
        req = urllib.request.Request(
            request.url,
            data=bytes(request.body) if request.body else None,
            method=request.method.name,
            headers={h.name: h.value for h in request.headers},
        )
        try:
            with urllib.request.urlopen(req, context=sim.ssl) as resp:
                status, headers, body = resp.status, resp.getheaders(), resp.read()
        except urllib.error.HTTPError as err:
            status, headers, body = err.code, err.headers.items(), err.read()
        fields = [certbridge.HeaderField(name=n, value=v) for n, v in headers]
        return certbridge.HttpResponse(status=status, headers=fields, body=body)

    async def setup():
        c = client(sim)
        first = (await c.clients())[0]
        await prevalidate(sim, c, first.uuid, "flow.example")
        return first.products[0].uuid

    pma = asyncio.run(setup())
    _, csr = csr_for(["flow.example"], certbridge.KeyKind.EC_P384)
    s = certbridge.SwissSignSession.with_user_secret(certbridge.swisssign_config(sim.url), ACCOUNT, API_KEY)
    flow = certbridge.SwissSignIssueFlow(s, pma, csr.der(), backoff=FAST)
    sent = []
    while True:
        now = int(time.time() * 1000)
        step = flow.next(now)
        if step.is_SEND():
            sent.append(step.request.url)
            flow.receive(send(step.request), int(time.time() * 1000))
        elif step.is_WAIT():
            time.sleep(max(0, step.until - now) / 1000)
        else:
            issued = step.issued
            break
    assert sent[0].endswith("/v2/jwt/service.account")  # the server minted the JWT
    assert f"/v2/order/{issued.order}/certificate/chain" in sent[-1]
    assert flow.order() == issued.order and flow.status() == "ISSUED"
    assert issued.certificate.subject == "CN=flow.example"
    assert flow.session().token() is not None
