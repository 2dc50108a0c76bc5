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
    /// Largest response body read, in bytes; a longer one (announced by
    /// `Content-Length` or as it streams in) is a `protocol` error. Issue 14
    /// item 3: a server streaming an endless body grew the CLI past 2 GiB.
    /// No answer of any provider comes near the default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`] (a certificate chain is a few KiB).
    #[cfg_attr(feature = "uniffi", uniffi(default = 4194304))]
    pub max_response_bytes: u64,
}

/// Default of [`TransportConfig::max_response_bytes`]: 4 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 4 * 1024 * 1024;

/// The error for a response to `request` whose body is over `limit` bytes: a
/// `protocol` error, not a `transport` one, so the driver does not fetch the
/// same flood again. The URL is shown without its query (it may carry a
/// signature).
pub fn body_too_large(request: &HttpRequest, limit: u64) -> Error {
    Error::protocol(
        format!(
            "{} {}",
            request.method,
            crate::http::redact_url(&request.url)
        ),
        format!("body exceeds the {limit}-byte limit (max_response_bytes)"),
    )
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            extra_roots_pem: Vec::new(),
            connect_timeout_ms: 10_000,
            request_timeout_ms: 60_000,
            user_agent: format!("certbridge/{}", env!("CARGO_PKG_VERSION")),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

/// reqwest with rustls: the web PKI roots plus any extra anchors (a server
/// presenting one of those itself is accepted, see `client::tls`), proxies
/// from the environment (`HTTPS_PROXY`, `NO_PROXY`), no automatic redirects
/// (a Redtrust login redirect must reach the caller, not be followed).
///
/// On wasm32 reqwest is the host's `fetch`: trust, proxies, the connect
/// timeout and redirects are the browser's (or Node's) business, so
/// `extra_roots_pem` is refused there rather than silently ignored.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: u64,
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
            .timeout(std::time::Duration::from_millis(config.request_timeout_ms));
        let mut extra_roots = Vec::new();
        for pem in &config.extra_roots_pem {
            let certs = crate::crypto::pem::pem_blocks(pem, "CERTIFICATE")
                .map_err(|_| Error::invalid_input("ca_cert", "not a PEM certificate bundle"))?;
            if certs.is_empty() {
                return Err(Error::invalid_input("ca_cert", "no certificate in the PEM"));
            }
            extra_roots.extend(certs);
        }
        builder = builder.use_preconfigured_tls(super::tls::client_config(extra_roots)?);
        let client = builder
            .build()
            .map_err(|e| Error::transport(format!("cannot build the HTTP client: {e}")))?;
        Ok(ReqwestTransport {
            client,
            max_response_bytes: config.max_response_bytes,
        })
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
            max_response_bytes: config.max_response_bytes,
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
        let too_large = body_too_large(&request, self.max_response_bytes);
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
        let head = request.method == Method::Head;
        let response = builder.send().await.map_err(describe)?;
        let limit = self.max_response_bytes;
        // A HEAD answer's Content-Length describes a body that is not sent.
        if !head && response.content_length().is_some_and(|n| n > limit) {
            return Err(too_large);
        }
        let status = response.status().as_u16();
        let mut headers = Headers::new();
        for (name, value) in response.headers() {
            headers.append(name.as_str(), String::from_utf8_lossy(value.as_bytes()));
        }
        let body = read_body(response, limit)
            .await
            .map_err(|e| e.unwrap_or(too_large))?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// The body, chunk by chunk, stopping as soon as it passes `limit`: a
/// chunked body has no `Content-Length` to refuse up front.
#[cfg(not(target_arch = "wasm32"))]
///
/// `Err(None)` means the body is over `limit`.
async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, Option<Error>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| Some(describe(e)))? {
        if (body.len() as u64).saturating_add(chunk.len() as u64) > limit {
            return Err(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The body (wasm32: reqwest's fetch reads it whole; the Content-Length
/// check above and this one bound what reaches the flow; the npm package
/// uses its own fetch transport, which reads a stream).
#[cfg(target_arch = "wasm32")]
async fn read_body(response: reqwest::Response, limit: u64) -> Result<Vec<u8>, Option<Error>> {
    let body = response.bytes().await.map_err(|e| Some(describe(e)))?;
    if body.len() as u64 > limit {
        return Err(None);
    }
    Ok(body.to_vec())
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

#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::io::{Read as _, Write as _};
    use std::net::TcpListener;

    use super::*;

    /// A loopback server that answers every request with `head` and then
    /// `body` (called until it returns `None` or the client hangs up);
    /// returns its URL.
    fn server(
        head: &'static str,
        mut body: impl FnMut() -> Option<Vec<u8>> + Send + 'static,
    ) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            while let Some(bytes) = body() {
                if stream.write_all(&bytes).is_err() {
                    return;
                }
            }
        });
        url
    }

    fn send(url: &str, limit: u64) -> Result<HttpResponse, Error> {
        let transport = ReqwestTransport::new(&TransportConfig {
            max_response_bytes: limit,
            request_timeout_ms: 20_000,
            ..TransportConfig::default()
        })
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(transport.send(HttpRequest::new(Method::Get, url)))
    }

    fn assert_too_large(result: Result<HttpResponse, Error>, limit: u64) {
        match result {
            Err(Error::Protocol { context, reason }) => {
                assert!(reason.contains(&format!("{limit}-byte limit")), "{reason}");
                assert!(context.starts_with("GET http://127.0.0.1:"), "{context}");
            }
            other => panic!("expected a protocol error, got {other:?}"),
        }
    }

    #[test]
    fn an_endless_chunked_body_stops_at_the_limit() {
        // Issue 14 item 3: 64 KiB chunks for ever, no Content-Length.
        let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = sent.clone();
        let chunk = {
            let mut c = b"10000\r\n".to_vec();
            c.extend(std::iter::repeat_n(b'x', 0x10000));
            c.extend(b"\r\n");
            c
        };
        let url = server(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            move || {
                counter.fetch_add(0x10000, std::sync::atomic::Ordering::SeqCst);
                Some(chunk.clone())
            },
        );
        assert_too_large(send(&url, 1 << 20), 1 << 20);
        // The client stopped reading: the server got a little past the
        // limit (socket buffers), nowhere near unbounded.
        let total = sent.load(std::sync::atomic::Ordering::SeqCst);
        assert!(total < 64 << 20, "{total} bytes were read");
    }

    #[test]
    fn a_content_length_over_the_limit_is_refused_before_reading() {
        // 10 GiB announced, nothing sent: only the header can say it is too much.
        let url = server(
            "HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n",
            || None,
        );
        assert_too_large(
            send(&url, DEFAULT_MAX_RESPONSE_BYTES),
            DEFAULT_MAX_RESPONSE_BYTES,
        );
    }

    #[test]
    fn a_body_at_the_limit_is_read_whole() {
        let url = server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", {
            let mut parts = vec![b"0\r\n\r\n".to_vec(), b"8\r\n12345678\r\n".to_vec()];
            move || parts.pop()
        });
        let resp = send(&url, 8).unwrap();
        assert_eq!(resp.body, b"12345678");
        assert_eq!(TransportConfig::default().max_response_bytes, 4 << 20);
    }
}
