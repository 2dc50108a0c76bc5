//! Accounts (RFC 8555 section 7.3): creation with External Account Binding,
//! lookup by key, key rollover and deactivation.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::acme::eab::EabKey;
use crate::acme::jws::{AccountKey, KeyRef};
use crate::acme::{json_response, location};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;

/// Account status (section 7.1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "AcmeAccountStatus")
)]
pub enum AccountStatus {
    /// Usable.
    Valid,
    /// Deactivated by its holder.
    Deactivated,
    /// Revoked by the server.
    Revoked,
}

/// An account as the server describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AcmeAccount")
)]
pub struct Account {
    /// The account URL: the `kid` of every later request.
    pub url: String,
    /// Status.
    pub status: AccountStatus,
    /// Contact URLs (`mailto:`).
    pub contact: Vec<String>,
    /// URL of the account's order list, if the server gives one.
    pub orders: Option<String>,
    /// Whether this response created the account (201) rather than found it (200).
    pub created: bool,
}

#[derive(Deserialize)]
struct AccountBody {
    status: AccountStatus,
    #[serde(default)]
    contact: Vec<String>,
    #[serde(default)]
    orders: Option<String>,
}

impl Account {
    fn from_response(
        response: &HttpResponse,
        now: Timestamp,
        context: &'static str,
        url: Option<&str>,
    ) -> Result<Account, Error> {
        let body: AccountBody = json_response(response, now, context)?;
        let url = match url {
            Some(u) => u.to_string(),
            None => location(response, context)?,
        };
        Ok(Account {
            url,
            status: body.status,
            contact: body.contact,
            orders: body.orders,
            created: response.status == 201,
        })
    }
}

/// `newAccount` (section 7.3), with EAB (7.3.4) or as a lookup by key
/// (`onlyReturnExisting`, 7.3.1). Signed with `jwk`, not `kid`.
#[derive(Clone, Debug, Default)]
pub struct NewAccount<'a> {
    /// Contact URLs, e.g. `mailto:admin@example.com`.
    pub contact: &'a [String],
    /// Agreement to the terms of service.
    pub terms_of_service_agreed: bool,
    /// Only look the account up; never create one.
    pub only_return_existing: bool,
    /// External account binding, when the CA requires it.
    pub eab: Option<&'a EabKey>,
}

impl NewAccount<'_> {
    /// The JSON payload.
    pub fn payload(&self, key: &AccountKey, new_account_url: &str) -> Vec<u8> {
        let mut p = serde_json::Map::new();
        if self.only_return_existing {
            p.insert("onlyReturnExisting".into(), json!(true));
        } else {
            if !self.contact.is_empty() {
                p.insert("contact".into(), json!(self.contact));
            }
            if self.terms_of_service_agreed {
                p.insert("termsOfServiceAgreed".into(), json!(true));
            }
            if let Some(eab) = self.eab {
                p.insert(
                    "externalAccountBinding".into(),
                    eab.binding(key, new_account_url),
                );
            }
        }
        serde_json::to_vec(&p).unwrap_or_default()
    }

    /// The signed request.
    pub fn request(
        &self,
        key: &AccountKey,
        new_account_url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        let payload = self.payload(key, new_account_url);
        key.post(KeyRef::Jwk, new_account_url, nonce, Some(&payload))
    }

    /// 201 (created) or 200 (already exists) with `Location`.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Account, Error> {
        Account::from_response(response, now, "newAccount", None)
    }
}

/// `POST` to the account URL: update or deactivate (sections 7.3.2, 7.3.6).
pub struct UpdateAccount;

impl UpdateAccount {
    /// `{"status":"deactivated"}`.
    pub fn deactivate_payload() -> Vec<u8> {
        br#"{"status":"deactivated"}"#.to_vec()
    }

    /// The signed deactivation request.
    pub fn deactivate(
        key: &AccountKey,
        account_url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(
            KeyRef::Kid(account_url),
            account_url,
            nonce,
            Some(&Self::deactivate_payload()),
        )
    }

    /// The account after the update.
    pub fn parse(
        response: &HttpResponse,
        now: Timestamp,
        account_url: &str,
    ) -> Result<Account, Error> {
        Account::from_response(response, now, "account update", Some(account_url))
    }
}

/// `keyChange` (section 7.3.5): an outer JWS by the old key (`kid`) whose
/// payload is an inner JWS by the new key (`jwk`, no nonce) over
/// `{"account": url, "oldKey": old JWK}`.
pub struct KeyChange;

impl KeyChange {
    /// The outer payload: the inner JWS, serialised.
    pub fn payload(
        old_key: &AccountKey,
        new_key: &AccountKey,
        account_url: &str,
        key_change_url: &str,
    ) -> Result<Vec<u8>, Error> {
        let inner_payload = serde_json::to_vec(&json!({
            "account": account_url,
            "oldKey": old_key.jwk(),
        }))
        .unwrap_or_default();
        let inner = new_key.jws(KeyRef::Jwk, key_change_url, None, Some(&inner_payload))?;
        Ok(serde_json::to_vec(&inner).unwrap_or_default())
    }

    /// The signed request.
    pub fn request(
        old_key: &AccountKey,
        new_key: &AccountKey,
        account_url: &str,
        key_change_url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        let payload = Self::payload(old_key, new_key, account_url, key_change_url)?;
        old_key.post(
            KeyRef::Kid(account_url),
            key_change_url,
            nonce,
            Some(&payload),
        )
    }

    /// Success is any 2xx; the body (if any) is not needed.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<(), Error> {
        crate::acme::problem::check(response, now, "keyChange")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::acme::jws::verify;

    #[test]
    fn new_account_with_eab_is_signed_with_jwk() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let eab = EabKey::new("kid-1", "c2VjcmV0").unwrap();
        let contact = vec!["mailto:a@example.com".to_string()];
        let na = NewAccount {
            contact: &contact,
            terms_of_service_agreed: true,
            eab: Some(&eab),
            ..Default::default()
        };
        let req = na.request(&key, "https://a/new-acct", "n1").unwrap();
        assert_eq!(
            req.headers.get("content-type"),
            Some("application/jose+json")
        );
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        let (header, payload) = verify(&body, &key).unwrap();
        assert_eq!(header["jwk"], key.jwk());
        assert!(header.get("kid").is_none());
        let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(
            payload["externalAccountBinding"],
            eab.binding(&key, "https://a/new-acct")
        );
        let resp = HttpResponse::new(
            201,
            r#"{"status":"valid","contact":["mailto:a@example.com"]}"#,
        )
        .header("Location", "https://a/acct/7");
        let acct = NewAccount::parse(&resp, Timestamp(0)).unwrap();
        assert_eq!(
            (acct.url.as_str(), acct.created),
            ("https://a/acct/7", true)
        );
        let no_loc = HttpResponse::new(201, r#"{"status":"valid"}"#);
        assert_eq!(
            NewAccount::parse(&no_loc, Timestamp(0)).unwrap_err().kind(),
            "protocol"
        );
    }

    #[test]
    fn key_change_nests_two_signatures() {
        let old = AccountKey::generate_es256(&mut rand_core::OsRng);
        let new = AccountKey::generate_es256(&mut rand_core::OsRng);
        let req = KeyChange::request(&old, &new, "https://a/acct/1", "https://a/kc", "n").unwrap();
        let outer: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        let (oh, inner) = verify(&outer, &old).unwrap();
        assert_eq!(oh["kid"], "https://a/acct/1");
        let inner: serde_json::Value = serde_json::from_slice(&inner).unwrap();
        let (ih, ip) = verify(&inner, &new).unwrap();
        assert_eq!(
            (ih["url"].as_str(), ih.get("nonce")),
            (Some("https://a/kc"), None)
        );
        let ip: serde_json::Value = serde_json::from_slice(&ip).unwrap();
        assert_eq!(ip["oldKey"], old.jwk());
    }
}
