//! # certbridge
//!
//! Issue, renew, look up and revoke X.509 certificates through the Redtrust RA
//! API, the SwissSign RA API v2 and IdenTrust's reseller ACME service, from one
//! sans-IO core.
//!
//! Every endpoint is a plain value that becomes an [`http::HttpRequest`] and
//! parses an [`http::HttpResponse`]; every multi-step task is a
//! [`flow::Flow`] that the caller drives. The core never opens a socket, reads
//! a clock or draws randomness on its own, so the same bytes come out in every
//! language and every test.

// Plain data types carry uniffi derives behind this feature, so each type is
// written once (DESIGN.md, "3. Bindings"); certbridge-ffi adds the behaviour.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("certbridge");

pub mod acme;
#[cfg(feature = "client")]
pub mod client;
pub mod crypto;
pub mod error;
pub mod flow;
pub mod http;
pub mod identrust;
pub mod redtrust;
pub mod secret;
pub mod swisssign;
pub mod time;

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(all(doctest, feature = "client"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub use error::{AmbiguousSubmission, Error, Provider, ProviderDetails, ProviderError, Result};
pub use flow::{
    deliver, drive, ChallengeTask, Flow, Host, Step, MAX_TRANSIENT_RETRIES, TRANSIENT_BACKOFF,
};
pub use http::{Headers, HttpRequest, HttpResponse, Method};
pub use secret::Secret;
pub use time::{Backoff, Deadline, Timestamp};
