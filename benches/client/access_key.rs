//! What `Client::validate_access_key` costs, in one run: with the exchange remembered (the
//! common case, a machine client sending the same key on every request) against
//! `validate_session` with the token remembered; with remembering off (an exchange over loopback
//! and a first-time validation on every call) against a first-time `validate_session`; and
//! against Descope's official Node SDK, whose `exchangeAccessKey` exchanges and validates on every
//! call.
//!
//! The exchange (`POST /v1/auth/accesskey/exchange`) is served by a small HTTP/1.1 server inside
//! this process (std `TcpListener` on 127.0.0.1, a thread per connection, keep-alive), which
//! answers every exchange carrying the bench's bearer with one fixed body: an RS256 session JWT
//! (2048-bit key made by the bench, `sub` the key id) that both sides validate with the key given
//! statically, so neither fetches keys. The server counts the exchanges, and the bench checks
//! that each side made the number it should (remembered: one in all; remembering off and Node:
//! one per call), so that the figures mean what they say.
//!
//! Run with `cargo bench -p descope-client-benches --bench access_key [-- --rounds N --per-round
//! M --exchanges E]`. Each round times `M` remembered validations (or `E` calls that exchange) of
//! each side, in alternating order, so that load on a small shared machine hits every side alike;
//! the figures are medians over the rounds, with the per-round ratios' median and quartiles.
//!
//! The Node side needs Node.js and the SDK: `npm install --prefix target/node-bench
//! @descope/node-sdk@2.13.0` (or point `DESCOPE_NODE_SDK_DIR` at a directory holding its
//! `node_modules`); without them that comparison is skipped and says so. It runs
//! `node/exchange_access_key.mjs` in a fresh `node` process per round.

#[allow(dead_code, reason = "each benchmark uses part of what they share")]
mod common;

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use descope_client::{Client, SessionConfig, SessionKind};
use serde_json::{Value, json};

use common::{Timing, load_average, measure, node_sdk, summarize};

const PROJECT: &str = "P2BenchProject";
const ACCESS_KEY: &str = "K2BenchKeyIdBenchAccessKeyCleartext0123456789";
const KEY_ID: &str = "K2BenchKeyId";
const EXCHANGE_PATH: &str = "/v1/auth/accesskey/exchange";
/// Calls the Node script makes before it starts timing (key import, JIT, the connection).
const NODE_WARM_UP: u32 = 200;

fn main() {
    let options = Options::parse();
    println!("load average at start: {}", load_average());
    let (jwk, token) = key_and_token();
    println!("session JWT: RS256, {} bytes", token.len());
    let answer =
        json!({"keyId": KEY_ID, "sessionJwt": token, "expiration": expiry(&token)}).to_string();
    let server = ExchangeServer::start(answer);
    println!("exchange served at {}", server.base_url);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = |remember: usize| {
        Client::builder(PROJECT)
            .base_url(&server.base_url)
            .sessions(
                SessionConfig::default()
                    .static_keys(json!({"keys": [jwk]}).to_string())
                    .verified_tokens(remember),
            )
            .build()
            .expect("the bench key is valid")
    };
    let keys_remembered = client(16);
    let keys_exchanged = client(0);
    let sessions_remembered = client(16);
    let sessions_first_time = client(0);

    // Sanity: every side validates, as an access key's session where it should be.
    runtime.block_on(async {
        for client in [&keys_remembered, &keys_exchanged] {
            let session = client
                .validate_access_key(ACCESS_KEY)
                .await
                .expect("the exchange and its JWT are valid");
            assert_eq!(session.kind(), SessionKind::AccessKey);
            assert_eq!(session.user_id(), KEY_ID);
            assert!(session.has_roles(&["reporter"]));
        }
        for client in [&sessions_remembered, &sessions_first_time] {
            let session = client
                .validate_session(&token)
                .await
                .expect("the session JWT is valid");
            assert_eq!(session.kind(), SessionKind::User);
        }
    });
    assert_eq!(server.exchanges(), 2, "one exchange per access-key client");

    let per_round = options.per_round;
    let exchanges = options.exchanges;
    let access_keys = |client: &Client, calls: u32| {
        runtime.block_on(async {
            for _ in 0..calls {
                black_box(
                    client
                        .validate_access_key(black_box(ACCESS_KEY))
                        .await
                        .unwrap(),
                );
            }
        })
    };
    let sessions = |client: &Client, calls: u32| {
        runtime.block_on(async {
            for _ in 0..calls {
                black_box(client.validate_session(black_box(&token)).await.unwrap());
            }
        })
    };

    // 1. Remembered: the same key again against the same session JWT again.
    let before = server.exchanges();
    let remembered = measure(
        options.rounds,
        per_round,
        || access_keys(&keys_remembered, per_round),
        || sessions(&sessions_remembered, per_round),
    );
    let remembered_exchanges = server.exchanges() - before;
    assert_eq!(
        remembered_exchanges, 0,
        "the remembered side must not exchange again"
    );

    // 2. Remembering off: an exchange and a first-time validation on every call, against the
    // first-time validation alone.
    let before = server.exchanges();
    let exchanged = measure(
        options.rounds,
        exchanges,
        || access_keys(&keys_exchanged, exchanges),
        || sessions(&sessions_first_time, exchanges),
    );
    let off_exchanges = server.exchanges() - before;
    // `measure` runs each side once before the rounds, to warm up.
    let off_expected = u64::from(exchanges) * (options.rounds as u64 + 1);
    assert_eq!(off_exchanges, off_expected, "one exchange per call");

    println!(
        "\n| side | per call (median) | against its `validate_session` baseline: ratio of medians; per-round median [quartiles] |\n| --- | --- | --- |"
    );
    println!(
        "| `validate_session`, token presented again (remembered) | {} | 1 |",
        micros(remembered.baseline)
    );
    println!(
        "| `validate_access_key`, same key again (remembered) | {} | {} |",
        micros(remembered.ours),
        remembered.ratios(3)
    );
    println!(
        "| `validate_session`, first time (signature checked) | {} | 1 |",
        micros(exchanged.baseline)
    );
    println!(
        "| `validate_access_key`, remembering off (loopback exchange + first-time validation) | {} | {} |",
        micros(exchanged.ours),
        exchanged.ratios(2)
    );
    println!(
        "\nRound trip over loopback, by difference of medians: {}.",
        micros(exchanged.ours.saturating_sub(exchanged.baseline))
    );
    let rust_connections = server.connections();
    println!(
        "{} rounds of {per_round} remembered / {exchanges} exchanging calls per side; connections \
         accepted: {rust_connections} (keep-alive); exchanges served: \
         remembered side {} in all (its first call, before the rounds; 0 during them), remembering \
         off {off_exchanges} (expected {off_expected}).",
        options.rounds,
        1 + remembered_exchanges,
    );

    match node_sdk() {
        Some(node_path) => {
            let input = std::env::temp_dir().join("descope-access-key-bench.json");
            std::fs::write(
                &input,
                json!({"projectId": PROJECT, "baseUrl": server.base_url, "jwk": jwk,
                       "accessKey": ACCESS_KEY, "keyId": KEY_ID})
                .to_string(),
            )
            .expect("the temp dir is writable");
            let node = Node {
                path: &node_path,
                input: &input,
                server: &server,
            };
            let (before, connections_before) = (server.exchanges(), server.connections());
            let (off, kept) = node.measure(
                options.rounds,
                exchanges,
                || access_keys(&keys_exchanged, exchanges),
                per_round,
                || access_keys(&keys_remembered, per_round),
            );
            // Node's own count is checked round by round; the rest is the remembering-off side.
            assert_eq!(
                server.exchanges() - before,
                options.rounds as u64 * u64::from(NODE_WARM_UP + 2 * exchanges),
                "Node and the remembering-off side exchange on every call, the remembered side never"
            );
            println!(
                "\n| Rust side | Rust per call | Node SDK `exchangeAccessKey` | Node / Rust: ratio of medians; per-round median [quartiles] |\n| --- | --- | --- | --- |"
            );
            for (label, timing) in [
                ("remembering off (exchange every call)", &off),
                ("remembered (same key again)", &kept),
            ] {
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
            println!(
                "\n{} rounds, a fresh `node` per round ({NODE_WARM_UP} warm-up calls, then \
                 {exchanges} timed); exchanges served: {} in every Node round (checked), \
                 {} per round on the remembering-off side, none on the remembered side; \
                 connections accepted: {} (Rust's kept alive from before, Node's one per process \
                 expected).",
                options.rounds,
                NODE_WARM_UP + exchanges,
                exchanges,
                server.connections() - connections_before,
            );
        }
        None => println!(
            "\nNode SDK comparison skipped: install it with `npm install --prefix target/node-bench \
             @descope/node-sdk@2.13.0` (needs node), or set DESCOPE_NODE_SDK_DIR"
        ),
    }
    println!("\nload average at end: {}", load_average());
}

/// The loopback server answering the exchange, and how many exchanges it answered.
struct ExchangeServer {
    base_url: String,
    exchanges: Arc<AtomicU64>,
    connections: Arc<AtomicU64>,
}

impl ExchangeServer {
    fn start(answer: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let exchanges = Arc::new(AtomicU64::new(0));
        let ok: Arc<[u8]> = response("200 OK", &answer).into();
        let refused: Arc<[u8]> = response(
            "401 Unauthorized",
            r#"{"errorCode":"E011003","errorDescription":"not the bench's key"}"#,
        )
        .into();
        let not_found: Arc<[u8]> = response("404 Not Found", r#"{"errorCode":"E011001"}"#).into();
        let bearer = format!("Bearer {PROJECT}:{ACCESS_KEY}");
        let counter = exchanges.clone();
        let connections = Arc::new(AtomicU64::new(0));
        let accepted = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                accepted.fetch_add(1, Ordering::SeqCst);
                let (ok, refused, not_found) = (ok.clone(), refused.clone(), not_found.clone());
                let (bearer, counter) = (bearer.clone(), counter.clone());
                std::thread::spawn(move || {
                    // A connection ends when the client closes it or sends something unexpected.
                    let _ = serve(stream, &bearer, &counter, [&ok, &refused, &not_found]);
                });
            }
        });
        ExchangeServer {
            base_url,
            exchanges,
            connections,
        }
    }

    fn exchanges(&self) -> u64 {
        self.exchanges.load(Ordering::SeqCst)
    }

    /// Connections accepted so far: keep-alive holds one per client.
    fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }
}

fn response(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Answers the requests of one keep-alive connection, one at a time.
fn serve(
    stream: TcpStream,
    bearer: &str,
    exchanges: &AtomicU64,
    [ok, refused, not_found]: [&[u8]; 3],
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let (mut length, mut chunked, mut authorized, mut close) = (0, false, false, false);
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().unwrap_or(0),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "authorization" => authorized = value == bearer,
                "connection" => close = value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        if chunked {
            skip_chunked(&mut reader)?;
        } else {
            std::io::copy(&mut (&mut reader).take(length), &mut std::io::sink())?;
        }
        let path = target.split('?').next().unwrap_or("");
        let answer = if method != "POST" || path != EXCHANGE_PATH {
            not_found
        } else if !authorized {
            refused
        } else {
            exchanges.fetch_add(1, Ordering::SeqCst);
            ok
        };
        writer.write_all(answer)?;
        if close {
            return Ok(());
        }
    }
}

fn skip_chunked(reader: &mut BufReader<TcpStream>) -> std::io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = line.trim().split(';').next().unwrap_or("");
        let size =
            u64::from_str_radix(size, 16).map_err(|_| std::io::Error::other("a bad chunk size"))?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                    return Ok(());
                }
            }
        }
        std::io::copy(&mut reader.take(size + 2), &mut std::io::sink())?;
    }
}

/// An RS256 key as Descope publishes it, and an access key's session JWT it signed.
fn key_and_token() -> (Value, String) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // What Descope gives an access key: `sub` is the key's id, with the key's roles and
    // permissions; it expires far ahead, so that no side exchanges again because of time.
    let claims = json!({"iss": PROJECT, "sub": KEY_ID, "iat": now, "exp": now + 30 * 86_400,
        "drn": "DS", "roles": ["reporter"], "permissions": ["reports:read"],
        "tenants": {"T2abc": {"roles": ["viewer"], "permissions": ["read"]}}});
    common::key_and_token(&claims)
}

/// The `exp` of a JWT the bench made.
fn expiry(token: &str) -> u64 {
    let payload = token.split('.').nth(1).expect("three parts");
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).unwrap();
    claims["exp"].as_u64().expect("an exp")
}

impl Timing {
    fn ratios(&self, decimals: usize) -> String {
        format!(
            "**{:.decimals$}**; {:.decimals$} [{:.decimals$}, {:.decimals$}]",
            self.ours.as_secs_f64() / self.baseline.as_secs_f64(),
            self.ratio_median,
            self.ratio_quartiles.0,
            self.ratio_quartiles.1,
        )
    }
}

/// The Node side: one `node` process per round, which prints its nanoseconds per call.
struct Node<'a> {
    path: &'a Path,
    input: &'a Path,
    server: &'a ExchangeServer,
}

impl Node<'_> {
    /// Node against two Rust sides, in alternating order: returns (Rust `off` against Node,
    /// Rust `kept` against Node). Checks that every Node round made one exchange per call.
    fn measure(
        &self,
        rounds: usize,
        node_calls: u32,
        off: impl Fn(),
        kept_calls: u32,
        kept: impl Fn(),
    ) -> (Timing, Timing) {
        let (mut off_times, mut kept_times, mut node_times) = (Vec::new(), Vec::new(), Vec::new());
        let time = |side: &dyn Fn(), calls: u32| {
            let started = Instant::now();
            side();
            started.elapsed() / calls
        };
        for round in 0..rounds {
            if round % 2 == 0 {
                node_times.push(self.run(node_calls));
                off_times.push(time(&off, node_calls));
                kept_times.push(time(&kept, kept_calls));
            } else {
                kept_times.push(time(&kept, kept_calls));
                off_times.push(time(&off, node_calls));
                node_times.push(self.run(node_calls));
            }
        }
        (
            summarize(off_times, node_times.clone()),
            summarize(kept_times, node_times),
        )
    }

    fn run(&self, calls: u32) -> Duration {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("node/exchange_access_key.mjs");
        let before = self.server.exchanges();
        let output = Command::new("node")
            .arg(&script)
            .arg(self.input)
            .arg(calls.to_string())
            .arg(NODE_WARM_UP.to_string())
            .env("NODE_PATH", self.path)
            .output()
            .expect("node runs");
        let text = String::from_utf8_lossy(&output.stdout);
        let nanos: f64 = text.trim().parse().unwrap_or_else(|_| {
            panic!(
                "the Node script printed {text:?}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        let seen = self.server.exchanges() - before;
        assert_eq!(
            seen,
            u64::from(NODE_WARM_UP + calls),
            "the Node SDK exchanges on every call"
        );
        Duration::from_nanos(nanos as u64)
    }
}

fn micros(duration: Duration) -> String {
    format!("{:.3} µs", duration.as_secs_f64() * 1e6)
}

struct Options {
    rounds: usize,
    per_round: u32,
    exchanges: u32,
}

impl Options {
    fn parse() -> Self {
        let mut options = Options {
            rounds: 31,
            per_round: 20_000,
            exchanges: 1_000,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value =
                |default: u32| args.next().and_then(|v| v.parse().ok()).unwrap_or(default);
            match arg.as_str() {
                "--rounds" => options.rounds = value(options.rounds as u32) as usize,
                "--per-round" => options.per_round = value(options.per_round),
                "--exchanges" => options.exchanges = value(options.exchanges),
                _ => {}
            }
        }
        options
    }
}
