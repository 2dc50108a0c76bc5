//! EAB HMAC keys as CAs hand them out (base64 in any alphabet, padded or
//! not), and JWTs read back without verification.
#![no_main]

use certbridge::acme::eab::decode_any_base64;
use certbridge::crypto::jwt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decode_any_base64(text);
        let _ = jwt::decode_unverified(text);
        let _ = jwt::verify_hs256(
            text,
            b"fuzz-key",
            certbridge::Timestamp::from_secs(1_750_000_000),
        );
    }
});
