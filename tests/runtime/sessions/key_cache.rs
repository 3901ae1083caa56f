//! The key cache against a loopback server playing `GET /v2/keys/{projectId}`: how many fetches
//! each situation costs, and what validation does when the key set is down, garbage or rotated.

use std::time::{Duration, Instant};

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

    // Then the old key is withdrawn: once the held set is due a refresh, the next validation
    // starts one in the background; after it, the old key's tokens are refused.
    server.respond_with(serving(jwks(&[&new])));
    tokio::time::sleep(Duration::from_millis(400)).await;
    client
        .validate_session(&new.sign(&session_claims()))
        .await
        .unwrap();
    settle().await;
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

/// Validates `token` `times` times and gives the longest any one validation took.
async fn slowest_of(client: &Client, token: &str, times: usize) -> Duration {
    let mut slowest = Duration::ZERO;
    for _ in 0..times {
        let started = Instant::now();
        client
            .validate_session(token)
            .await
            .expect("the held keys still verify");
        slowest = slowest.max(started.elapsed());
    }
    slowest
}

/// Lets a background refresh the test started run to its end.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(100)).await;
}

#[tokio::test]
async fn held_keys_keep_serving_while_the_key_set_is_down_and_no_request_waits() {
    let key = TestKey::generate(Alg::EdDsa, "k1");
    let token = key.sign(&session_claims());
    for outage in [
        Behaviour::Reset,
        Behaviour::Answer(CannedResponse {
            status: 503,
            headers: Vec::new(),
            body: b"<html>down</html>".to_vec(),
        }),
        Behaviour::Answer(serving("not json".to_owned())),
        Behaviour::Stall(Duration::from_secs(30)),
        Behaviour::Late(Duration::from_secs(30), serving("{}".to_owned())),
    ] {
        let server = RecordingServer::start().await;
        server.respond_with(serving(jwks(&[&key])));
        // The client's own retries (10 s of them) and timeout (60 s) are the defaults: no
        // request may wait for them. A background fetch gives up after 300 ms.
        let client = Client::builder(PROJECT)
            .base_url(&server.base_url)
            .sessions(
                SessionConfig::default()
                    .keys_ttl(Duration::from_millis(100))
                    .key_fetch_timeout(Duration::from_millis(300)),
            )
            .build()
            .unwrap();
        client.validate_session(&token).await.unwrap();
        assert_eq!(fetches(&server), 1);

        server.script(vec![outage.clone()]);
        tokio::time::sleep(Duration::from_millis(150)).await;
        let slowest = slowest_of(&client, &token, 20).await;
        assert!(
            slowest < Duration::from_millis(250),
            "{outage:?}: a validation waited {slowest:?}"
        );
        // One background refresh ran (its attempts are the client's retries) and failed.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(!server.take().is_empty(), "{outage:?}: a refresh was tried");
        // Its failure backs the next one off: more validations start none.
        slowest_of(&client, &token, 20).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(server.take().len(), 0, "{outage:?}: backing off");
    }
}

#[tokio::test]
async fn keys_are_refreshed_in_the_background_before_they_expire() {
    let old = TestKey::generate(Alg::Es256, "old");
    let server = RecordingServer::start().await;
    server.respond_with(serving(jwks(&[&old])));
    let client = client(
        &server,
        SessionConfig::default().keys_ttl(Duration::from_millis(400)),
    );
    let token = old.sign(&session_claims());
    client.validate_session(&token).await.unwrap();
    assert_eq!(fetches(&server), 1);
    // Before three quarters of the TTL: nothing.
    tokio::time::sleep(Duration::from_millis(150)).await;
    client.validate_session(&token).await.unwrap();
    settle().await;
    assert_eq!(fetches(&server), 0);
    // After: one refetch, in the background, whatever the number of validations.
    tokio::time::sleep(Duration::from_millis(200)).await;
    slowest_of(&client, &token, 10).await;
    settle().await;
    assert_eq!(fetches(&server), 1);
}

#[tokio::test]
async fn a_cold_cache_gives_up_within_the_key_fetch_budget() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let token = key.sign(&session_claims());
    let budget = Duration::from_millis(500);
    for outage in [
        Behaviour::Stall(Duration::from_secs(30)),
        Behaviour::Late(Duration::from_secs(30), serving(jwks(&[&key]))),
        // With the default retry policy, 503s would be retried for about 10 s.
        Behaviour::Answer(CannedResponse {
            status: 503,
            headers: Vec::new(),
            body: Vec::new(),
        }),
    ] {
        let server = RecordingServer::start().await;
        server.script(vec![outage.clone()]);
        let client = Client::builder(PROJECT)
            .base_url(&server.base_url)
            .sessions(SessionConfig::default().key_fetch_timeout(budget))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client.validate_session(&token).await.unwrap_err();
        let waited = started.elapsed();
        assert!(
            matches!(error, SessionError::KeysUnavailable(_)),
            "{outage:?}: {error}"
        );
        assert!(
            waited >= budget && waited < budget * 3,
            "{outage:?}: refused after {waited:?}"
        );
        assert!(
            error.to_string().contains(&format!("/v2/keys/{PROJECT}")),
            "{outage:?}: the error names the URL: {error}"
        );
    }
}

#[tokio::test]
async fn a_slow_key_server_is_waited_for_within_the_budget() {
    let key = TestKey::generate(Alg::Rs256, "k1");
    let server = RecordingServer::start().await;
    server.script(vec![Behaviour::Late(
        Duration::from_millis(300),
        serving(jwks(&[&key])),
    )]);
    let client = client(
        &server,
        SessionConfig::default().key_fetch_timeout(Duration::from_secs(2)),
    );
    let started = Instant::now();
    client
        .validate_session(&key.sign(&session_claims()))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_wrong_project_id_is_a_configuration_error_that_names_it() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    server.respond_with(CannedResponse {
        status: 404,
        headers: vec![("content-type".into(), "application/json".into())],
        body: br#"{"errorCode": "E011003", "errorDescription": "Project not found"}"#.to_vec(),
    });
    let client = client(&server, SessionConfig::default());
    let error = client
        .validate_session(&key.sign(&session_claims()))
        .await
        .unwrap_err();
    assert!(matches!(error, SessionError::Misconfigured(_)), "{error}");
    let text = error.to_string();
    assert!(text.contains(&format!("project id `{PROJECT}`")), "{text}");
    assert!(
        text.contains(&format!("{}/v2/keys/{PROJECT}", server.base_url)),
        "{text}"
    );
    assert!(error.is_server_fault());
}

#[tokio::test]
async fn a_cold_cache_without_keys_says_why() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let token = key.sign(&session_claims());
    for (behaviour, expected) in [
        (
            Behaviour::Reset,
            "the project's public keys are unavailable: GET http://",
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
