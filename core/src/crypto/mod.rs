//! Cryptography shared by every provider, in pure Rust (RustCrypto) so the
//! core builds for wasm32: digests and MACs, PEM/DER, thumbprints, keys,
//! CSRs, certificate and PKCS#7 parsing, and HS256 JWTs.

pub mod certificate;
pub mod csr;
pub mod digest;
pub mod jwt;
pub mod key_match;
pub mod keys;
pub mod name;
pub mod pem;
pub mod pkcs7;

pub use certificate::{AltName, Certificate};
pub use csr::{Csr, CsrBuilder};
pub use keys::{KeyKind, PrivateKey, SignatureAlgorithm};
