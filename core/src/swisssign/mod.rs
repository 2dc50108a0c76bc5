//! SwissSign RA API v2 (swisssign-ra-api-v2.txt; DESIGN.md, "Facts from the
//! providers' public references").
//!
//! Every call is a `POST` with `Authorization: Bearer <JWT>`. The session JWT
//! is either signed locally with the API key ([`auth::local_jwt`]) or fetched
//! from `/v2/jwt/{userName}` ([`auth::JwtRequest`]); a [`auth::Session`] keeps
//! it fresh. Each endpoint is one small type with `request(..)` and
//! `parse(..)` side by side; issuance from a CSR with polling and chain
//! download is the [`flow::IssueFlow`] state machine.

pub mod auth;
pub mod chain;
pub mod client;
pub mod compat;
pub mod domain;
pub mod error;
pub mod flow;
pub mod issue;
pub mod order;
pub mod page;
pub mod refs;
pub mod revoke;

use serde::{Deserialize, Serialize};

use crate::error::Error;

pub use auth::{JwtClaims, JwtRequest, Session};
pub use chain::{CertificateChain, GetChain};
pub use compat::{DomainListPath, ReasonSpelling, SwissSignCompat};
pub use flow::{IssueFlow, IssuedCertificate};
pub use order::{CertificateOrder, OrderSearch, OrderStatus};
pub use page::Page;
pub use refs::{ClientRef, DomainRef, OrderRef, ProductRef};
pub use revoke::{RevocationReason, RevocationRequest};

/// Production RA API host (DESIGN.md, public references).
pub const PRODUCTION_URL: &str = "https://api.ra.swisssign.ch";
/// Pre-production RA API host.
pub const PRE_PRODUCTION_URL: &str = "https://api.ra.pre.swisssign.ch";

/// Where the RA API is and how that server spells things.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwissSignConfig {
    /// Base URL without a trailing slash; paths start with `/v2/`.
    pub base_url: String,
    /// Server differences.
    #[serde(default)]
    pub compat: SwissSignCompat,
}

impl SwissSignConfig {
    /// A server at `base_url` (an absolute http(s) URL; a simulator or a
    /// proxy may carry a path prefix), with the current defaults.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Ok(SwissSignConfig {
            base_url: crate::http::base_url("base_url", base_url)?,
            compat: SwissSignCompat::default(),
        })
    }

    /// The production service.
    pub fn production() -> Self {
        SwissSignConfig {
            base_url: PRODUCTION_URL.to_string(),
            compat: SwissSignCompat::default(),
        }
    }

    /// The pre-production service.
    pub fn pre_production() -> Self {
        SwissSignConfig {
            base_url: PRE_PRODUCTION_URL.to_string(),
            compat: SwissSignCompat::default(),
        }
    }

    /// The same server with other compatibility settings.
    pub fn with_compat(mut self, compat: SwissSignCompat) -> Self {
        self.compat = compat;
        self
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}
