//! Whether an issued certificate certifies the key the CSR asked for.
//!
//! A CA (ACME, RFC 8555 section 7.4; SwissSign `/v2/issue/csr/{pma}`)
//! signs the public key of the CSR it was given. A server that answers with
//! a certificate for some other key (a mix-up, a hostile or broken proxy, a
//! replayed chain) would leave the caller with a certificate it holds no
//! private key for, or worse, one whose private key someone else holds; so
//! the leaf's SubjectPublicKeyInfo is compared with the CSR's before the
//! certificate is reported as issued.

use der::asn1::AnyRef;
use der::Decode;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::request::CertReq;

use crate::error::Error;

/// The CSR's public key (PKCS#10 `certificationRequestInfo.subjectPKInfo`,
/// RFC 2986 section 4.1). A CSR that does not decode is an input error: the
/// caller supplied it.
pub fn csr_public_key(csr_der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
    CertReq::from_der(csr_der)
        .map(|r| r.info.public_key)
        .map_err(|_| Error::invalid_input("csr", "not a PKCS#10 certificate request"))
}

/// Checks that the certificate `leaf_der` (from the server, named by
/// `context` in errors) certifies `expected` (from [`csr_public_key`]).
///
/// The algorithm, its parameters (an absent and a NULL parameter count as
/// the same, RFC 4055 section 1.2 allows both for RSA) and the key bits must
/// be equal. A leaf that does not decode, or certifies another key, is a
/// `protocol` error: the server did not issue what was asked.
pub fn check_leaf_key(
    context: &'static str,
    leaf_der: &[u8],
    expected: &SubjectPublicKeyInfoOwned,
) -> Result<(), Error> {
    let leaf = x509_cert::Certificate::from_der(leaf_der)
        .map_err(|_| Error::protocol(context, "the issued certificate does not decode"))?;
    let got = &leaf.tbs_certificate.subject_public_key_info;
    let params = |p: Option<&der::asn1::Any>| match p {
        Some(a) if a.is_null() => None,
        Some(a) => Some(AnyRef::from(a).value().to_vec()),
        None => None,
    };
    let same = got.algorithm.oid == expected.algorithm.oid
        && params(got.algorithm.parameters.as_ref())
            == params(expected.algorithm.parameters.as_ref())
        && got.subject_public_key == expected.subject_public_key;
    if same {
        Ok(())
    } else {
        Err(Error::protocol(
            context,
            "the issued certificate certifies another public key than the CSR's; it is not used",
        ))
    }
}

/// Test PKI: certificates for a given key, signed by nobody in particular
/// (the flows check keys, not signatures; chain verification is the
/// caller's TLS stack's business).
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod testing {
    use std::str::FromStr;

    use der::asn1::BitString;
    use der::Encode;
    use spki::SubjectPublicKeyInfoOwned;
    use x509_cert::certificate::{TbsCertificate, Version};
    use x509_cert::name::Name;
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::time::Validity;

    use crate::crypto::csr::CsrBuilder;
    use crate::crypto::keys::{KeyKind, PrivateKey};

    /// A DER CSR for `name` with a fresh P-256 key.
    pub(crate) fn csr(name: &str) -> Vec<u8> {
        let key = PrivateKey::generate(KeyKind::EcP256, &mut rand_core::OsRng).unwrap();
        CsrBuilder::new()
            .subject("CN", name)
            .dns_name(name)
            .build(&key)
            .unwrap()
            .der()
            .to_vec()
    }

    /// A DER CSR for `name` and a PEM chain (leaf first) for its key.
    pub(crate) fn csr_and_pem_chain(name: &str) -> (Vec<u8>, String) {
        let csr = csr(name);
        let key = super::csr_public_key(&csr).unwrap();
        let pem = chain(key, name)
            .iter()
            .map(|d| crate::crypto::pem::to_pem("CERTIFICATE", d))
            .collect();
        (csr, pem)
    }

    /// A DER certificate `subject` issued by `issuer` for `spki`.
    pub(crate) fn certificate(
        spki: SubjectPublicKeyInfoOwned,
        subject: &str,
        issuer: &str,
    ) -> Vec<u8> {
        let tbs = TbsCertificate {
            version: Version::V3,
            serial_number: SerialNumber::new(&[7]).unwrap(),
            signature: spki.algorithm.clone(),
            issuer: Name::from_str(&format!("CN={issuer}")).unwrap(),
            validity: Validity::from_now(std::time::Duration::from_secs(86_400)).unwrap(),
            subject: Name::from_str(&format!("CN={subject}")).unwrap(),
            subject_public_key_info: spki.clone(),
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: None,
        };
        x509_cert::Certificate {
            tbs_certificate: tbs,
            signature_algorithm: spki.algorithm,
            signature: BitString::from_bytes(&[0; 8]).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    /// A chain leaf first: `subject` for `spki`, issued by a test issuing
    /// CA, issued by a self-signed test root (both with unrelated keys).
    pub(crate) fn chain(spki: SubjectPublicKeyInfoOwned, subject: &str) -> Vec<Vec<u8>> {
        vec![
            certificate(spki, subject, "Test Issuing CA"),
            certificate(other_key(), "Test Issuing CA", "Test Root CA"),
            certificate(other_key(), "Test Root CA", "Test Root CA"),
        ]
    }

    /// The public key of a fresh P-256 key: certifies nothing the tests ask for.
    pub(crate) fn other_key() -> SubjectPublicKeyInfoOwned {
        super::csr_public_key(&csr("other.example")).unwrap()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::testing::{certificate, csr, other_key};
    use super::*;

    #[test]
    fn the_leaf_must_certify_the_csr_key() {
        let csr = csr("www.example.com");
        let key = csr_public_key(&csr).unwrap();
        let good = certificate(key.clone(), "www.example.com", "CA");
        check_leaf_key("certificate", &good, &key).unwrap();
        let bad = certificate(other_key(), "www.example.com", "CA");
        let e = check_leaf_key("certificate", &bad, &key).unwrap_err();
        assert_eq!(e.kind(), "protocol");
        assert!(e.to_string().contains("another public key"), "{e}");
        let e = check_leaf_key("certificate", b"\x30\x03\x02\x01\x05", &key).unwrap_err();
        assert_eq!(e.kind(), "protocol");
        assert_eq!(
            csr_public_key(b"\x30\x00").unwrap_err().field(),
            Some("csr")
        );
    }

    /// RSA keys compare equal whether the algorithm parameters are NULL or
    /// absent (RFC 4055 section 1.2).
    #[test]
    fn rsa_null_and_absent_parameters_are_the_same_key() {
        let pem = include_str!("../../../tests/vectors/keys/acme-rs256-a.pem");
        let der = crate::crypto::keys::PrivateKey::from_pem(pem)
            .unwrap()
            .public_key_der()
            .unwrap();
        let key = SubjectPublicKeyInfoOwned::from_der(&der).unwrap();
        assert!(key.algorithm.parameters.is_some());
        let mut absent = key.clone();
        absent.algorithm.parameters = None;
        check_leaf_key("certificate", &certificate(absent, "x", "CA"), &key).unwrap();
        let e = check_leaf_key("certificate", &certificate(other_key(), "x", "CA"), &key);
        assert_eq!(e.unwrap_err().kind(), "protocol");
    }
}
