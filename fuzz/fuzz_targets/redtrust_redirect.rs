//! The browser redirect back from Redtrust (`?tkn=`), and distinguished
//! names typed by users (`parse_dn`).
#![no_main]

use certbridge::redtrust::auth::temporal_token_from_redirect;
use certbridge::redtrust::csr::parse_dn;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = temporal_token_from_redirect(text);
        let _ = parse_dn(text);
    }
});
