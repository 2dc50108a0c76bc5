"""ACME and IdenTrust end to end from Python: the simulator's reseller API
hands out EAB credentials, Pebble (EAB required, every challenge accepted)
issues, and certbridge drives it all through the Python API.

The fixture starts `certbridge-sim --port 0 --pebble` (path in
CERTBRIDGE_SIM_BIN; scripts/bindings-uniffi.sh builds it once) and stops it
by closing its standard input, then by PID. CSRs come from the openssl CLI
so that these tests depend on no other binding."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import certbridge

SIM_BIN = os.environ.get("CERTBRIDGE_SIM_BIN", "")
NAMES = ["www.e2e.example", "e2e.example"]


@pytest.fixture(scope="module")
def peers():
    if not SIM_BIN or not Path(SIM_BIN).is_file():
        pytest.skip("CERTBRIDGE_SIM_BIN is not set: run through scripts/bindings-uniffi.sh test-python")
    proc = subprocess.Popen(
        [SIM_BIN, "--port", "0", "--pebble"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    info = None
    try:
        info = json.loads(proc.stdout.readline())
        yield info
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            for pid in (info or {}).get("pebble_pid"), proc.pid:
                if pid:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            proc.wait()


def transport_config(peers) -> certbridge.TransportConfig:
    config = certbridge.default_transport_config()
    config.extra_roots_pem = [peers["ca_pem"]]
    return config


def openssl_csr(names: list[str]) -> tuple[bytes, str]:
    """A P-256 key (PKCS#8 PEM) and a DER CSR naming `names`."""
    with tempfile.TemporaryDirectory() as d:
        key, csr = Path(d, "key.pem"), Path(d, "csr.der")
        san = ",".join(f"DNS:{n}" for n in names)
        subprocess.run(
            ["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", str(key), "-subj", f"/CN={names[0]}", "-addext", f"subjectAltName={san}",
             "-outform", "DER", "-out", str(csr)],
            check=True, capture_output=True,
        )
        return csr.read_bytes(), key.read_text()


def openssl_x509_text(pem: str) -> str:
    return subprocess.run(
        ["openssl", "x509", "-noout", "-text"], input=pem, check=True, capture_output=True, text=True
    ).stdout


class RecordingSolver(certbridge.ChallengeSolver):
    """Pebble accepts every challenge (PEBBLE_VA_ALWAYS_VALID); this solver
    records what a real host would publish."""

    def __init__(self) -> None:
        self.published: list = []
        self.cleaned: list = []

    async def publish(self, tasks):
        self.published.extend(tasks)

    async def cleanup(self, tasks):
        self.cleaned.extend(tasks)


class UrllibTransport(certbridge.HttpTransport):
    """The host's own HTTP stack (stdlib urllib, trusting the test CA), with
    one rewrite: IdenTrust's profile directory URL answered by Pebble's
    directory, the way a reverse proxy would serve it."""

    def __init__(self, ca_pem: str, rewrite: dict[str, str]) -> None:
        self.context = ssl.create_default_context(cadata=ca_pem)
        self.rewrite = rewrite
        self.sent: list[str] = []

    def _send(self, request: certbridge.HttpRequest) -> certbridge.HttpResponse:
        url = self.rewrite.get(request.url, request.url)
        self.sent.append(f"{request.method.name} {request.url}")
        req = urllib.request.Request(
            url, data=request.body or None, method=request.method.name,
            headers={h.name: h.value for h in request.headers},
        )
        try:
            with urllib.request.urlopen(req, context=self.context, timeout=30) as r:
                status, headers, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read()
        fields = [certbridge.HeaderField(name=n, value=v) for n, v in headers.items()]
        return certbridge.HttpResponse(status=status, headers=fields, body=body)

    async def send(self, request):
        return await asyncio.to_thread(self._send, request)


def test_identrust_issuance_through_the_reseller_api(peers):
    """Reseller create-account on the simulator -> EAB -> ACME account at
    Pebble -> order -> finalize -> download -> revoke, through
    IdenTrustClient.acme_client and a host transport."""
    acme_base = "https://acme-cms-pte.identrust.test"
    env = certbridge.identrust_environment(peers["sim_url"], acme_base)
    directory_url = certbridge.identrust_directory_url(env, "TLS-90d")
    assert directory_url == f"{acme_base}/acme/TLS-90d/directory"
    transport = UrllibTransport(peers["ca_pem"], {directory_url: peers["directory_url"]})
    solver = RecordingSolver()

    async def run():
        reseller = certbridge.IdenTrustClient(env, peers["api_key"], transport=transport, solver=solver)
        account = await reseller.create_account("customer@example.com")
        pool = {kid: key for kid, key in peers["eab_keys"]}
        assert account.kid() in pool
        assert account.eab().hmac_key_b64url() == pool[account.kid()]
        assert account.email() == "customer@example.com"
        assert not account.revoked()
        assert pool[account.kid()] not in repr(account)
        key = certbridge.AcmeAccountKey.generate()
        acme = await reseller.acme_client("TLS-90d", account, key)
        assert acme.directory().meta.external_account_required
        csr, _ = openssl_csr(NAMES)
        issued = await acme.issue_for(NAMES, csr)
        assert issued.account_url.startswith("https://127.0.0.1:")
        assert issued.order.status == certbridge.AcmeOrderStatus.VALID
        assert sorted(i.value for i in issued.order.identifiers) == sorted(NAMES)
        chain = certbridge.acme_chain_der(issued.chain)
        assert len(chain) >= 2 and chain[0][0] == 0x30
        text = openssl_x509_text(issued.chain.pem)
        for name in NAMES:
            assert f"DNS:{name}" in text
        account_info = await acme.find_account()
        assert account_info.url == issued.account_url
        assert account_info.contact == ["mailto:customer@example.com"]
        await acme.revoke(issued.chain.pem.encode(), reason=4)
        with pytest.raises(certbridge.CertbridgeError.Provider) as e:
            await acme.revoke(issued.chain.pem.encode())
        assert e.value.code == "urn:ietf:params:acme:error:alreadyRevoked"
        return issued

    asyncio.run(run())
    assert sorted(t.domain for t in solver.published) == sorted(NAMES)
    assert all(isinstance(t, certbridge.ChallengeTask.HTTP01) for t in solver.published)
    assert [t.token for t in solver.cleaned] == [t.token for t in solver.published]
    assert transport.sent[0] == f"POST {peers['sim_url']}/account"
    assert f"GET {directory_url}" in transport.sent


def test_plain_acme_with_eab_against_pebble(peers):
    """Every AcmeClient operation against Pebble with EAB, built-in
    transport trusting the test CA."""
    kid, hmac = peers["eab_keys"][-1]
    eab = certbridge.AcmeEabKey(kid, hmac)
    key = certbridge.AcmeAccountKey.generate()
    config = transport_config(peers)
    solver = RecordingSolver()

    async def run():
        with pytest.raises(certbridge.CertbridgeError.InvalidInput) as e:
            no_eab = await certbridge.AcmeClient.connect(peers["directory_url"], key, transport_config=config)
            await no_eab.account()
        assert e.value.field == "eab"
        acme = await certbridge.AcmeClient.connect(
            peers["directory_url"], key,
            account=certbridge.AcmeAccountOptions(contact=["mailto:ops@e2e.example"], eab=eab),
            transport_config=config, solver=solver,
        )
        with pytest.raises(certbridge.CertbridgeError.Provider) as e:
            await acme.find_account()
        assert e.value.code == "urn:ietf:params:acme:error:accountDoesNotExist"
        account = await acme.account()
        assert account.created and account.status == certbridge.AcmeAccountStatus.VALID
        assert acme.account_url() == account.url
        csr, cert_key = openssl_csr(NAMES)
        identifiers = [certbridge.acme_identifier_dns(n) for n in NAMES]
        issued = await acme.issue(certbridge.AcmeIssueOptions(identifiers=identifiers, csr=csr))
        # A new account has no valid authorization to reuse: one task per name.
        assert sorted(t.domain for t in solver.published) == sorted(NAMES)
        first = len(solver.published)
        order = await acme.order(issued.order.url)
        assert order.status == certbridge.AcmeOrderStatus.VALID and order.certificate
        for url in order.authorizations:
            authz = await acme.authorization(url)
            assert authz.status == certbridge.AcmeAuthorizationStatus.VALID
        chain = await acme.download(order.certificate)
        assert chain.pem == issued.chain.pem
        assert await acme.renewal_info(chain.pem.encode()) is None  # Pebble 2.4 has no ARI
        csr2, _ = openssl_csr(NAMES)
        renewed = await acme.renew(chain.pem.encode(), certbridge.AcmeIssueOptions(identifiers=identifiers, csr=csr2))
        assert renewed.chain.pem != chain.pem and not renewed.replaces_dropped
        await acme.revoke_with_certificate_key(chain.pem.encode(), cert_key)
        new_key = certbridge.AcmeAccountKey.generate_rs256(2048)
        await acme.change_key(new_key)
        assert acme.key().thumbprint() == new_key.thumbprint() != key.thumbprint()
        await acme.revoke(renewed.chain.pem.encode())
        with pytest.raises(certbridge.CertbridgeError.InvalidInput) as e:
            await acme.new_authorization(identifiers[0])  # Pebble 2.4 has no newAuthz
        assert e.value.field == "new_authz"
        deactivated = await acme.deactivate_authorization(renewed.order.authorizations[0])
        assert deactivated.status == certbridge.AcmeAuthorizationStatus.DEACTIVATED
        gone = await acme.deactivate()
        assert gone.status == certbridge.AcmeAccountStatus.DEACTIVATED
        with pytest.raises(certbridge.CertbridgeError) as e:
            await acme.order(issued.order.url)
        assert e.value.kind in ("provider", "auth")
        # The synchronous constructor with a fetched directory; cancel() stops every call.
        other = certbridge.AcmeClient(acme.directory(), certbridge.AcmeAccountKey.generate(), transport_config=config)
        other.cancel()
        with pytest.raises(certbridge.CertbridgeError.Cancelled):
            await other.find_account()

        # Pebble may reuse the account's valid authorizations for the renewal
        # even at PEBBLE_AUTHZREUSE=0 (its check is `rand.Intn(100) > percent`,
        # so 1 % per name): at most one task per name, only for these names.
        renewal = solver.published[first:]
        assert len(renewal) <= len(NAMES) and {t.domain for t in renewal} <= set(NAMES)
        return first

    asyncio.run(run())
    assert [t.token for t in solver.cleaned] == [t.token for t in solver.published]


def test_host_driven_issue_flow_against_pebble(peers):
    """AcmeIssueFlow driven by Python: its own HTTP stack and clock, the
    challenge step answered by calling solved()."""
    kid, hmac = peers["eab_keys"][-2]
    transport = UrllibTransport(peers["ca_pem"], {})
    directory = certbridge.acme_parse_directory(
        transport._send(certbridge.acme_directory_request(peers["directory_url"])), int(time.time() * 1000)
    )
    key = certbridge.AcmeAccountKey.generate()
    csr, _ = openssl_csr(NAMES[:1])
    flow = certbridge.AcmeIssueFlow(
        directory, key,
        certbridge.AcmeIssueOptions(identifiers=[certbridge.acme_identifier_dns(NAMES[0])], csr=csr),
        account=certbridge.AcmeAccountOptions(eab=certbridge.AcmeEabKey(kid, hmac)),
    )
    steps, tasks = [], []
    while True:
        step = flow.next(int(time.time() * 1000))
        steps.append(type(step).__name__.split(".")[-1])
        if isinstance(step, certbridge.AcmeStep.SEND):
            flow.receive(transport._send(step.request), int(time.time() * 1000))
        elif isinstance(step, certbridge.AcmeStep.WAIT):
            time.sleep(max(0, step.until / 1000 - time.time()))
        elif isinstance(step, certbridge.AcmeStep.SOLVE):
            tasks.extend(step.tasks)
            flow.solved()
        else:
            issued = step.issued
            break
    assert tasks and tasks[0].domain == NAMES[0]
    assert tasks[0].body == certbridge.acme_key_authorization(tasks[0].token, key.thumbprint())
    assert issued.account_url == flow.account_url()
    assert f"DNS:{NAMES[0]}" in openssl_x509_text(issued.chain.pem)
    assert steps.count("SEND") >= 7  # nonce, account, order, authz, challenge, finalize, download
    with pytest.raises(certbridge.CertbridgeError.Protocol):
        flow.next(int(time.time() * 1000))
