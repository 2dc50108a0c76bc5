//! Shared input shaping for the fuzz targets: turns the fuzzer's bytes into
//! an `HttpResponse` the way a hostile or broken server could send it.

use certbridge::http::HttpResponse;
use certbridge::Timestamp;

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
