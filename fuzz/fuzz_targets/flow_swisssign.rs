//! The SwissSign issuance flow (JWT, issue, status polls with backoff and
//! `Retry-After`, chain) against any sequence of answers: it ends with a
//! certificate or a typed error within bounded steps, and every poll stops
//! at the deadline (issue 14 items 1, 12, 14).
#![no_main]

use std::sync::OnceLock;

use certbridge::crypto::{CsrBuilder, KeyKind, PrivateKey};
use certbridge::swisssign::{IssueFlow, ProductRef, Session, SwissSignConfig};
use certbridge::{Deadline, Secret};
use certbridge_fuzz::{now, run_flow};
use libfuzzer_sys::fuzz_target;

/// One CSR for every run: key generation is not what is fuzzed here.
fn csr() -> Option<&'static [u8]> {
    static CSR: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    CSR.get_or_init(|| {
        let key = PrivateKey::generate(KeyKind::EcP256, &mut rand_core::OsRng).ok()?;
        let csr = CsrBuilder::new()
            .dns_name("www.fuzz.test")
            .build(&key)
            .ok()?;
        Some(csr.der().to_vec())
    })
    .as_deref()
}

fuzz_target!(|data: &[u8]| {
    let Some(csr) = csr() else { return };
    let Ok(session) =
        Session::with_api_key(SwissSignConfig::pre_production(), "svc", Secret::new("key"))
    else {
        return;
    };
    let Ok(product) = ProductRef::new("00000000-0000-0000-0000-000000000001") else {
        return;
    };
    let deadline = Deadline::at(now().plus_secs(3600));
    let Ok(mut flow) = IssueFlow::new(session, product, csr, deadline) else {
        return;
    };
    run_flow(&mut flow, data);
});
