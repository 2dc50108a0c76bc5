//! Issuing certificates: `/v2/issue/csr/{pma}` with a PEM CSR as
//! `text/plain` (swisssign-ra-api-v2, "Issue a certificate using a CSR"),
//! and, from the public reference, `/v2/issue` with a JSON `IssueRequest`
//! and `/v2/validate`, the same request as a dry run (204, nothing issued).

use serde::Serialize;

use crate::crypto::csr::{dns_to_ascii, Csr};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::swisssign::auth::Session;
use crate::swisssign::error::{empty, json};
use crate::swisssign::order::CertificateOrder;
use crate::swisssign::refs::ProductRef;

/// `POST /v2/issue/csr/{pma}`, body the PEM CSR.
#[derive(Clone, Copy, Debug)]
pub struct IssueCsr<'a> {
    /// The product to issue under.
    pub product: &'a ProductRef,
    /// The CSR, PEM (or DER, re-encoded as PEM).
    pub csr: &'a [u8],
}

impl IssueCsr<'_> {
    /// The request; the CSR is checked to be PKCS#10 first.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        let pem = Csr::from_pem_or_der(self.csr)?.to_pem();
        Ok(session
            .post(&format!("/v2/issue/csr/{}", self.product))?
            .body("text/plain", pem.into_bytes()))
    }

    /// The new order (its `uuid` is the `ord-` reference to poll).
    pub fn parse(resp: &HttpResponse) -> Result<CertificateOrder, Error> {
        json(resp, "SwissSign issue by CSR")
    }
}

/// One requested DNS name (public reference, `DNS`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignRequestedDns")
)]
#[serde(rename_all = "camelCase")]
pub struct RequestedDns {
    /// The name; Unicode is converted to punycode by the server.
    pub dns: String,
    /// Also add the base domain of a wildcard.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub include_base_domain_for_wildcard: Option<bool>,
    /// Also add `www.` to the name.
    #[serde(rename = "includeWWWDomain", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub include_www_domain: Option<bool>,
}

/// The reference wraps each SAN list as `{"values": [...]}`; the Rust
/// (and foreign) type is the plain list, wrapped only on the wire, so the
/// data type stays non-generic (uniffi records cannot be generic).
mod values {
    use serde::{Serialize, Serializer};

    #[derive(Serialize)]
    struct Values<'a, T> {
        values: &'a [T],
    }

    pub(super) fn serialize<T: Serialize, S: Serializer>(
        list: &Option<Vec<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        list.as_deref().map(|values| Values { values }).serialize(s)
    }
}

/// SANs and extensions overriding the CSR (public reference,
/// `RequestExtensions`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignRequestExtensions")
)]
#[serde(rename_all = "camelCase")]
pub struct RequestExtensions {
    /// DNS names.
    #[serde(
        rename = "requestDNS",
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::serialize"
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub request_dns: Option<Vec<RequestedDns>>,
    /// Email addresses.
    #[serde(
        rename = "requestRFC822",
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::serialize"
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub request_rfc822: Option<Vec<String>>,
    /// IP addresses.
    #[serde(
        rename = "requestIP",
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::serialize"
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub request_ip: Option<Vec<String>>,
    /// User principal names.
    #[serde(
        rename = "requestUPN",
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::serialize"
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub request_upn: Option<Vec<String>>,
}

/// Overrides of the CSR's content (public reference, `RequestOverrides`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignRequestOverrides")
)]
#[serde(rename_all = "camelCase")]
pub struct RequestOverrides {
    /// Subject DN, e.g. `CN=www.example.com,O=Example,C=CH`.
    #[serde(rename = "subjectDN", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub subject_dn: Option<String>,
    /// Validity in the product's units, if the product allows a choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub validity: Option<u32>,
    /// SANs.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub request_extensions: Option<RequestExtensions>,
}

/// Someone else to notify (public reference, `AdditionalRecipient`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignAdditionalRecipient")
)]
#[serde(rename_all = "camelCase")]
pub struct AdditionalRecipient {
    /// Email.
    pub email: String,
    /// `ISSUANCE`, `REVOCATION`, `RENEWAL`, `AUTHORIZATION`, ...
    pub recipient_type: String,
    /// `NEUTRAL`, `EN`, `FR` or `DE`.
    pub language: String,
}

/// A document attached to the order (public reference,
/// `RegistrationDocument`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignRegistrationDocument")
)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationDocument {
    /// File name.
    pub document_name: String,
    /// Base64 of the content.
    pub document: String,
}

/// The JSON body of `/v2/issue` and `/v2/validate` (public reference,
/// `IssueRequest`). Fields left `None` or empty are not sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignIssueRequest")
)]
#[serde(rename_all = "camelCase")]
pub struct IssueRequest {
    /// The product.
    pub product_reference: ProductRef,
    /// PEM CSR; without one, the server generates the key if the product
    /// allows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub csr: Option<String>,
    /// Overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub overrides: Option<RequestOverrides>,
    /// Further notification recipients.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub additional_recipients: Vec<AdditionalRecipient>,
    /// Registration documents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub registration_documents: Vec<RegistrationDocument>,
    /// User tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
    /// A note on the order.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// Publish the certificate to the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub publish_certificate: Option<bool>,
    /// Wait for issuance in the call (the wire name is `synchrone`).
    #[serde(rename = "synchrone", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub synchronous: Option<bool>,
    /// Accept the terms and conditions.
    #[serde(rename = "acceptTandC", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub accept_terms: Option<bool>,
    /// Return the chain (only with `synchronous`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub include_certificate_chain: Option<bool>,
}

impl IssueRequest {
    /// A request for `product` with a CSR and nothing else.
    pub fn with_csr(product: ProductRef, csr_pem: impl Into<String>) -> Self {
        IssueRequest {
            product_reference: product,
            csr: Some(csr_pem.into()),
            overrides: None,
            additional_recipients: Vec::new(),
            registration_documents: Vec::new(),
            tags: Vec::new(),
            note: None,
            publish_certificate: None,
            synchronous: None,
            accept_terms: None,
            include_certificate_chain: None,
        }
    }

    fn body(&self) -> Result<Vec<u8>, Error> {
        if let Some(csr) = &self.csr {
            // The reference accepts the PEM with or without armour; check it
            // decodes as PKCS#10 when armoured.
            if csr.contains("-----BEGIN") {
                Csr::from_pem_or_der(csr.as_bytes())?;
            } else if csr.trim().is_empty() {
                return Err(Error::invalid_input("csr", "the CSR is empty"));
            }
        }
        let dns = self
            .overrides
            .as_ref()
            .and_then(|o| o.request_extensions.as_ref())
            .and_then(|e| e.request_dns.as_ref());
        for (i, d) in dns
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if dns_to_ascii(&d.dns).is_none() {
                return Err(Error::invalid_input(
                    format!("overrides.request_extensions.request_dns[{i}]"),
                    "not a DNS name",
                ));
            }
        }
        serde_json::to_vec(self).map_err(|_| Error::invalid_input("issue_request", "cannot encode"))
    }
}

/// `POST /v2/issue` with an [`IssueRequest`].
#[derive(Clone, Copy, Debug)]
pub struct Issue<'a> {
    /// The request.
    pub request: &'a IssueRequest,
}

impl Issue<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        Ok(session.post("/v2/issue")?.json_body(self.request.body()?))
    }

    /// The order.
    pub fn parse(resp: &HttpResponse) -> Result<CertificateOrder, Error> {
        json(resp, "SwissSign issue")
    }
}

/// `POST /v2/validate`: the same body as [`Issue`], checked but not issued.
#[derive(Clone, Copy, Debug)]
pub struct ValidateIssue<'a> {
    /// The request.
    pub request: &'a IssueRequest,
}

impl ValidateIssue<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        Ok(session
            .post("/v2/validate")?
            .json_body(self.request.body()?))
    }

    /// Ok when the server would accept it (204), else its `APIError`.
    pub fn parse(resp: &HttpResponse) -> Result<(), Error> {
        empty(resp, "SwissSign issue validation")
    }
}
