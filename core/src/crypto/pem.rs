//! PEM and DER for certificates, and certificate thumbprints.

use base64::Engine as _;

use crate::crypto::digest::{hex_upper, sha1, sha256};
use crate::error::Error;

/// The DER certificates in `input`: one or more PEM `CERTIFICATE` blocks
/// (text around them is ignored, as in a chain file), a bare base64 DER
/// certificate (Redtrust and SwissSign send these), or raw DER.
pub fn certificates_der(input: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    if input.first() == Some(&0x30) {
        return Ok(vec![input.to_vec()]);
    }
    let text = std::str::from_utf8(input)
        .map_err(|_| Error::invalid_input("certificate", "neither DER nor PEM text"))?;
    if text.contains("-----BEGIN") {
        let blocks = pem_blocks(text, "CERTIFICATE")?;
        if blocks.is_empty() {
            return Err(Error::invalid_input(
                "certificate",
                "no CERTIFICATE block in the PEM text",
            ));
        }
        return Ok(blocks);
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| Error::invalid_input("certificate", "neither DER, PEM nor base64"))?;
    if der.first() != Some(&0x30) {
        return Err(Error::invalid_input("certificate", "not a DER SEQUENCE"));
    }
    Ok(vec![der])
}

/// Every PEM block labelled `label` in `text`, decoded (RFC 7468).
pub fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>, Error> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after = &rest[start..];
        let stop = after
            .find(&end)
            .ok_or_else(|| Error::invalid_input("pem", format!("unterminated {label} block")))?;
        let block = &after[..stop + end.len()];
        let (found, der) = pem_rfc7468::decode_vec(block.as_bytes())
            .map_err(|_| Error::invalid_input("pem", format!("malformed {label} block")))?;
        if found != label {
            return Err(Error::invalid_input("pem", "unexpected PEM label"));
        }
        out.push(der);
        rest = &after[stop + end.len()..];
    }
    Ok(out)
}

/// Encodes DER as one PEM block with 64-column lines and LF endings.
pub fn to_pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap_or_default()
}

/// The SHA-1 thumbprint of the first certificate in `input` (PEM, base64 or
/// DER) as 40 upper-case hex digits with no separators: the form Windows and
/// Redtrust show and the form `thumbprintToRenew` takes.
pub fn thumbprint_sha1(input: &[u8]) -> Result<String, Error> {
    let der = first_certificate(input)?;
    Ok(hex_upper(&sha1(&der)))
}

/// The SHA-256 thumbprint of the first certificate in `input`, upper-case hex.
pub fn thumbprint_sha256(input: &[u8]) -> Result<String, Error> {
    let der = first_certificate(input)?;
    Ok(hex_upper(&sha256(&der)))
}

fn first_certificate(input: &[u8]) -> Result<Vec<u8>, Error> {
    certificates_der(input)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::invalid_input("certificate", "no certificate found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DER: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x05];

    #[test]
    fn pem_base64_and_der_agree() {
        let pem = to_pem("CERTIFICATE", DER);
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nMAMCAQU=\n"));
        let chain = format!("subject=whatever\n{pem}{pem}");
        assert_eq!(
            certificates_der(chain.as_bytes()).ok(),
            Some(vec![DER.to_vec(), DER.to_vec()])
        );
        assert_eq!(certificates_der(b"MAMCAQU=").ok(), Some(vec![DER.to_vec()]));
        let a = thumbprint_sha1(DER).ok();
        assert_eq!(a, thumbprint_sha1(pem.as_bytes()).ok());
        assert_eq!(a.map(|t| t.len()), Some(40));
    }

    #[test]
    fn garbage_is_a_typed_error() {
        for bad in [
            &b"hello"[..],
            b"",
            b"\xff\xfe",
            b"-----BEGIN CERTIFICATE-----\nAAAA",
        ] {
            assert_eq!(
                certificates_der(bad).map_err(|e| e.kind()),
                Err("invalid_input")
            );
        }
    }
}
