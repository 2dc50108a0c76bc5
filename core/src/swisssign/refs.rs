//! Typed SwissSign references: `cli-`, `pma-`, `ord-` and `cld-` followed by
//! a UUID (public RA API reference, path patterns such as
//! `ord-[0-9a-f-]{36}`; swisssign-ra-api-v2 uses them in every path).
//!
//! A reference goes into a URL path, so it is checked before anything is
//! sent: a wrong prefix (an order reference where a product belongs) or a
//! stray `/` is an input error naming the field, not a 404 from the server.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Whether `s` is a canonical 8-4-4-4-12 hex UUID (either case).
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8usize, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn check(prefix: &'static str, field: &str, value: &str) -> Result<String, Error> {
    let value = value.trim();
    match value.strip_prefix(prefix) {
        Some(uuid) if is_uuid(uuid) => Ok(value.to_ascii_lowercase()),
        Some(_) => Err(Error::invalid_input(
            field,
            format!("expected {prefix} followed by a UUID"),
        )),
        None => Err(Error::invalid_input(
            field,
            format!("expected a reference starting with {prefix}"),
        )),
    }
}

macro_rules! reference {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The prefix every such reference starts with.
            pub const PREFIX: &'static str = $prefix;

            /// Checks and wraps a reference (lower-cased).
            pub fn new(value: &str) -> Result<Self, Error> {
                check($prefix, $field, value).map($name)
            }

            /// The reference text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                Self::new(&s)
            }
        }

        impl From<$name> for String {
            fn from(r: $name) -> String {
                r.0
            }
        }

        // Foreign languages see the reference as a string; a malformed one
        // handed back fails to lift (validate first with the binding's
        // `swisssign_*_ref` functions to get a typed `invalid_input`).
        #[cfg(feature = "uniffi")]
        uniffi::custom_type!($name, String, {
            lower: |r| r.0,
            try_lift: |s| Ok($name::new(&s)?),
        });
    };
}

reference!(
    /// A client (`cli-<uuid>`): the organisation certificates are issued for.
    ClientRef,
    "cli-",
    "client_reference"
);
reference!(
    /// A certificate product of a client (`pma-<uuid>`).
    ProductRef,
    "pma-",
    "product_reference"
);
reference!(
    /// A certificate order (`ord-<uuid>`).
    OrderRef,
    "ord-",
    "order_reference"
);
reference!(
    /// A pre-validated client domain (`cld-<uuid>`).
    DomainRef,
    "cld-",
    "domain_reference"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_uuids_are_checked() {
        let ord = OrderRef::new("ord-157E726E-cf28-44cc-bfbe-485c0a5abe7b").unwrap();
        assert_eq!(ord.as_str(), "ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b");
        let err = ProductRef::new("ord-157e726e-cf28-44cc-bfbe-485c0a5abe7b").unwrap_err();
        assert_eq!(err.field(), Some("product_reference"));
        for bad in [
            "",
            "cli-",
            "cli-xxxx",
            "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1ac",
            "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd/x",
            "cli-90dbaeb2-0047-49e7-bc5d1-c63848e1acd",
        ] {
            assert!(ClientRef::new(bad).is_err(), "{bad}");
        }
        let parsed: Result<DomainRef, _> =
            serde_json::from_str("\"cld-a45daaf0-78f8-49e9-83e9-3584f673c6e0\"");
        assert!(parsed.is_ok());
        assert!(
            serde_json::from_str::<DomainRef>("\"cli-a45daaf0-78f8-49e9-83e9-3584f673c6e0\"")
                .is_err()
        );
    }
}
