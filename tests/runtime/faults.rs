//! Fault injection through the real client: retries, rate limiting, broken answers, resets and
//! stalls, each served by the loopback server on cue.

use std::time::{Duration, Instant};

use descope_client::{Client, Error, ErrorCode, RetryPolicy, types};
use descope_shape_tests::{Behaviour, CannedResponse, RecordingServer};

const SIGNED_IN: &str =
    r#"{"sessionJwt":"session-token","refreshJwt":"refresh-token","firstSeen":false}"#;

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Behaviour {
    Behaviour::Answer(CannedResponse {
        status,
        headers: headers
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    })
}

/// Short retry delays, so tests take milliseconds; the statuses are the default ones.
fn quick_retries(retries: usize) -> RetryPolicy {
    RetryPolicy::default().with_delays(vec![Duration::from_millis(5); retries])
}

fn client(server: &RecordingServer, policy: RetryPolicy) -> Client {
    Client::builder("P2Faults")
        .base_url(&server.base_url)
        .retry_policy(policy)
        .build()
        .expect("a loopback base URL is valid")
}

async fn verify(client: &Client) -> Result<descope_client::Response<types::JwtResponse>, Error> {
    client
        .verify_otp_email("jane@example.com", "123456")
        .send()
        .await
}

fn service_error(result: Result<impl std::fmt::Debug, Error>) -> Box<descope_client::ServiceError> {
    match result {
        Err(Error::Service(error)) => error,
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn two_503s_then_200_succeeds_on_the_third_attempt() {
    let server = RecordingServer::start().await;
    server.script(vec![
        answer(503, &[], r#"{"errorCode":"E000503"}"#),
        answer(503, &[], ""),
        answer(200, &[], SIGNED_IN),
    ]);
    let response = verify(&client(&server, quick_retries(3))).await.unwrap();
    assert_eq!(response.attempts(), 3);
    assert_eq!(response.session_jwt.as_deref(), Some("session-token"));
    let requests = server.take();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.body == requests[0].body
                && r.header("authorization") == Some("Bearer P2Faults")),
        "every attempt sends the same request"
    );
}

#[tokio::test]
async fn a_run_of_520s_gives_up_after_the_configured_attempts_with_the_last_answer() {
    let server = RecordingServer::start().await;
    server.script(vec![
        answer(520, &[], r#"{"errorCode":"E000001"}"#),
        answer(520, &[], r#"{"errorCode":"E000002"}"#),
        answer(520, &[], r#"{"errorCode":"E000003"}"#),
    ]);
    let error = service_error(verify(&client(&server, quick_retries(2))).await);
    assert_eq!(error.status, 520);
    assert_eq!(error.attempts, 3);
    assert_eq!(
        error.code,
        Some(ErrorCode::Other("E000003".into())),
        "the last answer is reported"
    );
    assert_eq!(server.take().len(), 3);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = RecordingServer::start().await;
    server.script(vec![answer(503, &[], "")]);
    let error = service_error(verify(&client(&server, RetryPolicy::none())).await);
    assert_eq!((error.status.as_u16(), error.attempts), (503, 1));
    assert_eq!(server.take().len(), 1);
}

#[tokio::test]
async fn a_429_is_not_retried_and_reports_its_retry_after() {
    let server = RecordingServer::start().await;
    server.script(vec![answer(
        429,
        &[("Retry-After", "7")],
        r#"{"errorCode":"E130429","errorDescription":"Rate limit exceeded"}"#,
    )]);
    // The default policy, but with quick delays: a retry would show as a second request.
    let error = service_error(verify(&client(&server, quick_retries(3))).await);
    assert_eq!(error.status, 429);
    assert_eq!(error.code, Some(ErrorCode::RateLimitExceeded));
    assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
    assert_eq!(error.attempts, 1);
    assert_eq!(server.take().len(), 1, "not retried");
    assert!(error.to_string().contains("retry after 7 s"), "{error}");
}

#[tokio::test]
async fn an_html_502_reports_its_status_and_an_excerpt() {
    let server = RecordingServer::start().await;
    let page =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body>\r\n</html>";
    server.script(vec![answer(502, &[], page)]);
    let error = service_error(verify(&client(&server, RetryPolicy::none())).await);
    assert_eq!(error.status, 502);
    assert_eq!(error.code, None);
    let excerpt = error.body_excerpt.as_deref().unwrap();
    assert!(
        excerpt.starts_with("<html> <head><title>502 Bad Gateway"),
        "{excerpt}"
    );
    let shown = Error::Service(error).to_string();
    assert!(
        shown.starts_with(
            "VerifyOtpEmail (POST /v1/auth/otp/verify/email) failed with 502 Bad Gateway"
        ),
        "{shown}"
    );
}

#[tokio::test]
async fn an_empty_error_body_still_reports_its_status() {
    let server = RecordingServer::start().await;
    server.script(vec![answer(500, &[], "")]);
    let error = service_error(verify(&client(&server, RetryPolicy::none())).await);
    assert_eq!(error.status, 500);
    assert_eq!(error.body_excerpt.as_deref(), Some(""));
    assert!(Error::Service(error).to_string().ends_with("(empty body)"));
}

#[tokio::test]
async fn truncated_json_on_200_is_a_decode_error_with_the_status() {
    let server = RecordingServer::start().await;
    server.script(vec![answer(200, &[], r#"{"sessionJwt":"eyJhbGciOi"#)]);
    let error = verify(&client(&server, RetryPolicy::none()))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status, 200);
    assert!(
        decode
            .reason
            .starts_with("the body ends before the JSON does"),
        "{}",
        decode.reason
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("eyJhbGciOi"), "the body stays out: {shown}");
}

#[tokio::test]
async fn a_connection_reset_is_a_transport_error_and_is_not_retried() {
    let server = RecordingServer::start().await;
    server.script(vec![Behaviour::Reset]);
    let started = Instant::now();
    let error = verify(&client(&server, quick_retries(3)))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&error, Error::Transport(t) if t.attempts == 1),
        "{error:?}"
    );
    assert_eq!(error.status(), None);
    assert_eq!(server.take().len(), 1);
    assert!(error.to_string().contains("got no answer"), "{error}");
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_fails_within_the_bound() {
    let server = RecordingServer::start().await;
    server.script(vec![Behaviour::Stall(Duration::from_secs(30))]);
    let timeout = Duration::from_millis(300);
    let client = Client::builder("P2Faults")
        .base_url(&server.base_url)
        .timeout(timeout)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = verify(&client).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(elapsed >= timeout, "gave up early: {elapsed:?}");
    assert!(
        elapsed < timeout + Duration::from_secs(2),
        "took {elapsed:?}"
    );
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind, note the port, and close it again: nothing listens there any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder("P2Faults")
        .base_url(format!("http://{address}"))
        .build()
        .unwrap();
    let error = verify(&client).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(_)), "{error:?}");
    assert!(error.to_string().contains("could not connect"), "{error}");
}

#[tokio::test]
async fn tokens_missing_from_the_body_are_taken_from_the_ds_and_dsr_cookies() {
    let server = RecordingServer::start().await;
    let cookies = [
        ("Set-Cookie", "DS=cookie-session; Path=/; Secure; HttpOnly"),
        ("Set-Cookie", "DSR=cookie-refresh; Path=/; Secure; HttpOnly"),
    ];
    server.script(vec![
        answer(200, &cookies, r#"{"firstSeen":true}"#),
        answer(200, &cookies, SIGNED_IN),
    ]);
    let client = client(&server, RetryPolicy::none());
    let from_cookies = verify(&client).await.unwrap();
    assert_eq!(from_cookies.session_jwt.as_deref(), Some("cookie-session"));
    assert_eq!(from_cookies.refresh_jwt.as_deref(), Some("cookie-refresh"));
    assert_eq!(from_cookies.first_seen, Some(true));
    let from_body = verify(&client).await.unwrap();
    assert_eq!(
        from_body.session_jwt.as_deref(),
        Some("session-token"),
        "the body wins"
    );
    assert_eq!(from_body.refresh_jwt.as_deref(), Some("refresh-token"));
}

#[tokio::test]
async fn no_answer_or_error_shows_a_token_or_code() {
    let server = RecordingServer::start().await;
    server.script(vec![
        answer(
            200,
            &[("Set-Cookie", "DSR=cookie-refresh-secret")],
            r#"{"sessionJwt":"session-secret"}"#,
        ),
        answer(
            401,
            &[],
            r#"{"errorCode":"E061102","errorDescription":"Wrong code"}"#,
        ),
        answer(200, &[], r#"{"sessionJwt":"truncated-secret"#),
    ]);
    let client = client(&server, RetryPolicy::none()).with_refresh_jwt("refresh-jwt-secret");
    let mut shown = format!("{client:?} {client:#?}");
    for _ in 0..3 {
        match verify(&client).await {
            Ok(response) => shown += &format!("{response:?} {response:#?}"),
            Err(error) => shown += &format!("{error} {error:?} {error:#?}"),
        }
    }
    for secret in ["secret", "123456"] {
        assert!(!shown.contains(secret), "`{secret}` shown in: {shown}");
    }
    assert!(
        shown.contains("E061102"),
        "the error itself is shown: {shown}"
    );
}
