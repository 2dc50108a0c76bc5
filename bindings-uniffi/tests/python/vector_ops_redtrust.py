"""`redtrust.*` vector ops mapped onto the Python API (mirrors
core/tests/vectors/redtrust.rs)."""

from __future__ import annotations

import json

import certbridge

import vector_runner as vr

COMPAT = {"v4.42": certbridge.RedtrustCompat.V4_42, "v4.33": certbridge.RedtrustCompat.V4_33}


def config(case):
    name = case.input.get("compat", "v4.42")
    if name not in COMPAT:
        raise vr.RunnerInputError("compat", f"unknown compat {name!r}")
    return certbridge.redtrust_config(case.str("server"), COMPAT[name])


def session(case):
    return certbridge.RedtrustSession(case.str("access_token"), case.opt_str("refresh_token"))


def session_json(s):
    return {"access_token": s.access_token(), "refresh_token": s.refresh_token(), "expires_at": s.expires_at()}


def csr_request(case):
    return certbridge.redtrust_csr_request_from_json(json.dumps(case.input.get("request")))


def record_json(record, *fields):
    return {f: getattr(record, f) for f in fields}


def login_url(case):
    return vr.Request(
        certbridge.redtrust_login_url(
            config(case),
            case.str("partner"),
            case.str("hmac_key"),
            case.str("redirect_url"),
            case.now_millis(),
            domain=case.opt_str("domain"),
        )
    )


def parse_redirect(case):
    return vr.Value({"temporal_token": certbridge.redtrust_temporal_token_from_redirect(case.str("url"))})


def login(case):
    return vr.Request(
        certbridge.redtrust_login_request(
            config(case), case.str("username"), case.str("password"), domain=case.opt_str("domain")
        )
    )


def exchange_temp_token(case):
    return vr.Request(certbridge.redtrust_exchange_temp_token_request(config(case), case.str("temporal_token")))


def refresh(case):
    return vr.Request(certbridge.redtrust_refresh_request(config(case), session(case)))


def logout(case):
    return vr.Request(certbridge.redtrust_logout_request(config(case), session(case)))


def parse_session(case):
    return vr.Value(session_json(certbridge.redtrust_parse_login(case.http_response())))


def parse_refresh(case):
    return vr.Value(session_json(certbridge.redtrust_parse_refresh(case.http_response(), session(case))))


def parse_logout(case):
    certbridge.redtrust_parse_logout(case.http_response())
    return vr.Value({})


def csr_create(case):
    return vr.Request(certbridge.redtrust_create_csr_request(config(case), csr_request(case), session(case)))


def parse_csr_create(case):
    sent = csr_request(case) if "request" in case.input else certbridge.redtrust_csr_request([])
    created = certbridge.redtrust_parse_create_csr(case.http_response(), sent)
    return vr.Value(record_json(created, "request_code", "csr_pem"))


def csr_finalize(case):
    return vr.Request(
        certbridge.redtrust_finalize_csr_request(
            config(case),
            case.str("request_code"),
            case.str("provider"),
            session(case),
            data_in_b64=case.opt_str("data_in_b64"),
        )
    )


def parse_csr_finalize(case):
    name = case.input.get("compat", "v4.42")
    finalized = certbridge.redtrust_parse_finalize_csr(case.http_response(), COMPAT.get(name))
    return vr.Value(record_json(finalized, "id_certificate", "thumbprint"))


def thumbprint(case):
    cert = case.str("certificate").encode("utf-8")
    return vr.Value({"sha1": certbridge.thumbprint_sha1(cert), "sha256": certbridge.thumbprint_sha256(cert)})


def parse_dn(case):
    return vr.Value([record_json(e, "attribute", "value") for e in certbridge.redtrust_parse_dn(case.str("text"))])


OPS = {
    "login_url": login_url,
    "parse_redirect": parse_redirect,
    "login": login,
    "exchange_temp_token": exchange_temp_token,
    "refresh": refresh,
    "logout": logout,
    "parse_session": parse_session,
    "parse_refresh": parse_refresh,
    "parse_logout": parse_logout,
    "csr_create": csr_create,
    "parse_csr_create": parse_csr_create,
    "csr_finalize": csr_finalize,
    "parse_csr_finalize": parse_csr_finalize,
    "thumbprint": thumbprint,
    "parse_dn": parse_dn,
}
