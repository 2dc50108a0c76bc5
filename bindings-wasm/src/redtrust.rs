//! Redtrust, sans-IO: every request builder and response parser of
//! `certbridge::redtrust`, taking and returning plain HTTP objects. Send the
//! requests with any HTTP stack; `RedtrustClient` (client.rs) does it all.

use certbridge::redtrust::{
    normalize_thumbprint, parse_dn, temporal_token_from_redirect, CreateCsr, CsrRequest,
    ExchangeTempToken, FinalizeCsr, Login, LoginUrl, Logout, RedtrustCompat, Refresh,
};
use certbridge::Secret;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{
    certificate_bytes, csr_request, now_or_date, opt_str_member, redtrust_config, request_to_js,
    response_from_js, session_from_js, session_to_js, str_member, to_js,
};
use crate::error::js;
use crate::types::*;

/// The signed browser redirect that starts an HMAC login. `now` is unix
/// milliseconds (default `Date.now()`); the URL is where to send the user.
#[wasm_bindgen(js_name = redtrustLoginUrl)]
pub fn login_url(
    config: &JsRedtrustConfig,
    options: &JsLoginUrlOptions,
    now: Option<f64>,
) -> Result<JsHttpRequest, JsValue> {
    js((|| {
        let key = Secret::new(str_member(options, "hmacKey", "hmac_key")?);
        LoginUrl {
            partner: &str_member(options, "partner", "partner")?,
            hmac_key: &key,
            redirect_url: &str_member(options, "redirectUrl", "redirect_url")?,
            domain: opt_str_member(options, "domain", "domain")?.as_deref(),
        }
        .request(&redtrust_config(config)?, now_or_date(now))
    })())
    .map(|r| request_to_js(&r).unchecked_into())
}

/// The temporary token (`tkn`) out of the URL Redtrust redirected back to.
#[wasm_bindgen(js_name = redtrustParseRedirect)]
pub fn parse_redirect(url: &str) -> Result<String, JsValue> {
    js(temporal_token_from_redirect(url)).map(|t| t.expose().to_string())
}

/// Direct login, `POST /raapi/v1/auth/login`.
#[wasm_bindgen(js_name = redtrustLoginRequest)]
pub fn login_request(
    config: &JsRedtrustConfig,
    options: &JsLoginOptions,
) -> Result<JsHttpRequest, JsValue> {
    js((|| {
        let password = Secret::new(str_member(options, "password", "password")?);
        Login {
            username: &str_member(options, "username", "username")?,
            password: &password,
            domain: opt_str_member(options, "domain", "domain")?.as_deref(),
        }
        .request(&redtrust_config(config)?)
    })())
    .map(|r| request_to_js(&r).unchecked_into())
}

/// The exchange of a redirect's temporary token for a session.
#[wasm_bindgen(js_name = redtrustExchangeTempTokenRequest)]
pub fn exchange_temp_token_request(
    config: &JsRedtrustConfig,
    #[wasm_bindgen(js_name = temporalToken)] temporal_token: &str,
) -> Result<JsHttpRequest, JsValue> {
    js((|| {
        let token = Secret::new(temporal_token);
        ExchangeTempToken {
            temporal_token: &token,
        }
        .request(&redtrust_config(config)?)
    })())
    .map(|r| request_to_js(&r).unchecked_into())
}

/// Parses the tokens of a login or temp-token exchange answer.
#[wasm_bindgen(js_name = redtrustParseSession)]
pub fn parse_session(response: &JsHttpResponse) -> Result<JsSession, JsValue> {
    js(response_from_js(response).and_then(|r| Login::parse(&r)))
        .map(|s| session_to_js(&s).unchecked_into())
}

/// `PUT .../refresh-token` for `session`.
#[wasm_bindgen(js_name = redtrustRefreshRequest)]
pub fn refresh_request(
    config: &JsRedtrustConfig,
    session: &JsSession,
) -> Result<JsHttpRequest, JsValue> {
    js((|| {
        Refresh {
            session: &session_from_js(session)?,
        }
        .request(&redtrust_config(config)?)
    })())
    .map(|r| request_to_js(&r).unchecked_into())
}

/// Parses a refresh answer; keeps `previous`'s refresh token when the server
/// sent no new one.
#[wasm_bindgen(js_name = redtrustParseRefresh)]
pub fn parse_refresh(
    response: &JsHttpResponse,
    previous: &JsSession,
) -> Result<JsSession, JsValue> {
    js((|| {
        Refresh::parse(&response_from_js(response)?, &session_from_js(previous)?)
    })())
    .map(|s| session_to_js(&s).unchecked_into())
}

/// `DELETE .../logout` for `session`.
#[wasm_bindgen(js_name = redtrustLogoutRequest)]
pub fn logout_request(
    config: &JsRedtrustConfig,
    session: &JsSession,
) -> Result<JsHttpRequest, JsValue> {
    js((|| {
        Ok(Logout {
            session: &session_from_js(session)?,
        }
        .request(&redtrust_config(config)?))
    })())
    .map(|r| request_to_js(&r).unchecked_into())
}

/// Checks a logout answer.
#[wasm_bindgen(js_name = redtrustParseLogout)]
pub fn parse_logout(response: &JsHttpResponse) -> Result<(), JsValue> {
    js(response_from_js(response).and_then(|r| Logout::parse(&r)))
}

/// `csr/create` (the server makes the key pair and the CSR).
#[wasm_bindgen(js_name = redtrustCreateCsrRequest)]
pub fn create_csr_request(
    config: &JsRedtrustConfig,
    session: &JsSession,
    request: &JsCsrRequest,
) -> Result<JsHttpRequest, JsValue> {
    js((|| {
        CreateCsr {
            request: &csr_request(request)?,
            session: &session_from_js(session)?,
        }
        .request(&redtrust_config(config)?)
    })())
    .map(|r| request_to_js(&r).unchecked_into())
}

/// Parses `csr/create`; `sent` supplies the request code when a v4.33 server
/// answers with the bare CSR.
#[wasm_bindgen(js_name = redtrustParseCreateCsr)]
pub fn parse_create_csr(
    response: &JsHttpResponse,
    sent: Option<JsCsrRequest>,
) -> Result<JsCreatedCsr, JsValue> {
    js((|| {
        let sent = match sent.filter(|s| !s.is_undefined()) {
            None => CsrRequest::new(Vec::new()),
            Some(s) => csr_request(&s)?,
        };
        to_js(&CreateCsr::parse(&response_from_js(response)?, &sent)?)
    })())
    .map(JsCast::unchecked_into)
}

/// `PUT /raapi/v1/csr/finalize`.
#[wasm_bindgen(js_name = redtrustFinalizeRequest)]
pub fn finalize_request(
    config: &JsRedtrustConfig,
    session: &JsSession,
    options: &JsFinalizeOptions,
) -> Result<JsHttpRequest, JsValue> {
    js((|| {
        FinalizeCsr {
            request_code: &str_member(options, "requestCode", "request_code")?,
            provider: &str_member(options, "provider", "provider")?,
            data_in_b64: opt_str_member(options, "dataInB64", "data_in_b64")?.as_deref(),
            session: &session_from_js(session)?,
        }
        .request(&redtrust_config(config)?)
    })())
    .map(|r| request_to_js(&r).unchecked_into())
}

/// Parses `csr/finalize`; under `"v4.33"` a bare 2xx is a success with
/// unknown identifiers.
#[wasm_bindgen(js_name = redtrustParseFinalize)]
pub fn parse_finalize(
    response: &JsHttpResponse,
    compat: Option<JsRedtrustCompat>,
) -> Result<JsFinalized, JsValue> {
    js((|| {
        let bad = || certbridge::Error::invalid_input("compat", "must be \"v4.42\" or \"v4.33\"");
        let compat: RedtrustCompat = match compat.filter(|c| !c.is_undefined()) {
            None => RedtrustCompat::default(),
            Some(c) => {
                let text = c.as_string().ok_or_else(bad)?;
                serde_json::from_value(Value::String(text)).map_err(|_| bad())?
            }
        };
        to_js(&FinalizeCsr::parse(&response_from_js(response)?, compat)?)
    })())
    .map(JsCast::unchecked_into)
}

/// Parses `cn=John Doe,o=Acme\, Inc.,c=ES` into DN entries, in order.
#[wasm_bindgen(js_name = parseDn)]
pub fn parse_dn_text(text: &str) -> Result<JsDnEntries, JsValue> {
    js(parse_dn(text).and_then(|dn| to_js(&dn))).map(JsCast::unchecked_into)
}

/// Normalises a SHA-1 thumbprint (spaces, colons, case) to 40 upper-case hex
/// digits.
#[wasm_bindgen(js_name = normalizeThumbprint)]
pub fn normalize(thumbprint: &str) -> Result<String, JsValue> {
    js(normalize_thumbprint(thumbprint))
}

/// SHA-1 thumbprint (upper-case hex) of a certificate given as PEM, base64
/// or DER bytes: the handle Redtrust renews by.
#[wasm_bindgen(js_name = thumbprintSha1)]
pub fn thumbprint_sha1(certificate: &JsCertificate) -> Result<String, JsValue> {
    js(certificate_bytes(certificate).and_then(|c| certbridge::crypto::pem::thumbprint_sha1(&c)))
}

/// SHA-256 thumbprint (upper-case hex) of a certificate.
#[wasm_bindgen(js_name = thumbprintSha256)]
pub fn thumbprint_sha256(certificate: &JsCertificate) -> Result<String, JsValue> {
    js(certificate_bytes(certificate).and_then(|c| certbridge::crypto::pem::thumbprint_sha256(&c)))
}
