//! `SwissSignClient`: the core's async SwissSign client with Promise methods,
//! one per RA API endpoint and per whole task (issue, resume, revokeOrder).

use std::rc::Rc;

use certbridge::client::SwissSignClient;
use certbridge::swisssign::{ClientRef, DomainRef, OrderRef, ProductRef};
use certbridge::{Backoff, Deadline, Error};
use wasm_bindgen::prelude::*;

use crate::client::{driver, positive, promise};
use crate::convert::{bytes_or_text, issue_request, strings, swisssign_session, to_js};
use crate::error::js;
use crate::host::JsClock;
use crate::swisssign::{domain_action, order_search, revocation_reason, revocations};
use crate::types::*;

/// A SwissSign RA API v2 client that keeps its JWT fresh (signed locally
/// from an API key, or fetched with a user secret). Every method returns a
/// Promise; failures reject with a `CertbridgeError`.
#[wasm_bindgen(js_name = SwissSignClient)]
pub struct JsSwissSignClient {
    inner: Rc<SwissSignClient>,
}

fn client(options: &JsValue) -> Result<SwissSignClient, Error> {
    let session = swisssign_session(options)?;
    let mut client = SwissSignClient::new(session, driver(options)?);
    let initial = positive(options, "pollInitialMs", "poll_initial_ms")?;
    let max = positive(options, "pollMaxMs", "poll_max_ms")?;
    if initial.is_some() || max.is_some() {
        let initial = initial.unwrap_or(1_000).max(1);
        client = client.with_backoff(Backoff {
            initial_millis: initial,
            max_millis: max.unwrap_or(30_000).max(initial),
            factor_percent: 150,
        });
    }
    Ok(client)
}

/// `options.timeoutMs` from now as a deadline.
fn deadline(options: &Option<JsSwissSignIssueOptions>) -> Result<Deadline, Error> {
    let options: JsValue = options
        .as_ref()
        .map(|o| o.into())
        .unwrap_or(JsValue::UNDEFINED);
    Ok(match positive(&options, "timeoutMs", "timeout_ms")? {
        Some(ms) => Deadline::at(certbridge::client::Clock::now(&JsClock).plus_millis(ms)),
        None => Deadline::NONE,
    })
}

#[wasm_bindgen(js_class = SwissSignClient)]
impl JsSwissSignClient {
    /// A client for `options.baseUrl` (default production); `fetch` unless
    /// `options.transport`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsSwissSignClientOptions) -> Result<JsSwissSignClient, JsValue> {
        js(client(options)).map(|c| JsSwissSignClient { inner: Rc::new(c) })
    }

    /// `/v2/clients?search=`: clients and their products.
    pub fn clients(&self, search: Option<String>) -> PromiseSwissSignClients {
        promise(&self.inner, |c| async move {
            to_js(&c.clients(search.as_deref()).await?)
        })
        .unchecked_into()
    }

    /// `/v2/client/{cli}`.
    pub fn client(&self, client: String) -> PromiseSwissSignClient {
        promise(&self.inner, |c| async move {
            to_js(&c.client(&ClientRef::new(&client)?).await?)
        })
        .unchecked_into()
    }

    /// Registers domains (Unicode allowed) for pre-validation; each answer
    /// carries the TXT record to publish.
    #[wasm_bindgen(js_name = registerDomains)]
    pub fn register_domains(&self, client: String, domains: JsStrings) -> PromiseSwissSignDomains {
        let domains = strings(&domains, "domains");
        promise(&self.inner, |c| async move {
            to_js(
                &c.register_domains(&ClientRef::new(&client)?, &domains?)
                    .await?,
            )
        })
        .unchecked_into()
    }

    /// The client's pre-validated domains.
    pub fn domains(&self, client: String) -> PromiseSwissSignDomains {
        promise(&self.inner, |c| async move {
            to_js(&c.domains(&ClientRef::new(&client)?).await?)
        })
        .unchecked_into()
    }

    /// Reads (`get`, default), validates, or resets/deletes the token of one
    /// domain.
    pub fn domain(
        &self,
        domain: String,
        action: Option<JsSwissSignDomainAction>,
    ) -> PromiseSwissSignDomain {
        let action = domain_action(action.map(|a| a.as_string().unwrap_or_else(|| "?".into())));
        promise(&self.inner, |c| async move {
            to_js(&c.domain(&DomainRef::new(&domain)?, action?).await?)
        })
        .unchecked_into()
    }

    /// Deletes a pre-validated domain.
    #[wasm_bindgen(js_name = deleteDomain)]
    pub fn delete_domain(&self, domain: String) -> PromiseVoid {
        promise(&self.inner, |c| async move {
            c.delete_domain(&DomainRef::new(&domain)?)
                .await
                .map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// `/v2/issue/csr/{pma}`: submits a CSR (PEM or DER) and returns the new
    /// order without waiting for it.
    #[wasm_bindgen(js_name = submitCsr)]
    pub fn submit_csr(&self, product: String, csr: &JsCertificate) -> PromiseSwissSignOrder {
        let csr = bytes_or_text(csr, "csr");
        promise(&self.inner, |c| async move {
            to_js(&c.submit_csr(&ProductRef::new(&product)?, &csr?).await?)
        })
        .unchecked_into()
    }

    /// `/v2/issue`: submits a JSON issue request.
    pub fn submit(&self, request: &JsSwissSignIssueRequest) -> PromiseSwissSignOrder {
        let request = issue_request(request);
        promise(&self.inner, |c| async move {
            to_js(&c.submit(&request?).await?)
        })
        .unchecked_into()
    }

    /// `/v2/validate`: checks an issue request without ordering.
    pub fn validate(&self, request: &JsSwissSignIssueRequest) -> PromiseVoid {
        let request = issue_request(request);
        promise(&self.inner, |c| async move {
            c.validate(&request?).await.map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// `/v2/order/{ord}/status`.
    #[wasm_bindgen(js_name = orderStatus)]
    pub fn order_status(&self, order: String) -> PromiseSwissSignOrderStatus {
        promise(&self.inner, |c| async move {
            to_js(&c.order_status(&OrderRef::new(&order)?).await?)
        })
        .unchecked_into()
    }

    /// `/v2/order/{ord}`.
    pub fn order(&self, order: String) -> PromiseSwissSignOrder {
        promise(&self.inner, |c| async move {
            to_js(&c.order(&OrderRef::new(&order)?).await?)
        })
        .unchecked_into()
    }

    /// `/v2/orders`: searches orders (an empty search lists recent ones).
    pub fn orders(&self, search: Option<JsSwissSignOrderSearch>) -> PromiseSwissSignOrders {
        let search = order_search(&search.map(Into::into).unwrap_or(JsValue::UNDEFINED));
        promise(
            &self.inner,
            |c| async move { to_js(&c.orders(&search?).await?) },
        )
        .unchecked_into()
    }

    /// `/v2/order/{ord}/certificate/chain`, leaf first.
    pub fn chain(&self, order: String) -> PromiseSwissSignChain {
        promise(&self.inner, |c| async move {
            to_js(&c.chain(&OrderRef::new(&order)?).await?)
        })
        .unchecked_into()
    }

    /// `/v2/revoke`.
    pub fn revoke(&self, certificates: JsSwissSignRevocations) -> PromiseVoid {
        let list = revocations(&certificates);
        promise(&self.inner, |c| async move {
            c.revoke(&list?).await.map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// Issues a certificate: submits the CSR (PEM or DER), polls the order
    /// to a terminal status (backoff, `Retry-After`, `options.timeoutMs`)
    /// and downloads the chain.
    pub fn issue(
        &self,
        product: String,
        csr: &JsCertificate,
        options: Option<JsSwissSignIssueOptions>,
    ) -> PromiseSwissSignIssued {
        let csr = bytes_or_text(csr, "csr");
        let deadline = deadline(&options);
        promise(&self.inner, |c| async move {
            to_js(
                &c.issue(&ProductRef::new(&product)?, &csr?, deadline?)
                    .await?,
            )
        })
        .unchecked_into()
    }

    /// Follows an order submitted earlier (e.g. one waiting in
    /// `PENDING_AUTH`) to its end.
    pub fn resume(
        &self,
        order: String,
        options: Option<JsSwissSignIssueOptions>,
    ) -> PromiseSwissSignIssued {
        let deadline = deadline(&options);
        promise(&self.inner, |c| async move {
            to_js(&c.resume(&OrderRef::new(&order)?, deadline?).await?)
        })
        .unchecked_into()
    }

    /// Revokes the certificate of `order`, by the serial and issuer the
    /// server reports for it.
    #[wasm_bindgen(js_name = revokeOrder)]
    pub fn revoke_order(&self, order: String, reason: JsSwissSignRevocationReason) -> PromiseVoid {
        let reason = reason
            .as_string()
            .ok_or_else(|| Error::invalid_input("reason", "must be a string"))
            .and_then(|r| revocation_reason(&r));
        promise(&self.inner, |c| async move {
            c.revoke_order(&OrderRef::new(&order)?, reason?)
                .await
                .map(|()| JsValue::UNDEFINED)
        })
        .unchecked_into()
    }
}
