//! ACME (RFC 8555 + EAB) and the IdenTrust reseller API, sans-IO: the
//! account key, EAB credentials, every signed request builder and every
//! response parser of `certbridge::acme` and `certbridge::identrust`. The
//! caller sends requests with any HTTP stack and keeps the nonces
//! (`Replay-Nonce` of every answer); `AcmeClient` (acme_client.rs) does it
//! all.

use certbridge::acme::account::{KeyChange, NewAccount, UpdateAccount};
use certbridge::acme::ari::GetRenewalInfo;
use certbridge::acme::authorization::{DeactivateAuthorization, GetAuthorization, NewAuthz};
use certbridge::acme::certificate::DownloadCertificate;
use certbridge::acme::challenge::RespondChallenge;
use certbridge::acme::directory::GetDirectory;
use certbridge::acme::jws::KeyRef;
use certbridge::acme::nonce::NewNonce;
use certbridge::acme::order::{Finalize, GetOrder, NewOrder};
use certbridge::acme::revoke::RevokeCert;
use certbridge::acme::{problem, AccountKey, Challenge, EabKey, Identifier};
use certbridge::identrust::reseller::ResellerAccount;
use certbridge::identrust::{CreateAccount, Environment};
use certbridge::{Error, HttpRequest, Secret};
use js_sys::{Array, Object};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{
    absent, bytes_or_text, from_js, get, now_or_date, opt_bool, opt_str_member, request_to_js,
    response_from_js, set, str_member, strings, to_js,
};
use crate::crypto::json_to_js;
use crate::error::js;
use crate::types::*;

/// An ACME account key (ES256 by default, or RS256): signs every request.
#[wasm_bindgen(js_name = AccountKey)]
#[derive(Clone)]
pub struct JsAccountKey {
    pub(crate) inner: AccountKey,
}

/// A new ES256 account key from Web Crypto's random source.
#[wasm_bindgen(js_name = generateAccountKey)]
pub fn generate_account_key() -> JsAccountKey {
    JsAccountKey {
        inner: certbridge::client::generate_account_key(),
    }
}

#[wasm_bindgen(js_class = AccountKey)]
impl JsAccountKey {
    /// A new ES256 (P-256) key.
    pub fn generate() -> JsAccountKey {
        generate_account_key()
    }

    /// A new RS256 key of `bits` (2048 to 4096).
    #[wasm_bindgen(js_name = generateRsa)]
    pub fn generate_rsa(bits: u32) -> Result<JsAccountKey, JsValue> {
        js(AccountKey::generate_rs256(
            &mut rand_core::OsRng,
            bits as usize,
        ))
        .map(|inner| JsAccountKey { inner })
    }

    /// Imports a PEM key (PKCS#8, SEC 1 or PKCS#1; P-256 or RSA).
    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(pem: &str) -> Result<JsAccountKey, JsValue> {
        js(AccountKey::from_pem(pem)).map(|inner| JsAccountKey { inner })
    }

    /// The key as PKCS#8 PEM: a secret, store it to keep the account.
    #[wasm_bindgen(js_name = toPkcs8Pem)]
    pub fn to_pkcs8_pem(&self) -> Result<String, JsValue> {
        js(self.inner.to_pkcs8_pem()).map(|p| p.expose().to_string())
    }

    /// `ES256` or `RS256`.
    #[wasm_bindgen(getter)]
    pub fn alg(&self) -> String {
        self.inner.alg().to_string()
    }

    /// The public JWK.
    pub fn jwk(&self) -> Result<JsJwk, JsValue> {
        js(json_to_js(&self.inner.jwk())).map(JsCast::unchecked_into)
    }

    /// The RFC 7638 thumbprint (base64url), as in key authorizations.
    pub fn thumbprint(&self) -> String {
        self.inner.thumbprint()
    }
}

fn req(r: Result<HttpRequest, Error>) -> Result<JsHttpRequest, JsValue> {
    js(r).map(|r| request_to_js(&r).unchecked_into())
}

fn val<T: JsCast, V: serde::Serialize>(r: Result<V, Error>) -> Result<T, JsValue> {
    js(r.and_then(|v| to_js(&v))).map(JsCast::unchecked_into)
}

/// `{kid, hmacKey}` (the key in any base64 spelling) as an EAB key.
pub(crate) fn eab_key(v: &JsValue) -> Result<EabKey, Error> {
    let secret = Secret::new(str_member(v, "hmacKey", "hmac_key")?);
    EabKey::new(&str_member(v, "kid", "kid")?, secret.expose())
}

/// An identifier: a DNS name as text, or `{type: "dns" | "ip", value}`.
pub(crate) fn identifier(v: &JsValue) -> Result<Identifier, Error> {
    if let Some(name) = v.as_string() {
        return Identifier::dns(&name);
    }
    let value = str_member(v, "value", "identifier.value")?;
    match opt_str_member(v, "type", "identifier.type")?.as_deref() {
        None | Some("dns") => Identifier::dns(&value),
        Some("ip") => Identifier::ip(&value),
        Some(_) => Err(Error::invalid_input(
            "identifier.type",
            "must be \"dns\" or \"ip\"",
        )),
    }
}

/// A list of identifiers.
pub(crate) fn identifiers(v: &JsValue) -> Result<Vec<Identifier>, Error> {
    if absent(v) {
        return Ok(Vec::new());
    }
    let a = v
        .dyn_ref::<Array>()
        .ok_or_else(|| Error::invalid_input("identifiers", "must be an array"))?;
    a.iter().map(|i| identifier(&i)).collect()
}

/// An RFC 5280 CRLReason code (0 to 10).
pub(crate) fn crl_reason(reason: Option<u32>) -> Result<Option<u8>, Error> {
    reason
        .map(|r| {
            u8::try_from(r)
                .ok()
                .filter(|r| *r <= 10)
                .ok_or_else(|| Error::invalid_input("reason", "must be a CRLReason code, 0 to 10"))
        })
        .transpose()
}

/// Normalises EAB credentials: `{kid, hmacKeyB64url}` with the key in the
/// unpadded base64url form JWS uses, whatever base64 spelling was given.
#[wasm_bindgen(js_name = acmeEabKey)]
pub fn acme_eab_key(eab: &JsEabCredentials) -> Result<JsEabNormalized, JsValue> {
    js(eab_key(eab)).map(|k| {
        let o = Object::new();
        set(&o, "kid", k.kid());
        set(&o, "hmacKeyB64url", k.hmac_key_b64url().expose());
        o.unchecked_into()
    })
}

/// The `externalAccountBinding` JWS binding `jwk` (an account key's public
/// JWK) to the external account, for the newAccount at `newAccountUrl`.
#[wasm_bindgen(js_name = acmeEabBinding)]
pub fn acme_eab_binding(
    eab: &JsEabCredentials,
    jwk: &JsJwk,
    #[wasm_bindgen(js_name = newAccountUrl)] new_account_url: &str,
) -> Result<JsJws, JsValue> {
    js((|| {
        let jwk: Value = serde_wasm_bindgen::from_value((**jwk).clone())
            .map_err(|e| Error::invalid_input("jwk", e.to_string()))?;
        json_to_js(&eab_key(eab)?.binding_for_jwk(&jwk, new_account_url))
    })())
    .map(JsCast::unchecked_into)
}

/// `GET` of the directory.
#[wasm_bindgen(js_name = acmeDirectoryRequest)]
pub fn directory_request(url: &str) -> JsHttpRequest {
    request_to_js(&GetDirectory::request(url)).unchecked_into()
}

/// Parses the directory.
#[wasm_bindgen(js_name = acmeParseDirectory)]
pub fn parse_directory(
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<JsAcmeDirectory, JsValue> {
    val(response_from_js(response).and_then(|r| GetDirectory::parse(&r, now_or_date(now))))
}

/// `HEAD` of `newNonce`: a fresh nonce comes back in `Replay-Nonce`.
#[wasm_bindgen(js_name = acmeNewNonceRequest)]
pub fn new_nonce_request(
    #[wasm_bindgen(js_name = newNonceUrl)] new_nonce_url: &str,
) -> JsHttpRequest {
    request_to_js(&NewNonce::request(new_nonce_url)).unchecked_into()
}

/// The `Replay-Nonce` of an answer, if any.
#[wasm_bindgen(js_name = acmeReplayNonce)]
pub fn replay_nonce(response: &JsHttpResponse) -> Result<Option<String>, JsValue> {
    js(response_from_js(response).map(|r| {
        let mut pool = certbridge::acme::NoncePool::new();
        pool.absorb(&r);
        pool.take()
    }))
}

/// `newAccount`, signed with the key's `jwk`.
#[wasm_bindgen(js_name = acmeNewAccountRequest)]
pub fn new_account_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = newAccountUrl)] new_account_url: &str,
    nonce: &str,
    options: Option<JsAcmeNewAccountOptions>,
) -> Result<JsHttpRequest, JsValue> {
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    req((|| {
        let contact = strings(&get(&options, "contact"), "contact")?;
        let eab = get(&options, "eab");
        let eab = if absent(&eab) {
            None
        } else {
            Some(eab_key(&eab)?)
        };
        NewAccount {
            contact: &contact,
            terms_of_service_agreed: opt_bool(
                &options,
                "termsOfServiceAgreed",
                "terms_of_service_agreed",
            )?
            .unwrap_or(false),
            only_return_existing: opt_bool(&options, "onlyReturnExisting", "only_return_existing")?
                .unwrap_or(false),
            eab: eab.as_ref(),
        }
        .request(&key.inner, new_account_url, nonce)
    })())
}

/// Parses a newAccount answer (201 created, 200 found).
#[wasm_bindgen(js_name = acmeParseAccount)]
pub fn parse_account(
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<JsAcmeAccount, JsValue> {
    val(response_from_js(response).and_then(|r| NewAccount::parse(&r, now_or_date(now))))
}

/// Deactivates the account.
#[wasm_bindgen(js_name = acmeDeactivateAccountRequest)]
pub fn deactivate_account_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(UpdateAccount::deactivate(&key.inner, account_url, nonce))
}

/// Rolls the account over from `key` to `newKey` (RFC 8555 section 7.3.5).
#[wasm_bindgen(js_name = acmeKeyChangeRequest)]
pub fn key_change_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = newKey)] new_key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    #[wasm_bindgen(js_name = keyChangeUrl)] key_change_url: &str,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(KeyChange::request(
        &key.inner,
        &new_key.inner,
        account_url,
        key_change_url,
        nonce,
    ))
}

/// `newOrder`.
#[wasm_bindgen(js_name = acmeNewOrderRequest)]
pub fn new_order_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    #[wasm_bindgen(js_name = newOrderUrl)] new_order_url: &str,
    nonce: &str,
    options: &JsAcmeNewOrderOptions,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        let ids = identifiers(&get(options, "identifiers"))?;
        let profile = opt_str_member(options, "profile", "profile")?;
        let replaces = opt_str_member(options, "replaces", "replaces")?;
        let not_before = opt_str_member(options, "notBefore", "not_before")?;
        let not_after = opt_str_member(options, "notAfter", "not_after")?;
        NewOrder {
            identifiers: &ids,
            profile: profile.as_deref(),
            replaces: replaces.as_deref(),
            not_before: not_before.as_deref(),
            not_after: not_after.as_deref(),
        }
        .request(&key.inner, account_url, new_order_url, nonce)
    })())
}

/// A POST-as-GET of any resource (order, authorization, challenge).
#[wasm_bindgen(js_name = acmePostAsGetRequest)]
pub fn post_as_get_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    url: &str,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(GetOrder::request(&key.inner, account_url, url, nonce))
}

/// Parses an order: a newOrder answer without `orderUrl` (taken from
/// `Location`), a fetched order with it.
#[wasm_bindgen(js_name = acmeParseOrder)]
pub fn parse_order(
    response: &JsHttpResponse,
    now: Option<f64>,
    #[wasm_bindgen(js_name = orderUrl)] order_url: Option<String>,
) -> Result<JsAcmeOrder, JsValue> {
    val(response_from_js(response).and_then(|r| match &order_url {
        None => NewOrder::parse(&r, now_or_date(now)),
        Some(url) => GetOrder::parse(&r, now_or_date(now), url),
    }))
}

/// Finalizes an order with a CSR (PEM or DER).
#[wasm_bindgen(js_name = acmeFinalizeRequest)]
pub fn finalize_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    #[wasm_bindgen(js_name = finalizeUrl)] finalize_url: &str,
    csr: &JsCertificate,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(bytes_or_text(csr, "csr")
        .and_then(|csr| Finalize::request(&key.inner, account_url, finalize_url, &csr, nonce)))
}

/// `newAuthz`: pre-authorizes an identifier.
#[wasm_bindgen(js_name = acmeNewAuthzRequest)]
pub fn new_authz_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    #[wasm_bindgen(js_name = newAuthzUrl)] new_authz_url: &str,
    #[wasm_bindgen(js_name = identifierValue)] identifier_value: &JsAcmeIdentifierInput,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(identifier(identifier_value)
        .and_then(|id| NewAuthz::request(&key.inner, account_url, new_authz_url, &id, nonce)))
}

/// Deactivates an authorization.
#[wasm_bindgen(js_name = acmeDeactivateAuthorizationRequest)]
pub fn deactivate_authorization_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    url: &str,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(DeactivateAuthorization::request(
        &key.inner,
        account_url,
        url,
        nonce,
    ))
}

/// Parses an authorization: a newAuthz answer without `url`, a fetched one
/// with it.
#[wasm_bindgen(js_name = acmeParseAuthorization)]
pub fn parse_authorization(
    response: &JsHttpResponse,
    now: Option<f64>,
    url: Option<String>,
) -> Result<JsAcmeAuthorization, JsValue> {
    val(response_from_js(response).and_then(|r| match &url {
        None => NewAuthz::parse(&r, now_or_date(now)),
        Some(url) => GetAuthorization::parse(&r, now_or_date(now), url),
    }))
}

/// Tells the server a challenge is ready (`{}`).
#[wasm_bindgen(js_name = acmeRespondChallengeRequest)]
pub fn respond_challenge_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    url: &str,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(RespondChallenge::request(
        &key.inner,
        account_url,
        url,
        nonce,
    ))
}

/// Parses a challenge.
#[wasm_bindgen(js_name = acmeParseChallenge)]
pub fn parse_challenge(
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<JsAcmeChallenge, JsValue> {
    val(response_from_js(response).and_then(|r| RespondChallenge::parse(&r, now_or_date(now))))
}

/// What to publish for `challenge` of `identifier`: the http-01 file, the
/// dns-01 TXT record or the tls-alpn-01 digest, for the account key with
/// `thumbprint` (`AccountKey.thumbprint()`).
#[wasm_bindgen(js_name = acmeChallengeTask)]
pub fn challenge_task(
    challenge: &JsAcmeChallenge,
    #[wasm_bindgen(js_name = identifierValue)] identifier_value: &JsAcmeIdentifierInput,
    thumbprint: &str,
) -> Result<JsChallengeTask, JsValue> {
    val((|| {
        let c: Challenge = from_js((**challenge).clone(), "challenge")?;
        c.task_with_thumbprint(&identifier(identifier_value)?, thumbprint)
    })())
}

/// Downloads the certificate chain (PEM).
#[wasm_bindgen(js_name = acmeDownloadCertificateRequest)]
pub fn download_certificate_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: &str,
    url: &str,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(DownloadCertificate::request(
        &key.inner,
        account_url,
        url,
        nonce,
    ))
}

/// Parses a downloaded chain (and its `Link: rel="alternate"` chains).
#[wasm_bindgen(js_name = acmeParseCertificate)]
pub fn parse_certificate(
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<JsAcmeCertificateChain, JsValue> {
    val(response_from_js(response).and_then(|r| DownloadCertificate::parse(&r, now_or_date(now))))
}

/// Revokes a certificate (PEM or DER): as the account when `accountUrl` is
/// given, else signed by the certificate's own key (`key` is then that key).
/// `reason` is an RFC 5280 CRLReason code.
#[wasm_bindgen(js_name = acmeRevokeRequest)]
pub fn revoke_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: Option<String>,
    #[wasm_bindgen(js_name = revokeUrl)] revoke_url: &str,
    certificate: &JsCertificate,
    reason: Option<u32>,
    nonce: &str,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        let cert = bytes_or_text(certificate, "certificate")?;
        let reason = crl_reason(reason)?;
        match account_url.as_deref().filter(|a| !a.is_empty()) {
            Some(acct) => {
                RevokeCert::by_account(&key.inner, acct, revoke_url, &cert, reason, nonce)
            }
            None => RevokeCert::by_certificate_key(&key.inner, revoke_url, &cert, reason, nonce),
        }
    })())
}

/// Checks an answer that has no body to parse (revocation, key change):
/// a problem document becomes the thrown error.
#[wasm_bindgen(js_name = acmeCheckResponse)]
pub fn check_response(response: &JsHttpResponse, now: Option<f64>) -> Result<(), JsValue> {
    js(response_from_js(response).and_then(|r| problem::check(&r, now_or_date(now), "acme")))
}

/// A JWS POST of `payload` (any JSON; `undefined` for POST-as-GET), with
/// `kid` when `accountUrl` is given, else `jwk`.
#[wasm_bindgen(js_name = acmeSignedRequest)]
pub fn signed_request(
    key: &JsAccountKey,
    #[wasm_bindgen(js_name = accountUrl)] account_url: Option<String>,
    url: &str,
    nonce: &str,
    payload: Option<JsJsonValue>,
) -> Result<JsHttpRequest, JsValue> {
    let payload: JsValue = payload.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    req((|| {
        let payload = if absent(&payload) {
            None
        } else {
            let v: Value = serde_wasm_bindgen::from_value(payload)
                .map_err(|e| Error::invalid_input("payload", e.to_string()))?;
            Some(
                serde_json::to_vec(&v)
                    .map_err(|e| Error::invalid_input("payload", e.to_string()))?,
            )
        };
        let key_ref = match account_url.as_deref().filter(|a| !a.is_empty()) {
            Some(acct) => KeyRef::Kid(acct),
            None => KeyRef::Jwk,
        };
        key.inner.post(key_ref, url, nonce, payload.as_deref())
    })())
}

/// Verifies a flattened JWS (a request body) with `key`: `{header,
/// payload}` (the payload parsed as JSON, `null` when empty).
#[wasm_bindgen(js_name = acmeVerifyJws)]
pub fn verify_jws(jws: &JsJws, key: &JsAccountKey) -> Result<JsVerifiedJws, JsValue> {
    js((|| {
        let body: Value = serde_wasm_bindgen::from_value((**jws).clone())
            .map_err(|e| Error::invalid_input("jws", e.to_string()))?;
        let (header, payload) = certbridge::acme::jws::verify(&body, &key.inner)?;
        let payload: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
        let o = Object::new();
        set(&o, "header", json_to_js(&header)?);
        set(&o, "payload", json_to_js(&payload)?);
        Ok(o)
    })())
    .map(JsCast::unchecked_into)
}

/// The ARI certID of a certificate (RFC 9773 section 4.1).
#[wasm_bindgen(js_name = acmeCertId)]
pub fn cert_id(certificate: &JsCertificate) -> Result<String, JsValue> {
    js(bytes_or_text(certificate, "certificate").and_then(|c| certbridge::acme::cert_id(&c)))
}

/// `GET {renewalInfo}/{certId}`.
#[wasm_bindgen(js_name = acmeRenewalInfoRequest)]
pub fn renewal_info_request(
    #[wasm_bindgen(js_name = renewalInfoUrl)] renewal_info_url: &str,
    #[wasm_bindgen(js_name = certId)] cert_id: &str,
) -> JsHttpRequest {
    request_to_js(&GetRenewalInfo::request(renewal_info_url, cert_id)).unchecked_into()
}

/// Parses a renewal window.
#[wasm_bindgen(js_name = acmeParseRenewalInfo)]
pub fn parse_renewal_info(
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<JsAcmeRenewalInfo, JsValue> {
    val(response_from_js(response).and_then(|r| GetRenewalInfo::parse(&r, now_or_date(now))))
}

/// `{resellerBase, acmeBase, allowInsecureHttp?}`, or IdenTrust staging
/// when absent.
pub(crate) fn environment(v: &JsValue) -> Result<Environment, Error> {
    let reseller = opt_str_member(v, "resellerBase", "reseller_base")?;
    let acme = opt_str_member(v, "acmeBase", "acme_base")?;
    match (reseller, acme) {
        (Some(r), Some(a)) => {
            Environment::custom_allowing_insecure_http(&r, &a, crate::convert::insecure_http(v)?)
        }
        (None, None) => Ok(Environment::staging()),
        (Some(_), None) => Err(Error::invalid_input(
            "acme_base",
            "is required with resellerBase",
        )),
        (None, Some(_)) => Err(Error::invalid_input(
            "reseller_base",
            "is required with acmeBase",
        )),
    }
}

/// The ACME directory URL of an IdenTrust `profile` (e.g. `TLS-90d`).
#[wasm_bindgen(js_name = identrustDirectoryUrl)]
pub fn identrust_directory_url(
    #[wasm_bindgen(js_name = environment)] environment_value: Option<JsIdenTrustEnvironment>,
    profile: &str,
) -> Result<String, JsValue> {
    let env: JsValue = environment_value
        .map(Into::into)
        .unwrap_or(JsValue::UNDEFINED);
    js(environment(&env).and_then(|e| e.directory_url(profile)))
}

/// `POST {resellerBase}/account {customer_email}` with the reseller API key.
#[wasm_bindgen(js_name = identrustCreateAccountRequest)]
pub fn identrust_create_account_request(
    #[wasm_bindgen(js_name = resellerBase)] reseller_base: &str,
    #[wasm_bindgen(js_name = apiKey)] api_key: &str,
    #[wasm_bindgen(js_name = customerEmail)] customer_email: &str,
) -> Result<JsHttpRequest, JsValue> {
    req(CreateAccount { customer_email }.request(reseller_base, &Secret::new(api_key)))
}

/// A reseller account as JS: its fields plus the EAB credentials
/// (`eabKid`, `eabHmacKeyB64url`).
pub(crate) fn reseller_account_to_js(a: &ResellerAccount) -> Result<JsValue, Error> {
    let v = to_js(a)?;
    let o: &Object = v.unchecked_ref();
    set(o, "eabKid", a.eab.kid());
    set(o, "eabHmacKeyB64url", a.eab.hmac_key_b64url().expose());
    Ok(v)
}

/// The JS form of a reseller account back as the core's.
pub(crate) fn reseller_account_from_js(v: &JsValue) -> Result<ResellerAccount, Error> {
    if !v.is_object() {
        return Err(Error::invalid_input("account", "must be an object"));
    }
    let id = get(v, "id");
    let id: Value = if absent(&id) {
        Value::Null
    } else {
        serde_wasm_bindgen::from_value(id)
            .map_err(|e| Error::invalid_input("account.id", e.to_string()))?
    };
    let kid = str_member(v, "eabKid", "account.eab_kid")?;
    let hmac = Secret::new(str_member(
        v,
        "eabHmacKeyB64url",
        "account.eab_hmac_key_b64url",
    )?);
    Ok(ResellerAccount {
        id,
        kid: opt_str_member(v, "kid", "account.kid")?.unwrap_or_else(|| kid.clone()),
        reseller_code: opt_str_member(v, "resellerCode", "account.reseller_code")?,
        email: opt_str_member(v, "email", "account.email")?,
        revoked: opt_bool(v, "revoked", "account.revoked")?.unwrap_or(false),
        deleted: opt_bool(v, "deleted", "account.deleted")?.unwrap_or(false),
        eab: EabKey::new(&kid, hmac.expose())?,
    })
}

/// Parses the reseller's new account, with its EAB credentials.
#[wasm_bindgen(js_name = identrustParseCreateAccount)]
pub fn identrust_parse_create_account(
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<JsIdenTrustAccount, JsValue> {
    js(response_from_js(response)
        .and_then(|r| CreateAccount::parse(&r, now_or_date(now)))
        .and_then(|a| reseller_account_to_js(&a)))
    .map(JsCast::unchecked_into)
}
