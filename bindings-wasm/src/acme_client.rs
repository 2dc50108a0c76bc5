//! `AcmeClient` and `IdenTrustClient`: the core's async ACME and IdenTrust
//! reseller clients with Promise methods. Challenges are published by the
//! caller's `solver` (`publish(tasks)` and optional `cleanup(tasks)`, both
//! may return Promises).

use std::rc::Rc;
use std::sync::Arc;

use async_trait::async_trait;
use certbridge::acme::flow::AccountOptions;
use certbridge::acme::{ChallengeType, IssueOptions};
use certbridge::client::{AcmeClient, ChallengeSolver, Driver, IdenTrustClient};
use certbridge::{ChallengeTask, Deadline, Error, Secret};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::acme::{
    crl_reason, eab_key, environment, identifier, identifiers, reseller_account_from_js,
    reseller_account_to_js, JsAccountKey,
};
use crate::client::{driver, positive, promise, LocalTask};
use crate::convert::{
    absent, bytes_or_text, from_js_as_is, get, opt_bool, opt_str_member, str_member, strings, to_js,
};
use crate::error::{error_to_js, js};
use crate::host::JsClock;
use crate::types::*;

/// The caller's `{publish, cleanup?}` as the core's challenge solver.
struct JsSolver {
    solver: JsValue,
}

impl JsSolver {
    async fn call(&self, name: &str, tasks: &[ChallengeTask]) -> Result<(), Error> {
        let f = get(&self.solver, name);
        let Some(f) = f.dyn_ref::<Function>() else {
            return Ok(());
        };
        let returned = f
            .call1(&self.solver, &to_js(&tasks)?)
            .map_err(|e| solver_error(name, &e))?;
        JsFuture::from(Promise::resolve(&returned))
            .await
            .map(|_| ())
            .map_err(|e| solver_error(name, &e))
    }
}

/// A solver that threw: the error as the core's transport-free kind, so
/// the caller sees its own message.
fn solver_error(name: &str, e: &JsValue) -> Error {
    let message = get(e, "message")
        .as_string()
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "failed".to_string());
    Error::protocol("challenge solver", format!("{name}: {message}"))
}

#[async_trait(?Send)]
impl ChallengeSolver for JsSolver {
    async fn publish(&self, tasks: &[ChallengeTask]) -> Result<(), Error> {
        self.call("publish", tasks).await
    }

    async fn cleanup(&self, tasks: &[ChallengeTask]) {
        let _ = self.call("cleanup", tasks).await;
    }
}

/// The driver of `options`, with `options.solver` when given.
#[allow(clippy::arc_with_non_send_sync)]
fn acme_driver(options: &JsValue) -> Result<Driver, Error> {
    let driver = driver(options)?;
    let solver = get(options, "solver");
    if absent(&solver) {
        return Ok(driver);
    }
    if !get(&solver, "publish").is_function() {
        return Err(Error::invalid_input(
            "solver",
            "must be an object with a publish(tasks) function",
        ));
    }
    Ok(driver.with_solver(Arc::new(JsSolver { solver })))
}

/// An ACME client for one account at one directory: account, issuance with
/// challenges, renewal (ARI), revocation, key change. Every method returns
/// a Promise; failures reject with a `CertbridgeError`.
#[wasm_bindgen(js_name = AcmeClient)]
pub struct JsAcmeClient {
    inner: Rc<AcmeClient>,
}

/// Adds `eab`, `contact` and `accountUrl` of `options` to a client.
fn configure(mut client: AcmeClient, options: &JsValue) -> Result<AcmeClient, Error> {
    let eab = get(options, "eab");
    if !absent(&eab) {
        client = client.with_eab(eab_key(&eab)?);
    }
    let contact = strings(&get(options, "contact"), "contact")?;
    if !contact.is_empty() {
        client = client.with_contact(contact);
    }
    if let Some(url) = opt_str_member(options, "accountUrl", "account_url")? {
        client = client.with_account_url(&url);
    }
    Ok(client)
}

/// Issue options: identifiers, CSR, challenge types, profile, replaces,
/// validity, alternates, timeout.
pub(crate) fn issue_options(v: &JsValue) -> Result<IssueOptions, Error> {
    let ids = identifiers(&get(v, "identifiers"))?;
    let csr = bytes_or_text(&get(v, "csr"), "csr")?;
    let mut options = IssueOptions::new(ids, certbridge::acme::order::csr_der(&csr)?);
    let types = strings(&get(v, "challengeTypes"), "challenge_types")?;
    if !types.is_empty() {
        options.challenge_types = types
            .iter()
            .map(|t| {
                serde_json::from_value::<ChallengeType>(serde_json::Value::String(t.clone()))
                    .map_err(|_| {
                        Error::invalid_input(
                            "challenge_types",
                            "must be http-01, dns-01 or tls-alpn-01",
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
    }
    options.profile = opt_str_member(v, "profile", "profile")?;
    options.replaces = opt_str_member(v, "replaces", "replaces")?;
    options.not_before = opt_str_member(v, "notBefore", "not_before")?;
    options.not_after = opt_str_member(v, "notAfter", "not_after")?;
    options.fetch_alternates = opt_bool(v, "fetchAlternates", "fetch_alternates")?.unwrap_or(false);
    if let Some(ms) = positive(v, "timeoutMs", "timeout_ms")? {
        options.deadline = Deadline::at(certbridge::client::Clock::now(&JsClock).plus_millis(ms));
    }
    let eab = get(v, "eab");
    let contact = strings(&get(v, "contact"), "contact")?;
    if !absent(&eab) || !contact.is_empty() {
        options.account = AccountOptions {
            contact,
            terms_of_service_agreed: true,
            eab: if absent(&eab) {
                None
            } else {
                Some(eab_key(&eab)?)
            },
            only_return_existing: false,
        };
    }
    Ok(options)
}

#[wasm_bindgen(js_class = AcmeClient)]
impl JsAcmeClient {
    /// Fetches the directory at `directoryUrl` and makes a client signing
    /// with `key`.
    pub fn connect(
        #[wasm_bindgen(js_name = directoryUrl)] directory_url: String,
        key: &JsAccountKey,
        options: Option<JsAcmeClientOptions>,
    ) -> PromiseAcmeClient {
        let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
        let key = key.inner.clone();
        let task: LocalTask = Box::pin(async move {
            let made = async {
                let driver = acme_driver(&options)?;
                let client = AcmeClient::connect_allowing_insecure_http(
                    driver,
                    &directory_url,
                    key,
                    crate::convert::insecure_http(&options)?,
                )
                .await?;
                configure(client, &options)
            }
            .await;
            made.map(|c| JsAcmeClient { inner: Rc::new(c) }.into())
                .map_err(|e| error_to_js(&e))
        });
        future_to_promise(task).unchecked_into()
    }

    /// A client for a directory fetched earlier (`acmeParseDirectory`, or
    /// another client's `directory`), without fetching it again.
    #[wasm_bindgen(js_name = withDirectory)]
    pub fn with_directory(
        directory: &JsAcmeDirectory,
        key: &JsAccountKey,
        options: Option<JsAcmeClientOptions>,
    ) -> Result<JsAcmeClient, JsValue> {
        let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
        js((|| {
            // The record's keys are the directory's own camelCase names.
            let directory = from_js_as_is((**directory).clone(), "directory")?;
            let client =
                AcmeClient::with_directory(acme_driver(&options)?, directory, key.inner.clone());
            configure(client, &options)
        })())
        .map(|c| JsAcmeClient { inner: Rc::new(c) })
    }

    /// The directory.
    #[wasm_bindgen(getter)]
    pub fn directory(&self) -> Result<JsAcmeDirectory, JsValue> {
        js(to_js(&self.inner.directory())).map(JsCast::unchecked_into)
    }

    /// The account URL, once known.
    #[wasm_bindgen(getter, js_name = accountUrl)]
    pub fn account_url(&self) -> Option<String> {
        self.inner.account_url()
    }

    /// The account key in use (after a key change, the new one).
    pub fn key(&self) -> Option<JsAccountKey> {
        self.inner.key().map(|inner| JsAccountKey { inner })
    }

    /// Creates the account (with EAB when configured), or finds the one the
    /// key already has.
    pub fn account(&self) -> PromiseAcmeAccount {
        promise(&self.inner, |c| async move { to_js(&c.account().await?) }).unchecked_into()
    }

    /// Looks the key's account up without creating one.
    #[wasm_bindgen(js_name = findAccount)]
    pub fn find_account(&self) -> PromiseAcmeAccount {
        promise(
            &self.inner,
            |c| async move { to_js(&c.find_account().await?) },
        )
        .unchecked_into()
    }

    /// Issues a certificate, solving challenges with `options.solver` of the
    /// client.
    pub fn issue(&self, options: &JsAcmeIssueOptions) -> PromiseAcmeIssued {
        let options = issue_options(options);
        promise(
            &self.inner,
            |c| async move { to_js(&c.issue(options?).await?) },
        )
        .unchecked_into()
    }

    /// Issues for DNS names with a CSR (PEM or DER).
    #[wasm_bindgen(js_name = issueFor)]
    pub fn issue_for(&self, names: JsStrings, csr: &JsCertificate) -> PromiseAcmeIssued {
        let names = strings(&names, "names");
        let csr = bytes_or_text(csr, "csr");
        promise(&self.inner, |c| async move {
            to_js(&c.issue_for(&names?, &csr?).await?)
        })
        .unchecked_into()
    }

    /// The server's renewal window for `certificate` (RFC 9773), or
    /// `undefined` when the directory has no `renewalInfo`.
    #[wasm_bindgen(js_name = renewalInfo)]
    pub fn renewal_info(&self, certificate: &JsCertificate) -> PromiseAcmeRenewalInfo {
        let cert = bytes_or_text(certificate, "certificate");
        promise(&self.inner, |c| async move {
            match c.renewal_info(&cert?).await? {
                Some(info) => to_js(&info),
                None => Ok(JsValue::UNDEFINED),
            }
        })
        .unchecked_into()
    }

    /// Renews `certificate`: a new order for `options` naming the old
    /// certificate in `replaces` when the server offers ARI.
    pub fn renew(
        &self,
        certificate: &JsCertificate,
        options: &JsAcmeIssueOptions,
    ) -> PromiseAcmeIssued {
        let cert = bytes_or_text(certificate, "certificate");
        let options = issue_options(options);
        promise(&self.inner, |c| async move {
            to_js(&c.renew(&cert?, options?).await?)
        })
        .unchecked_into()
    }

    /// Revokes `certificate` (PEM or DER) as the account; `reason` is an
    /// RFC 5280 CRLReason code.
    pub fn revoke(&self, certificate: &JsCertificate, reason: Option<u32>) -> PromiseVoid {
        let cert = bytes_or_text(certificate, "certificate");
        let reason = crl_reason(reason);
        promise(&self.inner, |c| async move {
            c.revoke(&cert?, reason?).await.map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// Revokes `certificate` by signing with its own key.
    #[wasm_bindgen(js_name = revokeWithCertificateKey)]
    pub fn revoke_with_certificate_key(
        &self,
        certificate: &JsCertificate,
        #[wasm_bindgen(js_name = certificateKey)] certificate_key: &JsAccountKey,
        reason: Option<u32>,
    ) -> PromiseVoid {
        let cert = bytes_or_text(certificate, "certificate");
        let reason = crl_reason(reason);
        let key = certificate_key.inner.clone();
        promise(&self.inner, |c| async move {
            c.revoke_with_certificate_key(&cert?, key, reason?)
                .await
                .map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// Fetches an order.
    pub fn order(&self, url: String) -> PromiseAcmeOrder {
        promise(&self.inner, |c| async move { to_js(&c.order(&url).await?) }).unchecked_into()
    }

    /// Fetches an authorization.
    pub fn authorization(&self, url: String) -> PromiseAcmeAuthorization {
        promise(&self.inner, |c| async move {
            to_js(&c.authorization(&url).await?)
        })
        .unchecked_into()
    }

    /// Pre-authorizes an identifier where the directory offers `newAuthz`.
    #[wasm_bindgen(js_name = newAuthorization)]
    pub fn new_authorization(&self, id: &JsAcmeIdentifierInput) -> PromiseAcmeAuthorization {
        let id = identifier(id);
        promise(&self.inner, |c| async move {
            to_js(&c.new_authorization(id?).await?)
        })
        .unchecked_into()
    }

    /// Deactivates an authorization.
    #[wasm_bindgen(js_name = deactivateAuthorization)]
    pub fn deactivate_authorization(&self, url: String) -> PromiseAcmeAuthorization {
        promise(&self.inner, |c| async move {
            to_js(&c.deactivate_authorization(&url).await?)
        })
        .unchecked_into()
    }

    /// Downloads a certificate chain.
    pub fn download(&self, url: String) -> PromiseAcmeCertificateChain {
        promise(
            &self.inner,
            |c| async move { to_js(&c.download(&url).await?) },
        )
        .unchecked_into()
    }

    /// Rolls the account over to `newKey`; later operations sign with it.
    #[wasm_bindgen(js_name = changeKey)]
    pub fn change_key(
        &self,
        #[wasm_bindgen(js_name = newKey)] new_key: &JsAccountKey,
    ) -> PromiseVoid {
        let key = new_key.inner.clone();
        promise(&self.inner, |c| async move {
            c.change_key(key).await.map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// Deactivates the account; it cannot be used afterwards.
    pub fn deactivate(&self) -> PromiseAcmeAccount {
        promise(
            &self.inner,
            |c| async move { to_js(&c.deactivate().await?) },
        )
        .unchecked_into()
    }
}

/// IdenTrust's reseller API: creates customer accounts whose EAB
/// credentials open IdenTrust's ACME directories.
#[wasm_bindgen(js_name = IdenTrustClient)]
pub struct JsIdenTrustClient {
    inner: Rc<IdenTrustClient>,
}

#[wasm_bindgen(js_class = IdenTrustClient)]
impl JsIdenTrustClient {
    /// A client for `options.resellerBase`/`acmeBase` (default: staging)
    /// with the reseller API key.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsIdenTrustClientOptions) -> Result<JsIdenTrustClient, JsValue> {
        let options: JsValue = options.into();
        js((|| {
            let key = Secret::new(str_member(&options, "apiKey", "api_key")?);
            Ok(IdenTrustClient::new(
                acme_driver(&options)?,
                environment(&options)?,
                key,
            ))
        })())
        .map(|c| JsIdenTrustClient { inner: Rc::new(c) })
    }

    /// `POST /account {customer_email}`: a customer account with its EAB
    /// credentials.
    #[wasm_bindgen(js_name = createAccount)]
    pub fn create_account(
        &self,
        #[wasm_bindgen(js_name = customerEmail)] customer_email: String,
    ) -> PromiseIdenTrustAccount {
        promise(&self.inner, |c| async move {
            reseller_account_to_js(&c.create_account(&customer_email).await?)
        })
        .unchecked_into()
    }

    /// An ACME client for `profile` (e.g. `TLS-90d`) bound to `account`'s
    /// EAB credentials, signing with `key`.
    #[wasm_bindgen(js_name = acmeClient)]
    pub fn acme_client(
        &self,
        profile: String,
        account: &JsIdenTrustAccount,
        key: &JsAccountKey,
    ) -> PromiseAcmeClient {
        let account = reseller_account_from_js(account);
        let key = key.inner.clone();
        promise(&self.inner, |c| async move {
            let client = c.acme_client(&profile, &account?, key).await?;
            Ok(JsAcmeClient {
                inner: Rc::new(client),
            })
        })
        .unchecked_into()
    }
}
