//! CPU per call of the emulator: the time its process spends on the processor (every thread,
//! from `/proc/<pid>/task/*/schedstat`, in nanoseconds) while it answers N calls, divided by N.
//! That is what bounds how fast any SDK's test suite runs against it, whatever the client.
//!
//! The release binary runs as its own process; this harness sends each call over one
//! keep-alive loopback connection, written by hand (so nothing of the client's cost is
//! counted), and waits for each answer. Three calls, in turns, several rounds:
//!
//! - an unknown path (404): HTTP parsing and answering only, the floor;
//! - OTP sign-up-or-in by email of a new user (200): body read and validated against the
//!   spec, a user created, a code made and put in the outbox;
//! - the same of the same user again (200): a new code replaces the pending one.
//!
//! Run with `cargo bench -p descope-emulator --bench cpu` (Linux only; figures in
//! BENCHMARKS.md).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CALLS: usize = 4_000;
const ROUNDS: usize = 7;

fn main() {
    let emulator = Emulator::start();
    let mut connection = Connection::open(&emulator.address);
    let cases: [(&str, &dyn Fn(usize) -> Request); 3] = [
        ("unknown path (404)", &|_| Request::get("/v1/not/emulated")),
        ("OTP sign-up-or-in, a new user each time (200)", &|i| {
            Request::post(
                "/v1/auth/otp/signup-in/email",
                &format!(r#"{{"loginId":"user{i}@example.com"}}"#),
            )
        }),
        ("OTP sign-up-or-in, the same user again (200)", &|_| {
            Request::post(
                "/v1/auth/otp/signup-in/email",
                r#"{"loginId":"again@example.com"}"#,
            )
        }),
    ];
    // Warm-up: connections, allocator, the request schema's validator.
    for (_, request) in &cases {
        for i in 0..200 {
            connection.call(&request(usize::MAX - i));
        }
    }
    let mut per_call: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    // User and kernel time over all rounds, in clock ticks.
    let mut ticks = vec![(0u64, 0u64); cases.len()];
    let mut next_user = 0;
    for round in 0..ROUNDS {
        for (case, (_, request)) in cases.iter().enumerate() {
            let before = emulator.cpu();
            let (user, kernel) = emulator.ticks();
            for _ in 0..CALLS {
                connection.call(&request(next_user));
                next_user += 1;
            }
            let spent = emulator.cpu().saturating_sub(before);
            per_call[case].push(spent.as_nanos() as f64 / CALLS as f64 / 1000.0);
            let (user_after, kernel_after) = emulator.ticks();
            ticks[case].0 += user_after - user;
            ticks[case].1 += kernel_after - kernel;
        }
        eprintln!("round {} of {ROUNDS}", round + 1);
    }
    println!(
        "| call | CPU per call, median | every round (µs) | ratio to the 404 floor | \
         of which in the process / in the kernel |"
    );
    println!("| --- | ---: | --- | ---: | --- |");
    let floor = median(&per_call[0]);
    // /proc reports user and kernel time in USER_HZ ticks, 100 a second on Linux.
    let micros_per_call = |ticks: u64| ticks as f64 * 10_000.0 / (CALLS * ROUNDS) as f64;
    for (((name, _), times), (user, kernel)) in cases.iter().zip(&per_call).zip(&ticks) {
        let every: Vec<String> = times.iter().map(|t| format!("{t:.1}")).collect();
        println!(
            "| {name} | {:.1} µs | {} | {:.2} | {:.1} µs / {:.1} µs |",
            median(times),
            every.join(", "),
            median(times) / floor,
            micros_per_call(*user),
            micros_per_call(*kernel),
        );
    }
    emulator.stop();
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// The emulator binary, started on a free port.
struct Emulator {
    child: Child,
    address: String,
}

impl Emulator {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_descope-emulator"))
            .args(["--port", "0", "--project-id", "P2CpuBench"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the emulator starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its output"))
            .read_line(&mut line)
            .expect("it says where it listens");
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Emulator { child, address }
    }

    /// The processor time of every thread of the process so far.
    fn cpu(&self) -> Duration {
        let tasks = format!("/proc/{}/task", self.child.id());
        let mut nanos = 0u64;
        for task in std::fs::read_dir(tasks).expect("Linux's /proc") {
            let stat =
                std::fs::read_to_string(task.unwrap().path().join("schedstat")).unwrap_or_default();
            nanos += stat
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
        Duration::from_nanos(nanos)
    }

    /// The user and kernel time of every thread of the process so far, in clock ticks.
    fn ticks(&self) -> (u64, u64) {
        let tasks = format!("/proc/{}/task", self.child.id());
        let mut total = (0, 0);
        for task in std::fs::read_dir(tasks).expect("Linux's /proc") {
            let stat =
                std::fs::read_to_string(task.unwrap().path().join("stat")).unwrap_or_default();
            // After the command name in parentheses: state is field 3, utime 14, stime 15.
            let fields: Vec<&str> = stat
                .rsplit_once(')')
                .map_or("", |(_, rest)| rest)
                .split_whitespace()
                .collect();
            let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok());
            total.0 += field(14).unwrap_or(0);
            total.1 += field(15).unwrap_or(0);
        }
        total
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request, written out whole.
struct Request(Vec<u8>);

impl Request {
    fn get(path: &str) -> Self {
        Request(format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").into_bytes())
    }

    fn post(path: &str, body: &str) -> Self {
        Request(
            format!(
                "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer P2CpuBench\r\n\
                 content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
    }
}

/// One keep-alive connection, reading each answer whole (by its `content-length`).
struct Connection {
    stream: BufReader<TcpStream>,
}

impl Connection {
    fn open(address: &str) -> Self {
        let stream = TcpStream::connect(address).expect("the emulator accepts");
        stream.set_nodelay(true).expect("no delay");
        Connection {
            stream: BufReader::new(stream),
        }
    }

    fn call(&mut self, request: &Request) {
        self.stream
            .get_mut()
            .write_all(&request.0)
            .expect("the request goes out");
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).expect("an answer");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).expect("the body");
    }
}
