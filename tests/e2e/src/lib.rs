//! Shared helpers of the end-to-end tests: a simulator per test, a client
//! driver trusting nothing but the system and the test CAs, openssl checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use certbridge::client::{Driver, ReqwestTransport, SystemClock, TransportConfig};

/// A driver with the built-in transport, trusting `extra_roots`.
pub fn driver(extra_roots: &[String]) -> Driver {
    let config = TransportConfig {
        extra_roots_pem: extra_roots.to_vec(),
        request_timeout_ms: 10_000,
        ..TransportConfig::default()
    };
    Driver::new(
        Arc::new(ReqwestTransport::new(&config).expect("transport")),
        Arc::new(SystemClock),
    )
}

/// A simulator with its defaults, or adjusted by `tweak`.
pub fn sim(tweak: impl FnOnce(&mut certbridge_sim::SimConfig)) -> certbridge_sim::SimHandle {
    let mut config = certbridge_sim::SimConfig {
        port: 0,
        ..certbridge_sim::SimConfig::default()
    };
    tweak(&mut config);
    certbridge_sim::Sim::start(config).expect("simulator starts")
}

/// Runs `openssl verify` of `leaf_pem` against `root_pem` with `untrusted`
/// intermediates; panics with openssl's output when it fails.
pub fn openssl_verify(root_pem: &str, untrusted_pem: &str, leaf_pem: &str) {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let root = write("root.pem", root_pem);
    let mid = write("mid.pem", untrusted_pem);
    let leaf = write("leaf.pem", leaf_pem);
    let out = openssl(&[
        "verify",
        "-CAfile",
        path(&root),
        "-untrusted",
        path(&mid),
        path(&leaf),
    ]);
    assert!(out.contains(": OK"), "openssl verify failed: {out}");
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs openssl with `args`; returns stdout+stderr. Fails loudly when openssl
/// is missing (install it with `apt-get install openssl`).
pub fn openssl(args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl not found: apt-get install openssl");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Fetches a simulator-only URL (plain HTTP GET on loopback).
pub async fn sim_get(sim: &certbridge_sim::SimHandle, path: &str) -> (u16, String) {
    let d = driver(&[]);
    let r = d
        .send(certbridge::HttpRequest::new(
            certbridge::Method::Get,
            format!("{}{path}", sim.base_url()),
        ))
        .await
        .unwrap();
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}
