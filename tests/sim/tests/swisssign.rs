//! SwissSign RA API v2 end to end: JWTs (own and PyJWT's), clients, domain
//! pre-validation through the simulated DNS, asynchronous orders, chains in
//! both formats, search and revocation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine;
use common::{http, json, start};
use serde_json::{json, Value};

const USER: &str = "service.account";
const KEY: &str = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w";
const CLI: &str = "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd";
const PMA: &str = "pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed";

struct Ss {
    base: String,
    c: reqwest::Client,
    jwt: String,
}

impl Ss {
    async fn new(base: String) -> Self {
        let c = http();
        let resp = c
            .post(format!("{base}/v2/jwt/{USER}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("userSecret={KEY}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let jwt = resp.text().await.unwrap();
        assert_eq!(jwt.split('.').count(), 3, "{jwt}");
        Ss { base, c, jwt }
    }

    async fn post(&self, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut r = self
            .c
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.jwt);
        if let Some(b) = body {
            r = r.json(&b);
        }
        json(r.send().await.unwrap()).await
    }

    async fn issue(&self, csr: &str) -> (u16, Value) {
        json(
            self.c
                .post(format!("{}/v2/issue/csr/{PMA}", self.base))
                .bearer_auth(&self.jwt)
                .header("content-type", "text/plain")
                .body(csr.to_owned())
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn wait(&self, ord: &str) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for _ in 0..200 {
            let (s, v) = self.post(&format!("/v2/order/{ord}/status"), None).await;
            assert_eq!(s, 200, "{v}");
            let status = v.as_str().expect("status is a bare JSON string").to_owned();
            if seen.last() != Some(&status) {
                seen.push(status.clone());
            }
            if matches!(
                status.as_str(),
                "ISSUED" | "FAILED" | "REJECTED" | "REVOKED"
            ) {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("order {ord} never finished: {seen:?}");
    }

    async fn validate_domain(&self, sim: &certbridge_sim::SimHandle, name: &str) -> Value {
        let (s, v) = self
            .post(
                &format!("/v2/client/domain/{CLI}/register"),
                Some(json!([name])),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        let d = v[0].clone();
        sim.publish_txt(
            d["punycodeName"].as_str().unwrap(),
            d["token"].as_str().unwrap(),
        );
        let (s, v) = self
            .post(
                &format!("/v2/client/domain/{}/validate", d["uuid"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(s, 200, "{v}");
        v
    }
}

fn assert_api_error(status: u16, v: &Value, want_status: u16, code: &str) {
    assert_eq!(status, want_status, "{v}");
    assert_eq!(v["errorCode"], code, "{v}");
    assert_eq!(v["uuid"].as_str().unwrap().len(), 36, "{v}");
    assert!(
        v["errorMessages"].as_array().is_some_and(|m| !m.is_empty()),
        "{v}"
    );
}

#[tokio::test]
async fn jwt_from_the_helper_and_from_pyjwt_are_accepted_bad_ones_are_not() {
    let sim = start(|_| {});
    let ss = Ss::new(sim.base_url()).await;
    let (s, v) = ss.post("/v2/clients?search=Client%2A", None).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v[0]["uuid"], CLI);
    assert!(v[0]["products"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["uuid"].as_str().unwrap().starts_with("pma-")));
    let (s, v) = ss.post("/v2/clients?search=Nobody%2A", None).await;
    assert_eq!((s, v), (200, json!([])));
    let (s, v) = ss.post(&format!("/v2/client/{CLI}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(v["products"][0]["uuid"], PMA);
    let (s, v) = ss.post("/v2/client/cli-unknown", None).await;
    assert_api_error(s, &v, 404, "011.110.0231");

    // Wrong userSecret.
    let resp =
        ss.c.post(format!("{}/v2/jwt/{USER}", ss.base))
            .form(&[("userSecret", "nope")])
            .send()
            .await
            .unwrap();
    let (s, v) = json(resp).await;
    assert_api_error(s, &v, 401, "009.353.0223");

    let pyjwt = |claims: &str, key: &str| {
        common::python(&format!(
            "import jwt, time; now = int(time.time()); print(jwt.encode({claims}, {key:?}, algorithm='HS256'))"
        ))
    };
    let good = pyjwt(&format!("{{'iss': 'SwissPKI', 'aud': 'REST API', 'sub': '{USER}', 'iat': now, 'nbf': now, 'exp': now + 60}}"), KEY);
    let cases = [
        (good.clone(), 200),
        (pyjwt(&format!("{{'iss': 'SwissPKI', 'aud': 'REST API', 'sub': '{USER}', 'iat': now, 'nbf': now, 'exp': now + 60}}"), "wrong-key"), 401),
        (pyjwt(&format!("{{'iss': 'SwissPKI', 'aud': 'REST API', 'sub': '{USER}', 'iat': now - 120, 'exp': now - 1}}"), KEY), 401),
        (pyjwt(&format!("{{'iss': 'SwissPKI', 'aud': 'RA API', 'sub': '{USER}', 'exp': now + 60}}"), KEY), 401),
        (pyjwt(&format!("{{'iss': 'Other', 'aud': 'REST API', 'sub': '{USER}', 'exp': now + 60}}"), KEY), 401),
        (pyjwt(&format!("{{'iss': 'SwissPKI', 'aud': 'REST API', 'sub': '{USER}'}}"), KEY), 401),
        (pyjwt("{'iss': 'SwissPKI', 'aud': 'REST API', 'sub': 'someone.else', 'exp': now + 60}", KEY), 401),
        (format!("{good}x"), 401),
        ("not-a-jwt".to_owned(), 401),
    ];
    for (token, want) in cases {
        let resp =
            ss.c.post(format!("{}/v2/clients", ss.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
        let (s, v) = json(resp).await;
        if want == 200 {
            assert_eq!(s, 200, "{v}");
        } else {
            assert_api_error(s, &v, 401, "009.250.0228");
        }
    }
    let (s, v) = json(
        ss.c.post(format!("{}/v2/clients", ss.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_api_error(s, &v, 401, "009.250.0228");
    let (s, v) = json(
        ss.c.get(format!("{}/v2/clients", ss.base))
            .bearer_auth(&ss.jwt)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_api_error(s, &v, 405, "011.110.0227");
}

#[tokio::test]
async fn domains_register_list_validate_by_dns_reset_and_delete() {
    let sim = start(|_| {});
    let ss = Ss::new(sim.base_url()).await;
    let (s, v) = ss
        .post(
            &format!("/v2/client/domain/{CLI}/register"),
            Some(json!(["déjà.vu.com", "jamais.vu.com"])),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let d = v[0].clone();
    assert!(d["uuid"].as_str().unwrap().starts_with("cld-"));
    assert_eq!(d["name"], "déjà.vu.com");
    assert_eq!(d["punycodeName"], "xn--dj-kia8a.vu.com");
    assert_eq!(d["status"], "PENDING");
    let token = d["token"].as_str().unwrap().to_owned();
    assert!(
        token.starts_with("swiss-pki=") && token.len() == "swiss-pki=".len() + 27,
        "{token}"
    );
    let cld = d["uuid"].as_str().unwrap().to_owned();

    for path in [
        format!("/v2/client/domain/{CLI}/list"),
        format!("/v2/client/domains/{CLI}/list"),
    ] {
        let (s, v) = ss.post(&path, None).await;
        assert_eq!(s, 200);
        assert_eq!(v.as_array().unwrap().len(), 2);
    }
    let (s, v) = ss.post(&format!("/v2/client/domain/{cld}"), None).await;
    assert_eq!((s, v["token"].as_str()), (200, Some(token.as_str())));

    // Not yet in DNS; then published on the Unicode name (wrong), then right.
    let (s, v) = ss
        .post(&format!("/v2/client/domain/{cld}/validate"), None)
        .await;
    assert_api_error(s, &v, 400, "011.354.0240");
    let resp =
        ss.c.post(format!("{}/sim/dns/txt", ss.base))
            .json(&json!({"name": "déjà.vu.com", "value": token}))
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let (s, _) = ss
        .post(&format!("/v2/client/domain/{cld}/validate"), None)
        .await;
    assert_eq!(s, 400);
    let resp =
        ss.c.post(format!("{}/sim/dns/txt", ss.base))
            .json(&json!({"name": "XN--DJ-KIA8A.vu.com.", "value": token}))
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let (s, v) = ss
        .post(&format!("/v2/client/domain/{cld}/validate"), None)
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "VALIDATED");
    assert!(v["validUntil"].is_string());

    let (s, v) = ss
        .post(&format!("/v2/client/domain/{cld}/token/reset"), None)
        .await;
    assert_eq!(s, 200);
    assert_ne!(v["token"].as_str().unwrap(), token);
    let (s, v) = ss
        .post(&format!("/v2/client/domain/{cld}/token/delete"), None)
        .await;
    assert_eq!((s, v["token"].clone()), (200, Value::Null));
    let (s, v) = ss
        .post(&format!("/v2/client/domain/{cld}/delete"), None)
        .await;
    assert_eq!((s, v["uuid"].as_str()), (200, Some(cld.as_str())));
    let (s, v) = ss.post(&format!("/v2/client/domain/{cld}"), None).await;
    assert_api_error(s, &v, 404, "011.110.0240");
    let (s, v) = ss
        .post(
            &format!("/v2/client/domain/{CLI}/register"),
            Some(json!("x.com")),
        )
        .await;
    assert_api_error(s, &v, 400, "011.351.0226");
    let (s, v) = ss
        .post(
            &format!("/v2/client/domain/{CLI}/register"),
            Some(json!(["no_dots"])),
        )
        .await;
    assert_api_error(s, &v, 400, "011.351.0226");
}

#[tokio::test]
async fn order_moves_through_statuses_and_chain_verifies_in_both_formats() {
    let sim = start(|c| c.swisssign.issue_delay_ms = 400);
    let ss = Ss::new(sim.base_url()).await;
    let dir = common::tempdir("swisssign");
    ss.validate_domain(&sim, "example.org").await;
    let (key, csr) =
        common::openssl_csr(&dir, "www.example.org", &["www.example.org", "example.org"]);

    let (s, order) = ss.issue(&csr).await;
    assert_eq!(s, 200, "{order}");
    let ord = order["uuid"].as_str().unwrap().to_owned();
    assert!(ord.starts_with("ord-"));
    assert_eq!(order["status"], "NEW");
    assert_eq!(order["clientReference"], CLI);
    assert_eq!(order["productReference"], PMA);
    assert!(order["createdOn"].is_string());
    let (s, v) = json(
        ss.c.post(format!("{}/v2/order/{ord}/certificate/chain", ss.base))
            .bearer_auth(&ss.jwt)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_api_error(s, &v, 409, "011.354.0225");

    let seen = ss.wait(&ord).await;
    assert_eq!(seen.last().unwrap(), "ISSUED");
    let order_flow = ["NEW", "PRE_VALIDATION", "ISSUE", "ISSUED"];
    assert!(seen.len() >= 2, "{seen:?}");
    let mut it = order_flow.iter();
    assert!(
        seen.iter().all(|s| it.any(|f| f == s)),
        "out of order: {seen:?}"
    );

    // JSON chain (default): leaf first, verifies, carries the CSR's key and SANs.
    let resp =
        ss.c.post(format!("{}/v2/order/{ord}/certificate/chain", ss.base))
            .bearer_auth(&ss.jwt)
            .send()
            .await
            .unwrap();
    let (s, chain) = json(resp).await;
    assert_eq!(s, 200);
    let certs: Vec<Vec<u8>> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            base64::engine::general_purpose::STANDARD
                .decode(c.as_str().unwrap())
                .unwrap()
        })
        .collect();
    assert_eq!(certs.len(), 3);
    let leaf = common::pem(&certs[0]);
    assert!(common::openssl_verify(&sim, &dir, &leaf).contains(": OK"));
    assert_eq!(common::pem(&certs[2]), sim.ca_pem());
    let text = String::from_utf8(common::run(
        "openssl",
        &["x509", "-noout", "-text"],
        Some(leaf.as_bytes()),
    ))
    .unwrap();
    assert!(
        text.contains("DNS:www.example.org") && text.contains("DNS:example.org"),
        "{text}"
    );
    let key_pub = common::run(
        "openssl",
        &["pkey", "-in", key.to_str().unwrap(), "-pubout"],
        None,
    );
    assert_eq!(
        common::run(
            "openssl",
            &["x509", "-pubkey", "-noout"],
            Some(leaf.as_bytes())
        ),
        key_pub
    );

    // PKCS#7 when asked for.
    let resp =
        ss.c.post(format!("{}/v2/order/{ord}/certificate/chain", ss.base))
            .bearer_auth(&ss.jwt)
            .header("accept", "application/pkcs7-mime")
            .send()
            .await
            .unwrap();
    assert_eq!(resp.headers()["content-type"], "application/pkcs7-mime");
    let p7 = resp.bytes().await.unwrap();
    let printed = String::from_utf8(common::run(
        "openssl",
        &["pkcs7", "-inform", "DER", "-print_certs"],
        Some(&p7),
    ))
    .unwrap();
    assert_eq!(
        printed.matches("-----BEGIN CERTIFICATE-----").count(),
        3,
        "{printed}"
    );
    assert!(printed.contains(&leaf), "{printed}");

    // The order object now names serial and issuer.
    let (s, v) = ss.post(&format!("/v2/order/{ord}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "ISSUED");
    let serial = String::from_utf8(common::run(
        "openssl",
        &["x509", "-noout", "-serial"],
        Some(leaf.as_bytes()),
    ))
    .unwrap();
    assert_eq!(
        serial.trim().trim_start_matches("serial="),
        v["serialNumber"].as_str().unwrap()
    );
    assert_eq!(
        v["issuerName"],
        "CN=certbridge-sim Issuing CA,O=certbridge-sim"
    );
}

#[tokio::test]
async fn pkcs7_can_be_the_configured_default() {
    let sim = start(|c| {
        c.swisssign.chain_format = certbridge_sim::ChainFormat::Pkcs7;
        c.swisssign.issue_delay_ms = 0;
        c.swisssign.require_prevalidation = false;
    });
    let ss = Ss::new(sim.base_url()).await;
    let dir = common::tempdir("swisssign-p7");
    let (_, csr) = common::openssl_csr(&dir, "host.unvalidated.test", &[]);
    let (s, order) = ss.issue(&csr).await;
    assert_eq!(
        (s, order["status"].as_str()),
        (200, Some("ISSUED")),
        "{order}"
    );
    let ord = order["uuid"].as_str().unwrap();
    let chain = |accept: Option<&'static str>| {
        let mut r =
            ss.c.post(format!("{}/v2/order/{ord}/certificate/chain", ss.base))
                .bearer_auth(&ss.jwt);
        if let Some(a) = accept {
            r = r.header("accept", a);
        }
        r.send()
    };
    let resp = chain(None).await.unwrap();
    assert_eq!(resp.headers()["content-type"], "application/pkcs7-mime");
    common::run(
        "openssl",
        &["pkcs7", "-inform", "DER", "-print_certs"],
        Some(&resp.bytes().await.unwrap()),
    );
    let resp = chain(Some("application/json")).await.unwrap();
    assert_eq!(resp.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn orders_fail_for_unvalidated_names_and_bad_requests_are_refused() {
    let sim = start(|c| c.swisssign.issue_delay_ms = 40);
    let ss = Ss::new(sim.base_url()).await;
    let dir = common::tempdir("swisssign-fail");
    ss.validate_domain(&sim, "good.example").await;
    let (_, bad) = common::openssl_csr(&dir, "a.good.example", &["a.good.example", "evil.example"]);
    let (s, order) = ss.issue(&bad).await;
    assert_eq!(s, 200);
    let ord = order["uuid"].as_str().unwrap().to_owned();
    assert_eq!(ss.wait(&ord).await.last().unwrap(), "FAILED");
    let (_, v) = ss.post(&format!("/v2/order/{ord}"), None).await;
    assert!(
        v["statusMessage"]
            .as_str()
            .unwrap()
            .contains("evil.example"),
        "{v}"
    );

    // Wildcard under a validated domain is fine.
    let (_, wild) = common::openssl_csr(&dir, "*.good.example", &["*.good.example"]);
    let (_, order) = ss.issue(&wild).await;
    assert_eq!(
        ss.wait(order["uuid"].as_str().unwrap())
            .await
            .last()
            .unwrap(),
        "ISSUED"
    );

    // Media type, CSR syntax, CSR signature, unknown product.
    let (_, good) = common::openssl_csr(&dir, "b.good.example", &["b.good.example"]);
    let resp =
        ss.c.post(format!("{}/v2/issue/csr/{PMA}", ss.base))
            .bearer_auth(&ss.jwt)
            .json(&good)
            .send()
            .await
            .unwrap();
    let (s, v) = json(resp).await;
    assert_api_error(s, &v, 415, "011.351.0226");
    let (s, v) = ss.issue("MIIB...").await;
    assert_api_error(s, &v, 400, "011.351.0241");
    let der = base64::engine::general_purpose::STANDARD
        .decode(
            good.lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<String>(),
        )
        .unwrap();
    let mut tampered = der.clone();
    let n = tampered.len();
    tampered[n - 5] ^= 0x01;
    let (s, v) = ss
        .issue(&common::pem(&tampered).replace("CERTIFICATE", "CERTIFICATE REQUEST"))
        .await;
    assert_api_error(s, &v, 400, "011.351.0241");
    let resp =
        ss.c.post(format!("{}/v2/issue/csr/pma-nope", ss.base))
            .bearer_auth(&ss.jwt)
            .header("content-type", "text/plain")
            .body(good.clone())
            .send()
            .await
            .unwrap();
    let (s, v) = json(resp).await;
    assert_api_error(s, &v, 404, "011.110.0243");
    let (s, v) = ss.post("/v2/order/ord-nope/status", None).await;
    assert_api_error(s, &v, 404, "011.110.0240");

    // Dry run creates nothing; /v2/issue (JSON) does.
    let (_, before) = ss.post("/v2/orders", None).await;
    let (s, v) = ss
        .post(
            "/v2/validate",
            Some(json!({"productReference": PMA, "csr": bad})),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["valid"], false);
    let (s, v) = ss
        .post(
            "/v2/validate",
            Some(json!({"productReference": PMA, "csr": good})),
        )
        .await;
    assert_eq!((s, v["valid"].clone()), (200, json!(true)));
    let (_, after) = ss.post("/v2/orders", None).await;
    assert_eq!(
        before.as_array().unwrap().len(),
        after.as_array().unwrap().len()
    );
    let (s, v) = ss
        .post(
            "/v2/issue",
            Some(json!({"productReference": PMA, "csr": good})),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["uuid"].as_str().unwrap().starts_with("ord-"));
    let (_, failed) = ss
        .post("/v2/orders", Some(json!({"status": "FAILED"})))
        .await;
    assert_eq!(failed.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn revocation_accepts_both_reason_spellings_and_checks_serial_and_issuer() {
    let sim = start(|c| c.swisssign.issue_delay_ms = 0);
    let ss = Ss::new(sim.base_url()).await;
    let dir = common::tempdir("swisssign-revoke");
    ss.validate_domain(&sim, "rev.example").await;
    let mut issued = Vec::new();
    for host in ["a.rev.example", "b.rev.example"] {
        let (_, csr) = common::openssl_csr(&dir, host, &[host]);
        let (_, o) = ss.issue(&csr).await;
        let (_, o) = ss
            .post(&format!("/v2/order/{}", o["uuid"].as_str().unwrap()), None)
            .await;
        issued.push(o);
    }
    let serial = |i: usize| issued[i]["serialNumber"].as_str().unwrap().to_owned();
    let issuer = issued[0]["issuerName"].as_str().unwrap().to_owned();
    // The seed's example: camelCase reason, RFC 4514 issuer.
    let (s, v) = ss.post("/v2/revoke", Some(json!([{"serialNumber": serial(0), "issuerName": issuer, "revocationReason": "superseded"}]))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v[0]["revocationReason"], "SUPERSEDED");
    assert_eq!(
        ss.wait(issued[0]["uuid"].as_str().unwrap()).await,
        vec!["REVOKED".to_string()]
    );
    let (s, v) = ss.post("/v2/revoke", Some(json!([{"serialNumber": serial(0), "issuerName": issuer, "revocationReason": "SUPERSEDED"}]))).await;
    assert_api_error(s, &v, 400, "011.354.0233");
    let (s, v) = ss.post("/v2/revoke", Some(json!([{"serialNumber": serial(1), "issuerName": "CN=Other CA", "revocationReason": "KEY_COMPROMISE"}]))).await;
    assert_api_error(s, &v, 400, "011.354.0238");
    let (s, v) = ss.post("/v2/revoke", Some(json!([{"serialNumber": "0BADC0DE", "issuerName": issuer, "revocationReason": "KEY_COMPROMISE"}]))).await;
    assert_api_error(s, &v, 400, "011.354.0230");
    let (s, v) = ss.post("/v2/revoke", Some(json!([{"serialNumber": serial(1), "issuerName": issuer, "revocationReason": "stolen"}]))).await;
    assert_api_error(s, &v, 400, "011.351.0226");
    // Issuer written in DER order, serial in lower case with colons.
    let lower: String = serial(1)
        .to_lowercase()
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(":");
    let (s, v) = ss.post("/v2/revoke", Some(json!([{"serialNumber": lower, "issuerName": "O=certbridge-sim, CN=certbridge-sim Issuing CA", "revocationReason": "KEY_COMPROMISE"}]))).await;
    assert_eq!(s, 200, "{v}");
    let (_, revoked) = ss
        .post("/v2/orders", Some(json!({"status": "REVOKED"})))
        .await;
    assert_eq!(revoked.as_array().unwrap().len(), 2);
}
