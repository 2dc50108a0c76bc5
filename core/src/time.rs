//! Time as a value handed in by the caller.
//!
//! The core never reads a clock (`SystemTime::now()` even panics on
//! wasm32-unknown-unknown): flows and builders take `now` as a [`Timestamp`],
//! which makes every request reproducible and every flow testable.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::{OffsetDateTime, PrimitiveDateTime};

/// Milliseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// From whole seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Timestamp(secs.saturating_mul(1000))
    }

    /// From milliseconds.
    pub const fn from_millis(millis: u64) -> Self {
        Timestamp(millis)
    }

    /// Whole seconds (truncated).
    pub const fn secs(self) -> u64 {
        self.0 / 1000
    }

    /// Milliseconds.
    pub const fn millis(self) -> u64 {
        self.0
    }

    /// This time plus `secs` seconds (saturating).
    pub const fn plus_secs(self, secs: u64) -> Self {
        Timestamp(self.0.saturating_add(secs.saturating_mul(1000)))
    }

    /// This time plus `millis` milliseconds (saturating).
    pub const fn plus_millis(self, millis: u64) -> Self {
        Timestamp(self.0.saturating_add(millis))
    }

    /// Milliseconds from `earlier` to `self`, zero if `earlier` is later.
    pub const fn millis_since(self, earlier: Timestamp) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Parses an RFC 3339 / ISO 8601 date-time. A value without an offset
    /// (`2025-04-15T12:00:00`, as .NET serialises `DateTime`) is read as UTC.
    pub fn parse_rfc3339(value: &str) -> Option<Timestamp> {
        let value = value.trim();
        if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
            return Self::from_offset(t);
        }
        let naive = time::macros::format_description!(
            version = 2,
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        PrimitiveDateTime::parse(value, &naive)
            .ok()
            .and_then(|t| Self::from_offset(t.assume_utc()))
    }

    /// Parses an HTTP-date (RFC 9110 section 5.6.7, IMF-fixdate).
    pub fn parse_http_date(value: &str) -> Option<Timestamp> {
        let value = value.trim().replace(" GMT", " +0000");
        OffsetDateTime::parse(&value, &Rfc2822)
            .ok()
            .and_then(Self::from_offset)
    }

    /// Formats as RFC 3339 in UTC with whole seconds.
    pub fn to_rfc3339(self) -> String {
        let secs = i64::try_from(self.secs()).unwrap_or(i64::MAX);
        OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_else(|| secs.to_string())
    }

    fn from_offset(t: OffsetDateTime) -> Option<Timestamp> {
        let millis = t.unix_timestamp_nanos() / 1_000_000;
        u64::try_from(millis).ok().map(Timestamp)
    }
}

/// A point in time after which a flow gives up with a timeout error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline(pub Option<Timestamp>);

impl Deadline {
    /// No deadline: the flow may wait forever (e.g. SwissSign `PENDING_AUTH`).
    /// Only on explicit request: ACME issuance has a default limit
    /// (`acme::flow::DEFAULT_MAX_WAIT_SECS`) and the CLI's SwissSign
    /// `--wait` defaults to `swisssign::flow::DEFAULT_WAIT_SECS` (issue 14,
    /// item 12).
    pub const NONE: Deadline = Deadline(None);

    /// A deadline at `t`.
    pub const fn at(t: Timestamp) -> Self {
        Deadline(Some(t))
    }

    /// Whether `now` is past the deadline.
    pub fn passed(self, now: Timestamp) -> bool {
        self.0.is_some_and(|d| now >= d)
    }

    /// The earlier of `t` and the deadline.
    pub fn clamp(self, t: Timestamp) -> Timestamp {
        match self.0 {
            Some(d) if d < t => d,
            _ => t,
        }
    }
}

/// Polling delays that start short and grow, capped, honouring `Retry-After`
/// when the server sends one. No fixed sleeps: the first poll comes quickly
/// because most orders finish within a second on a healthy server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Backoff {
    /// First delay in milliseconds.
    pub initial_millis: u64,
    /// Largest delay in milliseconds.
    pub max_millis: u64,
    /// Growth factor in percent (150 = 1.5x).
    pub factor_percent: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial_millis: 100,
            max_millis: 10_000,
            factor_percent: 150,
        }
    }
}

impl Backoff {
    /// The delay before poll number `attempt` (0-based).
    pub fn delay_millis(&self, attempt: u32) -> u64 {
        let mut d = self.initial_millis.max(1);
        for _ in 0..attempt.min(64) {
            d = d.saturating_mul(self.factor_percent.max(100)) / 100;
            if d >= self.max_millis {
                return self.max_millis;
            }
        }
        d.min(self.max_millis)
    }

    /// When to poll next: the server's `Retry-After` if given (capped by the
    /// maximum delay so a wrong header cannot stall us), else the backoff.
    pub fn next_poll(
        &self,
        now: Timestamp,
        attempt: u32,
        retry_after: Option<Timestamp>,
    ) -> Timestamp {
        match retry_after {
            Some(t) if t > now => t.min(now.plus_millis(self.max_millis.max(1000))),
            _ => now.plus_millis(self.delay_millis(attempt)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_formats_providers_send() {
        assert_eq!(
            Timestamp::parse_rfc3339("2025-04-15T12:18:16Z"),
            Some(Timestamp::from_secs(1744719496))
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2025-04-15T12:18:16.500+00:00"),
            Some(Timestamp(1744719496500))
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2025-04-15T12:18:16"),
            Some(Timestamp::from_secs(1744719496))
        );
        assert_eq!(
            Timestamp::parse_http_date("Tue, 15 Apr 2025 12:18:16 GMT"),
            Some(Timestamp::from_secs(1744719496))
        );
        assert_eq!(Timestamp::parse_rfc3339("yesterday"), None);
        assert_eq!(
            Timestamp::from_secs(1744719496).to_rfc3339(),
            "2025-04-15T12:18:16Z"
        );
    }

    #[test]
    fn backoff_grows_and_caps() {
        let b = Backoff::default();
        assert_eq!(b.delay_millis(0), 100);
        assert_eq!(b.delay_millis(1), 150);
        assert_eq!(b.delay_millis(100), 10_000);
        let now = Timestamp::from_secs(10);
        assert_eq!(
            b.next_poll(now, 0, Some(now.plus_secs(3))),
            now.plus_secs(3)
        );
        assert_eq!(
            b.next_poll(now, 0, Some(now.plus_secs(3600))),
            now.plus_secs(10)
        );
    }
}
