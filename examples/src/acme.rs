//! `certbridge acme ...` and `certbridge identrust ...`

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use certbridge::acme::revoke::RevokeCert;
use certbridge::acme::{AccountKey, ChallengeType, EabKey, Identifier, IssueOptions};
use certbridge::client::{
    generate_account_key, generate_key, AcmeClient, ChallengeSolver, Driver, IdenTrustClient,
};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::KeyKind;
use certbridge::identrust::Environment;
use certbridge::{ChallengeTask, Error};
use clap::{Args, Subcommand};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::common::{progress, read_text, Failure, NetOpts, Output};
use crate::deploy::{create_new, Pending};
use crate::secrets;
use crate::swisssign::key_kind;

#[derive(Subcommand, Debug)]
pub enum IdenTrustCmd {
    /// Create a customer account; prints its EAB kid and hmacKey.
    Account {
        /// Reseller API base URL (default: IdenTrust staging).
        #[arg(
            long,
            env = "CERTBRIDGE_IDENTRUST_RESELLER",
            default_value = "https://reseller-cms-pte.identrust.com"
        )]
        reseller: String,
        /// File holding the reseller API key (`-`: stdin); default: the
        /// CERTBRIDGE_IDENTRUST_API_KEY environment variable.
        #[arg(long, value_name = "FILE")]
        api_key_file: Option<PathBuf>,
        /// Refused: a key on the command line is visible to `ps`.
        #[arg(long, hide = true)]
        api_key: Option<String>,
        /// Customer e-mail.
        #[arg(long)]
        email: String,
        /// Accept a cleartext http:// server URL on a non-loopback host
        /// (credentials then cross the network unencrypted; issue 14 item 9).
        #[arg(long)]
        insecure_http: bool,
        #[command(flatten)]
        net: NetOpts,
    },
}

pub async fn identrust(cmd: IdenTrustCmd) -> Result<Output, Failure> {
    let IdenTrustCmd::Account {
        reseller,
        api_key_file,
        api_key,
        email,
        insecure_http,
        net,
    } = cmd;
    let key = secrets::IDENTRUST_API_KEY.required(api_key.as_deref(), api_key_file.as_deref())?;
    check_email(&email)?;
    let env = Environment::custom_allowing_insecure_http(&reseller, &reseller, insecure_http)?;
    let client = IdenTrustClient::new(net.driver()?, env, key);
    let account = client.create_account(&email).await?;
    let hmac = account.eab.hmac_key_b64url();
    Ok(Output {
        summary: format!("kid {} hmac {}", account.kid, hmac.expose()),
        json: json!({
            "id": account.id, "kid": account.kid, "hmac_key": hmac.expose(),
            "reseller_code": account.reseller_code, "email": account.email,
            "revoked": account.revoked, "deleted": account.deleted,
        }),
        as_json: net.json,
    })
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Issue a certificate: account (with EAB), order, challenges, finalize, download.
    Issue(IssueArgs),
    /// Renew: a new order naming the old certificate in `replaces` when the server offers ARI.
    Renew(RenewArgs),
    /// Revoke a certificate, as the account or with the certificate's own key.
    Revoke(RevokeArgs),
}

#[derive(Args, Debug)]
pub struct AccountOpts {
    /// ACME directory URL.
    #[arg(long, env = "CERTBRIDGE_ACME_DIRECTORY")]
    directory: String,
    /// EAB key id.
    #[arg(long, env = "CERTBRIDGE_EAB_KID")]
    eab_kid: Option<String>,
    /// File holding the EAB HMAC key, any base64 form (`-`: stdin); default:
    /// the CERTBRIDGE_EAB_HMAC environment variable.
    #[arg(long, value_name = "FILE")]
    eab_hmac_file: Option<PathBuf>,
    /// Refused: a key on the command line is visible to `ps`.
    #[arg(long, hide = true)]
    eab_hmac: Option<String>,
    /// Account key PEM; created (mode 0600) when the file does not exist.
    #[arg(long)]
    account_key: Option<PathBuf>,
    /// Contact e-mail for a new account.
    #[arg(long)]
    email: Option<String>,
    /// Accept a cleartext http:// server URL on a non-loopback host
    /// (credentials then cross the network unencrypted; issue 14 item 9).
    #[arg(long)]
    insecure_http: bool,
    #[command(flatten)]
    net: NetOpts,
}

#[derive(Args, Debug)]
pub struct OrderOpts {
    /// DNS name (repeatable).
    #[arg(long = "domain", required = true)]
    domains: Vec<String>,
    /// http-01 or dns-01.
    #[arg(long, default_value = "http-01", value_parser = ["http-01", "dns-01"])]
    challenge: String,
    /// Serve http-01 answers on this port (all addresses) while validating.
    #[arg(long, default_value_t = 80)]
    http_port: u16,
    /// Command that publishes dns-01 records: run as `CMD present NAME VALUE`
    /// and `CMD cleanup NAME VALUE`.
    #[arg(long)]
    dns_hook: Option<String>,
    /// Key kind of the certificate key.
    #[arg(long, default_value = "ec-p256", value_parser = ["ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096"])]
    key: String,
    /// ACME profile (draft-ietf-acme-profiles) when the server offers several.
    #[arg(long)]
    profile: Option<String>,
    /// Directory for key.pem, cert.pem and chain.pem.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args, Debug)]
pub struct IssueArgs {
    #[command(flatten)]
    account: AccountOpts,
    #[command(flatten)]
    order: OrderOpts,
}

#[derive(Args, Debug)]
pub struct RenewArgs {
    #[command(flatten)]
    account: AccountOpts,
    #[command(flatten)]
    order: OrderOpts,
    /// The certificate being renewed (PEM).
    #[arg(long)]
    cert: PathBuf,
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    #[command(flatten)]
    account: AccountOpts,
    /// The certificate (PEM).
    #[arg(long)]
    cert: PathBuf,
    /// Sign with the certificate's own key instead of the account's.
    #[arg(long)]
    cert_key: Option<PathBuf>,
    /// RFC 5280 CRLReason code (0-10, not 7).
    #[arg(long)]
    reason: Option<u8>,
}

fn account_key(path: Option<&Path>) -> Result<AccountKey, Failure> {
    match path {
        Some(p) if p.exists() => Ok(AccountKey::from_pem(&read_text(p, "account-key")?)?),
        Some(p) => {
            let key = generate_account_key();
            create_new(p, key.to_pkcs8_pem()?.expose().as_bytes(), true)?;
            Ok(key)
        }
        None => Ok(generate_account_key()),
    }
}

/// A contact e-mail that can go into a `mailto:` URL (RFC 8555 section
/// 7.3): one `@`, no spaces, controls or URL delimiters.
fn check_email(email: &str) -> Result<(), Failure> {
    let ok = email.split('@').count() == 2
        && !email.starts_with('@')
        && !email.ends_with('@')
        && !email
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || ",;?#/<>\"\\".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Failure::Core(Error::invalid_input(
            "email",
            "not an e-mail address",
        )))
    }
}

/// The account options, checked and with the EAB key decoded, before the
/// directory is fetched (issue 14, item 5).
struct Account {
    directory: String,
    insecure_http: bool,
    eab: Option<EabKey>,
    contact: Option<String>,
    key: AccountKey,
}

impl AccountOpts {
    fn check(&self) -> Result<Account, Failure> {
        let hmac =
            secrets::EAB_HMAC.resolve(self.eab_hmac.as_deref(), self.eab_hmac_file.as_deref())?;
        let eab = match (&self.eab_kid, hmac) {
            (Some(kid), Some(hmac)) => Some(EabKey::new(kid, hmac.expose())?),
            (Some(_), None) => return Err(secrets::EAB_HMAC.missing()),
            (None, Some(_)) => {
                return Err(Failure::Usage(
                    "an EAB HMAC key needs --eab-kid (or CERTBRIDGE_EAB_KID)".into(),
                ))
            }
            (None, None) => None,
        };
        if let Some(email) = &self.email {
            check_email(email)?;
        }
        Ok(Account {
            directory: self.directory.clone(),
            insecure_http: self.insecure_http,
            eab,
            contact: self.email.as_ref().map(|e| format!("mailto:{e}")),
            key: account_key(self.account_key.as_deref())?,
        })
    }
}

async fn client(
    a: Account,
    mut driver: Driver,
    solver: Option<Arc<dyn ChallengeSolver>>,
) -> Result<AcmeClient, Failure> {
    if let Some(s) = solver {
        driver = driver.with_solver(s);
    }
    let mut client =
        AcmeClient::connect_allowing_insecure_http(driver, &a.directory, a.key, a.insecure_http)
            .await?;
    if let Some(eab) = a.eab {
        client = client.with_eab(eab);
    }
    if let Some(contact) = a.contact {
        client = client.with_contact(vec![contact]);
    }
    Ok(client)
}

/// Answers http-01 challenges on a port of its own for as long as it lives.
pub struct HttpSolver {
    answers: Arc<Mutex<HashMap<String, String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl HttpSolver {
    /// Listens on `addr` (e.g. `0.0.0.0:80`).
    pub async fn bind(addr: &str) -> Result<Self, Failure> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::Io(format!("http-01 server on {addr}: {e}")))?;
        let answers: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let shared = answers.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let n = stream.read(&mut buf).await.unwrap_or(0);
                    let head = String::from_utf8_lossy(&buf[..n]);
                    let path = head.split_whitespace().nth(1).unwrap_or("");
                    let token = path
                        .strip_prefix("/.well-known/acme-challenge/")
                        .unwrap_or("");
                    let body = shared.lock().ok().and_then(|m| m.get(token).cloned());
                    let reply = match body {
                        Some(b) => format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}", b.len()),
                        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                    };
                    let _ = stream.write_all(reply.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Ok(HttpSolver { answers, task })
    }
}

impl Drop for HttpSolver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[async_trait]
impl ChallengeSolver for HttpSolver {
    async fn publish(&self, tasks: &[ChallengeTask]) -> Result<(), Error> {
        let mut answers = self
            .answers
            .lock()
            .map_err(|_| Error::transport("solver lock"))?;
        for t in tasks {
            match t {
                ChallengeTask::Http01 {
                    token,
                    body,
                    domain,
                } => {
                    progress(format!("serving http-01 for {domain}"));
                    answers.insert(token.clone(), body.clone());
                }
                other => {
                    return Err(Error::invalid_input(
                        "challenge",
                        format!("the http-01 server cannot solve {other:?}"),
                    ))
                }
            }
        }
        Ok(())
    }

    async fn cleanup(&self, tasks: &[ChallengeTask]) {
        if let Ok(mut answers) = self.answers.lock() {
            for t in tasks {
                if let ChallengeTask::Http01 { token, .. } = t {
                    answers.remove(token);
                }
            }
        }
    }
}

/// Publishes dns-01 records by running a hook command.
pub struct DnsHook(pub String);

impl DnsHook {
    async fn run(&self, action: &str, name: &str, value: &str) -> Result<(), Error> {
        let status = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{} \"$0\" \"$1\" \"$2\"", self.0))
            .arg(action)
            .arg(name)
            .arg(value)
            .status()
            .await
            .map_err(|e| Error::transport(format!("dns hook: {e}")))?;
        if status.success() {
            Ok(())
        } else {
            Err(Error::transport(format!(
                "dns hook {action} {name} exited with {status}"
            )))
        }
    }
}

#[async_trait]
impl ChallengeSolver for DnsHook {
    async fn publish(&self, tasks: &[ChallengeTask]) -> Result<(), Error> {
        for t in tasks {
            match t {
                ChallengeTask::DnsTxt { name, value, .. } => {
                    progress(format!("publishing TXT {name}"));
                    self.run("present", name, value).await?;
                }
                other => {
                    return Err(Error::invalid_input(
                        "challenge",
                        format!("the dns hook cannot solve {other:?}"),
                    ))
                }
            }
        }
        Ok(())
    }

    async fn cleanup(&self, tasks: &[ChallengeTask]) {
        for t in tasks {
            if let ChallengeTask::DnsTxt { name, value, .. } = t {
                let _ = self.run("cleanup", name, value).await;
            }
        }
    }
}

async fn solver(o: &OrderOpts) -> Result<Arc<dyn ChallengeSolver>, Failure> {
    Ok(match o.challenge.as_str() {
        "dns-01" => {
            Arc::new(DnsHook(o.dns_hook.clone().ok_or_else(|| {
                Failure::Usage("dns-01 needs --dns-hook".into())
            })?))
        }
        _ => Arc::new(HttpSolver::bind(&format!("0.0.0.0:{}", o.http_port)).await?),
    })
}

/// The order, checked: identifiers, key kind, challenge options.
struct Order {
    identifiers: Vec<Identifier>,
    kind: KeyKind,
}

impl OrderOpts {
    fn check(&self) -> Result<Order, Failure> {
        if self.challenge == "dns-01" && self.dns_hook.is_none() {
            return Err(Failure::Usage("dns-01 needs --dns-hook".into()));
        }
        let identifiers = self
            .domains
            .iter()
            .map(|d| Identifier::dns(d))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Order {
            identifiers,
            kind: key_kind(&self.key)?,
        })
    }

    /// Makes the key, saves it as pending (before anything is sent, so it
    /// is never lost) and builds the CSR.
    fn prepare(&self, order: Order) -> Result<(IssueOptions, Pending), Failure> {
        let key = generate_key(order.kind)?;
        let mut builder = CsrBuilder::new();
        for d in &self.domains {
            builder = builder.dns_name(d.as_str());
        }
        let csr = builder.build(&key)?;
        let pending = Pending::create(&self.out, &key)?;
        let mut options = IssueOptions::new(order.identifiers, csr.der().to_vec());
        options.challenge_types = vec![if self.challenge == "dns-01" {
            ChallengeType::Dns01
        } else {
            ChallengeType::Http01
        }];
        options.profile = self.profile.clone();
        Ok((options, pending))
    }
}

/// Verifies the leaf against the pending key, installs the pair and says so.
fn issued_output(
    issued: &certbridge::acme::Issued,
    o: &OrderOpts,
    pending: &Pending,
    as_json: bool,
    verb: &str,
) -> Result<Output, Failure> {
    let leaf_der = issued.chain.leaf_der()?;
    let leaf = certbridge::crypto::certificate::Certificate::from_der(&leaf_der)?;
    let files = pending.install(&leaf_der, &leaf.pem, &issued.chain.pem)?;
    Ok(Output {
        summary: format!(
            "{verb}: {} serial {} until {} -> {}",
            o.domains.join(", "),
            leaf.serial_hex,
            leaf.not_after.to_rfc3339(),
            files.cert.display()
        ),
        json: json!({
            "order": issued.order.url, "account": issued.account_url, "serial": leaf.serial_hex,
            "not_after": leaf.not_after.to_rfc3339(), "certificate": files.cert,
            "chain": files.chain, "key": files.key,
            "alternates": issued.alternates.len(), "replaces_dropped": issued.replaces_dropped,
        }),
        as_json,
    })
}

/// `issue`, or `renew` of the certificate `renewing` (PEM or DER).
async fn order(
    a: &AccountOpts,
    o: &OrderOpts,
    renewing: Option<Vec<u8>>,
) -> Result<Output, Failure> {
    let order = o.check()?;
    let account = a.check()?;
    let driver = a.net.driver()?;
    let solver = solver(o).await?;
    let (options, pending) = o.prepare(order)?;
    let issued = pending.keep_on_error(
        async {
            let client = client(account, driver, Some(solver)).await?;
            progress(format!("ordering {}", o.domains.join(", ")));
            Ok::<_, Failure>(match &renewing {
                Some(old) => {
                    if let Some(info) = client.renewal_info(old).await? {
                        progress(format!(
                            "server's renewal window starts {}",
                            info.suggested_window.start.to_rfc3339()
                        ));
                    }
                    client.renew(old, options).await?
                }
                None => client.issue(options).await?,
            })
        }
        .await,
    )?;
    let verb = if renewing.is_some() {
        "renewed"
    } else {
        "issued"
    };
    pending.keep_on_error(issued_output(&issued, o, &pending, a.net.json, verb))
}

pub async fn run(cmd: Cmd) -> Result<Output, Failure> {
    // Every check comes before the first request (issue 14, item 5); the key
    // is written before the order and installed only with its certificate
    // (item 2).
    match cmd {
        Cmd::Issue(a) => order(&a.account, &a.order, None).await,
        Cmd::Renew(a) => {
            let old = std::fs::read(&a.cert)
                .map_err(|e| Failure::Usage(format!("--cert {}: {e}", a.cert.display())))?;
            certbridge::crypto::certificate::Certificate::parse(&old)?;
            order(&a.account, &a.order, Some(old)).await
        }
        Cmd::Revoke(a) => {
            let cert = std::fs::read(&a.cert)
                .map_err(|e| Failure::Usage(format!("--cert {}: {e}", a.cert.display())))?;
            // Certificate and reason checked as the request will carry them.
            RevokeCert::payload(&cert, a.reason)?;
            let cert_key = match &a.cert_key {
                Some(p) => Some(AccountKey::from_pem(&read_text(p, "cert-key")?)?),
                None => None,
            };
            let account = a.account.check()?;
            let driver = a.account.net.driver()?;
            let client = client(account, driver, None).await?;
            match cert_key {
                Some(key) => {
                    client
                        .revoke_with_certificate_key(&cert, key, a.reason)
                        .await?
                }
                None => client.revoke(&cert, a.reason).await?,
            }
            Ok(Output {
                summary: "revoked".into(),
                json: json!({"revoked": true}),
                as_json: a.account.net.json,
            })
        }
    }
}
