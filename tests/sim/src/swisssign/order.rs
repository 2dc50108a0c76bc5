//! Certificate orders: issue from a CSR, asynchronous status, chain download
//! in both formats, search and revocation (swisssign-ra-api-v2.txt,
//! "/v2/issue/csr/{productReference}", "/v2/order/{orderReference}/status",
//! "/v2/order/{orderReference}/certificate/chain", "/v2/revoke").

use base64::Engine;
use der::asn1::Ia5StringRef;
use der::{Decode, Encode};
use serde_json::{json, Value};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::request::{CertReq, ExtensionReq};

use super::client::{covered, rfc3339};
use super::{
    api_error, invalid, may_use, not_found, MODULE_RAO_API, SECTION_API, SECTION_FORM_VALIDATION,
    SECTION_RUNTIME,
};
use crate::ca::{self, Issued, LeafKind};
use crate::config::{ChainFormat, SwissSignAccount};
use crate::wire::{Request, Response};
use crate::{ids, keys, lock, names, now_millis, now_secs, Shared};

/// A certificate order.
#[derive(Debug, Clone)]
pub struct Order {
    uuid: String,
    client: String,
    product: String,
    created_secs: i64,
    created_ms: u128,
    delay_ms: u128,
    subject: String,
    dns_names: Vec<String>,
    failure: Option<String>,
    issued: Option<Issued>,
    revoked: Option<String>,
}

impl Order {
    /// Status now: NEW → PRE_VALIDATION → ISSUE → ISSUED (or → FAILED after
    /// PRE_VALIDATION), spread over the configured delay; REVOKED once revoked.
    pub fn status(&self, now_ms: u128) -> &'static str {
        if self.revoked.is_some() {
            return "REVOKED";
        }
        let elapsed = now_ms.saturating_sub(self.created_ms);
        let d = self.delay_ms;
        if elapsed < d / 4 {
            "NEW"
        } else if elapsed < d / 2 {
            "PRE_VALIDATION"
        } else if self.failure.is_some() {
            "FAILED"
        } else if elapsed < d {
            "ISSUE"
        } else {
            "ISSUED"
        }
    }

    fn json(&self, now_ms: u128, issuer: &str) -> Value {
        let status = self.status(now_ms);
        let mut v = json!({
            "uuid": self.uuid,
            "status": status,
            "createdOn": rfc3339(self.created_secs),
            "clientReference": self.client,
            "productReference": self.product,
            "subjectName": self.subject,
            "dnsNames": self.dns_names,
        });
        if let (Some(obj), Some(cert)) = (v.as_object_mut(), &self.issued) {
            if matches!(status, "ISSUED" | "REVOKED") {
                obj.insert("serialNumber".into(), json!(cert.serial_hex));
                obj.insert("issuerName".into(), json!(issuer));
                obj.insert("validFrom".into(), json!(rfc3339(cert.not_before as i64)));
                obj.insert("validTo".into(), json!(rfc3339(cert.not_after as i64)));
            }
        }
        if let (Some(obj), Some(reason)) = (v.as_object_mut(), &self.failure) {
            if status == "FAILED" {
                obj.insert("statusMessage".into(), json!(reason));
            }
        }
        if let (Some(obj), Some(reason)) = (v.as_object_mut(), &self.revoked) {
            obj.insert("revocationReason".into(), json!(reason));
        }
        v
    }
}

fn csr_error(message: impl Into<String>) -> Response {
    api_error(400, MODULE_RAO_API, SECTION_FORM_VALIDATION, 241, message)
}

/// A parsed, signature-checked CSR and the DNS names it asks for (SAN
/// dNSNames, else the CN).
struct CheckedCsr {
    req: CertReq,
    dns_names: Vec<String>,
}

fn parse_csr(pem: &str) -> Result<CheckedCsr, Response> {
    let text = pem.trim();
    let body: String = text
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    if !text.starts_with("-----BEGIN CERTIFICATE REQUEST-----")
        && !text.starts_with("-----BEGIN NEW CERTIFICATE REQUEST-----")
    {
        return Err(csr_error(
            "the body must be a PEM CSR (-----BEGIN CERTIFICATE REQUEST-----)",
        ));
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| csr_error(format!("CSR base64: {e}")))?;
    let req = CertReq::from_der(&der).map_err(|e| csr_error(format!("CSR DER: {e}")))?;
    let tbs = req.info.to_der().map_err(|e| csr_error(e.to_string()))?;
    keys::verify(
        &req.info.public_key,
        &req.algorithm,
        &tbs,
        req.signature.raw_bytes(),
    )
    .map_err(|e| csr_error(format!("CSR self-signature: {e}")))?;
    let mut dns_names = Vec::new();
    for attr in req.info.attributes.iter() {
        if attr.oid != const_oid::db::rfc5912::ID_EXTENSION_REQ {
            continue;
        }
        for value in attr.values.iter() {
            let bytes = value.to_der().map_err(|e| csr_error(e.to_string()))?;
            let exts = ExtensionReq::from_der(&bytes)
                .map_err(|e| csr_error(format!("extensionRequest: {e}")))?;
            for ext in exts.0 {
                if ext.extn_id != const_oid::db::rfc5280::ID_CE_SUBJECT_ALT_NAME {
                    continue;
                }
                let san = SubjectAltName::from_der(ext.extn_value.as_bytes())
                    .map_err(|e| csr_error(format!("subjectAltName: {e}")))?;
                for n in san.0 {
                    if let GeneralName::DnsName(d) = n {
                        dns_names.push(d.as_str().to_ascii_lowercase());
                    }
                }
            }
        }
    }
    if dns_names.is_empty() {
        dns_names = names::common_names(&req.info.subject)
            .into_iter()
            .filter(|cn| cn.contains('.') && Ia5StringRef::new(cn).is_ok())
            .map(|cn| cn.to_ascii_lowercase())
            .collect();
    }
    if dns_names.is_empty() {
        return Err(csr_error(
            "the CSR names no DNS name (subjectAltName dNSName or CN)",
        ));
    }
    Ok(CheckedCsr { req, dns_names })
}

/// The client owning product `pma`, checking the account may use it.
fn product_client(
    shared: &Shared,
    account: &SwissSignAccount,
    pma: &str,
) -> Result<(String, u32), Response> {
    for c in &shared.config.swisssign.clients {
        if let Some(p) = c.products.iter().find(|p| p.uuid == pma) {
            if !may_use(account, &c.uuid) {
                return Err(api_error(
                    403,
                    MODULE_RAO_API,
                    super::SECTION_ACCESS_DENIED,
                    248,
                    "account may not use this product",
                ));
            }
            return Ok((c.uuid.clone(), p.validity_days));
        }
    }
    Err(api_error(
        404,
        MODULE_RAO_API,
        SECTION_API,
        243,
        format!("product '{pma}' not found"),
    ))
}

/// Names of the CSR that are not validated domains of `cli` (empty when pre-validation is off).
fn unvalidated(shared: &Shared, cli: &str, names: &[String]) -> Vec<String> {
    if !shared.config.swisssign.require_prevalidation {
        return Vec::new();
    }
    let st = lock(&shared.swisssign);
    let now = now_secs();
    names
        .iter()
        .filter(|n| !covered(&st, cli, n, now))
        .cloned()
        .collect()
}

fn create_order(shared: &Shared, account: &SwissSignAccount, pma: &str, pem: &str) -> Response {
    let (cli, days) = match product_client(shared, account, pma) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let csr = match parse_csr(pem) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let missing = unvalidated(shared, &cli, &csr.dns_names);
    let failure = (!missing.is_empty()).then(|| {
        format!(
            "domain(s) not pre-validated for this client: {}",
            missing.join(", ")
        )
    });
    let issued = if failure.is_none() {
        let kind = LeafKind::Tls(csr.dns_names.clone());
        match shared.ca.issue(
            csr.req.info.subject.clone(),
            csr.req.info.public_key.clone(),
            &kind,
            days,
        ) {
            Ok(i) => Some(i),
            Err(e) => return api_error(500, MODULE_RAO_API, SECTION_RUNTIME, 225, e.to_string()),
        }
    } else {
        None
    };
    let order = Order {
        uuid: format!("ord-{}", ids::uuid()),
        client: cli,
        product: pma.to_owned(),
        created_secs: now_secs(),
        created_ms: now_millis(),
        delay_ms: u128::from(shared.config.swisssign.issue_delay_ms),
        subject: csr.req.info.subject.to_string(),
        dns_names: csr.dns_names,
        failure,
        issued,
        revoked: None,
    };
    let answer = order.json(now_millis(), &shared.ca.issuer_name().to_string());
    lock(&shared.swisssign).orders.push(order);
    Response::json(200, &answer)
}

/// `/v2/issue/csr/{pma}` with a `text/plain` PEM body.
pub(crate) fn issue_csr(
    shared: &Shared,
    req: &Request,
    account: &SwissSignAccount,
    pma: &str,
) -> Response {
    let ct = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !ct.starts_with("text/plain") {
        return api_error(
            415,
            MODULE_RAO_API,
            SECTION_FORM_VALIDATION,
            226,
            format!("Content-Type must be text/plain (got '{ct}')"),
        );
    }
    match std::str::from_utf8(&req.body) {
        Ok(pem) => create_order(shared, account, pma, pem),
        Err(_) => csr_error("the CSR must be UTF-8 PEM text"),
    }
}

/// `/v2/issue` (`dry_run` false) and `/v2/validate` (`dry_run` true).
pub(crate) fn issue_json(
    shared: &Shared,
    req: &Request,
    account: &SwissSignAccount,
    dry_run: bool,
) -> Response {
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return invalid("body must be a JSON IssueRequest {productReference, csr}"),
    };
    let (Some(pma), Some(csr)) = (
        body.get("productReference").and_then(Value::as_str),
        body.get("csr").and_then(Value::as_str),
    ) else {
        return invalid("productReference and csr (PEM) are required");
    };
    if !dry_run {
        return create_order(shared, account, pma, csr);
    }
    let (cli, _) = match product_client(shared, account, pma) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let checked = match parse_csr(csr) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let missing = unvalidated(shared, &cli, &checked.dns_names);
    let messages: Vec<String> = missing
        .iter()
        .map(|n| format!("domain '{n}' is not pre-validated"))
        .collect();
    Response::json(
        200,
        &json!({
            "valid": missing.is_empty(),
            "messages": messages,
            "names": checked.dns_names,
            "productReference": pma,
            "clientReference": cli,
        }),
    )
}

fn with_order<T>(
    shared: &Shared,
    account: &SwissSignAccount,
    ord: &str,
    f: impl FnOnce(&mut Order) -> T,
) -> Result<T, Response> {
    let mut st = lock(&shared.swisssign);
    let order = st
        .orders
        .iter_mut()
        .find(|o| o.uuid == ord)
        .ok_or_else(|| not_found("order", ord))?;
    if !may_use(account, &order.client) {
        return Err(api_error(
            403,
            MODULE_RAO_API,
            super::SECTION_ACCESS_DENIED,
            231,
            "account may not use this client",
        ));
    }
    Ok(f(order))
}

/// `/v2/order/{ord}`.
pub(crate) fn get(shared: &Shared, account: &SwissSignAccount, ord: &str) -> Response {
    let issuer = shared.ca.issuer_name().to_string();
    match with_order(shared, account, ord, |o| o.json(now_millis(), &issuer)) {
        Ok(v) => Response::json(200, &v),
        Err(r) => r,
    }
}

/// `/v2/order/{ord}/status`: a bare JSON string.
pub(crate) fn status(shared: &Shared, account: &SwissSignAccount, ord: &str) -> Response {
    match with_order(shared, account, ord, |o| o.status(now_millis())) {
        Ok(s) => Response::json(200, &s),
        Err(r) => r,
    }
}

/// `/v2/orders` with optional filters.
pub(crate) fn search(shared: &Shared, req: &Request, account: &SwissSignAccount) -> Response {
    let filter: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return invalid("search body must be a JSON object"),
        }
    };
    let want = |k: &str| filter.get(k).and_then(Value::as_str).map(str::to_owned);
    let (status, cli, pma) = (
        want("status"),
        want("clientReference"),
        want("productReference"),
    );
    let now = now_millis();
    let issuer = shared.ca.issuer_name().to_string();
    let st = lock(&shared.swisssign);
    let found: Vec<Value> = st
        .orders
        .iter()
        .filter(|o| may_use(account, &o.client))
        .filter(|o| status.as_deref().is_none_or(|s| o.status(now) == s))
        .filter(|o| cli.as_deref().is_none_or(|c| o.client == c))
        .filter(|o| pma.as_deref().is_none_or(|p| o.product == p))
        .map(|o| o.json(now, &issuer))
        .collect();
    Response::json(200, &found)
}

fn wants_pkcs7(req: &Request, default: ChainFormat) -> bool {
    let accept = req.header("accept").unwrap_or("").to_ascii_lowercase();
    if accept.contains("pkcs7") {
        true
    } else if accept.contains("application/json") {
        false
    } else {
        default == ChainFormat::Pkcs7
    }
}

/// `/v2/order/{ord}/certificate/chain`.
pub(crate) fn chain(
    shared: &Shared,
    req: &Request,
    account: &SwissSignAccount,
    ord: &str,
) -> Response {
    let found = with_order(shared, account, ord, |o| {
        (o.status(now_millis()), o.issued.clone())
    });
    let (status, issued) = match found {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(cert) = issued.filter(|_| matches!(status, "ISSUED" | "REVOKED")) else {
        return api_error(
            409,
            MODULE_RAO_API,
            SECTION_RUNTIME,
            225,
            format!("order is {status}, not ISSUED"),
        );
    };
    let chain = shared.ca.chain(&cert.der);
    if wants_pkcs7(req, shared.config.swisssign.chain_format) {
        match ca::pkcs7_certs_only(&chain) {
            Ok(der) => Response::bytes(200, "application/pkcs7-mime", der),
            Err(e) => api_error(500, MODULE_RAO_API, SECTION_RUNTIME, 225, e.to_string()),
        }
    } else {
        let list: Vec<String> = chain
            .iter()
            .map(|c| base64::engine::general_purpose::STANDARD.encode(c))
            .collect();
        Response::json(200, &list)
    }
}

/// Maps both spellings of a revocation reason to the current UPPER_SNAKE one.
pub fn revocation_reason(given: &str) -> Option<&'static str> {
    Some(match given {
        "UNUSED" | "unused" | "unspecified" | "UNSPECIFIED" => "UNUSED",
        "KEY_COMPROMISE" | "keyCompromise" => "KEY_COMPROMISE",
        "AFFILIATION_CHANGED" | "affiliationChanged" => "AFFILIATION_CHANGED",
        "SUPERSEDED" | "superseded" => "SUPERSEDED",
        "CESSATION_OF_OPERATION" | "cessationOfOperation" => "CESSATION_OF_OPERATION",
        _ => return None,
    })
}

fn norm_serial(s: &str) -> String {
    let hex: String = s
        .chars()
        .filter(|c| !matches!(c, ':' | ' '))
        .collect::<String>()
        .to_ascii_uppercase();
    let trimmed = hex.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.to_owned()
    }
}

/// `/v2/revoke [{serialNumber, issuerName, revocationReason}]`; all or nothing.
pub(crate) fn revoke(shared: &Shared, req: &Request, account: &SwissSignAccount) -> Response {
    let items = match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Array(items)) if !items.is_empty() => items,
        _ => return invalid(
            "body must be a non-empty JSON array of {serialNumber, issuerName, revocationReason}",
        ),
    };
    let issuer = shared.ca.issuer_name().clone();
    let mut plan = Vec::new();
    {
        let st = lock(&shared.swisssign);
        for item in &items {
            let get = |k: &str| item.get(k).and_then(Value::as_str);
            let (Some(serial), Some(issuer_name), Some(reason)) = (
                get("serialNumber"),
                get("issuerName"),
                get("revocationReason"),
            ) else {
                return invalid("each entry needs serialNumber, issuerName and revocationReason");
            };
            let Some(reason) = revocation_reason(reason) else {
                return invalid(format!(
                    "revocationReason '{reason}' is not one of UNUSED, KEY_COMPROMISE, AFFILIATION_CHANGED, SUPERSEDED, CESSATION_OF_OPERATION"
                ));
            };
            let wanted = norm_serial(serial);
            let Some(order) = st.orders.iter().find(|o| {
                o.issued
                    .as_ref()
                    .is_some_and(|c| norm_serial(&c.serial_hex) == wanted)
                    && may_use(account, &o.client)
            }) else {
                return api_error(
                    400,
                    MODULE_RAO_API,
                    SECTION_RUNTIME,
                    230,
                    format!("no certificate with serial number {serial}"),
                );
            };
            if !names::issuer_matches(issuer_name, &issuer) {
                return api_error(
                    400,
                    MODULE_RAO_API,
                    SECTION_RUNTIME,
                    238,
                    format!("issuerName does not match; expected {issuer}"),
                );
            }
            if order.revoked.is_some() {
                return api_error(
                    400,
                    MODULE_RAO_API,
                    SECTION_RUNTIME,
                    233,
                    format!("certificate {serial} is already revoked"),
                );
            }
            plan.push((order.uuid.clone(), serial.to_owned(), reason));
        }
    }
    let mut st = lock(&shared.swisssign);
    let mut answer = Vec::new();
    for (uuid, serial, reason) in plan {
        if let Some(o) = st.orders.iter_mut().find(|o| o.uuid == uuid) {
            o.revoked = Some(reason.to_owned());
        }
        answer
            .push(json!({"serialNumber": serial, "status": "REVOKED", "revocationReason": reason}));
    }
    Response::json(200, &answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_accept_both_spellings() {
        assert_eq!(revocation_reason("superseded"), Some("SUPERSEDED"));
        assert_eq!(revocation_reason("KEY_COMPROMISE"), Some("KEY_COMPROMISE"));
        assert_eq!(
            revocation_reason("cessationOfOperation"),
            Some("CESSATION_OF_OPERATION")
        );
        assert_eq!(revocation_reason("Superseded"), None);
    }

    #[test]
    fn serials_compare_without_leading_zeros_or_colons() {
        assert_eq!(norm_serial("00:3a:bc"), "3ABC");
        assert_eq!(norm_serial("3ABC"), "3ABC");
    }
}
