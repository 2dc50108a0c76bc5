//! SwissSign ops (`swisssign.*`). An op with a `response` parses it; without
//! one it builds the request. Inputs use the API's own names.
use certbridge::secret::Secret;
use certbridge::swisssign::auth::{local_jwt, JwtRequest, Session};
use certbridge::swisssign::chain::GetChain;
use certbridge::swisssign::client::{GetClient, SearchClients, SearchClientsPaged};
use certbridge::swisssign::domain::{
    DeleteDomain, DomainAction, DomainCall, ListDomains, RegisterDomains,
};
use certbridge::swisssign::error::error_of;
use certbridge::swisssign::issue::{
    Issue, IssueCsr, IssueRequest, RequestExtensions, RequestOverrides, RequestedDns, ValidateIssue,
};
use certbridge::swisssign::order::{
    GetOrder, GetOrderStatus, OrderSearch, SearchOrders, SearchOrdersPaged,
};
use certbridge::swisssign::revoke::{RevocationRequest, Revoke};
use certbridge::swisssign::{
    ClientRef, DomainRef, OrderRef, ProductRef, SwissSignCompat, SwissSignConfig,
};
use certbridge::{Error, HttpRequest};
use serde::Serialize;
use serde_json::{json, Value};

use super::common::{Case, Outcome};

fn value<T: Serialize>(r: Result<T, Error>) -> Result<Outcome, Error> {
    r.map(|v| Outcome::Value(serde_json::to_value(v).unwrap_or(Value::Null)))
}

fn config(case: &Case) -> Result<SwissSignConfig, Error> {
    let mut cfg = match case.opt_str("base_url") {
        Some(url) => SwissSignConfig::new(&url)?,
        None => SwissSignConfig::production(),
    };
    if let Some(c) = case.input.get("compat") {
        cfg.compat = serde_json::from_value::<SwissSignCompat>(c.clone())
            .map_err(|e| Error::invalid_input("compat", e.to_string()))?;
    }
    Ok(cfg)
}

/// A session from `token`, or a locally signed one from `account`,
/// `api_key` and `now`.
fn session(case: &Case) -> Result<Session, Error> {
    let cfg = config(case)?;
    if let Some(account) = case.opt_str("account") {
        let mut s = Session::with_api_key(cfg, &account, Secret::new(case.str("api_key")))?;
        s.prepare(case.now())?;
        return Ok(s);
    }
    Session::with_token(cfg, Secret::new(case.str("token")))
}

fn strings(case: &Case, key: &str) -> Vec<String> {
    case.input
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn u32_of(case: &Case, key: &str) -> Option<u32> {
    case.input
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

fn issue_request(case: &Case) -> Result<IssueRequest, Error> {
    let mut r = IssueRequest::with_csr(ProductRef::new(&case.str("product"))?, case.str("csr"));
    if case.opt_str("csr").is_none() {
        r.csr = None;
    }
    let dns = strings(case, "dns");
    let emails = strings(case, "emails");
    let ips = strings(case, "ips");
    let subject_dn = case.opt_str("subject_dn");
    let validity = u32_of(case, "validity");
    if subject_dn.is_some()
        || validity.is_some()
        || !dns.is_empty()
        || !emails.is_empty()
        || !ips.is_empty()
    {
        let non_empty = |v: Vec<String>| (!v.is_empty()).then_some(v);
        let request_dns = (!dns.is_empty()).then(|| {
            dns.into_iter()
                .map(|d| RequestedDns {
                    dns: d,
                    ..RequestedDns::default()
                })
                .collect()
        });
        let ext = RequestExtensions {
            request_dns,
            request_rfc822: non_empty(emails),
            request_ip: non_empty(ips),
            request_upn: None,
        };
        let has_ext = ext != RequestExtensions::default();
        r.overrides = Some(RequestOverrides {
            subject_dn,
            validity,
            request_extensions: has_ext.then_some(ext),
        });
    }
    r.tags = strings(case, "tags");
    r.note = case.opt_str("note");
    let flag = |k: &str| case.input.get(k).and_then(Value::as_bool);
    r.publish_certificate = flag("publish_certificate");
    r.synchronous = flag("synchronous");
    r.accept_terms = flag("accept_terms");
    r.include_certificate_chain = flag("include_certificate_chain");
    Ok(r)
}

fn order_search(case: &Case) -> Result<OrderSearch, Error> {
    serde_json::from_value(case.input.get("search").cloned().unwrap_or(json!({})))
        .map_err(|e| Error::invalid_input("search", e.to_string()))
}

/// Builds the request, or parses the response with `parse`.
fn endpoint<T: Serialize>(
    case: &Case,
    request: impl FnOnce(&Session) -> Result<HttpRequest, Error>,
    parse: impl FnOnce(&certbridge::HttpResponse) -> Result<T, Error>,
) -> Result<Outcome, Error> {
    match &case.response {
        Some(resp) => value(parse(resp)),
        None => request(&session(case)?).map(Outcome::Request),
    }
}

fn run_op(case: &Case) -> Option<Result<Outcome, Error>> {
    let op = case.op.strip_prefix("swisssign.")?;
    let client = || ClientRef::new(&case.str("client"));
    let order = || OrderRef::new(&case.str("order"));
    let domain = || DomainRef::new(&case.str("domain"));
    Some(match op {
        "jwt_local" => local_jwt(
            &case.str("account"),
            &Secret::new(case.str("api_key")),
            case.now(),
        )
        .map(|t| Outcome::Value(json!({ "token": t.expose() }))),
        "jwt" => match &case.response {
            Some(resp) => JwtRequest::parse(resp, case.now()).map(|j| {
                Outcome::Value(json!({"token": j.token.expose(), "expires_at": j.expires_at}))
            }),
            None => config(case).and_then(|cfg| {
                JwtRequest {
                    user_name: &case.str("user_name"),
                    user_secret: &Secret::new(case.str("user_secret")),
                }
                .request(&cfg)
                .map(Outcome::Request)
            }),
        },
        "api_error" => {
            let resp = case.response();
            match error_of(&resp, "vector") {
                Error::Provider(p) => value(Ok(*p)),
                other => Err(other),
            }
        }
        "search_clients" => {
            let search = case.opt_str("search");
            endpoint(
                case,
                |s| {
                    SearchClients {
                        search: search.as_deref(),
                    }
                    .request(s)
                },
                SearchClients::parse,
            )
        }
        "search_clients_paged" => {
            let search = case.opt_str("search");
            endpoint(
                case,
                |s| {
                    SearchClientsPaged {
                        search: search.as_deref(),
                        start: u32_of(case, "start"),
                        length: u32_of(case, "length"),
                    }
                    .request(s)
                },
                SearchClientsPaged::parse,
            )
        }
        "get_client" => endpoint(
            case,
            |s| GetClient { client: &client()? }.request(s),
            GetClient::parse,
        ),
        "register_domains" => endpoint(
            case,
            |s| {
                RegisterDomains {
                    client: &client()?,
                    domains: &strings(case, "domains"),
                }
                .request(s)
            },
            RegisterDomains::parse,
        ),
        "list_domains" => endpoint(
            case,
            |s| ListDomains { client: &client()? }.request(s),
            ListDomains::parse,
        ),
        "domain" => {
            let action = match case.str("action").as_str() {
                "validate" => DomainAction::Validate,
                "token_reset" => DomainAction::ResetToken,
                "token_delete" => DomainAction::DeleteToken,
                _ => DomainAction::Get,
            };
            endpoint(
                case,
                |s| {
                    DomainCall {
                        domain: &domain()?,
                        action,
                    }
                    .request(s)
                },
                DomainCall::parse,
            )
        }
        "delete_domain" => endpoint(
            case,
            |s| DeleteDomain { domain: &domain()? }.request(s),
            DeleteDomain::parse,
        ),
        "issue_csr" => endpoint(
            case,
            |s| {
                IssueCsr {
                    product: &ProductRef::new(&case.str("product"))?,
                    csr: case.str("csr").as_bytes(),
                }
                .request(s)
            },
            IssueCsr::parse,
        ),
        "issue" => endpoint(
            case,
            |s| {
                Issue {
                    request: &issue_request(case)?,
                }
                .request(s)
            },
            Issue::parse,
        ),
        "validate_issue" => endpoint(
            case,
            |s| {
                ValidateIssue {
                    request: &issue_request(case)?,
                }
                .request(s)
            },
            ValidateIssue::parse,
        ),
        "order_status" => endpoint(
            case,
            |s| GetOrderStatus { order: &order()? }.request(s),
            GetOrderStatus::parse,
        ),
        "get_order" => endpoint(
            case,
            |s| GetOrder { order: &order()? }.request(s),
            GetOrder::parse,
        ),
        "search_orders" => endpoint(
            case,
            |s| {
                SearchOrders {
                    search: &order_search(case)?,
                }
                .request(s)
            },
            SearchOrders::parse,
        ),
        "search_orders_paged" => endpoint(
            case,
            |s| {
                SearchOrdersPaged {
                    search: &order_search(case)?,
                    start: u32_of(case, "start"),
                    length: u32_of(case, "length"),
                }
                .request(s)
            },
            SearchOrdersPaged::parse,
        ),
        "chain" => endpoint(
            case,
            |s| GetChain { order: &order()? }.request(s),
            GetChain::parse,
        ),
        "revoke" => endpoint(
            case,
            |s| {
                let list: Vec<RevocationRequest> = serde_json::from_value(
                    case.input.get("certificates").cloned().unwrap_or(json!([])),
                )
                .map_err(|e| Error::invalid_input("certificates", e.to_string()))?;
                Revoke {
                    certificates: &list,
                }
                .request(s)
            },
            Revoke::parse,
        ),
        _ => return None,
    })
}

pub fn run(case: &Case) -> Option<Result<Outcome, Error>> {
    run_op(case)
}
