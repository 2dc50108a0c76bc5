//! Crypto ops (`crypto.*`) on fixed inputs: certificate parsing, PKCS#7,
//! thumbprints and HS256 JWTs.
use certbridge::crypto::{certificate::Certificate, jwt, pem, pkcs7};
use certbridge::Error;
use serde_json::{json, Value};

use super::common::{Case, Outcome};

fn input_bytes(case: &Case) -> Vec<u8> {
    use base64::Engine as _;
    match case.opt_str("base64") {
        Some(b) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .unwrap_or_default(),
        None => case.str("pem").into_bytes(),
    }
}

pub fn run(case: &Case) -> Option<Result<Outcome, Error>> {
    let op = case.op.strip_prefix("crypto.")?;
    let out = match op {
        "certificate" => Certificate::parse(&input_bytes(case))
            .map(|c| serde_json::to_value(c).unwrap_or(Value::Null)),
        "pkcs7" => pkcs7::certificates(&input_bytes(case)).and_then(|ders| {
            ders.iter()
                .map(|d| Certificate::from_der(d).map(|c| json!(c.subject)))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }),
        "thumbprints" => pem::thumbprint_sha1(&input_bytes(case)).and_then(|sha1| {
            pem::thumbprint_sha256(&input_bytes(case))
                .map(|sha256| json!({"sha1": sha1, "sha256": sha256}))
        }),
        "jwt_hs256" => jwt::encode_hs256(
            &case.input.get("claims").cloned().unwrap_or(Value::Null),
            case.str("key").as_bytes(),
        )
        .map(|t| json!(t.expose())),
        _ => return None,
    };
    Some(out.map(Outcome::Value))
}
