//! IdenTrust end to end: the reseller API (simulator) hands out EAB
//! credentials in IdenTrust's padded standard base64; the ACME client uses
//! them against a real Pebble with EAB required.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use certbridge::acme::{AccountKey, Identifier, IssueOptions};
use certbridge::client::{generate_account_key, generate_key, ChallengeSolver, IdenTrustClient};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::KeyKind;
use certbridge::identrust::Environment;
use certbridge::{ChallengeTask, Error, Secret};
use certbridge_e2e::{driver, openssl_verify, sim, sim_get};
use certbridge_sim::pebble::{random_eab_keys, PebbleConfig};

/// Pebble runs with VA_ALWAYS_VALID here; the solver records what it was
/// asked to publish.
#[derive(Default)]
struct Recorder(Mutex<Vec<ChallengeTask>>);

#[async_trait]
impl ChallengeSolver for Recorder {
    async fn publish(&self, tasks: &[ChallengeTask]) -> Result<(), Error> {
        self.0.lock().unwrap().extend_from_slice(tasks);
        Ok(())
    }
}

#[tokio::test]
async fn reseller_account_then_issue_renew_revoke_at_pebble() {
    let eab = random_eab_keys(4);
    let sim = sim(|c| c.identrust.eab_pool = eab.clone());
    let pebble = sim
        .start_pebble(PebbleConfig {
            eab_keys: eab,
            ..PebbleConfig::default()
        })
        .unwrap();
    let roots = vec![sim.ca_pem()];
    let recorder = Arc::new(Recorder::default());
    let d = driver(&roots).with_solver(recorder.clone());

    // The reseller API: the simulator stands in for IdenTrust's host, Pebble
    // for its ACME host (Pebble's directory is /dir, not /acme/{profile}/directory).
    let env = Environment::custom(&sim.base_url(), &sim.base_url()).unwrap();
    let reseller = IdenTrustClient::new(d.clone(), env, Secret::new("supersecret"));
    let account = reseller
        .create_account("customer@example.com")
        .await
        .unwrap();
    assert_eq!(account.email.as_deref(), Some("customer@example.com"));

    let acme = certbridge::client::AcmeClient::connect(
        d.clone(),
        &pebble.directory_url(),
        generate_account_key(),
    )
    .await
    .unwrap()
    .with_eab(account.eab.clone())
    .with_contact(vec!["mailto:customer@example.com".into()]);

    let key = generate_key(KeyKind::EcP256).unwrap();
    let csr = CsrBuilder::new()
        .dns_name("www.example.com")
        .dns_name("example.com")
        .build(&key)
        .unwrap();
    let issued = acme
        .issue_for(&["www.example.com".into(), "example.com".into()], csr.der())
        .await
        .unwrap();
    assert!(acme.account_url().is_some());
    let tasks = recorder.0.lock().unwrap().clone();
    assert_eq!(tasks.len(), 2, "{tasks:?}");

    // The chain verifies against Pebble's own root.
    let (_, root) = get(&d, &format!("{}/roots/0", pebble.management_url())).await;
    let ders = issued.chain.der().unwrap();
    let pems: Vec<String> = ders
        .iter()
        .map(|d| certbridge::crypto::pem::to_pem("CERTIFICATE", d))
        .collect();
    openssl_verify(&root, &pems[1..].concat(), &pems[0]);

    // Renewal: a new order (Pebble 2.4 has no ARI, so no `replaces`).
    let key2 = generate_key(KeyKind::Rsa2048).unwrap();
    let csr2 = CsrBuilder::new()
        .dns_name("www.example.com")
        .build(&key2)
        .unwrap();
    let options = IssueOptions::new(
        vec![Identifier::dns("www.example.com").unwrap()],
        csr2.der().to_vec(),
    );
    let renewed = acme.renew(pems[0].as_bytes(), options).await.unwrap();
    assert_ne!(
        renewed.chain.leaf_der().unwrap(),
        issued.chain.leaf_der().unwrap()
    );

    // Revoke the first by the account, the second by its own key.
    acme.revoke(pems[0].as_bytes(), Some(4)).await.unwrap();
    let cert_key = AccountKey::from_pkcs8_pem(key2.to_pkcs8_pem().unwrap().expose()).unwrap();
    acme.revoke_with_certificate_key(&renewed.chain.leaf_der().unwrap(), cert_key, None)
        .await
        .unwrap();
    let err = acme.revoke(pems[0].as_bytes(), None).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some("urn:ietf:params:acme:error:alreadyRevoked"),
        "{err}"
    );

    // Key rollover, then the account still works; then deactivate it.
    acme.change_key(AccountKey::generate_es256(&mut rand_core_os()))
        .await
        .unwrap();
    assert!(acme.find_account().await.is_ok());
    acme.deactivate().await.unwrap();
    let csr3 = CsrBuilder::new()
        .dns_name("late.example.com")
        .build(&key)
        .unwrap();
    let err = acme
        .issue_for(&["late.example.com".into()], csr3.der())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "provider", "{err}");
    let _ = sim_get(&sim, "/sim/health").await;
}

#[tokio::test]
async fn a_wrong_eab_key_is_refused_with_a_typed_error() {
    let eab = random_eab_keys(1);
    let sim = sim(|_| {});
    let pebble = sim
        .start_pebble(PebbleConfig {
            eab_keys: eab.clone(),
            ..PebbleConfig::default()
        })
        .unwrap();
    let d = driver(&[sim.ca_pem()]).with_solver(Arc::new(Recorder::default()));
    let wrong =
        certbridge::acme::EabKey::new(&eab[0].0, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
            .unwrap();
    let acme =
        certbridge::client::AcmeClient::connect(d, &pebble.directory_url(), generate_account_key())
            .await
            .unwrap()
            .with_eab(wrong);
    let err = acme.account().await.unwrap_err();
    assert_eq!(
        err.code(),
        Some("urn:ietf:params:acme:error:unauthorized"),
        "{err}"
    );
}

async fn get(d: &certbridge::client::Driver, url: &str) -> (u16, String) {
    let r = d
        .send(certbridge::HttpRequest::new(certbridge::Method::Get, url))
        .await
        .unwrap();
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}

fn rand_core_os() -> impl rand_core::CryptoRngCore {
    rand_core::OsRng
}
