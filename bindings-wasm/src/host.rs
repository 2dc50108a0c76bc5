//! The JS host's clock and HTTP: `Date.now()` and `setTimeout` for the core's
//! `Clock` (wasm32 has no usable `SystemTime` or timer), and a caller's
//! `(request) => Promise<response>` function as a core `Transport`.

use async_trait::async_trait;
use certbridge::client::{Clock, Transport};
use certbridge::{Error, HttpRequest, HttpResponse, Timestamp};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::convert::{get, request_to_js, response_from_js};

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout` (browsers, Node, workers).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, millis: f64) -> JsValue;
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
