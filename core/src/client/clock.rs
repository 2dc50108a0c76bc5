//! Time for the async layer: the only place certbridge reads a clock.

use async_trait::async_trait;

use super::MaybeSendSync;
use crate::time::Timestamp;

/// Reads the time and sleeps. Tests inject a fake; wasm hosts use `Date.now()`.
#[cfg_attr(not(target_arch = "wasm32"), async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait(?Send))]
pub trait Clock: MaybeSendSync {
    /// The current time.
    fn now(&self) -> Timestamp;
    /// Sleeps until `t` (returns at once when `t` has passed).
    async fn sleep_until(&self, t: Timestamp);
}

/// The operating system clock and tokio's timer. Not on wasm32, where
/// `SystemTime::now()` panics and there is no tokio timer: the host supplies a
/// clock there (`Date.now()` and `setTimeout` in bindings-wasm).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

#[cfg(not(target_arch = "wasm32"))]
#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Timestamp::from_millis(millis)
    }

    async fn sleep_until(&self, t: Timestamp) {
        let wait = t.millis_since(self.now());
        if wait > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        }
    }
}
