//! Redtrust RA API (redtrust-ra-api-integration.txt,
//! redtrust-camerfirma-tutorial-v4.42.txt, redtrust-certificate-enroll-v4.33.txt).
//!
//! The server generates the key pair: `csr/create` returns a CSR and a
//! `requestCode`, `csr/finalize` issues the certificate, which stays on the
//! Redtrust server. Renewal is the same flow with `thumbprintToRenew`.
//! Authentication is a direct login or an HMAC-signed browser redirect whose
//! temporary token is exchanged for a bearer session.

pub mod auth;
pub mod compat;
pub mod csr;
mod envelope;
pub mod flow;

pub use auth::{
    partner_name, temporal_token_from_redirect, ExchangeTempToken, Login, LoginUrl, Logout,
    PartnerSignature, Refresh, Session,
};
pub use compat::RedtrustCompat;
pub use csr::{
    normalize_thumbprint, parse_dn, CreateCsr, CreatedCsr, CsrRequest, DnEntry, FinalizeCsr,
    Finalized, HashType, InfoMap, KeyType,
};
pub use flow::{Credentials, IssueFlow, Issued};

use crate::error::Error;

/// Where the Redtrust server is and which documents it follows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RedtrustConfig {
    /// `https://HOST:PORT` without a trailing slash.
    pub server: String,
    /// Document version the server follows.
    pub compat: RedtrustCompat,
}

impl RedtrustConfig {
    /// A configuration for `server` (an `https` URL, e.g.
    /// `https://redtrust.example:8082`, or `http` to a loopback host),
    /// following v4.42. The password and tokens go to this server, so a
    /// cleartext `http` URL elsewhere is refused (issue 14 item 9).
    pub fn new(server: &str) -> Result<Self, Error> {
        Self::new_allowing_insecure_http(server, false)
    }

    /// [`RedtrustConfig::new`], accepting cleartext `http` to any host when
    /// `allow_insecure_http` is true: an explicit opt-in for test networks,
    /// never the default.
    pub fn new_allowing_insecure_http(
        server: &str,
        allow_insecure_http: bool,
    ) -> Result<Self, Error> {
        Ok(RedtrustConfig {
            server: crate::http::credential_base_url("server", server, allow_insecure_http)?,
            compat: RedtrustCompat::default(),
        })
    }

    /// The same configuration for another document version.
    pub fn with_compat(mut self, compat: RedtrustCompat) -> Self {
        self.compat = compat;
        self
    }
}
