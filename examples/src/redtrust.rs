//! `certbridge redtrust ...`

use std::path::PathBuf;

use certbridge::client::RedtrustClient;
use certbridge::redtrust::auth::temporal_token_from_redirect;
use certbridge::redtrust::{
    parse_dn, CsrRequest, HashType, KeyType, LoginUrl, RedtrustCompat, RedtrustConfig, Session,
};
use certbridge::{Error, Secret, Timestamp};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::common::{progress, Failure, NetOpts, Output};
use crate::secrets;

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
    /// Accept a cleartext http:// server URL on a non-loopback host
    /// (credentials then cross the network unencrypted; issue 14 item 9).
    #[arg(long)]
    pub insecure_http: bool,
}

impl ServerOpts {
    fn config(&self) -> Result<RedtrustConfig, Failure> {
        let compat = if self.compat == "v4.33" {
            RedtrustCompat::V4_33
        } else {
            RedtrustCompat::V4_42
        };
        Ok(
            RedtrustConfig::new_allowing_insecure_http(&self.server, self.insecure_http)?
                .with_compat(compat),
        )
    }
}

#[derive(Args, Debug)]
pub struct LoginUrlArgs {
    #[command(flatten)]
    server: ServerOpts,
    /// Partner (client application) name; sent upper-case.
    #[arg(long)]
    partner: String,
    /// File holding the shared HMAC key (`-`: stdin); default: the
    /// CERTBRIDGE_REDTRUST_HMAC_KEY environment variable.
    #[arg(long, value_name = "FILE")]
    hmac_key_file: Option<PathBuf>,
    /// Refused: a key on the command line is visible to `ps`.
    #[arg(long, hide = true)]
    hmac_key: Option<String>,
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
    /// File holding the password for direct login (`-`: stdin); default: the
    /// CERTBRIDGE_REDTRUST_PASSWORD environment variable.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// Refused: a password on the command line is visible to `ps`.
    #[arg(long, hide = true)]
    password: Option<String>,
    /// Users' domain for direct login.
    #[arg(long)]
    domain: Option<String>,
    /// File holding an access token from an earlier login (`-`: stdin);
    /// default: the CERTBRIDGE_REDTRUST_TOKEN environment variable.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Refused: a token on the command line is visible to `ps`.
    #[arg(long, hide = true)]
    token: Option<String>,
    /// File holding the URL the browser was redirected to after an HMAC
    /// login, whose `tkn` logs in (`-`: stdin); default: the
    /// CERTBRIDGE_REDTRUST_REDIRECTED_TO environment variable.
    #[arg(long, value_name = "FILE")]
    redirected_to_file: Option<PathBuf>,
    /// Refused: the URL carries a login token.
    #[arg(long, hide = true)]
    redirected_to: Option<String>,
}

/// How to get a session, with every secret read: resolved before the first
/// request so that a bad option sends nothing.
struct Auth {
    password: Option<(String, Secret)>,
    domain: Option<String>,
    token: Option<Secret>,
    redirected_to: Option<Secret>,
}

impl AuthOpts {
    fn resolve(&self) -> Result<Auth, Failure> {
        let password = secrets::REDTRUST_PASSWORD
            .resolve(self.password.as_deref(), self.password_file.as_deref())?;
        let token =
            secrets::REDTRUST_TOKEN.resolve(self.token.as_deref(), self.token_file.as_deref())?;
        let redirected_to = secrets::REDTRUST_REDIRECTED_TO.resolve(
            self.redirected_to.as_deref(),
            self.redirected_to_file.as_deref(),
        )?;
        let password = match (&self.username, password) {
            (Some(u), Some(p)) => Some((u.clone(), p)),
            (None, Some(_)) => return Err(Failure::Usage("a password needs --username".into())),
            (Some(_), None) if token.is_none() && redirected_to.is_none() => {
                return Err(secrets::REDTRUST_PASSWORD.missing())
            }
            _ => None,
        };
        if let Some(url) = &redirected_to {
            // Only checked here: the token is taken out again at login.
            temporal_token_from_redirect(url.expose())?;
        }
        if password.is_none() && token.is_none() && redirected_to.is_none() {
            return Err(Failure::Usage(format!(
                "no credentials: give --username with a password ({} or --password-file), \
                 a token ({} or --token-file), or the redirect URL ({} or --redirected-to-file)",
                secrets::REDTRUST_PASSWORD.env,
                secrets::REDTRUST_TOKEN.env,
                secrets::REDTRUST_REDIRECTED_TO.env
            )));
        }
        Ok(Auth {
            password,
            domain: self.domain.clone(),
            token,
            redirected_to,
        })
    }
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
        if let Some(data) = &self.data_in_b64 {
            certbridge::acme::eab::decode_any_base64(data).map_err(|_| {
                Error::invalid_input("data_in_b64", "not base64 (standard or URL-safe)")
            })?;
        }
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
    // Every option is checked and every file read before `client()` makes
    // the first request (issue 14, item 5).
    match cmd {
        Cmd::LoginUrl(a) => login_url(a),
        Cmd::Login(a) => {
            let auth = a.auth.resolve()?;
            let client = client(&a.server, auth, &a.net).await?;
            let session = client
                .session()
                .ok_or_else(|| Failure::Usage("no session".into()))?;
            Ok(session_output(&session, a.net.json))
        }
        Cmd::Issue(a) => {
            let mut request = a.csr.request()?;
            if let Some(t) = &a.renew {
                request.thumbprint_to_renew = Some(certbridge::redtrust::normalize_thumbprint(t)?);
            }
            let auth = a.auth.resolve()?;
            let client = client(&a.server, auth, &a.net).await?;
            issue(&client, request, a.csr.data_in_b64.as_deref(), a.net.json).await
        }
        Cmd::Renew(a) => {
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
            let auth = a.auth.resolve()?;
            let client = client(&a.server, auth, &a.net).await?;
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
    let key =
        secrets::REDTRUST_HMAC_KEY.required(a.hmac_key.as_deref(), a.hmac_key_file.as_deref())?;
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

async fn client(server: &ServerOpts, auth: Auth, net: &NetOpts) -> Result<RedtrustClient, Failure> {
    let mut client = RedtrustClient::new(server.config()?, net.driver()?);
    let can_log_in = auth.password.is_some();
    if let Some((u, p)) = auth.password {
        client = client.with_password(&u, p, auth.domain.as_deref());
    }
    if let Some(token) = auth.token {
        client = client.with_session(Session::from_access_token(token));
    } else if let Some(url) = &auth.redirected_to {
        progress("exchanging the temporary token");
        client.login_with_redirect(url.expose()).await?;
    } else if can_log_in {
        progress("logging in");
        client.login().await?;
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
