//! Shared helpers for the simulator's end-to-end tests: start a simulator,
//! talk to it with a plain HTTP client, and check its output with external
//! peers (openssl, Python's hmac and PyJWT).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Stdio};

use certbridge_sim::{Sim, SimConfig, SimHandle};
use serde_json::Value;

pub fn start(edit: impl FnOnce(&mut SimConfig)) -> SimHandle {
    let mut config = SimConfig::default();
    edit(&mut config);
    Sim::start(config).expect("simulator starts")
}

/// A client that does not follow redirects (the Redtrust redirect is the answer).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn json(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

/// A fresh temporary directory.
pub fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "certbridge-sim-{tag}-{}-{}",
        std::process::id(),
        certbridge_sim::ids::token(6)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a command, returns stdout; panics with stderr on failure.
pub fn run(cmd: &str, args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
    let out = try_run(cmd, args, stdin);
    assert!(
        out.0,
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.2)
    );
    out.1
}

/// Runs a command: (success, stdout, stderr).
pub fn try_run(cmd: &str, args: &[&str], stdin: Option<&[u8]>) -> (bool, Vec<u8>, Vec<u8>) {
    use std::io::Write;
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd}: {e}"));
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (out.status.success(), out.stdout, out.stderr)
}

pub fn python(code: &str) -> String {
    String::from_utf8(run("python3", &["-c", code], None))
        .unwrap()
        .trim()
        .to_owned()
}

/// A P-256 key and a PEM CSR made by openssl, with SAN dNSNames.
pub fn openssl_csr(dir: &std::path::Path, cn: &str, sans: &[&str]) -> (PathBuf, String) {
    let key = dir.join(format!("{}.key", certbridge_sim::ids::token(6)));
    let csr = dir.join("req.csr");
    let san = sans
        .iter()
        .map(|s| format!("DNS:{s}"))
        .collect::<Vec<_>>()
        .join(",");
    let mut args = vec![
        "req".to_string(),
        "-new".into(),
        "-newkey".into(),
        "ec".into(),
        "-pkeyopt".into(),
        "ec_paramgen_curve:P-256".into(),
        "-nodes".into(),
        "-keyout".into(),
        key.display().to_string(),
        "-out".into(),
        csr.display().to_string(),
        "-subj".into(),
        format!("/C=CH/O=Test/CN={cn}"),
    ];
    if !sans.is_empty() {
        args.push("-addext".into());
        args.push(format!("subjectAltName={san}"));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run("openssl", &refs, None);
    (key, std::fs::read_to_string(csr).unwrap())
}

/// PEM text of DER certificate bytes.
pub fn pem(der: &[u8]) -> String {
    certbridge_sim::ca::to_pem("CERTIFICATE", der)
}

/// `openssl verify` of `leaf_pem` against the sim root, with the issuing CA untrusted.
pub fn openssl_verify(sim: &SimHandle, dir: &std::path::Path, leaf_pem: &str) -> String {
    let root = dir.join("root.pem");
    let inter = dir.join("issuing.pem");
    let leaf = dir.join("leaf.pem");
    std::fs::write(&root, sim.ca_pem()).unwrap();
    std::fs::write(&inter, sim.issuing_ca_pem()).unwrap();
    std::fs::write(&leaf, leaf_pem).unwrap();
    let out = run(
        "openssl",
        &[
            "verify",
            "-CAfile",
            root.to_str().unwrap(),
            "-untrusted",
            inter.to_str().unwrap(),
            leaf.to_str().unwrap(),
        ],
        None,
    );
    String::from_utf8(out).unwrap()
}

/// Sends `method url` with an optional Bearer token and JSON body; returns
/// the status and the JSON answer.
pub async fn call(
    c: &reqwest::Client,
    method: &str,
    url: String,
    bearer: Option<String>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = c.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
    if let Some(t) = bearer {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    json(r.send().await.unwrap()).await
}

/// A self-signed P-256 certificate made by openssl: (key path, cert path).
pub fn openssl_self_signed(
    dir: &std::path::Path,
    name: &str,
    subj: &str,
    extra: &[&str],
) -> (PathBuf, PathBuf) {
    let key = dir.join(format!("{name}.key"));
    let cert = dir.join(format!("{name}.pem"));
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "2",
        "-subj",
        subj,
        "-keyout",
        key.to_str().unwrap(),
        "-out",
        cert.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run("openssl", &args, None);
    (key, cert)
}

/// Logs in to Redtrust as the demo user: (access token, refresh token).
pub async fn redtrust_login(c: &reqwest::Client, base: &str) -> (String, String) {
    let body = serde_json::json!({"username": "demo", "password": "demo-password"});
    let (s, v) = call(
        c,
        "POST",
        format!("{base}/raapi/v1/auth/login"),
        None,
        Some(body),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let get = |k: &str| v["data"][k].as_str().unwrap().to_owned();
    (get("accessToken"), get("refreshToken"))
}

/// A SwissSign JWT for the first configured account from `/v2/jwt/{userName}`.
pub async fn swisssign_jwt(c: &reqwest::Client, sim: &SimHandle) -> String {
    let account = &sim.config().swisssign.accounts[0];
    let resp = c
        .post(format!("{}/v2/jwt/{}", sim.base_url(), account.user_name))
        .form(&[("userSecret", account.api_key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.text().await.unwrap()
}
