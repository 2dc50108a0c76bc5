//! Secrets come from the environment, from a file, or from stdin; never from
//! an argument value, which `ps`, `/proc/PID/cmdline` and shell history show
//! to anyone on the machine (issue 14, item 10; lego and certbot do the same
//! with `*_FILE` variables and credential files).
//!
//! Each secret option keeps its old name, hidden, so that a value given the
//! old way is refused with a message naming the alternatives instead of
//! clap's "unexpected argument".

use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use certbridge::Secret;
use zeroize::Zeroizing;

use crate::common::Failure;

/// One secret option: the flag it replaces and its environment variable.
/// The file option is the flag with `-file` appended.
#[derive(Debug, Clone, Copy)]
pub struct SecretFlag {
    /// Long option without dashes, e.g. `password`.
    pub flag: &'static str,
    /// Environment variable, e.g. `CERTBRIDGE_REDTRUST_PASSWORD`.
    pub env: &'static str,
}

/// Redtrust direct-login password.
pub const REDTRUST_PASSWORD: SecretFlag = SecretFlag {
    flag: "password",
    env: "CERTBRIDGE_REDTRUST_PASSWORD",
};
/// Redtrust access token from an earlier login.
pub const REDTRUST_TOKEN: SecretFlag = SecretFlag {
    flag: "token",
    env: "CERTBRIDGE_REDTRUST_TOKEN",
};
/// The URL the browser came back to; its `tkn` is a login credential.
pub const REDTRUST_REDIRECTED_TO: SecretFlag = SecretFlag {
    flag: "redirected-to",
    env: "CERTBRIDGE_REDTRUST_REDIRECTED_TO",
};
/// Redtrust partner HMAC key.
pub const REDTRUST_HMAC_KEY: SecretFlag = SecretFlag {
    flag: "hmac-key",
    env: "CERTBRIDGE_REDTRUST_HMAC_KEY",
};
/// SwissSign API key.
pub const SWISSSIGN_API_KEY: SecretFlag = SecretFlag {
    flag: "api-key",
    env: "CERTBRIDGE_SWISSSIGN_API_KEY",
};
/// IdenTrust reseller API key.
pub const IDENTRUST_API_KEY: SecretFlag = SecretFlag {
    flag: "api-key",
    env: "CERTBRIDGE_IDENTRUST_API_KEY",
};
/// ACME EAB HMAC key.
pub const EAB_HMAC: SecretFlag = SecretFlag {
    flag: "eab-hmac",
    env: "CERTBRIDGE_EAB_HMAC",
};

/// Longest secret file read: a JWT or a redirect URL fits many times over,
/// and a mistaken `--password-file /dev/zero` ends quickly.
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Stdin can be read once; a second `-` is a usage error, not an empty secret.
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

impl SecretFlag {
    /// The secret from `--FLAG-file` (`-`: stdin) or the environment; `None`
    /// when neither is given. `plain` is the hidden `--FLAG` value: any value
    /// there is refused without being echoed.
    pub fn resolve(
        &self,
        plain: Option<&str>,
        file: Option<&Path>,
    ) -> Result<Option<Secret>, Failure> {
        if plain.is_some() {
            return Err(Failure::Usage(format!(
                "--{} on the command line is refused: process lists and shell \
                 history would show it; set {} or use --{}-file FILE (- reads stdin)",
                self.flag, self.env, self.flag
            )));
        }
        match file {
            Some(path) => self.read(path).map(Some),
            // An empty variable counts as unset, as with clap's `env`.
            None => match std::env::var(self.env) {
                Ok(v) if v.is_empty() => Ok(None),
                Ok(v) => Ok(Some(Secret::new(v))),
                Err(std::env::VarError::NotPresent) => Ok(None),
                Err(std::env::VarError::NotUnicode(_)) => {
                    Err(Failure::Usage(format!("{} is not valid UTF-8", self.env)))
                }
            },
        }
    }

    /// Like [`SecretFlag::resolve`], for a secret the command cannot do without.
    pub fn required(&self, plain: Option<&str>, file: Option<&Path>) -> Result<Secret, Failure> {
        self.resolve(plain, file)?.ok_or_else(|| self.missing())
    }

    /// The usage error for a secret that was not given at all.
    pub fn missing(&self) -> Failure {
        Failure::Usage(format!(
            "--{} is needed: set {} or use --{}-file FILE (- reads stdin)",
            self.flag, self.env, self.flag
        ))
    }

    /// Reads the file (or stdin for `-`); one trailing line end is not part
    /// of the secret (`echo "$PW" > file`).
    fn read(&self, path: &Path) -> Result<Secret, Failure> {
        let shown = format!("--{}-file {}", self.flag, path.display());
        // The raw bytes are wiped whatever happens below.
        let mut bytes = Zeroizing::new(Vec::new());
        let result = if path == Path::new("-") {
            if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
                return Err(Failure::Usage(format!(
                    "{shown}: stdin already gave another secret"
                )));
            }
            std::io::stdin()
                .lock()
                .take(MAX_SECRET_BYTES + 1)
                .read_to_end(&mut bytes)
        } else {
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_SECRET_BYTES + 1).read_to_end(&mut bytes))
        };
        result.map_err(|e| Failure::Usage(format!("{shown}: {e}")))?;
        if bytes.len() as u64 > MAX_SECRET_BYTES {
            return Err(Failure::Usage(format!(
                "{shown}: longer than {MAX_SECRET_BYTES} bytes"
            )));
        }
        let mut end = bytes.len();
        if bytes.get(..end).is_some_and(|b| b.ends_with(b"\n")) {
            end -= 1;
            if bytes.get(..end).is_some_and(|b| b.ends_with(b"\r")) {
                end -= 1;
            }
        }
        let text = std::str::from_utf8(bytes.get(..end).unwrap_or_default())
            .map_err(|_| Failure::Usage(format!("{shown}: not UTF-8 text")))?;
        if text.is_empty() {
            return Err(Failure::Usage(format!("{shown}: empty")));
        }
        Ok(Secret::new(text))
    }
}
