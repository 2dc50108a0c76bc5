//! Time for the async layer: the only place certbridge reads a clock.

use async_trait::async_trait;

use crate::time::Timestamp;

/// Reads the time and sleeps. Tests inject a fake; wasm hosts use `Date.now()`.
#[async_trait]
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Timestamp;
    /// Sleeps until `t` (returns at once when `t` has passed).
    async fn sleep_until(&self, t: Timestamp);
}

/// The operating system clock and tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

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
