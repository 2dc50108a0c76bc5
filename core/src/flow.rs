//! Multi-step operations as caller-driven state machines.
//!
//! In the style of rustls' unbuffered API and quinn-proto: a flow never sends,
//! sleeps or reads a clock. The caller asks [`Flow::next`] what to do, does it,
//! and feeds the result back ([`Flow::receive`] for a response,
//! [`Flow::solved`] once challenges are published). One driver ([`drive`]
//! here, the async one in the client) runs every flow the same way.

use serde::Serialize;

use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::time::{Backoff, Timestamp};

/// A proof of control the caller must publish before a flow can go on
/// (ACME challenges, RFC 8555 section 8; SwissSign DNS pre-validation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChallengeTask {
    /// Serve `body` at `http://{domain}/.well-known/acme-challenge/{token}`
    /// (RFC 8555 section 8.3).
    Http01 {
        /// The identifier being proven.
        domain: String,
        /// The challenge token (the last path segment).
        token: String,
        /// The exact response body: the key authorization.
        body: String,
    },
    /// Publish a TXT record `name` with `value` (RFC 8555 section 8.4; for
    /// SwissSign, the pre-validation token on the punycode name).
    DnsTxt {
        /// The identifier being proven, as the caller gave it.
        domain: String,
        /// Owner name of the record (ASCII, e.g. `_acme-challenge.example.com`).
        name: String,
        /// Record value.
        value: String,
    },
    /// Answer TLS with ALPN `acme-tls/1` and a certificate carrying the
    /// `acmeIdentifier` extension (RFC 8737 section 3).
    TlsAlpn01 {
        /// The identifier being proven.
        domain: String,
        /// Lower-case hex SHA-256 of the key authorization: the extension value.
        digest_hex: String,
    },
}

/// What the caller does next.
#[derive(Debug)]
#[must_use]
pub enum Step<T> {
    /// Send this request and hand the response to [`Flow::receive`].
    Send(HttpRequest),
    /// Call [`Flow::next`] again at (or after) this time.
    Wait(Timestamp),
    /// Publish these proofs, then call [`Flow::solved`].
    Solve(Vec<ChallengeTask>),
    /// Finished with this result. The flow is spent.
    Done(T),
}

/// A multi-step operation driven by the caller.
pub trait Flow {
    /// The result of the whole operation.
    type Output;

    /// What to do now. After `Send`, exactly one [`Flow::receive`] must come
    /// before the next call; after `Solve`, [`Flow::solved`].
    fn next(&mut self, now: Timestamp) -> Result<Step<Self::Output>, Error>;

    /// The response to the request of the last `Send`.
    fn receive(&mut self, response: HttpResponse, now: Timestamp) -> Result<(), Error>;

    /// The request of the last `Send` got no answer: the connection failed
    /// or timed out (`error`: [`Error::Transport`], or [`Error::Timeout`]
    /// from a host whose request timer fired). Instead of a
    /// response, the flow learns this and decides by itself: a read that is
    /// safe to repeat is tried again after a backoff, at most
    /// [`MAX_TRANSIENT_RETRIES`] times in a row; a submission that may have
    /// been processed ends with [`Error::Ambiguous`] naming what may exist on
    /// the server (issue 14, item 14). `Ok` means: ask [`Flow::next`]. The
    /// default, for flows without retries, ends the flow with `error`.
    fn send_failed(&mut self, error: Error, now: Timestamp) -> Result<(), Error> {
        let _ = now;
        Err(error)
    }

    /// The challenges of the last `Solve` are published.
    fn solved(&mut self) -> Result<(), Error> {
        Err(Error::protocol(
            "flow",
            "this flow has no challenges to solve",
        ))
    }
}

/// What the blocking [`drive`] needs from its host.
pub trait Host {
    /// The current time.
    fn now(&mut self) -> Timestamp;
    /// Sends one request.
    fn send(&mut self, request: HttpRequest) -> Result<HttpResponse, Error>;
    /// Blocks (or fast-forwards a fake clock) until `t`.
    fn wait_until(&mut self, t: Timestamp);
    /// Publishes challenge proofs.
    fn solve(&mut self, tasks: &[ChallengeTask]) -> Result<(), Error> {
        let _ = tasks;
        Err(Error::protocol(
            "flow",
            "the host cannot publish challenges",
        ))
    }
}

/// How many times in a row a flow repeats one safe read after a transient
/// failure (a dropped connection, a timeout, an empty, truncated or non-JSON
/// body) before it gives up with that failure (issue 14, item 14). Four
/// tries with [`TRANSIENT_BACKOFF`] span about 7.5 s: enough for a proxy
/// restart or a lost packet, short enough that a dead server is reported.
pub const MAX_TRANSIENT_RETRIES: u32 = 4;

/// The delays before those repeats: 0.5 s, doubling, at most 8 s.
pub const TRANSIENT_BACKOFF: Backoff = Backoff {
    initial_millis: 500,
    max_millis: 8_000,
    factor_percent: 200,
};

/// Hands the outcome of one send to `flow`: a response to
/// [`Flow::receive`], a failure to [`Flow::send_failed`] (a cancellation
/// stays a cancellation). Every driver calls this, the bindings' included,
/// so no host decides about retries itself.
pub fn deliver<F: Flow + ?Sized>(
    flow: &mut F,
    outcome: Result<HttpResponse, Error>,
    now: Timestamp,
) -> Result<(), Error> {
    match outcome {
        Ok(response) => flow.receive(response, now),
        Err(Error::Cancelled) => Err(Error::Cancelled),
        Err(error) => flow.send_failed(error, now),
    }
}

/// Consecutive transient failures of the request a flow is trying to get
/// answered; reset by every usable answer.
#[derive(Debug, Default)]
pub(crate) struct Transient {
    failures: u32,
}

impl Transient {
    /// When to try again after one more failure, or `None` once
    /// [`MAX_TRANSIENT_RETRIES`] is used up. `retry_after` (a server's
    /// `Retry-After`) wins within the backoff's cap.
    pub(crate) fn retry_at(
        &mut self,
        now: Timestamp,
        retry_after: Option<Timestamp>,
    ) -> Option<Timestamp> {
        if self.failures >= MAX_TRANSIENT_RETRIES {
            return None;
        }
        let at = TRANSIENT_BACKOFF.next_poll(now, self.failures, retry_after);
        self.failures += 1;
        Some(at)
    }

    /// A usable answer arrived.
    pub(crate) fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Whether a 2xx answer's body is unusable as JSON: empty, truncated or not
/// JSON at all (a proxy's page with status 200). Such an answer tells
/// nothing about the request; a safe read is repeated, a submission is
/// ambiguous (issue 14, item 14).
pub(crate) fn garbled_json(response: &HttpResponse) -> bool {
    response.is_success()
        && serde_json::from_slice::<serde::de::IgnoredAny>(&response.body).is_err()
}

/// Runs a flow to completion on a blocking host. Used by tests, the demo's
/// in-process fakes and any caller without an async runtime.
pub fn drive<F: Flow + ?Sized>(flow: &mut F, host: &mut impl Host) -> Result<F::Output, Error> {
    loop {
        let now = host.now();
        match flow.next(now)? {
            Step::Send(request) => {
                let outcome = host.send(request);
                let now = host.now();
                deliver(flow, outcome, now)?;
            }
            Step::Wait(until) => host.wait_until(until),
            Step::Solve(tasks) => {
                host.solve(&tasks)?;
                flow.solved()?;
            }
            Step::Done(out) => return Ok(out),
        }
    }
}

/// Bookkeeping shared by flows: which request is in flight, so a response that
/// arrives without one (or a `next` while one is pending) is a typed error
/// instead of a confused state machine.
#[derive(Debug, Default)]
pub(crate) struct InFlight<R> {
    pending: Option<R>,
}

impl<R> InFlight<R> {
    pub(crate) fn new() -> Self {
        InFlight { pending: None }
    }

    /// Records that a request for `what` was handed out.
    pub(crate) fn start(&mut self, what: R) -> Result<(), Error> {
        if self.pending.is_some() {
            return Err(Error::protocol(
                "flow",
                "next() called while a response is still expected",
            ));
        }
        self.pending = Some(what);
        Ok(())
    }

    /// Takes the record of the request a response belongs to.
    pub(crate) fn finish(&mut self) -> Result<R, Error> {
        self.pending
            .take()
            .ok_or_else(|| Error::protocol("flow", "receive() called with no request in flight"))
    }

    /// What is in flight, if anything.
    pub(crate) fn pending(&self) -> Option<&R> {
        self.pending.as_ref()
    }

    pub(crate) fn is_pending(&self) -> bool {
        self.pending.is_some()
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A scripted host for flow tests: answers requests from a queue, records
    //! what was sent, and fast-forwards a fake clock on `Wait`.
    use super::*;
    use std::collections::VecDeque;

    pub struct ScriptedHost {
        pub now: Timestamp,
        pub sent: Vec<HttpRequest>,
        pub answers: VecDeque<Result<HttpResponse, Error>>,
        pub waits: Vec<Timestamp>,
        pub solved: Vec<Vec<ChallengeTask>>,
    }

    impl ScriptedHost {
        pub fn new(now: Timestamp, answers: Vec<HttpResponse>) -> Self {
            ScriptedHost {
                now,
                sent: vec![],
                answers: answers.into_iter().map(Ok).collect(),
                waits: vec![],
                solved: vec![],
            }
        }

        /// A host whose sends fail where the script says `Err` (a dropped
        /// connection, a timeout).
        pub fn with_outcomes(now: Timestamp, outcomes: Vec<Result<HttpResponse, Error>>) -> Self {
            let mut host = Self::new(now, vec![]);
            host.answers = outcomes.into();
            host
        }
    }

    /// The transport failures a send can end with, as the reqwest transport
    /// reports them.
    pub fn dropped() -> Error {
        Error::transport("connection closed before message completed")
    }

    /// See [`dropped`].
    pub fn timed_out() -> Error {
        Error::transport("operation timed out")
    }

    /// The transient faults of issue 14 item 14 as a host sees them: two
    /// failed sends and three unusable 200 answers (`truncated`: the cut
    /// body to use).
    pub fn transient_faults(truncated: &str) -> Vec<(&'static str, Result<HttpResponse, Error>)> {
        vec![
            ("dropped connection", Err(dropped())),
            ("timeout", Err(timed_out())),
            ("truncated body", Ok(HttpResponse::new(200, truncated))),
            ("empty body", Ok(HttpResponse::new(200, ""))),
            (
                "non-JSON body",
                Ok(HttpResponse::new(200, "<html>maintenance</html>")),
            ),
        ]
    }

    impl Host for ScriptedHost {
        fn now(&mut self) -> Timestamp {
            self.now
        }
        fn send(&mut self, request: HttpRequest) -> Result<HttpResponse, Error> {
            self.sent.push(request);
            self.answers
                .pop_front()
                .unwrap_or_else(|| Err(Error::protocol("script", "ran out of answers")))
        }
        fn wait_until(&mut self, t: Timestamp) {
            self.waits.push(t);
            if t > self.now {
                self.now = t;
            }
        }
        fn solve(&mut self, tasks: &[ChallengeTask]) -> Result<(), Error> {
            self.solved.push(tasks.to_vec());
            Ok(())
        }
    }
}
