//! Issuance and renewal as one flow: authenticate if needed, `csr/create`,
//! `csr/finalize`, refreshing the token before it expires and once more after
//! a 401 (redtrust-ra-api-integration, "Certificate issuance", "Certificate
//! renewal").

use serde::Serialize;

use super::auth::{ExchangeTempToken, Login, Refresh, Session};
use super::csr::{CreateCsr, CreatedCsr, CsrRequest, FinalizeCsr, Finalized};
use super::RedtrustConfig;
use crate::error::{AmbiguousSubmission, Error, Provider};
use crate::flow::{garbled_json, Flow, InFlight, Step, Transient};
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Secret;
use crate::time::Timestamp;

/// How the flow authenticates.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// An existing session (e.g. from an earlier flow or an HMAC login).
    Session(Session),
    /// Direct login; also used to log in again when a refresh is refused.
    Password {
        /// Application user.
        username: String,
        /// Password.
        password: Secret,
        /// Users' domain.
        domain: Option<String>,
    },
    /// The `tkn` of an HMAC redirect, exchanged once.
    TempToken(Secret),
}

/// The result of an issuance or renewal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Issued {
    /// `requestCode` used.
    pub request_code: String,
    /// The server-made CSR, PEM.
    pub csr_pem: String,
    /// `idCertificate` of the new certificate, as the server sent it.
    pub id_certificate: Option<String>,
    /// SHA-1 thumbprint of the new certificate (the handle for renewal).
    pub thumbprint: Option<String>,
    /// The thumbprint of the certificate this one replaced, for a renewal.
    pub renewed: Option<String>,
}

/// The most login, temp-token and refresh requests one flow sends: the
/// first login, a refresh before the token expires, one more after a 401
/// and a login after a refused refresh. A server that hands out tokens it
/// then refuses ends the flow with an `auth` error instead of a loop
/// (issue 14, item 1).
pub const MAX_AUTH_REQUESTS: u8 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Login,
    Refresh,
    Create,
    Finalize,
}

/// Issues (or, with `thumbprint_to_renew`, renews) one certificate.
///
/// ```no_run
/// # use certbridge::redtrust::*; use certbridge::*;
/// # fn run(host: &mut impl Host) -> Result<(), Error> {
/// let config = RedtrustConfig::new("https://redtrust.example:8082")?;
/// let request = CsrRequest::new(parse_dn("cn=John Doe,o=Example,c=ES")?);
/// let creds = Credentials::Password { username: "app".into(), password: "pw".into(), domain: None };
/// let mut flow = IssueFlow::new(config, creds, request);
/// let issued = drive(&mut flow, host)?;
/// println!("{:?}", issued.thumbprint);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct IssueFlow {
    config: RedtrustConfig,
    credentials: Credentials,
    session: Option<Session>,
    request: CsrRequest,
    data_in_b64: Option<String>,
    created: Option<CreatedCsr>,
    finalized: Option<Finalized>,
    in_flight: InFlight<Sent>,
    temp_token_used: bool,
    auth_retry_used: bool,
    force_refresh: bool,
    auth_requests: u8,
    done: bool,
    /// Failed sends of the current login or refresh.
    transient: Transient,
    /// When to repeat it.
    retry_at: Option<Timestamp>,
}

impl IssueFlow {
    /// A flow for `request` at `config`.
    pub fn new(config: RedtrustConfig, credentials: Credentials, request: CsrRequest) -> Self {
        let session = match &credentials {
            Credentials::Session(s) => Some(s.clone()),
            _ => None,
        };
        IssueFlow {
            config,
            credentials,
            session,
            request,
            data_in_b64: None,
            created: None,
            finalized: None,
            in_flight: InFlight::new(),
            temp_token_used: false,
            auth_retry_used: false,
            force_refresh: false,
            auth_requests: 0,
            done: false,
            transient: Transient::default(),
            retry_at: None,
        }
    }

    /// Provider-specific `dataInB64` for `csr/finalize`.
    pub fn with_finalize_data(mut self, data_in_b64: impl Into<String>) -> Self {
        self.data_in_b64 = Some(data_in_b64.into());
        self
    }

    /// The current session, refreshed as the flow went: keep it for the next
    /// call instead of logging in again.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The CSR the server made, once `csr/create` has answered.
    pub fn created(&self) -> Option<&CreatedCsr> {
        self.created.as_ref()
    }

    fn login_request(&mut self) -> Result<HttpRequest, Error> {
        match &self.credentials {
            Credentials::Password {
                username,
                password,
                domain,
            } => Login {
                username,
                password,
                domain: domain.as_deref(),
            }
            .request(&self.config),
            Credentials::TempToken(token) if !self.temp_token_used => {
                self.temp_token_used = true;
                ExchangeTempToken {
                    temporal_token: token,
                }
                .request(&self.config)
            }
            _ => Err(Error::Auth {
                reason: crate::error::AuthReason::Expired,
                code: None,
            }),
        }
    }

    fn can_login(&self) -> bool {
        matches!(self.credentials, Credentials::Password { .. })
            || matches!(self.credentials, Credentials::TempToken(_) if !self.temp_token_used)
    }

    /// A password login or a refresh is safe to repeat (a repeated refresh
    /// whose first try was used is refused, and the flow logs in again):
    /// after a dropped connection, a timeout or an unreadable answer it is
    /// tried again, within [`MAX_AUTH_REQUESTS`] and
    /// [`crate::flow::MAX_TRANSIENT_RETRIES`] (issue 14, item 14).
    fn repeat_auth(&mut self, sent: Sent, err: Error, now: Timestamp) -> Result<(), Error> {
        let repeatable = match sent {
            Sent::Refresh => true,
            _ => matches!(self.credentials, Credentials::Password { .. }),
        };
        match self.transient.retry_at(now, None) {
            Some(at) if repeatable => {
                // Auth requests lost to the network do not count against
                // the bound on refused tokens.
                self.auth_requests = self.auth_requests.saturating_sub(1);
                self.retry_at = Some(at);
                Ok(())
            }
            _ => {
                self.done = true;
                Err(err)
            }
        }
    }

    /// `csr/create` or `csr/finalize` went out and its answer was lost or
    /// unreadable: the server may have acted on it.
    fn ambiguous(&mut self, sent: Sent, cause: String) -> Error {
        self.done = true;
        let (operation, may_exist, reference, pick_up) = match (&sent, &self.created) {
            (Sent::Finalize, Some(created)) => (
                "Redtrust csr/finalize (PUT /raapi/v1/csr/finalize)",
                "the certificate for this request may have been issued",
                Some(created.request_code.clone()),
                "look it up in Redtrust under this requestCode before finalizing again",
            ),
            _ => (
                "Redtrust csr/create (POST /raapi/v1/csr/create)",
                "a certificate request with a server-side key may have been created",
                None,
                "look for it in Redtrust (its requestCode was in the lost answer) before \
                 creating another",
            ),
        };
        Error::ambiguous(AmbiguousSubmission {
            provider: Provider::Redtrust,
            operation: operation.into(),
            cause,
            may_exist: may_exist.into(),
            reference,
            pick_up: pick_up.into(),
        })
    }

    /// One retry after an auth failure: refresh if we can, else log in again.
    fn recover_from_auth(&mut self, error: Error) -> Result<(), Error> {
        if self.auth_retry_used {
            return Err(error);
        }
        self.auth_retry_used = true;
        let has_refresh = self
            .session
            .as_ref()
            .is_some_and(|s| s.refresh_token.is_some());
        if has_refresh {
            self.force_refresh = true;
            Ok(())
        } else if self.can_login() {
            self.session = None;
            Ok(())
        } else {
            Err(error)
        }
    }
}

impl Flow for IssueFlow {
    type Output = Issued;

    fn next(&mut self, now: Timestamp) -> Result<Step<Issued>, Error> {
        if self.done {
            return Err(Error::protocol("redtrust issue", "the flow has finished"));
        }
        if self.in_flight.is_pending() {
            return Err(Error::protocol(
                "redtrust issue",
                "next() called while a response is still expected",
            ));
        }
        if self.created.is_none() {
            // Refuse bad input before the first request, the login included.
            self.request.validate()?;
        }
        if let Some(at) = self.retry_at {
            if now < at {
                return Ok(Step::Wait(at));
            }
            self.retry_at = None;
        }
        let (sent, request) = match &self.session {
            None => (Sent::Login, self.login_request()?),
            Some(s) if self.force_refresh || s.needs_refresh(now) => {
                if s.refresh_token.is_some() {
                    (Sent::Refresh, Refresh { session: s }.request(&self.config)?)
                } else if self.can_login() {
                    (Sent::Login, self.login_request()?)
                } else {
                    return Err(Error::Auth {
                        reason: crate::error::AuthReason::Expired,
                        code: None,
                    });
                }
            }
            Some(session) => match (&self.created, &self.finalized) {
                (None, _) => (
                    Sent::Create,
                    CreateCsr {
                        request: &self.request,
                        session,
                    }
                    .request(&self.config)?,
                ),
                (Some(created), None) => (
                    Sent::Finalize,
                    FinalizeCsr {
                        request_code: &created.request_code,
                        provider: &self.request.provider,
                        data_in_b64: self.data_in_b64.as_deref(),
                        session,
                    }
                    .request(&self.config)?,
                ),
                (Some(created), Some(finalized)) => {
                    self.done = true;
                    return Ok(Step::Done(Issued {
                        request_code: created.request_code.clone(),
                        csr_pem: created.csr_pem.clone(),
                        id_certificate: finalized.id_certificate.clone(),
                        thumbprint: finalized.thumbprint.clone(),
                        renewed: self
                            .request
                            .thumbprint_to_renew
                            .as_deref()
                            .and_then(|t| super::csr::normalize_thumbprint(t).ok()),
                    }));
                }
            },
        };
        if matches!(sent, Sent::Login | Sent::Refresh) {
            if self.auth_requests >= MAX_AUTH_REQUESTS {
                self.done = true;
                return Err(Error::Auth {
                    reason: crate::error::AuthReason::Rejected,
                    code: None,
                });
            }
            self.auth_requests += 1;
        }
        self.in_flight.start(sent)?;
        Ok(Step::Send(request))
    }

    fn send_failed(&mut self, error: Error, now: Timestamp) -> Result<(), Error> {
        let sent = self.in_flight.finish()?;
        if !matches!(error, Error::Transport { .. } | Error::Timeout { .. }) {
            self.done = true;
            return Err(error);
        }
        match sent {
            Sent::Login | Sent::Refresh => self.repeat_auth(sent, error, now),
            Sent::Create | Sent::Finalize => Err(self.ambiguous(sent, error.to_string())),
        }
    }

    fn receive(&mut self, response: HttpResponse, now: Timestamp) -> Result<(), Error> {
        let sent = self.in_flight.finish()?;
        if matches!(sent, Sent::Create | Sent::Finalize) && garbled_json(&response) {
            return Err(self.ambiguous(
                sent,
                format!(
                    "HTTP {} with an empty, truncated or non-JSON body",
                    response.status
                ),
            ));
        }
        match sent {
            Sent::Login => {
                let parsed = match self.credentials {
                    Credentials::TempToken(_) => ExchangeTempToken::parse(&response),
                    _ => Login::parse(&response),
                };
                let parsed = match parsed {
                    Ok(p) => p,
                    Err(e) if garbled_json(&response) => return self.repeat_auth(sent, e, now),
                    Err(e) => return Err(e),
                };
                self.transient.reset();
                self.session = Some(parsed.usable_at(now));
                self.force_refresh = false;
            }
            Sent::Refresh => {
                let previous = self
                    .session
                    .take()
                    .ok_or_else(|| Error::protocol("redtrust refresh", "no session to refresh"))?;
                match Refresh::parse(&response, &previous) {
                    Ok(s) => self.session = Some(s.usable_at(now)),
                    Err(e) if e.kind() == "auth" && self.can_login() => self.session = None,
                    Err(e) => return Err(e),
                }
                self.force_refresh = false;
            }
            Sent::Create => match CreateCsr::parse(&response, &self.request) {
                Ok(c) => self.created = Some(c),
                Err(e) if e.kind() == "auth" => self.recover_from_auth(e)?,
                Err(e) => return Err(e),
            },
            Sent::Finalize => match FinalizeCsr::parse(&response, self.config.compat) {
                Ok(f) => self.finalized = Some(f),
                Err(e) if e.kind() == "auth" => self.recover_from_auth(e)?,
                Err(e) => return Err(e),
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::{drive, testing::ScriptedHost};
    use crate::redtrust::csr::DnEntry;
    use crate::Method;

    const CSR_B64: &str = "MAMCAQU=";

    fn ok(data: serde_json::Value) -> HttpResponse {
        HttpResponse::new(
            200,
            serde_json::json!({"message": "ok", "messageType": "SUCCESS", "errorCode": "OK", "data": data})
                .to_string(),
        )
    }

    fn tokens(access: &str, exp: &str) -> HttpResponse {
        ok(serde_json::json!({"accessToken": access, "refreshToken": "r-1", "expiration": exp}))
    }

    fn unauthorized() -> HttpResponse {
        HttpResponse::new(
            401,
            r#"{"message":"Token expired","messageType":"ERROR","errorCode":"TOKEN_EXPIRED","data":null}"#,
        )
    }

    fn flow(creds: Credentials) -> IssueFlow {
        let config =
            RedtrustConfig::new("https://rt.example:8082").unwrap_or_else(|e| panic!("{e}"));
        IssueFlow::new(
            config,
            creds,
            CsrRequest::new(vec![DnEntry::new("cn", "John Doe")]),
        )
    }

    fn password() -> Credentials {
        Credentials::Password {
            username: "app".into(),
            password: "pw".into(),
            domain: None,
        }
    }

    const NOW: u64 = 1_744_719_496; // 2025-04-15T12:18:16Z

    #[test]
    fn login_create_finalize() {
        let mut host = ScriptedHost::new(
            Timestamp::from_secs(NOW),
            vec![
                tokens("a-1", "2025-04-15T13:18:16Z"),
                ok(serde_json::json!({"requestCode": "P775", "csr": CSR_B64})),
                ok(
                    serde_json::json!({"idCertificate": 42, "thumbprint": "abcdef0123456789abcdef0123456789abcdef01"}),
                ),
            ],
        );
        let mut f = flow(password());
        let issued = drive(&mut f, &mut host).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(issued.request_code, "P775");
        assert_eq!(issued.id_certificate.as_deref(), Some("42"));
        assert_eq!(
            issued.thumbprint.as_deref(),
            Some("ABCDEF0123456789ABCDEF0123456789ABCDEF01")
        );
        assert!(issued
            .csr_pem
            .starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
        let paths: Vec<_> = host
            .sent
            .iter()
            .map(|r| (r.method, r.url.as_str()))
            .collect();
        assert_eq!(
            paths,
            vec![
                (Method::Post, "https://rt.example:8082/raapi/v1/auth/login"),
                (Method::Post, "https://rt.example:8082/raapi/v1/csr/create"),
                (Method::Put, "https://rt.example:8082/raapi/v1/csr/finalize"),
            ]
        );
        assert_eq!(
            host.sent[2].headers.get("authorization"),
            Some("Bearer a-1")
        );
        assert_eq!(
            String::from_utf8_lossy(&host.sent[2].body),
            r#"{"provider":"CAMERFIRMA","requestCode":"P775"}"#
        );
        // The flow is spent.
        assert!(f.next(host.now).is_err());
    }

    #[test]
    fn a_token_that_arrives_expired_is_used_not_renewed_in_a_loop() {
        // The login answer's `expiration` is an hour in the past; the token
        // itself works. One login, then create and finalize (issue 14, item 1).
        let mut host = ScriptedHost::new(
            Timestamp::from_secs(NOW),
            vec![
                tokens("a-1", "2025-04-15T11:18:16Z"),
                ok(serde_json::json!({"requestCode": "P1", "csr": CSR_B64})),
                ok(
                    serde_json::json!({"idCertificate": "7", "thumbprint": "ABCDEF0123456789ABCDEF0123456789ABCDEF01"}),
                ),
            ],
        );
        let mut f = flow(password());
        drive(&mut f, &mut host).unwrap_or_else(|e| panic!("{e}"));
        let logins = host
            .sent
            .iter()
            .filter(|r| r.url.ends_with("/auth/login"))
            .count();
        assert_eq!((logins, host.sent.len()), (1, 3));
        assert_eq!(f.session().and_then(|s| s.expires_at), None);
    }

    #[test]
    fn a_server_that_refuses_every_token_ends_in_an_auth_error() {
        // Expired tokens the server then refuses: a bounded number of logins
        // and refreshes, then `auth`, never a loop.
        let mut answers = Vec::new();
        for _ in 0..50 {
            answers.push(tokens("a-x", "2025-04-15T11:18:16Z"));
            answers.push(unauthorized());
        }
        let mut host = ScriptedHost::new(Timestamp::from_secs(NOW), answers);
        let err = drive(&mut flow(password()), &mut host).unwrap_err();
        assert_eq!(err.kind(), "auth");
        let auth = host
            .sent
            .iter()
            .filter(|r| r.url.contains("/auth/"))
            .count();
        assert!(
            auth <= usize::from(MAX_AUTH_REQUESTS),
            "{auth} auth requests"
        );
        assert!(host.sent.len() <= 6, "{} requests", host.sent.len());
    }

    #[test]
    fn refreshes_before_expiry_and_after_401_once() {
        let session = Session {
            access_token: "a-old".into(),
            refresh_token: Some("r-0".into()),
            expires_at: Some(Timestamp::from_secs(NOW + 10)),
        };
        let mut host = ScriptedHost::new(
            Timestamp::from_secs(NOW),
            vec![
                tokens("a-2", "2025-04-15T13:18:16Z"),
                unauthorized(),
                tokens("a-3", "2025-04-15T13:18:16Z"),
                ok(serde_json::json!({"requestCode": "P1", "csr": CSR_B64})),
                ok(
                    serde_json::json!({"idCertificate": "7", "thumbprint": "ABCDEF0123456789ABCDEF0123456789ABCDEF01"}),
                ),
            ],
        );
        let mut f = flow(Credentials::Session(session));
        drive(&mut f, &mut host).unwrap_or_else(|e| panic!("{e}"));
        let urls: Vec<_> = host
            .sent
            .iter()
            .map(|r| r.url.rsplit(':').next().unwrap_or_default())
            .collect();
        assert_eq!(
            urls,
            vec![
                "8082/raapi/v1/auth/refresh-token",
                "8082/raapi/v1/csr/create",
                "8082/raapi/v1/auth/refresh-token",
                "8082/raapi/v1/csr/create",
                "8082/raapi/v1/csr/finalize",
            ]
        );
        assert_eq!(
            host.sent[0].headers.get("authorization"),
            Some("Bearer a-old")
        );
        assert_eq!(
            String::from_utf8_lossy(&host.sent[0].body),
            r#"{"refreshToken":"r-0"}"#
        );
        assert_eq!(
            host.sent[3].headers.get("authorization"),
            Some("Bearer a-3")
        );
        assert_eq!(f.session().map(|s| s.access_token.expose()), Some("a-3"));
    }

    #[test]
    fn second_401_is_an_auth_error() {
        let mut host = ScriptedHost::new(
            Timestamp::from_secs(NOW),
            vec![
                tokens("a-1", "2025-04-15T13:18:16Z"),
                unauthorized(),
                tokens("a-2", "2025-04-15T13:18:16Z"),
                unauthorized(),
            ],
        );
        let err = drive(&mut flow(password()), &mut host).err();
        assert_eq!(err.as_ref().map(Error::kind), Some("auth"));
        assert_eq!(err.as_ref().and_then(Error::code), Some("TOKEN_EXPIRED"));
        assert_eq!(host.sent.len(), 4);
    }

    #[test]
    fn temp_token_is_exchanged_once() {
        let mut host = ScriptedHost::new(
            Timestamp::from_secs(NOW),
            vec![
                ok(serde_json::json!({"accessToken": "a-1", "expiration": "2025-04-15T13:18:16Z"})),
                unauthorized(),
            ],
        );
        let err = drive(&mut flow(Credentials::TempToken("tkn-1".into())), &mut host).err();
        // No refresh token and the temp token is spent: the 401 stands.
        assert_eq!(err.map(|e| e.kind()), Some("auth"));
        assert_eq!(
            host.sent[0].url,
            "https://rt.example:8082/authapi/v1/login_by_temp_token"
        );
        assert_eq!(host.sent.len(), 2);
    }

    fn faults() -> Vec<(&'static str, Result<HttpResponse, Error>)> {
        crate::flow::testing::transient_faults("{\"message\":\"ok\",\"da")
    }

    fn created() -> HttpResponse {
        ok(serde_json::json!({"requestCode": "P1", "csr": CSR_B64}))
    }

    fn finalized() -> HttpResponse {
        ok(
            serde_json::json!({"idCertificate": "7", "thumbprint": "ABCDEF0123456789ABCDEF0123456789ABCDEF01"}),
        )
    }

    /// A password login is safe to repeat: one transient fault on it is
    /// retried after a backoff (issue 14, item 14).
    #[test]
    fn a_transient_fault_on_the_login_is_retried() {
        for (what, fault) in faults() {
            let mut host = ScriptedHost::with_outcomes(
                Timestamp::from_secs(NOW),
                vec![
                    fault,
                    Ok(tokens("a-1", "2025-04-15T13:18:16Z")),
                    Ok(created()),
                    Ok(finalized()),
                ],
            );
            let issued =
                drive(&mut flow(password()), &mut host).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(issued.request_code, "P1");
            assert_eq!(host.sent.len(), 4, "{what}");
            assert!(host.sent[1].url.ends_with("/auth/login"), "{what}");
            assert_eq!(host.waits.len(), 1, "{what}: one backoff");
        }
    }

    /// `csr/create` and `csr/finalize` are never repeated: a lost or
    /// unreadable answer is `ambiguous`, naming the requestCode once known.
    #[test]
    fn a_transient_fault_on_create_or_finalize_is_ambiguous() {
        for (what, fault) in faults() {
            let t0 = Timestamp::from_secs(NOW);
            let login = Ok(tokens("a-1", "2025-04-15T13:18:16Z"));
            let mut host =
                ScriptedHost::with_outcomes(t0, vec![login.clone(), fault.clone(), Ok(created())]);
            let mut f = flow(password());
            let err = drive(&mut f, &mut host).unwrap_err();
            assert_eq!(err.kind(), "ambiguous", "{what} on create: {err}");
            assert_eq!(host.sent.len(), 2, "{what}: created once");
            assert_eq!(err.ambiguous_submission().unwrap().reference, None);
            assert!(f.next(t0).is_err());

            let mut host =
                ScriptedHost::with_outcomes(t0, vec![login, Ok(created()), fault, Ok(finalized())]);
            let err = drive(&mut flow(password()), &mut host).unwrap_err();
            assert_eq!(err.kind(), "ambiguous", "{what} on finalize: {err}");
            assert_eq!(host.sent.len(), 3, "{what}: finalized once");
            let a = err.ambiguous_submission().unwrap();
            assert_eq!(a.reference.as_deref(), Some("P1"));
            assert!(err.to_string().contains("(P1)"), "{err}");
        }
    }

    /// A login that keeps failing ends after the bound.
    #[test]
    fn a_login_that_keeps_failing_gives_up() {
        let outcomes = std::iter::repeat_n(Err(crate::flow::testing::dropped()), 20).collect();
        let mut host = ScriptedHost::with_outcomes(Timestamp::from_secs(NOW), outcomes);
        let err = drive(&mut flow(password()), &mut host).unwrap_err();
        assert_eq!(err.kind(), "transport");
        assert_eq!(
            host.sent.len(),
            1 + crate::flow::MAX_TRANSIENT_RETRIES as usize
        );
    }

    #[test]
    fn invalid_request_sends_nothing() {
        let config = RedtrustConfig::new("https://rt.example:8082").unwrap();
        let mut f = IssueFlow::new(config, password(), CsrRequest::new(vec![]));
        let mut host = ScriptedHost::new(Timestamp::from_secs(NOW), vec![]);
        let err = drive(&mut f, &mut host).err();
        assert_eq!(err.as_ref().and_then(Error::field), Some("dn"));
        assert!(host.sent.is_empty());
    }

    #[test]
    fn provider_error_stops_the_flow_with_its_code() {
        let mut host = ScriptedHost::new(
            Timestamp::from_secs(NOW),
            vec![
                tokens("a-1", "2025-04-15T13:18:16Z"),
                HttpResponse::new(
                    400,
                    r#"{"message":"DN not allowed","messageType":"ERROR","errorCode":"INVALID_DN","data":null,"isValid":false}"#,
                ),
            ],
        );
        let err = drive(&mut flow(password()), &mut host).err();
        assert_eq!(err.as_ref().and_then(Error::code), Some("INVALID_DN"));
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("redtrust error INVALID_DN (HTTP 400): DN not allowed".into())
        );
    }
}
