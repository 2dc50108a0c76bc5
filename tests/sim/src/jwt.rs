//! JWT HS256 (RFC 7519 / RFC 7515 §A.1), hand-rolled so the simulator
//! checks exactly what the SwissSign seed requires ("/v2/jwt/{userName}":
//! iss `SwissPKI`, aud `REST API`, sub the account, iat/nbf/exp, HMAC-SHA256
//! with the API key) and nothing a library might silently accept.

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};

type HmacSha256 = Hmac<sha2::Sha256>;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON.
    Malformed(String),
    /// Header `alg` is not HS256.
    Algorithm(String),
    /// The signature does not verify.
    Signature,
    /// `exp` is in the past.
    Expired,
    /// A claim is missing or wrong.
    Claim(String),
}

impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwtError::Malformed(m) => write!(f, "malformed JWT: {m}"),
            JwtError::Algorithm(a) => write!(f, "JWT algorithm {a} not accepted (HS256 required)"),
            JwtError::Signature => f.write_str("JWT signature invalid"),
            JwtError::Expired => f.write_str("JWT expired"),
            JwtError::Claim(c) => write!(f, "JWT claim invalid: {c}"),
        }
    }
}

fn mac(key: &[u8], input: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so `new_from_slice` never fails; the
    // fallback only keeps this free of panics.
    let mut m = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as hmac::digest::KeyInit>::new(&Default::default()));
    m.update(input);
    m
}

/// Lower-case hex HMAC-SHA256 (Redtrust's redirect signature).
pub fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    mac(key, msg)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs `claims` as an HS256 JWT.
pub fn sign(claims: &Value, key: &[u8]) -> String {
    let header = B64.encode(json!({"alg": "HS256", "typ": "JWT"}).to_string());
    let payload = B64.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let sig = B64.encode(mac(key, input.as_bytes()).finalize().into_bytes());
    format!("{input}.{sig}")
}

/// The unverified claims (to find the account whose key verifies it).
pub fn peek_claims(token: &str) -> Result<Value, JwtError> {
    let mut parts = token.split('.');
    let (_, Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed(
            "expected three dot-separated parts".into(),
        ));
    };
    decode_json(payload)
}

fn decode_json(part: &str) -> Result<Value, JwtError> {
    let bytes = B64
        .decode(part.trim_end_matches('='))
        .map_err(|e| JwtError::Malformed(format!("base64url: {e}")))?;
    serde_json::from_slice(&bytes).map_err(|e| JwtError::Malformed(format!("JSON: {e}")))
}

/// Verifies signature, `alg`, `exp` (required, no leeway), `nbf`/`iat`
/// (with `leeway`), `iss` and `aud` (string or array); returns the claims.
pub fn verify(
    token: &str,
    key: &[u8],
    now: i64,
    leeway: i64,
    iss: &str,
    aud: &str,
) -> Result<Value, JwtError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        return Err(JwtError::Malformed(
            "expected three dot-separated parts".into(),
        ));
    };
    let header = decode_json(h)?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg != "HS256" {
        return Err(JwtError::Algorithm(alg.to_owned()));
    }
    let sig = B64
        .decode(s.trim_end_matches('='))
        .map_err(|e| JwtError::Malformed(format!("signature base64url: {e}")))?;
    mac(key, format!("{h}.{p}").as_bytes())
        .verify_slice(&sig)
        .map_err(|_| JwtError::Signature)?;
    let claims = decode_json(p)?;
    let num = |name: &str| claims.get(name).and_then(Value::as_i64);
    let exp = num("exp").ok_or_else(|| JwtError::Claim("exp missing or not a number".into()))?;
    if now >= exp {
        return Err(JwtError::Expired);
    }
    if let Some(nbf) = num("nbf") {
        if now + leeway < nbf {
            return Err(JwtError::Claim("nbf is in the future".into()));
        }
    }
    if let Some(iat) = num("iat") {
        if now + leeway < iat {
            return Err(JwtError::Claim("iat is in the future".into()));
        }
    }
    if claims.get("iss").and_then(Value::as_str) != Some(iss) {
        return Err(JwtError::Claim(format!("iss must be '{iss}'")));
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == aud,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(aud)),
        _ => false,
    };
    if !aud_ok {
        return Err(JwtError::Claim(format!("aud must be '{aud}'")));
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Value {
        json!({"iss": "SwissPKI", "aud": "REST API", "sub": "acct", "iat": 100, "nbf": 100, "exp": exp})
    }

    #[test]
    fn round_trip_and_each_refusal() {
        let t = sign(&claims(200), b"k");
        assert_eq!(
            verify(&t, b"k", 150, 0, "SwissPKI", "REST API").unwrap()["sub"],
            "acct"
        );
        assert_eq!(
            verify(&t, b"x", 150, 0, "SwissPKI", "REST API"),
            Err(JwtError::Signature)
        );
        assert_eq!(
            verify(&t, b"k", 200, 0, "SwissPKI", "REST API"),
            Err(JwtError::Expired)
        );
        assert!(matches!(
            verify(&t, b"k", 50, 0, "SwissPKI", "REST API"),
            Err(JwtError::Claim(_))
        ));
        assert!(matches!(
            verify(&t, b"k", 150, 0, "Other", "REST API"),
            Err(JwtError::Claim(_))
        ));
        assert!(matches!(
            verify("a.b", b"k", 150, 0, "SwissPKI", "REST API"),
            Err(JwtError::Malformed(_))
        ));
        let none = format!(
            "{}.{}.",
            B64.encode(r#"{"alg":"none"}"#),
            B64.encode(claims(200).to_string())
        );
        assert!(matches!(
            verify(&none, b"k", 150, 0, "SwissPKI", "REST API"),
            Err(JwtError::Algorithm(_))
        ));
    }
}
