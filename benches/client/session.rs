//! What `Client::validate_session` costs with warm keys, against the floor (one aws-lc RSA
//! verification with the key parsed once), against jsonwebtoken's signature-only decode of the
//! same token, and against Descope's official Node SDK validating the same token with the same
//! key, all in one run. Two Rust figures: a
//! token seen for the first time (the signature is checked; measured with the verified-token
//! cache off), and a token presented again (remembered: the signature check is skipped, the
//! expiry is not).
//!
//! Run with `cargo bench -p descope-client-benches --bench session [-- --rounds N --per-round M]`. Each
//! round times `M` validations of each side, in alternating order, so that load on a small shared
//! machine hits every side alike; the figures are medians over the rounds, with the per-round
//! ratios' median and quartiles.
//!
//! With `SESSION_BENCH_PROFILE` set, it only validates first-time tokens for five seconds, for a
//! profiler to watch.
//!
//! The Node side needs Node.js and the SDK: `npm install --prefix target/node-bench
//! @descope/node-sdk@2.13.0` (or point `DESCOPE_NODE_SDK_DIR` at a directory holding its
//! `node_modules`); without them that comparison is skipped and says so.

#[allow(dead_code, reason = "each benchmark uses part of what they share")]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use descope_client::{Client, SessionConfig};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};

use common::{Timing, load_average, measure, node_sdk, summarize};

const PROJECT: &str = "P2BenchProject";

fn main() {
    let (rounds, per_round) = options();
    println!("load average at start: {}", load_average());
    let (jwk, token) = key_and_token();
    println!("token: RS256, {} bytes", token.len());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let client = |remember: usize| {
        Client::builder(PROJECT)
            .base_url("http://127.0.0.1:9")
            .sessions(
                SessionConfig::default()
                    .static_keys(json!({"keys": [jwk]}).to_string())
                    .verified_tokens(remember),
            )
            .build()
            .expect("the bench key is valid")
    };
    let (first_time, remembered) = (client(0), client(16));
    // Sanity: the token validates, and the baselines accept it too.
    for client in [&first_time, &remembered] {
        runtime
            .block_on(client.validate_session(&token))
            .expect("the bench token is valid");
    }
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let mut signature_only = Validation::new(Algorithm::RS256);
    signature_only.validate_exp = false;
    signature_only.validate_aud = false;
    signature_only.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(&token, &key, &signature_only).expect("jsonwebtoken accepts it");

    if std::env::var_os("SESSION_BENCH_PROFILE").is_some() {
        // For a profiler (`perf record`): first-time validations only, for five seconds.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            runtime.block_on(async {
                for _ in 0..1000 {
                    black_box(
                        first_time
                            .validate_session(black_box(&token))
                            .await
                            .unwrap(),
                    );
                }
            });
        }
        return;
    }

    // The floor: one RSA-2048 PKCS#1 v1.5 verification with aws-lc, the key parsed once and
    // the signature decoded in advance; no validator can do less.
    let (input, signature) = token.rsplit_once('.').expect("three parts");
    let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    let parsed = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_der(&jwk))
        .expect("the bench key parses");
    parsed
        .verify_sig(input.as_bytes(), &signature)
        .expect("the signature verifies");
    let raw = || {
        for _ in 0..per_round {
            black_box(parsed.verify_sig(black_box(input.as_bytes()), &signature)).unwrap();
        }
    };

    let validations = |client: &Client| {
        runtime.block_on(async {
            for _ in 0..per_round {
                black_box(client.validate_session(black_box(&token)).await.unwrap());
            }
        })
    };
    let bare = || {
        for _ in 0..per_round {
            black_box(
                jsonwebtoken::decode::<Value>(black_box(&token), &key, &signature_only).unwrap(),
            );
        }
    };
    println!(
        "\n| side | per validation (median) | against the raw verification: ratio of medians; per-round median [quartiles] |\n| --- | --- | --- |"
    );
    let sides: [(&str, &dyn Fn()); 3] = [
        (
            "`jsonwebtoken::decode`, signature only (no claim checks)",
            &bare,
        ),
        (
            "`validate_session`, first time (signature checked)",
            &|| validations(&first_time),
        ),
        ("`validate_session`, presented again (remembered)", &|| {
            validations(&remembered)
        }),
    ];
    let mut raw_shown = false;
    for (label, side) in sides {
        let timing = measure(rounds, per_round, side, raw);
        if !raw_shown {
            println!(
                "| aws-lc RSA-2048 verification, key parsed once (the floor) | {} | 1 |",
                micros(timing.baseline)
            );
            raw_shown = true;
        }
        println!(
            "| {label}, RS256, warm keys | {} | {:.3}; {:.3} [{:.3}, {:.3}] |",
            micros(timing.ours),
            timing.ours.as_secs_f64() / timing.baseline.as_secs_f64(),
            timing.ratio_median,
            timing.ratio_quartiles.0,
            timing.ratio_quartiles.1,
        );
    }
    println!("\n{rounds} rounds of {per_round} validations per side.");

    match node_sdk() {
        Some(node_path) => {
            let input = std::env::temp_dir().join("descope-session-bench.json");
            std::fs::write(
                &input,
                json!({"projectId": PROJECT, "jwk": jwk, "token": token}).to_string(),
            )
            .expect("the temp dir is writable");
            println!(
                "\n| Rust side | Rust per validation | Node SDK `validateSession` | Node / Rust: ratio of medians; per-round median [quartiles] |\n| --- | --- | --- | --- |"
            );
            for (label, client) in [
                ("first time", &first_time),
                ("presented again", &remembered),
            ] {
                let timing = measure_node(
                    rounds, per_round, &runtime, client, &token, &node_path, &input,
                );
                println!(
                    "| {label} | {} | {} | {:.1}; {:.1} [{:.1}, {:.1}] |",
                    micros(timing.ours),
                    micros(timing.baseline),
                    timing.baseline.as_secs_f64() / timing.ours.as_secs_f64(),
                    1.0 / timing.ratio_median,
                    1.0 / timing.ratio_quartiles.1,
                    1.0 / timing.ratio_quartiles.0,
                );
            }
        }
        None => println!(
            "\nNode SDK comparison skipped: install it with `npm install --prefix target/node-bench \
             @descope/node-sdk@2.13.0` (needs node), or set DESCOPE_NODE_SDK_DIR"
        ),
    }
}

/// The DER `RSAPublicKey` of a JWK's `n` and `e` (two positive INTEGERs in a SEQUENCE).
fn public_der(jwk: &Value) -> Vec<u8> {
    let integer = |field: &str| {
        let mut bytes = URL_SAFE_NO_PAD
            .decode(jwk[field].as_str().expect("a string"))
            .expect("base64url");
        if bytes[0] & 0x80 != 0 {
            bytes.insert(0, 0);
        }
        let mut encoded = vec![0x02];
        encoded.extend(der_length(bytes.len()));
        encoded.extend(bytes);
        encoded
    };
    let body = [integer("n"), integer("e")].concat();
    let mut der = vec![0x30];
    der.extend(der_length(body.len()));
    der.extend(body);
    der
}

fn der_length(length: usize) -> Vec<u8> {
    match length {
        0..=0x7f => vec![length as u8],
        0x80..=0xff => vec![0x81, length as u8],
        _ => vec![0x82, (length >> 8) as u8, length as u8],
    }
}

/// An RS256 key as Descope publishes it, and a session JWT it signed.
fn key_and_token() -> (Value, String) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // A realistic session: roles, a tenant, a custom claim.
    let claims = json!({"iss": PROJECT, "sub": "U2benchUser", "iat": now, "exp": now + 3600,
        "drn": "DS", "amr": ["email"], "roles": ["viewer"], "permissions": ["read"],
        "tenants": {"T2abc": {"roles": ["admin"], "permissions": ["write"]}},
        "nsec": {"plan": "pro"}});
    common::key_and_token(&claims)
}

#[allow(clippy::too_many_arguments)]
fn measure_node(
    rounds: usize,
    per_round: u32,
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    token: &str,
    node_path: &Path,
    input: &Path,
) -> Timing {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("node/validate_session.mjs");
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let output = Command::new("node")
            .arg(&script)
            .arg(input)
            .arg(per_round.to_string())
            .env("NODE_PATH", node_path)
            .output()
            .expect("node runs");
        let text = String::from_utf8_lossy(&output.stdout);
        let nanos: f64 = text.trim().parse().unwrap_or_else(|_| {
            panic!(
                "the Node script printed {text:?}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        theirs.push(Duration::from_nanos(nanos as u64));
        let started = Instant::now();
        runtime.block_on(async {
            for _ in 0..per_round {
                black_box(client.validate_session(black_box(token)).await.unwrap());
            }
        });
        mine.push(started.elapsed() / per_round);
    }
    summarize(mine, theirs)
}

fn micros(duration: Duration) -> String {
    format!("{:.2} µs", duration.as_secs_f64() * 1e6)
}

fn options() -> (usize, u32) {
    let mut rounds = 31;
    let mut per_round = 2000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => rounds = args.next().and_then(|v| v.parse().ok()).unwrap_or(rounds),
            "--per-round" => {
                per_round = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(per_round)
            }
            _ => {}
        }
    }
    (rounds, per_round)
}
