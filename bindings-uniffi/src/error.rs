//! The one error type of every binding language.
//!
//! Each core [`certbridge::Error`] variant becomes a variant of
//! [`CertbridgeError`] (`CertbridgeError.Provider` in Python,
//! `CertbridgeException.Provider` in Kotlin, `CertbridgeError.Provider` in
//! Swift), and every variant carries the same fields, so a caller can either
//! catch one kind or read `kind` from any of them. The fields are the core's
//! stable accessors (`Error::kind`, `code`, `field`, `status`,
//! `correlation_id`, `retry_after`); nothing secret is in any of them.

use certbridge::Timestamp;

/// A certbridge failure. `kind` is the stable machine-readable kind shared
/// with the Rust core and the test vectors: `invalid_input`, `transport`,
/// `http_status`, `provider`, `auth`, `protocol`, `crypto`, `timeout`,
/// `cancelled`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[allow(missing_docs)] // the fields are documented once, on `InvalidInput`
pub enum CertbridgeError {
    /// Caller input was refused before anything was sent; `field` names it.
    #[error("{reason}")]
    InvalidInput {
        /// Stable kind (`invalid_input`, `transport`, ...).
        kind: String,
        /// The provider's error code (or the auth code), if any.
        code: Option<String>,
        /// The input field at fault, as named in the API (`dn[0].attribute`).
        field: Option<String>,
        /// Human-readable description (English). Named `reason` because
        /// Kotlin exceptions already own `message`.
        reason: String,
        /// HTTP status that caused the error, if one did.
        status: Option<u16>,
        /// The provider's correlation id to quote to its support, if any.
        correlation_id: Option<String>,
        /// When the server asked to retry (unix milliseconds), if it did.
        retry_after: Option<Timestamp>,
    },
    /// The request did not complete (DNS, TCP, TLS, a foreign transport's
    /// exception).
    #[error("{reason}")]
    Transport {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
    /// An HTTP status the provider did not explain in its own format.
    #[error("{reason}")]
    HttpStatus {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
    /// The provider answered with an error in its own format; `code` is its
    /// code.
    #[error("{reason}")]
    Provider {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
    /// Authentication failed or the session is no longer valid.
    #[error("{reason}")]
    Auth {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
    /// The response did not have the shape the protocol promises.
    #[error("{reason}")]
    Protocol {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
    /// A key, signature, certificate or encoding could not be processed.
    #[error("{reason}")]
    Crypto {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
    /// A deadline passed before the operation finished.
    #[error("{reason}")]
    Timeout {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
    /// The operation was cancelled.
    #[error("{reason}")]
    Cancelled {
        kind: String,
        code: Option<String>,
        field: Option<String>,
        reason: String,
        status: Option<u16>,
        correlation_id: Option<String>,
        retry_after: Option<Timestamp>,
    },
}

/// Builds one variant from the core error's accessors.
macro_rules! variant {
    ($variant:ident, $e:expr) => {
        CertbridgeError::$variant {
            kind: $e.kind().to_string(),
            code: $e.code().map(str::to_string),
            field: $e.field().map(str::to_string),
            reason: $e.to_string(),
            status: $e.status(),
            correlation_id: $e.correlation_id().map(str::to_string),
            retry_after: $e.retry_after(),
        }
    };
}

impl From<certbridge::Error> for CertbridgeError {
    fn from(e: certbridge::Error) -> Self {
        use certbridge::Error as E;
        match &e {
            E::InvalidInput { .. } => variant!(InvalidInput, e),
            E::Transport { .. } => variant!(Transport, e),
            E::HttpStatus { .. } => variant!(HttpStatus, e),
            E::Provider(_) => variant!(Provider, e),
            E::Auth { .. } => variant!(Auth, e),
            E::Protocol { .. } => variant!(Protocol, e),
            E::Crypto { .. } => variant!(Crypto, e),
            E::Timeout { .. } => variant!(Timeout, e),
            E::Cancelled => variant!(Cancelled, e),
            // `Error` is non_exhaustive: a future kind still arrives typed,
            // with its own `kind` string.
            _ => variant!(Protocol, e),
        }
    }
}

/// A foreign `HttpTransport` that raised something other than a
/// `CertbridgeError` (a Python `OSError`, a Kotlin `IOException`, a Swift
/// `URLError`): the request did not complete, which is a transport error.
impl From<uniffi::UnexpectedUniFFICallbackError> for CertbridgeError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        certbridge::Error::transport(format!("the host transport failed: {}", e.reason)).into()
    }
}

impl CertbridgeError {
    /// The human-readable description, whatever the variant.
    pub fn reason(&self) -> &str {
        match self {
            CertbridgeError::InvalidInput { reason, .. }
            | CertbridgeError::Transport { reason, .. }
            | CertbridgeError::HttpStatus { reason, .. }
            | CertbridgeError::Provider { reason, .. }
            | CertbridgeError::Auth { reason, .. }
            | CertbridgeError::Protocol { reason, .. }
            | CertbridgeError::Crypto { reason, .. }
            | CertbridgeError::Timeout { reason, .. }
            | CertbridgeError::Cancelled { reason, .. } => reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use certbridge::{Error, Provider, ProviderDetails, ProviderError};

    #[test]
    fn every_core_kind_maps_to_its_variant_with_fields() {
        let provider = Error::provider(ProviderError {
            provider: Provider::Redtrust,
            status: 503,
            code: "BUSY".into(),
            message: "try later".into(),
            correlation_id: Some("corr-1".into()),
            retry_after: Some(Timestamp::from_secs(10)),
            details: ProviderDetails::None,
        });
        let cases = vec![
            (
                Error::invalid_input("dn[0].value", "empty"),
                "invalid_input",
            ),
            (Error::transport("refused"), "transport"),
            (
                Error::HttpStatus {
                    context: "x".into(),
                    status: 502,
                    excerpt: "<html>".into(),
                    retry_after: None,
                },
                "http_status",
            ),
            (provider, "provider"),
            (
                Error::Auth {
                    reason: certbridge::error::AuthReason::Expired,
                    code: Some("TOKEN_EXPIRED".into()),
                },
                "auth",
            ),
            (Error::protocol("x", "y"), "protocol"),
            (Error::crypto("bad"), "crypto"),
            (
                Error::Timeout {
                    what: "order".into(),
                },
                "timeout",
            ),
            (Error::Cancelled, "cancelled"),
        ];
        for (core, kind) in cases {
            let ffi = CertbridgeError::from(core.clone());
            let debug = format!("{ffi:?}");
            // The variant name is the kind in CamelCase.
            let camel: String = kind
                .split('_')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert!(debug.starts_with(&camel), "{debug} for {kind}");
            assert!(debug.contains(&format!("kind: \"{kind}\"")), "{debug}");
            assert_eq!(ffi.reason(), core.to_string());
        }
        let ffi = CertbridgeError::from(Error::provider(ProviderError {
            provider: Provider::Redtrust,
            status: 503,
            code: "BUSY".into(),
            message: "try later".into(),
            correlation_id: Some("corr-1".into()),
            retry_after: Some(Timestamp::from_secs(10)),
            details: ProviderDetails::None,
        }));
        assert_eq!(
            ffi,
            CertbridgeError::Provider {
                kind: "provider".into(),
                code: Some("BUSY".into()),
                field: None,
                reason: "redtrust error BUSY (HTTP 503): try later".into(),
                status: Some(503),
                correlation_id: Some("corr-1".into()),
                retry_after: Some(Timestamp::from_secs(10)),
            }
        );
    }

    #[test]
    fn unexpected_foreign_exception_is_a_transport_error() {
        let e = CertbridgeError::from(uniffi::UnexpectedUniFFICallbackError {
            reason: "ConnectionResetError".into(),
        });
        assert!(matches!(e, CertbridgeError::Transport { .. }));
        assert!(e.reason().contains("ConnectionResetError"));
    }
}
