//! The anti-replay nonce pool (RFC 8555 section 7.2).
//!
//! Every ACME response may carry a fresh `Replay-Nonce`, error responses
//! included (section 6.5). Keeping them all means newNonce is asked only when
//! the pool is empty: one HEAD for a whole session in the normal case.

use std::collections::VecDeque;

use crate::http::{HttpRequest, HttpResponse, Method};

/// Unused nonces, oldest first. Capped so a long session cannot grow it.
#[derive(Clone, Debug, Default)]
pub struct NoncePool {
    nonces: VecDeque<String>,
}

/// Nonces older than the newest few are likely expired on the server; keep
/// only these many.
const CAP: usize = 8;

impl NoncePool {
    /// An empty pool.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the newest nonce (the one least likely to have expired).
    pub fn take(&mut self) -> Option<String> {
        self.nonces.pop_back()
    }

    /// Keeps the `Replay-Nonce` of any response, if it is well formed
    /// (base64url characters only, section 6.5.1).
    pub fn absorb(&mut self, response: &HttpResponse) {
        if let Some(n) = response.headers.get("replay-nonce") {
            let n = n.trim();
            if !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                self.nonces.push_back(n.to_string());
                while self.nonces.len() > CAP {
                    self.nonces.pop_front();
                }
            }
        }
    }

    /// Number of nonces held.
    pub fn len(&self) -> usize {
        self.nonces.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.nonces.is_empty()
    }
}

/// `HEAD newNonce` (RFC 8555 section 7.2): answered with 200 and a
/// `Replay-Nonce`.
pub struct NewNonce;

impl NewNonce {
    /// The request.
    pub fn request(new_nonce_url: &str) -> HttpRequest {
        HttpRequest::new(Method::Head, new_nonce_url)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn keeps_valid_nonces_newest_first() {
        let mut pool = NoncePool::new();
        pool.absorb(&HttpResponse::new(200, "").header("Replay-Nonce", "a1"));
        pool.absorb(&HttpResponse::new(400, "").header("replay-nonce", "b2"));
        pool.absorb(&HttpResponse::new(200, "").header("Replay-Nonce", "bad nonce!"));
        pool.absorb(&HttpResponse::new(200, ""));
        assert_eq!(pool.len(), 2);
        assert_eq!(pool.take().as_deref(), Some("b2"));
        assert_eq!(pool.take().as_deref(), Some("a1"));
        assert_eq!(pool.take(), None);
        for i in 0..20 {
            pool.absorb(&HttpResponse::new(200, "").header("Replay-Nonce", format!("n{i}")));
        }
        assert_eq!(pool.len(), CAP);
    }
}
