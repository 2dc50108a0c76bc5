//! JS values <-> core values.
//!
//! Records the core serializes with serde (snake_case) cross as plain objects
//! with camelCase keys and without `null` members; the only free-form map,
//! `info` of a CSR request, keeps its keys as given. HTTP messages and
//! sessions (which hold secrets the core never serializes) are converted by
//! hand. Conversion failures are `invalid_input` errors naming the field.

use certbridge::redtrust::{CsrRequest, RedtrustCompat, RedtrustConfig, Session};
use certbridge::{Error, Headers, HttpRequest, HttpResponse, Secret, Timestamp};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// Members whose keys are data, not field names: never renamed.
const FREE_FORM: &[&str] = &["info", "profiles"];

/// Sets `obj[key] = value` (cannot fail on a plain object).
pub(crate) fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

/// `obj[key]`, `undefined` when absent or when `obj` is not an object.
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A required string member of an options object.
pub(crate) fn str_member(obj: &JsValue, key: &str, field: &str) -> Result<String, Error> {
    opt_str_member(obj, key, field)?
        .ok_or_else(|| Error::invalid_input(field, format!("`{key}` is required")))
}

/// An optional string member (`undefined` and `null` mean absent).
pub(crate) fn opt_str_member(
    obj: &JsValue,
    key: &str,
    field: &str,
) -> Result<Option<String>, Error> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| Error::invalid_input(field, format!("`{key}` must be a string")))
}

fn snake_to_camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn camel_to_snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn rename(value: Value, f: fn(&str) -> String) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let v = if FREE_FORM.contains(&k.as_str()) {
                        v
                    } else {
                        rename(v, f)
                    };
                    (f(&k), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| rename(v, f)).collect()),
        other => other,
    }
}

/// A core record as a JS object with camelCase keys.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    let json = serde_json::to_value(value)
        .map_err(|e| Error::protocol("converting to JS", e.to_string()))?;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    rename(json, snake_to_camel)
        .serialize(&serializer)
        .map_err(|e| Error::protocol("converting to JS", e.to_string()))
}

/// A JS object with camelCase keys as a core record; `field` names it in
/// errors.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, field: &str) -> Result<T, Error> {
    let json: Value = serde_wasm_bindgen::from_value(value)
        .map_err(|e| Error::invalid_input(field, e.to_string()))?;
    serde_json::from_value(rename(json, camel_to_snake))
        .map_err(|e| Error::invalid_input(field, e.to_string()))
}

/// `{server, compat?, allowInsecureHttp?}` as a Redtrust configuration.
pub(crate) fn redtrust_config(v: &JsValue) -> Result<RedtrustConfig, Error> {
    let server = str_member(v, "server", "server")?;
    let config = RedtrustConfig::new_allowing_insecure_http(&server, insecure_http(v)?)?;
    match opt_str_member(v, "compat", "compat")? {
        None => Ok(config),
        Some(c) => serde_json::from_value::<RedtrustCompat>(Value::String(c))
            .map(|compat| config.with_compat(compat))
            .map_err(|_| Error::invalid_input("compat", "must be \"v4.42\" or \"v4.33\"")),
    }
}

/// `{accessToken, refreshToken?, expiresAt?}` (unix milliseconds) as a
/// session; without `expiresAt` the access token's own JWT `exp` is used.
pub(crate) fn session_from_js(v: &JsValue) -> Result<Session, Error> {
    if !v.is_object() {
        return Err(Error::invalid_input("session", "must be an object"));
    }
    let access = str_member(v, "accessToken", "session.access_token")?;
    let mut session = Session::from_access_token(Secret::new(access));
    session.refresh_token =
        opt_str_member(v, "refreshToken", "session.refresh_token")?.map(Secret::new);
    let expires = get(v, "expiresAt");
    if !expires.is_undefined() && !expires.is_null() {
        let ms = expires
            .as_f64()
            .filter(|m| m.is_finite() && *m >= 0.0)
            .ok_or_else(|| {
                Error::invalid_input("session.expires_at", "must be unix milliseconds")
            })?;
        session.expires_at = Some(Timestamp::from_millis(ms as u64));
    }
    Ok(session)
}

/// A session as `{accessToken, refreshToken?, expiresAt?}`.
pub(crate) fn session_to_js(s: &Session) -> JsValue {
    let o = Object::new();
    set(&o, "accessToken", s.access_token.expose());
    if let Some(r) = &s.refresh_token {
        set(&o, "refreshToken", r.expose());
    }
    if let Some(t) = s.expires_at {
        set(&o, "expiresAt", t.millis() as f64);
    }
    o.into()
}

fn headers_to_js(headers: &Headers) -> Array {
    headers
        .iter()
        .map(|(n, v)| Array::of2(&JsValue::from_str(n), &JsValue::from_str(v)))
        .collect()
}

/// A request as `{method, url, headers: [name, value][], body: Uint8Array}`.
pub(crate) fn request_to_js(r: &HttpRequest) -> JsValue {
    let o = Object::new();
    set(&o, "method", r.method.as_str());
    set(&o, "url", r.url.as_str());
    set(&o, "headers", headers_to_js(&r.headers));
    set(&o, "body", Uint8Array::from(r.body.as_slice()));
    o.into()
}

fn pair(item: &JsValue) -> Option<(String, String)> {
    let a = item.dyn_ref::<Array>()?;
    if a.length() != 2 {
        return None;
    }
    Some((a.get(0).as_string()?, a.get(1).as_string()?))
}

/// Headers as `[name, value][]`, any iterable of pairs (a fetch `Headers`,
/// a `Map`) or a plain `{name: value}` object.
fn headers_from_js(v: &JsValue) -> Result<Headers, Error> {
    const FIELD: &str = "response.headers";
    let mut headers = Headers::new();
    if v.is_undefined() || v.is_null() {
        return Ok(headers);
    }
    let bad = || Error::invalid_input(FIELD, "must hold [name, value] string pairs");
    let iter = js_sys::try_iter(v).map_err(|_| bad())?;
    match iter {
        Some(iter) => {
            for item in iter {
                let (n, val) = item.ok().as_ref().and_then(pair).ok_or_else(bad)?;
                headers.append(n, val);
            }
        }
        None => {
            let obj = v.dyn_ref::<Object>().ok_or_else(bad)?;
            for entry in Object::entries(obj).iter() {
                let (n, val) = pair(&entry).ok_or_else(bad)?;
                headers.append(n, val);
            }
        }
    }
    Ok(headers)
}

/// The body as a `Uint8Array`, `ArrayBuffer` or string (UTF-8).
fn body_from_js(v: &JsValue) -> Result<Vec<u8>, Error> {
    if v.is_undefined() || v.is_null() {
        Ok(Vec::new())
    } else if let Some(s) = v.as_string() {
        Ok(s.into_bytes())
    } else if let Some(a) = v.dyn_ref::<Uint8Array>() {
        Ok(a.to_vec())
    } else if let Some(b) = v.dyn_ref::<js_sys::ArrayBuffer>() {
        Ok(Uint8Array::new(b).to_vec())
    } else {
        Err(Error::invalid_input(
            "response.body",
            "must be a Uint8Array, an ArrayBuffer or a string",
        ))
    }
}

/// `{status, headers?, body?}` as a response.
pub(crate) fn response_from_js(v: &JsValue) -> Result<HttpResponse, Error> {
    if !v.is_object() {
        return Err(Error::invalid_input("response", "must be an object"));
    }
    let status = get(v, "status")
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (0.0..=999.0).contains(s))
        .ok_or_else(|| Error::invalid_input("response.status", "must be an HTTP status code"))?;
    Ok(HttpResponse {
        status: status as u16,
        headers: headers_from_js(&get(v, "headers"))?,
        body: body_from_js(&get(v, "body"))?,
    })
}

/// Certificate bytes from a string (PEM or base64) or a `Uint8Array` (DER).
pub(crate) fn certificate_bytes(v: &JsValue) -> Result<Vec<u8>, Error> {
    bytes_or_text(v, "certificate")
}

/// A `RedtrustCsrRequest` object.
pub(crate) fn csr_request(v: &JsValue) -> Result<CsrRequest, Error> {
    from_js(v.clone(), "request")
}

/// A JS object whose keys already are the core's serde names (records the
/// core deserializes in the provider's own camelCase, e.g. SwissSign's
/// `OrderSearch`), as a core record.
pub(crate) fn from_js_as_is<T: DeserializeOwned>(value: JsValue, field: &str) -> Result<T, Error> {
    let json: Value = serde_wasm_bindgen::from_value(value)
        .map_err(|e| Error::invalid_input(field, e.to_string()))?;
    serde_json::from_value(json).map_err(|e| Error::invalid_input(field, e.to_string()))
}

/// Whether a JS value means "not given".
pub(crate) fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// `now` in unix milliseconds, `Date.now()` when not given.
pub(crate) fn now_or_date(now: Option<f64>) -> Timestamp {
    Timestamp::from_millis(now.unwrap_or_else(js_sys::Date::now).max(0.0) as u64)
}

/// Bytes from a string (UTF-8: PEM, base64) or a `Uint8Array` (DER);
/// `field` names the input in errors.
pub(crate) fn bytes_or_text(v: &JsValue, field: &str) -> Result<Vec<u8>, Error> {
    if let Some(s) = v.as_string() {
        Ok(s.into_bytes())
    } else if let Some(a) = v.dyn_ref::<Uint8Array>() {
        Ok(a.to_vec())
    } else {
        Err(Error::invalid_input(
            field,
            "must be PEM or base64 text or DER bytes",
        ))
    }
}

/// A `string[]` member (absent means empty).
pub(crate) fn strings(v: &JsValue, field: &str) -> Result<Vec<String>, Error> {
    if absent(v) {
        return Ok(Vec::new());
    }
    let bad = || Error::invalid_input(field, "must be an array of strings");
    let a = v.dyn_ref::<Array>().ok_or_else(bad)?;
    a.iter().map(|s| s.as_string().ok_or_else(bad)).collect()
}

/// An optional whole number member `>= 0`.
pub(crate) fn opt_whole(obj: &JsValue, key: &str, field: &str) -> Result<Option<u64>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_f64()
        .filter(|n| n.is_finite() && *n >= 0.0 && n.fract() == 0.0)
        .map(|n| Some(n as u64))
        .ok_or_else(|| Error::invalid_input(field, "must be a whole number >= 0"))
}

/// An optional `u32` member.
pub(crate) fn opt_u32(obj: &JsValue, key: &str, field: &str) -> Result<Option<u32>, Error> {
    opt_whole(obj, key, field)?
        .map(|n| u32::try_from(n).map_err(|_| Error::invalid_input(field, "is too large")))
        .transpose()
}

/// `allowInsecureHttp` (default false): the opt-in to cleartext `http` to a
/// non-loopback server (issue 14 item 9).
pub(crate) fn insecure_http(v: &JsValue) -> Result<bool, Error> {
    Ok(opt_bool(v, "allowInsecureHttp", "allow_insecure_http")?.unwrap_or(false))
}

/// An optional boolean member.
pub(crate) fn opt_bool(obj: &JsValue, key: &str, field: &str) -> Result<Option<bool>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| Error::invalid_input(field, format!("`{key}` must be a boolean")))
}

/// A step of a sans-IO flow as `{type: "send", request}`,
/// `{type: "wait", until}` (unix ms), `{type: "solve", tasks}` or
/// `{type: "done", value}`.
pub(crate) fn step_to_js<T>(
    step: certbridge::Step<T>,
    done: impl FnOnce(T) -> Result<JsValue, Error>,
) -> Result<JsValue, Error> {
    let o = Object::new();
    match step {
        certbridge::Step::Send(r) => {
            set(&o, "type", "send");
            set(&o, "request", request_to_js(&r));
        }
        certbridge::Step::Wait(t) => {
            set(&o, "type", "wait");
            set(&o, "until", t.millis() as f64);
        }
        certbridge::Step::Solve(tasks) => {
            set(&o, "type", "solve");
            set(&o, "tasks", to_js(&tasks)?);
        }
        certbridge::Step::Done(v) => {
            set(&o, "type", "done");
            set(&o, "value", done(v)?);
        }
    }
    Ok(o.into())
}

/// `{baseUrl?, compat?, allowInsecureHttp?}` as a SwissSign configuration;
/// production without `baseUrl`.
pub(crate) fn swisssign_config(
    v: &JsValue,
) -> Result<certbridge::swisssign::SwissSignConfig, Error> {
    use certbridge::swisssign::{SwissSignCompat, SwissSignConfig};
    let config = match opt_str_member(v, "baseUrl", "base_url")? {
        Some(url) => SwissSignConfig::new_allowing_insecure_http(&url, insecure_http(v)?)?,
        None => SwissSignConfig::production(),
    };
    let compat = get(v, "compat");
    if absent(&compat) {
        return Ok(config);
    }
    let compat: SwissSignCompat = from_js(compat, "compat")?;
    Ok(config.with_compat(compat))
}

/// The session of a sans-IO SwissSign call: the configuration plus either
/// `token` (a JWT obtained elsewhere) or `account` and `apiKey` (a JWT
/// signed locally for `now`, unix ms, default `Date.now()`).
pub(crate) fn swisssign_auth(v: &JsValue) -> Result<certbridge::swisssign::Session, Error> {
    use certbridge::swisssign::Session;
    if !v.is_object() {
        return Err(Error::invalid_input("session", "must be an object"));
    }
    let config = swisssign_config(v)?;
    if let Some(account) = opt_str_member(v, "account", "account")? {
        let key = Secret::new(opt_str_member(v, "apiKey", "api_key")?.unwrap_or_default());
        let mut session = Session::with_api_key(config, &account, key)?;
        let now = get(v, "now").as_f64();
        session.prepare(now_or_date(now))?;
        return Ok(session);
    }
    let token = opt_str_member(v, "token", "token")?.unwrap_or_default();
    Session::with_token(config, Secret::new(token))
}

/// The client session: `token`, `account` + `apiKey`, or `userName` +
/// `userSecret`.
pub(crate) fn swisssign_session(v: &JsValue) -> Result<certbridge::swisssign::Session, Error> {
    use certbridge::swisssign::Session;
    let config = swisssign_config(v)?;
    let secret = |key: &str, field: &str| -> Result<Secret, Error> {
        opt_str_member(v, key, field).map(|s| Secret::new(s.unwrap_or_default()))
    };
    if let Some(account) = opt_str_member(v, "account", "account")? {
        return Session::with_api_key(config, &account, secret("apiKey", "api_key")?);
    }
    if let Some(user) = opt_str_member(v, "userName", "user_name")? {
        return Session::with_user_secret(config, &user, secret("userSecret", "user_secret")?);
    }
    if let Some(token) = opt_str_member(v, "token", "token")? {
        return Session::with_token(config, Secret::new(token));
    }
    Err(Error::invalid_input(
        "session",
        "give `account` and `apiKey`, `userName` and `userSecret`, or `token`",
    ))
}

/// The JS form of a SwissSign `IssueRequest`: the core's field names in
/// camelCase, the SAN lists as plain arrays (the core's serializer adds the
/// wire's `{values: [...]}` wrapper). Unknown keys are refused so a typo is an error,
/// not a silently dropped option.
mod issue_wire {
    use certbridge::swisssign::issue::{
        AdditionalRecipient, IssueRequest, RegistrationDocument, RequestExtensions,
        RequestOverrides, RequestedDns,
    };
    use certbridge::swisssign::ProductRef;
    use certbridge::Error;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Dns {
        dns: String,
        include_base_domain_for_wildcard: Option<bool>,
        include_www_domain: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Extensions {
        #[serde(default)]
        request_dns: Vec<Dns>,
        #[serde(default)]
        request_rfc822: Vec<String>,
        #[serde(default)]
        request_ip: Vec<String>,
        #[serde(default)]
        request_upn: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Overrides {
        subject_dn: Option<String>,
        validity: Option<u32>,
        request_extensions: Option<Extensions>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Recipient {
        email: String,
        recipient_type: String,
        language: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Document {
        document_name: String,
        document: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(super) struct Request {
        product_reference: String,
        csr: Option<String>,
        overrides: Option<Overrides>,
        #[serde(default)]
        additional_recipients: Vec<Recipient>,
        #[serde(default)]
        registration_documents: Vec<Document>,
        #[serde(default)]
        tags: Vec<String>,
        note: Option<String>,
        publish_certificate: Option<bool>,
        synchronous: Option<bool>,
        accept_terms: Option<bool>,
        include_certificate_chain: Option<bool>,
    }

    /// An empty list means "not requested": the field is left out.
    fn values<T>(v: Vec<T>) -> Option<Vec<T>> {
        (!v.is_empty()).then_some(v)
    }

    impl Request {
        pub(super) fn into_core(self) -> Result<IssueRequest, Error> {
            let product = ProductRef::new(&self.product_reference)?;
            let mut r = IssueRequest::with_csr(product, String::new());
            r.csr = self.csr;
            r.overrides = self.overrides.map(|o| RequestOverrides {
                subject_dn: o.subject_dn,
                validity: o.validity,
                request_extensions: o.request_extensions.map(|e| RequestExtensions {
                    request_dns: values(
                        e.request_dns
                            .into_iter()
                            .map(|d| RequestedDns {
                                dns: d.dns,
                                include_base_domain_for_wildcard: d
                                    .include_base_domain_for_wildcard,
                                include_www_domain: d.include_www_domain,
                            })
                            .collect(),
                    ),
                    request_rfc822: values(e.request_rfc822),
                    request_ip: values(e.request_ip),
                    request_upn: values(e.request_upn),
                }),
            });
            r.additional_recipients = self
                .additional_recipients
                .into_iter()
                .map(|a| AdditionalRecipient {
                    email: a.email,
                    recipient_type: a.recipient_type,
                    language: a.language,
                })
                .collect();
            r.registration_documents = self
                .registration_documents
                .into_iter()
                .map(|d| RegistrationDocument {
                    document_name: d.document_name,
                    document: d.document,
                })
                .collect();
            r.tags = self.tags;
            r.note = self.note;
            r.publish_certificate = self.publish_certificate;
            r.synchronous = self.synchronous;
            r.accept_terms = self.accept_terms;
            r.include_certificate_chain = self.include_certificate_chain;
            Ok(r)
        }
    }
}

/// A `SwissSignIssueRequest` object.
pub(crate) fn issue_request(
    v: &JsValue,
) -> Result<certbridge::swisssign::issue::IssueRequest, Error> {
    from_js_as_is::<issue_wire::Request>(v.clone(), "request")?.into_core()
}
