//! Independent peers check certbridge's crypto and SwissSign JWTs:
//! `openssl` verifies CSRs and signatures, reads keys and certificates, and
//! builds PKCS#7 bundles; PyJWT verifies session JWTs. A missing peer fails
//! the test with what to install, never a silent skip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use certbridge::crypto::certificate::{AltName, Certificate};
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::{KeyKind, PrivateKey};
use certbridge::crypto::pkcs7;
use certbridge::secret::Secret;
use certbridge::swisssign::auth::{local_jwt, JWT_LIFETIME_SECS};
use certbridge::Timestamp;
use rand_core::OsRng;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/fixtures");

fn run(program: &str, args: &[&str], install: &str) -> Output {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{program}` ({e}): this test needs it; install it with `{install}`")
        });
    assert!(
        out.status.success(),
        "`{program} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn openssl(args: &[&str]) -> String {
    let out = run("openssl", args, "apt-get install -y openssl");
    String::from_utf8(out.stdout).expect("openssl printed UTF-8")
}

/// A fresh path in the temp dir, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("certbridge-{}-{n}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn check_key(kind: KeyKind) {
    let key = PrivateKey::generate(kind, &mut OsRng).unwrap();
    let pem = key.to_pkcs8_pem().unwrap();
    let key_file = TempFile::new("key.pem", pem.expose().as_bytes());

    // openssl reads our PKCS#8 and derives the same public key.
    let spki = run(
        "openssl",
        &["pkey", "-in", key_file.path(), "-pubout", "-outform", "DER"],
        "apt-get install -y openssl",
    )
    .stdout;
    assert_eq!(spki, key.public_key_der().unwrap(), "{kind:?} public key");

    // openssl verifies our X.509-style signature.
    let message = b"certbridge signs this";
    let digest = if kind == KeyKind::EcP384 {
        "-sha384"
    } else {
        "-sha256"
    };
    let pub_file = TempFile::new("pub.der", &spki);
    let sig_file = TempFile::new("sig", &key.sign(message).unwrap());
    let msg_file = TempFile::new("msg", message);
    let verified = openssl(&[
        "dgst",
        digest,
        "-verify",
        pub_file.path(),
        "-keyform",
        "DER",
        "-signature",
        sig_file.path(),
        msg_file.path(),
    ]);
    assert!(verified.contains("Verified OK"), "{kind:?}: {verified}");

    // openssl accepts the CSR's self-signature and reads back its content.
    let csr = CsrBuilder::new()
        .subject("C", "CH")
        .subject("O", "Déjà Vu AG")
        .subject("CN", "déjà.vu.com")
        .dns_name("déjà.vu.com")
        .dns_name("*.vu.com")
        .email("ops@vu.com")
        .ip("192.0.2.7")
        .ip("2001:db8::7")
        .build(&key)
        .unwrap();
    let csr_file = TempFile::new("req.pem", csr.to_pem().as_bytes());
    let out = Command::new("openssl")
        .args(["req", "-verify", "-noout", "-in", csr_file.path()])
        .output()
        .expect("openssl runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{kind:?}: openssl req -verify: {said}"
    );
    assert!(
        said.contains("verify OK") || said.contains("self-signature ok"),
        "{said}"
    );
    let text = openssl(&[
        "req",
        "-in",
        csr_file.path(),
        "-noout",
        "-subject",
        "-nameopt",
        "RFC2253,-esc_msb",
        "-text",
    ]);
    assert!(
        text.contains("subject=CN=déjà.vu.com,O=Déjà Vu AG,C=CH"),
        "{text}"
    );
    assert!(
        text.contains("DNS:xn--dj-kia8a.vu.com, DNS:*.vu.com, email:ops@vu.com, IP Address:192.0.2.7, IP Address:2001:DB8:0:0:0:0:0:7"),
        "{text}"
    );

    // A key openssl wrote is imported with the same public key.
    let back = PrivateKey::from_pem(pem.expose()).unwrap();
    assert_eq!(back.public_key_der().unwrap(), spki);
}

#[test]
fn openssl_accepts_ec_keys_signatures_and_csrs() {
    check_key(KeyKind::EcP256);
    check_key(KeyKind::EcP384);
}

#[test]
fn openssl_accepts_rsa_keys_signatures_and_csrs() {
    check_key(KeyKind::Rsa2048);
    check_key(KeyKind::Rsa3072);
}

#[test]
fn openssl_accepts_rsa_4096() {
    // Once per run: 4096-bit generation is slow.
    check_key(KeyKind::Rsa4096);
}

#[test]
fn keys_written_by_openssl_are_imported() {
    for (algo, opt, kind) in [
        ("EC", "ec_paramgen_curve:P-256", KeyKind::EcP256),
        ("EC", "ec_paramgen_curve:P-384", KeyKind::EcP384),
        ("RSA", "rsa_keygen_bits:2048", KeyKind::Rsa2048),
    ] {
        let pem = openssl(&["genpkey", "-algorithm", algo, "-pkeyopt", opt]);
        let key = PrivateKey::from_pem(&pem).unwrap();
        assert_eq!(key.kind(), kind);
        let file = TempFile::new("k.pem", pem.as_bytes());
        let spki = run(
            "openssl",
            &["pkey", "-in", file.path(), "-pubout", "-outform", "DER"],
            "apt-get install -y openssl",
        )
        .stdout;
        assert_eq!(key.public_key_der().unwrap(), spki);
        // The traditional forms too (SEC1 / PKCS#1).
        let traditional = openssl(&["pkey", "-in", file.path(), "-traditional"]);
        let again = PrivateKey::from_pem(&traditional).unwrap();
        assert_eq!(again.public_key_der().unwrap(), spki);
    }
}

fn openssl_field(path: &str, flag: &str) -> String {
    openssl(&[
        "x509",
        "-in",
        path,
        "-noout",
        flag,
        "-nameopt",
        "RFC2253,-esc_msb",
    ])
    .trim()
    .split_once('=')
    .map(|(_, v)| v.to_string())
    .unwrap_or_default()
}

fn openssl_time(path: &str, flag: &str) -> Timestamp {
    let text = openssl_field(path, flag);
    let fmt = time::macros::format_description!(
        "[month repr:short] [day padding:space] [hour]:[minute]:[second] [year] GMT"
    );
    let t = time::PrimitiveDateTime::parse(&text, &fmt)
        .unwrap_or_else(|e| panic!("openssl date {text:?}: {e}"));
    Timestamp::from_secs(t.assume_utc().unix_timestamp() as u64)
}

#[test]
fn certificate_fields_match_openssl_x509() {
    for name in ["leaf", "intermediate", "root"] {
        let path = format!("{FIXTURES}/{name}.pem");
        let cert = Certificate::parse(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(cert.subject, openssl_field(&path, "-subject"), "{name}");
        assert_eq!(cert.issuer, openssl_field(&path, "-issuer"), "{name}");
        assert_eq!(cert.serial_hex, openssl_field(&path, "-serial"), "{name}");
        assert_eq!(cert.not_before, openssl_time(&path, "-startdate"), "{name}");
        assert_eq!(cert.not_after, openssl_time(&path, "-enddate"), "{name}");
        for (alg, ours) in [
            ("-sha1", &cert.sha1_thumbprint),
            ("-sha256", &cert.sha256_thumbprint),
        ] {
            let fp = openssl(&["x509", "-in", &path, "-noout", "-fingerprint", alg]);
            let fp = fp.trim().split_once('=').unwrap().1.replace(':', "");
            assert_eq!(ours, &fp, "{name} {alg}");
        }
        // PEM -> DER -> PEM round trip agrees with openssl's DER.
        let der = run(
            "openssl",
            &["x509", "-in", &path, "-outform", "DER"],
            "apt-get install -y openssl",
        )
        .stdout;
        assert_eq!(cert.der().unwrap(), der);
        assert_eq!(Certificate::from_der(&der).unwrap(), cert);
    }
    let leaf = Certificate::parse(&std::fs::read(format!("{FIXTURES}/leaf.pem")).unwrap()).unwrap();
    assert!(leaf
        .sans
        .contains(&AltName::Dns("xn--dj-kia8a.vu.com".into())));
    assert!(leaf.sans.contains(&AltName::Ip("2001:db8::7".into())));
}

#[test]
fn pkcs7_built_by_openssl_is_read_in_order() {
    let files: Vec<String> = ["intermediate", "leaf", "root"]
        .iter()
        .map(|n| format!("{FIXTURES}/{n}.pem"))
        .collect();
    for outform in ["DER", "PEM"] {
        let out_file = TempFile::new("chain.p7", b"");
        let mut args = vec![
            "crl2pkcs7",
            "-nocrl",
            "-outform",
            outform,
            "-out",
            out_file.path(),
        ];
        for f in &files {
            args.push("-certfile");
            args.push(f);
        }
        openssl(&args);
        let ders = pkcs7::certificates(&std::fs::read(out_file.path()).unwrap()).unwrap();
        let subjects: Vec<String> = ders
            .iter()
            .map(|d| Certificate::from_der(d).unwrap().subject)
            .collect();
        let expected: Vec<String> = files.iter().map(|f| openssl_field(f, "-subject")).collect();
        assert_eq!(subjects, expected, "{outform}");
    }
}

#[test]
fn pyjwt_verifies_the_session_jwt() {
    let now = Timestamp::from_secs(1_744_719_496);
    let api_key = Secret::new("n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w");
    let token = local_jwt("opérateur@example.ch", &api_key, now).unwrap();
    let script = r#"
import json, sys
try:
    import jwt
except ImportError:
    sys.exit("PyJWT is missing: pip install pyjwt")
token, key = sys.argv[1], sys.argv[2]
header = jwt.get_unverified_header(token)
claims = jwt.decode(token, key, algorithms=["HS256"], audience="REST API", issuer="SwissPKI",
                    options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                             "require": ["iss", "aud", "sub", "iat", "nbf", "exp"]})
try:
    jwt.decode(token, key + "x", algorithms=["HS256"], audience="REST API",
               options={"verify_exp": False})
    sys.exit("PyJWT accepted a wrong key")
except jwt.InvalidSignatureError:
    pass
print(json.dumps({"header": header, "claims": claims}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, token.expose(), api_key.expose()])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}): install python3 and `pip install pyjwt`")
        });
    assert!(
        out.status.success(),
        "PyJWT rejected the token (install with `pip install pyjwt` if missing): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        seen["header"],
        serde_json::json!({"alg": "HS256", "typ": "JWT"})
    );
    let c = &seen["claims"];
    assert_eq!(c["iss"], "SwissPKI");
    assert_eq!(c["aud"], "REST API");
    assert_eq!(c["sub"], "opérateur@example.ch");
    assert_eq!(c["iat"], now.secs());
    assert_eq!(c["nbf"], now.secs());
    assert_eq!(c["exp"], now.secs() + JWT_LIFETIME_SECS);
}

/// Account keys meet the certificate keys' rules (issue 14, item 13): what
/// openssl writes for RSA-1024 or an odd modulus, or P-384, is refused with a
/// typed error naming `key`; P-256 and RSA-2048 in every PEM form load.
#[test]
fn account_keys_refuse_what_certificate_keys_refuse() {
    use certbridge::acme::jws::AccountKey;
    for opts in [
        ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
        ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2047"],
        ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
    ] {
        let pem = openssl(&[&["genpkey"][..], &opts[..]].concat());
        let file = TempFile::new("weak.pem", pem.as_bytes());
        let traditional = openssl(&["pkey", "-in", file.path(), "-traditional"]);
        for form in [&pem, &traditional] {
            let err = AccountKey::from_pem(form).unwrap_err();
            assert_eq!(err.kind(), "invalid_input", "{opts:?}: {err}");
            assert_eq!(err.field(), Some("key"), "{opts:?}: {err}");
        }
    }
    for (opts, alg) in [
        (
            ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "RS256",
        ),
        (
            ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            "ES256",
        ),
    ] {
        let pem = openssl(&[&["genpkey"][..], &opts[..]].concat());
        let file = TempFile::new("ok.pem", pem.as_bytes());
        let traditional = openssl(&["pkey", "-in", file.path(), "-traditional"]);
        for form in [&pem, &traditional] {
            assert_eq!(AccountKey::from_pem(form).unwrap().alg(), alg);
        }
    }
}
