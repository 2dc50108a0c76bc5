//! The issued certificate with its chain
//! (`/v2/order/{ord}/certificate/chain`).
//!
//! The seed says the chain comes "as pkcs7"; the public reference answers a
//! JSON array of base64 DER certificates, leaf first, root last. Both are
//! accepted (PKCS#7 as DER, PEM or base64, even inside a JSON string; PEM
//! certificates too), and the result is always ordered leaf first.

use serde::Serialize;
use serde_json::Value;

use crate::crypto::certificate::Certificate;
use crate::crypto::pem::certificates_der;
use crate::crypto::pkcs7;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::swisssign::auth::Session;
use crate::swisssign::error::check;
use crate::swisssign::refs::OrderRef;

const CONTEXT: &str = "SwissSign certificate chain";

/// A certificate and the CAs above it, leaf first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateChain {
    /// The certificates, leaf first.
    pub certificates: Vec<Certificate>,
}

impl CertificateChain {
    /// Parses DER certificates and orders them leaf first.
    pub fn from_der_list(ders: &[Vec<u8>]) -> Result<Self, Error> {
        if ders.is_empty() {
            return Err(Error::protocol(CONTEXT, "the chain holds no certificate"));
        }
        let certs = ders
            .iter()
            .map(|d| Certificate::from_der(d))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::protocol(CONTEXT, e.to_string()))?;
        Ok(CertificateChain {
            certificates: leaf_first(certs),
        })
    }

    /// The end-entity certificate.
    pub fn leaf(&self) -> Option<&Certificate> {
        self.certificates.first()
    }

    /// The whole chain as concatenated PEM, leaf first (what servers load).
    pub fn to_pem(&self) -> String {
        self.certificates.iter().map(|c| c.pem.as_str()).collect()
    }
}

/// Orders certificates leaf first: the leaf is the one that issued none of
/// the others; each next one is the issuer of the previous. Anything that
/// does not link up keeps its place at the end.
fn leaf_first(mut certs: Vec<Certificate>) -> Vec<Certificate> {
    let issues_another = |c: &Certificate, all: &[Certificate]| {
        all.iter()
            .any(|o| !std::ptr::eq(o, c) && o.issuer == c.subject && o.subject != c.subject)
    };
    let Some(leaf) = certs.iter().position(|c| !issues_another(c, &certs)) else {
        return certs;
    };
    let mut ordered = vec![certs.remove(leaf)];
    while let Some(last) = ordered.last() {
        if last.issuer == last.subject {
            break;
        }
        match certs.iter().position(|c| c.subject == last.issuer) {
            Some(i) => ordered.push(certs.remove(i)),
            None => break,
        }
    }
    ordered.extend(certs);
    ordered
}

fn from_text(text: &str) -> Result<Vec<Vec<u8>>, Error> {
    let text = text.trim();
    if text.contains("-----BEGIN CERTIFICATE-----") {
        return certificates_der(text.as_bytes())
            .map_err(|e| Error::protocol(CONTEXT, e.to_string()));
    }
    pkcs7::certificates(text.as_bytes()).map_err(|e| Error::protocol(CONTEXT, e.to_string()))
}

/// `POST /v2/order/{ord}/certificate/chain`.
#[derive(Clone, Copy, Debug)]
pub struct GetChain<'a> {
    /// The order.
    pub order: &'a OrderRef,
}

impl GetChain<'_> {
    /// The request (accepting both the JSON and the PKCS#7 forms).
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        session.post_accepting(
            &format!("/v2/order/{}/certificate/chain", self.order),
            "application/json, application/pkcs7-mime",
        )
    }

    /// The chain, leaf first.
    pub fn parse(resp: &HttpResponse) -> Result<CertificateChain, Error> {
        check(resp, CONTEXT)?;
        let body = resp.body.as_slice();
        let start = body.iter().position(|b| !b.is_ascii_whitespace());
        let ders = match start.and_then(|i| body.get(i)) {
            None => return Err(Error::protocol(CONTEXT, "empty response body")),
            Some(b'[') => {
                let list: Vec<Value> = serde_json::from_slice(body)
                    .map_err(|_| Error::protocol(CONTEXT, "malformed JSON array"))?;
                let mut ders = Vec::with_capacity(list.len());
                for (i, item) in list.iter().enumerate() {
                    let text = item.as_str().ok_or_else(|| {
                        Error::protocol(CONTEXT, format!("entry {i} is not a string"))
                    })?;
                    let mut one = certificates_der(text.as_bytes()).map_err(|_| {
                        Error::protocol(CONTEXT, format!("entry {i} is not a base64 certificate"))
                    })?;
                    ders.append(&mut one);
                }
                ders
            }
            Some(b'"') => {
                let text: String = serde_json::from_slice(body)
                    .map_err(|_| Error::protocol(CONTEXT, "malformed JSON string"))?;
                from_text(&text)?
            }
            Some(0x30) => {
                pkcs7::certificates(body).map_err(|e| Error::protocol(CONTEXT, e.to_string()))?
            }
            Some(_) => from_text(resp.text(CONTEXT)?)?,
        };
        CertificateChain::from_der_list(&ders)
    }
}
