//! Test support: a real Pebble ACME server (Debian package `pebble`) started
//! per test on free loopback ports with EAB required, and a blocking HTTPS
//! host for `certbridge::drive` that trusts Pebble's listener certificate
//! explicitly (never "accept invalid certs").
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use certbridge::{ChallengeTask, Error, Headers, Host, HttpRequest, HttpResponse, Timestamp};

/// EAB credentials configured in Pebble: (kid, unpadded base64url key).
pub struct EabEntry {
    pub kid: String,
    pub b64url: String,
    /// The same key as padded standard base64 (IdenTrust's form).
    pub std_padded: String,
}

/// A running Pebble, killed by PID on drop.
pub struct Pebble {
    child: Child,
    pub dir: PathBuf,
    pub directory_url: String,
    pub management_url: String,
    /// PEM of Pebble's own TLS listener certificate.
    pub listener_ca: Vec<u8>,
    pub eab: Vec<EabEntry>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

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

/// The MAC keys: one fixed key whose standard base64 form contains both
/// `+` and `/` (and so differs from its base64url form), and two more.
pub fn eab_entries() -> Vec<EabEntry> {
    let mut tricky = vec![0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff];
    tricky.extend_from_slice(&certbridge::crypto::digest::sha256(b"certbridge-eab")[..26]);
    let keys = vec![
        ("kid-plus-slash", tricky),
        (
            "kid-2",
            certbridge::crypto::digest::sha256(b"kid-2").to_vec(),
        ),
        (
            "kid-3",
            certbridge::crypto::digest::sha256(b"kid-3").to_vec(),
        ),
    ];
    keys.into_iter()
        .map(|(kid, bytes)| EabEntry {
            kid: kid.into(),
            b64url: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes),
            std_padded: base64::engine::general_purpose::STANDARD.encode(&bytes),
        })
        .collect()
}

impl Pebble {
    /// Starts Pebble with `PEBBLE_VA_ALWAYS_VALID=1`, `PEBBLE_VA_NOSLEEP=1`,
    /// alternate roots, and `nonce_reject` percent of good nonces refused.
    pub fn start(nonce_reject: u8) -> Pebble {
        let binary = which_pebble();
        let dir = scratch("pebble");
        listener_certificate(&dir);
        let (acme, mgmt, http, tls) = (free_port(), free_port(), free_port(), free_port());
        let eab = eab_entries();
        let keys: serde_json::Map<String, serde_json::Value> = eab
            .iter()
            .map(|e| (e.kid.clone(), serde_json::json!(e.b64url)))
            .collect();
        let config = serde_json::json!({"pebble": {
            "listenAddress": format!("127.0.0.1:{acme}"),
            "managementListenAddress": format!("127.0.0.1:{mgmt}"),
            "certificate": dir.join("cert.pem"),
            "privateKey": dir.join("key.pem"),
            "httpPort": http,
            "tlsPort": tls,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": true,
            "externalAccountMACKeys": keys,
        }});
        std::fs::write(
            dir.join("config.json"),
            serde_json::to_vec_pretty(&config).unwrap(),
        )
        .unwrap();
        let log = std::fs::File::create(dir.join("pebble.log")).unwrap();
        let child = Command::new(binary)
            .arg("-config")
            .arg(dir.join("config.json"))
            .env("PEBBLE_VA_ALWAYS_VALID", "1")
            .env("PEBBLE_VA_NOSLEEP", "1")
            .env("PEBBLE_WFE_NONCEREJECT", nonce_reject.to_string())
            .env("PEBBLE_ALTERNATE_ROOTS", "1")
            .env("PEBBLE_AUTHZREUSE", "0")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn pebble");
        let listener_ca = std::fs::read(dir.join("ca.pem")).unwrap();
        let pebble = Pebble {
            child,
            directory_url: format!("https://127.0.0.1:{acme}/dir"),
            management_url: format!("https://127.0.0.1:{mgmt}"),
            dir,
            listener_ca,
            eab,
        };
        pebble.wait_ready();
        pebble
    }

    fn wait_ready(&self) {
        let client = client(&self.listener_ca);
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < Duration::from_secs(20) {
            match client.get(&self.directory_url).send() {
                Ok(r) if r.status().is_success() => return,
                Ok(r) => last = format!("HTTP {}", r.status()),
                Err(e) => last = format!("{e:?}"),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = std::fs::read_to_string(self.dir.join("pebble.log")).unwrap_or_default();
        panic!("pebble did not answer within 20 s ({last}); log:\n{log}");
    }

    pub fn host(&self) -> HttpsHost {
        HttpsHost::new(&self.listener_ca)
    }

    /// Pebble's issuing root `n` (PEM) from the management port.
    pub fn root(&self, n: usize) -> String {
        client(&self.listener_ca)
            .get(format!("{}/roots/{n}", self.management_url))
            .send()
            .and_then(|r| r.text())
            .expect("root")
    }

    pub fn eab(&self, i: usize) -> &EabEntry {
        &self.eab[i]
    }
}

impl Drop for Pebble {
    fn drop(&mut self) {
        // Kill exactly the process this test started, by its PID.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A throw-away CA (`ca.pem`) and a listener certificate it signs
/// (`cert.pem`/`key.pem`, CN and SAN localhost + 127.0.0.1, CA:FALSE):
/// rustls refuses a self-signed CA:TRUE certificate as a server certificate.
pub fn listener_certificate(dir: &Path) {
    let p = |name: &str| dir.join(name);
    run(Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ])
        .args([
            "-subj",
            "/CN=certbridge test listener CA",
            "-days",
            "2",
            "-keyout",
        ])
        .arg(p("ca.key"))
        .arg("-out")
        .arg(p("ca.pem")));
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
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(p("key.pem"))
        .arg("-out")
        .arg(p("listener.csr")));
    std::fs::write(
        p("ext.cnf"),
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .unwrap();
    run(Command::new("openssl")
        .args(["x509", "-req", "-days", "2", "-set_serial", "1", "-in"])
        .arg(p("listener.csr"))
        .arg("-CA")
        .arg(p("ca.pem"))
        .arg("-CAkey")
        .arg(p("ca.key"))
        .arg("-extfile")
        .arg(p("ext.cnf"))
        .arg("-out")
        .arg(p("cert.pem")));
}

fn which_pebble() -> PathBuf {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = Path::new(dir).join("pebble");
        if p.is_file() {
            return p;
        }
    }
    panic!("the `pebble` binary is missing: apt-get install pebble");
}

fn client(ca_pem: &[u8]) -> reqwest::blocking::Client {
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
