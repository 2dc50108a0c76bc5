#!/usr/bin/env python3
"""Writes tests/vectors/redtrust.json.

Expected values come from independent implementations, never from certbridge:
HMAC signatures from Python's `hmac`, URL encoding from `urllib.parse.quote`,
thumbprints from `openssl x509 -fingerprint`. Request bodies are spelled out
here exactly as the Redtrust documents show them.

Run: python3 scripts/gen_redtrust_vectors.py
"""
import hashlib
import hmac
import json
import os
import subprocess
import tempfile
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = "https://rt.example:8082"
JSON_HEADERS = [["Accept", "application/json"], ["Content-Type", "application/json"]]


def sig(partner, key, ts):
    return hmac.new(key.encode(), f"{partner}:{ts}".encode(), hashlib.sha256).hexdigest()


def q(v):
    return urllib.parse.quote(v, safe="-._~")


def login_url(name, partner_in, key, redirect, domain, ts, server=SERVER):
    partner = partner_in.upper()
    h = sig(partner, key, ts)
    url = f"{server}/authclient/auth/loginrequest?Consumer=RA_API"
    if domain:
        url += f"&Domain={q(domain)}"
    url += f"&RedirectUrl={q(redirect)}&timestamp={ts}&partner={partner}&hmac={h}"
    inp = {"server": server, "partner": partner_in, "hmac_key": key, "redirect_url": redirect, "now": ts}
    if domain:
        inp["domain"] = domain
    return {
        "name": f"redtrust/login-url/{name}",
        "op": "redtrust.login_url",
        "input": inp,
        "expect": {"request": {"method": "GET", "url": url, "headers": [
            ["x-partner-name", partner], ["x-request-timestamp", str(ts)], ["x-hmac-signature", h]]}},
    }


def envelope(data, message_type="SUCCESS", code="OK", status=200, **extra):
    body = {"message": "Operation finalized successfully", "messageType": message_type, "errorCode": code, "data": data}
    body.update(extra)
    return {"status": status, "headers": [["Content-Type", "application/json"]], "body": json.dumps(body)}


def err(kind, **kw):
    e = {"kind": kind}
    e.update(kw)
    return {"error": e}


def bearer(token):
    return [["Authorization", f"Bearer {token}"]]


def cert_and_fingerprints():
    with tempfile.TemporaryDirectory() as d:
        key, crt = os.path.join(d, "k.pem"), os.path.join(d, "c.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", crt, "-subj", "/CN=John Doe/O=Redtrust/C=ES",
                        "-days", "365"], check=True, capture_output=True)
        pem = open(crt).read()

        def fp(alg):
            out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", f"-{alg}", "-in", crt],
                                 check=True, capture_output=True, text=True).stdout
            return out.strip().split("=", 1)[1].replace(":", "").upper()
        return pem, fp("sha1"), fp("sha256")


def main():
    cases = []
    # --- HMAC redirect login (redtrust-ra-api-integration, "HMAC redirect") ---
    cases.append(login_url("v4.33-example-shape", "CA_DEMO", "shared-secret-key", "https://google.es?tkn=",
                           "local.users", 1744719496, server="https://localhost:8083"))
    cases.append(login_url("partner-uppercased-and-query-in-redirect", "ca_demo", "k3y!", "https://app.example/cb?x=1&y=a b",
                           None, 1744719496))
    cases.append(login_url("unicode-domain-and-key", "PARTNER_2", "clé-partagée", "http://127.0.0.1:9000/back#frag",
                           "usuarios.ñ", 1700000000))
    for name, field, inp in [
        ("bad-partner", "partner", {"partner": "ca-demo"}),
        ("empty-partner", "partner", {"partner": " "}),
        ("relative-redirect", "redirect_url", {"redirect_url": "/callback"}),
        ("non-http-redirect", "redirect_url", {"redirect_url": "ftp://app.example/cb"}),
        ("empty-hmac-key", "hmac_key", {"hmac_key": ""}),
        ("server-not-http", "server", {"server": "redtrust.example:8082"}),
    ]:
        base = {"server": SERVER, "partner": "CA_DEMO", "hmac_key": "k", "redirect_url": "https://app.example/cb", "now": 1}
        base.update(inp)
        cases.append({"name": f"redtrust/login-url/{name}", "op": "redtrust.login_url", "input": base,
                      "expect": err("invalid_input", field=field)})
    # --- tkn out of the redirect ---
    for name, url, tok in [
        ("plain", "https://google.es?tkn=TEMPORARY_TOKEN", "TEMPORARY_TOKEN"),
        ("encoded-among-others", "https://app.example/cb?x=1&tkn=a%2Bb%3D&y=2", "a+b="),
        ("in-fragment", "https://app.example/spa#tkn=frag-token", "frag-token"),
    ]:
        cases.append({"name": f"redtrust/redirect/{name}", "op": "redtrust.parse_redirect", "input": {"url": url},
                      "expect": {"value": {"temporal_token": tok}}})
    for name, url in [("missing", "https://app.example/cb?x=1"), ("empty", "https://app.example/cb?tkn="),
                      ("not-a-url", "tkn=abc")]:
        cases.append({"name": f"redtrust/redirect/{name}", "op": "redtrust.parse_redirect", "input": {"url": url},
                      "expect": err("invalid_input", field="redirect")})
    # --- direct login, exchange, refresh, logout ---
    cases.append({"name": "redtrust/login/with-domain", "op": "redtrust.login",
                  "input": {"server": SERVER, "username": "app.user", "password": "p@ss \"word\"", "domain": "local.users"},
                  "expect": {"request": {"method": "POST", "url": f"{SERVER}/raapi/v1/auth/login", "headers": JSON_HEADERS,
                             "body": json.dumps({"username": "app.user", "password": "p@ss \"word\"", "domain": "local.users"}, separators=(",", ":"))}}})
    cases.append({"name": "redtrust/login/no-domain", "op": "redtrust.login",
                  "input": {"server": SERVER + "/", "username": "u", "password": "p"},
                  "expect": {"request": {"method": "POST", "url": f"{SERVER}/raapi/v1/auth/login",
                             "body": '{"username":"u","password":"p"}'}}})
    cases.append({"name": "redtrust/login/empty-password", "op": "redtrust.login",
                  "input": {"server": SERVER, "username": "u", "password": ""}, "expect": err("invalid_input", field="password")})
    for compat, method in [("v4.42", "POST"), ("v4.33", "GET")]:
        cases.append({"name": f"redtrust/temp-token/{compat}", "op": "redtrust.exchange_temp_token",
                      "input": {"server": SERVER, "temporal_token": "tkn-123", "compat": compat},
                      "expect": {"request": {"method": method, "url": f"{SERVER}/authapi/v1/login_by_temp_token",
                                 "headers": JSON_HEADERS, "body": '{"temporalToken":"tkn-123"}'}}})
    for compat, prefix in [("v4.42", "/raapi/v1/auth"), ("v4.33", "/authapi/v1")]:
        cases.append({"name": f"redtrust/refresh/{compat}", "op": "redtrust.refresh",
                      "input": {"server": SERVER, "compat": compat, "access_token": "acc", "refresh_token": "ref"},
                      "expect": {"request": {"method": "PUT", "url": f"{SERVER}{prefix}/refresh-token",
                                 "headers": JSON_HEADERS + bearer("acc"), "body": '{"refreshToken":"ref"}'}}})
        cases.append({"name": f"redtrust/logout/{compat}", "op": "redtrust.logout",
                      "input": {"server": SERVER, "compat": compat, "access_token": "acc"},
                      "expect": {"request": {"method": "DELETE", "url": f"{SERVER}{prefix}/logout",
                                 "headers": JSON_HEADERS + bearer("acc")}}})
    cases.append({"name": "redtrust/refresh/no-refresh-token", "op": "redtrust.refresh",
                  "input": {"server": SERVER, "access_token": "acc"}, "expect": err("auth")})
    # --- token answers ---
    cases.append({"name": "redtrust/session/full", "op": "redtrust.parse_session",
                  "response": envelope({"refreshToken": "r", "accessToken": "a", "expiration": "2025-04-15T12:18:16Z"}),
                  "expect": {"value": {"access_token": "a", "refresh_token": "r", "expires_at": 1744719496000}}})
    cases.append({"name": "redtrust/session/dotnet-datetime", "op": "redtrust.parse_session",
                  "response": envelope({"accessToken": "a", "expiration": "2025-04-15T12:18:16.250"}, code="ERROR_CODE"),
                  "expect": {"value": {"access_token": "a", "refresh_token": None, "expires_at": 1744719496250}}})
    cases.append({"name": "redtrust/refresh/keeps-old-refresh-token", "op": "redtrust.parse_refresh",
                  "input": {"access_token": "old", "refresh_token": "keep"},
                  "response": envelope({"accessToken": "new", "expiration": 1744719496}),
                  "expect": {"value": {"access_token": "new", "refresh_token": "keep", "expires_at": 1744719496000}}})
    cases.append({"name": "redtrust/logout/ok", "op": "redtrust.parse_logout", "response": envelope({}),
                  "expect": {"value": {}}})
    bad_sessions = [
        ("wrong-credentials", {"status": 401, "body": json.dumps({"message": "Invalid credentials", "messageType": "ERROR", "errorCode": "INVALID_CREDENTIALS", "data": None})}, err("auth", code="INVALID_CREDENTIALS")),
        ("html-502", {"status": 502, "headers": [["Content-Type", "text/html"]], "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"}, err("http_status", message_contains="502 Bad Gateway")),
        ("truncated-json", {"status": 200, "body": '{"message":"ok","messageType":"SUCCESS","data":{"accessTok'}, err("protocol")),
        ("access-token-number", envelope({"accessToken": 12345}), err("protocol", message_contains="accessToken")),
        ("data-missing", envelope(None), err("protocol")),
        ("bad-expiration", envelope({"accessToken": "a", "expiration": "tomorrow"}), err("protocol", message_contains="expiration")),
        ("non-utf8", {"status": 200, "body_base64": "//79/A=="}, err("protocol")),
        ("empty-200", {"status": 200, "body": ""}, err("protocol")),
        ("json-array", {"status": 200, "body": "[1,2]"}, err("protocol")),
        ("json-without-envelope", {"status": 200, "body": '{"accessToken":"a"}'}, err("protocol")),
        ("error-in-200", envelope(None, message_type="ERROR", code="USER_LOCKED"), err("provider", code="USER_LOCKED")),
        ("is-valid-false", envelope({"accessToken": "a"}, code="DOMAIN_UNKNOWN", isValid=False), err("provider", code="DOMAIN_UNKNOWN")),
        ("empty-401", {"status": 401, "body": ""}, err("auth")),
        ("token-expired-401", {"status": 401, "body": json.dumps({"message": "expired", "messageType": "ERROR", "errorCode": "TOKEN_EXPIRED", "data": None})}, err("auth", code="TOKEN_EXPIRED")),
    ]
    for name, resp, exp in bad_sessions:
        cases.append({"name": f"redtrust/session/{name}", "op": "redtrust.parse_session", "response": resp, "expect": exp})
    # --- csr/create ---
    camerfirma = {"dn": [{"attribute": "cn", "value": "HOLDER_NAME"}], "hash_type": "SHA384", "key_length": 2048,
                  "key_type": "RSA", "provider": "CAMERFIRMA"}
    cases.append({"name": "redtrust/csr-create/v4.42-camerfirma-tutorial", "op": "redtrust.csr_create",
                  "input": {"server": SERVER, "access_token": "acc", "request": camerfirma},
                  "expect": {"request": {"method": "POST", "url": f"{SERVER}/raapi/v1/csr/create", "headers": JSON_HEADERS + bearer("acc"),
                             "body": '{"dn":[{"attribute":"cn","value":"HOLDER_NAME"}],"hashType":"SHA384","keyLength":2048,"keyType":"RSA","provider":"CAMERFIRMA"}'}}})
    brasil = {"dn": [{"attribute": "cn", "value": "john doe"}, {"attribute": "o", "value": "Redtrust"}, {"attribute": "c", "value": "BR"},
                     {"attribute": "st", "value": "PJE"}, {"attribute": "l", "value": "Sao Paolo"}, {"attribute": "ou", "value": "Developement"}],
              "hash_type": "SHA384", "key_length": 2048, "key_type": "RSA", "provider": "CA_BRASIL"}
    cases.append({"name": "redtrust/csr-create/v4.33-ca-brasil-keylength-string", "op": "redtrust.csr_create",
                  "input": {"server": SERVER, "access_token": "acc", "compat": "v4.33", "request": brasil},
                  "expect": {"request": {"method": "GET", "url": f"{SERVER}/raapi/v1/csr/create",
                             "body": json.dumps({"dn": brasil["dn"], "hashType": "SHA384", "keyLength": "2048", "keyType": "RSA", "provider": "CA_BRASIL"}, separators=(",", ":"))}}})
    full = dict(camerfirma, request_code="MYCODE1", info={"proident_9b": "x", "a": "b"}, group_ids=["7", "9"],
                thumbprint_to_renew="ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01")
    full_body = '{"dn":[{"attribute":"cn","value":"HOLDER_NAME"}],"hashType":"SHA384","keyLength":%s,"keyType":"RSA","provider":"CAMERFIRMA","requestCode":"MYCODE1","info":{"a":"b","proident_9b":"x"},"groupIds":["7","9"],"thumbprintToRenew":"ABCDEF0123456789ABCDEF0123456789ABCDEF01"}'
    cases.append({"name": "redtrust/csr-create/v4.42-renewal-all-fields", "op": "redtrust.csr_create",
                  "input": {"server": SERVER, "access_token": "acc", "request": full},
                  "expect": {"request": {"method": "POST", "url": f"{SERVER}/raapi/v1/csr/create", "body": full_body % "2048"}}})
    cases.append({"name": "redtrust/csr-create/v4.33-renewal-uses-v2", "op": "redtrust.csr_create",
                  "input": {"server": SERVER, "access_token": "acc", "compat": "v4.33", "request": full},
                  "expect": {"request": {"method": "GET", "url": f"{SERVER}/raapi/v2/csr/create", "body": full_body % '"2048"'}}})
    for name, patch, field in [
        ("empty-dn", {"dn": []}, "dn"),
        ("unknown-attribute", {"dn": [{"attribute": "cn", "value": "a"}, {"attribute": "nickname", "value": "b"}]}, "dn[1].attribute"),
        ("empty-value", {"dn": [{"attribute": "cn", "value": " "}]}, "dn[0].value"),
        ("country-name-not-code", {"dn": [{"attribute": "c", "value": "Brasil"}]}, "dn[0].value"),
        ("rsa-1024", {"key_length": 1024}, "key_length"),
        ("dsa-4096", {"key_type": "DSA", "key_length": 4096}, "key_length"),
        ("bad-provider", {"provider": "camer firma"}, "provider"),
        ("short-thumbprint", {"thumbprint_to_renew": "ABCDEF"}, "thumbprint_to_renew"),
    ]:
        cases.append({"name": f"redtrust/csr-create/invalid-{name}", "op": "redtrust.csr_create",
                      "input": {"server": SERVER, "access_token": "acc", "request": dict(camerfirma, **patch)},
                      "expect": err("invalid_input", field=field)})
    for name, patch in [("unknown-key-type", {"key_type": "EC"}), ("sha1", {"hash_type": "SHA1"})]:
        cases.append({"name": f"redtrust/csr-create/invalid-{name}", "op": "redtrust.csr_create",
                      "input": {"server": SERVER, "access_token": "acc", "request": dict(camerfirma, **patch)},
                      "expect": err("invalid_input", field="request")})
    csr_b64 = "MAMCAQU="
    csr_pem = "-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQU=\n-----END CERTIFICATE REQUEST-----\n"
    cases.append({"name": "redtrust/csr-create/parse-object", "op": "redtrust.parse_csr_create",
                  "response": envelope({"requestCode": "P775W98SSW4Z1774PMZU", "csr": csr_b64}, isValid=True),
                  "expect": {"value": {"request_code": "P775W98SSW4Z1774PMZU", "csr_pem": csr_pem}}})
    cases.append({"name": "redtrust/csr-create/parse-bare-string-with-sent-code", "op": "redtrust.parse_csr_create",
                  "input": {"request": dict(camerfirma, request_code="MYCODE1")},
                  "response": envelope(csr_b64, message_type="IGNORE"),
                  "expect": {"value": {"request_code": "MYCODE1", "csr_pem": csr_pem}}})
    for name, resp, exp in [
        ("bare-string-without-code", envelope(csr_b64, message_type="IGNORE"), err("protocol")),
        ("csr-not-base64", envelope({"requestCode": "P1", "csr": "%%%"}), err("protocol", message_contains="csr")),
        ("request-code-missing", envelope({"csr": csr_b64}), err("protocol", message_contains="requestCode")),
        ("request-code-bool", envelope({"requestCode": True, "csr": csr_b64}), err("protocol")),
        ("invalid-dn-400", envelope(None, message_type="ERROR", code="INVALID_DN", status=400), err("provider", code="INVALID_DN")),
        ("html-502", {"status": 502, "body": "<html>Bad Gateway</html>"}, err("http_status")),
    ]:
        cases.append({"name": f"redtrust/csr-create/parse-{name}", "op": "redtrust.parse_csr_create", "response": resp, "expect": exp})
    # --- csr/finalize ---
    cases.append({"name": "redtrust/csr-finalize/minimal", "op": "redtrust.csr_finalize",
                  "input": {"server": SERVER, "access_token": "acc", "request_code": "P775W98SSW4Z1774PMZU", "provider": "CAMERFIRMA"},
                  "expect": {"request": {"method": "PUT", "url": f"{SERVER}/raapi/v1/csr/finalize", "headers": JSON_HEADERS + bearer("acc"),
                             "body": '{"provider":"CAMERFIRMA","requestCode":"P775W98SSW4Z1774PMZU"}'}}})
    cases.append({"name": "redtrust/csr-finalize/with-data", "op": "redtrust.csr_finalize",
                  "input": {"server": SERVER, "access_token": "acc", "request_code": "P1", "provider": "CA_BRASIL", "data_in_b64": "eyJhIjoxfQ==", "compat": "v4.33"},
                  "expect": {"request": {"method": "PUT", "url": f"{SERVER}/raapi/v1/csr/finalize",
                             "body": '{"dataInB64":"eyJhIjoxfQ==","provider":"CA_BRASIL","requestCode":"P1"}'}}})
    cases.append({"name": "redtrust/csr-finalize/data-not-base64", "op": "redtrust.csr_finalize",
                  "input": {"server": SERVER, "access_token": "acc", "request_code": "P1", "provider": "X", "data_in_b64": "not base64!"},
                  "expect": err("invalid_input", field="data_in_b64")})
    thumb = "abcdef0123456789abcdef0123456789abcdef01"
    for name, data, value in [("id-number", {"idCertificate": 1234, "thumbprint": thumb}, "1234"),
                              ("id-string", {"idCertificate": "cert-9", "thumbprint": thumb.upper()}, "cert-9")]:
        cases.append({"name": f"redtrust/csr-finalize/parse-{name}", "op": "redtrust.parse_csr_finalize", "response": envelope(data),
                      "expect": {"value": {"id_certificate": value, "thumbprint": thumb.upper()}}})
    cases.append({"name": "redtrust/csr-finalize/parse-v4.33-bare-200", "op": "redtrust.parse_csr_finalize",
                  "input": {"server": SERVER, "compat": "v4.33"}, "response": {"status": 200, "body": ""},
                  "expect": {"value": {"id_certificate": None, "thumbprint": None}}})
    for name, resp, exp in [
        ("v4.42-bare-200", {"status": 200, "body": ""}, err("protocol")),
        ("bad-thumbprint", envelope({"idCertificate": 1, "thumbprint": "xyz"}), err("protocol", message_contains="thumbprint")),
        ("unknown-request-code", envelope(None, message_type="ERROR", code="UNKNOWN_REQUEST_CODE", status=404), err("provider", code="UNKNOWN_REQUEST_CODE")),
    ]:
        cases.append({"name": f"redtrust/csr-finalize/parse-{name}", "op": "redtrust.parse_csr_finalize", "response": resp, "expect": exp})
    # --- thumbprint of a certificate file, and DN text ---
    pem, sha1, sha256 = cert_and_fingerprints()
    cases.append({"name": "redtrust/thumbprint/openssl-certificate", "op": "redtrust.thumbprint", "input": {"certificate": pem},
                  "expect": {"value": {"sha1": sha1, "sha256": sha256}}})
    cases.append({"name": "redtrust/thumbprint/not-a-certificate", "op": "redtrust.thumbprint", "input": {"certificate": "hello"},
                  "expect": err("invalid_input", field="certificate")})
    cases.append({"name": "redtrust/dn/escaped-comma", "op": "redtrust.parse_dn", "input": {"text": "cn=John Doe,o=Acme\\, Inc.,c=ES"},
                  "expect": {"value": [{"attribute": "cn", "value": "John Doe"}, {"attribute": "o", "value": "Acme, Inc."}, {"attribute": "c", "value": "ES"}]}})
    doc = {"description": "Redtrust RA API: every request and response. Generated by scripts/gen_redtrust_vectors.py "
                          "(HMAC by Python hmac, URL encoding by urllib, thumbprints by openssl).",
           "cases": cases}
    with open(os.path.join(ROOT, "tests/vectors/redtrust.json"), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
