//! Cryptography shared by every provider, in pure Rust (RustCrypto) so the
//! core builds for wasm32: digests and MACs, PEM/DER, and thumbprints.

pub mod digest;
pub mod pem;
