//! JSON Web Tokens with HS256 (RFC 7519, RFC 7518 section 3.2).
//!
//! SwissSign lets a client mint its own session JWT, HMAC-SHA256-signed
//! with the API key (swisssign-ra-api-v2, `/v2/jwt/{userName}`: "If you plan
//! to generate the JWT yourself ... HMAC256 sign the JWT with your API
//! Key"). The encoding is compact JWS with the header `{"alg":"HS256",
//! "typ":"JWT"}` written exactly as PyJWT writes it, so tokens are
//! byte-identical to the independent reference.

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use crate::crypto::digest::hmac_sha256;
use crate::error::{AuthReason, Error};
use crate::secret::Secret;
use crate::time::Timestamp;

/// The protected header, keys in sorted order as PyJWT emits them.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Encodes and signs `claims` (serialised in field order, no whitespace)
/// with HMAC-SHA256 under `key`. The token is a bearer credential, so it
/// comes back as a [`Secret`].
pub fn encode_hs256(claims: &impl Serialize, key: &[u8]) -> Result<Secret, Error> {
    if key.is_empty() {
        return Err(Error::invalid_input("api_key", "the HMAC key is empty"));
    }
    let payload = serde_json::to_vec(claims)
        .map_err(|e| Error::crypto(format!("JWT claims do not serialise: {e}")))?;
    let signing_input = format!("{}.{}", b64(HEADER.as_bytes()), b64(&payload));
    let mac = hmac_sha256(key, signing_input.as_bytes());
    Ok(Secret::new(format!("{signing_input}.{}", b64(&mac))))
}

/// Signs claims given as JSON text (bindings pass claims this way: a
/// foreign map has no serde form). The object is re-serialised with its
/// keys sorted, the same bytes [`encode_hs256`] produces for a
/// `serde_json::Value`; anything but a JSON object is `invalid_input` on
/// `claims`.
pub fn encode_hs256_json(claims_json: &str, key: &[u8]) -> Result<Secret, Error> {
    let claims: Value = serde_json::from_str(claims_json)
        .map_err(|e| Error::invalid_input("claims", format!("not JSON: {e}")))?;
    if !claims.is_object() {
        return Err(Error::invalid_input("claims", "not a JSON object"));
    }
    encode_hs256(&claims, key)
}

fn parts(token: &str) -> Result<[&str; 3], Error> {
    let mut it = token.trim().split('.');
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(h), Some(p), Some(s), None) if !h.is_empty() && !p.is_empty() => Ok([h, p, s]),
        _ => Err(Error::protocol(
            "jwt",
            "not a compact JWS (three dot-separated parts)",
        )),
    }
}

fn json_part(part: &str, what: &str) -> Result<Value, Error> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| Error::protocol("jwt", format!("{what} is not base64url")))?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|_| Error::protocol("jwt", format!("{what} is not JSON")))?;
    if !value.is_object() {
        return Err(Error::protocol(
            "jwt",
            format!("{what} is not a JSON object"),
        ));
    }
    Ok(value)
}

/// The claims of a token without checking its signature: the client only
/// reads `exp` of a token the server minted (`/v2/jwt/{userName}`) to know
/// when to renew it. Never use this to trust a token.
pub fn decode_unverified(token: &str) -> Result<Value, Error> {
    let [_, payload, _] = parts(token)?;
    json_part(payload, "JWT payload")
}

/// The `exp` claim as a time, if the token has one.
pub fn expiry_unverified(token: &str) -> Result<Option<Timestamp>, Error> {
    let claims = decode_unverified(token)?;
    Ok(claims
        .get("exp")
        .and_then(Value::as_u64)
        .map(Timestamp::from_secs))
}

/// Verifies an HS256 token under `key` and returns its claims; `now`
/// checks `exp` and `nbf`. Used by the provider simulator and tests.
pub fn verify_hs256(token: &str, key: &[u8], now: Timestamp) -> Result<Value, Error> {
    let rejected = || Error::Auth {
        reason: AuthReason::Rejected,
        code: None,
    };
    let [header, payload, sig] = parts(token)?;
    let header = json_part(header, "JWT header")?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(rejected());
    }
    let mac = hmac_sha256(key, format!("{}.{}", parts(token)?[0], payload).as_bytes());
    let given = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| rejected())?;
    // Constant-time comparison: the MAC must not leak through timing.
    let equal = given.len() == mac.len()
        && given
            .iter()
            .zip(mac.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !equal {
        return Err(rejected());
    }
    let claims = json_part(payload, "JWT payload")?;
    let secs = now.secs();
    if claims
        .get("exp")
        .and_then(Value::as_u64)
        .is_some_and(|exp| secs >= exp)
    {
        return Err(Error::Auth {
            reason: AuthReason::Expired,
            code: None,
        });
    }
    if claims
        .get("nbf")
        .and_then(Value::as_u64)
        .is_some_and(|nbf| secs < nbf)
    {
        return Err(rejected());
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_claims_sign_like_a_value() {
        let text = r#"{"sub": "a", "exp": 100}"#;
        assert_eq!(
            encode_hs256_json(text, b"k").unwrap(),
            encode_hs256(&json!({"exp": 100, "sub": "a"}), b"k").unwrap()
        );
        for bad in ["", "[1]", "{", "\"x\""] {
            assert_eq!(
                encode_hs256_json(bad, b"k").unwrap_err().field(),
                Some("claims"),
                "{bad}"
            );
        }
    }

    #[test]
    fn rfc7515_style_round_trip() {
        let token = encode_hs256(&json!({"sub": "a", "exp": 100}), b"k").unwrap();
        let t = token.expose();
        assert!(t.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
        assert_eq!(
            expiry_unverified(t).unwrap(),
            Some(Timestamp::from_secs(100))
        );
        assert!(verify_hs256(t, b"k", Timestamp::from_secs(99)).is_ok());
        assert_eq!(
            verify_hs256(t, b"k", Timestamp::from_secs(100)).unwrap_err(),
            Error::Auth {
                reason: AuthReason::Expired,
                code: None
            }
        );
        assert_eq!(
            verify_hs256(t, b"other", Timestamp::from_secs(1))
                .unwrap_err()
                .kind(),
            "auth"
        );
        assert!(encode_hs256(&json!({}), b"").is_err());
    }

    #[test]
    fn malformed_tokens_are_protocol_errors() {
        for bad in [
            "",
            "a.b",
            "a.b.c.d",
            "x.!!!.y",
            "x.bm90IGpzb24.y",
            "x.WzFd.y",
        ] {
            assert_eq!(
                decode_unverified(bad).unwrap_err().kind(),
                "protocol",
                "{bad}"
            );
        }
    }
}
