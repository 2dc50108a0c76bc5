//! Loading, running and comparing vectors.
#![allow(dead_code)]

use std::path::PathBuf;

use base64::Engine as _;
use certbridge::{Error, Headers, HttpRequest, HttpResponse, Timestamp};
use serde_json::{json, Value};

/// One vector.
pub struct Case {
    pub file: String,
    pub name: String,
    pub op: String,
    pub input: Value,
    pub response: Option<HttpResponse>,
    pub expect: Value,
}

/// What running an op produced.
pub enum Outcome {
    Request(HttpRequest),
    Value(Value),
}

impl Case {
    pub fn str(&self, key: &str) -> String {
        self.input
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }
    pub fn opt_str(&self, key: &str) -> Option<String> {
        self.input
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    }
    pub fn now(&self) -> Timestamp {
        Timestamp::from_secs(self.input.get("now").and_then(Value::as_u64).unwrap_or(0))
    }
    /// The response of the vector; ops that parse require one.
    pub fn response(&self) -> HttpResponse {
        self.response
            .clone()
            .unwrap_or_else(|| HttpResponse::new(0, Vec::new()))
    }
}

pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

pub fn parse_response(v: &Value) -> HttpResponse {
    let status = v.get("status").and_then(Value::as_u64).unwrap_or(0) as u16;
    let mut headers = Headers::new();
    if let Some(list) = v.get("headers").and_then(Value::as_array) {
        for pair in list {
            let n = pair.get(0).and_then(Value::as_str).unwrap_or_default();
            let val = pair.get(1).and_then(Value::as_str).unwrap_or_default();
            headers.append(n, val);
        }
    }
    let body = if let Some(b64) = v.get("body_base64").and_then(Value::as_str) {
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap_or_default()
    } else if let Some(text) = v.get("body").and_then(Value::as_str) {
        text.as_bytes().to_vec()
    } else if let Some(j) = v.get("body_json") {
        serde_json::to_vec(j).unwrap_or_default()
    } else {
        Vec::new()
    };
    HttpResponse {
        status,
        headers,
        body,
    }
}

pub fn request_json(r: &HttpRequest) -> Value {
    let headers: Vec<Value> = r.headers.iter().map(|(n, v)| json!([n, v])).collect();
    json!({
        "method": r.method.as_str(),
        "url": r.url,
        "headers": headers,
        "body": String::from_utf8_lossy(&r.body),
    })
}

pub fn error_json(e: &Error) -> Value {
    json!({ "kind": e.kind(), "code": e.code(), "field": e.field(), "message": e.to_string() })
}

/// Compares `actual` with `expect`: every key present in an expected object
/// must match; keys the vector leaves out are not checked.
pub fn subset_diff(path: &str, expect: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expect, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => subset_diff(&format!("{path}.{k}"), ev, av, out),
                    None if ev.is_null() => {}
                    None => out.push(format!("{path}.{k}: missing, expected {ev}")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset_diff(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        _ if expect == actual => {}
        _ => out.push(format!("{path}: expected {expect}, got {actual}")),
    }
}

pub fn check(case: &Case, result: Result<Outcome, Error>) -> Vec<String> {
    let mut diffs = Vec::new();
    let expect = &case.expect;
    match result {
        Ok(Outcome::Request(r)) => match expect.get("request") {
            Some(e) => {
                let mut e = e.clone();
                // An omitted body means an empty one; omitted headers are not checked.
                if e.get("body").is_none() {
                    e["body"] = json!("");
                }
                subset_diff("request", &e, &request_json(&r), &mut diffs)
            }
            None => diffs.push(format!("produced a request, expected {expect}")),
        },
        Ok(Outcome::Value(v)) => match expect.get("value") {
            Some(e) => subset_diff("value", e, &v, &mut diffs),
            None => diffs.push(format!("produced value {v}, expected {expect}")),
        },
        Err(err) => match expect.get("error") {
            Some(e) => {
                let mut e = e.clone();
                if let Some(o) = e.as_object_mut() {
                    o.remove("message_contains");
                }
                subset_diff("error", &e, &error_json(&err), &mut diffs);
                if let Some(m) = expect["error"]
                    .get("message_contains")
                    .and_then(Value::as_str)
                {
                    if !err.to_string().contains(m) {
                        diffs.push(format!("error message {:?} lacks {m:?}", err.to_string()));
                    }
                }
            }
            None => diffs.push(format!(
                "failed with {} ({err}), expected {expect}",
                err.kind()
            )),
        },
    }
    diffs
}

pub fn load_cases() -> Vec<Case> {
    let mut files: Vec<_> = std::fs::read_dir(vectors_dir())
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        for c in doc["cases"].as_array().cloned().unwrap_or_default() {
            cases.push(Case {
                file: file.clone(),
                name: c["name"].as_str().unwrap_or_default().to_string(),
                op: c["op"].as_str().unwrap_or_default().to_string(),
                input: c.get("input").cloned().unwrap_or(json!({})),
                response: c.get("response").map(parse_response),
                expect: c["expect"].clone(),
            });
        }
    }
    cases
}

pub fn run_all(dispatch: fn(&Case) -> Option<Result<Outcome, Error>>) -> (usize, Vec<String>) {
    let cases = load_cases();
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        if !names.insert(case.name.clone()) {
            failures.push(format!(
                "{}: duplicate vector name {}",
                case.file, case.name
            ));
        }
        match std::panic::catch_unwind(|| dispatch(case)) {
            Err(_) => failures.push(format!("{} [{}]: PANICKED", case.name, case.op)),
            Ok(None) => failures.push(format!("{} : unknown op {}", case.name, case.op)),
            Ok(Some(result)) => {
                for d in check(case, result) {
                    failures.push(format!("{} [{}]: {d}", case.name, case.op));
                }
            }
        }
    }
    (cases.len(), failures)
}
