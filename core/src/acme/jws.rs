//! JSON Web Signatures for ACME requests (RFC 8555 section 6.2, RFC 7515).
//!
//! Every ACME POST body is a flattened JWS JSON object whose protected header
//! carries `alg`, `nonce`, `url` and exactly one of `kid` (the account URL) or
//! `jwk` (the public key, only for newAccount and certificate-key revocation).
//! Account keys are ES256 (P-256, the default) or RS256 (RSA PKCS#1 v1.5).

use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::{EncodePrivateKey as _, LineEnding};
use rsa::traits::PublicKeyParts as _;
use serde_json::{json, Value};

use crate::acme::{b64url, JOSE_JSON};
use crate::crypto::digest::sha256;
use crate::crypto::keys::PrivateKey;
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::secret::Secret;

/// An ACME account key (or a certificate key used to revoke, RFC 8555
/// section 7.6). Debug never shows the private half.
#[derive(Clone)]
pub enum AccountKey {
    /// ECDSA P-256 with SHA-256, signature as raw `r || s` (RFC 7518 section 3.4).
    Es256(p256::ecdsa::SigningKey),
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 section 3.3).
    Rs256(Box<rsa::RsaPrivateKey>),
}

impl std::fmt::Debug for AccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AccountKey({}, [redacted])", self.alg())
    }
}

/// Which header identifies the signer (RFC 8555 section 6.2): `kid` for a
/// registered account, `jwk` for newAccount and revocation by certificate key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRef<'a> {
    /// The account URL.
    Kid(&'a str),
    /// The public key itself.
    Jwk,
}

impl AccountKey {
    /// A fresh P-256 key: the default account key type.
    pub fn generate_es256(rng: &mut impl rand_core::CryptoRngCore) -> Self {
        AccountKey::Es256(p256::ecdsa::SigningKey::random(rng))
    }

    /// A fresh RSA key of `bits` (2048 to 4096).
    pub fn generate_rs256(
        rng: &mut impl rand_core::CryptoRngCore,
        bits: usize,
    ) -> Result<Self, Error> {
        if !(2048..=4096).contains(&bits) {
            return Err(Error::invalid_input(
                "bits",
                "RSA account keys must have 2048 to 4096 bits",
            ));
        }
        rsa::RsaPrivateKey::new(rng, bits)
            .map(|k| AccountKey::Rs256(Box::new(k)))
            .map_err(|_| Error::crypto("RSA key generation failed"))
    }

    /// Imports a PEM private key: PKCS#8 (`PRIVATE KEY`) for P-256 or RSA,
    /// SEC1 (`EC PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`). It goes
    /// through [`PrivateKey::from_pem`], so account keys meet the same rules
    /// as certificate keys: RSA moduli of 2048, 3072 or 4096 bits only (no
    /// RSA-1024), a consistent RSA key, P-256 (P-384 is a certificate key
    /// kind, not an account key here). Errors name the field `key`.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let key = PrivateKey::from_pem(pem).map_err(|e| match e {
            Error::InvalidInput { reason, .. } => Error::InvalidInput {
                field: "key".into(),
                reason,
            },
            other => other,
        })?;
        match key {
            PrivateKey::EcP256(k) => Ok(AccountKey::Es256(k.into())),
            PrivateKey::Rsa(_, k) => Ok(AccountKey::Rs256(k)),
            PrivateKey::EcP384(_) => Err(Error::invalid_input(
                "key",
                "P-384 account keys are not supported; use P-256 or RSA",
            )),
        }
    }

    /// Alias of [`AccountKey::from_pem`] for PKCS#8 text.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, Error> {
        Self::from_pem(pem)
    }

    /// Exports the private key as PKCS#8 PEM, held in a [`Secret`].
    pub fn to_pkcs8_pem(&self) -> Result<Secret, Error> {
        let pem = match self {
            AccountKey::Es256(k) => k.to_pkcs8_pem(LineEnding::LF),
            AccountKey::Rs256(k) => k.to_pkcs8_pem(LineEnding::LF),
        }
        .map_err(|_| Error::crypto("PKCS#8 encoding failed"))?;
        Ok(Secret::new(pem.as_str()))
    }

    /// The JWS `alg` name.
    pub fn alg(&self) -> &'static str {
        match self {
            AccountKey::Es256(_) => "ES256",
            AccountKey::Rs256(_) => "RS256",
        }
    }

    /// The public key as a JWK with exactly the required members in
    /// lexicographic order, which is also the RFC 7638 thumbprint input.
    pub fn jwk(&self) -> Value {
        match self {
            AccountKey::Es256(k) => {
                let point = k.verifying_key().to_encoded_point(false);
                let x = point.x().map(|x| b64url(x)).unwrap_or_default();
                let y = point.y().map(|y| b64url(y)).unwrap_or_default();
                json!({"crv": "P-256", "kty": "EC", "x": x, "y": y})
            }
            AccountKey::Rs256(k) => json!({
                "e": b64url(&k.e().to_bytes_be()),
                "kty": "RSA",
                "n": b64url(&k.n().to_bytes_be()),
            }),
        }
    }

    /// RFC 7638 JWK thumbprint (SHA-256, base64url): the suffix of every key
    /// authorization (RFC 8555 section 8.1).
    pub fn thumbprint(&self) -> String {
        b64url(&sha256(canonical_jwk(&self.jwk()).as_bytes()))
    }

    /// Signs `message` with the key's algorithm.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            AccountKey::Es256(k) => {
                let sig: p256::ecdsa::Signature = k
                    .try_sign(message)
                    .map_err(|_| Error::crypto("ES256 signing failed"))?;
                Ok(sig.to_bytes().to_vec())
            }
            AccountKey::Rs256(k) => crate::crypto::keys::rsa_pkcs1_sha256(k, message),
        }
    }

    /// A flattened JWS (RFC 7515 section 7.2.2) over `payload`; `None` is
    /// POST-as-GET, whose payload is the empty string (RFC 8555 section 6.3).
    /// `nonce` is left out only for the inner JWS of a key change.
    pub fn jws(
        &self,
        key_ref: KeyRef<'_>,
        url: &str,
        nonce: Option<&str>,
        payload: Option<&[u8]>,
    ) -> Result<Value, Error> {
        let mut header = serde_json::Map::new();
        header.insert("alg".into(), json!(self.alg()));
        match key_ref {
            KeyRef::Kid(kid) => header.insert("kid".into(), json!(kid)),
            KeyRef::Jwk => header.insert("jwk".into(), self.jwk()),
        };
        if let Some(nonce) = nonce {
            header.insert("nonce".into(), json!(nonce));
        }
        header.insert("url".into(), json!(url));
        let protected = b64url(&serde_json::to_vec(&Value::Object(header)).unwrap_or_default());
        let payload = payload.map(b64url).unwrap_or_default();
        let signature = self.sign(format!("{protected}.{payload}").as_bytes())?;
        Ok(json!({
            "protected": protected,
            "payload": payload,
            "signature": b64url(&signature),
        }))
    }

    /// A complete ACME POST: JWS body with `Content-Type: application/jose+json`.
    pub fn post(
        &self,
        key_ref: KeyRef<'_>,
        url: &str,
        nonce: &str,
        payload: Option<&[u8]>,
    ) -> Result<HttpRequest, Error> {
        let body = self.jws(key_ref, url, Some(nonce), payload)?;
        Ok(HttpRequest::new(Method::Post, url)
            .body(JOSE_JSON, serde_json::to_vec(&body).unwrap_or_default()))
    }
}

/// The JWK serialised with no whitespace and members in lexicographic order
/// (RFC 7638 section 3.3). Sorted explicitly so that a serde_json build with
/// `preserve_order` cannot change a thumbprint.
pub(crate) fn canonical_jwk(jwk: &Value) -> String {
    let Some(map) = jwk.as_object() else {
        return serde_json::to_string(jwk).unwrap_or_default();
    };
    let mut members: Vec<_> = map.iter().collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    let parts: Vec<String> = members
        .into_iter()
        .map(|(k, v)| format!("{}:{}", json!(k), v))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Verifies a flattened JWS made by [`AccountKey::jws`] with the public JWK in
/// its own header or the given key; for tests and vectors (ES256 signatures are
/// checked rather than compared byte for byte).
pub fn verify(jws: &Value, key: &AccountKey) -> Result<(Value, Vec<u8>), Error> {
    use base64::Engine as _;
    let part = |name: &str| {
        jws.get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| Error::protocol("jws", format!("no {name}")))
    };
    let (protected, payload, signature) =
        (part("protected")?, part("payload")?, part("signature")?);
    let dec = |s: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| Error::protocol("jws", "not base64url"))
    };
    let header: Value = serde_json::from_slice(&dec(protected)?)
        .map_err(|_| Error::protocol("jws", "protected header is not JSON"))?;
    let sig = dec(signature)?;
    let message = format!("{protected}.{payload}");
    let ok = match key {
        AccountKey::Es256(k) => {
            use p256::ecdsa::signature::Verifier as _;
            p256::ecdsa::Signature::from_slice(&sig)
                .ok()
                .is_some_and(|s| k.verifying_key().verify(message.as_bytes(), &s).is_ok())
        }
        AccountKey::Rs256(k) => {
            use rsa::signature::Verifier as _;
            let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k.to_public_key());
            rsa::pkcs1v15::Signature::try_from(sig.as_slice())
                .ok()
                .is_some_and(|s| vk.verify(message.as_bytes(), &s).is_ok())
        }
    };
    if !ok {
        return Err(Error::crypto("JWS signature does not verify"));
    }
    Ok((header, dec(payload)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn es256_round_trip_and_header_shape() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let jws = key
            .jws(
                KeyRef::Kid("https://a/acct/1"),
                "https://a/order",
                Some("n1"),
                Some(b"{}"),
            )
            .unwrap();
        let (header, payload) = verify(&jws, &key).unwrap();
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["kid"], "https://a/acct/1");
        assert!(header.get("jwk").is_none());
        assert_eq!(payload, b"{}");
        let sig = jws["signature"].as_str().unwrap();
        assert_eq!(sig.len(), 86); // 64 bytes raw r||s
        let pem = key.to_pkcs8_pem().unwrap();
        let back = AccountKey::from_pem(pem.expose()).unwrap();
        assert_eq!(back.thumbprint(), key.thumbprint());
        let get = key
            .jws(KeyRef::Jwk, "https://a/x", Some("n"), None)
            .unwrap();
        assert_eq!(get["payload"], "");
        let (h, _) = verify(&get, &key).unwrap();
        assert_eq!(h["jwk"]["kty"], "EC");
    }

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 section 3.1: the example RSA key's thumbprint.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let jwk = json!({"e": "AQAB", "kty": "RSA", "n": n});
        assert_eq!(
            b64url(&sha256(canonical_jwk(&jwk).as_bytes())),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn garbage_pem_is_input_error() {
        assert_eq!(
            AccountKey::from_pem("nope").unwrap_err().kind(),
            "invalid_input"
        );
    }
}
