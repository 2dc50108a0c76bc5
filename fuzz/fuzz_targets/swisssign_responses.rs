//! SwissSign RA API v2 answers: APIError bodies, JWT, orders, status,
//! chains (PKCS#7 or JSON), domains, clients, revocation.
#![no_main]

use certbridge::swisssign::{auth, chain, client, domain, error, issue, order, revoke};
use certbridge_fuzz::{now, response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resp = response(data);
    let _ = error::error_of(&resp, "fuzz");
    let _ = error::check(&resp, "fuzz");
    let _ = error::empty(&resp, "fuzz");
    let _ = auth::JwtRequest::parse(&resp, now());
    let _ = issue::IssueCsr::parse(&resp);
    let _ = issue::Issue::parse(&resp);
    let _ = issue::ValidateIssue::parse(&resp);
    let _ = order::GetOrderStatus::parse(&resp);
    let _ = order::GetOrder::parse(&resp);
    let _ = order::SearchOrders::parse(&resp);
    let _ = order::SearchOrdersPaged::parse(&resp);
    let _ = chain::GetChain::parse(&resp);
    let _ = domain::RegisterDomains::parse(&resp);
    let _ = domain::ListDomains::parse(&resp);
    let _ = domain::DomainCall::parse(&resp);
    let _ = domain::DeleteDomain::parse(&resp);
    let _ = client::SearchClients::parse(&resp);
    let _ = client::SearchClientsPaged::parse(&resp);
    let _ = client::GetClient::parse(&resp);
    let _ = revoke::Revoke::parse(&resp);
});
