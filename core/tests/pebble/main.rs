//! certbridge's ACME core against a real ACME server: Debian's Pebble 2.4,
//! started per test on 127.0.0.1 with External Account Binding required
//! (`certbridge_sim::pebble`, the launcher the CLI tests, the e2e suite and
//! the demo use too). ARI and profiles are absent from Pebble 2.4: they are
//! covered by vectors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod host;

use base64::Engine as _;
use certbridge::acme::directory::GetDirectory;
use certbridge::acme::flow::{AccountOptions, Session};
use certbridge::acme::{
    cert_id, AccountKey, AccountStatus, EabKey, Identifier, IssueFlow, IssueOptions,
};
use certbridge::{drive, Error, Host, HttpResponse};
use certbridge_sim::ca::TestCa;
use certbridge_sim::pebble::PebbleConfig;
use host::{openssl_csr, openssl_verify, scratch, HttpsHost};

/// One EAB credential configured in Pebble.
struct EabEntry {
    kid: String,
    /// Unpadded base64url: Pebble's form.
    b64url: String,
    /// The same key as padded standard base64 (IdenTrust's form).
    std_padded: String,
}

/// The MAC keys: one fixed key whose standard base64 form contains both
/// `+` and `/` (and so differs from its base64url form), and two more.
fn eab_entries() -> Vec<EabEntry> {
    let mut tricky = vec![0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff];
    tricky.extend_from_slice(&certbridge::crypto::digest::sha256(b"certbridge-eab")[..26]);
    let keys = [
        ("kid-plus-slash", tricky),
        (
            "kid-2",
            certbridge::crypto::digest::sha256(b"kid-2").to_vec(),
        ),
        (
            "kid-3",
            certbridge::crypto::digest::sha256(b"kid-3").to_vec(),
        ),
    ];
    keys.into_iter()
        .map(|(kid, bytes)| EabEntry {
            kid: kid.into(),
            b64url: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes),
            std_padded: base64::engine::general_purpose::STANDARD.encode(&bytes),
        })
        .collect()
}

/// A Pebble for one test (killed by PID on drop) and the credentials it
/// accepts.
struct Pebble {
    inner: certbridge_sim::pebble::Pebble,
    directory_url: String,
    eab: Vec<EabEntry>,
}

impl Pebble {
    /// `PEBBLE_VA_ALWAYS_VALID=1`, `PEBBLE_VA_NOSLEEP=1`, one alternate
    /// root, and `nonce_reject` percent of good nonces refused.
    fn start(nonce_reject: u8) -> Pebble {
        let ca = TestCa::generate().expect("test CA");
        let eab = eab_entries();
        let config = PebbleConfig {
            eab_keys: eab
                .iter()
                .map(|e| (e.kid.clone(), e.b64url.clone()))
                .collect(),
            va_always_valid: true,
            nonce_reject,
            alternate_roots: 1,
            ..PebbleConfig::default()
        };
        let inner = certbridge_sim::pebble::Pebble::start(config, &ca)
            .unwrap_or_else(|e| panic!("pebble: {e}"));
        Pebble {
            directory_url: inner.directory_url(),
            inner,
            eab,
        }
    }

    fn host(&self) -> HttpsHost {
        HttpsHost::new(self.inner.listener_ca_pem().as_bytes())
    }

    /// Pebble's issuing root `n` (PEM) from the management port.
    fn root(&self, n: usize) -> String {
        host::client(self.inner.listener_ca_pem().as_bytes())
            .get(format!("{}/roots/{n}", self.inner.management_url()))
            .send()
            .and_then(|r| r.text())
            .expect("root")
    }

    fn eab(&self, i: usize) -> &EabEntry {
        &self.eab[i]
    }
}

fn session(pebble: &Pebble, host: &mut HttpsHost, key: AccountKey) -> Session {
    let resp: HttpResponse = host
        .send(GetDirectory::request(&pebble.directory_url))
        .unwrap();
    let now = host.now();
    let dir = GetDirectory::parse(&resp, now).unwrap();
    assert!(dir.meta.external_account_required);
    host.sent.clear();
    host.statuses.clear();
    Session::new(dir, key)
}

fn account_options(eab: EabKey) -> AccountOptions {
    AccountOptions {
        contact: vec!["mailto:ops@example.com".into()],
        terms_of_service_agreed: true,
        eab: Some(eab),
        only_return_existing: false,
    }
}

fn issue(
    session: Session,
    host: &mut HttpsHost,
    options: IssueOptions,
) -> (Result<certbridge::acme::Issued, Error>, Session) {
    let mut flow = IssueFlow::new(session, options);
    let out = drive(&mut flow, host);
    (out, flow.into_session())
}

#[test]
fn issue_verify_renew_and_revoke_with_eab() {
    let pebble = Pebble::start(0);
    let work = scratch("issue");
    let mut host = pebble.host();
    let s = session(
        &pebble,
        &mut host,
        AccountKey::generate_es256(&mut rand_core::OsRng),
    );

    // The EAB key whose standard base64 form has '+' and '/', given in
    // IdenTrust's padded standard form: it must be normalised.
    let entry = pebble.eab(0);
    assert!(entry.std_padded.contains('+') && entry.std_padded.contains('/'));
    let eab = EabKey::new(&entry.kid, &entry.std_padded).unwrap();

    let (key_pem, csr) = openssl_csr(&work, &["www.example.com"]);
    let mut options = IssueOptions::new(vec![Identifier::dns("www.example.com").unwrap()], csr);
    options.account = account_options(eab);
    options.fetch_alternates = true;
    let (issued, s) = issue(s, &mut host, options);
    let issued = issued.unwrap_or_else(|e| panic!("{e}\n{:#?}", host.statuses));

    // Request count: the floor is 9 for a fresh account and one name.
    let lines = host.lines();
    eprintln!("issuance requests: {lines:#?}");
    assert!(lines[0].starts_with("HEAD "), "{lines:#?}");
    assert!(
        lines.iter().filter(|l| l.starts_with("HEAD ")).count() == 1,
        "{lines:#?}"
    );
    let alternates = issued.chain.alternates.len();
    assert!(alternates >= 1, "PEBBLE_ALTERNATE_ROOTS=1 gives alternates");
    assert!(
        lines.len() <= 9 + alternates,
        "{} requests: {lines:#?}",
        lines.len()
    );
    assert_eq!(host.solved.len(), 1);
    assert!(
        matches!(&host.solved[0][0], certbridge::ChallengeTask::Http01 { domain, .. } if domain == "www.example.com")
    );
    assert_eq!(issued.alternates.len(), alternates);

    // The certificate verifies against Pebble's root with openssl.
    let (ok, out) = openssl_verify(&work, &pebble.root(0), &issued.chain.pem);
    assert!(ok, "openssl verify: {out}");
    let (ok, _) = openssl_verify(&work, &pebble.root(0), &issued.alternates[0].pem);
    assert!(!ok, "the alternate chain must lead to another root");
    let (ok, out) = openssl_verify(&work, &pebble.root(1), &issued.alternates[0].pem);
    assert!(ok, "alternate chain: {out}");

    // Renew with ARI `replaces` (Pebble 2.4 ignores the field; the account is reused).
    let leaf = issued.chain.leaf_der().unwrap();
    let id = cert_id(&leaf).unwrap();
    host.sent.clear();
    let (_, csr2) = openssl_csr(&work, &["renew.example.com"]);
    let mut options = IssueOptions::new(vec![Identifier::dns("renew.example.com").unwrap()], csr2);
    options.replaces = Some(id);
    let (renewed, s) = issue(s, &mut host, options);
    let renewed = renewed.unwrap();
    assert_eq!(renewed.account_url, issued.account_url);
    assert!(
        !host.lines().iter().any(|l| l.starts_with("HEAD ")),
        "nonce pool reused: {:#?}",
        host.lines()
    );
    assert!(openssl_verify(&work, &pebble.root(0), &renewed.chain.pem).0);

    // Revoke the renewal as the account, the first certificate with its own key.
    let mut flow = s.revoke(renewed.chain.pem.as_bytes(), Some(4));
    drive(&mut flow, &mut host).unwrap();
    let s = flow.into_session();
    let cert_key = AccountKey::from_pem(&key_pem).unwrap();
    let mut flow = s.revoke_with_certificate_key(&leaf, cert_key, None);
    drive(&mut flow, &mut host).unwrap();
    let s = flow.into_session();
    // Twice is a typed problem.
    let mut flow = s.revoke(&leaf, None);
    let e = drive(&mut flow, &mut host).unwrap_err();
    assert_eq!(
        e.code(),
        Some("urn:ietf:params:acme:error:alreadyRevoked"),
        "{e}"
    );
}

#[test]
fn key_rollover_lookup_and_deactivation() {
    let pebble = Pebble::start(0);
    let mut host = pebble.host();
    let old = AccountKey::generate_es256(&mut rand_core::OsRng);
    let s = session(&pebble, &mut host, old.clone());
    let entry = pebble.eab(1);
    let eab = EabKey::new(&entry.kid, &entry.b64url).unwrap();

    let mut flow = s.new_account(account_options(eab.clone()));
    let account = drive(&mut flow, &mut host).unwrap();
    assert!(account.created);
    let s = flow.into_session();

    // Lookup by key finds the same account.
    let mut flow = s.find_account();
    let found = drive(&mut flow, &mut host).unwrap();
    assert_eq!(
        (found.url.as_str(), found.created),
        (account.url.as_str(), false)
    );
    let s = flow.into_session();

    // Roll over to an RS256 key.
    let new = AccountKey::generate_rs256(&mut rand_core::OsRng, 2048).unwrap();
    let mut flow = s.change_key(new.clone());
    drive(&mut flow, &mut host).unwrap();
    let s = flow.into_session();
    assert_eq!(s.key().thumbprint(), new.thumbprint());
    let mut flow = s.find_account();
    assert_eq!(drive(&mut flow, &mut host).unwrap().url, account.url);
    let s = flow.into_session();

    // The old key no longer has an account.
    let mut h2 = pebble.host();
    let s_old = session(&pebble, &mut h2, old);
    let mut flow = s_old.find_account();
    let e = drive(&mut flow, &mut h2).unwrap_err();
    assert_eq!(
        e.code(),
        Some("urn:ietf:params:acme:error:accountDoesNotExist"),
        "{e}"
    );

    // Deactivate; the account can no longer order.
    let mut flow = s.deactivate_account();
    let deactivated = drive(&mut flow, &mut host).unwrap();
    assert_eq!(deactivated.status, AccountStatus::Deactivated);
    let s = flow.into_session();
    let work = scratch("deact");
    let (_, csr) = openssl_csr(&work, &["gone.example.com"]);
    let options = IssueOptions::new(vec![Identifier::dns("gone.example.com").unwrap()], csr);
    let (out, _) = issue(s, &mut host, options);
    let e = out.unwrap_err();
    assert_eq!(e.kind(), "provider");
    assert!(
        e.code()
            .unwrap_or_default()
            .starts_with("urn:ietf:params:acme:error:"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(work);
}

#[test]
fn wrong_eab_key_is_a_typed_error() {
    let pebble = Pebble::start(0);
    let mut host = pebble.host();
    let s = session(
        &pebble,
        &mut host,
        AccountKey::generate_es256(&mut rand_core::OsRng),
    );
    let entry = pebble.eab(2);
    let wrong = EabKey::from_bytes(&entry.kid, vec![7u8; 32]).unwrap();
    let mut flow = s.new_account(account_options(wrong));
    let e = drive(&mut flow, &mut host).unwrap_err();
    assert_eq!(e.kind(), "provider", "{e}");
    // Pebble 2.4: 403 unauthorized, "external account binding JWS verification error".
    assert_eq!(
        e.code(),
        Some("urn:ietf:params:acme:error:unauthorized"),
        "{e}"
    );
    assert_eq!(e.status(), Some(403));
    // Without EAB the core refuses before sending anything.
    let s = flow.into_session();
    let sent = host.sent.len();
    let mut flow = s.new_account(AccountOptions::default());
    let e = drive(&mut flow, &mut host).unwrap_err();
    assert_eq!((e.kind(), e.field()), ("invalid_input", Some("eab")));
    assert_eq!(host.sent.len(), sent);
}

#[test]
fn bad_nonce_is_retried_transparently() {
    let pebble = Pebble::start(50);
    let work = scratch("nonce");
    let mut host = pebble.host();
    let mut s = session(
        &pebble,
        &mut host,
        AccountKey::generate_es256(&mut rand_core::OsRng),
    );
    // Half of all good nonces are refused: allow long runs of refusals so
    // the test cannot flake (P(21 in a row) < 1e-6 per request).
    s.bad_nonce_retries = 20;
    let entry = pebble.eab(0);
    let eab = EabKey::new(&entry.kid, &entry.b64url).unwrap();
    // Two names, one a wildcard (dns-01 only).
    let (_, csr) = openssl_csr(&work, &["a.example.com", "*.b.example.com"]);
    let mut options = IssueOptions::new(
        vec![
            Identifier::dns("a.example.com").unwrap(),
            Identifier::dns("*.b.example.com").unwrap(),
        ],
        csr,
    );
    options.account = account_options(eab);
    let (issued, _) = issue(s, &mut host, options);
    let issued =
        issued.unwrap_or_else(|e| panic!("{e} after {} badNonce answers", host.bad_nonces()));
    assert!(
        host.bad_nonces() > 0,
        "PEBBLE_WFE_NONCEREJECT=50 rejected nothing"
    );
    assert_eq!(host.solved[0].len(), 2);
    assert!(host.solved[0].iter().any(|t| matches!(t,
        certbridge::ChallengeTask::DnsTxt { name, domain, .. }
            if name == "_acme-challenge.b.example.com" && domain == "*.b.example.com")));
    assert!(openssl_verify(&work, &pebble.root(0), &issued.chain.pem).0);
    let _ = std::fs::remove_dir_all(work);
}

#[test]
fn flow_stops_at_solve_and_authorization_can_be_deactivated() {
    let pebble = Pebble::start(0);
    let work = scratch("solve");
    let mut host = pebble.host();
    let key = AccountKey::generate_es256(&mut rand_core::OsRng);
    let s = session(&pebble, &mut host, key.clone());
    let directory = s.directory().clone();
    let entry = pebble.eab(2);
    let (_, csr) = openssl_csr(&work, &["solve.example.com"]);
    let mut options = IssueOptions::new(vec![Identifier::dns("solve.example.com").unwrap()], csr);
    options.account = account_options(EabKey::new(&entry.kid, &entry.std_padded).unwrap());
    let mut flow = IssueFlow::new(s, options);
    // Drive by hand up to the challenges.
    let tasks = loop {
        let now = host.now();
        match certbridge::Flow::next(&mut flow, now).unwrap() {
            certbridge::Step::Send(req) => {
                let resp = host.send(req).unwrap();
                certbridge::Flow::receive(&mut flow, resp, host.now()).unwrap();
            }
            certbridge::Step::Solve(tasks) => break tasks,
            other => panic!("unexpected step {other:?}"),
        }
    };
    assert_eq!(tasks.len(), 1);
    // Calling next() before solved() is a typed error, not a silent resend.
    assert_eq!(
        certbridge::Flow::next(&mut flow, host.now())
            .unwrap_err()
            .kind(),
        "protocol"
    );
    let authz_url = flow.order().unwrap().authorizations[0].clone();
    let account_url = flow.into_session().account_url().unwrap().to_string();

    // A second session for the same account deactivates the authorization.
    let s2 = Session::new(directory, key).with_account_url(account_url);
    let mut deactivate = s2.deactivate_authorization(&authz_url);
    let authz = drive(&mut deactivate, &mut host).unwrap();
    assert_eq!(
        authz.status,
        certbridge::acme::authorization::AuthorizationStatus::Deactivated
    );
    let _ = std::fs::remove_dir_all(work);
}
