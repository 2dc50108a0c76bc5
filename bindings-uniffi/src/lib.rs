//! certbridge for Python, Kotlin and Swift through uniffi.
//!
//! Thin by design (DESIGN.md, "3. Bindings"): plain data types
//! (`HttpRequest`, `CsrRequest`, `Issued`, ...) carry their uniffi derives in
//! the core behind its `uniffi` feature, so they are written once. This crate
//! adds only what has behaviour or needs a foreign shape:
//!
//! - [`error`]: the one error type every language sees;
//! - [`http`]: the HTTP values and `Timestamp` as remote types (a uniffi
//!   Kotlin limitation keeps them out of the core, see there);
//! - [`transport`]: the foreign `HttpTransport` trait (hosts bring their own
//!   HTTP stack) and its adapter to the core `Transport`;
//! - [`redtrust`]: sans-IO request builders and response parsers, the
//!   session and issuance-flow objects, and the async `RedtrustClient`;
//! - [`swisssign`]: the same for the SwissSign RA API v2, with the
//!   `SwissSignClient`;
//! - [`crypto`]: private keys, CSRs, certificate parsing, PKCS#7, HS256 JWTs.
//! - [`acme`]: ACME (RFC 8555 + EAB): keys, `acme_*` builders and parsers,
//!   `AcmeIssueFlow`, the async `AcmeClient`;
//! - [`identrust`]: the IdenTrust reseller API and `IdenTrustClient`;
//! - [`solver`]: the foreign `ChallengeSolver` that publishes challenges.
//!
//! Each exported function converts types and calls the core in one line; a
//! binding that needs logic means the core lacks a function.
//!
//! New providers follow the same pattern: a `swisssign.rs` / `acme.rs` next
//! to `redtrust.rs`, data types derived in the core.

// `CertbridgeError` carries the same seven fields in every variant so that
// each language can read them from any exception; uniffi cannot box them,
// and a large `Err` costs nothing next to crossing the FFI.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!("certbridge_ffi");

pub mod acme;
pub mod crypto;
pub mod error;
pub mod http;
pub mod identrust;
pub mod redtrust;
pub mod solver;
pub mod swisssign;
pub mod transport;

pub use certbridge;
pub use error::CertbridgeError;
