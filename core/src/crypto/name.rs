//! X.500 distinguished names: the attribute names a caller may use when
//! building a CSR subject, and the RFC 4514 string form of a parsed name.
//!
//! Short names follow what OpenSSL prints with `-nameopt RFC2253`, so a
//! subject read by certbridge compares equal to the one `openssl x509`
//! shows; the SwissSign `subjectDN` override list (public RA API reference,
//! `RequestOverrides`) uses the same names, case-insensitively.

use const_oid::db::{rfc3280, rfc4519};
use const_oid::ObjectIdentifier;
use der::asn1::{Any, Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::{Encode, Tag, Tagged};
use x509_cert::name::RdnSequence;

use crate::crypto::digest::hex_lower;
use crate::error::Error;

/// `organizationIdentifier` (X.520, 2.5.4.97), used by EV and QWAC subjects.
const ORGANIZATION_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.97");

/// Known attributes: printed name, accepted aliases, OID.
const ATTRIBUTES: &[(&str, &[&str], ObjectIdentifier)] = &[
    ("CN", &["commonName"], rfc4519::CN),
    ("C", &["countryName", "country"], rfc4519::C),
    ("L", &["localityName", "locality"], rfc4519::L),
    ("ST", &["stateOrProvinceName", "state"], rfc4519::ST),
    ("O", &["organizationName", "organization"], rfc4519::O),
    (
        "OU",
        &["organizationalUnitName", "organizationalUnit"],
        rfc4519::OU,
    ),
    ("STREET", &["streetAddress"], rfc4519::STREET),
    ("postalCode", &[], rfc4519::POSTAL_CODE),
    ("serialNumber", &[], rfc4519::SERIAL_NUMBER),
    ("title", &["T"], rfc4519::TITLE),
    ("GN", &["givenName"], rfc4519::GIVEN_NAME),
    ("SN", &["surname"], rfc4519::SN),
    ("DC", &["domainComponent"], rfc4519::DC),
    ("UID", &["userId"], rfc4519::UID),
    ("emailAddress", &["E", "email"], rfc3280::EMAIL_ADDRESS),
    (
        "organizationIdentifier",
        &["orgId"],
        ORGANIZATION_IDENTIFIER,
    ),
];

/// The OID of a subject attribute named as OpenSSL and SwissSign name it
/// (`CN`, `commonName`, `O`, `emailAddress`, ...; case-insensitive), or a
/// dotted OID.
pub fn attribute_oid(name: &str) -> Option<ObjectIdentifier> {
    let name = name.trim();
    ATTRIBUTES
        .iter()
        .find(|(short, aliases, _)| {
            short.eq_ignore_ascii_case(name) || aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
        .map(|(_, _, oid)| *oid)
        .or_else(|| ObjectIdentifier::new(name).ok())
}

/// The attribute's printed short name, or the dotted OID.
pub fn attribute_name(oid: &ObjectIdentifier) -> String {
    ATTRIBUTES
        .iter()
        .find(|(_, _, o)| o == oid)
        .map(|(short, _, _)| (*short).to_string())
        .unwrap_or_else(|| oid.to_string())
}

/// Encodes an attribute value: `C`, `serialNumber` and `DC` in the string
/// types RFC 5280 appendix A and RFC 4519 require (PrintableString,
/// PrintableString, IA5String), everything else as UTF8String (RFC 5280
/// section 4.1.2.6).
pub fn attribute_value(oid: &ObjectIdentifier, value: &str, field: &str) -> Result<Any, Error> {
    let bad = |why: &str| Error::invalid_input(field, why.to_string());
    if value.is_empty() {
        return Err(bad("an attribute value cannot be empty"));
    }
    if *oid == rfc4519::C {
        if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(bad("a country is two letters (ISO 3166)"));
        }
        return tagged(
            Tag::PrintableString,
            value,
            PrintableStringRef::new(value).is_ok(),
        )
        .ok_or_else(|| bad("not a PrintableString"));
    }
    if *oid == rfc4519::SERIAL_NUMBER {
        return tagged(
            Tag::PrintableString,
            value,
            PrintableStringRef::new(value).is_ok(),
        )
        .ok_or_else(|| bad("serialNumber must be a PrintableString"));
    }
    if *oid == rfc4519::DC || *oid == rfc3280::EMAIL_ADDRESS {
        return tagged(Tag::Ia5String, value, value.is_ascii())
            .ok_or_else(|| bad("must be ASCII (IA5String)"));
    }
    tagged(Tag::Utf8String, value, true).ok_or_else(|| bad("value too long"))
}

fn tagged(tag: Tag, value: &str, valid: bool) -> Option<Any> {
    if !valid {
        return None;
    }
    Any::new(tag, value.as_bytes()).ok()
}

fn value_text(value: &Any) -> Option<String> {
    match value.tag() {
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.to_string()),
        Tag::PrintableString => PrintableStringRef::try_from(value)
            .ok()
            .map(|s| s.to_string()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.to_string()),
        Tag::TeletexString => TeletexStringRef::try_from(value)
            .ok()
            .map(|s| s.to_string()),
        Tag::BmpString => {
            let bytes = value.value();
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// Escapes a value as RFC 4514 section 2.4 requires.
fn escape(value: &str, out: &mut String) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
}

/// The RFC 4514 string of a name: most specific RDN first (`CN=...,O=...,C=..`),
/// multi-valued RDNs joined with `+`, unknown attributes as `OID=#hexDER`.
/// Equal to `openssl x509 -nameopt RFC2253,-esc_msb` for the usual names.
pub fn format_name(name: &RdnSequence) -> String {
    let mut out = String::new();
    for (i, rdn) in name.0.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.0.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match value_text(&atv.value) {
                Some(text) if ATTRIBUTES.iter().any(|(_, _, o)| *o == atv.oid) => {
                    out.push_str(&attribute_name(&atv.oid));
                    out.push('=');
                    escape(&text, &mut out);
                }
                _ => {
                    out.push_str(&atv.oid.to_string());
                    out.push_str("=#");
                    out.push_str(&hex_lower(&atv.value.to_der().unwrap_or_default()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn names_and_aliases() {
        assert_eq!(attribute_oid("commonname"), Some(rfc4519::CN));
        assert_eq!(attribute_oid("E"), Some(rfc3280::EMAIL_ADDRESS));
        assert_eq!(attribute_oid("2.5.4.97"), Some(ORGANIZATION_IDENTIFIER));
        assert_eq!(attribute_oid("nonsense"), None);
        assert_eq!(attribute_name(&rfc4519::ST), "ST");
    }

    #[test]
    fn formats_most_specific_first_with_escapes() {
        let name = RdnSequence::from_str("CN=a\\,b,O=Acme,C=CH").unwrap();
        assert_eq!(format_name(&name), "CN=a\\,b,O=Acme,C=CH");
    }

    #[test]
    fn country_must_be_two_letters() {
        assert!(attribute_value(&rfc4519::C, "CHE", "subject.C").is_err());
        assert!(attribute_value(&rfc4519::C, "CH", "subject.C").is_ok());
        assert!(attribute_value(&rfc4519::CN, "", "subject.CN").is_err());
    }
}
