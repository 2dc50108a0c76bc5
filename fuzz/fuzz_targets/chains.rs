//! Certificate chains as providers send them: PKCS#7 (DER, PEM or base64),
//! PEM bundles, and the raw bytes of the PEM block reader.
#![no_main]

use certbridge::crypto::{pem, pkcs7};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pkcs7::certificates(data);
    let _ = pkcs7::certificates_from_der(data);
    let _ = pem::certificates_der(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pem::pem_blocks(text, "CERTIFICATE");
    }
});
