"""`swisssign.*` vector ops mapped onto the Python API (mirrors
core/tests/vectors/swisssign.rs). An op with a `response` parses it; without
one it builds the request. Records come back as uniffi objects and are turned
into the vectors' snake_case JSON here, by reflection."""

from __future__ import annotations

import enum

import certbridge

import vector_ops_crypto
import vector_runner as vr

DOMAIN_LIST_PATH = {"domain": certbridge.DomainListPath.DOMAIN, "domains": certbridge.DomainListPath.DOMAINS}
REASON_SPELLING = {
    "upper_snake": certbridge.ReasonSpelling.UPPER_SNAKE,
    "camel_case": certbridge.ReasonSpelling.CAMEL_CASE,
}
REASON = {
    "unused": certbridge.SwissSignRevocationReason.UNUSED,
    "key_compromise": certbridge.SwissSignRevocationReason.KEY_COMPROMISE,
    "affiliation_changed": certbridge.SwissSignRevocationReason.AFFILIATION_CHANGED,
    "superseded": certbridge.SwissSignRevocationReason.SUPERSEDED,
    "cessation_of_operation": certbridge.SwissSignRevocationReason.CESSATION_OF_OPERATION,
}
ACTION = {
    "validate": certbridge.SwissSignDomainAction.VALIDATE,
    "token_reset": certbridge.SwissSignDomainAction.RESET_TOKEN,
    "token_delete": certbridge.SwissSignDomainAction.DELETE_TOKEN,
}


def to_json(value):
    """A uniffi record (a dataclass-like class with `__init__` fields), enum,
    list or scalar as plain JSON with the record's snake_case field names."""
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.name.lower()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "is_dns") and hasattr(value, "is_uri"):
        return vector_ops_crypto.alt_name_json(value)
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {k: to_json(v) for k, v in vars(value).items() if not k.startswith("_")}
    return value


def compat(case):
    given = case.input.get("compat") or {}
    result = certbridge.SwissSignCompat(
        domain_list_path=certbridge.DomainListPath.DOMAIN, reason_spelling=certbridge.ReasonSpelling.UPPER_SNAKE
    )
    for key, table, attr in (
        ("domain_list_path", DOMAIN_LIST_PATH, "domain_list_path"),
        ("reason_spelling", REASON_SPELLING, "reason_spelling"),
    ):
        if key in given:
            if given[key] not in table:
                raise vr.RunnerInputError("compat", f"unknown {key} {given[key]!r}")
            setattr(result, attr, table[given[key]])
    return result


def config(case):
    base = case.opt_str("base_url")
    cfg = certbridge.swisssign_config(base) if base is not None else certbridge.swisssign_production_config()
    cfg.compat = compat(case)
    return cfg


def session(case):
    """A session from `token`, or a locally signed one from `account`,
    `api_key` and `now`."""
    cfg = config(case)
    account = case.opt_str("account")
    if account is not None:
        s = certbridge.SwissSignSession.with_api_key(cfg, account, case.str("api_key"))
        s.prepare(case.now_millis())
        return s
    return certbridge.SwissSignSession.with_token(cfg, case.str("token"))


def strings(case, key):
    return [v for v in case.input.get(key) or [] if isinstance(v, str)]


def u32(case, key):
    value = case.input.get(key)
    return value if isinstance(value, int) and 0 <= value < 2**32 else None


def issue_request(case):
    r = certbridge.swisssign_issue_request(case.str("product"), case.str("csr"))
    if case.opt_str("csr") is None:
        r.csr = None
    dns, emails, ips = strings(case, "dns"), strings(case, "emails"), strings(case, "ips")
    subject_dn, validity = case.opt_str("subject_dn"), u32(case, "validity")
    if subject_dn is not None or validity is not None or dns or emails or ips:
        ext = certbridge.SwissSignRequestExtensions(
            request_dns=[certbridge.SwissSignRequestedDns(dns=d) for d in dns] or None,
            request_rfc822=emails or None,
            request_ip=ips or None,
        )
        has_ext = any(v is not None for v in (ext.request_dns, ext.request_rfc822, ext.request_ip))
        r.overrides = certbridge.SwissSignRequestOverrides(
            subject_dn=subject_dn, validity=validity, request_extensions=ext if has_ext else None
        )
    r.tags = strings(case, "tags")
    r.note = case.opt_str("note")
    for key in ("publish_certificate", "synchronous", "accept_terms", "include_certificate_chain"):
        value = case.input.get(key)
        setattr(r, key, value if isinstance(value, bool) else None)
    return r


SEARCH_FIELDS = {
    "orderReference": "order_reference",
    "serialNumber": "serial_number",
    "orderStatus": "order_status",
    "revocationReason": "revocation_reason",
    "clientReferences": "client_references",
    "startAfter": "start_after",
    "startBefore": "start_before",
    "attribute": "attribute",
    "includeCertificateChain": "include_certificate_chain",
    "tags": "tags",
}


def order_search(case):
    """The `search` object (the API's camelCase JSON) as the record; a
    malformed reference is `invalid_input` on `search`, as serde reports it."""
    given = case.input.get("search") or {}
    fields = {SEARCH_FIELDS[k]: v for k, v in given.items() if k in SEARCH_FIELDS}
    try:
        if "order_reference" in fields:
            fields["order_reference"] = certbridge.swisssign_order_ref(fields["order_reference"])
        if "client_references" in fields:
            fields["client_references"] = [certbridge.swisssign_client_ref(c) for c in fields["client_references"]]
    except certbridge.CertbridgeError as e:
        raise vr.RunnerInputError("search", e.reason) from None
    return certbridge.SwissSignOrderSearch(**fields)


def revocations(case):
    out = []
    for c in case.input.get("certificates") or []:
        if c.get("reason") not in REASON:
            raise vr.RunnerInputError("certificates", f"unknown reason {c.get('reason')!r}")
        out.append(
            certbridge.SwissSignRevocationRequest(
                serial_number=c["serial_number"],
                issuer_name=c["issuer_name"],
                reason=REASON[c["reason"]],
                requestor=c.get("requestor"),
            )
        )
    return out


def endpoint(build, parse):
    """The op: parse `response` when the vector has one, else build."""

    def op(case):
        if case.response is not None:
            return vr.Value(to_json(parse(case.http_response())))
        return vr.Request(build(case, session(case)))

    return op


def jwt_local(case):
    return vr.Value({"token": certbridge.swisssign_jwt_local(case.str("account"), case.str("api_key"), case.now_millis())})


def jwt(case):
    if case.response is not None:
        j = certbridge.swisssign_parse_jwt(case.http_response(), case.now_millis())
        return vr.Value({"token": j.token, "expires_at": j.expires_at})
    return vr.Request(certbridge.swisssign_jwt_request(config(case), case.str("user_name"), case.str("user_secret")))


def api_error(case):
    e = certbridge.swisssign_parse_error(case.http_response())
    return vr.Value(
        {
            "provider": "swisssign",
            "status": e.status,
            "code": e.code,
            "message": e.message,
            "correlation_id": e.correlation_id,
            "retry_after": e.retry_after,
            "details": {
                "provider": "swisssign",
                "module": e.module,
                "section": e.section,
                "error": e.error,
                "messages": list(e.messages),
            },
        }
    )


OPS = {
    "jwt_local": jwt_local,
    "jwt": jwt,
    "api_error": api_error,
    "search_clients": endpoint(
        lambda c, s: certbridge.swisssign_search_clients_request(s, c.opt_str("search")),
        certbridge.swisssign_parse_search_clients,
    ),
    "search_clients_paged": endpoint(
        lambda c, s: certbridge.swisssign_search_clients_paged_request(
            s, c.opt_str("search"), u32(c, "start"), u32(c, "length")
        ),
        certbridge.swisssign_parse_search_clients_paged,
    ),
    "get_client": endpoint(
        lambda c, s: certbridge.swisssign_get_client_request(s, c.str("client")),
        certbridge.swisssign_parse_get_client,
    ),
    "register_domains": endpoint(
        lambda c, s: certbridge.swisssign_register_domains_request(s, c.str("client"), strings(c, "domains")),
        certbridge.swisssign_parse_register_domains,
    ),
    "list_domains": endpoint(
        lambda c, s: certbridge.swisssign_list_domains_request(s, c.str("client")),
        certbridge.swisssign_parse_list_domains,
    ),
    "domain": endpoint(
        lambda c, s: certbridge.swisssign_domain_request(
            s, c.str("domain"), ACTION.get(c.str("action"), certbridge.SwissSignDomainAction.GET)
        ),
        certbridge.swisssign_parse_domain,
    ),
    "delete_domain": endpoint(
        lambda c, s: certbridge.swisssign_delete_domain_request(s, c.str("domain")),
        certbridge.swisssign_parse_delete_domain,
    ),
    "issue_csr": endpoint(
        lambda c, s: certbridge.swisssign_issue_csr_request(s, c.str("product"), c.str("csr").encode("utf-8")),
        certbridge.swisssign_parse_issue_csr,
    ),
    "issue": endpoint(
        lambda c, s: certbridge.swisssign_issue_json_request(s, issue_request(c)),
        certbridge.swisssign_parse_issue_json,
    ),
    "validate_issue": endpoint(
        lambda c, s: certbridge.swisssign_validate_request(s, issue_request(c)),
        certbridge.swisssign_parse_validate,
    ),
    "order_status": endpoint(
        lambda c, s: certbridge.swisssign_order_status_request(s, c.str("order")),
        certbridge.swisssign_parse_order_status,
    ),
    "get_order": endpoint(
        lambda c, s: certbridge.swisssign_get_order_request(s, c.str("order")),
        certbridge.swisssign_parse_get_order,
    ),
    "search_orders": endpoint(
        lambda c, s: certbridge.swisssign_search_orders_request(s, order_search(c)),
        certbridge.swisssign_parse_search_orders,
    ),
    "search_orders_paged": endpoint(
        lambda c, s: certbridge.swisssign_search_orders_paged_request(
            s, order_search(c), u32(c, "start"), u32(c, "length")
        ),
        certbridge.swisssign_parse_search_orders_paged,
    ),
    "chain": endpoint(
        lambda c, s: certbridge.swisssign_chain_request(s, c.str("order")),
        certbridge.swisssign_parse_chain,
    ),
    "revoke": endpoint(
        lambda c, s: certbridge.swisssign_revoke_request(s, revocations(c)),
        certbridge.swisssign_parse_revoke,
    ),
}
