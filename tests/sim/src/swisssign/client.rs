//! Clients, products and domain pre-validation (swisssign-ra-api-v2.txt,
//! "/v2/clients", "/v2/client/{clientReference}" and the client domain owner
//! check section). Validation reads the simulated DNS: the TXT record on the
//! punycode name must equal the token, e.g. `swiss-pki=CTvhWIvNCuEjIynG574gD5Jeopo`
//! on `xn--dj-kia8a.vu.com` for `déjà.vu.com`.

use serde::Serialize;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

use super::{
    api_error, invalid, may_use, not_found, MODULE_RAO_API, SECTION_ACCESS_DENIED, SECTION_API,
    SECTION_RUNTIME,
};
use crate::config::{SwissSignAccount, SwissSignClient};
use crate::control::dns_key;
use crate::wire::{Request, Response};
use crate::{ids, lock, now_secs, Shared};

const TOKEN_DAYS: i64 = 30;
const VALIDATION_DAYS: i64 = 13 * 30 + 6;

/// RFC 3339 text of unix seconds.
pub(crate) fn rfc3339(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// A registered client domain.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    /// `cld-` reference.
    pub uuid: String,
    /// Owning client.
    pub client_reference: String,
    /// Name as registered (Unicode).
    pub name: String,
    /// IDNA ASCII form: where the TXT record goes.
    pub punycode_name: String,
    /// `swiss-pki=...` or `null` after `token/delete`.
    pub token: Option<String>,
    /// `PENDING` or `VALIDATED`.
    pub status: String,
    /// RFC 3339.
    pub created_on: String,
    /// RFC 3339; tokens are valid 30 days.
    pub token_valid_until: Option<String>,
    /// RFC 3339, once validated.
    pub validated_on: Option<String>,
    /// RFC 3339, validation + 13 months.
    pub valid_until: Option<String>,
    #[serde(skip)]
    valid_until_secs: i64,
}

impl Domain {
    /// Whether this domain is validated now.
    pub fn is_valid(&self, now: i64) -> bool {
        self.status == "VALIDATED" && now < self.valid_until_secs
    }
}

fn new_token() -> String {
    format!("swiss-pki={}", ids::random_chars(27, ids::ALNUM))
}

fn client_json(c: &SwissSignClient) -> Value {
    json!({
        "uuid": c.uuid,
        "name": c.name,
        "products": c.products.iter().map(|p| json!({
            "uuid": p.uuid,
            "name": p.name,
            "clientReference": c.uuid,
            "validityDays": p.validity_days,
        })).collect::<Vec<_>>(),
    })
}

fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    fn rec(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|i| rec(rest, t.get(i..).unwrap_or(&[]))),
            Some((c, rest)) => t
                .split_first()
                .is_some_and(|(d, tr)| c == d && rec(rest, tr)),
        }
    }
    rec(&p, &t)
}

/// `/v2/clients?search=`.
pub(crate) fn search(shared: &Shared, req: &Request, account: &SwissSignAccount) -> Response {
    let pattern = req.query_param("search").filter(|s| !s.is_empty());
    let found: Vec<Value> = shared
        .config
        .swisssign
        .clients
        .iter()
        .filter(|c| may_use(account, &c.uuid))
        .filter(|c| {
            pattern
                .as_deref()
                .is_none_or(|p| glob(p, &c.name) || glob(p, &c.uuid))
        })
        .map(client_json)
        .collect();
    Response::json(200, &found)
}

fn find_client<'a>(
    shared: &'a Shared,
    account: &SwissSignAccount,
    cli: &str,
) -> Result<&'a SwissSignClient, Response> {
    let client = shared
        .config
        .swisssign
        .clients
        .iter()
        .find(|c| c.uuid == cli)
        .ok_or_else(|| {
            api_error(
                404,
                MODULE_RAO_API,
                SECTION_API,
                231,
                format!("client '{cli}' not found"),
            )
        })?;
    if !may_use(account, cli) {
        return Err(api_error(
            403,
            MODULE_RAO_API,
            SECTION_ACCESS_DENIED,
            231,
            "account may not use this client",
        ));
    }
    Ok(client)
}

/// `/v2/client/{cli}`.
pub(crate) fn get(shared: &Shared, account: &SwissSignAccount, cli: &str) -> Response {
    match find_client(shared, account, cli) {
        Ok(c) => Response::json(200, &client_json(c)),
        Err(r) => r,
    }
}

/// `/v2/client/domain/{cli}/register` with a JSON array of names.
pub(crate) fn register(
    shared: &Shared,
    req: &Request,
    account: &SwissSignAccount,
    cli: &str,
) -> Response {
    if let Err(r) = find_client(shared, account, cli) {
        return r;
    }
    let names: Vec<String> = match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Array(items)) if !items.is_empty() => {
            let mut out = Vec::new();
            for i in items {
                match i {
                    Value::String(s) => out.push(s),
                    _ => return invalid("each domain name must be a string"),
                }
            }
            out
        }
        _ => return invalid("body must be a non-empty JSON array of domain names"),
    };
    let now = now_secs();
    let mut st = lock(&shared.swisssign);
    let mut answer = Vec::new();
    for name in names {
        let trimmed = name.trim().trim_end_matches('.');
        let ascii = match idna::domain_to_ascii(trimmed) {
            Ok(a) if a.contains('.') && !a.starts_with('*') => a,
            _ => return invalid(format!("'{name}' is not a registrable domain name")),
        };
        if let Some(existing) = st
            .domains
            .iter()
            .find(|d| d.client_reference == cli && d.punycode_name == ascii)
        {
            answer.push(existing.clone());
            continue;
        }
        let d = Domain {
            uuid: format!("cld-{}", ids::uuid()),
            client_reference: cli.to_owned(),
            name: trimmed.to_owned(),
            punycode_name: ascii,
            token: Some(new_token()),
            status: "PENDING".into(),
            created_on: rfc3339(now),
            token_valid_until: Some(rfc3339(now + TOKEN_DAYS * 86_400)),
            validated_on: None,
            valid_until: None,
            valid_until_secs: 0,
        };
        st.domains.push(d.clone());
        answer.push(d);
    }
    Response::json(200, &answer)
}

/// `/v2/client/domain/{cli}/list` and `/v2/client/domains/{cli}/list`.
pub(crate) fn list_domains(shared: &Shared, account: &SwissSignAccount, cli: &str) -> Response {
    if let Err(r) = find_client(shared, account, cli) {
        return r;
    }
    let st = lock(&shared.swisssign);
    let list: Vec<&Domain> = st
        .domains
        .iter()
        .filter(|d| d.client_reference == cli)
        .collect();
    Response::json(200, &list)
}

/// `/v2/client/domain/{cld}[/delete|/validate|/token/reset|/token/delete]`.
pub(crate) fn domain_action(
    shared: &Shared,
    account: &SwissSignAccount,
    cld: &str,
    action: &str,
) -> Response {
    let now = now_secs();
    let mut st = lock(&shared.swisssign);
    let Some(index) = st.domains.iter().position(|d| d.uuid == cld) else {
        return not_found("client domain", cld);
    };
    let Some(domain) = st.domains.get_mut(index) else {
        return not_found("client domain", cld);
    };
    if !may_use(account, &domain.client_reference) {
        return api_error(
            403,
            MODULE_RAO_API,
            SECTION_ACCESS_DENIED,
            231,
            "account may not use this client",
        );
    }
    match action {
        "" => Response::json(200, domain),
        "validate" => {
            let published = lock(&shared.dns)
                .get(&dns_key(&domain.punycode_name))
                .cloned()
                .unwrap_or_default();
            match &domain.token {
                Some(t) if published.iter().any(|v| v == t) => {
                    domain.status = "VALIDATED".into();
                    domain.validated_on = Some(rfc3339(now));
                    domain.valid_until_secs = now + VALIDATION_DAYS * 86_400;
                    domain.valid_until = Some(rfc3339(domain.valid_until_secs));
                    Response::json(200, domain)
                }
                Some(t) => api_error(
                    400,
                    MODULE_RAO_API,
                    SECTION_RUNTIME,
                    240,
                    format!("no TXT record '{t}' found on {}", domain.punycode_name),
                ),
                None => api_error(
                    400,
                    MODULE_RAO_API,
                    SECTION_RUNTIME,
                    240,
                    "the domain has no validation token; reset it",
                ),
            }
        }
        "token/reset" => {
            domain.token = Some(new_token());
            domain.token_valid_until = Some(rfc3339(now + TOKEN_DAYS * 86_400));
            Response::json(200, domain)
        }
        "token/delete" => {
            domain.token = None;
            domain.token_valid_until = None;
            Response::json(200, domain)
        }
        "delete" => {
            let removed = st.domains.remove(index);
            Response::json(200, &removed)
        }
        other => api_error(
            404,
            MODULE_RAO_API,
            SECTION_API,
            227,
            format!("no domain action '{other}'"),
        ),
    }
}

/// Whether `name` (ASCII, maybe `*.`-prefixed) is covered by a validated
/// domain of `cli`: equal to it or a subdomain of it.
pub(crate) fn covered(st: &super::State, cli: &str, name: &str, now: i64) -> bool {
    let name = name.trim_start_matches("*.").to_ascii_lowercase();
    st.domains
        .iter()
        .filter(|d| d.client_reference == cli && d.is_valid(now))
        .any(|d| name == d.punycode_name || name.ends_with(&format!(".{}", d.punycode_name)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn glob_matches_like_the_seed_example() {
        assert!(super::glob("Client*", "client demo ag"));
        assert!(super::glob("*demo*", "Client Demo AG"));
        assert!(!super::glob("Other*", "Client Demo AG"));
        assert!(super::glob("Client Demo AG", "client demo ag"));
    }
}
