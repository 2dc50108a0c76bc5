//! The ACME account key (ES256/RS256) and the External Account Binding
//! key (RFC 8555 section 7.3.4), as objects that print redacted.

use std::sync::Arc;

use certbridge::acme::{AccountKey, EabKey};

use crate::error::CertbridgeError;

type Result<T> = std::result::Result<T, CertbridgeError>;

/// An ACME account key (ES256 or RS256). An object so that printing it
/// never shows the private key.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct AcmeAccountKey(pub(crate) AccountKey);

impl std::fmt::Display for AcmeAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[uniffi::export]
impl AcmeAccountKey {
    /// A new ES256 (P-256) key from the operating system's random source.
    #[uniffi::constructor]
    pub fn generate() -> Arc<Self> {
        Arc::new(AcmeAccountKey(certbridge::client::generate_account_key()))
    }

    /// A new RS256 key of `bits` (2048 to 4096), for servers that refuse
    /// ES256.
    #[uniffi::constructor]
    pub fn generate_rs256(bits: u32) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeAccountKey(
            certbridge::client::generate_rs256_account_key(bits as usize)?,
        )))
    }

    /// A key from PEM: PKCS#8, SEC1 (`EC PRIVATE KEY`, P-256) or PKCS#1
    /// (`RSA PRIVATE KEY`).
    #[uniffi::constructor]
    pub fn from_pem(pem: String) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeAccountKey(AccountKey::from_pem(&pem)?)))
    }

    /// The private key as PKCS#8 PEM, to store it (a secret: do not log it).
    pub fn to_pkcs8_pem(&self) -> Result<String> {
        Ok(self.0.to_pkcs8_pem()?.expose().to_string())
    }

    /// The JWS algorithm: `ES256` or `RS256`.
    pub fn alg(&self) -> String {
        self.0.alg().to_string()
    }

    /// The public key as a JWK (RFC 7517), JSON text.
    pub fn jwk_json(&self) -> String {
        self.0.jwk().to_string()
    }

    /// The RFC 7638 JWK thumbprint (base64url), the second half of every key
    /// authorization.
    pub fn thumbprint(&self) -> String {
        self.0.thumbprint()
    }
}

/// External Account Binding credentials (RFC 8555 section 7.3.4): the key
/// identifier and the HMAC key, which IdenTrust hands out in padded
/// standard base64 and Pebble in unpadded base64url; any form is accepted.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct AcmeEabKey(pub(crate) EabKey);

impl std::fmt::Display for AcmeEabKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[uniffi::export]
impl AcmeEabKey {
    /// Credentials from the key identifier and the HMAC key in any base64
    /// form (standard or URL-safe, padded or not, with line breaks).
    #[uniffi::constructor]
    pub fn new(kid: String, hmac_key: String) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeEabKey(EabKey::new(&kid, &hmac_key)?)))
    }

    /// Credentials from the raw HMAC key bytes.
    #[uniffi::constructor]
    pub fn from_bytes(kid: String, hmac_key: Vec<u8>) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeEabKey(EabKey::from_bytes(&kid, hmac_key)?)))
    }

    /// The key identifier.
    pub fn kid(&self) -> String {
        self.0.kid().to_string()
    }

    /// The HMAC key normalised to unpadded base64url (a secret).
    pub fn hmac_key_b64url(&self) -> String {
        self.0.hmac_key_b64url().expose().to_string()
    }

    /// The `externalAccountBinding` JWS for `account_key` at
    /// `new_account_url`, JSON text.
    pub fn binding(&self, account_key: Arc<AcmeAccountKey>, new_account_url: String) -> String {
        self.0.binding(&account_key.0, &new_account_url).to_string()
    }

    /// The binding for a public JWK given as JSON text.
    pub fn binding_for_jwk(&self, jwk_json: String, new_account_url: String) -> Result<String> {
        let jwk: serde_json::Value = serde_json::from_str(&jwk_json)
            .map_err(|_| certbridge::Error::invalid_input("jwk", "not JSON"))?;
        Ok(self.0.binding_for_jwk(&jwk, &new_account_url).to_string())
    }
}
