//! What a web page cannot do to the emulator: reach it under another name (the `Host` check
//! against DNS rebinding), change it through the admin API without a CORS preflight (the
//! `Content-Type` and `Origin` rules), or have a body of another type read as JSON; and bodies
//! over the limit.

use descope_emulator::{Channel, EmulatorConfig};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HOST, ORIGIN};
use serde_json::{Value, json};

use crate::support::*;

/// Sends `method path` with these headers and body; the status and the JSON answer.
async fn send(
    base: &str,
    method: Method,
    path: &str,
    headers: &[(reqwest::header::HeaderName, &str)],
    body: Option<&str>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|error| panic!("{status}: not JSON ({error}): {bytes:?}"));
    (status, body)
}

#[tokio::test]
async fn a_request_for_another_host_is_refused_and_told_how_to_allow_it() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    let jane = login_for(Channel::Email);
    let code = code_sent(&client, &emulator, Start::SignUp, Channel::Email, &jane).await;
    let port = emulator.address().port();
    let rebound = format!("evil.example:{port}");

    // A page at http://evil.example:<port>, its name rebound to 127.0.0.1, reads nothing.
    let (status, error) = send(
        &base,
        Method::GET,
        "/emulator/outbox",
        &[(HOST, &rebound)],
        None,
    )
    .await;
    assert_eq!(
        (status, &error["errorCode"]),
        (403, &json!("E011003")),
        "{error}"
    );
    assert_eq!(error["errorDescription"], "Host not allowed");
    let message = error["errorMessage"].as_str().unwrap();
    assert!(message.contains(&format!("{rebound:?}")), "{message}");
    assert!(message.contains("--allowed-host evil.example"), "{message}");
    assert!(!error.to_string().contains(&code), "{error}");

    // Nor does it call the API, the keys or an unknown path.
    let signup = json!({"loginId": login_for(Channel::Email)}).to_string();
    let bearer = format!("Bearer {}", emulator.project_id());
    let refused = [
        (
            Method::POST,
            "/v1/auth/otp/signup/email",
            Some(signup.as_str()),
        ),
        (Method::GET, "/v2/keys/P2Emulator", None),
        (Method::GET, "/nothing", None),
        (Method::POST, "/emulator/reset", Some("{}")),
    ];
    for (method, path, body) in refused {
        let headers = [
            (HOST, "evil.example"),
            (CONTENT_TYPE, "application/json"),
            (reqwest::header::AUTHORIZATION, bearer.as_str()),
        ];
        let (status, error) = send(&base, method.clone(), path, &headers, body).await;
        assert_eq!(
            (status, &error["errorCode"]),
            (403, &json!("E011003")),
            "{method} {path}"
        );
    }
    assert_eq!(emulator.outbox().len(), 1, "nothing was sent or reset");

    // Loopback, under any of its names and with or without a port, is served.
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_owned(),
        format!("localhost:{port}"),
        "LocalHost".to_owned(),
        format!("[::1]:{port}"),
    ] {
        let (status, outbox) = send(
            &base,
            Method::GET,
            "/emulator/outbox",
            &[(HOST, &host)],
            None,
        )
        .await;
        assert_eq!(status, 200, "{host}: {outbox}");
        assert_eq!(outbox[0]["code"], code.as_str());
    }
    for host in [
        "127.0.0.1.evil.example",
        "localhost.evil.example:80",
        "127.0.0.2",
        "[::2]",
    ] {
        let (status, _) = send(
            &base,
            Method::GET,
            "/emulator/health",
            &[(HOST, host)],
            None,
        )
        .await;
        assert_eq!(status, 403, "{host}");
    }
}

#[tokio::test]
async fn allowed_hosts_are_served_under_their_names_and_are_allowed_origins() {
    let config = EmulatorConfig {
        allowed_hosts: vec!["emulator".to_owned()],
        ..EmulatorConfig::default()
    };
    let Setup { emulator, .. } = setup_with(config).await;
    let base = emulator.base_url();
    for host in ["emulator", "emulator:4000", "EMULATOR:80"] {
        let (status, health) = send(
            &base,
            Method::GET,
            "/emulator/health",
            &[(HOST, host)],
            None,
        )
        .await;
        assert_eq!(
            (status, &health["status"]),
            (200, &json!("ready")),
            "{host}"
        );
    }
    for host in ["emulator.evil.example", "other:4000"] {
        let (status, _) = send(
            &base,
            Method::GET,
            "/emulator/health",
            &[(HOST, host)],
            None,
        )
        .await;
        assert_eq!(status, 403, "{host}");
    }
    let headers = [
        (HOST, "emulator:4000"),
        (ORIGIN, "http://emulator:4000"),
        (CONTENT_TYPE, "application/json"),
    ];
    let (status, _) = send(&base, Method::POST, "/emulator/reset", &headers, None).await;
    assert_eq!(status, 200);
    let (_, config) = send(&base, Method::GET, "/emulator/config", &[], None).await;
    assert_eq!(config["allowedHosts"], json!(["emulator"]));
}

#[tokio::test]
async fn admin_changes_need_json_and_refuse_other_origins() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    let jane = login_for(Channel::Email);
    sign_in(&emulator, &client, &jane).await;
    let user = json!({"loginId": "sam@example.com"}).to_string();

    // What a page can send without a preflight: a form or `fetch` with a text body, or none.
    let simple = [
        (Method::POST, "/emulator/reset", None, None),
        (
            Method::POST,
            "/emulator/reset",
            Some("text/plain;charset=UTF-8"),
            Some("{}"),
        ),
        (
            Method::POST,
            "/emulator/reset",
            Some("application/x-www-form-urlencoded"),
            Some("a=b"),
        ),
        (
            Method::POST,
            "/emulator/users",
            Some("text/plain"),
            Some(user.as_str()),
        ),
        (
            Method::POST,
            "/emulator/users",
            Some("multipart/form-data; boundary=x"),
            Some(user.as_str()),
        ),
        (Method::POST, "/emulator/users", None, Some(user.as_str())),
        (Method::DELETE, "/emulator/outbox", None, None),
        (
            Method::PUT,
            "/emulator/fixed-codes",
            Some("text/plain"),
            Some("{\"a@b.c\": \"123456\"}"),
        ),
        (
            Method::POST,
            "/emulator/clock",
            Some("text/plain"),
            Some("{\"seconds\": 60}"),
        ),
    ];
    for (method, path, content_type, body) in simple {
        let headers: Vec<_> = content_type
            .map(|value| (CONTENT_TYPE, value))
            .into_iter()
            .collect();
        let (status, error) = send(&base, method.clone(), path, &headers, body).await;
        assert_eq!(
            (status, &error["errorCode"]),
            (415, &json!("E011001")),
            "{method} {path}"
        );
        let message = error["errorMessage"].as_str().unwrap();
        assert!(
            message.starts_with(&format!(
                "{method} {path} needs Content-Type: application/json"
            )),
            "{message}"
        );
    }
    // Another origin is refused even with JSON (a page that got a preflight elsewhere).
    for origin in [
        "https://evil.example",
        "null",
        "http://localhost.evil.example:3000",
    ] {
        let headers = [(CONTENT_TYPE, "application/json"), (ORIGIN, origin)];
        let (status, error) = send(
            &base,
            Method::POST,
            "/emulator/users",
            &headers,
            Some(&user),
        )
        .await;
        assert_eq!(
            (status, &error["errorCode"]),
            (403, &json!("E011003")),
            "{origin}"
        );
        assert!(
            error["errorMessage"].as_str().unwrap().contains(origin),
            "{error}"
        );
    }
    // Nothing changed.
    let stored = |login_id: &str| {
        let path = format!("/emulator/users?loginId={}", login_id.replace('@', "%40"));
        let base = base.clone();
        async move { send(&base, Method::GET, &path, &[], None).await.0 }
    };
    assert_eq!(stored("sam@example.com").await, 404);
    assert_eq!(stored(&jane).await, 200);
    assert_eq!(emulator.outbox().len(), 1);
    assert!(emulator.fixed_codes().is_empty());
    let (_, clock) = send(&base, Method::GET, "/emulator/clock", &[], None).await;
    assert_eq!(clock["offsetSeconds"], 0);

    // Scripts and tests (no Origin) and loopback pages, with JSON, body or not.
    let json = [(CONTENT_TYPE, "application/json; charset=utf-8")];
    let (status, _) = send(&base, Method::POST, "/emulator/users", &json, Some(&user)).await;
    assert_eq!(status, 200);
    let from_loopback = [
        (CONTENT_TYPE, "application/json"),
        (ORIGIN, "http://localhost:3000"),
    ];
    let (status, _) = send(
        &base,
        Method::DELETE,
        "/emulator/outbox",
        &from_loopback,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(emulator.outbox().is_empty());
    let (status, report) = send(&base, Method::POST, "/emulator/reset", &json, None).await;
    assert_eq!(
        (status, &report["cleared"]["users"]),
        (200, &json!(2)),
        "{report}"
    );
    // Reads take no Content-Type and any Origin: the browser keeps the answer from the page.
    let (status, _) = send(
        &base,
        Method::GET,
        "/emulator/outbox",
        &[(ORIGIN, "https://evil.example")],
        None,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_operation_s_body_must_be_declared_json() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    let bearer = format!("Bearer {}", emulator.project_id());
    let body = json!({"loginId": login_for(Channel::Email)}).to_string();
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut headers = vec![(reqwest::header::AUTHORIZATION, bearer.as_str())];
        headers.extend(content_type.map(|value| (CONTENT_TYPE, value)));
        let (status, error) = send(
            &base,
            Method::POST,
            "/v1/auth/otp/signup/email",
            &headers,
            Some(&body),
        )
        .await;
        assert_eq!(
            (status, &error["errorCode"]),
            (415, &json!("E011001")),
            "{content_type:?}"
        );
        let message = error["errorMessage"].as_str().unwrap();
        assert!(
            message.contains("send it as Content-Type: application/json"),
            "{message}"
        );
    }
    assert!(emulator.outbox().is_empty());
    // JSON with parameters, as some SDKs send it, is JSON.
    for content_type in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;charset=UTF-8",
    ] {
        let body = json!({"loginId": login_for(Channel::Email)}).to_string();
        let headers = [
            (reqwest::header::AUTHORIZATION, bearer.as_str()),
            (CONTENT_TYPE, content_type),
        ];
        let (status, answer) = send(
            &base,
            Method::POST,
            "/v1/auth/otp/signup/email",
            &headers,
            Some(&body),
        )
        .await;
        assert_eq!(status, 200, "{content_type}: {answer}");
    }
    // A blank body carries nothing, whatever its type: an optional body stays optional.
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let refresh = format!("Bearer {}:{}", emulator.project_id(), refresh_of(&tokens));
    let headers = [
        (reqwest::header::AUTHORIZATION, refresh.as_str()),
        (CONTENT_TYPE, "text/plain"),
    ];
    let (status, _) = send(&base, Method::POST, "/v1/auth/refresh", &headers, Some(" ")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let Setup { emulator, .. } = managed().await;
    let base = emulator.base_url();
    let project = format!("Bearer {}", emulator.project_id());
    let management = format!(
        "Bearer {}:{}",
        emulator.project_id(),
        emulator.management_key()
    );
    let padded = |size: usize| format!("{{\"loginId\": \"{}\"}}", "a".repeat(size));
    let cases = [
        ("/v1/auth/otp/signup/email", project.as_str(), 64 * 1024),
        ("/v1/mgmt/user/create", management.as_str(), 1024 * 1024),
        ("/emulator/users", "", 64 * 1024),
    ];
    for (path, bearer, limit) in cases {
        let mut headers = vec![(CONTENT_TYPE, "application/json")];
        if !bearer.is_empty() {
            headers.push((reqwest::header::AUTHORIZATION, bearer));
        }
        let (status, error) = send(&base, Method::POST, path, &headers, Some(&padded(limit))).await;
        assert_eq!(
            (status, &error["errorCode"]),
            (413, &json!("E011001")),
            "{path}"
        );
        let message = error["errorMessage"].as_str().unwrap();
        assert_eq!(message, format!("the body is larger than {limit} bytes"));
        // Just under the limit, the body is read (and refused for what it says).
        let (status, _) = send(
            &base,
            Method::POST,
            path,
            &headers,
            Some(&padded(limit - 100)),
        )
        .await;
        assert_ne!(status, 413, "{path}");
    }
}

#[tokio::test]
async fn listening_on_every_address_serves_loopback_and_allowed_names() {
    let config = EmulatorConfig {
        listen: std::net::Ipv4Addr::UNSPECIFIED.into(),
        allowed_hosts: vec!["emulator".to_owned()],
        ..EmulatorConfig::default()
    };
    let Setup { emulator, .. } = setup_with(config).await;
    assert!(emulator.address().ip().is_unspecified());
    let base = emulator.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    for (host, expected) in [("emulator:4000", 200), ("0.0.0.0:4000", 403)] {
        let (status, _) = send(
            &base,
            Method::GET,
            "/emulator/health",
            &[(HOST, host)],
            None,
        )
        .await;
        assert_eq!(status, expected, "{host}");
    }
}
