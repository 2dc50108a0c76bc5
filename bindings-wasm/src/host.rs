//! The JS host's clock and HTTP: `Date.now()` and `setTimeout` for the core's
//! `Clock` (wasm32 has no usable `SystemTime` or timer), a caller's
//! `(request) => Promise<response>` function as a core `Transport`, and the
//! default transport over the host's `fetch`.

use async_trait::async_trait;
use certbridge::client::{body_too_large, Clock, Transport, TransportConfig};
use certbridge::{Error, Headers, HttpRequest, HttpResponse, Timestamp};
use js_sys::{Array, Function, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::convert::{get, request_to_js, response_from_js, set};

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout` (browsers, Node, workers).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, millis: f64) -> JsValue;

    /// The global `fetch` (browsers, workers, Node 18+).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(input: &str, init: &Object) -> Result<Promise, JsValue>;

    /// `AbortSignal.timeout(ms)`: aborts the request and its body stream.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_after(millis: f64) -> JsValue;
}

/// `Date.now()` and a `setTimeout` promise.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct JsClock;

#[async_trait(?Send)]
impl Clock for JsClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millis(js_sys::Date::now().max(0.0) as u64)
    }

    async fn sleep_until(&self, t: Timestamp) {
        let wait = t.millis_since(self.now());
        if wait == 0 {
            return;
        }
        let timer = Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, wait as f64);
        });
        // The promise only ever resolves.
        let _ = JsFuture::from(timer).await;
    }
}

/// A caller's transport function.
#[derive(Debug)]
pub(crate) struct JsTransport {
    send: Function,
}

impl JsTransport {
    /// Wraps `(request) => Promise<response>`.
    pub(crate) fn new(send: Function) -> Self {
        JsTransport { send }
    }
}

#[async_trait(?Send)]
impl Transport for JsTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let returned = self
            .send
            .call1(&JsValue::NULL, &request_to_js(&request))
            .map_err(|e| failure(&e))?;
        let answer = JsFuture::from(Promise::resolve(&returned))
            .await
            .map_err(|e| failure(&e))?;
        response_from_js(&answer)
    }
}

/// What a rejected transport promise means: `AbortSignal.timeout()` rejects
/// with a `TimeoutError`, an aborted request with an `AbortError`.
fn failure(e: &JsValue) -> Error {
    let name = get(e, "name").as_string().unwrap_or_default();
    match name.as_str() {
        "TimeoutError" => Error::Timeout {
            what: "the HTTP response".to_string(),
        },
        "AbortError" => Error::Cancelled,
        _ => {
            let message = get(e, "message")
                .as_string()
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "the transport function failed".to_string());
            Error::transport(message)
        }
    }
}

/// The default transport: the host's `fetch`, with what the native
/// transport does that fetch does not do by itself (issue 14).
///
/// - `redirect: "manual"`: fetch's default `"follow"` re-sends a 307's body
///   (a Redtrust password, a SwissSign `userSecret`) to whatever origin the
///   `Location` names (item 6). Node hands back the 3xx itself, as the
///   native transport does, and the flow reports it; a browser hands back
///   an opaque redirect, which is a `protocol` error here.
/// - The body is read from its `ReadableStream` chunk by chunk and dropped
///   past `max_response_bytes`, and a `Content-Length` over it is refused
///   before reading (item 3).
#[derive(Debug)]
pub(crate) struct FetchTransport {
    config: TransportConfig,
}

impl FetchTransport {
    /// A fetch transport with `config`'s timeout, `User-Agent` and size
    /// limit (trust is the host's: extra roots are refused, as by the core's
    /// wasm32 transport).
    pub(crate) fn new(config: TransportConfig) -> Result<Self, Error> {
        if !config.extra_roots_pem.is_empty() {
            return Err(Error::invalid_input(
                "ca_cert",
                "fetch uses the host's trust store; extra roots cannot be added",
            ));
        }
        Ok(FetchTransport { config })
    }
}

/// Calls `obj[name]()` and awaits the promise it returns.
async fn call_async(obj: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    let f: Function = get(obj, name).dyn_into()?;
    JsFuture::from(Promise::resolve(&f.call0(obj)?)).await
}

/// What a rejected fetch or body read means. Our own timeout is a
/// `transport` failure, as in the native transport, so the driver retries
/// it like any other.
fn fetch_failure(e: &JsValue, timeout_ms: u64) -> Error {
    let name = get(e, "name").as_string().unwrap_or_default();
    if name == "TimeoutError" {
        return Error::transport(format!("timed out after {timeout_ms} ms"));
    }
    let mut message = get(e, "message")
        .as_string()
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "fetch failed".to_string());
    // Node puts the socket error in `cause`.
    if let Some(cause) = get(&get(e, "cause"), "message").as_string() {
        message.push_str(": ");
        message.push_str(&cause);
    }
    Error::transport(format!("request failed: {message}"))
}

#[async_trait(?Send)]
impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let limit = self.config.max_response_bytes;
        let timeout_ms = self.config.request_timeout_ms;
        let fail = |e: JsValue| fetch_failure(&e, timeout_ms);
        let headers = Array::new();
        let mut has_agent = false;
        for (name, value) in request.headers.iter() {
            has_agent |= name.eq_ignore_ascii_case("user-agent");
            headers.push(&Array::of2(&name.into(), &value.into()));
        }
        if !has_agent {
            headers.push(&Array::of2(
                &"user-agent".into(),
                &self.config.user_agent.as_str().into(),
            ));
        }
        let init = Object::new();
        set(&init, "method", request.method.as_str());
        set(&init, "headers", headers);
        set(&init, "redirect", "manual");
        set(&init, "signal", abort_after(timeout_ms as f64));
        if !request.body.is_empty() {
            set(&init, "body", Uint8Array::from(request.body.as_slice()));
        }
        let response = JsFuture::from(global_fetch(&request.url, &init).map_err(fail)?)
            .await
            .map_err(fail)?;
        if get(&response, "type").as_string().as_deref() == Some("opaqueredirect") {
            return Err(Error::protocol(
                format!(
                    "{} {}",
                    request.method,
                    certbridge::http::redact_url(&request.url)
                ),
                "the server answered with a redirect, which certbridge does not follow",
            ));
        }
        let status = get(&response, "status")
            .as_f64()
            .and_then(|s| u16::try_from(s as u32).ok())
            .ok_or_else(|| Error::transport("fetch returned no status"))?;
        let mut out = Headers::new();
        if let Ok(Some(entries)) = js_sys::try_iter(&get(&response, "headers")) {
            for entry in entries.flatten() {
                let pair: Array = entry.unchecked_into();
                out.append(
                    pair.get(0).as_string().unwrap_or_default(),
                    pair.get(1).as_string().unwrap_or_default(),
                );
            }
        }
        let body = get(&response, "body");
        let too_large = || {
            // Stop the download; the answer is refused either way.
            if let Ok(cancel) = get(&body, "cancel").dyn_into::<Function>() {
                let _ = cancel.call0(&body);
            }
            body_too_large(&request, limit)
        };
        let announced = out
            .get("content-length")
            .and_then(|n| n.trim().parse::<u64>().ok());
        if request.method != certbridge::Method::Head && announced.is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        if !body.is_null() && !body.is_undefined() {
            let reader = {
                let f: Function = get(&body, "getReader")
                    .dyn_into()
                    .map_err(|_| Error::transport("the response body is not a stream"))?;
                f.call0(&body).map_err(fail)?
            };
            loop {
                let chunk = call_async(&reader, "read").await.map_err(fail)?;
                if get(&chunk, "done").as_bool() == Some(true) {
                    break;
                }
                let value: Uint8Array = get(&chunk, "value").unchecked_into();
                if (bytes.len() as u64).saturating_add(u64::from(value.length())) > limit {
                    if let Ok(cancel) = get(&reader, "cancel").dyn_into::<Function>() {
                        let _ = cancel.call0(&reader);
                    }
                    return Err(body_too_large(&request, limit));
                }
                let start = bytes.len();
                bytes.resize(start + value.length() as usize, 0);
                value.copy_to(&mut bytes[start..]);
            }
        }
        Ok(HttpResponse {
            status,
            headers: out,
            body: bytes,
        })
    }
}
