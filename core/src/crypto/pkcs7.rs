//! Certificates out of a PKCS#7 / CMS `SignedData` (RFC 5652 section 5.1),
//! the "certs-only" bundle SwissSign's seed says the chain download returns
//! (swisssign-ra-api-v2, "Download Certificate with chain as pkcs7").
//!
//! The `certificates` field is a SET, but servers (and `openssl crl2pkcs7`)
//! write it in chain order rather than DER-sorted order; a strict DER SET
//! decoder would refuse or reorder it. So this walks the TLVs by hand and
//! keeps the certificates in the order they were sent.

use base64::Engine as _;

use crate::crypto::pem::pem_blocks;
use crate::error::Error;

/// `id-signedData` (RFC 5652 section 5.1), DER content bytes of the OID.
const ID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/// One TLV: its tag, its content and the whole encoding.
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    whole: &'a [u8],
}

fn malformed(reason: &str) -> Error {
    Error::crypto(format!("malformed PKCS#7: {reason}"))
}

/// Reads one DER TLV (single-byte tag, definite length) from the front of
/// `input`, returning it and the rest.
fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), Error> {
    let (&tag, rest) = input.split_first().ok_or_else(|| malformed("truncated"))?;
    if tag & 0x1f == 0x1f {
        return Err(malformed("multi-byte tags are not used by PKCS#7"));
    }
    let (&first, mut rest) = rest
        .split_first()
        .ok_or_else(|| malformed("truncated length"))?;
    let len = if first < 0x80 {
        usize::from(first)
    } else if first == 0x80 {
        return Err(malformed(
            "indefinite-length (BER) encoding is not supported",
        ));
    } else {
        let n = usize::from(first & 0x7f);
        if n > 4 || rest.len() < n {
            return Err(malformed("bad length"));
        }
        let (bytes, after) = rest.split_at(n);
        rest = after;
        bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    if rest.len() < len {
        return Err(malformed("truncated content"));
    }
    let (content, after) = rest.split_at(len);
    let header = input.len() - rest.len();
    let whole = input
        .get(..header + len)
        .ok_or_else(|| malformed("truncated"))?;
    Ok((
        Tlv {
            tag,
            content,
            whole,
        },
        after,
    ))
}

fn expect<'a>(input: &'a [u8], tag: u8, what: &str) -> Result<(Tlv<'a>, &'a [u8]), Error> {
    let (tlv, rest) = read_tlv(input)?;
    if tlv.tag != tag {
        return Err(malformed(&format!("expected {what}")));
    }
    Ok((tlv, rest))
}

/// The DER certificates of a `SignedData`, in the order they were sent.
pub fn certificates_from_der(der: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let (ci, _) = expect(der, 0x30, "ContentInfo SEQUENCE")?;
    let (oid, rest) = expect(ci.content, 0x06, "contentType OID")?;
    if oid.content != ID_SIGNED_DATA {
        return Err(malformed("content type is not signedData"));
    }
    let (explicit, _) = expect(rest, 0xa0, "[0] content")?;
    let (sd, _) = expect(explicit.content, 0x30, "SignedData SEQUENCE")?;
    let (_version, rest) = expect(sd.content, 0x02, "version INTEGER")?;
    let (_digests, rest) = expect(rest, 0x31, "digestAlgorithms SET")?;
    let (_encap, rest) = expect(rest, 0x30, "encapContentInfo SEQUENCE")?;
    let mut out = Vec::new();
    if rest.first() == Some(&0xa0) {
        let (certs, _) = read_tlv(rest)?;
        let mut items = certs.content;
        while !items.is_empty() {
            let (item, after) = read_tlv(items)?;
            // CertificateChoices: only the plain `Certificate` SEQUENCE matters.
            if item.tag == 0x30 {
                out.push(item.whole.to_vec());
            }
            items = after;
        }
    }
    Ok(out)
}

/// The certificates of a PKCS#7 given as DER, PEM (`PKCS7`, `CMS` or
/// `CERTIFICATE` labels) or bare base64 of the DER.
pub fn certificates(input: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    if input.first() == Some(&0x30) {
        return certificates_from_der(input);
    }
    let text = std::str::from_utf8(input).map_err(|_| malformed("neither DER nor text"))?;
    if text.contains("-----BEGIN") {
        for label in ["PKCS7", "CMS"] {
            let blocks = pem_blocks(text, label).map_err(|_| malformed("bad PEM block"))?;
            if let Some(der) = blocks.into_iter().next() {
                return certificates_from_der(&der);
            }
        }
        return Err(malformed("no PKCS7 or CMS PEM block"));
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| malformed("neither DER, PEM nor base64"))?;
    certificates_from_der(&der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_never_panics() {
        let cases: [&[u8]; 8] = [
            b"",
            b"\x30",
            b"\x30\x80",
            b"\x30\x84\xff\xff\xff\xff",
            b"\x30\x03\x06\x01\x00",
            b"hello world",
            b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n",
            b"\x30\x0b\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02",
        ];
        for bad in cases {
            assert_eq!(
                certificates(bad).map_err(|e| e.kind()),
                Err("crypto"),
                "{bad:?}"
            );
        }
    }
}
