//! Fault switches (`/sim/faults`): make the next N matching requests, or a
//! seeded random share of them, fail the way real servers and networks fail,
//! so clients' retry, refresh and error paths can be tested.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// How a `malformed` fault corrupts the answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Malformed {
    /// The real answer with its body cut in half (truncated JSON).
    #[default]
    Truncated,
    /// A proxy's HTML `502 Bad Gateway` page instead of the answer.
    Html,
    /// The real status with an empty body.
    Empty,
}

/// Longest accepted delay: ten minutes.
pub const MAX_DELAY_MS: u64 = 600_000;

fn default_status() -> u16 {
    503
}

/// What happens to a request hit by a fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer normally, but a login, temp-token or refresh answer (Redtrust
    /// `expiration`) or a `/v2/jwt` token (SwissSign `exp`) says the token
    /// expired an hour ago; the token itself works. Real servers with a
    /// skewed clock do this (issue 14, item 1).
    PastExpiry,
    /// Answer with this status (default 503) and a short text body; optional
    /// `retry_after` seconds become a `Retry-After` header.
    Status {
        /// HTTP status code.
        #[serde(default = "default_status")]
        code: u16,
        /// Optional `Retry-After` value in seconds.
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// Wait this long, then answer normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Close the connection without any response.
    Drop,
    /// Treat the request's token as expired (the provider's own expired-token error).
    ExpiredToken,
    /// Corrupt the answer.
    Malformed {
        /// Which corruption.
        #[serde(default)]
        variant: Malformed,
    },
    /// Answer 200 with a chunked body that never ends (issue 14 item 3: a
    /// client must stop reading at its size limit, not grow without bound).
    EndlessBody,
    /// Answer with a redirect (default 307) to `location`, which tests point
    /// at a second listener that must receive nothing (issue 14 item 6: a
    /// followed 307 re-sends the login body to another origin).
    Redirect {
        /// Where to redirect.
        location: String,
        /// Status code, 300 to 399.
        #[serde(default = "default_redirect")]
        code: u16,
    },
}

fn default_redirect() -> u16 {
    307
}

/// The transient faults of issue 14 item 14, by name: a dropped
/// connection, a delay past a client request timeout of up to 2 s, a
/// truncated and an empty body. Clients must repeat a safe read after each
/// and must not repeat a submission.
pub fn transient_kinds() -> Vec<(&'static str, FaultKind)> {
    vec![
        ("drop", FaultKind::Drop),
        ("timeout", FaultKind::Delay { ms: 2_500 }),
        (
            "truncated",
            FaultKind::Malformed {
                variant: Malformed::Truncated,
            },
        ),
        (
            "empty",
            FaultKind::Malformed {
                variant: Malformed::Empty,
            },
        ),
    ]
}

fn default_prefix() -> String {
    "/".into()
}

/// One fault rule as posted to `/sim/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FaultSpec {
    /// Requests whose path starts with this (default `/`, never `/sim/`).
    #[serde(default = "default_prefix")]
    pub path_prefix: String,
    /// Only this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// The fault.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Fire on the next `count` matches (default 1 when `rate` is absent).
    #[serde(default)]
    pub count: Option<u64>,
    /// Fire on each match with this probability (0..1), from the seeded RNG.
    #[serde(default)]
    pub rate: Option<f64>,
}

/// A rule with its bookkeeping, as listed by `GET /sim/faults`.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Id for `DELETE /sim/faults/{id}`.
    pub id: u64,
    /// The rule.
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Firings left (`null` = unlimited).
    pub remaining: Option<u64>,
    /// How often it fired.
    pub hits: u64,
}

/// The active rules and the RNG behind rates.
#[derive(Debug)]
pub struct Faults {
    next_id: u64,
    rules: Vec<Rule>,
    rng: StdRng,
}

impl Faults {
    /// No rules; rates drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Faults {
            next_id: 1,
            rules: Vec::new(),
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// Re-seeds the rate RNG.
    pub fn reseed(&mut self, seed: u64) {
        self.rng = StdRng::seed_from_u64(seed);
    }

    /// Adds a rule; returns its id.
    pub fn add(&mut self, spec: FaultSpec) -> Result<u64, String> {
        if let Some(rate) = spec.rate {
            if !(0.0..=1.0).contains(&rate) {
                return Err("rate must be between 0 and 1".into());
            }
        }
        match spec.kind {
            FaultKind::Status { code, .. } if !(100..=599).contains(&code) => {
                return Err("status code must be between 100 and 599".into());
            }
            FaultKind::Delay { ms } if ms > MAX_DELAY_MS => {
                return Err(format!("delay is capped at {MAX_DELAY_MS} ms"));
            }
            FaultKind::Redirect { code, .. } if !(300..=399).contains(&code) => {
                return Err("redirect code must be between 300 and 399".into());
            }
            _ => {}
        }
        if !spec.path_prefix.starts_with('/') {
            return Err("path_prefix must start with '/'".into());
        }
        let remaining = match (spec.count, spec.rate) {
            (Some(n), _) => Some(n),
            (None, Some(_)) => None,
            (None, None) => Some(1),
        };
        let id = self.next_id;
        self.next_id += 1;
        self.rules.push(Rule {
            id,
            spec,
            remaining,
            hits: 0,
        });
        Ok(id)
    }

    /// All rules.
    pub fn list(&self) -> Vec<Rule> {
        self.rules.clone()
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Removes one rule; false when unknown.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        before != self.rules.len()
    }

    /// The fault for this request, if a rule fires (first firing rule wins).
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        if path.starts_with("/sim/") || path == "/sim" {
            return None;
        }
        for rule in &mut self.rules {
            if rule.remaining == Some(0) || !path.starts_with(&rule.spec.path_prefix) {
                continue;
            }
            if let Some(m) = &rule.spec.method {
                if !m.eq_ignore_ascii_case(method) {
                    continue;
                }
            }
            if let Some(rate) = rule.spec.rate {
                if self.rng.gen::<f64>() >= rate {
                    continue;
                }
            }
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
            }
            rule.hits += 1;
            return Some(rule.spec.kind.clone());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> FaultSpec {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn count_prefix_and_method_select_requests() {
        let mut f = Faults::new(1);
        f.add(spec(r#"{"path_prefix": "/v2/", "method": "post", "fault": "status", "code": 502, "count": 2}"#))
            .unwrap();
        assert_eq!(f.take("POST", "/raapi/v1/auth/login"), None);
        assert_eq!(f.take("GET", "/v2/clients"), None);
        let hit = Some(FaultKind::Status {
            code: 502,
            retry_after: None,
        });
        assert_eq!(f.take("POST", "/v2/clients"), hit);
        assert_eq!(f.take("POST", "/v2/clients"), hit);
        assert_eq!(f.take("POST", "/v2/clients"), None);
        assert_eq!(f.list()[0].hits, 2);
    }

    #[test]
    fn past_expiry_is_a_unit_fault() {
        let mut f = Faults::new(1);
        f.add(spec(
            r#"{"fault": "past_expiry", "path_prefix": "/v2/jwt/", "count": 3}"#,
        ))
        .unwrap();
        assert_eq!(f.take("POST", "/v2/jwt/svc"), Some(FaultKind::PastExpiry));
        assert_eq!(f.take("POST", "/v2/clients"), None);
    }

    #[test]
    fn default_count_is_one_and_sim_paths_are_exempt() {
        let mut f = Faults::new(1);
        f.add(spec(r#"{"fault": "drop"}"#)).unwrap();
        assert_eq!(f.take("GET", "/sim/requests"), None);
        assert_eq!(f.take("GET", "/account"), Some(FaultKind::Drop));
        assert_eq!(f.take("GET", "/account"), None);
    }

    #[test]
    fn rate_is_seeded_and_roughly_right() {
        let run = || {
            let mut f = Faults::new(7);
            f.add(spec(r#"{"fault": "expired_token", "rate": 0.3}"#))
                .unwrap();
            (0..1000)
                .filter(|_| f.take("POST", "/v2/x").is_some())
                .count()
        };
        let n = run();
        assert_eq!(n, run());
        assert!((200..400).contains(&n), "{n}");
        let mut f = Faults::new(7);
        assert!(f.add(spec(r#"{"fault": "drop", "rate": 1.5}"#)).is_err());
        assert!(f.add(spec(r#"{"fault": "status", "code": 1000}"#)).is_err());
        assert!(f.add(spec(r#"{"fault": "delay", "ms": 600001}"#)).is_err());
        assert!(f
            .add(spec(
                r#"{"fault": "redirect", "location": "/", "code": 200}"#
            ))
            .is_err());
    }

    #[test]
    fn endless_body_and_redirect_parse() {
        assert_eq!(
            spec(r#"{"fault": "endless_body"}"#).kind,
            FaultKind::EndlessBody
        );
        assert_eq!(
            spec(r#"{"fault": "redirect", "location": "http://127.0.0.1:9/x"}"#).kind,
            FaultKind::Redirect {
                location: "http://127.0.0.1:9/x".into(),
                code: 307
            }
        );
    }
}
