//! PKCS#10 certificate signing requests (RFC 2986), built locally.
//!
//! SwissSign's `/v2/issue/csr/{pma}` and ACME's finalize (RFC 8555 section
//! 7.4) both take a CSR the client made with its own key. The builder takes
//! the subject attributes in the order a caller writes them
//! (`C`, `O`, `CN`: most significant first, as `openssl req -subj` does)
//! and the subject alternative names (RFC 5280 section 4.2.1.6) as an
//! `extensionRequest` attribute (RFC 2985 section 5.4.2).

use std::net::IpAddr;

use const_oid::db::rfc5280;
use der::asn1::{Any, BitString, Ia5String, OctetString, SetOfVec};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::attr::{Attribute, AttributeTypeAndValue};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::Extension;
use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
use x509_cert::request::{CertReq, CertReqInfo, ExtensionReq, Version};

use crate::crypto::keys::PrivateKey;
use crate::crypto::name::{attribute_oid, attribute_value};
use crate::crypto::pem::{pem_blocks, to_pem};
use crate::error::Error;

/// What goes into a CSR. Build it with the chained setters, then
/// [`CsrBuilder::build`] with the key that will own the certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsrBuilder {
    subject: Vec<(String, String)>,
    dns_names: Vec<String>,
    emails: Vec<String>,
    ips: Vec<String>,
}

/// A DER-encoded PKCS#10 request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Csr {
    der: Vec<u8>,
}

impl Csr {
    /// The DER bytes (ACME finalize sends them base64url, RFC 8555 section 7.4).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// PEM `CERTIFICATE REQUEST` with LF line ends: the `text/plain` body of
    /// SwissSign's `/v2/issue/csr/{pma}`.
    pub fn to_pem(&self) -> String {
        to_pem("CERTIFICATE REQUEST", &self.der)
    }

    /// Reads a CSR the caller made elsewhere (PEM `CERTIFICATE REQUEST` or
    /// `NEW CERTIFICATE REQUEST`, or DER) and checks it is a PKCS#10 request,
    /// so a wrong file is refused before anything is sent.
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self, Error> {
        let field = "csr";
        let der = if input.first() == Some(&0x30) {
            input.to_vec()
        } else {
            let text = std::str::from_utf8(input)
                .map_err(|_| Error::invalid_input(field, "neither DER nor PEM text"))?;
            let mut blocks = pem_blocks(text, "CERTIFICATE REQUEST")?;
            if blocks.is_empty() {
                blocks = pem_blocks(text, "NEW CERTIFICATE REQUEST")?;
            }
            blocks
                .into_iter()
                .next()
                .ok_or_else(|| Error::invalid_input(field, "no CERTIFICATE REQUEST block"))?
        };
        CertReq::from_der(&der)
            .map_err(|_| Error::invalid_input(field, "not a PKCS#10 certificate request"))?;
        Ok(Csr { der })
    }
}

impl CsrBuilder {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a subject attribute by name (`C`, `O`, `OU`, `CN`, `L`, `ST`,
    /// `emailAddress`, `serialNumber`, ... or a dotted OID), most
    /// significant first.
    pub fn subject(mut self, attribute: impl Into<String>, value: impl Into<String>) -> Self {
        self.subject.push((attribute.into(), value.into()));
        self
    }

    /// Appends a DNS name SAN. Unicode names are converted to their
    /// punycode A-label form (RFC 5890); a leading `*.` wildcard is kept.
    pub fn dns_name(mut self, name: impl Into<String>) -> Self {
        self.dns_names.push(name.into());
        self
    }

    /// Appends an email (rfc822Name) SAN.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(email.into());
        self
    }

    /// Appends an IP address SAN (IPv4 or IPv6 text form).
    pub fn ip(mut self, ip: impl Into<String>) -> Self {
        self.ips.push(ip.into());
        self
    }

    fn subject_name(&self) -> Result<RdnSequence, Error> {
        let mut rdns = Vec::with_capacity(self.subject.len());
        for (i, (attr, value)) in self.subject.iter().enumerate() {
            let field = format!("subject[{i}]");
            let oid = attribute_oid(attr)
                .ok_or_else(|| Error::invalid_input(&field, format!("unknown attribute {attr}")))?;
            let value: Any = attribute_value(&oid, value, &field)?;
            let atv = AttributeTypeAndValue { oid, value };
            let set = SetOfVec::try_from(vec![atv])
                .map_err(|_| Error::invalid_input(&field, "cannot encode attribute"))?;
            rdns.push(RelativeDistinguishedName(set));
        }
        Ok(RdnSequence(rdns))
    }

    fn general_names(&self) -> Result<Vec<GeneralName>, Error> {
        let mut names = Vec::new();
        for (i, name) in self.dns_names.iter().enumerate() {
            let field = format!("dns_names[{i}]");
            let ascii = dns_to_ascii(name)
                .ok_or_else(|| Error::invalid_input(&field, "not a valid DNS name"))?;
            let ia5 = Ia5String::new(&ascii)
                .map_err(|_| Error::invalid_input(&field, "not a valid DNS name"))?;
            names.push(GeneralName::DnsName(ia5));
        }
        for (i, email) in self.emails.iter().enumerate() {
            let field = format!("emails[{i}]");
            let valid = email.is_ascii()
                && email
                    .split_once('@')
                    .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains('@'));
            if !valid {
                return Err(Error::invalid_input(
                    field,
                    "not an ASCII email address (local@domain)",
                ));
            }
            let ia5 = Ia5String::new(email)
                .map_err(|_| Error::invalid_input(&field, "not an ASCII email address"))?;
            names.push(GeneralName::Rfc822Name(ia5));
        }
        for (i, ip) in self.ips.iter().enumerate() {
            let field = format!("ips[{i}]");
            let addr: IpAddr = ip
                .trim()
                .parse()
                .map_err(|_| Error::invalid_input(&field, "not an IPv4 or IPv6 address"))?;
            let octets = match addr {
                IpAddr::V4(a) => a.octets().to_vec(),
                IpAddr::V6(a) => a.octets().to_vec(),
            };
            let os = OctetString::new(octets)
                .map_err(|_| Error::invalid_input(&field, "cannot encode address"))?;
            names.push(GeneralName::IpAddress(os));
        }
        Ok(names)
    }

    /// Builds and signs the request with `key`, whose public key it carries.
    /// Signature: ECDSA with SHA-256 (P-256) or SHA-384 (P-384), or RSA
    /// PKCS#1 v1.5 with SHA-256.
    pub fn build(&self, key: &PrivateKey) -> Result<Csr, Error> {
        let subject = self.subject_name()?;
        let names = self.general_names()?;
        if subject.0.is_empty() && names.is_empty() {
            return Err(Error::invalid_input(
                "subject",
                "a CSR needs a subject or at least one subject alternative name",
            ));
        }
        let enc = |e: der::Error| Error::crypto(format!("CSR encoding failed: {e}"));
        let mut attributes = SetOfVec::new();
        if !names.is_empty() {
            let san = SubjectAltName(names).to_der().map_err(enc)?;
            let ext = Extension {
                extn_id: rfc5280::ID_CE_SUBJECT_ALT_NAME,
                // RFC 5280 section 4.2.1.6: critical when the subject is empty.
                critical: subject.0.is_empty(),
                extn_value: OctetString::new(san).map_err(enc)?,
            };
            let attr = Attribute::try_from(ExtensionReq(vec![ext])).map_err(enc)?;
            attributes.insert(attr).map_err(enc)?;
        }
        let public_key =
            SubjectPublicKeyInfoOwned::from_der(&key.public_key_der()?).map_err(enc)?;
        let info = CertReqInfo {
            version: Version::V1,
            subject,
            public_key,
            attributes,
        };
        let tbs = info.to_der().map_err(enc)?;
        let signature = key.sign(&tbs)?;
        let alg = key.signature_algorithm();
        let algorithm = AlgorithmIdentifierOwned {
            oid: alg.oid(),
            parameters: alg.has_null_parameters().then(Any::null),
        };
        let req = CertReq {
            info,
            algorithm,
            signature: BitString::from_bytes(&signature).map_err(enc)?,
        };
        Ok(Csr {
            der: req.to_der().map_err(enc)?,
        })
    }
}

/// A DNS name in ASCII (A-label) form: IDNA 2008 / UTS 46 mapping of each
/// label, a leading `*.` kept for wildcards. `None` if it is not a name.
pub fn dns_to_ascii(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches('.');
    let (wild, rest) = match name.strip_prefix("*.") {
        Some(rest) => ("*.", rest),
        None => ("", name),
    };
    if rest.is_empty() || rest.contains('*') {
        return None;
    }
    let ascii = idna::domain_to_ascii(rest).ok()?;
    let valid = !ascii.is_empty()
        && ascii.len() <= 253
        && ascii.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    valid.then(|| format!("{wild}{ascii}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keys::KeyKind;
    use rand_core::OsRng;

    #[test]
    fn builds_a_parseable_request() {
        let key = PrivateKey::generate(KeyKind::EcP256, &mut OsRng).unwrap();
        let csr = CsrBuilder::new()
            .subject("C", "CH")
            .subject("O", "Acme AG")
            .subject("CN", "déjà.vu.com")
            .dns_name("déjà.vu.com")
            .dns_name("*.example.com")
            .email("ops@example.com")
            .ip("192.0.2.1")
            .ip("2001:db8::1")
            .build(&key)
            .unwrap();
        let back = Csr::from_pem_or_der(csr.to_pem().as_bytes()).unwrap();
        assert_eq!(back, csr);
        let req = CertReq::from_der(csr.der()).unwrap();
        assert_eq!(
            crate::crypto::name::format_name(&req.info.subject),
            "CN=déjà.vu.com,O=Acme AG,C=CH"
        );
        assert_eq!(req.info.attributes.len(), 1);
    }

    #[test]
    fn idn_and_wildcards() {
        assert_eq!(
            dns_to_ascii("déjà.vu.com").as_deref(),
            Some("xn--dj-kia8a.vu.com")
        );
        assert_eq!(
            dns_to_ascii("*.Example.COM.").as_deref(),
            Some("*.example.com")
        );
        assert_eq!(dns_to_ascii("a.*.com"), None);
        assert_eq!(dns_to_ascii("bad name.com"), None);
        assert_eq!(dns_to_ascii(""), None);
    }

    #[test]
    fn bad_input_names_the_field() {
        let key = PrivateKey::generate(KeyKind::EcP256, &mut OsRng).unwrap();
        let cases = [
            (CsrBuilder::new(), "subject"),
            (CsrBuilder::new().subject("XX", "y"), "subject[0]"),
            (
                CsrBuilder::new().subject("CN", "a").dns_name("a b"),
                "dns_names[0]",
            ),
            (
                CsrBuilder::new().subject("CN", "a").email("nope"),
                "emails[0]",
            ),
            (CsrBuilder::new().subject("CN", "a").ip("1.2.3"), "ips[0]"),
            (CsrBuilder::new().subject("C", "Switzerland"), "subject[0]"),
        ];
        for (builder, field) in cases {
            assert_eq!(builder.build(&key).unwrap_err().field(), Some(field));
        }
        assert!(Csr::from_pem_or_der(
            b"-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQU=\n-----END CERTIFICATE REQUEST-----\n"
        )
        .is_err());
    }
}
