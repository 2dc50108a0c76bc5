//! ACME problem documents (RFC 8555 section 6.7, RFC 7807).
//!
//! Every error response of an ACME server should be
//! `application/problem+json` with a `type` URN; it becomes
//! [`Error::Provider`] with [`Provider::Acme`], the URN as its code, the
//! subproblems kept and `Retry-After` (e.g. for `rateLimited`) as an
//! absolute time. A body that is not a problem document (an HTML 502 from a
//! proxy) becomes [`Error::HttpStatus`].

use serde::{Deserialize, Serialize};

use crate::error::{AcmeSubproblem, Error, Provider, ProviderDetails, ProviderError};
use crate::http::HttpResponse;
use crate::time::Timestamp;

/// The URN prefix of ACME's own error types (RFC 8555 section 6.7).
pub const ACME_ERROR_PREFIX: &str = "urn:ietf:params:acme:error:";

/// A problem document, as embedded in orders, authorizations and challenges
/// (`error` members) or sent as an error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AcmeProblem")
)]
pub struct Problem {
    /// Type URI, e.g. `urn:ietf:params:acme:error:badNonce`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Human-readable explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// HTTP status the server reported in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Per-identifier subproblems (section 6.7.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subproblems: Vec<AcmeSubproblem>,
}

impl Problem {
    /// The short name after the ACME URN prefix (`badNonce`), if it is one.
    pub fn acme_type(&self) -> Option<&str> {
        self.kind.strip_prefix(ACME_ERROR_PREFIX)
    }

    /// This problem as the core error.
    pub fn into_error(self, status: u16, retry_after: Option<Timestamp>) -> Error {
        let message = self.detail.clone().unwrap_or_else(|| self.kind.clone());
        Error::provider(ProviderError {
            provider: Provider::Acme,
            status,
            code: self.kind.clone(),
            message,
            correlation_id: None,
            retry_after,
            details: ProviderDetails::Acme {
                problem_type: self.kind,
                detail: self.detail,
                subproblems: self.subproblems,
            },
        })
    }
}

/// Checks the status of an ACME response: success passes; an error is turned
/// into the typed error for `context` (the operation, e.g. `newOrder`).
pub fn check(response: &HttpResponse, now: Timestamp, context: &str) -> Result<(), Error> {
    if response.is_success() {
        return Ok(());
    }
    let retry_after = response.retry_after(now);
    match serde_json::from_slice::<Problem>(&response.body) {
        Ok(p) if !p.kind.is_empty() => Err(p.into_error(response.status, retry_after)),
        _ => Err(Error::HttpStatus {
            context: context.to_string(),
            status: response.status,
            excerpt: response.body_excerpt(),
            retry_after,
        }),
    }
}

/// Whether `e` is an ACME problem of the short type `name` (`badNonce`).
pub fn is_type(e: &Error, name: &str) -> bool {
    e.code()
        .and_then(|c| c.strip_prefix(ACME_ERROR_PREFIX))
        .is_some_and(|c| c == name)
        && matches!(e, Error::Provider(p) if p.provider == Provider::Acme)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn rate_limited_keeps_retry_after_and_subproblems() {
        let body = r#"{"type":"urn:ietf:params:acme:error:rateLimited","detail":"slow down","status":429,
            "subproblems":[{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"no","identifier":{"type":"dns","value":"x.example"}}]}"#;
        let resp = HttpResponse::new(429, body)
            .header("Content-Type", "application/problem+json")
            .header("Retry-After", "30");
        let e = check(&resp, Timestamp::from_secs(100), "newOrder").unwrap_err();
        assert_eq!(e.kind(), "provider");
        assert_eq!(e.code(), Some("urn:ietf:params:acme:error:rateLimited"));
        assert_eq!(e.retry_after(), Some(Timestamp::from_secs(130)));
        assert!(e.is_retryable());
        assert!(is_type(&e, "rateLimited"));
        match e {
            Error::Provider(p) => match p.details {
                ProviderDetails::Acme { subproblems, .. } => {
                    assert_eq!(subproblems.len(), 1);
                    assert_eq!(
                        subproblems[0].identifier.as_ref().unwrap().value,
                        "x.example"
                    );
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn html_error_page_is_http_status() {
        let resp = HttpResponse::new(502, "<html>Bad gateway</html>");
        let e = check(&resp, Timestamp::from_secs(0), "newOrder").unwrap_err();
        assert_eq!((e.kind(), e.status()), ("http_status", Some(502)));
    }
}
