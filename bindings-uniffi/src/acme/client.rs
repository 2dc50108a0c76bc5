//! The async [`AcmeClient`]: every operation and whole task of
//! `certbridge::client::AcmeClient`, with the host's transport and solver.

use std::sync::Arc;

use certbridge::acme::ari::RenewalInfo;
use certbridge::acme::authorization::Authorization;
use certbridge::acme::directory::Directory;
use certbridge::acme::order::Order;
use certbridge::acme::{Account, AccountKey, CertificateChain, Identifier, Issued};
use certbridge::client::{CancelToken, Driver, SystemClock, TransportConfig};

use super::flow::{AcmeAccountOptions, AcmeIssueOptions};
use super::keys::AcmeAccountKey;
use crate::error::CertbridgeError;
use crate::solver::{solver_driver, ChallengeSolver};
use crate::transport::{transport_or_default, HttpTransport};

type Result<T> = std::result::Result<T, CertbridgeError>;

/// An ACME client for one account at one directory: one async method per
/// operation and per whole task (issue, renew, revoke). Concurrent calls
/// are safe (each gets its own nonces). Uses the host's [`HttpTransport`]
/// when given, else the built-in HTTPS client, and the host's
/// [`ChallengeSolver`] to publish challenges.
#[derive(uniffi::Object)]
pub struct AcmeClient {
    pub(crate) inner: certbridge::client::AcmeClient,
    pub(crate) cancel: CancelToken,
}

impl AcmeClient {
    pub(crate) fn configure(
        inner: certbridge::client::AcmeClient,
        cancel: CancelToken,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
    ) -> Arc<Self> {
        let mut inner = inner;
        if let Some(a) = account {
            if let Some(eab) = a.eab {
                inner = inner.with_eab(eab.0.clone());
            }
            if !a.contact.is_empty() {
                inner = inner.with_contact(a.contact);
            }
        }
        if let Some(url) = account_url {
            inner = inner.with_account_url(&url);
        }
        Arc::new(AcmeClient { inner, cancel })
    }
}

/// A driver for the host's transport (or the built-in one) and solver,
/// stopped by `cancel`.
pub(crate) fn driver(
    transport: Option<Arc<dyn HttpTransport>>,
    transport_config: Option<TransportConfig>,
    solver: Option<Arc<dyn ChallengeSolver>>,
    cancel: &CancelToken,
) -> Result<Driver> {
    let driver = Driver::new(
        transport_or_default(transport, transport_config)?,
        Arc::new(SystemClock),
    )
    .with_cancel(cancel.clone());
    Ok(solver_driver(driver, solver))
}

#[uniffi::export(async_runtime = "tokio")]
impl AcmeClient {
    /// A client for an already fetched `directory`, signing with `key`.
    /// `account`: contact and EAB for a new account; `account_url`: resume
    /// a known account; `transport`: the host's HTTP stack (default:
    /// built-in, configured by `transport_config`); `solver`: publishes
    /// challenges during `issue`.
    #[uniffi::constructor(default(account = None, account_url = None, transport = None, transport_config = None, solver = None))]
    pub fn new(
        directory: Directory,
        key: Arc<AcmeAccountKey>,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
        transport: Option<Arc<dyn HttpTransport>>,
        transport_config: Option<TransportConfig>,
        solver: Option<Arc<dyn ChallengeSolver>>,
    ) -> Result<Arc<Self>> {
        let cancel = CancelToken::new();
        let driver = driver(transport, transport_config, solver, &cancel)?;
        let inner =
            certbridge::client::AcmeClient::with_directory(driver, directory, key.0.clone());
        Ok(Self::configure(inner, cancel, account, account_url))
    }

    /// Fetches the directory at `directory_url` and makes a client (the
    /// other arguments as for the constructor). The directory must be `https`,
    /// or `http` to a loopback host or with `allow_insecure_http` (issue 14
    /// item 9).
    #[uniffi::constructor(default(account = None, account_url = None, transport = None, transport_config = None, solver = None, allow_insecure_http = false))]
    #[allow(clippy::too_many_arguments)]
    pub async fn connect(
        directory_url: String,
        key: Arc<AcmeAccountKey>,
        account: Option<AcmeAccountOptions>,
        account_url: Option<String>,
        transport: Option<Arc<dyn HttpTransport>>,
        transport_config: Option<TransportConfig>,
        solver: Option<Arc<dyn ChallengeSolver>>,
        allow_insecure_http: bool,
    ) -> Result<Arc<Self>> {
        let cancel = CancelToken::new();
        let driver = driver(transport, transport_config, solver, &cancel)?;
        let inner = certbridge::client::AcmeClient::connect_allowing_insecure_http(
            driver,
            &directory_url,
            key.0.clone(),
            allow_insecure_http,
        )
        .await?;
        Ok(Self::configure(inner, cancel, account, account_url))
    }

    /// The directory.
    pub fn directory(&self) -> Option<Directory> {
        self.inner.directory()
    }

    /// The account URL, once known (persist it with the key).
    pub fn account_url(&self) -> Option<String> {
        self.inner.account_url()
    }

    /// The account key in use (after `change_key`, the new one).
    pub fn key(&self) -> Option<Arc<AcmeAccountKey>> {
        self.inner.key().map(|k| Arc::new(AcmeAccountKey(k)))
    }

    /// Stops every running and future call of this client with a
    /// `cancelled` error.
    pub fn cancel(&self) {
        self.cancel.cancel()
    }

    /// Creates the account (with EAB when configured), or finds the one the
    /// key already has.
    pub async fn account(&self) -> Result<Account> {
        Ok(self.inner.account().await?)
    }

    /// Looks the key's account up without creating one.
    pub async fn find_account(&self) -> Result<Account> {
        Ok(self.inner.find_account().await?)
    }

    /// Issues a certificate, solving challenges with the solver.
    pub async fn issue(&self, options: AcmeIssueOptions) -> Result<Issued> {
        Ok(self.inner.issue(options.into()).await?)
    }

    /// Issues for DNS names with a CSR (DER or PEM).
    pub async fn issue_for(&self, names: Vec<String>, csr: Vec<u8>) -> Result<Issued> {
        Ok(self.inner.issue_for(&names, &csr).await?)
    }

    /// The server's renewal window for `certificate` (RFC 9773), or `None`
    /// when the directory has no `renewalInfo`.
    pub async fn renewal_info(&self, certificate: Vec<u8>) -> Result<Option<RenewalInfo>> {
        Ok(self.inner.renewal_info(&certificate).await?)
    }

    /// Renews `certificate` (PEM or DER): a new order naming it in
    /// `replaces` when the server offers ARI.
    pub async fn renew(&self, certificate: Vec<u8>, options: AcmeIssueOptions) -> Result<Issued> {
        Ok(self.inner.renew(&certificate, options.into()).await?)
    }

    /// Revokes `certificate` (PEM or DER) as the account; `reason` is an
    /// RFC 5280 CRLReason code.
    #[uniffi::method(default(reason = None))]
    pub async fn revoke(&self, certificate: Vec<u8>, reason: Option<u8>) -> Result<()> {
        Ok(self.inner.revoke(&certificate, reason).await?)
    }

    /// Revokes `certificate` signed by its own private key (PEM).
    #[uniffi::method(default(reason = None))]
    pub async fn revoke_with_certificate_key(
        &self,
        certificate: Vec<u8>,
        certificate_key_pem: String,
        reason: Option<u8>,
    ) -> Result<()> {
        let key = AccountKey::from_pem(&certificate_key_pem)?;
        Ok(self
            .inner
            .revoke_with_certificate_key(&certificate, key, reason)
            .await?)
    }

    /// Fetches an order.
    pub async fn order(&self, url: String) -> Result<Order> {
        Ok(self.inner.order(&url).await?)
    }

    /// Fetches an authorization.
    pub async fn authorization(&self, url: String) -> Result<Authorization> {
        Ok(self.inner.authorization(&url).await?)
    }

    /// Pre-authorizes an identifier where the directory offers `newAuthz`.
    pub async fn new_authorization(&self, identifier: Identifier) -> Result<Authorization> {
        Ok(self.inner.new_authorization(identifier).await?)
    }

    /// Deactivates an authorization.
    pub async fn deactivate_authorization(&self, url: String) -> Result<Authorization> {
        Ok(self.inner.deactivate_authorization(&url).await?)
    }

    /// Downloads a certificate chain (e.g. an alternate).
    pub async fn download(&self, url: String) -> Result<CertificateChain> {
        Ok(self.inner.download(&url).await?)
    }

    /// Rolls the account over to `new_key`; later calls sign with it.
    pub async fn change_key(&self, new_key: Arc<AcmeAccountKey>) -> Result<()> {
        Ok(self.inner.change_key(new_key.0.clone()).await?)
    }

    /// Deactivates the account; it cannot be used afterwards.
    pub async fn deactivate(&self) -> Result<Account> {
        Ok(self.inner.deactivate().await?)
    }
}
