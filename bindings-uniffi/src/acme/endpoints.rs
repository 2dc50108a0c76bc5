//! Sans-IO: one request builder and one response parser per ACME endpoint
//! (RFC 8555 section 7), each a one-line call into `certbridge::acme`.

use std::sync::Arc;

use certbridge::acme::account::{KeyChange, NewAccount, UpdateAccount};
use certbridge::acme::ari::{GetRenewalInfo, RenewalInfo};
use certbridge::acme::authorization::{
    Authorization, DeactivateAuthorization, GetAuthorization, NewAuthz,
};
use certbridge::acme::certificate::DownloadCertificate;
use certbridge::acme::challenge::RespondChallenge;
use certbridge::acme::directory::{Directory, GetDirectory};
use certbridge::acme::jws::KeyRef;
use certbridge::acme::nonce::NewNonce;
use certbridge::acme::order::{Finalize, GetOrder, NewOrder, Order};
use certbridge::acme::revoke::RevokeCert;
use certbridge::acme::{
    self as core, Account, AccountKey, CertificateChain, Challenge, Identifier,
};
use certbridge::{HttpRequest, HttpResponse, Timestamp};

use super::keys::{AcmeAccountKey, AcmeEabKey};
use crate::error::CertbridgeError;

type Result<T> = std::result::Result<T, CertbridgeError>;

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
