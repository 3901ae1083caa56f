//! An axum app behind `SessionLayer`: the session from the header or the cookie, the refusals
//! with their RFC 6750 challenges, 503 for a session that cannot be checked, 500 for a route
//! no layer covers, role guards, the optional layer, and a refresh through the
//! layer that sets the new cookie.

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use descope_client::Session;
use descope_client::session::middleware::{SessionLayer, require};
use descope_client::{Client, RetryPolicy, SessionConfig};
use std::time::Duration;

use descope_shape_tests::{Behaviour, CannedResponse, RecordingServer};
use http::{Request, StatusCode};
use serde_json::json;
use tower::ServiceExt;

use super::forge::{Alg, PROJECT, TestKey, jwks, now, refresh_claims, session_claims, with};

async fn me(session: Session) -> String {
    format!("hello {}", session.user_id())
}

async fn maybe(session: Option<Session>) -> String {
    session.map_or_else(|| "anonymous".to_owned(), |s| s.user_id().to_owned())
}

fn app(client: &Client) -> Router {
    let protected = Router::new()
        .route("/me", get(me))
        .route("/admin", get(me).layer(require::roles(&["admin"])))
        .route(
            "/tenant",
            get(me).layer(require::tenant_permissions("T1", &["write"])),
        )
        .layer(SessionLayer::new(client.clone()));
    let open = Router::new()
        .route("/maybe", get(maybe))
        .layer(SessionLayer::new(client.clone()).optional());
    protected.merge(open)
}

struct Answer {
    status: StatusCode,
    challenge: Option<String>,
    retry_after: Option<String>,
    cookies: Vec<String>,
    body: String,
}

async fn get_with(app: &Router, path: &str, headers: &[(&str, String)]) -> Answer {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Answer {
        status,
        challenge,
        retry_after,
        cookies,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

async fn setup() -> (TestKey, RecordingServer, Router) {
    let key = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let client = Client::builder(PROJECT)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .sessions(SessionConfig::default().static_keys(jwks(&[&key])))
        .build()
        .unwrap();
    let app = app(&client);
    (key, server, app)
}

const INVALID: &str = r#"Bearer error="invalid_token""#;

#[tokio::test]
async fn a_valid_session_from_the_header_or_the_cookie_reaches_the_handler() {
    let (key, server, app) = setup().await;
    let token = key.sign(&session_claims());
    for header in [
        ("authorization", format!("Bearer {token}")),
        ("authorization", format!("bearer {token}")),
        ("cookie", format!("theme=dark; DS={token}")),
    ] {
        let answer = get_with(&app, "/me", std::slice::from_ref(&header)).await;
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (StatusCode::OK, "hello U2user"),
            "{header:?}"
        );
        assert!(answer.cookies.is_empty());
    }
    assert!(server.take().is_empty(), "validation is local");
}

#[tokio::test]
async fn a_missing_or_bad_session_is_401_with_the_challenge() {
    let (key, _server, app) = setup().await;
    let expired = key.sign(&with(session_claims(), json!({"exp": now() - 60})));
    let forged = TestKey::generate(Alg::Es256, "k1").sign(&session_claims());
    let refresh_as_session = key.sign(&refresh_claims());
    for headers in [
        vec![("authorization", format!("Bearer {expired}"))],
        vec![("authorization", format!("Bearer {forged}"))],
        vec![("authorization", format!("Bearer {refresh_as_session}"))],
        vec![("cookie", format!("DS={forged}"))],
    ] {
        let answer = get_with(&app, "/me", &headers).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(answer.challenge.as_deref(), Some(INVALID));
        assert!(answer.body.is_empty(), "no reason goes to the caller");
    }
}

#[tokio::test]
async fn a_request_without_credentials_gets_the_bare_challenge() {
    let (_key, _server, app) = setup().await;
    // RFC 6750 §3.1: no authentication, no error code.
    for headers in [
        vec![],
        vec![("authorization", "Basic dXNlcjpwYXNz".to_owned())],
        vec![("cookie", "theme=dark; DS=".to_owned())],
    ] {
        for path in ["/me", "/admin"] {
            let answer = get_with(&app, path, &headers).await;
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{path} {headers:?}"
            );
            assert_eq!(
                answer.challenge.as_deref(),
                Some("Bearer"),
                "{path} {headers:?}"
            );
        }
    }
}

/// An app whose keys come from `server`, which the test makes fail.
async fn app_fetching_keys(server: &RecordingServer) -> Router {
    let client = Client::builder(PROJECT)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .sessions(SessionConfig::default().key_fetch_timeout(Duration::from_millis(300)))
        .build()
        .unwrap();
    app(&client)
}

#[tokio::test]
async fn a_session_that_cannot_be_checked_is_503_with_retry_after_not_401() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let token = key.sign(&session_claims());
    let bearer = [("authorization", format!("Bearer {token}"))];
    for (outage, what) in [
        (Behaviour::Reset, "keys endpoint unreachable"),
        (
            Behaviour::Stall(Duration::from_secs(5)),
            "keys endpoint silent",
        ),
        (
            Behaviour::Answer(CannedResponse {
                status: 404,
                headers: Vec::new(),
                body: b"{}".to_vec(),
            }),
            "wrong project id",
        ),
    ] {
        let server = RecordingServer::start().await;
        server.script(vec![outage]);
        let app = app_fetching_keys(&server).await;
        let answer = get_with(&app, "/me", &bearer).await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{what}");
        assert_eq!(answer.retry_after.as_deref(), Some("5"), "{what}");
        assert_eq!(answer.challenge, None, "{what}: not a token problem");
        // The optional layer lets the request through without a session.
        assert_eq!(
            get_with(&app, "/maybe", &bearer).await.body,
            "anonymous",
            "{what}"
        );
    }
}

#[tokio::test]
async fn a_refresh_descope_could_not_answer_is_503() {
    let (key, server, app) = setup().await;
    let expired = key.sign(&with(session_claims(), json!({"exp": now() - 60})));
    let refresh = key.sign(&refresh_claims());
    let cookies = [("cookie", format!("DS={expired}; DSR={refresh}"))];
    server.respond_with(CannedResponse {
        status: 502,
        headers: Vec::new(),
        body: b"<html>bad gateway</html>".to_vec(),
    });
    let answer = get_with(&app, "/me", &cookies).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    // Descope refusing the refresh JWT is the token's fault: 401.
    server.respond_with(CannedResponse {
        status: 401,
        headers: vec![("content-type".into(), "application/json".into())],
        body: br#"{"errorCode": "E061004", "errorDescription": "expired"}"#.to_vec(),
    });
    let answer = get_with(&app, "/me", &cookies).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.challenge.as_deref(), Some(INVALID));
}

#[tokio::test]
async fn a_session_extractor_without_the_layer_is_a_500_not_a_401() {
    let (key, _server, _app) = setup().await;
    let unguarded = Router::new().route("/me", get(me)).route(
        "/admin",
        get(|| async { "admin" }).layer(require::roles(&["admin"])),
    );
    let token = key.sign(&session_claims());
    for path in ["/me", "/admin"] {
        let answer = get_with(
            &unguarded,
            path,
            &[("authorization", format!("Bearer {token}"))],
        )
        .await;
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert_eq!(answer.challenge, None, "{path}");
    }
}

#[tokio::test]
async fn guards_answer_403_with_insufficient_scope() {
    let (key, _server, app) = setup().await;
    let viewer = key.sign(&session_claims());
    let admin = key.sign(&with(
        session_claims(),
        json!({"roles": ["admin"], "tenants": {"T1": {"permissions": ["write"]}}}),
    ));
    let bearer = |token: &str| vec![("authorization", format!("Bearer {token}"))];
    for path in ["/admin", "/tenant"] {
        let refused = get_with(&app, path, &bearer(&viewer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            refused.challenge.as_deref(),
            Some(r#"Bearer error="insufficient_scope""#)
        );
        assert_eq!(
            get_with(&app, path, &bearer(&admin)).await.status,
            StatusCode::OK
        );
        assert_eq!(
            get_with(&app, path, &[]).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn the_optional_layer_lets_anonymous_requests_through() {
    let (key, _server, app) = setup().await;
    assert_eq!(get_with(&app, "/maybe", &[]).await.body, "anonymous");
    let token = key.sign(&session_claims());
    let answer = get_with(&app, "/maybe", &[("cookie", format!("DS={token}"))]).await;
    assert_eq!(answer.body, "U2user");
}

#[tokio::test]
async fn an_expired_session_is_refreshed_through_the_layer() {
    let (key, server, app) = setup().await;
    let expired = key.sign(&with(session_claims(), json!({"exp": now() - 60})));
    let refresh = key.sign(&refresh_claims());
    let renewed = key.sign(&with(session_claims(), json!({"sub": "U2renewed"})));
    server.respond_with(CannedResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({"sessionJwt": renewed}).to_string().into_bytes(),
    });
    let answer = get_with(
        &app,
        "/me",
        &[("cookie", format!("DS={expired}; DSR={refresh}"))],
    )
    .await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "hello U2renewed")
    );
    assert_eq!(answer.cookies.len(), 1, "{:?}", answer.cookies);
    assert!(answer.cookies[0].starts_with(&format!("DS={renewed}; Path=/; Max-Age=")));
    assert!(answer.cookies[0].ends_with("; HttpOnly; Secure; SameSite=Strict"));
    let sent = server.take();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/v1/auth/refresh");
    // A refresh JWT alone also signs the request in.
    let answer = get_with(&app, "/me", &[("cookie", format!("DSR={refresh}"))]).await;
    assert_eq!(answer.status, StatusCode::OK);
}
