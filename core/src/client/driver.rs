//! One async driver for every flow.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use tracing::Instrument as _;

use super::clock::Clock;
use super::transport::Transport;
use super::MaybeSendSync;
use crate::error::Error;
use crate::flow::{ChallengeTask, Flow, Step};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::time::{Backoff, Timestamp};

/// Publishes challenge proofs (an HTTP file, a DNS TXT record, a TLS-ALPN
/// certificate) and removes them afterwards.
#[cfg_attr(not(target_arch = "wasm32"), async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait(?Send))]
pub trait ChallengeSolver: MaybeSendSync {
    /// Makes every task's proof visible; return once it is.
    async fn publish(&self, tasks: &[ChallengeTask]) -> Result<(), Error>;
    /// Removes the proofs again (called after the flow, success or not).
    async fn cleanup(&self, tasks: &[ChallengeTask]) {
        let _ = tasks;
    }
}

/// What a running flow is doing, for progress displays: the driver reports
/// every wait, challenge publication and retry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// Sleeping before the next poll (order status, authorization).
    Waiting {
        /// How long, in milliseconds.
        millis: u64,
    },
    /// Publishing challenge proofs.
    Solving {
        /// How many.
        count: usize,
    },
    /// Sending a request again after a transient failure.
    Retrying {
        /// Retry number, from 1.
        attempt: u32,
    },
}

/// Receives [`Progress`] events.
#[cfg(not(target_arch = "wasm32"))]
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;
/// Receives [`Progress`] events (on wasm32 nothing is `Send`).
#[cfg(target_arch = "wasm32")]
pub type ProgressFn = Arc<dyn Fn(Progress)>;

/// Cancels a running flow from another task: the driver stops at its next
/// step or sleep with `Error::Cancelled`.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A fresh, uncancelled token.
    pub fn new() -> Self {
        Self::default()
    }
    /// Cancels.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Which failures the driver retries by itself: transport errors and 429,
/// 502, 503, 504 answers, for safe methods only (GET, HEAD; RFC 9110
/// section 9.2.1). PUT and DELETE are retried only after a 429 or 503,
/// answers that say the request was not handled (RFC 9110 section 15.6.4,
/// RFC 6585 section 4): the providers' PUTs are not idempotent in fact
/// (Redtrust `csr/finalize` issues a certificate, `refresh-token` rotates
/// the token), so a lost answer or a gateway's 502/504 goes back to the
/// flow, as does anything about a POST (it may have been processed; an ACME
/// POST carries a nonce that cannot be replayed). The flow knows what is
/// safe to repeat (issue 14, item 14).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Delays between attempts (a `Retry-After` header wins, capped).
    pub backoff: Backoff,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            backoff: Backoff {
                initial_millis: 200,
                max_millis: 5_000,
                factor_percent: 200,
            },
        }
    }
}

/// Runs flows against a transport and a clock.
#[derive(Clone)]
pub struct Driver {
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    solver: Option<Arc<dyn ChallengeSolver>>,
    retry: RetryPolicy,
    cancel: CancelToken,
    progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver")
            .field("retry", &self.retry)
            .field("has_solver", &self.solver.is_some())
            .finish_non_exhaustive()
    }
}

impl Driver {
    /// A driver with the default retry policy and no challenge solver.
    pub fn new(transport: Arc<dyn Transport>, clock: Arc<dyn Clock>) -> Self {
        Driver {
            transport,
            clock,
            solver: None,
            retry: RetryPolicy::default(),
            cancel: CancelToken::new(),
            progress: None,
        }
    }

    /// Reports waits, challenge publications and retries to `progress`.
    pub fn with_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    fn report(&self, event: Progress) {
        if let Some(p) = &self.progress {
            p(event);
        }
    }

    /// Uses `solver` for flows that ask to solve challenges.
    pub fn with_solver(mut self, solver: Arc<dyn ChallengeSolver>) -> Self {
        self.solver = Some(solver);
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Stops flows when `cancel` is cancelled.
    pub fn with_cancel(mut self, cancel: CancelToken) -> Self {
        self.cancel = cancel;
        self
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Sends one request, retrying transient failures of idempotent requests.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let safe = matches!(request.method, Method::Get | Method::Head);
        let idempotent = matches!(request.method, Method::Put | Method::Delete);
        let mut attempt = 0;
        loop {
            self.check_cancel()?;
            let span = tracing::debug_span!("http", method = %request.method, url = %crate::http::redact_url(&request.url));
            let result = self.transport.send(request.clone()).instrument(span).await;
            let retry_at = match &result {
                Ok(r) if matches!(r.status, 429 | 503) && (safe || idempotent) => {
                    Some(r.retry_after(self.now()))
                }
                Ok(r) if matches!(r.status, 502 | 504) && safe => Some(r.retry_after(self.now())),
                Err(Error::Transport { .. }) if safe => Some(None),
                _ => None,
            };
            match (&result, retry_at) {
                (Ok(r), _) => tracing::debug!(status = r.status, "response"),
                (Err(e), _) => tracing::debug!(error = %e, "transport error"),
            }
            match retry_at {
                Some(server_says) if attempt < self.retry.max_retries => {
                    let now = self.now();
                    let at = self.retry.backoff.next_poll(now, attempt, server_says);
                    attempt += 1;
                    tracing::info!(attempt, "retrying after a transient failure");
                    self.report(Progress::Retrying { attempt });
                    self.sleep_until(at).await?;
                }
                _ => return result,
            }
        }
    }

    /// Runs `flow` to its end.
    pub async fn run<F: Flow + Send + ?Sized>(&self, flow: &mut F) -> Result<F::Output, Error> {
        let mut published: Vec<ChallengeTask> = Vec::new();
        let result = self.run_inner(flow, &mut published).await;
        if let (Some(solver), false) = (&self.solver, published.is_empty()) {
            solver.cleanup(&published).await;
        }
        result
    }

    async fn run_inner<F: Flow + Send + ?Sized>(
        &self,
        flow: &mut F,
        published: &mut Vec<ChallengeTask>,
    ) -> Result<F::Output, Error> {
        loop {
            self.check_cancel()?;
            match flow.next(self.now())? {
                Step::Send(request) => {
                    // A failed send goes to the flow, which knows whether
                    // its request is safe to repeat (issue 14, item 14).
                    let outcome = self.send(request).await;
                    crate::flow::deliver(flow, outcome, self.now())?;
                }
                Step::Wait(until) => {
                    let millis = until.millis_since(self.now());
                    tracing::debug!(wait_ms = millis, "waiting");
                    if millis > 0 {
                        self.report(Progress::Waiting { millis });
                    }
                    self.sleep_until(until).await?;
                }
                Step::Solve(tasks) => {
                    let solver = self.solver.as_ref().ok_or_else(|| {
                        Error::invalid_input(
                            "solver",
                            "this flow needs a challenge solver to publish its proofs",
                        )
                    })?;
                    tracing::info!(count = tasks.len(), "publishing challenges");
                    self.report(Progress::Solving { count: tasks.len() });
                    published.extend(tasks.iter().cloned());
                    solver.publish(&tasks).await?;
                    flow.solved()?;
                }
                Step::Done(out) => return Ok(out),
            }
        }
    }

    /// Sleeps until `t`, waking every 250 ms to notice cancellation.
    async fn sleep_until(&self, t: Timestamp) -> Result<(), Error> {
        loop {
            self.check_cancel()?;
            let now = self.now();
            if now >= t {
                return Ok(());
            }
            let slice = t.min(now.plus_millis(250));
            self.clock.sleep_until(slice).await;
        }
    }

    fn check_cancel(&self) -> Result<(), Error> {
        if self.cancel.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}
