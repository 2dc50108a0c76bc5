//! # certbridge-sim: a local Redtrust, SwissSign and IdenTrust-reseller peer
//!
//! One process serving the Redtrust RA API (both the v4.33 "Certificate
//! Enroll" and the v4.42 documents), the SwissSign RA API v2 and the IdenTrust
//! reseller API on one loopback port, exactly as the seeds in
//! `shared/seeds/` describe them. It issues real certificates from a local
//! test CA, verifies every credential, HMAC and JWT, and has switches for the
//! failures real servers show (5xx, slowness, dropped connections, expired
//! tokens, malformed bodies). It shares no code with the `certbridge` core on
//! purpose: it must catch the client's misreadings, not repeat them.
//!
//! ## Running
//!
//! ```text
//! cargo run -p certbridge-sim -- [--port N] [--host 127.0.0.1] [--config FILE] [--eab-pool FILE] [--ca-out FILE] [--tls] [--pebble]
//! ```
//! prints the base URL and the credentials (`--ca-out` writes the test CA
//! root; `--tls` serves HTTPS with a certificate from that CA; `--pebble`
//! also starts Pebble on the same EAB pool and prints one JSON line of URLs,
//! CA, keys and PIDs for test harnesses, see `src/main.rs`). Embedded:
//!
//! ```no_run
//! let sim = certbridge_sim::Sim::start(certbridge_sim::SimConfig::default()).unwrap();
//! println!("{} trusts {}", sim.base_url(), sim.ca_pem());
//! sim.publish_txt("example.com", "swiss-pki=...");
//! sim.shutdown();
//! ```
//!
//! ## Demo defaults ([`SimConfig::default`])
//!
//! | provider | credential |
//! |---|---|
//! | Redtrust direct login | user `demo`, password `demo-password`, domain `local.users` |
//! | Redtrust HMAC redirect | partner `CA_DEMO`, shared key `demo-hmac-key` (UTF-8 bytes) |
//! | Redtrust providers | `CAMERFIRMA`, `CA_BRASIL` |
//! | SwissSign | account `service.account`, API key `n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w` (the seed's example secret) |
//! | SwissSign client | `cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd` with products `pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed` (DV) and `pma-1d7bd1d6-3c2c-4d4f-9f5e-7a0c1b7f2e11` (OV) |
//! | IdenTrust reseller | API key `supersecret`, reseller code `RESELLER_CODE`, random EAB pairs |
//!
//! The library binds port 0 (any free port) by default; the binary binds
//! 8082 (the Redtrust seeds' default) unless `--port` or the config says
//! otherwise. With `tls: true` (binary: `--tls`) the port speaks HTTPS with a
//! server certificate for `localhost`/`127.0.0.1` issued by the test CA, so
//! [`SimHandle::ca_pem`] is the one trust anchor for everything.
//!
//! Lifetimes: Redtrust access token 1 h, refresh token 24 h, temp token 60 s,
//! redirect timestamp window ±300 s; SwissSign JWTs from `/v2/jwt` 8 h,
//! orders reach ISSUED after 300 ms; pre-validated domains are required.
//!
//! ## HTTP surface
//!
//! Every answer carries `Access-Control-Allow-Origin` (the request's `Origin`,
//! else `*`) and `Access-Control-Expose-Headers: Replay-Nonce, Location,
//! Retry-After, Link`; `OPTIONS` on any path is a preflight answered 204.
//!
//! **Redtrust** (envelope `{message, messageType, errorCode, data, isValid}`;
//! errors have `messageType: "ERROR"`, `isValid: false`, `data: null`):
//! - `POST /raapi/v1/auth/login` `{username, password, domain?}` → `data {accessToken, refreshToken, expiration}`
//! - `GET /authclient/auth/loginrequest?Consumer=RA_API&Domain=&RedirectUrl=&timestamp=&partner=&hmac=`
//!   (or the signature in `x-partner-name`/`x-request-timestamp`/`x-hmac-signature`) → `302`, `Location: RedirectUrl` + `tkn=`
//! - `POST` (v4.42) or `GET` with body (v4.33) `/authapi/v1/login_by_temp_token` `{temporalToken}` → tokens
//! - `PUT /authapi/v1/refresh-token`, `PUT /raapi/v1/auth/refresh-token` `{refreshToken}` → tokens
//! - `DELETE /authapi/v1/logout`, `DELETE /raapi/v1/auth/logout` (Bearer) → `data {}`
//! - `POST`/`GET` `/raapi/v1/csr/create`, `POST`/`GET` `/raapi/v2/csr/create` (renewal, v4.33) → `data {requestCode, csr}`
//! - `PUT /raapi/v1/csr/finalize` `{requestCode, provider, dataInB64?}` → `data {idCertificate, thumbprint}`
//!
//! **SwissSign** (all `POST`, `Authorization: Bearer <JWT>`; errors
//! `{uuid, errorCode: "MMM.SSS.EEEE", errorMessages: [..]}`):
//! `/v2/jwt/{userName}`, `/v2/clients?search=`, `/v2/client/{cli}`,
//! `/v2/client/domain/{cli}/register`, `/v2/client/domain/{cli}/list`,
//! `/v2/client/domains/{cli}/list`, `/v2/client/domain/{cld}`, `.../delete`,
//! `.../validate`, `.../token/reset`, `.../token/delete`,
//! `/v2/issue/csr/{pma}`, `/v2/issue`, `/v2/validate`, `/v2/order/{ord}`,
//! `/v2/order/{ord}/status`, `/v2/order/{ord}/certificate/chain`,
//! `/v2/orders`, `/v2/revoke`. See [`swisssign`] for the shapes.
//!
//! **IdenTrust reseller**: `POST /account` with `Authorization: <API key>` and
//! `{customer_email}` → `{id, kid, resellerCode, email, revoked, deleted, hmacKey}`.
//!
//! **Faults** (`POST /sim/faults`, see [`faults`]): `{path_prefix?, method?,
//! fault, count?, rate?}` with `fault` one of `past_expiry` (token answers
//! whose Redtrust `expiration` or SwissSign JWT `exp` is an hour past, while
//! the token works), `status` (`code`, default 503;
//! `retry_after` seconds), `delay` (`ms`), `drop` (connection closed with no
//! response), `expired_token` (the provider's own expired-token error:
//! Redtrust `401 TOKEN_EXPIRED`, and the token stays expired until refreshed;
//! SwissSign `401 009.250.0228`; no effect on the reseller API), `malformed`
//! (`variant`: `truncated` JSON, `html` 502 page, `empty` body). `count`: the
//! next N matching requests (default 1); `rate`: each match with that
//! probability from an RNG seeded by `fault_seed` (or a top-level `seed`).
//!
//! **Simulator control** (never subject to faults): `GET /sim/health`,
//! `GET /sim/ca` (root PEM), `GET /sim/ca/chain` (issuing CA + root PEM),
//! `POST|GET|DELETE /sim/faults`, `DELETE /sim/faults/{id}`,
//! `GET|DELETE /sim/requests`, `POST|DELETE /sim/dns/txt {name, value}`,
//! `GET /sim/dns/txt?name=`, `GET /sim/redtrust/certificates`,
//! `GET /sim/redtrust/certificates/{thumbprint}` (PEM: leaf, issuing CA).
//! See [`control`].

pub mod ca;
pub mod config;
pub mod control;
pub mod faults;
pub mod identrust;
pub mod ids;
pub mod jwt;
pub mod keys;
pub mod names;
pub mod pebble;
pub mod redtrust;
pub mod server;
pub mod swisssign;
pub mod wire;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use config::{
    parse_eab_pool, ChainFormat, IdenTrustConfig, RedtrustConfig, RedtrustPartner, RedtrustUser,
    SimConfig, SwissSignAccount, SwissSignClient, SwissSignConfig, SwissSignProduct,
};
pub use faults::{FaultKind, FaultSpec, Malformed};
pub use server::LogEntry;

/// Why the simulator could not start or do something.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Binding or runtime failure.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// Bad configuration.
    #[error("{0}")]
    Config(String),
    /// Key or certificate generation failed.
    #[error("crypto: {0}")]
    Crypto(String),
}

/// Everything the handlers share.
pub struct Shared {
    /// Configuration in force.
    pub config: SimConfig,
    /// The test CA.
    pub ca: ca::TestCa,
    /// Simulated DNS: TXT records by lower-case name.
    pub dns: Mutex<BTreeMap<String, Vec<String>>>,
    /// Redtrust state.
    pub redtrust: Mutex<redtrust::State>,
    /// SwissSign state.
    pub swisssign: Mutex<swisssign::State>,
    /// IdenTrust reseller state.
    pub identrust: Mutex<identrust::State>,
    /// Fault rules.
    pub faults: Mutex<faults::Faults>,
    /// Request log.
    pub log: Mutex<Vec<LogEntry>>,
}

/// Locks a mutex, recovering from poisoning (a panicked handler must not
/// take the whole simulator down).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Current unix time in seconds.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Current unix time in milliseconds.
pub fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// A TLS acceptor whose certificate (for `localhost` and `127.0.0.1`) is
/// issued by the test CA, so the root from [`SimHandle::ca_pem`] is the trust
/// anchor a client configures.
fn tls_acceptor(ca: &ca::TestCa) -> Result<tokio_rustls::TlsAcceptor, SimError> {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let key = keys::KeyPair::generate(keys::KeySpec::P256)?;
    let subject = names::build(&[("cn".into(), "localhost".into())]).map_err(SimError::Crypto)?;
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let leaf = ca.issue(subject, key.spki()?, &ca::LeafKind::Tls(names), 30)?;
    let chain = vec![
        CertificateDer::from(leaf.der),
        CertificateDer::from(ca.issuing_der().to_vec()),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.pkcs8_der()?));
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| SimError::Crypto(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(|e| SimError::Crypto(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Entry point.
#[derive(Debug)]
pub struct Sim;

impl Sim {
    /// Generates the test CA, binds the port and serves on a background
    /// thread with its own tokio runtime until [`SimHandle::shutdown`] or drop.
    pub fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let ca = ca::TestCa::generate()?;
        let listener = std::net::TcpListener::bind((config.host.as_str(), config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            ca,
            dns: Mutex::new(BTreeMap::new()),
            redtrust: Mutex::new(redtrust::State::default()),
            swisssign: Mutex::new(swisssign::State::default()),
            identrust: Mutex::new(identrust::State::new(&config.identrust)),
            faults: Mutex::new(faults::Faults::new(config.fault_seed)),
            log: Mutex::new(Vec::new()),
            config,
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("certbridge-sim")
            .build()?;
        let tls = if shared.config.tls {
            Some(tls_acceptor(&shared.ca)?)
        } else {
            None
        };
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel();
        let serve_shared = shared.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("certbridge-sim".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => {
                            let _ = ready_tx.send(Ok(()));
                            server::serve(l, serve_shared, tls, stop_rx).await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
                runtime.shutdown_timeout(Duration::from_secs(2));
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(SimError::Io(e)),
            Err(_) => {
                return Err(SimError::Config(
                    "simulator thread ended before serving".into(),
                ))
            }
        }
        Ok(SimHandle {
            addr,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .finish()
    }
}

impl SimHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, or `https://` with [`SimConfig::tls`] (no
    /// trailing slash).
    pub fn base_url(&self) -> String {
        let scheme = if self.shared.config.tls {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The test CA's root certificate, PEM (the trust anchor for every
    /// certificate the simulator issues).
    pub fn ca_pem(&self) -> String {
        self.shared.ca.root_pem()
    }

    /// The issuing CA certificate, PEM.
    pub fn issuing_ca_pem(&self) -> String {
        self.shared.ca.issuing_pem()
    }

    /// The configuration in force.
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Starts a Pebble whose listener is certified by this simulator's test
    /// CA, so [`SimHandle::ca_pem`] is the one trust anchor for both.
    pub fn start_pebble(&self, config: pebble::PebbleConfig) -> Result<pebble::Pebble, SimError> {
        pebble::Pebble::start(config, &self.shared.ca)
    }

    /// Publishes a TXT record in the simulated DNS (same as `POST /sim/dns/txt`).
    pub fn publish_txt(&self, name: &str, value: &str) {
        control::publish_txt(&self.shared, name, value);
    }

    /// Adds a fault rule (same as `POST /sim/faults`); returns its id.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<u64, SimError> {
        lock(&self.shared.faults)
            .add(spec)
            .map_err(SimError::Config)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The request log so far.
    pub fn requests(&self) -> Vec<LogEntry> {
        lock(&self.shared.log).clone()
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}
