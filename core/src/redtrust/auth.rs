//! Redtrust authentication: direct login, the HMAC-signed browser redirect,
//! the temporary-token exchange, refresh and logout, and the session that
//! carries the bearer token (redtrust-ra-api-integration, "Authentication";
//! redtrust-certificate-enroll-v4.33, steps 1 and 2).

use base64::Engine as _;
use serde::Serialize;
use serde_json::{json, Value};

use super::envelope;
use super::{RedtrustCompat, RedtrustConfig};
use crate::crypto::digest::{hex_lower, hmac_sha256};
use crate::error::Error;
use crate::http::{encode_query_value, HttpRequest, HttpResponse, Method};
use crate::secret::Secret;
use crate::time::Timestamp;

/// Refresh this long before the access token expires, so a request sent just
/// before expiry does not arrive just after it.
pub const REFRESH_MARGIN_SECS: u64 = 30;

/// Checks and upper-cases a partner name: the documents require "the client
/// application name in uppercase"; only `[A-Z0-9_]` can be signed and sent
/// unambiguously in both a header and a query.
pub fn partner_name(partner: &str) -> Result<String, Error> {
    let upper = partner.trim().to_ascii_uppercase();
    if upper.is_empty() {
        return Err(Error::invalid_input("partner", "must not be empty"));
    }
    if !upper
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(Error::invalid_input(
            "partner",
            "only letters, digits and '_' are allowed",
        ));
    }
    Ok(upper)
}

/// The HMAC signature of a partner request: lower-case hex
/// HMAC-SHA256(shared key, `"PARTNER:TIMESTAMP"`) (v4.33, "Required headers").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartnerSignature {
    /// Upper-case partner name (`x-partner-name`).
    pub partner: String,
    /// Unix seconds (`x-request-timestamp`).
    pub timestamp: u64,
    /// Lower-case hex signature (`x-hmac-signature`).
    pub signature: String,
}

impl PartnerSignature {
    /// Signs `PARTNER:TIMESTAMP` with the shared key.
    pub fn sign(partner: &str, hmac_key: &Secret, now: Timestamp) -> Result<Self, Error> {
        let partner = partner_name(partner)?;
        if hmac_key.is_empty() {
            return Err(Error::invalid_input("hmac_key", "must not be empty"));
        }
        let timestamp = now.secs();
        let message = format!("{partner}:{timestamp}");
        let signature = hex_lower(&hmac_sha256(
            hmac_key.expose().as_bytes(),
            message.as_bytes(),
        ));
        Ok(PartnerSignature {
            partner,
            timestamp,
            signature,
        })
    }

    /// The three headers that carry the signature.
    pub fn headers(&self) -> [(&'static str, String); 3] {
        [
            ("x-partner-name", self.partner.clone()),
            ("x-request-timestamp", self.timestamp.to_string()),
            ("x-hmac-signature", self.signature.clone()),
        ]
    }
}

/// The browser redirect that starts the HMAC login:
/// `GET /authclient/auth/loginrequest?Consumer=RA_API&Domain=..&RedirectUrl=..&timestamp=..&partner=..&hmac=..`
/// (redtrust-ra-api-integration, "HMAC redirect").
#[derive(Clone, Debug)]
pub struct LoginUrl<'a> {
    /// Upper- or lower-case partner name; sent upper-case.
    pub partner: &'a str,
    /// Shared HMAC key.
    pub hmac_key: &'a Secret,
    /// Absolute http(s) URL registered in Redtrust; `tkn` is appended to it.
    pub redirect_url: &'a str,
    /// Users' domain (optional).
    pub domain: Option<&'a str>,
}

impl LoginUrl<'_> {
    /// The request a browser should make. The URL is what to redirect the user
    /// to; the headers carry the same signature for clients that can set them.
    pub fn request(&self, config: &RedtrustConfig, now: Timestamp) -> Result<HttpRequest, Error> {
        let redirect = url::Url::parse(self.redirect_url.trim())
            .map_err(|_| Error::invalid_input("redirect_url", "not an absolute URL"))?;
        if !matches!(redirect.scheme(), "http" | "https") || redirect.host_str().is_none() {
            return Err(Error::invalid_input(
                "redirect_url",
                "must be an absolute http or https URL",
            ));
        }
        let sig = PartnerSignature::sign(self.partner, self.hmac_key, now)?;
        let mut url = format!(
            "{}/authclient/auth/loginrequest?Consumer=RA_API",
            config.server
        );
        if let Some(domain) = self.domain.map(str::trim).filter(|d| !d.is_empty()) {
            url.push_str("&Domain=");
            url.push_str(&encode_query_value(domain));
        }
        url.push_str("&RedirectUrl=");
        url.push_str(&encode_query_value(self.redirect_url.trim()));
        url.push_str(&format!(
            "&timestamp={}&partner={}&hmac={}",
            sig.timestamp,
            encode_query_value(&sig.partner),
            sig.signature
        ));
        let mut request = HttpRequest::new(Method::Get, url);
        for (name, value) in sig.headers() {
            request.headers.append(name, value);
        }
        Ok(request)
    }
}

/// The temporary token out of the URL Redtrust redirected the browser to
/// (`...?tkn=TEMPORARY_TOKEN`, v4.33 "Redirection with temporary token").
/// The parameter may also sit in the fragment of a single-page app's URL.
pub fn temporal_token_from_redirect(redirected_to: &str) -> Result<Secret, Error> {
    let url = url::Url::parse(redirected_to.trim())
        .map_err(|_| Error::invalid_input("redirect", "not an absolute URL"))?;
    let in_query = url
        .query_pairs()
        .find(|(k, _)| k == "tkn")
        .map(|(_, v)| v.into_owned());
    let in_fragment = || {
        url.fragment().and_then(|f| {
            url::form_urlencoded::parse(f.as_bytes())
                .find(|(k, _)| k == "tkn")
                .map(|(_, v)| v.into_owned())
        })
    };
    match in_query.or_else(in_fragment) {
        Some(t) if !t.trim().is_empty() => Ok(Secret::new(t.trim())),
        Some(_) => Err(Error::invalid_input(
            "redirect",
            "the tkn parameter is empty",
        )),
        None => Err(Error::invalid_input(
            "redirect",
            "no tkn parameter in the URL",
        )),
    }
}

/// A bearer session: access token, refresh token and when the access token
/// expires. Hold on to it between calls; flows update it when they refresh.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Bearer access token.
    pub access_token: Secret,
    /// Refresh token, when the server gave one.
    pub refresh_token: Option<Secret>,
    /// When the access token expires, from `expiration` or the token's own
    /// JWT `exp`; `None` when neither says (then only a 401 triggers refresh).
    pub expires_at: Option<Timestamp>,
}

impl Session {
    /// A session from an access token the caller already holds.
    pub fn from_access_token(access_token: Secret) -> Self {
        let expires_at = jwt_expiry(access_token.expose());
        Session {
            access_token,
            refresh_token: None,
            expires_at,
        }
    }

    /// The session as just received at `now`. A token that arrives already
    /// expired by the clock (a skewed clock, an `expiration` written in
    /// another zone) is used as it is: its expiry becomes unknown, so only
    /// the server's 401 renews it. Trusting the clock here would log in
    /// again before every request (issue 14, item 1).
    pub(crate) fn usable_at(mut self, now: Timestamp) -> Self {
        if self.needs_refresh(now) {
            self.expires_at = None;
        }
        self
    }

    /// Whether the access token should be refreshed before use at `now`.
    pub fn needs_refresh(&self, now: Timestamp) -> bool {
        self.expires_at
            .is_some_and(|e| now.plus_secs(REFRESH_MARGIN_SECS) >= e)
    }

    /// Parses the token answer of login, temp-token exchange and refresh:
    /// `data {accessToken, refreshToken, expiration}`.
    pub fn parse(response: &HttpResponse, context: &'static str) -> Result<Session, Error> {
        let data = envelope::data(response, context)?;
        if !data.is_object() {
            return Err(Error::protocol(context, "`data` holds no tokens"));
        }
        let access = match data.get("accessToken") {
            Some(Value::String(s)) if !s.is_empty() => Secret::new(s.as_str()),
            Some(_) => return Err(Error::protocol(context, "`accessToken` is not a string")),
            None => return Err(Error::protocol(context, "`accessToken` is missing")),
        };
        let refresh = match data.get("refreshToken") {
            Some(Value::String(s)) if !s.is_empty() => Some(Secret::new(s.as_str())),
            None | Some(Value::Null) => None,
            Some(_) => return Err(Error::protocol(context, "`refreshToken` is not a string")),
        };
        let expires_at = match data.get("expiration") {
            Some(Value::String(s)) => Some(Timestamp::parse_rfc3339(s).ok_or_else(|| {
                Error::protocol(context, "`expiration` is not an ISO 8601 date-time")
            })?),
            // Numbers: unix seconds, or milliseconds when too large for seconds.
            Some(Value::Number(n)) => n.as_u64().map(|v| {
                if v > 100_000_000_000 {
                    Timestamp::from_millis(v)
                } else {
                    Timestamp::from_secs(v)
                }
            }),
            None | Some(Value::Null) => None,
            Some(_) => return Err(Error::protocol(context, "`expiration` has the wrong type")),
        }
        .or_else(|| jwt_expiry(access.expose()));
        Ok(Session {
            access_token: access,
            refresh_token: refresh,
            expires_at,
        })
    }
}

/// The `exp` claim of a JWT, read without verifying it (v4.33 says the access
/// token is a JWT); used only to know when to refresh.
fn jwt_expiry(token: &str) -> Option<Timestamp> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("exp")?.as_u64().map(Timestamp::from_secs)
}

/// Direct login, `POST /raapi/v1/auth/login {username, password, domain?}`.
#[derive(Clone, Debug)]
pub struct Login<'a> {
    /// Application user.
    pub username: &'a str,
    /// Password.
    pub password: &'a Secret,
    /// Users' domain, if the installation uses one.
    pub domain: Option<&'a str>,
}

impl Login<'_> {
    /// The request.
    pub fn request(&self, config: &RedtrustConfig) -> Result<HttpRequest, Error> {
        if self.username.trim().is_empty() {
            return Err(Error::invalid_input("username", "must not be empty"));
        }
        if self.password.is_empty() {
            return Err(Error::invalid_input("password", "must not be empty"));
        }
        let body = LoginBody {
            username: self.username.trim(),
            password: self.password.expose(),
            domain: self.domain.map(str::trim).filter(|d| !d.is_empty()),
        };
        Ok(json_request(
            Method::Post,
            format!("{}/raapi/v1/auth/login", config.server),
            &body,
        ))
    }

    /// Parses the tokens.
    pub fn parse(response: &HttpResponse) -> Result<Session, Error> {
        Session::parse(response, "redtrust login")
    }
}

/// Body of the direct login, fields in the documents' order.
#[derive(Serialize)]
struct LoginBody<'a> {
    username: &'a str,
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<&'a str>,
}

/// Exchange of the redirect's temporary token for a session,
/// `/authapi/v1/login_by_temp_token {temporalToken}`: POST in the integration
/// guide (v4.42), GET with a body in the v4.33 tutorial.
#[derive(Clone, Debug)]
pub struct ExchangeTempToken<'a> {
    /// The `tkn` value.
    pub temporal_token: &'a Secret,
}

impl ExchangeTempToken<'_> {
    /// The request.
    pub fn request(&self, config: &RedtrustConfig) -> Result<HttpRequest, Error> {
        if self.temporal_token.is_empty() {
            return Err(Error::invalid_input("temporal_token", "must not be empty"));
        }
        let method = match config.compat {
            RedtrustCompat::V4_42 => Method::Post,
            RedtrustCompat::V4_33 => Method::Get,
        };
        Ok(json_request(
            method,
            format!("{}/authapi/v1/login_by_temp_token", config.server),
            &json!({ "temporalToken": self.temporal_token.expose() }),
        ))
    }

    /// Parses the tokens.
    pub fn parse(response: &HttpResponse) -> Result<Session, Error> {
        Session::parse(response, "redtrust temp-token exchange")
    }
}

/// `PUT .../refresh-token {refreshToken}` with the current bearer token
/// (v4.33: `/authapi/v1/`; v4.42 reference: `/raapi/v1/auth/`).
#[derive(Clone, Debug)]
pub struct Refresh<'a> {
    /// The session to refresh.
    pub session: &'a Session,
}

impl Refresh<'_> {
    /// The request; an input error when the session has no refresh token.
    pub fn request(&self, config: &RedtrustConfig) -> Result<HttpRequest, Error> {
        let refresh = self.session.refresh_token.as_ref().ok_or(Error::Auth {
            reason: crate::error::AuthReason::NoRefreshToken,
            code: None,
        })?;
        Ok(json_request(
            Method::Put,
            format!(
                "{}{}/refresh-token",
                config.server,
                config.compat.session_prefix()
            ),
            &json!({ "refreshToken": refresh.expose() }),
        )
        .bearer(self.session.access_token.expose()))
    }

    /// Parses the new tokens. A server that returns no new refresh token
    /// leaves the old one in use.
    pub fn parse(response: &HttpResponse, previous: &Session) -> Result<Session, Error> {
        let mut session = Session::parse(response, "redtrust refresh")?;
        if session.refresh_token.is_none() {
            session.refresh_token = previous.refresh_token.clone();
        }
        Ok(session)
    }
}

/// `DELETE .../logout` with the bearer token, no body (v4.33, "logout").
#[derive(Clone, Debug)]
pub struct Logout<'a> {
    /// The session to end.
    pub session: &'a Session,
}

impl Logout<'_> {
    /// The request.
    pub fn request(&self, config: &RedtrustConfig) -> HttpRequest {
        HttpRequest::new(
            Method::Delete,
            format!("{}{}/logout", config.server, config.compat.session_prefix()),
        )
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .bearer(self.session.access_token.expose())
    }

    /// Checks the answer.
    pub fn parse(response: &HttpResponse) -> Result<(), Error> {
        envelope::data(response, "redtrust logout").map(|_| ())
    }
}

/// A JSON request with `Accept` and `Content-Type: application/json`.
pub(crate) fn json_request(method: Method, url: String, body: &impl Serialize) -> HttpRequest {
    HttpRequest::new(method, url)
        .header("Accept", "application/json")
        .json_body(serde_json::to_vec(body).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> RedtrustConfig {
        RedtrustConfig::new("https://rt.example:8082").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn partner_is_uppercased_and_checked() {
        assert_eq!(partner_name("ca_demo").ok().as_deref(), Some("CA_DEMO"));
        for bad in ["", "ca-demo", "CA DEMO", "CAÑA", "A:B"] {
            assert_eq!(
                partner_name(bad).map_err(|e| e.field().map(str::to_string)),
                Err(Some("partner".into()))
            );
        }
    }

    #[test]
    fn redirect_token_from_query_or_fragment() {
        let t = temporal_token_from_redirect("https://app.example/cb?x=1&tkn=abc%2B1")
            .map(|s| s.expose().to_string());
        assert_eq!(t.ok().as_deref(), Some("abc+1"));
        let t = temporal_token_from_redirect("https://app.example/#tkn=xyz")
            .map(|s| s.expose().to_string());
        assert_eq!(t.ok().as_deref(), Some("xyz"));
        assert!(temporal_token_from_redirect("https://app.example/?tkn=").is_err());
        assert!(temporal_token_from_redirect("not a url").is_err());
    }

    #[test]
    fn session_expiry_from_jwt_when_not_given() {
        // {"exp":2000000000}
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjIwMDAwMDAwMDB9.sig";
        let s = Session::from_access_token(Secret::new(token));
        assert_eq!(s.expires_at, Some(Timestamp::from_secs(2_000_000_000)));
        assert!(!s.needs_refresh(Timestamp::from_secs(1_999_999_000)));
        assert!(s.needs_refresh(Timestamp::from_secs(1_999_999_990)));
    }

    #[test]
    fn refresh_without_refresh_token_is_auth_error() {
        let s = Session::from_access_token(Secret::new("a"));
        let err = Refresh { session: &s }.request(&config()).err();
        assert_eq!(err.map(|e| e.kind()), Some("auth"));
    }
}
