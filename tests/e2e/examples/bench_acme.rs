//! Whole ACME issuances through the library (`AcmeClient`), for
//! `scripts/bench-peers.sh`: each issuance uses a fresh account (EAB), one
//! name and a fresh P-256 certificate key, like the CLI and the peers.
//!
//! ```text
//! bench_acme DIRECTORY CA_PEM EAB_KID EAB_HMAC COUNT CONCURRENCY NAME_PREFIX
//! ```
//!
//! Prints one line per issuance, `issuance <index> <millis>`, then
//! `wall <millis>` for the whole batch. Challenges are published to a no-op
//! solver: the script runs Pebble with `PEBBLE_VA_ALWAYS_VALID=1`, as for
//! every peer.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use certbridge::acme::EabKey;
use certbridge::client::{generate_account_key, generate_key, AcmeClient, ChallengeSolver};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::KeyKind;
use certbridge::{ChallengeTask, Error};

struct AlwaysValid;

#[async_trait]
impl ChallengeSolver for AlwaysValid {
    async fn publish(&self, _tasks: &[ChallengeTask]) -> Result<(), Error> {
        Ok(())
    }
}

async fn issue_one(
    driver: certbridge::client::Driver,
    directory: &str,
    eab: &EabKey,
    name: String,
) -> Result<u128, Error> {
    let start = Instant::now();
    let acme = AcmeClient::connect(driver, directory, generate_account_key())
        .await?
        .with_eab(eab.clone());
    let key = generate_key(KeyKind::EcP256)?;
    let csr = CsrBuilder::new().dns_name(name.clone()).build(&key)?;
    let issued = acme.issue_for(&[name], csr.der()).await?;
    if issued.chain.pem.is_empty() {
        return Err(Error::protocol("bench", "empty chain"));
    }
    Ok(start.elapsed().as_millis())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 8 {
        eprintln!(
            "usage: bench_acme DIRECTORY CA_PEM EAB_KID EAB_HMAC COUNT CONCURRENCY NAME_PREFIX"
        );
        std::process::exit(2);
    }
    let ca = std::fs::read_to_string(&args[2]).expect("CA_PEM");
    let eab = EabKey::new(&args[3], &args[4]).expect("EAB");
    let count: usize = args[5].parse().expect("COUNT");
    let concurrency: usize = args[6].parse::<usize>().expect("CONCURRENCY").max(1);
    let driver = certbridge_e2e::driver(&[ca]).with_solver(Arc::new(AlwaysValid));
    let directory = args[1].clone();
    let prefix = args[7].clone();

    let wall = Instant::now();
    let mut next = 0usize;
    let mut failed = 0usize;
    while next < count {
        let batch: Vec<_> = (next..count.min(next + concurrency))
            .map(|i| {
                let (driver, directory, eab) = (driver.clone(), directory.clone(), eab.clone());
                let name = format!("{prefix}-{i}.example.com");
                async move { (i, issue_one(driver, &directory, &eab, name).await) }
            })
            .collect();
        next += batch.len();
        for (i, result) in join_all(batch).await {
            match result {
                Ok(ms) => println!("issuance {i} {ms}"),
                Err(e) => {
                    failed += 1;
                    eprintln!("issuance {i} failed: {e}");
                }
            }
        }
    }
    println!("wall {}", wall.elapsed().as_millis());
    if failed > 0 {
        std::process::exit(1);
    }
}

/// Runs the futures concurrently on the current thread (tokio's `JoinSet`
/// would need `Send + 'static` and the multi-thread scheduler).
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, fut) in out.iter_mut().zip(pinned.iter_mut()) {
            if slot.is_none() {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}
