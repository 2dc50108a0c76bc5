//! The reseller API's EAB pairs work against a real ACME server: Pebble (the
//! Debian package) is started with the same `externalAccountMACKeys` pool,
//! and an RFC 8555 §7.3.4 newAccount with External Account Binding built
//! from the simulator's `kid` + padded standard base64 `hmacKey` is accepted;
//! a tampered key is refused. Requires `pebble` on PATH (`apt-get install pebble`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use hmac::Mac;
use p256::ecdsa::signature::Signer;
use serde_json::{json, Value};

const B64U: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

struct Pebble {
    child: Child,
    url: String,
    cert: String,
}

impl Drop for Pebble {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_pebble(dir: &Path, pool_json: &Value) -> Pebble {
    let (key, cert) = common::openssl_self_signed(
        dir,
        "pebble",
        "/CN=localhost",
        &["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    );
    let port = free_port();
    let config = json!({"pebble": {
        "listenAddress": format!("127.0.0.1:{port}"),
        "managementListenAddress": format!("127.0.0.1:{}", free_port()),
        "certificate": cert,
        "privateKey": key,
        "httpPort": free_port(),
        "tlsPort": free_port(),
        "ocspResponderURL": "",
        "externalAccountBindingRequired": true,
        "externalAccountMACKeys": pool_json,
    }});
    let config_file = dir.join("pebble.json");
    std::fs::write(&config_file, config.to_string()).unwrap();
    let child = Command::new("pebble")
        .args(["-config", config_file.to_str().unwrap()])
        .env("PEBBLE_WFE_NONCEREJECT", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pebble must be installed (apt-get install pebble)");
    let pebble = Pebble {
        child,
        url: format!("https://127.0.0.1:{port}"),
        cert: cert.display().to_string(),
    };
    for _ in 0..100 {
        if curl(&pebble, &["-f", &format!("{}/dir", pebble.url)], None).0 {
            return pebble;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("pebble did not come up");
}

fn curl(p: &Pebble, args: &[&str], body: Option<&[u8]>) -> (bool, String) {
    let mut all = vec!["-s", "--cacert", p.cert.as_str()];
    all.extend_from_slice(args);
    let (ok, out, _) = common::try_run("curl", &all, body);
    (ok, String::from_utf8(out).unwrap())
}

fn nonce(p: &Pebble, dir: &Value) -> String {
    let (_, head) = curl(p, &["-I", dir["newNonce"].as_str().unwrap()], None);
    head.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("replay-nonce:")
                .then(|| l[13..].trim().to_owned())
        })
        .expect("Replay-Nonce")
}

/// newAccount with EAB; returns (HTTP status, body).
fn new_account(p: &Pebble, kid: &str, hmac_key: &[u8]) -> (u16, Value) {
    let (_, d) = curl(p, &[&format!("{}/dir", p.url)], None);
    let dir: Value = serde_json::from_str(&d).unwrap();
    let url = dir["newAccount"].as_str().unwrap().to_owned();
    let key = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
    let point = key.verifying_key().to_encoded_point(false);
    let jwk = json!({"crv": "P-256", "kty": "EC", "x": B64U.encode(point.x().unwrap()), "y": B64U.encode(point.y().unwrap())});

    let eab_protected = B64U.encode(json!({"alg": "HS256", "kid": kid, "url": url}).to_string());
    let eab_payload = B64U.encode(jwk.to_string());
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(hmac_key).unwrap();
    mac.update(format!("{eab_protected}.{eab_payload}").as_bytes());
    let eab = json!({"protected": eab_protected, "payload": eab_payload, "signature": B64U.encode(mac.finalize().into_bytes())});

    let protected = B64U.encode(
        json!({"alg": "ES256", "jwk": jwk, "nonce": nonce(p, &dir), "url": url}).to_string(),
    );
    let payload = B64U.encode(
        json!({"termsOfServiceAgreed": true, "contact": ["mailto:customer@example.com"], "externalAccountBinding": eab}).to_string(),
    );
    let sig: p256::ecdsa::Signature = key.sign(format!("{protected}.{payload}").as_bytes());
    let jws = json!({"protected": protected, "payload": payload, "signature": B64U.encode(sig.to_bytes())});
    let (_, out) = curl(
        p,
        &[
            "-H",
            "Content-Type: application/jose+json",
            "--data-binary",
            "@-",
            "-w",
            "\n%{http_code}",
            &url,
        ],
        Some(jws.to_string().as_bytes()),
    );
    let (body, code) = out.rsplit_once('\n').unwrap();
    (
        code.parse().unwrap(),
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn pebble_accepts_the_eab_pairs_the_reseller_api_hands_out() {
    let dir = common::tempdir("pebble");
    let pool_text = r#"{"kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W",
                        "kid-2": "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH"}"#;
    let pool = certbridge_sim::parse_eab_pool(pool_text).unwrap();
    let pebble = start_pebble(&dir, &serde_json::from_str(pool_text).unwrap());
    let sim = common::start(|c| c.identrust.eab_pool = pool);
    let c = common::http();

    for _ in 0..2 {
        let v: Value = c
            .post(format!("{}/account", sim.base_url()))
            .header("authorization", "supersecret")
            .json(&json!({"customer_email": "customer@example.com"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let kid = v["kid"].as_str().unwrap().to_owned();
        // What a client must do with IdenTrust's padded standard base64.
        let key = base64::engine::general_purpose::STANDARD
            .decode(v["hmacKey"].as_str().unwrap())
            .unwrap();
        let mut wrong = key.clone();
        wrong[0] ^= 1;
        let (status, body) = new_account(&pebble, &kid, &wrong);
        assert_eq!(status, 403, "tampered key must be refused: {body}");
        assert_eq!(body["type"], "urn:ietf:params:acme:error:unauthorized");
        let (status, body) = new_account(&pebble, &kid, &key);
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["status"], "valid");
    }
}
