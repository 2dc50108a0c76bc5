//! The test's side of the wire: a blocking HTTPS host for
//! `certbridge::drive` that trusts Pebble's listener certificate explicitly
//! (never "accept invalid certs") and records every exchange, plus CSRs and
//! chain verification by the openssl CLI, an independent peer of the core.
//! Pebble itself is started by `certbridge_sim::pebble`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use certbridge::{ChallengeTask, Error, Headers, Host, HttpRequest, HttpResponse, Timestamp};

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Unique scratch directory under the system temp dir.
pub fn scratch(name: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("certbridge-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn client(ca_pem: &[u8]) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem).expect("listener cert"))
        .tls_built_in_root_certs(false)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// A blocking host over HTTPS; records every exchange.
pub struct HttpsHost {
    client: reqwest::blocking::Client,
    pub sent: Vec<HttpRequest>,
    pub statuses: Vec<(String, u16, String)>,
    pub solved: Vec<Vec<ChallengeTask>>,
    pub waits: usize,
}

impl HttpsHost {
    pub fn new(ca_pem: &[u8]) -> Self {
        HttpsHost {
            client: client(ca_pem),
            sent: vec![],
            statuses: vec![],
            solved: vec![],
            waits: 0,
        }
    }

    /// How many answers were `badNonce` problems.
    pub fn bad_nonces(&self) -> usize {
        self.statuses
            .iter()
            .filter(|(_, s, body)| *s == 400 && body.contains("badNonce"))
            .count()
    }

    /// The request lines sent, e.g. `HEAD https://.../nonce-plz`.
    pub fn lines(&self) -> Vec<String> {
        self.sent
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect()
    }
}

impl Host for HttpsHost {
    fn now(&mut self) -> Timestamp {
        Timestamp::from_millis(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64,
        )
    }

    fn send(&mut self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes()).unwrap();
        let mut rb = self.client.request(method, &request.url);
        for (n, v) in request.headers.iter() {
            rb = rb.header(n, v);
        }
        let resp = rb
            .body(request.body.clone())
            .send()
            .map_err(|e| Error::transport(e.to_string()))?;
        let status = resp.status().as_u16();
        let headers: Headers = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).to_string(),
                )
            })
            .collect();
        let body = resp
            .bytes()
            .map_err(|e| Error::transport(e.to_string()))?
            .to_vec();
        self.statuses.push((
            request.url.clone(),
            status,
            String::from_utf8_lossy(&body).to_string(),
        ));
        self.sent.push(request);
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    fn wait_until(&mut self, t: Timestamp) {
        self.waits += 1;
        let now = self.now();
        if t > now {
            std::thread::sleep(Duration::from_millis(t.millis_since(now)));
        }
    }

    fn solve(&mut self, tasks: &[ChallengeTask]) -> Result<(), Error> {
        // PEBBLE_VA_ALWAYS_VALID=1: nothing to publish, but record the tasks.
        self.solved.push(tasks.to_vec());
        Ok(())
    }
}

/// A fresh P-256 key and CSR for `names` made with the openssl CLI:
/// (key PEM, CSR DER).
pub fn openssl_csr(dir: &Path, names: &[&str]) -> (String, Vec<u8>) {
    let tag = names[0].replace('*', "star");
    let key = dir.join(format!("{tag}.key.pem"));
    let csr = dir.join(format!("{tag}.csr.der"));
    let san: Vec<String> = names.iter().map(|n| format!("DNS:{n}")).collect();
    run(Command::new("openssl")
        .args([
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ])
        .args(["-subj", &format!("/CN={}", names[0])])
        .args(["-addext", &format!("subjectAltName={}", san.join(","))])
        .arg("-keyout")
        .arg(&key)
        .args(["-outform", "DER", "-out"])
        .arg(&csr));
    (
        std::fs::read_to_string(key).unwrap(),
        std::fs::read(csr).unwrap(),
    )
}

/// `openssl verify -CAfile root -untrusted intermediates leaf`; returns
/// openssl's output and whether it succeeded.
pub fn openssl_verify(dir: &Path, root_pem: &str, chain_pem: &str) -> (bool, String) {
    let blocks = certbridge::crypto::pem::pem_blocks(chain_pem, "CERTIFICATE").unwrap();
    assert!(blocks.len() >= 2, "chain has {} certificates", blocks.len());
    let leaf = certbridge::crypto::pem::to_pem("CERTIFICATE", &blocks[0]);
    let rest: String = blocks[1..]
        .iter()
        .map(|b| certbridge::crypto::pem::to_pem("CERTIFICATE", b))
        .collect();
    std::fs::write(dir.join("root.pem"), root_pem).unwrap();
    std::fs::write(dir.join("leaf.pem"), leaf).unwrap();
    std::fs::write(dir.join("untrusted.pem"), rest).unwrap();
    let out = Command::new("openssl")
        .arg("verify")
        .arg("-CAfile")
        .arg(dir.join("root.pem"))
        .arg("-untrusted")
        .arg(dir.join("untrusted.pem"))
        .arg(dir.join("leaf.pem"))
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}
