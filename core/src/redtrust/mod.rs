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
    /// A configuration for `server` (absolute http(s) URL, e.g.
    /// `https://redtrust.example:8082`), following v4.42.
    pub fn new(server: &str) -> Result<Self, Error> {
        Ok(RedtrustConfig {
            server: crate::http::base_url("server", server)?,
            compat: RedtrustCompat::default(),
        })
    }

    /// The same configuration for another document version.
    pub fn with_compat(mut self, compat: RedtrustCompat) -> Self {
        self.compat = compat;
        self
    }
}
