//! Access keys validated as sessions: the exchange is called once per key and JWT lifetime, the
//! session says it is a machine client's, a refused exchange is the key's fault and an
//! unanswered one the server's, and the axum layer accepts access keys when told to.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use descope_client::session::middleware::{Accept, SessionLayer};
use descope_client::{
    AccessKey, Client, RetryPolicy, Session, SessionConfig, SessionError, SessionKind,
};
use descope_shape_tests::{CannedResponse, RecordingServer};
use http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::forge::{Alg, PROJECT, TestKey, jwks, now, session_claims, with};

const KEY: &str = "K2MachineClientCleartext";

fn client_of(server: &RecordingServer, key: &TestKey, config: SessionConfig) -> Client {
    Client::builder(PROJECT)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .sessions(config.static_keys(jwks(&[key])))
        .build()
        .unwrap()
}

/// The claims Descope gives an access key's session: `sub` is the key's id.
fn key_claims(lifetime: i64) -> Value {
    with(
        session_claims(),
        json!({"sub": "K2keyid", "exp": now() + lifetime, "amr": null, "roles": ["reporter"],
               "permissions": ["reports:read"]}),
    )
}

fn exchanged(jwt: &str) -> CannedResponse {
    answer(
        200,
        json!({"keyId": "K2keyid", "sessionJwt": jwt, "expiration": now() + 600}),
    )
}

fn answer(status: u16, body: Value) -> CannedResponse {
    CannedResponse {
        status,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: body.to_string().into_bytes(),
    }
}

#[tokio::test]
async fn a_key_is_exchanged_once_and_its_session_is_a_machine_clients() {
    let signing = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let client = client_of(&server, &signing, SessionConfig::default());
    server.respond_with(exchanged(&signing.sign(&key_claims(600))));

    let session = client.validate_access_key(KEY).await.unwrap();
    assert_eq!(session.kind(), SessionKind::AccessKey);
    assert_eq!(session.user_id(), "K2keyid");
    assert!(session.has_permissions(&["reports:read"]));
    for _ in 0..5 {
        let again = client
            .validate_access_key(AccessKey::new(KEY))
            .await
            .unwrap();
        assert_eq!(again.kind(), SessionKind::AccessKey);
    }
    let sent = server.take();
    assert_eq!(sent.len(), 1, "one exchange for six validations");
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].path, "/v1/auth/accesskey/exchange");
    let bearer = format!("Bearer {PROJECT}:{KEY}");
    assert_eq!(sent[0].header("authorization"), Some(bearer.as_str()));

    // Another key is another exchange; the first stays remembered.
    client.validate_access_key("K2AnotherKey").await.unwrap();
    client.validate_access_key(KEY).await.unwrap();
    assert_eq!(server.take().len(), 1);
}

#[tokio::test]
async fn an_expired_exchange_is_made_again_and_none_is_remembered_at_capacity_zero() {
    let signing = TestKey::generate(Alg::Rs256, "k1");
    let server = RecordingServer::start().await;
    let ahead = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&ahead);
    let config = SessionConfig::default()
        .clock(move || SystemTime::now() + Duration::from_secs(seen.load(Ordering::Relaxed)));
    let client = client_of(&server, &signing, config);
    server.respond_with(exchanged(&signing.sign(&key_claims(600))));
    client.validate_access_key(KEY).await.unwrap();
    client.validate_access_key(KEY).await.unwrap();
    assert_eq!(server.take().len(), 1);
    // Twenty minutes later the ten-minute JWT has expired: the key goes to Descope again, whose
    // new JWT (valid on this clock) is accepted.
    ahead.store(1200, Ordering::Relaxed);
    let later = with(
        key_claims(600),
        json!({"iat": now() + 1200, "exp": now() + 1800}),
    );
    server.respond_with(exchanged(&signing.sign(&later)));
    client.validate_access_key(KEY).await.unwrap();
    assert_eq!(server.take().len(), 1);

    let every_time = client_of(
        &server,
        &signing,
        SessionConfig::default().verified_tokens(0),
    );
    server.respond_with(exchanged(&signing.sign(&key_claims(600))));
    for _ in 0..3 {
        every_time.validate_access_key(KEY).await.unwrap();
    }
    assert_eq!(server.take().len(), 3, "capacity 0 exchanges on every call");
}

#[tokio::test]
async fn a_refused_exchange_is_the_keys_fault_and_an_unanswered_one_the_servers() {
    let signing = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let client = client_of(&server, &signing, SessionConfig::default());

    server.respond_with(answer(
        401,
        json!({"errorCode": "E011003", "errorDescription": "Unauthorized", "errorMessage": "bad key"}),
    ));
    let refused = client.validate_access_key(KEY).await.unwrap_err();
    assert!(matches!(refused, SessionError::Exchange(_)), "{refused:?}");
    assert!(!refused.is_server_fault());
    assert!(!refused.to_string().contains(KEY), "{refused}");
    assert!(!format!("{refused:?}").contains(KEY), "{refused:?}");

    server.respond_with(answer(503, json!({"errorCode": "E000000"})));
    let unanswered = client.validate_access_key(KEY).await.unwrap_err();
    assert!(unanswered.is_server_fault(), "{unanswered}");

    // A refusal is not remembered: the next call asks again, and succeeds.
    server.respond_with(exchanged(&signing.sign(&key_claims(600))));
    client.validate_access_key(KEY).await.unwrap();

    // An answer without a session JWT, a JWT of another signer, and an empty key.
    server.respond_with(answer(200, json!({"keyId": "K2keyid"})));
    assert!(matches!(
        client.validate_access_key("K2Other").await,
        Err(SessionError::IncompleteExchange)
    ));
    let stranger = TestKey::generate(Alg::Es256, "k1");
    server.respond_with(exchanged(&stranger.sign(&key_claims(600))));
    assert!(matches!(
        client.validate_access_key("K2Third").await,
        Err(SessionError::BadSignature)
    ));
    assert!(matches!(
        client.validate_access_key("").await,
        Err(SessionError::Missing)
    ));
}

async fn who(session: Session) -> String {
    format!("{:?} {}", session.kind(), session.user_id())
}

async fn call(app: &Router, authorization: Option<String>) -> (StatusCode, String) {
    let mut request = Request::get("/who");
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_layer_accepts_access_keys_users_or_both_as_told() {
    let signing = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let client = client_of(&server, &signing, SessionConfig::default());
    server.respond_with(exchanged(&signing.sign(&key_claims(600))));
    let user_jwt = signing.sign(&session_claims());
    let app = |accept| {
        Router::new()
            .route("/who", get(who))
            .layer(SessionLayer::new(client.clone()).accept(accept))
    };
    let (machines, users, both) = (
        app(Accept::AccessKeys),
        app(Accept::Users),
        app(Accept::UsersAndAccessKeys),
    );
    let key = Some(format!("Bearer {KEY}"));
    let jwt = Some(format!("Bearer {user_jwt}"));

    assert_eq!(
        call(&machines, key.clone()).await,
        (StatusCode::OK, "AccessKey K2keyid".to_owned())
    );
    assert_eq!(
        call(&both, key.clone()).await,
        (StatusCode::OK, "AccessKey K2keyid".to_owned())
    );
    assert_eq!(
        call(&both, jwt.clone()).await,
        (StatusCode::OK, "User U2user".to_owned())
    );
    // A user's JWT is no access key, and an access key no JWT.
    assert_eq!(call(&users, key).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&machines, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        server.take().len(),
        1,
        "the key was exchanged once for both layers"
    );
    server.respond_with(answer(401, json!({"errorCode": "E011003"})));
    assert_eq!(call(&machines, jwt).await.0, StatusCode::UNAUTHORIZED);
    // Descope unreachable for an exchange: 503, not 401.
    server.respond_with(answer(503, json!({})));
    assert_eq!(
        call(&machines, Some("Bearer K2New".to_owned())).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[test]
fn an_access_key_never_shows_in_debug() {
    let key = AccessKey::new(KEY);
    assert!(!format!("{key:?}").contains(KEY));
    assert!(key.check().is_ok());
    assert!(AccessKey::new("a:b").check().is_err());
    assert!(AccessKey::new("").check().is_err());
}

#[tokio::test]
async fn an_exchange_with_options_sends_them_and_its_jwt_validates_as_a_session() {
    let signing = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    let client = client_of(&server, &signing, SessionConfig::default());
    let in_tenant = with(key_claims(600), json!({"dct": "T2acme", "plan": 3}));
    server.respond_with(exchanged(&signing.sign(&in_tenant)));

    let options = descope_client::types::AccessKeyLoginOptions::builder()
        .selected_tenant("T2acme")
        .custom_claims(serde_json::Map::from_iter([("plan".to_owned(), json!(3))]));
    let answer = client
        .exchange_access_key(KEY)
        .login_options(options)
        .await
        .unwrap()
        .into_inner();
    let session = client
        .validate_session(answer.session_jwt.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(session.selected_tenant(), Some("T2acme"));
    assert_eq!(session.claim("plan"), Some(&json!(3)));
    let sent: Value = serde_json::from_slice(&server.take()[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"loginOptions": {"selectedTenant": "T2acme", "customClaims": {"plan": 3}}})
    );
}

#[tokio::test]
async fn a_refetched_key_set_rechecks_a_remembered_exchange_locally_instead_of_exchanging_again() {
    let signing = TestKey::generate(Alg::Es256, "k1");
    let server = RecordingServer::start().await;
    // One answer serves both paths: the keys and the exchange each read their own members.
    let mut both: Value = serde_json::from_str(&jwks(&[&signing])).unwrap();
    both["keyId"] = json!("K2keyid");
    both["sessionJwt"] = json!(signing.sign(&key_claims(600)));
    server.respond_with(answer(200, both));
    let client = Client::builder(PROJECT)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .sessions(SessionConfig::default().keys_ttl(Duration::from_millis(200)))
        .build()
        .unwrap();
    client.validate_access_key(KEY).await.unwrap();
    // Past the keys' TTL: this validation starts a background refetch, which replaces the set.
    tokio::time::sleep(Duration::from_millis(250)).await;
    client.validate_access_key(KEY).await.unwrap();
    let mut sent = server.take();
    let count = |sent: &[descope_shape_tests::RecordedRequest], prefix: &str| {
        sent.iter().filter(|r| r.path.starts_with(prefix)).count()
    };
    for _ in 0..100 {
        if count(&sent, "/v2/keys/") >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        sent.extend(server.take());
    }
    assert!(
        count(&sent, "/v2/keys/") >= 2,
        "the key set was fetched again"
    );
    // Give the refetched set a moment to be installed after its answer was read.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let session = client.validate_access_key(KEY).await.unwrap();
    assert_eq!(session.kind(), SessionKind::AccessKey);
    sent.extend(server.take());
    assert_eq!(
        count(&sent, "/v1/auth/accesskey/exchange"),
        1,
        "the key was not exchanged again"
    );
}
