//! The key cache against a loopback server playing `GET /v2/keys/{projectId}`: how many fetches
//! each situation costs, and what validation does when the key set is down, garbage or rotated.

use std::time::Duration;

use descope_client::{Client, RetryPolicy, SessionConfig, SessionError};
use descope_shape_tests::{Behaviour, CannedResponse, RecordingServer};

use super::forge::{Alg, PROJECT, TestKey, jwks, session_claims};

fn serving(body: String) -> CannedResponse {
    CannedResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.into_bytes(),
    }
}

fn client(server: &RecordingServer, config: SessionConfig) -> Client {
    Client::builder(PROJECT)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .sessions(config)
        .build()
        .unwrap()
}

/// The key fetches the server saw, each checked to be the unauthenticated keys call.
fn fetches(server: &RecordingServer) -> usize {
    let recorded = server.take();
    for request in &recorded {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, format!("/v2/keys/{PROJECT}"));
        assert_eq!(
            request.header("authorization"),
            None,
            "the keys call sends no credential"
        );
    }
    recorded.len()
}

#[tokio::test]
async fn a_hundred_validations_on_a_cold_cache_make_one_fetch() {
    let key = TestKey::generate(Alg::Rs256, "k1");
    let server = RecordingServer::start().await;
    server.respond_with(serving(jwks(&[&key])));
    let client = client(&server, SessionConfig::default());
    let token = key.sign(&session_claims());
    let mut validations = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let (client, token) = (client.clone(), token.clone());
        validations.spawn(async move { client.validate_session(&token).await.map(|_| ()) });
    }
    while let Some(outcome) = validations.join_next().await {
        outcome.unwrap().unwrap();
    }
    assert_eq!(fetches(&server), 1);
    // Warm: no more fetches.
    client.validate_session(&token).await.unwrap();
    assert_eq!(fetches(&server), 0);
}

#[tokio::test]
async fn an_unknown_key_id_costs_one_refetch_per_cooldown() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    server.respond_with(serving(jwks(&[&key])));
    let client = client(
        &server,
        SessionConfig::default().unknown_key_cooldown(Duration::from_millis(400)),
    );
    client
        .validate_session(&key.sign(&session_claims()))
        .await
        .unwrap();
    assert_eq!(fetches(&server), 1);

    let stranger = TestKey::generate(Alg::Es256, "made-up-1");
    let error = client
        .validate_session(&stranger.sign(&session_claims()))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SessionError::UnknownKey(kid) if kid == "made-up-1"),
        "{error}"
    );
    assert_eq!(
        fetches(&server),
        1,
        "exactly one refetch for the unknown id"
    );

    let another = TestKey::generate(Alg::Es256, "made-up-2");
    for _ in 0..20 {
        let error = client
            .validate_session(&another.sign(&session_claims()))
            .await
            .unwrap_err();
        assert!(matches!(error, SessionError::UnknownKey(_)));
    }
    assert_eq!(fetches(&server), 0, "no fetch inside the cooldown");
    // The known key is unaffected.
    client
        .validate_session(&key.sign(&session_claims()))
        .await
        .unwrap();

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        client
            .validate_session(&another.sign(&session_claims()))
            .await
            .is_err()
    );
    assert_eq!(fetches(&server), 1, "after the cooldown, one fetch again");
}

#[tokio::test]
async fn rotated_keys_are_found_without_a_restart_and_dropped_ones_stop_working() {
    let old = TestKey::generate(Alg::Rs256, "old");
    let new = TestKey::generate(Alg::Rs256, "new");
    let server = RecordingServer::start().await;
    server.respond_with(serving(jwks(&[&old])));
    let client = client(
        &server,
        SessionConfig::default().keys_ttl(Duration::from_millis(300)),
    );
    client
        .validate_session(&old.sign(&session_claims()))
        .await
        .unwrap();

    // Descope publishes the new key beside the old one and starts signing with it.
    server.respond_with(serving(jwks(&[&old, &new])));
    client
        .validate_session(&new.sign(&session_claims()))
        .await
        .unwrap();
    client
        .validate_session(&old.sign(&session_claims()))
        .await
        .unwrap();
    assert_eq!(fetches(&server), 2);

    // Then the old key is withdrawn: once the TTL has passed, its tokens are refused.
    server.respond_with(serving(jwks(&[&new])));
    tokio::time::sleep(Duration::from_millis(400)).await;
    let error = client
        .validate_session(&old.sign(&session_claims()))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SessionError::UnknownKey(kid) if kid == "old"),
        "{error}"
    );
    client
        .validate_session(&new.sign(&session_claims()))
        .await
        .unwrap();
}

#[tokio::test]
async fn held_keys_keep_serving_while_the_key_set_is_down() {
    let key = TestKey::generate(Alg::EdDsa, "k1");
    let server = RecordingServer::start().await;
    server.respond_with(serving(jwks(&[&key])));
    let client = client(
        &server,
        SessionConfig::default().keys_ttl(Duration::from_millis(100)),
    );
    let token = key.sign(&session_claims());
    client.validate_session(&token).await.unwrap();
    assert_eq!(fetches(&server), 1);

    for outage in [
        Behaviour::Reset,
        Behaviour::Answer(CannedResponse {
            status: 503,
            headers: Vec::new(),
            body: b"<html>down</html>".to_vec(),
        }),
        Behaviour::Answer(serving("not json".to_owned())),
    ] {
        server.script(vec![outage]);
        tokio::time::sleep(Duration::from_millis(150)).await;
        for _ in 0..5 {
            client
                .validate_session(&token)
                .await
                .expect("stale keys still verify");
        }
        // One refetch was attempted; the failure backs the next one off.
        assert_eq!(fetches(&server), 1);
        tokio::time::sleep(descope_client::session::FAILED_FETCH_BACKOFF).await;
    }
}

#[tokio::test]
async fn a_cold_cache_without_keys_says_why() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let token = key.sign(&session_claims());
    for (behaviour, expected) in [
        (
            Behaviour::Reset,
            "the project's public keys are unavailable: GetJwks",
        ),
        (
            Behaviour::Answer(CannedResponse {
                status: 500,
                headers: Vec::new(),
                body: b"oops".to_vec(),
            }),
            "500",
        ),
        (
            Behaviour::Answer(serving("<html></html>".into())),
            "not valid JSON",
        ),
        (
            Behaviour::Answer(serving(r#"{"keys": []}"#.into())),
            "the key set is empty",
        ),
        (
            Behaviour::Answer(serving(
                r#"{"keys": [{"kty": "oct", "kid": "k1", "alg": "HS256"}]}"#.into(),
            )),
            "HS256",
        ),
        (
            Behaviour::Answer(serving(r#"{"keys": "all of them"}"#.into())),
            "type the spec does not allow",
        ),
    ] {
        let server = RecordingServer::start().await;
        server.script(vec![behaviour]);
        let client = client(&server, SessionConfig::default());
        let error = client.validate_session(&token).await.unwrap_err();
        assert!(matches!(error, SessionError::KeysUnavailable(_)), "{error}");
        assert!(error.to_string().contains(expected), "{expected}: {error}");
        // A second validation right away does not fetch again (backoff).
        assert!(client.validate_session(&token).await.is_err());
        assert_eq!(fetches(&server), 1, "{expected}");
    }
}
