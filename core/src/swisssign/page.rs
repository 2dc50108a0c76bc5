//! One page of a paged search (`/v2/clients/paged`, `/v2/orders/paged`;
//! public RA API reference, `Clients` and `CertificateOrders`).

use serde::{Deserialize, Serialize};

/// A page of results and the totals around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct Page<T> {
    /// Echo counter of the request (DataTables convention).
    #[serde(default)]
    pub draw: u64,
    /// Matches after filtering (not only this page).
    pub records_filtered: u64,
    /// Records before filtering.
    #[serde(default)]
    pub records_total: u64,
    /// This page.
    pub data: Vec<T>,
}

/// Appends `start`/`length` paging parameters to a query string.
pub(crate) fn paging_query(query: &mut Vec<String>, start: Option<u32>, length: Option<u32>) {
    if let Some(length) = length {
        query.push(format!("length={length}"));
    }
    if let Some(start) = start {
        query.push(format!("start={start}"));
    }
}

/// `path` with `?a&b` when there are parameters.
pub(crate) fn with_query(path: &str, query: &[String]) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}
