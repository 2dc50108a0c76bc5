//! Certificate revocation (RFC 8555 section 7.6), signed either by the
//! account that holds the certificate (`kid`) or by the certificate's own
//! key (`jwk`).

use serde_json::json;

use crate::acme::b64url;
use crate::acme::jws::{AccountKey, KeyRef};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::time::Timestamp;

/// `revokeCert`.
pub struct RevokeCert;

impl RevokeCert {
    /// `{"certificate": base64url(DER), "reason": code}`; `reason` is an RFC
    /// 5280 section 5.3.1 CRLReason (0-10, not 7).
    pub fn payload(certificate: &[u8], reason: Option<u8>) -> Result<Vec<u8>, Error> {
        let der = crate::crypto::pem::certificates_der(certificate)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid_input("certificate", "no certificate"))?;
        let mut p = serde_json::Map::new();
        p.insert("certificate".into(), json!(b64url(&der)));
        if let Some(r) = reason {
            if r > 10 || r == 7 {
                return Err(Error::invalid_input(
                    "reason",
                    "not an RFC 5280 CRLReason code",
                ));
            }
            p.insert("reason".into(), json!(r));
        }
        Ok(serde_json::to_vec(&p).unwrap_or_default())
    }

    /// Signed by the account (`kid`).
    pub fn by_account(
        key: &AccountKey,
        account_url: &str,
        revoke_url: &str,
        certificate: &[u8],
        reason: Option<u8>,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        key.post(
            KeyRef::Kid(account_url),
            revoke_url,
            nonce,
            Some(&Self::payload(certificate, reason)?),
        )
    }

    /// Signed by the certificate's private key (`jwk`).
    pub fn by_certificate_key(
        certificate_key: &AccountKey,
        revoke_url: &str,
        certificate: &[u8],
        reason: Option<u8>,
        nonce: &str,
    ) -> Result<HttpRequest, Error> {
        certificate_key.post(
            KeyRef::Jwk,
            revoke_url,
            nonce,
            Some(&Self::payload(certificate, reason)?),
        )
    }

    /// 200 on success; `alreadyRevoked` and others are typed errors.
    pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<(), Error> {
        crate::acme::problem::check(response, now, "revokeCert")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn payload_and_reason_checks() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(
            String::from_utf8(RevokeCert::payload(&der, Some(4)).unwrap()).unwrap(),
            r#"{"certificate":"MAMCAQU","reason":4}"#
        );
        assert_eq!(
            RevokeCert::payload(&der, Some(7)).unwrap_err().field(),
            Some("reason")
        );
    }
}
