//! Plain HTTP request and response values.
//!
//! The core never opens a socket: every endpoint turns into an [`HttpRequest`]
//! value that the caller sends with whatever stack it likes, and every answer
//! comes back as an [`HttpResponse`] value to parse. Keeping both as plain data
//! is what lets one set of JSON test vectors pin the exact bytes on the wire in
//! every language.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Characters left as they are in a query component: the RFC 3986 section 2.3
/// unreserved set. Everything else is percent-encoded, which is what .NET's
/// `UrlEncode` (the Redtrust documents' wording) and every HTTP server accept.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters left as they are in one path segment (RFC 3986 section 3.3):
/// unreserved plus the sub-delims and `:`/`@` that a segment may carry.
const PATH_SEGMENT: &AsciiSet = &QUERY_VALUE
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes a query parameter name or value (RFC 3986 unreserved kept).
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// Percent-encodes one path segment, so a caller-supplied name can never add
/// a `/`, `?` or `#` to a URL.
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
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

impl Method {
    /// The method as it appears on the request line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Ok(Method::Get),
            "HEAD" => Ok(Method::Head),
            "POST" => Ok(Method::Post),
            "PUT" => Ok(Method::Put),
            "DELETE" => Ok(Method::Delete),
            _ => Err(Error::invalid_input(
                "method",
                "not a supported HTTP method",
            )),
        }
    }
}

/// An ordered list of header fields. Names compare case-insensitively
/// (RFC 9110 section 5.1); order and spelling are kept so a request is
/// byte-for-byte reproducible.
///
/// `Debug` hides the values of credential-bearing fields
/// ([`is_sensitive_header`]): `Authorization` carries bearer tokens and API
/// keys. (No `Drop` that wipes them: uniffi's remote records move the fields
/// out, which a `Drop` type forbids.)
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Headers(Vec<(String, String)>);

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&RedactedHeaders(self), f)
    }
}

impl Headers {
    /// An empty header list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a field, keeping any earlier one of the same name.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Replaces every field of that name with one field.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.0.push((name, value.into()));
    }

    /// The first value of a field, by case-insensitive name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a field, in order (e.g. several `Link` fields).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Removes every field of that name.
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The media type of `Content-Type`, lower-cased and without parameters.
    pub fn content_type(&self) -> Option<String> {
        self.get("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<T: IntoIterator<Item = (N, V)>>(iter: T) -> Self {
        Headers(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }
}

/// A request for the caller to send.
///
/// `Debug` hides the values of credential-bearing headers and the body, so a
/// request can be logged without leaking a token or a password.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL, already percent-encoded.
    pub url: String,
    /// Header fields, in the order they should be sent.
    pub headers: Headers,
    /// Body bytes (empty for none).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Headers::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header field (builder style).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets a JSON body and its `Content-Type`.
    pub fn json_body(mut self, body: Vec<u8>) -> Self {
        self.headers.set("Content-Type", "application/json");
        self.body = body;
        self
    }

    /// Sets a body with the given content type.
    pub fn body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.headers.set("Content-Type", content_type);
        self.body = body;
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", format!("Bearer {token}"))
    }
}

/// Header names whose values are credentials and are never printed: bearer
/// tokens and the IdenTrust reseller API key (`Authorization`), Redtrust's
/// HMAC login signature, cookies, and the API-key spellings other servers
/// and proxies use.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-hmac-signature",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
];

/// Whether the value of header field `name` is a credential that must never
/// be printed (case-insensitive). The bindings use it for their printed
/// forms of header fields.
pub fn is_sensitive_header(name: &str) -> bool {
    SENSITIVE_HEADERS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
}

/// `url` for logs and printed forms: the query and fragment replaced by
/// `[redacted]`. Query strings carry secrets (Redtrust's signed login URL
/// has the HMAC signature and the temporary token comes back in one), so
/// no Debug output, error or trace shows them.
pub fn redact_url(url: &str) -> std::borrow::Cow<'_, str> {
    match url.find(['?', '#']) {
        Some(at) => format!("{}{}[redacted]", &url[..at], &url[at..=at]).into(),
        None => url.into(),
    }
}

struct RedactedHeaders<'a>(&'a Headers);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0.iter() {
            if is_sensitive_header(name) {
                list.entry(&(name, "[redacted]"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

/// `Name: value, Name: [redacted]` on one line, for the `Display` forms.
impl fmt::Display for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, value)) in self.0.iter().enumerate() {
            let value = if is_sensitive_header(name) {
                "[redacted]"
            } else {
                value
            };
            write!(f, "{}{name}: {value}", if i == 0 { "" } else { ", " })?;
        }
        Ok(())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &format_args!("[{} bytes]", self.body.len()))
            .finish()
    }
}

/// One line: `POST https://host/path?[redacted] [Name: value, ...] (N-byte
/// body)`, with the same redactions as `Debug`.
impl fmt::Display for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} [{}] ({}-byte body)",
            self.method,
            redact_url(&self.url),
            RedactedHeaders(&self.headers),
            self.body.len()
        )
    }
}

/// A response as received by the caller's HTTP stack.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header fields.
    pub headers: Headers,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with the given status and body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Headers::new(),
            body: body.into(),
        }
    }

    /// Adds a header field (builder style).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as UTF-8, or a protocol error naming `context`.
    pub fn text(&self, context: &'static str) -> Result<&str, Error> {
        std::str::from_utf8(&self.body)
            .map_err(|_| Error::protocol(context, "response body is not UTF-8"))
    }

    /// A short, printable excerpt of the body for error messages: at most 200
    /// characters, control characters replaced, so an HTML error page or
    /// binary junk never floods a log.
    pub fn body_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut out: String = text
            .chars()
            .take(200)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if text.chars().count() > 200 {
            out.push('…');
        }
        out.trim().to_string()
    }

    /// The `Retry-After` header as an absolute time (RFC 9110 section 10.2.3):
    /// either delay-seconds or an HTTP-date.
    pub fn retry_after(&self, now: crate::time::Timestamp) -> Option<crate::time::Timestamp> {
        let value = self.headers.get("retry-after")?.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(now.plus_secs(secs));
        }
        crate::time::Timestamp::parse_http_date(value)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &format_args!("[{} bytes]", self.body.len()))
            .finish()
    }
}

/// One line: `HTTP 200 [Name: value, ...] (N-byte body)`, redacted as
/// `Debug`.
impl fmt::Display for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} [{}] ({}-byte body)",
            self.status,
            RedactedHeaders(&self.headers),
            self.body.len()
        )
    }
}

/// Checks that `value` is an absolute `http` or `https` URL with a host and
/// returns it without a trailing slash, so that paths can be appended.
pub(crate) fn base_url(field: &'static str, value: &str) -> Result<String, Error> {
    let parsed = url::Url::parse(value.trim())
        .map_err(|_| Error::invalid_input(field, "not an absolute URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid_input(
            field,
            "URL scheme must be http or https",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(field, "URL has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::invalid_input(
            field,
            "a base URL takes no query or fragment",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid_input(
            field,
            "credentials do not belong in the URL",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// Whether `url`'s host is a loopback address (`127.0.0.0/8`, `::1`) or
/// `localhost`: the one place cleartext `http` is accepted without an
/// explicit opt-in (ACME URLs in [`crate::acme::guard`], and base URLs
/// below).
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// [`base_url`] for a server that receives credentials (Redtrust
/// passwords and tokens, SwissSign API keys and JWTs, the IdenTrust reseller
/// API key, ACME EAB): `https`, or `http` to a loopback host, or `http`
/// anywhere only with `allow_insecure_http` (the IdenTrust document's own
/// `http://$RESELLER_HOST` example needs it). Issue 14 item 9: a mistyped
/// `http://` sent the password across the network in clear.
pub(crate) fn credential_base_url(
    field: &'static str,
    value: &str,
    allow_insecure_http: bool,
) -> Result<String, Error> {
    let checked = base_url(field, value)?;
    let parsed = url::Url::parse(&checked)
        .map_err(|_| Error::invalid_input(field, "not an absolute URL"))?;
    if parsed.scheme() == "http" && !allow_insecure_http && !is_loopback(&parsed) {
        return Err(Error::invalid_input(
            field,
            "credentials are sent to this server, so it must be https (http only to a \
             loopback host, or with allow_insecure_http / --insecure-http)",
        ));
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_urls_are_https_unless_loopback_or_allowed() {
        for ok in [
            "https://rt.example:8082",
            "http://127.0.0.1:8082",
            "http://127.8.9.1",
            "http://[::1]:80/p",
            "http://LOCALHOST:1",
        ] {
            assert!(credential_base_url("server", ok, false).is_ok(), "{ok}");
        }
        for bad in [
            "http://rt.example:8082",
            "http://10.0.0.1",
            "http://localhost.evil.example",
        ] {
            match credential_base_url("server", bad, false) {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, "server");
                    assert!(reason.contains("must be https"), "{reason}");
                }
                other => panic!("{bad}: {other:?}"),
            }
            assert!(credential_base_url("server", bad, true).is_ok(), "{bad}");
        }
        // The opt-in is about the scheme only.
        assert!(credential_base_url("server", "ftp://rt.example", true).is_err());
    }

    #[test]
    fn every_provider_config_refuses_cleartext_and_names_its_field() {
        use crate::identrust::Environment;
        use crate::redtrust::RedtrustConfig;
        use crate::swisssign::SwissSignConfig;
        let field = |r: Result<(), Error>| r.err().and_then(|e| e.field().map(str::to_owned));
        let http = "http://ra.example:8082";
        let https = "https://ra.example";
        assert_eq!(
            field(RedtrustConfig::new(http).map(drop)).as_deref(),
            Some("server")
        );
        assert_eq!(
            field(SwissSignConfig::new(http).map(drop)).as_deref(),
            Some("base_url")
        );
        assert_eq!(
            field(Environment::custom(http, https).map(drop)).as_deref(),
            Some("reseller_base")
        );
        assert_eq!(
            field(Environment::custom(https, http).map(drop)).as_deref(),
            Some("acme_base")
        );
        // The opt-in, and loopback without one.
        assert!(RedtrustConfig::new_allowing_insecure_http(http, true).is_ok());
        assert!(SwissSignConfig::new_allowing_insecure_http(http, true).is_ok());
        assert!(Environment::custom_allowing_insecure_http(http, http, true).is_ok());
        assert!(RedtrustConfig::new("http://127.0.0.1:8082").is_ok());
    }

    #[test]
    fn query_encoding_matches_the_redtrust_example() {
        // redtrust-certificate-enroll-v4.33, "Authentication request".
        assert_eq!(
            encode_query_value("https://google.es?tkn="),
            "https%3A%2F%2Fgoogle.es%3Ftkn%3D"
        );
        assert_eq!(encode_query_value("a b~_.-ü"), "a%20b~_.-%C3%BC");
    }

    #[test]
    fn path_segment_cannot_escape() {
        assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path_segment("svc.account@x"), "svc.account@x");
    }

    #[test]
    fn headers_are_case_insensitive_and_ordered() {
        let mut h = Headers::new();
        h.append("Link", "<a>;rel=\"up\"");
        h.append("link", "<b>;rel=\"alternate\"");
        h.set("Content-Type", "application/json; charset=utf-8");
        assert_eq!(h.get("LINK"), Some("<a>;rel=\"up\""));
        assert_eq!(h.get_all("link").count(), 2);
        assert_eq!(h.content_type().as_deref(), Some("application/json"));
    }

    #[test]
    fn debug_never_shows_credentials() {
        let r = HttpRequest::new(Method::Get, "https://x.example/p?tkn=qu3ry-s3cr3t#frag")
            .bearer("s3cr3t-token")
            .header("x-hmac-signature", "abcdef")
            .header("X-Api-Key", "k3y")
            .json_body(br#"{"password":"pw-s3cr3t"}"#.to_vec());
        let resp =
            HttpResponse::new(200, r#"{"token":"t0k3n"}"#).header("Set-Cookie", "sid=c00k1e");
        for shown in [
            format!("{r:?}"),
            format!("{r}"),
            format!("{:?}", r.headers),
            format!("{resp:?}"),
            format!("{resp}"),
        ] {
            for secret in ["s3cr3t", "abcdef", "k3y", "t0k3n", "c00k1e", "frag"] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            assert!(shown.contains("[redacted]"), "{shown}");
        }
        assert_eq!(
            format!("{r}"),
            "GET https://x.example/p?[redacted] [Authorization: [redacted], \
             x-hmac-signature: [redacted], X-Api-Key: [redacted], \
             Content-Type: application/json] (24-byte body)"
        );
        assert_eq!(
            format!("{resp}"),
            "HTTP 200 [Set-Cookie: [redacted]] (17-byte body)"
        );
    }

    #[test]
    fn urls_lose_query_and_fragment_in_logs() {
        assert_eq!(redact_url("https://a/b?x=1"), "https://a/b?[redacted]");
        assert_eq!(redact_url("https://a/b#t=2"), "https://a/b#[redacted]");
        assert_eq!(redact_url("https://a/b"), "https://a/b");
        assert!(is_sensitive_header("AUTHORIZATION"));
        assert!(!is_sensitive_header("content-type"));
    }

    #[test]
    fn base_url_rejects_non_http() {
        assert!(base_url("server", "ftp://x.example").is_err());
        assert!(base_url("server", "/relative").is_err());
        assert!(base_url("server", "https://u:p@x.example").is_err());
        assert_eq!(
            base_url("server", "https://rt.example:8082/")
                .ok()
                .as_deref(),
            Some("https://rt.example:8082")
        );
    }
}
