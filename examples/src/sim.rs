//! `certbridge sim`: the provider simulator in the foreground.

use crate::common::{Failure, Output};

pub fn run(port: u16, config: Option<std::path::PathBuf>) -> Result<Output, Failure> {
    let mut cfg = match config {
        Some(p) => certbridge_sim::SimConfig::from_json(&crate::common::read_text(&p, "config")?)
            .map_err(|e| Failure::Usage(format!("--config: {e}")))?,
        None => certbridge_sim::SimConfig::default(),
    };
    cfg.port = port;
    let sim =
        certbridge_sim::Sim::start(cfg).map_err(|e| Failure::Io(format!("simulator: {e}")))?;
    println!(
        "simulator at {} (Redtrust, SwissSign, IdenTrust reseller); Ctrl-C stops it",
        sim.base_url()
    );
    println!("Redtrust: user demo / demo-password, domain local.users; partner CA_DEMO, HMAC key demo-hmac-key");
    println!("SwissSign: account service.account, API key n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w");
    println!("IdenTrust reseller: API key supersecret");
    loop {
        std::thread::park();
    }
}
