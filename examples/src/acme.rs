//! `certbridge acme ...` and `certbridge identrust ...`

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use certbridge::acme::{AccountKey, ChallengeType, EabKey, Identifier, IssueOptions};
use certbridge::client::{
    generate_account_key, generate_key, AcmeClient, ChallengeSolver, IdenTrustClient,
};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::identrust::Environment;
use certbridge::{ChallengeTask, Error, Secret};
use clap::{Args, Subcommand};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::common::{progress, read_text, write_file, Failure, NetOpts, Output};
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
        /// Reseller API key.
        #[arg(long, env = "CERTBRIDGE_IDENTRUST_API_KEY", hide_env_values = true)]
        api_key: String,
        /// Customer e-mail.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        net: NetOpts,
    },
}

pub async fn identrust(cmd: IdenTrustCmd) -> Result<Output, Failure> {
    let IdenTrustCmd::Account {
        reseller,
        api_key,
        email,
        net,
    } = cmd;
    let env = Environment::custom(&reseller, &reseller)?;
    let client = IdenTrustClient::new(net.driver()?, env, Secret::new(api_key));
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
    #[arg(long, env = "CERTBRIDGE_EAB_KID", requires = "eab_hmac")]
    eab_kid: Option<String>,
    /// EAB HMAC key, any base64 form.
    #[arg(long, env = "CERTBRIDGE_EAB_HMAC", hide_env_values = true)]
    eab_hmac: Option<String>,
    /// Account key PEM; created (mode 0600) when the file does not exist.
    #[arg(long)]
    account_key: Option<PathBuf>,
    /// Contact e-mail for a new account.
    #[arg(long)]
    email: Option<String>,
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
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("account.pem");
            write_file(dir, name, key.to_pkcs8_pem()?.expose(), true)?;
            Ok(key)
        }
        None => Ok(generate_account_key()),
    }
}

async fn client(
    a: &AccountOpts,
    solver: Option<Arc<dyn ChallengeSolver>>,
) -> Result<AcmeClient, Failure> {
    let mut driver = a.net.driver()?;
    if let Some(s) = solver {
        driver = driver.with_solver(s);
    }
    let key = account_key(a.account_key.as_deref())?;
    let mut client = AcmeClient::connect(driver, &a.directory, key).await?;
    if let (Some(kid), Some(hmac)) = (&a.eab_kid, &a.eab_hmac) {
        client = client.with_eab(EabKey::new(kid, hmac)?);
    }
    if let Some(email) = &a.email {
        client = client.with_contact(vec![format!("mailto:{email}")]);
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

/// Writes the key first, then orders; returns the options and the key path.
fn prepare(o: &OrderOpts) -> Result<(IssueOptions, PathBuf), Failure> {
    let key = generate_key(key_kind(&o.key)?)?;
    let key_path = write_file(&o.out, "key.pem", key.to_pkcs8_pem()?.expose(), true)?;
    let mut builder = CsrBuilder::new();
    for d in &o.domains {
        builder = builder.dns_name(d.as_str());
    }
    let csr = builder.build(&key)?;
    let identifiers = o
        .domains
        .iter()
        .map(|d| Identifier::dns(d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut options = IssueOptions::new(identifiers, csr.der().to_vec());
    options.challenge_types = vec![if o.challenge == "dns-01" {
        ChallengeType::Dns01
    } else {
        ChallengeType::Http01
    }];
    options.profile = o.profile.clone();
    Ok((options, key_path))
}

fn issued_output(
    issued: &certbridge::acme::Issued,
    o: &OrderOpts,
    key: PathBuf,
    as_json: bool,
    verb: &str,
) -> Result<Output, Failure> {
    let leaf_der = issued.chain.leaf_der()?;
    let leaf = certbridge::crypto::certificate::Certificate::from_der(&leaf_der)?;
    let cert = write_file(&o.out, "cert.pem", &leaf.pem, false)?;
    let chain = write_file(&o.out, "chain.pem", &issued.chain.pem, false)?;
    Ok(Output {
        summary: format!(
            "{verb}: {} serial {} until {} -> {}",
            o.domains.join(", "),
            leaf.serial_hex,
            leaf.not_after.to_rfc3339(),
            cert.display()
        ),
        json: json!({
            "order": issued.order.url, "account": issued.account_url, "serial": leaf.serial_hex,
            "not_after": leaf.not_after.to_rfc3339(), "certificate": cert, "chain": chain, "key": key,
            "alternates": issued.alternates.len(), "replaces_dropped": issued.replaces_dropped,
        }),
        as_json,
    })
}

pub async fn run(cmd: Cmd) -> Result<Output, Failure> {
    match cmd {
        Cmd::Issue(a) => {
            let (options, key) = prepare(&a.order)?;
            let client = client(&a.account, Some(solver(&a.order).await?)).await?;
            progress(format!("ordering {}", a.order.domains.join(", ")));
            let issued = client.issue(options).await?;
            issued_output(&issued, &a.order, key, a.account.net.json, "issued")
        }
        Cmd::Renew(a) => {
            let old = std::fs::read(&a.cert)
                .map_err(|e| Failure::Usage(format!("--cert {}: {e}", a.cert.display())))?;
            let (options, key) = prepare(&a.order)?;
            let client = client(&a.account, Some(solver(&a.order).await?)).await?;
            if let Some(info) = client.renewal_info(&old).await? {
                progress(format!(
                    "server's renewal window starts {}",
                    info.suggested_window.start.to_rfc3339()
                ));
            }
            let issued = client.renew(&old, options).await?;
            issued_output(&issued, &a.order, key, a.account.net.json, "renewed")
        }
        Cmd::Revoke(a) => {
            let cert = std::fs::read(&a.cert)
                .map_err(|e| Failure::Usage(format!("--cert {}: {e}", a.cert.display())))?;
            let client = client(&a.account, None).await?;
            match &a.cert_key {
                Some(p) => {
                    let key = AccountKey::from_pem(&read_text(p, "cert-key")?)?;
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
