//! The `--out DIR` files: `key.pem`, `cert.pem`, `chain.pem`, and how a new
//! pair replaces the deployed one.
//!
//! A renewal that fails must leave the deployed pair working (issue 14,
//! item 2), and a key the CA may already have certified must never be lost.
//! So, as lego and certbot keep an archive beside the live files:
//!
//! 1. before the order, the new key goes to a new file
//!    `key.pem.new-<tag>` (mode 0600 from the first byte, `O_CREAT|O_EXCL`
//!    and `O_NOFOLLOW`, so neither an existing file nor a planted symlink is
//!    written through), synced to disk;
//! 2. the order runs; on failure the live files are untouched and the user
//!    is told where the pending key is;
//! 3. after the download the leaf's public key is compared with the new
//!    key's, both new files are written beside it the same way, and only then
//!    are key, certificate and chain renamed over the live names, in that
//!    order, with the previous files kept as hard links until every rename
//!    has succeeded (a failed rename puts the previous ones back).
//!
//! `rename(2)` replaces a name atomically and never follows a symlink at the
//! destination, so a reader sees the old file or the new one, never a torn
//! one.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use certbridge::crypto::keys::PrivateKey;
use certbridge::Error;
use der::{Decode as _, Encode as _};

use crate::common::{progress, Failure};

/// The deployed names, in the order they are replaced: key first, so that
/// the pending key is never the only copy of a certified key for longer than
/// one rename.
const LIVE: [&str; 3] = ["key.pem", "cert.pem", "chain.pem"];

/// A new key on disk, waiting for its certificate.
pub struct Pending {
    dir: PathBuf,
    tag: String,
    key_path: PathBuf,
    public_key: Vec<u8>,
}

/// Where the installed files are.
pub struct Installed {
    /// `DIR/key.pem`.
    pub key: PathBuf,
    /// `DIR/cert.pem`.
    pub cert: PathBuf,
    /// `DIR/chain.pem`.
    pub chain: PathBuf,
}

fn io(path: &Path, e: std::io::Error) -> Failure {
    Failure::Io(format!("{}: {e}", path.display()))
}

/// Creates `path` (which must not exist, not even as a symlink) with
/// `contents`, and syncs it. Private files are 0600 from creation on.
pub fn create_new(path: &Path, contents: &[u8], private: bool) -> Result<(), Failure> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options
            .mode(if private { 0o600 } else { 0o644 })
            .custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options.open(path).map_err(|e| io(path, e))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            // A half-written file is worse than none; the caller reports.
            let _ = std::fs::remove_file(path);
            io(path, e)
        })
}

/// Makes renames and new names in `dir` durable (POSIX: a rename is only on
/// disk once its directory is synced).
fn sync_dir(dir: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io(dir, e))?;
    Ok(())
}

/// The SubjectPublicKeyInfo of a DER certificate (RFC 5280 section 4.1.2.7).
fn certificate_public_key(der: &[u8]) -> Result<Vec<u8>, Error> {
    let cert = x509_cert::Certificate::from_der(der)
        .map_err(|e| Error::crypto(format!("malformed certificate: {e}")))?;
    cert.tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| Error::crypto(format!("SPKI encoding failed: {e}")))
}

impl Pending {
    /// Writes `key` to `DIR/key.pem.new-<tag>` before anything is sent.
    pub fn create(dir: &Path, key: &PrivateKey) -> Result<Pending, Failure> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let tag = format!("{secs}-{}", std::process::id());
        let key_path = dir.join(format!("key.pem.new-{tag}"));
        create_new(&key_path, key.to_pkcs8_pem()?.expose().as_bytes(), true)?;
        sync_dir(dir)?;
        Ok(Pending {
            dir: dir.to_path_buf(),
            tag,
            key_path,
            public_key: key.public_key_der()?,
        })
    }

    /// Passes `result` through; on failure says that the deployed files are
    /// unchanged and where the new key is (the order may still complete at
    /// the CA, and the key is needed then).
    pub fn keep_on_error<T>(&self, result: Result<T, impl Into<Failure>>) -> Result<T, Failure> {
        result.map_err(|e| {
            progress(format!(
                "{} unchanged; the new key is kept at {}",
                LIVE.join(", "),
                self.key_path.display()
            ));
            e.into()
        })
    }

    /// Checks that `leaf_der` certifies the new key, then puts key,
    /// certificate (`leaf_pem`) and chain (`chain_pem`) in place. On error
    /// the live files are as they were and the new key is still at
    /// `DIR/key.pem.new-<tag>`.
    pub fn install(
        &self,
        leaf_der: &[u8],
        leaf_pem: &str,
        chain_pem: &str,
    ) -> Result<Installed, Failure> {
        if certificate_public_key(leaf_der)? != self.public_key {
            return Err(Failure::Core(Error::crypto(
                "the issued certificate is not for the new key",
            )));
        }
        let staged = [
            self.key_path.clone(),
            self.dir.join(format!("cert.pem.new-{}", self.tag)),
            self.dir.join(format!("chain.pem.new-{}", self.tag)),
        ];
        let live = LIVE.map(|name| self.dir.join(name));
        let backups = LIVE.map(|name| self.dir.join(format!("{name}.old-{}", self.tag)));
        let result = self.swap(&staged, &live, &backups, [leaf_pem, chain_pem]);
        // The previous files' extra names and any staged copies go either way.
        for path in backups.iter().chain(&staged[1..]) {
            let _ = std::fs::remove_file(path);
        }
        result?;
        let [key, cert, chain] = live;
        Ok(Installed { key, cert, chain })
    }

    fn swap(
        &self,
        staged: &[PathBuf; 3],
        live: &[PathBuf; 3],
        backups: &[PathBuf; 3],
        contents: [&str; 2],
    ) -> Result<(), Failure> {
        for (path, text) in staged[1..].iter().zip(contents) {
            create_new(path, text.as_bytes(), false)?;
        }
        // Previous files stay reachable until every rename has succeeded.
        let mut had = [false; 3];
        for ((path, backup), had) in live.iter().zip(backups).zip(&mut had) {
            match std::fs::hard_link(path, backup) {
                Ok(()) => *had = true,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(backup, e)),
            }
        }
        for (i, (from, to)) in staged.iter().zip(live).enumerate() {
            if let Err(e) = std::fs::rename(from, to) {
                // Undo: each new file back to its staged name (the key above
                // all), each previous file back to its live name.
                for j in 0..i {
                    let _ = std::fs::rename(&live[j], &staged[j]);
                    if had[j] {
                        let _ = std::fs::rename(&backups[j], &live[j]);
                    }
                }
                return Err(io(to, e));
            }
        }
        sync_dir(&self.dir)
    }
}
