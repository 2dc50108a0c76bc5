//! What every command shares: network options, output, exit codes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use certbridge::client::{Driver, Progress, ReqwestTransport, SystemClock, TransportConfig};
use certbridge::Error;
use clap::Args;
use serde_json::Value;

use crate::terminal::{escape, escape_json};

/// Options of every command that talks to a server.
#[derive(Args, Debug, Clone)]
pub struct NetOpts {
    /// Extra trust anchor(s), PEM file (private CAs, test servers). Repeatable.
    #[arg(long = "ca-cert", value_name = "PEM", env = "CERTBRIDGE_CA_CERT")]
    pub ca_cert: Vec<PathBuf>,
    /// Print one JSON object on stdout instead of a summary line.
    #[arg(long)]
    pub json: bool,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub timeout: u64,
    /// Largest response body read, in bytes; a longer one is an error
    /// (issue 14 item 3: an endless body must not exhaust memory).
    #[arg(long, value_name = "BYTES", default_value_t = certbridge::client::DEFAULT_MAX_RESPONSE_BYTES)]
    pub max_response_bytes: u64,
}

impl NetOpts {
    /// A driver with the built-in transport and the system clock.
    pub fn driver(&self) -> Result<Driver, Failure> {
        let mut config = TransportConfig {
            request_timeout_ms: self.timeout.saturating_mul(1000),
            max_response_bytes: self.max_response_bytes,
            ..TransportConfig::default()
        };
        for path in &self.ca_cert {
            config.extra_roots_pem.push(read_text(path, "ca-cert")?);
        }
        let transport = ReqwestTransport::new(&config)?;
        Ok(
            Driver::new(Arc::new(transport), Arc::new(SystemClock)).with_progress(Arc::new(
                |event| match event {
                    Progress::Waiting { millis } => progress(format!(
                        "waiting {:.1} s before polling again",
                        millis as f64 / 1000.0
                    )),
                    Progress::Solving { count } => {
                        progress(format!("publishing {count} challenge(s)"))
                    }
                    Progress::Retrying { attempt } => {
                        progress(format!("retry {attempt} after a transient failure"))
                    }
                    _ => {}
                },
            )),
        )
    }
}

/// A successful command's result: a summary line and a JSON object.
pub struct Output {
    pub summary: String,
    pub json: Value,
    pub as_json: bool,
}

/// Why a command failed, and with which exit code.
#[derive(Debug)]
pub enum Failure {
    /// A core error (exit 2 for invalid input, else 1).
    Core(Error),
    /// A usage problem found after parsing (exit 2).
    Usage(String),
    /// A local I/O failure (exit 1).
    Io(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

/// Prints the result and returns the exit code.
pub fn finish(result: Result<Output, Failure>) -> i32 {
    match result {
        Ok(out) => {
            // Both carry server text: escaped for the terminal.
            if out.as_json {
                println!("{}", escape_json(&out.json.to_string()));
            } else {
                println!("{}", escape(&out.summary, true));
            }
            0
        }
        Err(Failure::Core(e)) => {
            // The message names the provider's code and correlation id; it
            // never holds a secret (the core error type carries none). Code
            // and message come from the server: escaped for the terminal.
            let message = e.to_string();
            match e.code() {
                Some(code) => eprintln!(
                    "error [{} {}]: {}",
                    e.kind(),
                    escape(code, false),
                    escape(&message, false)
                ),
                None => eprintln!("error [{}]: {}", e.kind(), escape(&message, false)),
            }
            if e.kind() == "invalid_input" {
                2
            } else {
                1
            }
        }
        Err(Failure::Usage(m)) => {
            eprintln!("error [usage]: {}", escape(&m, false));
            2
        }
        Err(Failure::Io(m)) => {
            eprintln!("error [io]: {}", escape(&m, false));
            1
        }
    }
}

/// Reads a text file named by option `what`.
pub fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("--{what} {}: {e}", path.display())))
}

/// Progress on stderr (never stdout, which carries the result).
pub fn progress(message: impl AsRef<str>) {
    eprintln!("… {}", escape(message.as_ref(), false));
}
