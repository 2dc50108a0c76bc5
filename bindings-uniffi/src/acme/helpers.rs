//! Identifiers, key authorizations and challenge tasks (RFC 8555 section
//! 8), the ARI certificate id and renewal time (RFC 9773), nonces and
//! problem documents (RFC 8555 sections 6.5, 6.7).

use certbridge::acme::ari::RenewalInfo;
use certbridge::acme::nonce::NoncePool;
use certbridge::acme::{self as core, Challenge, Identifier, Problem};
use certbridge::{ChallengeTask, HttpResponse, Timestamp};

use crate::error::CertbridgeError;

type Result<T> = std::result::Result<T, CertbridgeError>;

/// A DNS identifier (IDNA to ASCII, trailing dot removed, `*.` kept).
#[uniffi::export]
pub fn acme_identifier_dns(name: String) -> Result<Identifier> {
    Ok(Identifier::dns(&name)?)
}

/// An IP identifier (RFC 8738), in its canonical text form.
#[uniffi::export]
pub fn acme_identifier_ip(address: String) -> Result<Identifier> {
    Ok(Identifier::ip(&address)?)
}

/// The key authorization `token.thumbprint` (RFC 8555 section 8.1).
#[uniffi::export]
pub fn acme_key_authorization(token: String, thumbprint: String) -> String {
    core::challenge::key_authorization(&token, &thumbprint)
}

/// What to publish for `challenge` of `identifier` with the account key's
/// `thumbprint`: the http-01 file, the dns-01 TXT record or the
/// tls-alpn-01 digest.
#[uniffi::export]
pub fn acme_challenge_task(
    challenge: Challenge,
    identifier: Identifier,
    thumbprint: String,
) -> Result<ChallengeTask> {
    Ok(challenge.task_with_thumbprint(&identifier, &thumbprint)?)
}

/// The ARI certificate identifier (RFC 9773 section 4.1) of the first
/// certificate in `certificate` (PEM or DER).
#[uniffi::export]
pub fn acme_cert_id(certificate: Vec<u8>) -> Result<String> {
    Ok(core::cert_id(&certificate)?)
}

/// When to renew inside the suggested window: `random` picks the point
/// (RFC 9773 section 4.2 asks clients to spread renewals).
#[uniffi::export]
pub fn acme_renewal_time(info: RenewalInfo, random: u64) -> Timestamp {
    info.renewal_time(random)
}

/// Whether the renewal time (see [`acme_renewal_time`]) has come at `now`.
#[uniffi::export]
pub fn acme_should_renew(info: RenewalInfo, now: Timestamp, random: u64) -> bool {
    info.should_renew(now, random)
}

/// The `Replay-Nonce` of a response (RFC 8555 section 6.5), when it carries
/// a valid one: keep it for the next signed request.
#[uniffi::export]
pub fn acme_replay_nonce(response: HttpResponse) -> Option<String> {
    let mut pool = NoncePool::new();
    pool.absorb(&response);
    pool.take()
}

/// Checks any ACME answer: a success passes, a problem document (RFC 8555
/// section 6.7) raises `Provider` with the problem type URN as `code`,
/// anything else raises `HttpStatus`.
#[uniffi::export]
pub fn acme_check_response(response: HttpResponse, now: Timestamp) -> Result<()> {
    Ok(core::problem::check(&response, now, "acme")?)
}

/// What an ACME error answer means, as data (for logging and retry
/// decisions without catching).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct AcmeErrorInfo {
    /// Stable kind: `provider` for a problem document, else `http_status`.
    pub kind: String,
    /// The problem type URN, for a problem document.
    pub code: Option<String>,
    /// HTTP status.
    pub status: Option<u16>,
    /// When the server asked to retry (unix milliseconds).
    pub retry_after: Option<Timestamp>,
    /// Whether retrying later can succeed (5xx, 429, `rateLimited`).
    pub retryable: bool,
    /// The problem document with its subproblems, if there was one.
    pub problem: Option<Problem>,
}

/// `None` for a success; else the error the answer carries as data.
#[uniffi::export]
pub fn acme_error_info(response: HttpResponse, now: Timestamp) -> Option<AcmeErrorInfo> {
    let e = core::problem::check(&response, now, "acme").err()?;
    let problem = match &e {
        certbridge::Error::Provider(p) => match &p.details {
            certbridge::ProviderDetails::Acme {
                problem_type,
                detail,
                subproblems,
            } => Some(Problem {
                kind: problem_type.clone(),
                detail: detail.clone(),
                status: Some(p.status),
                subproblems: subproblems.clone(),
            }),
            _ => None,
        },
        _ => None,
    };
    Some(AcmeErrorInfo {
        kind: e.kind().to_string(),
        code: e.code().map(str::to_string),
        status: e.status(),
        retry_after: e.retry_after(),
        retryable: e.is_retryable(),
        problem,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn error_info_keeps_problem_subproblems_and_retry_after() {
        let body = r#"{"type":"urn:ietf:params:acme:error:rateLimited","detail":"slow down",
            "subproblems":[{"type":"urn:ietf:params:acme:error:malformed","identifier":{"type":"dns","value":"a.example"}}]}"#;
        let response = HttpResponse::new(429, body).header("Retry-After", "30");
        let info = acme_error_info(response, Timestamp::from_secs(100)).unwrap();
        assert_eq!(info.kind, "provider");
        assert_eq!(
            info.code.as_deref(),
            Some("urn:ietf:params:acme:error:rateLimited")
        );
        assert_eq!(info.retry_after, Some(Timestamp::from_secs(130)));
        assert!(info.retryable);
        let problem = info.problem.unwrap();
        assert_eq!(problem.status, Some(429));
        assert_eq!(problem.subproblems.len(), 1);
        assert!(acme_error_info(HttpResponse::new(200, "{}"), Timestamp::from_secs(1)).is_none());
        let html =
            acme_error_info(HttpResponse::new(502, "<html>"), Timestamp::from_secs(1)).unwrap();
        assert_eq!((html.kind.as_str(), html.problem), ("http_status", None));
    }

    #[test]
    fn replay_nonce_is_read_only_when_valid() {
        let ok = HttpResponse::new(200, "").header("Replay-Nonce", "abc-_1");
        assert_eq!(acme_replay_nonce(ok).as_deref(), Some("abc-_1"));
        let bad = HttpResponse::new(200, "").header("Replay-Nonce", "a b");
        assert_eq!(acme_replay_nonce(bad), None);
    }
}
