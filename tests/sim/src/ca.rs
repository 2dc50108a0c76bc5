//! The simulator's test CA: a root and an issuing CA (both ECDSA P-256),
//! issuing real X.509 certificates for Redtrust's server-side keys and for
//! SwissSign CSRs, and packaging chains as PEM, base64 DER lists or a PKCS#7
//! certs-only SignedData (RFC 5652 §5, the "degenerate" form).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use der::asn1::{BitString, Ia5String, OctetString, SetOfVec, UtcTime};
use der::{Any, Decode, Encode};
use sha1::Digest;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::keys::{Hash, KeyPair, KeySpec};
use crate::names;
use crate::SimError;

fn crypto<E: std::fmt::Display>(e: E) -> SimError {
    SimError::Crypto(e.to_string())
}

/// What a leaf certificate is for.
#[derive(Debug, Clone)]
pub enum LeafKind {
    /// A TLS server certificate with these DNS names (SwissSign).
    Tls(Vec<String>),
    /// A personal certificate (Redtrust / Camerfirma holder).
    Person,
}

/// A certificate the CA issued.
#[derive(Debug, Clone)]
pub struct Issued {
    /// DER bytes.
    pub der: Vec<u8>,
    /// Serial number as upper-case hex without leading zero bytes.
    pub serial_hex: String,
    /// 40 upper-case hex digits: SHA-1 of the DER (Redtrust's thumbprint).
    pub thumbprint: String,
    /// Subject in RFC 4514 form.
    pub subject: String,
    /// notBefore / notAfter as unix seconds.
    pub not_before: u64,
    /// See `not_before`.
    pub not_after: u64,
}

/// Root plus issuing CA.
pub struct TestCa {
    root_der: Vec<u8>,
    issuing_key: KeyPair,
    issuing_cert: Certificate,
    issuing_der: Vec<u8>,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestCa")
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn validity(from: u64, to: u64) -> Result<Validity, SimError> {
    let t = |s: u64| -> Result<Time, SimError> {
        Ok(Time::UtcTime(
            UtcTime::from_unix_duration(Duration::from_secs(s)).map_err(crypto)?,
        ))
    };
    Ok(Validity {
        not_before: t(from)?,
        not_after: t(to)?,
    })
}

fn random_serial() -> Result<SerialNumber, SimError> {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] = (bytes[0] & 0x7f) | 0x10;
    SerialNumber::new(&bytes).map_err(crypto)
}

fn key_id(spki: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    sha1::Sha1::digest(spki.subject_public_key.raw_bytes()).to_vec()
}

fn ext<T: AsExtension>(subject: &Name, value: &T) -> Result<Extension, SimError> {
    value.to_extension(subject, &[]).map_err(crypto)
}

fn sign_tbs(tbs: TbsCertificate, key: &KeyPair) -> Result<Certificate, SimError> {
    let body = tbs.to_der().map_err(crypto)?;
    let (alg, sig) = key.sign(Hash::Sha256, &body)?;
    Ok(Certificate {
        tbs_certificate: tbs,
        signature_algorithm: alg,
        signature: BitString::from_bytes(&sig).map_err(crypto)?,
    })
}

/// Upper-case hex.
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// PEM text of one DER block.
pub fn to_pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

impl TestCa {
    /// Generates a new root and issuing CA.
    pub fn generate() -> Result<Self, SimError> {
        let now = now_secs();
        let root_key = KeyPair::generate(KeySpec::P256)?;
        let root_name = names::build(&[
            ("o".into(), "certbridge-sim".into()),
            ("cn".into(), "certbridge-sim Test Root CA".into()),
        ])
        .map_err(SimError::Crypto)?;
        let root_spki = root_key.spki()?;
        let root_id = key_id(&root_spki);
        let ca_usage = KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign);
        let root_exts = vec![
            ext(
                &root_name,
                &BasicConstraints {
                    ca: true,
                    path_len_constraint: None,
                },
            )?,
            ext(&root_name, &ca_usage)?,
            ext(
                &root_name,
                &SubjectKeyIdentifier(OctetString::new(root_id.clone()).map_err(crypto)?),
            )?,
        ];
        let root = sign_tbs(
            TbsCertificate {
                version: Version::V3,
                serial_number: random_serial()?,
                signature: root_key.sign(Hash::Sha256, b"")?.0,
                issuer: root_name.clone(),
                validity: validity(now - 3600, now + 10 * 365 * 86_400)?,
                subject: root_name.clone(),
                subject_public_key_info: root_spki,
                issuer_unique_id: None,
                subject_unique_id: None,
                extensions: Some(root_exts),
            },
            &root_key,
        )?;

        let issuing_key = KeyPair::generate(KeySpec::P256)?;
        let issuing_name = names::build(&[
            ("o".into(), "certbridge-sim".into()),
            ("cn".into(), "certbridge-sim Issuing CA".into()),
        ])
        .map_err(SimError::Crypto)?;
        let issuing_spki = issuing_key.spki()?;
        let issuing_exts = vec![
            ext(
                &issuing_name,
                &BasicConstraints {
                    ca: true,
                    path_len_constraint: Some(0),
                },
            )?,
            ext(&issuing_name, &ca_usage)?,
            ext(
                &issuing_name,
                &SubjectKeyIdentifier(OctetString::new(key_id(&issuing_spki)).map_err(crypto)?),
            )?,
            ext(&issuing_name, &authority_key_id(root_id)?)?,
        ];
        let issuing_cert = sign_tbs(
            TbsCertificate {
                version: Version::V3,
                serial_number: random_serial()?,
                signature: root_key.sign(Hash::Sha256, b"")?.0,
                issuer: root_name,
                validity: validity(now - 3600, now + 5 * 365 * 86_400)?,
                subject: issuing_name,
                subject_public_key_info: issuing_spki,
                issuer_unique_id: None,
                subject_unique_id: None,
                extensions: Some(issuing_exts),
            },
            &root_key,
        )?;
        Ok(TestCa {
            root_der: root.to_der().map_err(crypto)?,
            issuing_der: issuing_cert.to_der().map_err(crypto)?,
            issuing_key,
            issuing_cert,
        })
    }

    /// The root certificate, PEM.
    pub fn root_pem(&self) -> String {
        to_pem("CERTIFICATE", &self.root_der)
    }

    /// The issuing CA certificate, PEM.
    pub fn issuing_pem(&self) -> String {
        to_pem("CERTIFICATE", &self.issuing_der)
    }

    /// The issuing CA's subject (the `issuerName` of every leaf).
    pub fn issuer_name(&self) -> &Name {
        &self.issuing_cert.tbs_certificate.subject
    }

    /// The issuing CA certificate, DER.
    pub fn issuing_der(&self) -> &[u8] {
        &self.issuing_der
    }

    /// Chain for a leaf: leaf, issuing CA, root (DER each).
    pub fn chain(&self, leaf: &[u8]) -> Vec<Vec<u8>> {
        vec![
            leaf.to_vec(),
            self.issuing_der.clone(),
            self.root_der.clone(),
        ]
    }

    /// Issues a leaf certificate for `spki` with `subject`.
    pub fn issue(
        &self,
        subject: Name,
        spki: SubjectPublicKeyInfoOwned,
        kind: &LeafKind,
        days: u32,
    ) -> Result<Issued, SimError> {
        let now = now_secs();
        let not_before = now - 300;
        let not_after = now + u64::from(days) * 86_400;
        let issuer_spki = &self.issuing_cert.tbs_certificate.subject_public_key_info;
        let is_rsa = spki.algorithm.oid == const_oid::db::rfc5912::RSA_ENCRYPTION;
        let mut usage = KeyUsages::DigitalSignature.into();
        if is_rsa {
            usage |= KeyUsages::KeyEncipherment;
        }
        let mut exts = vec![
            ext(
                &subject,
                &BasicConstraints {
                    ca: false,
                    path_len_constraint: None,
                },
            )?,
            ext(
                &subject,
                &SubjectKeyIdentifier(OctetString::new(key_id(&spki)).map_err(crypto)?),
            )?,
            ext(&subject, &authority_key_id(key_id(issuer_spki))?)?,
        ];
        match kind {
            LeafKind::Tls(dns) => {
                exts.push(ext(&subject, &KeyUsage(usage))?);
                exts.push(ext(
                    &subject,
                    &ExtendedKeyUsage(vec![
                        const_oid::db::rfc5280::ID_KP_SERVER_AUTH,
                        const_oid::db::rfc5280::ID_KP_CLIENT_AUTH,
                    ]),
                )?);
                if !dns.is_empty() {
                    let mut names = Vec::new();
                    for d in dns {
                        names.push(match d.parse::<std::net::IpAddr>() {
                            Ok(std::net::IpAddr::V4(ip)) => GeneralName::IpAddress(
                                OctetString::new(ip.octets().to_vec()).map_err(crypto)?,
                            ),
                            Ok(std::net::IpAddr::V6(ip)) => GeneralName::IpAddress(
                                OctetString::new(ip.octets().to_vec()).map_err(crypto)?,
                            ),
                            Err(_) => GeneralName::DnsName(Ia5String::new(d).map_err(crypto)?),
                        });
                    }
                    exts.push(ext(&subject, &SubjectAltName(names))?);
                }
            }
            LeafKind::Person => {
                usage |= KeyUsages::NonRepudiation;
                exts.push(ext(&subject, &KeyUsage(usage))?);
                exts.push(ext(
                    &subject,
                    &ExtendedKeyUsage(vec![
                        const_oid::db::rfc5280::ID_KP_CLIENT_AUTH,
                        const_oid::db::rfc5280::ID_KP_EMAIL_PROTECTION,
                    ]),
                )?);
            }
        }
        let serial = random_serial()?;
        let serial_hex = hex_upper(
            serial
                .as_bytes()
                .iter()
                .skip_while(|b| **b == 0)
                .copied()
                .collect::<Vec<_>>()
                .as_slice(),
        );
        let subject_text = subject.to_string();
        let cert = sign_tbs(
            TbsCertificate {
                version: Version::V3,
                serial_number: serial,
                signature: self.issuing_key.sign(Hash::Sha256, b"")?.0,
                issuer: self.issuer_name().clone(),
                validity: validity(not_before, not_after)?,
                subject,
                subject_public_key_info: spki,
                issuer_unique_id: None,
                subject_unique_id: None,
                extensions: Some(exts),
            },
            &self.issuing_key,
        )?;
        let der = cert.to_der().map_err(crypto)?;
        Ok(Issued {
            thumbprint: hex_upper(&sha1::Sha1::digest(&der)),
            der,
            serial_hex,
            subject: subject_text,
            not_before,
            not_after,
        })
    }
}

fn authority_key_id(id: Vec<u8>) -> Result<AuthorityKeyIdentifier, SimError> {
    Ok(AuthorityKeyIdentifier {
        key_identifier: Some(OctetString::new(id).map_err(crypto)?),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    })
}

/// A DER PKCS#7 (CMS) certs-only SignedData holding `certs`.
pub fn pkcs7_certs_only(certs: &[Vec<u8>]) -> Result<Vec<u8>, SimError> {
    use cms::cert::CertificateChoices;
    use cms::content_info::{CmsVersion, ContentInfo};
    use cms::signed_data::{CertificateSet, EncapsulatedContentInfo, SignedData, SignerInfos};
    let mut set = SetOfVec::new();
    for der in certs {
        let cert = Certificate::from_der(der).map_err(crypto)?;
        set.insert(CertificateChoices::Certificate(cert))
            .map_err(crypto)?;
    }
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::new(),
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(set)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::new()),
    };
    let ci = ContentInfo {
        content_type: const_oid::db::rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(crypto)?,
    };
    ci.to_der().map_err(crypto)
}
