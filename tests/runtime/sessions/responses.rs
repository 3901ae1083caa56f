//! The crate's errors as axum answers: a handler that ends in `?` answers for Descope's
//! refusals, its outages, the application's own misconfiguration and invalid sessions.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::routing::get;
use descope_client::{Client, RetryPolicy, SessionConfig, SessionError};
use descope_shape_tests::{Behaviour, CannedResponse, RecordingServer};
use http::{Request, StatusCode};
use tower::ServiceExt;

use super::forge::{Alg, PROJECT, TestKey, jwks, now, session_claims, with};

async fn logout(State(client): State<Client>) -> Result<&'static str, descope_client::Error> {
    client.logout("eyJh.eyJz.c2ln").await?;
    Ok("signed out")
}

async fn users(State(client): State<Client>) -> Result<&'static str, descope_client::Error> {
    client.load_user().user_id("U2x").send().await?;
    Ok("loaded")
}

async fn as_user(
    State(client): State<Client>,
    token: String,
) -> Result<&'static str, descope_client::InvalidToken> {
    client.try_with_refresh_jwt(token)?;
    Ok("a token")
}

async fn check(State(client): State<Client>, token: String) -> Result<String, SessionError> {
    Ok(client.validate_session(&token).await?.user_id().to_owned())
}

struct Answer {
    status: StatusCode,
    header: Option<String>,
    body: String,
}

async fn call(app: &Router, path: &str, body: String, header: &str) -> Answer {
    let request = Request::get(path).body(Body::from(body)).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header = response
        .headers()
        .get(header)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Answer {
        status,
        header,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Behaviour {
    Behaviour::Answer(CannedResponse {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    })
}

fn app(server: &RecordingServer, key: &TestKey) -> Router {
    let client = Client::builder(PROJECT)
        .base_url(&server.base_url)
        .management_key("K2test")
        .retry_policy(RetryPolicy::none())
        .timeout(std::time::Duration::from_millis(300))
        .sessions(SessionConfig::default().static_keys(jwks(&[key])))
        .build()
        .unwrap();
    Router::new()
        .route("/logout", get(logout))
        .route("/users", get(users))
        .route("/check", get(check))
        .route("/as-user", get(as_user))
        .with_state(client)
}

#[tokio::test]
async fn descope_s_refusals_pass_through_and_its_outages_are_a_bad_gateway() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let app = app(&server, &key);
    let refused = r#"{"errorCode":"E061004","errorDescription":"refresh token expired"}"#;
    let json = [("content-type", "application/json")];
    let cases = [
        (answer(401, &json, refused), StatusCode::UNAUTHORIZED),
        (
            answer(429, &[("retry-after", "7")], r#"{"errorCode":"E130429"}"#),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        (
            answer(503, &[], "<html>down</html>"),
            StatusCode::BAD_GATEWAY,
        ),
        (answer(200, &json, "not json"), StatusCode::BAD_GATEWAY),
        (Behaviour::Reset, StatusCode::BAD_GATEWAY),
        (
            Behaviour::Stall(std::time::Duration::from_secs(5)),
            StatusCode::GATEWAY_TIMEOUT,
        ),
    ];
    for (behaviour, expected) in cases {
        server.script(vec![behaviour.clone()]);
        let got = call(&app, "/logout", String::new(), "retry-after").await;
        assert_eq!(got.status, expected, "{behaviour:?}: {}", got.body);
        if expected == StatusCode::UNAUTHORIZED {
            let body: serde_json::Value = serde_json::from_str(&got.body).unwrap();
            assert_eq!(body["errorCode"], "E061004");
            assert_eq!(body["errorDescription"], "refresh token expired");
        }
        if expected == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(got.header.as_deref(), Some("7"));
        }
    }
}

#[tokio::test]
async fn a_refused_management_key_is_the_application_s_fault() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let app = app(&server, &key);
    server.script(vec![answer(401, &[], r#"{"errorCode":"E011003"}"#)]);
    let got = call(&app, "/users", String::new(), "retry-after").await;
    assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(got.body.is_empty(), "nothing about the key goes out");
}

#[tokio::test]
async fn a_session_error_answers_as_the_layer_does() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let app = app(&server, &key);
    let valid = key.sign(&session_claims());
    let expired = key.sign(&with(
        session_claims(),
        serde_json::json!({"exp": now() - 60}),
    ));
    let got = call(&app, "/check", valid, "www-authenticate").await;
    assert_eq!((got.status, got.body.as_str()), (StatusCode::OK, "U2user"));
    let got = call(&app, "/check", expired, "www-authenticate").await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        got.header.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );
    let got = call(&app, "/check", String::new(), "www-authenticate").await;
    assert_eq!(got.header.as_deref(), Some("Bearer"));
}

#[tokio::test]
async fn a_token_that_is_no_jwt_is_401() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let app = app(&server, &key);
    let got = call(&app, "/as-user", "not a jwt".to_owned(), "www-authenticate").await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        got.header.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );
    let got = call(
        &app,
        "/as-user",
        "eyJh.eyJz.c2ln".to_owned(),
        "www-authenticate",
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
}
