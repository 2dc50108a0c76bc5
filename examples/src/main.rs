//! `certbridge`: issue, renew, look up and revoke certificates at Redtrust,
//! SwissSign and any ACME server (IdenTrust included) from the command line.
//!
//! Exit codes: 0 success; 1 provider, transport or protocol error; 2 usage or
//! invalid input. Secrets come from `CERTBRIDGE_*` environment variables or
//! `--*-file` options, never from argument values, so they never appear in a
//! process list.

mod acme;
mod common;
mod demo;
mod deploy;
mod redtrust;
mod secrets;
mod sim;
mod swisssign;
mod terminal;

use clap::{Parser, Subcommand};

use common::{Failure, Output};

#[derive(Parser, Debug)]
#[command(
    name = "certbridge",
    version,
    about = "Certificates from Redtrust, SwissSign and ACME (IdenTrust) in one tool"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Redtrust RA API: server-side keys, csr/create + csr/finalize.
    #[command(subcommand)]
    Redtrust(redtrust::Cmd),
    /// SwissSign RA API v2: JWT, clients, domain pre-validation, orders, revocation.
    #[command(subcommand)]
    Swisssign(swisssign::Cmd),
    /// IdenTrust reseller API: customer accounts with EAB credentials.
    #[command(subcommand)]
    Identrust(acme::IdenTrustCmd),
    /// ACME (RFC 8555) with EAB: issue, renew, revoke.
    #[command(subcommand)]
    Acme(acme::Cmd),
    /// Run the provider simulator in the foreground.
    Sim {
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 8082)]
        port: u16,
        /// Simulator configuration (JSON).
        #[arg(long)]
        config: Option<std::path::PathBuf>,
    },
    /// Issue, renew and revoke at all three providers against the embedded
    /// simulator and a local Pebble.
    Demo {
        /// Leave out the ACME part even when Pebble is installed.
        #[arg(long)]
        no_pebble: bool,
    },
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CERTBRIDGE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let result: Result<Output, Failure> = runtime.block_on(async {
        match cli.command {
            Command::Redtrust(cmd) => redtrust::run(cmd).await,
            Command::Swisssign(cmd) => swisssign::run(cmd).await,
            Command::Identrust(cmd) => acme::identrust(cmd).await,
            Command::Acme(cmd) => acme::run(cmd).await,
            Command::Sim { port, config } => sim::run(port, config),
            Command::Demo { no_pebble } => demo::run(no_pebble).await,
        }
    });
    std::process::exit(common::finish(result));
}
