//! ACME (RFC 8555) with External Account Binding for foreign languages: the
//! account and EAB keys, sans-IO request builders and response parsers
//! (`acme_*`), the host-driven [`AcmeIssueFlow`] and the async
//! [`AcmeClient`] (core: `certbridge::acme`, `certbridge::client`).
//!
//! Most ACME data types carry their uniffi derives in the core under
//! `Acme`-prefixed foreign names (`AcmeChallenge`, `AcmeProblem`, ...), so
//! that they never collide with SwissSign's or Redtrust's types in the one
//! Swift module. The records below that hold a `Timestamp` (`AcmeOrder`,
//! `AcmeAuthorization`, `AcmeRenewalInfo`) or a `BTreeMap` (`AcmeDirectory`)
//! are declared here as remote types instead: `Timestamp` is itself a
//! remote type of this crate (see [`crate::http`]) and uniffi has no
//! `BTreeMap`, so a derive in the core could not lower them.
//!
//! Secrets (private keys, EAB HMAC keys) live in objects that print
//! redacted; they leave as text only when the caller asks
//! ([`AcmeAccountKey::to_pkcs8_pem`], [`AcmeEabKey::hmac_key_b64url`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use certbridge::acme::account::{KeyChange, NewAccount, UpdateAccount};
use certbridge::acme::ari::{GetRenewalInfo, RenewalInfo, Window};
use certbridge::acme::authorization::{
    Authorization, AuthorizationStatus, DeactivateAuthorization, GetAuthorization, NewAuthz,
};
use certbridge::acme::certificate::DownloadCertificate;
use certbridge::acme::challenge::RespondChallenge;
use certbridge::acme::directory::{Directory, DirectoryMeta, GetDirectory};
use certbridge::acme::flow::AccountOptions;
use certbridge::acme::jws::KeyRef;
use certbridge::acme::nonce::{NewNonce, NoncePool};
use certbridge::acme::order::{Finalize, GetOrder, NewOrder, Order, OrderStatus};
use certbridge::acme::revoke::RevokeCert;
use certbridge::acme::{
    self as core, Account, AccountKey, CertificateChain, Challenge, ChallengeType, EabKey,
    Identifier, IssueOptions, Issued, Problem,
};
use certbridge::client::{CancelToken, Driver, SystemClock, TransportConfig};
use certbridge::{ChallengeTask, Deadline, Flow as _, HttpRequest, HttpResponse, Step, Timestamp};

use crate::error::CertbridgeError;
use crate::solver::{solver_driver, ChallengeSolver};
use crate::transport::{transport_or_default, HttpTransport};

type Result<T> = std::result::Result<T, CertbridgeError>;

// ---- remote records (see the module documentation) -----------------------

/// An order (RFC 8555 section 7.1.3). `retry_after` (unix milliseconds) is
/// the server's `Retry-After`, if it sent one.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeOrder")]
pub struct Order {
    pub url: String,
    pub status: OrderStatus,
    pub expires: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub authorizations: Vec<String>,
    pub finalize: String,
    pub certificate: Option<String>,
    pub error: Option<Problem>,
    pub profile: Option<String>,
    pub replaces: Option<String>,
    pub retry_after: Option<Timestamp>,
}

/// An authorization (RFC 8555 section 7.1.4) and its challenges.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeAuthorization")]
pub struct Authorization {
    pub url: String,
    pub identifier: Identifier,
    pub status: AuthorizationStatus,
    pub expires: Option<String>,
    pub challenges: Vec<Challenge>,
    pub wildcard: bool,
    pub retry_after: Option<Timestamp>,
}

/// The suggested renewal window of ARI (RFC 9773 section 4.2), unix
/// milliseconds.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeRenewalWindow")]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A `renewalInfo` answer (RFC 9773 section 4.2).
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeRenewalInfo")]
pub struct RenewalInfo {
    pub suggested_window: Window,
    pub explanation_url: Option<String>,
    pub retry_after: Option<Timestamp>,
}

/// The profiles a directory offers (draft-ietf-acme-profiles): name ->
/// description.
pub type AcmeProfiles = BTreeMap<String, String>;

uniffi::custom_type!(AcmeProfiles, HashMap<String, String>, {
    remote,
    lower: |p| p.into_iter().collect(),
    try_lift: |m| Ok(m.into_iter().collect()),
});

/// The directory's `meta` object (RFC 8555 section 7.1.1).
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeDirectoryMeta")]
pub struct DirectoryMeta {
    pub terms_of_service: Option<String>,
    pub website: Option<String>,
    pub caa_identities: Vec<String>,
    pub external_account_required: bool,
    pub profiles: AcmeProfiles,
}

/// An ACME directory (RFC 8555 section 7.1.1).
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeDirectory")]
pub struct Directory {
    pub new_nonce: String,
    pub new_account: String,
    pub new_order: String,
    pub new_authz: Option<String>,
    pub revoke_cert: String,
    pub key_change: String,
    pub renewal_info: Option<String>,
    pub meta: DirectoryMeta,
}

/// The result of an issuance: the account, the final order, the chain
/// (leaf first) and any alternate chains fetched.
#[uniffi::remote(Record)]
#[uniffi(name = "AcmeIssued")]
pub struct Issued {
    pub account_url: String,
    pub order: Order,
    pub chain: CertificateChain,
    pub alternates: Vec<CertificateChain>,
    pub replaces_dropped: bool,
}

// ---- keys -----------------------------------------------------------------

/// An ACME account key (ES256 or RS256). An object so that printing it
/// never shows the private key.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct AcmeAccountKey(pub(crate) AccountKey);

impl std::fmt::Display for AcmeAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[uniffi::export]
impl AcmeAccountKey {
    /// A new ES256 (P-256) key from the operating system's random source.
    #[uniffi::constructor]
    pub fn generate() -> Arc<Self> {
        Arc::new(AcmeAccountKey(certbridge::client::generate_account_key()))
    }

    /// A new RS256 key of `bits` (2048 to 4096), for servers that refuse
    /// ES256.
    #[uniffi::constructor]
    pub fn generate_rs256(bits: u32) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeAccountKey(
            certbridge::client::generate_rs256_account_key(bits as usize)?,
        )))
    }

    /// A key from PEM: PKCS#8, SEC1 (`EC PRIVATE KEY`, P-256) or PKCS#1
    /// (`RSA PRIVATE KEY`).
    #[uniffi::constructor]
    pub fn from_pem(pem: String) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeAccountKey(AccountKey::from_pem(&pem)?)))
    }

    /// The private key as PKCS#8 PEM, to store it (a secret: do not log it).
    pub fn to_pkcs8_pem(&self) -> Result<String> {
        Ok(self.0.to_pkcs8_pem()?.expose().to_string())
    }

    /// The JWS algorithm: `ES256` or `RS256`.
    pub fn alg(&self) -> String {
        self.0.alg().to_string()
    }

    /// The public key as a JWK (RFC 7517), JSON text.
    pub fn jwk_json(&self) -> String {
        self.0.jwk().to_string()
    }

    /// The RFC 7638 JWK thumbprint (base64url), the second half of every key
    /// authorization.
    pub fn thumbprint(&self) -> String {
        self.0.thumbprint()
    }
}

/// External Account Binding credentials (RFC 8555 section 7.3.4): the key
/// identifier and the HMAC key, which IdenTrust hands out in padded
/// standard base64 and Pebble in unpadded base64url; any form is accepted.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct AcmeEabKey(pub(crate) EabKey);

impl std::fmt::Display for AcmeEabKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[uniffi::export]
impl AcmeEabKey {
    /// Credentials from the key identifier and the HMAC key in any base64
    /// form (standard or URL-safe, padded or not, with line breaks).
    #[uniffi::constructor]
    pub fn new(kid: String, hmac_key: String) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeEabKey(EabKey::new(&kid, &hmac_key)?)))
    }

    /// Credentials from the raw HMAC key bytes.
    #[uniffi::constructor]
    pub fn from_bytes(kid: String, hmac_key: Vec<u8>) -> Result<Arc<Self>> {
        Ok(Arc::new(AcmeEabKey(EabKey::from_bytes(&kid, hmac_key)?)))
    }

    /// The key identifier.
    pub fn kid(&self) -> String {
        self.0.kid().to_string()
    }

    /// The HMAC key normalised to unpadded base64url (a secret).
    pub fn hmac_key_b64url(&self) -> String {
        self.0.hmac_key_b64url().expose().to_string()
    }

    /// The `externalAccountBinding` JWS for `account_key` at
    /// `new_account_url`, JSON text.
    pub fn binding(&self, account_key: Arc<AcmeAccountKey>, new_account_url: String) -> String {
        self.0.binding(&account_key.0, &new_account_url).to_string()
    }

    /// The binding for a public JWK given as JSON text.
    pub fn binding_for_jwk(&self, jwk_json: String, new_account_url: String) -> Result<String> {
        let jwk: serde_json::Value = serde_json::from_str(&jwk_json)
            .map_err(|_| certbridge::Error::invalid_input("jwk", "not JSON"))?;
        Ok(self.0.binding_for_jwk(&jwk, &new_account_url).to_string())
    }
}

// ---- identifiers, challenges, ARI, problems -------------------------------

/// A DNS identifier (IDNA to ASCII, trailing dot removed, `*.` kept).
#[uniffi::export]
pub fn acme_identifier_dns(name: String) -> Result<Identifier> {
    Ok(Identifier::dns(&name)?)
}

/// An IP identifier (RFC 8738), in its canonical text form.
#[uniffi::export]
pub fn acme_identifier_ip(address: String) -> Result<Identifier> {
    Ok(Identifier::ip(&address)?)
}

/// The key authorization `token.thumbprint` (RFC 8555 section 8.1).
#[uniffi::export]
pub fn acme_key_authorization(token: String, thumbprint: String) -> String {
    core::challenge::key_authorization(&token, &thumbprint)
}

/// What to publish for `challenge` of `identifier` with the account key's
/// `thumbprint`: the http-01 file, the dns-01 TXT record or the
/// tls-alpn-01 digest.
#[uniffi::export]
pub fn acme_challenge_task(
    challenge: Challenge,
    identifier: Identifier,
    thumbprint: String,
) -> Result<ChallengeTask> {
    Ok(challenge.task_with_thumbprint(&identifier, &thumbprint)?)
}

/// The ARI certificate identifier (RFC 9773 section 4.1) of the first
/// certificate in `certificate` (PEM or DER).
#[uniffi::export]
pub fn acme_cert_id(certificate: Vec<u8>) -> Result<String> {
    Ok(core::cert_id(&certificate)?)
}

/// When to renew inside the suggested window: `random` picks the point
/// (RFC 9773 section 4.2 asks clients to spread renewals).
#[uniffi::export]
pub fn acme_renewal_time(info: RenewalInfo, random: u64) -> Timestamp {
    info.renewal_time(random)
}

/// Whether the renewal time (see [`acme_renewal_time`]) has come at `now`.
#[uniffi::export]
pub fn acme_should_renew(info: RenewalInfo, now: Timestamp, random: u64) -> bool {
    info.should_renew(now, random)
}

/// The `Replay-Nonce` of a response (RFC 8555 section 6.5), when it carries
/// a valid one: keep it for the next signed request.
#[uniffi::export]
pub fn acme_replay_nonce(response: HttpResponse) -> Option<String> {
    let mut pool = NoncePool::new();
    pool.absorb(&response);
    pool.take()
}

/// Checks any ACME answer: a success passes, a problem document (RFC 8555
/// section 6.7) raises `Provider` with the problem type URN as `code`,
/// anything else raises `HttpStatus`.
#[uniffi::export]
pub fn acme_check_response(response: HttpResponse, now: Timestamp) -> Result<()> {
    Ok(core::problem::check(&response, now, "acme")?)
}

/// What an ACME error answer means, as data (for logging and retry
/// decisions without catching).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct AcmeErrorInfo {
    /// Stable kind: `provider` for a problem document, else `http_status`.
    pub kind: String,
    /// The problem type URN, for a problem document.
    pub code: Option<String>,
    /// HTTP status.
    pub status: Option<u16>,
    /// When the server asked to retry (unix milliseconds).
    pub retry_after: Option<Timestamp>,
    /// Whether retrying later can succeed (5xx, 429, `rateLimited`).
    pub retryable: bool,
    /// The problem document with its subproblems, if there was one.
    pub problem: Option<Problem>,
}

/// `None` for a success; else the error the answer carries as data.
#[uniffi::export]
pub fn acme_error_info(response: HttpResponse, now: Timestamp) -> Option<AcmeErrorInfo> {
    let e = core::problem::check(&response, now, "acme").err()?;
    let problem = match &e {
        certbridge::Error::Provider(p) => match &p.details {
            certbridge::ProviderDetails::Acme {
                problem_type,
                detail,
                subproblems,
            } => Some(Problem {
                kind: problem_type.clone(),
                detail: detail.clone(),
                status: Some(p.status),
                subproblems: subproblems.clone(),
            }),
            _ => None,
        },
        _ => None,
    };
    Some(AcmeErrorInfo {
        kind: e.kind().to_string(),
        code: e.code().map(str::to_string),
        status: e.status(),
        retry_after: e.retry_after(),
        retryable: e.is_retryable(),
        problem,
    })
}

// ---- sans-IO: one builder and one parser per endpoint ---------------------

/// `GET` the directory.
#[uniffi::export]
pub fn acme_directory_request(url: String) -> HttpRequest {
    GetDirectory::request(&url)
}

/// Parses the directory; every endpoint must be an absolute http(s) URL.
#[uniffi::export]
pub fn acme_parse_directory(response: HttpResponse, now: Timestamp) -> Result<Directory> {
    Ok(GetDirectory::parse(&response, now)?)
}

/// `HEAD newNonce` (RFC 8555 section 7.2); read the answer with
/// [`acme_replay_nonce`].
#[uniffi::export]
pub fn acme_new_nonce_request(new_nonce_url: String) -> HttpRequest {
    NewNonce::request(&new_nonce_url)
}

/// Any JWS-signed POST (RFC 8555 section 6.2): `kid` header when
/// `account_url` is given, else the key's `jwk`; no `payload` makes a
/// POST-as-GET.
#[uniffi::export(default(account_url = None, payload = None))]
pub fn acme_signed_request(
    key: Arc<AcmeAccountKey>,
    url: String,
    nonce: String,
    account_url: Option<String>,
    payload: Option<Vec<u8>>,
) -> Result<HttpRequest> {
    let key_ref = account_url.as_deref().map_or(KeyRef::Jwk, KeyRef::Kid);
    Ok(key.0.post(key_ref, &url, &nonce, payload.as_deref())?)
}

/// A JWS's protected header (JSON text) and payload bytes, after checking
/// its signature.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct AcmeVerifiedJws {
    /// The protected header, JSON text.
    pub header_json: String,
    /// The payload (empty for POST-as-GET).
    pub payload: Vec<u8>,
}

/// Verifies a flattened JWS (a signed request's body) with `key`.
#[uniffi::export]
pub fn acme_verify_jws(jws: Vec<u8>, key: Arc<AcmeAccountKey>) -> Result<AcmeVerifiedJws> {
    let value: serde_json::Value =
        serde_json::from_slice(&jws).map_err(|_| certbridge::Error::protocol("jws", "not JSON"))?;
    let (header, payload) = core::jws::verify(&value, &key.0)?;
    Ok(AcmeVerifiedJws {
        header_json: header.to_string(),
        payload,
    })
}

/// `newAccount` (RFC 8555 section 7.3), signed with the key's `jwk`.
#[uniffi::export(default(contact = [], terms_of_service_agreed = false, only_return_existing = false, eab = None))]
pub fn acme_new_account_request(
    key: Arc<AcmeAccountKey>,
    new_account_url: String,
    nonce: String,
    contact: Vec<String>,
    terms_of_service_agreed: bool,
    only_return_existing: bool,
    eab: Option<Arc<AcmeEabKey>>,
) -> Result<HttpRequest> {
    Ok(NewAccount {
        contact: &contact,
        terms_of_service_agreed,
        only_return_existing,
        eab: eab.as_ref().map(|e| &e.0),
    }
    .request(&key.0, &new_account_url, &nonce)?)
}

/// Parses the `newAccount` answer (`created` is true for 201).
#[uniffi::export]
pub fn acme_parse_account(response: HttpResponse, now: Timestamp) -> Result<Account> {
    Ok(NewAccount::parse(&response, now)?)
}

/// Account deactivation (RFC 8555 section 7.3.6).
#[uniffi::export]
pub fn acme_deactivate_account_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(UpdateAccount::deactivate(&key.0, &account_url, &nonce)?)
}

/// Parses the answer of an account update.
#[uniffi::export]
pub fn acme_parse_account_update(
    response: HttpResponse,
    now: Timestamp,
    account_url: String,
) -> Result<Account> {
    Ok(UpdateAccount::parse(&response, now, &account_url)?)
}

/// Account key rollover (RFC 8555 section 7.3.5): the inner JWS signed by
/// `new_key`, the outer by `old_key`.
#[uniffi::export]
pub fn acme_key_change_request(
    old_key: Arc<AcmeAccountKey>,
    new_key: Arc<AcmeAccountKey>,
    account_url: String,
    key_change_url: String,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(KeyChange::request(
        &old_key.0,
        &new_key.0,
        &account_url,
        &key_change_url,
        &nonce,
    )?)
}

/// Checks the key-change answer.
#[uniffi::export]
pub fn acme_parse_key_change(response: HttpResponse, now: Timestamp) -> Result<()> {
    Ok(KeyChange::parse(&response, now)?)
}

/// `newOrder` (RFC 8555 section 7.4) with optional `replaces` (RFC 9773)
/// and `profile` (draft-ietf-acme-profiles).
#[uniffi::export(default(not_before = None, not_after = None, replaces = None, profile = None))]
#[allow(clippy::too_many_arguments)] // one argument per newOrder field
pub fn acme_new_order_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    new_order_url: String,
    nonce: String,
    identifiers: Vec<Identifier>,
    not_before: Option<String>,
    not_after: Option<String>,
    replaces: Option<String>,
    profile: Option<String>,
) -> Result<HttpRequest> {
    Ok(NewOrder {
        identifiers: &identifiers,
        not_before: not_before.as_deref(),
        not_after: not_after.as_deref(),
        replaces: replaces.as_deref(),
        profile: profile.as_deref(),
    }
    .request(&key.0, &account_url, &new_order_url, &nonce)?)
}

/// Parses the `newOrder` answer (the order URL is its `Location`).
#[uniffi::export]
pub fn acme_parse_new_order(response: HttpResponse, now: Timestamp) -> Result<Order> {
    Ok(NewOrder::parse(&response, now)?)
}

/// POST-as-GET of an order.
#[uniffi::export]
pub fn acme_order_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    order_url: String,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(GetOrder::request(&key.0, &account_url, &order_url, &nonce)?)
}

/// Parses an order fetched from `order_url`.
#[uniffi::export]
pub fn acme_parse_order(
    response: HttpResponse,
    now: Timestamp,
    order_url: String,
) -> Result<Order> {
    Ok(GetOrder::parse(&response, now, &order_url)?)
}

/// Finalisation with a CSR (DER or PEM), RFC 8555 section 7.4.
#[uniffi::export]
pub fn acme_finalize_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    finalize_url: String,
    csr: Vec<u8>,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(Finalize::request(
        &key.0,
        &account_url,
        &finalize_url,
        &csr,
        &nonce,
    )?)
}

/// Parses the finalize answer (the order at `order_url`).
#[uniffi::export]
pub fn acme_parse_finalize(
    response: HttpResponse,
    now: Timestamp,
    order_url: String,
) -> Result<Order> {
    Ok(Finalize::parse(&response, now, &order_url)?)
}

/// POST-as-GET of an authorization.
#[uniffi::export]
pub fn acme_authorization_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    url: String,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(GetAuthorization::request(
        &key.0,
        &account_url,
        &url,
        &nonce,
    )?)
}

/// Parses an authorization fetched from `url`.
#[uniffi::export]
pub fn acme_parse_authorization(
    response: HttpResponse,
    now: Timestamp,
    url: String,
) -> Result<Authorization> {
    Ok(GetAuthorization::parse(&response, now, &url)?)
}

/// Pre-authorization, `newAuthz` (RFC 8555 section 7.4.1).
#[uniffi::export]
pub fn acme_new_authz_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    new_authz_url: String,
    identifier: Identifier,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(NewAuthz::request(
        &key.0,
        &account_url,
        &new_authz_url,
        &identifier,
        &nonce,
    )?)
}

/// Parses the `newAuthz` answer (the URL is its `Location`).
#[uniffi::export]
pub fn acme_parse_new_authz(response: HttpResponse, now: Timestamp) -> Result<Authorization> {
    Ok(NewAuthz::parse(&response, now)?)
}

/// Authorization deactivation (RFC 8555 section 7.5.2).
#[uniffi::export]
pub fn acme_deactivate_authorization_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    url: String,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(DeactivateAuthorization::request(
        &key.0,
        &account_url,
        &url,
        &nonce,
    )?)
}

/// Parses the deactivation answer.
#[uniffi::export]
pub fn acme_parse_deactivate_authorization(
    response: HttpResponse,
    now: Timestamp,
    url: String,
) -> Result<Authorization> {
    Ok(DeactivateAuthorization::parse(&response, now, &url)?)
}

/// Tells the server a challenge is ready (`{}`, RFC 8555 section 7.5.1).
#[uniffi::export]
pub fn acme_respond_challenge_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    challenge_url: String,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(RespondChallenge::request(
        &key.0,
        &account_url,
        &challenge_url,
        &nonce,
    )?)
}

/// Parses the challenge answer.
#[uniffi::export]
pub fn acme_parse_challenge(response: HttpResponse, now: Timestamp) -> Result<Challenge> {
    Ok(RespondChallenge::parse(&response, now)?)
}

/// Certificate download (POST-as-GET, `Accept:
/// application/pem-certificate-chain`).
#[uniffi::export]
pub fn acme_download_certificate_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    url: String,
    nonce: String,
) -> Result<HttpRequest> {
    Ok(DownloadCertificate::request(
        &key.0,
        &account_url,
        &url,
        &nonce,
    )?)
}

/// Parses a PEM chain and its `Link: rel="alternate"` URLs.
#[uniffi::export]
pub fn acme_parse_certificate(response: HttpResponse, now: Timestamp) -> Result<CertificateChain> {
    Ok(DownloadCertificate::parse(&response, now)?)
}

/// The chain's certificates as DER, leaf first.
#[uniffi::export]
pub fn acme_chain_der(chain: CertificateChain) -> Result<Vec<Vec<u8>>> {
    Ok(chain.der()?)
}

/// Revocation signed by the account (RFC 8555 section 7.6); `reason` is an
/// RFC 5280 CRLReason code.
#[uniffi::export(default(reason = None))]
pub fn acme_revoke_request(
    key: Arc<AcmeAccountKey>,
    account_url: String,
    revoke_url: String,
    certificate: Vec<u8>,
    nonce: String,
    reason: Option<u8>,
) -> Result<HttpRequest> {
    Ok(RevokeCert::by_account(
        &key.0,
        &account_url,
        &revoke_url,
        &certificate,
        reason,
        &nonce,
    )?)
}

/// Revocation signed by the certificate's own key (`jwk` header); the key
/// is PEM (PKCS#8, SEC1 P-256 or PKCS#1 RSA).
#[uniffi::export(default(reason = None))]
pub fn acme_revoke_with_certificate_key_request(
    certificate_key_pem: String,
    revoke_url: String,
    certificate: Vec<u8>,
    nonce: String,
    reason: Option<u8>,
) -> Result<HttpRequest> {
    let key = AccountKey::from_pem(&certificate_key_pem)?;
    Ok(RevokeCert::by_certificate_key(
        &key,
        &revoke_url,
        &certificate,
        reason,
        &nonce,
    )?)
}

/// Checks the revocation answer.
#[uniffi::export]
pub fn acme_parse_revoke(response: HttpResponse, now: Timestamp) -> Result<()> {
    Ok(RevokeCert::parse(&response, now)?)
}

/// The ARI lookup `GET {renewalInfo}/{cert_id}` (RFC 9773 section 4.2).
#[uniffi::export]
pub fn acme_renewal_info_request(renewal_info_url: String, cert_id: String) -> HttpRequest {
    GetRenewalInfo::request(&renewal_info_url, &cert_id)
}

/// Parses the ARI answer.
#[uniffi::export]
pub fn acme_parse_renewal_info(response: HttpResponse, now: Timestamp) -> Result<RenewalInfo> {
    Ok(GetRenewalInfo::parse(&response, now)?)
}

// ---- issuance options and the host-driven flow ----------------------------

/// What to issue. Only `identifiers` and `csr` are required.
#[derive(Clone, Debug, uniffi::Record)]
pub struct AcmeIssueOptions {
    /// The identifiers (the CSR must name the same ones).
    pub identifiers: Vec<Identifier>,
    /// The CSR, DER or PEM, made with the certificate key.
    pub csr: Vec<u8>,
    /// Challenge types in order of preference (default: http-01, dns-01,
    /// tls-alpn-01).
    #[uniffi(default = None)]
    pub challenge_types: Option<Vec<ChallengeType>>,
    /// Profile (draft-ietf-acme-profiles); with IdenTrust the profile is the
    /// directory instead.
    #[uniffi(default = None)]
    pub profile: Option<String>,
    /// ARI certID of the certificate this one replaces (RFC 9773 section 5).
    #[uniffi(default = None)]
    pub replaces: Option<String>,
    /// Requested `notBefore` (RFC 3339).
    #[uniffi(default = None)]
    pub not_before: Option<String>,
    /// Requested `notAfter` (RFC 3339).
    #[uniffi(default = None)]
    pub not_after: Option<String>,
    /// Also download the alternate chains.
    #[uniffi(default = false)]
    pub fetch_alternates: bool,
    /// Give up with a `timeout` error at this time (unix milliseconds).
    #[uniffi(default = None)]
    pub deadline: Option<Timestamp>,
}

impl From<AcmeIssueOptions> for IssueOptions {
    fn from(o: AcmeIssueOptions) -> Self {
        let mut options = IssueOptions::new(o.identifiers, o.csr);
        if let Some(types) = o.challenge_types {
            options.challenge_types = types;
        }
        options.profile = o.profile;
        options.replaces = o.replaces;
        options.not_before = o.not_before;
        options.not_after = o.not_after;
        options.fetch_alternates = o.fetch_alternates;
        options.deadline = o.deadline.map_or(Deadline::NONE, Deadline::at);
        options
    }
}

/// What a new account sends besides the key.
#[derive(Clone, Debug, uniffi::Record)]
pub struct AcmeAccountOptions {
    /// Contact URLs (`mailto:...`).
    #[uniffi(default = [])]
    pub contact: Vec<String>,
    /// Agree to the terms of service.
    #[uniffi(default = true)]
    pub terms_of_service_agreed: bool,
    /// External Account Binding (required by IdenTrust).
    #[uniffi(default = None)]
    pub eab: Option<Arc<AcmeEabKey>>,
}

impl Default for AcmeAccountOptions {
    /// No contact, terms agreed (as the core client), no EAB.
    fn default() -> Self {
        AcmeAccountOptions {
            contact: Vec::new(),
            terms_of_service_agreed: true,
            eab: None,
        }
    }
}

impl From<AcmeAccountOptions> for AccountOptions {
    fn from(o: AcmeAccountOptions) -> Self {
        AccountOptions {
            contact: o.contact,
            terms_of_service_agreed: o.terms_of_service_agreed,
            eab: o.eab.map(|e| e.0.clone()),
            only_return_existing: false,
        }
    }
}

/// What the host must do next for an [`AcmeIssueFlow`].
#[derive(uniffi::Enum)]
pub enum AcmeStep {
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
    /// Publish these proofs (HTTP file, DNS TXT record, TLS-ALPN
    /// certificate), then call `solved`.
    Solve {
        /// What to publish.
        tasks: Vec<ChallengeTask>,
    },
    /// Finished: the certificate is issued.
    Done {
        /// The result.
        issued: Issued,
    },
}

/// Issuance as a state machine the host drives with its own HTTP stack,
/// clock and challenge publishing: call `next(now)`, send what it asks and
/// hand the answer to `receive`, publish the tasks of a `Solve` step and
/// call `solved`, until `Done`. Nonces, `badNonce` retries, account
/// creation (with EAB), polling and download happen inside.
#[derive(uniffi::Object)]
pub struct AcmeIssueFlow(Mutex<core::IssueFlow>);

#[uniffi::export]
impl AcmeIssueFlow {
    /// A flow at `directory` signing with `key`. With `account_url` the
    /// account is known; otherwise it is created (or found) first with
    /// `account`.
    #[uniffi::constructor(default(account = None, account_url = None))]
    pub fn new(
        directory: Directory,
        key: Arc<AcmeAccountKey>,
        options: AcmeIssueOptions,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
    ) -> Arc<Self> {
        let mut session = core::Session::new(directory, key.0.clone());
        if let Some(url) = account_url {
            session = session.with_account_url(url);
        }
        let mut options = IssueOptions::from(options);
        options.account = account.unwrap_or_default().into();
        Arc::new(AcmeIssueFlow(Mutex::new(core::IssueFlow::new(
            session, options,
        ))))
    }

    /// The next step at `now` (unix milliseconds).
    pub fn next(&self, now: Timestamp) -> Result<AcmeStep> {
        Ok(match self.lock()?.next(now)? {
            Step::Send(request) => AcmeStep::Send { request },
            Step::Wait(until) => AcmeStep::Wait { until },
            Step::Solve(tasks) => AcmeStep::Solve { tasks },
            Step::Done(issued) => AcmeStep::Done { issued },
        })
    }

    /// Hands the response to the request of the last `Send` step to the
    /// flow.
    pub fn receive(&self, response: HttpResponse, now: Timestamp) -> Result<()> {
        Ok(self.lock()?.receive(response, now)?)
    }

    /// Tells the flow the tasks of the last `Solve` step are published.
    pub fn solved(&self) -> Result<()> {
        Ok(self.lock()?.solved()?)
    }

    /// The order, once `newOrder` has answered.
    pub fn order(&self) -> Option<Order> {
        self.lock().ok()?.order().cloned()
    }

    /// The account URL, once known: keep it to skip the account step next
    /// time.
    pub fn account_url(&self) -> Option<String> {
        self.lock()
            .ok()?
            .session()
            .account_url()
            .map(str::to_string)
    }
}

impl AcmeIssueFlow {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, core::IssueFlow>> {
        self.0.lock().map_err(|_| {
            certbridge::Error::protocol("acme issue", "the flow failed earlier").into()
        })
    }
}

// ---- the async client -------------------------------------------------------

/// An ACME client for one account at one directory: one async method per
/// operation and per whole task (issue, renew, revoke). Concurrent calls
/// are safe (each gets its own nonces). Uses the host's [`HttpTransport`]
/// when given, else the built-in HTTPS client, and the host's
/// [`ChallengeSolver`] to publish challenges.
#[derive(uniffi::Object)]
pub struct AcmeClient {
    pub(crate) inner: certbridge::client::AcmeClient,
    pub(crate) cancel: CancelToken,
}

impl AcmeClient {
    pub(crate) fn configure(
        inner: certbridge::client::AcmeClient,
        cancel: CancelToken,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
    ) -> Arc<Self> {
        let mut inner = inner;
        if let Some(a) = account {
            if let Some(eab) = a.eab {
                inner = inner.with_eab(eab.0.clone());
            }
            if !a.contact.is_empty() {
                inner = inner.with_contact(a.contact);
            }
        }
        if let Some(url) = account_url {
            inner = inner.with_account_url(&url);
        }
        Arc::new(AcmeClient { inner, cancel })
    }
}

/// A driver for the host's transport (or the built-in one) and solver,
/// stopped by `cancel`.
pub(crate) fn driver(
    transport: Option<Arc<dyn HttpTransport>>,
    transport_config: Option<TransportConfig>,
    solver: Option<Arc<dyn ChallengeSolver>>,
    cancel: &CancelToken,
) -> Result<Driver> {
    let driver = Driver::new(
        transport_or_default(transport, transport_config)?,
        Arc::new(SystemClock),
    )
    .with_cancel(cancel.clone());
    Ok(solver_driver(driver, solver))
}

#[uniffi::export(async_runtime = "tokio")]
impl AcmeClient {
    /// A client for an already fetched `directory`, signing with `key`.
    /// `account`: contact and EAB for a new account; `account_url`: resume
    /// a known account; `transport`: the host's HTTP stack (default:
    /// built-in, configured by `transport_config`); `solver`: publishes
    /// challenges during `issue`.
    #[uniffi::constructor(default(account = None, account_url = None, transport = None, transport_config = None, solver = None))]
    pub fn new(
        directory: Directory,
        key: Arc<AcmeAccountKey>,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
        transport: Option<Arc<dyn HttpTransport>>,
        transport_config: Option<TransportConfig>,
        solver: Option<Arc<dyn ChallengeSolver>>,
    ) -> Result<Arc<Self>> {
        let cancel = CancelToken::new();
        let driver = driver(transport, transport_config, solver, &cancel)?;
        let inner =
            certbridge::client::AcmeClient::with_directory(driver, directory, key.0.clone());
        Ok(Self::configure(inner, cancel, account, account_url))
    }

    /// Fetches the directory at `directory_url` and makes a client (the
    /// other arguments as for the constructor).
    #[uniffi::constructor(default(account = None, account_url = None, transport = None, transport_config = None, solver = None))]
    pub async fn connect(
        directory_url: String,
        key: Arc<AcmeAccountKey>,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
        transport: Option<Arc<dyn HttpTransport>>,
        transport_config: Option<TransportConfig>,
        solver: Option<Arc<dyn ChallengeSolver>>,
    ) -> Result<Arc<Self>> {
        let cancel = CancelToken::new();
        let driver = driver(transport, transport_config, solver, &cancel)?;
        let inner =
            certbridge::client::AcmeClient::connect(driver, &directory_url, key.0.clone()).await?;
        Ok(Self::configure(inner, cancel, account, account_url))
    }

    /// The directory.
    pub fn directory(&self) -> Option<Directory> {
        self.inner.directory()
    }

    /// The account URL, once known (persist it with the key).
    pub fn account_url(&self) -> Option<String> {
        self.inner.account_url()
    }

    /// The account key in use (after `change_key`, the new one).
    pub fn key(&self) -> Option<Arc<AcmeAccountKey>> {
        self.inner.key().map(|k| Arc::new(AcmeAccountKey(k)))
    }

    /// Stops every running and future call of this client with a
    /// `cancelled` error.
    pub fn cancel(&self) {
        self.cancel.cancel()
    }

    /// Creates the account (with EAB when configured), or finds the one the
    /// key already has.
    pub async fn account(&self) -> Result<Account> {
        Ok(self.inner.account().await?)
    }

    /// Looks the key's account up without creating one.
    pub async fn find_account(&self) -> Result<Account> {
        Ok(self.inner.find_account().await?)
    }

    /// Issues a certificate, solving challenges with the solver.
    pub async fn issue(&self, options: AcmeIssueOptions) -> Result<Issued> {
        Ok(self.inner.issue(options.into()).await?)
    }

    /// Issues for DNS names with a CSR (DER or PEM).
    pub async fn issue_for(&self, names: Vec<String>, csr: Vec<u8>) -> Result<Issued> {
        Ok(self.inner.issue_for(&names, &csr).await?)
    }

    /// The server's renewal window for `certificate` (RFC 9773), or `None`
    /// when the directory has no `renewalInfo`.
    pub async fn renewal_info(&self, certificate: Vec<u8>) -> Result<Option<RenewalInfo>> {
        Ok(self.inner.renewal_info(&certificate).await?)
    }

    /// Renews `certificate` (PEM or DER): a new order naming it in
    /// `replaces` when the server offers ARI.
    pub async fn renew(&self, certificate: Vec<u8>, options: AcmeIssueOptions) -> Result<Issued> {
        Ok(self.inner.renew(&certificate, options.into()).await?)
    }

    /// Revokes `certificate` (PEM or DER) as the account; `reason` is an
    /// RFC 5280 CRLReason code.
    #[uniffi::method(default(reason = None))]
    pub async fn revoke(&self, certificate: Vec<u8>, reason: Option<u8>) -> Result<()> {
        Ok(self.inner.revoke(&certificate, reason).await?)
    }

    /// Revokes `certificate` signed by its own private key (PEM).
    #[uniffi::method(default(reason = None))]
    pub async fn revoke_with_certificate_key(
        &self,
        certificate: Vec<u8>,
        certificate_key_pem: String,
        reason: Option<u8>,
    ) -> Result<()> {
        let key = AccountKey::from_pem(&certificate_key_pem)?;
        Ok(self
            .inner
            .revoke_with_certificate_key(&certificate, key, reason)
            .await?)
    }

    /// Fetches an order.
    pub async fn order(&self, url: String) -> Result<Order> {
        Ok(self.inner.order(&url).await?)
    }

    /// Fetches an authorization.
    pub async fn authorization(&self, url: String) -> Result<Authorization> {
        Ok(self.inner.authorization(&url).await?)
    }

    /// Pre-authorizes an identifier where the directory offers `newAuthz`.
    pub async fn new_authorization(&self, identifier: Identifier) -> Result<Authorization> {
        Ok(self.inner.new_authorization(identifier).await?)
    }

    /// Deactivates an authorization.
    pub async fn deactivate_authorization(&self, url: String) -> Result<Authorization> {
        Ok(self.inner.deactivate_authorization(&url).await?)
    }

    /// Downloads a certificate chain (e.g. an alternate).
    pub async fn download(&self, url: String) -> Result<CertificateChain> {
        Ok(self.inner.download(&url).await?)
    }

    /// Rolls the account over to `new_key`; later calls sign with it.
    pub async fn change_key(&self, new_key: Arc<AcmeAccountKey>) -> Result<()> {
        Ok(self.inner.change_key(new_key.0.clone()).await?)
    }

    /// Deactivates the account; it cannot be used afterwards.
    pub async fn deactivate(&self) -> Result<Account> {
        Ok(self.inner.deactivate().await?)
    }
}
