//! The Redtrust issuance flow (login, csr/create, csr/finalize, refresh and
//! re-login on 401) against any sequence of answers: it ends with a
//! certificate or a typed error within bounded steps, and never logs in in a
//! loop (issue 14 item 1).
#![no_main]

use certbridge::redtrust::csr::{CsrRequest, DnEntry};
use certbridge::redtrust::{Credentials, IssueFlow, RedtrustConfig};
use certbridge::Secret;
use certbridge_fuzz::run_flow;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(config) = RedtrustConfig::new("https://rt.test:8082") else {
        return;
    };
    let credentials = Credentials::Password {
        username: "app".into(),
        password: Secret::new("pw"),
        domain: None,
    };
    let request = CsrRequest::new(vec![DnEntry::new("cn", "fuzz")]);
    let mut flow = IssueFlow::new(config, credentials, request);
    run_flow(&mut flow, data);
});
