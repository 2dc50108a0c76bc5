//! Issuance from a CSR as a caller-driven state machine (swisssign-ra-api-v2
//! step list: "Send CSR ... to create a Certificate Order", "Poll Order
//! Status until issued or failed", "Download Certificate with chain").
//!
//! Steps: renew the session JWT when due, submit the CSR, poll the status
//! with [`Backoff`] (honouring `Retry-After`) until a terminal status or the
//! [`Deadline`], then fetch the chain. `PENDING_AUTH` waits on an RA
//! operator, possibly for days: the flow keeps polling and exposes it
//! through [`IssueFlow::waiting_on_person`] so the caller can tell a user,
//! or stop and [`IssueFlow::resume`] later.

use serde::Serialize;

use crate::crypto::certificate::Certificate;
use crate::crypto::csr::Csr;
use crate::error::{AmbiguousSubmission, Error, Provider, ProviderDetails, ProviderError};
use crate::flow::{garbled_json, Flow, InFlight, Step, Transient};
use crate::http::HttpResponse;
use crate::swisssign::auth::Session;
use crate::swisssign::chain::{CertificateChain, GetChain};
use crate::swisssign::issue::IssueCsr;
use crate::swisssign::order::{GetOrderStatus, OrderStatus};
use crate::swisssign::refs::{OrderRef, ProductRef};
use crate::time::{Backoff, Deadline, Timestamp};

/// How long a SwissSign issuance is usually given before the caller stops
/// waiting and keeps the order reference: ten minutes. Automated DV orders
/// issue within seconds; an order waiting on an RA operator
/// (`PENDING_AUTH`) can take days and is better picked up later with
/// [`IssueFlow::resume`] than waited on by a process. The flow takes the
/// caller's [`Deadline`]; [`Deadline::NONE`] is the explicit request to poll
/// until a terminal status (issue 14, item 12).
pub const DEFAULT_WAIT_SECS: u64 = 600;

/// The result of a finished issuance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuedCertificate {
    /// The order.
    pub order: OrderRef,
    /// The issued certificate.
    pub certificate: Certificate,
    /// Leaf first, the leaf included.
    pub chain: CertificateChain,
    /// The chain as concatenated PEM, leaf first.
    pub pem_chain: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    Jwt,
    Submit,
    Status,
    Chain,
}

#[derive(Debug)]
enum Stage {
    Submit,
    Poll { at: Timestamp },
    Chain { at: Timestamp },
    Finished(Box<IssuedCertificate>),
    Spent,
}

/// Issues a certificate from a CSR and returns it with its chain.
#[derive(Debug)]
pub struct IssueFlow {
    session: Session,
    product: Option<ProductRef>,
    csr_pem: String,
    deadline: Deadline,
    backoff: Backoff,
    stage: Stage,
    in_flight: InFlight<Sent>,
    order: Option<OrderRef>,
    status: Option<OrderStatus>,
    attempt: u32,
    retried_auth: bool,
    /// Failed sends and unreadable answers of the current read.
    transient: Transient,
    /// When to repeat a read after a transient failure.
    retry_at: Option<Timestamp>,
}

impl IssueFlow {
    /// Submits `csr` (PEM or DER, checked now) under `product`.
    pub fn new(
        session: Session,
        product: ProductRef,
        csr: &[u8],
        deadline: Deadline,
    ) -> Result<Self, Error> {
        let csr_pem = Csr::from_pem_or_der(csr)?.to_pem();
        Ok(Self::build(
            session,
            Some(product),
            csr_pem,
            deadline,
            Stage::Submit,
            None,
        ))
    }

    /// Picks up an order submitted earlier (e.g. one left in `PENDING_AUTH`)
    /// and polls it to the end.
    pub fn resume(session: Session, order: OrderRef, deadline: Deadline) -> Self {
        Self::build(
            session,
            None,
            String::new(),
            deadline,
            Stage::Poll { at: Timestamp(0) },
            Some(order),
        )
    }

    fn build(
        session: Session,
        product: Option<ProductRef>,
        csr_pem: String,
        deadline: Deadline,
        stage: Stage,
        order: Option<OrderRef>,
    ) -> Self {
        IssueFlow {
            session,
            product,
            csr_pem,
            deadline,
            backoff: Backoff {
                initial_millis: 1_000,
                max_millis: 30_000,
                factor_percent: 150,
            },
            stage,
            in_flight: InFlight::new(),
            order,
            status: None,
            attempt: 0,
            retried_auth: false,
            transient: Transient::default(),
            retry_at: None,
        }
    }

    /// Replaces the polling schedule (default: 1 s growing 1.5x to 30 s).
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// The order, once submitted.
    pub fn order(&self) -> Option<&OrderRef> {
        self.order.as_ref()
    }

    /// The last status seen.
    pub fn status(&self) -> Option<&OrderStatus> {
        self.status.as_ref()
    }

    /// Whether the order is waiting for an RA operator (`PENDING_AUTH`).
    pub fn waiting_on_person(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(OrderStatus::waits_on_person)
    }

    /// The session, with any JWT renewed along the way.
    pub fn session(&self) -> &Session {
        &self.session
    }

    fn timeout(&self) -> Error {
        let order = self
            .order
            .as_ref()
            .map(|o| format!("order {o}"))
            .unwrap_or_else(|| "the order".to_string());
        let what = match &self.status {
            Some(OrderStatus::PendingAuth) => format!(
                "{order} to be issued (last status PENDING_AUTH: waiting for an RA operator's authorization)"
            ),
            Some(s) => format!("{order} to be issued (last status {})", s.as_str()),
            None => format!("{order} to be issued"),
        };
        Error::Timeout { what }
    }

    fn order_ref(&self) -> Result<&OrderRef, Error> {
        self.order
            .as_ref()
            .ok_or_else(|| Error::protocol("SwissSign issue flow", "no order reference"))
    }

    fn on_status(
        &mut self,
        status: OrderStatus,
        resp: &HttpResponse,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.status = Some(status.clone());
        match status {
            OrderStatus::Issued => {
                self.attempt = 0;
                self.stage = Stage::Chain { at: now };
                Ok(())
            }
            OrderStatus::Failed | OrderStatus::Rejected | OrderStatus::Revoked => {
                self.stage = Stage::Spent;
                let order = self.order_ref()?.clone();
                Err(Error::provider(ProviderError {
                    provider: Provider::SwissSign,
                    status: resp.status,
                    code: status.as_str().to_string(),
                    message: format!("order {order} ended with status {}", status.as_str()),
                    correlation_id: None,
                    retry_after: None,
                    details: ProviderDetails::None,
                }))
            }
            _ => {
                let at = self
                    .backoff
                    .next_poll(now, self.attempt, resp.retry_after(now));
                self.attempt = self.attempt.saturating_add(1);
                self.stage = Stage::Poll { at };
                Ok(())
            }
        }
    }

    /// Repeats the current read (JWT, status, chain: all safe to repeat,
    /// although they are POSTs) after a dropped connection, a timeout or an
    /// unreadable answer, at most [`crate::flow::MAX_TRANSIENT_RETRIES`]
    /// times in a row (issue 14, item 14).
    fn repeat_read(&mut self, err: Error, now: Timestamp) -> Result<(), Error> {
        match self.transient.retry_at(now, None) {
            Some(at) => {
                self.retry_at = Some(at);
                Ok(())
            }
            None => {
                self.stage = Stage::Spent;
                Err(err)
            }
        }
    }

    /// The submission went out and its answer was lost or unreadable: an
    /// order may exist, and submitting again could make a second one.
    fn ambiguous_submit(&mut self, cause: String) -> Error {
        self.stage = Stage::Spent;
        let product = self
            .product
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default();
        Error::ambiguous(AmbiguousSubmission {
            provider: Provider::SwissSign,
            operation: format!("SwissSign issue (POST /v2/issue/csr/{product})"),
            cause,
            may_exist: "an order for this CSR may have been created".into(),
            reference: None,
            pick_up: "search the client's orders (POST /v2/orders) for it and follow it with \
                      IssueFlow::resume before submitting again, which would order a second \
                      certificate"
                .into(),
        })
    }

    /// Schedules another try of the current request after a retryable error.
    fn retry_later(
        &mut self,
        err: Error,
        resp: &HttpResponse,
        now: Timestamp,
    ) -> Result<(), Error> {
        if !err.is_retryable() {
            self.stage = Stage::Spent;
            return Err(err);
        }
        let at = self
            .backoff
            .next_poll(now, self.attempt, resp.retry_after(now));
        self.attempt = self.attempt.saturating_add(1);
        self.stage = match self.stage {
            Stage::Chain { .. } => Stage::Chain { at },
            _ => Stage::Poll { at },
        };
        Ok(())
    }
}

impl Flow for IssueFlow {
    type Output = IssuedCertificate;

    fn next(&mut self, now: Timestamp) -> Result<Step<IssuedCertificate>, Error> {
        if self.in_flight.is_pending() {
            return Err(Error::protocol(
                "SwissSign issue flow",
                "next() called while a response is still expected",
            ));
        }
        match std::mem::replace(&mut self.stage, Stage::Spent) {
            Stage::Finished(done) => return Ok(Step::Done(*done)),
            Stage::Spent => {
                return Err(Error::protocol(
                    "SwissSign issue flow",
                    "the flow is finished",
                ))
            }
            other => self.stage = other,
        }
        if self.deadline.passed(now) {
            self.stage = Stage::Spent;
            return Err(self.timeout());
        }
        let at = match self.stage {
            Stage::Poll { at } | Stage::Chain { at } => at,
            _ => now,
        };
        let at = self.retry_at.map_or(at, |retry| retry.max(at));
        if now < at {
            return Ok(Step::Wait(self.deadline.clamp(at)));
        }
        self.retry_at = None;
        if let Some(req) = self.session.prepare(now)? {
            self.in_flight.start(Sent::Jwt)?;
            return Ok(Step::Send(req));
        }
        let (sent, req) = match &self.stage {
            Stage::Submit => {
                let product = self
                    .product
                    .as_ref()
                    .ok_or_else(|| Error::protocol("SwissSign issue flow", "no product"))?;
                let req = IssueCsr {
                    product,
                    csr: self.csr_pem.as_bytes(),
                }
                .request(&self.session)?;
                (Sent::Submit, req)
            }
            Stage::Poll { .. } => {
                let req = GetOrderStatus {
                    order: self.order_ref()?,
                }
                .request(&self.session)?;
                (Sent::Status, req)
            }
            Stage::Chain { .. } => {
                let req = GetChain {
                    order: self.order_ref()?,
                }
                .request(&self.session)?;
                (Sent::Chain, req)
            }
            Stage::Finished(_) | Stage::Spent => {
                return Err(Error::protocol(
                    "SwissSign issue flow",
                    "the flow is finished",
                ))
            }
        };
        self.in_flight.start(sent)?;
        Ok(Step::Send(req))
    }

    fn send_failed(&mut self, error: Error, now: Timestamp) -> Result<(), Error> {
        let sent = self.in_flight.finish()?;
        if !matches!(error, Error::Transport { .. } | Error::Timeout { .. }) {
            self.stage = Stage::Spent;
            return Err(error);
        }
        match sent {
            Sent::Submit => Err(self.ambiguous_submit(error.to_string())),
            Sent::Jwt | Sent::Status | Sent::Chain => self.repeat_read(error, now),
        }
    }

    fn receive(&mut self, resp: HttpResponse, now: Timestamp) -> Result<(), Error> {
        let sent = self.in_flight.finish()?;
        if sent == Sent::Jwt {
            return match self.session.receive_jwt(&resp, now) {
                Ok(()) => {
                    self.transient.reset();
                    Ok(())
                }
                Err(e) if resp.is_success() => self.repeat_read(e, now),
                Err(e) => {
                    self.stage = Stage::Spent;
                    Err(e)
                }
            };
        }
        // A JWT refused mid-way (revoked key rotation, clock skew): renew
        // once and repeat the call.
        if resp.status == 401 && self.session.can_renew() && !self.retried_auth {
            self.retried_auth = true;
            self.session.invalidate();
            return Ok(());
        }
        match sent {
            Sent::Jwt => Ok(()),
            Sent::Submit if garbled_json(&resp) => Err(self.ambiguous_submit(format!(
                "HTTP {} with an empty, truncated or non-JSON body",
                resp.status
            ))),
            Sent::Submit => {
                let order = IssueCsr::parse(&resp).inspect_err(|_| self.stage = Stage::Spent)?;
                self.retried_auth = false;
                self.order = Some(order.uuid.clone());
                self.on_status(order.status, &resp, now)
            }
            Sent::Status => match GetOrderStatus::parse(&resp) {
                Ok(status) => {
                    self.retried_auth = false;
                    self.transient.reset();
                    self.on_status(status, &resp, now)
                }
                Err(e) if garbled_json(&resp) => self.repeat_read(e, now),
                Err(e) => self.retry_later(e, &resp, now),
            },
            // A 2xx chain that does not parse (JSON or PKCS#7 cut short) is
            // read again; a chain that parses but is wrong is not.
            Sent::Chain => match GetChain::parse(&resp) {
                Err(e) if resp.is_success() => self.repeat_read(e, now),
                Ok(chain) => {
                    let order = self.order_ref()?.clone();
                    let certificate = chain.leaf().cloned().ok_or_else(|| {
                        Error::protocol("SwissSign certificate chain", "empty chain")
                    })?;
                    self.check_leaf(&certificate)?;
                    let pem_chain = chain.to_pem();
                    self.stage = Stage::Finished(Box::new(IssuedCertificate {
                        order,
                        certificate,
                        chain,
                        pem_chain,
                    }));
                    Ok(())
                }
                Err(e) => self.retry_later(e, &resp, now),
            },
        }
    }
}

impl IssueFlow {
    /// The chain's leaf must certify the key of the CSR this flow submitted
    /// (a resumed order has no CSR here, and nothing to compare with).
    fn check_leaf(&self, leaf: &crate::crypto::certificate::Certificate) -> Result<(), Error> {
        if self.csr_pem.is_empty() {
            return Ok(());
        }
        let csr = Csr::from_pem_or_der(self.csr_pem.as_bytes())?;
        let key = crate::crypto::key_match::csr_public_key(csr.der())?;
        crate::crypto::key_match::check_leaf_key("SwissSign certificate chain", &leaf.der()?, &key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::pem::certificates_der;
    use crate::flow::{drive, testing::ScriptedHost};
    use crate::secret::Secret;
    use crate::swisssign::SwissSignConfig;
    use base64::Engine as _;

    const CHAIN_PEM: &str = include_str!("../../../tests/vectors/fixtures/chain.pem");
    const ORD: &str = "ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b";
    const PMA: &str = "pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed";
    const CSR: &str = include_str!("../../../tests/vectors/fixtures/request.csr.pem");

    fn order_body(status: &str) -> HttpResponse {
        HttpResponse::new(
            200,
            format!(
                r#"{{"uuid":"{ORD}","createdOn":"2025-04-15T12:18:16Z","status":"{status}","clientReference":"cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd","productReference":"{PMA}"}}"#
            ),
        )
    }

    /// The chain for the test CSR's key, as SwissSign's JSON array of
    /// base64 DER certificates.
    fn chain_body() -> HttpResponse {
        let csr = Csr::from_pem_or_der(CSR.as_bytes()).unwrap();
        let key = crate::crypto::key_match::csr_public_key(csr.der()).unwrap();
        chain_json(&crate::crypto::key_match::testing::chain(key, "www.vu.com"))
    }

    fn chain_json(ders: &[Vec<u8>]) -> HttpResponse {
        let b64: Vec<String> = ders
            .iter()
            .map(|d| base64::engine::general_purpose::STANDARD.encode(d))
            .collect();
        HttpResponse::new(200, serde_json::to_vec(&b64).unwrap())
    }

    fn flow(deadline: Deadline) -> IssueFlow {
        let session =
            Session::with_api_key(SwissSignConfig::pre_production(), "svc", Secret::new("key"))
                .unwrap();
        IssueFlow::new(
            session,
            ProductRef::new(PMA).unwrap(),
            CSR.as_bytes(),
            deadline,
        )
        .unwrap()
        .with_backoff(Backoff::default())
    }

    #[test]
    fn submits_polls_with_backoff_and_downloads_the_chain() {
        let t0 = Timestamp::from_secs(1_744_719_496);
        let mut host = ScriptedHost::new(
            t0,
            vec![
                order_body("NEW"),
                HttpResponse::new(200, "\"PRE_VALIDATION\""),
                HttpResponse::new(503, "<html>busy</html>").header("Retry-After", "2"),
                HttpResponse::new(200, r#"{"status":"ISSUED"}"#),
                chain_body(),
            ],
        );
        let mut f = flow(Deadline::at(t0.plus_secs(600)));
        let issued = drive(&mut f, &mut host).unwrap();
        assert_eq!(issued.order.as_str(), ORD);
        assert_eq!(issued.certificate.subject, "CN=www.vu.com");
        assert_eq!(issued.chain.certificates.len(), 3);
        assert!(issued.pem_chain.starts_with(&issued.certificate.pem));
        let urls: Vec<&str> = host.sent.iter().map(|r| r.url.as_str()).collect();
        let base = "https://api.ra.pre.swisssign.ch";
        assert_eq!(
            urls,
            [
                format!("{base}/v2/issue/csr/{PMA}"),
                format!("{base}/v2/order/{ORD}/status"),
                format!("{base}/v2/order/{ORD}/status"),
                format!("{base}/v2/order/{ORD}/status"),
                format!("{base}/v2/order/{ORD}/certificate/chain"),
            ]
        );
        let submit = &host.sent[0];
        assert_eq!(submit.headers.get("content-type"), Some("text/plain"));
        assert_eq!(submit.body, CSR.as_bytes());
        assert!(host
            .sent
            .iter()
            .all(|r| r.method == crate::http::Method::Post
                && r.headers
                    .get("authorization")
                    .is_some_and(|a| a.starts_with("Bearer ey"))));
        // 100 ms, 150 ms, then the server's Retry-After of 2 s.
        assert_eq!(
            host.waits,
            [
                t0.plus_millis(100),
                t0.plus_millis(250),
                t0.plus_millis(2250)
            ]
        );
    }

    #[test]
    fn pending_auth_is_visible_and_times_out_with_a_clear_reason() {
        let t0 = Timestamp::from_secs(1_000);
        let mut f = flow(Deadline::at(t0.plus_secs(1)));
        let Ok(Step::Send(_)) = f.next(t0) else {
            panic!("expected submit")
        };
        f.receive(order_body("PENDING_AUTH"), t0).unwrap();
        assert!(f.waiting_on_person());
        assert_eq!(f.order().map(OrderRef::as_str), Some(ORD));
        let Ok(Step::Wait(at)) = f.next(t0) else {
            panic!("expected wait")
        };
        assert_eq!(at, t0.plus_millis(100));
        let Ok(Step::Send(_)) = f.next(at) else {
            panic!("expected poll")
        };
        f.receive(HttpResponse::new(200, "\"PENDING_AUTH\""), at)
            .unwrap();
        let err = f.next(t0.plus_secs(1)).unwrap_err();
        assert_eq!(err.kind(), "timeout");
        assert!(err.to_string().contains("PENDING_AUTH"), "{err}");
    }

    #[test]
    fn terminal_failures_are_provider_errors() {
        for status in ["FAILED", "REJECTED", "REVOKED"] {
            let t0 = Timestamp::from_secs(1_000);
            let mut host = ScriptedHost::new(
                t0,
                vec![
                    order_body("NEW"),
                    HttpResponse::new(200, format!("\"{status}\"")),
                ],
            );
            let err = drive(&mut flow(Deadline::NONE), &mut host).unwrap_err();
            assert_eq!(err.kind(), "provider");
            assert_eq!(err.code(), Some(status));
        }
    }

    #[test]
    fn a_refused_jwt_is_renewed_once() {
        let t0 = Timestamp::from_secs(1_000);
        let mut host = ScriptedHost::new(
            t0,
            vec![
                order_body("ISSUED"),
                HttpResponse::new(
                    401,
                    r#"{"uuid":"u","errorCode":"009.250.0228","errorMessages":["JWT expired"]}"#,
                ),
                chain_body(),
            ],
        );
        let issued = drive(&mut flow(Deadline::NONE), &mut host).unwrap();
        assert_eq!(issued.chain.certificates.len(), 3);
        assert_eq!(host.sent.len(), 3);
        // A second 401 in a row is the caller's problem.
        let mut host = ScriptedHost::new(
            t0,
            vec![
                order_body("ISSUED"),
                HttpResponse::new(401, ""),
                HttpResponse::new(401, ""),
            ],
        );
        let err = drive(&mut flow(Deadline::NONE), &mut host).unwrap_err();
        assert_eq!(err.kind(), "auth");
    }

    #[test]
    fn user_secret_sessions_fetch_the_jwt_first() {
        let t0 = Timestamp::from_secs(1_000);
        let (mut f, jwt) = user_secret_flow(t0);
        let mut host = ScriptedHost::new(
            t0,
            vec![
                HttpResponse::new(200, jwt.clone()),
                order_body("ISSUED"),
                chain_body(),
            ],
        );
        drive(&mut f, &mut host).unwrap();
        assert_eq!(
            host.sent[0].url,
            "https://api.ra.swisssign.ch/v2/jwt/service.account"
        );
        assert_eq!(
            host.sent[1].headers.get("authorization"),
            Some(format!("Bearer {jwt}").as_str())
        );
    }

    #[test]
    fn a_jwt_that_arrives_expired_is_fetched_once_per_refusal() {
        // `/v2/jwt` hands out a token whose `exp` is already past; the server
        // still takes it. One JWT request, not one before every call
        // (issue 14, item 1).
        let t0 = Timestamp::from_secs(1_000_000);
        let (mut f, jwt) = user_secret_flow(Timestamp::from_secs(1));
        let mut host = ScriptedHost::new(
            t0,
            vec![
                HttpResponse::new(200, jwt),
                order_body("NEW"),
                HttpResponse::new(200, "\"ISSUED\""),
                chain_body(),
            ],
        );
        drive(&mut f, &mut host).unwrap();
        let jwts = host
            .sent
            .iter()
            .filter(|r| r.url.contains("/v2/jwt/"))
            .count();
        assert_eq!((jwts, host.sent.len()), (1, 4));
    }

    #[test]
    fn malformed_answers_are_typed_errors() {
        let t0 = Timestamp::from_secs(1_000);
        for bad in [
            HttpResponse::new(200, ""),
            HttpResponse::new(200, "{\"uuid\":\"nope\",\"status\":\"NEW\"}"),
            HttpResponse::new(200, "{\"uuid\":"),
            HttpResponse::new(200, vec![0xff, 0xfe]),
            HttpResponse::new(502, "<html>Bad gateway</html>"),
        ] {
            let mut host = ScriptedHost::new(t0, vec![bad]);
            let err = drive(&mut flow(Deadline::NONE), &mut host).unwrap_err();
            assert!(
                matches!(err.kind(), "protocol" | "http_status" | "ambiguous"),
                "{err}"
            );
        }
        let mut host = ScriptedHost::new(
            t0,
            vec![
                order_body("ISSUED"),
                HttpResponse::new(200, "[\"bm90IGEgY2VydA==\"]"),
            ],
        );
        let err = drive(&mut flow(Deadline::NONE), &mut host).unwrap_err();
        assert_eq!(err.kind(), "protocol");
        let mut f = flow(Deadline::NONE);
        assert!(f.receive(HttpResponse::new(200, ""), t0).is_err());
        assert!(IssueFlow::new(
            Session::with_token(SwissSignConfig::production(), Secret::new("t")).unwrap(),
            ProductRef::new(PMA).unwrap(),
            b"not a csr",
            Deadline::NONE
        )
        .is_err());
    }

    /// The transient faults of issue 14 item 14, as what the host sees.
    fn faults() -> Vec<(&'static str, Result<HttpResponse, Error>)> {
        crate::flow::testing::transient_faults("{\"status\":\"ISS")
    }

    /// A flow with a user-secret session and the JWT `/v2/jwt` would
    /// answer, made at `issued_at`.
    fn user_secret_flow(issued_at: Timestamp) -> (IssueFlow, String) {
        let session = Session::with_user_secret(
            SwissSignConfig::production(),
            "service.account",
            Secret::new("n1dNUaDMoOJSG4Ak"),
        )
        .unwrap();
        let jwt = crate::crypto::jwt::encode_hs256(
            &crate::swisssign::JwtClaims::for_account("service.account", issued_at),
            b"k",
        )
        .unwrap();
        let f = IssueFlow::new(
            session,
            ProductRef::new(PMA).unwrap(),
            CSR.as_bytes(),
            Deadline::NONE,
        )
        .unwrap();
        (f, jwt.expose().to_string())
    }

    /// JWT, status and chain calls are safe to repeat: one transient fault
    /// on any of them is retried after a backoff and the issuance completes
    /// (issue 14, item 14).
    #[test]
    fn one_transient_fault_on_any_read_is_retried() {
        let t0 = Timestamp::from_secs(1_000);
        for (what, fault) in faults() {
            for call in ["jwt", "status", "chain"] {
                let (mut f, jwt) = user_secret_flow(t0);
                let mut outcomes = vec![];
                for (name, answer) in [
                    ("jwt", HttpResponse::new(200, jwt.clone())),
                    ("submit", order_body("NEW")),
                    ("status", HttpResponse::new(200, "\"ISSUED\"")),
                    ("chain", chain_body()),
                ] {
                    if name == call {
                        outcomes.push(fault.clone());
                    }
                    outcomes.push(Ok(answer));
                }
                let mut host = ScriptedHost::with_outcomes(t0, outcomes);
                let issued =
                    drive(&mut f, &mut host).unwrap_or_else(|e| panic!("{what} on {call}: {e}"));
                assert_eq!(issued.order.as_str(), ORD);
                assert_eq!(host.sent.len(), 5, "{what} on {call}");
                assert_eq!(
                    host.sent[0].url,
                    host.sent[usize::from(call == "jwt")].url,
                    "{what} on {call}"
                );
                assert!(
                    host.waits.iter().any(|w| w.millis_since(t0) >= 500),
                    "{what} on {call}: retried after a backoff, {:?}",
                    host.waits
                );
            }
        }
    }

    /// The same fault on every try: the read is repeated a bounded number of
    /// times, then the fault is the error.
    #[test]
    fn a_read_that_keeps_failing_gives_up_after_the_bound() {
        let t0 = Timestamp::from_secs(1_000);
        for (what, fault) in faults() {
            let mut outcomes = vec![Ok(order_body("NEW"))];
            outcomes.extend(std::iter::repeat_n(fault, 20));
            let mut host = ScriptedHost::with_outcomes(t0, outcomes);
            let err = drive(&mut flow(Deadline::NONE), &mut host).unwrap_err();
            assert!(
                matches!(err.kind(), "transport" | "protocol"),
                "{what}: {err}"
            );
            let tries = 1 + crate::flow::MAX_TRANSIENT_RETRIES as usize;
            assert_eq!(host.sent.len(), 1 + tries, "{what}");
        }
    }

    /// The CSR submission is not safe to repeat: a lost or unreadable answer
    /// ends the flow with an `ambiguous` error saying an order may exist,
    /// and nothing is sent again.
    #[test]
    fn a_lost_submission_answer_is_ambiguous_and_not_repeated() {
        let t0 = Timestamp::from_secs(1_000);
        for (what, fault) in faults() {
            let mut host = ScriptedHost::with_outcomes(t0, vec![fault, Ok(order_body("NEW"))]);
            let mut f = flow(Deadline::NONE);
            let err = drive(&mut f, &mut host).unwrap_err();
            assert_eq!(err.kind(), "ambiguous", "{what}: {err}");
            assert_eq!(host.sent.len(), 1, "{what}: submitted once");
            let a = err.ambiguous_submission().unwrap();
            assert_eq!(a.provider, Provider::SwissSign);
            assert!(a.may_exist.contains("order"), "{a:?}");
            assert!(err.to_string().contains("/v2/orders"), "{err}");
            assert!(f.next(t0).is_err(), "{what}: the flow is spent");
        }
    }

    /// A chain whose leaf certifies another key than the CSR's (the
    /// committed fixture chain is such a chain) is refused, not returned as
    /// issued; a resumed order, which has no CSR to compare with, takes it.
    #[test]
    fn a_leaf_for_another_key_is_refused() {
        let t0 = Timestamp::from_secs(1_000);
        let other = chain_json(&certificates_der(CHAIN_PEM.as_bytes()).unwrap());
        let mut host = ScriptedHost::new(t0, vec![order_body("ISSUED"), other.clone()]);
        let err = drive(&mut flow(Deadline::NONE), &mut host).unwrap_err();
        assert_eq!(err.kind(), "protocol");
        assert!(err.to_string().contains("another public key"), "{err}");
        assert_eq!(host.sent.len(), 2, "the chain is not fetched again");

        let session =
            Session::with_api_key(SwissSignConfig::pre_production(), "svc", Secret::new("key"))
                .unwrap();
        let mut f = IssueFlow::resume(session, OrderRef::new(ORD).unwrap(), Deadline::NONE);
        let mut host = ScriptedHost::new(t0, vec![HttpResponse::new(200, "\"ISSUED\""), other]);
        let issued = drive(&mut f, &mut host).unwrap();
        assert_eq!(
            issued.certificate.subject,
            "CN=déjà.vu.com,O=Déjà Vu AG,L=Lausanne,C=CH"
        );
    }
}
