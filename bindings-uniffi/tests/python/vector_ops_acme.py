"""`acme.*` and `identrust.*` vector ops mapped onto the Python API
(mirrors core/tests/vectors/acme.rs). Signed requests use the committed
keys in tests/vectors/keys: RS256 signatures are deterministic, so whole
request bodies compare byte for byte; ES256 ones are checked by
verification (`acme.es256_signed`), as in Rust."""

from __future__ import annotations

import base64
import enum
import json
from typing import Any

import certbridge

import vector_runner as vr


def keys_dir():
    return vr.VECTORS_DIR / "keys"


def to_json(value: Any) -> Any:
    """A uniffi value as the vectors' snake_case JSON: records by their
    fields (`kind` is serde's `type`), flat enums by their lower-case name,
    enum variants with fields as `{"type": variant, ...fields}`."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return value.name.lower()
    fields = {("type" if k == "kind" else k): to_json(v) for k, v in vars(value).items() if not k.startswith("_")}
    outer = type(value).__qualname__.split(".")
    if len(outer) > 1:  # a variant class nested in its enum: ChallengeTask.DNS_TXT
        fields = {"type": outer[-1].lower().replace("_", "-"), **fields}
    return fields


def key(case: vr.Case, field: str = "key") -> certbridge.AcmeAccountKey:
    path = keys_dir() / case.str(field)
    if not path.is_file():
        raise vr.RunnerInputError(field, f"no key file {path.name}")
    return certbridge.AcmeAccountKey.from_pem(path.read_text())


def b64(case: vr.Case, field: str) -> bytes:
    return base64.b64decode(case.str(field))


def eab_key(case):
    return vr.Value(
        (lambda k: {"kid": k.kid(), "hmac_key_b64url": k.hmac_key_b64url()})(
            certbridge.AcmeEabKey(case.str("kid"), case.str("hmac_key"))
        )
    )


def eab_binding(case):
    k = certbridge.AcmeEabKey(case.str("kid"), case.str("hmac_key"))
    return vr.Value(json.loads(k.binding_for_jwk(json.dumps(case.input.get("jwk")), case.str("url"))))


def thumbprint(case):
    k = key(case)
    return vr.Value({"jwk": json.loads(k.jwk_json()), "thumbprint": k.thumbprint()})


def new_account(case):
    e = case.input.get("eab")
    eab = certbridge.AcmeEabKey(e.get("kid", ""), e.get("hmac_key", "")) if e is not None else None
    return vr.Request(
        certbridge.acme_new_account_request(
            key(case),
            case.str("url"),
            case.str("nonce"),
            contact=list(case.input.get("contact", [])),
            terms_of_service_agreed=bool(case.input.get("terms_of_service_agreed", False)),
            only_return_existing=bool(case.input.get("only_return_existing", False)),
            eab=eab,
        )
    )


def new_order(case):
    k = key(case)
    identifiers = [certbridge.acme_identifier_dns(n) for n in case.input.get("identifiers", [])]
    return vr.Request(
        certbridge.acme_new_order_request(
            k,
            case.str("account_url"),
            case.str("url"),
            case.str("nonce"),
            identifiers,
            profile=case.opt_str("profile"),
            replaces=case.opt_str("replaces"),
        )
    )


def kid_request(build):
    def op(case):
        return vr.Request(build(key(case), case.str("account_url"), case.str("url"), case.str("nonce")))

    return op


def finalize(case):
    return vr.Request(
        certbridge.acme_finalize_request(
            key(case), case.str("account_url"), case.str("url"), b64(case, "csr_base64"), case.str("nonce")
        )
    )


def new_authz(case):
    k = key(case)
    identifier = certbridge.acme_identifier_dns(case.str("identifier"))
    return vr.Request(
        certbridge.acme_new_authz_request(k, case.str("account_url"), case.str("url"), identifier, case.str("nonce"))
    )


def deactivate_account(case):
    return vr.Request(certbridge.acme_deactivate_account_request(key(case), case.str("account_url"), case.str("nonce")))


def revoke(case):
    cert = b64(case, "certificate_base64")
    reason = case.input.get("reason")
    if case.str("account_url"):
        return vr.Request(
            certbridge.acme_revoke_request(
                key(case), case.str("account_url"), case.str("url"), cert, case.str("nonce"), reason=reason
            )
        )
    pem = (keys_dir() / case.str("key")).read_text()
    return vr.Request(
        certbridge.acme_revoke_with_certificate_key_request(pem, case.str("url"), cert, case.str("nonce"), reason=reason)
    )


def key_change(case):
    return vr.Request(
        certbridge.acme_key_change_request(
            key(case), key(case, "new_key"), case.str("account_url"), case.str("url"), case.str("nonce")
        )
    )


def es256_signed(case):
    k = key(case)
    payload = case.input.get("payload")
    body = json.dumps(payload, separators=(",", ":")).encode() if "payload" in case.input else None
    request = certbridge.acme_signed_request(
        k, case.str("url"), case.str("nonce"), account_url=case.opt_str("account_url") or None, payload=body
    )
    verified = certbridge.acme_verify_jws(request.body, k)
    signature = json.loads(request.body)["signature"]
    try:
        parsed_payload = json.loads(verified.payload) if verified.payload else None
    except ValueError:
        parsed_payload = None
    return vr.Value(
        {
            "header": json.loads(verified.header_json),
            "payload": parsed_payload,
            "signature_bytes": len(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))),
            "verified": True,
            "thumbprint": k.thumbprint(),
        }
    )


def new_nonce(case):
    return vr.Request(certbridge.acme_new_nonce_request(case.str("url")))


def renewal_info_request(case):
    return vr.Request(certbridge.acme_renewal_info_request(case.str("url"), case.str("cert_id")))


def directory(case):
    return vr.Value(to_json(certbridge.acme_parse_directory(case.http_response(), case.now_millis())))


def problem(case):
    info = certbridge.acme_error_info(case.http_response(), case.now_millis())
    if info is None:
        return vr.Value(None)
    details = None
    if info.problem is not None:
        p = info.problem
        details = {
            "provider": "acme",
            "problem_type": p.kind,
            "detail": p.detail,
            "subproblems": to_json(p.subproblems),
        }
    return vr.Value(
        {
            "kind": info.kind,
            "code": info.code,
            "status": info.status,
            "retry_after": info.retry_after,
            "retryable": info.retryable,
            "details": details,
        }
    )


def order(case):
    r, now = case.http_response(), case.now_millis()
    if case.input.get("new"):
        return vr.Value(to_json(certbridge.acme_parse_new_order(r, now)))
    return vr.Value(to_json(certbridge.acme_parse_order(r, now, case.str("url"))))


def authorization(case):
    r, now = case.http_response(), case.now_millis()
    if case.input.get("new"):
        return vr.Value(to_json(certbridge.acme_parse_new_authz(r, now)))
    return vr.Value(to_json(certbridge.acme_parse_authorization(r, now, case.str("url"))))


def challenge(case):
    return vr.Value(to_json(certbridge.acme_parse_challenge(case.http_response(), case.now_millis())))


def challenge_task(case):
    c = certbridge.AcmeChallenge(
        kind=case.str("type"),
        url="https://ca.example/chall",
        status=certbridge.AcmeChallengeStatus.PENDING,
        token=case.opt_str("token"),
        validated=None,
        error=None,
    )
    identifier = certbridge.acme_identifier_dns(case.str("identifier"))
    return vr.Value(to_json(certbridge.acme_challenge_task(c, identifier, case.str("thumbprint"))))


def cert_id(case):
    return vr.Value(certbridge.acme_cert_id(case.str("certificate").encode()))


def renewal_info(case):
    return vr.Value(to_json(certbridge.acme_parse_renewal_info(case.http_response(), case.now_millis())))


def certificate(case):
    return vr.Value(to_json(certbridge.acme_parse_certificate(case.http_response(), case.now_millis())))


def account(case):
    return vr.Value(to_json(certbridge.acme_parse_account(case.http_response(), case.now_millis())))


ACME_OPS = {
    "eab_key": eab_key,
    "eab_binding": eab_binding,
    "thumbprint": thumbprint,
    "new_account": new_account,
    "new_order": new_order,
    "post_as_get": kid_request(certbridge.acme_order_request),
    "finalize": finalize,
    "respond_challenge": kid_request(certbridge.acme_respond_challenge_request),
    "new_authz": new_authz,
    "deactivate_authz": kid_request(certbridge.acme_deactivate_authorization_request),
    "deactivate_account": deactivate_account,
    "revoke": revoke,
    "key_change": key_change,
    "es256_signed": es256_signed,
    "new_nonce": new_nonce,
    "download_certificate": kid_request(certbridge.acme_download_certificate_request),
    "renewal_info_request": renewal_info_request,
    "directory": directory,
    "problem": problem,
    "order": order,
    "authorization": authorization,
    "challenge": challenge,
    "challenge_task": challenge_task,
    "cert_id": cert_id,
    "renewal_info": renewal_info,
    "certificate": certificate,
    "account": account,
}


def identrust_create_account(case):
    return vr.Request(
        certbridge.identrust_create_account_request(
            case.str("reseller_base"), case.str("api_key"), case.str("customer_email")
        )
    )


def identrust_create_account_response(case):
    a = certbridge.identrust_parse_create_account(case.http_response(), case.now_millis())
    eab = a.eab()
    return vr.Value(
        {
            "id": json.loads(a.id_json()),
            "kid": a.kid(),
            "reseller_code": a.reseller_code(),
            "email": a.email(),
            "revoked": a.revoked(),
            "deleted": a.deleted(),
            "eab_kid": eab.kid(),
            "eab_hmac_key_b64url": eab.hmac_key_b64url(),
        }
    )


def identrust_directory_url(case):
    reseller, acme = case.opt_str("reseller_base"), case.opt_str("acme_base")
    if reseller is not None and acme is not None:
        env = certbridge.identrust_environment(reseller, acme)
    else:
        env = certbridge.identrust_staging()
    return vr.Value(certbridge.identrust_directory_url(env, case.str("profile")))


IDENTRUST_OPS = {
    "create_account": identrust_create_account,
    "create_account_response": identrust_create_account_response,
    "directory_url": identrust_directory_url,
}
