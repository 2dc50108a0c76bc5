//! The Redtrust RA API as the three Redtrust seeds describe it
//! (redtrust-ra-api-integration, redtrust-camerfirma-tutorial-v4.42,
//! redtrust-certificate-enroll-v4.33): both document versions are served.
//!
//! Every answer is the envelope `{message, messageType, errorCode, data,
//! isValid}`. Errors: `messageType: "ERROR"`, `isValid: false`, `data: null`
//! and one of these `errorCode`s:
//!
//! | errorCode | HTTP | when |
//! |---|---|---|
//! | `INVALID_REQUEST` | 400 | body not JSON, field missing or of the wrong type |
//! | `UNSUPPORTED_MEDIA_TYPE` | 415 | a body sent without `Content-Type: application/json` |
//! | `METHOD_NOT_ALLOWED` / `NOT_FOUND` | 405 / 404 | wrong method / unknown path |
//! | `INVALID_CREDENTIALS` | 401 | wrong user, password or domain |
//! | `INVALID_TOKEN` | 401 | missing/unknown Bearer, refresh or temp token |
//! | `TOKEN_EXPIRED` | 401 | access, refresh or temp token past its lifetime |
//! | `INVALID_CONSUMER`, `INVALID_REDIRECT_URL`, `INVALID_TIMESTAMP` | 400 | redirect parameters |
//! | `INVALID_PARTNER` | 400 (not upper case) / 401 (unknown) | redirect partner |
//! | `TIMESTAMP_OUT_OF_RANGE` | 401 | redirect `timestamp` more than the window from now |
//! | `INVALID_SIGNATURE` | 401 | redirect `hmac` wrong (lower-case hex required) |
//! | `INVALID_DOMAIN` | 401 | redirect `Domain` names no user |
//! | `INVALID_DN` | 400 | empty `dn`, unknown attribute, empty value |
//! | `INVALID_KEY` | 400 | `keyType`/`keyLength` not RSA 2048/3072/4096 or EC 256/384 |
//! | `INVALID_HASH_TYPE` | 400 | `hashType` not SHA256/SHA384/SHA512 |
//! | `INVALID_PROVIDER` | 400 | provider unknown, or finalize names another provider |
//! | `DUPLICATE_REQUEST_CODE` | 400 | a client-chosen `requestCode` already used |
//! | `UNKNOWN_THUMBPRINT` | 404 | `thumbprintToRenew` names no certificate |
//! | `CERTIFICATE_ALREADY_RENEWED` | 400 | `thumbprintToRenew` names a superseded certificate |
//! | `UNKNOWN_REQUEST_CODE` | 404 | finalize of an unknown `requestCode` |
//! | `REQUEST_ALREADY_FINALIZED` | 400 | finalize twice |
//! | `INVALID_CERTIFICATE` | 400 | `dataInB64` not a certificate for the request's key |

mod auth;
mod enroll;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{json, Value};

use crate::keys::KeyPair;
use crate::server::Ctx;
use crate::wire::{Request, Response};
use crate::Shared;

/// An access-token session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    user: String,
    exp: i64,
    refresh: String,
}

/// A refresh or temporary token.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    user: String,
    exp: i64,
}

/// A `csr/create` awaiting `csr/finalize`.
#[derive(Debug)]
pub(crate) struct Pending {
    provider: String,
    key: KeyPair,
    subject: x509_cert::name::Name,
    renews: Option<String>,
    finalized: bool,
    validity_days: u32,
}

/// A certificate stored "in Redtrust".
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredCertificate {
    /// `idCertificate`.
    pub id_certificate: u64,
    /// SHA-1 thumbprint, upper-case hex.
    pub thumbprint: String,
    /// The `requestCode` it came from.
    pub request_code: String,
    /// Provider named at create.
    pub provider: String,
    /// Subject, RFC 4514.
    pub subject: String,
    /// Serial number, upper-case hex.
    pub serial_number: String,
    /// Thumbprint of the certificate that replaced this one.
    pub superseded_by: Option<String>,
    /// Thumbprint of the certificate this one renewed.
    pub renews: Option<String>,
    #[serde(skip)]
    der: Vec<u8>,
}

/// Redtrust's server state.
#[derive(Debug)]
pub struct State {
    token_key: Vec<u8>,
    sessions: HashMap<String, Session>,
    refresh: HashMap<String, Grant>,
    temp: HashMap<String, Grant>,
    requests: HashMap<String, Pending>,
    certs: Vec<StoredCertificate>,
    next_id: u64,
}

impl Default for State {
    fn default() -> Self {
        State {
            token_key: (0..32).map(|_| rand::random::<u8>()).collect(),
            sessions: HashMap::new(),
            refresh: HashMap::new(),
            temp: HashMap::new(),
            requests: HashMap::new(),
            certs: Vec::new(),
            next_id: 1001,
        }
    }
}

impl State {
    /// All stored certificates (sim read endpoint).
    pub fn certificate_list(&self) -> Vec<StoredCertificate> {
        self.certs.clone()
    }

    /// DER of a stored certificate by thumbprint (case-insensitive).
    pub fn certificate_der(&self, thumbprint: &str) -> Option<Vec<u8>> {
        self.find(thumbprint).map(|c| c.der.clone())
    }

    fn find(&self, thumbprint: &str) -> Option<&StoredCertificate> {
        self.certs
            .iter()
            .find(|c| c.thumbprint.eq_ignore_ascii_case(thumbprint.trim()))
    }
}

/// Success envelope.
pub(crate) fn ok(data: Value) -> Response {
    Response::json(
        200,
        &json!({
            "message": "Operation finalized successfully",
            "messageType": "SUCCESS",
            "errorCode": "OK",
            "data": data,
            "isValid": true,
        }),
    )
}

/// Error envelope.
pub(crate) fn err(status: u16, code: &str, message: impl Into<String>) -> Response {
    Response::json(
        status,
        &json!({
            "message": message.into(),
            "messageType": "ERROR",
            "errorCode": code,
            "data": null,
            "isValid": false,
        }),
    )
}

/// The JSON body, requiring `Content-Type: application/json`.
pub(crate) fn json_body(req: &Request) -> Result<Value, Response> {
    let ct = req.header("content-type").unwrap_or("");
    if !ct.to_ascii_lowercase().starts_with("application/json") {
        return Err(err(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            format!("Content-Type must be application/json (got '{ct}')"),
        ));
    }
    serde_json::from_slice::<Value>(&req.body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| err(400, "INVALID_REQUEST", "body must be a JSON object"))
}

/// A required string field.
pub(crate) fn field<'a>(body: &'a Value, name: &str) -> Result<&'a str, Response> {
    match body.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(err(
            400,
            "INVALID_REQUEST",
            format!("field '{name}' is required"),
        )),
        Some(_) => Err(err(
            400,
            "INVALID_REQUEST",
            format!("field '{name}' must be a string"),
        )),
    }
}

/// Dispatches the Redtrust paths.
pub async fn handle(shared: &Arc<Shared>, req: &Request, ctx: Ctx) -> Response {
    let segs = req.segments();
    let m = req.method.as_str();
    let allowed: &[&str] = match segs.as_slice() {
        ["raapi", "v1", "auth", "login"] => &["POST"],
        ["authclient", "auth", "loginrequest"] => &["GET"],
        ["authapi", "v1", "login_by_temp_token"] => &["POST", "GET"],
        ["authapi", "v1", "refresh-token"] | ["raapi", "v1", "auth", "refresh-token"] => &["PUT"],
        ["authapi", "v1", "logout"] | ["raapi", "v1", "auth", "logout"] => &["DELETE"],
        ["raapi", "v1" | "v2", "csr", "create"] => &["POST", "GET"],
        ["raapi", "v1", "csr", "finalize"] => &["PUT"],
        _ => return err(404, "NOT_FOUND", format!("no endpoint {}", req.path)),
    };
    if !allowed.contains(&m) {
        return err(
            405,
            "METHOD_NOT_ALLOWED",
            format!(
                "{m} not allowed on {}; use {}",
                req.path,
                allowed.join(" or ")
            ),
        )
        .with_header("allow", allowed.join(", "));
    }
    let tokens = |resp: Response| {
        if ctx.past_expiry {
            auth::with_past_expiry(resp)
        } else {
            resp
        }
    };
    match segs.as_slice() {
        ["raapi", "v1", "auth", "login"] => tokens(auth::login(shared, req)),
        ["authclient", "auth", "loginrequest"] => auth::login_request(shared, req),
        ["authapi", "v1", "login_by_temp_token"] => tokens(auth::exchange_temp_token(shared, req)),
        [_, "v1", "refresh-token"] | [_, "v1", "auth", "refresh-token"] => {
            tokens(auth::refresh(shared, req))
        }
        [_, "v1", "logout"] | [_, "v1", "auth", "logout"] => auth::logout(shared, req, ctx),
        ["raapi", version, "csr", "create"] => {
            enroll::create(shared, req, ctx, *version == "v2").await
        }
        _ => enroll::finalize(shared, req, ctx).await,
    }
}
