#!/usr/bin/env python3
"""Writes the SwissSign endpoint and error vectors:
tests/vectors/swisssign-endpoints.json and tests/vectors/swisssign-errors.json.

Requests follow swisssign-ra-api-v2 (paths, POST, Bearer, bodies) and the
public RA API reference (field names); response bodies are shaped like the
reference's schemas. The error tables below are transcribed from the seed's
"Module | Code", "Section | Code" and "Error codes | Code" tables, separately
from the Rust tables they check. Certificates come from the committed test
PKI (scripts/gen-crypto-fixtures.sh).

    python3 scripts/gen-swisssign-vectors.py
"""
import base64
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "tests/vectors/fixtures"
VEC = ROOT / "tests/vectors"

BASE = "https://api.ra.swisssign.ch"
TOKEN = "test-bearer-token"
CLI = "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd"
PMA = "pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed"
PMA2 = "pma-0c2b1a3e-5d4f-4e6a-9b8c-7d6e5f4a3b2c"
ORD = "ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b"
CLD = "cld-a45daaf0-78f8-49e9-83e9-3584f673c6e0"
CLD2 = "cld-b56ebbf1-89f9-4af0-94fa-4695f784d7f1"
UUID = "3f2b7c1e-9a4d-4e8b-b6f0-2d5c8e7a1b90"
CSR = (FIX / "request.csr.pem").read_text()

AUTH = [["Accept", "application/json"], ["Authorization", f"Bearer {TOKEN}"]]
JSON_CT = [["Content-Type", "application/json"]]


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def der_list(name):
    out = subprocess.run(["openssl", "x509", "-in", str(FIX / f"{name}.pem"), "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return out


def subject(name):
    out = subprocess.run(["openssl", "x509", "-in", str(FIX / f"{name}.pem"), "-noout", "-subject",
                          "-nameopt", "RFC2253,-esc_msb"], check=True, capture_output=True).stdout
    return out.decode("utf-8").strip().split("=", 1)[1]


LEAF, INT, ROOTC = der_list("leaf"), der_list("intermediate"), der_list("root")
B64 = {k: base64.b64encode(v).decode() for k, v in [("leaf", LEAF), ("int", INT), ("root", ROOTC)]}
SUBJECTS = [subject("leaf"), subject("intermediate"), subject("root")]
CHAIN_VALUE = {"certificates": [{"subject": s} for s in SUBJECTS]}

cases = []


def add(name, op, input=None, response=None, expect=None):
    c = {"name": f"swisssign/{name}", "op": f"swisssign.{op}", "input": input or {}}
    if response is not None:
        c["response"] = response
    c["expect"] = expect
    cases.append(c)


def req(path, body=None, extra_headers=None, accept=None):
    headers = [["Accept", accept or "application/json"], ["Authorization", f"Bearer {TOKEN}"]]
    r = {"method": "POST", "url": BASE + path}
    if body is not None:
        headers = headers + (extra_headers or JSON_CT)
        r["body"] = body
    r["headers"] = headers
    return {"request": r}


def ok(body, status=200, ctype="application/json"):
    r = {"status": status, "headers": [["Content-Type", ctype]]}
    if isinstance(body, (dict, list)):
        r["body"] = compact(body)
    else:
        r["body"] = body
    return r


def api_error(status, code, messages, uuid=UUID):
    return {"status": status, "headers": [["Content-Type", "application/json"]],
            "body": compact({"uuid": uuid, "errorCode": code, "errorMessages": messages})}


T = {"token": TOKEN}

# --- /v2/jwt/{userName} -----------------------------------------------------
add("jwt/request/seed-example", "jwt",
    {"user_name": "service.account", "user_secret": "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w"},
    expect={"request": {"method": "POST", "url": f"{BASE}/v2/jwt/service.account",
                        "headers": [["Accept", "text/plain, application/json"],
                                    ["Content-Type", "application/x-www-form-urlencoded"]],
                        "body": "userSecret=n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w"}})
add("jwt/request/escapes-user-and-secret", "jwt",
    {"base_url": "https://api.ra.pre.swisssign.ch/", "user_name": "a/b?c", "user_secret": "p&q=r s+t"},
    expect={"request": {"method": "POST", "url": "https://api.ra.pre.swisssign.ch/v2/jwt/a%2Fb%3Fc",
                        "body": "userSecret=p%26q%3Dr%20s%2Bt"}})
add("jwt/request/empty-secret", "jwt", {"user_name": "svc", "user_secret": ""},
    expect={"error": {"kind": "invalid_input", "field": "user_secret"}})
add("jwt/request/bad-base-url", "jwt", {"base_url": "ftp://x", "user_name": "svc", "user_secret": "k"},
    expect={"error": {"kind": "invalid_input", "field": "base_url"}})
add("jwt/response/html-page", "jwt", {"now": 1000}, ok("<html><body>Login</body></html>", ctype="text/html"),
    {"error": {"kind": "protocol"}})
add("jwt/response/empty", "jwt", {"now": 1000}, ok(""), {"error": {"kind": "protocol"}})
add("jwt/response/bad-secret", "jwt", {"now": 1000},
    api_error(401, "009.353.0223", ["Invalid credentials"]),
    {"error": {"kind": "provider", "code": "009.353.0223"}})
add("jwt/response/bare-401", "jwt", {"now": 1000}, {"status": 401, "body": ""},
    {"error": {"kind": "auth"}})

# --- clients ----------------------------------------------------------------
add("clients/request/all", "search_clients", T, expect=req("/v2/clients"))
add("clients/request/seed-search", "search_clients", {**T, "search": "Client*"},
    expect=req("/v2/clients?search=Client%2A"))
add("clients/request/paged", "search_clients_paged", {**T, "search": "C?mpan* Ltd", "start": 300, "length": 100},
    expect=req("/v2/clients/paged?search=C%3Fmpan%2A%20Ltd&length=100&start=300"))
add("clients/request/paged-defaults", "search_clients_paged", T, expect=req("/v2/clients/paged"))
product = {"uuid": PMA, "productName": "SwissSign DV SSL Silver", "productDescription": None,
           "keyGenerationType": "PKCS10", "keyType": "RSA_2048", "issuanceNotification": True,
           "authorization": False, "isCABDNSValidationRequired": True,
           "productValidity": {"validityType": "DAYS", "validity": 397, "validityOptions": [90, 397]}}
product2 = {"uuid": PMA2, "name": "Internal TLS", "keyGenerationType": "PKCS10", "authorization": True}
client = {"uuid": CLI, "name": "Déjà Vu AG", "description": "test client", "products": [product, product2]}
client_value = {"uuid": CLI, "name": "Déjà Vu AG", "description": "test client", "products": [
    {"uuid": PMA, "product_name": "SwissSign DV SSL Silver", "product_description": None,
     "key_generation_type": "PKCS10", "key_type": "RSA_2048", "authorization": False,
     "is_cab_dns_validation_required": True,
     "product_validity": {"validity_type": "DAYS", "validity": 397, "validity_options": [90, 397]}},
    {"uuid": PMA2, "product_name": "Internal TLS", "authorization": True, "key_type": None}]}
add("clients/response/list", "search_clients", response=ok([client]), expect={"value": [client_value]})
add("clients/response/empty-list", "search_clients", response=ok([]), expect={"value": []})
add("clients/response/paged", "search_clients_paged",
    response=ok({"draw": 1, "recordsFiltered": 1, "recordsTotal": 12, "data": [client]}),
    expect={"value": {"draw": 1, "records_filtered": 1, "records_total": 12, "data": [client_value]}})
add("clients/response/bad-product-reference", "search_clients",
    response=ok([{**client, "products": [{**product, "uuid": "ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b"}]}]),
    expect={"error": {"kind": "protocol"}})
add("clients/response/object-instead-of-list", "search_clients", response=ok(client),
    expect={"error": {"kind": "protocol"}})
add("client/request", "get_client", {**T, "client": CLI}, expect=req(f"/v2/client/{CLI}"))
add("client/request/upper-case-uuid-normalised", "get_client", {**T, "client": CLI.upper().replace("CLI-", "cli-")},
    expect=req(f"/v2/client/{CLI}"))
add("client/request/seed-placeholder-refused", "get_client", {**T, "client": "cli-xxxx"},
    expect={"error": {"kind": "invalid_input", "field": "client_reference"}})
add("client/request/product-reference-refused", "get_client", {**T, "client": PMA},
    expect={"error": {"kind": "invalid_input", "field": "client_reference"}})
add("client/response", "get_client", response=ok(client), expect={"value": client_value})
add("client/response/missing-name", "get_client", response=ok({"uuid": CLI}), expect={"error": {"kind": "protocol"}})
add("client/response/not-found", "get_client", response=api_error(404, "011.352.0231", ["Client not found"]),
    expect={"error": {"kind": "provider", "code": "011.352.0231", "message_contains": "Client not found"}})

# --- domain pre-validation --------------------------------------------------
seed_domains = ["déjà.vu.com", "jamais.vu.com", "encore.vu.com"]
add("domains/register/request/seed-example", "register_domains", {**T, "client": CLI, "domains": seed_domains},
    expect=req(f"/v2/client/domain/{CLI}/register", compact(seed_domains)))
add("domains/register/request/empty", "register_domains", {**T, "client": CLI, "domains": []},
    expect={"error": {"kind": "invalid_input", "field": "domains"}})
add("domains/register/request/not-a-name", "register_domains", {**T, "client": CLI, "domains": ["ok.com", "bad name.com"]},
    expect={"error": {"kind": "invalid_input", "field": "domains[1]"}})
add("domains/register/request/wildcard-refused", "register_domains", {**T, "client": CLI, "domains": ["*.vu.com"]},
    expect={"error": {"kind": "invalid_input", "field": "domains[0]"}})
cld = {"uuid": CLD, "createdOn": "2025-04-15T12:18:16Z", "domain": "xn--dj-kia8a.vu.com", "domainUnicode": "déjà.vu.com",
       "validated": False, "trustedDomain": False, "validationMethod": "DNS_TXT",
       "randomValue": "CTvhWIvNCuEjIynG574gD5Jeopo", "randomValueTimeCreated": "2025-04-15T12:18:16Z",
       "randomValueTimeExpire": "2025-05-15T12:18:16Z", "expired": False, "randomValueTimeExpired": False,
       "status": "PENDING"}
cld2 = {"uuid": CLD2, "domainUnicode": "jamais.vu.com", "validated": False, "trustedDomain": False,
        "validationMethod": "DNS_TXT", "randomValue": "swiss-pki=Q2xhc3NpcXVl", "expired": False,
        "randomValueTimeExpired": False, "status": "NOT_VALIDATED"}
cld_value = {"uuid": CLD, "domain": "xn--dj-kia8a.vu.com", "domain_unicode": "déjà.vu.com", "validated": False,
             "random_value": "CTvhWIvNCuEjIynG574gD5Jeopo", "status": "PENDING",
             "txt_record": {"name": "xn--dj-kia8a.vu.com", "value": "swiss-pki=CTvhWIvNCuEjIynG574gD5Jeopo"}}
cld2_value = {"uuid": CLD2, "domain": None, "status": "NOT_VALIDATED",
              "txt_record": {"name": "jamais.vu.com", "value": "swiss-pki=Q2xhc3NpcXVl"}}
add("domains/register/response/txt-records", "register_domains", response=ok([cld, cld2]),
    expect={"value": [cld_value, cld2_value]})
add("domains/register/response/unicode-only-gets-punycode-owner", "register_domains",
    response=ok([{**cld, "domain": None}]),
    expect={"value": [{"uuid": CLD, "txt_record": {"name": "xn--dj-kia8a.vu.com",
                                                    "value": "swiss-pki=CTvhWIvNCuEjIynG574gD5Jeopo"}}]})
add("domains/register/response/truncated", "register_domains", response=ok(compact([cld])[:-20]),
    expect={"error": {"kind": "protocol"}})
add("domains/register/response/validation-error", "register_domains",
    response=api_error(400, "011.351.0226", ["domain name invalid: bad..name"]),
    expect={"error": {"kind": "provider", "code": "011.351.0226"}})
add("domains/list/request/current-path", "list_domains", {**T, "client": CLI},
    expect=req(f"/v2/client/domain/{CLI}/list"))
add("domains/list/request/seed-heading-path", "list_domains",
    {**T, "client": CLI, "compat": {"domain_list_path": "domains"}},
    expect=req(f"/v2/client/domains/{CLI}/list"))
validated = {**cld, "validated": True, "randomValue": None, "timeValidated": "2025-04-16T08:00:00Z",
             "validationResult": "OK", "status": "VALID"}
add("domains/list/response/validated-has-no-record", "list_domains", response=ok([validated]),
    expect={"value": [{"uuid": CLD, "validated": True, "status": "VALID", "txt_record": None,
                       "time_validated": "2025-04-16T08:00:00Z"}]})
add("domains/list/response/unknown-status-kept", "list_domains", response=ok([{**cld, "status": "QUARANTINED"}]),
    expect={"value": [{"uuid": CLD, "status": "QUARANTINED"}]})
add("domains/list/response/wrong-reference-type", "list_domains", response=ok([{**cld, "uuid": CLI}]),
    expect={"error": {"kind": "protocol"}})
for action, suffix in [("get", ""), ("validate", "/validate"), ("token_reset", "/token/reset"),
                       ("token_delete", "/token/delete")]:
    add(f"domain/{action}/request", "domain", {**T, "domain": CLD, "action": action},
        expect=req(f"/v2/client/domain/{CLD}{suffix}"))
add("domain/get/request/order-reference-refused", "domain", {**T, "domain": ORD, "action": "get"},
    expect={"error": {"kind": "invalid_input", "field": "domain_reference"}})
add("domain/validate/response", "domain", response=ok(validated),
    expect={"value": {"uuid": CLD, "validated": True, "status": "VALID"}})
add("domain/token-reset/response/new-token", "domain", response=ok({**cld, "randomValue": "TmV3VG9rZW4"}),
    expect={"value": {"txt_record": {"name": "xn--dj-kia8a.vu.com", "value": "swiss-pki=TmV3VG9rZW4"}}})
add("domain/token-delete/response", "domain", response=ok({**cld, "randomValue": None}),
    expect={"value": {"random_value": None, "txt_record": None}})
add("domain/response/html-502", "domain", response={"status": 502, "body": "<html><h1>502 Bad Gateway</h1></html>"},
    expect={"error": {"kind": "http_status", "message_contains": "502 Bad Gateway"}})
add("domain/delete/request", "delete_domain", {**T, "domain": CLD}, expect=req(f"/v2/client/domain/{CLD}/delete"))
add("domain/delete/response/204", "delete_domain", response={"status": 204, "body": ""}, expect={"value": None})
add("domain/delete/response/not-found", "delete_domain", response=api_error(404, "011.354.0225", ["not found"]),
    expect={"error": {"kind": "provider", "code": "011.354.0225"}})

# --- issuance -----------------------------------------------------------------
order = {"uuid": ORD, "createdOn": "2025-04-15T12:18:16Z", "status": "NEW", "clientReference": CLI,
         "productReference": PMA}
order_value = {"uuid": ORD, "status": "NEW", "created_on": "2025-04-15T12:18:16Z", "client_reference": CLI,
               "product_reference": PMA, "certificate": None}
add("issue-csr/request", "issue_csr", {**T, "product": PMA, "csr": CSR},
    expect=req(f"/v2/issue/csr/{PMA}", CSR, [["Content-Type", "text/plain"]]))
add("issue-csr/request/crlf-pem-normalised", "issue_csr", {**T, "product": PMA, "csr": CSR.replace("\n", "\r\n")},
    expect=req(f"/v2/issue/csr/{PMA}", CSR, [["Content-Type", "text/plain"]]))
add("issue-csr/request/not-a-csr", "issue_csr", {**T, "product": PMA, "csr": (FIX / "leaf.pem").read_text()},
    expect={"error": {"kind": "invalid_input", "field": "csr"}})
add("issue-csr/request/order-reference-as-product", "issue_csr", {**T, "product": ORD, "csr": CSR},
    expect={"error": {"kind": "invalid_input", "field": "product_reference"}})
add("issue-csr/request/no-token", "issue_csr", {"product": PMA, "csr": CSR},
    expect={"error": {"kind": "invalid_input", "field": "token"}})
add("issue-csr/response/order", "issue_csr", response=ok(order), expect={"value": order_value})
add("issue-csr/response/unknown-status-kept", "issue_csr", response=ok({**order, "status": "QUEUED_FOR_HSM"}),
    expect={"value": {"uuid": ORD, "status": "QUEUED_FOR_HSM"}})
add("issue-csr/response/missing-uuid", "issue_csr", response=ok({k: v for k, v in order.items() if k != "uuid"}),
    expect={"error": {"kind": "protocol"}})
add("issue-csr/response/status-wrong-type", "issue_csr", response=ok({**order, "status": 3}),
    expect={"error": {"kind": "protocol"}})
add("issue-csr/response/empty-200", "issue_csr", response=ok(""), expect={"error": {"kind": "protocol"}})
add("issue-csr/response/non-utf8", "issue_csr",
    response={"status": 200, "body_base64": base64.b64encode(b"\xff\xfe{\x00").decode()},
    expect={"error": {"kind": "protocol"}})
add("issue-csr/response/bad-csr", "issue_csr",
    response=api_error(400, "011.351.0241", ["Unable to parse CSR"]),
    expect={"error": {"kind": "provider", "code": "011.351.0241", "message_contains": "Unable to parse CSR"}})
issue_input = {**T, "product": PMA, "csr": CSR, "subject_dn": "CN=déjà.vu.com,O=Déjà Vu AG,C=CH",
               "validity": 90, "dns": ["déjà.vu.com", "www.vu.com"], "emails": ["ops@vu.com"],
               "ips": ["192.0.2.7"], "tags": ["cmdb:42"], "note": "ticket 7", "synchronous": True,
               "accept_terms": True, "include_certificate_chain": True}
issue_body = compact({
    "productReference": PMA, "csr": CSR,
    "overrides": {"subjectDN": "CN=déjà.vu.com,O=Déjà Vu AG,C=CH", "validity": 90,
                  "requestExtensions": {"requestDNS": {"values": [{"dns": "déjà.vu.com"}, {"dns": "www.vu.com"}]},
                                        "requestRFC822": {"values": ["ops@vu.com"]},
                                        "requestIP": {"values": ["192.0.2.7"]}}},
    "tags": ["cmdb:42"], "note": "ticket 7", "synchrone": True, "acceptTandC": True,
    "includeCertificateChain": True})
add("issue/request/full", "issue", issue_input, expect=req("/v2/issue", issue_body))
add("issue/request/minimal", "issue", {**T, "product": PMA, "csr": CSR},
    expect=req("/v2/issue", compact({"productReference": PMA, "csr": CSR})))
add("issue/request/server-generated-key", "issue", {**T, "product": PMA, "subject_dn": "CN=x"},
    expect=req("/v2/issue", compact({"productReference": PMA, "overrides": {"subjectDN": "CN=x"}})))
add("issue/request/bad-san", "issue", {**T, "product": PMA, "csr": CSR, "dns": ["ok.com", "no way"]},
    expect={"error": {"kind": "invalid_input", "field": "overrides.request_extensions.request_dns[1]"}})
issued_order = {**order, "status": "ISSUED", "issuedBy": "ra@vu.com", "tags": ["cmdb:42"],
                "certificate": {"subject": "CN=déjà.vu.com", "issuer": "CN=certbridge Test Issuing CA",
                                "serial": "8A3893409CB666E1F092B7B6F28E1EAF4582AA7F",
                                "startValidity": "2025-04-15T12:18:16Z", "endValidity": "2026-05-17T12:18:16Z",
                                "certificate": B64["leaf"]},
                "certificateChain": [B64["leaf"], B64["int"], B64["root"]]}
add("issue/response/synchronous-with-chain", "issue", response=ok(issued_order),
    expect={"value": {"uuid": ORD, "status": "ISSUED", "issued_by": "ra@vu.com",
                      "certificate": {"serial": "8A3893409CB666E1F092B7B6F28E1EAF4582AA7F",
                                      "certificate": B64["leaf"], "revocation_status": None},
                      "certificate_chain": [B64["leaf"], B64["int"], B64["root"]]}})
add("validate/request", "validate_issue", {**T, "product": PMA, "csr": CSR},
    expect=req("/v2/validate", compact({"productReference": PMA, "csr": CSR})))
add("validate/response/204", "validate_issue", response={"status": 204, "body": ""}, expect={"value": None})
add("validate/response/product-disabled", "validate_issue",
    response=api_error(400, "011.351.0245", ["API issuance disabled for product"]),
    expect={"error": {"kind": "provider", "code": "011.351.0245"}})

# --- orders -----------------------------------------------------------------------
add("order-status/request", "order_status", {**T, "order": ORD}, expect=req(f"/v2/order/{ORD}/status"))
add("order-status/request/seed-placeholder-refused", "order_status", {**T, "order": "order-uuid"},
    expect={"error": {"kind": "invalid_input", "field": "order_reference"}})
for status in ["NEW", "KEY_VALIDATION", "PRE_VALIDATION", "GENERATE_TBS", "PENDING_AUTH", "PRE_ISSUE", "ISSUE",
               "POST_VALIDATION", "FINALIZE_ISSUANCE", "ISSUED", "REVOKED", "FAILED", "REJECTED",
               "PENDING_CSR_RENEWAL", "UNKNOWN"]:
    add(f"order-status/response/bare-string/{status}", "order_status", response=ok(compact(status)),
        expect={"value": status})
add("order-status/response/object", "order_status", response=ok({"status": "PENDING_AUTH"}),
    expect={"value": "PENDING_AUTH"})
add("order-status/response/unquoted-text", "order_status", response=ok("ISSUED\n", ctype="text/plain"),
    expect={"value": "ISSUED"})
add("order-status/response/unknown-kept", "order_status", response=ok(compact("ON_HOLD")), expect={"value": "ON_HOLD"})
for name, body in [("empty", ""), ("number", "42"), ("null", "null"), ("object-without-status", '{"state":"ISSUED"}'),
                   ("truncated", '{"status":"ISS'), ("array", '["ISSUED"]')]:
    add(f"order-status/response/malformed/{name}", "order_status", response=ok(body), expect={"error": {"kind": "protocol"}})
add("order-status/response/gateway-html", "order_status",
    response={"status": 503, "headers": [["Retry-After", "5"]], "body": "<html>Service Unavailable</html>"},
    expect={"error": {"kind": "http_status"}})
add("order-status/response/jwt-expired", "order_status",
    response=api_error(401, "009.250.0228", ["JWT expired"]),
    expect={"error": {"kind": "provider", "code": "009.250.0228"}})
add("order/request", "get_order", {**T, "order": ORD}, expect=req(f"/v2/order/{ORD}"))
revoked = {**issued_order, "status": "REVOKED", "certificateChain": None,
           "certificate": {**issued_order["certificate"],
                           "revocationStatus": {"revokedOn": "2025-05-01T00:00:00Z", "reason": "SUPERSEDED",
                                                "revokedBy": "ra@vu.com"}}}
add("order/response/revoked", "get_order", response=ok(revoked),
    expect={"value": {"status": "REVOKED", "certificate_chain": None,
                      "certificate": {"revocation_status": {"revoked_on": "2025-05-01T00:00:00Z",
                                                            "reason": "SUPERSEDED", "revoked_by": "ra@vu.com"}}}})
add("order/response/wrong-client-reference", "get_order", response=ok({**order, "clientReference": "cli-nope"}),
    expect={"error": {"kind": "protocol"}})
search = {"serialNumber": "8A38*", "orderStatus": ["ISSUED", "PENDING_AUTH"], "clientReferences": [CLI],
          "startAfter": "2025-01-01T00:00:00Z", "includeCertificateChain": True, "tags": ["cmdb:42"]}
search_body = compact({"serialNumber": "8A38*", "orderStatus": ["ISSUED", "PENDING_AUTH"], "clientReferences": [CLI],
                       "startAfter": "2025-01-01T00:00:00Z", "includeCertificateChain": True, "tags": ["cmdb:42"]})
add("orders/request/search", "search_orders", {**T, "search": search}, expect=req("/v2/orders", search_body))
add("orders/request/empty-search", "search_orders", T, expect=req("/v2/orders", "{}"))
add("orders/request/by-reference", "search_orders", {**T, "search": {"orderReference": ORD}},
    expect=req("/v2/orders", compact({"orderReference": ORD})))
add("orders/request/bad-date", "search_orders", {**T, "search": {"startBefore": "last tuesday"}},
    expect={"error": {"kind": "invalid_input", "field": "start_before"}})
add("orders/response", "search_orders", response=ok([order, issued_order]),
    expect={"value": [{"uuid": ORD, "status": "NEW"}, {"uuid": ORD, "status": "ISSUED"}]})
add("orders/response/not-a-list", "search_orders", response=ok({"data": []}), expect={"error": {"kind": "protocol"}})
add("orders/paged/request", "search_orders_paged", {**T, "search": {"orderStatus": ["ISSUED"]}, "start": 100, "length": 50},
    expect=req("/v2/orders/paged?length=50&start=100", compact({"orderStatus": ["ISSUED"]})))
add("orders/paged/response", "search_orders_paged",
    response=ok({"draw": 2, "recordsFiltered": 101, "recordsTotal": 5000, "data": [order]}),
    expect={"value": {"draw": 2, "records_filtered": 101, "records_total": 5000, "data": [{"uuid": ORD}]}})
add("orders/paged/response/missing-data", "search_orders_paged", response=ok({"draw": 2, "recordsFiltered": 1}),
    expect={"error": {"kind": "protocol"}})

# --- certificate chain --------------------------------------------------------
add("chain/request", "chain", {**T, "order": ORD},
    expect=req(f"/v2/order/{ORD}/certificate/chain", accept="application/json, application/pkcs7-mime"))
add("chain/response/json-array-leaf-first", "chain", response=ok([B64["leaf"], B64["int"], B64["root"]]),
    expect={"value": CHAIN_VALUE})
add("chain/response/json-array-reordered", "chain", response=ok([B64["root"], B64["leaf"], B64["int"]]),
    expect={"value": CHAIN_VALUE})
add("chain/response/json-array-of-pem", "chain",
    response=ok([(FIX / "leaf.pem").read_text(), (FIX / "intermediate.pem").read_text()]),
    expect={"value": {"certificates": [{"subject": SUBJECTS[0]}, {"subject": SUBJECTS[1]}]}})
p7_der = (FIX / "chain-shuffled.p7b").read_bytes()
add("chain/response/pkcs7-der", "chain",
    response={"status": 200, "headers": [["Content-Type", "application/pkcs7-mime"]],
              "body_base64": base64.b64encode(p7_der).decode()},
    expect={"value": CHAIN_VALUE})
add("chain/response/pkcs7-pem", "chain", response=ok((FIX / "chain.p7.pem").read_text(), ctype="text/plain"),
    expect={"value": CHAIN_VALUE})
add("chain/response/pkcs7-base64-text", "chain", response=ok(base64.b64encode(p7_der).decode(), ctype="text/plain"),
    expect={"value": CHAIN_VALUE})
add("chain/response/pkcs7-in-json-string", "chain", response=ok(compact(base64.b64encode(p7_der).decode())),
    expect={"value": CHAIN_VALUE})
add("chain/response/pem-bundle", "chain", response=ok((FIX / "chain.pem").read_text(), ctype="application/pem-certificate-chain"),
    expect={"value": CHAIN_VALUE})
add("chain/response/leaf-fields", "chain", response=ok([B64["leaf"]]),
    expect={"value": {"certificates": [{"serial_hex": "8A3893409CB666E1F092B7B6F28E1EAF4582AA7F",
                                        "sans": [{"type": "dns", "value": "xn--dj-kia8a.vu.com"},
                                                 {"type": "dns", "value": "*.vu.com"},
                                                 {"type": "email", "value": "ops@vu.com"},
                                                 {"type": "ip", "value": "192.0.2.7"},
                                                 {"type": "ip", "value": "2001:db8::7"}],
                                        "is_ca": False}]}})
for name, resp in [
    ("empty-array", ok([])),
    ("empty-body", ok("")),
    ("non-string-entry", ok([B64["leaf"], 7])),
    ("not-a-certificate", ok([base64.b64encode(b"hello world").decode()])),
    ("truncated-der", ok([B64["leaf"][:200]])),
    ("truncated-json", ok(compact([B64["leaf"]])[:50])),
    ("truncated-pkcs7", {"status": 200, "body_base64": base64.b64encode(p7_der[:300]).decode()}),
    ("html", ok("<html>oops</html>", ctype="text/html")),
    ("non-utf8", {"status": 200, "body_base64": base64.b64encode(b"\xff\xfe\xfd").decode()}),
]:
    add(f"chain/response/malformed/{name}", "chain", response=resp, expect={"error": {"kind": "protocol"}})
add("chain/response/not-issued-yet", "chain", response=api_error(404, "011.354.0225", ["Certificate not issued"]),
    expect={"error": {"kind": "provider", "code": "011.354.0225"}})

# --- revocation ---------------------------------------------------------------
SEED_ISSUER = "DC=COM,DC=Some Domain,OU=Some Organizational Unit,CN=Some SubCA"
SEED_SERIAL = "3893409CB666E1F092B7B6F28E1EAF4582AA7F21"
add("revoke/request/current-spelling", "revoke",
    {**T, "certificates": [{"serial_number": SEED_SERIAL, "issuer_name": SEED_ISSUER, "reason": "superseded"},
                           {"serial_number": "8a:38:93:40", "issuer_name": "CN=x", "reason": "key_compromise",
                            "requestor": "Jane Doe"}]},
    expect=req("/v2/revoke", compact([
        {"serialNumber": SEED_SERIAL, "issuerName": SEED_ISSUER, "revocationReason": "SUPERSEDED"},
        {"serialNumber": "8A389340", "issuerName": "CN=x", "revocationReason": "KEY_COMPROMISE",
         "revocationRequestor": "Jane Doe"}])))
add("revoke/request/seed-example-legacy-spelling", "revoke",
    {**T, "compat": {"reason_spelling": "camel_case"},
     "certificates": [{"serial_number": SEED_SERIAL, "issuer_name": SEED_ISSUER, "reason": "superseded"}]},
    expect=req("/v2/revoke", compact([
        {"serialNumber": SEED_SERIAL, "issuerName": SEED_ISSUER, "revocationReason": "superseded"}])))
for reason, upper, camel in [("unused", "UNUSED", "unspecified"), ("key_compromise", "KEY_COMPROMISE", "keyCompromise"),
                             ("affiliation_changed", "AFFILIATION_CHANGED", "affiliationChanged"),
                             ("superseded", "SUPERSEDED", "superseded"),
                             ("cessation_of_operation", "CESSATION_OF_OPERATION", "cessationOfOperation")]:
    for style, wire in [("upper_snake", upper), ("camel_case", camel)]:
        add(f"revoke/request/reason/{reason}/{style}", "revoke",
            {**T, "compat": {"reason_spelling": style},
             "certificates": [{"serial_number": "01", "issuer_name": "CN=CA", "reason": reason}]},
            expect=req("/v2/revoke", compact([{"serialNumber": "01", "issuerName": "CN=CA", "revocationReason": wire}])))
add("revoke/request/nothing", "revoke", {**T, "certificates": []},
    expect={"error": {"kind": "invalid_input", "field": "certificates"}})
add("revoke/request/bad-serial", "revoke",
    {**T, "certificates": [{"serial_number": "xyz", "issuer_name": "CN=CA", "reason": "unused"}]},
    expect={"error": {"kind": "invalid_input", "field": "certificates[0].serial_number"}})
add("revoke/request/empty-issuer", "revoke",
    {**T, "certificates": [{"serial_number": "01", "issuer_name": " ", "reason": "unused"}]},
    expect={"error": {"kind": "invalid_input", "field": "certificates[0].issuer_name"}})
add("revoke/response/204", "revoke", response={"status": 204, "body": ""}, expect={"value": None})
add("revoke/response/already-revoked", "revoke",
    response=api_error(400, "011.351.0233", ["Certificate already revoked"]),
    expect={"error": {"kind": "provider", "code": "011.351.0233"}})

(VEC / "swisssign-endpoints.json").write_text(json.dumps(
    {"description": "Every SwissSign RA API v2 endpoint: exact requests and parsed responses, "
                    "malformed bodies included (scripts/gen-swisssign-vectors.py).",
     "cases": cases}, indent=2, ensure_ascii=False) + "\n")
endpoint_count = len(cases)

# --- APIError tables (transcribed from the seed) --------------------------------
MODULES = {"001": "MODULE_COMMONS", "006": "MODULE_HSM", "007": "MODULE_CA", "009": "MODULE_AUTHENTICATION",
           "011": "MODULE_RAO_API"}
SECTIONS = {"010": "SECTION_UTILS", "110": "SECTION_API", "120": "SECTION_SERVICES", "140": "SECTION_DAO",
            "150": "SECTION_CALLBACK", "250": "SECTION_JWT", "350": "SECTION_RAO_API_APP",
            "351": "SECTION_RAO_API_FORM_VALIDATION", "352": "SECTION_RAO_API_ACCESS_DENIED",
            "353": "SECTION_RAO_API_AUTHENTICATION", "354": "SECTION_RAO_API_RUNTIME"}
ERRORS = {"0223": "AUTHENTICATION", "0224": "ACCESS_DENIED", "0225": "RUNTIME", "0226": "VALIDATION",
          "0227": "APPLICATION", "0228": "JWT", "0229": "NULL_VALUE", "0230": "INVALID_CERTIFICATE_S/N",
          "0231": "INVALID_CLIENT", "0232": "CERTIFICATE_EXPIRED", "0233": "CERTIFICATE_ALREADY_REVOKED",
          "0234": "INVALID_PRODUCT_MAPPING", "0235": "CERTIFICATE_IS_CA", "0236": "CERTIFICATE_IS_ENTITY",
          "0237": "FAILED_PARSING_DN", "0238": "INVALID_ISSUER_NAME", "0239": "FAILED_SUBMIT_ORDER",
          "0240": "FAILED_VALIDATING_REQUEST", "0241": "FAILED_PARSING_CSR", "0242": "MISSING_CDP",
          "0243": "INVALID_PRODUCT_ID", "0244": "INVALID_PRODUCT_TYPE", "0245": "PRODUCT_API_DISABLED",
          "0246": "PRODUCT_RETIRED", "0247": "PRODUCT_EXPIRED", "0248": "INVALID_CLIENT_PRODCT"}
cases = []


def decoded(name, code, status=400, messages=None, module=None, section=None, error=None, uuid=UUID,
            message=None):
    messages = ["message for " + code] if messages is None else messages
    cases.append({
        "name": f"swisssign/api-error/{name}", "op": "swisssign.api_error", "input": {},
        "response": api_error(status, code, messages, uuid),
        "expect": {"value": {"provider": "swisssign", "status": status, "code": code,
                             "message": message or "; ".join(messages), "correlation_id": uuid,
                             "details": {"provider": "swisssign", "module": module, "section": section,
                                         "error": error, "messages": messages}}}})


for code, name in ERRORS.items():
    decoded(f"error/{code}-{name}", f"011.351.{code}", module="MODULE_RAO_API",
            section="SECTION_RAO_API_FORM_VALIDATION", error=name)
for code, name in SECTIONS.items():
    decoded(f"section/{code}-{name}", f"011.{code}.0227", module="MODULE_RAO_API", section=name,
            error="APPLICATION")
for code, name in MODULES.items():
    decoded(f"module/{code}-{name}", f"{code}.120.0225", status=500, module=name, section="SECTION_SERVICES",
            error="RUNTIME")
decoded("seed-format-example-kept-verbatim", "001.002.0003", module="MODULE_COMMONS")
decoded("unknown-code-kept-verbatim", "099.999.9999")
decoded("not-a-code-kept-verbatim", "E_WEIRD")
decoded("several-messages-joined", "009.250.0228", status=401, messages=["JWT expired", "renew the token"],
        module="MODULE_AUTHENTICATION", section="SECTION_JWT", error="JWT")
decoded("no-messages-uses-the-error-name", "011.352.0224", status=403, messages=[],
        module="MODULE_RAO_API", section="SECTION_RAO_API_ACCESS_DENIED", error="ACCESS_DENIED",
        message="ACCESS_DENIED")
for name, resp, kind in [
    ("missing-error-code", {"status": 400, "body": compact({"uuid": UUID, "errorMessages": ["x"]})}, "http_status"),
    ("html-500", {"status": 500, "body": "<html><body>Internal Server Error</body></html>"}, "http_status"),
    ("empty-401", {"status": 401, "body": ""}, "auth"),
    ("truncated-json", {"status": 400, "body": '{"uuid":"x","errorCode":"011.35'}, "http_status"),
]:
    cases.append({"name": f"swisssign/api-error/malformed/{name}", "op": "swisssign.api_error", "input": {},
                  "response": resp, "expect": {"error": {"kind": kind}}})
(VEC / "swisssign-errors.json").write_text(json.dumps(
    {"description": "SwissSign APIError decoding: every module, section and error code of the seed's tables "
                    "(transcribed in scripts/gen-swisssign-vectors.py), unknown codes, malformed error bodies.",
     "cases": cases}, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {endpoint_count} endpoint and {len(cases)} error vectors")
