//! Challenges (RFC 8555 section 8): key authorizations and what the caller
//! must publish for http-01 (8.3), dns-01 (8.4) and tls-alpn-01 (RFC 8737).

use serde::{Deserialize, Serialize};

use crate::acme::authorization::Identifier;
use crate::acme::jws::{AccountKey, KeyRef};
use crate::acme::problem::Problem;
use crate::acme::{b64url, json_response};
use crate::crypto::digest::{hex_lower, sha256};
use crate::error::Error;
use crate::flow::ChallengeTask;
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;

/// The challenge types the core can describe to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "AcmeChallengeType")
)]
pub enum ChallengeType {
    /// `http-01`.
    #[serde(rename = "http-01")]
    Http01,
    /// `dns-01`.
    #[serde(rename = "dns-01")]
    Dns01,
    /// `tls-alpn-01`.
    #[serde(rename = "tls-alpn-01")]
    TlsAlpn01,
}

impl ChallengeType {
    /// The type string on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeType::Http01 => "http-01",
            ChallengeType::Dns01 => "dns-01",
            ChallengeType::TlsAlpn01 => "tls-alpn-01",
        }
    }
}

/// Challenge status (section 7.1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "AcmeChallengeStatus")
)]
pub enum ChallengeStatus {
    /// Not yet attempted.
    Pending,
    /// Being validated.
    Processing,
    /// Validated.
    Valid,
    /// Failed.
    Invalid,
}

/// One challenge of an authorization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AcmeChallenge")
)]
pub struct Challenge {
    /// Type, e.g. `http-01` (unknown types are kept, never refused).
    #[serde(rename = "type")]
    pub kind: String,
    /// The challenge URL, POSTed `{}` to respond.
    pub url: String,
    /// Status.
    pub status: ChallengeStatus,
    /// The token (http-01, dns-01, tls-alpn-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// When it was validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validated: Option<String>,
    /// Why validation failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
}

/// `token || '.' || base64url(JWK thumbprint)` (section 8.1).
pub fn key_authorization(token: &str, thumbprint: &str) -> String {
    format!("{token}.{thumbprint}")
}

impl Challenge {
    /// What the caller must publish for this challenge of `identifier`.
    /// The token must be base64url (section 8.3), so it can never escape the
    /// `/.well-known/acme-challenge/` path.
    pub fn task(&self, identifier: &Identifier, key: &AccountKey) -> Result<ChallengeTask, Error> {
        self.task_with_thumbprint(identifier, &key.thumbprint())
    }

    /// [`Challenge::task`] for an account key known by its RFC 7638 thumbprint.
    pub fn task_with_thumbprint(
        &self,
        identifier: &Identifier,
        thumbprint: &str,
    ) -> Result<ChallengeTask, Error> {
        let token = self
            .token
            .as_deref()
            .filter(|t| {
                !t.is_empty()
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
            .ok_or_else(|| Error::protocol("challenge", "missing or non-base64url token"))?;
        let key_auth = key_authorization(token, thumbprint);
        let domain = identifier.value.clone();
        match self.kind.as_str() {
            "http-01" => Ok(ChallengeTask::Http01 {
                domain,
                token: token.to_string(),
                body: key_auth,
            }),
            "dns-01" => Ok(ChallengeTask::DnsTxt {
                name: format!("_acme-challenge.{}", identifier.base_name()),
                domain,
                value: b64url(&sha256(key_auth.as_bytes())),
            }),
            "tls-alpn-01" => Ok(ChallengeTask::TlsAlpn01 {
                domain,
                digest_hex: hex_lower(&sha256(key_auth.as_bytes())),
            }),
            other => Err(Error::invalid_input(
                "challenge_types",
                format!("challenge type {other} is not supported"),
            )),
        }
    }
}

/// Respond to a challenge: POST `{}` to its URL (section 7.5.1).
pub struct RespondChallenge;

impl RespondChallenge {
    /// The signed request.
    pub fn request(
        key: &AccountKey,
        account_url: &str,
        challenge_url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(KeyRef::Kid(account_url), challenge_url, nonce, Some(b"{}"))
    }

    /// The challenge as updated by the server.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Challenge, Error> {
        let challenge: Challenge = json_response(response, now, "challenge")?;
        crate::acme::guard::UrlPolicy::LOOPBACK_HTTP.check(
            "challenge",
            "challenge",
            &challenge.url,
        )?;
        Ok(challenge)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn chall(kind: &str, token: &str) -> Challenge {
        Challenge {
            kind: kind.into(),
            url: "https://a/chall".into(),
            status: ChallengeStatus::Pending,
            token: Some(token.into()),
            validated: None,
            error: None,
        }
    }

    #[test]
    fn tasks_for_each_type() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let tp = key.thumbprint();
        let id = Identifier::dns("*.Example.com").unwrap();
        match chall("dns-01", "tok").task(&id, &key).unwrap() {
            ChallengeTask::DnsTxt { name, value, .. } => {
                assert_eq!(name, "_acme-challenge.example.com");
                assert_eq!(value, b64url(&sha256(format!("tok.{tp}").as_bytes())));
            }
            other => panic!("{other:?}"),
        }
        match chall("http-01", "tok").task(&id, &key).unwrap() {
            ChallengeTask::Http01 { body, token, .. } => {
                assert_eq!((body, token), (format!("tok.{tp}"), "tok".into()))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            chall("http-01", "../x").task(&id, &key).unwrap_err().kind(),
            "protocol"
        );
    }
}
