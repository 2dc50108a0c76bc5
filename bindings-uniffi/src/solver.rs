//! Publishing challenge proofs from the host: the foreign
//! [`ChallengeSolver`] trait and its adapter to the core
//! [`certbridge::client::ChallengeSolver`].
//!
//! A client's `issue` stops at every `Solve` step (RFC 8555 section 8) and
//! hands the tasks to the solver: a Python/Kotlin/Swift host serves the
//! http-01 file from its web server, writes the dns-01 TXT record through
//! its DNS provider's API, or installs the tls-alpn-01 certificate, and
//! returns once the proof is visible. `cleanup` runs after the flow,
//! whether it succeeded or not (the same hooks as the CLI's `HttpSolver`
//! and `DnsHook`).

use std::sync::Arc;

use async_trait::async_trait;
use certbridge::client::Driver;
use certbridge::ChallengeTask;

use crate::error::CertbridgeError;

/// Publishes challenge proofs for a client and removes them afterwards.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait ChallengeSolver: Send + Sync {
    /// Makes every task's proof visible; return once it is. Raising stops
    /// the issuance with that error.
    async fn publish(&self, tasks: Vec<ChallengeTask>) -> Result<(), CertbridgeError>;

    /// Removes the proofs again. Errors are ignored: the certificate is
    /// already issued (or the issuance already failed).
    async fn cleanup(&self, tasks: Vec<ChallengeTask>) -> Result<(), CertbridgeError>;
}

/// The foreign solver seen as a core solver.
struct ForeignSolver(Arc<dyn ChallengeSolver>);

#[async_trait]
impl certbridge::client::ChallengeSolver for ForeignSolver {
    async fn publish(&self, tasks: &[ChallengeTask]) -> Result<(), certbridge::Error> {
        self.0.publish(tasks.to_vec()).await.map_err(|e| {
            certbridge::Error::invalid_input("solver", format!("publishing failed: {}", e.reason()))
        })
    }

    async fn cleanup(&self, tasks: &[ChallengeTask]) {
        let _ = self.0.cleanup(tasks.to_vec()).await;
    }
}

/// `driver` with the host's solver, when given.
pub(crate) fn solver_driver(driver: Driver, solver: Option<Arc<dyn ChallengeSolver>>) -> Driver {
    match solver {
        Some(s) => driver.with_solver(Arc::new(ForeignSolver(s))),
        None => driver,
    }
}
