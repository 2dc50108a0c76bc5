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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SwissSignConfig {
    /// Base URL without a trailing slash; paths start with `/v2/`.
    pub base_url: String,
    /// Server differences.
    #[serde(default)]
    pub compat: SwissSignCompat,
}

impl SwissSignConfig {
    /// A server at `base_url` (an `https` URL, or `http` to a loopback
    /// host; a simulator or a proxy may carry a path prefix), with the
    /// current defaults. API keys, JWTs and `userSecret` go to this server,
    /// so a cleartext `http` URL elsewhere is refused (issue 14 item 9).
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Self::new_allowing_insecure_http(base_url, false)
    }

    /// [`SwissSignConfig::new`], accepting cleartext `http` to any host
    /// when `allow_insecure_http` is true: an explicit opt-in, never the
    /// default.
    pub fn new_allowing_insecure_http(
        base_url: &str,
        allow_insecure_http: bool,
    ) -> Result<Self, Error> {
        Ok(SwissSignConfig {
            base_url: crate::http::credential_base_url("base_url", base_url, allow_insecure_http)?,
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

#[cfg(test)]
mod tests {
    //! Every parser on truncated and corrupted versions of good answers:
    //! typed errors or values, never a panic (a panic across FFI kills the
    //! host application).
    use crate::http::HttpResponse;

    const P7: &[u8] = include_bytes!("../../../tests/vectors/fixtures/chain-shuffled.p7b");
    const CHAIN_PEM: &str = include_str!("../../../tests/vectors/fixtures/chain.pem");

    fn parse_all(resp: &HttpResponse) {
        let _ = super::client::SearchClients::parse(resp);
        let _ = super::client::SearchClientsPaged::parse(resp);
        let _ = super::client::GetClient::parse(resp);
        let _ = super::domain::RegisterDomains::parse(resp);
        let _ = super::domain::DomainCall::parse(resp);
        let _ = super::domain::DeleteDomain::parse(resp);
        let _ = super::issue::IssueCsr::parse(resp);
        let _ = super::order::GetOrderStatus::parse(resp);
        let _ = super::order::GetOrder::parse(resp);
        let _ = super::order::SearchOrdersPaged::parse(resp);
        let _ = super::chain::GetChain::parse(resp);
        let _ = super::revoke::Revoke::parse(resp);
        let _ = super::auth::JwtRequest::parse(resp, crate::time::Timestamp(0));
        let _ = super::error::error_of(resp, "fuzz");
    }

    #[test]
    fn parsers_never_panic_on_damaged_answers() {
        let order = r#"{"uuid":"ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b","createdOn":"2025-04-15T12:18:16Z","status":"ISSUED","clientReference":"cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd","productReference":"pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed","certificate":{"serial":"01"}}"#;
        let error = r#"{"uuid":"u","errorCode":"011.351.0226","errorMessages":["x",null]}"#;
        let samples: Vec<Vec<u8>> = vec![
            order.as_bytes().to_vec(),
            error.as_bytes().to_vec(),
            P7.to_vec(),
            CHAIN_PEM.as_bytes().to_vec(),
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for sample in &samples {
            for status in [200u16, 400, 401, 500] {
                for cut in 0..sample.len() {
                    parse_all(&HttpResponse::new(status, &sample[..cut]));
                }
                for _ in 0..200 {
                    let mut damaged = sample.clone();
                    for _ in 0..4 {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        let i = (seed as usize) % damaged.len();
                        damaged[i] = (seed >> 32) as u8;
                    }
                    parse_all(&HttpResponse::new(status, damaged));
                }
            }
        }
    }
}
