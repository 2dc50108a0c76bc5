//! Redtrust RA API for foreign languages: sans-IO request builders and
//! response parsers, the session and issuance-flow objects, and the async
//! [`RedtrustClient`] (core: `certbridge::redtrust`, `certbridge::client`).
//!
//! Secrets (password, HMAC key, tokens) cross as plain strings only where
//! the caller hands them in or explicitly asks for them
//! ([`RedtrustSession::access_token`]); the session prints redacted.

use std::sync::{Arc, Mutex};

use certbridge::client::{CancelToken, Driver, SystemClock, TransportConfig};
use certbridge::redtrust::{
    self as core, CreateCsr, CreatedCsr, CsrRequest, DnEntry, ExchangeTempToken, FinalizeCsr,
    Finalized, Issued, Login, LoginUrl, Logout, RedtrustCompat, RedtrustConfig, Refresh,
};
use certbridge::{Flow as _, HttpRequest, HttpResponse, Secret, Step, Timestamp};

use crate::error::CertbridgeError;
use crate::transport::{transport_or_default, HttpTransport};

type Result<T> = std::result::Result<T, CertbridgeError>;

// ---- configuration and plain helpers ------------------------------------

/// A checked configuration for the Redtrust server at `server`
/// (`https://HOST:PORT`), following the documents of `compat` (default
/// v4.42). Build configurations with this rather than by hand: it
/// validates the URL and drops a trailing slash. `http` is refused except
/// to a loopback host or with `allow_insecure_http` (issue 14 item 9).
#[uniffi::export(default(compat = None, allow_insecure_http = false))]
pub fn redtrust_config(
    server: String,
    compat: Option<RedtrustCompat>,
    allow_insecure_http: bool,
) -> Result<RedtrustConfig> {
    Ok(
        RedtrustConfig::new_allowing_insecure_http(&server, allow_insecure_http)?
            .with_compat(compat.unwrap_or_default()),
    )
}

/// A `csr/create` request for `dn` with the documents' defaults: RSA 2048,
/// SHA384, provider `CAMERFIRMA`.
#[uniffi::export]
pub fn redtrust_csr_request(dn: Vec<DnEntry>) -> CsrRequest {
    CsrRequest::new(dn)
}

/// A `csr/create` request from its JSON form (snake_case keys, defaults
/// for absent ones), as configuration files and the shared test vectors
/// write it; unknown keys or values are an `invalid_input` error on
/// `request`.
#[uniffi::export]
pub fn redtrust_csr_request_from_json(json: String) -> Result<CsrRequest> {
    Ok(CsrRequest::from_json(&json)?)
}

/// Parses `cn=John Doe,o=Example,c=ES` into `dn` entries, in order; a
/// backslash escapes a comma inside a value.
#[uniffi::export]
pub fn redtrust_parse_dn(text: String) -> Result<Vec<DnEntry>> {
    Ok(core::parse_dn(&text)?)
}

/// Normalises a SHA-1 thumbprint (spaced, colon-separated, any case) to 40
/// upper-case hex digits.
#[uniffi::export]
pub fn redtrust_normalize_thumbprint(value: String) -> Result<String> {
    Ok(core::normalize_thumbprint(&value)?)
}

/// The SHA-1 thumbprint (upper-case hex) of the first certificate in
/// `certificate` (PEM, base64 or DER): the handle Redtrust renews by.
#[uniffi::export]
pub fn thumbprint_sha1(certificate: Vec<u8>) -> Result<String> {
    Ok(certbridge::crypto::pem::thumbprint_sha1(&certificate)?)
}

/// The SHA-256 thumbprint (upper-case hex) of the first certificate in
/// `certificate` (PEM, base64 or DER).
#[uniffi::export]
pub fn thumbprint_sha256(certificate: Vec<u8>) -> Result<String> {
    Ok(certbridge::crypto::pem::thumbprint_sha256(&certificate)?)
}

/// The `csr/create` request renewing the certificate in `certificate` (PEM,
/// base64 or DER): its SHA-1 thumbprint becomes `thumbprint_to_renew`.
#[uniffi::export]
pub fn redtrust_csr_request_renewing(
    request: CsrRequest,
    certificate: Vec<u8>,
) -> Result<CsrRequest> {
    Ok(request.renewing_certificate(&certificate)?)
}

// ---- session ------------------------------------------------------------

/// A Redtrust bearer session: access token, refresh token and expiry.
///
/// An object rather than a record so that printing it never shows a token;
/// read the tokens with the accessor methods to persist them.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct RedtrustSession(pub(crate) core::Session);

impl std::fmt::Display for RedtrustSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[uniffi::export]
impl RedtrustSession {
    /// A session from tokens the caller already holds (e.g. persisted
    /// ones). `expires_at` is unix milliseconds; when absent it is read from
    /// the access token's JWT `exp`, if it is a JWT.
    #[uniffi::constructor(default(refresh_token = None, expires_at = None))]
    pub fn new(
        access_token: String,
        refresh_token: Option<String>,
        expires_at: Option<Timestamp>,
    ) -> Arc<Self> {
        let mut session = core::Session::from_access_token(Secret::new(access_token));
        session.refresh_token = refresh_token.map(Secret::new);
        session.expires_at = expires_at.or(session.expires_at);
        Arc::new(RedtrustSession(session))
    }

    /// The bearer access token (a secret: do not log it).
    pub fn access_token(&self) -> String {
        self.0.access_token.expose().to_string()
    }

    /// The refresh token, if the server gave one (a secret: do not log it).
    pub fn refresh_token(&self) -> Option<String> {
        self.0
            .refresh_token
            .as_ref()
            .map(|s| s.expose().to_string())
    }

    /// When the access token expires (unix milliseconds), if known.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.0.expires_at
    }

    /// Whether the access token should be refreshed before use at `now`.
    pub fn needs_refresh(&self, now: Timestamp) -> bool {
        self.0.needs_refresh(now)
    }
}

fn wrap(s: core::Session) -> Arc<RedtrustSession> {
    Arc::new(RedtrustSession(s))
}

// ---- sans-IO: one builder and one parser per endpoint -------------------

/// The signed browser redirect that starts an HMAC login
/// (`GET /authclient/auth/loginrequest?...`): redirect the user to its URL.
/// `now` is unix milliseconds.
#[uniffi::export(default(domain = None))]
pub fn redtrust_login_url(
    config: RedtrustConfig,
    partner: String,
    hmac_key: String,
    redirect_url: String,
    now: Timestamp,
    domain: Option<String>,
) -> Result<HttpRequest> {
    let hmac_key = Secret::new(hmac_key);
    let url = LoginUrl {
        partner: &partner,
        hmac_key: &hmac_key,
        redirect_url: &redirect_url,
        domain: domain.as_deref(),
    };
    Ok(url.request(&config, now)?)
}

/// The temporary token (`tkn`) out of the URL Redtrust redirected the
/// browser back to (query or fragment).
#[uniffi::export]
pub fn redtrust_temporal_token_from_redirect(redirected_to: String) -> Result<String> {
    Ok(core::temporal_token_from_redirect(&redirected_to)?
        .expose()
        .to_string())
}

/// Direct login, `POST /raapi/v1/auth/login`.
#[uniffi::export(default(domain = None))]
pub fn redtrust_login_request(
    config: RedtrustConfig,
    username: String,
    password: String,
    domain: Option<String>,
) -> Result<HttpRequest> {
    let password = Secret::new(password);
    let login = Login {
        username: &username,
        password: &password,
        domain: domain.as_deref(),
    };
    Ok(login.request(&config)?)
}

/// Parses the answer of the direct login.
#[uniffi::export]
pub fn redtrust_parse_login(response: HttpResponse) -> Result<Arc<RedtrustSession>> {
    Ok(wrap(Login::parse(&response)?))
}

/// Exchange of the redirect's temporary token for a session,
/// `/authapi/v1/login_by_temp_token` (POST in v4.42, GET in v4.33).
#[uniffi::export]
pub fn redtrust_exchange_temp_token_request(
    config: RedtrustConfig,
    temporal_token: String,
) -> Result<HttpRequest> {
    let token = Secret::new(temporal_token);
    Ok(ExchangeTempToken {
        temporal_token: &token,
    }
    .request(&config)?)
}

/// Parses the answer of the temporary-token exchange.
#[uniffi::export]
pub fn redtrust_parse_exchange_temp_token(response: HttpResponse) -> Result<Arc<RedtrustSession>> {
    Ok(wrap(ExchangeTempToken::parse(&response)?))
}

/// `PUT .../refresh-token` with the session's tokens.
#[uniffi::export]
pub fn redtrust_refresh_request(
    config: RedtrustConfig,
    session: Arc<RedtrustSession>,
) -> Result<HttpRequest> {
    Ok(Refresh {
        session: &session.0,
    }
    .request(&config)?)
}

/// Parses the refresh answer; a server that sends no new refresh token
/// leaves `previous`'s in use.
#[uniffi::export]
pub fn redtrust_parse_refresh(
    response: HttpResponse,
    previous: Arc<RedtrustSession>,
) -> Result<Arc<RedtrustSession>> {
    Ok(wrap(Refresh::parse(&response, &previous.0)?))
}

/// `DELETE .../logout` with the session's bearer token.
#[uniffi::export]
pub fn redtrust_logout_request(
    config: RedtrustConfig,
    session: Arc<RedtrustSession>,
) -> HttpRequest {
    Logout {
        session: &session.0,
    }
    .request(&config)
}

/// Checks the logout answer.
#[uniffi::export]
pub fn redtrust_parse_logout(response: HttpResponse) -> Result<()> {
    Ok(Logout::parse(&response)?)
}

/// `csr/create` (the server makes the key pair and the CSR), after
/// validating `request`.
#[uniffi::export]
pub fn redtrust_create_csr_request(
    config: RedtrustConfig,
    request: CsrRequest,
    session: Arc<RedtrustSession>,
) -> Result<HttpRequest> {
    Ok(CreateCsr {
        request: &request,
        session: &session.0,
    }
    .request(&config)?)
}

/// Parses `csr/create`'s answer; `sent` is the request that was sent (its
/// `request_code` is used when the server answers with the bare CSR).
#[uniffi::export]
pub fn redtrust_parse_create_csr(response: HttpResponse, sent: CsrRequest) -> Result<CreatedCsr> {
    Ok(CreateCsr::parse(&response, &sent)?)
}

/// `PUT /raapi/v1/csr/finalize {requestCode, provider, dataInB64?}`.
#[uniffi::export(default(data_in_b64 = None))]
pub fn redtrust_finalize_csr_request(
    config: RedtrustConfig,
    request_code: String,
    provider: String,
    session: Arc<RedtrustSession>,
    data_in_b64: Option<String>,
) -> Result<HttpRequest> {
    Ok(FinalizeCsr {
        request_code: &request_code,
        provider: &provider,
        data_in_b64: data_in_b64.as_deref(),
        session: &session.0,
    }
    .request(&config)?)
}

/// Parses `csr/finalize`'s answer (under v4.33 a bare 2xx is a success with
/// unknown identifiers).
#[uniffi::export(default(compat = None))]
pub fn redtrust_parse_finalize_csr(
    response: HttpResponse,
    compat: Option<RedtrustCompat>,
) -> Result<Finalized> {
    Ok(FinalizeCsr::parse(&response, compat.unwrap_or_default())?)
}

// ---- the issuance flow, driven by the host --------------------------------

/// How an issuance authenticates.
#[derive(uniffi::Enum)]
pub enum RedtrustCredentials {
    /// An existing session (from an earlier login or flow).
    Session {
        /// The session.
        session: Arc<RedtrustSession>,
    },
    /// Direct login, also used to log in again when a refresh is refused.
    Password {
        /// Application user.
        username: String,
        /// Password.
        password: String,
        /// Users' domain, if the installation uses one.
        domain: Option<String>,
    },
    /// The `tkn` of an HMAC redirect, exchanged once.
    TempToken {
        /// The temporary token.
        token: String,
    },
}

impl From<RedtrustCredentials> for core::Credentials {
    fn from(c: RedtrustCredentials) -> Self {
        match c {
            RedtrustCredentials::Session { session } => {
                core::Credentials::Session(session.0.clone())
            }
            RedtrustCredentials::Password {
                username,
                password,
                domain,
            } => core::Credentials::Password {
                username,
                password: Secret::new(password),
                domain,
            },
            RedtrustCredentials::TempToken { token } => {
                core::Credentials::TempToken(Secret::new(token))
            }
        }
    }
}

/// What the host must do next for a [`RedtrustIssueFlow`].
#[derive(uniffi::Enum)]
pub enum RedtrustStep {
    /// Send this request and pass the response to `receive`.
    Send {
        /// The request to send.
        request: HttpRequest,
    },
    /// Call `next` again at this time (unix milliseconds).
    Wait {
        /// When to continue.
        until: Timestamp,
    },
    /// Finished: the certificate is issued.
    Done {
        /// The result.
        issued: Issued,
    },
}

/// Issuance (or, with `thumbprint_to_renew`, renewal) as a state machine the
/// host drives with its own HTTP stack and clock: call `next(now)`, send
/// what it asks, hand the answer to `receive`, until `Done`. It logs in,
/// refreshes before expiry and retries once after a 401 by itself.
#[derive(uniffi::Object)]
pub struct RedtrustIssueFlow(Mutex<core::IssueFlow>);

#[uniffi::export]
impl RedtrustIssueFlow {
    /// A flow issuing `request` at `config`'s server with `credentials`;
    /// `finalize_data` is the provider-specific `dataInB64`, if any.
    #[uniffi::constructor(default(finalize_data = None))]
    pub fn new(
        config: RedtrustConfig,
        credentials: RedtrustCredentials,
        request: CsrRequest,
        finalize_data: Option<String>,
    ) -> Arc<Self> {
        let flow = core::IssueFlow::new(config, credentials.into(), request);
        let flow = match finalize_data {
            Some(data) => flow.with_finalize_data(data),
            None => flow,
        };
        Arc::new(RedtrustIssueFlow(Mutex::new(flow)))
    }

    /// The next step at `now` (unix milliseconds).
    pub fn next(&self, now: Timestamp) -> Result<RedtrustStep> {
        let step = self.lock()?.next(now)?;
        Ok(match step {
            Step::Send(request) => RedtrustStep::Send { request },
            Step::Wait(until) => RedtrustStep::Wait { until },
            Step::Done(issued) => RedtrustStep::Done { issued },
            // Redtrust never asks to solve challenges.
            Step::Solve(_) => {
                return Err(certbridge::Error::protocol(
                    "redtrust issue",
                    "unexpected challenge step",
                )
                .into())
            }
        })
    }

    /// Hands the response to the request of the last `Send` step to the
    /// flow.
    pub fn receive(&self, response: HttpResponse, now: Timestamp) -> Result<()> {
        Ok(self.lock()?.receive(response, now)?)
    }

    /// The request of the last `Send` step failed without an answer
    /// (`reason`: what the host's HTTP stack said). The flow repeats a read
    /// that is safe to repeat, after a `Wait` step, or ends with an
    /// `ambiguous` error for a submission (issue 14, item 14).
    pub fn send_failed(&self, reason: String, now: Timestamp) -> Result<()> {
        Ok(self
            .lock()?
            .send_failed(certbridge::Error::transport(reason), now)?)
    }

    /// The session as refreshed so far: keep it for the next call instead
    /// of logging in again.
    pub fn session(&self) -> Option<Arc<RedtrustSession>> {
        self.lock().ok()?.session().cloned().map(wrap)
    }

    /// The CSR the server made, once `csr/create` has answered.
    pub fn created(&self) -> Option<CreatedCsr> {
        self.lock().ok()?.created().cloned()
    }
}

impl RedtrustIssueFlow {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, core::IssueFlow>> {
        self.0.lock().map_err(|_| {
            certbridge::Error::protocol("redtrust issue", "the flow failed earlier").into()
        })
    }
}

// ---- the async client -----------------------------------------------------

/// Direct-login credentials a [`RedtrustClient`] keeps to log in (again).
#[derive(uniffi::Record)]
pub struct RedtrustPassword {
    /// Application user.
    pub username: String,
    /// Password (kept inside the client as a secret).
    pub password: String,
    /// Users' domain, if the installation uses one.
    #[uniffi(default = None)]
    pub domain: Option<String>,
}

/// A Redtrust RA API client: one async method per operation and per whole
/// task, keeping its session and refreshing it. Uses the host's
/// [`HttpTransport`] when given, else the built-in HTTPS client.
#[derive(uniffi::Object)]
pub struct RedtrustClient {
    inner: certbridge::client::RedtrustClient,
    cancel: CancelToken,
}

#[uniffi::export(async_runtime = "tokio")]
impl RedtrustClient {
    /// A client for `config`'s server. `transport`: the host's HTTP stack
    /// (default: built-in, configured by `transport_config`); `password`:
    /// credentials to log in with; `session`: a session to start from.
    #[uniffi::constructor(default(transport = None, transport_config = None, password = None, session = None))]
    pub fn new(
        config: RedtrustConfig,
        transport: Option<Arc<dyn HttpTransport>>,
        transport_config: Option<TransportConfig>,
        password: Option<RedtrustPassword>,
        session: Option<Arc<RedtrustSession>>,
    ) -> Result<Arc<Self>> {
        let cancel = CancelToken::new();
        let driver = Driver::new(
            transport_or_default(transport, transport_config)?,
            Arc::new(SystemClock),
        )
        .with_cancel(cancel.clone());
        let mut inner = certbridge::client::RedtrustClient::new(config, driver);
        if let Some(p) = password {
            inner = inner.with_password(&p.username, Secret::new(p.password), p.domain.as_deref());
        }
        if let Some(s) = session {
            inner = inner.with_session(s.0.clone());
        }
        Ok(Arc::new(RedtrustClient { inner, cancel }))
    }

    /// The configuration.
    pub fn config(&self) -> RedtrustConfig {
        self.inner.config().clone()
    }

    /// The current session, to persist it.
    pub fn session(&self) -> Option<Arc<RedtrustSession>> {
        self.inner.session().map(wrap)
    }

    /// Stops every running and future call of this client with a
    /// `cancelled` error.
    pub fn cancel(&self) {
        self.cancel.cancel()
    }

    /// The signed browser redirect that starts an HMAC login (no I/O; the
    /// timestamp is now).
    #[uniffi::method(default(domain = None))]
    pub fn login_url(
        &self,
        partner: String,
        hmac_key: String,
        redirect_url: String,
        domain: Option<String>,
    ) -> Result<HttpRequest> {
        Ok(self.inner.login_url(
            &partner,
            &Secret::new(hmac_key),
            &redirect_url,
            domain.as_deref(),
        )?)
    }

    /// Direct login with the client's password credentials.
    pub async fn login(&self) -> Result<Arc<RedtrustSession>> {
        Ok(wrap(self.inner.login().await?))
    }

    /// Finishes an HMAC login from the URL the browser was sent back to.
    pub async fn login_with_redirect(&self, redirected_to: String) -> Result<Arc<RedtrustSession>> {
        Ok(wrap(self.inner.login_with_redirect(&redirected_to).await?))
    }

    /// Exchanges a temporary token for a session.
    pub async fn exchange_temp_token(&self, token: String) -> Result<Arc<RedtrustSession>> {
        Ok(wrap(
            self.inner.exchange_temp_token(&Secret::new(token)).await?,
        ))
    }

    /// Refreshes the session now.
    pub async fn refresh(&self) -> Result<Arc<RedtrustSession>> {
        Ok(wrap(self.inner.refresh().await?))
    }

    /// Ends the session on the server and forgets it.
    pub async fn logout(&self) -> Result<()> {
        Ok(self.inner.logout().await?)
    }

    /// `csr/create` on its own.
    pub async fn create_csr(&self, request: CsrRequest) -> Result<CreatedCsr> {
        Ok(self.inner.create_csr(&request).await?)
    }

    /// `csr/finalize` on its own.
    #[uniffi::method(default(data_in_b64 = None))]
    pub async fn finalize(
        &self,
        request_code: String,
        provider: String,
        data_in_b64: Option<String>,
    ) -> Result<Finalized> {
        Ok(self
            .inner
            .finalize(&request_code, &provider, data_in_b64.as_deref())
            .await?)
    }

    /// Issues a certificate: create, then finalize, logging in and
    /// refreshing as needed.
    pub async fn issue(&self, request: CsrRequest) -> Result<Issued> {
        Ok(self.inner.issue(request).await?)
    }

    /// Renews the certificate with `thumbprint` (any common spelling).
    pub async fn renew(&self, thumbprint: String, request: CsrRequest) -> Result<Issued> {
        Ok(self.inner.renew(&thumbprint, request).await?)
    }

    /// Renews the certificate in `certificate` (PEM, base64 or DER).
    pub async fn renew_certificate(
        &self,
        certificate: Vec<u8>,
        request: CsrRequest,
    ) -> Result<Issued> {
        Ok(self.inner.renew_certificate(&certificate, request).await?)
    }
}
