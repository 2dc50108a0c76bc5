//! `AcmeClient` (any RFC 8555 server) and `IdenTrustClient` (the reseller
//! API that hands out the EAB credentials for IdenTrust's ACME directories).

use std::sync::Mutex;

use super::driver::Driver;
use crate::acme::directory::GetDirectory;
use crate::acme::flow::AccountOptions;
use crate::acme::{
    Account, AccountKey, Authorization, CertificateChain, Directory, EabKey, Identifier, IssueFlow,
    IssueOptions, Issued, Order, RenewalInfo, Session,
};
use crate::error::Error;
use crate::identrust::reseller::{CreateAccount, ResellerAccount};
use crate::identrust::Environment;
use crate::secret::Secret;

/// Template for new sessions: every concurrent operation gets a session of
/// its own (its own nonces), made from this.
#[derive(Clone)]
struct Template {
    directory: Directory,
    key: AccountKey,
    account_url: Option<String>,
    /// Bumped on key change; sessions of an older generation are dropped.
    generation: u64,
}

/// An ACME client for one account at one directory.
///
/// Operations may run concurrently: each takes an idle session (or makes a
/// new one) so nonces are never shared, and returns it afterwards so the
/// next operation reuses its pooled nonce instead of asking for a new one.
pub struct AcmeClient {
    driver: Driver,
    template: Mutex<Template>,
    idle: Mutex<Vec<(u64, Session)>>,
    account: AccountOptions,
}

impl std::fmt::Debug for AcmeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcmeClient")
            .field("account_url", &self.account_url())
            .finish_non_exhaustive()
    }
}

impl AcmeClient {
    /// Fetches the directory at `directory_url` (`https`, or `http` to a
    /// loopback host: the account key's requests and the EAB binding follow
    /// from it, issue 14 item 9) and makes a client signing with `key`.
    pub async fn connect(
        driver: Driver,
        directory_url: &str,
        key: AccountKey,
    ) -> Result<Self, Error> {
        Self::connect_allowing_insecure_http(driver, directory_url, key, false).await
    }

    /// [`AcmeClient::connect`], fetching an `http` directory on any host
    /// when `allow_insecure_http` is true (an explicit opt-in). Only the
    /// directory itself: every URL it hands out must still be `https`
    /// (RFC 8555 section 6.1, [`crate::acme::guard`]).
    pub async fn connect_allowing_insecure_http(
        driver: Driver,
        directory_url: &str,
        key: AccountKey,
        allow_insecure_http: bool,
    ) -> Result<Self, Error> {
        crate::http::credential_base_url("directory", directory_url, allow_insecure_http)?;
        let response = driver.send(GetDirectory::request(directory_url)).await?;
        let directory = GetDirectory::parse_at(&response, driver.now(), directory_url)?;
        Ok(Self::with_directory(driver, directory, key))
    }

    /// A client for an already fetched directory.
    pub fn with_directory(driver: Driver, directory: Directory, key: AccountKey) -> Self {
        AcmeClient {
            driver,
            template: Mutex::new(Template {
                directory,
                key,
                account_url: None,
                generation: 0,
            }),
            idle: Mutex::new(Vec::new()),
            account: AccountOptions {
                terms_of_service_agreed: true,
                ..AccountOptions::default()
            },
        }
    }

    /// Binds new accounts to an external account (RFC 8555 section 7.3.4).
    pub fn with_eab(mut self, eab: EabKey) -> Self {
        self.account.eab = Some(eab);
        self
    }

    /// Contact URLs (`mailto:...`) for a new account.
    pub fn with_contact(mut self, contact: Vec<String>) -> Self {
        self.account.contact = contact;
        self
    }

    /// Resumes a known account instead of looking it up.
    pub fn with_account_url(self, url: &str) -> Self {
        if let Ok(mut t) = self.template.lock() {
            t.account_url = Some(url.to_string());
        }
        self
    }

    /// The directory.
    pub fn directory(&self) -> Option<Directory> {
        self.template.lock().ok().map(|t| t.directory.clone())
    }

    /// The account URL, once known.
    pub fn account_url(&self) -> Option<String> {
        self.template
            .lock()
            .ok()
            .and_then(|t| t.account_url.clone())
    }

    /// The account key in use (after a key change, the new one).
    pub fn key(&self) -> Option<AccountKey> {
        self.template.lock().ok().map(|t| t.key.clone())
    }

    fn checkout(&self) -> Result<(u64, Session), Error> {
        let template = self
            .template
            .lock()
            .map_err(|_| Error::protocol("acme client", "state lock poisoned"))?
            .clone();
        if let Ok(mut idle) = self.idle.lock() {
            idle.retain(|(g, _)| *g == template.generation);
            if let Some(s) = idle.pop() {
                return Ok(s);
            }
        }
        let mut session = Session::new(template.directory, template.key);
        if let Some(url) = template.account_url {
            session = session.with_account_url(url);
        }
        Ok((template.generation, session))
    }

    fn checkin(&self, generation: u64, session: Session) {
        if let Ok(mut t) = self.template.lock() {
            if t.generation != generation {
                return;
            }
            if t.account_url.is_none() {
                t.account_url = session.account_url().map(str::to_string);
            }
        }
        if let Ok(mut idle) = self.idle.lock() {
            idle.push((generation, session));
        }
    }

    /// Creates the account (with EAB when configured), or finds the one the
    /// key already has. Issuance does this by itself when needed.
    pub async fn account(&self) -> Result<Account, Error> {
        let (generation, session) = self.checkout()?;
        let mut flow = session.new_account(self.account.clone());
        let result = self.driver.run(&mut flow).await;
        self.checkin(generation, flow.into_session());
        result
    }

    /// Looks the key's account up without creating one.
    pub async fn find_account(&self) -> Result<Account, Error> {
        let (generation, session) = self.checkout()?;
        let mut flow = session.find_account();
        let result = self.driver.run(&mut flow).await;
        self.checkin(generation, flow.into_session());
        result
    }

    /// Issues a certificate for `options` (identifiers and CSR), solving
    /// challenges with the driver's solver.
    pub async fn issue(&self, mut options: IssueOptions) -> Result<Issued, Error> {
        if options.account.eab.is_none() && options.account.contact.is_empty() {
            options.account = self.account.clone();
        }
        let (generation, session) = self.checkout()?;
        let mut flow = IssueFlow::new(session, options);
        let result = self.driver.run(&mut flow).await;
        self.checkin(generation, flow.into_session());
        result
    }

    /// Issues for DNS names with a CSR (DER or PEM).
    pub async fn issue_for(&self, names: &[String], csr: &[u8]) -> Result<Issued, Error> {
        let identifiers = names
            .iter()
            .map(|n| Identifier::dns(n))
            .collect::<Result<Vec<_>, _>>()?;
        let csr = crate::acme::order::csr_der(csr)?;
        self.issue(IssueOptions::new(identifiers, csr)).await
    }

    /// The server's renewal window for `certificate` (RFC 9773), or `None`
    /// when the directory has no `renewalInfo`.
    pub async fn renewal_info(&self, certificate: &[u8]) -> Result<Option<RenewalInfo>, Error> {
        let (generation, session) = self.checkout()?;
        if session.directory().renewal_info.is_none() {
            self.checkin(generation, session);
            return Ok(None);
        }
        let request = session.renewal_info_request(certificate);
        self.checkin(generation, session);
        let response = self.driver.send(request?).await?;
        crate::acme::ari::GetRenewalInfo::parse(&response, self.driver.now()).map(Some)
    }

    /// Renews `certificate`: a new order for `options` that names the old
    /// certificate in `replaces` (RFC 9773 section 5) when the server offers
    /// ARI. The flow drops `replaces` once if the server refuses it.
    pub async fn renew(
        &self,
        certificate: &[u8],
        mut options: IssueOptions,
    ) -> Result<Issued, Error> {
        let ari = self.directory().is_some_and(|d| d.renewal_info.is_some());
        if ari && options.replaces.is_none() {
            options.replaces = Some(crate::acme::cert_id(certificate)?);
        }
        self.issue(options).await
    }

    /// Revokes `certificate` (PEM or DER) as the account; `reason` is an
    /// RFC 5280 CRLReason code.
    pub async fn revoke(&self, certificate: &[u8], reason: Option<u8>) -> Result<(), Error> {
        self.call(|s| s.revoke(certificate, reason)).await
    }

    /// Revokes `certificate` by signing with its own private key.
    pub async fn revoke_with_certificate_key(
        &self,
        certificate: &[u8],
        certificate_key: AccountKey,
        reason: Option<u8>,
    ) -> Result<(), Error> {
        // Signed with the certificate's key (`jwk`): no account is needed.
        self.call_without_account(|s| {
            s.revoke_with_certificate_key(certificate, certificate_key, reason)
        })
        .await
    }

    /// Fetches an order.
    pub async fn order(&self, url: &str) -> Result<Order, Error> {
        self.call(|s| s.get_order(url)).await
    }

    /// Fetches an authorization.
    pub async fn authorization(&self, url: &str) -> Result<Authorization, Error> {
        self.call(|s| s.get_authorization(url)).await
    }

    /// Pre-authorizes an identifier where the directory offers `newAuthz`.
    pub async fn new_authorization(&self, identifier: Identifier) -> Result<Authorization, Error> {
        self.call(|s| s.new_authz(identifier)).await
    }

    /// Deactivates an authorization.
    pub async fn deactivate_authorization(&self, url: &str) -> Result<Authorization, Error> {
        self.call(|s| s.deactivate_authorization(url)).await
    }

    /// Downloads a certificate chain.
    pub async fn download(&self, url: &str) -> Result<CertificateChain, Error> {
        self.call(|s| s.download_certificate(url)).await
    }

    /// Rolls the account over to `new_key`; later operations sign with it.
    pub async fn change_key(&self, new_key: AccountKey) -> Result<(), Error> {
        self.ensure_account().await?;
        let (generation, session) = self.checkout()?;
        let mut flow = session.change_key(new_key.clone());
        let result = self.driver.run(&mut flow).await;
        let session = flow.into_session();
        if result.is_ok() {
            if let Ok(mut t) = self.template.lock() {
                t.key = new_key;
                t.generation = t.generation.wrapping_add(1);
                t.account_url = session
                    .account_url()
                    .map(str::to_string)
                    .or(t.account_url.take());
            }
            if let Ok(mut idle) = self.idle.lock() {
                idle.clear();
            }
        } else {
            self.checkin(generation, session);
        }
        result
    }

    /// Deactivates the account; it cannot be used afterwards.
    pub async fn deactivate(&self) -> Result<Account, Error> {
        self.ensure_account().await?;
        let (generation, session) = self.checkout()?;
        let mut flow = session.deactivate_account();
        let result = self.driver.run(&mut flow).await;
        self.checkin(generation, flow.into_session());
        result
    }

    /// Calls signed with the account's `kid` need its URL: a client resumed
    /// from a key file learns it first (newAccount answers a known key with
    /// its account, RFC 8555 section 7.3.1).
    async fn ensure_account(&self) -> Result<(), Error> {
        if self.account_url().is_none() {
            self.account().await?;
        }
        Ok(())
    }

    async fn call<T, F>(&self, make: F) -> Result<T, Error>
    where
        F: FnOnce(Session) -> crate::acme::CallFlow<T>,
        T: Send,
    {
        self.ensure_account().await?;
        self.call_without_account(make).await
    }

    async fn call_without_account<T, F>(&self, make: F) -> Result<T, Error>
    where
        F: FnOnce(Session) -> crate::acme::CallFlow<T>,
        T: Send,
    {
        let (generation, session) = self.checkout()?;
        let mut flow = make(session);
        let result = self.driver.run(&mut flow).await;
        self.checkin(generation, flow.into_session());
        result
    }
}

/// IdenTrust's reseller API: creates customer accounts whose EAB credentials
/// open IdenTrust's ACME directories (identrust-reseller-acme.txt).
pub struct IdenTrustClient {
    driver: Driver,
    environment: Environment,
    api_key: Secret,
}

impl std::fmt::Debug for IdenTrustClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdenTrustClient")
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

impl IdenTrustClient {
    /// A client for `environment` with the reseller API key.
    pub fn new(driver: Driver, environment: Environment, api_key: Secret) -> Self {
        IdenTrustClient {
            driver,
            environment,
            api_key,
        }
    }

    /// The environment.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// `POST /account {customer_email}`: a customer account with its EAB key.
    pub async fn create_account(&self, customer_email: &str) -> Result<ResellerAccount, Error> {
        let request = CreateAccount { customer_email }
            .request(&self.environment.reseller_base, &self.api_key)?;
        let response = self.driver.send(request).await?;
        CreateAccount::parse(&response, self.driver.now())
    }

    /// An ACME client for `profile` (e.g. `TLS-90d`) bound to `account`'s EAB
    /// credentials, signing with `key`.
    pub async fn acme_client(
        &self,
        profile: &str,
        account: &ResellerAccount,
        key: AccountKey,
    ) -> Result<AcmeClient, Error> {
        let url = self.environment.directory_url(profile)?;
        let client = AcmeClient::connect(self.driver.clone(), &url, key).await?;
        let contact = account
            .email
            .iter()
            .map(|e| format!("mailto:{e}"))
            .collect();
        Ok(client.with_eab(account.eab.clone()).with_contact(contact))
    }
}
