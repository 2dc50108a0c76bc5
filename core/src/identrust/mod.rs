//! IdenTrust's reseller ACME service (identrust-reseller-acme.txt).
//!
//! A reseller creates a customer account with its API key
//! ([`reseller::CreateAccount`]) and receives the EAB `kid` and `hmacKey`;
//! the customer then speaks plain ACME ([`crate::acme`]) to one directory per
//! certificate profile (`/acme/{profile}/directory`). Profiles are therefore
//! chosen by directory URL here, not by the newOrder `profile` field of
//! draft-ietf-acme-profiles.
//!
//! Hosts: the seed names only the staging hosts (table "Base URLs"). The
//! production hosts are not in it, so [`Environment::custom`] takes them as
//! configuration.

pub mod reseller;

pub use reseller::{CreateAccount, ResellerAccount};

use crate::error::Error;

/// Staging reseller API host (seed, "Staging environment").
pub const STAGING_RESELLER_HOST: &str = "reseller-cms-pte.identrust.com";
/// Staging ACME host (seed, "Staging environment").
pub const STAGING_ACME_HOST: &str = "acme-cms-pte.identrust.com";

/// The staging environment's predefined profiles (seed, profile table).
pub const STAGING_PROFILES: &[&str] = &["TLS-90d", "TLS-1y"];

/// Where the reseller API and the ACME directories live.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "IdenTrustEnvironment")
)]
pub struct Environment {
    /// Reseller API base URL, e.g. `https://reseller-cms-pte.identrust.com`.
    pub reseller_base: String,
    /// ACME base URL, e.g. `https://acme-cms-pte.identrust.com`.
    pub acme_base: String,
}

impl Environment {
    /// IdenTrust's staging environment. The seed's curl example uses
    /// `http://` for the reseller host; certbridge uses `https://` because
    /// the request carries the API key.
    pub fn staging() -> Self {
        Environment {
            reseller_base: format!("https://{STAGING_RESELLER_HOST}"),
            acme_base: format!("https://{STAGING_ACME_HOST}"),
        }
    }

    /// Any other environment (production, whose hosts IdenTrust gives to its
    /// resellers, or a simulator). Both must be `https` URLs, or `http` to a
    /// loopback host: the reseller API key and the EAB-bound account go to
    /// them (issue 14 item 9).
    pub fn custom(reseller_base: &str, acme_base: &str) -> Result<Self, Error> {
        Self::custom_allowing_insecure_http(reseller_base, acme_base, false)
    }

    /// [`Environment::custom`], accepting cleartext `http` to any host when
    /// `allow_insecure_http` is true: the seed's own
    /// `curl http://$RESELLER_HOST/account` example needs it. An explicit
    /// opt-in, never the default; the client's `AcmeClient::connect`
    /// still wants the ACME directory `https` (or loopback) when it connects.
    pub fn custom_allowing_insecure_http(
        reseller_base: &str,
        acme_base: &str,
        allow_insecure_http: bool,
    ) -> Result<Self, Error> {
        Ok(Environment {
            reseller_base: crate::http::credential_base_url(
                "reseller_base",
                reseller_base,
                allow_insecure_http,
            )?,
            acme_base: crate::http::credential_base_url(
                "acme_base",
                acme_base,
                allow_insecure_http,
            )?,
        })
    }

    /// The ACME directory URL of `profile`: `{acme}/acme/{profile}/directory`.
    pub fn directory_url(&self, profile: &str) -> Result<String, Error> {
        let profile = profile.trim();
        if profile.is_empty() {
            return Err(Error::invalid_input("profile", "empty profile name"));
        }
        Ok(format!(
            "{}/acme/{}/directory",
            self.acme_base.trim_end_matches('/'),
            crate::http::encode_path_segment(profile)
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn staging_profile_directories_match_the_seed() {
        let env = Environment::staging();
        assert_eq!(
            env.directory_url("TLS-90d").unwrap(),
            "https://acme-cms-pte.identrust.com/acme/TLS-90d/directory"
        );
        assert_eq!(
            env.directory_url("TLS-1y").unwrap(),
            "https://acme-cms-pte.identrust.com/acme/TLS-1y/directory"
        );
        assert_eq!(
            env.directory_url("a/b").unwrap(),
            "https://acme-cms-pte.identrust.com/acme/a%2Fb/directory"
        );
        assert_eq!(
            Environment::custom("ftp://x", "https://y")
                .unwrap_err()
                .field(),
            Some("reseller_base")
        );
    }
}
