//! Refreshing: the refresh JWT is checked locally before Descope is called, the new session is
//! validated, a rotated refresh JWT is reported, and `validate_and_refresh_session` calls Descope
//! only when the session needs it. The loopback server plays `/v1/auth/refresh`.

use descope_client::session::Drn;
use descope_client::session::cookies::CookieOptions;
use descope_client::{CheckedSession, Client, ErrorCode, RetryPolicy, SessionConfig, SessionError};
use descope_shape_tests::{CannedResponse, RecordingServer};
use serde_json::{Value, json};

use super::forge::{Alg, PROJECT, TestKey, jwks, now, refresh_claims, session_claims, with};

struct Setup {
    key: TestKey,
    server: RecordingServer,
    client: Client,
}

async fn setup() -> Setup {
    let key = TestKey::generate(Alg::Rs256, "k1");
    let server = RecordingServer::start().await;
    let client = Client::builder(PROJECT)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .sessions(SessionConfig::default().static_keys(jwks(&[&key])))
        .build()
        .unwrap();
    Setup {
        key,
        server,
        client,
    }
}

fn answer(status: u16, body: Value, cookies: &[String]) -> CannedResponse {
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    headers.extend(cookies.iter().map(|c| ("set-cookie".to_owned(), c.clone())));
    CannedResponse {
        status,
        headers,
        body: body.to_string().into_bytes(),
    }
}

#[tokio::test]
async fn a_refresh_validates_both_tokens_and_reports_a_rotated_refresh_jwt() {
    let Setup {
        key,
        server,
        client,
    } = setup().await;
    let refresh = key.sign(&refresh_claims());
    let rotated = key.sign(&with(refresh_claims(), json!({"jti": "second"})));
    let new_session = key.sign(&with(session_claims(), json!({"roles": ["fresh"]})));
    server.respond_with(answer(
        200,
        json!({"sessionJwt": new_session, "refreshJwt": rotated, "cookieMaxAge": 600}),
        &[],
    ));
    let refreshed = client.refresh_session(&refresh).await.unwrap();
    assert_eq!(refreshed.session.roles(), ["fresh"]);
    assert!(refreshed.rotated_refresh_jwt.is_some());

    let sent = server.take();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].method.as_str(), sent[0].path.as_str()),
        ("POST", "/v1/auth/refresh")
    );
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {PROJECT}:{refresh}").as_str())
    );
    assert_eq!(sent[0].body, b"{}");

    let cookies: Vec<String> = CookieOptions::default()
        .refreshed(&refreshed)
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .collect();
    assert!(cookies[0].starts_with(&format!("DS={new_session}; Path=/; Max-Age=")));
    assert!(cookies[1].starts_with(&format!("DSR={rotated}; Path=/; Max-Age=600;")));
    let shown = format!("{refreshed:?}");
    assert!(
        !shown.contains(&new_session) && !shown.contains(&rotated),
        "{shown}"
    );
}

#[tokio::test]
async fn a_refresh_jwt_that_is_not_valid_costs_no_call() {
    let Setup {
        key,
        server,
        client,
    } = setup().await;
    let expired = key.sign(&with(refresh_claims(), json!({"exp": now() - 60})));
    let session_as_refresh = key.sign(&session_claims());
    let forged = TestKey::generate(Alg::Rs256, "k1").sign(&refresh_claims());
    for (token, check) in [
        (expired, "expired"),
        (session_as_refresh, "`drn` is `DS`, where `DSR` is required"),
        (forged, "signature"),
    ] {
        let error = client.refresh_session(&token).await.unwrap_err();
        assert!(
            matches!(error, SessionError::InvalidRefreshToken(_)),
            "{error}"
        );
        assert!(error.to_string().contains(check), "{check}: {error}");
    }
    assert!(server.take().is_empty(), "nothing was sent to Descope");
}

#[tokio::test]
async fn a_refusal_and_an_incomplete_answer_are_told_apart() {
    let Setup {
        key,
        server,
        client,
    } = setup().await;
    let refresh = key.sign(&refresh_claims());
    server.respond_with(answer(
        401,
        json!({"errorCode": "E064001", "errorDescription": "Token expired by logout"}),
        &[],
    ));
    match client.refresh_session(&refresh).await.unwrap_err() {
        SessionError::Refresh(descope_client::Error::Service(error)) => {
            assert_eq!(error.code, Some(ErrorCode::TokenExpiredByLogout));
        }
        other => panic!("{other}"),
    }
    server.respond_with(answer(200, json!({"cookieMaxAge": 600}), &[]));
    assert!(matches!(
        client.refresh_session(&refresh).await.unwrap_err(),
        SessionError::IncompleteRefresh
    ));
    // A session JWT from the answer must be a valid session too.
    let not_a_session = key.sign(&refresh_claims());
    server.respond_with(answer(200, json!({"sessionJwt": not_a_session}), &[]));
    assert!(matches!(
        client.refresh_session(&refresh).await.unwrap_err(),
        SessionError::WrongTokenKind {
            expected: "DS",
            found: Drn::Value(_)
        }
    ));
}

#[tokio::test]
async fn tokens_delivered_only_in_cookies_are_used() {
    let Setup {
        key,
        server,
        client,
    } = setup().await;
    let refresh = key.sign(&refresh_claims());
    let new_session = key.sign(&session_claims());
    server.respond_with(answer(
        200,
        json!({}),
        &[format!(
            "DS={new_session}; Path=/; HttpOnly; Secure; Domain=example.com"
        )],
    ));
    let refreshed = client.refresh_session(&refresh).await.unwrap();
    assert_eq!(refreshed.session.user_id(), "U2user");
    assert!(
        refreshed.rotated_refresh_jwt.is_none(),
        "no DSR cookie: the old one stays"
    );
}

#[tokio::test]
async fn validate_and_refresh_calls_descope_only_when_the_session_needs_it() {
    let Setup {
        key,
        server,
        client,
    } = setup().await;
    let session = key.sign(&session_claims());
    let expired = key.sign(&with(session_claims(), json!({"exp": now() - 60})));
    let refresh = key.sign(&refresh_claims());
    let renewed = key.sign(&with(session_claims(), json!({"roles": ["renewed"]})));
    server.respond_with(answer(200, json!({"sessionJwt": renewed}), &[]));

    let valid = client
        .validate_and_refresh_session(session.as_str(), refresh.as_str())
        .await
        .unwrap();
    assert!(matches!(valid, CheckedSession::Valid(_)));
    assert!(server.take().is_empty());

    for offered in [Some(expired.as_str()), None, Some(""), Some("garbage")] {
        let checked = client
            .validate_and_refresh_session(offered, refresh.as_str())
            .await
            .unwrap();
        assert!(checked.refreshed().is_some(), "{offered:?}");
        assert_eq!(checked.session().roles(), ["renewed"]);
        assert_eq!(server.take().len(), 1, "{offered:?}");
    }

    // Without a refresh JWT the session's own error stands.
    let error = client
        .validate_and_refresh_session(expired.as_str(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, SessionError::Expired { .. }), "{error}");
    assert!(matches!(
        client
            .validate_and_refresh_session(None, None)
            .await
            .unwrap_err(),
        SessionError::Missing
    ));
    assert!(server.take().is_empty());
}
