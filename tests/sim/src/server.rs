//! The listener: one loopback port for all three APIs (their paths are
//! disjoint), CORS on every answer, fault application and the request log.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::{Frame, Incoming};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use tokio::sync::{oneshot, Notify};

use crate::faults::{FaultKind, Malformed};
use crate::wire::{Request, Response};
use crate::{control, identrust, lock, redtrust, swisssign, Shared};

/// Per-request context that faults can influence.
#[derive(Debug, Default, Clone, Copy)]
pub struct Ctx {
    /// Treat the presented token as expired.
    pub expired_token: bool,
    /// Tokens handed out now say they expired an hour ago (they still work).
    pub past_expiry: bool,
}

/// One line of `GET /sim/requests` (no query strings, headers or bodies, so
/// no secrets).
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// Method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Status sent; `null` when the connection was dropped or no answer has
    /// been sent yet (the entry is made when the request arrives).
    pub status: Option<u16>,
    /// The fault applied, if any (`status`, `delay`, `drop`, ...).
    pub fault: Option<String>,
}

const EXPOSED: &str = "Replay-Nonce, Location, Retry-After, Link";
const ALLOWED_HEADERS: &str =
    "Authorization, Content-Type, Accept, x-partner-name, x-request-timestamp, x-hmac-signature";
/// The `endless_body` fault's name in the log, and its marker for `handle`.
const ENDLESS: &str = "endless_body";
const MAX_BODY: usize = 16 * 1024 * 1024;
/// The request log keeps at most this many entries (the older half goes).
const MAX_LOG: usize = 100_000;

/// What the simulator sends: a whole body, or the `endless_body` fault's.
type Body = Either<Full<Bytes>, Endless>;

/// A body that never ends: 64 KiB of spaces per frame and no size, so hyper
/// sends it chunked (the `endless_body` fault).
#[derive(Debug)]
pub struct Endless;

static SPACES: [u8; 65536] = [b' '; 65536];

impl hyper::body::Body for Endless {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(&SPACES)))))
    }
}

/// Runs the accept loop until `stop` fires; with `tls`, every connection is
/// HTTPS.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            _ = &mut stop => return,
            a = listener.accept() => a,
        };
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let shared = shared.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection(stream, shared).await,
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        connection(stream, shared).await;
                    }
                }
            }
        });
    }
}

/// Serves one connection; a `drop` fault closes it without an answer.
async fn connection<IO>(io: IO, shared: Arc<Shared>)
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let svc_kill = kill.clone();
    let svc = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        let kill = svc_kill.clone();
        async move { Ok::<_, Infallible>(handle(shared, req, kill).await) }
    });
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(io), svc);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
    }
}

fn fault_name(f: &FaultKind) -> &'static str {
    match f {
        FaultKind::PastExpiry => "past_expiry",
        FaultKind::Status { .. } => "status",
        FaultKind::Delay { .. } => "delay",
        FaultKind::Drop => "drop",
        FaultKind::ExpiredToken => "expired_token",
        FaultKind::Malformed { .. } => "malformed",
        FaultKind::EndlessBody => ENDLESS,
        FaultKind::Redirect { .. } => "redirect",
    }
}

async fn read(req: hyper::Request<Incoming>) -> Result<Request, Response> {
    let (parts, body) = req.into_parts();
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| Response::text(413, "request body too large or unreadable"))?
        .to_bytes()
        .to_vec();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    Ok(Request {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: percent_encoding::percent_decode_str(parts.uri.path())
            .decode_utf8_lossy()
            .into_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers,
        body,
    })
}

async fn handle(
    shared: Arc<Shared>,
    req: hyper::Request<Incoming>,
    kill: Arc<Notify>,
) -> hyper::Response<Body> {
    let origin = req
        .headers()
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let (resp, seq, endless) = match read(req).await {
        Err(resp) => (Some(resp), log_arrival(&shared, method, path, None), false),
        Ok(req) => {
            let fault = if req.method == "OPTIONS" {
                None
            } else {
                lock(&shared.faults).take(&req.method, &req.path)
            };
            // Logged on arrival, before any delay: a client that gives up
            // on a slow answer drops this future, and a request counted only
            // after its answer would then never be counted at all.
            let seq = log_arrival(&shared, method, path, fault.as_ref().map(fault_name));
            let endless = matches!(fault, Some(FaultKind::EndlessBody));
            (answer(&shared, req, fault).await, seq, endless)
        }
    };
    if let Some(r) = &resp {
        let mut log = lock(&shared.log);
        if let Some(entry) = log.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = Some(r.status);
        }
    }
    let Some(resp) = resp else {
        kill.notify_one();
        std::future::pending::<()>().await;
        return hyper::Response::new(Either::Left(Full::new(Bytes::new())));
    };
    let resp = to_hyper(resp, origin.as_deref());
    if endless {
        resp.map(|_| Either::Right(Endless))
    } else {
        resp.map(Either::Left)
    }
}

/// Adds a request to the log with no status yet; returns its `seq`.
fn log_arrival(shared: &Shared, method: String, path: String, fault: Option<&str>) -> u64 {
    let mut log = lock(&shared.log);
    if log.len() >= MAX_LOG {
        log.drain(..MAX_LOG / 2);
    }
    let seq = log.last().map_or(1, |e| e.seq + 1);
    log.push(LogEntry {
        seq,
        method,
        path,
        status: None,
        fault: fault.map(str::to_owned),
    });
    seq
}

async fn answer(shared: &Arc<Shared>, req: Request, fault: Option<FaultKind>) -> Option<Response> {
    if req.method == "OPTIONS" {
        return Some(preflight(&req));
    }
    let mut ctx = Ctx::default();
    let resp = match fault {
        None => route(shared, &req, ctx).await,
        Some(FaultKind::Drop) => return None,
        Some(FaultKind::Status { code, retry_after }) => {
            let mut r = Response::text(code, format!("simulated fault: HTTP {code}\n"));
            if let Some(s) = retry_after {
                r = r.with_header("retry-after", s.to_string());
            }
            r
        }
        Some(FaultKind::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            route(shared, &req, ctx).await
        }
        Some(FaultKind::PastExpiry) => {
            ctx.past_expiry = true;
            route(shared, &req, ctx).await
        }
        Some(FaultKind::ExpiredToken) => {
            ctx.expired_token = true;
            route(shared, &req, ctx).await
        }
        Some(FaultKind::Malformed { variant }) => {
            let real = route(shared, &req, ctx).await;
            corrupt(real, variant)
        }
        // The head of the answer; `handle` replaces the body.
        Some(FaultKind::EndlessBody) => Response::bytes(200, "application/json", Vec::new()),
        Some(FaultKind::Redirect { location, code }) => {
            Response::text(code, "simulated fault: redirect\n").with_header("location", location)
        }
    };
    Some(resp)
}

fn corrupt(mut real: Response, variant: Malformed) -> Response {
    match variant {
        Malformed::Truncated => {
            let keep = real.body.len() / 2;
            real.body.truncate(keep.max(1).min(real.body.len().saturating_sub(1)));
            if real.body.is_empty() {
                real.body = b"{\"message\":".to_vec();
            }
            real
        }
        Malformed::Empty => {
            real.body.clear();
            real
        }
        Malformed::Html => Response::bytes(
            502,
            "text/html",
            b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n".to_vec(),
        ),
    }
}

async fn route(shared: &Arc<Shared>, req: &Request, ctx: Ctx) -> Response {
    match req.segments().first().copied() {
        Some("sim") => control::handle(shared, req),
        Some("raapi" | "authapi" | "authclient") => redtrust::handle(shared, req, ctx).await,
        Some("v2") => swisssign::handle(shared, req, ctx),
        Some("account") => identrust::handle(shared, req, ctx),
        _ => Response::json(
            404,
            &serde_json::json!({"error": "not found", "path": req.path}),
        ),
    }
}

fn preflight(req: &Request) -> Response {
    let headers = req
        .header("access-control-request-headers")
        .map(str::to_owned)
        .unwrap_or_else(|| ALLOWED_HEADERS.to_owned());
    Response::empty(204)
        .with_header(
            "access-control-allow-methods",
            "GET, POST, PUT, DELETE, OPTIONS",
        )
        .with_header("access-control-allow-headers", headers)
        .with_header("access-control-max-age", "600")
}

fn to_hyper(resp: Response, origin: Option<&str>) -> hyper::Response<Full<Bytes>> {
    let mut b = hyper::Response::builder().status(resp.status);
    for (k, v) in &resp.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b = b
        .header("access-control-allow-origin", origin.unwrap_or("*"))
        .header("access-control-expose-headers", EXPOSED)
        .header("vary", "Origin");
    b.body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|_| {
            let mut r = hyper::Response::new(Full::new(Bytes::from_static(b"invalid response")));
            *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
}
