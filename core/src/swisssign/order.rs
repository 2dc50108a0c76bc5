//! Certificate orders: status, the order itself and order search
//! (swisssign-ra-api-v2, `/v2/order/{ord}/status`, `/v2/order/{ord}`,
//! `/v2/orders`; statuses from the public reference's
//! `CertificateOrderStatus`, DESIGN.md "Facts").

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::swisssign::auth::Session;
use crate::swisssign::error::{check, json};
use crate::swisssign::page::{paging_query, with_query, Page};
use crate::swisssign::refs::{ClientRef, OrderRef, ProductRef};
use crate::time::Timestamp;

macro_rules! statuses {
    ($($(#[$doc:meta])* $v:ident = $s:literal,)*) => {
        /// The state of a certificate order. A value this SDK does not know
        /// is kept as [`OrderStatus::Other`] and treated as still running.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum OrderStatus {
            $($(#[$doc])* $v,)*
            /// A status not in the reference, as sent.
            Other(String),
        }

        impl OrderStatus {
            /// Reads the wire spelling (case-insensitive).
            pub fn from_wire(s: &str) -> Self {
                let upper = s.trim().to_ascii_uppercase();
                match upper.as_str() {
                    $($s => OrderStatus::$v,)*
                    _ => OrderStatus::Other(s.trim().to_string()),
                }
            }

            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $(OrderStatus::$v => $s,)*
                    OrderStatus::Other(s) => s,
                }
            }
        }
    };
}

statuses! {
    /// Just created.
    New = "NEW",
    /// Checking the key.
    KeyValidation = "KEY_VALIDATION",
    /// Validating (DNS, policy, CAA).
    PreValidation = "PRE_VALIDATION",
    /// Building the TBS certificate.
    GenerateTbs = "GENERATE_TBS",
    /// Waiting for an RA operator to authorize: may wait indefinitely.
    PendingAuth = "PENDING_AUTH",
    /// About to issue.
    PreIssue = "PRE_ISSUE",
    /// Issuing.
    Issue = "ISSUE",
    /// Checking the issued certificate.
    PostValidation = "POST_VALIDATION",
    /// Finishing.
    FinalizeIssuance = "FINALIZE_ISSUANCE",
    /// Issued (terminal, success).
    Issued = "ISSUED",
    /// Revoked (terminal).
    Revoked = "REVOKED",
    /// Failed (terminal).
    Failed = "FAILED",
    /// Rejected by the RA (terminal).
    Rejected = "REJECTED",
    /// Waiting for a CSR for renewal.
    PendingCsrRenewal = "PENDING_CSR_RENEWAL",
    /// The server does not know.
    Unknown = "UNKNOWN",
}

impl OrderStatus {
    /// ISSUED, FAILED, REJECTED and REVOKED end an order (DESIGN.md, "Facts").
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            OrderStatus::Issued
                | OrderStatus::Failed
                | OrderStatus::Rejected
                | OrderStatus::Revoked
        )
    }

    /// Whether the order waits on a person (an RA operator's authorization).
    pub fn waits_on_person(&self) -> bool {
        matches!(self, OrderStatus::PendingAuth)
    }
}

// Foreign languages see the status as its wire string (`ISSUED`,
// `PENDING_AUTH`, ...), like the vectors and the JSON form, so statuses a
// newer server adds pass through unchanged.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(OrderStatus, String, {
    lower: |s| s.as_str().to_string(),
    try_lift: |s| Ok(OrderStatus::from_wire(&s)),
});

impl Serialize for OrderStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for OrderStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| OrderStatus::from_wire(&s))
    }
}

/// How a certificate was revoked (public reference, `RevocationStatus`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignRevocationStatus")
)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct RevocationStatus {
    /// When, as sent.
    #[serde(default)]
    pub revoked_on: Option<String>,
    /// Reason, as sent (`KEY_COMPROMISE`, ...).
    #[serde(default)]
    pub reason: Option<String>,
    /// Who revoked it.
    #[serde(default)]
    pub revoked_by: Option<String>,
}

/// The certificate of an order (public reference, `Certificate`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignOrderCertificate")
)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct OrderCertificate {
    /// Subject DN as the server writes it.
    #[serde(default)]
    pub subject: Option<String>,
    /// Issuer DN as the server writes it: what `/v2/revoke` wants.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Serial number, hex.
    #[serde(default)]
    pub serial: Option<String>,
    /// Start of validity, as sent.
    #[serde(default)]
    pub start_validity: Option<String>,
    /// End of validity, as sent.
    #[serde(default)]
    pub end_validity: Option<String>,
    /// Base64 DER certificate.
    #[serde(default)]
    pub certificate: Option<String>,
    /// Revocation, if revoked.
    #[serde(default)]
    pub revocation_status: Option<RevocationStatus>,
}

/// A certificate order (public reference, `CertificateOrder`): what
/// `/v2/issue/csr/{pma}`, `/v2/issue` and `/v2/order/{ord}` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignOrder")
)]
#[serde(from = "OrderWire")]
pub struct CertificateOrder {
    /// The `ord-` reference.
    pub uuid: OrderRef,
    /// Status.
    pub status: OrderStatus,
    /// Creation time, as sent.
    #[serde(default)]
    pub created_on: Option<String>,
    /// The client.
    #[serde(default)]
    pub client_reference: Option<ClientRef>,
    /// The product.
    #[serde(default)]
    pub product_reference: Option<ProductRef>,
    /// The certificate once issued.
    #[serde(default)]
    pub certificate: Option<OrderCertificate>,
    /// Base64 DER chain, leaf first, when asked for.
    #[serde(default)]
    pub certificate_chain: Option<Vec<Option<String>>>,
    /// User tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Who created the order.
    #[serde(default)]
    pub issued_by: Option<String>,
}

/// The order as it arrives. Servers differ: the public reference nests the
/// issued certificate in `certificate {serial, issuer, ...}`, others put
/// `serialNumber`, `issuerName`, `validFrom` and `validTo` on the order
/// itself. Both become [`CertificateOrder::certificate`].
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderWire {
    uuid: OrderRef,
    status: OrderStatus,
    #[serde(default)]
    created_on: Option<String>,
    #[serde(default)]
    client_reference: Option<ClientRef>,
    #[serde(default)]
    product_reference: Option<ProductRef>,
    #[serde(default)]
    certificate: Option<OrderCertificate>,
    #[serde(default)]
    certificate_chain: Option<Vec<Option<String>>>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    issued_by: Option<String>,
    #[serde(default)]
    serial_number: Option<String>,
    #[serde(default)]
    issuer_name: Option<String>,
    #[serde(default)]
    subject_name: Option<String>,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_to: Option<String>,
}

impl From<OrderWire> for CertificateOrder {
    fn from(w: OrderWire) -> Self {
        let flat = w.serial_number.is_some() || w.issuer_name.is_some();
        let certificate = match (w.certificate, flat) {
            (Some(c), _) => Some(c),
            (None, true) => Some(OrderCertificate {
                subject: w.subject_name,
                issuer: w.issuer_name,
                serial: w.serial_number,
                start_validity: w.valid_from,
                end_validity: w.valid_to,
                certificate: None,
                revocation_status: None,
            }),
            (None, false) => None,
        };
        CertificateOrder {
            uuid: w.uuid,
            status: w.status,
            created_on: w.created_on,
            client_reference: w.client_reference,
            product_reference: w.product_reference,
            certificate,
            certificate_chain: w.certificate_chain,
            tags: w.tags,
            issued_by: w.issued_by,
        }
    }
}

impl CertificateOrder {
    /// `createdOn` as a time, when it parses.
    pub fn created_at(&self) -> Option<Timestamp> {
        self.created_on
            .as_deref()
            .and_then(Timestamp::parse_rfc3339)
    }
}

/// `POST /v2/order/{ord}/status`.
#[derive(Clone, Copy, Debug)]
pub struct GetOrderStatus<'a> {
    /// The order.
    pub order: &'a OrderRef,
}

impl GetOrderStatus<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        session.post(&format!("/v2/order/{}/status", self.order))
    }

    /// The status. The reference answers a bare JSON string (`"ISSUED"`);
    /// an object with `status` and an unquoted word are accepted too.
    pub fn parse(resp: &HttpResponse) -> Result<OrderStatus, Error> {
        const CONTEXT: &str = "SwissSign order status";
        check(resp, CONTEXT)?;
        let text = resp.text(CONTEXT)?.trim();
        if text.is_empty() {
            return Err(Error::protocol(CONTEXT, "empty response body"));
        }
        let json_literal = matches!(text, "null" | "true" | "false");
        if !json_literal && text.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
            return Ok(OrderStatus::from_wire(text));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|_| Error::protocol(CONTEXT, "neither a JSON string nor an object"))?;
        let status = match &value {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("status").and_then(Value::as_str),
            _ => None,
        };
        match status {
            Some(s) if !s.trim().is_empty() => Ok(OrderStatus::from_wire(s)),
            _ => Err(Error::protocol(CONTEXT, "no status in the answer")),
        }
    }
}

/// `POST /v2/order/{ord}`.
#[derive(Clone, Copy, Debug)]
pub struct GetOrder<'a> {
    /// The order.
    pub order: &'a OrderRef,
}

impl GetOrder<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        session.post(&format!("/v2/order/{}", self.order))
    }

    /// The order.
    pub fn parse(resp: &HttpResponse) -> Result<CertificateOrder, Error> {
        json(resp, "SwissSign order")
    }
}

/// Search criteria (public reference, `SearchCertificateOrder`). Every
/// field is optional; an empty search lists recent orders.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignOrderSearch")
)]
#[serde(rename_all = "camelCase")]
pub struct OrderSearch {
    /// One order.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub order_reference: Option<OrderRef>,
    /// Serial number, hex, `?`/`*` wildcards allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub serial_number: Option<String>,
    /// Statuses to match.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub order_status: Vec<OrderStatus>,
    /// Revocation reasons to match, as the server spells them.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub revocation_reason: Vec<String>,
    /// Clients to match.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub client_references: Vec<ClientRef>,
    /// Orders created after this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub start_after: Option<String>,
    /// Orders created before this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub start_before: Option<String>,
    /// Any certificate attribute OID or value, wildcards allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub attribute: Option<String>,
    /// Include the chain in each order.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub include_certificate_chain: Option<bool>,
    /// Tags to match.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
}

impl OrderSearch {
    fn body(&self) -> Result<Vec<u8>, Error> {
        for (field, value) in [
            ("start_after", &self.start_after),
            ("start_before", &self.start_before),
        ] {
            if value
                .as_deref()
                .is_some_and(|v| Timestamp::parse_rfc3339(v).is_none())
            {
                return Err(Error::invalid_input(field, "not an RFC 3339 date-time"));
            }
        }
        serde_json::to_vec(self).map_err(|_| Error::invalid_input("search", "cannot encode"))
    }
}

/// `POST /v2/orders` with a JSON search.
#[derive(Clone, Copy, Debug)]
pub struct SearchOrders<'a> {
    /// Criteria.
    pub search: &'a OrderSearch,
}

impl SearchOrders<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        Ok(session.post("/v2/orders")?.json_body(self.search.body()?))
    }

    /// Matching orders (at most the server's limit, 300 by default).
    pub fn parse(resp: &HttpResponse) -> Result<Vec<CertificateOrder>, Error> {
        json(resp, "SwissSign order search")
    }
}

/// `POST /v2/orders/paged?length=&start=` with a JSON search.
#[derive(Clone, Copy, Debug)]
pub struct SearchOrdersPaged<'a> {
    /// Criteria.
    pub search: &'a OrderSearch,
    /// Offset of the first result.
    pub start: Option<u32>,
    /// Page size.
    pub length: Option<u32>,
}

impl SearchOrdersPaged<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        let mut query = Vec::new();
        paging_query(&mut query, self.start, self.length);
        Ok(session
            .post(&with_query("/v2/orders/paged", &query))?
            .json_body(self.search.body()?))
    }

    /// One page of orders.
    pub fn parse(resp: &HttpResponse) -> Result<Page<CertificateOrder>, Error> {
        json(resp, "SwissSign order search")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_shapes() {
        for body in [
            "\"ISSUED\"",
            "{\"status\":\"ISSUED\"}",
            "ISSUED",
            " issued\n",
        ] {
            assert_eq!(
                GetOrderStatus::parse(&HttpResponse::new(200, body)).unwrap(),
                OrderStatus::Issued,
                "{body}"
            );
        }
        assert_eq!(
            GetOrderStatus::parse(&HttpResponse::new(200, "\"WAITING_FOR_GODOT\"")).unwrap(),
            OrderStatus::Other("WAITING_FOR_GODOT".into())
        );
        for bad in ["", "42", "{\"state\":1}", "[\"ISSUED\"]", "\"\"", "<html>"] {
            assert_eq!(
                GetOrderStatus::parse(&HttpResponse::new(200, bad))
                    .unwrap_err()
                    .kind(),
                "protocol",
                "{bad}"
            );
        }
        assert!(OrderStatus::Rejected.is_terminal());
        assert!(!OrderStatus::PendingAuth.is_terminal());
        assert!(!OrderStatus::Other("X".into()).is_terminal());
    }
}
