//! SwissSign RA API v2 for foreign languages: sans-IO request builders and
//! response parsers for every endpoint, the JWT, the session and the
//! issuance-flow objects, and the async [`SwissSignClient`] (core:
//! `certbridge::swisssign`, `certbridge::client::SwissSignClient`).
//!
//! References (`cli-`, `pma-`, `ord-`, `cld-`) cross as strings. Functions
//! take them as `String` and check them here, so a malformed one is a
//! typed `invalid_input` naming it (`client_reference`, ...); records
//! returned by the parsers hold them already checked.
//!
//! Records whose core name is generic (`Client`, `CertificateOrder`,
//! `CertificateChain`, ...) are named `SwissSign*` on the foreign side, so
//! they never clash with another provider's in the one namespace.

use std::sync::{Arc, Mutex, MutexGuard};

use certbridge::client::{CancelToken, Driver, SystemClock, TransportConfig};
use certbridge::crypto::certificate::Certificate;
use certbridge::swisssign::auth::{self, JwtRequest};
use certbridge::swisssign::chain::{CertificateChain, GetChain};
use certbridge::swisssign::client::{Client, GetClient, SearchClients, SearchClientsPaged};
use certbridge::swisssign::domain::{
    DeleteDomain, DomainAction, DomainCall, ListDomains, PrevalidatedDomain, RegisterDomains,
};
use certbridge::swisssign::issue::{Issue, IssueCsr, IssueRequest, ValidateIssue};
use certbridge::swisssign::order::{
    CertificateOrder, GetOrder, GetOrderStatus, OrderCertificate, OrderSearch, OrderStatus,
    SearchOrders, SearchOrdersPaged,
};
use certbridge::swisssign::revoke::{RevocationReason, RevocationRequest, Revoke};
use certbridge::swisssign::{
    self as core, ClientRef, DomainRef, IssuedCertificate, OrderRef, Page, ProductRef,
    SwissSignCompat, SwissSignConfig,
};
use certbridge::{
    Backoff, Deadline, Flow as _, HttpRequest, HttpResponse, Secret, Step, Timestamp,
};

use crate::error::CertbridgeError;
use crate::transport::{transport_or_default, HttpTransport};

type Result<T> = std::result::Result<T, CertbridgeError>;

// ---- records that need this crate's `Timestamp` or a concrete page ---------

/// A certificate chain from `/v2/order/{ord}/certificate/chain`, leaf first.
#[uniffi::remote(Record)]
#[uniffi(name = "SwissSignCertificateChain")]
pub struct CertificateChain {
    /// Leaf first, then each issuer up to the root when present.
    pub certificates: Vec<Certificate>,
}

/// The result of a finished SwissSign issuance.
#[uniffi::remote(Record)]
#[uniffi(name = "SwissSignIssued")]
pub struct IssuedCertificate {
    /// The order reference (`ord-...`).
    pub order: OrderRef,
    /// The issued certificate.
    pub certificate: Certificate,
    /// Leaf first, the leaf included.
    pub chain: CertificateChain,
    /// The chain as concatenated PEM, leaf first.
    pub pem_chain: String,
}

/// A session JWT the server minted (`/v2/jwt/{userName}`).
#[derive(uniffi::Record)]
pub struct SwissSignJwt {
    /// The bearer token (a secret: do not log it).
    pub token: String,
    /// Its `exp`, or 8 hours after issue when the token does not say (unix
    /// milliseconds).
    pub expires_at: Timestamp,
}

impl From<auth::IssuedJwt> for SwissSignJwt {
    fn from(j: auth::IssuedJwt) -> Self {
        SwissSignJwt {
            token: j.token.expose().to_string(),
            expires_at: j.expires_at,
        }
    }
}

/// One page of `/v2/clients/paged`.
#[derive(uniffi::Record)]
pub struct SwissSignClientPage {
    /// Echo of the request's `draw` counter.
    pub draw: u64,
    /// Matches of the search.
    pub records_filtered: u64,
    /// Total without the search.
    pub records_total: u64,
    /// This page's clients.
    pub data: Vec<Client>,
}

/// One page of `/v2/orders/paged`.
#[derive(uniffi::Record)]
pub struct SwissSignOrderPage {
    /// Echo of the request's `draw` counter.
    pub draw: u64,
    /// Matches of the search.
    pub records_filtered: u64,
    /// Total without the search.
    pub records_total: u64,
    /// This page's orders.
    pub data: Vec<CertificateOrder>,
}

macro_rules! page_from {
    ($page:ident, $item:ty) => {
        impl From<Page<$item>> for $page {
            fn from(p: Page<$item>) -> Self {
                $page {
                    draw: p.draw,
                    records_filtered: p.records_filtered,
                    records_total: p.records_total,
                    data: p.data,
                }
            }
        }
    };
}
page_from!(SwissSignClientPage, Client);
page_from!(SwissSignOrderPage, CertificateOrder);

/// A SwissSign `APIError` reply (swisssign-ra-api-v2, "Errors"), its
/// `MMM.SSS.EEEE` code decoded into names where the seed lists them.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SwissSignApiError {
    /// HTTP status of the reply.
    pub status: u16,
    /// `errorCode`, e.g. `011.351.0226`.
    pub code: String,
    /// The messages joined, or the error's name when there are none.
    pub message: String,
    /// The reply's `uuid`, to quote to SwissSign support.
    pub correlation_id: Option<String>,
    /// When the server asked to retry (unix milliseconds), if it did.
    pub retry_after: Option<Timestamp>,
    /// Module name, e.g. `MODULE_RAO_API`.
    pub module: Option<String>,
    /// Section name, e.g. `SECTION_RAO_API_FORM_VALIDATION`.
    pub section: Option<String>,
    /// Error name, e.g. `VALIDATION`.
    pub error: Option<String>,
    /// Every entry of `errorMessages`.
    pub messages: Vec<String>,
}

impl TryFrom<certbridge::Error> for SwissSignApiError {
    type Error = CertbridgeError;

    /// A SwissSign provider error becomes the record; any other error
    /// (`auth`, `http_status`, ...) stays an error.
    fn try_from(e: certbridge::Error) -> Result<Self> {
        let certbridge::Error::Provider(p) = e else {
            return Err(e.into());
        };
        let (module, section, error, messages) = match &p.details {
            certbridge::ProviderDetails::SwissSign {
                module,
                section,
                error,
                messages,
            } => (
                module.clone(),
                section.clone(),
                error.clone(),
                messages.clone(),
            ),
            _ => return Err(certbridge::Error::Provider(p).into()),
        };
        Ok(SwissSignApiError {
            status: p.status,
            code: p.code,
            message: p.message,
            correlation_id: p.correlation_id,
            retry_after: p.retry_after,
            module,
            section,
            error,
            messages,
        })
    }
}

// ---- configuration, references, helpers ------------------------------------

/// A checked configuration for the RA API at `base_url` (an absolute
/// http(s) URL; a trailing slash is dropped), following `compat` (default:
/// the current public reference). `http` is refused except to a loopback
/// host or with `allow_insecure_http` (issue 14 item 9).
#[uniffi::export(default(compat = None, allow_insecure_http = false))]
pub fn swisssign_config(
    base_url: String,
    compat: Option<SwissSignCompat>,
    allow_insecure_http: bool,
) -> Result<SwissSignConfig> {
    Ok(
        SwissSignConfig::new_allowing_insecure_http(&base_url, allow_insecure_http)?
            .with_compat(compat.unwrap_or_default()),
    )
}

/// The production RA API (`https://api.ra.swisssign.ch`).
#[uniffi::export]
pub fn swisssign_production_config() -> SwissSignConfig {
    SwissSignConfig::production()
}

/// The pre-production RA API (`https://api.ra.pre.swisssign.ch`).
#[uniffi::export]
pub fn swisssign_pre_production_config() -> SwissSignConfig {
    SwissSignConfig::pre_production()
}

/// The settings matching the seed document's examples (older servers:
/// `/v2/client/domains/...` and camelCase revocation reasons).
#[uniffi::export]
pub fn swisssign_legacy_compat() -> SwissSignCompat {
    SwissSignCompat::LEGACY
}

/// Checks a client reference (`cli-` + UUID) and returns it normalised
/// (lower case); `invalid_input` on `client_reference` otherwise.
#[uniffi::export]
pub fn swisssign_client_ref(value: String) -> Result<ClientRef> {
    Ok(ClientRef::new(&value)?)
}

/// Checks a product reference (`pma-` + UUID).
#[uniffi::export]
pub fn swisssign_product_ref(value: String) -> Result<ProductRef> {
    Ok(ProductRef::new(&value)?)
}

/// Checks an order reference (`ord-` + UUID).
#[uniffi::export]
pub fn swisssign_order_ref(value: String) -> Result<OrderRef> {
    Ok(OrderRef::new(&value)?)
}

/// Checks a pre-validated domain reference (`cld-` + UUID).
#[uniffi::export]
pub fn swisssign_domain_ref(value: String) -> Result<DomainRef> {
    Ok(DomainRef::new(&value)?)
}

/// A `/v2/issue` request for `csr_pem` under `product`, every option unset.
#[uniffi::export]
pub fn swisssign_issue_request(product: String, csr_pem: String) -> Result<IssueRequest> {
    Ok(IssueRequest::with_csr(ProductRef::new(&product)?, csr_pem))
}

/// Whether an order in `status` is finished (`ISSUED`, `FAILED`,
/// `REJECTED`, `REVOKED`).
#[uniffi::export]
pub fn swisssign_status_is_terminal(status: OrderStatus) -> bool {
    status.is_terminal()
}

/// Whether an order in `status` waits for an RA operator (`PENDING_AUTH`).
#[uniffi::export]
pub fn swisssign_status_waits_on_person(status: OrderStatus) -> bool {
    status.waits_on_person()
}

/// The revocation of an order's certificate, by the serial and issuer the
/// server reports for it in the order.
#[uniffi::export]
pub fn swisssign_revocation_for_order(
    certificate: OrderCertificate,
    reason: RevocationReason,
) -> Result<RevocationRequest> {
    Ok(RevocationRequest::for_order_certificate(
        &certificate,
        reason,
    )?)
}

// ---- JWT ---------------------------------------------------------------------

/// Signs a session JWT for `account` locally with its API key (HS256,
/// `iss` SwissPKI, `aud` REST API, 8 hours from `now`).
#[uniffi::export]
pub fn swisssign_jwt_local(account: String, api_key: String, now: Timestamp) -> Result<String> {
    Ok(auth::local_jwt(&account, &Secret::new(api_key), now)?
        .expose()
        .to_string())
}

/// The claims of a SwissSign session JWT for `account` issued at `now`.
#[uniffi::export]
pub fn swisssign_jwt_claims(account: String, now: Timestamp) -> auth::JwtClaims {
    auth::JwtClaims::for_account(&account, now)
}

/// `POST /v2/jwt/{userName}` with `userSecret=<API key>`: the server mints
/// the JWT.
#[uniffi::export]
pub fn swisssign_jwt_request(
    config: SwissSignConfig,
    user_name: String,
    user_secret: String,
) -> Result<HttpRequest> {
    Ok(JwtRequest {
        user_name: &user_name,
        user_secret: &Secret::new(user_secret),
    }
    .request(&config)?)
}

/// Parses the JWT answer (text or JSON string); `now` dates a token
/// without `exp`.
#[uniffi::export]
pub fn swisssign_parse_jwt(response: HttpResponse, now: Timestamp) -> Result<SwissSignJwt> {
    Ok(JwtRequest::parse(&response, now)?.into())
}

/// Decodes an error reply: the `APIError` record when the body is one;
/// otherwise the error it is (`auth` for a bare 401/403, `http_status`).
#[uniffi::export]
pub fn swisssign_parse_error(response: HttpResponse) -> Result<SwissSignApiError> {
    core::error::error_of(&response, "SwissSign").try_into()
}

// ---- session -------------------------------------------------------------------

/// A server, credentials and the current JWT, renewed before it expires:
/// locally for an API key, or through `/v2/jwt/{userName}`, in which case
/// `prepare` hands back the request to send. Prints without secrets.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct SwissSignSession(Mutex<core::Session>);

#[uniffi::export]
impl SwissSignSession {
    /// Signs JWTs locally for `account` with `api_key`.
    #[uniffi::constructor]
    pub fn with_api_key(
        config: SwissSignConfig,
        account: String,
        api_key: String,
    ) -> Result<Arc<Self>> {
        Ok(wrap(core::Session::with_api_key(
            config,
            &account,
            Secret::new(api_key),
        )?))
    }

    /// Fetches JWTs from `/v2/jwt/{user_name}` with `user_secret`.
    #[uniffi::constructor]
    pub fn with_user_secret(
        config: SwissSignConfig,
        user_name: String,
        user_secret: String,
    ) -> Result<Arc<Self>> {
        Ok(wrap(core::Session::with_user_secret(
            config,
            &user_name,
            Secret::new(user_secret),
        )?))
    }

    /// Uses a JWT obtained elsewhere; it cannot be renewed.
    #[uniffi::constructor]
    pub fn with_token(config: SwissSignConfig, token: String) -> Result<Arc<Self>> {
        Ok(wrap(core::Session::with_token(config, Secret::new(token))?))
    }

    /// The server settings.
    pub fn config(&self) -> Result<SwissSignConfig> {
        Ok(self.lock()?.config().clone())
    }

    /// The current JWT, if any (a secret: do not log it).
    pub fn token(&self) -> Result<Option<String>> {
        Ok(self.lock()?.token().map(|t| t.expose().to_string()))
    }

    /// When the current JWT expires (unix milliseconds), if known.
    pub fn expires_at(&self) -> Result<Option<Timestamp>> {
        Ok(self.lock()?.expires_at())
    }

    /// Whether the session can get a new JWT by itself.
    pub fn can_renew(&self) -> Result<bool> {
        Ok(self.lock()?.can_renew())
    }

    /// Whether a new JWT is due at `now`.
    pub fn needs_renewal(&self, now: Timestamp) -> Result<bool> {
        Ok(self.lock()?.needs_renewal(now))
    }

    /// Makes the JWT fresh for `now`: a request to send (then pass its
    /// answer to `receive_jwt`) when the server must mint it, else nothing.
    pub fn prepare(&self, now: Timestamp) -> Result<Option<HttpRequest>> {
        Ok(self.lock()?.prepare(now)?)
    }

    /// Takes the answer to the request `prepare` returned.
    pub fn receive_jwt(&self, response: HttpResponse, now: Timestamp) -> Result<()> {
        Ok(self.lock()?.receive_jwt(&response, now)?)
    }

    /// Forgets the JWT after the server refused it (401), so the next
    /// `prepare` renews it.
    pub fn invalidate(&self) -> Result<()> {
        self.lock()?.invalidate();
        Ok(())
    }
}

fn wrap(s: core::Session) -> Arc<SwissSignSession> {
    Arc::new(SwissSignSession(Mutex::new(s)))
}

fn poisoned() -> CertbridgeError {
    certbridge::Error::protocol("swisssign", "a previous call panicked").into()
}

impl SwissSignSession {
    fn lock(&self) -> Result<MutexGuard<'_, core::Session>> {
        self.0.lock().map_err(|_| poisoned())
    }

    fn snapshot(&self) -> Result<core::Session> {
        Ok(self.lock()?.clone())
    }
}

// ---- sans-IO: one builder and one parser per endpoint ---------------------------

/// `POST /v2/clients[?search=]`: the clients the operator may serve
/// (`?`/`*` wildcards).
#[uniffi::export(default(search = None))]
pub fn swisssign_search_clients_request(
    session: &SwissSignSession,
    search: Option<String>,
) -> Result<HttpRequest> {
    Ok(SearchClients {
        search: search.as_deref(),
    }
    .request(&*session.lock()?)?)
}

/// Parses `/v2/clients`.
#[uniffi::export]
pub fn swisssign_parse_search_clients(response: HttpResponse) -> Result<Vec<Client>> {
    Ok(SearchClients::parse(&response)?)
}

/// `POST /v2/clients/paged?search=&length=&start=`.
#[uniffi::export(default(search = None, start = None, length = None))]
pub fn swisssign_search_clients_paged_request(
    session: &SwissSignSession,
    search: Option<String>,
    start: Option<u32>,
    length: Option<u32>,
) -> Result<HttpRequest> {
    Ok(SearchClientsPaged {
        search: search.as_deref(),
        start,
        length,
    }
    .request(&*session.lock()?)?)
}

/// Parses `/v2/clients/paged`.
#[uniffi::export]
pub fn swisssign_parse_search_clients_paged(response: HttpResponse) -> Result<SwissSignClientPage> {
    Ok(SearchClientsPaged::parse(&response)?.into())
}

/// `POST /v2/client/{cli}`.
#[uniffi::export]
pub fn swisssign_get_client_request(
    session: &SwissSignSession,
    client: String,
) -> Result<HttpRequest> {
    Ok(GetClient {
        client: &ClientRef::new(&client)?,
    }
    .request(&*session.lock()?)?)
}

/// Parses `/v2/client/{cli}`.
#[uniffi::export]
pub fn swisssign_parse_get_client(response: HttpResponse) -> Result<Client> {
    Ok(GetClient::parse(&response)?)
}

/// `POST /v2/client/domain/{cli}/register` with the domain names (Unicode
/// allowed, no wildcards).
#[uniffi::export]
pub fn swisssign_register_domains_request(
    session: &SwissSignSession,
    client: String,
    domains: Vec<String>,
) -> Result<HttpRequest> {
    Ok(RegisterDomains {
        client: &ClientRef::new(&client)?,
        domains: &domains,
    }
    .request(&*session.lock()?)?)
}

/// Parses the registration; each domain carries the TXT record to publish.
#[uniffi::export]
pub fn swisssign_parse_register_domains(response: HttpResponse) -> Result<Vec<PrevalidatedDomain>> {
    Ok(RegisterDomains::parse(&response)?)
}

/// `POST /v2/client/domain/{cli}/list` (or `domains/`, per the session's
/// compat).
#[uniffi::export]
pub fn swisssign_list_domains_request(
    session: &SwissSignSession,
    client: String,
) -> Result<HttpRequest> {
    Ok(ListDomains {
        client: &ClientRef::new(&client)?,
    }
    .request(&*session.lock()?)?)
}

/// Parses the domain list.
#[uniffi::export]
pub fn swisssign_parse_list_domains(response: HttpResponse) -> Result<Vec<PrevalidatedDomain>> {
    Ok(ListDomains::parse(&response)?)
}

/// `POST /v2/client/domain/{cld}[/validate|/token/reset|/token/delete]`.
#[uniffi::export]
pub fn swisssign_domain_request(
    session: &SwissSignSession,
    domain: String,
    action: DomainAction,
) -> Result<HttpRequest> {
    Ok(DomainCall {
        domain: &DomainRef::new(&domain)?,
        action,
    }
    .request(&*session.lock()?)?)
}

/// Parses the answer of any domain call.
#[uniffi::export]
pub fn swisssign_parse_domain(response: HttpResponse) -> Result<PrevalidatedDomain> {
    Ok(DomainCall::parse(&response)?)
}

/// `POST /v2/client/domain/{cld}/delete`.
#[uniffi::export]
pub fn swisssign_delete_domain_request(
    session: &SwissSignSession,
    domain: String,
) -> Result<HttpRequest> {
    Ok(DeleteDomain {
        domain: &DomainRef::new(&domain)?,
    }
    .request(&*session.lock()?)?)
}

/// Checks the deletion answer.
#[uniffi::export]
pub fn swisssign_parse_delete_domain(response: HttpResponse) -> Result<()> {
    Ok(DeleteDomain::parse(&response)?)
}

/// `POST /v2/issue/csr/{pma}` with the CSR (PEM or DER, checked) as PEM
/// text.
#[uniffi::export]
pub fn swisssign_issue_csr_request(
    session: &SwissSignSession,
    product: String,
    csr: Vec<u8>,
) -> Result<HttpRequest> {
    Ok(IssueCsr {
        product: &ProductRef::new(&product)?,
        csr: &csr,
    }
    .request(&*session.lock()?)?)
}

/// Parses the new order.
#[uniffi::export]
pub fn swisssign_parse_issue_csr(response: HttpResponse) -> Result<CertificateOrder> {
    Ok(IssueCsr::parse(&response)?)
}

/// `POST /v2/issue` with a JSON issue request (overrides, recipients,
/// tags, ...).
#[uniffi::export]
pub fn swisssign_issue_json_request(
    session: &SwissSignSession,
    request: IssueRequest,
) -> Result<HttpRequest> {
    Ok(Issue { request: &request }.request(&*session.lock()?)?)
}

/// Parses the order `/v2/issue` created.
#[uniffi::export]
pub fn swisssign_parse_issue_json(response: HttpResponse) -> Result<CertificateOrder> {
    Ok(Issue::parse(&response)?)
}

/// `POST /v2/validate`: checks an issue request without ordering.
#[uniffi::export]
pub fn swisssign_validate_request(
    session: &SwissSignSession,
    request: IssueRequest,
) -> Result<HttpRequest> {
    Ok(ValidateIssue { request: &request }.request(&*session.lock()?)?)
}

/// Checks the validation answer (a provider error says what is wrong).
#[uniffi::export]
pub fn swisssign_parse_validate(response: HttpResponse) -> Result<()> {
    Ok(ValidateIssue::parse(&response)?)
}

/// `POST /v2/order/{ord}/status`.
#[uniffi::export]
pub fn swisssign_order_status_request(
    session: &SwissSignSession,
    order: String,
) -> Result<HttpRequest> {
    Ok(GetOrderStatus {
        order: &OrderRef::new(&order)?,
    }
    .request(&*session.lock()?)?)
}

/// Parses the status (bare text, JSON string or `{status}`).
#[uniffi::export]
pub fn swisssign_parse_order_status(response: HttpResponse) -> Result<OrderStatus> {
    Ok(GetOrderStatus::parse(&response)?)
}

/// `POST /v2/order/{ord}`.
#[uniffi::export]
pub fn swisssign_get_order_request(
    session: &SwissSignSession,
    order: String,
) -> Result<HttpRequest> {
    Ok(GetOrder {
        order: &OrderRef::new(&order)?,
    }
    .request(&*session.lock()?)?)
}

/// Parses the order.
#[uniffi::export]
pub fn swisssign_parse_get_order(response: HttpResponse) -> Result<CertificateOrder> {
    Ok(GetOrder::parse(&response)?)
}

/// `POST /v2/orders` with the search.
#[uniffi::export]
pub fn swisssign_search_orders_request(
    session: &SwissSignSession,
    search: OrderSearch,
) -> Result<HttpRequest> {
    Ok(SearchOrders { search: &search }.request(&*session.lock()?)?)
}

/// Parses the order list.
#[uniffi::export]
pub fn swisssign_parse_search_orders(response: HttpResponse) -> Result<Vec<CertificateOrder>> {
    Ok(SearchOrders::parse(&response)?)
}

/// `POST /v2/orders/paged?length=&start=` with the search.
#[uniffi::export(default(start = None, length = None))]
pub fn swisssign_search_orders_paged_request(
    session: &SwissSignSession,
    search: OrderSearch,
    start: Option<u32>,
    length: Option<u32>,
) -> Result<HttpRequest> {
    Ok(SearchOrdersPaged {
        search: &search,
        start,
        length,
    }
    .request(&*session.lock()?)?)
}

/// Parses one page of orders.
#[uniffi::export]
pub fn swisssign_parse_search_orders_paged(response: HttpResponse) -> Result<SwissSignOrderPage> {
    Ok(SearchOrdersPaged::parse(&response)?.into())
}

/// `POST /v2/order/{ord}/certificate/chain`.
#[uniffi::export]
pub fn swisssign_chain_request(session: &SwissSignSession, order: String) -> Result<HttpRequest> {
    Ok(GetChain {
        order: &OrderRef::new(&order)?,
    }
    .request(&*session.lock()?)?)
}

/// Parses the chain (JSON array of base64, PKCS#7 DER/PEM/base64, or PEM),
/// leaf first.
#[uniffi::export]
pub fn swisssign_parse_chain(response: HttpResponse) -> Result<CertificateChain> {
    Ok(GetChain::parse(&response)?)
}

/// `POST /v2/revoke` for one or more certificates (reasons spelled per the
/// session's compat).
#[uniffi::export]
pub fn swisssign_revoke_request(
    session: &SwissSignSession,
    certificates: Vec<RevocationRequest>,
) -> Result<HttpRequest> {
    Ok(Revoke {
        certificates: &certificates,
    }
    .request(&*session.lock()?)?)
}

/// Checks the revocation answer.
#[uniffi::export]
pub fn swisssign_parse_revoke(response: HttpResponse) -> Result<()> {
    Ok(Revoke::parse(&response)?)
}

// ---- the issuance flow, driven by the host -----------------------------------------

/// What the host must do next for a [`SwissSignIssueFlow`].
#[derive(uniffi::Enum)]
pub enum SwissSignStep {
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
        issued: IssuedCertificate,
    },
}

/// Issuance from a CSR as a state machine the host drives with its own HTTP
/// stack and clock: renew the JWT when due, submit, poll the order (backoff,
/// `Retry-After`) to a terminal status or the deadline, download the chain.
/// Call `next(now)`, send what it asks, hand the answer to `receive`, until
/// `Done`.
#[derive(uniffi::Object)]
pub struct SwissSignIssueFlow(Mutex<core::IssueFlow>);

#[uniffi::export]
impl SwissSignIssueFlow {
    /// Submits `csr` (PEM or DER, checked now) under `product` with a copy
    /// of `session` (read the renewed one back with `session()`); gives up at
    /// `deadline` (unix milliseconds; none: never). `backoff` replaces the
    /// polling schedule (default 1 s growing 1.5x to 30 s).
    #[uniffi::constructor(default(deadline = None, backoff = None))]
    pub fn new(
        session: &SwissSignSession,
        product: String,
        csr: Vec<u8>,
        deadline: Option<Timestamp>,
        backoff: Option<Backoff>,
    ) -> Result<Arc<Self>> {
        let flow = core::IssueFlow::new(
            session.snapshot()?,
            ProductRef::new(&product)?,
            &csr,
            Deadline(deadline),
        )?;
        Ok(Self::wrap(flow, backoff))
    }

    /// Picks up an order submitted earlier (e.g. one waiting in
    /// `PENDING_AUTH`) and polls it to the end.
    #[uniffi::constructor(default(deadline = None, backoff = None))]
    pub fn resume(
        session: &SwissSignSession,
        order: String,
        deadline: Option<Timestamp>,
        backoff: Option<Backoff>,
    ) -> Result<Arc<Self>> {
        let flow = core::IssueFlow::resume(
            session.snapshot()?,
            OrderRef::new(&order)?,
            Deadline(deadline),
        );
        Ok(Self::wrap(flow, backoff))
    }

    /// The next step at `now` (unix milliseconds).
    pub fn next(&self, now: Timestamp) -> Result<SwissSignStep> {
        Ok(match self.lock()?.next(now)? {
            Step::Send(request) => SwissSignStep::Send { request },
            Step::Wait(until) => SwissSignStep::Wait { until },
            Step::Done(issued) => SwissSignStep::Done { issued },
            // SwissSign pre-validates domains outside the order.
            Step::Solve(_) => {
                return Err(certbridge::Error::protocol(
                    "SwissSign issue flow",
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

    /// The order reference, once submitted.
    pub fn order(&self) -> Option<OrderRef> {
        self.lock().ok()?.order().cloned()
    }

    /// The last status seen.
    pub fn status(&self) -> Option<OrderStatus> {
        self.lock().ok()?.status().cloned()
    }

    /// Whether the order waits for an RA operator (`PENDING_AUTH`): tell a
    /// user, or stop and `resume` later.
    pub fn waiting_on_person(&self) -> bool {
        self.lock().is_ok_and(|f| f.waiting_on_person())
    }

    /// The session with any JWT renewed along the way, for the next call.
    pub fn session(&self) -> Result<Arc<SwissSignSession>> {
        Ok(wrap(self.lock()?.session().clone()))
    }
}

impl SwissSignIssueFlow {
    fn wrap(flow: core::IssueFlow, backoff: Option<Backoff>) -> Arc<Self> {
        let flow = match backoff {
            Some(b) => flow.with_backoff(b),
            None => flow,
        };
        Arc::new(SwissSignIssueFlow(Mutex::new(flow)))
    }

    fn lock(&self) -> Result<MutexGuard<'_, core::IssueFlow>> {
        self.0.lock().map_err(|_| poisoned())
    }
}

// ---- the async client -------------------------------------------------------------

/// A SwissSign RA API v2 client: one async method per endpoint and per
/// whole task (issue, resume, revoke an order), keeping its JWT fresh and
/// renewing it once after a 401. Uses the host's [`HttpTransport`] when
/// given, else the built-in HTTPS client.
#[derive(uniffi::Object)]
pub struct SwissSignClient {
    inner: certbridge::client::SwissSignClient,
    cancel: CancelToken,
}

#[uniffi::export(async_runtime = "tokio")]
impl SwissSignClient {
    /// A client for `session` (its credentials and server; the client
    /// renews its own copy of the JWT from then on). `transport`:
    /// the host's HTTP stack (default: built-in, configured by
    /// `transport_config`); `backoff`: the order polling schedule.
    #[uniffi::constructor(default(transport = None, transport_config = None, backoff = None))]
    pub fn new(
        session: &SwissSignSession,
        transport: Option<Arc<dyn HttpTransport>>,
        transport_config: Option<TransportConfig>,
        backoff: Option<Backoff>,
    ) -> Result<Arc<Self>> {
        let cancel = CancelToken::new();
        let driver = Driver::new(
            transport_or_default(transport, transport_config)?,
            Arc::new(SystemClock),
        )
        .with_cancel(cancel.clone());
        let inner = certbridge::client::SwissSignClient::new(session.snapshot()?, driver);
        let inner = match backoff {
            Some(b) => inner.with_backoff(b),
            None => inner,
        };
        Ok(Arc::new(SwissSignClient { inner, cancel }))
    }

    /// Stops every running and future call of this client with a
    /// `cancelled` error.
    pub fn cancel(&self) {
        self.cancel.cancel()
    }

    /// `/v2/clients?search=`: clients and their products.
    #[uniffi::method(default(search = None))]
    pub async fn clients(&self, search: Option<String>) -> Result<Vec<Client>> {
        Ok(self.inner.clients(search.as_deref()).await?)
    }

    /// `/v2/client/{cli}`.
    pub async fn client(&self, client: String) -> Result<Client> {
        Ok(self.inner.client(&ClientRef::new(&client)?).await?)
    }

    /// Registers domains (Unicode allowed) for pre-validation; each answer
    /// carries the TXT record to publish.
    pub async fn register_domains(
        &self,
        client: String,
        domains: Vec<String>,
    ) -> Result<Vec<PrevalidatedDomain>> {
        Ok(self
            .inner
            .register_domains(&ClientRef::new(&client)?, &domains)
            .await?)
    }

    /// The client's pre-validated domains.
    pub async fn domains(&self, client: String) -> Result<Vec<PrevalidatedDomain>> {
        Ok(self.inner.domains(&ClientRef::new(&client)?).await?)
    }

    /// Reads, validates, or resets/deletes the token of one domain.
    pub async fn domain(&self, domain: String, action: DomainAction) -> Result<PrevalidatedDomain> {
        Ok(self.inner.domain(&DomainRef::new(&domain)?, action).await?)
    }

    /// Deletes a pre-validated domain.
    pub async fn delete_domain(&self, domain: String) -> Result<()> {
        Ok(self.inner.delete_domain(&DomainRef::new(&domain)?).await?)
    }

    /// `/v2/issue/csr/{pma}`: submits a CSR (PEM or DER) and returns the new
    /// order.
    pub async fn submit_csr(&self, product: String, csr: Vec<u8>) -> Result<CertificateOrder> {
        Ok(self
            .inner
            .submit_csr(&ProductRef::new(&product)?, &csr)
            .await?)
    }

    /// `/v2/issue`: submits a JSON issue request.
    pub async fn submit(&self, request: IssueRequest) -> Result<CertificateOrder> {
        Ok(self.inner.submit(&request).await?)
    }

    /// `/v2/validate`: checks an issue request without ordering.
    pub async fn validate(&self, request: IssueRequest) -> Result<()> {
        Ok(self.inner.validate(&request).await?)
    }

    /// `/v2/order/{ord}/status`.
    pub async fn order_status(&self, order: String) -> Result<OrderStatus> {
        Ok(self.inner.order_status(&OrderRef::new(&order)?).await?)
    }

    /// `/v2/order/{ord}`.
    pub async fn order(&self, order: String) -> Result<CertificateOrder> {
        Ok(self.inner.order(&OrderRef::new(&order)?).await?)
    }

    /// `/v2/orders`: searches orders.
    pub async fn orders(&self, search: OrderSearch) -> Result<Vec<CertificateOrder>> {
        Ok(self.inner.orders(&search).await?)
    }

    /// `/v2/order/{ord}/certificate/chain`, leaf first.
    pub async fn chain(&self, order: String) -> Result<CertificateChain> {
        Ok(self.inner.chain(&OrderRef::new(&order)?).await?)
    }

    /// `/v2/revoke`.
    pub async fn revoke(&self, certificates: Vec<RevocationRequest>) -> Result<()> {
        Ok(self.inner.revoke(&certificates).await?)
    }

    /// Issues a certificate: submit the CSR (PEM or DER), poll the order to
    /// a terminal status, download the chain. Gives up at `deadline` (unix
    /// milliseconds; none: never).
    #[uniffi::method(default(deadline = None))]
    pub async fn issue(
        &self,
        product: String,
        csr: Vec<u8>,
        deadline: Option<Timestamp>,
    ) -> Result<IssuedCertificate> {
        Ok(self
            .inner
            .issue(&ProductRef::new(&product)?, &csr, Deadline(deadline))
            .await?)
    }

    /// Follows an order submitted earlier (e.g. one waiting in
    /// `PENDING_AUTH`) to its end.
    #[uniffi::method(default(deadline = None))]
    pub async fn resume(
        &self,
        order: String,
        deadline: Option<Timestamp>,
    ) -> Result<IssuedCertificate> {
        Ok(self
            .inner
            .resume(&OrderRef::new(&order)?, Deadline(deadline))
            .await?)
    }

    /// Revokes the certificate of `order`, by the serial and issuer the
    /// server reports for it.
    pub async fn revoke_order(&self, order: String, reason: RevocationReason) -> Result<()> {
        Ok(self
            .inner
            .revoke_order(&OrderRef::new(&order)?, reason)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_become_records_and_other_errors_stay_errors() {
        let body = r#"{"uuid":"u-1","errorCode":"011.351.0226","errorMessages":["bad CSR",null]}"#;
        let e = swisssign_parse_error(HttpResponse::new(400, body)).unwrap();
        assert_eq!((e.status, e.code.as_str()), (400, "011.351.0226"));
        assert_eq!(e.correlation_id.as_deref(), Some("u-1"));
        assert_eq!(e.module.as_deref(), Some("MODULE_RAO_API"));
        assert_eq!(e.error.as_deref(), Some("VALIDATION"));
        assert_eq!(e.messages, ["bad CSR"]);
        let not_api = swisssign_parse_error(HttpResponse::new(502, "<html>")).unwrap_err();
        assert!(matches!(not_api, CertbridgeError::HttpStatus { .. }));
    }

    #[test]
    fn references_are_checked_before_anything_is_built() {
        let session =
            SwissSignSession::with_token(SwissSignConfig::production(), "t".into()).unwrap();
        let err = swisssign_chain_request(&session, "order-uuid".into()).unwrap_err();
        assert!(
            matches!(err, CertbridgeError::InvalidInput { field: Some(ref f), .. } if f == "order_reference")
        );
        let req =
            swisssign_chain_request(&session, "ord-157E726E-cf28-44cc-bfbe-485c0a5abe7b".into())
                .unwrap();
        assert_eq!(
            req.url,
            "https://api.ra.swisssign.ch/v2/order/ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b/certificate/chain"
        );
    }
}
