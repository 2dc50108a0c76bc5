//! Certificate download (RFC 8555 section 7.4.2): a PEM chain
//! (`application/pem-certificate-chain`, leaf first) and the URLs of
//! alternate chains in `Link: <url>;rel="alternate"` fields.

use serde::Serialize;

use crate::acme::jws::{AccountKey, KeyRef};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;

/// A downloaded chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AcmeCertificateChain")
)]
pub struct CertificateChain {
    /// The PEM text as sent: leaf first, then issuers.
    pub pem: String,
    /// URLs of alternate chains for the same certificate.
    pub alternates: Vec<String>,
}

impl CertificateChain {
    /// The certificates as DER, leaf first.
    pub fn der(&self) -> Result<Vec<Vec<u8>>, Error> {
        crate::crypto::pem::pem_blocks(&self.pem, "CERTIFICATE")
    }

    /// The leaf certificate as DER.
    pub fn leaf_der(&self) -> Result<Vec<u8>, Error> {
        self.der()?
            .into_iter()
            .next()
            .ok_or_else(|| Error::protocol("certificate", "empty chain"))
    }
}

/// POST-as-GET of a certificate URL.
pub struct DownloadCertificate;

impl DownloadCertificate {
    /// The signed request, asking for the PEM chain.
    pub fn request(
        key: &AccountKey,
        account_url: &str,
        url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        Ok(key
            .post(KeyRef::Kid(account_url), url, nonce, None)?
            .header("Accept", "application/pem-certificate-chain"))
    }

    /// The chain; at least one well-formed `CERTIFICATE` block is required.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<CertificateChain, Error> {
        crate::acme::problem::check(response, now, "certificate")?;
        let pem = response.text("certificate")?;
        let count = crate::crypto::pem::pem_blocks(pem, "CERTIFICATE")
            .map_err(|_| Error::protocol("certificate", "malformed PEM chain"))?
            .len();
        if count == 0 {
            return Err(Error::protocol(
                "certificate",
                "no certificate in the response",
            ));
        }
        let alternates: Vec<String> = response
            .headers
            .get_all("link")
            .flat_map(links)
            .filter(|(_, rel)| {
                rel.split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("alternate"))
            })
            .map(|(url, _)| url)
            .collect();
        for url in &alternates {
            crate::acme::guard::UrlPolicy::LOOPBACK_HTTP.check("certificate", "alternate", url)?;
        }
        Ok(CertificateChain {
            pem: pem.to_string(),
            alternates,
        })
    }
}

/// The `(target, rel)` pairs of one `Link` field value (RFC 8288 section 3):
/// `<url>; rel="a b", <url2>; rel=c`. Commas inside `<...>` or quotes do not
/// split links.
pub fn links(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        let target = after[..close].trim().to_string();
        let mut params = &after[close + 1..];
        // The parameters run to the next comma outside quotes.
        let mut end = params.len();
        let mut quoted = false;
        for (i, c) in params.char_indices() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let (this, next) = params.split_at(end);
        params = this;
        let rel = params
            .split(';')
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("rel")
                    .then(|| v.trim().trim_matches('"').to_string())
            })
            .next()
            .unwrap_or_default();
        out.push((target, rel));
        rest = next;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn link_parsing() {
        let l = links(
            r#"<https://a/cert/1/1>;rel="alternate", <https://a/dir>; rel="index", <https://a/x,y>; rel=alternate"#,
        );
        assert_eq!(l.len(), 3);
        assert_eq!(l[0], ("https://a/cert/1/1".into(), "alternate".into()));
        assert_eq!(l[2], ("https://a/x,y".into(), "alternate".into()));
    }

    #[test]
    fn empty_or_html_is_protocol() {
        for body in ["", "<html></html>"] {
            let e = DownloadCertificate::parse(&HttpResponse::new(200, body), Timestamp(0))
                .unwrap_err();
            assert_eq!(e.kind(), "protocol");
        }
    }
}
