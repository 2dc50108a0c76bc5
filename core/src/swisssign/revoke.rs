//! Revocation (swisssign-ra-api-v2, `/v2/revoke`): a JSON array of
//! `{serialNumber, issuerName, revocationReason}`, answered with 204.
//!
//! The reason is spelled `SUPERSEDED` by the current reference and
//! `superseded` (the RFC 5280 section 5.3.1 names) by the seed's example and
//! older servers; [`ReasonSpelling`] in the session's settings picks one.

use serde::{Deserialize, Serialize};

use crate::crypto::digest::hex_decode;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::swisssign::auth::Session;
use crate::swisssign::compat::ReasonSpelling;
use crate::swisssign::error::empty;
use crate::swisssign::order::OrderCertificate;

/// Why a certificate is revoked (the reasons `/v2/revoke` accepts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "SwissSignRevocationReason")
)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// Not used any more / unspecified.
    Unused,
    /// The private key was compromised.
    KeyCompromise,
    /// The subject's affiliation changed.
    AffiliationChanged,
    /// Replaced by another certificate.
    Superseded,
    /// The service was shut down.
    CessationOfOperation,
}

impl RevocationReason {
    /// The reason as the server expects it. `Unused` maps to the RFC 5280
    /// `unspecified` for the camelCase servers, which have no `unused`.
    pub fn wire(self, spelling: ReasonSpelling) -> &'static str {
        match (spelling, self) {
            (ReasonSpelling::UpperSnake, RevocationReason::Unused) => "UNUSED",
            (ReasonSpelling::UpperSnake, RevocationReason::KeyCompromise) => "KEY_COMPROMISE",
            (ReasonSpelling::UpperSnake, RevocationReason::AffiliationChanged) => {
                "AFFILIATION_CHANGED"
            }
            (ReasonSpelling::UpperSnake, RevocationReason::Superseded) => "SUPERSEDED",
            (ReasonSpelling::UpperSnake, RevocationReason::CessationOfOperation) => {
                "CESSATION_OF_OPERATION"
            }
            (ReasonSpelling::CamelCase, RevocationReason::Unused) => "unspecified",
            (ReasonSpelling::CamelCase, RevocationReason::KeyCompromise) => "keyCompromise",
            (ReasonSpelling::CamelCase, RevocationReason::AffiliationChanged) => {
                "affiliationChanged"
            }
            (ReasonSpelling::CamelCase, RevocationReason::Superseded) => "superseded",
            (ReasonSpelling::CamelCase, RevocationReason::CessationOfOperation) => {
                "cessationOfOperation"
            }
        }
    }
}

/// One certificate to revoke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignRevocationRequest")
)]
pub struct RevocationRequest {
    /// Serial number in hex (`:` and spaces are removed, case normalised to
    /// upper as in the seed's example).
    pub serial_number: String,
    /// Issuer DN as the server knows it (e.g. `issuer` of the order's
    /// certificate).
    pub issuer_name: String,
    /// Reason.
    pub reason: RevocationReason,
    /// Name of the person asking, required for service accounts.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub requestor: Option<String>,
}

impl RevocationRequest {
    /// Revokes the certificate of an order, by the serial and issuer the
    /// server itself reported (`certificate.serial` and `certificate.issuer`
    /// of `/v2/order/{ord}`), so the issuer DN is spelled as the server
    /// expects it.
    pub fn for_order_certificate(
        certificate: &OrderCertificate,
        reason: RevocationReason,
    ) -> Result<Self, Error> {
        let serial = certificate
            .serial
            .clone()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Error::invalid_input("certificate.serial", "the order has no serial"))?;
        let issuer = certificate
            .issuer
            .clone()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Error::invalid_input("certificate.issuer", "the order has no issuer"))?;
        Ok(RevocationRequest {
            serial_number: serial,
            issuer_name: issuer,
            reason,
            requestor: None,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    serial_number: String,
    issuer_name: &'a str,
    revocation_reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    revocation_requestor: Option<&'a str>,
}

/// `POST /v2/revoke`.
#[derive(Clone, Copy, Debug)]
pub struct Revoke<'a> {
    /// The certificates.
    pub certificates: &'a [RevocationRequest],
}

impl Revoke<'_> {
    /// The request; serials and issuers are checked first.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        if self.certificates.is_empty() {
            return Err(Error::invalid_input("certificates", "nothing to revoke"));
        }
        let spelling = session.config().compat.reason_spelling;
        let mut wire = Vec::with_capacity(self.certificates.len());
        for (i, c) in self.certificates.iter().enumerate() {
            let serial: String = c
                .serial_number
                .chars()
                .filter(|ch| !matches!(ch, ':' | ' '))
                .collect::<String>()
                .to_ascii_uppercase();
            let even = if serial.len() % 2 == 1 {
                format!("0{serial}")
            } else {
                serial.clone()
            };
            if serial.is_empty() || hex_decode(&even).is_none() {
                return Err(Error::invalid_input(
                    format!("certificates[{i}].serial_number"),
                    "not a hexadecimal serial number",
                ));
            }
            if c.issuer_name.trim().is_empty() {
                return Err(Error::invalid_input(
                    format!("certificates[{i}].issuer_name"),
                    "the issuer name is empty",
                ));
            }
            wire.push(Wire {
                serial_number: serial,
                issuer_name: c.issuer_name.trim(),
                revocation_reason: c.reason.wire(spelling),
                revocation_requestor: c.requestor.as_deref().filter(|r| !r.trim().is_empty()),
            });
        }
        let body = serde_json::to_vec(&wire)
            .map_err(|_| Error::invalid_input("certificates", "cannot encode"))?;
        Ok(session.post("/v2/revoke")?.json_body(body))
    }

    /// Ok when the revocation was accepted (204).
    pub fn parse(resp: &HttpResponse) -> Result<(), Error> {
        empty(resp, "SwissSign revocation")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_the_servers_own_certificate_fields() {
        let cert = OrderCertificate {
            subject: None,
            issuer: Some("DC=COM,DC=Some Domain,CN=Some SubCA".into()),
            serial: Some("3893409CB666E1F092B7B6F28E1EAF4582AA7F21".into()),
            start_validity: None,
            end_validity: None,
            certificate: None,
            revocation_status: None,
        };
        let r =
            RevocationRequest::for_order_certificate(&cert, RevocationReason::Superseded).unwrap();
        assert_eq!(r.issuer_name, "DC=COM,DC=Some Domain,CN=Some SubCA");
        let no_serial = OrderCertificate {
            serial: None,
            ..cert
        };
        assert_eq!(
            RevocationRequest::for_order_certificate(&no_serial, RevocationReason::Unused)
                .unwrap_err()
                .field(),
            Some("certificate.serial")
        );
        assert_eq!(
            RevocationReason::Unused.wire(ReasonSpelling::CamelCase),
            "unspecified"
        );
    }
}
