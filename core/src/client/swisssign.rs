//! `SwissSignClient`: one method per SwissSign RA API v2 endpoint and per
//! whole task (issue, renew, revoke, pre-validate).

use std::sync::Mutex;

use super::driver::Driver;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::swisssign::chain::{CertificateChain, GetChain};
use crate::swisssign::client::{Client, GetClient, SearchClients};
use crate::swisssign::domain::{
    DeleteDomain, DomainAction, DomainCall, ListDomains, PrevalidatedDomain, RegisterDomains,
};
use crate::swisssign::issue::{Issue, IssueCsr, IssueRequest, ValidateIssue};
use crate::swisssign::order::{
    CertificateOrder, GetOrder, GetOrderStatus, OrderSearch, OrderStatus, SearchOrders,
};
use crate::swisssign::revoke::{RevocationReason, RevocationRequest, Revoke};
use crate::swisssign::{
    ClientRef, DomainRef, IssueFlow, IssuedCertificate, OrderRef, ProductRef, Session,
};
use crate::time::{Backoff, Deadline};

/// A SwissSign RA API v2 client that keeps its JWT fresh.
pub struct SwissSignClient {
    driver: Driver,
    session: Mutex<Session>,
    backoff: Option<Backoff>,
}

impl std::fmt::Debug for SwissSignClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SwissSignClient").finish_non_exhaustive()
    }
}

impl SwissSignClient {
    /// A client for `session` (see [`Session::with_api_key`],
    /// [`Session::with_user_secret`], [`Session::with_token`]).
    pub fn new(session: Session, driver: Driver) -> Self {
        SwissSignClient {
            driver,
            session: Mutex::new(session),
            backoff: None,
        }
    }

    /// Polls orders on this schedule instead of the flow's default.
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = Some(backoff);
        self
    }

    fn session(&self) -> Result<Session, Error> {
        self.session
            .lock()
            .map(|s| s.clone())
            .map_err(|_| Error::protocol("swisssign client", "state lock poisoned"))
    }

    fn store(&self, session: Session) {
        if let Ok(mut s) = self.session.lock() {
            *s = session;
        }
    }

    /// A session with a JWT valid now: signed locally, or fetched from
    /// `/v2/jwt/{user}`.
    async fn fresh(&self) -> Result<Session, Error> {
        let mut session = self.session()?;
        if let Some(request) = session.prepare(self.driver.now())? {
            let response = self.driver.send(request).await?;
            session.receive_jwt(&response, self.driver.now())?;
            self.store(session.clone());
        }
        Ok(session)
    }

    /// [`Self::fresh`], repeated after a transient failure: a JWT request
    /// is safe to repeat.
    async fn read_jwt(&self) -> Result<Session, Error> {
        let mut transient = crate::flow::Transient::default();
        loop {
            match self.fresh().await {
                Err(e @ (Error::Transport { .. } | Error::Protocol { .. })) => {
                    match transient.retry_at(self.driver.now(), None) {
                        Some(at) => self.driver.clock().sleep_until(at).await,
                        None => return Err(e),
                    }
                }
                other => return other,
            }
        }
    }

    /// Sends one call with a fresh JWT; after a 401 the JWT is renewed once
    /// (when the session can renew it) and the call repeated.
    async fn call<T>(
        &self,
        build: impl Fn(&Session) -> Result<HttpRequest, Error>,
        parse: impl Fn(&HttpResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let session = self.read_jwt().await?;
        let response = self.driver.send(build(&session)?).await?;
        if response.status != 401 || !session.can_renew() {
            return parse(&response);
        }
        if let Ok(mut s) = self.session.lock() {
            s.invalidate();
        }
        let session = self.read_jwt().await?;
        parse(&self.driver.send(build(&session)?).await?)
    }

    /// [`Self::call`] for a read that is safe to repeat although it is a
    /// POST (status, order, chain, client, list and search calls): a
    /// dropped connection, a timeout or a 2xx answer that does not parse
    /// (empty, truncated, not JSON) is tried again after
    /// [`crate::flow::TRANSIENT_BACKOFF`], at most
    /// [`crate::flow::MAX_TRANSIENT_RETRIES`] times (issue 14, item 14).
    async fn read<T>(
        &self,
        build: impl Fn(&Session) -> Result<HttpRequest, Error>,
        parse: impl Fn(&HttpResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut transient = crate::flow::Transient::default();
        loop {
            let unreadable = std::sync::atomic::AtomicBool::new(false);
            let result = self
                .call(&build, |r: &HttpResponse| {
                    parse(r).inspect_err(|_| {
                        if r.is_success() {
                            unreadable.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                    })
                })
                .await;
            let transient_failure = match &result {
                Err(Error::Transport { .. } | Error::Timeout { .. }) => true,
                Err(_) => unreadable.load(std::sync::atomic::Ordering::Relaxed),
                Ok(_) => false,
            };
            if !transient_failure {
                return result;
            }
            match transient.retry_at(self.driver.now(), None) {
                Some(at) => {
                    tracing::info!("repeating a SwissSign read after a transient failure");
                    self.driver.clock().sleep_until(at).await;
                }
                None => return result,
            }
        }
    }

    /// `/v2/clients?search=`: clients and their products.
    pub async fn clients(&self, search: Option<&str>) -> Result<Vec<Client>, Error> {
        self.read(
            |s| SearchClients { search }.request(s),
            SearchClients::parse,
        )
        .await
    }

    /// `/v2/client/{cli}`.
    pub async fn client(&self, client: &ClientRef) -> Result<Client, Error> {
        self.read(|s| GetClient { client }.request(s), GetClient::parse)
            .await
    }

    /// Registers domains (Unicode allowed) for pre-validation; each answer
    /// carries the TXT record to publish.
    pub async fn register_domains(
        &self,
        client: &ClientRef,
        domains: &[String],
    ) -> Result<Vec<PrevalidatedDomain>, Error> {
        self.call(
            |s| RegisterDomains { client, domains }.request(s),
            RegisterDomains::parse,
        )
        .await
    }

    /// The client's pre-validated domains.
    pub async fn domains(&self, client: &ClientRef) -> Result<Vec<PrevalidatedDomain>, Error> {
        self.read(|s| ListDomains { client }.request(s), ListDomains::parse)
            .await
    }

    /// Reads, validates, or resets/deletes the token of one domain.
    pub async fn domain(
        &self,
        domain: &DomainRef,
        action: DomainAction,
    ) -> Result<PrevalidatedDomain, Error> {
        self.call(
            |s| DomainCall { domain, action }.request(s),
            DomainCall::parse,
        )
        .await
    }

    /// Deletes a pre-validated domain.
    pub async fn delete_domain(&self, domain: &DomainRef) -> Result<(), Error> {
        self.call(|s| DeleteDomain { domain }.request(s), DeleteDomain::parse)
            .await
    }

    /// `/v2/issue/csr/{pma}`: submits a CSR and returns the new order.
    pub async fn submit_csr(
        &self,
        product: &ProductRef,
        csr: &[u8],
    ) -> Result<CertificateOrder, Error> {
        self.call(|s| IssueCsr { product, csr }.request(s), IssueCsr::parse)
            .await
    }

    /// `/v2/issue`: submits a JSON issue request.
    pub async fn submit(&self, request: &IssueRequest) -> Result<CertificateOrder, Error> {
        self.call(|s| Issue { request }.request(s), Issue::parse)
            .await
    }

    /// `/v2/validate`: checks an issue request without ordering.
    pub async fn validate(&self, request: &IssueRequest) -> Result<(), Error> {
        self.call(
            |s| ValidateIssue { request }.request(s),
            ValidateIssue::parse,
        )
        .await
    }

    /// `/v2/order/{ord}/status`.
    pub async fn order_status(&self, order: &OrderRef) -> Result<OrderStatus, Error> {
        self.read(
            |s| GetOrderStatus { order }.request(s),
            GetOrderStatus::parse,
        )
        .await
    }

    /// `/v2/order/{ord}`.
    pub async fn order(&self, order: &OrderRef) -> Result<CertificateOrder, Error> {
        self.read(|s| GetOrder { order }.request(s), GetOrder::parse)
            .await
    }

    /// `/v2/orders`: searches orders.
    pub async fn orders(&self, search: &OrderSearch) -> Result<Vec<CertificateOrder>, Error> {
        self.read(|s| SearchOrders { search }.request(s), SearchOrders::parse)
            .await
    }

    /// `/v2/order/{ord}/certificate/chain` (PKCS#7 or JSON, leaf first).
    pub async fn chain(&self, order: &OrderRef) -> Result<CertificateChain, Error> {
        self.read(|s| GetChain { order }.request(s), GetChain::parse)
            .await
    }

    /// `/v2/revoke`.
    pub async fn revoke(&self, certificates: &[RevocationRequest]) -> Result<(), Error> {
        self.call(
            |s| Revoke { certificates }.request(s),
            |r| Revoke::parse(r).map(|_| ()),
        )
        .await
    }

    /// Issues a certificate: submit the CSR, poll the order to a terminal
    /// status (backoff, `Retry-After`, the deadline), download the chain.
    pub async fn issue(
        &self,
        product: &ProductRef,
        csr: &[u8],
        deadline: Deadline,
    ) -> Result<IssuedCertificate, Error> {
        // The flow fetches (and if need be repeats) the JWT itself.
        let session = self.session()?;
        let mut flow = IssueFlow::new(session, product.clone(), csr, deadline)?;
        if let Some(b) = self.backoff {
            flow = flow.with_backoff(b);
        }
        let result = self.driver.run(&mut flow).await;
        self.store(flow.session().clone());
        result
    }

    /// Follows an order submitted earlier (e.g. one waiting in
    /// `PENDING_AUTH`) to its end.
    pub async fn resume(
        &self,
        order: &OrderRef,
        deadline: Deadline,
    ) -> Result<IssuedCertificate, Error> {
        // The flow fetches (and if need be repeats) the JWT itself.
        let session = self.session()?;
        let mut flow = IssueFlow::resume(session, order.clone(), deadline);
        if let Some(b) = self.backoff {
            flow = flow.with_backoff(b);
        }
        let result = self.driver.run(&mut flow).await;
        self.store(flow.session().clone());
        result
    }

    /// Revokes the certificate of `order`, by the serial and issuer the
    /// server reports for it.
    pub async fn revoke_order(
        &self,
        order: &OrderRef,
        reason: RevocationReason,
    ) -> Result<(), Error> {
        let order = self.order(order).await?;
        let certificate = order
            .certificate
            .as_ref()
            .ok_or_else(|| Error::invalid_input("order", "the order has no issued certificate"))?;
        let request = RevocationRequest::for_order_certificate(certificate, reason)?;
        self.revoke(&[request]).await
    }
}
