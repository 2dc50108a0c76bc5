//! A local Pebble (Let's Encrypt's ACME test server, Debian package
//! `pebble`) with External Account Binding required, started and stopped by
//! PID for the demo, the CLI tests and the benchmarks.
//!
//! Pebble's listener gets a certificate from the simulator's test CA (a
//! CA:FALSE leaf plus the issuing CA: rustls refuses a self-signed CA
//! certificate as a server certificate), so one trust anchor, the test CA
//! root, covers both the simulator and Pebble. Verification is never skipped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use rand::RngCore as _;

use crate::ca::{to_pem, LeafKind, TestCa};
use crate::{keys, names, SimError};

/// How to run Pebble.
#[derive(Debug, Clone)]
pub struct PebbleConfig {
    /// EAB credentials: (kid, key as unpadded base64url, Pebble's form).
    pub eab_keys: Vec<(String, String)>,
    /// `PEBBLE_VA_ALWAYS_VALID`: accept every challenge without checking.
    pub va_always_valid: bool,
    /// `PEBBLE_WFE_NONCEREJECT`: percentage of good nonces refused.
    pub nonce_reject: u8,
    /// Port Pebble's validator connects to for http-01 (`httpPort`).
    pub http_port: u16,
    /// Port for tls-alpn-01 (`tlsPort`).
    pub tls_port: u16,
    /// DNS server Pebble resolves names with (`-dnsserver host:port`), e.g.
    /// `pebble-challtestsrv`; `None` uses the system resolver.
    pub dns_server: Option<String>,
    /// `PEBBLE_ALTERNATE_ROOTS`: number of alternate chains.
    pub alternate_roots: u8,
}

impl Default for PebbleConfig {
    fn default() -> Self {
        PebbleConfig {
            eab_keys: random_eab_keys(8),
            va_always_valid: true,
            nonce_reject: 0,
            http_port: 5002,
            tls_port: 5001,
            dns_server: None,
            alternate_roots: 0,
        }
    }
}

/// `n` random EAB credentials (`kid-1` ...), 32-byte keys as unpadded
/// base64url; about three quarters have `+` or `/` in their standard form.
pub fn random_eab_keys(n: usize) -> Vec<(String, String)> {
    let mut rng = rand::rngs::OsRng;
    (1..=n)
        .map(|i| {
            let mut key = [0u8; 32];
            rng.fill_bytes(&mut key);
            (
                format!("kid-{i}"),
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key),
            )
        })
        .collect()
}

/// A running Pebble; dropping it kills the process and removes its files.
#[derive(Debug)]
pub struct Pebble {
    child: Option<Child>,
    dir: PathBuf,
    listen: SocketAddr,
    management: SocketAddr,
    ca_pem: String,
    config: PebbleConfig,
}

fn free_port() -> Result<u16, SimError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The `pebble` binary: `$CERTBRIDGE_PEBBLE` or `pebble` on the PATH.
pub fn binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CERTBRIDGE_PEBBLE") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("pebble"))
            .find(|p| p.is_file())
    })
}

impl Pebble {
    /// Starts Pebble with `config`, its listener certified by `ca`, and waits
    /// until it accepts connections.
    pub fn start(config: PebbleConfig, ca: &TestCa) -> Result<Pebble, SimError> {
        let binary = binary().ok_or_else(|| {
            SimError::Config("pebble is not installed: apt-get install pebble".into())
        })?;
        let dir = std::env::temp_dir().join(format!(
            "certbridge-pebble-{}-{}",
            std::process::id(),
            crate::ids::token(8)
        ));
        std::fs::create_dir_all(&dir)?;
        let key = keys::KeyPair::generate(keys::KeySpec::P256)?;
        let subject =
            names::build(&[("cn".into(), "localhost".into())]).map_err(SimError::Crypto)?;
        let leaf = ca.issue(
            subject,
            key.spki()?,
            &LeafKind::Tls(vec!["localhost".into(), "127.0.0.1".into()]),
            30,
        )?;
        let cert_path = dir.join("cert.pem");
        let key_path = dir.join("key.pem");
        std::fs::write(
            &cert_path,
            format!(
                "{}{}",
                to_pem("CERTIFICATE", &leaf.der),
                to_pem("CERTIFICATE", ca.issuing_der())
            ),
        )?;
        std::fs::write(&key_path, to_pem("PRIVATE KEY", &key.pkcs8_der()?))?;
        let listen: SocketAddr = format!("127.0.0.1:{}", free_port()?)
            .parse()
            .map_err(|e| SimError::Config(format!("{e}")))?;
        let management: SocketAddr = format!("127.0.0.1:{}", free_port()?)
            .parse()
            .map_err(|e| SimError::Config(format!("{e}")))?;
        let keys: serde_json::Map<String, serde_json::Value> = config
            .eab_keys
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        let pebble_config = serde_json::json!({ "pebble": {
            "listenAddress": listen.to_string(),
            "managementListenAddress": management.to_string(),
            "certificate": cert_path,
            "privateKey": key_path,
            "httpPort": config.http_port,
            "tlsPort": config.tls_port,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": true,
            "externalAccountMACKeys": keys,
        }});
        let config_path = dir.join("pebble-config.json");
        std::fs::write(&config_path, pebble_config.to_string())?;
        let mut command = Command::new(binary);
        command
            .arg("-config")
            .arg(&config_path)
            .env(
                "PEBBLE_VA_ALWAYS_VALID",
                if config.va_always_valid { "1" } else { "0" },
            )
            .env("PEBBLE_VA_NOSLEEP", "1")
            .env("PEBBLE_WFE_NONCEREJECT", config.nonce_reject.to_string())
            .env("PEBBLE_AUTHZREUSE", "0")
            .env("PEBBLE_ALTERNATE_ROOTS", config.alternate_roots.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("pebble.log"))?);
        if let Some(dns) = &config.dns_server {
            command.arg("-dnsserver").arg(dns);
        }
        let child = command.spawn()?;
        let mut pebble = Pebble {
            child: Some(child),
            dir,
            listen,
            management,
            ca_pem: ca.root_pem(),
            config,
        };
        pebble.wait_ready()?;
        Ok(pebble)
    }

    fn wait_ready(&mut self) -> Result<(), SimError> {
        let started = Instant::now();
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(SimError::Config(format!(
                        "pebble exited with {status}: {}",
                        self.log()
                    )));
                }
            }
            let up =
                |a: &SocketAddr| TcpStream::connect_timeout(a, Duration::from_millis(200)).is_ok();
            if up(&self.listen) && up(&self.management) {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(15) {
                return Err(SimError::Config(format!(
                    "pebble did not start within 15 s: {}",
                    self.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What Pebble wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pebble.log")).unwrap_or_default()
    }

    /// The ACME directory URL (`https://127.0.0.1:PORT/dir`).
    pub fn directory_url(&self) -> String {
        format!("https://{}/dir", self.listen)
    }

    /// The management API base (`https://127.0.0.1:PORT`): `/roots/0`,
    /// `/intermediates/0`, `/cert-status-by-serial/...`.
    pub fn management_url(&self) -> String {
        format!("https://{}", self.management)
    }

    /// The trust anchor of Pebble's listener (the simulator test CA root).
    pub fn listener_ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The EAB credentials Pebble accepts.
    pub fn eab_keys(&self) -> &[(String, String)] {
        &self.config.eab_keys
    }

    /// The process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops Pebble now.
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Pebble {
    fn drop(&mut self) {
        self.kill();
    }
}
