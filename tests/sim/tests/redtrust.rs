//! Redtrust RA API end to end: both authentication flows, token lifetimes,
//! server-side keys, issuance and renewal in both document versions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine;
use common::{call, http, json, start};
use serde_json::{json, Value};

async fn login(c: &reqwest::Client, base: &str) -> Value {
    let (status, v) = json(
        c.post(format!("{base}/raapi/v1/auth/login"))
            .json(
                &json!({"username": "demo", "password": "demo-password", "domain": "local.users"}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["messageType"], "SUCCESS");
    assert_eq!(v["isValid"], true);
    v["data"].clone()
}

fn assert_error(status: u16, v: &Value, want_status: u16, code: &str) {
    assert_eq!(status, want_status, "{v}");
    assert_eq!(v["messageType"], "ERROR", "{v}");
    assert_eq!(v["errorCode"], code, "{v}");
    assert_eq!(v["isValid"], false);
    assert!(v["data"].is_null());
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn direct_login_checks_credentials_and_domain() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();
    let data = login(&c, &base).await;
    assert!(data["accessToken"].as_str().unwrap().len() > 20);
    assert!(data["refreshToken"].as_str().unwrap().len() > 20);
    let exp = data["expiration"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(exp, &time::format_description::well_known::Rfc3339).is_ok(),
        "{exp}"
    );

    for body in [
        json!({"username": "demo", "password": "nope"}),
        json!({"username": "nobody", "password": "demo-password"}),
        json!({"username": "demo", "password": "demo-password", "domain": "other.users"}),
    ] {
        let (s, v) = json(
            c.post(format!("{base}/raapi/v1/auth/login"))
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_error(s, &v, 401, "INVALID_CREDENTIALS");
    }
    let (s, v) = json(
        c.post(format!("{base}/raapi/v1/auth/login"))
            .json(&json!({"username": "demo"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(s, &v, 400, "INVALID_REQUEST");
    let (s, v) = json(
        c.post(format!("{base}/raapi/v1/auth/login"))
            .header("content-type", "text/plain")
            .body(r#"{"username":"demo","password":"demo-password"}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(s, &v, 415, "UNSUPPORTED_MEDIA_TYPE");
    let (s, v) = json(
        c.get(format!("{base}/raapi/v1/auth/login"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(s, &v, 405, "METHOD_NOT_ALLOWED");
}

fn python_hmac(key: &str, msg: &str) -> String {
    common::python(&format!(
        "import hmac, hashlib; print(hmac.new({key:?}.encode(), {msg:?}.encode(), hashlib.sha256).hexdigest())"
    ))
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn hmac_redirect_then_temp_token_exchange_in_both_versions() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();
    let ts = certbridge_sim::now_secs().to_string();
    let sig = python_hmac("demo-hmac-key", &format!("CA_DEMO:{ts}"));
    // The seed's own example: RedirectUrl ends in `tkn=`.
    let url = format!(
        "{base}/authclient/auth/loginrequest?Consumer=RA_API&Domain=local.users&RedirectUrl={}&timestamp={ts}&partner=CA_DEMO&hmac={sig}",
        enc("https://google.es?tkn=")
    );
    let resp = c.get(&url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    let tkn = location
        .strip_prefix("https://google.es?tkn=")
        .expect(&location)
        .to_owned();
    assert!(tkn.len() > 16);

    // v4.42: POST; single use.
    let exchange = || {
        let url = format!("{base}/authapi/v1/login_by_temp_token");
        call(&c, "POST", url, None, Some(json!({"temporalToken": tkn})))
    };
    let (s, v) = exchange().await;
    assert_eq!(s, 200, "{v}");
    assert!(v["data"]["accessToken"].is_string());
    let (s, v) = exchange().await;
    assert_error(s, &v, 401, "INVALID_TOKEN");

    // v4.33: signature in headers, redirect without `tkn=`, GET with a body.
    let ts = certbridge_sim::now_secs().to_string();
    let sig = python_hmac("demo-hmac-key", &format!("CA_DEMO:{ts}"));
    let resp = c
        .get(format!(
            "{base}/authclient/auth/loginrequest?Consumer=RA_API&RedirectUrl={}",
            enc("https://app.example/cb?x=1&y=2")
        ))
        .header("x-partner-name", "CA_DEMO")
        .header("x-request-timestamp", &ts)
        .header("x-hmac-signature", &sig)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    let parsed = url::Url::parse(&location).unwrap();
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("x".into(), "1".into()));
    assert_eq!(pairs[1], ("y".into(), "2".into()));
    assert_eq!(pairs[2].0, "tkn");
    let (s, v) = json(
        c.get(format!("{base}/authapi/v1/login_by_temp_token"))
            .header("content-type", "application/json")
            .body(json!({"temporalToken": pairs[2].1}).to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["data"]["refreshToken"].is_string());
}

#[tokio::test]
async fn hmac_redirect_rejects_each_mistake() {
    let sim = start(|_| {});
    let base = sim.base_url();
    let c = http();
    let now = certbridge_sim::now_secs();
    let redirect = enc("https://app.example/cb");
    let go = |partner: &str, ts: i64, sig: &str, consumer: &str| {
        format!("{base}/authclient/auth/loginrequest?Consumer={consumer}&RedirectUrl={redirect}&timestamp={ts}&partner={partner}&hmac={sig}")
    };
    let good = python_hmac("demo-hmac-key", &format!("CA_DEMO:{now}"));
    let cases = [
        (
            go("CA_DEMO", now, &good.to_uppercase(), "RA_API"),
            401,
            "INVALID_SIGNATURE",
        ),
        (
            go(
                "CA_DEMO",
                now,
                &python_hmac("wrong", &format!("CA_DEMO:{now}")),
                "RA_API",
            ),
            401,
            "INVALID_SIGNATURE",
        ),
        (
            go(
                "ca_demo",
                now,
                &python_hmac("demo-hmac-key", &format!("ca_demo:{now}")),
                "RA_API",
            ),
            400,
            "INVALID_PARTNER",
        ),
        (
            go(
                "OTHER",
                now,
                &python_hmac("demo-hmac-key", &format!("OTHER:{now}")),
                "RA_API",
            ),
            401,
            "INVALID_PARTNER",
        ),
        (
            go(
                "CA_DEMO",
                now - 301,
                &python_hmac("demo-hmac-key", &format!("CA_DEMO:{}", now - 301)),
                "RA_API",
            ),
            401,
            "TIMESTAMP_OUT_OF_RANGE",
        ),
        (
            go(
                "CA_DEMO",
                now * 1000,
                &python_hmac("demo-hmac-key", &format!("CA_DEMO:{}", now * 1000)),
                "RA_API",
            ),
            401,
            "TIMESTAMP_OUT_OF_RANGE",
        ),
        (
            go("CA_DEMO", now, &good, "SIGN_API"),
            400,
            "INVALID_CONSUMER",
        ),
    ];
    for (url, status, code) in cases {
        let (s, v) = json(c.get(&url).send().await.unwrap()).await;
        assert_error(s, &v, status, code);
    }
    // Un-encoded RedirectUrl: its own query leaks into ours and is not a URL.
    let raw = format!("{base}/authclient/auth/loginrequest?Consumer=RA_API&RedirectUrl=/cb&timestamp={now}&partner=CA_DEMO&hmac={good}");
    let (s, v) = json(c.get(&raw).send().await.unwrap()).await;
    assert_error(s, &v, 400, "INVALID_REDIRECT_URL");
    // Query and headers must agree.
    let (s, v) = json(
        c.get(go("CA_DEMO", now, &good, "RA_API"))
            .header("x-hmac-signature", "00")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(s, &v, 401, "INVALID_SIGNATURE");
    // The good one still works.
    assert_eq!(
        c.get(go("CA_DEMO", now, &good, "RA_API"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        302
    );
}

#[tokio::test]
async fn tokens_expire_refresh_rotates_and_logout_revokes() {
    let sim = start(|c| {
        c.redtrust.access_token_ttl_secs = 1;
        c.redtrust.temp_token_ttl_secs = 1;
    });
    let base = sim.base_url();
    let c = http();
    let url = |p: &str| format!("{base}{p}");
    let data = login(&c, &base).await;
    let access = data["accessToken"].as_str().unwrap().to_owned();
    let refresh = data["refreshToken"].as_str().unwrap().to_owned();
    let create_body = json!({"dn": [{"attribute": "cn", "value": "x"}], "hashType": "SHA256", "keyLength": 256, "keyType": "EC", "provider": "CAMERFIRMA"});
    let create = |token: String| {
        call(
            &c,
            "POST",
            url("/raapi/v1/csr/create"),
            Some(token),
            Some(create_body.clone()),
        )
    };
    let refresh_at = |path: &str, token: &str| {
        call(
            &c,
            "PUT",
            url(path),
            None,
            Some(json!({"refreshToken": token})),
        )
    };
    assert_eq!(create(access.clone()).await.0, 200);

    // Temp token, left to expire.
    let ts = certbridge_sim::now_secs();
    let sig = python_hmac("demo-hmac-key", &format!("CA_DEMO:{ts}"));
    let resp = c
        .get(url(&format!("/authclient/auth/loginrequest?Consumer=RA_API&RedirectUrl={}&timestamp={ts}&partner=CA_DEMO&hmac={sig}", enc("https://a.example/"))))
        .send()
        .await
        .unwrap();
    let tkn = resp.headers()["location"]
        .to_str()
        .unwrap()
        .split("tkn=")
        .nth(1)
        .unwrap()
        .to_owned();

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (s, v) = create(access.clone()).await;
    assert_error(s, &v, 401, "TOKEN_EXPIRED");
    let (s, v) = call(
        &c,
        "POST",
        url("/authapi/v1/login_by_temp_token"),
        None,
        Some(json!({"temporalToken": tkn})),
    )
    .await;
    assert_error(s, &v, 401, "TOKEN_EXPIRED");

    // v4.33 path, then v4.42 path with the rotated refresh token.
    let (s, v) = refresh_at("/authapi/v1/refresh-token", &refresh).await;
    assert_eq!(s, 200, "{v}");
    let refresh2 = v["data"]["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(refresh2, refresh);
    let (s, v) = refresh_at("/raapi/v1/auth/refresh-token", &refresh).await;
    assert_error(s, &v, 401, "INVALID_TOKEN");
    let (s, v) = refresh_at("/raapi/v1/auth/refresh-token", &refresh2).await;
    assert_eq!(s, 200, "{v}");
    let access3 = v["data"]["accessToken"].as_str().unwrap().to_owned();
    let refresh3 = v["data"]["refreshToken"].as_str().unwrap().to_owned();
    assert_eq!(create(access3.clone()).await.0, 200);

    // Logout (both paths exist); the token and its refresh token die.
    let (s, v) = call(
        &c,
        "DELETE",
        url("/raapi/v1/auth/logout"),
        Some(access3.clone()),
        None,
    )
    .await;
    assert_eq!((s, v["data"].clone()), (200, json!({})), "{v}");
    let (s, v) = create(access3).await;
    assert_error(s, &v, 401, "INVALID_TOKEN");
    let (s, v) = refresh_at("/authapi/v1/refresh-token", &refresh3).await;
    assert_error(s, &v, 401, "INVALID_TOKEN");
    let fresh = login(&c, &base).await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        call(&c, "DELETE", url("/authapi/v1/logout"), Some(fresh), None)
            .await
            .0,
        200
    );
    let (s, v) = call(&c, "DELETE", url("/authapi/v1/logout"), None, None).await;
    assert_error(s, &v, 401, "INVALID_TOKEN");
}

struct Rt {
    base: String,
    c: reqwest::Client,
    token: String,
}

impl Rt {
    async fn new(base: String) -> Self {
        let c = http();
        let token = login(&c, &base).await["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        Rt { base, c, token }
    }

    async fn create(&self, path: &str, body: Value) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        call(&self.c, "POST", url, Some(self.token.clone()), Some(body)).await
    }

    async fn finalize(&self, body: Value) -> (u16, Value) {
        let url = format!("{}/raapi/v1/csr/finalize", self.base);
        call(&self.c, "PUT", url, Some(self.token.clone()), Some(body)).await
    }

    async fn certificates(&self) -> Vec<Value> {
        let v: Value = self
            .c
            .get(format!("{}/sim/redtrust/certificates", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v.as_array().unwrap().clone()
    }

    async fn pem(&self, thumbprint: &str) -> String {
        let r = self
            .c
            .get(format!(
                "{}/sim/redtrust/certificates/{thumbprint}",
                self.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.text().await.unwrap()
    }
}

fn holder(cn: &str) -> Value {
    json!([
        {"attribute": "cn", "value": cn},
        {"attribute": "o", "value": "Redtrust"},
        {"attribute": "c", "value": "Brasil"},
        {"attribute": "st", "value": "PJE"},
        {"attribute": "l", "value": "Sao Paolo"},
        {"attribute": "ou", "value": "Developement"}
    ])
}

#[tokio::test]
async fn issue_and_renew_with_server_side_keys_in_both_versions() {
    let sim = start(|_| {});
    let rt = Rt::new(sim.base_url()).await;
    let dir = common::tempdir("redtrust");

    // v4.33 example body: keyLength as a string, GET with a body.
    let resp = rt
        .c
        .get(format!("{}/raapi/v1/csr/create", rt.base))
        .bearer_auth(&rt.token)
        .header("content-type", "application/json")
        .body(json!({"dn": holder("john doe"), "hashType": "SHA384", "keyLength": "2048", "keyType": "RSA", "provider": "CA_BRASIL", "info": {"proident_9b": "x"}}).to_string())
        .send()
        .await
        .unwrap();
    let (s, v) = json(resp).await;
    assert_eq!(s, 200, "{v}");
    let code = v["data"]["requestCode"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 20);
    let csr = base64::engine::general_purpose::STANDARD
        .decode(v["data"]["csr"].as_str().unwrap())
        .unwrap();
    let csr_file = dir.join("rt.csr");
    std::fs::write(&csr_file, &csr).unwrap();
    let text = String::from_utf8(common::run(
        "openssl",
        &[
            "req",
            "-inform",
            "DER",
            "-in",
            csr_file.to_str().unwrap(),
            "-verify",
            "-noout",
            "-text",
        ],
        None,
    ))
    .unwrap();
    assert!(
        text.contains("CN = john doe") || text.contains("CN=john doe"),
        "{text}"
    );
    assert!(text.contains("sha384WithRSAEncryption"), "{text}");
    assert!(text.contains("2048 bit"), "{text}");

    let (s, v) = rt
        .finalize(json!({"requestCode": code, "provider": "CA_BRASIL"}))
        .await;
    assert_eq!(s, 200, "{v}");
    let first = v["data"]["thumbprint"].as_str().unwrap().to_owned();
    assert!(v["data"]["idCertificate"].is_u64());
    assert_eq!(first.len(), 40);
    assert!(first
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    let pem = rt.pem(&first).await;
    assert!(common::openssl_verify(&sim, &dir, &pem).contains(": OK"));
    let fp = String::from_utf8(common::run(
        "openssl",
        &["x509", "-noout", "-fingerprint", "-sha1"],
        Some(pem.as_bytes()),
    ))
    .unwrap();
    assert_eq!(
        fp.trim().rsplit('=').next().unwrap().replace(':', ""),
        first
    );
    // The certificate is for the key in the CSR.
    let csr_pub = common::run(
        "openssl",
        &[
            "req",
            "-inform",
            "DER",
            "-in",
            csr_file.to_str().unwrap(),
            "-pubkey",
            "-noout",
        ],
        None,
    );
    let cert_pub = common::run(
        "openssl",
        &["x509", "-pubkey", "-noout"],
        Some(pem.as_bytes()),
    );
    assert_eq!(csr_pub, cert_pub);

    let (s, v) = rt
        .finalize(json!({"requestCode": code, "provider": "CA_BRASIL"}))
        .await;
    assert_error(s, &v, 400, "REQUEST_ALREADY_FINALIZED");

    // v4.42 renewal: v1 with thumbprintToRenew, keyLength a number, EC key.
    let (s, v) = rt
        .create("/raapi/v1/csr/create", json!({"dn": holder("john doe"), "hashType": "SHA256", "keyLength": 256, "keyType": "EC", "provider": "CAMERFIRMA", "thumbprintToRenew": first, "groupIds": [1]}))
        .await;
    assert_eq!(s, 200, "{v}");
    let code2 = v["data"]["requestCode"].as_str().unwrap().to_owned();
    let (s, v) = rt
        .finalize(json!({"requestCode": code2, "provider": "CA_BRASIL"}))
        .await;
    assert_error(s, &v, 400, "INVALID_PROVIDER");
    let (s, v) = rt
        .finalize(json!({"requestCode": code2, "provider": "CAMERFIRMA"}))
        .await;
    assert_eq!(s, 200, "{v}");
    let second = v["data"]["thumbprint"].as_str().unwrap().to_owned();
    assert!(common::openssl_verify(&sim, &dir, &rt.pem(&second).await).contains(": OK"));

    // Renewing the replaced certificate again is refused.
    let (s, v) = rt
        .create("/raapi/v1/csr/create", json!({"dn": holder("x"), "hashType": "SHA256", "keyLength": 256, "keyType": "EC", "provider": "CAMERFIRMA", "thumbprintToRenew": first}))
        .await;
    assert_error(s, &v, 400, "CERTIFICATE_ALREADY_RENEWED");

    // v4.33 renewal: /raapi/v2/csr/create, which requires thumbprintToRenew.
    let (s, v) = rt
        .create("/raapi/v2/csr/create", json!({"dn": holder("x"), "hashType": "SHA512", "keyLength": "384", "keyType": "EC", "provider": "CAMERFIRMA"}))
        .await;
    assert_error(s, &v, 400, "INVALID_REQUEST");
    let (s, v) = rt
        .create("/raapi/v2/csr/create", json!({"dn": holder("john doe"), "hashType": "SHA512", "keyLength": "384", "keyType": "EC", "provider": "CAMERFIRMA", "thumbprintToRenew": second.to_lowercase(), "requestCode": "MYCODE1"}))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["requestCode"], "MYCODE1");
    let (s, v) = rt
        .finalize(json!({"requestCode": "MYCODE1", "provider": "CAMERFIRMA"}))
        .await;
    assert_eq!(s, 200, "{v}");
    let third = v["data"]["thumbprint"].as_str().unwrap().to_owned();

    let certs = rt.certificates().await;
    let by = |t: &str| certs.iter().find(|c| c["thumbprint"] == t).unwrap().clone();
    assert_eq!(by(&first)["supersededBy"], second.as_str());
    assert_eq!(by(&second)["supersededBy"], third.as_str());
    assert!(by(&third)["supersededBy"].is_null());
    assert_eq!(by(&third)["renews"], second.as_str());
}

#[tokio::test]
async fn create_and_finalize_validate_their_input() {
    let sim = start(|_| {});
    let rt = Rt::new(sim.base_url()).await;
    let ok = json!({"dn": holder("a"), "hashType": "SHA256", "keyLength": 256, "keyType": "EC", "provider": "CAMERFIRMA"});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("dn", json!([])), 400, "INVALID_DN"),
        (
            with("dn", json!([{"attribute": "zz", "value": "a"}])),
            400,
            "INVALID_DN",
        ),
        (with("dn", json!("cn=a")), 400, "INVALID_DN"),
        (with("keyType", json!("DSA")), 400, "INVALID_KEY"),
        (with("keyLength", json!(1024)), 400, "INVALID_KEY"),
        (with("keyLength", json!("<integer>")), 400, "INVALID_KEY"),
        (with("hashType", json!("MD5")), 400, "INVALID_HASH_TYPE"),
        (with("provider", json!("ACME_CA")), 400, "INVALID_PROVIDER"),
        (
            with("thumbprintToRenew", json!("00".repeat(20))),
            404,
            "UNKNOWN_THUMBPRINT",
        ),
        (with("groupIds", json!("1")), 400, "INVALID_REQUEST"),
    ];
    for (body, status, code) in cases {
        let (s, v) = rt.create("/raapi/v1/csr/create", body.clone()).await;
        assert_error(s, &v, status, code);
    }
    let (s, v) = rt
        .finalize(json!({"requestCode": "NOPE", "provider": "CAMERFIRMA"}))
        .await;
    assert_error(s, &v, 404, "UNKNOWN_REQUEST_CODE");
    let (s, v) = json(
        rt.c.post(format!("{}/raapi/v1/csr/create", rt.base))
            .json(&ok)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(s, &v, 401, "INVALID_TOKEN");
    let (s, v) = json(
        rt.c.post(format!("{}/raapi/v1/csr/finalize", rt.base))
            .bearer_auth(&rt.token)
            .json(&ok)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(s, &v, 405, "METHOD_NOT_ALLOWED");

    // Duplicate client-chosen requestCode.
    assert_eq!(
        rt.create("/raapi/v1/csr/create", with("requestCode", json!("DUP")))
            .await
            .0,
        200
    );
    let (s, v) = rt
        .create("/raapi/v1/csr/create", with("requestCode", json!("DUP")))
        .await;
    assert_error(s, &v, 400, "DUPLICATE_REQUEST_CODE");
}

#[tokio::test]
async fn finalize_accepts_a_partner_issued_certificate_for_the_same_key_only() {
    let sim = start(|_| {});
    let rt = Rt::new(sim.base_url()).await;
    let dir = common::tempdir("redtrust-partner");
    let (s, v) = rt
        .create("/raapi/v1/csr/create", json!({"dn": holder("partner"), "hashType": "SHA256", "keyLength": 256, "keyType": "EC", "provider": "CAMERFIRMA"}))
        .await;
    assert_eq!(s, 200, "{v}");
    let code = v["data"]["requestCode"].as_str().unwrap().to_owned();
    let csr = base64::engine::general_purpose::STANDARD
        .decode(v["data"]["csr"].as_str().unwrap())
        .unwrap();
    let csr_file = dir.join("p.csr");
    std::fs::write(&csr_file, &csr).unwrap();
    // The partner's own CA (openssl) signs the CSR.
    let (ca_key, ca_crt) = common::openssl_self_signed(&dir, "partner-ca", "/CN=Partner CA", &[]);
    let cert = common::run(
        "openssl",
        &[
            "x509",
            "-req",
            "-inform",
            "DER",
            "-in",
            csr_file.to_str().unwrap(),
            "-CA",
            ca_crt.to_str().unwrap(),
            "-CAkey",
            ca_key.to_str().unwrap(),
            "-days",
            "2",
            "-outform",
            "DER",
        ],
        None,
    );
    // A certificate for another key is refused.
    let other = std::fs::read_to_string(&ca_crt).unwrap();
    let (s, v) = rt
        .finalize(json!({"requestCode": code, "provider": "CAMERFIRMA", "dataInB64": other}))
        .await;
    assert_error(s, &v, 400, "INVALID_CERTIFICATE");
    let (s, v) = rt
        .finalize(json!({"requestCode": code, "provider": "CAMERFIRMA", "dataInB64": "%%%"}))
        .await;
    assert_error(s, &v, 400, "INVALID_CERTIFICATE");
    let (s, v) = rt
        .finalize(json!({"requestCode": code, "provider": "CAMERFIRMA", "dataInB64": base64::engine::general_purpose::STANDARD.encode(&cert)}))
        .await;
    assert_eq!(s, 200, "{v}");
    use sha1::Digest;
    let want: String = sha1::Sha1::digest(&cert)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(v["data"]["thumbprint"], want.as_str());
}
