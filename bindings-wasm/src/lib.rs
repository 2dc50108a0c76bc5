//! certbridge for JavaScript through WebAssembly (wasm-bindgen).
//!
//! Thin by design: every function converts types and calls the core.

pub use certbridge;
