//! Sending requests: the [`Transport`] trait and the default reqwest one.

use async_trait::async_trait;

use super::MaybeSendSync;
use crate::error::Error;
use crate::http::{Headers, HttpRequest, HttpResponse, Method};

/// Sends one request. Implement it to use your own HTTP stack; errors that
/// are not HTTP answers (DNS, TCP, TLS, timeouts) are `Error::Transport`.
#[cfg_attr(not(target_arch = "wasm32"), async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait(?Send))]
pub trait Transport: MaybeSendSync {
    /// Sends `request` and returns the response, whatever its status.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error>;
}

/// Settings of the built-in transport.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransportConfig {
    /// Extra trust anchors, PEM (one or more certificates each): on-prem
    /// Redtrust servers and test CAs use private roots. Verification is never
    /// switched off.
    pub extra_roots_pem: Vec<String>,
    /// Connect timeout in milliseconds.
    pub connect_timeout_ms: u64,
    /// Whole-request timeout in milliseconds.
    pub request_timeout_ms: u64,
    /// `User-Agent` (RFC 8555 section 6.1 asks ACME clients to send one).
    pub user_agent: String,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            extra_roots_pem: Vec::new(),
            connect_timeout_ms: 10_000,
            request_timeout_ms: 60_000,
            user_agent: format!("certbridge/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// reqwest with rustls: the web PKI roots plus any extra anchors, proxies
/// from the environment (`HTTPS_PROXY`, `NO_PROXY`), no automatic redirects
/// (a Redtrust login redirect must reach the caller, not be followed).
///
/// On wasm32 reqwest is the host's `fetch`: trust, proxies, the connect
/// timeout and redirects are the browser's (or Node's) business, so
/// `extra_roots_pem` is refused there rather than silently ignored.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    #[cfg(target_arch = "wasm32")]
    request_timeout: std::time::Duration,
}

impl ReqwestTransport {
    /// A transport with `config`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new(config: &TransportConfig) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_millis(config.connect_timeout_ms))
            .timeout(std::time::Duration::from_millis(config.request_timeout_ms))
            .use_rustls_tls();
        for pem in &config.extra_roots_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|_| Error::invalid_input("ca_cert", "not a PEM certificate bundle"))?;
            if certs.is_empty() {
                return Err(Error::invalid_input("ca_cert", "no certificate in the PEM"));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| Error::transport(format!("cannot build the HTTP client: {e}")))?;
        Ok(ReqwestTransport { client })
    }

    /// A transport with `config` (wasm32: `fetch`).
    #[cfg(target_arch = "wasm32")]
    pub fn new(config: &TransportConfig) -> Result<Self, Error> {
        if !config.extra_roots_pem.is_empty() {
            return Err(Error::invalid_input(
                "ca_cert",
                "fetch uses the host's trust store; extra roots cannot be added",
            ));
        }
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| Error::transport(format!("cannot build the HTTP client: {e}")))?;
        Ok(ReqwestTransport {
            client,
            request_timeout: std::time::Duration::from_millis(config.request_timeout_ms),
        })
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait(?Send))]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Head => reqwest::Method::HEAD,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, &request.url);
        #[cfg(target_arch = "wasm32")]
        {
            builder = builder.timeout(self.request_timeout);
        }
        for (name, value) in request.headers.iter() {
            builder = builder.header(name, value);
        }
        if !request.body.is_empty() {
            builder = builder.body(request.body);
        }
        let response = builder.send().await.map_err(describe)?;
        let status = response.status().as_u16();
        let mut headers = Headers::new();
        for (name, value) in response.headers() {
            headers.append(name.as_str(), String::from_utf8_lossy(value.as_bytes()));
        }
        let body = response.bytes().await.map_err(describe)?.to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// A transport message without the URL's query (which may carry a signature).
fn describe(e: reqwest::Error) -> Error {
    let e = e.without_url();
    #[cfg(not(target_arch = "wasm32"))]
    let connect = e.is_connect();
    #[cfg(target_arch = "wasm32")]
    let connect = false;
    let kind = if e.is_timeout() {
        "timed out"
    } else if connect {
        "connection failed"
    } else {
        "request failed"
    };
    let mut message = format!("{kind}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Error::transport(message)
}
