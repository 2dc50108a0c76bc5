//! Core errors as JS `Error` objects.
//!
//! Every thrown error is an `Error` named `CertbridgeError` whose `message` is
//! the core's Display text and whose properties are the core's stable
//! accessors: `kind` (`invalid_input`, `transport`, `http_status`,
//! `provider`, `auth`, `protocol`, `crypto`, `timeout`, `cancelled`), `code`,
//! `field`, `status`, plus what the variant carries (`context`, `reason`,
//! `provider`, `correlationId`, `retryAfter` in unix milliseconds,
//! `details`) and `retryable` (whether the same call may succeed later).
//! Absent values are `undefined`. Nothing secret is in a core
//! error, so nothing secret reaches JS.

use certbridge::{Error, Timestamp};
use js_sys::Object;
use wasm_bindgen::JsValue;

use crate::convert::{set, to_js};

/// The JS error for `e`.
pub(crate) fn error_to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("CertbridgeError");
    let o: &Object = err.as_ref();
    set(o, "kind", e.kind());
    set(o, "retryable", e.is_retryable());
    if let Some(code) = e.code() {
        set(o, "code", code);
    }
    if let Some(field) = e.field() {
        set(o, "field", field);
    }
    let retry = |o: &Object, t: &Option<Timestamp>| {
        if let Some(t) = t {
            set(o, "retryAfter", t.millis() as f64);
        }
    };
    match e {
        Error::HttpStatus {
            context,
            status,
            retry_after,
            ..
        } => {
            set(o, "status", *status);
            set(o, "context", context.as_str());
            retry(o, retry_after);
        }
        Error::Provider(p) => {
            set(o, "status", p.status);
            set(o, "provider", p.provider.as_str());
            if let Some(id) = &p.correlation_id {
                set(o, "correlationId", id.as_str());
            }
            retry(o, &p.retry_after);
            if let Ok(details) = to_js(&p.details) {
                set(o, "details", details);
            }
        }
        Error::Auth { reason, .. } => {
            if let Ok(reason) = to_js(reason) {
                set(o, "reason", reason);
            }
        }
        Error::Protocol { context, reason } => {
            set(o, "context", context.as_str());
            set(o, "reason", reason.as_str());
        }
        Error::InvalidInput { reason, .. } | Error::Crypto { reason } => {
            set(o, "reason", reason.as_str());
        }
        _ => {}
    }
    err.into()
}

/// Converts a core result for `Result<_, JsValue>` returns.
pub(crate) fn js<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| error_to_js(&e))
}
