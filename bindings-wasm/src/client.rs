//! `RedtrustClient`: the core's async client with Promise methods.

use std::rc::Rc;
use std::sync::Arc;

use certbridge::client::{Driver, RedtrustClient, RetryPolicy, Transport, TransportConfig};
use certbridge::{Error, Secret};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::convert::{
    certificate_bytes, csr_request, get, opt_str_member, redtrust_config, request_to_js,
    session_from_js, session_to_js, str_member, to_js,
};
use crate::error::{error_to_js, js};
use crate::host::{FetchTransport, JsClock, JsTransport};
use crate::types::*;

/// A Redtrust client that keeps its session and refreshes it. Every method
/// returns a Promise; failures reject with a `CertbridgeError`.
#[wasm_bindgen(js_name = RedtrustClient)]
pub struct JsRedtrustClient {
    inner: Rc<RedtrustClient>,
}

// The core's Driver shares its transport and clock through `Arc` (threads on
// native targets); on wasm32 there is one JS thread and the JS values inside
// are never `Send`, which is what this lint is about.
#[allow(clippy::arc_with_non_send_sync)]
pub(crate) fn transport(options: &JsValue) -> Result<Arc<dyn Transport>, Error> {
    let custom = get(options, "transport");
    if let Some(f) = custom.dyn_ref::<Function>() {
        return Ok(Arc::new(JsTransport::new(f.clone())));
    }
    if !custom.is_undefined() && !custom.is_null() {
        return Err(Error::invalid_input("transport", "must be a function"));
    }
    let mut config = TransportConfig::default();
    if let Some(ms) = positive(options, "requestTimeoutMs", "request_timeout_ms")? {
        config.request_timeout_ms = ms;
    }
    if let Some(n) = positive(options, "maxResponseBytes", "max_response_bytes")? {
        config.max_response_bytes = n;
    }
    Ok(Arc::new(FetchTransport::new(config)?))
}

pub(crate) fn positive(options: &JsValue, key: &str, field: &str) -> Result<Option<u64>, Error> {
    crate::convert::opt_whole(options, key, field)
}

/// A driver over `options.transport` (or fetch) and the JS clock, with
/// `options.maxRetries`.
#[allow(clippy::arc_with_non_send_sync)]
pub(crate) fn driver(options: &JsValue) -> Result<Driver, Error> {
    let mut retry = RetryPolicy::default();
    if let Some(n) = positive(options, "maxRetries", "max_retries")? {
        retry.max_retries = u32::try_from(n).unwrap_or(u32::MAX);
    }
    Ok(Driver::new(transport(options)?, Arc::new(JsClock)).with_retry(retry))
}

fn client(options: &JsValue) -> Result<RedtrustClient, Error> {
    let config = redtrust_config(options)?;
    let driver = driver(options)?;
    let mut client = RedtrustClient::new(config, driver);
    let password = opt_str_member(options, "password", "password")?;
    match (opt_str_member(options, "username", "username")?, password) {
        (Some(user), Some(pw)) => {
            let domain = opt_str_member(options, "domain", "domain")?;
            client = client.with_password(&user, Secret::new(pw), domain.as_deref());
        }
        (None, None) => {}
        (Some(_), None) => {
            return Err(Error::invalid_input(
                "password",
                "is required with username",
            ))
        }
        (None, Some(_)) => {
            return Err(Error::invalid_input(
                "username",
                "is required with password",
            ))
        }
    }
    let session = get(options, "session");
    if !session.is_undefined() && !session.is_null() {
        client = client.with_session(session_from_js(&session)?);
    }
    Ok(client)
}

/// Runs `f` on the client as a Promise of the converted result.
pub(crate) fn promise<C: 'static, T, F, Fut>(c: &Rc<C>, f: F) -> Promise
where
    F: FnOnce(Rc<C>) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<T, Error>> + 'static,
    T: Into<JsValue>,
{
    let c = Rc::clone(c);
    // Boxed so `future_to_promise` (its task and waker machinery) is
    // instantiated once for every method instead of once per method: tens
    // of KiB of .wasm.
    let task: LocalTask =
        Box::pin(async move { f(c).await.map(Into::into).map_err(|e| error_to_js(&e)) });
    future_to_promise(task)
}

/// A boxed JS task (see `promise`).
pub(crate) type LocalTask =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>>;

#[wasm_bindgen(js_class = RedtrustClient)]
impl JsRedtrustClient {
    /// A client for `options.server`; `fetch` unless `options.transport`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsClientOptions) -> Result<JsRedtrustClient, JsValue> {
        js(client(options)).map(|c| JsRedtrustClient { inner: Rc::new(c) })
    }

    /// The current session (persist it to skip the next login).
    #[wasm_bindgen(getter)]
    pub fn session(&self) -> Option<JsSession> {
        self.inner
            .session()
            .map(|s| session_to_js(&s).unchecked_into())
    }

    /// The signed browser redirect that starts an HMAC login, at `Date.now()`.
    #[wasm_bindgen(js_name = loginUrl)]
    pub fn login_url(&self, options: &JsLoginUrlOptions) -> Result<JsHttpRequest, JsValue> {
        js((|| {
            let key = Secret::new(str_member(options, "hmacKey", "hmac_key")?);
            self.inner.login_url(
                &str_member(options, "partner", "partner")?,
                &key,
                &str_member(options, "redirectUrl", "redirect_url")?,
                opt_str_member(options, "domain", "domain")?.as_deref(),
            )
        })())
        .map(|r| request_to_js(&r).unchecked_into())
    }

    /// Direct login with the client's username and password.
    pub fn login(&self) -> PromiseSession {
        promise(&self.inner, |c| async move {
            c.login().await.map(|s| session_to_js(&s))
        })
        .unchecked_into()
    }

    /// Finishes an HMAC login from the URL the browser came back to.
    #[wasm_bindgen(js_name = loginWithRedirect)]
    pub fn login_with_redirect(
        &self,
        #[wasm_bindgen(js_name = redirectedTo)] redirected_to: String,
    ) -> PromiseSession {
        promise(&self.inner, |c| async move {
            c.login_with_redirect(&redirected_to)
                .await
                .map(|s| session_to_js(&s))
        })
        .unchecked_into()
    }

    /// Exchanges a temporary token for a session.
    #[wasm_bindgen(js_name = exchangeTempToken)]
    pub fn exchange_temp_token(&self, token: String) -> PromiseSession {
        promise(&self.inner, |c| async move {
            c.exchange_temp_token(&Secret::new(token))
                .await
                .map(|s| session_to_js(&s))
        })
        .unchecked_into()
    }

    /// Refreshes the session now.
    pub fn refresh(&self) -> PromiseSession {
        promise(&self.inner, |c| async move {
            c.refresh().await.map(|s| session_to_js(&s))
        })
        .unchecked_into()
    }

    /// Ends the session on the server and forgets it.
    pub fn logout(&self) -> PromiseVoid {
        promise(&self.inner, |c| async move {
            c.logout().await.map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// Issues a certificate: `csr/create` then `csr/finalize`, logging in or
    /// refreshing as needed.
    pub fn issue(&self, request: &JsCsrRequest) -> PromiseIssued {
        let request = csr_request(request);
        promise(
            &self.inner,
            |c| async move { to_js(&c.issue(request?).await?) },
        )
        .unchecked_into()
    }

    /// Renews the certificate with SHA-1 `thumbprint` (any common spelling).
    pub fn renew(&self, thumbprint: String, request: &JsCsrRequest) -> PromiseIssued {
        let request = csr_request(request);
        promise(&self.inner, |c| async move {
            to_js(&c.renew(&thumbprint, request?).await?)
        })
        .unchecked_into()
    }

    /// Renews the certificate given as PEM, base64 or DER.
    #[wasm_bindgen(js_name = renewCertificate)]
    pub fn renew_certificate(
        &self,
        certificate: &JsCertificate,
        request: &JsCsrRequest,
    ) -> PromiseIssued {
        let request = csr_request(request);
        let certificate = certificate_bytes(certificate);
        promise(&self.inner, |c| async move {
            to_js(&c.renew_certificate(&certificate?, request?).await?)
        })
        .unchecked_into()
    }

    /// `csr/create` on its own.
    #[wasm_bindgen(js_name = createCsr)]
    pub fn create_csr(&self, request: &JsCsrRequest) -> PromiseCreatedCsr {
        let request = csr_request(request);
        promise(&self.inner, |c| async move {
            to_js(&c.create_csr(&request?).await?)
        })
        .unchecked_into()
    }

    /// `csr/finalize` on its own.
    pub fn finalize(&self, options: &JsFinalizeOptions) -> PromiseFinalized {
        let input = (|| -> Result<_, Error> {
            Ok((
                str_member(options, "requestCode", "request_code")?,
                str_member(options, "provider", "provider")?,
                opt_str_member(options, "dataInB64", "data_in_b64")?,
            ))
        })();
        promise(&self.inner, |c| async move {
            let (code, provider, data) = input?;
            to_js(&c.finalize(&code, &provider, data.as_deref()).await?)
        })
        .unchecked_into()
    }
}
