"""Every error kind arrives as a typed `CertbridgeError` with its fields,
produced through the real API wherever the Redtrust surface can produce it."""

import asyncio

import pytest

import certbridge
from certbridge import CertbridgeError, HttpResponse, HeaderField

ENVELOPE_ERROR = (
    b'{"message":"DN not allowed","messageType":"ERROR","errorCode":"INVALID_DN",'
    b'"data":null,"isValid":false}'
)
KINDS = {
    "invalid_input": CertbridgeError.InvalidInput,
    "transport": CertbridgeError.Transport,
    "http_status": CertbridgeError.HttpStatus,
    "provider": CertbridgeError.Provider,
    "auth": CertbridgeError.Auth,
    "protocol": CertbridgeError.Protocol,
    "crypto": CertbridgeError.Crypto,
    "timeout": CertbridgeError.Timeout,
    "cancelled": CertbridgeError.Cancelled,
}


def config():
    return certbridge.redtrust_config("https://rt.example:8082")


def response(status, body, headers=()):
    return HttpResponse(status=status, headers=[HeaderField(name=n, value=v) for n, v in headers], body=body)


def test_invalid_input_names_the_field():
    with pytest.raises(CertbridgeError.InvalidInput) as e:
        certbridge.redtrust_login_url(config(), "ca-demo", "key", "https://app.example/cb", 1_000)
    assert e.value.kind == "invalid_input"
    assert e.value.field == "partner"
    assert e.value.code is None and e.value.status is None
    assert "partner" in e.value.reason


def test_invalid_input_on_a_record_field():
    request = certbridge.redtrust_csr_request([certbridge.DnEntry(attribute="cn", value="a")])
    request.key_length = 1024
    session = certbridge.RedtrustSession("acc")
    with pytest.raises(CertbridgeError.InvalidInput) as e:
        certbridge.redtrust_create_csr_request(config(), request, session)
    assert e.value.field == "key_length"


def test_http_status_for_an_html_gateway_page():
    with pytest.raises(CertbridgeError.HttpStatus) as e:
        certbridge.redtrust_parse_login(response(502, b"<html><h1>502 Bad Gateway</h1></html>"))
    assert (e.value.kind, e.value.status) == ("http_status", 502)
    assert "502 Bad Gateway" in e.value.reason


def test_provider_error_carries_code_and_status():
    with pytest.raises(CertbridgeError.Provider) as e:
        certbridge.redtrust_parse_create_csr(response(400, ENVELOPE_ERROR), certbridge.redtrust_csr_request([]))
    v = e.value
    assert (v.kind, v.code, v.status, v.field) == ("provider", "INVALID_DN", 400, None)
    assert v.reason == "redtrust error INVALID_DN (HTTP 400): DN not allowed"
    assert v.correlation_id is None and v.retry_after is None


def test_auth_error_carries_the_code():
    body = b'{"message":"Token expired","messageType":"ERROR","errorCode":"TOKEN_EXPIRED","data":null}'
    with pytest.raises(CertbridgeError.Auth) as e:
        certbridge.redtrust_parse_login(response(401, body))
    assert (e.value.kind, e.value.code) == ("auth", "TOKEN_EXPIRED")


def test_protocol_error_for_truncated_json():
    with pytest.raises(CertbridgeError.Protocol) as e:
        certbridge.redtrust_parse_login(response(200, b'{"messageType":"SUCCESS","data":{"accessTo'))
    assert e.value.kind == "protocol"


def test_transport_error_when_the_host_transport_raises():
    class Broken(certbridge.HttpTransport):
        async def send(self, request):
            raise ConnectionResetError("peer reset")

    async def main():
        client = certbridge.RedtrustClient(
            config(), transport=Broken(), password=certbridge.RedtrustPassword(username="u", password="p")
        )
        await client.login()

    with pytest.raises(CertbridgeError.Transport) as e:
        asyncio.run(main())
    assert e.value.kind == "transport"


def test_transport_error_from_the_builtin_transport():
    # Nothing listens on port 9 of localhost: connection refused, no crash.
    async def main():
        client = certbridge.RedtrustClient(
            certbridge.redtrust_config("http://127.0.0.1:9"),
            password=certbridge.RedtrustPassword(username="u", password="p"),
        )
        await client.login()

    with pytest.raises(CertbridgeError.Transport) as e:
        asyncio.run(main())
    assert "connection" in e.value.reason.lower()


def test_cancelled_after_cancel():
    class Never(certbridge.HttpTransport):
        async def send(self, request):
            raise AssertionError("a cancelled client must not send")

    async def main():
        client = certbridge.RedtrustClient(
            config(), transport=Never(), password=certbridge.RedtrustPassword(username="u", password="p")
        )
        client.cancel()
        await client.login()

    with pytest.raises(CertbridgeError.Cancelled) as e:
        asyncio.run(main())
    assert e.value.kind == "cancelled"


def test_every_kind_is_a_typed_subclass_with_the_common_fields():
    # crypto and timeout have no Redtrust path yet (no key handling, no
    # polling deadline); their mapping is covered by the Rust unit test in
    # bindings-uniffi/src/error.rs. Here: they exist, are CertbridgeErrors,
    # and carry the same fields as the others.
    for kind, cls in KINDS.items():
        e = cls(
            kind=kind, code=None, field=None, reason=f"{kind} happened", status=None, correlation_id=None,
            retry_after=None,
        )
        assert isinstance(e, CertbridgeError)
        assert e.kind == kind and e.reason == f"{kind} happened"
