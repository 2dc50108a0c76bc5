//! The core's one error type.
//!
//! Every variant carries what a caller needs to act on it (the field to fix,
//! the provider's code and correlation id, when to retry) and nothing secret:
//! no token, password, key or request body ever reaches a message. The stable
//! [`Error::kind`] string is what bindings and test vectors compare.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// Which provider answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Redtrust RA API.
    Redtrust,
    /// SwissSign RA API v2.
    SwissSign,
    /// An ACME server (RFC 8555), IdenTrust's included.
    Acme,
    /// IdenTrust's reseller account API.
    IdenTrust,
}

impl Provider {
    /// Lower-case name used in messages and vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Redtrust => "redtrust",
            Provider::SwissSign => "swisssign",
            Provider::Acme => "acme",
            Provider::IdenTrust => "identrust",
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An identifier inside an ACME subproblem (RFC 8555 section 6.7.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AcmeSubproblemIdentifier")
)]
pub struct AcmeIdentifier {
    /// Identifier type, e.g. `dns`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Identifier value, e.g. `www.example.com`.
    pub value: String,
}

/// One subproblem of an ACME problem document (RFC 8555 section 6.7.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AcmeSubproblem")
)]
pub struct AcmeSubproblem {
    /// Problem type URI (`urn:ietf:params:acme:error:...`).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Human-readable detail.
    #[serde(default)]
    pub detail: Option<String>,
    /// The identifier this subproblem is about.
    #[serde(default)]
    pub identifier: Option<AcmeIdentifier>,
}

/// What a provider said beyond its code and message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "provider", rename_all = "lowercase")]
#[non_exhaustive]
pub enum ProviderDetails {
    /// Nothing more than code and message.
    None,
    /// Redtrust envelope (redtrust-certificate-enroll-v4.33, "Response").
    Redtrust {
        /// `messageType` of the envelope (`ERROR`, `SUCCESS`, `IGNORE`, ...).
        message_type: Option<String>,
    },
    /// SwissSign `APIError` (swisssign-ra-api-v2, error tables): the
    /// `MMM.SSS.EEEE` code decoded into names where the seed lists them.
    SwissSign {
        /// Module name, e.g. `MODULE_RAO_API`.
        module: Option<String>,
        /// Section name, e.g. `SECTION_RAO_API_FORM_VALIDATION`.
        section: Option<String>,
        /// Error name, e.g. `VALIDATION`.
        error: Option<String>,
        /// Every entry of `errorMessages`.
        messages: Vec<String>,
    },
    /// ACME problem document (RFC 8555 section 6.7, RFC 7807).
    Acme {
        /// Problem type URI.
        problem_type: String,
        /// `detail`, if any.
        detail: Option<String>,
        /// Subproblems, one per identifier that failed.
        subproblems: Vec<AcmeSubproblem>,
    },
}

/// An error reported by a provider in its own format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProviderError {
    /// Who said it.
    pub provider: Provider,
    /// HTTP status of the response.
    pub status: u16,
    /// The provider's code: Redtrust `errorCode`, SwissSign `MMM.SSS.EEEE`,
    /// ACME problem type URN, IdenTrust reseller error name.
    pub code: String,
    /// The provider's message (never contains anything we sent).
    pub message: String,
    /// Correlation id to quote to the provider's support (SwissSign `uuid`).
    pub correlation_id: Option<String>,
    /// When the provider asked us to retry (`Retry-After`), if it did.
    pub retry_after: Option<Timestamp>,
    /// Provider-specific detail.
    pub details: ProviderDetails,
}

/// A submission whose outcome is unknown: the request went out, and the
/// answer was lost (connection dropped, timeout) or unreadable (empty or
/// truncated body). The server may have acted on it, so it is not repeated
/// blindly; this says what may exist and how to pick it up (issue 14,
/// item 14).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AmbiguousSubmission {
    /// Who got the submission.
    pub provider: Provider,
    /// The submission, e.g. `SwissSign issue (POST /v2/issue/csr)`.
    pub operation: String,
    /// What went wrong with the answer.
    pub cause: String,
    /// What may now exist on the server.
    pub may_exist: String,
    /// The reference of what may exist, when known (SwissSign order
    /// reference, Redtrust `requestCode`, ACME order URL).
    pub reference: Option<String>,
    /// How to find it or carry on without duplicating it.
    pub pick_up: String,
}

/// Why authentication failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthReason {
    /// The token's lifetime is over; refresh or log in again.
    Expired,
    /// The credentials or token were refused.
    Rejected,
    /// A refresh was needed but no refresh token is held.
    NoRefreshToken,
}

/// The certbridge core error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Caller input was refused before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The input field at fault, named as in the API (`partner`, `dn[0].attribute`).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The request did not complete (DNS, TCP, TLS, timeout of one request).
    #[error("transport error: {message}")]
    Transport {
        /// What the transport reported.
        message: String,
    },
    /// An HTTP status the provider did not explain in its own error format.
    #[error("HTTP {status} from {context}: {excerpt}")]
    HttpStatus {
        /// The operation that got it.
        context: String,
        /// Status code.
        status: u16,
        /// A short printable excerpt of the body.
        excerpt: String,
        /// When to retry, if the server said (`Retry-After`).
        retry_after: Option<Timestamp>,
    },
    /// The provider answered with an error in its own format.
    #[error("{} error {} (HTTP {}): {}", .0.provider, .0.code, .0.status, .0.message)]
    Provider(Box<ProviderError>),
    /// Authentication failed or the session is no longer valid.
    #[error("authentication failed ({reason:?}){}", code.as_ref().map(|c| format!(": {c}")).unwrap_or_default())]
    Auth {
        /// Why.
        reason: AuthReason,
        /// The provider's code, if it gave one.
        code: Option<String>,
    },
    /// The response did not have the shape the protocol promises.
    #[error("unexpected response to {context}: {reason}")]
    Protocol {
        /// The operation whose response was wrong.
        context: String,
        /// What was wrong.
        reason: String,
    },
    /// A key, signature, certificate or encoding could not be processed.
    #[error("crypto error: {reason}")]
    Crypto {
        /// What failed.
        reason: String,
    },
    /// A deadline passed before the operation finished.
    #[error("timed out waiting for {what}")]
    Timeout {
        /// What was being waited for (e.g. `order ord-... to be issued`).
        what: String,
    },
    /// The caller cancelled the operation.
    #[error("cancelled")]
    Cancelled,
    /// A submission may or may not have been processed (see
    /// [`AmbiguousSubmission`]).
    #[error("{} may have been processed ({}): {}{}; {}", .0.operation, .0.cause, .0.may_exist,
        .0.reference.as_ref().map(|r| format!(" ({r})")).unwrap_or_default(), .0.pick_up)]
    Ambiguous(Box<AmbiguousSubmission>),
}

impl Error {
    /// An input error for `field`.
    pub fn invalid_input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A protocol error for the operation `context`.
    pub fn protocol(context: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Protocol {
            context: context.into(),
            reason: reason.into(),
        }
    }

    /// A crypto error.
    pub fn crypto(reason: impl Into<String>) -> Self {
        Error::Crypto {
            reason: reason.into(),
        }
    }

    /// A transport error.
    pub fn transport(message: impl Into<String>) -> Self {
        Error::Transport {
            message: message.into(),
        }
    }

    /// A provider error.
    pub fn provider(e: ProviderError) -> Self {
        Error::Provider(Box::new(e))
    }

    /// An ambiguous submission.
    pub fn ambiguous(a: AmbiguousSubmission) -> Self {
        Error::Ambiguous(Box::new(a))
    }

    /// What may exist after an ambiguous submission, if this is one.
    pub fn ambiguous_submission(&self) -> Option<&AmbiguousSubmission> {
        match self {
            Error::Ambiguous(a) => Some(a),
            _ => None,
        }
    }

    /// Stable machine-readable kind, identical in every binding and vector:
    /// `invalid_input`, `transport`, `http_status`, `provider`, `auth`,
    /// `protocol`, `crypto`, `timeout`, `cancelled`, `ambiguous`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::Transport { .. } => "transport",
            Error::HttpStatus { .. } => "http_status",
            Error::Provider(_) => "provider",
            Error::Auth { .. } => "auth",
            Error::Protocol { .. } => "protocol",
            Error::Crypto { .. } => "crypto",
            Error::Timeout { .. } => "timeout",
            Error::Cancelled => "cancelled",
            Error::Ambiguous(_) => "ambiguous",
        }
    }

    /// The provider's code (or the auth reason's code), if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Provider(p) => Some(&p.code),
            Error::Auth { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The input field at fault, for `invalid_input`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The HTTP status that caused the error, if one did.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::HttpStatus { status, .. } => Some(*status),
            Error::Provider(p) => Some(p.status),
            _ => None,
        }
    }

    /// The provider's correlation id to quote to its support, if it gave one.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Provider(p) => p.correlation_id.as_deref(),
            _ => None,
        }
    }

    /// When the server asked to retry, if it did.
    pub fn retry_after(&self) -> Option<Timestamp> {
        match self {
            Error::HttpStatus { retry_after, .. } => *retry_after,
            Error::Provider(p) => p.retry_after,
            _ => None,
        }
    }

    /// Whether sending the same request again later may succeed: transport
    /// failures, 5xx, 429 and rate limits. Input, auth, crypto and protocol
    /// errors are not retried.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::HttpStatus { status, .. } => *status >= 500 || *status == 429,
            Error::Provider(p) => {
                p.status >= 500
                    || p.status == 429
                    || p.code == "urn:ietf:params:acme:error:rateLimited"
            }
            _ => false,
        }
    }
}

/// Result with the core error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stable() {
        assert_eq!(Error::invalid_input("x", "y").kind(), "invalid_input");
        assert_eq!(Error::protocol("x", "y").kind(), "protocol");
        assert_eq!(Error::Cancelled.kind(), "cancelled");
        let p = Error::provider(ProviderError {
            provider: Provider::Redtrust,
            status: 400,
            code: "INVALID_DN".into(),
            message: "bad dn".into(),
            correlation_id: None,
            retry_after: None,
            details: ProviderDetails::None,
        });
        assert_eq!(p.kind(), "provider");
        assert_eq!(p.code(), Some("INVALID_DN"));
        assert_eq!(
            p.to_string(),
            "redtrust error INVALID_DN (HTTP 400): bad dn"
        );
        assert!(!p.is_retryable());
    }
}
