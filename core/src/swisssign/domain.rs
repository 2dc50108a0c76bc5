//! Domain pre-validation (swisssign-ra-api-v2, "Client domain owner check
//! management"): register names for a client, publish each token as a DNS
//! TXT record on the (punycode) name, then trigger validation. A validated
//! domain stays valid 13 months; a token 30 days.
//!
//! The seed's example: registering `déjà.vu.com` gives the token
//! `swiss-pki=CTvhWIvNCuEjIynG574gD5Jeopo`, published as TXT on
//! `xn--dj-kia8a.vu.com`. [`PrevalidatedDomain::txt_record`] is that record.

use serde::{Deserialize, Serialize};

use crate::crypto::csr::dns_to_ascii;
use crate::error::Error;
use crate::flow::ChallengeTask;
use crate::http::{HttpRequest, HttpResponse};
use crate::swisssign::auth::Session;
use crate::swisssign::compat::DomainListPath;
use crate::swisssign::error::{empty, json};
use crate::swisssign::refs::{ClientRef, DomainRef};

/// The prefix of a SwissSign DNS validation TXT value.
pub const TXT_PREFIX: &str = "swiss-pki=";

/// Status of a pre-validation (public reference,
/// `ClientDomainValidationStatus`); unknown values are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DomainStatus {
    /// Waiting for the TXT record to be checked.
    Pending,
    /// The validation (or its token) expired.
    Expired,
    /// Validated.
    Valid,
    /// Not validated.
    NotValidated,
    /// A value this SDK does not know, as sent.
    Other(String),
}

impl DomainStatus {
    fn from_wire(s: &str) -> Self {
        match s {
            "PENDING" => DomainStatus::Pending,
            "EXPIRED" => DomainStatus::Expired,
            "VALID" => DomainStatus::Valid,
            "NOT_VALIDATED" => DomainStatus::NotValidated,
            other => DomainStatus::Other(other.to_string()),
        }
    }

    /// The wire spelling.
    pub fn as_str(&self) -> &str {
        match self {
            DomainStatus::Pending => "PENDING",
            DomainStatus::Expired => "EXPIRED",
            DomainStatus::Valid => "VALID",
            DomainStatus::NotValidated => "NOT_VALIDATED",
            DomainStatus::Other(s) => s,
        }
    }
}

// Foreign languages see the status as its wire string (`VALID`, ...).
#[cfg(feature = "uniffi")]
uniffi::custom_type!(DomainStatus, String, {
    lower: |s| s.as_str().to_string(),
    try_lift: |s| Ok(DomainStatus::from_wire(&s)),
});

impl Serialize for DomainStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DomainStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| DomainStatus::from_wire(&s))
    }
}

/// The DNS record that proves control of a domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignTxtRecord")
)]
pub struct DnsTxtRecord {
    /// Owner name, ASCII (punycode) form.
    pub name: String,
    /// Record value, `swiss-pki=<token>`.
    pub value: String,
}

/// A registered client domain (public reference, `ClientDNS`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "SwissSignDomain")
)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct PrevalidatedDomain {
    /// The `cld-` reference.
    pub uuid: DomainRef,
    /// The domain in punycode (`punycodeName` on some servers).
    #[serde(default, alias = "punycodeName")]
    pub domain: Option<String>,
    /// The domain in Unicode (`name` on some servers).
    #[serde(default, alias = "name")]
    pub domain_unicode: Option<String>,
    /// Whether validated.
    #[serde(default)]
    pub validated: bool,
    /// Whether a trusted (private PKI) domain.
    #[serde(default)]
    pub trusted_domain: bool,
    /// When validated, as sent.
    #[serde(default)]
    pub time_validated: Option<String>,
    /// Validation method, e.g. `DNS_TXT`.
    #[serde(default)]
    pub validation_method: Option<String>,
    /// The token (`randomValue`, or `token` on some servers), when one is
    /// outstanding.
    #[serde(default, alias = "token")]
    pub random_value: Option<String>,
    /// When the token was made, as sent.
    #[serde(default)]
    pub random_value_time_created: Option<String>,
    /// When the token expires, as sent.
    #[serde(default)]
    pub random_value_time_expire: Option<String>,
    /// Result of the last validation.
    #[serde(default)]
    pub validation_result: Option<String>,
    /// Whether the pre-validation expired.
    #[serde(default)]
    pub expired: bool,
    /// Whether the token expired.
    #[serde(default)]
    pub random_value_time_expired: bool,
    /// Status.
    #[serde(default)]
    pub status: Option<DomainStatus>,
    /// The TXT record to publish, derived on parse (not on the wire).
    #[serde(default, skip_deserializing)]
    pub txt_record: Option<DnsTxtRecord>,
}

impl PrevalidatedDomain {
    /// The TXT record for the outstanding token: on the punycode name (from
    /// `domain`, or computed from `domainUnicode`), value `swiss-pki=<token>`
    /// whether or not the server already put the prefix in the token.
    pub fn compute_txt_record(&self) -> Option<DnsTxtRecord> {
        let token = self.random_value.as_deref()?.trim();
        if token.is_empty() {
            return None;
        }
        let name = self
            .domain
            .as_deref()
            .or(self.domain_unicode.as_deref())
            .and_then(dns_to_ascii)?;
        let value = if token.starts_with(TXT_PREFIX) {
            token.to_string()
        } else {
            format!("{TXT_PREFIX}{token}")
        };
        Some(DnsTxtRecord { name, value })
    }

    /// The record as a task for [`crate::flow::Host::solve`].
    pub fn challenge_task(&self) -> Option<ChallengeTask> {
        let record = self
            .txt_record
            .clone()
            .or_else(|| self.compute_txt_record())?;
        Some(ChallengeTask::DnsTxt {
            domain: self
                .domain_unicode
                .clone()
                .unwrap_or_else(|| record.name.clone()),
            name: record.name,
            value: record.value,
        })
    }

    fn with_record(mut self) -> Self {
        self.txt_record = self.compute_txt_record();
        // Servers that report only a status (no `validated` flag) still
        // mean the same thing by VALIDATED.
        if self
            .status
            .as_ref()
            .is_some_and(|s| matches!(s.as_str(), "VALID" | "VALIDATED"))
        {
            self.validated = true;
        }
        self
    }
}

fn one(resp: &HttpResponse, context: &'static str) -> Result<PrevalidatedDomain, Error> {
    json::<PrevalidatedDomain>(resp, context).map(PrevalidatedDomain::with_record)
}

fn many(resp: &HttpResponse, context: &'static str) -> Result<Vec<PrevalidatedDomain>, Error> {
    json::<Vec<PrevalidatedDomain>>(resp, context).map(|list| {
        list.into_iter()
            .map(PrevalidatedDomain::with_record)
            .collect()
    })
}

/// `POST /v2/client/domain/{cli}/register` with a JSON array of names
/// (Unicode allowed; sent as given, the server stores both forms).
#[derive(Clone, Copy, Debug)]
pub struct RegisterDomains<'a> {
    /// The client.
    pub client: &'a ClientRef,
    /// Names to register.
    pub domains: &'a [String],
}

impl RegisterDomains<'_> {
    /// The request; every name is checked to be a DNS name first.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        if self.domains.is_empty() {
            return Err(Error::invalid_input("domains", "no domain to register"));
        }
        let mut names = Vec::with_capacity(self.domains.len());
        for (i, d) in self.domains.iter().enumerate() {
            let name = d.trim();
            if dns_to_ascii(name).is_none() || name.starts_with("*.") {
                return Err(Error::invalid_input(
                    format!("domains[{i}]"),
                    "not a domain name",
                ));
            }
            names.push(name);
        }
        let body = serde_json::to_vec(&names)
            .map_err(|_| Error::invalid_input("domains", "cannot encode"))?;
        Ok(session
            .post(&format!("/v2/client/domain/{}/register", self.client))?
            .json_body(body))
    }

    /// The registered domains with their tokens and TXT records.
    pub fn parse(resp: &HttpResponse) -> Result<Vec<PrevalidatedDomain>, Error> {
        many(resp, "SwissSign domain registration")
    }
}

/// `POST /v2/client/domain/{cli}/list` (or `/domains/`, per
/// [`DomainListPath`] in the session's compatibility settings).
#[derive(Clone, Copy, Debug)]
pub struct ListDomains<'a> {
    /// The client.
    pub client: &'a ClientRef,
}

impl ListDomains<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        let segment = match session.config().compat.domain_list_path {
            DomainListPath::Domain => "domain",
            DomainListPath::Domains => "domains",
        };
        session.post(&format!("/v2/client/{segment}/{}/list", self.client))
    }

    /// The client's domains.
    pub fn parse(resp: &HttpResponse) -> Result<Vec<PrevalidatedDomain>, Error> {
        many(resp, "SwissSign domain list")
    }
}

/// What to do with one pre-validated domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "SwissSignDomainAction")
)]
pub enum DomainAction {
    /// `POST /v2/client/domain/{cld}`: read it.
    Get,
    /// `.../validate`: check the TXT record now.
    Validate,
    /// `.../token/reset`: issue a new token.
    ResetToken,
    /// `.../token/delete`: drop the token.
    DeleteToken,
}

/// One call on a pre-validated domain that answers with the domain.
#[derive(Clone, Copy, Debug)]
pub struct DomainCall<'a> {
    /// The domain.
    pub domain: &'a DomainRef,
    /// Which call.
    pub action: DomainAction,
}

impl DomainCall<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        let suffix = match self.action {
            DomainAction::Get => "",
            DomainAction::Validate => "/validate",
            DomainAction::ResetToken => "/token/reset",
            DomainAction::DeleteToken => "/token/delete",
        };
        session.post(&format!("/v2/client/domain/{}{suffix}", self.domain))
    }

    /// The domain after the call.
    pub fn parse(resp: &HttpResponse) -> Result<PrevalidatedDomain, Error> {
        one(resp, "SwissSign pre-validated domain")
    }
}

/// `POST /v2/client/domain/{cld}/delete` (answers 204).
#[derive(Clone, Copy, Debug)]
pub struct DeleteDomain<'a> {
    /// The domain.
    pub domain: &'a DomainRef,
}

impl DeleteDomain<'_> {
    /// The request.
    pub fn request(&self, session: &Session) -> Result<HttpRequest, Error> {
        session.post(&format!("/v2/client/domain/{}/delete", self.domain))
    }

    /// Success or the error.
    pub fn parse(resp: &HttpResponse) -> Result<(), Error> {
        empty(resp, "SwissSign domain deletion")
    }
}
