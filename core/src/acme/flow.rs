//! ACME as caller-driven state machines (DESIGN.md "Sans-IO core").
//!
//! A [`Session`] holds what every request needs: the directory, the account
//! key, the account URL once known, and the nonce pool. Flows own the session
//! while they run and hand it back with `into_session()`, so the nonces and
//! the account carry over from one operation to the next.
//!
//! Every signed request goes through one exchange: take a nonce from the pool
//! (or `HEAD newNonce` first when it is empty, RFC 8555 section 7.2), send,
//! keep the response's `Replay-Nonce`, and on `badNonce` sign again with the
//! nonce the failed response carried (section 6.5), up to a limit.

use crate::acme::account::{Account, AccountStatus, KeyChange, NewAccount, UpdateAccount};
use crate::acme::authorization::{
    Authorization, AuthorizationStatus, DeactivateAuthorization, GetAuthorization, Identifier,
    NewAuthz,
};
use crate::acme::certificate::{CertificateChain, DownloadCertificate};
use crate::acme::challenge::{Challenge, ChallengeStatus, ChallengeType, RespondChallenge};
use crate::acme::directory::Directory;
use crate::acme::eab::EabKey;
use crate::acme::guard::{self, UrlPolicy, MAX_ALTERNATES};
use crate::acme::jws::{AccountKey, KeyRef};
use crate::acme::nonce::{NewNonce, NoncePool};
use crate::acme::order::{csr_der, Finalize, GetOrder, NewOrder, Order, OrderStatus};
use crate::acme::problem::{self, Problem};
use crate::acme::revoke::RevokeCert;
use crate::error::{AmbiguousSubmission, Error, Provider};
use crate::flow::{garbled_json, Flow, InFlight, Step, Transient};
use crate::http::{HttpRequest, HttpResponse};
use crate::time::{Backoff, Deadline, Timestamp};

/// How many times one request is signed again after `badNonce`.
pub const DEFAULT_BAD_NONCE_RETRIES: u8 = 10;

/// The state shared by every operation against one ACME server and account.
#[derive(Debug)]
pub struct Session {
    directory: Directory,
    key: AccountKey,
    account_url: Option<String>,
    nonces: NoncePool,
    /// Which URLs requests may go to (https; http only for a loopback
    /// directory), derived once from the directory.
    url_policy: UrlPolicy,
    /// How many `badNonce` answers one request may get before the error is
    /// returned.
    pub bad_nonce_retries: u8,
}

impl Session {
    /// A session for `directory` (see [`crate::acme::directory::GetDirectory`])
    /// with the account key; the account URL is learned by the first
    /// account operation or set with [`Session::with_account_url`].
    pub fn new(directory: Directory, key: AccountKey) -> Self {
        Session {
            url_policy: UrlPolicy::for_directory(&directory),
            directory,
            key,
            account_url: None,
            nonces: NoncePool::new(),
            bad_nonce_retries: DEFAULT_BAD_NONCE_RETRIES,
        }
    }

    /// Resumes a known account.
    pub fn with_account_url(mut self, url: impl Into<String>) -> Self {
        self.account_url = Some(url.into());
        self
    }

    /// The directory.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The account key (after a key change, the new one).
    pub fn key(&self) -> &AccountKey {
        &self.key
    }

    /// The account URL, once known.
    pub fn account_url(&self) -> Option<&str> {
        self.account_url.as_deref()
    }

    /// The nonce pool (e.g. to feed it nonces from responses sent outside a flow).
    pub fn nonces(&mut self) -> &mut NoncePool {
        &mut self.nonces
    }

    /// Creates the account, or finds the one this key already has (a server
    /// answers newAccount for a known key with 200 and its URL, section 7.3.1).
    pub fn new_account(self, options: AccountOptions) -> AccountFlow {
        let call = Call::new_account(&self, &options);
        CallFlow::start(self, call, |s, resp, now| {
            let account = NewAccount::parse(resp, now)?;
            check_account_valid(&account)?;
            s.account_url = Some(account.url.clone());
            Ok(account)
        })
    }

    /// Looks the key's account up without creating one (`onlyReturnExisting`,
    /// section 7.3.1); a key without account gets `accountDoesNotExist`.
    pub fn find_account(self) -> AccountFlow {
        let options = AccountOptions {
            only_return_existing: true,
            ..AccountOptions::default()
        };
        self.new_account(options)
    }

    /// Deactivates the account (section 7.3.6); the session cannot sign for
    /// it afterwards.
    pub fn deactivate_account(self) -> AccountFlow {
        let call =
            self.account_call(|url| Call::kid(url, Some(UpdateAccount::deactivate_payload())));
        CallFlow::start(self, call, |s, resp, now| {
            let url = s.account_url.clone().unwrap_or_default();
            UpdateAccount::parse(resp, now, &url)
        })
    }

    /// Rolls the account over to `new_key` (section 7.3.5); on success the
    /// session signs with the new key.
    pub fn change_key(self, new_key: AccountKey) -> CallFlow<()> {
        let call = match (&self.account_url, &new_key) {
            (Some(account_url), new_key) => {
                KeyChange::payload(&self.key, new_key, account_url, &self.directory.key_change)
                    .map(|p| Call::kid(&self.directory.key_change, Some(p)))
            }
            (None, _) => Err(no_account()),
        };
        let mut replacement = Some(new_key);
        CallFlow::start(self, call, move |s, resp, now| {
            KeyChange::parse(resp, now)?;
            if let Some(k) = replacement.take() {
                s.key = k;
            }
            Ok(())
        })
    }

    /// Revokes `certificate` (PEM or DER) as its account (section 7.6).
    pub fn revoke(self, certificate: &[u8], reason: Option<u8>) -> CallFlow<()> {
        let call = RevokeCert::payload(certificate, reason)
            .and_then(|p| self.account_call(|_| Call::kid(&self.directory.revoke_cert, Some(p))));
        CallFlow::start(self, call, |_, resp, now| RevokeCert::parse(resp, now))
    }

    /// Revokes `certificate` signed by its own private key (`jwk` header).
    pub fn revoke_with_certificate_key(
        self,
        certificate: &[u8],
        certificate_key: AccountKey,
        reason: Option<u8>,
    ) -> CallFlow<()> {
        let call = RevokeCert::payload(certificate, reason).map(|p| Call {
            url: self.directory.revoke_cert.clone(),
            payload: Some(p),
            signer: Signer::Other(Box::new(certificate_key)),
            accept: None,
        });
        CallFlow::start(self, call, |_, resp, now| RevokeCert::parse(resp, now))
    }

    /// Pre-authorizes `identifier` (section 7.4.1) where the directory offers
    /// `newAuthz`.
    pub fn new_authz(self, identifier: Identifier) -> CallFlow<Authorization> {
        let call = match self.directory.new_authz.clone() {
            Some(url) => {
                self.account_call(|_| Call::kid(&url, Some(NewAuthz::payload(&identifier))))
            }
            None => Err(Error::invalid_input(
                "new_authz",
                "this ACME server offers no pre-authorization (no newAuthz in its directory)",
            )),
        };
        CallFlow::start(self, call, |_, resp, now| NewAuthz::parse(resp, now))
    }

    /// Deactivates an authorization (section 7.5.2).
    pub fn deactivate_authorization(self, url: &str) -> CallFlow<Authorization> {
        let call = self.account_call(|_| Call::kid(url, Some(DeactivateAuthorization::payload())));
        let url = url.to_string();
        CallFlow::start(self, call, move |_, resp, now| {
            DeactivateAuthorization::parse(resp, now, &url)
        })
    }

    /// Fetches an authorization (POST-as-GET).
    pub fn get_authorization(self, url: &str) -> CallFlow<Authorization> {
        let call = self.account_call(|_| Call::kid(url, None));
        let url = url.to_string();
        CallFlow::start(self, call, move |_, resp, now| {
            GetAuthorization::parse(resp, now, &url)
        })
    }

    /// Fetches an order (POST-as-GET).
    pub fn get_order(self, url: &str) -> CallFlow<Order> {
        let call = self.account_call(|_| Call::kid(url, None));
        let url = url.to_string();
        CallFlow::start(self, call, move |_, resp, now| {
            GetOrder::parse(resp, now, &url)
        })
    }

    /// Downloads a certificate chain (e.g. one of the alternates).
    pub fn download_certificate(self, url: &str) -> CallFlow<CertificateChain> {
        let call = self.account_call(|_| Call::certificate(url));
        CallFlow::start(self, call, |_, resp, now| {
            DownloadCertificate::parse(resp, now)
        })
    }

    /// The ARI lookup for `certificate` (RFC 9773 section 4.2): a plain GET,
    /// no JWS, so it is a request value rather than a flow. Parse the answer
    /// with [`crate::acme::ari::GetRenewalInfo::parse`].
    pub fn renewal_info_request(&self, certificate: &[u8]) -> Result<HttpRequest, Error> {
        let base = self.directory.renewal_info.as_deref().ok_or_else(|| {
            Error::invalid_input(
                "renewal_info",
                "this ACME server offers no renewal information (no renewalInfo in its directory)",
            )
        })?;
        let id = crate::acme::ari::cert_id(certificate)?;
        Ok(crate::acme::ari::GetRenewalInfo::request(base, &id))
    }

    fn account_call(&self, make: impl FnOnce(&str) -> Call) -> Result<Call, Error> {
        self.account_url.as_deref().map(make).ok_or_else(no_account)
    }

    /// Signs `call` with a fresh nonce, or asks for one.
    fn begin(&mut self, call: &Call) -> Result<(HttpRequest, Awaiting), Error> {
        let Some(nonce) = self.nonces.take() else {
            self.url_policy
                .check("acme", "newNonce", &self.directory.new_nonce)?;
            return Ok((
                NewNonce::request(&self.directory.new_nonce),
                Awaiting::Nonce,
            ));
        };
        let (key, key_ref) = match &call.signer {
            Signer::Account => (
                &self.key,
                KeyRef::Kid(self.account_url.as_deref().ok_or_else(no_account)?),
            ),
            Signer::AccountJwk => (&self.key, KeyRef::Jwk),
            Signer::Other(k) => (&**k, KeyRef::Jwk),
        };
        // Every URL a server handed out was checked as it was parsed; this
        // applies the session's own (possibly stricter) policy to whatever
        // is about to be signed and sent.
        self.url_policy.check("acme", "request", &call.url)?;
        let mut request = key.post(key_ref, &call.url, &nonce, call.payload.as_deref())?;
        if let Some(accept) = call.accept {
            request.headers.set("Accept", accept);
        }
        Ok((request, Awaiting::Response))
    }
}

fn no_account() -> Error {
    Error::invalid_input(
        "account_url",
        "no account yet: create or find the account first",
    )
}

fn check_account_valid(account: &Account) -> Result<(), Error> {
    if account.status == AccountStatus::Valid {
        Ok(())
    } else {
        Err(Error::Auth {
            reason: crate::error::AuthReason::Rejected,
            code: Some(format!("account {:?}", account.status).to_lowercase()),
        })
    }
}

/// What newAccount sends besides the key.
#[derive(Clone, Debug, Default)]
pub struct AccountOptions {
    /// Contact URLs (`mailto:`).
    pub contact: Vec<String>,
    /// Agree to the terms of service.
    pub terms_of_service_agreed: bool,
    /// External account binding (required by IdenTrust).
    pub eab: Option<EabKey>,
    /// Only look the account up.
    pub only_return_existing: bool,
}

#[derive(Debug)]
enum Signer {
    /// The session key with `kid`.
    Account,
    /// The session key with `jwk` (newAccount).
    AccountJwk,
    /// Another key with `jwk` (revocation by certificate key).
    Other(Box<AccountKey>),
}

/// One signed request, kept until it succeeds so it can be re-signed.
#[derive(Debug)]
struct Call {
    url: String,
    payload: Option<Vec<u8>>,
    signer: Signer,
    accept: Option<&'static str>,
}

impl Call {
    fn kid(url: &str, payload: Option<Vec<u8>>) -> Call {
        Call {
            url: url.to_string(),
            payload,
            signer: Signer::Account,
            accept: None,
        }
    }

    fn certificate(url: &str) -> Call {
        Call {
            accept: Some("application/pem-certificate-chain"),
            ..Call::kid(url, None)
        }
    }

    fn new_account(session: &Session, options: &AccountOptions) -> Result<Call, Error> {
        if session.directory.meta.external_account_required
            && options.eab.is_none()
            && !options.only_return_existing
        {
            return Err(Error::invalid_input(
                "eab",
                "this ACME server requires External Account Binding (kid and HMAC key)",
            ));
        }
        let na = NewAccount {
            contact: &options.contact,
            terms_of_service_agreed: options.terms_of_service_agreed,
            only_return_existing: options.only_return_existing,
            eab: options.eab.as_ref(),
        };
        Ok(Call {
            url: session.directory.new_account.clone(),
            payload: Some(na.payload(&session.key, &session.directory.new_account)),
            signer: Signer::AccountJwk,
            accept: None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Awaiting {
    Nonce,
    Response,
}

/// A call in progress: nonce fetching and `badNonce` retries.
#[derive(Debug)]
struct Exchange {
    call: Call,
    awaiting: InFlight<Awaiting>,
    retries_left: u8,
}

impl Exchange {
    fn new(call: Call, session: &Session) -> Self {
        Exchange {
            call,
            awaiting: InFlight::new(),
            retries_left: session.bad_nonce_retries,
        }
    }

    fn next(&mut self, session: &mut Session) -> Result<HttpRequest, Error> {
        if self.awaiting.is_pending() {
            return Err(Error::protocol(
                "flow",
                "next() called while a response is still expected",
            ));
        }
        let (request, awaiting) = session.begin(&self.call)?;
        self.awaiting.start(awaiting)?;
        Ok(request)
    }

    /// `Some(response)` once the call has its final answer; `None` when
    /// another request must be sent first (nonce fetched, `badNonce`).
    fn receive(
        &mut self,
        session: &mut Session,
        response: HttpResponse,
        now: Timestamp,
    ) -> Result<Option<HttpResponse>, Error> {
        let awaiting = self.awaiting.finish()?;
        session.nonces.absorb(&response);
        match awaiting {
            Awaiting::Nonce => {
                problem::check(&response, now, "newNonce")?;
                if session.nonces.is_empty() {
                    return Err(Error::protocol(
                        "newNonce",
                        "no Replay-Nonce in the response",
                    ));
                }
                Ok(None)
            }
            Awaiting::Response => {
                if let Err(e) = problem::check(&response, now, "acme") {
                    if problem::is_type(&e, "badNonce") && self.retries_left > 0 {
                        self.retries_left -= 1;
                        return Ok(None);
                    }
                }
                Ok(Some(response))
            }
        }
    }
}

type Parser<T> = Box<dyn FnMut(&mut Session, &HttpResponse, Timestamp) -> Result<T, Error> + Send>;

/// One signed ACME request as a flow: nonce, send, `badNonce` retries, parse.
pub struct CallFlow<T> {
    session: Session,
    exchange: Option<Exchange>,
    error: Option<Error>,
    parse: Parser<T>,
    output: Option<T>,
}

/// Creates or finds an account.
pub type AccountFlow = CallFlow<Account>;

impl<T> CallFlow<T> {
    fn start(
        session: Session,
        call: Result<Call, Error>,
        parse: impl FnMut(&mut Session, &HttpResponse, Timestamp) -> Result<T, Error> + Send + 'static,
    ) -> Self {
        let (exchange, error) = match call {
            Ok(call) => (Some(Exchange::new(call, &session)), None),
            Err(e) => (None, Some(e)),
        };
        CallFlow {
            session,
            exchange,
            error,
            parse: Box::new(parse),
            output: None,
        }
    }

    /// The session back, with its nonces and (new) account state.
    pub fn into_session(self) -> Session {
        self.session
    }

    /// The session while the flow runs.
    pub fn session(&self) -> &Session {
        &self.session
    }
}

impl<T> std::fmt::Debug for CallFlow<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallFlow")
            .field("session", &self.session)
            .field("exchange", &self.exchange)
            .finish_non_exhaustive()
    }
}

impl<T> Flow for CallFlow<T> {
    type Output = T;

    fn next(&mut self, _now: Timestamp) -> Result<Step<T>, Error> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if let Some(out) = self.output.take() {
            return Ok(Step::Done(out));
        }
        match self.exchange.as_mut() {
            Some(ex) => ex.next(&mut self.session).map(Step::Send),
            None => Err(Error::protocol("flow", "this flow is finished")),
        }
    }

    fn receive(&mut self, response: HttpResponse, now: Timestamp) -> Result<(), Error> {
        let ex = self
            .exchange
            .as_mut()
            .ok_or_else(|| Error::protocol("flow", "receive() called with no request in flight"))?;
        if let Some(final_response) = ex.receive(&mut self.session, response, now)? {
            self.exchange = None;
            self.output = Some((self.parse)(&mut self.session, &final_response, now)?);
        }
        Ok(())
    }
}

/// What to issue and how.
#[derive(Clone, Debug)]
pub struct IssueOptions {
    /// The identifiers (the CSR must name the same ones).
    pub identifiers: Vec<Identifier>,
    /// The CSR, DER or PEM, built by the caller with the certificate key.
    pub csr: Vec<u8>,
    /// Challenge types in order of preference; the first one an
    /// authorization offers is used.
    pub challenge_types: Vec<ChallengeType>,
    /// Account to create or find when the session has none yet.
    pub account: AccountOptions,
    /// Profile (draft-ietf-acme-profiles); with IdenTrust, the profile is the
    /// directory instead (see [`crate::identrust`]).
    pub profile: Option<String>,
    /// ARI certID of the certificate this one renews (RFC 9773 section 5).
    pub replaces: Option<String>,
    /// Requested `notBefore` / `notAfter` (RFC 3339).
    pub not_before: Option<String>,
    /// See `not_before`.
    pub not_after: Option<String>,
    /// Also download the alternate chains.
    pub fetch_alternates: bool,
    /// Give up with a timeout after this.
    pub deadline: Deadline,
    /// Give up with a timeout this many seconds after the flow's first
    /// step, whatever `deadline` says (default [`DEFAULT_MAX_WAIT_SECS`]);
    /// `None` polls until `deadline`, forever if that is
    /// [`Deadline::NONE`]. No issuance polls forever unless asked to
    /// (issue 14, item 12).
    pub max_wait_secs: Option<u64>,
    /// Polling delays when the server sends no `Retry-After`.
    pub backoff: Backoff,
}

/// How long an ACME issuance waits by default for validation and issuance:
/// ten minutes. CAs validate and issue within seconds to a minute; an order
/// still pending after this is stuck, and an authorization's challenge is
/// long retried by then (RFC 8555 section 8.2 leaves the retry schedule to
/// the server). A caller that wants longer sets
/// [`IssueOptions::max_wait_secs`] (issue 14, item 12).
pub const DEFAULT_MAX_WAIT_SECS: u64 = 600;

/// ACME's polling schedule when the server sends no `Retry-After`: 25 ms,
/// then doubling up to 10 s. A CA that validates or issues within a few
/// milliseconds (Pebble, many private CAs) is polled almost at once instead
/// of after a fixed 100 ms twice per issuance (challenge, finalize), while a
/// slow CA gets at most one poll more than with [`Backoff::default`] over any
/// horizon (7 against 6 by 3.2 s; fewer after 10 s). Measured with
/// `scripts/bench-peers.sh`: see BENCHMARKS.md.
pub const ACME_BACKOFF: Backoff = Backoff {
    initial_millis: 25,
    max_millis: 10_000,
    factor_percent: 200,
};

impl IssueOptions {
    /// Options for `identifiers` and `csr` with the defaults: http-01 then
    /// dns-01 then tls-alpn-01, no fixed deadline but at most
    /// [`DEFAULT_MAX_WAIT_SECS`] from the first step, [`ACME_BACKOFF`].
    pub fn new(identifiers: Vec<Identifier>, csr: Vec<u8>) -> Self {
        IssueOptions {
            identifiers,
            csr,
            challenge_types: vec![
                ChallengeType::Http01,
                ChallengeType::Dns01,
                ChallengeType::TlsAlpn01,
            ],
            account: AccountOptions::default(),
            profile: None,
            replaces: None,
            not_before: None,
            not_after: None,
            fetch_alternates: false,
            deadline: Deadline::NONE,
            max_wait_secs: Some(DEFAULT_MAX_WAIT_SECS),
            backoff: ACME_BACKOFF,
        }
    }
}

/// The result of an issuance.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issued {
    /// The account used.
    pub account_url: String,
    /// The final order.
    pub order: Order,
    /// The default chain.
    pub chain: CertificateChain,
    /// Alternate chains, when requested.
    pub alternates: Vec<CertificateChain>,
    /// The server refused `replaces` and the order was placed without it.
    pub replaces_dropped: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Account,
    NewOrder { with_replaces: bool },
    FetchAuthz(usize),
    AwaitSolved,
    Respond(usize),
    PollAuthz(usize),
    Finalize,
    PollOrder,
    Download,
    Alternates(usize),
    Finished,
}

/// The whole issuance: account (create or find, with EAB), newOrder (with
/// `replaces`, retried without it if refused, and `profile`), authorizations,
/// [`Step::Solve`] with the [`ChallengeTask`](crate::flow::ChallengeTask)s, responses, polling with
/// `Retry-After` or [`Backoff`], finalize, polling, download.
///
/// The request floor for a fresh account and one name is nine: newNonce,
/// newAccount, newOrder, authorization, challenge, one authorization poll,
/// finalize, one order poll, certificate; polls are skipped whenever the
/// previous answer already says `valid`.
pub struct IssueFlow {
    session: Session,
    options: IssueOptions,
    csr_der: Vec<u8>,
    /// The CSR's public key: the issued leaf must certify it.
    csr_key: Option<spki::SubjectPublicKeyInfoOwned>,
    stage: Stage,
    exchange: Option<Exchange>,
    error: Option<Error>,
    order: Option<Order>,
    authorizations: Vec<Authorization>,
    /// (authorization index, challenge) to respond to.
    chosen: Vec<(usize, Challenge)>,
    attempt: u32,
    wait_until: Option<Timestamp>,
    finalized: bool,
    replaces_dropped: bool,
    chain: Option<CertificateChain>,
    alternates: Vec<CertificateChain>,
    /// Failed sends and unreadable answers of the current safe call.
    transient: Transient,
    /// When to repeat it.
    retry_at: Option<Timestamp>,
    /// The last answer did not parse (set by [`IssueFlow::parsed`]).
    unreadable: bool,
    /// The effective deadline: `options.deadline`, or earlier by
    /// `options.max_wait_secs` from the first step.
    deadline: Option<Deadline>,
}

impl std::fmt::Debug for IssueFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssueFlow")
            .field("stage", &self.stage)
            .field("order", &self.order.as_ref().map(|o| &o.url))
            .finish_non_exhaustive()
    }
}

impl IssueFlow {
    /// Starts an issuance. Input problems (no identifiers, a CSR that is not
    /// DER or PEM, a profile the directory does not list, missing EAB) come
    /// out of the first [`Flow::next`] before anything is sent.
    pub fn new(session: Session, options: IssueOptions) -> Self {
        let mut error = None;
        if options.identifiers.is_empty() {
            error = Some(Error::invalid_input(
                "identifiers",
                "at least one identifier is needed",
            ));
        }
        if options.challenge_types.is_empty() {
            error = Some(Error::invalid_input(
                "challenge_types",
                "no challenge type allowed",
            ));
        }
        let csr_der = match csr_der(&options.csr) {
            Ok(d) => d,
            Err(e) => {
                error = Some(e);
                Vec::new()
            }
        };
        let csr_key = match crate::crypto::key_match::csr_public_key(&csr_der) {
            Ok(k) => Some(k),
            Err(e) => {
                error = error.or(Some(e));
                None
            }
        };
        if let Some(p) = &options.profile {
            let profiles = &session.directory.meta.profiles;
            if !profiles.is_empty() && !profiles.contains_key(p) {
                error = Some(Error::invalid_input(
                    "profile",
                    format!("the server offers no profile {p:?}"),
                ));
            }
        }
        let stage = if session.account_url.is_some() {
            Stage::NewOrder {
                with_replaces: options.replaces.is_some(),
            }
        } else {
            if let Err(e) = Call::new_account(&session, &options.account) {
                error = Some(e);
            }
            Stage::Account
        };
        IssueFlow {
            session,
            options,
            csr_der,
            csr_key,
            stage,
            exchange: None,
            error,
            order: None,
            authorizations: Vec::new(),
            chosen: Vec::new(),
            attempt: 0,
            wait_until: None,
            finalized: false,
            replaces_dropped: false,
            chain: None,
            alternates: Vec::new(),
            transient: Transient::default(),
            retry_at: None,
            unreadable: false,
            deadline: None,
        }
    }

    /// The deadline in force, fixed at the first step from
    /// [`IssueOptions::deadline`] and [`IssueOptions::max_wait_secs`].
    fn deadline(&mut self, now: Timestamp) -> Deadline {
        *self.deadline.get_or_insert_with(|| {
            let limit = self.options.max_wait_secs.map(|s| now.plus_secs(s));
            match (self.options.deadline.0, limit) {
                (Some(d), Some(l)) => Deadline::at(d.min(l)),
                (d, l) => Deadline(d.or(l)),
            }
        })
    }

    /// Whether the call of `stage` is safe to repeat: POST-as-GET reads,
    /// newAccount (a known key gets its account back, RFC 8555 section
    /// 7.3.1) and challenge responses (section 7.5.1). newOrder and
    /// finalize are not: a repeat could make a second order or meet an
    /// order already finalized (issue 14, item 14).
    fn safe_to_repeat(&self) -> bool {
        !matches!(self.stage, Stage::NewOrder { .. } | Stage::Finalize)
    }

    /// Marks a parse failure: the answer itself was unusable.
    fn parsed<T>(&mut self, r: Result<T, Error>) -> Result<T, Error> {
        if r.is_err() {
            self.unreadable = true;
        }
        r
    }

    /// Schedules a repeat of the current call, re-signed with a fresh
    /// nonce; the error once [`crate::flow::MAX_TRANSIENT_RETRIES`] is used.
    fn repeat(&mut self, err: Error, now: Timestamp) -> Result<(), Error> {
        match self.transient.retry_at(now, err.retry_after()) {
            Some(at) => {
                self.retry_at = Some(at);
                Ok(())
            }
            None => {
                self.exchange = None;
                self.stage = Stage::Finished;
                self.chain = None;
                Err(err)
            }
        }
    }

    /// newOrder or finalize went out and its answer was lost or unreadable.
    fn ambiguous(&mut self, cause: String, location: Option<String>) -> Error {
        let finalize = self.stage == Stage::Finalize;
        self.exchange = None;
        self.stage = Stage::Finished;
        self.chain = None;
        let (operation, may_exist, reference, pick_up) = if finalize {
            (
                "ACME finalize",
                "the order may have been finalized with this CSR",
                self.order.as_ref().map(|o| o.url.clone()),
                "poll the order (POST-as-GET) and download the certificate once it is valid \
                 instead of finalizing again",
            )
        } else {
            (
                "ACME newOrder",
                "an order for these identifiers may have been created",
                location,
                "the account's orders list (RFC 8555 section 7.1.2.1) names it; a new order \
                 for the same identifiers counts against the CA's rate limits",
            )
        };
        Error::ambiguous(AmbiguousSubmission {
            provider: Provider::Acme,
            operation: operation.into(),
            cause,
            may_exist: may_exist.into(),
            reference,
            pick_up: pick_up.into(),
        })
    }

    /// The session back (account URL, nonces) for the next operation.
    pub fn into_session(self) -> Session {
        self.session
    }

    /// The session while the flow runs: the account URL once the account
    /// step has answered, the key it signs with.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The order, once created.
    pub fn order(&self) -> Option<&Order> {
        self.order.as_ref()
    }

    fn send(&mut self, call: Result<Call, Error>) -> Result<Step<Issued>, Error> {
        let mut ex = Exchange::new(call?, &self.session);
        let request = ex.next(&mut self.session)?;
        self.exchange = Some(ex);
        Ok(Step::Send(request))
    }

    fn order_ref(&self) -> Result<&Order, Error> {
        self.order
            .as_ref()
            .ok_or_else(|| Error::protocol("flow", "no order yet"))
    }

    /// Waits for a scheduled poll; `Some` step if the caller must wait.
    fn poll_wait(&mut self, now: Timestamp, what: &str) -> Result<Option<Step<Issued>>, Error> {
        let deadline = self.deadline(now);
        if deadline.passed(now) {
            let order = self
                .order
                .as_ref()
                .map(|o| format!(" (order {})", o.url))
                .unwrap_or_default();
            return Err(Error::Timeout {
                what: format!("{what}{order}"),
            });
        }
        match self.wait_until {
            Some(t) if t > now => Ok(Some(Step::Wait(deadline.clamp(t)))),
            _ => {
                self.wait_until = None;
                Ok(None)
            }
        }
    }

    fn schedule_poll(&mut self, now: Timestamp, retry_after: Option<Timestamp>) {
        self.wait_until = Some(
            self.options
                .backoff
                .next_poll(now, self.attempt, retry_after),
        );
        self.attempt = self.attempt.saturating_add(1);
    }

    /// After the last authorization was fetched: the tasks to solve, or
    /// straight on if every authorization is already valid.
    fn choose_challenges(&mut self, now: Timestamp) -> Result<Step<Issued>, Error> {
        let mut tasks = Vec::new();
        self.chosen.clear();
        for (i, authz) in self.authorizations.iter().enumerate() {
            match authz.status {
                AuthorizationStatus::Valid => continue,
                AuthorizationStatus::Pending => {}
                other => {
                    return Err(Error::protocol(
                        "authorization",
                        format!("authorization for {} is {other:?}", authz.identifier.value)
                            .to_lowercase(),
                    ))
                }
            }
            let challenge = self
                .options
                .challenge_types
                .iter()
                .find_map(|t| authz.challenge(t.as_str()))
                .ok_or_else(|| {
                    Error::invalid_input(
                        "challenge_types",
                        format!(
                            "the server offers none of the allowed challenge types for {}",
                            authz.identifier.value
                        ),
                    )
                })?;
            let mut identifier = authz.identifier.clone();
            if authz.wildcard && !identifier.value.starts_with("*.") {
                identifier.value = format!("*.{}", identifier.value);
            }
            tasks.push(challenge.task(&identifier, &self.session.key)?);
            self.chosen.push((i, challenge.clone()));
        }
        if tasks.is_empty() {
            self.stage = Stage::Finalize;
            return self.next_inner(now);
        }
        self.stage = Stage::AwaitSolved;
        Ok(Step::Solve(tasks))
    }

    fn next_inner(&mut self, now: Timestamp) -> Result<Step<Issued>, Error> {
        match self.stage {
            Stage::Account => {
                let call = Call::new_account(&self.session, &self.options.account);
                self.send(call)
            }
            Stage::NewOrder { with_replaces } => {
                let o = &self.options;
                let payload = NewOrder {
                    identifiers: &o.identifiers,
                    not_before: o.not_before.as_deref(),
                    not_after: o.not_after.as_deref(),
                    replaces: if with_replaces {
                        o.replaces.as_deref()
                    } else {
                        None
                    },
                    profile: o.profile.as_deref(),
                }
                .payload();
                let url = self.session.directory.new_order.clone();
                self.send(payload.map(|p| Call::kid(&url, Some(p))))
            }
            Stage::FetchAuthz(i) => {
                let urls = &self.order_ref()?.authorizations;
                match urls.get(i) {
                    Some(url) => {
                        let url = url.clone();
                        self.send(Ok(Call::kid(&url, None)))
                    }
                    None => self.choose_challenges(now),
                }
            }
            Stage::AwaitSolved => Err(Error::protocol(
                "flow",
                "publish the challenges, then call solved()",
            )),
            Stage::Respond(i) => match self.chosen.get(i) {
                Some((_, c)) => {
                    let url = c.url.clone();
                    self.send(Ok(Call::kid(&url, Some(b"{}".to_vec()))))
                }
                None => {
                    // Validation has just started: the first poll comes after
                    // the shortest backoff delay, not at once.
                    self.stage = Stage::PollAuthz(0);
                    self.attempt = 0;
                    self.schedule_poll(now, None);
                    self.next_inner(now)
                }
            },
            Stage::PollAuthz(i) => {
                let next = self
                    .authorizations
                    .iter()
                    .enumerate()
                    .skip(i)
                    .find(|(_, a)| a.status != AuthorizationStatus::Valid)
                    .map(|(j, a)| (j, a.url.clone(), a.identifier.value.clone()));
                match next {
                    None => {
                        self.stage = Stage::Finalize;
                        self.next_inner(now)
                    }
                    Some((j, url, name)) => {
                        self.stage = Stage::PollAuthz(j);
                        if let Some(step) =
                            self.poll_wait(now, &format!("authorization of {name}"))?
                        {
                            return Ok(step);
                        }
                        self.send(Ok(Call::kid(&url, None)))
                    }
                }
            }
            Stage::Finalize => {
                let url = self.order_ref()?.finalize.clone();
                let payload = Finalize::payload(&self.csr_der);
                self.send(payload.map(|p| Call::kid(&url, Some(p))))
            }
            Stage::PollOrder => {
                if let Some(step) = self.poll_wait(now, "the order to be issued")? {
                    return Ok(step);
                }
                let url = self.order_ref()?.url.clone();
                self.send(Ok(Call::kid(&url, None)))
            }
            Stage::Download => {
                let url = self.order_ref()?.certificate.clone().ok_or_else(|| {
                    Error::protocol("order", "valid order without certificate URL")
                })?;
                self.send(Ok(Call::certificate(&url)))
            }
            Stage::Alternates(i) => {
                let url = self
                    .chain
                    .as_ref()
                    .and_then(|c| c.alternates.get(i))
                    .filter(|_| i < MAX_ALTERNATES)
                    .cloned();
                match url {
                    Some(url) => self.send(Ok(Call::certificate(&url))),
                    None => self.finish(),
                }
            }
            Stage::Finished => Err(Error::protocol("flow", "this flow is finished")),
        }
    }

    fn finish(&mut self) -> Result<Step<Issued>, Error> {
        self.stage = Stage::Finished;
        let order = self
            .order
            .take()
            .ok_or_else(|| Error::protocol("flow", "no order"))?;
        let chain = self
            .chain
            .take()
            .ok_or_else(|| Error::protocol("flow", "no certificate"))?;
        Ok(Step::Done(Issued {
            account_url: self.session.account_url.clone().unwrap_or_default(),
            order,
            chain,
            alternates: std::mem::take(&mut self.alternates),
            replaces_dropped: self.replaces_dropped,
        }))
    }

    /// The downloaded leaf must certify the CSR's key, or the chain is not
    /// the certificate that was asked for.
    fn check_leaf(&self, chain: &CertificateChain) -> Result<(), Error> {
        let key = self
            .csr_key
            .as_ref()
            .ok_or_else(|| Error::protocol("flow", "no CSR key"))?;
        crate::crypto::key_match::check_leaf_key("certificate", &chain.leaf_der()?, key)
    }

    /// Moves on after an order answer (from newOrder, finalize or a poll).
    fn on_order(&mut self, order: Order, now: Timestamp) -> Result<(), Error> {
        let retry_after = order.retry_after;
        let status = order.status;
        let error = order.error.clone();
        let fresh = self.order.is_none();
        if fresh {
            guard::check_order_size(&order, &self.options.identifiers)?;
        }
        self.order = Some(order);
        match status {
            OrderStatus::Valid => self.stage = Stage::Download,
            OrderStatus::Invalid => return Err(problem_or(error, "order", "order became invalid")),
            OrderStatus::Ready if !self.finalized => self.stage = Stage::Finalize,
            OrderStatus::Pending if fresh => self.stage = Stage::FetchAuthz(0),
            OrderStatus::Pending | OrderStatus::Ready | OrderStatus::Processing => {
                self.stage = Stage::PollOrder;
                self.schedule_poll(now, retry_after);
            }
        }
        Ok(())
    }

    fn handle(&mut self, response: HttpResponse, now: Timestamp) -> Result<(), Error> {
        match self.stage {
            Stage::Account => {
                let account = self.parsed(NewAccount::parse(&response, now))?;
                check_account_valid(&account)?;
                self.session.account_url = Some(account.url);
                self.stage = Stage::NewOrder {
                    with_replaces: self.options.replaces.is_some(),
                };
            }
            Stage::NewOrder { with_replaces } => match NewOrder::parse(&response, now) {
                Ok(order) => self.on_order(order, now)?,
                Err(e) if with_replaces && replaces_refused(&e) => {
                    self.replaces_dropped = true;
                    self.stage = Stage::NewOrder {
                        with_replaces: false,
                    };
                }
                Err(e) => return Err(e),
            },
            Stage::FetchAuthz(i) => {
                let url = self
                    .order_ref()?
                    .authorizations
                    .get(i)
                    .cloned()
                    .unwrap_or_default();
                let authz = self.parsed(GetAuthorization::parse(&response, now, &url))?;
                guard::check_identifier_ordered(&authz, &self.options.identifiers)?;
                self.authorizations.push(authz);
                self.stage = Stage::FetchAuthz(i + 1);
            }
            Stage::Respond(i) => {
                let challenge = self.parsed(RespondChallenge::parse(&response, now))?;
                let authz_index = self.chosen.get(i).map(|(a, _)| *a).unwrap_or(usize::MAX);
                match challenge.status {
                    ChallengeStatus::Valid => {
                        if let Some(a) = self.authorizations.get_mut(authz_index) {
                            a.status = AuthorizationStatus::Valid;
                        }
                    }
                    ChallengeStatus::Invalid => {
                        return Err(problem_or(challenge.error, "challenge", "challenge failed"))
                    }
                    ChallengeStatus::Pending | ChallengeStatus::Processing => {}
                }
                self.stage = Stage::Respond(i + 1);
            }
            Stage::PollAuthz(i) => {
                let url = self
                    .authorizations
                    .get(i)
                    .map(|a| a.url.clone())
                    .unwrap_or_default();
                let authz = self.parsed(GetAuthorization::parse(&response, now, &url))?;
                guard::check_identifier_ordered(&authz, &self.options.identifiers)?;
                let status = authz.status;
                let retry_after = authz.retry_after;
                let failure = authz.challenges.iter().find_map(|c| c.error.clone());
                if let Some(slot) = self.authorizations.get_mut(i) {
                    *slot = authz;
                }
                match status {
                    AuthorizationStatus::Valid => {
                        self.attempt = 0;
                        self.wait_until = None;
                        self.stage = Stage::PollAuthz(i + 1);
                    }
                    AuthorizationStatus::Pending => self.schedule_poll(now, retry_after),
                    _ => return Err(problem_or(failure, "authorization", "authorization failed")),
                }
            }
            Stage::Finalize => match Finalize::parse(&response, now, &self.order_ref()?.url) {
                Ok(order) => {
                    self.finalized = true;
                    self.attempt = 0;
                    self.on_order(order, now)?;
                }
                Err(e) if problem::is_type(&e, "orderNotReady") && !self.finalized => {
                    self.stage = Stage::PollOrder;
                    self.schedule_poll(now, e.retry_after());
                }
                Err(e) => return Err(e),
            },
            Stage::PollOrder => {
                let url = self.order_ref()?.url.clone();
                let order = self.parsed(GetOrder::parse(&response, now, &url))?;
                self.on_order(order, now)?;
            }
            Stage::Download => {
                let chain = self.parsed(DownloadCertificate::parse(&response, now))?;
                self.check_leaf(&chain)?;
                let more = self.options.fetch_alternates && !chain.alternates.is_empty();
                self.chain = Some(chain);
                self.stage = if more {
                    Stage::Alternates(0)
                } else {
                    Stage::Finished
                };
            }
            Stage::Alternates(i) => {
                let chain = self.parsed(DownloadCertificate::parse(&response, now))?;
                self.check_leaf(&chain)?;
                self.alternates.push(chain);
                self.stage = Stage::Alternates(i + 1);
            }
            Stage::AwaitSolved | Stage::Finished => {
                return Err(Error::protocol("flow", "unexpected response"))
            }
        }
        Ok(())
    }
}

/// Whether newOrder refused because of `replaces` (RFC 9773 section 5: e.g.
/// `alreadyReplaced`, or a `malformed`/`conflict` from a server that does not
/// accept the certID). Rate limits and server errors are not a reason to drop
/// it.
fn replaces_refused(e: &Error) -> bool {
    match e {
        Error::Provider(p) => {
            (400..500).contains(&p.status)
                && ["alreadyReplaced", "malformed", "conflict", "unauthorized"]
                    .iter()
                    .any(|t| problem::is_type(e, t))
        }
        _ => false,
    }
}

fn problem_or(problem: Option<Problem>, context: &str, reason: &str) -> Error {
    match problem {
        Some(p) => {
            let status = p.status.unwrap_or(400);
            p.into_error(status, None)
        }
        None => Error::protocol(context, reason),
    }
}

impl Flow for IssueFlow {
    type Output = Issued;

    fn next(&mut self, now: Timestamp) -> Result<Step<Issued>, Error> {
        if let Some(e) = self.error.take() {
            self.stage = Stage::Finished;
            return Err(e);
        }
        if self
            .exchange
            .as_ref()
            .is_some_and(|ex| ex.awaiting.is_pending())
        {
            return Err(Error::protocol(
                "flow",
                "next() called while a response is still expected",
            ));
        }
        let deadline = self.deadline(now);
        if let Some(at) = self.retry_at {
            if deadline.passed(now) {
                self.stage = Stage::Finished;
                return Err(Error::Timeout {
                    what: "the ACME server to answer again".into(),
                });
            }
            if now < at {
                return Ok(Step::Wait(deadline.clamp(at)));
            }
            self.retry_at = None;
        }
        if let Some(ex) = self.exchange.as_mut() {
            // Nonce fetched, badNonce or a repeat after a lost answer: sign
            // the same call again, with a fresh nonce.
            return ex.next(&mut self.session).map(Step::Send);
        }
        if self.stage == Stage::Finished {
            if self.chain.is_some() {
                return self.finish();
            }
            return Err(Error::protocol("flow", "this flow is finished"));
        }
        self.next_inner(now)
    }

    fn receive(&mut self, response: HttpResponse, now: Timestamp) -> Result<(), Error> {
        let ex = self
            .exchange
            .as_mut()
            .ok_or_else(|| Error::protocol("flow", "receive() called with no request in flight"))?;
        let was_nonce = ex.awaiting.pending() == Some(&Awaiting::Nonce);
        let received = match ex.receive(&mut self.session, response, now) {
            // A newNonce answer without a nonce (empty, from a proxy) or a
            // 5xx: fetch again, within the bound.
            Err(e) if was_nonce && (matches!(e, Error::Protocol { .. }) || e.is_retryable()) => {
                return self.repeat(e, now);
            }
            other => other?,
        };
        if let Some(final_response) = received {
            self.exchange = None;
            let success = final_response.is_success();
            // Only a body that is no document at all is a transient fault;
            // a well-formed answer the guards refuse is final. Certificates
            // are PEM, so for downloads any parse failure counts.
            let garbled = garbled_json(&final_response)
                || matches!(self.stage, Stage::Download | Stage::Alternates(_));
            if !self.safe_to_repeat() && garbled_json(&final_response) {
                let location = final_response.headers.get("location").map(str::to_string);
                let cause = format!(
                    "HTTP {} with an empty, truncated or non-JSON body",
                    final_response.status
                );
                return Err(self.ambiguous(cause, location));
            }
            self.unreadable = false;
            match self.handle(final_response, now) {
                Ok(()) => self.transient.reset(),
                Err(e)
                    if self.unreadable
                        && self.safe_to_repeat()
                        && ((success && garbled && matches!(e, Error::Protocol { .. }))
                            || e.is_retryable()) =>
                {
                    return self.repeat(e, now);
                }
                Err(e) => {
                    self.stage = Stage::Finished;
                    self.chain = None;
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn send_failed(&mut self, error: Error, now: Timestamp) -> Result<(), Error> {
        let ex = self.exchange.as_mut().ok_or_else(|| {
            Error::protocol("flow", "send_failed() called with no request in flight")
        })?;
        let awaiting = ex.awaiting.finish()?;
        if !matches!(error, Error::Transport { .. } | Error::Timeout { .. }) {
            self.exchange = None;
            self.stage = Stage::Finished;
            self.chain = None;
            return Err(error);
        }
        if awaiting == Awaiting::Nonce || self.safe_to_repeat() {
            // The exchange stays: the call is signed again with a fresh
            // nonce (the lost one may have been used up by the server).
            return self.repeat(error, now);
        }
        Err(self.ambiguous(error.to_string(), None))
    }

    fn solved(&mut self) -> Result<(), Error> {
        if self.stage != Stage::AwaitSolved {
            return Err(Error::protocol(
                "flow",
                "no challenges are waiting to be solved",
            ));
        }
        self.stage = Stage::Respond(0);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::acme::directory::GetDirectory;
    use crate::flow::testing::ScriptedHost;
    use crate::flow::{drive, ChallengeTask};
    use serde_json::Value;

    const DIR: &str = r#"{"newNonce":"https://ca/nonce","newAccount":"https://ca/acct","newOrder":"https://ca/order",
        "revokeCert":"https://ca/revoke","keyChange":"https://ca/kc","renewalInfo":"https://ca/ari",
        "meta":{"externalAccountRequired":true}}"#;

    fn session(key: &AccountKey) -> Session {
        let dir = GetDirectory::parse(&HttpResponse::new(200, DIR), Timestamp(0)).unwrap();
        Session::new(dir, key.clone())
    }

    fn ok(status: u16, nonce: &str, body: &str) -> HttpResponse {
        HttpResponse::new(status, body).header("Replay-Nonce", nonce)
    }

    fn problem(status: u16, nonce: &str, kind: &str) -> HttpResponse {
        HttpResponse::new(
            status,
            format!(r#"{{"type":"urn:ietf:params:acme:error:{kind}","detail":"{kind}"}}"#),
        )
        .header("Content-Type", "application/problem+json")
        .header("Replay-Nonce", nonce)
    }

    fn signed(req: &HttpRequest, key: &AccountKey) -> (Value, Value) {
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let (header, payload) = crate::acme::jws::verify(&body, key).unwrap();
        let payload = if payload.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&payload).unwrap()
        };
        (header, payload)
    }

    const ORDER_PENDING: &str = r#"{"status":"pending","identifiers":[{"type":"dns","value":"x.example"}],
        "authorizations":["https://ca/authz/1"],"finalize":"https://ca/fin/1"}"#;

    #[test]
    fn scripted_issuance_drops_refused_replaces_and_honours_retry_after() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let t0 = Timestamp::from_secs(1000);
        let (csr, cert) = crate::crypto::key_match::testing::csr_and_pem_chain("x.example");
        let answers = vec![
            HttpResponse::new(200, "").header("Replay-Nonce", "n1"),
            ok(201, "n2", r#"{"status":"valid"}"#).header("Location", "https://ca/acct/1"),
            problem(409, "n3", "alreadyReplaced"),
            ok(201, "n4", ORDER_PENDING).header("Location", "https://ca/order/1"),
            ok(
                200,
                "n5",
                r#"{"status":"pending","identifier":{"type":"dns","value":"x.example"},
                "challenges":[{"type":"http-01","url":"https://ca/ch/1","status":"pending","token":"tok1"},
                              {"type":"dns-01","url":"https://ca/ch/2","status":"pending","token":"tok2"}]}"#,
            ),
            ok(
                200,
                "n6",
                r#"{"type":"dns-01","url":"https://ca/ch/2","status":"processing","token":"tok2"}"#,
            ),
            ok(
                200,
                "n7",
                r#"{"status":"valid","identifier":{"type":"dns","value":"x.example"},"challenges":[]}"#,
            ),
            ok(
                200,
                "n8",
                r#"{"status":"processing","finalize":"https://ca/fin/1"}"#,
            )
            .header("Retry-After", "2"),
            ok(
                200,
                "n9",
                r#"{"status":"valid","finalize":"https://ca/fin/1","certificate":"https://ca/cert/1"}"#,
            ),
            ok(200, "n10", &cert).header("Link", r#"<https://ca/cert/1/1>;rel="alternate""#),
        ];
        let mut host = ScriptedHost::new(t0, answers);
        let mut options = IssueOptions::new(vec![Identifier::dns("x.example").unwrap()], csr);
        options.account.eab = Some(EabKey::new("kid", "c2VjcmV0").unwrap());
        options.replaces = Some("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE".into());
        options.challenge_types = vec![ChallengeType::Dns01];
        let mut flow = IssueFlow::new(session(&key), options);
        assert_eq!(flow.session().account_url(), None);
        let issued = drive(&mut flow, &mut host).unwrap();
        assert!(issued.replaces_dropped);
        assert_eq!(issued.account_url, "https://ca/acct/1");
        assert_eq!(flow.session().account_url(), Some("https://ca/acct/1"));
        assert_eq!(
            issued.chain.alternates,
            vec!["https://ca/cert/1/1".to_string()]
        );
        assert_eq!(host.sent.len(), 10);
        let (h, p) = signed(&host.sent[2], &key);
        assert_eq!(
            (h["nonce"].as_str(), p["replaces"].as_str()),
            (Some("n2"), Some("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"))
        );
        let (h, p) = signed(&host.sent[3], &key);
        assert_eq!(
            (h["nonce"].as_str(), h["kid"].as_str()),
            (Some("n3"), Some("https://ca/acct/1"))
        );
        assert!(p.get("replaces").is_none());
        assert_eq!(host.sent[5].url, "https://ca/ch/2");
        assert!(
            matches!(&host.solved[0][..], [ChallengeTask::DnsTxt { name, .. }] if name == "_acme-challenge.x.example")
        );
        // First poll quickly (backoff), then the server's Retry-After of 2 s.
        assert_eq!(host.waits.len(), 2);
        assert!(host.waits[0].millis_since(t0) <= 200);
        assert_eq!(host.waits[1], host.waits[0].plus_secs(2));
        assert_eq!(
            host.sent[9].headers.get("accept"),
            Some("application/pem-certificate-chain")
        );
    }

    /// One issuance's answers, each named by its call.
    fn named_answers(cert: &str) -> Vec<(&'static str, HttpResponse)> {
        vec![
            (
                "nonce",
                HttpResponse::new(200, "").header("Replay-Nonce", "n1"),
            ),
            (
                "new_order",
                ok(201, "n2", ORDER_PENDING).header("Location", "https://ca/order/1"),
            ),
            (
                "authz",
                ok(
                    200,
                    "n3",
                    r#"{"status":"pending","identifier":{"type":"dns","value":"x.example"},
                    "challenges":[{"type":"http-01","url":"https://ca/ch/1","status":"pending","token":"tok1"}]}"#,
                ),
            ),
            (
                "challenge",
                ok(
                    200,
                    "n4",
                    r#"{"type":"http-01","url":"https://ca/ch/1","status":"processing","token":"tok1"}"#,
                ),
            ),
            (
                "poll_authz",
                ok(
                    200,
                    "n5",
                    r#"{"status":"valid","identifier":{"type":"dns","value":"x.example"},"challenges":[]}"#,
                ),
            ),
            (
                "finalize",
                ok(
                    200,
                    "n6",
                    r#"{"status":"processing","finalize":"https://ca/fin/1"}"#,
                ),
            ),
            (
                "poll_order",
                ok(
                    200,
                    "n7",
                    r#"{"status":"valid","finalize":"https://ca/fin/1","certificate":"https://ca/cert/1"}"#,
                ),
            ),
            ("download", ok(200, "n8", cert)),
        ]
    }

    /// The faults of issue 14 item 14; none carries a nonce, so the flow
    /// fetches a fresh one before it signs the call again.
    fn acme_faults() -> Vec<(&'static str, Result<HttpResponse, Error>)> {
        let mut faults = crate::flow::testing::transient_faults("{\"status\":\"val");
        faults.push((
            "HTML 502",
            Ok(HttpResponse::new(502, "<html>Bad gateway</html>")),
        ));
        faults
    }

    fn fault_run(
        call: &str,
        fault: Result<HttpResponse, Error>,
    ) -> (Result<Issued, Error>, ScriptedHost, AccountKey) {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let (csr, cert) = crate::crypto::key_match::testing::csr_and_pem_chain("x.example");
        let mut outcomes = vec![];
        for (name, answer) in named_answers(&cert) {
            if name == call {
                outcomes.push(fault.clone());
                if name != "nonce" {
                    outcomes.push(Ok(
                        HttpResponse::new(200, "").header("Replay-Nonce", "fresh")
                    ));
                }
            }
            outcomes.push(Ok(answer));
        }
        let mut host = ScriptedHost::with_outcomes(Timestamp::from_secs(1000), outcomes);
        let s = session(&key).with_account_url("https://ca/acct/1");
        let options = IssueOptions::new(vec![Identifier::dns("x.example").unwrap()], csr);
        let mut flow = IssueFlow::new(s, options);
        let r = drive(&mut flow, &mut host);
        (r, host, key)
    }

    /// Every POST-as-GET, the nonce fetch and the challenge response are
    /// safe to repeat: one transient fault on any of them is retried,
    /// re-signed with a fresh nonce, and the issuance completes (issue 14,
    /// item 14).
    #[test]
    fn one_transient_fault_on_a_safe_call_is_retried_with_a_fresh_nonce() {
        for (what, fault) in acme_faults() {
            for call in [
                "nonce",
                "authz",
                "challenge",
                "poll_authz",
                "poll_order",
                "download",
            ] {
                let (r, host, key) = fault_run(call, fault.clone());
                r.unwrap_or_else(|e| panic!("{what} on {call}: {e}"));
                let extra = if call == "nonce" { 1 } else { 2 };
                assert_eq!(host.sent.len(), 8 + extra, "{what} on {call}");
                if call != "nonce" {
                    // The repeat is signed with the nonce fetched after the
                    // fault, not the one the lost request used.
                    let i = host
                        .sent
                        .iter()
                        .rposition(|r| r.url == "https://ca/nonce")
                        .filter(|&i| i > 0)
                        .unwrap_or_else(|| panic!("{what} on {call}: no nonce fetch"));
                    let (h, _) = signed(&host.sent[i + 1], &key);
                    assert_eq!(h["nonce"], "fresh", "{what} on {call}");
                    assert_eq!(
                        host.sent[i + 1].url,
                        host.sent[i - 1].url,
                        "{what} on {call}"
                    );
                }
            }
        }
    }

    /// newOrder and finalize are never repeated: a lost or unreadable
    /// answer is `ambiguous`, finalize naming the order URL.
    #[test]
    fn a_transient_fault_on_new_order_or_finalize_is_ambiguous() {
        for (what, fault) in acme_faults() {
            if what == "HTML 502" {
                continue; // an error status, returned as it is
            }
            for (call, sent, reference) in [
                ("new_order", 2, None),
                ("finalize", 6, Some("https://ca/order/1")),
            ] {
                let (r, host, _) = fault_run(call, fault.clone());
                let err = r.unwrap_err();
                assert_eq!(err.kind(), "ambiguous", "{what} on {call}: {err}");
                assert_eq!(host.sent.len(), sent, "{what} on {call}: sent once");
                let a = err.ambiguous_submission().unwrap();
                assert_eq!(a.reference.as_deref(), reference, "{what} on {call}");
            }
        }
    }

    /// An order that stays `processing`: the default limit ends the
    /// polling after ten minutes with a timeout naming the order; with
    /// `max_wait_secs: None` the caller asked to wait on (issue 14, item 12).
    #[test]
    fn polling_ends_at_the_default_limit_unless_asked_to_wait_on() {
        let processing = || {
            ok(
                200,
                "n",
                r#"{"status":"processing","finalize":"https://ca/fin/1"}"#,
            )
        };
        let run = |max_wait_secs: Option<u64>| {
            let key = AccountKey::generate_es256(&mut rand_core::OsRng);
            let (csr, cert) = crate::crypto::key_match::testing::csr_and_pem_chain("x.example");
            let mut outcomes: Vec<_> = named_answers(&cert)
                .into_iter()
                .take(6)
                .map(|(_, a)| Ok(a))
                .collect();
            outcomes.extend(std::iter::repeat_n(Ok(processing()), 400));
            let t0 = Timestamp::from_secs(1000);
            let mut host = ScriptedHost::with_outcomes(t0, outcomes);
            let mut options = IssueOptions::new(vec![Identifier::dns("x.example").unwrap()], csr);
            options.max_wait_secs = max_wait_secs;
            let s = session(&key).with_account_url("https://ca/acct/1");
            let r = drive(&mut IssueFlow::new(s, options), &mut host);
            (r, host.now.millis_since(t0), host.sent.len())
        };
        let (r, elapsed, _) = run(Some(DEFAULT_MAX_WAIT_SECS));
        let e = r.unwrap_err();
        assert_eq!(e.kind(), "timeout", "{e}");
        assert!(e.to_string().contains("https://ca/order/1"), "{e}");
        assert_eq!(elapsed, DEFAULT_MAX_WAIT_SECS * 1000);
        let (r, elapsed, sent) = run(None);
        // Polled on until the script ran out, far past ten minutes.
        assert!(r.unwrap_err().to_string().contains("ran out"));
        assert!(elapsed > 3_000_000, "{elapsed}");
        assert_eq!(sent, 6 + 400 + 1);
    }

    #[test]
    fn acme_backoff_polls_sooner_but_no_more_often_than_the_default() {
        let polls_by = |b: &Backoff, horizon: u64| {
            let (mut t, mut n) = (0u64, 0u32);
            loop {
                t += b.delay_millis(n);
                if t > horizon {
                    return n;
                }
                n += 1;
            }
        };
        assert_eq!(ACME_BACKOFF.delay_millis(0), 25);
        assert!(ACME_BACKOFF.delay_millis(0) < Backoff::default().delay_millis(0));
        for horizon in [500, 1_000, 3_200, 10_000, 60_000] {
            assert!(
                polls_by(&ACME_BACKOFF, horizon) <= polls_by(&Backoff::default(), horizon) + 1,
                "more polls than the default within {horizon} ms"
            );
        }
        assert_eq!(ACME_BACKOFF.delay_millis(100), 10_000);
    }

    #[test]
    fn bad_nonce_is_resent_with_the_nonce_of_the_failure() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let answers = vec![
            HttpResponse::new(200, "").header("Replay-Nonce", "n1"),
            problem(400, "fresh", "badNonce"),
            problem(429, "n3", "rateLimited").header("Retry-After", "60"),
        ];
        let mut host = ScriptedHost::new(Timestamp::from_secs(10), answers);
        let mut flow = session(&key)
            .with_account_url("https://ca/acct/1")
            .revoke(&[0x30, 0x03, 0x02, 0x01, 0x05], None);
        let e = drive(&mut flow, &mut host).unwrap_err();
        assert_eq!(host.sent.len(), 3);
        let (h, _) = signed(&host.sent[2], &key);
        assert_eq!(h["nonce"], "fresh");
        assert_eq!(e.code(), Some("urn:ietf:params:acme:error:rateLimited"));
        assert_eq!(e.retry_after(), Some(Timestamp::from_secs(70)));
        // The session keeps the nonce of the failure for the next call.
        let mut s = flow.into_session();
        assert_eq!(s.nonces().take().as_deref(), Some("n3"));
    }

    #[test]
    fn bad_nonce_gives_up_after_the_limit() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let mut s = session(&key).with_account_url("https://ca/acct/1");
        s.bad_nonce_retries = 1;
        let answers = vec![
            HttpResponse::new(200, "").header("Replay-Nonce", "n1"),
            problem(400, "n2", "badNonce"),
            problem(400, "n3", "badNonce"),
        ];
        let mut host = ScriptedHost::new(Timestamp(0), answers);
        let mut flow = s.get_order("https://ca/order/1");
        let e = drive(&mut flow, &mut host).unwrap_err();
        assert_eq!(e.code(), Some("urn:ietf:params:acme:error:badNonce"));
        assert_eq!(host.sent.len(), 3);
    }

    #[test]
    fn pre_authorization_needs_new_authz_in_the_directory() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let s = session(&key).with_account_url("https://ca/acct/1");
        let mut flow = s.new_authz(Identifier::dns("x.example").unwrap());
        let mut host = ScriptedHost::new(Timestamp(0), vec![]);
        let e = drive(&mut flow, &mut host).unwrap_err();
        assert_eq!(e.field(), Some("new_authz"));
        assert!(host.sent.is_empty());
        let e = flow
            .into_session()
            .renewal_info_request(b"junk")
            .unwrap_err();
        assert_eq!(e.field(), Some("certificate"));
    }

    #[test]
    fn profile_is_sent_and_checked_against_meta_profiles() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let dir_json = DIR.replace(
            r#""meta":{"#,
            r#""meta":{"profiles":{"classic":"90 days","shortlived":"6 days"},"#,
        );
        let dir = GetDirectory::parse(&HttpResponse::new(200, dir_json), Timestamp(0)).unwrap();
        let ids = vec![Identifier::dns("x.example").unwrap()];

        let mut options = IssueOptions::new(
            ids.clone(),
            crate::crypto::key_match::testing::csr("x.example"),
        );
        options.profile = Some("tlsserver".into());
        let s = Session::new(dir.clone(), key.clone()).with_account_url("https://ca/acct/1");
        let mut flow = IssueFlow::new(s, options);
        let e = flow.next(Timestamp(0)).unwrap_err();
        assert_eq!(e.field(), Some("profile"));

        let mut options =
            IssueOptions::new(ids, crate::crypto::key_match::testing::csr("x.example"));
        options.profile = Some("shortlived".into());
        let s = Session::new(dir, key.clone()).with_account_url("https://ca/acct/1");
        let answers = vec![
            HttpResponse::new(200, "").header("Replay-Nonce", "n1"),
            problem(403, "n2", "unauthorized"),
        ];
        let mut host = ScriptedHost::new(Timestamp(0), answers);
        let mut flow = IssueFlow::new(s, options);
        let e = drive(&mut flow, &mut host).unwrap_err();
        assert_eq!(e.code(), Some("urn:ietf:params:acme:error:unauthorized"));
        let (_, payload) = signed(&host.sent[1], &key);
        assert_eq!(payload["profile"], "shortlived");
    }

    #[test]
    fn invalid_authorization_surfaces_the_challenge_problem() {
        let key = AccountKey::generate_es256(&mut rand_core::OsRng);
        let s = session(&key).with_account_url("https://ca/acct/1");
        let answers = vec![
            HttpResponse::new(200, "").header("Replay-Nonce", "n1"),
            ok(201, "n2", ORDER_PENDING).header("Location", "https://ca/order/1"),
            ok(
                200,
                "n3",
                r#"{"status":"pending","identifier":{"type":"dns","value":"x.example"},
                "challenges":[{"type":"http-01","url":"https://ca/ch/1","status":"pending","token":"tok1"}]}"#,
            ),
            ok(
                200,
                "n4",
                r#"{"type":"http-01","url":"https://ca/ch/1","status":"pending","token":"tok1"}"#,
            ),
            ok(
                200,
                "n5",
                r#"{"status":"invalid","identifier":{"type":"dns","value":"x.example"},
                "challenges":[{"type":"http-01","url":"https://ca/ch/1","status":"invalid","token":"tok1",
                "error":{"type":"urn:ietf:params:acme:error:connection","detail":"refused","status":400}}]}"#,
            ),
        ];
        let mut host = ScriptedHost::new(Timestamp(0), answers);
        let options = IssueOptions::new(
            vec![Identifier::dns("x.example").unwrap()],
            crate::crypto::key_match::testing::csr("x.example"),
        );
        let mut flow = IssueFlow::new(s, options);
        let e = drive(&mut flow, &mut host).unwrap_err();
        assert_eq!(e.code(), Some("urn:ietf:params:acme:error:connection"));
        assert!(flow.next(Timestamp(0)).is_err());
    }
}
