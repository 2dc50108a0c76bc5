//! Runs every shared vector file in `tests/vectors/*.json` against the core.
//!
//! A vector is data: `op` names an operation, `input` its arguments,
//! `response` an HTTP answer to parse, and `expect` the exact request, the
//! parsed value or the error. Each binding runs the same files through its own
//! API, so all languages stay byte-identical. Format: tests/vectors/README.md.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod acme;
mod common;
mod crypto;
mod redtrust;
mod swisssign;

use common::{Case, Outcome};

fn dispatch(case: &Case) -> Option<Result<Outcome, certbridge::Error>> {
    let provider = case.op.split('.').next().unwrap_or_default();
    match provider {
        "redtrust" => redtrust::run(case),
        "acme" | "identrust" => acme::run(case),
        "swisssign" => swisssign::run(case),
        "crypto" => crypto::run(case),
        _ => None,
    }
}

#[test]
fn shared_vectors() {
    let (ran, failures) = common::run_all(dispatch);
    assert!(ran > 0, "no vectors found");
    if !failures.is_empty() {
        panic!(
            "{} of {ran} vectors failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    eprintln!("{ran} vectors passed");
}
