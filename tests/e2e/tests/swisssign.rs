//! The SwissSign client against the simulator: JWT (local and
//! `/v2/jwt`), clients, IDN domain pre-validation through the simulated DNS,
//! issuance with polling, both chain formats, revocation, and faults.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use certbridge::client::{generate_key, SwissSignClient};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::KeyKind;
use certbridge::swisssign::domain::DomainAction;
use certbridge::swisssign::revoke::RevocationReason;
use certbridge::swisssign::{ClientRef, ProductRef, Session, SwissSignConfig};
use certbridge::{Deadline, Secret};
use certbridge_e2e::{driver, openssl_verify, sim};
use certbridge_sim::{ChainFormat, FaultKind, FaultSpec, SimHandle};

const ACCOUNT: &str = "service.account";
const API_KEY: &str = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w";

fn client(sim: &SimHandle) -> SwissSignClient {
    let config = SwissSignConfig::new(&sim.base_url()).unwrap();
    let session = Session::with_api_key(config, ACCOUNT, Secret::new(API_KEY)).unwrap();
    SwissSignClient::new(session, driver(&[])).with_backoff(certbridge::Backoff {
        initial_millis: 50,
        max_millis: 500,
        factor_percent: 150,
    })
}

async fn prevalidate(sim: &SimHandle, c: &SwissSignClient, cli: &ClientRef, name: &str) {
    let registered = c.register_domains(cli, &[name.to_string()]).await.unwrap();
    let domain = &registered[0];
    let record = domain.txt_record.clone().expect("a TXT record to publish");
    assert!(record.value.starts_with("swiss-pki="));
    // Before the record is published, validation fails with a typed error.
    let err = c
        .domain(&domain.uuid, DomainAction::Validate)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "provider", "{err}");
    sim.publish_txt(&record.name, &record.value);
    let validated = c
        .domain(&domain.uuid, DomainAction::Validate)
        .await
        .unwrap();
    assert!(validated.validated, "{validated:?}");
}

async fn product(c: &SwissSignClient) -> (ClientRef, ProductRef) {
    let clients = c.clients(None).await.unwrap();
    let client = &clients[0];
    (client.uuid.clone(), client.products[0].uuid.clone())
}

fn csr(names: &[&str], kind: KeyKind) -> (Vec<u8>, String) {
    let key = generate_key(kind).unwrap();
    let mut b = CsrBuilder::new().subject("cn", names[0]);
    for n in names {
        b = b.dns_name(*n);
    }
    let csr = b.build(&key).unwrap();
    (
        csr.der().to_vec(),
        key.to_pkcs8_pem().unwrap().expose().to_string(),
    )
}

#[tokio::test]
async fn prevalidate_issue_renew_revoke() {
    let sim = sim(|_| {});
    let c = client(&sim);
    let (cli, pma) = product(&c).await;
    // A Unicode name: the record goes on its punycode form.
    prevalidate(&sim, &c, &cli, "déjà.vu.example").await;
    let domains = c.domains(&cli).await.unwrap();
    assert!(domains
        .iter()
        .any(|d| d.domain.as_deref() == Some("xn--dj-kia8a.vu.example") && d.validated));

    let (der, _key) = csr(
        &["xn--dj-kia8a.vu.example", "www.xn--dj-kia8a.vu.example"],
        KeyKind::EcP256,
    );
    let issued = c.issue(&pma, &der, Deadline::NONE).await.unwrap();
    assert!(issued.pem_chain.matches("BEGIN CERTIFICATE").count() >= 2);
    let leaf = issued.chain.leaf().unwrap();
    assert_eq!(leaf.pem, issued.certificate.pem);
    openssl_verify(
        &sim.ca_pem(),
        &sim.issuing_ca_pem(),
        &issued.certificate.pem,
    );

    // Renewal is a new order with a new key.
    let (der2, _) = csr(&["xn--dj-kia8a.vu.example"], KeyKind::Rsa2048);
    let renewed = c.issue(&pma, &der2, Deadline::NONE).await.unwrap();
    assert_ne!(
        renewed.certificate.serial_hex,
        issued.certificate.serial_hex
    );

    c.revoke_order(&issued.order, RevocationReason::Superseded)
        .await
        .unwrap();
    let status = c.order_status(&issued.order).await.unwrap();
    assert_eq!(status.as_str(), "REVOKED");
    let err = c
        .revoke_order(&issued.order, RevocationReason::Superseded)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("011.354.0233"), "{err}"); // CERTIFICATE_ALREADY_REVOKED
}

#[tokio::test]
async fn unvalidated_name_fails_the_order_with_a_typed_error() {
    let sim = sim(|_| {});
    let c = client(&sim);
    let (_cli, pma) = product(&c).await;
    let (der, _) = csr(&["not-validated.example"], KeyKind::EcP256);
    let err = c.issue(&pma, &der, Deadline::NONE).await.unwrap_err();
    assert_eq!(err.kind(), "provider", "{err}");
}

#[tokio::test]
async fn jwt_from_the_server_and_pkcs7_chains() {
    let sim = sim(|c| c.swisssign.chain_format = ChainFormat::Pkcs7);
    let config = SwissSignConfig::new(&sim.base_url()).unwrap();
    let session = Session::with_user_secret(config, ACCOUNT, Secret::new(API_KEY)).unwrap();
    let c = SwissSignClient::new(session, driver(&[]));
    let (cli, pma) = product(&c).await;
    prevalidate(&sim, &c, &cli, "pkcs7.example").await;
    let (der, _) = csr(&["pkcs7.example"], KeyKind::EcP384);
    let issued = c.issue(&pma, &der, Deadline::NONE).await.unwrap();
    openssl_verify(
        &sim.ca_pem(),
        &sim.issuing_ca_pem(),
        &issued.certificate.pem,
    );
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.path == "/v2/jwt/service.account"));
}

#[tokio::test]
async fn faults_while_polling_and_an_expired_jwt() {
    let sim = sim(|c| c.swisssign.issue_delay_ms = 600);
    let c = client(&sim);
    let (cli, pma) = product(&c).await;
    prevalidate(&sim, &c, &cli, "faults.example").await;
    // A 503 during polling is waited out; an expired JWT is renewed once.
    sim.add_fault(FaultSpec {
        path_prefix: "/v2/order/".into(),
        method: None,
        kind: FaultKind::Status {
            code: 503,
            retry_after: Some(0),
        },
        count: Some(2),
        rate: None,
    })
    .unwrap();
    sim.add_fault(FaultSpec {
        path_prefix: "/v2/order/".into(),
        method: None,
        kind: FaultKind::ExpiredToken,
        count: Some(1),
        rate: None,
    })
    .unwrap();
    let (der, _) = csr(&["faults.example"], KeyKind::EcP256);
    let issued = c.issue(&pma, &der, Deadline::NONE).await.unwrap();
    openssl_verify(
        &sim.ca_pem(),
        &sim.issuing_ca_pem(),
        &issued.certificate.pem,
    );

    // A deadline that passes gives a timeout, not a hang.
    let (der, _) = csr(&["faults.example"], KeyKind::EcP256);
    let soon = certbridge::client::Clock::now(&certbridge::client::SystemClock).plus_millis(200);
    let err = c.issue(&pma, &der, Deadline::at(soon)).await.unwrap_err();
    assert_eq!(err.kind(), "timeout", "{err}");
}

/// A driver whose requests time out after `millis`.
fn impatient_driver(millis: u64) -> certbridge::client::Driver {
    let config = certbridge::client::TransportConfig {
        request_timeout_ms: millis,
        ..certbridge::client::TransportConfig::default()
    };
    certbridge::client::Driver::new(
        std::sync::Arc::new(certbridge::client::ReqwestTransport::new(&config).unwrap()),
        std::sync::Arc::new(certbridge::client::SystemClock),
    )
}

/// The simulator's transient faults (issue 14, item 14); its delay is past
/// the client's 500 ms request timeout.
fn transient_faults() -> Vec<(&'static str, FaultKind)> {
    certbridge_sim::faults::transient_kinds()
}

fn once(prefix: &str, kind: FaultKind) -> FaultSpec {
    FaultSpec {
        path_prefix: prefix.into(),
        method: None,
        kind,
        count: Some(1),
        rate: None,
    }
}

/// How many requests under `prefix` the simulator saw (logged on arrival,
/// so a request the client gave up on is counted too).
fn seen(sim: &SimHandle, prefix: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.path.starts_with(prefix))
        .count()
}

/// One transient fault on the JWT, an order status poll or the chain
/// download is retried and the issuance completes (issue 14, item 14).
#[tokio::test]
async fn one_transient_fault_on_each_read_is_retried() {
    for (what, kind) in transient_faults() {
        for call in ["jwt", "status", "chain"] {
            // With no issuance delay the order is ISSUED at once, so the
            // first request under /v2/order/ is the chain download.
            let delay = if call == "chain" { 0 } else { 300 };
            let sim = sim(|c| c.swisssign.issue_delay_ms = delay);
            let setup = client(&sim);
            let (cli, pma) = product(&setup).await;
            let name = format!("{what}-{call}.example");
            prevalidate(&sim, &setup, &cli, &name).await;
            let config = SwissSignConfig::new(&sim.base_url()).unwrap();
            let session = Session::with_user_secret(config, ACCOUNT, Secret::new(API_KEY)).unwrap();
            let c = SwissSignClient::new(session, impatient_driver(500)).with_backoff(
                certbridge::Backoff {
                    initial_millis: 50,
                    max_millis: 500,
                    factor_percent: 150,
                },
            );
            let prefix = match call {
                "jwt" => "/v2/jwt/",
                _ => "/v2/order/",
            };
            let before = seen(&sim, prefix);
            sim.add_fault(once(prefix, kind.clone())).unwrap();
            let (der, _) = csr(&[&name], KeyKind::EcP256);
            let issued = c
                .issue(&pma, &der, Deadline::NONE)
                .await
                .unwrap_or_else(|e| panic!("{what} on {call}: {e}"));
            assert!(issued.pem_chain.contains("BEGIN CERTIFICATE"));
            assert_eq!(seen(&sim, "/v2/issue/"), 1, "{what} on {call}");
            let after = seen(&sim, prefix) - before;
            match call {
                "jwt" | "chain" => assert_eq!(after, 2, "{what} on {call}: {:?}", sim.requests()),
                _ => assert!(after >= 3, "{what} on {call}: {:?}", sim.requests()),
            }
            assert!(
                sim.requests()
                    .iter()
                    .any(|r| r.path.starts_with(prefix) && r.fault.is_some()),
                "{what} on {call}: the fault fired"
            );
        }
    }
}

/// The CSR submission is never repeated: a lost or unreadable answer is an
/// `ambiguous` error that says an order may exist.
#[tokio::test]
async fn a_transient_fault_on_the_submission_is_ambiguous() {
    for (what, kind) in transient_faults() {
        let sim = sim(|_| {});
        let setup = client(&sim);
        let (cli, pma) = product(&setup).await;
        prevalidate(&sim, &setup, &cli, "ambiguous.example").await;
        let config = SwissSignConfig::new(&sim.base_url()).unwrap();
        let session = Session::with_api_key(config, ACCOUNT, Secret::new(API_KEY)).unwrap();
        let c = SwissSignClient::new(session, impatient_driver(500));
        sim.add_fault(once("/v2/issue/", kind)).unwrap();
        let (der, _) = csr(&["ambiguous.example"], KeyKind::EcP256);
        let err = c.issue(&pma, &der, Deadline::NONE).await.unwrap_err();
        assert_eq!(err.kind(), "ambiguous", "{what}: {err}");
        assert!(err.to_string().contains("order"), "{err}");
        assert_eq!(seen(&sim, "/v2/issue/"), 1, "{what}: submitted once");
    }
}
