//! Key pairs the simulator generates (the CA's, and Redtrust's server-side
//! keys) and signature creation/verification for the algorithms the three
//! providers use: RSA PKCS#1 v1.5 and ECDSA P-256/P-384 with SHA-2.

use der::{asn1::AnyRef, Decode, Encode};
use rsa::pkcs8::{DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use sha2::Digest;
use signature::hazmat::{PrehashSigner, PrehashVerifier};
use signature::{SignatureEncoding, Signer, Verifier};
use spki::{AlgorithmIdentifierOwned, ObjectIdentifier, SubjectPublicKeyInfoOwned};

use crate::SimError;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// Digest used in a signature (Redtrust `hashType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => sha2::Sha256::digest(msg).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(msg).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(msg).to_vec(),
        }
    }
}

/// What key to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySpec {
    /// RSA with this modulus size.
    Rsa(usize),
    /// ECDSA on NIST P-256.
    P256,
    /// ECDSA on NIST P-384.
    P384,
}

/// A private key held by the simulator.
#[derive(Clone)]
pub enum KeyPair {
    /// RSA.
    Rsa(Box<rsa::RsaPrivateKey>),
    /// ECDSA P-256.
    P256(p256::ecdsa::SigningKey),
    /// ECDSA P-384.
    P384(p384::ecdsa::SigningKey),
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyPair(<redacted>)")
    }
}

impl KeyPair {
    /// Generates a fresh key (RSA generation is slow: call off the reactor).
    pub fn generate(spec: KeySpec) -> Result<Self, SimError> {
        let mut rng = rand::rngs::OsRng;
        Ok(match spec {
            KeySpec::Rsa(bits) => KeyPair::Rsa(Box::new(
                rsa::RsaPrivateKey::new(&mut rng, bits)
                    .map_err(|e| SimError::Crypto(e.to_string()))?,
            )),
            KeySpec::P256 => KeyPair::P256(p256::ecdsa::SigningKey::random(&mut rng)),
            KeySpec::P384 => KeyPair::P384(p384::ecdsa::SigningKey::random(&mut rng)),
        })
    }

    /// DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Result<Vec<u8>, SimError> {
        let doc = match self {
            KeyPair::Rsa(k) => k.to_public_key().to_public_key_der(),
            KeyPair::P256(k) => k.verifying_key().to_public_key_der(),
            KeyPair::P384(k) => k.verifying_key().to_public_key_der(),
        }
        .map_err(|e| SimError::Crypto(e.to_string()))?;
        Ok(doc.as_bytes().to_vec())
    }

    /// Parsed SubjectPublicKeyInfo.
    pub fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, SimError> {
        SubjectPublicKeyInfoOwned::from_der(&self.spki_der()?)
            .map_err(|e| SimError::Crypto(e.to_string()))
    }

    /// PKCS#8 PEM of the private key (only for the sim-only read endpoints).
    pub fn private_pem(&self) -> Result<String, SimError> {
        let pem = match self {
            KeyPair::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
            KeyPair::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            KeyPair::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
        }
        .map_err(|e| SimError::Crypto(e.to_string()))?;
        Ok(pem.to_string())
    }

    /// PKCS#8 DER of the private key (the HTTPS listener's key).
    pub fn pkcs8_der(&self) -> Result<Vec<u8>, SimError> {
        let doc = match self {
            KeyPair::Rsa(k) => k.to_pkcs8_der(),
            KeyPair::P256(k) => k.to_pkcs8_der(),
            KeyPair::P384(k) => k.to_pkcs8_der(),
        }
        .map_err(|e| SimError::Crypto(e.to_string()))?;
        Ok(doc.as_bytes().to_vec())
    }

    /// Signs `msg` with `hash`; returns the signature algorithm and the
    /// signature bytes (DER `ECDSA-Sig-Value` for EC).
    pub fn sign(
        &self,
        hash: Hash,
        msg: &[u8],
    ) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), SimError> {
        let crypto = |e: signature::Error| SimError::Crypto(e.to_string());
        match self {
            KeyPair::Rsa(k) => {
                let key = (**k).clone();
                let (oid, sig) = match hash {
                    Hash::Sha256 => (
                        SHA256_WITH_RSA,
                        rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key)
                            .try_sign(msg)
                            .map_err(crypto)?
                            .to_vec(),
                    ),
                    Hash::Sha384 => (
                        SHA384_WITH_RSA,
                        rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(key)
                            .try_sign(msg)
                            .map_err(crypto)?
                            .to_vec(),
                    ),
                    Hash::Sha512 => (
                        SHA512_WITH_RSA,
                        rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(key)
                            .try_sign(msg)
                            .map_err(crypto)?
                            .to_vec(),
                    ),
                };
                Ok((alg_with_null(oid), sig))
            }
            KeyPair::P256(k) => {
                let sig: p256::ecdsa::Signature =
                    k.sign_prehash(&hash.digest(msg)).map_err(crypto)?;
                Ok((
                    alg_no_params(ecdsa_oid(hash)),
                    sig.to_der().as_bytes().to_vec(),
                ))
            }
            KeyPair::P384(k) => {
                let sig: p384::ecdsa::Signature =
                    k.sign_prehash(&hash.digest(msg)).map_err(crypto)?;
                Ok((
                    alg_no_params(ecdsa_oid(hash)),
                    sig.to_der().as_bytes().to_vec(),
                ))
            }
        }
    }
}

fn ecdsa_oid(hash: Hash) -> ObjectIdentifier {
    match hash {
        Hash::Sha256 => ECDSA_SHA256,
        Hash::Sha384 => ECDSA_SHA384,
        Hash::Sha512 => ECDSA_SHA512,
    }
}

fn alg_with_null(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: Some(AnyRef::NULL.into()),
    }
}

fn alg_no_params(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

/// Verifies a signature made by a client (a CSR's self-signature), so that a
/// client that signs the wrong bytes or names the wrong algorithm is caught.
pub fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    alg: &AlgorithmIdentifierOwned,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), String> {
    let spki_der = spki.to_der().map_err(|e| e.to_string())?;
    let bad = |e: signature::Error| format!("signature does not verify: {e}");
    if spki.algorithm.oid == RSA_ENCRYPTION {
        let key = rsa::RsaPublicKey::from_public_key_der(&spki_der).map_err(|e| e.to_string())?;
        let sig = rsa::pkcs1v15::Signature::try_from(sig).map_err(bad)?;
        return match alg.oid {
            SHA256_WITH_RSA => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                .verify(msg, &sig)
                .map_err(bad),
            SHA384_WITH_RSA => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key)
                .verify(msg, &sig)
                .map_err(bad),
            SHA512_WITH_RSA => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key)
                .verify(msg, &sig)
                .map_err(bad),
            other => Err(format!(
                "unsupported signature algorithm {other} for an RSA key"
            )),
        };
    }
    if spki.algorithm.oid != EC_PUBLIC_KEY {
        return Err(format!(
            "unsupported public key algorithm {}",
            spki.algorithm.oid
        ));
    }
    let hash = match alg.oid {
        ECDSA_SHA256 => Hash::Sha256,
        ECDSA_SHA384 => Hash::Sha384,
        ECDSA_SHA512 => Hash::Sha512,
        other => {
            return Err(format!(
                "unsupported signature algorithm {other} for an EC key"
            ))
        }
    };
    let digest = hash.digest(msg);
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    match curve {
        Some(SECP256R1) => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                .map_err(|e| e.to_string())?;
            let sig = p256::ecdsa::Signature::from_der(sig).map_err(bad)?;
            key.verify_prehash(&digest, &sig).map_err(bad)
        }
        Some(SECP384R1) => {
            let key = p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                .map_err(|e| e.to_string())?;
            let sig = p384::ecdsa::Signature::from_der(sig).map_err(bad)?;
            key.verify_prehash(&digest, &sig).map_err(bad)
        }
        _ => Err("unsupported EC curve (P-256 and P-384 are supported)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_then_verify_each_algorithm_and_reject_tampering() {
        for spec in [KeySpec::P256, KeySpec::P384, KeySpec::Rsa(2048)] {
            let key = KeyPair::generate(spec).unwrap();
            let spki = key.spki().unwrap();
            for hash in [Hash::Sha256, Hash::Sha384, Hash::Sha512] {
                let (alg, sig) = key.sign(hash, b"to be signed").unwrap();
                verify(&spki, &alg, b"to be signed", &sig).unwrap();
                assert!(verify(&spki, &alg, b"to be signeD", &sig).is_err());
            }
        }
    }
}
