//! X.509 certificates (PEM or DER), CSRs and PKCS#8 private keys read from
//! files or answers.
#![no_main]

use certbridge::crypto::certificate::Certificate;
use certbridge::crypto::csr::Csr;
use certbridge::crypto::keys::PrivateKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = Certificate::parse(data) {
        // Every accessor over a parsed certificate must hold up too.
        let _ = format!("{cert:?}");
        let _ = cert.der();
        let _ = cert.is_valid_at(certbridge::Timestamp::from_secs(1_750_000_000));
    }
    let _ = Certificate::from_der(data);
    let _ = Csr::from_pem_or_der(data);
    let _ = PrivateKey::from_pkcs8_der(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = PrivateKey::from_pem(text);
    }
});
