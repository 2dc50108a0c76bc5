//! Async clients (feature `client`): a [`Transport`] to send requests, a
//! [`Clock`] to read time and sleep, one [`Driver`] that runs any
//! [`Flow`](crate::flow::Flow), and a ready client per provider.
//!
//! The sans-IO core stays the single source of behaviour; this layer only
//! does I/O: sending, sleeping until a flow's `Wait`, handing challenges to a
//! [`ChallengeSolver`], retrying transient failures of idempotent requests,
//! cancellation and `tracing` spans (URLs and statuses, never secrets).

mod clock;
mod driver;
mod redtrust;
mod transport;

pub use clock::Clock;
#[cfg(not(target_arch = "wasm32"))]
pub use clock::SystemClock;
pub use driver::{CancelToken, ChallengeSolver, Driver, RetryPolicy};
pub use redtrust::RedtrustClient;
pub use transport::{ReqwestTransport, Transport, TransportConfig};

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
