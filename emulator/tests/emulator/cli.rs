//! The `descope-emulator` binary, run with `std::process::Command`: `--help` and `--version`,
//! refusals (clap's error naming the flag, with its "did you mean" tip, exit status 2), every
//! flag taking effect in a running emulator, `--no-admin`, and a port in use (exit status 1).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};

use descope_client::{Client, RetryPolicy};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::call;

/// Every flag the binary must take besides `--help` and `--version`.
const FLAGS: [&str; 19] = [
    "--port",
    "--project-id",
    "--signing-algorithm",
    "--cookies",
    "--cookie-domain",
    "--rotate-refresh-tokens",
    "--otp-ttl",
    "--max-otp-attempts",
    "--link-ttl",
    "--session-ttl",
    "--refresh-ttl",
    "--retired-key-ttl",
    "--default-redirect-uri",
    "--rate-limit",
    "--fixed-code",
    "--users",
    "--no-admin",
    "--allowed-host",
    "--state",
];

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_descope-emulator"))
}

fn run(args: &[&str]) -> Output {
    binary().args(args).output().expect("the binary runs")
}

/// A file under the temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A running binary, killed (by its own handle) when dropped, and the line it printed.
struct Running {
    child: Child,
    line: String,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = binary()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        assert!(
            !line.is_empty(),
            "the binary exited: {:?}",
            child.wait_with_output()
        );
        Running { child, line }
    }

    /// `http://127.0.0.1:<port>`, read from the start-up line.
    fn base_url(&self) -> String {
        let rest = self.line.split("listening on ").nth(1).expect(&self.line);
        rest.split(' ').next().unwrap().to_owned()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn help_lists_every_flag_with_its_default_and_exits_0() {
    let help = run(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout.clone()).unwrap();
    for flag in FLAGS {
        let line = text
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("{flag} ")))
            .unwrap_or_else(|| panic!("{flag} is not in --help"));
        assert!(line.contains("[default: "), "{line}");
    }
    for documented in [
        "/emulator/reset",
        "/emulator/fixed-codes",
        "/emulator/tenants",
        "/emulator/roles",
        "/emulator/permissions",
        "/emulator/users/provider-token",
        "Test-only admin API",
    ] {
        assert!(text.contains(documented), "{documented}");
    }
    assert_eq!(run(&["-h"]).stdout, help.stdout);
    let version = run(&["--version"]);
    assert!(version.status.success());
    let shown = String::from_utf8(version.stdout).unwrap();
    assert_eq!(
        shown.trim(),
        format!("descope-emulator {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bad_command_lines_exit_2_with_clap_s_error_naming_the_flag() {
    let malformed = TempFile::new(
        "bad-users.json",
        "[\n  {\"loginId\": \"a@b.c\", \"roles\": \"admin\"}\n]",
    );
    let not_json = TempFile::new("not-json.json", "[{\"loginId\": }]");
    let refused: [(&[&str], &str); 13] = [
        (
            &["--frobnicate"],
            "unexpected argument '--frobnicate' found",
        ),
        (
            &["--project", "P2X"],
            "tip: a similar argument exists: '--project-id'",
        ),
        (&["--port"], "a value is required for '--port <N>'"),
        (
            &["--port", "http"],
            "invalid value 'http' for '--port <N>': not a port number",
        ),
        (
            &["--otp-ttl", "3w"],
            "invalid value '3w' for '--otp-ttl <DURATION>': not a duration",
        ),
        (
            &["--rate-limit", "100"],
            "invalid value '100' for '--rate-limit <N/DURATION>': not N/DURATION",
        ),
        (
            &["--fixed-code", "jane@example.com=12"],
            "'--fixed-code <LOGIN_ID=CODE>': \"12\" is not a six-digit code",
        ),
        (
            &["--signing-algorithm", "HS256"],
            "[possible values: RS256, ES256, EdDSA]",
        ),
        (
            &["--no-admin=yes"],
            "unexpected value 'yes' for '--no-admin'",
        ),
        // The client's rule: letters and digits only.
        (
            &["--project-id", "my-project"],
            "\"my-project\" is not a project id (1 to 63 letters and digits",
        ),
        (
            &["--users", malformed.path()],
            "[0].roles: must be an array of strings",
        ),
        (&["--users", not_json.path()], "line 1, column 14: not JSON"),
        (
            &["--users", "/nonexistent/users.json"],
            "/nonexistent/users.json: cannot be read",
        ),
    ];
    for (args, expected) in refused {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            stderr
                .trim_end()
                .ends_with("For more information, try '--help'."),
            "{stderr}"
        );
        if args[0] == "--users" {
            let named = format!("for '--users <FILE.json>': {}: ", args[1]);
            assert!(stderr.contains(&named), "{stderr}");
        }
    }
}

#[tokio::test]
async fn every_flag_takes_effect_in_the_running_binary() {
    let users = TempFile::new(
        "users.json",
        r#"[{"loginId": "jane@example.com", "roles": ["admin"]}]"#,
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let port_text = port.to_string();
    let running = Running::start(&[
        "--port",
        &port_text,
        "--listen",
        "0.0.0.0",
        "--project-id",
        "P2Cli",
        "--signing-algorithm",
        "ES256",
        "--cookies",
        "--cookie-domain",
        "example.test",
        "--rotate-refresh-tokens",
        "--otp-ttl",
        "2m",
        "--max-otp-attempts",
        "5",
        "--link-ttl",
        "15m",
        "--session-ttl",
        "5m",
        "--refresh-ttl",
        "7d",
        "--retired-key-ttl",
        "1m",
        "--default-redirect-uri",
        "http://localhost:5173/verify",
        "--rate-limit",
        "1000/1m",
        "--fixed-code",
        "jane@example.com=123456",
        "--users",
        users.path(),
    ]);
    // Listening on every address, it is reached (and says it is) on loopback.
    let base = running.base_url();
    assert_eq!(base, format!("http://127.0.0.1:{port}"));
    assert!(
        running
            .line
            .contains("project P2Cli, ES256 keys, 1 seeded users"),
        "{}",
        running.line
    );
    let (status, health) = call(&base, Method::GET, "/emulator/health", None).await;
    assert_eq!(status, 200);
    assert_eq!(health, json!({"status": "ready", "projectId": "P2Cli"}));
    let (status, config) = call(&base, Method::GET, "/emulator/config", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        config,
        json!({
            "projectId": "P2Cli", "port": port, "listen": "0.0.0.0", "signingAlgorithm": "ES256",
            "tokenDelivery": "cookies", "cookieDomain": "example.test",
            "rotateRefreshTokens": true, "otpTtlSeconds": 120, "linkTtlSeconds": 900,
            "maxOtpAttempts": 5, "sessionTtlSeconds": 300, "refreshTtlSeconds": 604_800,
            "retiredKeyTtlSeconds": 60, "defaultRedirectUri": "http://localhost:5173/verify",
            "rateLimit": {"maxCalls": 1000, "windowSeconds": 60}, "adminApi": true,
            "fixedCodes": {"jane@example.com": "123456"}, "users": ["jane@example.com"],
            "allowedHosts": [], "stateFile": null,
        })
    );
    let (_, limit) = call(&base, Method::GET, "/emulator/rate-limit", None).await;
    assert_eq!(limit["rateLimit"]["maxCalls"], 1000);

    // The seeded user signs in with the fixed code through the generated client; the tokens
    // come in cookies with the domain, signed with ES256.
    let client = Client::builder("P2Cli")
        .base_url(&base)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client
        .sign_in_otp_email("jane@example.com")
        .send()
        .await
        .unwrap();
    let verified = client
        .verify_otp_email("jane@example.com", "123456")
        .send()
        .await
        .unwrap();
    let cookie = verified.headers().get(reqwest::header::SET_COOKIE).unwrap();
    assert!(cookie.to_str().unwrap().contains("; Domain=example.test;"));
    let tokens = verified.into_inner();
    let session = tokens.session_jwt.unwrap();
    let (header, claims) = descope_emulator::jwt::decode_unverified(&session).unwrap();
    assert_eq!(
        (header["alg"].as_str(), claims["iss"].as_str()),
        (Some("ES256"), Some("P2Cli"))
    );
    assert_eq!(claims["roles"], json!(["admin"]));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        300
    );
}

#[tokio::test]
async fn no_admin_hides_the_admin_api_and_keeps_the_service() {
    let running = Running::start(&["--port", "0", "--no-admin"]);
    assert!(running.line.contains("admin API off"), "{}", running.line);
    let base = running.base_url();
    for path in ["/emulator/outbox", "/emulator/config"] {
        let (status, error) = call(&base, Method::GET, path, None).await;
        assert_eq!(
            (status, &error["errorCode"]),
            (404, &json!("E011001")),
            "{path}"
        );
    }
    let keys: Value = reqwest::get(format!("{base}/v2/keys/P2Emulator"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(keys["keys"][0]["alg"], "RS256");
}

#[test]
fn a_port_in_use_exits_1() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = run(&["--port", &port]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "descope-emulator: cannot start: port {port} on 127.0.0.1 is in use"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_with_status_0() {
    let mut running = Running::start(&["--port", "0"]);
    let pid = running.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = running.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// A state file path in a directory of its own (removed with it).
fn state_dir(name: &str) -> (crate::state_file::TempDir, String) {
    let dir = crate::state_file::TempDir::new(name);
    let path = dir.path().join("state.json").to_str().unwrap().to_owned();
    (dir, path)
}

#[cfg(unix)]
#[test]
fn sigterm_saves_the_state_before_exiting() {
    let (_dir, path) = state_dir("sigterm");
    let mut running = Running::start(&["--port", "0", "--state", &path]);
    assert!(
        running.line.ends_with(&format!("; state kept in {path}\n")),
        "{}",
        running.line
    );
    // Written at start; taken away, the save at exit writes it again.
    std::fs::remove_file(&path).unwrap();
    let pid = running.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = running.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let saved: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["projectId"], "P2Emulator");
}

#[tokio::test]
async fn kill_9_loses_no_answered_change() {
    let (_dir, path) = state_dir("kill9");
    let running = Running::start(&["--port", "0", "--state", &path]);
    let base = running.base_url();
    let sam = json!({"loginId": "sam@example.com"});
    assert_eq!(
        call(&base, Method::POST, "/emulator/users", Some(sam))
            .await
            .0,
        200
    );
    // `Running` kills with SIGKILL when dropped: no save at exit.
    drop(running);
    let again = Running::start(&["--port", "0", "--state", &path]);
    let query = "/emulator/users?loginId=sam%40example.com";
    assert_eq!(
        call(&again.base_url(), Method::GET, query, None).await.0,
        200
    );
}

#[test]
fn a_state_file_that_cannot_be_loaded_exits_1_naming_it() {
    let (_dir, path) = state_dir("corrupt");
    std::fs::write(&path, "{\"descopeEmulatorState\": 1, \"projectId\": ").unwrap();
    let output = run(&["--port", "0", "--state", &path]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "descope-emulator: cannot start: the state file {path} cannot be loaded: not JSON"
        )),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"descopeEmulatorState\": 1, \"projectId\": "
    );
}

#[tokio::test]
async fn allowed_host_admits_that_name_only() {
    let running = Running::start(&["--port", "0", "--allowed-host", "emulator"]);
    let base = running.base_url();
    let http = reqwest::Client::new();
    for (host, status) in [
        ("emulator:4000", 200),
        ("emulator", 200),
        ("other:4000", 403),
    ] {
        let answer = http
            .get(format!("{base}/emulator/health"))
            .header("Host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), status, "{host}");
    }
    let (_, config) = call(&base, Method::GET, "/emulator/config", None).await;
    assert_eq!(config["allowedHosts"], json!(["emulator"]));
}
