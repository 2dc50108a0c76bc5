//! Redtrust ops (tests/vectors/redtrust-*.json).
use certbridge::redtrust::*;
use certbridge::{Error, Secret};
use serde_json::{json, Value};

use super::common::{Case, Outcome};

fn config(case: &Case) -> Result<RedtrustConfig, Error> {
    let compat: RedtrustCompat = match case.input.get("compat") {
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|_| Error::invalid_input("compat", "unknown"))?,
        None => RedtrustCompat::default(),
    };
    Ok(RedtrustConfig::new(&case.str("server"))?.with_compat(compat))
}

fn session(case: &Case) -> Session {
    Session {
        access_token: Secret::new(case.str("access_token")),
        refresh_token: case.opt_str("refresh_token").map(Secret::new),
        expires_at: None,
    }
}

fn session_json(s: &Session) -> Value {
    json!({
        "access_token": s.access_token.expose(),
        "refresh_token": s.refresh_token.as_ref().map(Secret::expose),
        "expires_at": s.expires_at.map(|t| t.millis()),
    })
}

fn value<T: serde::Serialize>(v: T) -> Result<Outcome, Error> {
    Ok(Outcome::Value(
        serde_json::to_value(v).unwrap_or(Value::Null),
    ))
}

fn csr_request(case: &Case) -> Result<CsrRequest, Error> {
    serde_json::from_value(case.input["request"].clone())
        .map_err(|e| Error::invalid_input("request", e.to_string()))
}

pub fn run(case: &Case) -> Option<Result<Outcome, Error>> {
    let op = case.op.strip_prefix("redtrust.")?;
    let result = (|| -> Result<Outcome, Error> {
        match op {
            "login_url" => {
                let key = Secret::new(case.str("hmac_key"));
                let redirect = case.str("redirect_url");
                let domain = case.opt_str("domain");
                let partner = case.str("partner");
                LoginUrl {
                    partner: &partner,
                    hmac_key: &key,
                    redirect_url: &redirect,
                    domain: domain.as_deref(),
                }
                .request(&config(case)?, case.now())
                .map(Outcome::Request)
            }
            "parse_redirect" => {
                let t = temporal_token_from_redirect(&case.str("url"))?;
                value(json!({ "temporal_token": t.expose() }))
            }
            "login" => {
                let password = Secret::new(case.str("password"));
                let domain = case.opt_str("domain");
                Login {
                    username: &case.str("username"),
                    password: &password,
                    domain: domain.as_deref(),
                }
                .request(&config(case)?)
                .map(Outcome::Request)
            }
            "exchange_temp_token" => {
                let t = Secret::new(case.str("temporal_token"));
                ExchangeTempToken { temporal_token: &t }
                    .request(&config(case)?)
                    .map(Outcome::Request)
            }
            "refresh" => Refresh {
                session: &session(case),
            }
            .request(&config(case)?)
            .map(Outcome::Request),
            "logout" => Ok(Outcome::Request(
                Logout {
                    session: &session(case),
                }
                .request(&config(case)?),
            )),
            "parse_session" => value(session_json(&Login::parse(&case.response())?)),
            "parse_refresh" => value(session_json(&Refresh::parse(
                &case.response(),
                &session(case),
            )?)),
            "parse_logout" => Logout::parse(&case.response()).map(|()| Outcome::Value(json!({}))),
            "csr_create" => CreateCsr {
                request: &csr_request(case)?,
                session: &session(case),
            }
            .request(&config(case)?)
            .map(Outcome::Request),
            "parse_csr_create" => {
                let sent = match case.input.get("request") {
                    Some(_) => csr_request(case)?,
                    None => CsrRequest::new(vec![]),
                };
                value(CreateCsr::parse(&case.response(), &sent)?)
            }
            "csr_finalize" => {
                let data = case.opt_str("data_in_b64");
                FinalizeCsr {
                    request_code: &case.str("request_code"),
                    provider: &case.str("provider"),
                    data_in_b64: data.as_deref(),
                    session: &session(case),
                }
                .request(&config(case)?)
                .map(Outcome::Request)
            }
            "parse_csr_finalize" => {
                let compat = config(case).map(|c| c.compat).unwrap_or_default();
                value(FinalizeCsr::parse(&case.response(), compat)?)
            }
            "thumbprint" => {
                let cert = case.str("certificate");
                value(json!({
                    "sha1": certbridge::crypto::pem::thumbprint_sha1(cert.as_bytes())?,
                    "sha256": certbridge::crypto::pem::thumbprint_sha256(cert.as_bytes())?,
                }))
            }
            "parse_dn" => value(parse_dn(&case.str("text"))?),
            _ => Err(Error::invalid_input("op", format!("unknown op {op}"))),
        }
    })();
    match &result {
        Err(Error::InvalidInput { field, .. }) if field == "op" => None,
        _ => Some(result),
    }
}
