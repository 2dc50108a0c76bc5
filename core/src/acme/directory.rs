//! The ACME directory (RFC 8555 section 7.1.1), with the `renewalInfo` URL of
//! RFC 9773 section 4, `newAuthz` (section 7.4.1) and `meta.profiles`
//! (draft-ietf-acme-profiles section 3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::acme::guard::UrlPolicy;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::time::Timestamp;

/// The endpoints of one ACME server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct Directory {
    /// `newNonce`.
    pub new_nonce: String,
    /// `newAccount`.
    pub new_account: String,
    /// `newOrder`.
    pub new_order: String,
    /// `newAuthz`, when the server supports pre-authorization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_authz: Option<String>,
    /// `revokeCert`.
    pub revoke_cert: String,
    /// `keyChange`.
    pub key_change: String,
    /// `renewalInfo` (RFC 9773), when the server offers ARI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_info: Option<String>,
    /// `meta`.
    #[serde(default)]
    pub meta: DirectoryMeta,
}

/// The directory's `meta` object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct DirectoryMeta {
    /// `termsOfService` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_of_service: Option<String>,
    /// `website`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// `caaIdentities`.
    #[serde(default)]
    pub caa_identities: Vec<String>,
    /// `externalAccountRequired`: newAccount needs EAB.
    #[serde(default)]
    pub external_account_required: bool,
    /// Profile name to description (draft-ietf-acme-profiles section 3).
    #[serde(default)]
    pub profiles: BTreeMap<String, String>,
}

/// `GET` the directory.
pub struct GetDirectory;

impl GetDirectory {
    /// The request for `url` (e.g. an IdenTrust profile directory).
    pub fn request(url: &str) -> HttpRequest {
        HttpRequest::new(Method::Get, url).header("Accept", "application/json")
    }

    /// Parses the directory. The required URLs must be present, absolute and
    /// https (http only to a loopback host: the parser does not know where
    /// the directory came from; [`GetDirectory::parse_at`] does).
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Directory, Error> {
        Self::parse_with(response, now, UrlPolicy::LOOPBACK_HTTP)
    }

    /// Parses the directory fetched from `directory_url`: its entries must
    /// be https unless `directory_url` is itself http on loopback
    /// ([`UrlPolicy::for_directory_url`]), so an https directory cannot send
    /// the client to a cleartext endpoint.
    pub fn parse_at(
        response: &HttpResponse,
        now: Timestamp,
        directory_url: &str,
    ) -> Result<Directory, Error> {
        Self::parse_with(response, now, UrlPolicy::for_directory_url(directory_url))
    }

    fn parse_with(
        response: &HttpResponse,
        now: Timestamp,
        policy: UrlPolicy,
    ) -> Result<Directory, Error> {
        let d: Directory = crate::acme::json_response(response, now, "directory")?;
        for (name, url) in [
            ("newNonce", Some(&d.new_nonce)),
            ("newAccount", Some(&d.new_account)),
            ("newOrder", Some(&d.new_order)),
            ("revokeCert", Some(&d.revoke_cert)),
            ("keyChange", Some(&d.key_change)),
            ("newAuthz", d.new_authz.as_ref()),
            ("renewalInfo", d.renewal_info.as_ref()),
        ] {
            if let Some(url) = url {
                policy.check("directory", name, url)?;
            }
        }
        Ok(d)
    }
}

impl Directory {
    /// Whether the server advertises `profile` in `meta.profiles`.
    pub fn has_profile(&self, profile: &str) -> bool {
        self.meta.profiles.contains_key(profile)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_directory_and_refuses_a_broken_one() {
        let body = r#"{"newNonce":"https://a/nonce","newAccount":"https://a/acct","newOrder":"https://a/order",
          "revokeCert":"https://a/revoke","keyChange":"https://a/kc","renewalInfo":"https://a/ari",
          "meta":{"externalAccountRequired":true,"profiles":{"tlsserver":"90 days"}}}"#;
        let d = GetDirectory::parse(&HttpResponse::new(200, body), Timestamp(0)).unwrap();
        assert!(d.meta.external_account_required);
        assert!(d.has_profile("tlsserver"));
        assert_eq!(d.renewal_info.as_deref(), Some("https://a/ari"));
        for bad in ["", "<html>", r#"{"newNonce":"https://a/n"}"#] {
            let e = GetDirectory::parse(&HttpResponse::new(200, bad), Timestamp(0)).unwrap_err();
            assert_eq!(e.kind(), "protocol");
        }
    }
}
