//! The Redtrust client against the simulator: every operation, both document
//! versions, token refresh, and every fault switch.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use certbridge::client::RedtrustClient;
use certbridge::crypto::pem::thumbprint_sha1;
use certbridge::redtrust::{parse_dn, CsrRequest, RedtrustCompat, RedtrustConfig};
use certbridge::{HttpRequest, Method, Secret};
use certbridge_e2e::{driver, openssl, openssl_verify, sim, sim_get};
use certbridge_sim::{FaultKind, FaultSpec, Malformed, SimHandle};

fn client(sim: &SimHandle, compat: RedtrustCompat) -> RedtrustClient {
    let config = RedtrustConfig::new(&sim.base_url())
        .unwrap()
        .with_compat(compat);
    RedtrustClient::new(config, driver(&[])).with_password(
        "demo",
        Secret::new("demo-password"),
        Some("local.users"),
    )
}

fn request(cn: &str) -> CsrRequest {
    CsrRequest::new(parse_dn(&format!("cn={cn},o=certbridge e2e,c=ES")).unwrap())
}

async fn issued_pem(sim: &SimHandle, thumbprint: &str) -> String {
    let (status, pem) = sim_get(sim, &format!("/sim/redtrust/certificates/{thumbprint}")).await;
    assert_eq!(status, 200, "{pem}");
    pem
}

fn fault(prefix: &str, method: Option<&str>, kind: FaultKind, count: u64) -> FaultSpec {
    FaultSpec {
        path_prefix: prefix.into(),
        method: method.map(str::to_string),
        kind,
        count: Some(count),
        rate: None,
    }
}

#[tokio::test]
async fn issue_then_renew_with_both_document_versions() {
    for compat in [RedtrustCompat::V4_42, RedtrustCompat::V4_33] {
        let sim = sim(|_| {});
        let c = client(&sim, compat);
        let issued = c.issue(request("John Doe")).await.unwrap();
        let thumb = issued.thumbprint.clone().unwrap();
        assert!(issued.csr_pem.contains("BEGIN CERTIFICATE REQUEST"));
        // The certificate the server holds is the one the thumbprint names,
        // chains to the simulator's CA, and carries the requested subject.
        let pem = issued_pem(&sim, &thumb).await;
        assert_eq!(thumbprint_sha1(pem.as_bytes()).unwrap(), thumb);
        openssl_verify(&sim.ca_pem(), &sim.issuing_ca_pem(), &pem);
        let dir = tempfile::tempdir().unwrap();
        let leaf = dir.path().join("leaf.pem");
        std::fs::write(&leaf, &pem).unwrap();
        let subject = openssl(&["x509", "-noout", "-subject", "-in", leaf.to_str().unwrap()]);
        assert!(subject.contains("CN = John Doe"), "{subject}");
        // The CSR the server made holds the key of the certificate.
        let csr = dir.path().join("req.pem");
        std::fs::write(&csr, &issued.csr_pem).unwrap();
        let csr_key = openssl(&["req", "-noout", "-pubkey", "-in", csr.to_str().unwrap()]);
        let cert_key = openssl(&["x509", "-noout", "-pubkey", "-in", leaf.to_str().unwrap()]);
        assert_eq!(csr_key, cert_key);

        let renewed = c.renew(&thumb, request("John Doe")).await.unwrap();
        assert_eq!(renewed.renewed.as_deref(), Some(thumb.as_str()));
        let new_thumb = renewed.thumbprint.unwrap();
        assert_ne!(new_thumb, thumb);
        let renewed_pem = issued_pem(&sim, &new_thumb).await;
        openssl_verify(&sim.ca_pem(), &sim.issuing_ca_pem(), &renewed_pem);
        // Renewal from the certificate file gives the same thumbprint the server uses.
        let again = c
            .renew_certificate(renewed_pem.as_bytes(), request("John Doe"))
            .await
            .unwrap();
        assert_eq!(again.renewed.as_deref(), Some(new_thumb.as_str()));

        let paths: Vec<String> = sim
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        let create = match compat {
            RedtrustCompat::V4_42 => ["POST /raapi/v1/csr/create", "POST /raapi/v1/csr/create"],
            RedtrustCompat::V4_33 => ["GET /raapi/v1/csr/create", "GET /raapi/v2/csr/create"],
        };
        assert!(paths.contains(&create[0].to_string()), "{paths:?}");
        assert!(paths.contains(&create[1].to_string()), "{paths:?}");
        c.logout().await.unwrap();
    }
}

#[tokio::test]
async fn hmac_redirect_login_then_issue() {
    let sim = sim(|_| {});
    for compat in [RedtrustCompat::V4_42, RedtrustCompat::V4_33] {
        let config = RedtrustConfig::new(&sim.base_url())
            .unwrap()
            .with_compat(compat);
        let c = RedtrustClient::new(config, driver(&[]));
        let url = c
            .login_url(
                "ca_demo",
                &Secret::new("demo-hmac-key"),
                "https://app.example/cb?state=1",
                Some("local.users"),
            )
            .unwrap();
        // Play the browser: follow the signed URL, read where it sends us back.
        let answer = driver(&[])
            .send(HttpRequest::new(Method::Get, url.url.clone()))
            .await
            .unwrap();
        assert_eq!(
            answer.status,
            302,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        let location = answer.headers.get("location").unwrap().to_string();
        assert!(
            location.starts_with("https://app.example/cb?state=1&tkn="),
            "{location}"
        );
        c.login_with_redirect(&location).await.unwrap();
        let issued = c.issue(request("HMAC User")).await.unwrap();
        assert!(issued.thumbprint.is_some());
        // The temp token is single-use.
        let err = c.login_with_redirect(&location).await.unwrap_err();
        assert!(matches!(err.kind(), "auth" | "provider"), "{err:?}");
    }
}

#[tokio::test]
async fn wrong_hmac_key_or_password_is_refused() {
    let sim = sim(|_| {});
    let c = RedtrustClient::new(RedtrustConfig::new(&sim.base_url()).unwrap(), driver(&[]));
    let url = c
        .login_url(
            "CA_DEMO",
            &Secret::new("wrong-key"),
            "https://app.example/cb",
            None,
        )
        .unwrap();
    let answer = driver(&[])
        .send(HttpRequest::new(Method::Get, url.url))
        .await
        .unwrap();
    assert!(
        answer.status == 401 || answer.status == 403,
        "status {}",
        answer.status
    );

    let bad = RedtrustClient::new(RedtrustConfig::new(&sim.base_url()).unwrap(), driver(&[]))
        .with_password("demo", Secret::new("nope"), None);
    let err = bad.login().await.unwrap_err();
    assert_eq!(err.kind(), "auth", "{err}");
    assert!(
        !err.to_string().contains("nope"),
        "the password leaked: {err}"
    );
}

#[tokio::test]
async fn expired_token_is_refreshed_and_the_request_retried_once() {
    let sim = sim(|_| {});
    let c = client(&sim, RedtrustCompat::V4_42);
    c.login().await.unwrap();
    sim.add_fault(fault(
        "/raapi/v1/csr/create",
        None,
        FaultKind::ExpiredToken,
        1,
    ))
    .unwrap();
    let issued = c.issue(request("Refresh Me")).await.unwrap();
    assert!(issued.thumbprint.is_some());
    let paths: Vec<String> = sim
        .requests()
        .iter()
        .map(|r| format!("{} {} {:?}", r.method, r.path, r.status))
        .collect();
    assert_eq!(
        paths,
        vec![
            "POST /raapi/v1/auth/login Some(200)",
            "POST /raapi/v1/csr/create Some(401)",
            "PUT /raapi/v1/auth/refresh-token Some(200)",
            "POST /raapi/v1/csr/create Some(200)",
            "PUT /raapi/v1/csr/finalize Some(200)",
        ]
    );
    // Twice expired: one retry only, then a typed auth error.
    sim.add_fault(fault(
        "/raapi/v1/csr/create",
        None,
        FaultKind::ExpiredToken,
        2,
    ))
    .unwrap();
    let err = c.issue(request("Twice")).await.unwrap_err();
    assert_eq!(err.kind(), "auth");
}

#[tokio::test]
async fn short_lived_tokens_are_refreshed_before_use() {
    // Expiry is sent in whole seconds: a 32 s token is inside the 30 s
    // refresh margin after 2.1 s, and its successor is not.
    let sim = sim(|c| c.redtrust.access_token_ttl_secs = 32);
    let c = client(&sim, RedtrustCompat::V4_42);
    c.login().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    c.issue(request("Early Refresh")).await.unwrap();
    let refreshes = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("refresh-token"))
        .count();
    assert_eq!(refreshes, 1);
}

#[tokio::test]
async fn faults_end_in_a_retry_or_a_typed_error() {
    let sim = sim(|_| {});
    let c = client(&sim, RedtrustCompat::V4_42);
    c.login().await.unwrap();

    // 503 on finalize (PUT; the server says it did not handle it): retried
    // by the driver, then succeeds.
    sim.add_fault(fault(
        "/raapi/v1/csr/finalize",
        None,
        FaultKind::Status {
            code: 503,
            retry_after: Some(0),
        },
        2,
    ))
    .unwrap();
    assert!(c
        .issue(request("Retry Finalize"))
        .await
        .unwrap()
        .thumbprint
        .is_some());

    // 503 on create (POST): not replayed, reported with its status.
    sim.add_fault(fault(
        "/raapi/v1/csr/create",
        None,
        FaultKind::Status {
            code: 503,
            retry_after: None,
        },
        1,
    ))
    .unwrap();
    let err = c.issue(request("No Replay")).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), ("http_status", Some(503)));
    assert!(err.is_retryable());

    // A dropped connection on csr/create: the request may have been
    // created, so it is not repeated but reported (issue 14, item 14).
    sim.add_fault(fault("/raapi/v1/csr/create", None, FaultKind::Drop, 1))
        .unwrap();
    assert_eq!(
        c.issue(request("Dropped")).await.unwrap_err().kind(),
        "ambiguous"
    );

    // Malformed bodies are ambiguous (a 2xx whose body is lost) or status
    // errors, never panics.
    for (variant, kind) in [
        (Malformed::Truncated, "ambiguous"),
        (Malformed::Html, "http_status"),
        (Malformed::Empty, "ambiguous"),
    ] {
        sim.add_fault(fault(
            "/raapi/v1/csr/create",
            None,
            FaultKind::Malformed { variant },
            1,
        ))
        .unwrap();
        let err = c.issue(request("Malformed")).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{variant:?}: {err}");
    }

    // A slow server within the timeout is just slow.
    sim.add_fault(fault(
        "/raapi/v1/csr/finalize",
        None,
        FaultKind::Delay { ms: 300 },
        1,
    ))
    .unwrap();
    assert!(c.issue(request("Slow")).await.unwrap().thumbprint.is_some());
}

#[tokio::test]
async fn logout_ends_the_session() {
    let sim = sim(|_| {});
    let config = RedtrustConfig::new(&sim.base_url()).unwrap();
    let c = RedtrustClient::new(config.clone(), driver(&[])).with_password(
        "demo",
        Secret::new("demo-password"),
        Some("local.users"),
    );
    let session = c.login().await.unwrap();
    c.logout().await.unwrap();
    // The old token no longer works and there is nothing to refresh with.
    let stale =
        RedtrustClient::new(config, driver(&[])).with_session(certbridge::redtrust::Session {
            refresh_token: None,
            ..session
        });
    let err = stale
        .create_csr(&request("After Logout"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "auth", "{err}");
}

/// A dropped connection or an unreadable answer on the login is retried;
/// on `csr/create` or `csr/finalize` the issuance ends `ambiguous`, the
/// submission sent once (issue 14, item 14).
#[tokio::test]
async fn transient_faults_retry_the_login_and_make_submissions_ambiguous() {
    // Not the delay: this client's request timeout is 10 s.
    let kinds = certbridge_sim::faults::transient_kinds()
        .into_iter()
        .filter(|(what, _)| *what != "timeout");
    let count = |sim: &SimHandle, prefix: &str| {
        sim.requests()
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .count()
    };
    for (what, kind) in kinds {
        let s = sim(|_| {});
        s.add_fault(fault("/raapi/v1/auth/login", None, kind.clone(), 1))
            .unwrap();
        let issued = client(&s, RedtrustCompat::V4_42)
            .issue(request("Retry Login"))
            .await
            .unwrap_or_else(|e| panic!("{what} on login: {e}"));
        assert!(issued.thumbprint.is_some());
        assert_eq!(count(&s, "/raapi/v1/auth/login"), 2, "{what}");

        for (call, path) in [
            ("create", "/raapi/v1/csr/create"),
            ("finalize", "/raapi/v1/csr/finalize"),
        ] {
            let sim = sim(|_| {});
            sim.add_fault(fault(path, None, kind.clone(), 1)).unwrap();
            let err = client(&sim, RedtrustCompat::V4_42)
                .issue(request("Lost Answer"))
                .await
                .unwrap_err();
            assert_eq!(err.kind(), "ambiguous", "{what} on {call}: {err}");
            assert_eq!(count(&sim, path), 1, "{what} on {call}: sent once");
            let reference = err.ambiguous_submission().unwrap().reference.clone();
            assert_eq!(reference.is_some(), call == "finalize", "{err}");
        }
    }
}
