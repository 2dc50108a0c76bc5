//! Fault switches, the request log, CORS and the binary, end to end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use common::{http, json, start};
use serde_json::{json, Value};

async fn fault(c: &reqwest::Client, base: &str, spec: Value) {
    let resp = c
        .post(format!("{base}/sim/faults"))
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status().as_u16(),
        201,
        "{}",
        resp.text().await.unwrap()
    );
}

async fn reseller(c: &reqwest::Client, base: &str) -> reqwest::Result<reqwest::Response> {
    c.post(format!("{base}/account"))
        .header("authorization", "supersecret")
        .json(&json!({"customer_email": "f@example.com"}))
        .send()
        .await
}

async fn log(c: &reqwest::Client, base: &str) -> Vec<Value> {
    let v: Value = c
        .get(format!("{base}/sim/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v.as_array().unwrap().clone()
}

#[tokio::test]
async fn status_delay_drop_and_malformed_faults_are_observable() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();

    fault(&c, &base, json!({"path_prefix": "/account", "fault": "status", "code": 503, "retry_after": 2, "count": 2})).await;
    for _ in 0..2 {
        let r = reseller(&c, &base).await.unwrap();
        assert_eq!(r.status().as_u16(), 503);
        assert_eq!(r.headers()["retry-after"], "2");
    }
    assert_eq!(reseller(&c, &base).await.unwrap().status().as_u16(), 200);

    fault(&c, &base, json!({"fault": "delay", "ms": 300})).await;
    let t = Instant::now();
    assert_eq!(reseller(&c, &base).await.unwrap().status().as_u16(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    fault(
        &c,
        &base,
        json!({"path_prefix": "/account", "method": "POST", "fault": "drop"}),
    )
    .await;
    let err = reseller(&c, &base).await.expect_err("connection dropped");
    assert!(!err.is_status(), "{err}");
    assert_eq!(reseller(&c, &base).await.unwrap().status().as_u16(), 200);

    fault(&c, &base, json!({"fault": "malformed"})).await;
    let r = reseller(&c, &base).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body = r.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    assert!(body.starts_with('{'));

    fault(&c, &base, json!({"fault": "malformed", "variant": "html"})).await;
    let r = reseller(&c, &base).await.unwrap();
    assert_eq!(r.status().as_u16(), 502);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("502 Bad Gateway"));

    fault(&c, &base, json!({"fault": "malformed", "variant": "empty"})).await;
    let r = reseller(&c, &base).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.bytes().await.unwrap().is_empty());

    let entries = log(&c, &base).await;
    let faults: Vec<(Option<u64>, Option<&str>)> = entries
        .iter()
        .filter(|e| e["path"] == "/account")
        .map(|e| (e["status"].as_u64(), e["fault"].as_str()))
        .collect();
    assert_eq!(
        faults,
        vec![
            (Some(503), Some("status")),
            (Some(503), Some("status")),
            (Some(200), None),
            (Some(200), Some("delay")),
            (None, Some("drop")),
            (Some(200), None),
            (Some(200), Some("malformed")),
            (Some(502), Some("malformed")),
            (Some(200), Some("malformed")),
        ]
    );
    // No query strings or secrets in the log.
    assert!(entries.iter().all(|e| e.as_object().unwrap().len() == 5));

    // Faults listed, deleted; the log can be cleared.
    fault(
        &c,
        &base,
        json!([{"fault": "drop", "count": 5}, {"fault": "status", "code": 500, "rate": 0.5}]),
    )
    .await;
    let rules: Value = c
        .get(format!("{base}/sim/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["remaining"] != json!(0))
            .count(),
        2
    );
    assert_eq!(
        c.delete(format!("{base}/sim/faults"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert_eq!(reseller(&c, &base).await.unwrap().status().as_u16(), 200);
    assert_eq!(
        c.delete(format!("{base}/sim/requests"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert_eq!(
        log(&c, &base).await.len(),
        1,
        "after clearing only the DELETE itself is logged"
    );
}

#[tokio::test]
async fn rate_faults_are_seeded_and_partial() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();
    let run = |seed: u64| {
        let c = c.clone();
        let base = base.clone();
        async move {
            c.delete(format!("{base}/sim/faults")).send().await.unwrap();
            fault(&c, &base, json!({"seed": seed, "path_prefix": "/account", "fault": "status", "code": 500, "rate": 0.5})).await;
            let mut pattern = Vec::new();
            for _ in 0..40 {
                pattern.push(reseller(&c, &base).await.unwrap().status().as_u16() == 500);
            }
            pattern
        }
    };
    let a = run(9).await;
    let b = run(9).await;
    assert_eq!(a, b, "same seed, same pattern");
    let hits = a.iter().filter(|x| **x).count();
    assert!((8..=32).contains(&hits), "{hits}");
}

#[tokio::test]
async fn expired_token_fault_uses_each_providers_own_error() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();
    let (access, refresh) = common::redtrust_login(&c, &base).await;
    let create = |t: String| {
        c.post(format!("{base}/raapi/v1/csr/create"))
            .bearer_auth(t)
            .json(&json!({"dn": [{"attribute": "cn", "value": "x"}], "hashType": "SHA256", "keyLength": 256, "keyType": "EC", "provider": "CAMERFIRMA"}))
            .send()
    };
    fault(
        &c,
        &base,
        json!({"path_prefix": "/raapi/v1/csr/", "fault": "expired_token"}),
    )
    .await;
    let (s, v) = json(create(access.clone()).await.unwrap()).await;
    assert_eq!((s, v["errorCode"].as_str()), (401, Some("TOKEN_EXPIRED")));
    // The token stays expired; a refresh cures it.
    let (s, _) = json(create(access).await.unwrap()).await;
    assert_eq!(s, 401);
    let (_, v) = json(
        c.put(format!("{base}/raapi/v1/auth/refresh-token"))
            .json(&json!({"refreshToken": refresh}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (s, _) = json(
        create(v["data"]["accessToken"].as_str().unwrap().to_owned())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);

    let jwt = common::swisssign_jwt(&c, &sim).await;
    fault(
        &c,
        &base,
        json!({"path_prefix": "/v2/clients", "fault": "expired_token"}),
    )
    .await;
    let (s, v) = json(
        c.post(format!("{base}/v2/clients"))
            .bearer_auth(&jwt)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, v["errorCode"].as_str()), (401, Some("009.250.0228")));
    let (s, _) = json(
        c.post(format!("{base}/v2/clients"))
            .bearer_auth(&jwt)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn cors_preflight_and_headers_on_every_answer() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();
    for path in [
        "/raapi/v1/auth/login",
        "/v2/issue/csr/pma-x",
        "/account",
        "/authclient/auth/loginrequest",
    ] {
        let r = c
            .request(reqwest::Method::OPTIONS, format!("{base}{path}"))
            .header("origin", "https://app.example")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type, x-hmac-signature",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 204, "{path}");
        let h = r.headers();
        assert_eq!(h["access-control-allow-origin"], "https://app.example");
        let methods = h["access-control-allow-methods"].to_str().unwrap();
        for m in ["GET", "POST", "PUT", "DELETE"] {
            assert!(methods.contains(m));
        }
        assert!(h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("x-hmac-signature"));
    }
    // A plain preflight without requested headers lists the ones the APIs use.
    let r = c
        .request(reqwest::Method::OPTIONS, format!("{base}/v2/clients"))
        .send()
        .await
        .unwrap();
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for h in [
        "authorization",
        "content-type",
        "x-partner-name",
        "x-request-timestamp",
        "x-hmac-signature",
    ] {
        assert!(allowed.contains(h), "{allowed}");
    }
    // Errors and successes carry CORS too.
    let r = c.post(format!("{base}/v2/clients")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        r.headers()["access-control-expose-headers"],
        "Replay-Nonce, Location, Retry-After, Link"
    );
}

#[test]
fn binary_prints_url_and_credentials_and_serves() {
    let dir = common::tempdir("bin");
    let pool = dir.join("pool.json");
    std::fs::write(&pool, r#"{"externalAccountMACKeys": {"k1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"}}"#).unwrap();
    let config = dir.join("config.json");
    std::fs::write(&config, r#"{"identrust": {"api_key": "from-config"}}"#).unwrap();
    let ca = dir.join("ca.pem");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certbridge-sim"))
        .args([
            "--port",
            "0",
            "--config",
            config.to_str().unwrap(),
            "--eab-pool",
            pool.to_str().unwrap(),
            "--ca-out",
            ca.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("certbridge-sim listening on ")
        .expect(&first)
        .to_owned();
    let rest: Vec<String> = lines.by_ref().take(6).map(|l| l.unwrap()).collect();
    let out = common::run(
        "curl",
        &[
            "-s",
            "-X",
            "POST",
            "-H",
            "Authorization: from-config",
            "-H",
            "Content-Type: application/json",
            "-d",
            r#"{"customer_email":"a@b.example"}"#,
            &format!("{url}/account"),
        ],
        None,
    );
    let _ = child.kill();
    let _ = child.wait();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["kid"], "k1");
    assert!(
        rest.iter().any(|l| l.contains("demo / demo-password")),
        "{rest:?}"
    );
    assert!(
        rest.iter()
            .any(|l| l.contains("from-config") && l.contains("1 EAB keys")),
        "{rest:?}"
    );
    assert!(std::fs::read_to_string(ca)
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
}

#[test]
fn https_listener_is_trusted_through_the_sim_root_only() {
    let sim = start(|c| c.tls = true);
    let base = sim.base_url();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let dir = common::tempdir("tls");
    let root = dir.join("root.pem");
    std::fs::write(&root, sim.ca_pem()).unwrap();
    let out = common::run(
        "curl",
        &[
            "-sS",
            "--cacert",
            root.to_str().unwrap(),
            &format!("{base}/sim/health"),
        ],
        None,
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out).unwrap(),
        json!({"ok": true})
    );
    let localhost = base.replace("127.0.0.1", "localhost");
    common::run(
        "curl",
        &[
            "-sS",
            "--cacert",
            root.to_str().unwrap(),
            &format!("{localhost}/sim/health"),
        ],
        None,
    );
    // Without the custom trust anchor the system store refuses it.
    let (ok, _, err) = common::try_run("curl", &["-sS", &format!("{base}/sim/health")], None);
    assert!(!ok, "{}", String::from_utf8_lossy(&err));
}

/// Every endpoint answers garbage with a 4xx of its own shape, never a
/// dropped connection (a handler panic) or a 5xx.
#[tokio::test]
async fn garbage_bodies_never_crash_an_endpoint() {
    let sim = start(|c| c.swisssign.issue_delay_ms = 0);
    let base = sim.base_url();
    let c = http();
    let (rt, _) = common::redtrust_login(&c, &base).await;
    let ss = common::swisssign_jwt(&c, &sim).await;
    let cli = "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd";
    let endpoints: Vec<(&str, String, Option<String>)> = vec![
        ("POST", "/raapi/v1/auth/login".into(), None),
        ("GET", "/authclient/auth/loginrequest?Consumer=RA_API&RedirectUrl=https%3A%2F%2Fa&timestamp=-9223372036854775808&partner=CA_DEMO&hmac=%FF".into(), None),
        ("POST", "/authapi/v1/login_by_temp_token".into(), None),
        ("PUT", "/authapi/v1/refresh-token".into(), None),
        ("PUT", "/raapi/v1/auth/refresh-token".into(), None),
        ("POST", "/raapi/v1/csr/create".into(), Some(rt.clone())),
        ("GET", "/raapi/v1/csr/create".into(), Some(rt.clone())),
        ("POST", "/raapi/v2/csr/create".into(), Some(rt.clone())),
        ("PUT", "/raapi/v1/csr/finalize".into(), Some(rt.clone())),
        ("POST", "/v2/jwt/service.account".into(), None),
        ("POST", "/v2/clients?search=%2A%2A%2A".into(), Some(ss.clone())),
        ("POST", format!("/v2/client/domain/{cli}/register"), Some(ss.clone())),
        ("POST", "/v2/client/domain/cld-x/validate".into(), Some(ss.clone())),
        ("POST", "/v2/issue/csr/pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed".into(), Some(ss.clone())),
        ("POST", "/v2/issue".into(), Some(ss.clone())),
        ("POST", "/v2/validate".into(), Some(ss.clone())),
        ("POST", "/v2/orders".into(), Some(ss.clone())),
        ("POST", "/v2/revoke".into(), Some(ss.clone())),
        ("POST", "/account".into(), Some("supersecret".into())),
        ("POST", "/sim/faults".into(), None),
        ("POST", "/sim/dns/txt".into(), None),
    ];
    let bodies: Vec<Vec<u8>> = vec![
        vec![],
        b"{".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"[{}]".to_vec(),
        b"{\"dn\": [{\"attribute\": 1}], \"keyLength\": 1e400}".to_vec(),
        b"-----BEGIN CERTIFICATE REQUEST-----\n!!\n-----END CERTIFICATE REQUEST-----".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80],
        format!("{{\"productReference\": \"pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed\", \"csr\": {:?}, \"fault\": \"delay\", \"ms\": 99999999999}}", "x".repeat(5000)).into_bytes(),
    ];
    for (method, path, token) in &endpoints {
        for (i, body) in bodies.iter().enumerate() {
            for ct in ["application/json", "text/plain"] {
                let mut r = c
                    .request(
                        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                        format!("{base}{path}"),
                    )
                    .header("content-type", ct)
                    .body(body.clone());
                if let Some(t) = token {
                    r = if path == "/account" {
                        r.header("authorization", t)
                    } else {
                        r.bearer_auth(t)
                    };
                }
                let resp = r
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{method} {path} body #{i}: {e}"));
                let status = resp.status().as_u16();
                assert!(
                    (200..500).contains(&status),
                    "{method} {path} body #{i} ({ct}): {status}"
                );
            }
        }
    }
    let health = c.get(format!("{base}/sim/health")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
}

#[test]
fn shutdown_and_drop_release_the_port() {
    let sim = start(|_| {});
    let addr = sim.addr();
    assert!(std::net::TcpStream::connect(addr).is_ok());
    sim.shutdown();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening after shutdown"
    );
    let sim = start(|_| {});
    let addr = sim.addr();
    drop(sim);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening after drop"
    );
}

/// `--pebble` prints one JSON line a harness in any language can use: the
/// simulator and Pebble (trusting the printed CA), the EAB pool both share,
/// and the PIDs; closing standard input stops Pebble and the simulator.
#[test]
fn binary_with_pebble_prints_json_and_stops_on_stdin_close() {
    if certbridge_sim::pebble::binary().is_none() {
        eprintln!("skipped: pebble is not installed (apt-get install pebble)");
        return;
    }
    let dir = common::tempdir("bin-pebble");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certbridge-sim"))
        .args(["--port", "0", "--pebble"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let v: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, v["ca_pem"].as_str().unwrap()).unwrap();
    let directory = common::run(
        "curl",
        &[
            "-sf",
            "--cacert",
            ca.to_str().unwrap(),
            v["directory_url"].as_str().unwrap(),
        ],
        None,
    );
    let directory: Value = serde_json::from_slice(&directory).unwrap();
    assert_eq!(directory["meta"]["externalAccountRequired"], true);
    assert_eq!(v["eab_keys"].as_array().unwrap().len(), 8);
    let account = common::run(
        "curl",
        &[
            "-s",
            "-X",
            "POST",
            "-H",
            &format!("Authorization: {}", v["api_key"].as_str().unwrap()),
            "-H",
            "Content-Type: application/json",
            "-d",
            r#"{"customer_email":"a@b.example"}"#,
            &format!("{}/account", v["sim_url"].as_str().unwrap()),
        ],
        None,
    );
    let account: Value = serde_json::from_slice(&account).unwrap();
    assert!(
        v["eab_keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|pair| pair[0] == account["kid"]),
        "{account}"
    );
    assert_eq!(v["sim_pid"].as_u64(), Some(u64::from(child.id())));
    let pebble_pid = v["pebble_pid"].as_u64().unwrap();
    drop(child.stdin.take());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(
        !std::path::Path::new(&format!("/proc/{pebble_pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pebble_pid}/stat"))
                .is_ok_and(|s| s.contains(") Z ")),
        "pebble still running"
    );
}
