//! The ACME issuance flow (RFC 8555 section 7.4: new-order, authorizations,
//! challenges, polls, finalize, download, alternates) against any sequence
//! of answers: it ends with a certificate or a typed error within bounded
//! steps, no poll runs forever (issue 14 items 8, 12, 14).
#![no_main]

use std::sync::OnceLock;

use certbridge::acme::directory::GetDirectory;
use certbridge::acme::{AccountKey, Identifier, IssueFlow, IssueOptions, Session};
use certbridge::crypto::{CsrBuilder, KeyKind, PrivateKey};
use certbridge::HttpResponse;
use certbridge_fuzz::{now, run_flow};
use libfuzzer_sys::fuzz_target;

const DIRECTORY: &str = r#"{"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct","newOrder":"https://ca.test/order","revokeCert":"https://ca.test/revoke","keyChange":"https://ca.test/key"}"#;

/// One account key and CSR for every run: key generation is not what is
/// fuzzed here.
fn fixtures() -> Option<&'static (AccountKey, Vec<u8>)> {
    static FIXTURES: OnceLock<Option<(AccountKey, Vec<u8>)>> = OnceLock::new();
    FIXTURES
        .get_or_init(|| {
            let key = PrivateKey::generate(KeyKind::EcP256, &mut rand_core::OsRng).ok()?;
            let csr = CsrBuilder::new().dns_name("x.fuzz.test").build(&key).ok()?;
            Some((
                AccountKey::generate_es256(&mut rand_core::OsRng),
                csr.der().to_vec(),
            ))
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some((key, csr)) = fixtures() else { return };
    let Ok(directory) = GetDirectory::parse(&HttpResponse::new(200, DIRECTORY), now()) else {
        return;
    };
    let Ok(identifier) = Identifier::dns("x.fuzz.test") else {
        return;
    };
    let session = Session::new(directory, key.clone()).with_account_url("https://ca.test/acct/1");
    let mut options = IssueOptions::new(vec![identifier], csr.clone());
    options.fetch_alternates = data.first().is_some_and(|b| b & 1 == 1);
    let mut flow = IssueFlow::new(session, options);
    run_flow(&mut flow, data);
});
