//! Async clients (feature `client`): a [`Transport`] to send requests, a
//! [`Clock`] to read time and sleep, one [`Driver`] that runs any
//! [`Flow`](crate::flow::Flow), and a ready client per provider.
//!
//! The sans-IO core stays the single source of behaviour; this layer only
//! does I/O: sending, sleeping until a flow's `Wait`, handing challenges to a
//! [`ChallengeSolver`], retrying transient failures of idempotent requests,
//! cancellation and `tracing` spans (URLs and statuses, never secrets).

mod acme;
mod clock;
mod driver;
mod redtrust;
mod swisssign;
#[cfg(not(target_arch = "wasm32"))]
mod tls;
mod transport;

pub use acme::{AcmeClient, IdenTrustClient};
pub use clock::Clock;
#[cfg(not(target_arch = "wasm32"))]
pub use clock::SystemClock;
pub use driver::{CancelToken, ChallengeSolver, Driver, Progress, ProgressFn, RetryPolicy};
pub use redtrust::RedtrustClient;
pub use swisssign::SwissSignClient;
pub use transport::{
    body_too_large, ReqwestTransport, Transport, TransportConfig, DEFAULT_MAX_RESPONSE_BYTES,
};

use crate::acme::AccountKey;
use crate::crypto::keys::{KeyKind, PrivateKey};
use crate::error::Error;

/// A new certificate key from the operating system's random source. (The
/// sans-IO core takes randomness as a parameter; this layer supplies it.)
pub fn generate_key(kind: KeyKind) -> Result<PrivateKey, Error> {
    PrivateKey::generate(kind, &mut rand_core::OsRng)
}

/// A new ES256 ACME account key from the operating system's random source.
pub fn generate_account_key() -> AccountKey {
    AccountKey::generate_es256(&mut rand_core::OsRng)
}

/// A new RS256 ACME account key of `bits` (2048 to 4096) from the operating
/// system's random source, for servers that refuse ES256.
pub fn generate_rs256_account_key(bits: usize) -> Result<AccountKey, Error> {
    AccountKey::generate_rs256(&mut rand_core::OsRng, bits)
}

/// `Send + Sync` on native targets, where clients are shared across threads;
/// no bound on wasm32, where the transport and clock are JS functions and
/// timers that live on the one JS thread and are never `Send`.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSendSync: Send + Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + Sync + ?Sized> MaybeSendSync for T {}

/// `Send + Sync` on native targets, where clients are shared across threads;
/// no bound on wasm32, where the transport and clock are JS functions and
/// timers that live on the one JS thread and are never `Send`.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSendSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSendSync for T {}
