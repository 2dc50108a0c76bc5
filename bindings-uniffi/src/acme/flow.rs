//! Issuance options and [`AcmeIssueFlow`], the issuance state machine the
//! host drives with its own HTTP stack, clock and challenge publishing.

use std::sync::{Arc, Mutex};

use certbridge::acme::directory::Directory;
use certbridge::acme::flow::AccountOptions;
use certbridge::acme::order::Order;
use certbridge::acme::{self as core, ChallengeType, Identifier, IssueOptions, Issued};
use certbridge::{ChallengeTask, Deadline, Flow as _, HttpRequest, HttpResponse, Step, Timestamp};

use super::keys::{AcmeAccountKey, AcmeEabKey};
use crate::error::CertbridgeError;

type Result<T> = std::result::Result<T, CertbridgeError>;

/// What to issue. Only `identifiers` and `csr` are required.
#[derive(Clone, Debug, uniffi::Record)]
pub struct AcmeIssueOptions {
    /// The identifiers (the CSR must name the same ones).
    pub identifiers: Vec<Identifier>,
    /// The CSR, DER or PEM, made with the certificate key.
    pub csr: Vec<u8>,
    /// Challenge types in order of preference (default: http-01, dns-01,
    /// tls-alpn-01).
    #[uniffi(default = None)]
    pub challenge_types: Option<Vec<ChallengeType>>,
    /// Profile (draft-ietf-acme-profiles); with IdenTrust the profile is the
    /// directory instead.
    #[uniffi(default = None)]
    pub profile: Option<String>,
    /// ARI certID of the certificate this one replaces (RFC 9773 section 5).
    #[uniffi(default = None)]
    pub replaces: Option<String>,
    /// Requested `notBefore` (RFC 3339).
    #[uniffi(default = None)]
    pub not_before: Option<String>,
    /// Requested `notAfter` (RFC 3339).
    #[uniffi(default = None)]
    pub not_after: Option<String>,
    /// Also download the alternate chains.
    #[uniffi(default = false)]
    pub fetch_alternates: bool,
    /// Give up with a `timeout` error at this time (unix milliseconds).
    #[uniffi(default = None)]
    pub deadline: Option<Timestamp>,
}

impl From<AcmeIssueOptions> for IssueOptions {
    fn from(o: AcmeIssueOptions) -> Self {
        let mut options = IssueOptions::new(o.identifiers, o.csr);
        if let Some(types) = o.challenge_types {
            options.challenge_types = types;
        }
        options.profile = o.profile;
        options.replaces = o.replaces;
        options.not_before = o.not_before;
        options.not_after = o.not_after;
        options.fetch_alternates = o.fetch_alternates;
        options.deadline = o.deadline.map_or(Deadline::NONE, Deadline::at);
        options
    }
}

/// What a new account sends besides the key.
#[derive(Clone, Debug, uniffi::Record)]
pub struct AcmeAccountOptions {
    /// Contact URLs (`mailto:...`).
    #[uniffi(default = [])]
    pub contact: Vec<String>,
    /// Agree to the terms of service.
    #[uniffi(default = true)]
    pub terms_of_service_agreed: bool,
    /// External Account Binding (required by IdenTrust).
    #[uniffi(default = None)]
    pub eab: Option<Arc<AcmeEabKey>>,
}

impl Default for AcmeAccountOptions {
    /// No contact, terms agreed (as the core client), no EAB.
    fn default() -> Self {
        AcmeAccountOptions {
            contact: Vec::new(),
            terms_of_service_agreed: true,
            eab: None,
        }
    }
}

impl From<AcmeAccountOptions> for AccountOptions {
    fn from(o: AcmeAccountOptions) -> Self {
        AccountOptions {
            contact: o.contact,
            terms_of_service_agreed: o.terms_of_service_agreed,
            eab: o.eab.map(|e| e.0.clone()),
            only_return_existing: false,
        }
    }
}

/// What the host must do next for an [`AcmeIssueFlow`].
// Serialised into a buffer at the FFI on every `next`: the size of the
// in-memory value does not matter there, and uniffi cannot lower a `Box`.
#[allow(clippy::large_enum_variant)]
#[derive(uniffi::Enum)]
pub enum AcmeStep {
    /// Send this request and pass the response to `receive`.
    Send {
        /// The request to send.
        request: HttpRequest,
    },
    /// Call `next` again at this time (unix milliseconds).
    Wait {
        /// When to continue.
        until: Timestamp,
    },
    /// Publish these proofs (HTTP file, DNS TXT record, TLS-ALPN
    /// certificate), then call `solved`.
    Solve {
        /// What to publish.
        tasks: Vec<ChallengeTask>,
    },
    /// Finished: the certificate is issued.
    Done {
        /// The result.
        issued: Issued,
    },
}

/// Issuance as a state machine the host drives with its own HTTP stack,
/// clock and challenge publishing: call `next(now)`, send what it asks and
/// hand the answer to `receive`, publish the tasks of a `Solve` step and
/// call `solved`, until `Done`. Nonces, `badNonce` retries, account
/// creation (with EAB), polling and download happen inside.
#[derive(uniffi::Object)]
pub struct AcmeIssueFlow(Mutex<core::IssueFlow>);

#[uniffi::export]
impl AcmeIssueFlow {
    /// A flow at `directory` signing with `key`. With `account_url` the
    /// account is known; otherwise it is created (or found) first with
    /// `account`.
    #[uniffi::constructor(default(account = None, account_url = None))]
    pub fn new(
        directory: Directory,
        key: Arc<AcmeAccountKey>,
        options: AcmeIssueOptions,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
    ) -> Arc<Self> {
        let mut session = core::Session::new(directory, key.0.clone());
        if let Some(url) = account_url {
            session = session.with_account_url(url);
        }
        let mut options = IssueOptions::from(options);
        options.account = account.unwrap_or_default().into();
        Arc::new(AcmeIssueFlow(Mutex::new(core::IssueFlow::new(
            session, options,
        ))))
    }

    /// The next step at `now` (unix milliseconds).
    pub fn next(&self, now: Timestamp) -> Result<AcmeStep> {
        Ok(match self.lock()?.next(now)? {
            Step::Send(request) => AcmeStep::Send { request },
            Step::Wait(until) => AcmeStep::Wait { until },
            Step::Solve(tasks) => AcmeStep::Solve { tasks },
            Step::Done(issued) => AcmeStep::Done { issued },
        })
    }

    /// Hands the response to the request of the last `Send` step to the
    /// flow.
    pub fn receive(&self, response: HttpResponse, now: Timestamp) -> Result<()> {
        Ok(self.lock()?.receive(response, now)?)
    }

    /// The request of the last `Send` step failed without an answer
    /// (`reason`: what the host's HTTP stack said). The flow repeats a read
    /// that is safe to repeat, after a `Wait` step, or ends with an
    /// `ambiguous` error for a submission (issue 14, item 14).
    pub fn send_failed(&self, reason: String, now: Timestamp) -> Result<()> {
        Ok(self
            .lock()?
            .send_failed(certbridge::Error::transport(reason), now)?)
    }

    /// Tells the flow the tasks of the last `Solve` step are published.
    pub fn solved(&self) -> Result<()> {
        Ok(self.lock()?.solved()?)
    }

    /// The order, once `newOrder` has answered.
    pub fn order(&self) -> Option<Order> {
        self.lock().ok()?.order().cloned()
    }

    /// The account URL, once known: keep it to skip the account step next
    /// time.
    pub fn account_url(&self) -> Option<String> {
        self.lock()
            .ok()?
            .session()
            .account_url()
            .map(str::to_string)
    }
}

impl AcmeIssueFlow {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, core::IssueFlow>> {
        self.0.lock().map_err(|_| {
            certbridge::Error::protocol("acme issue", "the flow failed earlier").into()
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn options_keep_the_core_defaults_unless_given() {
        let id = Identifier::dns("a.example").unwrap();
        let bare = AcmeIssueOptions {
            identifiers: vec![id.clone()],
            csr: vec![0x30, 0],
            challenge_types: None,
            profile: None,
            replaces: None,
            not_before: None,
            not_after: None,
            fetch_alternates: false,
            deadline: None,
        };
        let core = IssueOptions::from(bare.clone());
        let defaults = IssueOptions::new(vec![id], vec![0x30, 0]);
        assert_eq!(core.challenge_types, defaults.challenge_types);
        assert_eq!(core.deadline, Deadline::NONE);
        assert_eq!(core.backoff, defaults.backoff);
        let given = IssueOptions::from(AcmeIssueOptions {
            challenge_types: Some(vec![ChallengeType::Dns01]),
            deadline: Some(Timestamp::from_secs(5)),
            profile: Some("tls".into()),
            ..bare
        });
        assert_eq!(given.challenge_types, vec![ChallengeType::Dns01]);
        assert_eq!(given.deadline, Deadline::at(Timestamp::from_secs(5)));
        assert_eq!(given.profile.as_deref(), Some("tls"));
        // Like the core client, a new account agrees to the terms by default.
        let account = AccountOptions::from(AcmeAccountOptions::default());
        assert!(account.terms_of_service_agreed && account.eab.is_none());
    }
}
