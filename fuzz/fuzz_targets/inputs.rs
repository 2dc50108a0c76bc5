//! What users and servers type: ACME account keys (`AccountKey::from_pem`),
//! `Link` header values (RFC 8288), identifiers, base URLs, SwissSign
//! references, Redtrust partner names and the date formats every provider
//! sends. Each must return a value or a typed error, never panic.
#![no_main]

use certbridge::acme::certificate::links;
use certbridge::acme::{AccountKey, Identifier};
use certbridge::redtrust::auth::partner_name;
use certbridge::redtrust::RedtrustConfig;
use certbridge::swisssign::{OrderRef, ProductRef, SwissSignConfig};
use certbridge::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(key) = AccountKey::from_pem(text) {
        let _ = format!("{key:?}");
    }
    let _ = links(text);
    let _ = Identifier::dns(text);
    let _ = Identifier::ip(text);
    let _ = RedtrustConfig::new(text);
    let _ = SwissSignConfig::new(text);
    let _ = ProductRef::new(text);
    let _ = OrderRef::new(text);
    let _ = partner_name(text);
    let _ = Timestamp::parse_rfc3339(text);
    let _ = Timestamp::parse_http_date(text);
});
