"""A Python transport through the foreign HttpTransport trait: a scripted
fake Redtrust server answering a whole issuance, and checks on the exact
requests the client sent through it."""

import asyncio
import json
import time

import certbridge
from certbridge import HeaderField, HttpResponse, Method

CSR_B64 = "MAMCAQU="  # a minimal DER SEQUENCE, enough for the CSR parser


def ok(data):
    body = {"message": "ok", "messageType": "SUCCESS", "errorCode": "OK", "data": data}
    return HttpResponse(
        status=200, headers=[HeaderField(name="Content-Type", value="application/json")],
        body=json.dumps(body).encode(),
    )


class ScriptedRedtrust(certbridge.HttpTransport):
    """Answers requests in order and records them."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent = []

    async def send(self, request):
        self.sent.append(request)
        await asyncio.sleep(0)  # a real await on the host's event loop
        return self.answers.pop(0)


def headers(request):
    return [(h.name, h.value) for h in request.headers]


def test_full_issuance_through_a_python_transport():
    expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
    transport = ScriptedRedtrust([
        ok({"accessToken": "a-1", "refreshToken": "r-1", "expiration": expiry}),
        ok({"requestCode": "P775", "csr": CSR_B64}),
        ok({"idCertificate": 42, "thumbprint": "abcdef0123456789abcdef0123456789abcdef01"}),
    ])
    client = certbridge.RedtrustClient(
        certbridge.redtrust_config("https://rt.example:8082"),
        transport=transport,
        password=certbridge.RedtrustPassword(username="app.user", password="pw", domain="local.users"),
    )
    request = certbridge.redtrust_csr_request(certbridge.redtrust_parse_dn("cn=John Doe,o=Example,c=ES"))
    request.info = {"b": "2", "a": "1"}

    issued = asyncio.run(client.issue(request))

    assert issued.request_code == "P775"
    assert issued.id_certificate == "42"
    assert issued.thumbprint == "ABCDEF0123456789ABCDEF0123456789ABCDEF01"
    assert issued.csr_pem.startswith("-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQU=\n")
    assert issued.renewed is None

    login, create, finalize = transport.sent
    assert (login.method, login.url) == (Method.POST, "https://rt.example:8082/raapi/v1/auth/login")
    assert headers(login) == [("Accept", "application/json"), ("Content-Type", "application/json")]
    assert login.body == b'{"username":"app.user","password":"pw","domain":"local.users"}'

    assert (create.method, create.url) == (Method.POST, "https://rt.example:8082/raapi/v1/csr/create")
    assert headers(create)[-1] == ("Authorization", "Bearer a-1")
    assert create.body == (
        b'{"dn":[{"attribute":"cn","value":"John Doe"},{"attribute":"o","value":"Example"},'
        b'{"attribute":"c","value":"ES"}],"hashType":"SHA384","keyLength":2048,"keyType":"RSA",'
        b'"provider":"CAMERFIRMA","info":{"a":"1","b":"2"}}'
    )

    assert (finalize.method, finalize.url) == (Method.PUT, "https://rt.example:8082/raapi/v1/csr/finalize")
    assert headers(finalize)[-1] == ("Authorization", "Bearer a-1")
    assert finalize.body == b'{"provider":"CAMERFIRMA","requestCode":"P775"}'

    # The client keeps the session it logged in with.
    session = client.session()
    assert session.access_token() == "a-1" and session.refresh_token() == "r-1"
    assert "a-1" not in str(session) and "r-1" not in repr(session)


def test_sans_io_flow_driven_by_python():
    """The same issuance driven step by step, as a host with its own HTTP
    stack and clock does."""
    answers = [
        ok({"accessToken": "a-1", "expiration": "2100-01-01T00:00:00Z"}),
        ok({"requestCode": "P1", "csr": CSR_B64}),
        ok({"idCertificate": "7", "thumbprint": "ABCDEF0123456789ABCDEF0123456789ABCDEF01"}),
    ]
    flow = certbridge.RedtrustIssueFlow(
        certbridge.redtrust_config("https://rt.example:8082"),
        certbridge.RedtrustCredentials.TEMP_TOKEN(token="tkn-1"),
        certbridge.redtrust_csr_request([certbridge.DnEntry(attribute="cn", value="John Doe")]),
    )
    now = 1_744_719_496_000
    urls = []
    while True:
        step = flow.next(now)
        if step.is_SEND():
            urls.append((step.request.method, step.request.url))
            flow.receive(answers.pop(0), now)
        elif step.is_DONE():
            issued = step.issued
            break
        else:
            raise AssertionError(f"unexpected step {step}")
    assert urls == [
        (Method.POST, "https://rt.example:8082/authapi/v1/login_by_temp_token"),
        (Method.POST, "https://rt.example:8082/raapi/v1/csr/create"),
        (Method.PUT, "https://rt.example:8082/raapi/v1/csr/finalize"),
    ]
    assert issued.id_certificate == "7"
    assert flow.session().access_token() == "a-1"
