//! The HTTP values and the time type as they cross the FFI.
//!
//! These are the core's own types (`certbridge::http`, `certbridge::time`),
//! declared here as uniffi remote types rather than derived in the core:
//! uniffi 0.32.2's Kotlin generator cannot return a record of another crate
//! from an async foreign callback (mozilla/uniffi-rs#2630, #2675), and
//! `HttpTransport::send` returns an `HttpResponse`. Declared in this crate,
//! they share its Kotlin package and compile. Every other data type keeps
//! its derive in the core.

use certbridge::{Headers, HttpRequest, HttpResponse, Method, Timestamp};

/// HTTP method of a request.
#[uniffi::remote(Enum)]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

/// A request for the host to send: method, absolute URL (already
/// percent-encoded), header fields in the order to send them, body bytes
/// (empty for none).
#[uniffi::remote(Record)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Headers,
    pub body: Vec<u8>,
}

/// A response as the host's HTTP stack received it, whatever its status.
#[uniffi::remote(Record)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Headers,
    pub body: Vec<u8>,
}

/// One header field. uniffi has no tuples, so the core's ordered
/// `Headers` travels as a list of these; names keep their spelling.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct HeaderField {
    /// Field name, spelled as sent or received.
    pub name: String,
    /// Field value.
    pub value: String,
}

uniffi::custom_type!(Headers, Vec<HeaderField>, {
    remote,
    lower: |h| h.iter().map(|(n, v)| HeaderField { name: n.to_string(), value: v.to_string() }).collect(),
    try_lift: |v| Ok(v.into_iter().map(|f| (f.name, f.value)).collect()),
});

// Times cross as unix milliseconds (`int` / `ULong` / `UInt64`).
uniffi::custom_type!(Timestamp, u64, {
    remote,
    lower: |t| t.millis(),
    try_lift: |v| Ok(Timestamp::from_millis(v)),
});
