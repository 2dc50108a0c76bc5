//! Bring your own HTTP stack: the foreign [`HttpTransport`] trait and its
//! adapter to the core [`certbridge::client::Transport`].
//!
//! A host implements `send` with httpx/aiohttp, OkHttp/Ktor or URLSession
//! (DESIGN.md, "3. Bindings"); the built-in reqwest transport is used when
//! it does not. Whatever the host's `send` raises comes back as a
//! `transport` error, never as a crash.

use std::sync::Arc;

use async_trait::async_trait;
use certbridge::client::{ReqwestTransport, Transport, TransportConfig};
use certbridge::{HttpRequest, HttpResponse};

use crate::error::CertbridgeError;

/// Sends one HTTP request for certbridge. Implement it to use the host
/// language's own HTTP client (proxies, corporate TLS roots, tracing).
///
/// Return the response whatever its status (4xx and 5xx are answers the
/// core parses); raise only when no answer arrived. Do not follow
/// redirects: a Redtrust login redirect must reach the caller.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait HttpTransport: Send + Sync {
    /// Sends `request` (method, absolute URL, headers in order, body bytes)
    /// and returns the status, headers and body received.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, CertbridgeError>;
}

/// The foreign transport seen as a core transport: any failure it reports
/// is a transport failure, whatever variant the host raised.
pub(crate) struct ForeignTransport(pub(crate) Arc<dyn HttpTransport>);

#[async_trait]
impl Transport for ForeignTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, certbridge::Error> {
        self.0
            .send(request)
            .await
            .map_err(|e| certbridge::Error::transport(e.reason()))
    }
}

/// The host's transport when given, else the built-in reqwest one with
/// `config` (or the defaults).
pub(crate) fn transport_or_default(
    transport: Option<Arc<dyn HttpTransport>>,
    config: Option<TransportConfig>,
) -> Result<Arc<dyn Transport>, CertbridgeError> {
    Ok(match transport {
        Some(t) => Arc::new(ForeignTransport(t)),
        None => Arc::new(ReqwestTransport::new(&config.unwrap_or_default())?),
    })
}

/// The built-in transport's defaults (timeouts, `User-Agent`), to adjust
/// before passing them to a client.
#[uniffi::export]
pub fn default_transport_config() -> TransportConfig {
    TransportConfig::default()
}
