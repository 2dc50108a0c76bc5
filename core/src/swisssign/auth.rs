//! Session JWTs for the RA API.
//!
//! swisssign-ra-api-v2, `/v2/jwt/{userName}`: a JWT valid 8 hours,
//! `iss` = `SwissPKI`, `aud` = `REST API`, `sub` = the (technical) account,
//! `iat`/`nbf`/`exp` in UTC, HS256-signed with the API key; or the server
//! makes one from the form body `userSecret=<API key>`. Every other call
//! carries it as `Authorization: Bearer <JWT>`.

use serde::{Deserialize, Serialize};

use crate::crypto::jwt;
use crate::error::{AuthReason, Error};
use crate::http::{encode_path_segment, encode_query_value, HttpRequest, HttpResponse, Method};
use crate::secret::Secret;
use crate::swisssign::error::check;
use crate::swisssign::SwissSignConfig;
use crate::time::Timestamp;

/// Lifetime of a SwissSign JWT: 8 hours (swisssign-ra-api-v2, `/v2/jwt`).
pub const JWT_LIFETIME_SECS: u64 = 8 * 60 * 60;

/// A session renews its JWT this long before `exp`, so a request never
/// leaves with a token that expires in flight.
pub const RENEW_MARGIN_SECS: u64 = 5 * 60;

/// The claims of a SwissSign session JWT, serialised in this order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignJwtClaims")
)]
pub struct JwtClaims {
    /// Issuer: `SwissPKI`.
    pub iss: String,
    /// Audience: `REST API`.
    pub aud: String,
    /// The account the token is for.
    pub sub: String,
    /// Issued at (unix seconds).
    pub iat: u64,
    /// Not before (unix seconds).
    pub nbf: u64,
    /// Expires (unix seconds): `iat` + 8 h.
    pub exp: u64,
}

impl JwtClaims {
    /// The claims for `account` issued at `now`.
    pub fn for_account(account: &str, now: Timestamp) -> Self {
        let iat = now.secs();
        JwtClaims {
            iss: "SwissPKI".to_string(),
            aud: "REST API".to_string(),
            sub: account.to_string(),
            iat,
            nbf: iat,
            exp: iat.saturating_add(JWT_LIFETIME_SECS),
        }
    }
}

/// Signs a session JWT for `account` locally with the API key (HS256 over
/// the key's UTF-8 bytes), issued at `now`.
pub fn local_jwt(account: &str, api_key: &Secret, now: Timestamp) -> Result<Secret, Error> {
    if account.trim().is_empty() {
        return Err(Error::invalid_input("account", "the account name is empty"));
    }
    if api_key.is_empty() {
        return Err(Error::invalid_input("api_key", "the API key is empty"));
    }
    jwt::encode_hs256(
        &JwtClaims::for_account(account, now),
        api_key.expose().as_bytes(),
    )
}

/// A JWT handed out by the server, with its expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedJwt {
    /// The bearer token.
    pub token: Secret,
    /// Its `exp`, or `now` + 8 h when the token does not say.
    pub expires_at: Timestamp,
}

/// `POST /v2/jwt/{userName}` with the form body `userSecret=...`
/// (swisssign-ra-api-v2, `/v2/jwt/{userName}`); answers the JWT as text.
#[derive(Debug)]
pub struct JwtRequest<'a> {
    /// The RA operator or service account.
    pub user_name: &'a str,
    /// Its API key.
    pub user_secret: &'a Secret,
}

impl JwtRequest<'_> {
    /// The request.
    pub fn request(&self, config: &SwissSignConfig) -> Result<HttpRequest, Error> {
        if self.user_name.trim().is_empty() {
            return Err(Error::invalid_input("user_name", "the user name is empty"));
        }
        if self.user_secret.is_empty() {
            return Err(Error::invalid_input("user_secret", "the API key is empty"));
        }
        let url = config.url(&format!(
            "/v2/jwt/{}",
            encode_path_segment(self.user_name.trim())
        ));
        let body = format!(
            "userSecret={}",
            encode_query_value(self.user_secret.expose())
        );
        Ok(HttpRequest::new(Method::Post, url)
            .header("Accept", "text/plain, application/json")
            .body("application/x-www-form-urlencoded", body.into_bytes()))
    }

    /// The token from a `text/plain` answer (a JSON string is accepted too).
    pub fn parse(resp: &HttpResponse, now: Timestamp) -> Result<IssuedJwt, Error> {
        const CONTEXT: &str = "SwissSign JWT";
        // A refused secret is an `APIError` (module 009) or a bare 401.
        check(resp, CONTEXT)?;
        let text = resp.text(CONTEXT)?.trim();
        let token = if text.starts_with('"') {
            serde_json::from_str::<String>(text)
                .map_err(|_| Error::protocol(CONTEXT, "malformed JSON string"))?
        } else {
            text.to_string()
        };
        let exp = jwt::expiry_unverified(&token)
            .map_err(|_| Error::protocol(CONTEXT, "the answer is not a JWT"))?;
        Ok(IssuedJwt {
            token: Secret::new(token),
            expires_at: exp.unwrap_or(now.plus_secs(JWT_LIFETIME_SECS)),
        })
    }
}

#[derive(Clone, Debug)]
enum Credentials {
    ApiKey {
        account: String,
        api_key: Secret,
    },
    UserSecret {
        user_name: String,
        user_secret: Secret,
    },
    Fixed,
}

/// A server, credentials and the current JWT. Renews the JWT before it
/// expires: locally for an API key, or through `/v2/jwt/{userName}`, in
/// which case [`Session::prepare`] hands back the request to send.
#[derive(Clone, Debug)]
pub struct Session {
    config: SwissSignConfig,
    credentials: Credentials,
    token: Option<Secret>,
    expires_at: Option<Timestamp>,
}

impl Session {
    /// Signs JWTs locally for `account` with `api_key`.
    pub fn with_api_key(
        config: SwissSignConfig,
        account: &str,
        api_key: Secret,
    ) -> Result<Self, Error> {
        if account.trim().is_empty() {
            return Err(Error::invalid_input("account", "the account name is empty"));
        }
        if api_key.is_empty() {
            return Err(Error::invalid_input("api_key", "the API key is empty"));
        }
        Ok(Session {
            config,
            credentials: Credentials::ApiKey {
                account: account.trim().to_string(),
                api_key,
            },
            token: None,
            expires_at: None,
        })
    }

    /// Fetches JWTs from `/v2/jwt/{userName}`.
    pub fn with_user_secret(
        config: SwissSignConfig,
        user_name: &str,
        user_secret: Secret,
    ) -> Result<Self, Error> {
        if user_name.trim().is_empty() {
            return Err(Error::invalid_input("user_name", "the user name is empty"));
        }
        if user_secret.is_empty() {
            return Err(Error::invalid_input("user_secret", "the API key is empty"));
        }
        Ok(Session {
            config,
            credentials: Credentials::UserSecret {
                user_name: user_name.trim().to_string(),
                user_secret,
            },
            token: None,
            expires_at: None,
        })
    }

    /// Uses a JWT obtained elsewhere; it cannot be renewed. Its `exp` is
    /// read (unverified) when it has one.
    pub fn with_token(config: SwissSignConfig, token: Secret) -> Result<Self, Error> {
        if token.expose().trim().is_empty() {
            return Err(Error::invalid_input("token", "the token is empty"));
        }
        let expires_at = jwt::expiry_unverified(token.expose()).ok().flatten();
        Ok(Session {
            config,
            credentials: Credentials::Fixed,
            token: Some(token),
            expires_at,
        })
    }

    /// The server settings.
    pub fn config(&self) -> &SwissSignConfig {
        &self.config
    }

    /// The current JWT, if any.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// When the current JWT expires, if known.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires_at
    }

    /// Whether the session can get a new JWT by itself.
    pub fn can_renew(&self) -> bool {
        !matches!(self.credentials, Credentials::Fixed)
    }

    /// Whether a new JWT is due: none yet, or within
    /// [`RENEW_MARGIN_SECS`] of `exp`.
    pub fn needs_renewal(&self, now: Timestamp) -> bool {
        match (&self.token, self.expires_at) {
            (None, _) => true,
            (Some(_), Some(exp)) => now.plus_secs(RENEW_MARGIN_SECS) >= exp,
            (Some(_), None) => false,
        }
    }

    /// Makes the JWT fresh for `now`. Returns a request to send (then hand
    /// its answer to [`Session::receive_jwt`]) when the server must mint the
    /// token; `None` when the token is ready.
    pub fn prepare(&mut self, now: Timestamp) -> Result<Option<HttpRequest>, Error> {
        if !self.needs_renewal(now) {
            return Ok(None);
        }
        match &self.credentials {
            Credentials::ApiKey { account, api_key } => {
                let token = local_jwt(account, api_key, now)?;
                self.token = Some(token);
                self.expires_at = Some(now.plus_secs(JWT_LIFETIME_SECS));
                Ok(None)
            }
            Credentials::UserSecret {
                user_name,
                user_secret,
            } => JwtRequest {
                user_name,
                user_secret,
            }
            .request(&self.config)
            .map(Some),
            Credentials::Fixed => Err(Error::Auth {
                reason: AuthReason::Expired,
                code: None,
            }),
        }
    }

    /// Takes the answer to the request [`Session::prepare`] returned.
    pub fn receive_jwt(&mut self, resp: &HttpResponse, now: Timestamp) -> Result<(), Error> {
        let issued = JwtRequest::parse(resp, now)?;
        self.token = Some(issued.token);
        // A JWT that arrives already due (clock skew, a short `exp`) is used
        // as it is: its expiry becomes unknown and only the server's 401
        // renews it, so no step ever asks for a token twice (issue 14, item 1).
        self.expires_at =
            Some(issued.expires_at).filter(|exp| now.plus_secs(RENEW_MARGIN_SECS) < *exp);
        Ok(())
    }

    /// Forgets the JWT (after the server refused it with 401), so the next
    /// [`Session::prepare`] renews it.
    pub fn invalidate(&mut self) {
        if self.can_renew() {
            self.token = None;
            self.expires_at = None;
        }
    }

    /// A `POST` to `path` with the Bearer JWT and `Accept: application/json`.
    pub(crate) fn post(&self, path: &str) -> Result<HttpRequest, Error> {
        self.post_accepting(path, "application/json")
    }

    /// A `POST` to `path` with the Bearer JWT and the given `Accept`.
    pub(crate) fn post_accepting(&self, path: &str, accept: &str) -> Result<HttpRequest, Error> {
        let token = self.token.as_ref().ok_or(Error::Auth {
            reason: AuthReason::Expired,
            code: None,
        })?;
        Ok(HttpRequest::new(Method::Post, self.config.url(path))
            .header("Accept", accept)
            .bearer(token.expose()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_session_renews_before_expiry() {
        let cfg = SwissSignConfig::pre_production();
        let mut s = Session::with_api_key(cfg, "svc", Secret::new("k")).unwrap();
        let t0 = Timestamp::from_secs(1_700_000_000);
        assert!(s.prepare(t0).unwrap().is_none());
        let first = s.token().unwrap().clone();
        assert_eq!(s.expires_at(), Some(t0.plus_secs(JWT_LIFETIME_SECS)));
        let claims = jwt::decode_unverified(first.expose()).unwrap();
        assert_eq!(claims["iss"], "SwissPKI");
        assert_eq!(claims["aud"], "REST API");
        // One second before the margin: kept. At the margin: renewed.
        let before = t0.plus_secs(JWT_LIFETIME_SECS - RENEW_MARGIN_SECS - 1);
        assert!(s.prepare(before).unwrap().is_none());
        assert_eq!(s.token(), Some(&first));
        let at = t0.plus_secs(JWT_LIFETIME_SECS - RENEW_MARGIN_SECS);
        assert!(s.prepare(at).unwrap().is_none());
        assert_ne!(s.token(), Some(&first));
        assert_eq!(s.expires_at(), Some(at.plus_secs(JWT_LIFETIME_SECS)));
        assert!(!format!("{s:?}").contains(s.token().unwrap().expose()));
    }

    #[test]
    fn user_secret_session_asks_the_server() {
        let cfg = SwissSignConfig::new("https://ra.example/").unwrap();
        let mut s =
            Session::with_user_secret(cfg, "service.account", Secret::new("a b+c")).unwrap();
        let now = Timestamp::from_secs(1000);
        let req = s.prepare(now).unwrap().unwrap();
        assert_eq!(req.url, "https://ra.example/v2/jwt/service.account");
        assert_eq!(req.body, b"userSecret=a%20b%2Bc");
        assert!(s.post("/v2/clients").is_err());
        let token =
            jwt::encode_hs256(&JwtClaims::for_account("service.account", now), b"x").unwrap();
        s.receive_jwt(&HttpResponse::new(200, token.expose()), now)
            .unwrap();
        assert_eq!(s.expires_at(), Some(now.plus_secs(JWT_LIFETIME_SECS)));
        assert!(s.prepare(now).unwrap().is_none());
        assert_eq!(
            s.receive_jwt(&HttpResponse::new(200, "<html>"), now)
                .unwrap_err()
                .kind(),
            "protocol"
        );
        assert_eq!(
            s.receive_jwt(&HttpResponse::new(401, ""), now)
                .unwrap_err()
                .kind(),
            "auth"
        );
    }

    #[test]
    fn fixed_token_cannot_renew() {
        let cfg = SwissSignConfig::production();
        let mut s = Session::with_token(cfg, Secret::new("opaque")).unwrap();
        assert!(s.prepare(Timestamp::from_secs(1)).unwrap().is_none());
        s.invalidate();
        assert!(s.token().is_some());
        assert!(Session::with_token(SwissSignConfig::production(), Secret::new(" ")).is_err());
    }
}
