//! External Account Binding (RFC 8555 section 7.3.4).
//!
//! The CA hands out a key identifier and an HMAC key; newAccount then carries
//! an HS256 JWS over the account's public JWK, signed with that key. IdenTrust
//! returns the key as padded standard base64 (identrust-reseller-acme.txt,
//! "An example response") while ACME tooling and Pebble expect unpadded
//! base64url, and about three keys in four contain `+` or `/`: every base64
//! form is accepted here and normalised to bytes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::acme::b64url;
use crate::acme::jws::{canonical_jwk, AccountKey};
use crate::crypto::digest::hmac_sha256;
use crate::error::Error;
use crate::secret::SecretBytes;

/// An EAB credential: key identifier and decoded HMAC key.
#[derive(Clone, Debug)]
pub struct EabKey {
    kid: String,
    hmac_key: SecretBytes,
}

impl EabKey {
    /// Builds a credential from a `kid` and an HMAC key in any base64 form:
    /// standard or URL-safe alphabet, padded or not, with or without line
    /// breaks. A key that does not decode is an input error naming `hmac_key`.
    pub fn new(kid: &str, hmac_key: &str) -> Result<Self, Error> {
        let kid = kid.trim();
        if kid.is_empty() {
            return Err(Error::invalid_input(
                "kid",
                "the EAB key identifier is empty",
            ));
        }
        Ok(EabKey {
            kid: kid.to_string(),
            hmac_key: decode_any_base64(hmac_key)?,
        })
    }

    /// A credential from raw key bytes.
    pub fn from_bytes(kid: &str, hmac_key: Vec<u8>) -> Result<Self, Error> {
        if hmac_key.is_empty() {
            return Err(Error::invalid_input(
                "hmac_key",
                "the EAB HMAC key is empty",
            ));
        }
        let kid = kid.trim();
        if kid.is_empty() {
            return Err(Error::invalid_input(
                "kid",
                "the EAB key identifier is empty",
            ));
        }
        Ok(EabKey {
            kid: kid.to_string(),
            hmac_key: SecretBytes::new(hmac_key),
        })
    }

    /// The key identifier.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The HMAC key in the normal ACME form, unpadded base64url (what lego's
    /// `--hmac` and Pebble's config take). This exposes the secret.
    pub fn hmac_key_b64url(&self) -> crate::secret::Secret {
        crate::secret::Secret::new(b64url(self.hmac_key.expose()))
    }

    /// The `externalAccountBinding` member of a newAccount payload: a
    /// flattened JWS with protected `{"alg":"HS256","kid":..,"url":..}`,
    /// payload the account JWK, MAC over both (RFC 8555 section 7.3.4).
    pub fn binding(&self, account_key: &AccountKey, new_account_url: &str) -> Value {
        self.binding_for_jwk(&account_key.jwk(), new_account_url)
    }

    /// [`EabKey::binding`] for a public JWK given as JSON (what other
    /// languages and the vectors hold).
    pub fn binding_for_jwk(&self, account_jwk: &Value, new_account_url: &str) -> Value {
        let header = json!({"alg": "HS256", "kid": self.kid, "url": new_account_url});
        let protected = b64url(canonical_jwk(&header).as_bytes());
        let payload = b64url(canonical_jwk(account_jwk).as_bytes());
        let mac = hmac_sha256(
            self.hmac_key.expose(),
            format!("{protected}.{payload}").as_bytes(),
        );
        json!({"protected": protected, "payload": payload, "signature": b64url(&mac)})
    }
}

/// Decodes base64 in any alphabet and padding (RFC 4648 sections 4 and 5).
pub fn decode_any_base64(text: &str) -> Result<SecretBytes, Error> {
    let normalised: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    let trimmed = normalised.trim_end_matches('=');
    if trimmed.is_empty() {
        return Err(Error::invalid_input(
            "hmac_key",
            "the EAB HMAC key is empty",
        ));
    }
    if trimmed.contains('=') {
        return Err(Error::invalid_input(
            "hmac_key",
            "padding inside the base64 text",
        ));
    }
    let bytes = URL_SAFE_NO_PAD.decode(trimmed.as_bytes()).map_err(|_| {
        Error::invalid_input(
            "hmac_key",
            "not base64 (standard or URL-safe, padded or not)",
        )
    })?;
    Ok(SecretBytes::new(bytes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn every_base64_form_gives_the_same_key() {
        // The key of the IdenTrust seed's example response.
        let forms = [
            "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg=",
            "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg",
            " VL0adReIGO1c3XIyLxi6\nKlj7qNKEGk8INky7GwPkSeg= ",
        ];
        for f in forms {
            let k = EabKey::new("kid-1", f).unwrap();
            assert_eq!(
                k.hmac_key_b64url().expose(),
                "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg"
            );
        }
        let std = EabKey::new("k", "+/+/").unwrap();
        let url = EabKey::new("k", "-_-_").unwrap();
        assert_eq!(std.hmac_key.expose(), url.hmac_key.expose());
    }

    #[test]
    fn undecodable_keys_are_input_errors() {
        for bad in ["", "===", "ab*d", "a", "ab=c"] {
            let e = EabKey::new("kid", bad).unwrap_err();
            assert_eq!((e.kind(), e.field()), ("invalid_input", Some("hmac_key")));
        }
        assert_eq!(EabKey::new(" ", "AAAA").unwrap_err().field(), Some("kid"));
    }
}
