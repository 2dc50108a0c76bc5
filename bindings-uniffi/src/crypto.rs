//! Keys, CSRs, certificates and HS256 JWTs for foreign languages (core:
//! `certbridge::crypto`, `certbridge::client::generate_key`).
//!
//! A private key is an object: it never prints, and its PKCS#8 PEM comes
//! out only through [`PrivateKey::to_pkcs8_pem`]. The certificate summary
//! is the core's [`Certificate`] record; it is declared here as a remote
//! type because its validity times are `Timestamp`s, which this crate
//! defines (see [`crate::http`]).

use std::collections::HashMap;
use std::sync::Arc;

use certbridge::crypto::certificate::{AltName, Certificate};
use certbridge::crypto::csr::{Csr as CoreCsr, CsrBuilder as CoreCsrBuilder};
use certbridge::crypto::keys::{KeyKind, PrivateKey as CoreKey};
use certbridge::crypto::{jwt, pem, pkcs7};
use certbridge::Timestamp;

use crate::error::CertbridgeError;

type Result<T> = std::result::Result<T, CertbridgeError>;

/// A parsed X.509 certificate (RFC 5280 section 4.1): what an application
/// shows, stores and revokes by.
#[uniffi::remote(Record)]
pub struct Certificate {
    /// Subject DN in RFC 4514 form (`CN=...,O=...,C=..`).
    pub subject: String,
    /// Issuer DN in RFC 4514 form.
    pub issuer: String,
    /// Serial number, upper-case hex without a sign byte (what SwissSign
    /// revokes by and `openssl x509 -serial` prints).
    pub serial_hex: String,
    /// Start of validity (unix milliseconds).
    pub not_before: Timestamp,
    /// End of validity (unix milliseconds).
    pub not_after: Timestamp,
    /// Subject alternative names, in certificate order.
    pub sans: Vec<AltName>,
    /// SHA-1 of the DER, upper-case hex.
    pub sha1_thumbprint: String,
    /// SHA-256 of the DER, upper-case hex.
    pub sha256_thumbprint: String,
    /// Whether basicConstraints says CA.
    pub is_ca: bool,
    /// The certificate as PEM.
    pub pem: String,
}

// ---- certificates -----------------------------------------------------------

/// Parses the first certificate of `input` (PEM, base64 or DER).
#[uniffi::export]
pub fn parse_certificate(input: Vec<u8>) -> Result<Certificate> {
    Ok(Certificate::parse(&input)?)
}

/// Parses every certificate of `input` (PEM blocks, base64 or DER), in
/// order.
#[uniffi::export]
pub fn parse_certificates(input: Vec<u8>) -> Result<Vec<Certificate>> {
    Ok(Certificate::parse_all(&input)?)
}

/// The DER of every certificate in `input` (PEM blocks, base64 or DER).
#[uniffi::export]
pub fn certificates_der(input: Vec<u8>) -> Result<Vec<Vec<u8>>> {
    Ok(pem::certificates_der(&input)?)
}

/// The DER of every certificate in a PKCS#7 `SignedData` bundle (DER, PEM
/// or base64; RFC 2315 section 9.1), in the order the bundle holds them.
#[uniffi::export]
pub fn pkcs7_certificates(input: Vec<u8>) -> Result<Vec<Vec<u8>>> {
    Ok(pkcs7::certificates(&input)?)
}

/// PEM (`CERTIFICATE` blocks, LF line ends) for one DER certificate.
#[uniffi::export]
pub fn certificate_pem(der: Vec<u8>) -> String {
    pem::to_pem("CERTIFICATE", &der)
}

// ---- keys -------------------------------------------------------------------

/// A certificate private key (P-256, P-384, RSA 2048/3072/4096). Prints
/// as its kind only; export it with [`PrivateKey::to_pkcs8_pem`].
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct PrivateKey(pub(crate) CoreKey);

#[uniffi::export]
impl PrivateKey {
    /// A new key of `kind` from the operating system's random source.
    #[uniffi::constructor]
    pub fn generate(kind: KeyKind) -> Result<Arc<Self>> {
        Ok(Arc::new(PrivateKey(certbridge::client::generate_key(
            kind,
        )?)))
    }

    /// Imports a PEM key: PKCS#8 (`PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`)
    /// or PKCS#1 (`RSA PRIVATE KEY`).
    #[uniffi::constructor]
    pub fn from_pem(pem: String) -> Result<Arc<Self>> {
        Ok(Arc::new(PrivateKey(CoreKey::from_pem(&pem)?)))
    }

    /// Imports a PKCS#8 DER key.
    #[uniffi::constructor]
    pub fn from_pkcs8_der(der: Vec<u8>) -> Result<Arc<Self>> {
        Ok(Arc::new(PrivateKey(CoreKey::from_pkcs8_der(&der)?)))
    }

    /// The key's kind.
    pub fn kind(&self) -> KeyKind {
        self.0.kind()
    }

    /// The key as PKCS#8 PEM (a secret: store it, do not log it).
    pub fn to_pkcs8_pem(&self) -> Result<String> {
        Ok(self.0.to_pkcs8_pem()?.expose().to_string())
    }

    /// The public key as DER `SubjectPublicKeyInfo` (RFC 5280 section
    /// 4.1.2.7).
    pub fn public_key_der(&self) -> Result<Vec<u8>> {
        Ok(self.0.public_key_der()?)
    }

    /// The public key's required JWK members (RFC 7517, RFC 7518 section 6):
    /// `kty`, `crv`/`x`/`y` or `e`/`n`.
    pub fn public_jwk(&self) -> Result<HashMap<String, String>> {
        Ok(self
            .0
            .public_jwk()?
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect())
    }
}

// ---- CSRs -------------------------------------------------------------------

/// A DER-encoded PKCS#10 certificate request (RFC 2986).
#[derive(Debug, uniffi::Object)]
pub struct Csr(CoreCsr);

#[uniffi::export]
impl Csr {
    /// Reads a CSR from PEM or DER, checking that it parses.
    #[uniffi::constructor]
    pub fn from_pem_or_der(input: Vec<u8>) -> Result<Arc<Self>> {
        Ok(Arc::new(Csr(CoreCsr::from_pem_or_der(&input)?)))
    }

    /// The DER bytes.
    pub fn der(&self) -> Vec<u8> {
        self.0.der().to_vec()
    }

    /// The request as PEM (`CERTIFICATE REQUEST`).
    pub fn to_pem(&self) -> String {
        self.0.to_pem()
    }
}

/// What goes into a CSR: subject attributes and SANs, then
/// [`CsrBuilder::build`] with the key that will own the certificate. Each
/// setter returns a new builder, so calls chain.
#[derive(Debug, Default, uniffi::Object)]
pub struct CsrBuilder(CoreCsrBuilder);

#[uniffi::export]
impl CsrBuilder {
    /// An empty builder.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(CsrBuilder::default())
    }

    /// Adds a subject attribute (`cn`, `o`, `ou`, `c`, `l`, `st`,
    /// `emailAddress`, ... or a dotted OID), in order.
    pub fn subject(&self, attribute: String, value: String) -> Arc<Self> {
        Arc::new(CsrBuilder(self.0.clone().subject(attribute, value)))
    }

    /// Adds a DNS SAN (Unicode names are written as punycode).
    pub fn dns_name(&self, name: String) -> Arc<Self> {
        Arc::new(CsrBuilder(self.0.clone().dns_name(name)))
    }

    /// Adds an email (rfc822Name) SAN.
    pub fn email(&self, email: String) -> Arc<Self> {
        Arc::new(CsrBuilder(self.0.clone().email(email)))
    }

    /// Adds an IP address SAN (v4 or v6 text form).
    pub fn ip(&self, ip: String) -> Arc<Self> {
        Arc::new(CsrBuilder(self.0.clone().ip(ip)))
    }

    /// Builds and signs the request with `key`.
    pub fn build(&self, key: &PrivateKey) -> Result<Arc<Csr>> {
        Ok(Arc::new(Csr(self.0.build(&key.0)?)))
    }
}

// ---- JWT --------------------------------------------------------------------

/// Signs `claims_json` (a JSON object; keys are sorted) as a compact HS256
/// JWS under `key` (RFC 7519, RFC 7518 section 3.2). The token is a
/// bearer credential.
#[uniffi::export]
pub fn jwt_hs256(claims_json: String, key: Vec<u8>) -> Result<String> {
    Ok(jwt::encode_hs256_json(&claims_json, &key)?
        .expose()
        .to_string())
}

/// The claims of `token` as JSON text, without checking its signature:
/// for reading `exp` only, never to trust a token.
#[uniffi::export]
pub fn jwt_decode_unverified(token: String) -> Result<String> {
    Ok(jwt::decode_unverified(&token)?.to_string())
}

/// Verifies an HS256 `token` under `key` at `now` (`exp`, `nbf`) and
/// returns its claims as JSON text.
#[uniffi::export]
pub fn jwt_verify_hs256(token: String, key: Vec<u8>, now: Timestamp) -> Result<String> {
    Ok(jwt::verify_hs256(&token, &key, now)?.to_string())
}
