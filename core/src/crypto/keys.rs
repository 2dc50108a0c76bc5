//! Private keys generated and held on the caller's side.
//!
//! SwissSign issues from a CSR the client builds (swisssign-ra-api-v2,
//! "Generate private key and CSR"), ACME needs an account key for JWS
//! (RFC 8555 section 6.2) and a certificate key for the finalize CSR. One
//! [`PrivateKey`] type serves all of them: EC P-256 and P-384 and RSA
//! 2048/3072/4096, generated in pure Rust from a caller-supplied RNG, and
//! exchanged as PKCS#8 PEM (RFC 5958), the form `openssl genpkey` writes.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use const_oid::db::rfc5912;
use const_oid::ObjectIdentifier;
use der::Decode;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rand_core::CryptoRngCore;
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use signature::{SignatureEncoding, Signer};

use crate::error::Error;
use crate::secret::Secret;

/// The kinds of key certbridge generates and imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    /// ECDSA on NIST P-256 (secp256r1), signs with SHA-256 (ES256).
    EcP256,
    /// ECDSA on NIST P-384 (secp384r1), signs with SHA-384 (ES384).
    EcP384,
    /// RSA with a 2048-bit modulus, PKCS#1 v1.5 with SHA-256 (RS256).
    Rsa2048,
    /// RSA with a 3072-bit modulus.
    Rsa3072,
    /// RSA with a 4096-bit modulus.
    Rsa4096,
}

impl KeyKind {
    /// Every kind, in a stable order (tests and bindings list them).
    pub const ALL: [KeyKind; 5] = [
        KeyKind::EcP256,
        KeyKind::EcP384,
        KeyKind::Rsa2048,
        KeyKind::Rsa3072,
        KeyKind::Rsa4096,
    ];

    /// The stable name used in vectors and bindings (`ec-p256`, `rsa-2048`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::EcP256 => "ec-p256",
            KeyKind::EcP384 => "ec-p384",
            KeyKind::Rsa2048 => "rsa-2048",
            KeyKind::Rsa3072 => "rsa-3072",
            KeyKind::Rsa4096 => "rsa-4096",
        }
    }

    fn rsa_bits(self) -> Option<usize> {
        match self {
            KeyKind::Rsa2048 => Some(2048),
            KeyKind::Rsa3072 => Some(3072),
            KeyKind::Rsa4096 => Some(4096),
            KeyKind::EcP256 | KeyKind::EcP384 => None,
        }
    }
}

impl std::str::FromStr for KeyKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        KeyKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::invalid_input(
                    "key_kind",
                    "expected ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096",
                )
            })
    }
}

/// The signature algorithm a key signs with, fixed by its kind: the
/// X.509 `AlgorithmIdentifier` (RFC 5758 section 3.2, RFC 4055 section 5)
/// and the JWS `alg` (RFC 7518 section 3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureAlgorithm {
    /// ecdsa-with-SHA256, `ES256`.
    EcdsaSha256,
    /// ecdsa-with-SHA384, `ES384`.
    EcdsaSha384,
    /// sha256WithRSAEncryption, `RS256`.
    RsaPkcs1Sha256,
}

impl SignatureAlgorithm {
    /// The algorithm OID for an X.509 / PKCS#10 `signatureAlgorithm`.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            SignatureAlgorithm::EcdsaSha256 => rfc5912::ECDSA_WITH_SHA_256,
            SignatureAlgorithm::EcdsaSha384 => rfc5912::ECDSA_WITH_SHA_384,
            SignatureAlgorithm::RsaPkcs1Sha256 => rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        }
    }

    /// Whether the `AlgorithmIdentifier` carries an explicit NULL parameter
    /// (RSA does, RFC 4055 section 5; ECDSA omits it, RFC 5758 section 3.2).
    pub fn has_null_parameters(self) -> bool {
        matches!(self, SignatureAlgorithm::RsaPkcs1Sha256)
    }

    /// The JWS `alg` header value (RFC 7518 section 3.1).
    pub fn jws_alg(self) -> &'static str {
        match self {
            SignatureAlgorithm::EcdsaSha256 => "ES256",
            SignatureAlgorithm::EcdsaSha384 => "ES384",
            SignatureAlgorithm::RsaPkcs1Sha256 => "RS256",
        }
    }
}

/// A private key. `Debug` never shows key material; export only through
/// [`PrivateKey::to_pkcs8_pem`], which returns a [`Secret`].
#[derive(Clone)]
pub enum PrivateKey {
    /// NIST P-256.
    EcP256(p256::SecretKey),
    /// NIST P-384.
    EcP384(p384::SecretKey),
    /// RSA; the kind records the modulus size.
    Rsa(KeyKind, Box<rsa::RsaPrivateKey>),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({}, [redacted])", self.kind().as_str())
    }
}

impl PrivateKey {
    /// Generates a fresh key of `kind` from `rng` (the core draws no
    /// randomness of its own). RSA-4096 takes seconds in debug builds.
    pub fn generate(kind: KeyKind, rng: &mut impl CryptoRngCore) -> Result<Self, Error> {
        match kind {
            KeyKind::EcP256 => Ok(PrivateKey::EcP256(p256::SecretKey::random(rng))),
            KeyKind::EcP384 => Ok(PrivateKey::EcP384(p384::SecretKey::random(rng))),
            KeyKind::Rsa2048 | KeyKind::Rsa3072 | KeyKind::Rsa4096 => {
                let bits = kind.rsa_bits().unwrap_or(2048);
                let key = rsa::RsaPrivateKey::new(rng, bits)
                    .map_err(|e| Error::crypto(format!("RSA key generation failed: {e}")))?;
                Ok(PrivateKey::Rsa(kind, Box::new(key)))
            }
        }
    }

    /// The key's kind.
    pub fn kind(&self) -> KeyKind {
        match self {
            PrivateKey::EcP256(_) => KeyKind::EcP256,
            PrivateKey::EcP384(_) => KeyKind::EcP384,
            PrivateKey::Rsa(kind, _) => *kind,
        }
    }

    /// The algorithm [`PrivateKey::sign`] and [`PrivateKey::sign_jws`] use.
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        match self {
            PrivateKey::EcP256(_) => SignatureAlgorithm::EcdsaSha256,
            PrivateKey::EcP384(_) => SignatureAlgorithm::EcdsaSha384,
            PrivateKey::Rsa(..) => SignatureAlgorithm::RsaPkcs1Sha256,
        }
    }

    /// Imports a key from PEM: PKCS#8 `PRIVATE KEY` (RFC 5958, what
    /// `openssl genpkey` writes), SEC1 `EC PRIVATE KEY` (RFC 5915) or PKCS#1
    /// `RSA PRIVATE KEY` (RFC 8017 appendix A.1.2). Encrypted keys are
    /// refused: decrypt them first.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let field = "private_key";
        let (label, der) = pem_rfc7468::decode_vec(pem.trim().as_bytes())
            .map_err(|_| Error::invalid_input(field, "not a PEM block"))?;
        let der = zeroize::Zeroizing::new(der);
        match label {
            "PRIVATE KEY" => Self::from_pkcs8_der(&der),
            "EC PRIVATE KEY" => {
                if let Ok(k) = p256::SecretKey::from_sec1_der(&der) {
                    return Ok(PrivateKey::EcP256(k));
                }
                p384::SecretKey::from_sec1_der(&der)
                    .map(PrivateKey::EcP384)
                    .map_err(|_| Error::invalid_input(field, "EC key is not on P-256 or P-384"))
            }
            "RSA PRIVATE KEY" => {
                use rsa::pkcs1::DecodeRsaPrivateKey;
                let key = rsa::RsaPrivateKey::from_pkcs1_der(&der)
                    .map_err(|_| Error::invalid_input(field, "malformed PKCS#1 RSA key"))?;
                Self::from_rsa(key)
            }
            "ENCRYPTED PRIVATE KEY" => Err(Error::invalid_input(
                field,
                "encrypted keys are not supported; decrypt the key first",
            )),
            _ => Err(Error::invalid_input(
                field,
                "PEM block is not a private key",
            )),
        }
    }

    /// Imports a PKCS#8 PEM key; an alias of [`PrivateKey::from_pem`] named
    /// after the export.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, Error> {
        Self::from_pem(pem)
    }

    /// Imports a DER `PrivateKeyInfo` (RFC 5958 section 2).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let field = "private_key";
        let info = pkcs8::PrivateKeyInfo::from_der(der)
            .map_err(|_| Error::invalid_input(field, "malformed PKCS#8 PrivateKeyInfo"))?;
        let alg = info.algorithm.oid;
        if alg == rfc5912::ID_EC_PUBLIC_KEY {
            let curve = info.algorithm.parameters_oid().ok();
            if curve == Some(rfc5912::SECP_256_R_1) {
                p256::SecretKey::from_pkcs8_der(der)
                    .map(PrivateKey::EcP256)
                    .map_err(|_| Error::invalid_input(field, "malformed P-256 key"))
            } else if curve == Some(rfc5912::SECP_384_R_1) {
                p384::SecretKey::from_pkcs8_der(der)
                    .map(PrivateKey::EcP384)
                    .map_err(|_| Error::invalid_input(field, "malformed P-384 key"))
            } else {
                Err(Error::invalid_input(
                    field,
                    "EC curve not supported (P-256 and P-384 are)",
                ))
            }
        } else if alg == rfc5912::RSA_ENCRYPTION {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(der)
                .map_err(|_| Error::invalid_input(field, "malformed RSA key"))?;
            Self::from_rsa(key)
        } else {
            Err(Error::invalid_input(
                field,
                format!("key algorithm {alg} not supported"),
            ))
        }
    }

    fn from_rsa(key: rsa::RsaPrivateKey) -> Result<Self, Error> {
        let kind = match key.n().bits() {
            2048 => KeyKind::Rsa2048,
            3072 => KeyKind::Rsa3072,
            4096 => KeyKind::Rsa4096,
            _ => {
                return Err(Error::invalid_input(
                    "private_key",
                    "RSA modulus must be 2048, 3072 or 4096 bits",
                ))
            }
        };
        key.validate()
            .map_err(|_| Error::invalid_input("private_key", "inconsistent RSA key"))?;
        Ok(PrivateKey::Rsa(kind, Box::new(key)))
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, LF line ends),
    /// ready for `openssl pkey -in`.
    pub fn to_pkcs8_pem(&self) -> Result<Secret, Error> {
        let pem = match self {
            PrivateKey::EcP256(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::EcP384(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::Rsa(_, k) => k.to_pkcs8_pem(LineEnding::LF),
        }
        .map_err(|e| Error::crypto(format!("PKCS#8 encoding failed: {e}")))?;
        Ok(Secret::new(pem.as_str()))
    }

    /// The public key as DER `SubjectPublicKeyInfo` (RFC 5280 section
    /// 4.1.2.7): what a CSR carries and what certificates are matched on.
    pub fn public_key_der(&self) -> Result<Vec<u8>, Error> {
        let doc = match self {
            PrivateKey::EcP256(k) => k.public_key().to_public_key_der(),
            PrivateKey::EcP384(k) => k.public_key().to_public_key_der(),
            PrivateKey::Rsa(_, k) => k.to_public_key().to_public_key_der(),
        }
        .map_err(|e| Error::crypto(format!("SPKI encoding failed: {e}")))?;
        Ok(doc.into_vec())
    }

    /// Signs `message` for X.509 and PKCS#10: ECDSA signatures DER-encoded
    /// (RFC 5758 section 3.2), RSA PKCS#1 v1.5 (RFC 8017 section 8.2).
    /// The hash is fixed by the kind (see [`PrivateKey::signature_algorithm`]).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            PrivateKey::EcP256(k) => Ok(ecdsa_p256(k, message)?.to_der().to_vec()),
            PrivateKey::EcP384(k) => Ok(ecdsa_p384(k, message)?.to_der().to_vec()),
            PrivateKey::Rsa(_, k) => rsa_pkcs1_sha256(k, message),
        }
    }

    /// Signs `message` for JWS (RFC 7518 section 3): ECDSA as the fixed
    /// `r || s` concatenation (64 bytes for ES256, 96 for ES384), RSA as
    /// PKCS#1 v1.5 with SHA-256 (RS256).
    pub fn sign_jws(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            PrivateKey::EcP256(k) => Ok(ecdsa_p256(k, message)?.to_bytes().to_vec()),
            PrivateKey::EcP384(k) => Ok(ecdsa_p384(k, message)?.to_bytes().to_vec()),
            PrivateKey::Rsa(_, k) => rsa_pkcs1_sha256(k, message),
        }
    }

    /// The public key as the required members of a JWK (RFC 7517, RFC 7518
    /// section 6), sorted by name: serialising the map gives exactly the
    /// RFC 7638 thumbprint input.
    pub fn public_jwk(&self) -> Result<BTreeMap<&'static str, String>, Error> {
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let mut jwk = BTreeMap::new();
        match self {
            PrivateKey::EcP256(k) => {
                use p256::elliptic_curve::sec1::ToEncodedPoint;
                let point = k.public_key().to_encoded_point(false);
                let (x, y) = point
                    .x()
                    .zip(point.y())
                    .ok_or_else(|| Error::crypto("JWK: P-256 public key is the identity"))?;
                jwk.insert("crv", "P-256".to_string());
                jwk.insert("kty", "EC".to_string());
                jwk.insert("x", b64(x));
                jwk.insert("y", b64(y));
            }
            PrivateKey::EcP384(k) => {
                use p384::elliptic_curve::sec1::ToEncodedPoint;
                let point = k.public_key().to_encoded_point(false);
                let (x, y) = point
                    .x()
                    .zip(point.y())
                    .ok_or_else(|| Error::crypto("JWK: P-384 public key is the identity"))?;
                jwk.insert("crv", "P-384".to_string());
                jwk.insert("kty", "EC".to_string());
                jwk.insert("x", b64(x));
                jwk.insert("y", b64(y));
            }
            PrivateKey::Rsa(_, k) => {
                jwk.insert("e", b64(&k.e().to_bytes_be()));
                jwk.insert("kty", "RSA".to_string());
                jwk.insert("n", b64(&k.n().to_bytes_be()));
            }
        }
        Ok(jwk)
    }
}

/// ECDSA P-256 with SHA-256, deterministic nonces (RFC 6979).
fn ecdsa_p256(key: &p256::SecretKey, message: &[u8]) -> Result<p256::ecdsa::Signature, Error> {
    p256::ecdsa::SigningKey::from(key)
        .try_sign(message)
        .map_err(|e| Error::crypto(format!("ECDSA signing failed: {e}")))
}

/// ECDSA P-384 with SHA-384, deterministic nonces (RFC 6979).
fn ecdsa_p384(key: &p384::SecretKey, message: &[u8]) -> Result<p384::ecdsa::Signature, Error> {
    p384::ecdsa::SigningKey::from(key)
        .try_sign(message)
        .map_err(|e| Error::crypto(format!("ECDSA signing failed: {e}")))
}

/// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 section 8.2), blinded with the
/// OS RNG. `rsa` 0.9's plain `Signer` computes the private-key operation
/// without blinding, which leaks timing about the key (RUSTSEC-2023-0071,
/// the Marvin attack, is about exactly that operation); its
/// `RandomizedSigner` blinds it. PKCS#1 v1.5 is deterministic, so the
/// signature bytes are the same either way (issue 14, item 7).
pub(crate) fn rsa_pkcs1_sha256(key: &rsa::RsaPrivateKey, message: &[u8]) -> Result<Vec<u8>, Error> {
    rsa_pkcs1_sha256_with(key, &mut rand_core::OsRng, message)
}

fn rsa_pkcs1_sha256_with(
    key: &rsa::RsaPrivateKey,
    rng: &mut impl CryptoRngCore,
    message: &[u8],
) -> Result<Vec<u8>, Error> {
    use signature::RandomizedSigner as _;
    rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone())
        .try_sign_with_rng(rng, message)
        .map(|sig| sig.to_vec())
        .map_err(|e| Error::crypto(format!("RSA signing failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the bytes drawn from the OS RNG.
    struct CountingRng(usize);
    impl rand_core::RngCore for CountingRng {
        fn next_u32(&mut self) -> u32 {
            self.0 += 4;
            rand_core::OsRng.next_u32()
        }
        fn next_u64(&mut self) -> u64 {
            self.0 += 8;
            rand_core::OsRng.next_u64()
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            self.0 += dest.len();
            rand_core::OsRng.fill_bytes(dest)
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.0 += dest.len();
            rand_core::OsRng.try_fill_bytes(dest)
        }
    }
    impl rand_core::CryptoRng for CountingRng {}

    #[test]
    fn rsa_signatures_are_blinded_yet_unchanged() {
        use signature::Verifier as _;
        let key = PrivateKey::generate(KeyKind::Rsa2048, &mut OsRng).unwrap();
        let PrivateKey::Rsa(_, rsa_key) = &key else {
            panic!("not RSA")
        };
        let mut rng = CountingRng(0);
        let blinded = rsa_pkcs1_sha256_with(rsa_key, &mut rng, b"tbs").unwrap();
        // The blinding factor came from the RNG ...
        assert!(rng.0 >= 256, "drew {} bytes", rng.0);
        // ... and PKCS#1 v1.5 stays deterministic: the same bytes as the
        // unblinded computation, and what `sign` (OS RNG) returns.
        let plain = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new((**rsa_key).clone())
            .sign(b"tbs")
            .to_vec();
        assert_eq!(blinded, plain);
        assert_eq!(key.sign(b"tbs").unwrap(), plain);
        let verifier = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(rsa_key.to_public_key());
        let sig = rsa::pkcs1v15::Signature::try_from(blinded.as_slice()).unwrap();
        verifier.verify(b"tbs", &sig).unwrap();
    }
    use rand_core::OsRng;

    #[test]
    fn ec_keys_round_trip_and_sign() {
        for kind in [KeyKind::EcP256, KeyKind::EcP384] {
            let key = PrivateKey::generate(kind, &mut OsRng).unwrap();
            let pem = key.to_pkcs8_pem().unwrap();
            assert!(pem.expose().starts_with("-----BEGIN PRIVATE KEY-----\n"));
            let back = PrivateKey::from_pkcs8_pem(pem.expose()).unwrap();
            assert_eq!(back.kind(), kind);
            assert_eq!(
                back.public_key_der().unwrap(),
                key.public_key_der().unwrap()
            );
            let raw = key.sign_jws(b"msg").unwrap();
            assert_eq!(raw.len(), if kind == KeyKind::EcP256 { 64 } else { 96 });
            // DER ECDSA-Sig-Value is a SEQUENCE.
            assert_eq!(key.sign(b"msg").unwrap()[0], 0x30);
            assert!(!format!("{key:?}").contains(&pem.expose()[30..40]));
        }
    }

    #[test]
    fn rsa_2048_round_trip_and_deterministic_signature() {
        let key = PrivateKey::generate(KeyKind::Rsa2048, &mut OsRng).unwrap();
        let pem = key.to_pkcs8_pem().unwrap();
        let back = PrivateKey::from_pem(pem.expose()).unwrap();
        assert_eq!(back.kind(), KeyKind::Rsa2048);
        assert_eq!(key.sign(b"x").unwrap(), back.sign(b"x").unwrap());
        assert_eq!(key.sign(b"x").unwrap().len(), 256);
        let jwk = key.public_jwk().unwrap();
        assert_eq!(jwk.keys().copied().collect::<Vec<_>>(), ["e", "kty", "n"]);
        assert_eq!(jwk["e"], "AQAB");
    }

    #[test]
    fn bad_pem_is_a_typed_error() {
        for bad in [
            "",
            "junk",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAMCAQU=\n-----END ENCRYPTED PRIVATE KEY-----\n",
        ] {
            let err = PrivateKey::from_pem(bad).unwrap_err();
            assert_eq!(err.kind(), "invalid_input");
            assert_eq!(err.field(), Some("private_key"));
        }
        assert_eq!("RSA-3072".parse::<KeyKind>().ok(), Some(KeyKind::Rsa3072));
        assert!("dsa".parse::<KeyKind>().is_err());
    }
}
