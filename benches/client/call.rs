//! What one call through `descope_client::Client` costs over the same call written by hand.
//!
//! Both sides send a `verify_otp_email` request with the same bytes and headers to a keep-alive
//! loopback server in this file and decode the same `JwtResponse`, so the difference between the
//! two figures is the client's own overhead (building headers, the retry copy, the tracing span,
//! the typed body). The issue's target is an overhead within 5 %.
//!
//! Run with `cargo bench -p descope-client-benches --bench call`; the figures and the machine they came
//! from are in `BENCHMARKS.md`. Before measuring, the setup sends one request from each side and
//! panics unless the server saw the same method, path, header set and body bytes from both.

use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use descope_client::{Client, DEFAULT_TIMEOUT, USER_AGENT, types};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PROJECT_ID: &str = "P2abcdefghijklmnopqrstuvwxyz";
const LOGIN_ID: &str = "jane@example.com";
const CODE: &str = "123456";
const PATH: &str = "/v1/auth/otp/verify/email";

/// What a successful verify answers: tokens, cookie settings and the user, about 900 bytes.
const ANSWER_BODY: &str = concat!(
    r#"{"sessionJwt":"eyJhbGciOiJSUzI1NiIsImtpZCI6IlNLMmFiYyIsInR5cCI6IkpXVCJ9."#,
    r#"eyJzdWIiOiJVMmFiY2RlZiIsImlzcyI6IlAyYWJjZGVmIiwiZXhwIjoxNzUwMDAwNjAwfQ."#,
    r#"c2lnbmF0dXJlLW9mLXRoZS1zZXNzaW9uLXRva2VuLWZvci1iZW5jaG1hcmtpbmc","#,
    r#""refreshJwt":"eyJhbGciOiJSUzI1NiIsImtpZCI6IlNLMmFiYyIsInR5cCI6IkpXVCJ9."#,
    r#"eyJzdWIiOiJVMmFiY2RlZiIsImlzcyI6IlAyYWJjZGVmIiwiZXhwIjoxNzUyNDE5ODAwfQ."#,
    r#"c2lnbmF0dXJlLW9mLXRoZS1yZWZyZXNoLXRva2VuLWZvci1iZW5jaG1hcmtpbmc","#,
    r#""cookieDomain":"example.com","cookiePath":"/","cookieMaxAge":2419200,"#,
    r#""cookieExpiration":1752419800,"cookieName":"DSR","sessionExpiration":1750000600,"#,
    r#""firstSeen":false,"user":{"userId":"U2abcdefghijklmnopqrstuvwxyz","#,
    r#""loginIds":["jane@example.com"],"name":"Jane Doe","givenName":"Jane","#,
    r#""familyName":"Doe","email":"jane@example.com","verifiedEmail":true,"#,
    r#""phone":"+14155550123","verifiedPhone":false,"status":"enabled","#,
    r#""createdTime":1700000000,"roleNames":[],"userTenants":[],"customAttributes":{}}}"#,
);

const SDK_NAME: HeaderName = HeaderName::from_static("x-descope-sdk-name");
const SDK_VERSION: HeaderName = HeaderName::from_static("x-descope-sdk-version");
const PROJECT_ID_HEADER: HeaderName = HeaderName::from_static("x-descope-project-id");
const JSON: HeaderValue = HeaderValue::from_static("application/json");

fn bench_call(c: &mut Criterion) {
    // One thread runs the server and the caller: no cross-thread wake-ups in the figures, and
    // the second core stays free for the rest of the machine.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = runtime.block_on(Server::start());
    let client = Client::builder(PROJECT_ID)
        .base_url(&server.base_url)
        .build()
        .expect("a client for the loopback server");
    let by_hand = HandWritten::new(&server.base_url);
    runtime.block_on(check_same_requests(&server, &client, &by_hand));

    let mut group = c.benchmark_group("call");
    group
        .sample_size(100)
        .warm_up_time(Duration::from_secs(3))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("descope-client", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(through_client(&client).await) });
    });
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(by_hand.call().await) });
    });
    group.finish();
}

criterion_group!(benches, bench_call);
criterion_main!(benches);

/// The call as an application writes it.
async fn through_client(client: &Client) -> types::JwtResponse {
    client
        .verify_otp_email(LOGIN_ID, CODE)
        .send()
        .await
        .expect("the loopback server answers 200 with a JwtResponse")
        .into_inner()
}

/// The same call with nothing but `reqwest` and `serde_json`: the floor the client is held to.
struct HandWritten {
    http: reqwest::Client,
    url: String,
    authorization: HeaderValue,
    body: &'static [u8],
}

impl HandWritten {
    fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(DEFAULT_TIMEOUT)
            .timeout(DEFAULT_TIMEOUT)
            .build()
            .expect("a reqwest client");
        HandWritten {
            http,
            url: format!("{base_url}{PATH}"),
            authorization: HeaderValue::from_str(&format!("Bearer {PROJECT_ID}"))
                .expect("a header value"),
            // Written out, not serialized: the setup checks it matches what the client encodes.
            body: br#"{"code":"123456","loginId":"jane@example.com"}"#,
        }
    }

    async fn call(&self) -> types::JwtResponse {
        let response = self
            .http
            .post(&self.url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, JSON)
            .header(ACCEPT, JSON)
            .header(SDK_NAME, HeaderValue::from_static("rust"))
            .header(SDK_VERSION, HeaderValue::from_static(client_version()))
            .header(PROJECT_ID_HEADER, HeaderValue::from_static(PROJECT_ID))
            .body(self.body)
            .send()
            .await
            .expect("the loopback server answers");
        assert!(response.status().is_success(), "{}", response.status());
        let body = response.bytes().await.expect("the whole answer");
        serde_json::from_slice::<types::JwtResponse>(&body).expect("a JwtResponse")
    }
}

/// Sends one request from each side and panics unless the server saw the same request twice.
async fn check_same_requests(server: &Server, client: &Client, by_hand: &HandWritten) {
    let first = |side: &str, mut seen: Vec<Recorded>| -> Recorded {
        assert_eq!(
            seen.len(),
            1,
            "{side}: expected one request, saw {}",
            seen.len()
        );
        let mut request = seen.remove(0);
        request.headers.sort();
        request
    };
    server.record(true);
    let client_answer = through_client(client).await;
    let from_client = first("descope-client", server.take());
    let hand_answer = by_hand.call().await;
    let from_hand = first("hand-written reqwest", server.take());
    server.record(false);
    assert_eq!(
        serde_json::to_value(&client_answer).unwrap(),
        serde_json::to_value(&hand_answer).unwrap(),
        "the two sides decode the same answer differently"
    );

    let differs = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| -> String {
        format!(
            "the two sides send different requests, so the benchmark would compare different \
             work: {what} differs\n  descope-client:       {a:?}\n  hand-written reqwest: {b:?}"
        )
    };
    let head = |r: &Recorded| (r.method.clone(), r.path.clone());
    assert!(
        head(&from_client) == head(&from_hand),
        "{}",
        differs("the request line", &head(&from_client), &head(&from_hand))
    );
    assert!(
        from_client.headers == from_hand.headers,
        "{}",
        differs("the header set", &from_client.headers, &from_hand.headers)
    );
    assert!(
        from_client.body == from_hand.body,
        "{}",
        differs(
            "the body",
            &String::from_utf8_lossy(&from_client.body),
            &String::from_utf8_lossy(&from_hand.body)
        )
    );
    eprintln!(
        "both sides send the same request: {} {}, {} headers, {} body bytes; the answer is {} body bytes",
        from_client.method,
        from_client.path,
        from_client.headers.len(),
        from_client.body.len(),
        ANSWER_BODY.len()
    );
}

/// One request as it arrived, for the setup's comparison.
struct Recorded {
    method: String,
    path: String,
    /// Lower-case names with their values.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A loopback HTTP/1.1 server with keep-alive that answers every request with [`ANSWER_BODY`].
/// It records requests only while told to, so measuring pays for no recording.
struct Server {
    base_url: String,
    recorded: Arc<Mutex<Option<Vec<Recorded>>>>,
}

impl Server {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let recorded = Arc::new(Mutex::new(None));
        let answer: Arc<[u8]> = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
            ANSWER_BODY.len(),
            ANSWER_BODY
        )
        .into_bytes()
        .into();
        let log = recorded.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, answer.clone(), log.clone()));
            }
        });
        Server { base_url, recorded }
    }

    fn record(&self, on: bool) {
        *self.recorded.lock().unwrap() = on.then(Vec::new);
    }

    fn take(&self) -> Vec<Recorded> {
        self.recorded
            .lock()
            .unwrap()
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

/// Answers the requests of one connection until the client closes it.
async fn serve(mut stream: TcpStream, answer: Arc<[u8]>, log: Arc<Mutex<Option<Vec<Recorded>>>>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        // The head: read until the blank line.
        let head_end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let Ok(head) = std::str::from_utf8(&buffer[..head_end]) else {
            return;
        };
        let length = head
            .split("\r\n")
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        // The body: exactly `content-length` bytes after the blank line.
        let request_end = head_end + 4 + length;
        while buffer.len() < request_end {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        if let Some(requests) = log.lock().unwrap().as_mut() {
            requests.push(parse(
                &buffer[..head_end],
                &buffer[head_end + 4..request_end],
            ));
        }
        buffer.drain(..request_end);
        if stream.write_all(&answer).await.is_err() {
            return;
        }
    }
}

fn parse(head: &[u8], body: &[u8]) -> Recorded {
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    Recorded {
        method: request_line.next().unwrap_or_default().to_owned(),
        path: request_line.next().unwrap_or_default().to_owned(),
        headers: lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect(),
        body: body.to_vec(),
    }
}

/// The client's version, as its `User-Agent` carries it (`descope-client-rust/<version>`).
fn client_version() -> &'static str {
    USER_AGENT.rsplit('/').next().unwrap_or_default()
}
