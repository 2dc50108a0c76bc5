//! The Redtrust response envelope `{message, messageType, errorCode, data, isValid}`
//! (redtrust-certificate-enroll-v4.33, "Response"; every RA API answer).

use serde_json::{Map, Value};

use crate::error::{AuthReason, Error, Provider, ProviderDetails, ProviderError};
use crate::http::HttpResponse;

/// The `data` member of a successful envelope (`Value::Null` when the server
/// sent none or an empty 2xx body).
///
/// A response is a failure when its status is not 2xx, its `messageType` is
/// `ERROR`, or `isValid` is `false`. `errorCode` alone decides nothing: the
/// documents show `"errorCode": "ERROR_CODE"` next to `"messageType":
/// "SUCCESS"`, and `"OK"` next to `"IGNORE"`.
pub(crate) fn data(response: &HttpResponse, context: &'static str) -> Result<Value, Error> {
    let ok_status = response.is_success();
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return if ok_status {
            Ok(Value::Null)
        } else {
            Err(status_error(response, context, None))
        };
    }
    let parsed: Option<Map<String, Value>> = std::str::from_utf8(&response.body)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        });
    let Some(envelope) = parsed else {
        return Err(if ok_status {
            Error::protocol(context, "response is not a JSON envelope")
        } else {
            status_error(response, context, None)
        });
    };
    let text = |k: &str| envelope.get(k).and_then(Value::as_str).map(str::to_string);
    let message_type = text("messageType");
    let failed = !ok_status
        || message_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("ERROR"))
        || envelope.get("isValid") == Some(&Value::Bool(false));
    if !failed {
        if !envelope.contains_key("data") && !envelope.contains_key("messageType") {
            return Err(Error::protocol(
                context,
                "JSON without the Redtrust envelope",
            ));
        }
        return Ok(envelope.get("data").cloned().unwrap_or(Value::Null));
    }
    let code = text("errorCode").filter(|c| !c.is_empty());
    if response.status == 401 {
        return Err(auth_error(code));
    }
    if code.is_none() && text("message").is_none() {
        return Err(status_error(response, context, None));
    }
    Err(Error::provider(ProviderError {
        provider: Provider::Redtrust,
        status: response.status,
        code: code.unwrap_or_else(|| "UNKNOWN".to_string()),
        message: text("message").unwrap_or_default(),
        correlation_id: None,
        retry_after: None,
        details: ProviderDetails::Redtrust { message_type },
    }))
}

fn auth_error(code: Option<String>) -> Error {
    let expired = code
        .as_deref()
        .is_some_and(|c| c.to_ascii_uppercase().contains("EXPIRED"));
    Error::Auth {
        reason: if expired {
            AuthReason::Expired
        } else {
            AuthReason::Rejected
        },
        code,
    }
}

fn status_error(response: &HttpResponse, context: &'static str, code: Option<String>) -> Error {
    if response.status == 401 {
        return auth_error(code);
    }
    Error::HttpStatus {
        context: context.to_string(),
        status: response.status,
        excerpt: response.body_excerpt(),
        retry_after: None,
    }
}

/// A required string member of `data`. Numbers are kept as their JSON text,
/// since Redtrust never states the type of ids (DESIGN.md, "Facts").
pub(crate) fn scalar(data: &Value, key: &str, context: &'static str) -> Result<String, Error> {
    match data.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::String(_)) => Err(Error::protocol(context, format!("`{key}` is empty"))),
        Some(_) => Err(Error::protocol(
            context,
            format!("`{key}` is not a string or number"),
        )),
        None => Err(Error::protocol(context, format!("`{key}` is missing"))),
    }
}
