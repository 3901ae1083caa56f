//! Every HTTP method, parameter location and body encoding through the runtime, as they arrive
//! at a server: what a generated `send` hands to `Client::execute` for a PUT with a header, a
//! DELETE with a path and query, a form, and so on, checked against the exact request head and
//! body.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::Call;
use crate::operations::{Credential, Operation};

/// Answers one request with `200 {}` and returns what it received, head and body.
async fn recorder() -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut received = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let read = stream.read(&mut chunk).await.unwrap();
            received.extend_from_slice(&chunk[..read]);
            let text = String::from_utf8_lossy(&received).into_owned();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length: "))
                    .map_or(0, |n| n.trim().parse::<usize>().unwrap());
                if received.len() >= end + 4 + length || read == 0 {
                    break;
                }
            }
        }
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
            )
            .await
            .unwrap();
        String::from_utf8(received).unwrap()
    });
    (base, served)
}

/// The request line, the headers a generated call chooses (user agent, SDK identification and
/// connection headers left out: other tests hold them), and the body.
fn essentials(request: &str) -> String {
    let (head, body) = request.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let mut kept = vec![lines.next().unwrap().to_owned()];
    let mut headers: Vec<&str> = lines
        .filter(|line| {
            let name = line.split(':').next().unwrap_or_default();
            matches!(
                name,
                "authorization" | "content-type" | "content-length" | "x-trace-id" | "accept"
            )
        })
        .collect();
    headers.sort_unstable();
    kept.extend(headers.into_iter().map(str::to_owned));
    kept.push(String::new());
    kept.push(body.to_owned());
    kept.join("\n")
}

async fn sent(operation: &'static Operation, call: impl FnOnce(Call) -> Call) -> String {
    let (base, served) = recorder().await;
    let client = crate::Client::builder("P2abcdefghijklmnopqrstuvwxyz")
        .base_url(&base)
        .build()
        .unwrap();
    let answer: crate::Response<serde_json::Value> =
        client.execute(call(Call::new(operation))).await.unwrap();
    assert_eq!(answer.status(), 200);
    essentials(&served.await.unwrap())
}

const fn operation(http_method: &'static str, path: &'static str) -> Operation {
    Operation {
        operation_id: "Probe",
        method_name: "probe",
        http_method,
        path,
        credential: Credential::ProjectId,
    }
}

static GET: Operation = operation("GET", "/v1/things/{id}");
static PUT: Operation = operation("PUT", "/v1/things/{id}");
static POST: Operation = operation("POST", "/v1/things");
static PATCH: Operation = operation("PATCH", "/v1/things/{id}");
static DELETE: Operation = operation("DELETE", "/v1/things/{id}");
static OPTIONS: Operation = operation("OPTIONS", "/v1/things");

#[tokio::test]
async fn every_method_and_parameter_location_arrives_as_the_spec_says() {
    let bearer = "authorization: Bearer P2abcdefghijklmnopqrstuvwxyz";
    let body = serde_json::json!({"loginId": "jane@example.com"});

    let get = sent(&GET, |call| {
        call.path("id", &"a/b")
            .query("full", &Some(true))
            .query("page", &None::<u32>)
    })
    .await;
    assert_eq!(
        get,
        format!("GET /v1/things/a%2Fb?full=true HTTP/1.1\naccept: application/json\n{bearer}\n\n")
    );

    let put = sent(&PUT, |call| {
        call.path("id", &7).header("X-Trace-Id", &"abc").json(&body)
    })
    .await;
    assert_eq!(
        put,
        format!(
            "PUT /v1/things/7 HTTP/1.1\naccept: application/json\n{bearer}\ncontent-length: 30\n\
             content-type: application/json\nx-trace-id: abc\n\n{{\"loginId\":\"jane@example.com\"}}"
        )
    );

    let post = sent(&POST, |call| call.json(&body)).await;
    assert!(post.starts_with("POST /v1/things HTTP/1.1\n"), "{post}");
    assert!(
        post.ends_with("\n\n{\"loginId\":\"jane@example.com\"}"),
        "{post}"
    );

    let form = serde_json::json!({"grant_type": "authorization_code", "code": "a b&c",
        "scope": ["openid", "email"], "state": null});
    let posted_form = sent(&POST, |call| call.form(&form)).await;
    assert_eq!(
        posted_form,
        format!(
            "POST /v1/things HTTP/1.1\naccept: application/json\n{bearer}\ncontent-length: 67\n\
             content-type: application/x-www-form-urlencoded\n\n\
             code=a+b%26c&grant_type=authorization_code&scope=openid&scope=email"
        )
    );

    let patch = sent(&PATCH, |call| call.path("id", &"x").json(&body)).await;
    assert!(
        patch.starts_with("PATCH /v1/things/x HTTP/1.1\n"),
        "{patch}"
    );
    assert!(patch.contains("content-type: application/json"), "{patch}");

    let delete = sent(&DELETE, |call| call.path("id", &"x").query("hard", &true)).await;
    assert_eq!(
        delete,
        format!("DELETE /v1/things/x?hard=true HTTP/1.1\naccept: application/json\n{bearer}\n\n")
    );

    let options = sent(&OPTIONS, |call| call).await;
    assert_eq!(
        options,
        format!("OPTIONS /v1/things HTTP/1.1\naccept: application/json\n{bearer}\n\n")
    );
}
