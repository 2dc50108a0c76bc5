//! ACME (RFC 8555) with External Account Binding for foreign languages: the
//! account and EAB keys, sans-IO request builders and response parsers
//! (`acme_*`), the host-driven [`AcmeIssueFlow`] and the async
//! [`AcmeClient`] (core: `certbridge::acme`, `certbridge::client`).
//!
//! Most ACME data types carry their uniffi derives in the core under
//! `Acme`-prefixed foreign names (`AcmeChallenge`, `AcmeProblem`, ...), so
//! that they never collide with SwissSign's or Redtrust's types in the one
//! Swift module. The records below that hold a `Timestamp` (`AcmeOrder`,
//! `AcmeAuthorization`, `AcmeRenewalInfo`) or a `BTreeMap` (`AcmeDirectory`)
//! are declared here as remote types instead: `Timestamp` is itself a
//! remote type of this crate (see [`crate::http`]) and uniffi has no
//! `BTreeMap`, so a derive in the core could not lower them.
//!
//! Secrets (private keys, EAB HMAC keys) live in objects that print
//! redacted; they leave as text only when the caller asks
//! ([`AcmeAccountKey::to_pkcs8_pem`], [`AcmeEabKey::hmac_key_b64url`]).

mod client;
mod endpoints;
mod flow;
mod helpers;
mod keys;
mod records;

pub use client::*;
pub use endpoints::*;
pub use flow::*;
pub use helpers::*;
pub use keys::*;
pub use records::*;
