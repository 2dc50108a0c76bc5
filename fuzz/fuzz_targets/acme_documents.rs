//! ACME (RFC 8555) documents: directory, account, order, authorization,
//! challenge, problem, ARI renewal info, certificate download, revocation,
//! and the IdenTrust reseller account answer.
#![no_main]

use certbridge::acme::{
    account, ari, authorization, certificate, challenge, directory, order, problem, revoke,
};
use certbridge::identrust::reseller;
use certbridge_fuzz::{now, response};
use libfuzzer_sys::fuzz_target;

const URL: &str = "https://ca.test/acme/x/1";

fuzz_target!(|data: &[u8]| {
    let resp = response(data);
    let now = now();
    let _ = directory::GetDirectory::parse(&resp, now);
    let _ = account::NewAccount::parse(&resp, now);
    let _ = account::UpdateAccount::parse(&resp, now, URL);
    let _ = account::KeyChange::parse(&resp, now);
    let _ = order::NewOrder::parse(&resp, now);
    let _ = order::GetOrder::parse(&resp, now, URL);
    let _ = order::Finalize::parse(&resp, now, URL);
    let _ = authorization::GetAuthorization::parse(&resp, now, URL);
    let _ = authorization::NewAuthz::parse(&resp, now);
    let _ = authorization::DeactivateAuthorization::parse(&resp, now, URL);
    let _ = challenge::RespondChallenge::parse(&resp, now);
    let _ = problem::check(&resp, now, "fuzz");
    let _ = ari::GetRenewalInfo::parse(&resp, now);
    let _ = certificate::DownloadCertificate::parse(&resp, now);
    let _ = revoke::RevokeCert::parse(&resp, now);
    let _ = reseller::CreateAccount::parse(&resp, now);
});
