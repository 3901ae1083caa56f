//! Paging through every user of a project: this crate's `search_all_users` stream (and its
//! `search_users`, page by page) against Descope's official Python and Node SDKs, in one run,
//! against one emulator.
//!
//! Run with `cargo bench -p descope-client-benches --bench search [-- --rounds N --users N
//! --page-size N]` (15 rounds, 10,000 users, 100 a page by default). The emulator is the release
//! binary (`cargo build --release -p descope-emulator`, or `DESCOPE_EMULATOR_BIN`), started as its
//! own process on a free port so that it does not share this process or its runtime; the users
//! are created once, through the management API's batch call, 100 a call. Each round times one
//! whole pass of each side, the sides' order rotating from round to round so that load on a small
//! shared machine hits every side alike, and checks that every pass counted every user. The
//! figures are medians over the rounds, with the per-round ratios' median and quartiles, the
//! client's CPU time per pass (this process's threads for the Rust sides, as the SDK's process
//! reports it for the others), and the emulator's (every thread of its process, from `/proc`).
//!
//! Every side stops as the crate's stream does: after a page shorter than the page size, or once
//! the users counted reach the `total` the emulator reports; so every side sends the same number
//! of searches (checked for the Rust sides with the emulator's rate limit, counted by the
//! scripts for the SDKs).
//!
//! The SDK sides run in a fresh process per round (`python/search_users.py`,
//! `node/search_users.mjs`), which makes two passes and times them inside itself: the first, with
//! a new client, is reported apart; the second is the one compared. The process's start, the
//! SDK's import and its exit are reported apart too. The Python side needs a virtual environment
//! with `descope` 2.16.1 (`python3 -m venv target/python-bench && target/python-bench/bin/pip
//! install -r interop/python/requirements.txt`, or `DESCOPE_PYTHON` naming an interpreter that
//! has it); the Node side Node.js and `npm install --prefix target/node-bench
//! @descope/node-sdk@2.13.0` (or `DESCOPE_NODE_SDK_DIR`). Without them, that side is skipped and
//! says so.

#[allow(dead_code, reason = "each benchmark uses part of what they share")]
mod common;

use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use descope_client::{Client, RetryPolicy, types};
use futures_util::StreamExt;
use serde_json::{Value, json};

use common::{load_average, node_sdk};

const PROJECT: &str = "P2SearchBench";
const MANAGEMENT_KEY: &str = "K2SearchBenchManagementKey";
/// Users per batch creation call while seeding.
const SEED_BATCH: usize = 100;
/// Passes each SDK process makes: the first with a new client, the second compared.
const SCRIPT_PASSES: usize = 2;

fn main() {
    let options = Options::parse();
    println!("load average at start: {}", load_average());
    let emulator = Emulator::start();
    println!("emulator: {} ({})", emulator.base_url, emulator.binary);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = || {
        Client::builder(PROJECT)
            .base_url(&emulator.base_url)
            .management_key(MANAGEMENT_KEY)
            .build()
            .expect("the bench client builds")
    };

    let started = Instant::now();
    runtime.block_on(seed(&client(), options.users));
    println!(
        "seeded {} users in {:.2} s ({} batch calls of {SEED_BATCH})",
        options.users,
        started.elapsed().as_secs_f64(),
        options.users.div_ceil(SEED_BATCH),
    );
    let expected_requests = expected_requests(options.users, options.page_size);
    let page_bytes = runtime.block_on(first_page_bytes(&emulator.base_url, options.page_size));
    println!(
        "one page of {} users: {page_bytes} bytes of JSON",
        options.page_size
    );

    // The Rust sides: each its own client, whose first pass (a new connection) is timed apart.
    let (stream_client, pages_client) = (client(), client());
    let mut sides: Vec<Side> = vec![
        Side::new(
            "this crate: `search_all_users` stream",
            Kind::Stream(stream_client),
        ),
        Side::new(
            "this crate: `search_users`, page by page",
            Kind::Pages(pages_client),
        ),
    ];
    match python_sdk() {
        Some(python) => sides.push(Side::new(
            "Python SDK 2.16.1: `mgmt.user.search_all`",
            Kind::Python(python),
        )),
        None => println!(
            "Python SDK side skipped: make a virtual environment with `python3 -m venv \
             target/python-bench && target/python-bench/bin/pip install -r \
             interop/python/requirements.txt`, or set DESCOPE_PYTHON to an interpreter with \
             `descope` installed"
        ),
    }
    match node_sdk() {
        Some(modules) => sides.push(Side::new(
            "Node SDK 2.13.0: `management.user.search`",
            Kind::Node(modules),
        )),
        None => println!(
            "Node SDK side skipped: install it with `npm install --prefix target/node-bench \
             @descope/node-sdk@2.13.0` (needs node), or set DESCOPE_NODE_SDK_DIR"
        ),
    }

    // Before timing: each Rust side's first pass, and its exact request count (a pass succeeds
    // under a rate limit of `expected` calls and fails under one fewer).
    for side in &mut sides {
        if side.is_rust() {
            let pass = side.run(&runtime, &emulator, &options);
            side.first.push(pass.wall);
            verify_request_count(&runtime, &emulator, side, &options, expected_requests);
            side.requests = Some(expected_requests);
        }
    }

    let run_started = Instant::now();
    for round in 0..options.rounds {
        let count = sides.len();
        for at in 0..count {
            let side = &mut sides[(round + at) % count];
            let pass = side.run(&runtime, &emulator, &options);
            assert_eq!(
                pass.users, options.users as u64,
                "{}: a pass counted {} users, not {}",
                side.label, pass.users, options.users
            );
            if let Some(requests) = pass.requests {
                assert_eq!(
                    requests, expected_requests,
                    "{}: a pass sent {requests} searches, not {expected_requests}",
                    side.label
                );
                side.requests = Some(requests);
            }
            side.walls.push(pass.wall);
            side.emulator_cpu.push(pass.emulator_cpu);
            side.client_cpu.push(pass.client_cpu);
            side.first.extend(pass.first);
            side.startup.extend(pass.startup);
        }
    }
    println!(
        "\n{} rounds of one pass per side in {:.1} s; {} users, {} a page; load average at the \
         end: {}",
        options.rounds,
        run_started.elapsed().as_secs_f64(),
        options.users,
        options.page_size,
        load_average()
    );
    report(&sides, options.users);
}

/// The users, created through the management API's batch call.
async fn seed(client: &Client, users: usize) {
    for start in (0..users).step_by(SEED_BATCH) {
        let batch: Vec<types::BatchUser> = (start..(start + SEED_BATCH).min(users))
            .map(|n| {
                let email = format!("user{n:05}@search-bench.example.com");
                serde_json::from_value(json!({
                    "loginId": email,
                    "email": email,
                    "verifiedEmail": true,
                    "displayName": format!("Bench User {n:05}"),
                    "givenName": "Bench",
                    "familyName": format!("User {n:05}"),
                }))
                .expect("a batch user")
            })
            .collect();
        let size = batch.len();
        let created = client
            .create_users(batch)
            .send()
            .await
            .expect("the emulator creates the users")
            .into_inner();
        assert!(
            created.failed_users.is_empty() && created.created_users.len() == size,
            "a batch failed: {:?}",
            created.failed_users
        );
    }
    let total = client
        .search_users()
        .limit(1)
        .send()
        .await
        .expect("a search")
        .into_inner()
        .total;
    assert_eq!(total, Some(users as i32), "the emulator holds every user");
}

/// The size of the first page's answer, as the emulator sends it.
async fn first_page_bytes(base_url: &str, page_size: u16) -> usize {
    let answer = reqwest::Client::new()
        .post(format!("{base_url}/v2/mgmt/user/search"))
        .bearer_auth(format!("{PROJECT}:{MANAGEMENT_KEY}"))
        .json(&json!({"page": 0, "limit": page_size}))
        .send()
        .await
        .expect("the emulator answers");
    assert!(answer.status().is_success(), "a raw search: {answer:?}");
    answer.bytes().await.expect("a body").len()
}

/// Searches per pass when every side stops at the total: one per page, and one for an empty
/// project.
fn expected_requests(users: usize, page_size: u16) -> usize {
    users.div_ceil(usize::from(page_size)).max(1)
}

/// A pass of a Rust side succeeds under a rate limit of `expected` calls and fails under one
/// fewer (a client without retries): it sends exactly `expected` searches.
fn verify_request_count(
    runtime: &tokio::runtime::Runtime,
    emulator: &Emulator,
    side: &Side,
    options: &Options,
    expected: usize,
) {
    let strict = Client::builder(PROJECT)
        .base_url(&emulator.base_url)
        .management_key(MANAGEMENT_KEY)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the bench client builds");
    let admin = reqwest::Client::new();
    let rate_limit = format!("{}/emulator/rate-limit", emulator.base_url);
    for (allowed, should_pass) in [(expected, true), (expected - 1, false)] {
        runtime.block_on(async {
            let answer = admin
                .put(&rate_limit)
                .json(&json!({"maxCalls": allowed, "windowSeconds": 3600}))
                .send()
                .await
                .expect("the admin API answers");
            assert!(answer.status().is_success(), "rate limit: {answer:?}");
        });
        let passed = runtime.block_on(async {
            match &side.kind {
                Kind::Stream(_) => stream_pass(&strict, options.page_size).await.is_ok(),
                Kind::Pages(_) => pages_pass(&strict, options.page_size).await.is_ok(),
                _ => unreachable!("only the Rust sides are checked here"),
            }
        });
        assert_eq!(
            passed,
            should_pass,
            "{}: a pass under a limit of {allowed} calls {}",
            side.label,
            if passed { "succeeded" } else { "failed" }
        );
    }
    runtime.block_on(async {
        // Admin changes must say they are JSON, even without a body (the emulator's CSRF rule).
        let answer = admin
            .delete(&rate_limit)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .send()
            .await
            .expect("the admin API answers");
        assert!(answer.status().is_success(), "rate limit off: {answer:?}");
    });
}

/// Every user through the crate's stream; the number of users.
async fn stream_pass(client: &Client, page_size: u16) -> Result<u64, descope_client::Error> {
    let mut users = client
        .search_all_users(types::SearchUsersRequest::builder())
        .page_size(page_size);
    let mut counted = 0;
    while let Some(user) = users.next().await {
        black_box(user?);
        counted += 1;
    }
    Ok(counted)
}

/// Every user through `search_users`, one page after another, stopping as the stream does; the
/// number of users and of searches.
async fn pages_pass(
    client: &Client,
    page_size: u16,
) -> Result<(u64, usize), descope_client::Error> {
    let limit = i32::from(page_size);
    let (mut counted, mut requests, mut page) = (0u64, 0, 0);
    loop {
        let answer = client
            .search_users()
            .page(page)
            .limit(limit)
            .send()
            .await?
            .into_inner();
        requests += 1;
        page += 1;
        let found = answer.users.len();
        counted += found as u64;
        black_box(answer.users);
        let reached = answer
            .total
            .is_some_and(|total| counted >= u64::try_from(total).unwrap_or(0));
        if found < usize::from(page_size) || reached {
            return Ok((counted, requests));
        }
    }
}

enum Kind {
    Stream(Client),
    Pages(Client),
    Python(PathBuf),
    Node(PathBuf),
}

/// One side and what its passes measured.
struct Side {
    label: &'static str,
    kind: Kind,
    walls: Vec<Duration>,
    emulator_cpu: Vec<Duration>,
    /// The client's CPU time per pass: this process's threads for a Rust side, the SDK's
    /// process as it reports it (`time.process_time_ns`, `process.cpuUsage`).
    client_cpu: Vec<Duration>,
    /// The first pass with a new client (once for a Rust side, once per process for an SDK).
    first: Vec<Duration>,
    /// An SDK process's wall time outside its timed passes: start, import, client, exit.
    startup: Vec<Duration>,
    requests: Option<usize>,
}

/// What one pass measured.
struct Pass {
    users: u64,
    requests: Option<usize>,
    wall: Duration,
    emulator_cpu: Duration,
    client_cpu: Duration,
    first: Option<Duration>,
    startup: Option<Duration>,
}

impl Side {
    fn new(label: &'static str, kind: Kind) -> Self {
        Side {
            label,
            kind,
            walls: Vec::new(),
            emulator_cpu: Vec::new(),
            client_cpu: Vec::new(),
            first: Vec::new(),
            startup: Vec::new(),
            requests: None,
        }
    }

    fn is_rust(&self) -> bool {
        matches!(self.kind, Kind::Stream(_) | Kind::Pages(_))
    }

    fn run(
        &self,
        runtime: &tokio::runtime::Runtime,
        emulator: &Emulator,
        options: &Options,
    ) -> Pass {
        let cpu_before = emulator.cpu();
        let own_before = cpu_of(std::process::id());
        let started = Instant::now();
        let rust = |(users, requests): (u64, Option<usize>)| {
            let wall = started.elapsed();
            Pass {
                users,
                requests,
                wall,
                emulator_cpu: emulator.cpu() - cpu_before,
                client_cpu: cpu_of(std::process::id()) - own_before,
                first: None,
                startup: None,
            }
        };
        match &self.kind {
            Kind::Stream(client) => rust(runtime.block_on(async {
                let users = stream_pass(client, options.page_size)
                    .await
                    .expect("the search succeeds");
                (users, None)
            })),
            Kind::Pages(client) => rust(runtime.block_on(async {
                let (users, requests) = pages_pass(client, options.page_size)
                    .await
                    .expect("the search succeeds");
                (users, Some(requests))
            })),
            Kind::Python(python) => {
                let script = manifest_dir().join("python/search_users.py");
                let mut command = Command::new(python);
                command.arg(script);
                script_pass(command, emulator, options, cpu_before, started)
            }
            Kind::Node(modules) => {
                let script = manifest_dir().join("node/search_users.mjs");
                let mut command = Command::new("node");
                command.arg(script).env("NODE_PATH", modules);
                script_pass(command, emulator, options, cpu_before, started)
            }
        }
    }
}

/// One SDK process: its passes as it timed them, the second compared; the emulator's CPU over
/// the whole process shared between its passes (they send the same searches).
fn script_pass(
    mut command: Command,
    emulator: &Emulator,
    options: &Options,
    cpu_before: Duration,
    started: Instant,
) -> Pass {
    let output = command
        .args([
            emulator.base_url.as_str(),
            PROJECT,
            MANAGEMENT_KEY,
            &options.page_size.to_string(),
            &SCRIPT_PASSES.to_string(),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("the SDK's interpreter runs");
    let process = started.elapsed();
    let emulator_cpu = (emulator.cpu() - cpu_before) / SCRIPT_PASSES as u32;
    let text = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(text.trim()).unwrap_or_else(|_| {
        panic!(
            "the SDK script printed {text:?}; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let numbers = |key: &str| -> Vec<u64> {
        result[key]
            .as_array()
            .unwrap_or_else(|| panic!("no {key:?} in {result}"))
            .iter()
            .map(|n| n.as_u64().expect("a count"))
            .collect()
    };
    let (users, requests, nanos) = (numbers("users"), numbers("requests"), numbers("nanos"));
    let cpu_nanos = numbers("cpuNanos");
    assert_eq!(nanos.len(), SCRIPT_PASSES, "passes in {result}");
    for (&counted, &sent) in users.iter().zip(&requests) {
        assert_eq!(counted, options.users as u64, "users counted in {result}");
        assert_eq!(sent, requests[0], "searches per pass in {result}");
    }
    let passes: Vec<Duration> = nanos.iter().map(|&n| Duration::from_nanos(n)).collect();
    Pass {
        users: users[SCRIPT_PASSES - 1],
        requests: Some(requests[SCRIPT_PASSES - 1] as usize),
        wall: passes[SCRIPT_PASSES - 1],
        emulator_cpu,
        client_cpu: Duration::from_nanos(cpu_nanos[SCRIPT_PASSES - 1]),
        first: Some(passes[0]),
        startup: Some(process.saturating_sub(passes.iter().sum())),
    }
}

fn report(sides: &[Side], users: usize) {
    let reference = &sides[0];
    println!(
        "\n| side | searches per pass | whole pass, median | per user | client CPU per pass, \
         median | emulator CPU per pass, median | against the stream: ratio of medians; \
         per-round median [quartiles] |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for side in sides {
        let wall = median(&side.walls);
        let ratios: Vec<f64> = side
            .walls
            .iter()
            .zip(&reference.walls)
            .map(|(theirs, ours)| theirs.as_secs_f64() / ours.as_secs_f64())
            .collect();
        let (q1, q2, q3) = quartiles(ratios);
        println!(
            "| {} | {} | {} | {:.2} µs | {} | {} | {:.2}; {q2:.2} [{q1:.2}, {q3:.2}] |",
            side.label,
            side.requests.map_or("?".to_owned(), |n| n.to_string()),
            millis(wall),
            wall.as_secs_f64() * 1e6 / users as f64,
            millis(median(&side.client_cpu)),
            millis(median(&side.emulator_cpu)),
            wall.as_secs_f64() / median(&reference.walls).as_secs_f64(),
        );
    }
    println!(
        "\n| side | first pass with a new client, median | process start, SDK import, client \
         and exit, median |\n| --- | ---: | ---: |"
    );
    for side in sides {
        let startup = if side.startup.is_empty() {
            "(none: the bench's own process)".to_owned()
        } else {
            millis(median(&side.startup))
        };
        println!(
            "| {} | {} | {startup} |",
            side.label,
            millis(median(&side.first))
        );
    }
}

fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// The first quartile, the median and the third quartile (nearest rank).
fn quartiles(mut ratios: Vec<f64>) -> (f64, f64, f64) {
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.5), at(0.75))
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

/// The emulator's release binary, started on a free port, stopped when dropped.
struct Emulator {
    child: Child,
    base_url: String,
    binary: String,
}

impl Emulator {
    fn start() -> Self {
        let binary = emulator_binary();
        let mut child = Command::new(&binary)
            .args(["--port", "0", "--project-id", PROJECT])
            .args(["--management-key", MANAGEMENT_KEY])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("{} does not start: {error}", binary.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its output"))
            .read_line(&mut line)
            .expect("it says where it listens");
        let base_url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Emulator {
            child,
            base_url,
            binary: binary.display().to_string(),
        }
    }

    /// The emulator's processor time so far.
    fn cpu(&self) -> Duration {
        cpu_of(self.child.id())
    }
}

/// The processor time of every thread of a process so far (Linux's schedstat).
fn cpu_of(pid: u32) -> Duration {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Duration::ZERO;
    };
    let nanos = tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `DESCOPE_EMULATOR_BIN`, else the workspace's release build; a warning when the emulator's
/// sources are newer than the binary.
fn emulator_binary() -> PathBuf {
    let binary = match std::env::var_os("DESCOPE_EMULATOR_BIN") {
        Some(path) => PathBuf::from(path),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| manifest_dir().join("../../target"), PathBuf::from);
            target.join("release/descope-emulator")
        }
    };
    if !binary.is_file() {
        panic!(
            "no emulator at {}: build it with `cargo build --release -p descope-emulator`, or set \
             DESCOPE_EMULATOR_BIN",
            binary.display()
        );
    }
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    let sources = newest(&manifest_dir().join("../../emulator/src"));
    if let (Some(built), Some(sources)) = (built, sources)
        && sources > built
    {
        println!(
            "warning: the emulator's sources are newer than {}; rebuild it with `cargo build \
             --release -p descope-emulator`",
            binary.display()
        );
    }
    binary
}

/// The newest modification time of the files under `dir`.
fn newest(dir: &Path) -> Option<SystemTime> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            if meta.is_dir() {
                newest(&entry.path())
            } else {
                meta.modified().ok()
            }
        })
        .max()
}

/// `DESCOPE_PYTHON`, else `target/python-bench`'s interpreter, if it imports `descope`.
fn python_sdk() -> Option<PathBuf> {
    let python = match std::env::var_os("DESCOPE_PYTHON") {
        Some(path) => PathBuf::from(path),
        None => manifest_dir().join("../../target/python-bench/bin/python"),
    };
    Command::new(&python)
        .args(["-c", "import descope"])
        .output()
        .is_ok_and(|o| o.status.success())
        .then_some(python)
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Options {
    rounds: usize,
    users: usize,
    page_size: u16,
}

impl Options {
    fn parse() -> Self {
        let mut options = Options {
            rounds: 15,
            users: 10_000,
            page_size: 100,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().and_then(|v| v.parse::<usize>().ok());
            match arg.as_str() {
                "--rounds" => options.rounds = value().unwrap_or(options.rounds).max(1),
                "--users" => options.users = value().unwrap_or(options.users),
                "--page-size" => {
                    options.page_size = value()
                        .and_then(|v| u16::try_from(v).ok())
                        .unwrap_or(options.page_size)
                        .max(1)
                }
                _ => {}
            }
        }
        options
    }
}
