//! Host-driven flows: the core's `Flow` state machines (flow.rs of the core,
//! DESIGN.md "Sans-IO core") as JS classes for hosts that bring their own
//! HTTP stack, clock and challenge publishing. `RedtrustIssueFlow` and
//! `AcmeIssueFlow` live here; `SwissSignIssueFlow` (swisssign.rs) uses the
//! same two helpers, so every flow class has one step shape:
//! `FlowStep<T>` = `{type: "send", request}` | `{type: "wait", until}` |
//! `{type: "solve", tasks}` | `{type: "done", value}`.

use certbridge::acme::flow::{IssueFlow as AcmeFlow, Session as AcmeSession};
use certbridge::redtrust::flow::{Credentials, IssueFlow as RedtrustFlow};
use certbridge::{Error, Flow, Secret};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::acme::JsAccountKey;
use crate::acme_client::issue_options;
use crate::convert::{
    absent, csr_request, from_js_as_is, get, now_or_date, opt_str_member, redtrust_config,
    response_from_js, session_from_js, session_to_js, step_to_js, str_member, to_js,
};
use crate::error::js;
use crate::types::*;

/// `flow.next(now)` as a `FlowStep<T>` object (`now` in unix ms, default
/// `Date.now()`): the one conversion every flow class shares.
pub(crate) fn next_step<F: Flow>(flow: &mut F, now: Option<f64>) -> Result<JsValue, JsValue>
where
    F::Output: Serialize,
{
    js(flow
        .next(now_or_date(now))
        .and_then(|s| step_to_js(s, |v| to_js(&v))))
}

/// `flow.receive(response, now)` with a JS response.
pub(crate) fn receive<F: Flow>(
    flow: &mut F,
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<(), JsValue> {
    js(response_from_js(response).and_then(|r| flow.receive(r, now_or_date(now))))
}

/// `flow.sendFailed(reason, now)`: the host's request got no answer; the
/// core decides whether to repeat it (issue 14, item 14).
pub(crate) fn send_failed<F: Flow>(
    flow: &mut F,
    reason: String,
    now: Option<f64>,
) -> Result<(), JsValue> {
    js(flow.send_failed(Error::transport(reason), now_or_date(now)))
}

/// `{session}`, `{username, password, domain?}` or `{tempToken}` as the
/// core's Redtrust credentials.
fn credentials(v: &JsValue) -> Result<Credentials, Error> {
    let session = get(v, "session");
    if !absent(&session) {
        return Ok(Credentials::Session(session_from_js(&session)?));
    }
    if let Some(token) = opt_str_member(v, "tempToken", "temp_token")? {
        return Ok(Credentials::TempToken(Secret::new(token)));
    }
    Ok(Credentials::Password {
        username: str_member(v, "username", "username")?,
        password: Secret::new(str_member(v, "password", "password")?),
        domain: opt_str_member(v, "domain", "domain")?,
    })
}

/// Redtrust issuance (or renewal, with `thumbprintToRenew` in the request)
/// as a state machine you drive with any HTTP stack: it logs in (or
/// exchanges the temporary token), refreshes before expiry and once after a
/// 401, then `csr/create` and `csr/finalize`.
#[wasm_bindgen(js_name = RedtrustIssueFlow)]
pub struct JsRedtrustIssueFlow {
    inner: RedtrustFlow,
}

#[wasm_bindgen(js_class = RedtrustIssueFlow)]
impl JsRedtrustIssueFlow {
    /// A flow issuing `request` at `config.server` with `credentials`;
    /// `finalizeData` is the provider-specific `dataInB64`, if any.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: &JsRedtrustConfig,
        credentials: &JsRedtrustCredentials,
        request: &JsCsrRequest,
        #[wasm_bindgen(js_name = finalizeData)] finalize_data: Option<String>,
    ) -> Result<JsRedtrustIssueFlow, JsValue> {
        js((|| {
            let flow = RedtrustFlow::new(
                redtrust_config(config)?,
                self::credentials(credentials)?,
                csr_request(request)?,
            );
            Ok(match finalize_data {
                Some(data) => flow.with_finalize_data(data),
                None => flow,
            })
        })())
        .map(|inner| JsRedtrustIssueFlow { inner })
    }

    /// What to do now (`now` in unix ms, default `Date.now()`).
    pub fn next(&mut self, now: Option<f64>) -> Result<JsRedtrustIssueStep, JsValue> {
        next_step(&mut self.inner, now).map(JsCast::unchecked_into)
    }

    /// The answer to the request of the last `send` step.
    pub fn receive(&mut self, response: &JsHttpResponse, now: Option<f64>) -> Result<(), JsValue> {
        receive(&mut self.inner, response, now)
    }

    /// The request of the last `send` step failed without an answer
    /// (`reason`: the fetch error's message): a safe read is repeated after
    /// a `wait` step, a submission ends with an `ambiguous` error.
    #[wasm_bindgen(js_name = sendFailed)]
    pub fn send_failed(&mut self, reason: String, now: Option<f64>) -> Result<(), JsValue> {
        send_failed(&mut self.inner, reason, now)
    }

    /// The session as refreshed so far: keep it for the next flow instead of
    /// logging in again.
    #[wasm_bindgen(getter)]
    pub fn session(&self) -> Option<JsSession> {
        self.inner
            .session()
            .map(|s| session_to_js(s).unchecked_into())
    }

    /// The CSR the server made, once `csr/create` has answered.
    #[wasm_bindgen(getter)]
    pub fn created(&self) -> Result<Option<JsCreatedCsr>, JsValue> {
        self.inner
            .created()
            .map(|c| js(to_js(c)).map(JsCast::unchecked_into))
            .transpose()
    }
}

/// ACME issuance (RFC 8555 with EAB, as IdenTrust requires) as a state
/// machine you drive with any HTTP stack: account (created or found),
/// newOrder, authorizations, a `solve` step with the challenge tasks to
/// publish (then call `solved()`), challenge responses, polling, finalize,
/// download. Nonces and `badNonce` retries are handled inside.
#[wasm_bindgen(js_name = AcmeIssueFlow)]
pub struct JsAcmeIssueFlow {
    inner: AcmeFlow,
}

#[wasm_bindgen(js_class = AcmeIssueFlow)]
impl JsAcmeIssueFlow {
    /// An issuance at `directory` (fetched with `acmeDirectoryRequest` and
    /// `acmeParseDirectory`) signed with `key`. `options.accountUrl` resumes
    /// a known account; otherwise the account is created (with
    /// `options.eab`) or found first. Input problems come out of the first
    /// `next()`, before anything is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(
        directory: &JsAcmeDirectory,
        key: &JsAccountKey,
        options: &JsAcmeIssueFlowOptions,
    ) -> Result<JsAcmeIssueFlow, JsValue> {
        js((|| {
            // The record's keys are the directory's own camelCase names.
            let directory = from_js_as_is((**directory).clone(), "directory")?;
            let mut session = AcmeSession::new(directory, key.inner.clone());
            if let Some(url) = opt_str_member(options, "accountUrl", "account_url")? {
                session = session.with_account_url(url);
            }
            Ok(AcmeFlow::new(session, issue_options(options)?))
        })())
        .map(|inner| JsAcmeIssueFlow { inner })
    }

    /// What to do now (`now` in unix ms, default `Date.now()`).
    pub fn next(&mut self, now: Option<f64>) -> Result<JsAcmeIssueStep, JsValue> {
        next_step(&mut self.inner, now).map(JsCast::unchecked_into)
    }

    /// The answer to the request of the last `send` step.
    pub fn receive(&mut self, response: &JsHttpResponse, now: Option<f64>) -> Result<(), JsValue> {
        receive(&mut self.inner, response, now)
    }

    /// The request of the last `send` step failed without an answer
    /// (`reason`: the fetch error's message): a safe read is repeated after
    /// a `wait` step, a submission ends with an `ambiguous` error.
    #[wasm_bindgen(js_name = sendFailed)]
    pub fn send_failed(&mut self, reason: String, now: Option<f64>) -> Result<(), JsValue> {
        send_failed(&mut self.inner, reason, now)
    }

    /// The tasks of the last `solve` step are published.
    pub fn solved(&mut self) -> Result<(), JsValue> {
        js(self.inner.solved())
    }

    /// The account URL, once known.
    #[wasm_bindgen(getter, js_name = accountUrl)]
    pub fn account_url(&self) -> Option<String> {
        self.inner.session().account_url().map(str::to_string)
    }

    /// The order as last seen, from newOrder until `done` (whose value then
    /// holds the final order).
    #[wasm_bindgen(getter)]
    pub fn order(&self) -> Result<Option<JsAcmeOrder>, JsValue> {
        self.inner
            .order()
            .map(|o| js(to_js(o)).map(JsCast::unchecked_into))
            .transpose()
    }
}
