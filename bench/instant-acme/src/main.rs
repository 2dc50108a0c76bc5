//! Whole ACME issuances by the `instant-acme` crate, for
//! `scripts/bench-peers.sh`: the same shape as certbridge's library harness
//! (`tests/e2e/examples/bench_acme.rs`) so their lines compare one to one.
//!
//! ```text
//! bench-instant-acme DIRECTORY CA_PEM EAB_KID EAB_HMAC COUNT CONCURRENCY NAME_PREFIX
//! ```
//!
//! Each issuance: a fresh account (new key, EAB), one DNS name, a fresh
//! P-256 certificate key and CSR (rcgen, via `Order::finalize`), http-01
//! marked ready without publishing anything (the script runs Pebble with
//! `PEBBLE_VA_ALWAYS_VALID=1`, as for every peer), then instant-acme's own
//! polling with its default `RetryPolicy` (first poll after 250 ms, doubling)
//! unless `INSTANT_ACME_DELAY_MS` sets the first delay. Prints
//! `issuance <index> <millis>` per issuance and `wall <millis>` at the end.
//!
//! `INSTANT_ACME_NODELAY=1` replaces the crate's default HTTP client
//! (`Account::builder_with_root`: hyper-util's `HttpConnector`, which leaves
//! Nagle's algorithm on) by the same hyper + rustls stack with `TCP_NODELAY`:
//! hyper writes a POST's headers and body as two segments, so with Nagle on
//! every POST waits for the server's delayed ACK (about 40 ms on Linux).
//! certbridge's transport (reqwest) sets `TCP_NODELAY` by default. The
//! tuned run separates that from the protocol and polling costs.

use std::time::{Duration, Instant};

use base64::Engine as _;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use instant_acme::{
    Account, AccountBuilder, AuthorizationStatus, BodyWrapper, ChallengeType, ExternalAccountKey,
    Identifier, NewAccount, NewOrder, OrderStatus, RetryPolicy,
};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::CertificateDer;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

struct Setup {
    directory: String,
    ca_path: String,
    kid: String,
    hmac: Vec<u8>,
    retry: RetryPolicy,
    nodelay: bool,
}

/// instant-acme's own default client trusting `ca_path`, or (`nodelay`) the
/// same stack with `TCP_NODELAY` set.
fn builder(setup: &Setup) -> Result<AccountBuilder, BoxError> {
    if !setup.nodelay {
        return Ok(Account::builder_with_root(&setup.ca_path)?);
    }
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&setup.ca_path)? {
        roots.add(cert?)?;
    }
    let tls = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.set_nodelay(true);
    http.enforce_http(false);
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_only()
        .enable_http1()
        .wrap_connector(http);
    let client: HyperClient<_, BodyWrapper<bytes::Bytes>> =
        HyperClient::builder(TokioExecutor::new()).build(https);
    Ok(Account::builder_with_http(Box::new(client)))
}

async fn issue_one(setup: &Setup, name: String) -> Result<u128, BoxError> {
    let start = Instant::now();
    let eab = ExternalAccountKey::new(setup.kid.clone(), &setup.hmac);
    let (account, _credentials) = builder(setup)?
        .create(
            &NewAccount {
                contact: &["mailto:bench@example.com"],
                terms_of_service_agreed: true,
                only_return_existing: false,
            },
            setup.directory.clone(),
            Some(&eab),
        )
        .await?;
    let identifiers = [Identifier::Dns(name)];
    let mut order = account.new_order(&NewOrder::new(&identifiers)).await?;
    let mut authorizations = order.authorizations();
    while let Some(authz) = authorizations.next().await {
        let mut authz = authz?;
        match authz.status {
            AuthorizationStatus::Pending => {}
            AuthorizationStatus::Valid => continue,
            other => return Err(format!("authorization is {other:?}").into()),
        }
        let mut challenge = authz
            .challenge(ChallengeType::Http01)
            .ok_or("no http-01 challenge")?;
        challenge.set_ready().await?;
    }
    let status = order.poll_ready(&setup.retry).await?;
    if status != OrderStatus::Ready {
        return Err(format!("order is {status:?}").into());
    }
    let _key_pem = order.finalize().await?;
    let chain = order.poll_certificate(&setup.retry).await?;
    if !chain.contains("-----BEGIN CERTIFICATE-----") {
        return Err("no certificate in the chain".into());
    }
    Ok(start.elapsed().as_millis())
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, what: &str) -> T {
    args[i].parse().unwrap_or_else(|_| {
        eprintln!("{what}: not a number: {}", args[i]);
        std::process::exit(2)
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 8 {
        eprintln!(
            "usage: bench-instant-acme DIRECTORY CA_PEM EAB_KID EAB_HMAC COUNT CONCURRENCY NAME_PREFIX"
        );
        std::process::exit(2);
    }
    // EAB keys arrive in any base64 form (Pebble's base64url, IdenTrust's
    // padded standard); instant-acme wants the raw bytes.
    let normalised: String = args[4]
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    let hmac = match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(normalised) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("EAB_HMAC is not base64: {e}");
            std::process::exit(2)
        }
    };
    let mut retry = RetryPolicy::default();
    if let Ok(ms) = std::env::var("INSTANT_ACME_DELAY_MS") {
        match ms.parse() {
            Ok(ms) => retry = retry.initial_delay(Duration::from_millis(ms)),
            Err(_) => {
                eprintln!("INSTANT_ACME_DELAY_MS: not a number: {ms}");
                std::process::exit(2)
            }
        }
    }
    let setup = Setup {
        directory: args[1].clone(),
        ca_path: args[2].clone(),
        kid: args[3].clone(),
        hmac,
        retry,
        nodelay: std::env::var("INSTANT_ACME_NODELAY").is_ok_and(|v| v == "1"),
    };
    let count: usize = arg(&args, 5, "COUNT");
    let concurrency = arg::<usize>(&args, 6, "CONCURRENCY").max(1);
    let prefix = &args[7];

    let wall = Instant::now();
    let mut failed = 0usize;
    let mut next = 0usize;
    while next < count {
        let end = count.min(next + concurrency);
        let batch = (next..end).map(|i| {
            let setup = &setup;
            let name = format!("{prefix}-{i}.example.com");
            async move { (i, issue_one(setup, name).await) }
        });
        // Polled together on this one thread, like certbridge's harness.
        for (i, result) in futures_util::future::join_all(batch).await {
            match result {
                Ok(ms) => println!("issuance {i} {ms}"),
                Err(e) => {
                    failed += 1;
                    eprintln!("issuance {i} failed: {e}");
                }
            }
        }
        next = end;
    }
    println!("wall {}", wall.elapsed().as_millis());
    if failed > 0 {
        std::process::exit(1);
    }
}
