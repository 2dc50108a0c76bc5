//! ACME (RFC 8555) with External Account Binding.
//!
//! Sans-IO in the ruma style: every endpoint is a small type whose
//! `request(...)` builds an [`HttpRequest`](crate::http::HttpRequest) and whose
//! `parse(...)` reads the [`HttpResponse`](crate::http::HttpResponse). The
//! multi-step work (nonce handling, `badNonce` retries, account, order,
//! challenges, polling, finalisation, download) lives in [`flow`], which the
//! caller drives with [`crate::flow::drive`] or its own loop.
//!
//! ```ignore
//! use certbridge::acme::{flow::AccountOptions, directory::GetDirectory, *};
//! let dir = GetDirectory::parse(&host.send(GetDirectory::request(url))?, host.now())?;
//! let session = Session::new(dir, AccountKey::generate_es256(&mut rng));
//! let mut options = IssueOptions::new(vec![Identifier::dns("www.example.com")?], csr_der);
//! options.account = AccountOptions {
//!     eab: Some(EabKey::new(&kid, &hmac_key_in_any_base64)?),
//!     terms_of_service_agreed: true,
//!     ..Default::default()
//! };
//! let mut flow = IssueFlow::new(session, options);
//! let issued = certbridge::drive(&mut flow, &mut host)?; // host.solve() publishes the ChallengeTasks
//! let session = flow.into_session(); // account URL and nonces for the next call
//! ```
//!
//! IdenTrust's reseller service is one ACME server among others
//! (identrust-reseller-acme.txt): its profile directories and EAB keys plug in
//! here; see [`crate::identrust`].

pub mod account;
pub mod ari;
pub mod authorization;
pub mod certificate;
pub mod challenge;
pub mod directory;
pub mod eab;
pub mod flow;
pub mod guard;
pub mod jws;
pub mod nonce;
pub mod order;
pub mod problem;
pub mod revoke;

pub use account::{Account, AccountStatus};
pub use ari::{cert_id, RenewalInfo};
pub use authorization::{Authorization, Identifier};
pub use certificate::CertificateChain;
pub use challenge::{Challenge, ChallengeType};
pub use directory::Directory;
pub use eab::EabKey;
pub use flow::{AccountFlow, CallFlow, IssueFlow, IssueOptions, Issued, Session};
pub use jws::AccountKey;
pub use nonce::NoncePool;
pub use order::{Order, OrderStatus};
pub use problem::Problem;

use base64::Engine as _;

/// Unpadded base64url (RFC 4648 section 5), the encoding of every JWS part
/// and of every binary value in ACME (RFC 8555 section 6.1).
pub(crate) fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The ACME media type for JWS bodies (RFC 8555 section 6.2).
pub(crate) const JOSE_JSON: &str = "application/jose+json";

/// Checks an ACME response (problem documents become typed errors) and reads
/// its JSON body as `T`; an empty, non-JSON or wrongly shaped body is a
/// protocol error naming `context`.
pub(crate) fn json_response<T: serde::de::DeserializeOwned>(
    response: &crate::http::HttpResponse,
    now: crate::time::Timestamp,
    context: &'static str,
) -> Result<T, crate::error::Error> {
    problem::check(response, now, context)?;
    if response.body.is_empty() {
        return Err(crate::error::Error::protocol(
            context,
            "empty response body",
        ));
    }
    serde_json::from_slice(&response.body).map_err(|e| {
        crate::error::Error::protocol(
            context,
            format!("response is not the expected JSON ({})", e.classify_name()),
        )
    })
}

/// The `Location` header, required on creation responses; an https URL
/// (or http on loopback, [`guard::UrlPolicy::LOOPBACK_HTTP`]).
pub(crate) fn location(
    response: &crate::http::HttpResponse,
    context: &'static str,
) -> Result<String, crate::error::Error> {
    let url = response
        .headers
        .get("location")
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .ok_or_else(|| crate::error::Error::protocol(context, "no Location header"))?;
    guard::UrlPolicy::LOOPBACK_HTTP.check(context, "Location", &url)?;
    Ok(url)
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "missing or mistyped field",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use crate::http::HttpResponse;
    use crate::time::Timestamp;

    /// Every parser answers junk with a typed error, never a panic or an Ok.
    #[test]
    fn junk_never_parses() {
        let deep = "[".repeat(10_000);
        let bodies: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"null".to_vec(),
            b"[]".to_vec(),
            b"{}".to_vec(),
            b"\xff\xfe\x00".to_vec(),
            b"<html>502 Bad Gateway</html>".to_vec(),
            br#"{"status":7,"finalize":[],"type":1}"#.to_vec(),
            br#"{"type":"urn:ietf:params:acme:error:serverInternal""#.to_vec(),
            deep.into_bytes(),
        ];
        let now = Timestamp::from_secs(1);
        for status in [200u16, 201, 400, 500, 502] {
            for body in &bodies {
                let r = HttpResponse::new(status, body.clone())
                    .header("Location", "https://ca/x")
                    .header("Retry-After", "junk");
                let errs = [
                    super::directory::GetDirectory::parse(&r, now).err(),
                    super::account::NewAccount::parse(&r, now).err(),
                    super::order::NewOrder::parse(&r, now).err(),
                    super::order::GetOrder::parse(&r, now, "u").err(),
                    super::authorization::GetAuthorization::parse(&r, now, "u").err(),
                    super::challenge::RespondChallenge::parse(&r, now).err(),
                    super::certificate::DownloadCertificate::parse(&r, now).err(),
                    super::ari::GetRenewalInfo::parse(&r, now).err(),
                    crate::identrust::CreateAccount::parse(&r, now).err(),
                ];
                for (i, e) in errs.iter().enumerate() {
                    let e = e
                        .as_ref()
                        .unwrap_or_else(|| panic!("parser {i} accepted {status} {body:?}"));
                    assert!(
                        ["protocol", "http_status", "provider", "auth"].contains(&e.kind()),
                        "{i}: {e}"
                    );
                }
            }
        }
    }
}
