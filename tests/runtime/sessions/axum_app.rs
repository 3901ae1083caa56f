//! An axum app behind `SessionLayer`: the session from the header or the cookie, the refusals
//! with their RFC 6750 challenges, role guards, the optional layer, and a refresh through the
//! layer that sets the new cookie.

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use descope_client::Session;
use descope_client::session::middleware::{SessionLayer, require};
use descope_client::{Client, RetryPolicy, SessionConfig};
use descope_shape_tests::{CannedResponse, RecordingServer};
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
        vec![],
        vec![("authorization", format!("Bearer {expired}"))],
        vec![("authorization", format!("Bearer {forged}"))],
        vec![("authorization", format!("Bearer {refresh_as_session}"))],
        vec![("authorization", "Basic dXNlcjpwYXNz".to_owned())],
    ] {
        let answer = get_with(&app, "/me", &headers).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(answer.challenge.as_deref(), Some(INVALID));
        assert!(answer.body.is_empty(), "no reason goes to the caller");
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
