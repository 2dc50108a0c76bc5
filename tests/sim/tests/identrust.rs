//! IdenTrust reseller API end to end: EAB pairs from a Pebble-format pool in
//! order (hmacKey as padded standard base64), random pairs without a pool,
//! API key checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine;
use common::{http, json, start};
use serde_json::json;

const POOL: &str = r#"{
  "pebble": {
    "listenAddress": "127.0.0.1:14000",
    "externalAccountBindingRequired": true,
    "externalAccountMACKeys": {
      "kid-zeta": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W",
      "kid-alpha": "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH",
      "kid-seed": "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg"
    }
  }
}"#;

async fn create(
    c: &reqwest::Client,
    base: &str,
    auth: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    json(
        c.post(format!("{base}/account"))
            .header("authorization", auth)
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn pool_pairs_are_handed_out_in_file_order_as_padded_standard_base64() {
    let pool = certbridge_sim::parse_eab_pool(POOL).unwrap();
    let sim = start(|c| c.identrust.eab_pool = pool.clone());
    let base = sim.base_url();
    let c = http();
    for (i, (kid, key)) in pool.iter().enumerate() {
        let (s, v) = create(
            &c,
            &base,
            "supersecret",
            json!({"customer_email": format!("c{i}@example.com")}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["kid"], kid.as_str());
        assert_eq!(v["id"], 1234 + i as u64);
        assert_eq!(v["resellerCode"], "RESELLER_CODE");
        assert_eq!(v["email"], format!("c{i}@example.com"));
        assert_eq!(
            (v["revoked"].clone(), v["deleted"].clone()),
            (json!(false), json!(false))
        );
        let hmac = v["hmacKey"].as_str().unwrap();
        // Padded standard base64 of exactly the bytes Pebble holds.
        let std = base64::engine::general_purpose::STANDARD
            .decode(hmac)
            .unwrap();
        let pebble = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(key)
            .unwrap();
        assert_eq!(std, pebble);
        assert_eq!(hmac.len() % 4, 0);
    }
    // The seed's own example pair round-trips to its documented value.
    let seed_key = "VL0adReIGO1c3XIyLxi6Klj7qNKEGk8INky7GwPkSeg=";
    assert_eq!(
        certbridge_sim::identrust::to_standard_base64(&pool[2].1).unwrap(),
        seed_key
    );
    let (s, v) = create(
        &c,
        &base,
        "supersecret",
        json!({"customer_email": "late@example.com"}),
    )
    .await;
    assert_eq!(s, 503, "{v}");
    assert_eq!(v["error"], "pool_exhausted");
}

#[tokio::test]
async fn random_pairs_and_authorization_checks() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();
    let (s, a) = create(
        &c,
        &base,
        "supersecret",
        json!({"customer_email": "customer@example.com"}),
    )
    .await;
    assert_eq!(s, 200, "{a}");
    let (_, b) = create(
        &c,
        &base,
        "supersecret",
        json!({"customer_email": "customer@example.com"}),
    )
    .await;
    assert_ne!(a["kid"], b["kid"]);
    assert_eq!(a["kid"].as_str().unwrap().len(), 36);
    let key = base64::engine::general_purpose::STANDARD
        .decode(a["hmacKey"].as_str().unwrap())
        .unwrap();
    assert_eq!(key.len(), 32);

    for auth in ["wrong", "Bearer supersecret", ""] {
        let (s, v) = create(&c, &base, auth, json!({"customer_email": "x@example.com"})).await;
        assert_eq!(s, 401, "{auth}: {v}");
    }
    let (s, _) = create(&c, &base, "supersecret", json!({"email": "x@example.com"})).await;
    assert_eq!(s, 400);
    let (s, _) = create(
        &c,
        &base,
        "supersecret",
        json!({"customer_email": "not-an-address"}),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = json(
        c.get(format!("{base}/account"))
            .header("authorization", "supersecret")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 405);
}
