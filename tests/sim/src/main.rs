//! `certbridge-sim [--host H] [--port N] [--config FILE] [--eab-pool FILE] [--ca-out FILE] [--tls] [--pebble]`:
//! runs the provider simulator in the foreground and prints its URL and
//! credentials.
//!
//! With `--pebble` it also starts Pebble (EAB required, the simulator's EAB
//! pool as Pebble's keys, `PEBBLE_VA_ALWAYS_VALID=1`, listener certified by
//! the simulator's test CA) and prints one JSON line instead, for test
//! harnesses in any language: `sim_url`, `directory_url`, `ca_pem`,
//! `api_key`, `eab_keys` (`[[kid, base64url key], ...]`), `sim_pid`,
//! `pebble_pid`. Closing its standard input stops Pebble and exits (a harness
//! may also stop both by PID).

use std::process::ExitCode;

use certbridge_sim::pebble::{random_eab_keys, PebbleConfig};
use certbridge_sim::{parse_eab_pool, Sim, SimConfig, SimHandle};

const USAGE: &str = "usage: certbridge-sim [--host 127.0.0.1] [--port N (default 8082, 0 = any)] [--config FILE.json] [--eab-pool FILE.json] [--ca-out FILE.pem] [--tls] [--pebble]";

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut config = SimConfig::default();
    let mut port = None;
    let mut host = None;
    let mut pool = None;
    let mut ca_out = None;
    let mut tls = false;
    let mut pebble = false;
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--port" => {
                port = Some(
                    value()?
                        .parse::<u16>()
                        .map_err(|e| format!("--port: {e}"))?,
                )
            }
            "--host" => host = Some(value()?),
            "--config" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                config = SimConfig::from_json(&text).map_err(|e| e.to_string())?;
            }
            "--eab-pool" => pool = Some(value()?),
            "--ca-out" => ca_out = Some(value()?),
            "--tls" => tls = true,
            "--pebble" => pebble = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    // The Redtrust seeds' default port, unless told otherwise (0 = any free port).
    config.port = match (port, config.port) {
        (Some(p), _) => p,
        (None, 0) => 8082,
        (None, p) => p,
    };
    if tls {
        config.tls = true;
    }
    if let Some(h) = host {
        config.host = h;
    }
    if let Some(path) = pool {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        config.identrust.eab_pool = parse_eab_pool(&text).map_err(|e| e.to_string())?;
    }
    if pebble && config.identrust.eab_pool.is_empty() {
        config.identrust.eab_pool = random_eab_keys(8);
    }
    let sim = Sim::start(config).map_err(|e| e.to_string())?;
    if let Some(path) = ca_out {
        std::fs::write(&path, sim.ca_pem()).map_err(|e| format!("{path}: {e}"))?;
    }
    if pebble {
        return run_with_pebble(&sim);
    }
    let c = sim.config();
    println!("certbridge-sim listening on {}", sim.base_url());
    for u in &c.redtrust.users {
        println!(
            "redtrust user: {} / {} (domain {})",
            u.username,
            u.password,
            u.domain.as_deref().unwrap_or("-")
        );
    }
    for p in &c.redtrust.partners {
        println!("redtrust partner: {} hmac key {}", p.name, p.hmac_key);
    }
    for a in &c.swisssign.accounts {
        println!("swisssign account: {} api key {}", a.user_name, a.api_key);
    }
    for cl in &c.swisssign.clients {
        for p in &cl.products {
            println!(
                "swisssign client {} product {} ({})",
                cl.uuid, p.uuid, p.name
            );
        }
    }
    println!(
        "identrust reseller api key: {} ({} EAB keys in pool{})",
        c.identrust.api_key,
        c.identrust.eab_pool.len(),
        if c.identrust.eab_pool.is_empty() {
            ", random pairs"
        } else {
            ""
        }
    );
    println!("test CA root: GET {}/sim/ca", sim.base_url());
    loop {
        std::thread::park();
    }
}

/// `--pebble`: Pebble with the simulator's EAB pool, one JSON line out,
/// until standard input closes.
fn run_with_pebble(sim: &SimHandle) -> Result<(), String> {
    let c = sim.config();
    let pebble = sim
        .start_pebble(PebbleConfig {
            eab_keys: c.identrust.eab_pool.clone(),
            ..PebbleConfig::default()
        })
        .map_err(|e| format!("pebble: {e}"))?;
    let line = serde_json::json!({
        "sim_url": sim.base_url(),
        "directory_url": pebble.directory_url(),
        "ca_pem": sim.ca_pem(),
        "api_key": c.identrust.api_key,
        "eab_keys": c.identrust.eab_pool,
        "sim_pid": std::process::id(),
        "pebble_pid": pebble.pid(),
    });
    println!("{line}");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    // Blocks until the harness closes our standard input (or dies).
    let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
    pebble.stop();
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("certbridge-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
