//! The HTTP surface, sent raw where the client would not send it: malformed and invalid
//! bodies, unknown paths, bad bearers, the keys and outbox endpoints, the rate limit, and
//! shutdown on drop.

use std::time::Duration;

use descope_client::{Error, ErrorCode};
use descope_emulator::{Channel, EmulatorConfig, RateLimit, start};
use serde_json::Value;

use crate::support::*;

/// Posts `body` as-is and returns the status, the `Content-Type` and the JSON body.
async fn post_raw(url: &str, bearer: &str, body: &str) -> (u16, String, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header("Authorization", format!("Bearer {bearer}"))
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.json().await.unwrap())
}

fn assert_error_shape(body: &Value, code: &str) {
    assert_eq!(body["errorCode"], code, "{body}");
    assert!(
        body["errorDescription"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn malformed_and_invalid_bodies_get_400_with_descope_s_error_shape() {
    let emulator = start(EmulatorConfig::default()).await;
    let url = format!("{}/v1/auth/otp/signup/email", emulator.base_url());
    let pid = emulator.project_id();
    let cases = [
        ("{\"loginId\": ", "E011001", "not JSON"),
        ("[1, 2]", "E011001", "object"),
        ("", "E011001", "not JSON"),
        ("{}", "E011002", "loginId is required"),
        ("{\"loginId\": 5}", "E011003", "/loginId"),
        (
            "{\"loginId\": \"a@b.c\", \"user\": {\"email\": false}}",
            "E011003",
            "/user/email",
        ),
        ("{\"loginId\": \"no-at-sign\"}", "E011004", "no-at-sign"),
    ];
    for (body, code, mentions) in cases {
        let (status, content_type, answer) = post_raw(&url, pid, body).await;
        assert_eq!(
            (status, content_type.as_str()),
            (400, "application/json"),
            "{body}"
        );
        assert_error_shape(&answer, code);
        let message = answer["errorMessage"].as_str().unwrap_or_default();
        assert!(message.contains(mentions), "{body}: {message}");
    }
    let huge = format!("{{\"loginId\": \"{}\"}}", "a".repeat(100_000));
    let (status, _, answer) = post_raw(&url, pid, &huge).await;
    assert_eq!(status, 413);
    assert_error_shape(&answer, "E011001");
    assert!(emulator.outbox().is_empty());
}

#[tokio::test]
async fn unknown_paths_methods_and_bearers_are_refused_in_the_error_shape() {
    let emulator = start(EmulatorConfig::default()).await;
    let base = emulator.base_url();
    let pid = emulator.project_id();
    let body = r#"{"loginId": "jane@example.com"}"#;

    let (status, _, answer) = post_raw(&format!("{base}/v1/auth/otp/signup/fax"), pid, body).await;
    assert_eq!(status, 404);
    assert_error_shape(&answer, "E011001");

    let get = reqwest::get(format!("{base}/v1/auth/otp/signup/email"))
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    assert_error_shape(&get.json().await.unwrap(), "E011001");

    let url = format!("{base}/v1/auth/otp/signup/email");
    for bearer in ["P2Other", "", "P2Other:whatever"] {
        let (status, _, answer) = post_raw(&url, bearer, body).await;
        assert_eq!(status, 401, "{bearer:?}");
        assert_error_shape(&answer, "E011003");
    }
    let no_header = reqwest::Client::new()
        .post(&url)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(no_header.status(), 401);

    // A management-key third part is tolerated, as the SDKs may send one.
    let (status, _, _) = post_raw(&url, &format!("{pid}::mgmt"), body).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_keys_endpoint_serves_this_project_s_jwks_only() {
    let emulator = start(EmulatorConfig::default()).await;
    let base = emulator.base_url();
    let keys: Value = reqwest::get(format!("{base}/v2/keys/{}", emulator.project_id()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(keys, emulator.jwks());
    assert_eq!(
        (&keys["keys"][0]["kty"], &keys["keys"][0]["alg"]),
        (&Value::from("RSA"), &Value::from("RS256"))
    );
    let other = reqwest::get(format!("{base}/v2/keys/P2Other"))
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn the_outbox_endpoint_lists_and_clears_what_was_sent() {
    let Setup { emulator, client } = setup().await;
    let jane = login_for(Channel::Sms);
    let john = login_for(Channel::Email);
    send_otp(&client, Start::SignUp, Channel::Sms, &jane)
        .await
        .unwrap();
    send_link(&client, Start::SignUp, Channel::Email, &john, None)
        .await
        .unwrap();

    let http = reqwest::Client::new();
    let outbox = format!("{}/emulator/outbox", emulator.base_url());
    let all: Value = http
        .get(&outbox)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let janes: Value = http
        .get(&outbox)
        .query(&[("loginId", jane.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(janes.as_array().unwrap().len(), 1, "{janes}");
    assert_eq!(janes[0]["kind"], "otp");
    assert_eq!(janes[0]["channel"], "sms");
    assert_eq!(janes[0]["code"], code_for(&emulator, &jane).as_str());
    assert_eq!(all[1]["kind"], "magicLink");
    assert_eq!(all[1]["token"], token_for(&emulator, &john).as_str());

    http.delete(&outbox)
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert!(emulator.outbox().is_empty());
}

#[tokio::test]
async fn over_the_rate_limit_calls_get_429_with_retry_after() {
    let config = EmulatorConfig {
        rate_limit: Some(RateLimit {
            max_calls: 2,
            window: Duration::from_secs(30),
        }),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    for _ in 0..2 {
        let login_id = login_for(Channel::Email);
        send_otp(&client, Start::SignUp, Channel::Email, &login_id)
            .await
            .unwrap();
    }
    let limited = send_otp(
        &client,
        Start::SignUp,
        Channel::Email,
        &login_for(Channel::Email),
    )
    .await;
    match limited {
        Err(Error::Service(error)) => {
            assert_eq!(error.status, 429);
            assert_eq!(error.code, Some(ErrorCode::RateLimitExceeded));
            let wait = error.retry_after.expect("Retry-After");
            assert!(
                wait > Duration::ZERO && wait <= Duration::from_secs(30),
                "{wait:?}"
            );
        }
        other => panic!("expected 429, got {other:?}"),
    }
    emulator.advance_clock(Duration::from_secs(31));
    send_otp(
        &client,
        Start::SignUp,
        Channel::Email,
        &login_for(Channel::Email),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn dropping_the_emulator_stops_the_server() {
    let emulator = start(EmulatorConfig::default()).await;
    let address = emulator.address();
    drop(emulator);
    // The accept loop is aborted on drop; give the runtime a moment to run the abort.
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(address).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "nothing listens on {address} any more");
}

#[tokio::test]
async fn a_stalled_body_does_not_hold_the_server() {
    use tokio::io::AsyncWriteExt;
    let Setup { emulator, client } = setup().await;
    // A request that promises a body and never sends it.
    let mut stalled = tokio::net::TcpStream::connect(emulator.address())
        .await
        .unwrap();
    let head = format!(
        "POST /v1/auth/otp/signup/email HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nContent-Length: 100\r\n\r\n{{",
        emulator.project_id()
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    // Other clients are served meanwhile.
    send_otp(
        &client,
        Start::SignUp,
        Channel::Email,
        &login_for(Channel::Email),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn session_calls_take_an_absent_body_and_refuse_the_wrong_credential() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    let pid = emulator.project_id();
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let refresh = tokens.refresh_jwt.clone().unwrap();
    let session = tokens.session_jwt.clone().unwrap();
    let http = reqwest::Client::new();

    // Go's SDK sends no body to refresh and logout; an empty one is the same.
    for body in ["", " "] {
        let answer = http
            .post(format!("{base}/v1/auth/refresh"))
            .bearer_auth(format!("{pid}:{refresh}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{body:?}");
    }
    // A required body stays required.
    let (status, _, answer) = post_raw(
        &format!("{base}/v1/auth/tenant/select"),
        &format!("{pid}:{refresh}"),
        "",
    )
    .await;
    assert_eq!(status, 400);
    assert_error_shape(&answer, "E011001");
    // The session JWT is not a refresh JWT, and the other way round.
    let (status, _, answer) = post_raw(
        &format!("{base}/v1/auth/refresh"),
        &format!("{pid}:{session}"),
        "{}",
    )
    .await;
    assert_eq!(status, 401);
    assert_error_shape(&answer, "E011003");
    let (status, _, _) = post_raw(
        &format!("{base}/v1/auth/validate"),
        &format!("{pid}:{refresh}"),
        "",
    )
    .await;
    assert_eq!(status, 401);
    let (status, _, _) = post_raw(&format!("{base}/v1/auth/validate"), pid, "").await;
    assert_eq!(status, 401);
    // `me` is a GET: POST names the method to use.
    let (status, _, answer) = post_raw(
        &format!("{base}/v1/auth/me"),
        &format!("{pid}:{refresh}"),
        "",
    )
    .await;
    assert_eq!(status, 405);
    assert!(
        answer["errorMessage"].as_str().unwrap().contains("use GET"),
        "{answer}"
    );
    let me = http
        .get(format!("{base}/v1/auth/me"))
        .bearer_auth(format!("{pid}:{refresh}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let logout = http
        .post(format!("{base}/v1/auth/logout"))
        .bearer_auth(format!("{pid}:{refresh}"))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    let (status, _, answer) = post_raw(
        &format!("{base}/v1/auth/refresh"),
        &format!("{pid}:{refresh}"),
        "",
    )
    .await;
    assert_eq!(status, 401);
    assert_error_shape(&answer, "E064001");
}
