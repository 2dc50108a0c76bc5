//! `certbridge swisssign ...`

use std::path::PathBuf;

use certbridge::client::{generate_key, SwissSignClient};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::KeyKind;
use certbridge::swisssign::domain::DomainAction;
use certbridge::swisssign::revoke::{RevocationReason, RevocationRequest};
use certbridge::swisssign::{
    auth::local_jwt, ClientRef, DomainRef, IssueFlow, OrderRef, ProductRef, Session,
    SwissSignConfig,
};
use certbridge::{Deadline, Error, Timestamp};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::common::{progress, Failure, NetOpts, Output};
use crate::deploy::Pending;
use crate::secrets;

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Sign a session JWT locally with the API key (no network).
    Jwt {
        /// Service account.
        #[arg(long, env = "CERTBRIDGE_SWISSSIGN_ACCOUNT")]
        account: String,
        /// File holding the API key (`-`: stdin); default: the
        /// CERTBRIDGE_SWISSSIGN_API_KEY environment variable.
        #[arg(long, value_name = "FILE")]
        api_key_file: Option<PathBuf>,
        /// Refused: a key on the command line is visible to `ps`.
        #[arg(long, hide = true)]
        api_key: Option<String>,
        /// Unix time to sign at (default: now).
        #[arg(long)]
        now: Option<u64>,
    },
    /// List clients and their products (`pma-` references).
    Clients {
        #[command(flatten)]
        conn: Conn,
        /// Search term (`*` wildcard).
        #[arg(long)]
        search: Option<String>,
    },
    /// Pre-validate domains: register, print the TXT records, validate.
    #[command(subcommand)]
    Domain(DomainCmd),
    /// Issue a certificate: local key + CSR, order, poll, chain.
    Issue(IssueArgs),
    /// Status of an order.
    Status {
        #[command(flatten)]
        conn: Conn,
        /// `ord-` reference.
        #[arg(long)]
        order: String,
    },
    /// Revoke by serial and issuer, or by order.
    Revoke(RevokeArgs),
    /// List orders (`POST /v2/orders`), e.g. to find one whose submission
    /// answer was lost.
    Orders {
        #[command(flatten)]
        conn: Conn,
        /// Only orders created after this time (RFC 3339).
        #[arg(long, value_name = "RFC3339")]
        since: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DomainCmd {
    /// Register names (Unicode allowed) and print the TXT record for each.
    Register {
        #[command(flatten)]
        conn: Conn,
        /// `cli-` reference.
        #[arg(long)]
        client: String,
        /// Names to register.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// List the client's domains.
    List {
        #[command(flatten)]
        conn: Conn,
        /// `cli-` reference.
        #[arg(long)]
        client: String,
    },
    /// Check a domain's TXT record now.
    Validate {
        #[command(flatten)]
        conn: Conn,
        /// `cld-` reference.
        #[arg(long)]
        domain: String,
    },
}

#[derive(Args, Debug)]
pub struct Conn {
    /// RA API base URL (default: production).
    #[arg(long, env = "CERTBRIDGE_SWISSSIGN_SERVER", default_value = certbridge::swisssign::PRODUCTION_URL)]
    server: String,
    /// Service account.
    #[arg(long, env = "CERTBRIDGE_SWISSSIGN_ACCOUNT")]
    account: String,
    /// File holding the API key, which signs the JWT locally (`-`: stdin);
    /// default: the CERTBRIDGE_SWISSSIGN_API_KEY environment variable.
    #[arg(long, value_name = "FILE")]
    api_key_file: Option<PathBuf>,
    /// Refused: a key on the command line is visible to `ps`.
    #[arg(long, hide = true)]
    api_key: Option<String>,
    /// Fetch the JWT from /v2/jwt/{account} instead of signing it locally.
    #[arg(long)]
    server_jwt: bool,
    /// Accept a cleartext http:// server URL on a non-loopback host
    /// (credentials then cross the network unencrypted; issue 14 item 9).
    #[arg(long)]
    insecure_http: bool,
    #[command(flatten)]
    net: NetOpts,
}

impl Conn {
    fn client(&self) -> Result<SwissSignClient, Failure> {
        let (session, driver) = self.session_and_driver()?;
        Ok(SwissSignClient::new(session, driver))
    }

    /// The session and driver of [`Conn::client`], for running a flow
    /// directly (and reading its order when it fails).
    fn session_and_driver(&self) -> Result<(Session, certbridge::client::Driver), Failure> {
        let config = SwissSignConfig::new_allowing_insecure_http(&self.server, self.insecure_http)?;
        let secret = secrets::SWISSSIGN_API_KEY
            .required(self.api_key.as_deref(), self.api_key_file.as_deref())?;
        let session = if self.server_jwt {
            Session::with_user_secret(config, &self.account, secret)?
        } else {
            Session::with_api_key(config, &self.account, secret)?
        };
        Ok((session, self.net.driver()?))
    }
}

#[derive(Args, Debug)]
pub struct IssueArgs {
    #[command(flatten)]
    conn: Conn,
    /// Product (`pma-` reference).
    #[arg(long)]
    product: String,
    /// DNS name (repeatable); the first is also the CN.
    #[arg(long = "domain", required = true)]
    domains: Vec<String>,
    /// Key kind.
    #[arg(long, default_value = "ec-p256", value_parser = ["ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096"])]
    key: String,
    /// Stop waiting for the order after this many seconds, or `forever`.
    /// On stopping, the order reference is printed (stdout) so the order
    /// can be checked with `swisssign status --order` later.
    #[arg(long, visible_alias = "wait-timeout", value_name = "SECS|forever",
          default_value_t = WaitLimit::Secs(certbridge::swisssign::flow::DEFAULT_WAIT_SECS),
          value_parser = parse_wait)]
    wait: WaitLimit,
    /// Directory for key.pem, cert.pem and chain.pem.
    #[arg(long)]
    out: PathBuf,
}

/// `--wait`: seconds, or `forever` (issue 14, item 12: polling forever is
/// asked for, never the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitLimit {
    /// Give up after this many seconds.
    Secs(u64),
    /// Poll until the order ends.
    Forever,
}

impl std::fmt::Display for WaitLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitLimit::Secs(s) => write!(f, "{s}"),
            WaitLimit::Forever => f.write_str("forever"),
        }
    }
}

fn parse_wait(value: &str) -> Result<WaitLimit, String> {
    if value.eq_ignore_ascii_case("forever") {
        return Ok(WaitLimit::Forever);
    }
    value
        .parse()
        .map(WaitLimit::Secs)
        .map_err(|_| format!("{value:?} is neither a number of seconds nor `forever`"))
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    #[command(flatten)]
    conn: Conn,
    /// Serial number, hex.
    #[arg(long, requires = "issuer", conflicts_with = "order")]
    serial: Option<String>,
    /// Issuer DN as the server writes it.
    #[arg(long)]
    issuer: Option<String>,
    /// Revoke the certificate of this order instead.
    #[arg(long)]
    order: Option<String>,
    /// unused, key-compromise, affiliation-changed, superseded, cessation-of-operation
    #[arg(long, default_value = "superseded")]
    reason: String,
}

pub fn key_kind(name: &str) -> Result<KeyKind, Failure> {
    KeyKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name)
        .ok_or_else(|| Failure::Usage(format!("unknown key kind {name}")))
}

fn reason(name: &str) -> Result<RevocationReason, Failure> {
    Ok(match name.to_ascii_lowercase().replace('_', "-").as_str() {
        "unused" | "unspecified" => RevocationReason::Unused,
        "key-compromise" | "keycompromise" => RevocationReason::KeyCompromise,
        "affiliation-changed" | "affiliationchanged" => RevocationReason::AffiliationChanged,
        "superseded" => RevocationReason::Superseded,
        "cessation-of-operation" | "cessationofoperation" => RevocationReason::CessationOfOperation,
        other => return Err(Failure::Usage(format!("unknown revocation reason {other}"))),
    })
}

/// The names `domain register` sends, checked as the request will check
/// them: with `--server-jwt` the JWT call would otherwise come first.
fn check_names(names: &[String]) -> Result<(), Failure> {
    for (i, name) in names.iter().enumerate() {
        let name = name.trim();
        if name.starts_with("*.") || certbridge::crypto::csr::dns_to_ascii(name).is_none() {
            return Err(Failure::Core(Error::invalid_input(
                format!("names[{i}]"),
                "not a domain name",
            )));
        }
    }
    Ok(())
}

/// `--serial` must be hexadecimal (colons and spaces allowed, as
/// `openssl x509 -serial` and browsers print it), `--issuer` not empty.
fn check_serial(serial: &str, issuer: &str) -> Result<(), Failure> {
    let digits: Vec<char> = serial.chars().filter(|c| !matches!(c, ':' | ' ')).collect();
    if digits.is_empty() || !digits.iter().all(char::is_ascii_hexdigit) {
        return Err(Failure::Core(Error::invalid_input(
            "serial",
            "not a hexadecimal serial number",
        )));
    }
    if issuer.trim().is_empty() {
        return Err(Failure::Core(Error::invalid_input(
            "issuer",
            "the issuer name is empty",
        )));
    }
    Ok(())
}

pub async fn run(cmd: Cmd) -> Result<Output, Failure> {
    match cmd {
        Cmd::Jwt {
            account,
            api_key_file,
            api_key,
            now,
        } => {
            let key =
                secrets::SWISSSIGN_API_KEY.required(api_key.as_deref(), api_key_file.as_deref())?;
            let now = match now {
                Some(t) => Timestamp::from_secs(t),
                None => certbridge::client::Clock::now(&certbridge::client::SystemClock),
            };
            let jwt = local_jwt(&account, &key, now)?;
            let token = jwt.expose().to_string();
            Ok(Output {
                summary: token.clone(),
                json: json!({"jwt": token}),
                as_json: false,
            })
        }
        Cmd::Clients { conn, search } => {
            let clients = conn.client()?.clients(search.as_deref()).await?;
            let summary = clients
                .iter()
                .flat_map(|c| {
                    c.products
                        .iter()
                        .map(move |p| format!("{} {}", c.uuid, p.uuid))
                })
                .collect::<Vec<_>>()
                .join("\n");
            Ok(Output {
                summary,
                json: serde_json::to_value(&clients).unwrap_or_default(),
                as_json: conn.net.json,
            })
        }
        Cmd::Domain(DomainCmd::Register {
            conn,
            client,
            names,
        }) => {
            let client_ref: ClientRef = client.parse()?;
            check_names(&names)?;
            let domains = conn.client()?.register_domains(&client_ref, &names).await?;
            let summary = domains
                .iter()
                .map(|d| match &d.txt_record {
                    Some(r) => format!("{} TXT {} \"{}\"", d.uuid, r.name, r.value),
                    None => format!("{} (no token)", d.uuid),
                })
                .collect::<Vec<_>>()
                .join("\n");
            Ok(Output {
                summary,
                json: serde_json::to_value(&domains).unwrap_or_default(),
                as_json: conn.net.json,
            })
        }
        Cmd::Domain(DomainCmd::List { conn, client }) => {
            let client_ref: ClientRef = client.parse()?;
            let domains = conn.client()?.domains(&client_ref).await?;
            let summary = domains
                .iter()
                .map(|d| {
                    format!(
                        "{} {} validated={}",
                        d.uuid,
                        d.domain.as_deref().unwrap_or("?"),
                        d.validated
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            Ok(Output {
                summary,
                json: serde_json::to_value(&domains).unwrap_or_default(),
                as_json: conn.net.json,
            })
        }
        Cmd::Domain(DomainCmd::Validate { conn, domain }) => {
            let domain_ref: DomainRef = domain.parse()?;
            let d = conn
                .client()?
                .domain(&domain_ref, DomainAction::Validate)
                .await?;
            Ok(Output {
                summary: format!("{} validated={}", d.uuid, d.validated),
                json: serde_json::to_value(&d).unwrap_or_default(),
                as_json: conn.net.json,
            })
        }
        Cmd::Issue(a) => issue(a).await,
        Cmd::Orders { conn, since } => {
            let search = certbridge::swisssign::order::OrderSearch {
                start_after: since,
                ..Default::default()
            };
            let orders = conn.client()?.orders(&search).await?;
            let summary = orders
                .iter()
                .map(|o| {
                    format!(
                        "{} {} {}",
                        o.uuid,
                        o.status.as_str(),
                        o.created_on.as_deref().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            Ok(Output {
                summary,
                json: serde_json::to_value(&orders).unwrap_or_default(),
                as_json: conn.net.json,
            })
        }
        Cmd::Status { conn, order } => {
            let order_ref: OrderRef = order.parse()?;
            let status = conn.client()?.order_status(&order_ref).await?;
            Ok(Output {
                summary: status.as_str().to_string(),
                json: json!({"order": order_ref.to_string(), "status": status.as_str()}),
                as_json: conn.net.json,
            })
        }
        Cmd::Revoke(a) => {
            let client = a.conn.client()?;
            let why = reason(&a.reason)?;
            match (&a.order, &a.serial, &a.issuer) {
                (Some(order), _, _) => {
                    let order: OrderRef = order.parse()?;
                    client.revoke_order(&order, why).await?
                }
                (None, Some(serial), Some(issuer)) => {
                    check_serial(serial, issuer)?;
                    let request = RevocationRequest {
                        serial_number: serial.clone(),
                        issuer_name: issuer.clone(),
                        reason: why,
                        requestor: None,
                    };
                    client.revoke(&[request]).await?
                }
                _ => {
                    return Err(Failure::Usage(
                        "give --order, or --serial with --issuer".into(),
                    ))
                }
            }
            Ok(Output {
                summary: "revoked".into(),
                json: json!({"revoked": true}),
                as_json: a.conn.net.json,
            })
        }
    }
}

async fn issue(a: IssueArgs) -> Result<Output, Failure> {
    let product: ProductRef = a.product.parse()?;
    let (session, driver) = a.conn.session_and_driver()?;
    let key = generate_key(key_kind(&a.key)?)?;
    let mut builder = CsrBuilder::new().subject("cn", a.domains[0].as_str());
    for d in &a.domains {
        builder = builder.dns_name(d.as_str());
    }
    let csr = builder.build(&key)?;
    // The key is on disk before anything is sent, so nothing can lose it;
    // the deployed pair is replaced only with a matching certificate.
    let pending = Pending::create(&a.out, &key)?;
    let deadline = match a.wait {
        WaitLimit::Secs(secs) => Deadline::at(
            certbridge::client::Clock::now(&certbridge::client::SystemClock).plus_secs(secs),
        ),
        WaitLimit::Forever => Deadline::NONE,
    };
    progress(format!(
        "ordering {} from {}",
        a.domains.join(", "),
        product
    ));
    let submitted_after = certbridge::client::Clock::now(&certbridge::client::SystemClock)
        .plus_secs(0)
        .millis()
        .saturating_sub(60_000);
    let mut flow = IssueFlow::new(session, product.clone(), csr.der(), deadline)?;
    let result = driver.run(&mut flow).await;
    if let (Err(e), Some(order)) = (&result, flow.order()) {
        // The order lives on at SwissSign: say which one, on stdout for
        // scripts, and how to look at it (issue 14, items 12 and 14).
        let status = flow.status().map(|s| s.as_str()).unwrap_or("unknown");
        if a.conn.net.json {
            println!(
                "{}",
                json!({"order": order.to_string(), "status": status, "issued": false, "error": e.kind()})
            );
        } else {
            println!("{order}");
        }
        progress(format!(
            "order {order} is still open at SwissSign (last status {status}); check it with \
             `certbridge swisssign status --order {order}`"
        ));
    }
    if let Err(e) = &result {
        if e.kind() == "ambiguous" && flow.order().is_none() {
            let since = Timestamp::from_millis(submitted_after).to_rfc3339();
            progress(format!(
                "look for the order with `certbridge swisssign orders --since {since}` before \
                 issuing again"
            ));
        }
    }
    let issued = pending.keep_on_error(result)?;
    let files = pending.keep_on_error(
        issued
            .certificate
            .der()
            .map_err(Failure::from)
            .and_then(|der| pending.install(&der, &issued.certificate.pem, &issued.pem_chain)),
    )?;
    let (cert, chain, key_path) = (files.cert, files.chain, files.key);
    Ok(Output {
        summary: format!(
            "issued: order {} serial {} until {} -> {}",
            issued.order,
            issued.certificate.serial_hex,
            issued.certificate.not_after.to_rfc3339(),
            cert.display()
        ),
        json: json!({
            "order": issued.order.to_string(),
            "serial": issued.certificate.serial_hex,
            "not_after": issued.certificate.not_after.to_rfc3339(),
            "certificate": cert, "chain": chain, "key": key_path,
        }),
        as_json: a.conn.net.json,
    })
}
