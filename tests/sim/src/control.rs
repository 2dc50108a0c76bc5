//! Simulator-only endpoints under `/sim/` (the seeds define none of these):
//! the CA root, fault switches, the request log, the simulated DNS and a read
//! view of what Redtrust issued.
//!
//! | method and path | body | answer |
//! |---|---|---|
//! | `GET /sim/health` | | `{"ok": true}` |
//! | `GET /sim/ca` | | root CA PEM |
//! | `GET /sim/ca/chain` | | issuing CA PEM then root PEM |
//! | `POST /sim/faults` | a [`FaultSpec`] or an array of them; optional top-level `seed` re-seeds rates | `{"ids": [..]}` |
//! | `GET /sim/faults` | | rules with `id`, `remaining`, `hits` |
//! | `DELETE /sim/faults`, `DELETE /sim/faults/{id}` | | 204 |
//! | `GET /sim/requests` | | `[{seq, method, path, status, fault}]` |
//! | `DELETE /sim/requests` | | 204 |
//! | `POST /sim/dns/txt` | `{name, value}` | 204 |
//! | `DELETE /sim/dns/txt` | `{name, value?}` (no value: all values) | 204 |
//! | `GET /sim/dns/txt?name=` | | `["value", ..]` |
//! | `GET /sim/redtrust/certificates` | | `[{idCertificate, thumbprint, requestCode, provider, subject, serialNumber, supersededBy, renews}]` |
//! | `GET /sim/redtrust/certificates/{thumbprint}` | | PEM: leaf then issuing CA |

use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultSpec;
use crate::wire::{Request, Response};
use crate::{lock, Shared};

fn bad(msg: impl Into<String>) -> Response {
    Response::json(400, &json!({"error": msg.into()}))
}

/// DNS names are case-insensitive and may be written with a final dot.
pub fn dns_key(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Adds a TXT value (no duplicates).
pub fn publish_txt(shared: &Shared, name: &str, value: &str) {
    let mut dns = lock(&shared.dns);
    let values = dns.entry(dns_key(name)).or_default();
    if !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
}

#[derive(Deserialize)]
struct TxtBody {
    name: String,
    #[serde(default)]
    value: Option<String>,
}

/// Dispatches `/sim/...`.
pub fn handle(shared: &Shared, req: &Request) -> Response {
    let segs = req.segments();
    match (req.method.as_str(), segs.get(1..).unwrap_or(&[])) {
        ("GET", ["health"]) => Response::json(200, &json!({"ok": true})),
        ("GET", ["ca"]) => Response::bytes(
            200,
            "application/x-pem-file",
            shared.ca.root_pem().into_bytes(),
        ),
        ("GET", ["ca", "chain"]) => Response::bytes(
            200,
            "application/x-pem-file",
            format!("{}{}", shared.ca.issuing_pem(), shared.ca.root_pem()).into_bytes(),
        ),
        ("POST", ["faults"]) => add_faults(shared, &req.body),
        ("GET", ["faults"]) => Response::json(200, &lock(&shared.faults).list()),
        ("DELETE", ["faults"]) => {
            lock(&shared.faults).clear();
            Response::empty(204)
        }
        ("DELETE", ["faults", id]) => match id.parse::<u64>() {
            Ok(id) if lock(&shared.faults).remove(id) => Response::empty(204),
            _ => Response::json(404, &json!({"error": "no such fault"})),
        },
        ("GET", ["requests"]) => Response::json(200, &*lock(&shared.log)),
        ("DELETE", ["requests"]) => {
            lock(&shared.log).clear();
            Response::empty(204)
        }
        ("POST", ["dns", "txt"]) => match serde_json::from_slice::<TxtBody>(&req.body) {
            Ok(TxtBody {
                name,
                value: Some(value),
            }) => {
                publish_txt(shared, &name, &value);
                Response::empty(204)
            }
            Ok(_) => bad("value is required"),
            Err(e) => bad(format!("expected {{name, value}}: {e}")),
        },
        ("DELETE", ["dns", "txt"]) => match serde_json::from_slice::<TxtBody>(&req.body) {
            Ok(b) => {
                let mut dns = lock(&shared.dns);
                let key = dns_key(&b.name);
                match b.value {
                    Some(v) => {
                        if let Some(values) = dns.get_mut(&key) {
                            values.retain(|x| *x != v);
                        }
                    }
                    None => {
                        dns.remove(&key);
                    }
                }
                Response::empty(204)
            }
            Err(e) => bad(format!("expected {{name, value?}}: {e}")),
        },
        ("GET", ["dns", "txt"]) => {
            let name = req.query_param("name").unwrap_or_default();
            let values = lock(&shared.dns)
                .get(&dns_key(&name))
                .cloned()
                .unwrap_or_default();
            Response::json(200, &values)
        }
        ("GET", ["redtrust", "certificates"]) => {
            Response::json(200, &lock(&shared.redtrust).certificate_list())
        }
        ("GET", ["redtrust", "certificates", thumb]) => {
            match lock(&shared.redtrust).certificate_der(thumb) {
                Some(der) => Response::bytes(
                    200,
                    "application/x-pem-file",
                    format!(
                        "{}{}",
                        crate::ca::to_pem("CERTIFICATE", &der),
                        shared.ca.issuing_pem()
                    )
                    .into_bytes(),
                ),
                None => Response::json(
                    404,
                    &json!({"error": "no certificate with that thumbprint"}),
                ),
            }
        }
        _ => Response::json(
            404,
            &json!({"error": "unknown simulator endpoint", "path": req.path}),
        ),
    }
}

fn add_faults(shared: &Shared, body: &[u8]) -> Response {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return bad(format!("invalid JSON: {e}")),
    };
    let specs: Vec<Value> = match &value {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let mut faults = lock(&shared.faults);
    if let Some(seed) = value.get("seed").and_then(Value::as_u64) {
        faults.reseed(seed);
    }
    let mut parsed = Vec::new();
    for s in specs {
        match serde_json::from_value::<FaultSpec>(s) {
            Ok(spec) => parsed.push(spec),
            Err(e) => return bad(format!("invalid fault: {e}")),
        }
    }
    let mut ids = Vec::new();
    for spec in parsed {
        match faults.add(spec) {
            Ok(id) => ids.push(id),
            Err(e) => return bad(e),
        }
    }
    Response::json(201, &json!({"ids": ids}))
}
