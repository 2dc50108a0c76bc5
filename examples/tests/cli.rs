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
    run_with_stdin(args, env, None)
}

/// Runs the binary with only the given `CERTBRIDGE_*` variables (none leak
/// in from the test's environment) and, when given, `stdin` as its input.
fn run_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    use std::io::Write as _;
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("CERTBRIDGE_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
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
            "--redirect-url",
            "https://a.example/",
        ],
        &[("CERTBRIDGE_REDTRUST_HMAC_KEY", "k")],
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
    let v = json(&redtrust_issue(&s));
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
    let env = SS_ENV;
    let pma = swisssign_prevalidated(&s, "cli.example");
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
    assert_pair_matches(dir.path());
    let order = v["order"].as_str().unwrap().to_string();

    // A failing order (a name the client never validated) leaves the pair.
    let before = read_pair(dir.path());
    let issue = |name: &str| {
        run(
            &[
                "swisssign",
                "issue",
                "--server",
                &url,
                "--product",
                &pma,
                "--domain",
                name,
                "--out",
                out,
                "--json",
            ],
            &env,
        )
    };
    assert_failed_run_kept(dir.path(), &before, &issue("unvalidated.example"));
    // A successful one replaces it with a matching new pair.
    json(&issue("cli.example"));
    let after = read_pair(dir.path());
    assert!(
        before.iter().zip(&after).all(|(a, b)| a != b),
        "not replaced"
    );
    assert_pair_matches(dir.path());
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

// ---------------------------------------------------------------------------
// Secrets: environment, file or stdin; never an argument value (issue 14,
// item 10).

/// One attempt: the arguments (without the secret) and the secret itself.
struct Attempt {
    args: Vec<String>,
    secret: String,
}

/// For one secret option: a plain value is refused with exit 2 and a
/// message naming the variable and the file option, without the value;
/// the same secret from a file, from stdin and from the environment works
/// (`check`). `next` gives a fresh attempt each time (single-use tokens,
/// one EAB key per account).
fn check_secret_sources(
    flag: &str,
    env_var: &str,
    env: &[(&str, &str)],
    next: &mut dyn FnMut() -> Attempt,
    check: &dyn Fn(&Output),
) {
    let strs = |a: &Attempt| a.args.clone();
    // Plain value: refused, not echoed, and nothing else needed for that.
    let a = next();
    let mut args = strs(&a);
    args.extend([format!("--{flag}"), a.secret.clone()]);
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>(), env);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "--{flag}: {out} {err}");
    assert!(
        err.contains(env_var) && err.contains(&format!("--{flag}-file")),
        "--{flag}: {err}"
    );
    assert!(
        !out.contains(&a.secret) && !err.contains(&a.secret),
        "--{flag} echoed: {err}"
    );
    // A file, with the line end `echo` leaves.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    let a = next();
    std::fs::write(&file, format!("{}\n", a.secret)).unwrap();
    let mut args = strs(&a);
    args.extend([format!("--{flag}-file"), file.to_str().unwrap().to_string()]);
    check(&run(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        env,
    ));
    // Stdin.
    let a = next();
    let mut args = strs(&a);
    args.extend([format!("--{flag}-file"), "-".to_string()]);
    check(&run_with_stdin(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        env,
        Some(&a.secret),
    ));
    // The environment.
    let a = next();
    let mut with_env = env.to_vec();
    with_env.push((env_var, &a.secret));
    check(&run(
        &a.args.iter().map(String::as_str).collect::<Vec<_>>(),
        &with_env,
    ));
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn succeeds(o: &Output) {
    assert!(o.status.success(), "{:?}", text(o));
}

#[test]
fn local_secrets_from_file_stdin_and_environment_give_the_same_result() {
    // login-url signs with the HMAC key; jwt signs with the API key. The
    // result from each source must equal the one from the environment.
    let login_url = strings(&[
        "redtrust",
        "login-url",
        "--server",
        "https://rt.example:8082",
        "--partner",
        "ca_demo",
        "--redirect-url",
        "https://app.example/cb",
        "--timestamp",
        "1744719496",
    ]);
    let expected = run(
        &login_url.iter().map(String::as_str).collect::<Vec<_>>(),
        &[("CERTBRIDGE_REDTRUST_HMAC_KEY", "demo-hmac-key")],
    );
    succeeds(&expected);
    check_secret_sources(
        "hmac-key",
        "CERTBRIDGE_REDTRUST_HMAC_KEY",
        &[],
        &mut || Attempt {
            args: login_url.clone(),
            secret: "demo-hmac-key".into(),
        },
        &|o| {
            succeeds(o);
            assert_eq!(o.stdout, expected.stdout);
        },
    );
    let jwt = strings(&[
        "swisssign",
        "jwt",
        "--account",
        "service.account",
        "--now",
        "1744719496",
    ]);
    let expected = run(
        &jwt.iter().map(String::as_str).collect::<Vec<_>>(),
        &[("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY)],
    );
    succeeds(&expected);
    check_secret_sources(
        "api-key",
        "CERTBRIDGE_SWISSSIGN_API_KEY",
        &[],
        &mut || Attempt {
            args: jwt.clone(),
            secret: SS_KEY.into(),
        },
        &|o| {
            succeeds(o);
            assert_eq!(o.stdout, expected.stdout);
        },
    );
}

/// The URL the simulator sends the browser back to, carrying a fresh `tkn`.
fn redirect_with_temp_token(url: &str) -> String {
    use std::io::{Read as _, Write as _};
    let o = run(
        &[
            "redtrust",
            "login-url",
            "--server",
            url,
            "--partner",
            "ca_demo",
            "--redirect-url",
            "https://app.example/callback",
            "--domain",
            "local.users",
        ],
        &[("CERTBRIDGE_REDTRUST_HMAC_KEY", "demo-hmac-key")],
    );
    let login = text(&o).0.trim().to_string();
    let rest = login.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or_else(|| l.strip_prefix("location: "))
        })
        .unwrap_or_else(|| panic!("no redirect: {answer}"))
        .trim()
        .to_string()
}

#[test]
fn redtrust_password_token_and_redirect_from_file_stdin_and_environment() {
    let s = sim(|_| {});
    let url = s.base_url();
    let login = strings(&["redtrust", "login", "--server", &url, "--username", "demo"]);
    check_secret_sources(
        "password",
        "CERTBRIDGE_REDTRUST_PASSWORD",
        &[],
        &mut || Attempt {
            args: login.clone(),
            secret: "demo-password".into(),
        },
        &|o| {
            succeeds(o);
            assert!(text(o).0.trim().len() > 8, "{:?}", text(o));
        },
    );
    let logins = s
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/login"))
        .count();
    assert_eq!(logins, 3, "file, stdin and environment each logged in once");

    // A fresh session token for each attempt, from a password login.
    let fresh_token = || {
        let o = run(
            &login.iter().map(String::as_str).collect::<Vec<_>>(),
            &[("CERTBRIDGE_REDTRUST_PASSWORD", "demo-password")],
        );
        succeeds(&o);
        text(&o).0.trim().to_string()
    };
    let issue = strings(&[
        "redtrust",
        "issue",
        "--server",
        &url,
        "--dn",
        "cn=Token Holder,o=Example,c=ES",
        "--json",
    ]);
    check_secret_sources(
        "token",
        "CERTBRIDGE_REDTRUST_TOKEN",
        &[],
        &mut || Attempt {
            args: issue.clone(),
            secret: fresh_token(),
        },
        &|o| assert_eq!(json(o)["thumbprint"].as_str().map(str::len), Some(40)),
    );

    let login_redirect = strings(&["redtrust", "login", "--server", &url, "--json"]);
    check_secret_sources(
        "redirected-to",
        "CERTBRIDGE_REDTRUST_REDIRECTED_TO",
        &[],
        &mut || Attempt {
            args: login_redirect.clone(),
            secret: redirect_with_temp_token(&url),
        },
        &|o| assert!(json(o)["access_token"].as_str().is_some()),
    );
}

#[test]
fn swisssign_and_identrust_api_keys_from_file_stdin_and_environment() {
    let s = sim(|c| c.identrust.eab_pool = random_eab_keys(4));
    let url = s.base_url();
    let clients = strings(&[
        "swisssign",
        "clients",
        "--server",
        &url,
        "--account",
        "service.account",
        "--json",
    ]);
    check_secret_sources(
        "api-key",
        "CERTBRIDGE_SWISSSIGN_API_KEY",
        &[],
        &mut || Attempt {
            args: clients.clone(),
            secret: SS_KEY.into(),
        },
        &|o| assert!(json(o)[0]["uuid"].as_str().is_some()),
    );
    let account = strings(&[
        "identrust",
        "account",
        "--reseller",
        &url,
        "--email",
        "keys@example.com",
        "--json",
    ]);
    check_secret_sources(
        "api-key",
        "CERTBRIDGE_IDENTRUST_API_KEY",
        &[],
        &mut || Attempt {
            args: account.clone(),
            secret: "supersecret".into(),
        },
        &|o| assert!(json(o)["kid"].as_str().is_some()),
    );
}

/// A Pebble beside the simulator that requires one of `eab`.
fn pebble_requiring(
    s: &SimHandle,
    eab: &[(String, String)],
    tweak: impl FnOnce(&mut PebbleConfig),
) -> certbridge_sim::pebble::Pebble {
    let mut config = PebbleConfig {
        eab_keys: eab.to_vec(),
        ..PebbleConfig::default()
    };
    tweak(&mut config);
    s.start_pebble(config).unwrap()
}

/// The simulator's CA (which signs Pebble's listener) as `dir/ca.pem`.
fn ca_file(s: &SimHandle, dir: &Path) -> String {
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, s.ca_pem()).unwrap();
    ca.to_str().unwrap().to_string()
}

#[test]
fn eab_hmac_from_file_stdin_and_environment_at_pebble() {
    let eab = random_eab_keys(4);
    let s = sim(|_| {});
    let pebble = pebble_requiring(&s, &eab, |_| {});
    let dir = tempfile::tempdir().unwrap();
    let ca = ca_file(&s, dir.path());
    let out = dir.path().join("certs");
    let directory = pebble.directory_url();
    let mut keys = eab.into_iter();
    check_secret_sources(
        "eab-hmac",
        "CERTBRIDGE_EAB_HMAC",
        &[],
        &mut || {
            // One EAB key per attempt: each makes a new account.
            let (kid, hmac) = keys.next().unwrap();
            Attempt {
                args: strings(&[
                    "acme",
                    "issue",
                    "--directory",
                    &directory,
                    "--ca-cert",
                    &ca,
                    "--eab-kid",
                    &kid,
                    "--domain",
                    "eab.example",
                    "--http-port",
                    &free_port().to_string(),
                    "--out",
                    out.to_str().unwrap(),
                    "--json",
                ]),
                secret: hmac,
            }
        },
        &|o| assert!(json(o)["serial"].as_str().is_some()),
    );
}

// ---------------------------------------------------------------------------
// Input is checked before the first request (issue 14, item 5).

/// A port that counts connections: every bad invocation below points at it
/// and must leave it untouched.
struct Tripwire {
    listener: TcpListener,
}

impl Tripwire {
    fn new() -> Tripwire {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Tripwire { listener }
    }

    fn url(&self) -> String {
        format!("http://{}", self.listener.local_addr().unwrap())
    }

    fn assert_untouched(&self, what: &str) {
        match self.listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("{what}: the server was contacted: {other:?}"),
        }
    }
}

#[test]
fn bad_input_exits_2_before_any_connection() {
    let wire = Tripwire::new();
    let url = wire.url();
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a PEM file\n").unwrap();
    let no_tkn = dir.path().join("redirect");
    std::fs::write(&no_tkn, "https://app.example/cb?x=1\n").unwrap();
    let garbage = garbage.to_str().unwrap();
    let missing = dir.path().join("missing.pem");
    let missing = missing.to_str().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let rt_pw = [("CERTBRIDGE_REDTRUST_PASSWORD", "demo-password")];
    let ss = [
        ("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY),
        ("CERTBRIDGE_SWISSSIGN_ACCOUNT", "service.account"),
    ];
    let eab = [(
        "CERTBRIDGE_EAB_HMAC",
        "c2VjcmV0LWVhYi1rZXktYnl0ZXMtMzItbG9uZyEhISE",
    )];
    let bad_eab = [("CERTBRIDGE_EAB_HMAC", "not base64 !!!")];
    let vars = [
        ("{u}", url.as_str()),
        ("{out}", out),
        ("{missing}", missing),
        ("{garbage}", garbage),
        ("{no_tkn}", no_tkn.to_str().unwrap()),
        ("{pma}", "pma-60b9ba99-f4ed-44ad-ba48-c8fa512015ed"),
        ("{cli}", "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd"),
    ];
    let acme = "acme issue --directory {u} --eab-kid kid-1 --out {out}";
    type Env<'a> = &'a [(&'a str, &'a str)];
    #[rustfmt::skip]
    let cases: Vec<(&str, String, Env)> = vec![
        ("empty DN", "redtrust issue --server {u} --username demo --dn=".into(), &rt_pw),
        ("unknown DN attribute", "redtrust issue --server {u} --username demo --dn cn=x,zz=y".into(), &rt_pw),
        ("finalize data not base64", "redtrust issue --server {u} --username demo --dn cn=x --data-in-b64 *not*".into(), &rt_pw),
        ("bad key type", "redtrust issue --server {u} --username demo --dn cn=x --key-type EC".into(), &rt_pw),
        ("bad thumbprint", "redtrust renew --server {u} --username demo --dn cn=x --thumbprint zz".into(), &rt_pw),
        ("missing certificate", "redtrust renew --server {u} --username demo --dn cn=x --certificate {missing}".into(), &rt_pw),
        ("password without user", "redtrust login --server {u}".into(), &rt_pw),
        ("no credentials", "redtrust login --server {u} --username demo".into(), &[]),
        ("redirect without tkn", "redtrust login --server {u} --redirected-to-file {no_tkn}".into(), &[]),
        ("plain password", "redtrust login --server {u} --username demo --password demo-password".into(), &[]),
        ("bad product", "swisssign issue --server {u} --product prod-1 --domain a.example --out {out}".into(), &ss),
        ("bad domain", "swisssign issue --server {u} --product {pma} --domain bad..example --out {out}".into(), &ss),
        ("bad order", "swisssign status --server {u} --order order-1".into(), &ss),
        ("bad domain ref", "swisssign domain validate --server {u} --domain dom-1".into(), &ss),
        ("bad client ref", "swisssign domain list --server {u} --client client-1".into(), &ss),
        ("wildcard registration", "swisssign domain register --server {u} --server-jwt --client {cli} *.example.com".into(), &ss),
        ("bad serial", "swisssign revoke --server {u} --serial xyz --issuer CN=CA".into(), &ss),
        ("bad reason", "swisssign revoke --server {u} --order ord-1 --reason boredom".into(), &ss),
        ("no api key", "swisssign clients --server {u}".into(), &[("CERTBRIDGE_SWISSSIGN_ACCOUNT", "a")]),
        ("bad e-mail", "identrust account --reseller {u} --email not-an-e-mail".into(), &[("CERTBRIDGE_IDENTRUST_API_KEY", "k")]),
        ("undecodable EAB key", format!("{acme} --domain a.example"), &bad_eab),
        ("EAB kid without key", format!("{acme} --domain a.example"), &[]),
        ("bad name", format!("{acme} --domain bad_name!"), &eab),
        ("dns-01 without hook", format!("{acme} --domain a.example --challenge dns-01"), &eab),
        ("bad contact", format!("{acme} --domain a.example --email a@b@c"), &eab),
        ("garbage account key", format!("{acme} --domain a.example --account-key {{garbage}}"), &eab),
        ("missing CA file", format!("{acme} --domain a.example --ca-cert {{missing}}"), &eab),
        ("garbage cert to renew", "acme renew --directory {u} --eab-kid kid-1 --cert {garbage} --domain a.example --out {out}".into(), &eab),
        ("missing cert to revoke", "acme revoke --directory {u} --cert {missing}".into(), &[]),
        ("garbage cert to revoke", "acme revoke --directory {u} --cert {garbage}".into(), &[]),
    ];
    for (what, line, env) in cases {
        let args: Vec<String> = line
            .split_whitespace()
            .map(|w| vars.iter().fold(w.to_string(), |w, (k, v)| w.replace(k, v)))
            .collect();
        let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>(), env);
        assert_eq!(o.status.code(), Some(2), "{what}: {:?}", text(&o));
        wire.assert_untouched(what);
    }
    // Nothing was written for an order that never started.
    assert!(!dir.path().join("out").exists());
}

// ---------------------------------------------------------------------------
// A failed run leaves the deployed pair as it was (issue 14, item 2).

const LIVE: [&str; 3] = ["key.pem", "cert.pem", "chain.pem"];

fn read_pair(dir: &Path) -> Vec<Vec<u8>> {
    LIVE.iter()
        .map(|n| std::fs::read(dir.join(n)).unwrap())
        .collect()
}

/// After a failed run: the deployed files byte for byte as before, the new
/// key kept (0600) under the name stderr gives, and no other leftovers.
fn assert_failed_run_kept(dir: &Path, before: &[Vec<u8>], o: &Output) {
    let (out, err) = text(o);
    assert_eq!(o.status.code(), Some(1), "{out} {err}");
    assert_eq!(read_pair(dir), before, "the deployed pair changed");
    let pending: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !LIVE.contains(&n.as_str()))
        .collect();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert!(pending[0].starts_with("key.pem.new-"), "{pending:?}");
    let path = dir.join(&pending[0]);
    check_private(&path);
    assert!(
        err.contains(path.to_str().unwrap()) && err.contains("unchanged"),
        "{err}"
    );
    std::fs::remove_file(path).unwrap();
}

/// key.pem is the private key of cert.pem's public key, and chain.pem
/// starts with cert.pem.
fn assert_pair_matches(dir: &Path) {
    use der::{Decode as _, Encode as _};
    check_private(&dir.join("key.pem"));
    let key = certbridge::crypto::keys::PrivateKey::from_pem(
        &std::fs::read_to_string(dir.join("key.pem")).unwrap(),
    )
    .unwrap();
    let cert = std::fs::read_to_string(dir.join("cert.pem")).unwrap();
    let der = certbridge::crypto::certificate::Certificate::parse(cert.as_bytes())
        .unwrap()
        .der()
        .unwrap();
    let spki = x509_cert::Certificate::from_der(&der)
        .unwrap()
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    assert_eq!(
        spki,
        key.public_key_der().unwrap(),
        "key.pem does not match cert.pem"
    );
    let chain = std::fs::read_to_string(dir.join("chain.pem")).unwrap();
    assert!(
        chain.starts_with(cert.trim_end()),
        "chain.pem does not start with the leaf"
    );
}

#[test]
fn acme_renewal_replaces_the_pair_only_when_it_succeeds() {
    let eab = random_eab_keys(3);
    let s = sim(|_| {});
    let pebble = pebble_requiring(&s, &eab, |_| {});
    // A second Pebble that really validates: nothing answers its http-01
    // requests, so every authorization fails.
    let strict = pebble_requiring(&s, &eab, |c| {
        c.va_always_valid = false;
        c.http_port = free_port();
    });
    let dir = tempfile::tempdir().unwrap();
    let ca = ca_file(&s, dir.path());
    let ca = ca.as_str();
    let out = dir.path().join("live");
    let out_s = out.to_str().unwrap();
    let cert = out.join("cert.pem");
    let cert_s = cert.to_str().unwrap();
    let acme = |sub: &str, directory: &str, (kid, hmac): (&str, &str), rest: &[&str]| {
        let port = free_port().to_string();
        let mut args = vec![
            "acme",
            sub,
            "--directory",
            directory,
            "--ca-cert",
            ca,
            "--eab-kid",
            kid,
            "--domain",
            "renew.example",
            "--http-port",
            &port,
            "--out",
            out_s,
            "--json",
        ];
        args.extend_from_slice(rest);
        run(&args, &[("CERTBRIDGE_EAB_HMAC", hmac)])
    };
    let key = |i: usize| (eab[i].0.as_str(), eab[i].1.as_str());

    // First issuance into an empty directory.
    json(&acme("issue", &pebble.directory_url(), key(0), &[]));
    assert_pair_matches(&out);
    let first = read_pair(&out);

    // A wrong EAB key: the server refuses the account.
    let wrong = random_eab_keys(1).remove(0).1;
    let o = acme(
        "renew",
        &pebble.directory_url(),
        (key(1).0, wrong.as_str()),
        &["--cert", cert_s],
    );
    assert!(text(&o).1.contains("[provider"), "{:?}", text(&o));
    assert_failed_run_kept(&out, &first, &o);

    // A challenge that fails validation.
    let o = acme("issue", &strict.directory_url(), key(2), &[]);
    // Pebble's validator could not fetch the http-01 answer.
    assert!(text(&o).1.contains("acme-challenge"), "{:?}", text(&o));
    assert_failed_run_kept(&out, &first, &o);

    // A successful renewal replaces key, certificate and chain together.
    json(&acme(
        "renew",
        &pebble.directory_url(),
        key(1),
        &["--cert", cert_s],
    ));
    let second = read_pair(&out);
    for (i, name) in LIVE.iter().enumerate() {
        assert_ne!(first[i], second[i], "{name} was not replaced");
    }
    assert_pair_matches(&out);
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "leftovers: {names:?}");
}

// ---------------------------------------------------------------------------
// Server text reaches the terminal without control characters (issue 14,
// item 8).

/// Answers every request with `status` and `body` as `content_type`.
fn scripted_server(status: u16, content_type: &str, body: &str) -> String {
    use std::io::{Read as _, Write as _};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let reply = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    url
}

fn assert_no_terminal_controls(o: &Output) {
    for (name, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|c| (c.is_control() && *c != '\n') || ('\u{202a}'..='\u{202e}').contains(c))
            .collect();
        assert!(bad.is_empty(), "{name} carries {bad:?}: {text}");
    }
}

#[test]
fn server_text_is_printed_without_control_characters() {
    // An ACME problem document whose detail clears the screen, sets the
    // window title, returns the carriage and reverses the text.
    let evil = "\\u001b[2J\\u001b]0;owned\\u0007gone\\r\\u009b1mfake ok\\u202e";
    let url = scripted_server(
        400,
        "application/problem+json",
        &format!(r#"{{"type":"urn:ietf:params:acme:error:malformed","detail":"{evil}"}}"#),
    );
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        &[
            "acme",
            "revoke",
            "--directory",
            &format!("{url}/dir"),
            "--cert",
            "/dev/null",
        ],
        &[],
    );
    // /dev/null is no certificate: checked first, nothing sent.
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        &[
            "acme",
            "issue",
            "--directory",
            &format!("{url}/dir"),
            "--domain",
            "a.example",
            "--http-port",
            &free_port().to_string(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
        &[],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("\\x1b[2J") && err.contains("gone\\x0d"),
        "{err}"
    );
    assert_no_terminal_controls(&o);

    // The same in a summary and in --json: a SwissSign domain list as a
    // hostile server might send it.
    let body = r#"[{"uuid":"cld-90dbaeb2-0047-49e7-bc5d-1c63848e1acd","domain":"a.example\u001b[31m\r\u009b\u202e\u0007"}]"#;
    let url = scripted_server(200, "application/json", body);
    let cli = "cli-90dbaeb2-0047-49e7-bc5d-1c63848e1acd";
    for extra in [None, Some("--json")] {
        let mut args = vec![
            "swisssign",
            "domain",
            "list",
            "--server",
            &url,
            "--account",
            "a",
            "--client",
            cli,
        ];
        args.extend(extra);
        let o = run(&args, &[("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY)]);
        assert!(o.status.success(), "{:?}", text(&o));
        assert_no_terminal_controls(&o);
        if extra.is_some() {
            // Still the server's value for a program reading the JSON.
            assert_eq!(
                json(&o)[0]["domain"],
                "a.example\u{1b}[31m\r\u{9b}\u{202e}\u{7}"
            );
        } else {
            assert!(
                text(&o)
                    .0
                    .contains("a.example\\x1b[31m\\x0d\\x9b\\u{202e}\\x07"),
                "{:?}",
                text(&o)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// An endless response body ends in a typed error, in bounded memory (issue
// 14, item 3).

/// The resident-set high-water mark of a running process, in bytes.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn an_endless_body_is_a_typed_error_in_bounded_memory() {
    use certbridge_sim::{FaultKind, FaultSpec};
    let s = sim(|_| {});
    s.add_fault(FaultSpec {
        path_prefix: "/v2/".into(),
        method: None,
        kind: FaultKind::EndlessBody,
        count: None,
        rate: Some(1.0),
    })
    .unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args([
        "swisssign",
        "clients",
        "--server",
        &s.base_url(),
        "--account",
        "a",
    ])
    .env("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // Watched while it runs: before the limit existed the CLI passed 2 GiB.
    let limit = 256 << 20;
    let started = Instant::now();
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(peak_rss(child.id()).unwrap_or(0));
        if peak > limit || started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "still reading after {:?}, {peak} bytes resident",
                started.elapsed()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let o = child.wait_with_output().unwrap();
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out} {err}");
    assert!(err.contains("error [protocol]"), "{err}");
    assert!(err.contains("body exceeds the 4194304-byte limit"), "{err}");
    assert!(peak < limit, "{peak}");
    // A lower limit is honoured, and a body under it still works.
    let url = s.base_url();
    let clients = |account: &str, extra: &[&str]| {
        let mut args = vec![
            "swisssign",
            "clients",
            "--server",
            &url,
            "--account",
            account,
        ];
        args.extend(extra);
        run(&args, &[("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY)])
    };
    let o = clients("a", &["--max-response-bytes", "100000"]);
    assert!(text(&o).1.contains("100000-byte limit"), "{:?}", text(&o));
    s.clear_faults();
    let o = clients("service.account", &[]);
    assert!(o.status.success(), "{:?}", text(&o));
}

// ---------------------------------------------------------------------------
// Credentials never go to a cleartext non-loopback server unless asked
// (issue 14, item 9).

#[test]
fn cleartext_servers_are_refused_without_insecure_http() {
    // TEST-NET-1: nothing answers there, and nothing must be tried.
    let far = "http://192.0.2.1:9";
    let rt_pw = [("CERTBRIDGE_REDTRUST_PASSWORD", "demo-password")];
    let ss = [("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY)];
    let it = [("CERTBRIDGE_IDENTRUST_API_KEY", "k")];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    type Env<'a> = &'a [(&'a str, &'a str)];
    let cases: Vec<(&str, Vec<&str>, Env)> = vec![
        (
            "server",
            vec!["redtrust", "login", "--server", far, "--username", "demo"],
            &rt_pw,
        ),
        (
            "base_url",
            vec!["swisssign", "clients", "--server", far, "--account", "a"],
            &ss,
        ),
        (
            "reseller_base",
            vec![
                "identrust",
                "account",
                "--reseller",
                far,
                "--email",
                "a@b.example",
            ],
            &it,
        ),
        (
            "directory",
            vec![
                "acme",
                "issue",
                "--directory",
                far,
                "--domain",
                "a.example",
                "--out",
                out,
            ],
            &[],
        ),
    ];
    for (field, args, env) in cases {
        let started = Instant::now();
        let o = run(&args, env);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{field}: {err}");
        assert!(
            err.contains(&format!(
                "error [invalid_input]: invalid {field}: credentials are sent"
            )) && err.contains("--insecure-http"),
            "{field}: {err}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{field}: a connection was tried"
        );
        // The explicit opt-in passes the check: the run then fails at the
        // network (a transport error), not at the URL.
        let mut args = args.clone();
        args.extend(["--insecure-http", "--timeout", "1"]);
        let o = run(&args, env);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{field}: {err}");
        assert!(
            err.contains("[transport]") || err.contains("[timeout]"),
            "{field}: {err}"
        );
    }
}

/// Adds a fault rule for `count` requests under `prefix`.
fn fault(s: &SimHandle, prefix: &str, kind: certbridge_sim::FaultKind, count: u64) {
    s.add_fault(certbridge_sim::FaultSpec {
        path_prefix: prefix.into(),
        method: None,
        kind,
        count: Some(count),
        rate: None,
    })
    .unwrap();
}

/// How many requests the simulator saw whose path starts with `prefix`.
fn seen(s: &SimHandle, prefix: &str) -> usize {
    s.requests()
        .iter()
        .filter(|r| r.path.starts_with(prefix))
        .count()
}

const SS_ENV: [(&str, &str); 2] = [
    ("CERTBRIDGE_SWISSSIGN_API_KEY", SS_KEY),
    ("CERTBRIDGE_SWISSSIGN_ACCOUNT", "service.account"),
];

/// Registers and validates `name` for the first client; returns its product.
fn swisssign_prevalidated(s: &SimHandle, name: &str) -> String {
    let url = s.base_url();
    let clients = json(&run(
        &["swisssign", "clients", "--server", &url, "--json"],
        &SS_ENV,
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
            name,
        ],
        &SS_ENV,
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
        &SS_ENV,
    ));
    assert_eq!(v["validated"], true);
    pma
}

fn swisssign_issue(s: &SimHandle, pma: &str, name: &str, out: &Path, extra: &[&str]) -> Output {
    let url = s.base_url();
    let mut args = vec![
        "swisssign",
        "issue",
        "--server",
        &url,
        "--product",
        pma,
        "--domain",
        name,
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    run(&args, &SS_ENV)
}

fn redtrust_issue(s: &SimHandle) -> Output {
    run(
        &[
            "redtrust",
            "issue",
            "--server",
            &s.base_url(),
            "--username",
            "demo",
            "--domain",
            "local.users",
            "--dn",
            "cn=CLI Holder,o=Example,c=ES",
            "--json",
        ],
        &[("CERTBRIDGE_REDTRUST_PASSWORD", "demo-password")],
    )
}

/// A login answer whose `expiration` is already past (the token works):
/// one login, then create and finalize, not a login before every step
/// (issue 14, item 1).
#[test]
fn redtrust_issue_logs_in_once_with_a_token_that_arrives_expired() {
    let s = sim(|_| {});
    fault(
        &s,
        "/raapi/v1/auth/",
        certbridge_sim::FaultKind::PastExpiry,
        100,
    );
    let v = json(&redtrust_issue(&s));
    assert_eq!(v["thumbprint"].as_str().map(str::len), Some(40));
    assert_eq!(seen(&s, "/raapi/v1/auth/login"), 1);
    assert_eq!(seen(&s, "/raapi/v1/auth/refresh-token"), 0);
    assert_eq!(seen(&s, "/raapi/"), 3, "{:?}", s.requests());
}

/// `/v2/jwt` handing out a JWT whose `exp` is already past (the server
/// takes it): one JWT request for the whole issuance (issue 14, item 1).
#[test]
fn swisssign_issue_fetches_a_jwt_that_arrives_expired_once() {
    let s = sim(|c| c.swisssign.issue_delay_ms = 300);
    let pma = swisssign_prevalidated(&s, "jwt-past.example");
    fault(&s, "/v2/jwt/", certbridge_sim::FaultKind::PastExpiry, 100);
    let dir = tempfile::tempdir().unwrap();
    let o = swisssign_issue(&s, &pma, "jwt-past.example", dir.path(), &["--server-jwt"]);
    json(&o);
    assert_pair_matches(dir.path());
    assert_eq!(seen(&s, "/v2/jwt/"), 1, "{:?}", s.requests());
    assert!(seen(&s, "/v2/order/") >= 2, "the order was polled");
}

/// A server that hands out already-expired tokens and then refuses every
/// one: a bounded number of logins (JWT requests), then the refusal
/// (Redtrust `error [auth]`, SwissSign its JWT error), exit 1, never a loop.
#[test]
fn a_server_refusing_every_token_ends_in_an_auth_error_after_bounded_logins() {
    let s = sim(|_| {});
    fault(
        &s,
        "/raapi/v1/auth/",
        certbridge_sim::FaultKind::PastExpiry,
        100,
    );
    fault(
        &s,
        "/raapi/v1/csr/",
        certbridge_sim::FaultKind::ExpiredToken,
        100,
    );
    let o = redtrust_issue(&s);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error [auth"), "{err}");
    let auth = seen(&s, "/raapi/v1/auth/");
    assert!((1..=4).contains(&auth), "{auth} auth requests");
    assert!(seen(&s, "/raapi/") <= 8, "{:?}", s.requests());

    let s = sim(|_| {});
    let pma = swisssign_prevalidated(&s, "refused.example");
    fault(&s, "/v2/jwt/", certbridge_sim::FaultKind::PastExpiry, 100);
    fault(
        &s,
        "/v2/issue/",
        certbridge_sim::FaultKind::ExpiredToken,
        100,
    );
    let dir = tempfile::tempdir().unwrap();
    let o = swisssign_issue(&s, &pma, "refused.example", dir.path(), &["--server-jwt"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // SwissSign's refusal keeps its own code (JWT expired, 401), as the
    // error vectors fix it.
    assert!(err.contains("error [provider 009.250.0228]"), "{err}");
    let jwts = seen(&s, "/v2/jwt/");
    assert!((1..=2).contains(&jwts), "{jwts} JWT requests");
    assert!(seen(&s, "/v2/issue/") <= 2, "{:?}", s.requests());
}

/// A dropped connection, a timeout, a truncated or an empty body on one
/// order status poll: the poll is repeated and `swisssign issue` completes, where it
/// used to end with exit 1 and leave a live order behind (issue 14,
/// item 14).
#[test]
fn swisssign_issue_survives_one_bad_status_poll() {
    // The delay is past the one-second `--timeout` below.
    for (what, kind) in certbridge_sim::faults::transient_kinds() {
        let s = sim(|c| c.swisssign.issue_delay_ms = 300);
        let name = format!("poll-{what}.example");
        let pma = swisssign_prevalidated(&s, &name);
        fault(&s, "/v2/order/", kind, 1);
        let dir = tempfile::tempdir().unwrap();
        let o = swisssign_issue(&s, &pma, &name, dir.path(), &["--timeout", "1"]);
        let v = json(&o);
        assert!(v["order"].as_str().unwrap().starts_with("ord-"), "{what}");
        assert_pair_matches(dir.path());
        assert_eq!(seen(&s, "/v2/issue/"), 1, "{what}");
        let faulted: Vec<_> = s
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with("/v2/order/") && r.fault.is_some())
            .collect();
        assert_eq!(faulted.len(), 1, "{what}: {faulted:?}");
        assert!(faulted[0].path.ends_with("/status"), "{what}: {faulted:?}");
    }
}

/// A truncated answer to the CSR submission: exit 1 with an `ambiguous`
/// error that says an order may exist and how to look for it (a command
/// that finds it), the new key kept, the CSR not submitted again.
#[test]
fn swisssign_issue_reports_a_lost_submission_as_ambiguous() {
    let s = sim(|_| {});
    let pma = swisssign_prevalidated(&s, "lost.example");
    // The order is made, its answer cut short: the reference is lost.
    fault(
        &s,
        "/v2/issue/",
        certbridge_sim::FaultKind::Malformed {
            variant: certbridge_sim::Malformed::Truncated,
        },
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let o = swisssign_issue(&s, &pma, "lost.example", dir.path(), &[]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error [ambiguous]"), "{err}");
    assert!(err.contains("may have been created"), "{err}");
    assert!(err.contains("new key is kept"), "{err}");
    assert_eq!(seen(&s, "/v2/issue/"), 1);
    // The hint's command finds the order the lost answer would have named.
    let hint = err
        .split('`')
        .find(|part| part.starts_with("certbridge swisssign orders"))
        .unwrap_or_else(|| panic!("no orders hint: {err}"));
    let since = hint.rsplit(' ').next().unwrap();
    let listed = text(&run(
        &[
            "swisssign",
            "orders",
            "--server",
            &s.base_url(),
            "--since",
            since,
        ],
        &SS_ENV,
    ))
    .0;
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.starts_with("ord-"), "{listed}");
}

/// `swisssign issue` stops waiting at `--wait` (default ten minutes, never
/// forever unless asked) and prints the order reference, on stdout, so the
/// order can be picked up (issue 14, item 12).
#[test]
fn swisssign_issue_stops_waiting_and_names_the_order() {
    let s = sim(|c| c.swisssign.issue_delay_ms = 60_000);
    let pma = swisssign_prevalidated(&s, "slow.example");
    let dir = tempfile::tempdir().unwrap();
    let o = swisssign_issue(&s, &pma, "slow.example", dir.path(), &["--wait", "1"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out} {err}");
    assert!(err.contains("error [timeout]"), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let order = v["order"].as_str().unwrap();
    assert!(order.starts_with("ord-"), "{v}");
    assert_eq!(v["issued"], false);
    assert!(err.contains(order), "the error names the order: {err}");
    assert!(
        err.contains(&format!("certbridge swisssign status --order {order}")),
        "{err}"
    );
    assert!(err.contains("new key is kept"), "{err}");
    // The order is still there to be looked at.
    let status = text(&run(
        &[
            "swisssign",
            "status",
            "--server",
            &s.base_url(),
            "--order",
            order,
        ],
        &SS_ENV,
    ))
    .0;
    assert!(
        !status.trim().is_empty() && status.trim() != "ISSUED",
        "{status}"
    );
    // `--wait` takes seconds or `forever`, nothing else.
    let o = swisssign_issue(&s, &pma, "slow.example", dir.path(), &["--wait", "soon"]);
    assert_eq!(o.status.code(), Some(2));
    let help = text(&run(&["swisssign", "issue", "--help"], &[])).0;
    assert!(help.contains("[default: 600]"), "{help}");
}
