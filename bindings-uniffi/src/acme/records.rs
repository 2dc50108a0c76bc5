//! Records declared here as uniffi remote types: they hold a `Timestamp`
//! (itself a remote type of this crate, see [`crate::http`]) or a `BTreeMap`
//! (which uniffi lacks), so a derive in the core could not lower them. The
//! field lists mirror the core structs; uniffi checks them at compile time.

use std::collections::{BTreeMap, HashMap};

use certbridge::acme::ari::{RenewalInfo, Window};
use certbridge::acme::authorization::{Authorization, AuthorizationStatus};
use certbridge::acme::directory::{Directory, DirectoryMeta};
use certbridge::acme::order::{Order, OrderStatus};
use certbridge::acme::{CertificateChain, Challenge, Identifier, Issued, Problem};
use certbridge::Timestamp;

/// An order (RFC 8555 section 7.1.3). `retry_after` (unix milliseconds) is
/// the server's `Retry-After`, if it sent one.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeOrder")]
pub struct Order {
    pub url: String,
    pub status: OrderStatus,
    pub expires: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub authorizations: Vec<String>,
    pub finalize: String,
    pub certificate: Option<String>,
    pub error: Option<Problem>,
    pub profile: Option<String>,
    pub replaces: Option<String>,
    pub retry_after: Option<Timestamp>,
}

/// An authorization (RFC 8555 section 7.1.4) and its challenges.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeAuthorization")]
pub struct Authorization {
    pub url: String,
    pub identifier: Identifier,
    pub status: AuthorizationStatus,
    pub expires: Option<String>,
    pub challenges: Vec<Challenge>,
    pub wildcard: bool,
    pub retry_after: Option<Timestamp>,
}

/// The suggested renewal window of ARI (RFC 9773 section 4.2), unix
/// milliseconds.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeRenewalWindow")]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A `renewalInfo` answer (RFC 9773 section 4.2).
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeRenewalInfo")]
pub struct RenewalInfo {
    pub suggested_window: Window,
    pub explanation_url: Option<String>,
    pub retry_after: Option<Timestamp>,
}

/// The profiles a directory offers (draft-ietf-acme-profiles): name ->
/// description.
pub type AcmeProfiles = BTreeMap<String, String>;

uniffi::custom_type!(AcmeProfiles, HashMap<String, String>, {
    remote,
    lower: |p| p.into_iter().collect(),
    try_lift: |m| Ok(m.into_iter().collect()),
});

/// The directory's `meta` object (RFC 8555 section 7.1.1).
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeDirectoryMeta")]
pub struct DirectoryMeta {
    pub terms_of_service: Option<String>,
    pub website: Option<String>,
    pub caa_identities: Vec<String>,
    pub external_account_required: bool,
    pub profiles: AcmeProfiles,
}

/// An ACME directory (RFC 8555 section 7.1.1).
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeDirectory")]
pub struct Directory {
    pub new_nonce: String,
    pub new_account: String,
    pub new_order: String,
    pub new_authz: Option<String>,
    pub revoke_cert: String,
    pub key_change: String,
    pub renewal_info: Option<String>,
    pub meta: DirectoryMeta,
}

/// The result of an issuance: the account, the final order, the chain
/// (leaf first) and any alternate chains fetched.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeIssued")]
pub struct Issued {
    pub account_url: String,
    pub order: Order,
    pub chain: CertificateChain,
    pub alternates: Vec<CertificateChain>,
    pub replaces_dropped: bool,
}
