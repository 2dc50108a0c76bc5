//! The `certbridge` binary end to end: against the simulator, and against a
//! real Pebble that validates http-01 on the CLI's own server and dns-01
//! through the CLI's hook (names resolved by pebble-challtestsrv).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use certbridge_sim::pebble::{random_eab_keys, PebbleConfig};
use certbridge_sim::{Sim, SimConfig, SimHandle};

const BIN: &str = env!("CARGO_BIN_EXE_certbridge");
const SS_KEY: &str = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w";

fn sim(tweak: impl FnOnce(&mut SimConfig)) -> SimHandle {
    let mut c = SimConfig {
        port: 0,
        ..SimConfig::default()
    };
    tweak(&mut c);
    Sim::start(c).unwrap()
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env_remove("CERTBRIDGE_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn json(o: &Output) -> serde_json::Value {
    let (out, err) = text(o);
    assert!(
        o.status.success(),
        "exit {:?}\nstdout {out}\nstderr {err}",
        o.status.code()
    );
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn exit_codes_and_no_secrets_in_output() {
    let s = sim(|_| {});
    let url = s.base_url();
    // Invalid input: exit 2, nothing sent.
    let o = run(
        &[
            "redtrust",
            "login-url",
            "--server",
            &url,
            "--partner",
            "bad-name",
            "--hmac-key",
            "k",
            "--redirect-url",
            "https://a.example/",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    let o = run(
        &[
            "redtrust",
            "issue",
            "--server",
            &url,
            "--username",
            "demo",
            "--dn",
            "cn=x,zz=y",
        ],
        &[("CERTBRIDGE_REDTRUST_PASSWORD", "demo-password")],
    );
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    // Provider refusal: exit 1, the code named, the password nowhere.
    let o = run(
        &[
            "redtrust",
            "issue",
            "--server",
            &url,
            "--username",
            "demo",
            "--dn",
            "cn=x",
        ],
        &[("CERTBRIDGE_REDTRUST_PASSWORD", "wrong-Secret-123")],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out} {err}");
    assert!(err.contains("INVALID_CREDENTIALS"), "{err}");
    assert!(!out.contains("wrong-Secret-123") && !err.contains("wrong-Secret-123"));
    // Transport failure: exit 1.
    let dead = format!("http://127.0.0.1:{}", free_port());
    let o = run(
        &["swisssign", "clients", "--server", &dead, "--account", "a"],
        &[("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY)],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("[transport]"), "{:?}", text(&o));
    // Usage errors from clap: exit 2.
    assert_eq!(run(&["swisssign", "issue"], &[]).status.code(), Some(2));
}

#[test]
fn redtrust_issue_and_renew() {
    let s = sim(|_| {});
    let url = s.base_url();
    let env = [("CERTBRIDGE_REDTRUST_PASSWORD", "demo-password")];
    let v = json(&run(
        &[
            "redtrust",
            "issue",
            "--server",
            &url,
            "--username",
            "demo",
            "--domain",
            "local.users",
            "--dn",
            "cn=CLI Holder,o=Example,c=ES",
            "--json",
        ],
        &env,
    ));
    let thumb = v["thumbprint"].as_str().unwrap().to_string();
    assert_eq!(thumb.len(), 40);
    let v = json(&run(
        &[
            "redtrust",
            "renew",
            "--server",
            &url,
            "--username",
            "demo",
            "--thumbprint",
            &thumb,
            "--dn",
            "cn=CLI Holder,o=Example,c=ES",
            "--json",
            "--compat",
            "v4.33",
        ],
        &env,
    ));
    assert_eq!(v["renewed"].as_str(), Some(thumb.as_str()));
    assert!(s
        .requests()
        .iter()
        .any(|r| r.path == "/raapi/v2/csr/create"));
}

#[test]
fn swisssign_prevalidate_issue_revoke_writes_a_private_key_0600() {
    let s = sim(|_| {});
    let url = s.base_url();
    let env = [
        ("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY),
        ("CERTBRIDGE_SWISSSIGN_ACCOUNT", "service.account"),
    ];
    let clients = json(&run(
        &["swisssign", "clients", "--server", &url, "--json"],
        &env,
    ));
    let cli = clients[0]["uuid"].as_str().unwrap().to_string();
    let pma = clients[0]["products"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let reg = json(&run(
        &[
            "swisssign",
            "domain",
            "register",
            "--server",
            &url,
            "--client",
            &cli,
            "--json",
            "cli.example",
        ],
        &env,
    ));
    let record = &reg[0]["txt_record"];
    s.publish_txt(
        record["name"].as_str().unwrap(),
        record["value"].as_str().unwrap(),
    );
    let cld = reg[0]["uuid"].as_str().unwrap().to_string();
    let v = json(&run(
        &[
            "swisssign",
            "domain",
            "validate",
            "--server",
            &url,
            "--domain",
            &cld,
            "--json",
        ],
        &env,
    ));
    assert_eq!(v["validated"], true);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let v = json(&run(
        &[
            "swisssign",
            "issue",
            "--server",
            &url,
            "--product",
            &pma,
            "--domain",
            "cli.example",
            "--key",
            "ec-p384",
            "--out",
            out,
            "--json",
        ],
        &env,
    ));
    check_private(&dir.path().join("key.pem"));
    let cert = std::fs::read_to_string(dir.path().join("cert.pem")).unwrap();
    assert!(cert.contains("BEGIN CERTIFICATE"));
    let order = v["order"].as_str().unwrap().to_string();
    let o = run(
        &[
            "swisssign",
            "revoke",
            "--server",
            &url,
            "--order",
            &order,
            "--reason",
            "key-compromise",
        ],
        &env,
    );
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(
        text(&run(
            &["swisssign", "status", "--server", &url, "--order", &order],
            &env
        ))
        .0
        .trim(),
        "REVOKED"
    );
}

fn check_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
    assert!(std::fs::read_to_string(path)
        .unwrap()
        .contains("BEGIN PRIVATE KEY"));
}

/// pebble-challtestsrv as a DNS server answering every A query with
/// 127.0.0.1 and serving TXT records set through its management API.
struct ChallTestSrv {
    child: Child,
    dns: String,
    management: String,
}

impl ChallTestSrv {
    fn start() -> ChallTestSrv {
        let dns = format!("127.0.0.1:{}", free_port());
        let management = format!("127.0.0.1:{}", free_port());
        let child = Command::new("pebble-challtestsrv")
            .args([
                "-dns01",
                &dns,
                "-http01",
                "",
                "-https01",
                "",
                "-tlsalpn01",
                "",
                "-management",
                &management,
                "-defaultIPv4",
                "127.0.0.1",
                "-defaultIPv6",
                "",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pebble-challtestsrv not found: apt-get install pebble-challtestsrv");
        let started = Instant::now();
        while TcpStream::connect(&management).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "challtestsrv did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        ChallTestSrv {
            child,
            dns,
            management,
        }
    }
}

impl Drop for ChallTestSrv {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn identrust_account_then_acme_with_real_http01_and_dns01_validation() {
    let dns = ChallTestSrv::start();
    let eab = random_eab_keys(3);
    let s = sim(|c| c.identrust.eab_pool = eab.clone());
    let http_port = free_port();
    let pebble = s
        .start_pebble(PebbleConfig {
            eab_keys: eab,
            va_always_valid: false,
            http_port,
            dns_server: Some(dns.dns.clone()),
            ..PebbleConfig::default()
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, s.ca_pem()).unwrap();
    let ca = ca.to_str().unwrap();

    let account = json(&run(
        &[
            "identrust",
            "account",
            "--reseller",
            &s.base_url(),
            "--email",
            "cli@example.com",
            "--json",
        ],
        &[("CERTBRIDGE_IDENTRUST_API_KEY", "supersecret")],
    ));
    let kid = account["kid"].as_str().unwrap().to_string();
    let hmac = account["hmac_key"].as_str().unwrap().to_string();
    let env = [
        ("CERTBRIDGE_EAB_HMAC", hmac.as_str()),
        ("CERTBRIDGE_ACME_DIRECTORY", &pebble.directory_url() as &str),
    ];
    let env: Vec<(&str, &str)> = env.to_vec();
    let account_key = dir.path().join("account.pem");
    let acct = account_key.to_str().unwrap();

    // Every ACME call: the subcommand, the shared account options, then its own.
    let acme = |sub: &str, rest: &[&str]| {
        let mut args = vec![
            "acme",
            sub,
            "--ca-cert",
            ca,
            "--eab-kid",
            &kid,
            "--account-key",
            acct,
        ];
        args.extend_from_slice(rest);
        run(&args, &env)
    };

    // http-01, validated for real by Pebble against the CLI's own server.
    let out1 = dir.path().join("one");
    let port = http_port.to_string();
    let v = json(&acme(
        "issue",
        &[
            "--domain",
            "http.example",
            "--http-port",
            &port,
            "--out",
            out1.to_str().unwrap(),
            "--json",
        ],
    ));
    check_private(&out1.join("key.pem"));
    check_private(&account_key);
    assert!(v["serial"].as_str().is_some());

    // dns-01 through the hook, which publishes at challtestsrv.
    let hook = format!(
        "sh -c 'if [ \"$0\" = present ]; then curl -sf -X POST -d \"{{\\\"host\\\":\\\"$1.\\\",\\\"value\\\":\\\"$2\\\"}}\" http://{m}/set-txt; else curl -sf -X POST -d \"{{\\\"host\\\":\\\"$1.\\\"}}\" http://{m}/clear-txt; fi'",
        m = dns.management
    );
    let out2 = dir.path().join("two");
    json(&acme(
        "issue",
        &[
            "--domain",
            "dns.example",
            "--challenge",
            "dns-01",
            "--dns-hook",
            &hook,
            "--out",
            out2.to_str().unwrap(),
            "--json",
        ],
    ));

    // Renew the first (new key), revoke the renewed one with its own key.
    let out3 = dir.path().join("three");
    let cert1 = out1.join("cert.pem");
    json(&acme(
        "renew",
        &[
            "--cert",
            cert1.to_str().unwrap(),
            "--domain",
            "http.example",
            "--http-port",
            &port,
            "--out",
            out3.to_str().unwrap(),
            "--json",
        ],
    ));
    let cert3 = out3.join("cert.pem");
    let key3 = out3.join("key.pem");
    let o = acme(
        "revoke",
        &[
            "--cert",
            cert3.to_str().unwrap(),
            "--cert-key",
            key3.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    // Revoking again is the server's alreadyRevoked, exit 1.
    let o = acme("revoke", &["--cert", cert3.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("alreadyRevoked"), "{:?}", text(&o));
    drop(pebble);
}
