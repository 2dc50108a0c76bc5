//! `certbridge demo`: real issuance, renewal and revocation at all three
//! providers against the embedded simulator and a local Pebble.

use std::sync::Arc;

use async_trait::async_trait;
use certbridge::acme::{Identifier, IssueOptions};
use certbridge::client::{
    generate_account_key, generate_key, AcmeClient, ChallengeSolver, Driver, IdenTrustClient,
    RedtrustClient, ReqwestTransport, SwissSignClient, SystemClock, TransportConfig,
};
use certbridge::crypto::certificate::Certificate;
use certbridge::crypto::csr::CsrBuilder;
use certbridge::crypto::keys::KeyKind;
use certbridge::identrust::Environment;
use certbridge::redtrust::{parse_dn, CsrRequest, RedtrustConfig};
use certbridge::swisssign::domain::DomainAction;
use certbridge::swisssign::revoke::RevocationReason;
use certbridge::swisssign::{Session, SwissSignConfig};
use certbridge::{ChallengeTask, Deadline, Error, HttpRequest, Method, Secret};
use certbridge_sim::pebble::{random_eab_keys, PebbleConfig};
use serde_json::json;

use crate::common::{Failure, Output};

fn step(provider: &str, text: impl AsRef<str>) {
    println!("[{provider:<9}] {}", text.as_ref());
}

fn driver(roots: &[String]) -> Result<Driver, Failure> {
    let config = TransportConfig {
        extra_roots_pem: roots.to_vec(),
        ..TransportConfig::default()
    };
    Ok(Driver::new(
        Arc::new(ReqwestTransport::new(&config)?),
        Arc::new(SystemClock),
    ))
}

/// Pebble runs with VA_ALWAYS_VALID in the demo; the solver shows what a
/// real deployment would publish.
struct ShowTasks;

#[async_trait]
impl ChallengeSolver for ShowTasks {
    async fn publish(&self, tasks: &[ChallengeTask]) -> Result<(), Error> {
        for t in tasks {
            if let ChallengeTask::Http01 { domain, token, .. } = t {
                step(
                    "acme",
                    format!("http-01 for {domain}: serve /.well-known/acme-challenge/{token}"),
                );
            }
        }
        Ok(())
    }
}

pub async fn run(skip_pebble: bool) -> Result<Output, Failure> {
    let eab = random_eab_keys(4);
    let mut config = certbridge_sim::SimConfig {
        port: 0,
        ..certbridge_sim::SimConfig::default()
    };
    config.identrust.eab_pool = eab.clone();
    config.swisssign.issue_delay_ms = 300;
    let sim =
        certbridge_sim::Sim::start(config).map_err(|e| Failure::Io(format!("simulator: {e}")))?;
    println!(
        "simulator (Redtrust, SwissSign, IdenTrust reseller) at {}",
        sim.base_url()
    );
    let plain = driver(&[])?;
    let mut done = serde_json::Map::new();

    // ---------------- Redtrust ----------------
    let rt = RedtrustClient::new(RedtrustConfig::new(&sim.base_url())?, plain.clone());
    let login = rt.login_url(
        "ca_demo",
        &Secret::new("demo-hmac-key"),
        "https://app.example/callback",
        Some("local.users"),
    )?;
    step("redtrust", format!("HMAC login URL: {}", login.url));
    let answer = plain
        .send(HttpRequest::new(Method::Get, login.url.clone()))
        .await?;
    let back = answer
        .headers
        .get("location")
        .unwrap_or_default()
        .to_string();
    step(
        "redtrust",
        format!(
            "browser sent back to {}",
            back.split("tkn=").next().unwrap_or_default().to_string() + "tkn=…"
        ),
    );
    rt.login_with_redirect(&back).await?;
    step("redtrust", "temporary token exchanged for a bearer session");
    let subject = parse_dn("cn=Demo Holder,o=certbridge demo,c=ES")?;
    let issued = rt.issue(CsrRequest::new(subject.clone())).await?;
    let thumb = issued.thumbprint.clone().unwrap_or_default();
    step(
        "redtrust",
        format!(
            "issued certificate {} (server-side RSA key), thumbprint {thumb}",
            issued.id_certificate.as_deref().unwrap_or("?")
        ),
    );
    let pem = plain
        .send(HttpRequest::new(
            Method::Get,
            format!("{}/sim/redtrust/certificates/{thumb}", sim.base_url()),
        ))
        .await?;
    let cert = Certificate::parse(&pem.body)?;
    step(
        "redtrust",
        format!(
            "  subject {} valid until {}",
            cert.subject,
            cert.not_after.to_rfc3339()
        ),
    );
    let renewed = rt.renew(&thumb, CsrRequest::new(subject)).await?;
    step(
        "redtrust",
        format!(
            "renewed: thumbprint {} replaces {thumb}",
            renewed.thumbprint.as_deref().unwrap_or("?")
        ),
    );
    rt.logout().await?;
    step("redtrust", "logged out (the RA API has no revocation call)");
    done.insert(
        "redtrust".into(),
        json!({"issued": thumb, "renewed": renewed.thumbprint}),
    );

    // ---------------- SwissSign ----------------
    let ss_config = SwissSignConfig::new(&sim.base_url())?;
    let session = Session::with_api_key(
        ss_config,
        "service.account",
        Secret::new("n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w"),
    )?;
    let ss = SwissSignClient::new(session, plain.clone());
    let clients = ss.clients(None).await?;
    let client = clients
        .first()
        .ok_or_else(|| Failure::Io("no SwissSign client".into()))?;
    let product = client
        .products
        .first()
        .ok_or_else(|| Failure::Io("no product".into()))?
        .uuid
        .clone();
    step(
        "swisssign",
        format!(
            "JWT signed locally (HS256); client {} product {product}",
            client.uuid
        ),
    );
    let name = "bücher.demo.example";
    let registered = ss
        .register_domains(&client.uuid, &[name.to_string()])
        .await?;
    let domain = registered
        .first()
        .ok_or_else(|| Failure::Io("no domain".into()))?;
    let record = domain
        .txt_record
        .clone()
        .ok_or_else(|| Failure::Io("no TXT record".into()))?;
    step(
        "swisssign",
        format!(
            "pre-validation of {name}: publish TXT {} \"{}\"",
            record.name, record.value
        ),
    );
    sim.publish_txt(&record.name, &record.value);
    let validated = ss.domain(&domain.uuid, DomainAction::Validate).await?;
    step(
        "swisssign",
        format!(
            "domain {} validated={}",
            validated.uuid, validated.validated
        ),
    );
    let ascii = record.name.clone();
    let key = generate_key(KeyKind::EcP256)?;
    let csr = CsrBuilder::new()
        .subject("cn", ascii.as_str())
        .dns_name(ascii.as_str())
        .build(&key)?;
    let first = ss.issue(&product, csr.der(), Deadline::NONE).await?;
    step(
        "swisssign",
        format!(
            "order {} ISSUED: serial {} ({} certificates in the chain)",
            first.order,
            first.certificate.serial_hex,
            first.chain.certificates.len()
        ),
    );
    let key2 = generate_key(KeyKind::Rsa2048)?;
    let csr2 = CsrBuilder::new()
        .subject("cn", ascii.as_str())
        .dns_name(ascii.as_str())
        .build(&key2)?;
    let second = ss.issue(&product, csr2.der(), Deadline::NONE).await?;
    step(
        "swisssign",
        format!(
            "renewed with a new RSA key: order {} serial {}",
            second.order, second.certificate.serial_hex
        ),
    );
    ss.revoke_order(&first.order, RevocationReason::Superseded)
        .await?;
    step(
        "swisssign",
        format!(
            "revoked {} (superseded): status {}",
            first.order,
            ss.order_status(&first.order).await?.as_str()
        ),
    );
    done.insert("swisssign".into(), json!({"issued": first.order.to_string(), "renewed": second.order.to_string(), "revoked": first.order.to_string()}));

    // ---------------- IdenTrust reseller + ACME (Pebble) ----------------
    let pebble_ok = !skip_pebble && certbridge_sim::pebble::binary().is_some();
    if !pebble_ok {
        step(
            "acme",
            "skipped: Pebble is not installed (apt-get install pebble), or --no-pebble was given",
        );
    } else {
        let pebble = sim
            .start_pebble(PebbleConfig {
                eab_keys: eab,
                ..PebbleConfig::default()
            })
            .map_err(|e| Failure::Io(format!("pebble: {e}")))?;
        step(
            "acme",
            format!("Pebble (EAB required) at {}", pebble.directory_url()),
        );
        let tls = driver(&[sim.ca_pem()])?.with_solver(Arc::new(ShowTasks));
        let env = Environment::custom(&sim.base_url(), &sim.base_url())?;
        let reseller = IdenTrustClient::new(tls.clone(), env, Secret::new("supersecret"));
        let account = reseller.create_account("customer@example.com").await?;
        step(
            "identrust",
            format!(
                "reseller account {}: EAB kid {} (hmacKey in standard base64, normalised)",
                account.id, account.kid
            ),
        );
        let acme =
            AcmeClient::connect(tls.clone(), &pebble.directory_url(), generate_account_key())
                .await?
                .with_eab(account.eab.clone())
                .with_contact(vec!["mailto:customer@example.com".into()]);
        let names = ["www.demo.example".to_string(), "demo.example".to_string()];
        let ckey = generate_key(KeyKind::EcP256)?;
        let mut b = CsrBuilder::new();
        for n in &names {
            b = b.dns_name(n.as_str());
        }
        let issued = acme.issue_for(&names, b.build(&ckey)?.der()).await?;
        let leaf = Certificate::from_der(&issued.chain.leaf_der()?)?;
        step(
            "acme",
            format!(
                "account {} issued serial {} for {} (issuer {})",
                issued.account_url,
                leaf.serial_hex,
                names.join(", "),
                leaf.issuer
            ),
        );
        let rkey = generate_key(KeyKind::EcP256)?;
        let ids = names
            .iter()
            .map(|n| Identifier::dns(n))
            .collect::<Result<Vec<_>, _>>()?;
        let mut rb = CsrBuilder::new();
        for n in &names {
            rb = rb.dns_name(n.as_str());
        }
        let renewed = acme
            .renew(
                leaf.pem.as_bytes(),
                IssueOptions::new(ids, rb.build(&rkey)?.der().to_vec()),
            )
            .await?;
        let rleaf = Certificate::from_der(&renewed.chain.leaf_der()?)?;
        step("acme", format!("renewed: serial {}", rleaf.serial_hex));
        acme.revoke(leaf.pem.as_bytes(), Some(4)).await?;
        step(
            "acme",
            format!("revoked serial {} (superseded)", leaf.serial_hex),
        );
        done.insert("acme".into(), json!({"issued": leaf.serial_hex, "renewed": rleaf.serial_hex, "revoked": leaf.serial_hex}));
        pebble.stop();
    }
    let requests = sim.requests().len();
    sim.shutdown();
    Ok(Output {
        summary: format!(
            "demo finished: {} providers, {requests} requests to the simulator",
            done.len()
        ),
        json: serde_json::Value::Object(done),
        as_json: false,
    })
}
