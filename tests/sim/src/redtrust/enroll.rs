//! Server-side key generation and issuance: `csr/create` (v1; v2 for v4.33
//! renewals) and `csr/finalize` (redtrust-certificate-enroll-v4.33 "Step 3"
//! and "Step 4"; redtrust-camerfirma-tutorial-v4.42 "Step 2" and "Step 3").

use std::sync::Arc;

use base64::Engine;
use der::asn1::{BitString, SetOfVec};
use der::{Decode, Encode};
use serde_json::{json, Value};
use x509_cert::request::{CertReq, CertReqInfo, Version};
use x509_cert::Certificate;

use super::auth::authenticate;
use super::{err, field, json_body, ok, Pending, StoredCertificate};
use crate::ca::{hex_upper, LeafKind};
use crate::keys::{Hash, KeyPair, KeySpec};
use crate::server::Ctx;
use crate::wire::{Request, Response};
use crate::{ids, lock, names, Shared};

/// `keyLength` is written both as a number and as a string in the seeds.
fn key_length(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn key_spec(body: &Value) -> Result<KeySpec, Response> {
    let kind = field(body, "keyType")?;
    let len = key_length(body.get("keyLength")).ok_or_else(|| {
        err(
            400,
            "INVALID_KEY",
            "keyLength must be a number (or a string of digits)",
        )
    })?;
    match (kind, len) {
        ("RSA", 2048 | 3072 | 4096) => Ok(KeySpec::Rsa(len as usize)),
        ("RSA", _) => Err(err(
            400,
            "INVALID_KEY",
            "RSA keyLength must be 2048, 3072 or 4096",
        )),
        ("EC" | "ECDSA", 256) => Ok(KeySpec::P256),
        ("EC" | "ECDSA", 384) => Ok(KeySpec::P384),
        ("EC" | "ECDSA", _) => Err(err(400, "INVALID_KEY", "EC keyLength must be 256 or 384")),
        (other, _) => Err(err(
            400,
            "INVALID_KEY",
            format!("keyType '{other}' is not supported (RSA or EC)"),
        )),
    }
}

fn hash_type(body: &Value) -> Result<Hash, Response> {
    match field(body, "hashType")? {
        "SHA256" => Ok(Hash::Sha256),
        "SHA384" => Ok(Hash::Sha384),
        "SHA512" => Ok(Hash::Sha512),
        other => Err(err(
            400,
            "INVALID_HASH_TYPE",
            format!("hashType '{other}' is not SHA256, SHA384 or SHA512"),
        )),
    }
}

fn dn(body: &Value) -> Result<x509_cert::name::Name, Response> {
    let Some(Value::Array(items)) = body.get("dn") else {
        return Err(err(
            400,
            "INVALID_DN",
            "dn must be an array of {attribute, value}",
        ));
    };
    let mut pairs = Vec::new();
    for item in items {
        match (
            item.get("attribute").and_then(Value::as_str),
            item.get("value").and_then(Value::as_str),
        ) {
            (Some(a), Some(v)) => pairs.push((a.to_owned(), v.to_owned())),
            _ => {
                return Err(err(
                    400,
                    "INVALID_DN",
                    "each dn entry needs string 'attribute' and 'value'",
                ))
            }
        }
    }
    names::build(&pairs).map_err(|e| err(400, "INVALID_DN", e))
}

/// Validated `csr/create` input.
struct CreateInput {
    subject: x509_cert::name::Name,
    hash: Hash,
    spec: KeySpec,
    provider: String,
    request_code: Option<String>,
    renews: Option<String>,
}

fn parse_create(shared: &Shared, body: &Value, v2: bool) -> Result<CreateInput, Response> {
    let subject = dn(body)?;
    let hash = hash_type(body)?;
    let spec = key_spec(body)?;
    let provider = field(body, "provider")?.to_owned();
    if !shared.config.redtrust.providers.contains(&provider) {
        return Err(err(
            400,
            "INVALID_PROVIDER",
            format!("unknown provider '{provider}'"),
        ));
    }
    let request_code = match body.get("requestCode") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err(400, "INVALID_REQUEST", "requestCode must be a string")),
    };
    if !matches!(
        body.get("info"),
        None | Some(Value::Null) | Some(Value::Object(_))
    ) {
        return Err(err(400, "INVALID_REQUEST", "info must be an object"));
    }
    if !matches!(
        body.get("groupIds"),
        None | Some(Value::Null) | Some(Value::Array(_))
    ) {
        return Err(err(400, "INVALID_REQUEST", "groupIds must be an array"));
    }
    let renews = match body.get("thumbprintToRenew") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(_) => {
            return Err(err(
                400,
                "INVALID_REQUEST",
                "thumbprintToRenew must be a string",
            ))
        }
    };
    if v2 && renews.is_none() {
        return Err(err(
            400,
            "INVALID_REQUEST",
            "/raapi/v2/csr/create is the renewal endpoint: thumbprintToRenew is required",
        ));
    }
    Ok(CreateInput {
        subject,
        hash,
        spec,
        provider,
        request_code,
        renews,
    })
}

/// `POST|GET /raapi/v1/csr/create`, `POST|GET /raapi/v2/csr/create`.
pub(crate) async fn create(shared: &Arc<Shared>, req: &Request, ctx: Ctx, v2: bool) -> Response {
    if let Err(r) = authenticate(shared, req, ctx) {
        return r;
    }
    let body = match json_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let input = match parse_create(shared, &body, v2) {
        Ok(i) => i,
        Err(r) => return r,
    };
    {
        let st = lock(&shared.redtrust);
        if let Some(code) = &input.request_code {
            if st.requests.contains_key(code) {
                return err(
                    400,
                    "DUPLICATE_REQUEST_CODE",
                    format!("requestCode '{code}' already used"),
                );
            }
        }
        if let Some(t) = &input.renews {
            match st.find(t) {
                None => {
                    return err(
                        404,
                        "UNKNOWN_THUMBPRINT",
                        format!("no certificate with thumbprint '{t}'"),
                    )
                }
                Some(c) if c.superseded_by.is_some() => {
                    return err(
                        400,
                        "CERTIFICATE_ALREADY_RENEWED",
                        "that certificate was already replaced",
                    )
                }
                Some(_) => {}
            }
        }
    }
    let spec = input.spec;
    let key = match tokio::task::spawn_blocking(move || KeyPair::generate(spec)).await {
        Ok(Ok(k)) => k,
        _ => return err(500, "INTERNAL_ERROR", "key generation failed"),
    };
    let csr = match build_csr(&key, &input.subject, input.hash) {
        Ok(c) => c,
        Err(e) => return err(500, "INTERNAL_ERROR", e),
    };
    let mut st = lock(&shared.redtrust);
    let code = input
        .request_code
        .unwrap_or_else(|| ids::random_chars(20, ids::UPPER_ALNUM));
    if st.requests.contains_key(&code) {
        return err(
            400,
            "DUPLICATE_REQUEST_CODE",
            format!("requestCode '{code}' already used"),
        );
    }
    st.requests.insert(
        code.clone(),
        Pending {
            provider: input.provider,
            key,
            subject: input.subject,
            renews: input.renews.map(|t| t.to_ascii_uppercase()),
            finalized: false,
            validity_days: shared.config.redtrust.certificate_validity_days,
        },
    );
    ok(json!({"requestCode": code, "csr": base64::engine::general_purpose::STANDARD.encode(csr)}))
}

/// A PKCS#10 request signed by the server-side key with the requested hash.
fn build_csr(
    key: &KeyPair,
    subject: &x509_cert::name::Name,
    hash: Hash,
) -> Result<Vec<u8>, String> {
    let info = CertReqInfo {
        version: Version::V1,
        subject: subject.clone(),
        public_key: key.spki().map_err(|e| e.to_string())?,
        attributes: SetOfVec::new(),
    };
    let tbs = info.to_der().map_err(|e| e.to_string())?;
    let (algorithm, sig) = key.sign(hash, &tbs).map_err(|e| e.to_string())?;
    CertReq {
        info,
        algorithm,
        signature: BitString::from_bytes(&sig).map_err(|e| e.to_string())?,
    }
    .to_der()
    .map_err(|e| e.to_string())
}

/// A partner-supplied certificate (`dataInB64`): base64 DER or PEM.
fn supplied_certificate(data: &str) -> Option<Vec<u8>> {
    let text: String = data
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    Certificate::from_der(&der).ok().map(|_| der)
}

/// `PUT /raapi/v1/csr/finalize {requestCode, provider, dataInB64?}`.
pub(crate) async fn finalize(shared: &Arc<Shared>, req: &Request, ctx: Ctx) -> Response {
    if let Err(r) = authenticate(shared, req, ctx) {
        return r;
    }
    let body = match json_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (code, provider) = match (field(&body, "requestCode"), field(&body, "provider")) {
        (Ok(c), Ok(p)) => (c.to_owned(), p.to_owned()),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let supplied = match body.get("dataInB64") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => match supplied_certificate(s) {
            Some(der) => Some(der),
            None => {
                return err(
                    400,
                    "INVALID_CERTIFICATE",
                    "dataInB64 is not a base64 X.509 certificate",
                )
            }
        },
        Some(_) => return err(400, "INVALID_REQUEST", "dataInB64 must be a string"),
    };
    let mut st = lock(&shared.redtrust);
    let Some(pending) = st.requests.get(&code) else {
        return err(
            404,
            "UNKNOWN_REQUEST_CODE",
            format!("no request with requestCode '{code}'"),
        );
    };
    if pending.finalized {
        return err(
            400,
            "REQUEST_ALREADY_FINALIZED",
            "this requestCode was already finalized",
        );
    }
    if pending.provider != provider {
        return err(
            400,
            "INVALID_PROVIDER",
            format!(
                "the request was created for provider '{}'",
                pending.provider
            ),
        );
    }
    let spki = match pending.key.spki() {
        Ok(s) => s,
        Err(e) => return err(500, "INTERNAL_ERROR", e.to_string()),
    };
    let (der, serial) = match supplied {
        Some(der) => {
            let Ok(cert) = Certificate::from_der(&der) else {
                return err(400, "INVALID_CERTIFICATE", "dataInB64 is not a certificate");
            };
            if cert.tbs_certificate.subject_public_key_info != spki {
                return err(
                    400,
                    "INVALID_CERTIFICATE",
                    "the certificate is not for this request's key",
                );
            }
            let serial = hex_upper(cert.tbs_certificate.serial_number.as_bytes());
            (der, serial)
        }
        None => match shared.ca.issue(
            pending.subject.clone(),
            spki,
            &LeafKind::Person,
            pending.validity_days,
        ) {
            Ok(issued) => (issued.der, issued.serial_hex),
            Err(e) => return err(500, "INTERNAL_ERROR", e.to_string()),
        },
    };
    let subject = match Certificate::from_der(&der) {
        Ok(c) => c.tbs_certificate.subject.to_string(),
        Err(_) => pending.subject.to_string(),
    };
    let renews = pending.renews.clone();
    let thumbprint = {
        use sha1::Digest;
        hex_upper(&sha1::Sha1::digest(&der))
    };
    if let Some(p) = st.requests.get_mut(&code) {
        p.finalized = true;
    }
    let id = st.next_id;
    st.next_id += 1;
    if let Some(old) = &renews {
        if let Some(c) = st
            .certs
            .iter_mut()
            .find(|c| c.thumbprint.eq_ignore_ascii_case(old))
        {
            c.superseded_by = Some(thumbprint.clone());
        }
    }
    st.certs.push(StoredCertificate {
        id_certificate: id,
        thumbprint: thumbprint.clone(),
        request_code: code,
        provider,
        subject,
        serial_number: serial,
        superseded_by: None,
        renews,
        der,
    });
    ok(json!({"idCertificate": id, "thumbprint": thumbprint}))
}
