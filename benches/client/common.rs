//! What the session and access-key benchmarks share: an RS256 key with a session JWT it signed,
//! the alternating two-sided measurement and its summary, where the Node SDK is, and the load
//! average printed with each run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// An RS256 key (2048 bits) as Descope publishes it, and a JWT of `claims` it signed.
pub fn key_and_token(claims: &Value) -> (Value, String) {
    let pair = RsaKeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
    let public = pair.public_key();
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    let jwk = json!({"alg": "RS256", "kid": "bench", "kty": "RSA", "use": "sig",
        "n": b64(public.modulus().big_endian_without_leading_zero()),
        "e": b64(public.exponent().big_endian_without_leading_zero())});
    let header = json!({"alg": "RS256", "kid": "bench", "typ": "JWT"});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let mut signature = vec![0; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .expect("signing");
    (jwk, format!("{input}.{}", b64(&signature)))
}

/// Per-call medians of two sides, and the spread of the per-round ratios (ours/baseline).
pub struct Timing {
    pub ours: Duration,
    pub baseline: Duration,
    pub ratio_median: f64,
    pub ratio_quartiles: (f64, f64),
}

/// Times `calls` calls of each side (each closure makes them all) in `rounds` rounds, the sides
/// taking turns to go first, after one untimed run of each.
pub fn measure(rounds: usize, calls: u32, ours: impl Fn(), baseline: impl Fn()) -> Timing {
    ours();
    baseline();
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let time = |side: &dyn Fn()| {
            let started = Instant::now();
            side();
            started.elapsed() / calls
        };
        if round % 2 == 0 {
            mine.push(time(&ours));
            theirs.push(time(&baseline));
        } else {
            theirs.push(time(&baseline));
            mine.push(time(&ours));
        }
    }
    summarize(mine, theirs)
}

/// The medians of the two sides' per-round times, and the median and quartiles of their
/// per-round ratios.
pub fn summarize(mut mine: Vec<Duration>, mut theirs: Vec<Duration>) -> Timing {
    let mut ratios: Vec<f64> = mine
        .iter()
        .zip(&theirs)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    mine.sort();
    theirs.sort();
    Timing {
        ours: mine[mine.len() / 2],
        baseline: theirs[theirs.len() / 2],
        ratio_median: at(0.5),
        ratio_quartiles: (at(0.25), at(0.75)),
    }
}

/// The directory whose `node_modules` holds `@descope/node-sdk`, if node and the SDK are there.
pub fn node_sdk() -> Option<PathBuf> {
    let dir = match std::env::var_os("DESCOPE_NODE_SDK_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/node-bench"),
    };
    let modules = dir.join("node_modules");
    let has_node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    (has_node && modules.join("@descope/node-sdk").is_dir()).then_some(modules)
}

/// The machine's load averages over 1, 5 and 15 minutes, as `/proc/loadavg` gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}
