//! A summary of an X.509 certificate (RFC 5280 section 4.1): what an
//! application shows, stores and revokes by.
//!
//! Every provider hands back certificates (SwissSign chains, Redtrust
//! `finalize`, ACME downloads); one parser turns any of them into a
//! [`Certificate`] with subject, issuer, serial, validity, SANs and
//! thumbprints, compared field by field against `openssl x509` in tests.

use const_oid::db::rfc5280;
use der::Decode;
use serde::Serialize;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;

use crate::crypto::digest::{hex_upper, sha1, sha256};
use crate::crypto::name::format_name;
use crate::crypto::pem::{certificates_der, to_pem};
use crate::error::Error;
use crate::time::Timestamp;

/// One subject alternative name (RFC 5280 section 4.2.1.6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AltName {
    /// dNSName.
    Dns(String),
    /// rfc822Name.
    Email(String),
    /// iPAddress, in its usual text form.
    Ip(String),
    /// uniformResourceIdentifier.
    Uri(String),
    /// Any other form, by its context tag number.
    Other(u8),
}

/// A parsed certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Certificate {
    /// Subject DN in RFC 4514 form (`CN=...,O=...,C=..`).
    pub subject: String,
    /// Issuer DN in RFC 4514 form.
    pub issuer: String,
    /// Serial number as upper-case hex without a sign byte, the form SwissSign
    /// revokes by (`serialNumber` in `/v2/revoke`) and `openssl x509 -serial`
    /// prints.
    pub serial_hex: String,
    /// Start of validity.
    pub not_before: Timestamp,
    /// End of validity.
    pub not_after: Timestamp,
    /// Subject alternative names, in certificate order.
    pub sans: Vec<AltName>,
    /// SHA-1 of the DER, upper-case hex (Windows' and Redtrust's thumbprint).
    pub sha1_thumbprint: String,
    /// SHA-256 of the DER, upper-case hex.
    pub sha256_thumbprint: String,
    /// Whether basicConstraints says CA.
    pub is_ca: bool,
    /// The certificate as PEM.
    pub pem: String,
}

impl Certificate {
    /// Parses one DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let cert = x509_cert::Certificate::from_der(der)
            .map_err(|e| Error::crypto(format!("malformed certificate: {e}")))?;
        let tbs = &cert.tbs_certificate;
        let mut sans = Vec::new();
        let mut is_ca = false;
        for ext in tbs.extensions.iter().flatten() {
            if ext.extn_id == rfc5280::ID_CE_SUBJECT_ALT_NAME {
                let names = SubjectAltName::from_der(ext.extn_value.as_bytes())
                    .map_err(|e| Error::crypto(format!("malformed subjectAltName: {e}")))?;
                sans.extend(names.0.iter().map(san_of));
            } else if ext.extn_id == rfc5280::ID_CE_BASIC_CONSTRAINTS {
                is_ca = x509_cert::ext::pkix::BasicConstraints::from_der(ext.extn_value.as_bytes())
                    .map(|bc| bc.ca)
                    .unwrap_or(false);
            }
        }
        let serial = tbs.serial_number.as_bytes();
        let first = serial
            .iter()
            .position(|b| *b != 0)
            .unwrap_or(serial.len().saturating_sub(1));
        Ok(Certificate {
            subject: format_name(&tbs.subject),
            issuer: format_name(&tbs.issuer),
            serial_hex: hex_upper(serial.get(first..).unwrap_or_default()),
            not_before: time_of(&tbs.validity.not_before),
            not_after: time_of(&tbs.validity.not_after),
            sans,
            sha1_thumbprint: hex_upper(&sha1(der)),
            sha256_thumbprint: hex_upper(&sha256(der)),
            is_ca,
            pem: to_pem("CERTIFICATE", der),
        })
    }

    /// Parses the first certificate of PEM, base64 or DER input.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let ders = certificates_der(input)?;
        let der = ders
            .first()
            .ok_or_else(|| Error::invalid_input("certificate", "no certificate found"))?;
        Self::from_der(der)
    }

    /// Parses every certificate of PEM, base64 or DER input, in input
    /// order (a chain file, a `fullchain.pem`); none is an error.
    pub fn parse_all(input: &[u8]) -> Result<Vec<Self>, Error> {
        let ders = certificates_der(input)?;
        if ders.is_empty() {
            return Err(Error::invalid_input("certificate", "no certificate found"));
        }
        ders.iter().map(|d| Self::from_der(d)).collect()
    }

    /// The DER bytes (decoded from the kept PEM).
    pub fn der(&self) -> Result<Vec<u8>, Error> {
        certificates_der(self.pem.as_bytes())?
            .into_iter()
            .next()
            .ok_or_else(|| Error::crypto("certificate PEM is empty"))
    }

    /// Whether `now` is within the validity period.
    pub fn is_valid_at(&self, now: Timestamp) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

fn time_of(t: &x509_cert::time::Time) -> Timestamp {
    let millis = t.to_unix_duration().as_millis();
    Timestamp(u64::try_from(millis).unwrap_or(u64::MAX))
}

fn san_of(name: &GeneralName) -> AltName {
    match name {
        GeneralName::DnsName(s) => AltName::Dns(s.to_string()),
        GeneralName::Rfc822Name(s) => AltName::Email(s.to_string()),
        GeneralName::UniformResourceIdentifier(s) => AltName::Uri(s.to_string()),
        GeneralName::IpAddress(os) => {
            let b = os.as_bytes();
            let text = if let Ok(v4) = <[u8; 4]>::try_from(b) {
                std::net::Ipv4Addr::from(v4).to_string()
            } else if let Ok(v6) = <[u8; 16]>::try_from(b) {
                std::net::Ipv6Addr::from(v6).to_string()
            } else {
                hex_upper(b)
            };
            AltName::Ip(text)
        }
        GeneralName::OtherName(_) => AltName::Other(0),
        GeneralName::DirectoryName(_) => AltName::Other(4),
        GeneralName::EdiPartyName(_) => AltName::Other(5),
        GeneralName::RegisteredId(_) => AltName::Other(8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_all_keeps_input_order() {
        let chain = include_str!("../../../tests/vectors/fixtures/chain.pem");
        let all = Certificate::parse_all(chain.as_bytes()).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0], Certificate::parse(chain.as_bytes()).unwrap());
        assert!(all[2].is_ca);
        assert!(Certificate::parse_all(b"").is_err());
    }

    #[test]
    fn garbage_is_a_typed_error() {
        for bad in [&b"\x30\x03\x02\x01\x05"[..], b"", b"hello"] {
            let err = Certificate::parse(bad).unwrap_err();
            assert!(matches!(err.kind(), "crypto" | "invalid_input"), "{err}");
        }
    }
}
