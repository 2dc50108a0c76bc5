//! Clients and their certificate products (swisssign-ra-api-v2,
//! `/v2/clients` and `/v2/client/{clientReference}`): where the `cli-` and
//! `pma-` references needed for every other call come from.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::http::{encode_query_value, HttpRequest, HttpResponse};
use crate::swisssign::auth::Session;
use crate::swisssign::error::json;
use crate::swisssign::page::{paging_query, with_query, Page};
use crate::swisssign::refs::{ClientRef, ProductRef};

/// How a product's validity is counted (public reference, `ProductValidity`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignProductValidity")
)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct ProductValidity {
    /// `YEARS`, `MONTHS`, `DAYS`, `HOURS`, `MINUTES` or `SECONDS`.
    pub validity_type: String,
    /// Default validity in those units.
    #[serde(default)]
    pub validity: Option<u64>,
    /// Validities a request may choose.
    #[serde(default)]
    pub validity_options: Vec<u64>,
}

/// A certificate product of a client (public reference, `Product`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignProduct")
)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct Product {
    /// The `pma-` reference to issue with.
    pub uuid: ProductRef,
    /// Product name.
    #[serde(default, alias = "name")]
    pub product_name: Option<String>,
    /// Further description.
    #[serde(default)]
    pub product_description: Option<String>,
    /// `PKCS10` for products that take a CSR.
    #[serde(default)]
    pub key_generation_type: Option<String>,
    /// Required key type, e.g. `RSA_2048`, `EC_secp256r1`.
    #[serde(default)]
    pub key_type: Option<String>,
    /// Whether issuance waits for an RA operator's authorization
    /// (the order then sits in `PENDING_AUTH`).
    #[serde(default)]
    pub authorization: Option<bool>,
    /// Whether CA/B Forum domain validation is required.
    #[serde(default, rename(deserialize = "isCABDNSValidationRequired"))]
    pub is_cab_dns_validation_required: Option<bool>,
    /// When the product expires, as sent.
    #[serde(default)]
    pub expiration_date: Option<String>,
    /// Validity settings.
    #[serde(default)]
    pub product_validity: Option<ProductValidity>,
}

/// A client (public reference, `Client`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignClientInfo")
)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct Client {
    /// The `cli-` reference.
    pub uuid: ClientRef,
    /// Client name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Products the operator may issue for this client.
    #[serde(default)]
    pub products: Vec<Product>,
}

/// `POST /v2/clients[?search=...]`: every client the operator may serve,
/// optionally filtered (`?` and `*` wildcards).
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchClients<'a> {
    /// Search text.
    pub search: Option<&'a str>,
}

fn search_query(search: Option<&str>) -> Vec<String> {
    search
        .filter(|s| !s.is_empty())
        .map(|s| vec![format!("search={}", encode_query_value(s))])
        .unwrap_or_default()
}

impl SearchClients<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        session.post(&with_query("/v2/clients", &search_query(self.search)))
    }

    /// The clients.
    pub fn parse(resp: &HttpResponse) -> Result<Vec<Client>, Error> {
        json(resp, "SwissSign client search")
    }
}

/// `POST /v2/clients/paged?search=&length=&start=`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchClientsPaged<'a> {
    /// Search text.
    pub search: Option<&'a str>,
    /// Offset of the first result.
    pub start: Option<u32>,
    /// Page size (the server caps it, 300 by default).
    pub length: Option<u32>,
}

impl SearchClientsPaged<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        let mut query = search_query(self.search);
        paging_query(&mut query, self.start, self.length);
        session.post(&with_query("/v2/clients/paged", &query))
    }

    /// One page of clients.
    pub fn parse(resp: &HttpResponse) -> Result<Page<Client>, Error> {
        json(resp, "SwissSign client search")
    }
}

/// `POST /v2/client/{clientReference}`.
#[derive(Clone, Copy, Debug)]
pub struct GetClient<'a> {
    /// The client.
    pub client: &'a ClientRef,
}

impl GetClient<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        session.post(&format!("/v2/client/{}", self.client))
    }

    /// The client.
    pub fn parse(resp: &HttpResponse) -> Result<Client, Error> {
        json(resp, "SwissSign client")
    }
}
