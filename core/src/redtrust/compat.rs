//! Differences between the Redtrust documents, behind one setting.
//!
//! The seeds disagree in places (DESIGN.md, "Redtrust"): where they do,
//! certbridge supports both and defaults to the newer document, v4.42.

use serde::{Deserialize, Serialize};

/// Which Redtrust documentation the server follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RedtrustCompat {
    /// Redtrust 4.42 and the RA API integration guide (the default):
    /// `POST /authapi/v1/login_by_temp_token`, refresh and logout under
    /// `/raapi/v1/auth/`, `POST /raapi/v1/csr/create` for issuance and renewal,
    /// `keyLength` as a JSON number.
    #[default]
    #[serde(rename = "v4.42", alias = "V4_42", alias = "4.42")]
    V4_42,
    /// Redtrust 4.33, "Integration with Certificate Enroll":
    /// `GET /authapi/v1/login_by_temp_token` with a JSON body, refresh and
    /// logout under `/authapi/v1/`, `GET /raapi/v1/csr/create` with a body,
    /// renewals through `/raapi/v2/csr/create`, `keyLength` as a string.
    #[serde(rename = "v4.33", alias = "V4_33", alias = "4.33")]
    V4_33,
}

impl RedtrustCompat {
    /// The default port of the documents' examples: 8082 for the RA API
    /// (v4.42 tutorial), 8083 for Certificate Enroll (v4.33 tutorial). Only
    /// advice for building a server URL: certbridge never adds a port itself.
    pub fn default_port(self) -> u16 {
        match self {
            RedtrustCompat::V4_42 => 8082,
            RedtrustCompat::V4_33 => 8083,
        }
    }

    /// Prefix of the refresh and logout endpoints.
    pub(crate) fn session_prefix(self) -> &'static str {
        match self {
            RedtrustCompat::V4_42 => "/raapi/v1/auth",
            RedtrustCompat::V4_33 => "/authapi/v1",
        }
    }
}
