//! SwissSign `APIError` replies and the shared response checks.
//!
//! swisssign-ra-api-v2, "Errors": an error reply is a JSON object
//! `{uuid, errorCode, errorMessages}` where `errorCode` is
//! `<module.section.error>` (`001.002.0003`). The three tables of the seed
//! name each part; a code outside them is kept verbatim with the unknown
//! part left unnamed, and the correlation `uuid` is kept for support.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{AuthReason, Error, Provider, ProviderDetails, ProviderError};
use crate::http::HttpResponse;

/// Modules (swisssign-ra-api-v2, "Module | Code").
pub const MODULES: &[(&str, &str)] = &[
    ("001", "MODULE_COMMONS"),
    ("006", "MODULE_HSM"),
    ("007", "MODULE_CA"),
    ("009", "MODULE_AUTHENTICATION"),
    ("011", "MODULE_RAO_API"),
];

/// Sections (swisssign-ra-api-v2, "Section | Code").
pub const SECTIONS: &[(&str, &str)] = &[
    ("010", "SECTION_UTILS"),
    ("110", "SECTION_API"),
    ("120", "SECTION_SERVICES"),
    ("140", "SECTION_DAO"),
    ("150", "SECTION_CALLBACK"),
    ("250", "SECTION_JWT"),
    ("350", "SECTION_RAO_API_APP"),
    ("351", "SECTION_RAO_API_FORM_VALIDATION"),
    ("352", "SECTION_RAO_API_ACCESS_DENIED"),
    ("353", "SECTION_RAO_API_AUTHENTICATION"),
    ("354", "SECTION_RAO_API_RUNTIME"),
];

/// Errors (swisssign-ra-api-v2, "Error codes | Code"), names as the seed
/// spells them (including `INVALID_CERTIFICATE_S/N` and
/// `INVALID_CLIENT_PRODCT`).
pub const ERRORS: &[(&str, &str)] = &[
    ("0223", "AUTHENTICATION"),
    ("0224", "ACCESS_DENIED"),
    ("0225", "RUNTIME"),
    ("0226", "VALIDATION"),
    ("0227", "APPLICATION"),
    ("0228", "JWT"),
    ("0229", "NULL_VALUE"),
    ("0230", "INVALID_CERTIFICATE_S/N"),
    ("0231", "INVALID_CLIENT"),
    ("0232", "CERTIFICATE_EXPIRED"),
    ("0233", "CERTIFICATE_ALREADY_REVOKED"),
    ("0234", "INVALID_PRODUCT_MAPPING"),
    ("0235", "CERTIFICATE_IS_CA"),
    ("0236", "CERTIFICATE_IS_ENTITY"),
    ("0237", "FAILED_PARSING_DN"),
    ("0238", "INVALID_ISSUER_NAME"),
    ("0239", "FAILED_SUBMIT_ORDER"),
    ("0240", "FAILED_VALIDATING_REQUEST"),
    ("0241", "FAILED_PARSING_CSR"),
    ("0242", "MISSING_CDP"),
    ("0243", "INVALID_PRODUCT_ID"),
    ("0244", "INVALID_PRODUCT_TYPE"),
    ("0245", "PRODUCT_API_DISABLED"),
    ("0246", "PRODUCT_RETIRED"),
    ("0247", "PRODUCT_EXPIRED"),
    ("0248", "INVALID_CLIENT_PRODCT"),
];

fn lookup(table: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The names of an `MMM.SSS.EEEE` code's parts: (module, section, error).
/// A part not in the seed's tables, or a code not of that shape, gives `None`
/// for that part.
pub fn decode_code(
    code: &str,
) -> (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
) {
    let parts: Vec<&str> = code.trim().split('.').collect();
    match parts.as_slice() {
        [m, s, e] => (lookup(MODULES, m), lookup(SECTIONS, s), lookup(ERRORS, e)),
        _ => (None, None, None),
    }
}

/// The wire form of `APIError` (public RA API reference, `APIError`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiError {
    #[serde(default)]
    uuid: Option<String>,
    error_code: String,
    #[serde(default)]
    error_messages: Option<Vec<Option<String>>>,
}

/// The error for a non-2xx response: a decoded `APIError` when the body is
/// one, `Auth` for a bare 401/403, otherwise `HttpStatus` with an excerpt.
pub fn error_of(resp: &HttpResponse, context: &str) -> Error {
    if let Ok(api) = serde_json::from_slice::<ApiError>(&resp.body) {
        let (module, section, error) = decode_code(&api.error_code);
        let messages: Vec<String> = api
            .error_messages
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect();
        let message = if messages.is_empty() {
            error.unwrap_or("error").to_string()
        } else {
            messages.join("; ")
        };
        return Error::provider(ProviderError {
            provider: Provider::SwissSign,
            status: resp.status,
            code: api.error_code.trim().to_string(),
            message,
            correlation_id: api.uuid,
            retry_after: None,
            details: ProviderDetails::SwissSign {
                module: module.map(str::to_string),
                section: section.map(str::to_string),
                error: error.map(str::to_string),
                messages,
            },
        });
    }
    if matches!(resp.status, 401 | 403) {
        return Error::Auth {
            reason: AuthReason::Rejected,
            code: None,
        };
    }
    Error::HttpStatus {
        context: context.to_string(),
        status: resp.status,
        excerpt: resp.body_excerpt(),
        retry_after: None,
    }
}

/// Ok for 2xx, else the decoded error.
pub fn check(resp: &HttpResponse, context: &str) -> Result<(), Error> {
    if resp.is_success() {
        Ok(())
    } else {
        Err(error_of(resp, context))
    }
}

/// A 2xx JSON body as `T`; an empty, non-UTF-8, truncated or wrongly typed
/// body is a protocol error naming `context`.
pub fn json<T: DeserializeOwned>(resp: &HttpResponse, context: &'static str) -> Result<T, Error> {
    check(resp, context)?;
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::protocol(context, "empty response body"));
    }
    let text = resp.text(context)?;
    serde_json::from_str(text)
        .map_err(|e| Error::protocol(context, format!("unexpected JSON: {e}")))
}

/// A 2xx whose body, if any, is ignored (`204` for delete, revoke and the
/// dry-run validate).
pub fn empty(resp: &HttpResponse, context: &str) -> Result<(), Error> {
    check(resp, context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_seed_example_shape() {
        assert_eq!(
            decode_code("011.351.0226"),
            (
                Some("MODULE_RAO_API"),
                Some("SECTION_RAO_API_FORM_VALIDATION"),
                Some("VALIDATION")
            )
        );
        assert_eq!(
            decode_code("001.002.0003"),
            (Some("MODULE_COMMONS"), None, None)
        );
        assert_eq!(decode_code("garbage"), (None, None, None));
    }

    #[test]
    fn html_and_bare_statuses() {
        let html = HttpResponse::new(502, "<html><body>Bad gateway</body></html>");
        let e = error_of(&html, "order status");
        assert_eq!(e.kind(), "http_status");
        assert_eq!(e.status(), Some(502));
        assert_eq!(error_of(&HttpResponse::new(401, ""), "x").kind(), "auth");
    }
}
