//! Redtrust `{result, content}` envelopes: every parser that reads a
//! Redtrust answer (login, temp-token exchange, logout, csr/create and
//! csr/finalize in both document versions).
#![no_main]

use certbridge::redtrust::auth::{ExchangeTempToken, Login, Logout, Session};
use certbridge::redtrust::compat::RedtrustCompat;
use certbridge::redtrust::csr::{CreateCsr, CsrRequest, DnEntry, FinalizeCsr};
use certbridge_fuzz::response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resp = response(data);
    let _ = Login::parse(&resp);
    let _ = ExchangeTempToken::parse(&resp);
    let _ = Logout::parse(&resp);
    let _ = Session::parse(&resp, "fuzz");
    let sent = CsrRequest::new(vec![DnEntry::new("cn", "fuzz")]);
    let _ = CreateCsr::parse(&resp, &sent);
    let _ = FinalizeCsr::parse(&resp, RedtrustCompat::V4_42);
    let _ = FinalizeCsr::parse(&resp, RedtrustCompat::V4_33);
});
