//! Simulator configuration: accounts, secrets, lifetimes and timing.
//!
//! Every field has a demo default (see the crate documentation), so a config
//! file only names what it changes. The file format is this struct as JSON
//! (camelCase keys are not used: keys are the snake_case field names).

use serde::{Deserialize, Serialize};

use crate::SimError;

/// Whole simulator configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Address to bind; always loopback by default.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Seed of the random generator that decides rate-based faults.
    pub fault_seed: u64,
    /// Serve HTTPS with a server certificate from the test CA (names
    /// `localhost` and `127.0.0.1`), so clients can test custom trust anchors.
    pub tls: bool,
    /// Redtrust RA API settings.
    pub redtrust: RedtrustConfig,
    /// SwissSign RA API v2 settings.
    pub swisssign: SwissSignConfig,
    /// IdenTrust reseller API settings.
    pub identrust: IdenTrustConfig,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            host: "127.0.0.1".into(),
            port: 0,
            fault_seed: 42,
            tls: false,
            redtrust: RedtrustConfig::default(),
            swisssign: SwissSignConfig::default(),
            identrust: IdenTrustConfig::default(),
        }
    }
}

impl SimConfig {
    /// Reads a JSON configuration file (missing keys take their defaults).
    pub fn from_json(text: &str) -> Result<Self, SimError> {
        serde_json::from_str(text).map_err(|e| SimError::Config(format!("config: {e}")))
    }
}

/// A Redtrust application user (direct login and the user who "logs in"
/// during the HMAC redirect).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedtrustUser {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Users' domain; `None` means the user has no domain.
    #[serde(default)]
    pub domain: Option<String>,
}

/// A partner that may start the HMAC redirect flow.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedtrustPartner {
    /// Partner name, upper case as the seed requires.
    pub name: String,
    /// Shared HMAC key (its UTF-8 bytes are the HMAC key).
    pub hmac_key: String,
}

/// Redtrust RA API settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedtrustConfig {
    /// Application users.
    pub users: Vec<RedtrustUser>,
    /// Partners for the HMAC redirect.
    pub partners: Vec<RedtrustPartner>,
    /// Accepted `provider` values of `csr/create`.
    pub providers: Vec<String>,
    /// Registered redirect URL prefixes; empty accepts any http(s) URL.
    pub redirect_urls: Vec<String>,
    /// Access token lifetime.
    pub access_token_ttl_secs: u64,
    /// Refresh token lifetime.
    pub refresh_token_ttl_secs: u64,
    /// Temporary (`tkn`) token lifetime.
    pub temp_token_ttl_secs: u64,
    /// Allowed |now - timestamp| of the HMAC redirect.
    pub timestamp_window_secs: u64,
    /// Validity of issued certificates.
    pub certificate_validity_days: u32,
}

impl Default for RedtrustConfig {
    fn default() -> Self {
        RedtrustConfig {
            users: vec![RedtrustUser {
                username: "demo".into(),
                password: "demo-password".into(),
                domain: Some("local.users".into()),
            }],
            partners: vec![RedtrustPartner {
                name: "CA_DEMO".into(),
                hmac_key: "demo-hmac-key".into(),
            }],
            providers: vec!["CAMERFIRMA".into(), "CA_BRASIL".into()],
            redirect_urls: Vec::new(),
            access_token_ttl_secs: 3600,
            refresh_token_ttl_secs: 86_400,
            temp_token_ttl_secs: 60,
            timestamp_window_secs: 300,
            certificate_validity_days: 730,
        }
    }
}

/// A SwissSign technical account (JWT subject).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwissSignAccount {
    /// Account name: the JWT `sub` and the `{userName}` of `/v2/jwt`.
    pub user_name: String,
    /// API key: the HS256 key and the `userSecret` of `/v2/jwt`.
    pub api_key: String,
    /// Client references this account may use; empty means all.
    #[serde(default)]
    pub clients: Vec<String>,
}

/// A certificate product of a client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwissSignProduct {
    /// `pma-` reference.
    pub uuid: String,
    /// Display name.
    pub name: String,
    /// Certificate validity in days.
    #[serde(default = "default_product_days")]
    pub validity_days: u32,
}

fn default_product_days() -> u32 {
    365
}

/// A SwissSign client (MPKI customer) with its products.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwissSignClient {
    /// `cli-` reference.
    pub uuid: String,
    /// Display name.
    pub name: String,
    /// Products.
    pub products: Vec<SwissSignProduct>,
}

/// Which certificate chain format the chain endpoint uses when the request's
/// `Accept` header does not choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChainFormat {
    /// JSON array of base64 DER certificates, leaf first (public OpenAPI).
    Json,
    /// DER PKCS#7 certs-only SignedData (the seed's wording).
    Pkcs7,
}

/// SwissSign RA API v2 settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SwissSignConfig {
    /// Technical accounts.
    pub accounts: Vec<SwissSignAccount>,
    /// Clients and products.
    pub clients: Vec<SwissSignClient>,
    /// Lifetime of JWTs made by `/v2/jwt/{userName}` (seed: 8 hours).
    pub jwt_ttl_secs: u64,
    /// Time an order takes from NEW to ISSUED.
    pub issue_delay_ms: u64,
    /// Whether every name of a CSR must be a validated client domain.
    pub require_prevalidation: bool,
    /// Default chain format.
    pub chain_format: ChainFormat,
    /// Allowed clock skew for `nbf`/`iat`.
    pub jwt_leeway_secs: u64,
}

impl Default for SwissSignConfig {
    fn default() -> Self {
        SwissSignConfig {
            accounts: vec![SwissSignAccount {
                user_name: "service.account".into(),
                api_key: "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w".into(),
                clients: Vec::new(),
            }],
            clients: vec![SwissSignClient {
                uuid: "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd".into(),
                name: "Client Demo AG".into(),
                products: vec![
                    SwissSignProduct {
                        uuid: "pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed".into(),
                        name: "SwissSign DV SSL Silver".into(),
                        validity_days: 365,
                    },
                    SwissSignProduct {
                        uuid: "pma-1d7bd1d6-3c2c-4d4f-9f5e-7a0c1b7f2e11".into(),
                        name: "SwissSign OV SSL Gold".into(),
                        validity_days: 365,
                    },
                ],
            }],
            jwt_ttl_secs: 8 * 3600,
            issue_delay_ms: 300,
            require_prevalidation: true,
            chain_format: ChainFormat::Json,
            jwt_leeway_secs: 60,
        }
    }
}

/// IdenTrust reseller API settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdenTrustConfig {
    /// The reseller API key expected verbatim in `Authorization`.
    pub api_key: String,
    /// `resellerCode` in answers.
    pub reseller_code: String,
    /// EAB pool: (kid, key as in Pebble's `externalAccountMACKeys`, i.e.
    /// unpadded base64url), handed out in order. Empty: random pairs.
    pub eab_pool: Vec<(String, String)>,
}

impl Default for IdenTrustConfig {
    fn default() -> Self {
        IdenTrustConfig {
            api_key: "supersecret".into(),
            reseller_code: "RESELLER_CODE".into(),
            eab_pool: Vec::new(),
        }
    }
}

/// An ordered list of `kid -> key` pairs read without losing file order.
struct OrderedPairs(Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedPairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OrderedPairs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of kid -> key strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<OrderedPairs, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(OrderedPairs(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Deserialize)]
struct PebbleSection {
    #[serde(rename = "externalAccountMACKeys")]
    keys: OrderedPairs,
}

#[derive(Deserialize)]
struct PebbleFile {
    pebble: PebbleSection,
}

/// Parses an EAB pool in Pebble's format, keeping file order. Accepted: a whole
/// Pebble config (`{"pebble": {"externalAccountMACKeys": {...}}}`), the inner
/// object (`{"externalAccountMACKeys": {...}}`) or a flat `{kid: key}` map.
pub fn parse_eab_pool(text: &str) -> Result<Vec<(String, String)>, SimError> {
    if let Ok(f) = serde_json::from_str::<PebbleFile>(text) {
        return Ok(f.pebble.keys.0);
    }
    if let Ok(s) = serde_json::from_str::<PebbleSection>(text) {
        return Ok(s.keys.0);
    }
    serde_json::from_str::<OrderedPairs>(text)
        .map(|p| p.0)
        .map_err(|e| SimError::Config(format!("EAB pool: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eab_pool_keeps_file_order_in_all_three_shapes() {
        let flat = r#"{"zz": "a", "aa": "b"}"#;
        let inner = r#"{"externalAccountMACKeys": {"zz": "a", "aa": "b"}}"#;
        let whole = r#"{"pebble": {"listenAddress": "x", "externalAccountMACKeys": {"zz": "a", "aa": "b"}}}"#;
        for text in [flat, inner, whole] {
            let pool = parse_eab_pool(text).unwrap();
            assert_eq!(
                pool,
                vec![("zz".into(), "a".into()), ("aa".into(), "b".into())]
            );
        }
        assert!(parse_eab_pool("[1]").is_err());
    }

    #[test]
    fn config_file_overrides_only_named_fields() {
        let c =
            SimConfig::from_json(r#"{"port": 8082, "swisssign": {"issue_delay_ms": 5}}"#).unwrap();
        assert_eq!(c.port, 8082);
        assert_eq!(c.swisssign.issue_delay_ms, 5);
        assert_eq!(c.swisssign.jwt_ttl_secs, 8 * 3600);
        assert!(SimConfig::from_json(r#"{"nope": 1}"#).is_err());
    }
}
