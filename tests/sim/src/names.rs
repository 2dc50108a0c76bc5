//! Distinguished names: building them from Redtrust's `dn` attribute list
//! (redtrust-certificate-enroll-v4.33, "csr/create" example: `cn`, `o`, `c`,
//! `st`, `l`, `ou`) and comparing SwissSign `issuerName` strings.

use der::asn1::{Any, SetOfVec};
use der::Tag;
use spki::ObjectIdentifier;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

/// Maps a Redtrust attribute name (case-insensitive) to its OID and whether
/// its value is an IA5String.
fn attribute_oid(name: &str) -> Option<(ObjectIdentifier, Tag)> {
    let oid = |s: &str| ObjectIdentifier::new(s).ok();
    let utf8 = Tag::Utf8String;
    let (o, tag) = match name.to_ascii_lowercase().as_str() {
        "cn" | "commonname" => (oid("2.5.4.3"), utf8),
        "sn" | "surname" => (oid("2.5.4.4"), utf8),
        "serialnumber" => (oid("2.5.4.5"), Tag::PrintableString),
        "c" | "country" => (oid("2.5.4.6"), Tag::PrintableString),
        "l" | "locality" => (oid("2.5.4.7"), utf8),
        "st" | "s" | "state" => (oid("2.5.4.8"), utf8),
        "street" => (oid("2.5.4.9"), utf8),
        "o" | "organization" => (oid("2.5.4.10"), utf8),
        "ou" | "organizationalunit" => (oid("2.5.4.11"), utf8),
        "title" => (oid("2.5.4.12"), utf8),
        "givenname" | "gn" => (oid("2.5.4.42"), utf8),
        "pseudonym" => (oid("2.5.4.65"), utf8),
        "organizationidentifier" => (oid("2.5.4.97"), utf8),
        "e" | "email" | "emailaddress" => (oid("1.2.840.113549.1.9.1"), Tag::Ia5String),
        "dc" => (oid("0.9.2342.19200300.100.1.25"), Tag::Ia5String),
        "uid" => (oid("0.9.2342.19200300.100.1.1"), utf8),
        _ => (None, utf8),
    };
    o.map(|o| (o, tag))
}

fn printable(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c))
}

/// Builds a Name from `(attribute, value)` pairs in the given order.
pub fn build(pairs: &[(String, String)]) -> Result<Name, String> {
    if pairs.is_empty() {
        return Err("dn must name at least one attribute".into());
    }
    let mut rdns = Vec::new();
    for (attr, value) in pairs {
        let (oid, mut tag) =
            attribute_oid(attr).ok_or_else(|| format!("unknown dn attribute '{attr}'"))?;
        if value.trim().is_empty() {
            return Err(format!("dn attribute '{attr}' has an empty value"));
        }
        if tag == Tag::PrintableString && !printable(value) {
            tag = Tag::Utf8String;
        }
        if tag == Tag::Ia5String && !value.is_ascii() {
            return Err(format!("dn attribute '{attr}' must be ASCII"));
        }
        let value = Any::new(tag, value.as_bytes()).map_err(|e| e.to_string())?;
        let atv = AttributeTypeAndValue { oid, value };
        let set = SetOfVec::try_from(vec![atv]).map_err(|e| e.to_string())?;
        rdns.push(RelativeDistinguishedName(set));
    }
    Ok(RdnSequence(rdns))
}

/// The `CN` values of a name.
pub fn common_names(name: &Name) -> Vec<String> {
    let cn = ObjectIdentifier::new_unwrap("2.5.4.3");
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == cn)
        .filter_map(|atv| {
            std::str::from_utf8(atv.value.value())
                .ok()
                .map(str::to_owned)
        })
        .collect()
}

/// Normalised RDN components of an RFC 4514-style string: trimmed,
/// attribute type upper-cased, in the written order.
fn components(s: &str) -> Vec<String> {
    s.split(',')
        .map(|part| match part.split_once('=') {
            Some((k, v)) => format!("{}={}", k.trim().to_ascii_uppercase(), v.trim()),
            None => part.trim().to_owned(),
        })
        .collect()
}

/// Whether a client-supplied `issuerName` names `issuer`. RFC 4514 writes the
/// RDNs last-to-first and the seed's example follows that; clients that write
/// them in DER order are accepted too.
pub fn issuer_matches(given: &str, issuer: &Name) -> bool {
    let ours = components(&issuer.to_string());
    let mut theirs = components(given);
    if theirs == ours {
        return true;
    }
    theirs.reverse();
    theirs == ours
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_seed_example_and_rejects_unknown_attributes() {
        let pairs: Vec<(String, String)> = [
            ("cn", "john doe"),
            ("o", "Redtrust"),
            ("c", "Brasil"),
            ("st", "PJE"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let name = build(&pairs).unwrap();
        assert_eq!(name.to_string(), "ST=PJE,C=Brasil,O=Redtrust,CN=john doe");
        assert_eq!(common_names(&name), vec!["john doe".to_string()]);
        assert!(build(&[("xx".into(), "v".into())]).is_err());
        assert!(build(&[]).is_err());
        assert!(build(&[("cn".into(), " ".into())]).is_err());
    }

    #[test]
    fn issuer_names_match_in_either_order() {
        let name = build(&[("o".into(), "Sim".into()), ("cn".into(), "Sim CA".into())]).unwrap();
        assert!(issuer_matches("CN=Sim CA,O=Sim", &name));
        assert!(issuer_matches("o=Sim, cn=Sim CA", &name));
        assert!(!issuer_matches("CN=Other,O=Sim", &name));
    }
}
