//! Differences between SwissSign RA API servers in circulation.
//!
//! The seed and the public reference disagree in two places, and both forms
//! are live on some server: the domain list path (swisssign-ra-api-v2 step
//! list writes `/v2/client/domain/{cli}/list`, its endpoint heading
//! `/v2/client/domains/{cli}/list`; the current public reference has the
//! singular form) and the spelling of revocation reasons (current reference:
//! `SUPERSEDED`; the seed's example and older servers: `superseded`). The
//! defaults follow the current public reference.

use serde::{Deserialize, Serialize};

/// Which path lists a client's pre-validated domains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DomainListPath {
    /// `/v2/client/domain/{cli}/list` (current reference; default).
    #[default]
    Domain,
    /// `/v2/client/domains/{cli}/list` (the seed's endpoint heading).
    Domains,
}

/// How `revocationReason` is spelled in `/v2/revoke`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ReasonSpelling {
    /// `KEY_COMPROMISE` (current reference; default).
    #[default]
    UpperSnake,
    /// `keyCompromise`, the RFC 5280 names (the seed's example, older servers).
    CamelCase,
}

/// Server settings for the points where SwissSign servers differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SwissSignCompat {
    /// Domain list path.
    #[serde(default)]
    pub domain_list_path: DomainListPath,
    /// Revocation reason spelling.
    #[serde(default)]
    pub reason_spelling: ReasonSpelling,
}

impl SwissSignCompat {
    /// The settings of the current public reference.
    pub const CURRENT: SwissSignCompat = SwissSignCompat {
        domain_list_path: DomainListPath::Domain,
        reason_spelling: ReasonSpelling::UpperSnake,
    };

    /// The settings matching the seed document's examples (older servers).
    pub const LEGACY: SwissSignCompat = SwissSignCompat {
        domain_list_path: DomainListPath::Domains,
        reason_spelling: ReasonSpelling::CamelCase,
    };
}
