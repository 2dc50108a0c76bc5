//! What an ACME server may not do: the checks applied to everything a
//! server hands the client before the client acts on it.
//!
//! RFC 8555 section 10 treats the CA as trusted, but the client talks to it
//! through proxies, mis-configured directories and reseller front ends, and
//! the issue tracker (issue 14, item 8) asks for "every server is possibly
//! hostile". So:
//!
//! - **URLs** (section 6.1: "ACME ... MUST use HTTPS"): every URL a server
//!   document or header names (directory entries, `Location`, order,
//!   authorization, challenge, finalize and certificate URLs, `Link`
//!   alternates) must be `https`, except `http` to a loopback host when the
//!   directory itself is served that way (a local test CA). See [`UrlPolicy`].
//! - **Identifiers** (section 7.1.4, 7.5): an authorization must be for an
//!   identifier the order asked for, and be a well-formed DNS name or IP
//!   address, before its challenge reaches a solver or a DNS hook.
//! - **Counts**: at most [`MAX_AUTHORIZATIONS`] per order (and no more than
//!   the identifiers ordered), [`MAX_CHALLENGES`] per authorization and
//!   [`MAX_ALTERNATES`] alternate chains followed.
//!
//! Every refusal is a `protocol` error naming what was refused.

use std::net::IpAddr;

use crate::acme::authorization::{Authorization, Identifier};
use crate::acme::directory::Directory;
use crate::acme::order::Order;
use crate::error::Error;
use crate::http::is_loopback;

/// Most authorizations one order may list (section 7.1.3: one per
/// identifier; public CAs allow 100 names per certificate).
pub const MAX_AUTHORIZATIONS: usize = 100;

/// Most challenges one authorization may offer (section 7.1.4: one per
/// type; three types are defined).
pub const MAX_CHALLENGES: usize = 10;

/// Most alternate chains (`Link: rel="alternate"`, section 7.4.2) an
/// issuance downloads; the URLs of all of them stay in
/// [`CertificateChain::alternates`](crate::acme::CertificateChain).
pub const MAX_ALTERNATES: usize = 10;

/// Which URL schemes a server may hand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UrlPolicy {
    loopback_http: bool,
}

impl UrlPolicy {
    /// `https` only: any directory that is not `http` on loopback.
    pub const HTTPS: UrlPolicy = UrlPolicy {
        loopback_http: false,
    };

    /// `https`, or `http` to a loopback host (`127.0.0.0/8`, `::1`,
    /// `localhost`). The loosest policy any session has, so it is what the
    /// endpoint parsers apply: they do not know the directory URL.
    pub const LOOPBACK_HTTP: UrlPolicy = UrlPolicy {
        loopback_http: true,
    };

    /// The policy for a directory fetched from `directory_url`: `http` is
    /// allowed only when that URL is itself `http` on loopback.
    pub fn for_directory_url(directory_url: &str) -> UrlPolicy {
        match url::Url::parse(directory_url.trim()) {
            Ok(u) if u.scheme() == "http" && is_loopback(&u) => UrlPolicy::LOOPBACK_HTTP,
            _ => UrlPolicy::HTTPS,
        }
    }

    /// The policy a session over `directory` applies to every request: the
    /// directory's own endpoints stand for the URL it came from (a directory
    /// parsed with [`GetDirectory::parse_at`](crate::acme::directory::GetDirectory::parse_at)
    /// has been checked against that URL), so `http` stays allowed only if
    /// `newNonce`, `newAccount` and `newOrder` are all `http` on loopback.
    pub fn for_directory(directory: &Directory) -> UrlPolicy {
        let local = [
            &directory.new_nonce,
            &directory.new_account,
            &directory.new_order,
        ]
        .iter()
        .all(|u| matches!(url::Url::parse(u), Ok(u) if u.scheme() == "http" && is_loopback(&u)));
        if local {
            UrlPolicy::LOOPBACK_HTTP
        } else {
            UrlPolicy::HTTPS
        }
    }

    /// Checks `url`, which the server sent as `what` (e.g. `"finalize"`), in
    /// the response parsed as `context`. The URL itself is not echoed: it is
    /// server text, and only its scheme matters here.
    pub fn check(self, context: &'static str, what: &str, url: &str) -> Result<(), Error> {
        let refuse = |why: &str| {
            Err(Error::protocol(
                context,
                format!("{what} URL refused: {why}"),
            ))
        };
        let Ok(parsed) = url::Url::parse(url) else {
            return refuse("not an absolute URL");
        };
        if parsed.host_str().is_none_or(str::is_empty) {
            return refuse("no host");
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return refuse("it carries credentials");
        }
        match parsed.scheme() {
            "https" => Ok(()),
            "http" if self.loopback_http && is_loopback(&parsed) => Ok(()),
            "http" if self.loopback_http => {
                refuse("http is allowed only to a loopback host; ACME requires https (RFC 8555 section 6.1)")
            }
            "http" => refuse(
                "ACME requires https (RFC 8555 section 6.1); http only where the directory itself is http on loopback",
            ),
            _ => refuse("the scheme must be https"),
        }
    }
}

/// Checks an order's shape against what was ordered: no more
/// authorizations than identifiers (section 7.1.3: one per identifier),
/// and never more than [`MAX_AUTHORIZATIONS`].
pub(crate) fn check_order_size(order: &Order, ordered: &[Identifier]) -> Result<(), Error> {
    let n = order.authorizations.len();
    if n > ordered.len() || n > MAX_AUTHORIZATIONS {
        return Err(Error::protocol(
            "order",
            format!(
                "the order lists {n} authorizations for {} identifiers",
                ordered.len()
            ),
        ));
    }
    Ok(())
}

/// Checks that an authorization's identifier is well formed (section
/// 7.1.4): a `dns` value is an ASCII DNS name (any case, no trailing dot,
/// a wildcard only as the RFC's `wildcard` flag or a leading `*.`), an `ip`
/// value an IP address (RFC 8738) and never a wildcard. Other types (later
/// RFCs) pass here and are refused by [`check_identifier_ordered`] unless
/// the order asked for them.
pub(crate) fn check_identifier_form(
    context: &'static str,
    authz_identifier: &Identifier,
    wildcard: bool,
) -> Result<(), Error> {
    let value = &authz_identifier.value;
    let ok = match authz_identifier.kind.as_str() {
        "dns" => Identifier::dns(value).is_ok_and(|i| i.value.eq_ignore_ascii_case(value)),
        "ip" => !wildcard && value.parse::<IpAddr>().is_ok(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::protocol(
            context,
            format!(
                "the authorization's {} identifier is not a valid name",
                if authz_identifier.kind == "ip" {
                    "ip"
                } else {
                    "dns"
                }
            ),
        ))
    }
}

/// Checks that `authz` is for one of the identifiers `ordered`: a DNS name
/// compared without regard to ASCII case, `*.name` for a wildcard
/// authorization (section 7.1.4: identifier `name`, `wildcard: true`), an
/// IP address by value. Only then may its challenges reach a solver.
pub(crate) fn check_identifier_ordered(
    authz: &Authorization,
    ordered: &[Identifier],
) -> Result<(), Error> {
    check_identifier_form("authorization", &authz.identifier, authz.wildcard)?;
    let id = &authz.identifier;
    let found = match id.kind.as_str() {
        "dns" => {
            let name = if authz.wildcard && !id.value.starts_with("*.") {
                format!("*.{}", id.value)
            } else {
                id.value.clone()
            };
            ordered
                .iter()
                .any(|o| o.kind == "dns" && o.value.eq_ignore_ascii_case(&name))
        }
        "ip" => {
            let ip = id.value.parse::<IpAddr>().ok();
            ordered
                .iter()
                .any(|o| o.kind == "ip" && o.value.parse::<IpAddr>().ok() == ip)
        }
        _ => false,
    };
    if found {
        return Ok(());
    }
    let shown = match id.kind.as_str() {
        // Checked well formed above, so safe to show.
        "dns" | "ip" => format!(
            "{} {}{}",
            id.kind,
            if authz.wildcard { "*." } else { "" },
            id.value
        ),
        _ => "an identifier of another type".to_string(),
    };
    Err(Error::protocol(
        "authorization",
        format!("the server sent an authorization for {shown}, which the order did not ask for"),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn url_policy_follows_the_directory() {
        let strict = UrlPolicy::for_directory_url("https://127.0.0.1:14000/dir");
        assert_eq!(strict, UrlPolicy::HTTPS);
        assert_eq!(
            UrlPolicy::for_directory_url("http://ca.example/dir"),
            UrlPolicy::HTTPS
        );
        for local in [
            "http://127.0.0.1:4001/dir",
            "http://[::1]/d",
            "http://LocalHost/d",
        ] {
            assert_eq!(
                UrlPolicy::for_directory_url(local),
                UrlPolicy::LOOPBACK_HTTP,
                "{local}"
            );
        }
        strict
            .check("order", "finalize", "https://ca.example/f?x=1")
            .unwrap();
        let e = strict
            .check("order", "finalize", "http://127.0.0.1/f")
            .unwrap_err();
        assert_eq!(e.kind(), "protocol");
        assert!(e.to_string().contains("finalize URL refused"), "{e}");
        let local = UrlPolicy::LOOPBACK_HTTP;
        local
            .check("order", "finalize", "http://127.0.0.9:80/f")
            .unwrap();
        local.check("order", "finalize", "http://[::1]/f").unwrap();
        for bad in [
            "http://ca.example/f",
            "http://127.0.0.1.example/f",
            "ftp://127.0.0.1/f",
            "file:///etc/passwd",
            "/relative",
            "https://user:pw@ca.example/f",
            "data:text/plain,x",
        ] {
            let e = local.check("order", "finalize", bad).unwrap_err();
            assert_eq!(e.kind(), "protocol", "{bad}");
            assert!(!e.to_string().contains(bad), "echoes the URL: {e}");
        }
    }

    fn authz(kind: &str, value: &str, wildcard: bool) -> Authorization {
        Authorization {
            url: "https://ca/authz/1".into(),
            identifier: Identifier {
                kind: kind.into(),
                value: value.into(),
            },
            status: crate::acme::authorization::AuthorizationStatus::Pending,
            expires: None,
            challenges: vec![],
            wildcard,
            retry_after: None,
        }
    }

    #[test]
    fn authorizations_must_be_for_ordered_identifiers() {
        let ordered = [
            Identifier::dns("www.example.com").unwrap(),
            Identifier::dns("*.example.org").unwrap(),
            Identifier::ip("2001:db8::1").unwrap(),
        ];
        for (kind, value, wild) in [
            ("dns", "WWW.Example.COM", false),
            ("dns", "example.org", true),
            ("dns", "*.example.org", false),
            ("ip", "2001:db8:0::1", false),
        ] {
            check_identifier_ordered(&authz(kind, value, wild), &ordered)
                .unwrap_or_else(|e| panic!("{value}: {e}"));
        }
        for (kind, value, wild) in [
            ("dns", "evil.example", false),
            ("dns", "example.org", false),
            ("dns", "www.example.com", true),
            ("dns", "www.example.com.", false),
            ("dns", "www.example.com\n", false),
            ("dns", "bücher.example", false),
            ("dns", "a b.example", false),
            ("dns", "", false),
            ("ip", "2001:db8::2", false),
            ("ip", "2001:db8::1", true),
            ("ip", "www.example.com", false),
            ("email", "a@example.com", false),
        ] {
            let e = check_identifier_ordered(&authz(kind, value, wild), &ordered).unwrap_err();
            assert_eq!(e.kind(), "protocol", "{value}");
            assert!(!e.to_string().contains('\n'), "{e}");
        }
        // An IP order never accepts a DNS authorization for the same text.
        let ips = [Identifier::ip("192.0.2.1").unwrap()];
        assert!(check_identifier_ordered(&authz("dns", "192.0.2.1", false), &ips).is_err());
    }

    /// Scripted issuances through the sans-IO [`IssueFlow`]: each check
    /// stops the flow with a typed error before the server's document is
    /// acted on.
    mod flows {
        use crate::acme::directory::GetDirectory;
        use crate::acme::flow::{IssueFlow, IssueOptions, Session};
        use crate::acme::{AccountKey, Identifier};
        use crate::crypto::key_match::testing;
        use crate::error::Error;
        use crate::flow::testing::ScriptedHost;
        use crate::flow::{drive, Flow, Step};
        use crate::http::HttpResponse;
        use crate::time::Timestamp;

        fn directory(base: &str) -> String {
            format!(
                r#"{{"newNonce":"{base}/nonce","newAccount":"{base}/acct","newOrder":"{base}/order",
                "revokeCert":"{base}/revoke","keyChange":"{base}/kc"}}"#
            )
        }

        fn ok(body: &str) -> HttpResponse {
            HttpResponse::new(200, body).header("Replay-Nonce", "n")
        }

        fn order(base: &str, authz: &[&str], finalize: &str) -> HttpResponse {
            let authz: Vec<String> = authz.iter().map(|a| format!("\"{a}\"")).collect();
            HttpResponse::new(
                201,
                format!(
                    r#"{{"status":"pending","identifiers":[{{"type":"dns","value":"x.example"}}],
                    "authorizations":[{}],"finalize":"{finalize}"}}"#,
                    authz.join(",")
                ),
            )
            .header("Replay-Nonce", "n")
            .header("Location", format!("{base}/order/1"))
        }

        fn authz(value: &str, status: &str, challenges: usize) -> HttpResponse {
            let ch: Vec<String> = (0..challenges)
                .map(|i| {
                    format!(
                        r#"{{"type":"dns-01","url":"https://ca/ch/{i}","status":"pending","token":"t{i}"}}"#
                    )
                })
                .collect();
            ok(&format!(
                r#"{{"status":"{status}","identifier":{{"type":"dns","value":"{value}"}},"challenges":[{}]}}"#,
                ch.join(",")
            ))
        }

        /// Runs an issuance of `x.example` with `csr` against `answers`.
        fn run(
            base: &str,
            csr: Vec<u8>,
            alternates: bool,
            answers: Vec<HttpResponse>,
        ) -> (Result<crate::acme::Issued, Error>, ScriptedHost) {
            let dir = GetDirectory::parse(&HttpResponse::new(200, directory(base)), Timestamp(0))
                .unwrap();
            let key = AccountKey::generate_es256(&mut rand_core::OsRng);
            let session = Session::new(dir, key).with_account_url(format!("{base}/acct/1"));
            let mut options = IssueOptions::new(vec![Identifier::dns("x.example").unwrap()], csr);
            options.fetch_alternates = alternates;
            let mut host = ScriptedHost::new(Timestamp::from_secs(10), answers);
            let mut flow = IssueFlow::new(session, options);
            let result = drive(&mut flow, &mut host);
            if result.is_err() {
                assert!(
                    !matches!(flow.next(Timestamp::from_secs(10)), Ok(Step::Done(_))),
                    "a refused flow must not finish later"
                );
            }
            (result, host)
        }

        /// [`run`] against `https://ca` with a fresh CSR (no certificate
        /// expected to match it).
        fn run_https(
            answers: Vec<HttpResponse>,
        ) -> (Result<crate::acme::Issued, Error>, ScriptedHost) {
            run("https://ca", testing::csr("x.example"), false, answers)
        }

        fn nonce() -> HttpResponse {
            HttpResponse::new(200, "").header("Replay-Nonce", "n0")
        }

        /// Nonce, order for `https://ca` with `finalize`, its authorization.
        fn start(finalize: &str, authz: HttpResponse) -> Vec<HttpResponse> {
            vec![
                nonce(),
                order("https://ca", &["https://ca/authz/1"], finalize),
                authz,
            ]
        }

        /// Up to a valid order at `https://ca`: the certificate comes next.
        fn until_download() -> Vec<HttpResponse> {
            let mut answers = start("https://ca/fin/1", authz("x.example", "valid", 0));
            answers.push(valid_order("https://ca"));
            answers
        }

        fn valid_order(base: &str) -> HttpResponse {
            ok(&format!(
                r#"{{"status":"valid","finalize":"{base}/fin/1","certificate":"{base}/cert/1"}}"#
            ))
        }

        #[test]
        fn an_authorization_for_another_name_never_reaches_the_solver() {
            for (value, status) in [
                ("evil.example", "pending"),
                ("X.EXAMPLE.evil", "valid"),
                ("x.example.", "pending"),
                ("_x.example", "pending"),
            ] {
                let (r, host) = run_https(start("https://ca/fin/1", authz(value, status, 1)));
                let e = r.unwrap_err();
                assert_eq!(e.kind(), "protocol", "{value}: {e}");
                assert!(host.solved.is_empty(), "{value} was handed to the solver");
                assert_eq!(host.sent.len(), 3);
            }
            // The same name in another case is the ordered one.
            let (r, host) = run_https(start("https://ca/fin/1", authz("X.Example", "pending", 1)));
            assert_eq!(
                r.unwrap_err().to_string(),
                "unexpected response to script: ran out of answers",
                "ran out of answers after solving"
            );
            assert_eq!(host.solved.len(), 1);
        }

        #[test]
        fn authorization_and_challenge_counts_are_capped() {
            let two = ["https://ca/authz/1", "https://ca/authz/2"];
            let (r, host) = run_https(vec![nonce(), order("https://ca", &two, "https://ca/fin/1")]);
            let e = r.unwrap_err();
            assert!(
                e.to_string().contains("2 authorizations for 1 identifiers"),
                "{e}"
            );
            assert_eq!(host.sent.len(), 2, "no authorization fetched");

            let (r, host) = run_https(vec![
                nonce(),
                order("https://ca", &two[..1], "https://ca/fin/1"),
                authz("x.example", "pending", super::super::MAX_CHALLENGES + 1),
            ]);
            assert!(r.unwrap_err().to_string().contains("challenges (at most"));
            assert!(host.solved.is_empty());
        }

        #[test]
        fn http_urls_are_refused_unless_the_directory_is_local_http() {
            // Plain http in a server document: refused by the parser.
            let (r, _) = run_https(vec![
                nonce(),
                order("https://ca", &["https://ca/authz/1"], "http://ca/fin/1"),
            ]);
            let e = r.unwrap_err();
            assert_eq!(e.kind(), "protocol");
            assert!(e.to_string().contains("finalize URL refused"), "{e}");
            // http to loopback from an https directory: the session refuses
            // to sign and send it.
            let (r, host) = run_https(vec![
                nonce(),
                order(
                    "https://ca",
                    &["https://ca/authz/1"],
                    "http://127.0.0.1/fin/1",
                ),
                authz("x.example", "valid", 0),
            ]);
            assert!(r.unwrap_err().to_string().contains("request URL refused"));
            assert_eq!(host.sent.len(), 3, "finalize not sent");
            // A Location header in http, same.
            let (r, _) = run_https(vec![
                nonce(),
                order("http://ca", &["https://ca/authz/1"], "https://ca/fin/1"),
            ]);
            assert!(r.unwrap_err().to_string().contains("Location URL refused"));
            // A directory on http loopback (a local test CA) works in http.
            let base = "http://127.0.0.1:4001";
            let (csr, chain) = testing::csr_and_pem_chain("x.example");
            let (r, host) = run(
                base,
                csr,
                false,
                vec![
                    nonce(),
                    order(
                        base,
                        &[&format!("{base}/authz/1")],
                        &format!("{base}/fin/1"),
                    ),
                    authz("x.example", "valid", 0),
                    valid_order(base),
                    ok(&chain),
                ],
            );
            r.unwrap();
            assert_eq!(host.sent[4].url, format!("{base}/cert/1"));
        }

        #[test]
        fn a_leaf_for_another_key_is_not_issued() {
            let (_, chain) = testing::csr_and_pem_chain("x.example");
            let (r, host) = run_https([until_download(), vec![ok(&chain)]].concat());
            let e = r.unwrap_err();
            assert_eq!(e.kind(), "protocol");
            assert!(e.to_string().contains("another public key"), "{e}");
            assert_eq!(host.sent.len(), 5);
        }

        #[test]
        fn at_most_ten_alternates_are_followed_and_each_is_checked() {
            let (csr, chain) = testing::csr_and_pem_chain("x.example");
            let links: Vec<String> = (0..12)
                .map(|i| format!("<https://ca/cert/1/{i}>;rel=\"alternate\""))
                .collect();
            let mut answers = [
                until_download(),
                vec![ok(&chain).header("Link", links.join(", "))],
            ]
            .concat();
            answers.extend((0..super::super::MAX_ALTERNATES).map(|_| ok(&chain)));
            let (r, host) = run("https://ca", csr.clone(), true, answers);
            let issued = r.unwrap();
            assert_eq!(issued.chain.alternates.len(), 12);
            assert_eq!(issued.alternates.len(), super::super::MAX_ALTERNATES);
            assert_eq!(host.sent.len(), 5 + super::super::MAX_ALTERNATES);

            let (_, foreign) = testing::csr_and_pem_chain("x.example");
            let (r, _) = run(
                "https://ca",
                csr,
                true,
                [
                    until_download(),
                    vec![
                        ok(&chain).header("Link", "<https://ca/cert/1/1>;rel=alternate"),
                        ok(&foreign),
                    ],
                ]
                .concat(),
            );
            assert!(r.unwrap_err().to_string().contains("another public key"));
        }
    }
}
