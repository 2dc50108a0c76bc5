//! `RedtrustClient`: one method per Redtrust operation and per whole task.

use std::sync::Mutex;

use super::driver::Driver;
use crate::error::{AuthReason, Error};
use crate::http::HttpRequest;
use crate::redtrust::{
    temporal_token_from_redirect, CreateCsr, CreatedCsr, Credentials, CsrRequest,
    ExchangeTempToken, FinalizeCsr, Finalized, IssueFlow, Issued, Login, LoginUrl, Logout,
    RedtrustConfig, Refresh, Session,
};
use crate::secret::Secret;

/// A Redtrust RA API client that keeps its session and refreshes it.
///
/// Credentials given to [`RedtrustClient::with_password`] are kept so that a
/// refused refresh can log in again; a session from an HMAC login can only be
/// refreshed.
pub struct RedtrustClient {
    config: RedtrustConfig,
    driver: Driver,
    session: Mutex<Option<Session>>,
    password: Option<(String, Secret, Option<String>)>,
}

impl std::fmt::Debug for RedtrustClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedtrustClient")
            .field("config", &self.config)
            .field("logged_in", &self.session().is_some())
            .finish_non_exhaustive()
    }
}

impl RedtrustClient {
    /// A client with no session yet.
    pub fn new(config: RedtrustConfig, driver: Driver) -> Self {
        RedtrustClient {
            config,
            driver,
            session: Mutex::new(None),
            password: None,
        }
    }

    /// Keeps direct-login credentials for logging in (again) when needed.
    pub fn with_password(mut self, username: &str, password: Secret, domain: Option<&str>) -> Self {
        self.password = Some((username.to_string(), password, domain.map(str::to_string)));
        self
    }

    /// Uses an existing session.
    pub fn with_session(self, session: Session) -> Self {
        self.set_session(Some(session));
        self
    }

    /// The configuration.
    pub fn config(&self) -> &RedtrustConfig {
        &self.config
    }

    /// The current session (clone it to persist it).
    pub fn session(&self) -> Option<Session> {
        self.session.lock().ok().and_then(|s| s.clone())
    }

    fn set_session(&self, session: Option<Session>) {
        if let Ok(mut guard) = self.session.lock() {
            *guard = session;
        }
    }

    /// The signed browser redirect that starts an HMAC login (no I/O).
    pub fn login_url(
        &self,
        partner: &str,
        hmac_key: &Secret,
        redirect_url: &str,
        domain: Option<&str>,
    ) -> Result<HttpRequest, Error> {
        LoginUrl {
            partner,
            hmac_key,
            redirect_url,
            domain,
        }
        .request(&self.config, self.driver.now())
    }

    /// Direct login with the stored credentials.
    pub async fn login(&self) -> Result<Session, Error> {
        let (username, password, domain) = self.password.as_ref().ok_or_else(|| {
            Error::invalid_input("password", "no credentials were given to the client")
        })?;
        let request = Login {
            username,
            password,
            domain: domain.as_deref(),
        }
        .request(&self.config)?;
        let session = Login::parse(&self.driver.send(request).await?)?.usable_at(self.driver.now());
        self.set_session(Some(session.clone()));
        Ok(session)
    }

    /// Finishes an HMAC login: takes `tkn` out of the URL the browser was sent
    /// back to and exchanges it for a session.
    pub async fn login_with_redirect(&self, redirected_to: &str) -> Result<Session, Error> {
        let token = temporal_token_from_redirect(redirected_to)?;
        self.exchange_temp_token(&token).await
    }

    /// Exchanges a temporary token for a session.
    pub async fn exchange_temp_token(&self, token: &Secret) -> Result<Session, Error> {
        let request = ExchangeTempToken {
            temporal_token: token,
        }
        .request(&self.config)?;
        let session = ExchangeTempToken::parse(&self.driver.send(request).await?)?
            .usable_at(self.driver.now());
        self.set_session(Some(session.clone()));
        Ok(session)
    }

    /// Refreshes the session now.
    pub async fn refresh(&self) -> Result<Session, Error> {
        let current = self.session().ok_or(Error::Auth {
            reason: AuthReason::Expired,
            code: None,
        })?;
        let request = Refresh { session: &current }.request(&self.config)?;
        let session = Refresh::parse(&self.driver.send(request).await?, &current)?
            .usable_at(self.driver.now());
        self.set_session(Some(session.clone()));
        Ok(session)
    }

    /// Ends the session on the server and forgets it.
    pub async fn logout(&self) -> Result<(), Error> {
        let Some(current) = self.session() else {
            return Ok(());
        };
        let request = Logout { session: &current }.request(&self.config);
        let result = Logout::parse(&self.driver.send(request).await?);
        self.set_session(None);
        result
    }

    /// A session fit for use now: refreshed or logged in as needed.
    async fn fresh_session(&self) -> Result<Session, Error> {
        match self.session() {
            Some(s) if !s.needs_refresh(self.driver.now()) => Ok(s),
            Some(s) if s.refresh_token.is_some() => match self.refresh().await {
                Ok(s) => Ok(s),
                Err(e) if e.kind() == "auth" && self.password.is_some() => self.login().await,
                Err(e) => Err(e),
            },
            _ if self.password.is_some() => self.login().await,
            Some(s) => Ok(s),
            None => Err(Error::Auth {
                reason: AuthReason::Expired,
                code: None,
            }),
        }
    }

    /// `csr/create` on its own (the server makes the key pair and CSR).
    pub async fn create_csr(&self, request: &CsrRequest) -> Result<CreatedCsr, Error> {
        request.validate()?;
        let session = self.fresh_session().await?;
        let http = CreateCsr {
            request,
            session: &session,
        }
        .request(&self.config)?;
        CreateCsr::parse(&self.driver.send(http).await?, request)
    }

    /// `csr/finalize` on its own.
    pub async fn finalize(
        &self,
        request_code: &str,
        provider: &str,
        data_in_b64: Option<&str>,
    ) -> Result<Finalized, Error> {
        let session = self.fresh_session().await?;
        let http = FinalizeCsr {
            request_code,
            provider,
            data_in_b64,
            session: &session,
        }
        .request(&self.config)?;
        FinalizeCsr::parse(&self.driver.send(http).await?, self.config.compat)
    }

    /// Issues a certificate: create, then finalize, refreshing the session as
    /// needed and retrying once after a 401.
    pub async fn issue(&self, request: CsrRequest) -> Result<Issued, Error> {
        let credentials = match (self.session(), &self.password) {
            (Some(s), _) => Credentials::Session(s),
            (None, Some((u, p, d))) => Credentials::Password {
                username: u.clone(),
                password: p.clone(),
                domain: d.clone(),
            },
            (None, None) => {
                return Err(Error::invalid_input(
                    "credentials",
                    "log in first or give the client a password",
                ))
            }
        };
        request.validate()?;
        let mut flow = IssueFlow::new(self.config.clone(), credentials, request);
        self.run_flow(&mut flow).await
    }

    /// Renews the certificate with `thumbprint` (any common spelling).
    pub async fn renew(&self, thumbprint: &str, mut request: CsrRequest) -> Result<Issued, Error> {
        request.thumbprint_to_renew = Some(crate::redtrust::normalize_thumbprint(thumbprint)?);
        self.issue(request).await
    }

    /// Renews the certificate in `certificate` (PEM, base64 or DER).
    pub async fn renew_certificate(
        &self,
        certificate: &[u8],
        request: CsrRequest,
    ) -> Result<Issued, Error> {
        self.issue(request.renewing_certificate(certificate)?).await
    }

    /// Runs a caller-built flow (e.g. one with `dataInB64`) and keeps the
    /// session it ends with.
    pub async fn run_flow(&self, flow: &mut IssueFlow) -> Result<Issued, Error> {
        let result = self.driver.run(flow).await;
        if let Some(s) = flow.session() {
            self.set_session(Some(s.clone()));
        }
        result
    }
}
