//! SwissSign RA API v2, sans-IO: every request builder and response parser of
//! `certbridge::swisssign`, the JWT, and the issuance flow as a state machine
//! the caller drives. `SwissSignClient` (swisssign_client.rs) does the I/O.
//!
//! A builder takes a `SwissSignAuth`: the server (`baseUrl`, `compat`) and
//! either a `token` or an `account` and `apiKey` (the JWT is then signed
//! locally for `now`).

use certbridge::swisssign::auth::{local_jwt, JwtRequest};
use certbridge::swisssign::chain::GetChain;
use certbridge::swisssign::client::{GetClient, SearchClients, SearchClientsPaged};
use certbridge::swisssign::domain::{
    DeleteDomain, DomainAction, DomainCall, ListDomains, RegisterDomains,
};
use certbridge::swisssign::error::error_of;
use certbridge::swisssign::issue::{Issue, IssueCsr, ValidateIssue};
use certbridge::swisssign::order::{
    GetOrder, GetOrderStatus, OrderCertificate, OrderSearch, SearchOrders, SearchOrdersPaged,
};
use certbridge::swisssign::revoke::{RevocationReason, RevocationRequest, Revoke};
use certbridge::swisssign::{ClientRef, DomainRef, IssueFlow, OrderRef, ProductRef};
use certbridge::{Deadline, Error, HttpRequest, Secret};
use wasm_bindgen::prelude::*;

use crate::convert::{
    absent, bytes_or_text, from_js, from_js_as_is, issue_request, now_or_date, opt_str_member,
    opt_u32, request_to_js, response_from_js, set, str_member, strings, swisssign_auth,
    swisssign_config, to_js,
};
use crate::error::js;
use crate::types::*;

fn req(r: Result<HttpRequest, Error>) -> Result<JsHttpRequest, JsValue> {
    js(r).map(|r| request_to_js(&r).unchecked_into())
}

fn val<T: JsCast, V: serde::Serialize>(r: Result<V, Error>) -> Result<T, JsValue> {
    js(r.and_then(|v| to_js(&v))).map(JsCast::unchecked_into)
}

fn parsed<T: JsCast, V: serde::Serialize>(
    response: &JsHttpResponse,
    parse: impl FnOnce(&certbridge::HttpResponse) -> Result<V, Error>,
) -> Result<T, JsValue> {
    val(response_from_js(response).and_then(|r| parse(&r)))
}

/// The `action` of a domain call: `get` (default), `validate`,
/// `token_reset`, `token_delete`.
pub(crate) fn domain_action(action: Option<String>) -> Result<DomainAction, Error> {
    match action.as_deref() {
        None | Some("get") => Ok(DomainAction::Get),
        Some("validate") => Ok(DomainAction::Validate),
        Some("token_reset") => Ok(DomainAction::ResetToken),
        Some("token_delete") => Ok(DomainAction::DeleteToken),
        Some(_) => Err(Error::invalid_input(
            "action",
            "must be \"get\", \"validate\", \"token_reset\" or \"token_delete\"",
        )),
    }
}

/// A revocation reason (`unused`, `key_compromise`, `affiliation_changed`,
/// `superseded`, `cessation_of_operation`).
pub(crate) fn revocation_reason(reason: &str) -> Result<RevocationReason, Error> {
    serde_json::from_value(serde_json::Value::String(reason.to_string())).map_err(|_| {
        Error::invalid_input(
            "reason",
            "must be unused, key_compromise, affiliation_changed, superseded or cessation_of_operation",
        )
    })
}

/// The certificates of a revocation, `SwissSignRevocationRequest[]`.
pub(crate) fn revocations(v: &JsValue) -> Result<Vec<RevocationRequest>, Error> {
    from_js(v.clone(), "certificates")
}

/// An `OrderSearch` (its keys are the API's own camelCase names).
pub(crate) fn order_search(v: &JsValue) -> Result<OrderSearch, Error> {
    if absent(v) {
        return Ok(OrderSearch::default());
    }
    from_js_as_is(v.clone(), "search")
}

/// Signs the session JWT for `account` with the API key, valid from `now`
/// (unix ms, default `Date.now()`); what `SwissSignClient` does for an API
/// key.
#[wasm_bindgen(js_name = swissSignLocalJwt)]
pub fn swisssign_local_jwt(
    account: &str,
    #[wasm_bindgen(js_name = apiKey)] api_key: &str,
    now: Option<f64>,
) -> Result<String, JsValue> {
    js(local_jwt(account, &Secret::new(api_key), now_or_date(now))).map(|t| t.expose().to_string())
}

/// `POST /v2/jwt/{userName}`: a JWT minted by the server for a user secret.
#[wasm_bindgen(js_name = swissSignJwtRequest)]
pub fn swisssign_jwt_request(
    config: &JsSwissSignConfig,
    options: &JsSwissSignJwtOptions,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        let secret = Secret::new(str_member(options, "userSecret", "user_secret")?);
        JwtRequest {
            user_name: &str_member(options, "userName", "user_name")?,
            user_secret: &secret,
        }
        .request(&swisssign_config(config)?)
    })())
}

/// Parses the JWT answer: `{token, expiresAt}` (unix ms; from the token's
/// `exp`, else `now` + the documented lifetime).
#[wasm_bindgen(js_name = swissSignParseJwt)]
pub fn swisssign_parse_jwt(
    response: &JsHttpResponse,
    now: Option<f64>,
) -> Result<JsSwissSignJwt, JsValue> {
    js(response_from_js(response).and_then(|r| JwtRequest::parse(&r, now_or_date(now)))).map(|j| {
        let o = js_sys::Object::new();
        set(&o, "token", j.token.expose());
        set(&o, "expiresAt", j.expires_at.millis() as f64);
        o.unchecked_into()
    })
}

/// The provider error a failed SwissSign answer carries (code
/// `MMM.SSS.EEEE` decoded into module, section and error). Throws the
/// error instead when the answer is not a SwissSign error document.
#[wasm_bindgen(js_name = swissSignParseError)]
pub fn swisssign_parse_error(response: &JsHttpResponse) -> Result<JsProviderError, JsValue> {
    js(
        (|| match error_of(&response_from_js(response)?, "swisssign") {
            Error::Provider(p) => to_js(&*p),
            other => Err(other),
        })(),
    )
    .map(JsCast::unchecked_into)
}

/// `/v2/clients?search=`.
#[wasm_bindgen(js_name = swissSignSearchClientsRequest)]
pub fn search_clients_request(
    auth: &JsSwissSignAuth,
    search: Option<String>,
) -> Result<JsHttpRequest, JsValue> {
    req(swisssign_auth(auth).and_then(|s| {
        SearchClients {
            search: search.as_deref(),
        }
        .request(&s)
    }))
}

/// Parses `/v2/clients`.
#[wasm_bindgen(js_name = swissSignParseSearchClients)]
pub fn parse_search_clients(response: &JsHttpResponse) -> Result<JsSwissSignClients, JsValue> {
    parsed(response, SearchClients::parse)
}

/// `/v2/clients/paged`.
#[wasm_bindgen(js_name = swissSignSearchClientsPagedRequest)]
pub fn search_clients_paged_request(
    auth: &JsSwissSignAuth,
    options: Option<JsSwissSignPageOptions>,
) -> Result<JsHttpRequest, JsValue> {
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    req((|| {
        let search = opt_str_member(&options, "search", "search")?;
        SearchClientsPaged {
            search: search.as_deref(),
            start: opt_u32(&options, "start", "start")?,
            length: opt_u32(&options, "length", "length")?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses `/v2/clients/paged`.
#[wasm_bindgen(js_name = swissSignParseSearchClientsPaged)]
pub fn parse_search_clients_paged(
    response: &JsHttpResponse,
) -> Result<JsSwissSignClientPage, JsValue> {
    parsed(response, SearchClientsPaged::parse)
}

/// `/v2/client/{cli}`.
#[wasm_bindgen(js_name = swissSignGetClientRequest)]
pub fn get_client_request(auth: &JsSwissSignAuth, client: &str) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        GetClient {
            client: &ClientRef::new(client)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses `/v2/client/{cli}`.
#[wasm_bindgen(js_name = swissSignParseClient)]
pub fn parse_client(response: &JsHttpResponse) -> Result<JsSwissSignClient, JsValue> {
    parsed(response, GetClient::parse)
}

/// Registers domains (Unicode allowed) for pre-validation.
#[wasm_bindgen(js_name = swissSignRegisterDomainsRequest)]
pub fn register_domains_request(
    auth: &JsSwissSignAuth,
    client: &str,
    domains: JsStrings,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        RegisterDomains {
            client: &ClientRef::new(client)?,
            domains: &strings(&domains, "domains")?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses a domain registration: the domains with their TXT records.
#[wasm_bindgen(js_name = swissSignParseRegisterDomains)]
pub fn parse_register_domains(response: &JsHttpResponse) -> Result<JsSwissSignDomains, JsValue> {
    parsed(response, RegisterDomains::parse)
}

/// The client's pre-validated domains (path per `compat.domainListPath`).
#[wasm_bindgen(js_name = swissSignListDomainsRequest)]
pub fn list_domains_request(
    auth: &JsSwissSignAuth,
    client: &str,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        ListDomains {
            client: &ClientRef::new(client)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses the domain list.
#[wasm_bindgen(js_name = swissSignParseListDomains)]
pub fn parse_list_domains(response: &JsHttpResponse) -> Result<JsSwissSignDomains, JsValue> {
    parsed(response, ListDomains::parse)
}

/// Reads (`get`, default), validates, or resets/deletes the token of one
/// domain.
#[wasm_bindgen(js_name = swissSignDomainRequest)]
pub fn domain_request(
    auth: &JsSwissSignAuth,
    domain: &str,
    action: Option<JsSwissSignDomainAction>,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        let action = action.map(|a| a.as_string().unwrap_or_else(|| "?".into()));
        DomainCall {
            domain: &DomainRef::new(domain)?,
            action: domain_action(action)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses a domain call.
#[wasm_bindgen(js_name = swissSignParseDomain)]
pub fn parse_domain(response: &JsHttpResponse) -> Result<JsSwissSignDomain, JsValue> {
    parsed(response, DomainCall::parse)
}

/// Deletes a pre-validated domain.
#[wasm_bindgen(js_name = swissSignDeleteDomainRequest)]
pub fn delete_domain_request(
    auth: &JsSwissSignAuth,
    domain: &str,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        DeleteDomain {
            domain: &DomainRef::new(domain)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Checks a domain deletion answer.
#[wasm_bindgen(js_name = swissSignParseDeleteDomain)]
pub fn parse_delete_domain(response: &JsHttpResponse) -> Result<(), JsValue> {
    js(response_from_js(response).and_then(|r| DeleteDomain::parse(&r)))
}

/// `/v2/issue/csr/{pma}`: submits a CSR (PEM text or DER bytes).
#[wasm_bindgen(js_name = swissSignIssueCsrRequest)]
pub fn issue_csr_request(
    auth: &JsSwissSignAuth,
    product: &str,
    csr: &JsCertificate,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        IssueCsr {
            product: &ProductRef::new(product)?,
            csr: &bytes_or_text(csr, "csr")?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses the order a CSR submission created.
#[wasm_bindgen(js_name = swissSignParseIssueCsr)]
pub fn parse_issue_csr(response: &JsHttpResponse) -> Result<JsSwissSignOrder, JsValue> {
    parsed(response, IssueCsr::parse)
}

/// `/v2/issue` with a JSON issue request.
#[wasm_bindgen(js_name = swissSignIssueRequest)]
pub fn issue_json_request(
    auth: &JsSwissSignAuth,
    request: &JsSwissSignIssueRequest,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        Issue {
            request: &issue_request(request)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses the order `/v2/issue` created.
#[wasm_bindgen(js_name = swissSignParseIssue)]
pub fn parse_issue(response: &JsHttpResponse) -> Result<JsSwissSignOrder, JsValue> {
    parsed(response, Issue::parse)
}

/// `/v2/validate`: checks an issue request without ordering.
#[wasm_bindgen(js_name = swissSignValidateRequest)]
pub fn validate_request(
    auth: &JsSwissSignAuth,
    request: &JsSwissSignIssueRequest,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        ValidateIssue {
            request: &issue_request(request)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Checks a validation answer.
#[wasm_bindgen(js_name = swissSignParseValidate)]
pub fn parse_validate(response: &JsHttpResponse) -> Result<(), JsValue> {
    js(response_from_js(response).and_then(|r| ValidateIssue::parse(&r)))
}

/// `/v2/order/{ord}/status`.
#[wasm_bindgen(js_name = swissSignOrderStatusRequest)]
pub fn order_status_request(auth: &JsSwissSignAuth, order: &str) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        GetOrderStatus {
            order: &OrderRef::new(order)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses the order status (`ISSUED`, `PENDING_AUTH`, ...; unknown statuses
/// are kept as sent).
#[wasm_bindgen(js_name = swissSignParseOrderStatus)]
pub fn parse_order_status(response: &JsHttpResponse) -> Result<JsSwissSignOrderStatus, JsValue> {
    parsed(response, GetOrderStatus::parse)
}

/// `/v2/order/{ord}`.
#[wasm_bindgen(js_name = swissSignGetOrderRequest)]
pub fn get_order_request(auth: &JsSwissSignAuth, order: &str) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        GetOrder {
            order: &OrderRef::new(order)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses an order.
#[wasm_bindgen(js_name = swissSignParseOrder)]
pub fn parse_order(response: &JsHttpResponse) -> Result<JsSwissSignOrder, JsValue> {
    parsed(response, GetOrder::parse)
}

/// `/v2/orders`: searches orders.
#[wasm_bindgen(js_name = swissSignSearchOrdersRequest)]
pub fn search_orders_request(
    auth: &JsSwissSignAuth,
    search: Option<JsSwissSignOrderSearch>,
) -> Result<JsHttpRequest, JsValue> {
    let search: JsValue = search.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    req((|| {
        SearchOrders {
            search: &order_search(&search)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses an order search.
#[wasm_bindgen(js_name = swissSignParseSearchOrders)]
pub fn parse_search_orders(response: &JsHttpResponse) -> Result<JsSwissSignOrders, JsValue> {
    parsed(response, SearchOrders::parse)
}

/// `/v2/orders/paged`.
#[wasm_bindgen(js_name = swissSignSearchOrdersPagedRequest)]
pub fn search_orders_paged_request(
    auth: &JsSwissSignAuth,
    search: Option<JsSwissSignOrderSearch>,
    page: Option<JsSwissSignPageOptions>,
) -> Result<JsHttpRequest, JsValue> {
    let search: JsValue = search.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    let page: JsValue = page.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    req((|| {
        SearchOrdersPaged {
            search: &order_search(&search)?,
            start: opt_u32(&page, "start", "start")?,
            length: opt_u32(&page, "length", "length")?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses a page of orders.
#[wasm_bindgen(js_name = swissSignParseSearchOrdersPaged)]
pub fn parse_search_orders_paged(
    response: &JsHttpResponse,
) -> Result<JsSwissSignOrderPage, JsValue> {
    parsed(response, SearchOrdersPaged::parse)
}

/// `/v2/order/{ord}/certificate/chain`.
#[wasm_bindgen(js_name = swissSignChainRequest)]
pub fn chain_request(auth: &JsSwissSignAuth, order: &str) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        GetChain {
            order: &OrderRef::new(order)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Parses a chain (PKCS#7 or JSON), leaf first.
#[wasm_bindgen(js_name = swissSignParseChain)]
pub fn parse_chain(response: &JsHttpResponse) -> Result<JsSwissSignChain, JsValue> {
    parsed(response, GetChain::parse)
}

/// `/v2/revoke`.
#[wasm_bindgen(js_name = swissSignRevokeRequest)]
pub fn revoke_request(
    auth: &JsSwissSignAuth,
    certificates: JsSwissSignRevocations,
) -> Result<JsHttpRequest, JsValue> {
    req((|| {
        Revoke {
            certificates: &revocations(&certificates)?,
        }
        .request(&swisssign_auth(auth)?)
    })())
}

/// Checks a revocation answer.
#[wasm_bindgen(js_name = swissSignParseRevoke)]
pub fn parse_revoke(response: &JsHttpResponse) -> Result<(), JsValue> {
    js(response_from_js(response).and_then(|r| Revoke::parse(&r).map(|_| ())))
}

/// The revocation of an order's certificate, by the serial and issuer the
/// server reported for it (`order.certificate`).
#[wasm_bindgen(js_name = swissSignRevocationForOrder)]
pub fn revocation_for_order(
    certificate: &JsSwissSignOrderCertificate,
    reason: &str,
) -> Result<JsSwissSignRevocation, JsValue> {
    val((|| {
        let c: OrderCertificate = from_js(certificate.into(), "certificate")?;
        RevocationRequest::for_order_certificate(&c, revocation_reason(reason)?)
    })())
}

/// Issuance from a CSR as a state machine you drive with any HTTP stack:
/// call `next()`, send what it asks for and hand the answer to
/// `receive()`, wait when it says so, until it is `done`.
#[wasm_bindgen(js_name = SwissSignIssueFlow)]
pub struct JsSwissSignIssueFlow {
    inner: IssueFlow,
}

fn deadline(ms: Option<f64>) -> Deadline {
    match ms {
        Some(ms) => Deadline::at(now_or_date(Some(ms))),
        None => Deadline::NONE,
    }
}

#[wasm_bindgen(js_class = SwissSignIssueFlow)]
impl JsSwissSignIssueFlow {
    /// Submits `csr` (PEM or DER) for `product`; `deadline` is unix ms.
    #[wasm_bindgen(constructor)]
    pub fn new(
        auth: &JsSwissSignAuth,
        product: &str,
        csr: &JsCertificate,
        #[wasm_bindgen(js_name = deadlineMs)] deadline_ms: Option<f64>,
    ) -> Result<JsSwissSignIssueFlow, JsValue> {
        js((|| {
            IssueFlow::new(
                swisssign_auth(auth)?,
                ProductRef::new(product)?,
                &bytes_or_text(csr, "csr")?,
                deadline(deadline_ms),
            )
        })())
        .map(|inner| JsSwissSignIssueFlow { inner })
    }

    /// Follows an order submitted earlier to its end.
    pub fn resume(
        auth: &JsSwissSignAuth,
        order: &str,
        #[wasm_bindgen(js_name = deadlineMs)] deadline_ms: Option<f64>,
    ) -> Result<JsSwissSignIssueFlow, JsValue> {
        js((|| {
            Ok(IssueFlow::resume(
                swisssign_auth(auth)?,
                OrderRef::new(order)?,
                deadline(deadline_ms),
            ))
        })())
        .map(|inner| JsSwissSignIssueFlow { inner })
    }

    /// What to do now (`now` in unix ms, default `Date.now()`).
    pub fn next(&mut self, now: Option<f64>) -> Result<JsSwissSignIssueStep, JsValue> {
        crate::flow::next_step(&mut self.inner, now).map(JsCast::unchecked_into)
    }

    /// The answer to the request of the last `send` step.
    pub fn receive(&mut self, response: &JsHttpResponse, now: Option<f64>) -> Result<(), JsValue> {
        crate::flow::receive(&mut self.inner, response, now)
    }

    /// The request of the last `send` step failed without an answer
    /// (`reason`: the fetch error's message): a safe read is repeated after
    /// a `wait` step, a submission ends with an `ambiguous` error.
    #[wasm_bindgen(js_name = sendFailed)]
    pub fn send_failed(&mut self, reason: String, now: Option<f64>) -> Result<(), JsValue> {
        crate::flow::send_failed(&mut self.inner, reason, now)
    }

    /// The order, once submitted.
    #[wasm_bindgen(getter)]
    pub fn order(&self) -> Option<String> {
        self.inner.order().map(|o| o.as_str().to_string())
    }

    /// The last status seen.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> Option<String> {
        self.inner.status().map(|s| s.as_str().to_string())
    }

    /// Whether the order waits on a person (`PENDING_AUTH`): tell the user,
    /// or stop and `resume` later.
    #[wasm_bindgen(getter, js_name = waitingOnPerson)]
    pub fn waiting_on_person(&self) -> bool {
        self.inner.waiting_on_person()
    }
}
