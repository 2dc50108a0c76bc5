//! Micro-benchmarks of the core's CPU work per issuance: request signing
//! (Redtrust HMAC login URL, SwissSign HS256 JWT, ACME JWS in ES256 and
//! RS256), key generation and CSRs, and parsing each provider's answers.
//! Network-free by construction (sans-IO), so these isolate what the core
//! itself costs; `scripts/bench-peers.sh` measures whole issuances.
//!
//! `cargo bench -p certbridge --bench core` (add `-- --quick` for a short run).

#![allow(clippy::expect_used, missing_docs)] // a bench setup failure must stop the run

use certbridge::acme::jws::{AccountKey, KeyRef};
use certbridge::acme::{certificate, order};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::{KeyKind, PrivateKey};
use certbridge::redtrust::auth::{Login, LoginUrl};
use certbridge::redtrust::compat::RedtrustCompat;
use certbridge::redtrust::csr::FinalizeCsr;
use certbridge::redtrust::RedtrustConfig;
use certbridge::swisssign::auth::local_jwt;
use certbridge::swisssign::{chain, error, order as ss_order};
use certbridge::{HttpResponse, Secret, Timestamp};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rand_core::OsRng;

const NOW: u64 = 1_750_000_000;

fn json(status: u16, body: &str) -> HttpResponse {
    let mut r = HttpResponse::new(status, body.as_bytes().to_vec());
    r.headers.set("Content-Type", "application/json");
    r
}

fn signing(c: &mut Criterion) {
    let now = Timestamp::from_secs(NOW);
    let config = RedtrustConfig::new("https://redtrust.example:8083").expect("config");
    let key = Secret::new("shared-secret-key");
    c.bench_function("redtrust/signed_login_url", |b| {
        b.iter(|| {
            LoginUrl {
                partner: "ca_demo",
                hmac_key: &key,
                redirect_url: "https://app.example/cb",
                domain: Some("local.users"),
            }
            .request(black_box(&config), now)
        })
    });
    let api_key = Secret::new("n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w");
    c.bench_function("swisssign/jwt_hs256", |b| {
        b.iter(|| local_jwt(black_box("service.account"), &api_key, now))
    });
    let es = AccountKey::generate_es256(&mut OsRng);
    let rs = AccountKey::generate_rs256(&mut OsRng, 2048).expect("rsa");
    let payload = br#"{"identifiers":[{"type":"dns","value":"www.example.com"}]}"#;
    for (name, key) in [("acme/jws_es256", &es), ("acme/jws_rs256", &rs)] {
        c.bench_function(name, |b| {
            b.iter(|| {
                key.post(
                    KeyRef::Kid("https://ca.example/acme/acct/1"),
                    "https://ca.example/acme/new-order",
                    "nonce-abcdef",
                    Some(black_box(payload)),
                )
            })
        });
    }
}

fn keys_and_csrs(c: &mut Criterion) {
    let mut group = c.benchmark_group("keys");
    group.sample_size(10);
    group.bench_function("generate_p256", |b| {
        b.iter(|| PrivateKey::generate(KeyKind::EcP256, &mut OsRng))
    });
    group.bench_function("generate_rsa2048", |b| {
        b.iter(|| PrivateKey::generate(KeyKind::Rsa2048, &mut OsRng))
    });
    group.finish();
    for (name, kind) in [
        ("csr/p256", KeyKind::EcP256),
        ("csr/rsa2048", KeyKind::Rsa2048),
    ] {
        let key = PrivateKey::generate(kind, &mut OsRng).expect("key");
        c.bench_function(name, |b| {
            b.iter(|| {
                CsrBuilder::new()
                    .subject("cn", "www.example.com")
                    .dns_name("www.example.com")
                    .dns_name("example.com")
                    .build(black_box(&key))
            })
        });
    }
}

fn parsing(c: &mut Criterion) {
    let now = Timestamp::from_secs(NOW);
    let login = json(
        200,
        r#"{"message":"Operation finalized successfully","messageType":"SUCCESS","errorCode":"OK","data":{"refreshToken":"r","accessToken":"a","expiration":"2025-04-15T12:18:16Z"}}"#,
    );
    let finalized = json(
        200,
        r#"{"message":"Operation finalized successfully","messageType":"SUCCESS","errorCode":"OK","data":{"idCertificate":1234,"thumbprint":"abcdef0123456789abcdef0123456789abcdef01"}}"#,
    );
    assert!(
        Login::parse(&login).is_ok()
            && FinalizeCsr::parse(&finalized, RedtrustCompat::V4_42).is_ok()
    );
    c.bench_function("parse/redtrust_login", |b| {
        b.iter(|| Login::parse(black_box(&login)))
    });
    c.bench_function("parse/redtrust_finalize", |b| {
        b.iter(|| FinalizeCsr::parse(black_box(&finalized), RedtrustCompat::V4_42))
    });

    let status = json(200, r#""ISSUED""#);
    let api_error = json(
        400,
        r#"{"module":"ORDER","section":"VALIDATION","error":"INVALID_CSR","messages":["CSR signature invalid"]}"#,
    );
    let mut p7 = HttpResponse::new(
        200,
        include_bytes!("../../tests/vectors/fixtures/chain.p7.pem").to_vec(),
    );
    p7.headers.set("Content-Type", "application/pkcs7-mime");
    assert!(
        ss_order::GetOrderStatus::parse(&status).is_ok() && chain::GetChain::parse(&p7).is_ok()
    );
    c.bench_function("parse/swisssign_status", |b| {
        b.iter(|| ss_order::GetOrderStatus::parse(black_box(&status)))
    });
    c.bench_function("parse/swisssign_api_error", |b| {
        b.iter(|| error::error_of(black_box(&api_error), "order"))
    });
    c.bench_function("parse/swisssign_pkcs7_chain", |b| {
        b.iter(|| chain::GetChain::parse(black_box(&p7)))
    });

    let mut new_order = json(
        201,
        r#"{"status":"pending","expires":"2026-01-01T00:00:00Z","identifiers":[{"type":"dns","value":"www.example.com"}],"authorizations":["https://ca.example/acme/authz/1"],"finalize":"https://ca.example/acme/finalize/1"}"#,
    );
    new_order
        .headers
        .set("Location", "https://ca.example/acme/order/1");
    new_order.headers.set("Replay-Nonce", "nonce-1");
    let mut pem_chain = HttpResponse::new(
        200,
        include_bytes!("../../tests/vectors/fixtures/chain.pem").to_vec(),
    );
    pem_chain
        .headers
        .set("Content-Type", "application/pem-certificate-chain");
    assert!(order::NewOrder::parse(&new_order, now).is_ok());
    assert!(certificate::DownloadCertificate::parse(&pem_chain, now).is_ok());
    c.bench_function("parse/acme_order", |b| {
        b.iter(|| order::NewOrder::parse(black_box(&new_order), now))
    });
    c.bench_function("parse/acme_pem_chain", |b| {
        b.iter(|| certificate::DownloadCertificate::parse(black_box(&pem_chain), now))
    });
}

criterion_group!(benches, signing, keys_and_csrs, parsing);
criterion_main!(benches);
