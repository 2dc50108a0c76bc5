//! What every command shares: network options, output, exit codes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use certbridge::client::{Driver, Progress, ReqwestTransport, SystemClock, TransportConfig};
use certbridge::Error;
use clap::Args;
use serde_json::Value;

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
}

impl NetOpts {
    /// A driver with the built-in transport and the system clock.
    pub fn driver(&self) -> Result<Driver, Failure> {
        let mut config = TransportConfig {
            request_timeout_ms: self.timeout.saturating_mul(1000),
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
            if out.as_json {
                println!("{}", out.json);
            } else {
                println!("{}", out.summary);
            }
            0
        }
        Err(Failure::Core(e)) => {
            // The message names the provider's code and correlation id; it
            // never holds a secret (the core error type carries none).
            match e.code() {
                Some(code) => eprintln!("error [{} {code}]: {e}", e.kind()),
                None => eprintln!("error [{}]: {e}", e.kind()),
            }
            if e.kind() == "invalid_input" {
                2
            } else {
                1
            }
        }
        Err(Failure::Usage(m)) => {
            eprintln!("error [usage]: {m}");
            2
        }
        Err(Failure::Io(m)) => {
            eprintln!("error [io]: {m}");
            1
        }
    }
}

/// Reads a text file named by option `what`.
pub fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("--{what} {}: {e}", path.display())))
}

/// Writes `contents` to `dir/name`; private keys get mode 0600 before any
/// byte is written.
pub fn write_file(
    dir: &Path,
    name: &str,
    contents: &str,
    private: bool,
) -> Result<PathBuf, Failure> {
    use std::io::Write as _;
    std::fs::create_dir_all(dir).map_err(|e| Failure::Io(format!("{}: {e}", dir.display())))?;
    let path = dir.join(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
    }
    file.write_all(contents.as_bytes())
        .map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
    Ok(path)
}

/// Progress on stderr (never stdout, which carries the result).
pub fn progress(message: impl AsRef<str>) {
    eprintln!("… {}", message.as_ref());
}
