//! `POST /account`: a reseller creates a customer's ACME account and gets
//! its EAB credentials (identrust-reseller-acme.txt, "Using the reseller API
//! create an account for the user").

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::acme::eab::EabKey;
use crate::error::{AuthReason, Error, Provider, ProviderDetails, ProviderError};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::secret::Secret;
use crate::time::Timestamp;

/// The request: `Authorization: <API key>` (no scheme, as in the seed) and
/// `{"customer_email": ...}`.
#[derive(Clone, Debug)]
pub struct CreateAccount<'a> {
    /// The customer's e-mail address.
    pub customer_email: &'a str,
}

/// A reseller customer account (the seed's "example response").
#[derive(Clone, Debug, Serialize)]
pub struct ResellerAccount {
    /// Numeric account id (kept as given: number or string).
    pub id: Value,
    /// EAB key identifier.
    pub kid: String,
    /// `resellerCode`.
    pub reseller_code: Option<String>,
    /// Customer e-mail.
    pub email: Option<String>,
    /// Whether the account is revoked.
    pub revoked: bool,
    /// Whether the account is deleted.
    pub deleted: bool,
    /// The EAB credential (never serialised).
    #[serde(skip)]
    pub eab: EabKey,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    id: Option<Value>,
    kid: Option<String>,
    reseller_code: Option<String>,
    email: Option<String>,
    #[serde(default)]
    revoked: bool,
    #[serde(default)]
    deleted: bool,
    hmac_key: Option<String>,
}

impl CreateAccount<'_> {
    /// The request to `{reseller_base}/account`.
    pub fn request(&self, reseller_base: &str, api_key: &Secret) -> Result<HttpRequest, Error> {
        let base = crate::http::base_url("reseller_base", reseller_base)?;
        let email = self.customer_email.trim();
        if email.is_empty() || !email.contains('@') || email.chars().any(char::is_whitespace) {
            return Err(Error::invalid_input(
                "customer_email",
                "not an e-mail address",
            ));
        }
        if api_key.is_empty() {
            return Err(Error::invalid_input("api_key", "empty API key"));
        }
        Ok(HttpRequest::new(Method::Post, format!("{base}/account"))
            .header("Accept", "application/json")
            .header("Authorization", api_key.expose())
            .json_body(serde_json::to_vec(&json!({"customer_email": email})).unwrap_or_default()))
    }

    /// The account with its EAB credential. A revoked or deleted account is
    /// returned as such (the caller decides); a missing `kid` or an
    /// `hmacKey` that is not base64 is a protocol error; 401/403 is an auth
    /// error; other failures are IdenTrust provider errors.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<ResellerAccount, Error> {
        if matches!(response.status, 401 | 403) {
            return Err(Error::Auth {
                reason: AuthReason::Rejected,
                code: Some(format!("HTTP {}", response.status)),
            });
        }
        if !response.is_success() {
            return Err(provider_error(response, now));
        }
        let body: Body = serde_json::from_slice(&response.body).map_err(|_| {
            Error::protocol("identrust account", "response is not the account JSON")
        })?;
        let kid = body
            .kid
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::protocol("identrust account", "no kid"))?;
        let hmac = body
            .hmac_key
            .ok_or_else(|| Error::protocol("identrust account", "no hmacKey"))?;
        let eab = EabKey::new(&kid, &hmac)
            .map_err(|_| Error::protocol("identrust account", "hmacKey is not base64"))?;
        Ok(ResellerAccount {
            id: body.id.unwrap_or(Value::Null),
            kid,
            reseller_code: body.reseller_code,
            email: body.email,
            revoked: body.revoked,
            deleted: body.deleted,
            eab,
        })
    }
}

/// The seed documents no error format: take `code`/`error` and
/// `message`/`detail` from a JSON body when present, else the status.
fn provider_error(response: &HttpResponse, now: Timestamp) -> Error {
    let json: Option<Value> = serde_json::from_slice(&response.body).ok();
    let field = |names: &[&str]| {
        json.as_ref().and_then(|j| {
            names
                .iter()
                .find_map(|n| j.get(*n).and_then(Value::as_str).map(str::to_string))
        })
    };
    let code = field(&["code", "error", "errorCode"])
        .unwrap_or_else(|| format!("HTTP_{}", response.status));
    let message = field(&["message", "detail", "error_description"])
        .unwrap_or_else(|| response.body_excerpt());
    Error::provider(ProviderError {
        provider: Provider::IdenTrust,
        status: response.status,
        code,
        message,
        correlation_id: None,
        retry_after: response.retry_after(now),
        details: ProviderDetails::None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn seed_example_round_trip() {
        let req = CreateAccount {
            customer_email: "customer@example.com",
        }
        .request(
            "https://reseller-cms-pte.identrust.com",
            &Secret::new("supersecret"),
        )
        .unwrap();
        assert_eq!(req.url, "https://reseller-cms-pte.identrust.com/account");
        assert_eq!(req.headers.get("authorization"), Some("supersecret"));
        assert_eq!(req.body, br#"{"customer_email":"customer@example.com"}"#);
        assert!(!format!("{req:?}").contains("supersecret"));
        let body = r#"{ "id": 1234, "kid": "f8217eb6-6e52-11f0-a301-bad3575f33d9", "resellerCode": "RESELLER_CODE",
            "email": "customer@example.com", "revoked": false, "deleted":false,
            "hmacKey":"VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg=" }"#;
        let acct = CreateAccount::parse(&HttpResponse::new(200, body), Timestamp(0)).unwrap();
        assert_eq!(acct.eab.kid(), "f8217eb6-6e52-11f0-a301-bad3575f33d9");
        assert_eq!(
            acct.eab.hmac_key_b64url().expose(),
            "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg"
        );
        assert!(!format!("{acct:?}").contains("VL0adReIGO"));
        assert_eq!(
            CreateAccount::parse(&HttpResponse::new(401, ""), Timestamp(0))
                .unwrap_err()
                .kind(),
            "auth"
        );
        let e = CreateAccount::parse(&HttpResponse::new(500, "<html>"), Timestamp(0)).unwrap_err();
        assert_eq!((e.kind(), e.code()), ("provider", Some("HTTP_500")));
    }
}
