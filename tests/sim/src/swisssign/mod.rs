//! The SwissSign RA API v2 (swisssign-ra-api-v2.txt). Every call is `POST`
//! with `Authorization: Bearer <JWT>` (HS256 with the account's API key, iss
//! `SwissPKI`, aud `REST API`, sub the account), except `/v2/jwt/{userName}`.
//!
//! Shapes (fields the seed leaves open are the simulator's choice):
//!
//! | path | body | answer |
//! |---|---|---|
//! | `/v2/jwt/{userName}` | form `userSecret=<API key>` | the JWT, `text/plain` |
//! | `/v2/clients?search=Client*` | | `[Client]`, `*` is a wildcard, case-insensitive |
//! | `/v2/client/{cli}` | | `Client {uuid, name, products: [{uuid: "pma-…", name, clientReference, validityDays}]}` |
//! | `/v2/client/domain/{cli}/register` | JSON array of names (Unicode allowed) | `[Domain]` |
//! | `/v2/client/domain/{cli}/list`, `/v2/client/domains/{cli}/list` | | `[Domain]` |
//! | `/v2/client/domain/{cld}` | | `Domain` |
//! | `/v2/client/domain/{cld}/delete` | | `Domain` (as it was) |
//! | `/v2/client/domain/{cld}/validate` | | `Domain` with `status: "VALIDATED"`, or 400 `011.354.0240` if the TXT record on `punycodeName` is not the token |
//! | `/v2/client/domain/{cld}/token/reset` / `token/delete` | | `Domain` (new token / `token: null`) |
//! | `/v2/issue/csr/{pma}` | `Content-Type: text/plain`, PEM CSR | `CertificateOrder` |
//! | `/v2/issue` | `{"productReference": "pma-…", "csr": "<PEM>"}` | `CertificateOrder` |
//! | `/v2/validate` | as `/v2/issue` | `{valid, messages, names, productReference, clientReference}` (no order) |
//! | `/v2/order/{ord}/status` | | the status as a bare JSON string, e.g. `"ISSUED"` |
//! | `/v2/order/{ord}` | | `CertificateOrder` |
//! | `/v2/orders` | optional `{status?, clientReference?, productReference?}` | `[CertificateOrder]` |
//! | `/v2/order/{ord}/certificate/chain` | | JSON array of base64 DER, leaf first; or DER PKCS#7 (`application/pkcs7-mime`) when `Accept` asks for `application/pkcs7-mime`/`application/pkcs7`/`application/x-pkcs7-certificates` or the config says `pkcs7` |
//! | `/v2/revoke` | `[{serialNumber, issuerName, revocationReason}]` | `[{serialNumber, status: "REVOKED", revocationReason}]` |
//!
//! `Domain` = `{uuid: "cld-…", clientReference, name, punycodeName, token:
//! "swiss-pki=…" | null, status: "PENDING" | "VALIDATED", createdOn,
//! tokenValidUntil, validatedOn, validUntil}` (tokens valid 30 days,
//! validations 13 months, as the seed says).
//!
//! `CertificateOrder` = `{uuid: "ord-…", status, createdOn, clientReference,
//! productReference, subjectName, dnsNames}` plus, once ISSUED, `serialNumber`
//! (upper-case hex), `issuerName` (RFC 4514), `validFrom`, `validTo`; when
//! FAILED, `statusMessage`; when REVOKED, `revocationReason`. Status moves
//! NEW → PRE_VALIDATION → ISSUE → ISSUED over `issue_delay_ms`, or
//! NEW → PRE_VALIDATION → FAILED when a name is not a validated domain of the
//! client (with `require_prevalidation`).
//!
//! Errors: `APIError {uuid, errorCode: "MMM.SSS.EEEE", errorMessages}` with
//! the seed's tables: bad/missing/expired JWT `009.250.0228` (401); wrong
//! `userSecret` `009.353.0223` (401); client not allowed `011.352.0231` (403);
//! unknown client `011.110.0231` (404); unknown product `011.110.0243` (404);
//! unknown order/domain `011.110.0240` (404); bad body `011.351.0226` (400);
//! CSR unparsable or badly signed `011.351.0241` (400); wrong media type
//! `011.351.0226` (415); unknown serial `011.354.0230` (400); issuer mismatch
//! `011.354.0238` (400); already revoked `011.354.0233` (400); not issued yet
//! `011.354.0225` (409); method other than POST `011.110.0227` (405).

mod client;
mod order;

use serde_json::{json, Value};

use crate::config::SwissSignAccount;
use crate::server::Ctx;
use crate::wire::{Request, Response};
use crate::{ids, jwt, lock, now_secs, Shared};

pub use client::Domain;
pub use order::Order;

/// SwissSign server state.
#[derive(Debug, Default)]
pub struct State {
    domains: Vec<Domain>,
    orders: Vec<Order>,
    /// JWTs made under the `past_expiry` fault: their `exp` is past, yet
    /// they are accepted until their real lifetime ends.
    past_expiry: std::collections::HashMap<String, i64>,
}

/// Module codes (seed, "Module | Code").
pub(crate) const MODULE_AUTHENTICATION: u16 = 9;
pub(crate) const MODULE_RAO_API: u16 = 11;
/// Section codes (seed, "Section | Code").
pub(crate) const SECTION_API: u16 = 110;
pub(crate) const SECTION_JWT: u16 = 250;
pub(crate) const SECTION_FORM_VALIDATION: u16 = 351;
pub(crate) const SECTION_ACCESS_DENIED: u16 = 352;
pub(crate) const SECTION_AUTHENTICATION: u16 = 353;
pub(crate) const SECTION_RUNTIME: u16 = 354;

/// An `APIError` answer.
pub(crate) fn api_error(
    status: u16,
    module: u16,
    section: u16,
    error: u16,
    message: impl Into<String>,
) -> Response {
    Response::json(
        status,
        &json!({
            "uuid": ids::uuid(),
            "errorCode": format!("{module:03}.{section:03}.{error:04}"),
            "errorMessages": [message.into()],
        }),
    )
}

/// 400 VALIDATION error for a bad body.
pub(crate) fn invalid(message: impl Into<String>) -> Response {
    api_error(400, MODULE_RAO_API, SECTION_FORM_VALIDATION, 226, message)
}

/// 404 for an unknown reference (`FAILED_VALIDATING_REQUEST`).
pub(crate) fn not_found(what: &str, reference: &str) -> Response {
    api_error(
        404,
        MODULE_RAO_API,
        SECTION_API,
        240,
        format!("{what} '{reference}' not found"),
    )
}

fn jwt_error(message: impl Into<String>) -> Response {
    api_error(401, MODULE_AUTHENTICATION, SECTION_JWT, 228, message)
}

/// Verifies the Bearer JWT; returns the account.
pub(crate) fn authenticate<'a>(
    shared: &'a Shared,
    req: &Request,
    ctx: Ctx,
) -> Result<&'a SwissSignAccount, Response> {
    let cfg = &shared.config.swisssign;
    let token = req
        .bearer()
        .ok_or_else(|| jwt_error("Authorization: Bearer <JWT> is required"))?;
    let claims = jwt::peek_claims(token).map_err(|e| jwt_error(e.to_string()))?;
    let sub = claims.get("sub").and_then(Value::as_str).unwrap_or("");
    let account = cfg
        .accounts
        .iter()
        .find(|a| a.user_name == sub)
        .ok_or_else(|| jwt_error("JWT subject is not a known account"))?;
    let now = now_secs();
    // A `past_expiry` JWT is checked as of one second before its stated
    // `exp` while its real lifetime lasts.
    let real_exp = lock(&shared.swisssign).past_expiry.get(token).copied();
    let at = match (real_exp, claims.get("exp").and_then(Value::as_i64)) {
        (Some(real), Some(exp)) if now < real => exp.saturating_sub(1),
        _ => now,
    };
    jwt::verify(
        token,
        account.api_key.as_bytes(),
        at,
        cfg.jwt_leeway_secs as i64,
        "SwissPKI",
        "REST API",
    )
    .map_err(|e| jwt_error(e.to_string()))?;
    if ctx.expired_token {
        return Err(jwt_error(jwt::JwtError::Expired.to_string()));
    }
    Ok(account)
}

/// Whether `account` may act for client `cli`.
pub(crate) fn may_use(account: &SwissSignAccount, cli: &str) -> bool {
    account.clients.is_empty() || account.clients.iter().any(|c| c == cli)
}

/// `POST /v2/jwt/{userName}` with form `userSecret=`.
fn make_jwt(shared: &Shared, req: &Request, user: &str, ctx: Ctx) -> Response {
    let cfg = &shared.config.swisssign;
    let secret = url::form_urlencoded::parse(&req.body)
        .find(|(k, _)| k == "userSecret")
        .map(|(_, v)| v.into_owned());
    let Some(secret) = secret else {
        return invalid("form field userSecret is required (application/x-www-form-urlencoded)");
    };
    let Some(account) = cfg
        .accounts
        .iter()
        .find(|a| a.user_name == user && a.api_key == secret)
    else {
        return api_error(
            401,
            MODULE_AUTHENTICATION,
            SECTION_AUTHENTICATION,
            223,
            "unknown user or wrong userSecret",
        );
    };
    let now = now_secs();
    let real_exp = now.saturating_add(i64::try_from(cfg.jwt_ttl_secs).unwrap_or(i64::MAX));
    // `past_expiry`: the token says it expired an hour ago (issue 14, item 1).
    let (issued, exp) = if ctx.past_expiry {
        (now.saturating_sub(7200), now.saturating_sub(3600))
    } else {
        (now, real_exp)
    };
    let token = jwt::sign(
        &json!({
            "iss": "SwissPKI",
            "aud": "REST API",
            "sub": account.user_name,
            "iat": issued,
            "nbf": issued,
            "exp": exp,
        }),
        account.api_key.as_bytes(),
    );
    if ctx.past_expiry {
        lock(&shared.swisssign)
            .past_expiry
            .insert(token.clone(), real_exp);
    }
    Response::text(200, token)
}

/// Dispatches `/v2/...`.
pub fn handle(shared: &Shared, req: &Request, ctx: Ctx) -> Response {
    if req.method != "POST" {
        return api_error(
            405,
            MODULE_RAO_API,
            SECTION_API,
            227,
            "every RA API v2 call is a POST",
        )
        .with_header("allow", "POST");
    }
    let segs = req.segments();
    if let ["v2", "jwt", user] = segs.as_slice() {
        return make_jwt(shared, req, user, ctx);
    }
    let account = match authenticate(shared, req, ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    match segs.as_slice() {
        ["v2", "clients"] => client::search(shared, req, account),
        ["v2", "client", "domain", cli, "register"] => client::register(shared, req, account, cli),
        ["v2", "client", "domain" | "domains", cli, "list"] if cli.starts_with("cli-") => {
            client::list_domains(shared, account, cli)
        }
        ["v2", "client", "domain", cld] => client::domain_action(shared, account, cld, ""),
        ["v2", "client", "domain", cld, action] => {
            client::domain_action(shared, account, cld, action)
        }
        ["v2", "client", "domain", cld, "token", action] => {
            client::domain_action(shared, account, cld, &format!("token/{action}"))
        }
        ["v2", "client", cli] => client::get(shared, account, cli),
        ["v2", "issue", "csr", pma] => order::issue_csr(shared, req, account, pma),
        ["v2", "issue"] => order::issue_json(shared, req, account, false),
        ["v2", "validate"] => order::issue_json(shared, req, account, true),
        ["v2", "orders"] => order::search(shared, req, account),
        ["v2", "order", ord] => order::get(shared, account, ord),
        ["v2", "order", ord, "status"] => order::status(shared, account, ord),
        ["v2", "order", ord, "certificate", "chain"] => order::chain(shared, req, account, ord),
        ["v2", "revoke"] => order::revoke(shared, req, account),
        _ => api_error(
            404,
            MODULE_RAO_API,
            SECTION_API,
            227,
            format!("no endpoint {}", req.path),
        ),
    }
}
