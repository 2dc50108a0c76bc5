//! certbridge for JavaScript and TypeScript through WebAssembly (wasm-bindgen).
//!
//! Thin by design: every exported function converts JS values into core
//! types, calls the core and converts the answer back. Records cross the
//! boundary as plain objects with camelCase keys (`convert`), errors as JS
//! `Error`s with the core's stable `kind`, `code`, `field` and `status`
//! (`error`). Time comes from `Date.now()` and sleeping from `setTimeout`
//! (`host`); nothing reads `SystemTime` on wasm32. The TypeScript types of
//! every record live in `types` and are referenced by the exported
//! signatures, so the generated `.d.ts` has no `any` for SDK data.
//!
//! Per provider, one module of sans-IO builders and parsers (`redtrust`,
//! `swisssign`, `acme` with IdenTrust's reseller API) and one of clients
//! with Promise methods (`client` for Redtrust and the shared option
//! readers, `swisssign_client`, `acme_client` with the JS challenge
//! solver); `flow` holds the host-driven issuance classes (Redtrust, ACME;
//! SwissSign's lives in `swisssign`) and the step conversion they share;
//! `crypto` holds keys, CSRs, certificates and JWTs. Randomness
//! comes from Web Crypto (getrandom's `js` backend).

pub use certbridge;

#[cfg(target_arch = "wasm32")]
mod acme;
#[cfg(target_arch = "wasm32")]
mod acme_client;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod convert;
#[cfg(target_arch = "wasm32")]
mod crypto;
#[cfg(target_arch = "wasm32")]
mod error;
#[cfg(target_arch = "wasm32")]
mod flow;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod redtrust;
#[cfg(target_arch = "wasm32")]
mod swisssign;
#[cfg(target_arch = "wasm32")]
mod swisssign_client;
#[cfg(target_arch = "wasm32")]
mod types;
