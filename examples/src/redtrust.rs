//! `certbridge redtrust ...`

use std::path::PathBuf;

use certbridge::client::RedtrustClient;
use certbridge::redtrust::{
    parse_dn, CsrRequest, HashType, KeyType, LoginUrl, RedtrustCompat, RedtrustConfig, Session,
};
use certbridge::{Secret, Timestamp};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::common::{progress, Failure, NetOpts, Output};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Print the HMAC-signed browser URL that starts a Redtrust login (no network).
    LoginUrl(LoginUrlArgs),
    /// Log in (password or the redirect URL carrying `tkn`) and print the session.
    Login(LoginArgs),
    /// Issue a certificate: the server makes the key pair; csr/create + csr/finalize.
    Issue(IssueArgs),
    /// Renew a certificate by thumbprint or certificate file.
    Renew(RenewArgs),
    /// SHA-1 thumbprint of a certificate file, as Redtrust shows it (no network).
    Thumbprint {
        /// PEM or DER certificate.
        file: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct ServerOpts {
    /// Redtrust server, e.g. https://redtrust.example:8082
    #[arg(long, env = "CERTBRIDGE_REDTRUST_SERVER")]
    pub server: String,
    /// Document version the server follows.
    #[arg(long, value_parser = ["v4.42", "v4.33"], default_value = "v4.42")]
    pub compat: String,
}

impl ServerOpts {
    fn config(&self) -> Result<RedtrustConfig, Failure> {
        let compat = if self.compat == "v4.33" {
            RedtrustCompat::V4_33
        } else {
            RedtrustCompat::V4_42
        };
        Ok(RedtrustConfig::new(&self.server)?.with_compat(compat))
    }
}

#[derive(Args, Debug)]
pub struct LoginUrlArgs {
    #[command(flatten)]
    server: ServerOpts,
    /// Partner (client application) name; sent upper-case.
    #[arg(long)]
    partner: String,
    /// Shared HMAC key.
    #[arg(long, env = "CERTBRIDGE_REDTRUST_HMAC_KEY", hide_env_values = true)]
    hmac_key: String,
    /// URL Redtrust sends the browser back to, with `tkn`.
    #[arg(long)]
    redirect_url: String,
    /// Users' domain.
    #[arg(long)]
    domain: Option<String>,
    /// Unix timestamp to sign (default: now).
    #[arg(long)]
    timestamp: Option<u64>,
    /// Print JSON (URL and headers).
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct AuthOpts {
    /// Application user for direct login.
    #[arg(long, env = "CERTBRIDGE_REDTRUST_USERNAME")]
    username: Option<String>,
    /// Password for direct login.
    #[arg(long, env = "CERTBRIDGE_REDTRUST_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Users' domain for direct login.
    #[arg(long)]
    domain: Option<String>,
    /// An access token from an earlier login.
    #[arg(long, env = "CERTBRIDGE_REDTRUST_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The URL the browser was redirected to after an HMAC login (holds `tkn`).
    #[arg(long)]
    redirected_to: Option<String>,
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    #[command(flatten)]
    server: ServerOpts,
    #[command(flatten)]
    auth: AuthOpts,
    #[command(flatten)]
    net: NetOpts,
}

#[derive(Args, Debug)]
pub struct CsrOpts {
    /// Certificate provider behind Redtrust (CAMERFIRMA, CA_BRASIL, ...).
    #[arg(long, default_value = "CAMERFIRMA")]
    provider: String,
    /// Subject, e.g. "cn=John Doe,o=Example,c=ES".
    #[arg(long)]
    dn: String,
    /// RSA or DSA.
    #[arg(long, default_value = "RSA")]
    key_type: String,
    /// Key length in bits.
    #[arg(long, default_value_t = 2048)]
    key_length: u32,
    /// SHA256, SHA384 or SHA512.
    #[arg(long, default_value = "SHA384")]
    hash: String,
    /// Caller-chosen request code.
    #[arg(long)]
    request_code: Option<String>,
    /// Group id the certificate joins (repeatable).
    #[arg(long = "group-id")]
    group_ids: Vec<String>,
    /// Provider-specific finalize data, base64.
    #[arg(long)]
    data_in_b64: Option<String>,
}

impl CsrOpts {
    fn request(&self) -> Result<CsrRequest, Failure> {
        let mut r = CsrRequest::new(parse_dn(&self.dn)?);
        r.provider = self.provider.clone();
        r.key_type = self.key_type.parse::<KeyType>()?;
        r.key_length = self.key_length;
        r.hash_type = self.hash.parse::<HashType>()?;
        r.request_code = self.request_code.clone();
        r.group_ids = self.group_ids.clone();
        r.validate()?;
        Ok(r)
    }
}

#[derive(Args, Debug)]
pub struct IssueArgs {
    #[command(flatten)]
    server: ServerOpts,
    #[command(flatten)]
    auth: AuthOpts,
    #[command(flatten)]
    csr: CsrOpts,
    /// Renew the certificate with this SHA-1 thumbprint instead of issuing a new one.
    #[arg(long)]
    renew: Option<String>,
    #[command(flatten)]
    net: NetOpts,
}

#[derive(Args, Debug)]
pub struct RenewArgs {
    #[command(flatten)]
    server: ServerOpts,
    #[command(flatten)]
    auth: AuthOpts,
    #[command(flatten)]
    csr: CsrOpts,
    /// SHA-1 thumbprint of the certificate to renew.
    #[arg(
        long,
        conflicts_with = "certificate",
        required_unless_present = "certificate"
    )]
    thumbprint: Option<String>,
    /// The certificate to renew (PEM or DER file).
    #[arg(long)]
    certificate: Option<PathBuf>,
    #[command(flatten)]
    net: NetOpts,
}

pub async fn run(cmd: Cmd) -> Result<Output, Failure> {
    match cmd {
        Cmd::LoginUrl(a) => login_url(a),
        Cmd::Login(a) => {
            let client = client(&a.server, &a.auth, &a.net).await?;
            let session = client
                .session()
                .ok_or_else(|| Failure::Usage("no session".into()))?;
            Ok(session_output(&session, a.net.json))
        }
        Cmd::Issue(a) => {
            let client = client(&a.server, &a.auth, &a.net).await?;
            let mut request = a.csr.request()?;
            if let Some(t) = &a.renew {
                request.thumbprint_to_renew = Some(certbridge::redtrust::normalize_thumbprint(t)?);
            }
            issue(&client, request, a.csr.data_in_b64.as_deref(), a.net.json).await
        }
        Cmd::Renew(a) => {
            let client = client(&a.server, &a.auth, &a.net).await?;
            let mut request = a.csr.request()?;
            request = match (&a.thumbprint, &a.certificate) {
                (Some(t), _) => {
                    request.thumbprint_to_renew =
                        Some(certbridge::redtrust::normalize_thumbprint(t)?);
                    request
                }
                (None, Some(path)) => {
                    let bytes = std::fs::read(path).map_err(|e| {
                        Failure::Usage(format!("--certificate {}: {e}", path.display()))
                    })?;
                    request.renewing_certificate(&bytes)?
                }
                (None, None) => {
                    return Err(Failure::Usage("give --thumbprint or --certificate".into()))
                }
            };
            issue(&client, request, a.csr.data_in_b64.as_deref(), a.net.json).await
        }
        Cmd::Thumbprint { file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?;
            let sha1 = certbridge::crypto::pem::thumbprint_sha1(&bytes)?;
            let sha256 = certbridge::crypto::pem::thumbprint_sha256(&bytes)?;
            Ok(Output {
                summary: sha1.clone(),
                json: json!({"sha1": sha1, "sha256": sha256}),
                as_json: false,
            })
        }
    }
}

fn login_url(a: LoginUrlArgs) -> Result<Output, Failure> {
    let config = a.server.config()?;
    let now = match a.timestamp {
        Some(t) => Timestamp::from_secs(t),
        None => certbridge::client::Clock::now(&certbridge::client::SystemClock),
    };
    let key = Secret::new(a.hmac_key);
    let request = LoginUrl {
        partner: &a.partner,
        hmac_key: &key,
        redirect_url: &a.redirect_url,
        domain: a.domain.as_deref(),
    }
    .request(&config, now)?;
    let headers: serde_json::Map<String, serde_json::Value> = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_string(), json!(v)))
        .collect();
    Ok(Output {
        summary: request.url.clone(),
        json: json!({"url": request.url, "headers": headers}),
        as_json: a.json,
    })
}

async fn client(
    server: &ServerOpts,
    auth: &AuthOpts,
    net: &NetOpts,
) -> Result<RedtrustClient, Failure> {
    let mut client = RedtrustClient::new(server.config()?, net.driver()?);
    if let (Some(u), Some(p)) = (&auth.username, &auth.password) {
        client = client.with_password(u, Secret::new(p.as_str()), auth.domain.as_deref());
    }
    if let Some(token) = &auth.token {
        client = client.with_session(Session::from_access_token(Secret::new(token.as_str())));
    } else if let Some(url) = &auth.redirected_to {
        progress("exchanging the temporary token");
        client.login_with_redirect(url).await?;
    } else if auth.username.is_some() && auth.password.is_some() {
        progress("logging in");
        client.login().await?;
    } else {
        return Err(Failure::Usage(
            "give --username and --password, --token, or --redirected-to".into(),
        ));
    }
    Ok(client)
}

async fn issue(
    client: &RedtrustClient,
    request: CsrRequest,
    data: Option<&str>,
    as_json: bool,
) -> Result<Output, Failure> {
    let renewing = request.thumbprint_to_renew.is_some();
    progress(if renewing {
        "renewing: csr/create + csr/finalize"
    } else {
        "issuing: csr/create + csr/finalize"
    });
    let issued = match data {
        Some(d) => {
            let session = client
                .session()
                .ok_or_else(|| Failure::Usage("no session".into()))?;
            let mut flow = certbridge::redtrust::IssueFlow::new(
                client.config().clone(),
                certbridge::redtrust::Credentials::Session(session),
                request,
            )
            .with_finalize_data(d);
            client.run_flow(&mut flow).await?
        }
        None => client.issue(request).await?,
    };
    let summary = format!(
        "{} certificate {} (thumbprint {}, request {})",
        if renewing { "renewed:" } else { "issued:" },
        issued.id_certificate.as_deref().unwrap_or("?"),
        issued.thumbprint.as_deref().unwrap_or("?"),
        issued.request_code
    );
    Ok(Output {
        summary,
        json: serde_json::to_value(&issued).unwrap_or_default(),
        as_json,
    })
}

fn session_output(session: &Session, as_json: bool) -> Output {
    // The token is the command's product: it goes to stdout, never to a log.
    Output {
        summary: session.access_token.expose().to_string(),
        json: json!({
            "access_token": session.access_token.expose(),
            "refresh_token": session.refresh_token.as_ref().map(Secret::expose),
            "expires_at": session.expires_at.map(|t| t.to_rfc3339()),
        }),
        as_json,
    }
}
