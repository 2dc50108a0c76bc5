//! IdenTrust's reseller ACME service for foreign languages
//! (identrust-reseller-acme.txt; core: `certbridge::identrust`): the
//! environment and profile directories, the reseller create-account
//! builder and parser, and the async [`IdenTrustClient`] that turns a
//! reseller account into an [`AcmeClient`] bound by EAB.

use std::sync::Arc;

use certbridge::client::{CancelToken, TransportConfig};
use certbridge::identrust::{CreateAccount, Environment, ResellerAccount};
use certbridge::{HttpRequest, HttpResponse, Secret, Timestamp};

use crate::acme::{driver, AcmeAccountKey, AcmeClient, AcmeEabKey};
use crate::error::CertbridgeError;
use crate::solver::ChallengeSolver;
use crate::transport::HttpTransport;

type Result<T> = std::result::Result<T, CertbridgeError>;

/// IdenTrust's staging environment (the seed's hosts).
#[uniffi::export]
pub fn identrust_staging() -> Environment {
    Environment::staging()
}

/// Any other environment (production hosts IdenTrust gives its resellers,
/// or a simulator); both must be `https` URLs, or `http` to a loopback host
/// or with `allow_insecure_http` (issue 14 item 9).
#[uniffi::export(default(allow_insecure_http = false))]
pub fn identrust_environment(
    reseller_base: String,
    acme_base: String,
    allow_insecure_http: bool,
) -> Result<Environment> {
    Ok(Environment::custom_allowing_insecure_http(
        &reseller_base,
        &acme_base,
        allow_insecure_http,
    )?)
}

/// The ACME directory URL of `profile` (e.g. `TLS-90d`):
/// `{acme_base}/acme/{profile}/directory`.
#[uniffi::export]
pub fn identrust_directory_url(environment: Environment, profile: String) -> Result<String> {
    Ok(environment.directory_url(&profile)?)
}

/// `POST {reseller_base}/account {customer_email}` with the reseller API
/// key.
#[uniffi::export]
pub fn identrust_create_account_request(
    reseller_base: String,
    api_key: String,
    customer_email: String,
) -> Result<HttpRequest> {
    Ok(CreateAccount {
        customer_email: &customer_email,
    }
    .request(&reseller_base, &Secret::new(api_key))?)
}

/// Parses the create-account answer: the customer account and its EAB
/// credentials (hmacKey normalised).
#[uniffi::export]
pub fn identrust_parse_create_account(
    response: HttpResponse,
    now: Timestamp,
) -> Result<Arc<IdenTrustAccount>> {
    Ok(Arc::new(IdenTrustAccount(CreateAccount::parse(
        &response, now,
    )?)))
}

/// A customer account the reseller API created. An object because it holds
/// the EAB HMAC key; it prints without it.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct IdenTrustAccount(pub(crate) ResellerAccount);

#[uniffi::export]
impl IdenTrustAccount {
    /// The account id as IdenTrust sent it, JSON text (`1234` or `"1234"`).
    pub fn id_json(&self) -> String {
        self.0.id.to_string()
    }

    /// The EAB key identifier.
    pub fn kid(&self) -> String {
        self.0.kid.clone()
    }

    /// The reseller code, if sent.
    pub fn reseller_code(&self) -> Option<String> {
        self.0.reseller_code.clone()
    }

    /// The customer e-mail, if sent.
    pub fn email(&self) -> Option<String> {
        self.0.email.clone()
    }

    /// Whether the account is revoked.
    pub fn revoked(&self) -> bool {
        self.0.revoked
    }

    /// Whether the account is deleted.
    pub fn deleted(&self) -> bool {
        self.0.deleted
    }

    /// The EAB credentials for the ACME account.
    pub fn eab(&self) -> Arc<AcmeEabKey> {
        Arc::new(AcmeEabKey(self.0.eab.clone()))
    }
}

/// IdenTrust's reseller API client: creates customer accounts and opens
/// ACME clients on the profile directories with their EAB credentials.
#[derive(uniffi::Object)]
pub struct IdenTrustClient {
    inner: certbridge::client::IdenTrustClient,
    cancel: CancelToken,
}

#[uniffi::export(async_runtime = "tokio")]
impl IdenTrustClient {
    /// A client for `environment` with the reseller `api_key`.
    /// `transport`/`transport_config`: as for the other clients; `solver`:
    /// publishes challenges for the ACME clients it opens.
    #[uniffi::constructor(default(transport = None, transport_config = None, solver = None))]
    pub fn new(
        environment: Environment,
        api_key: String,
        transport: Option<Arc<dyn HttpTransport>>,
        transport_config: Option<TransportConfig>,
        solver: Option<Arc<dyn ChallengeSolver>>,
    ) -> Result<Arc<Self>> {
        let cancel = CancelToken::new();
        let driver = driver(transport, transport_config, solver, &cancel)?;
        let inner =
            certbridge::client::IdenTrustClient::new(driver, environment, Secret::new(api_key));
        Ok(Arc::new(IdenTrustClient { inner, cancel }))
    }

    /// The environment.
    pub fn environment(&self) -> Environment {
        self.inner.environment().clone()
    }

    /// Stops every running and future call of this client (and of the ACME
    /// clients it opened) with a `cancelled` error.
    pub fn cancel(&self) {
        self.cancel.cancel()
    }

    /// `POST /account {customer_email}`: a customer account with its EAB
    /// credentials.
    pub async fn create_account(&self, customer_email: String) -> Result<Arc<IdenTrustAccount>> {
        Ok(Arc::new(IdenTrustAccount(
            self.inner.create_account(&customer_email).await?,
        )))
    }

    /// An ACME client for `profile` (e.g. `TLS-90d`) bound to `account`'s
    /// EAB credentials with its e-mail as contact, signing with `key`.
    pub async fn acme_client(
        &self,
        profile: String,
        account: Arc<IdenTrustAccount>,
        key: Arc<AcmeAccountKey>,
    ) -> Result<Arc<AcmeClient>> {
        let inner = self
            .inner
            .acme_client(&profile, &account.0, key.0.clone())
            .await?;
        Ok(AcmeClient::configure(
            inner,
            self.cancel.clone(),
            None,
            None,
        ))
    }
}
