//! certbridge for Python, Kotlin and Swift through uniffi.
//!
//! Thin by design: plain data types are annotated in the core; behaviour
//! objects here are newtypes around core types.

pub use certbridge;
