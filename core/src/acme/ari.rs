//! ACME Renewal Information (RFC 9773): the certificate identifier, the
//! `renewalInfo` lookup and its suggested renewal window.

use der::Decode as _;
use serde::{Deserialize, Serialize};

use crate::acme::b64url;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::time::Timestamp;

/// The ARI certificate identifier (RFC 9773 section 4.1):
/// `base64url(AKI keyIdentifier) "." base64url(serial number bytes)`, the
/// serial being the DER INTEGER's content octets (leading zero kept).
pub fn cert_id(certificate: &[u8]) -> Result<String, Error> {
    let der = crate::crypto::pem::certificates_der(certificate)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::invalid_input("certificate", "no certificate"))?;
    let cert = x509_cert::Certificate::from_der(&der)
        .map_err(|_| Error::invalid_input("certificate", "not an X.509 certificate"))?;
    let aki_oid = const_oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER;
    let ext = cert
        .tbs_certificate
        .extensions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|e| e.extn_id == aki_oid)
        .ok_or_else(|| {
            Error::invalid_input("certificate", "no Authority Key Identifier extension")
        })?;
    let aki = x509_cert::ext::pkix::AuthorityKeyIdentifier::from_der(ext.extn_value.as_bytes())
        .map_err(|_| Error::invalid_input("certificate", "malformed Authority Key Identifier"))?;
    let key_id = aki.key_identifier.ok_or_else(|| {
        Error::invalid_input(
            "certificate",
            "Authority Key Identifier has no keyIdentifier",
        )
    })?;
    Ok(format!(
        "{}.{}",
        b64url(key_id.as_bytes()),
        b64url(cert.tbs_certificate.serial_number.as_bytes())
    ))
}

/// The window in which the CA suggests renewing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    /// Start of the window.
    pub start: Timestamp,
    /// End of the window.
    pub end: Timestamp,
}

/// A `renewalInfo` answer (RFC 9773 section 4.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenewalInfo {
    /// `suggestedWindow`.
    pub suggested_window: Window,
    /// `explanationURL`, shown to a human when the window moved early.
    pub explanation_url: Option<String>,
    /// When to ask again (`Retry-After`, section 4.3).
    pub retry_after: Option<Timestamp>,
}

#[derive(Deserialize)]
struct WindowBody {
    start: String,
    end: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RenewalInfoBody {
    suggested_window: WindowBody,
    #[serde(default, rename = "explanationURL")]
    explanation_url: Option<String>,
}

/// `GET {renewalInfo}/{certID}` (unauthenticated, section 4.2).
pub struct GetRenewalInfo;

impl GetRenewalInfo {
    /// The request.
    pub fn request(renewal_info_url: &str, cert_id: &str) -> HttpRequest {
        HttpRequest::new(
            Method::Get,
            format!("{}/{}", renewal_info_url.trim_end_matches('/'), cert_id),
        )
    }

    /// The renewal information; a window whose end is not after its start
    /// is a protocol error (section 4.2 tells clients to discard it).
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<RenewalInfo, Error> {
        let b: RenewalInfoBody = crate::acme::json_response(response, now, "renewalInfo")?;
        let time = |s: &str| {
            Timestamp::parse_rfc3339(s)
                .ok_or_else(|| Error::protocol("renewalInfo", "window time is not RFC 3339"))
        };
        let window = Window {
            start: time(&b.suggested_window.start)?,
            end: time(&b.suggested_window.end)?,
        };
        if window.end <= window.start {
            return Err(Error::protocol(
                "renewalInfo",
                "window end is not after its start",
            ));
        }
        Ok(RenewalInfo {
            suggested_window: window,
            explanation_url: b.explanation_url,
            retry_after: response.retry_after(now),
        })
    }
}

impl RenewalInfo {
    /// A renewal time chosen uniformly in the window (section 4.2: spread
    /// renewals across clients); `random` comes from the caller's RNG.
    pub fn renewal_time(&self, random: u64) -> Timestamp {
        let span = self
            .suggested_window
            .end
            .millis_since(self.suggested_window.start);
        self.suggested_window
            .start
            .plus_millis(random % span.max(1))
    }

    /// Whether to renew now: the chosen time has come.
    pub fn should_renew(&self, now: Timestamp, random: u64) -> bool {
        now >= self.renewal_time(random)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn window_parsing() {
        let body = r#"{"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"https://a/why"}"#;
        let r = GetRenewalInfo::parse(
            &HttpResponse::new(200, body).header("Retry-After", "21600"),
            Timestamp::from_secs(10),
        )
        .unwrap();
        assert_eq!(r.retry_after, Some(Timestamp::from_secs(21610)));
        assert!(
            r.renewal_time(5) >= r.suggested_window.start
                && r.renewal_time(u64::MAX) < r.suggested_window.end
        );
        let reversed =
            r#"{"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00Z"}}"#;
        assert_eq!(
            GetRenewalInfo::parse(&HttpResponse::new(200, reversed), Timestamp(0))
                .unwrap_err()
                .kind(),
            "protocol"
        );
    }
}
