//! Shared input shaping for the fuzz targets: turns the fuzzer's bytes into
//! an `HttpResponse` the way a hostile or broken server could send it.

use certbridge::http::HttpResponse;
use certbridge::{Flow, Step, Timestamp};

/// Statuses the parsers branch on; the fuzzer picks one with the first byte
/// (or any u16 when the byte is 0xff, so odd statuses are covered too).
const STATUSES: [u16; 16] = [
    200, 201, 202, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503, 0, 999,
];

/// Byte 0: status; byte 1: header flags; rest: body. Headers a parser may
/// read (Content-Type, Location, Retry-After, Replay-Nonce, Link) are set from
/// flag bits with values that are themselves taken from the body's tail so
/// they vary too.
pub fn response(data: &[u8]) -> HttpResponse {
    let (status, flags, body) = match data {
        [0xff, a, b, flags, rest @ ..] => (u16::from_be_bytes([*a, *b]), *flags, rest),
        [s, flags, rest @ ..] => (STATUSES[usize::from(*s) % STATUSES.len()], *flags, rest),
        [s] => (STATUSES[usize::from(*s) % STATUSES.len()], 0, &[][..]),
        [] => (200, 0, &[][..]),
    };
    let mut response = HttpResponse::new(status, body.to_vec());
    let tail = String::from_utf8_lossy(&body[body.len().saturating_sub(24)..]).into_owned();
    if flags & 1 != 0 {
        response.headers.set("Content-Type", "application/json");
    }
    if flags & 2 != 0 {
        response
            .headers
            .set("Content-Type", "application/problem+json");
    }
    if flags & 4 != 0 {
        response
            .headers
            .set("Location", format!("https://ca.test/{tail}"));
    }
    if flags & 8 != 0 {
        response.headers.set("Retry-After", tail.clone());
    }
    if flags & 16 != 0 {
        response.headers.set("Replay-Nonce", tail.clone());
    }
    if flags & 32 != 0 {
        response.headers.set(
            "Link",
            format!("<https://ca.test/{tail}>;rel=\"alternate\""),
        );
    }
    if flags & 64 != 0 {
        response
            .headers
            .set("Content-Type", "application/pkcs7-mime");
    }
    if flags & 128 != 0 {
        response
            .headers
            .set("Content-Type", "application/pem-certificate-chain");
    }
    response
}

/// A fixed "now" so runs are reproducible.
pub fn now() -> Timestamp {
    Timestamp::from_secs(1_750_000_000)
}

/// Steps a flow may take without sending a request before it counts as
/// spinning: a `Wait` or a `Solve` always leads to a request or an end.
const MAX_QUIET_STEPS: u32 = 16;

/// Requests a flow may send once the fuzzer's answers are used up and the
/// last answer is repeated: every poll must end at its deadline, every retry
/// at its bound (issue 14 items 1, 12 and 14).
const MAX_REPEATS: u32 = 20_000;

/// Splits `data` into responses: each frame is a big-endian u16 length
/// (taken modulo 8 KiB, and clamped to what is left) and that many bytes for
/// [`response`].
pub fn responses(mut data: &[u8]) -> Vec<HttpResponse> {
    let mut out = Vec::new();
    while let [hi, lo, rest @ ..] = data {
        let len = usize::from(u16::from_be_bytes([*hi, *lo]) % 8192).min(rest.len());
        out.push(response(&rest[..len]));
        data = &rest[len..];
    }
    out
}

/// Drives `flow` as a hostile server would: the fuzzer's responses in
/// order, then the last one again and again, the clock jumping to every
/// `Wait` (at least a second each time). Panics (a finding) when the flow
/// spins without sending, keeps sending past [`MAX_REPEATS`], or finishes
/// after it has returned an error.
pub fn run_flow<F: Flow>(flow: &mut F, data: &[u8]) {
    let answers = responses(data);
    let last = answers
        .last()
        .cloned()
        .unwrap_or_else(|| HttpResponse::new(200, Vec::new()));
    let mut answers = answers.into_iter();
    let mut now = now();
    let mut quiet = 0;
    let mut repeats = 0;
    loop {
        let step = match flow.next(now) {
            Ok(step) => step,
            Err(_) => break,
        };
        match step {
            Step::Done(_) => return,
            Step::Send(_) => {
                quiet = 0;
                let answer = match answers.next() {
                    Some(a) => a,
                    None => {
                        repeats += 1;
                        assert!(repeats <= MAX_REPEATS, "the flow never ends");
                        last.clone()
                    }
                };
                if flow.receive(answer, now).is_err() {
                    break;
                }
            }
            Step::Wait(at) => {
                quiet += 1;
                assert!(quiet <= MAX_QUIET_STEPS, "the flow waits without sending");
                now = now.plus_secs(1).max(at);
            }
            Step::Solve(_) => {
                quiet += 1;
                assert!(quiet <= MAX_QUIET_STEPS, "the flow solves without sending");
                if flow.solved().is_err() {
                    break;
                }
            }
        }
    }
    // A flow that refused an answer stays refused.
    assert!(
        !matches!(flow.next(now), Ok(Step::Done(_))),
        "a failed flow finished later"
    );
}
