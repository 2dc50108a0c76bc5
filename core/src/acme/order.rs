//! Orders (RFC 8555 section 7.4): newOrder with ARI `replaces` (RFC 9773
//! section 5) and `profile` (draft-ietf-acme-profiles section 4), order
//! polling and finalisation with a CSR.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::acme::authorization::Identifier;
use crate::acme::guard::{UrlPolicy, MAX_AUTHORIZATIONS};
use crate::acme::jws::{AccountKey, KeyRef};
use crate::acme::problem::Problem;
use crate::acme::{b64url, json_response, location};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;

/// Order status (section 7.1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "AcmeOrderStatus")
)]
pub enum OrderStatus {
    /// Authorizations outstanding.
    Pending,
    /// All authorized; finalize now.
    Ready,
    /// Finalized; the certificate is being issued.
    Processing,
    /// Issued; `certificate` is set.
    Valid,
    /// Failed; see `error`.
    Invalid,
}

/// An order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Order {
    /// The order URL.
    pub url: String,
    /// Status.
    pub status: OrderStatus,
    /// When the order expires (RFC 3339 as sent).
    pub expires: Option<String>,
    /// The identifiers ordered.
    pub identifiers: Vec<Identifier>,
    /// Authorization URLs, one per identifier.
    pub authorizations: Vec<String>,
    /// The finalize URL.
    pub finalize: String,
    /// The certificate URL once valid.
    pub certificate: Option<String>,
    /// Why the order is invalid.
    pub error: Option<Problem>,
    /// The profile the server applied (draft-ietf-acme-profiles).
    pub profile: Option<String>,
    /// The certificate this order replaces (RFC 9773).
    pub replaces: Option<String>,
    /// When to poll again, if the server said (`Retry-After`).
    pub retry_after: Option<Timestamp>,
}

#[derive(Deserialize)]
struct OrderBody {
    status: OrderStatus,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    identifiers: Vec<Identifier>,
    #[serde(default)]
    authorizations: Vec<String>,
    finalize: String,
    #[serde(default)]
    certificate: Option<String>,
    #[serde(default)]
    error: Option<Problem>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    replaces: Option<String>,
}

impl Order {
    fn from_response(
        response: &HttpResponse,
        now: Timestamp,
        context: &'static str,
        url: Option<&str>,
    ) -> Result<Order, Error> {
        let b: OrderBody = json_response(response, now, context)?;
        let url = match url {
            Some(u) => u.to_string(),
            None => location(response, context)?,
        };
        if b.status == OrderStatus::Valid && b.certificate.is_none() {
            return Err(Error::protocol(
                context,
                "valid order without certificate URL",
            ));
        }
        if b.authorizations.len() > MAX_AUTHORIZATIONS {
            return Err(Error::protocol(
                context,
                format!(
                    "the order lists {} authorizations (at most {MAX_AUTHORIZATIONS})",
                    b.authorizations.len()
                ),
            ));
        }
        let policy = UrlPolicy::LOOPBACK_HTTP;
        policy.check(context, "finalize", &b.finalize)?;
        for a in &b.authorizations {
            policy.check(context, "authorization", a)?;
        }
        if let Some(c) = &b.certificate {
            policy.check(context, "certificate", c)?;
        }
        Ok(Order {
            url,
            status: b.status,
            expires: b.expires,
            identifiers: b.identifiers,
            authorizations: b.authorizations,
            finalize: b.finalize,
            certificate: b.certificate,
            error: b.error,
            profile: b.profile,
            replaces: b.replaces,
            retry_after: response.retry_after(now),
        })
    }
}

/// `newOrder` (section 7.4).
#[derive(Clone, Debug, Default)]
pub struct NewOrder<'a> {
    /// The identifiers to certify.
    pub identifiers: &'a [Identifier],
    /// Requested `notBefore` (RFC 3339), if any.
    pub not_before: Option<&'a str>,
    /// Requested `notAfter` (RFC 3339), if any.
    pub not_after: Option<&'a str>,
    /// ARI certID of the certificate being renewed (RFC 9773 section 5).
    pub replaces: Option<&'a str>,
    /// Profile name from `meta.profiles` (draft-ietf-acme-profiles section 4).
    pub profile: Option<&'a str>,
}

impl NewOrder<'_> {
    /// The JSON payload.
    pub fn payload(&self) -> Result<Vec<u8>, Error> {
        if self.identifiers.is_empty() {
            return Err(Error::invalid_input(
                "identifiers",
                "at least one identifier is needed",
            ));
        }
        let mut p = serde_json::Map::new();
        p.insert("identifiers".into(), json!(self.identifiers));
        if let Some(v) = self.not_before {
            p.insert("notBefore".into(), json!(v));
        }
        if let Some(v) = self.not_after {
            p.insert("notAfter".into(), json!(v));
        }
        if let Some(v) = self.replaces {
            p.insert("replaces".into(), json!(v));
        }
        if let Some(v) = self.profile {
            p.insert("profile".into(), json!(v));
        }
        Ok(serde_json::to_vec(&p).unwrap_or_default())
    }

    /// The signed request.
    pub fn request(
        &self,
        key: &AccountKey,
        account_url: &str,
        new_order_url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(
            KeyRef::Kid(account_url),
            new_order_url,
            nonce,
            Some(&self.payload()?),
        )
    }

    /// 201 with `Location`.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Order, Error> {
        Order::from_response(response, now, "newOrder", None)
    }
}

/// POST-as-GET of an order (section 7.4, polling).
pub struct GetOrder;

impl GetOrder {
    /// The signed request.
    pub fn request(
        key: &AccountKey,
        account_url: &str,
        order_url: &str,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(KeyRef::Kid(account_url), order_url, nonce, None)
    }

    /// The order.
    pub fn parse(response: &HttpResponse, now: Timestamp, order_url: &str) -> Result<Order, Error> {
        Order::from_response(response, now, "order", Some(order_url))
    }
}

/// Finalize with a CSR (section 7.4): `{"csr": base64url(DER)}`.
pub struct Finalize;

impl Finalize {
    /// The payload; the CSR must be DER (a PEM CSR is converted).
    pub fn payload(csr: &[u8]) -> Result<Vec<u8>, Error> {
        let der = csr_der(csr)?;
        Ok(serde_json::to_vec(&json!({"csr": b64url(&der)})).unwrap_or_default())
    }

    /// The signed request.
    pub fn request(
        key: &AccountKey,
        account_url: &str,
        finalize_url: &str,
        csr: &[u8],
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(
            KeyRef::Kid(account_url),
            finalize_url,
            nonce,
            Some(&Self::payload(csr)?),
        )
    }

    /// The order after finalisation (`processing` or `valid`).
    pub fn parse(response: &HttpResponse, now: Timestamp, order_url: &str) -> Result<Order, Error> {
        Order::from_response(response, now, "finalize", Some(order_url))
    }
}

/// A CSR as DER: DER passes through, PEM (`CERTIFICATE REQUEST` or the old
/// `NEW CERTIFICATE REQUEST`) is decoded.
pub fn csr_der(csr: &[u8]) -> Result<Vec<u8>, Error> {
    if csr.first() == Some(&0x30) {
        return Ok(csr.to_vec());
    }
    let text =
        std::str::from_utf8(csr).map_err(|_| Error::invalid_input("csr", "neither DER nor PEM"))?;
    for label in ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"] {
        if let Some(der) = crate::crypto::pem::pem_blocks(text, label)?
            .into_iter()
            .next()
        {
            return Ok(der);
        }
    }
    Err(Error::invalid_input("csr", "no CERTIFICATE REQUEST block"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn order_payload_and_parse() {
        let ids = [Identifier::dns("Example.COM").unwrap()];
        let p = NewOrder {
            identifiers: &ids,
            replaces: Some("a.b"),
            profile: Some("tlsserver"),
            ..Default::default()
        };
        assert_eq!(
            String::from_utf8(p.payload().unwrap()).unwrap(),
            r#"{"identifiers":[{"type":"dns","value":"example.com"}],"profile":"tlsserver","replaces":"a.b"}"#
        );
        let body = r#"{"status":"pending","identifiers":[{"type":"dns","value":"example.com"}],
          "authorizations":["https://a/authz/1"],"finalize":"https://a/fin/1"}"#;
        let resp = HttpResponse::new(201, body).header("Location", "https://a/order/1");
        let o = NewOrder::parse(&resp, Timestamp(0)).unwrap();
        assert_eq!(
            (o.status, o.url.as_str()),
            (OrderStatus::Pending, "https://a/order/1")
        );
        let bad = HttpResponse::new(200, r#"{"status":"valid","finalize":"https://a/f"}"#);
        assert_eq!(
            GetOrder::parse(&bad, Timestamp(0), "u").unwrap_err().kind(),
            "protocol"
        );
        assert_eq!(
            NewOrder::default().payload().unwrap_err().field(),
            Some("identifiers")
        );
    }
}
