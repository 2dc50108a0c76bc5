//! Identifiers and authorizations (RFC 8555 sections 7.1.4, 7.5), with
//! pre-authorization (`newAuthz`, 7.4.1) and deactivation (7.5.2).

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::acme::challenge::Challenge;
use crate::acme::guard::{check_identifier_form, UrlPolicy, MAX_CHALLENGES};
use crate::acme::jws::{AccountKey, KeyRef};
use crate::acme::{json_response, location};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;

/// An identifier (section 9.7.7): `dns` names (ASCII, lower-case, IDNs in
/// punycode) and `ip` addresses (RFC 8738).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AcmeIdentifier")
)]
pub struct Identifier {
    /// `dns` or `ip`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The name or address.
    pub value: String,
}

impl Identifier {
    /// A DNS identifier. Unicode names are converted to their ASCII form
    /// (IDNA, UTS 46) because that is what the CA validates and certifies; a
    /// leading `*.` (wildcard) is kept.
    pub fn dns(name: &str) -> Result<Self, Error> {
        let name = name.trim().trim_end_matches('.');
        let (wild, rest) = match name.strip_prefix("*.") {
            Some(rest) => ("*.", rest),
            None => ("", name),
        };
        if rest.is_empty() || rest.contains('*') {
            return Err(Error::invalid_input("identifiers", "not a DNS name"));
        }
        let ascii = idna::domain_to_ascii(rest)
            .map_err(|_| Error::invalid_input("identifiers", "not a valid (IDNA) DNS name"))?;
        if ascii.is_empty()
            || ascii.len() > 253
            || ascii.split('.').any(|l| {
                l.is_empty()
                    || l.len() > 63
                    || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
        {
            return Err(Error::invalid_input("identifiers", "not a valid DNS name"));
        }
        Ok(Identifier {
            kind: "dns".into(),
            value: format!("{wild}{ascii}"),
        })
    }

    /// An IP address identifier (RFC 8738).
    pub fn ip(addr: &str) -> Result<Self, Error> {
        let ip: std::net::IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| Error::invalid_input("identifiers", "not an IP address"))?;
        Ok(Identifier {
            kind: "ip".into(),
            value: ip.to_string(),
        })
    }

    /// The name without a wildcard prefix: the name challenges prove.
    pub fn base_name(&self) -> &str {
        self.value.strip_prefix("*.").unwrap_or(&self.value)
    }
}

/// Authorization status (section 7.1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "AcmeAuthorizationStatus")
)]
pub enum AuthorizationStatus {
    /// Waiting for a challenge.
    Pending,
    /// Proven.
    Valid,
    /// Failed.
    Invalid,
    /// Deactivated by the client.
    Deactivated,
    /// Expired.
    Expired,
    /// Revoked by the server.
    Revoked,
}

/// An authorization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Authorization {
    /// The authorization URL.
    pub url: String,
    /// The identifier it covers.
    pub identifier: Identifier,
    /// Status.
    pub status: AuthorizationStatus,
    /// Expiry (RFC 3339 as sent).
    pub expires: Option<String>,
    /// The challenges offered.
    pub challenges: Vec<Challenge>,
    /// Whether this is for a wildcard name (`identifier` has no `*.`).
    pub wildcard: bool,
    /// When to poll again, if the server said.
    pub retry_after: Option<Timestamp>,
}

#[derive(Deserialize)]
struct AuthzBody {
    identifier: Identifier,
    status: AuthorizationStatus,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    challenges: Vec<Challenge>,
    #[serde(default)]
    wildcard: bool,
}

impl Authorization {
    fn from_response(
        response: &HttpResponse,
        now: Timestamp,
        context: &'static str,
        url: Option<&str>,
    ) -> Result<Self, Error> {
        let b: AuthzBody = json_response(response, now, context)?;
        let url = match url {
            Some(u) => u.to_string(),
            None => location(response, context)?,
        };
        if b.challenges.len() > MAX_CHALLENGES {
            return Err(Error::protocol(
                context,
                format!(
                    "the authorization offers {} challenges (at most {MAX_CHALLENGES})",
                    b.challenges.len()
                ),
            ));
        }
        for c in &b.challenges {
            UrlPolicy::LOOPBACK_HTTP.check(context, "challenge", &c.url)?;
        }
        check_identifier_form(context, &b.identifier, b.wildcard)?;
        Ok(Authorization {
            url,
            identifier: b.identifier,
            status: b.status,
            expires: b.expires,
            challenges: b.challenges,
            wildcard: b.wildcard,
            retry_after: response.retry_after(now),
        })
    }

    /// The challenge of `kind` (`http-01`, `dns-01`, `tls-alpn-01`), if offered.
    pub fn challenge(&self, kind: &str) -> Option<&Challenge> {
        self.challenges.iter().find(|c| c.kind == kind)
    }
}

/// POST-as-GET of an authorization.
pub struct GetAuthorization;

impl GetAuthorization {
    /// The signed request.
    pub fn request(
        key: &AccountKey,
        account_url: &str,
        url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(KeyRef::Kid(account_url), url, nonce, None)
    }

    /// The authorization.
    pub fn parse(
        response: &HttpResponse,
        now: Timestamp,
        url: &str,
    ) -> Result<Authorization, Error> {
        Authorization::from_response(response, now, "authorization", Some(url))
    }
}

/// `newAuthz`: pre-authorization of one identifier (section 7.4.1), only
/// when the directory lists `newAuthz`.
pub struct NewAuthz;

impl NewAuthz {
    /// `{"identifier": {...}}`.
    pub fn payload(identifier: &Identifier) -> Vec<u8> {
        serde_json::to_vec(&json!({"identifier": identifier})).unwrap_or_default()
    }

    /// The signed request.
    pub fn request(
        key: &AccountKey,
        account_url: &str,
        new_authz_url: &str,
        identifier: &Identifier,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(
            KeyRef::Kid(account_url),
            new_authz_url,
            nonce,
            Some(&Self::payload(identifier)),
        )
    }

    /// 201 with `Location`.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Authorization, Error> {
        Authorization::from_response(response, now, "newAuthz", None)
    }
}

/// Deactivate an authorization (section 7.5.2): `{"status":"deactivated"}`.
pub struct DeactivateAuthorization;

impl DeactivateAuthorization {
    /// The payload.
    pub fn payload() -> Vec<u8> {
        br#"{"status":"deactivated"}"#.to_vec()
    }

    /// The signed request.
    pub fn request(
        key: &AccountKey,
        account_url: &str,
        url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(KeyRef::Kid(account_url), url, nonce, Some(&Self::payload()))
    }

    /// The authorization after deactivation.
    pub fn parse(
        response: &HttpResponse,
        now: Timestamp,
        url: &str,
    ) -> Result<Authorization, Error> {
        Authorization::from_response(response, now, "authorization deactivation", Some(url))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn dns_identifiers_are_ascii() {
        assert_eq!(
            Identifier::dns("Bücher.Example").unwrap().value,
            "xn--bcher-kva.example"
        );
        assert_eq!(
            Identifier::dns("*.example.com.").unwrap().value,
            "*.example.com"
        );
        assert_eq!(
            Identifier::dns("*.example.com").unwrap().base_name(),
            "example.com"
        );
        for bad in ["", "*.", "a..b", "a*b.com", "exa mple.com"] {
            assert_eq!(
                Identifier::dns(bad).unwrap_err().field(),
                Some("identifiers"),
                "{bad}"
            );
        }
        assert_eq!(Identifier::ip("::1").unwrap().value, "::1");
    }
}
