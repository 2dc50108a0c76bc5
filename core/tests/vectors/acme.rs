//! ACME and IdenTrust ops (`acme.*`, `identrust.*`). Signed requests use the
//! committed RS256 keys in tests/vectors/keys (deterministic signatures).
use base64::Engine as _;
use certbridge::acme::account::{KeyChange, NewAccount, UpdateAccount};
use certbridge::acme::ari::GetRenewalInfo;
use certbridge::acme::authorization::{DeactivateAuthorization, GetAuthorization, NewAuthz};
use certbridge::acme::certificate::DownloadCertificate;
use certbridge::acme::challenge::RespondChallenge;
use certbridge::acme::directory::GetDirectory;
use certbridge::acme::jws::KeyRef;
use certbridge::acme::nonce::NewNonce;
use certbridge::acme::order::{Finalize, GetOrder, NewOrder};
use certbridge::acme::revoke::RevokeCert;
use certbridge::acme::{problem, AccountKey, Challenge, EabKey, Identifier};
use certbridge::identrust::{CreateAccount, Environment};
use certbridge::{Error, Secret};
use serde_json::{json, Value};

use super::common::{vectors_dir, Case, Outcome};

fn value<T: serde::Serialize>(r: Result<T, Error>) -> Result<Outcome, Error> {
    r.map(|v| Outcome::Value(serde_json::to_value(v).unwrap_or(Value::Null)))
}

fn key(case: &Case, field: &str) -> Result<AccountKey, Error> {
    let path = vectors_dir().join("keys").join(case.str(field));
    let pem =
        std::fs::read_to_string(path).map_err(|e| Error::invalid_input(field, e.to_string()))?;
    AccountKey::from_pem(&pem)
}

fn b64(case: &Case, field: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(case.str(field))
        .unwrap_or_default()
}

fn eab(case: &Case) -> Result<EabKey, Error> {
    EabKey::new(&case.str("kid"), &case.str("hmac_key"))
}

fn url_key_nonce(case: &Case) -> (String, String, String) {
    (case.str("url"), case.str("account_url"), case.str("nonce"))
}

pub fn run(case: &Case) -> Option<Result<Outcome, Error>> {
    let now = case.now();
    let resp = case.response();
    let input = &case.input;
    let (url, acct, nonce) = url_key_nonce(case);
    let req = |r: Result<certbridge::HttpRequest, Error>| r.map(Outcome::Request);
    Some(match case.op.as_str() {
        "acme.eab_key" => eab(case).map(|k| {
            Outcome::Value(json!({"kid": k.kid(), "hmac_key_b64url": k.hmac_key_b64url().expose()}))
        }),
        "acme.eab_binding" => {
            eab(case).map(|k| Outcome::Value(k.binding_for_jwk(&input["jwk"], &url)))
        }
        "acme.thumbprint" => key(case, "key")
            .map(|k| Outcome::Value(json!({"jwk": k.jwk(), "thumbprint": k.thumbprint()}))),
        "acme.new_account" => req((|| {
            let k = key(case, "key")?;
            let contact: Vec<String> =
                serde_json::from_value(input["contact"].clone()).unwrap_or_default();
            let eab_key = match input.get("eab") {
                Some(e) => Some(EabKey::new(
                    e["kid"].as_str().unwrap_or_default(),
                    e["hmac_key"].as_str().unwrap_or_default(),
                )?),
                None => None,
            };
            NewAccount {
                contact: &contact,
                terms_of_service_agreed: input["terms_of_service_agreed"]
                    .as_bool()
                    .unwrap_or(false),
                only_return_existing: input["only_return_existing"].as_bool().unwrap_or(false),
                eab: eab_key.as_ref(),
            }
            .request(&k, &url, &nonce)
        })()),
        "acme.new_order" => req((|| {
            let k = key(case, "key")?;
            let ids = input["identifiers"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|v| Identifier::dns(v.as_str().unwrap_or_default()))
                .collect::<Result<Vec<_>, _>>()?;
            let profile = case.opt_str("profile");
            let replaces = case.opt_str("replaces");
            NewOrder {
                identifiers: &ids,
                profile: profile.as_deref(),
                replaces: replaces.as_deref(),
                ..Default::default()
            }
            .request(&k, &acct, &url, &nonce)
        })()),
        "acme.post_as_get" => {
            req(key(case, "key").and_then(|k| GetOrder::request(&k, &acct, &url, &nonce)))
        }
        "acme.finalize" => req(key(case, "key")
            .and_then(|k| Finalize::request(&k, &acct, &url, &b64(case, "csr_base64"), &nonce))),
        "acme.respond_challenge" => {
            req(key(case, "key").and_then(|k| RespondChallenge::request(&k, &acct, &url, &nonce)))
        }
        "acme.new_authz" => req(key(case, "key").and_then(|k| {
            NewAuthz::request(
                &k,
                &acct,
                &url,
                &Identifier::dns(&case.str("identifier"))?,
                &nonce,
            )
        })),
        "acme.deactivate_authz" => req(key(case, "key")
            .and_then(|k| DeactivateAuthorization::request(&k, &acct, &url, &nonce))),
        "acme.deactivate_account" => {
            req(key(case, "key").and_then(|k| UpdateAccount::deactivate(&k, &acct, &nonce)))
        }
        "acme.revoke" => req(key(case, "key").and_then(|k| {
            let cert = b64(case, "certificate_base64");
            let reason = input["reason"].as_u64().map(|r| r as u8);
            if acct.is_empty() {
                RevokeCert::by_certificate_key(&k, &url, &cert, reason, &nonce)
            } else {
                RevokeCert::by_account(&k, &acct, &url, &cert, reason, &nonce)
            }
        })),
        "acme.key_change" => req((|| {
            let (old, new) = (key(case, "key")?, key(case, "new_key")?);
            KeyChange::request(&old, &new, &acct, &url, &nonce)
        })()),
        "acme.es256_signed" => (|| {
            let k = key(case, "key")?;
            let key_ref = if acct.is_empty() {
                KeyRef::Jwk
            } else {
                KeyRef::Kid(&acct)
            };
            let payload = input
                .get("payload")
                .map(|p| serde_json::to_vec(p).unwrap_or_default());
            let request = k.post(key_ref, &url, &nonce, payload.as_deref())?;
            let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            let (header, payload) = certbridge::acme::jws::verify(&body, &k)?;
            let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(body["signature"].as_str().unwrap_or_default())
                .unwrap_or_default();
            Ok(Outcome::Value(json!({
                "header": header,
                "payload": serde_json::from_slice::<Value>(&payload).unwrap_or(Value::Null),
                "signature_bytes": signature.len(),
                "verified": true,
                "thumbprint": k.thumbprint(),
            })))
        })(),
        "acme.new_nonce" => Ok(Outcome::Request(NewNonce::request(&url))),
        "acme.download_certificate" => {
            req(key(case, "key")
                .and_then(|k| DownloadCertificate::request(&k, &acct, &url, &nonce)))
        }
        "acme.renewal_info_request" => Ok(Outcome::Request(GetRenewalInfo::request(
            &url,
            &case.str("cert_id"),
        ))),
        "acme.directory" => value(GetDirectory::parse(&resp, now)),
        "acme.problem" => Ok(Outcome::Value(match problem::check(&resp, now, "test") {
            Ok(()) => Value::Null,
            Err(e) => {
                let details = match &e {
                    Error::Provider(p) => serde_json::to_value(&p.details).unwrap_or(Value::Null),
                    _ => Value::Null,
                };
                json!({"kind": e.kind(), "code": e.code(), "status": e.status(),
                       "retry_after": e.retry_after(), "retryable": e.is_retryable(), "details": details})
            }
        })),
        "acme.order" => {
            if input["new"].as_bool().unwrap_or(false) {
                value(NewOrder::parse(&resp, now))
            } else {
                value(GetOrder::parse(&resp, now, &url))
            }
        }
        "acme.authorization" => {
            if input["new"].as_bool().unwrap_or(false) {
                value(NewAuthz::parse(&resp, now))
            } else {
                value(GetAuthorization::parse(&resp, now, &url))
            }
        }
        "acme.challenge" => value(RespondChallenge::parse(&resp, now)),
        "acme.challenge_task" => value((|| {
            let c = Challenge {
                kind: case.str("type"),
                url: "https://ca.example/chall".into(),
                status: certbridge::acme::challenge::ChallengeStatus::Pending,
                token: case.opt_str("token"),
                validated: None,
                error: None,
            };
            c.task_with_thumbprint(
                &Identifier::dns(&case.str("identifier"))?,
                &case.str("thumbprint"),
            )
        })()),
        "acme.cert_id" => value(certbridge::acme::cert_id(
            case.str("certificate").as_bytes(),
        )),
        "acme.renewal_info" => value(GetRenewalInfo::parse(&resp, now)),
        "acme.certificate" => value(DownloadCertificate::parse(&resp, now)),
        "acme.account" => value(NewAccount::parse(&resp, now)),
        "identrust.create_account" => req(CreateAccount {
            customer_email: &case.str("customer_email"),
        }
        .request(
            &case.str("reseller_base"),
            &Secret::new(case.str("api_key")),
        )),
        "identrust.create_account_response" => CreateAccount::parse(&resp, now).map(|a| {
            let mut v = serde_json::to_value(&a).unwrap_or(Value::Null);
            v["eab_kid"] = json!(a.eab.kid());
            v["eab_hmac_key_b64url"] = json!(a.eab.hmac_key_b64url().expose());
            Outcome::Value(v)
        }),
        "identrust.directory_url" => {
            let env = match (case.opt_str("reseller_base"), case.opt_str("acme_base")) {
                (Some(r), Some(a)) => Environment::custom(&r, &a),
                _ => Ok(Environment::staging()),
            };
            value(env.and_then(|e| e.directory_url(&case.str("profile"))))
        }
        _ => return None,
    })
}
