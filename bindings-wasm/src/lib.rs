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
//! Adding a provider (SwissSign, ACME) repeats `redtrust.rs` (sans-IO
//! builders and parsers) and `client.rs` (a class with Promise methods).

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
mod host;
#[cfg(target_arch = "wasm32")]
mod redtrust;
#[cfg(target_arch = "wasm32")]
mod swisssign;
#[cfg(target_arch = "wasm32")]
mod swisssign_client;
#[cfg(target_arch = "wasm32")]
mod types;
