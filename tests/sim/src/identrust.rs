//! The IdenTrust reseller API (identrust-reseller-acme.txt): `POST /account`
//! with the raw API key in `Authorization` creates a customer account and
//! hands out an EAB `kid` + `hmacKey` for the ACME server. The pairs come
//! from a Pebble `externalAccountMACKeys` pool in order, so a Pebble started
//! with the same file accepts them; `hmacKey` is padded standard base64 as
//! IdenTrust returns it (Pebble stores unpadded base64url).
//!
//! Errors are `{"error": "...", "message": "..."}` with 400 (body), 401
//! (API key), 405 (method) or 503 (pool exhausted).

use base64::Engine;
use serde_json::{json, Value};

use crate::config::IdenTrustConfig;
use crate::server::Ctx;
use crate::wire::{Request, Response};
use crate::{ids, lock, Shared};

/// Reseller state: the pool cursor and issued accounts.
#[derive(Debug)]
pub struct State {
    pool: Vec<(String, String)>,
    next: usize,
    next_id: u64,
    /// Accounts created (`id`, `email`, `kid`).
    pub accounts: Vec<(u64, String, String)>,
}

impl State {
    /// Starts at the beginning of the configured pool.
    pub fn new(cfg: &IdenTrustConfig) -> Self {
        State {
            pool: cfg.eab_pool.clone(),
            next: 0,
            next_id: 1234,
            accounts: Vec::new(),
        }
    }
}

fn error(status: u16, code: &str, message: &str) -> Response {
    Response::json(status, &json!({"error": code, "message": message}))
}

/// Re-encodes any base64 form (Pebble's unpadded base64url, or standard) as
/// padded standard base64; `None` if it is not base64.
pub fn to_standard_base64(key: &str) -> Option<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let cleaned: String = key
        .trim()
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_");
    URL_SAFE_NO_PAD
        .decode(cleaned)
        .ok()
        .map(|raw| STANDARD.encode(raw))
}

/// Dispatches `/account`.
pub fn handle(shared: &Shared, req: &Request, _ctx: Ctx) -> Response {
    if req.segments().as_slice() != ["account"] {
        return error(404, "not_found", "unknown reseller endpoint");
    }
    if req.method != "POST" {
        return error(405, "method_not_allowed", "use POST /account").with_header("allow", "POST");
    }
    let cfg = &shared.config.identrust;
    if req.header("authorization").map(str::trim) != Some(cfg.api_key.as_str()) {
        return error(
            401,
            "unauthorized",
            "Authorization must carry the reseller API key",
        );
    }
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return error(
                400,
                "bad_request",
                "body must be a JSON object {\"customer_email\": ...}",
            )
        }
    };
    let email = match body.get("customer_email").and_then(Value::as_str) {
        Some(e) if e.contains('@') && !e.starts_with('@') && !e.ends_with('@') => e.to_owned(),
        _ => {
            return error(
                400,
                "bad_request",
                "customer_email must be an e-mail address",
            )
        }
    };
    let mut st = lock(&shared.identrust);
    let (kid, hmac_key) = if st.pool.is_empty() {
        let raw: [u8; 32] = rand::random();
        (
            ids::uuid(),
            base64::engine::general_purpose::STANDARD.encode(raw),
        )
    } else {
        let Some((kid, key)) = st.pool.get(st.next).cloned() else {
            return error(
                503,
                "pool_exhausted",
                "every EAB key of the pool was handed out",
            );
        };
        let Some(std_key) = to_standard_base64(&key) else {
            return error(500, "bad_pool", "the pool key is not base64");
        };
        st.next += 1;
        (kid, std_key)
    };
    let id = st.next_id;
    st.next_id += 1;
    st.accounts.push((id, email.clone(), kid.clone()));
    Response::json(
        200,
        &json!({
            "id": id,
            "kid": kid,
            "resellerCode": cfg.reseller_code,
            "email": email,
            "revoked": false,
            "deleted": false,
            "hmacKey": hmac_key,
        }),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn pebble_keys_become_padded_standard_base64() {
        // Pebble's example key and the seed's example key.
        let k = super::to_standard_base64(
            "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W",
        )
        .unwrap();
        assert_eq!(
            k,
            "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"
        );
        let seed = "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg";
        assert_eq!(super::to_standard_base64(seed).unwrap(), format!("{seed}="));
        assert_eq!(super::to_standard_base64("a-_b").unwrap(), "a+/b");
        assert!(super::to_standard_base64("!!").is_none());
    }
}
