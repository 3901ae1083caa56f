//! The stricter rules: a future `iat`, repeated member names, a payload that is not base64url,
//! the wording of an algorithm mismatch, and a clock the test controls.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use descope_client::{Client, SessionConfig, SessionError};
use serde_json::json;

use super::forge::{Alg, PROJECT, TestKey, b64, jwks, now, session_claims, with};

fn client_for(key: &TestKey, config: SessionConfig) -> Client {
    Client::builder(PROJECT)
        .base_url("http://127.0.0.1:9")
        .sessions(config.static_keys(jwks(&[key])))
        .build()
        .unwrap()
}

async fn refused(client: &Client, token: &str) -> SessionError {
    client
        .validate_session(token)
        .await
        .expect_err("the token must be refused")
}

#[tokio::test]
async fn a_token_issued_in_the_future_is_refused_beyond_the_leeway() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key, SessionConfig::default());
    let issued = |at: i64| key.sign(&with(session_claims(), json!({"iat": at})));
    client.validate_session(&issued(now() + 4)).await.unwrap();
    let at = now() + 60;
    assert!(matches!(
        refused(&client, &issued(at)).await,
        SessionError::IssuedInTheFuture { issued_at } if issued_at == at
    ));
}

/// A token signed over `header` and `payload` written as they are (JSON text that a
/// `serde_json::Value` could not hold, such as a repeated name).
fn signed_text(key: &TestKey, header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    key.sign_input(&input)
}

#[tokio::test]
async fn a_repeated_member_name_is_refused_in_header_and_payload() {
    let key = TestKey::generate(Alg::Rs256, "k1");
    let client = client_for(&key, SessionConfig::default());
    let header = r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#;
    let claims = |exp: &str| {
        format!(
            r#"{{"iss":"{PROJECT}","sub":"U2user","iat":{},{exp},"drn":"DS"}}"#,
            now()
        )
    };
    let valid = format!(r#""exp":{}"#, now() + 600);
    client
        .validate_session(&signed_text(&key, header, &claims(&valid)))
        .await
        .expect("the control token is valid");

    // An expired `exp`, then a valid one: "last wins" would accept it.
    let twice = format!(r#""exp":{},"exp":{}"#, now() - 600, now() + 600);
    let error = refused(&client, &signed_text(&key, header, &claims(&twice))).await;
    assert!(
        matches!(&error, SessionError::Malformed(why) if why.contains("payload") && why.contains("`exp`")),
        "{error}"
    );
    let twice_in_header = r#"{"alg":"RS256","kid":"other","kid":"k1","typ":"JWT"}"#;
    let error = refused(
        &client,
        &signed_text(&key, twice_in_header, &claims(&valid)),
    )
    .await;
    assert!(
        matches!(&error, SessionError::Malformed(why) if why.contains("header") && why.contains("`kid`")),
        "{error}"
    );
}

#[tokio::test]
async fn a_payload_that_is_not_base64url_is_malformed_not_a_bad_signature() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key, SessionConfig::default());
    let good = key.sign(&session_claims());
    let mut parts: Vec<&str> = good.split('.').collect();
    let mangled = format!("{}+/", parts[1]);
    parts[1] = &mangled;
    let error = refused(&client, &parts.join(".")).await;
    assert!(
        matches!(&error, SessionError::Malformed(why) if why.contains("payload is not base64url")),
        "{error}"
    );
}

#[tokio::test]
async fn an_algorithm_mismatch_reads_well() {
    let key = TestKey::generate(Alg::Es256, "k-ec");
    let client = client_for(&key, SessionConfig::default());
    let lying = key.sign_with_header(&json!({"alg": "RS256", "kid": "k-ec"}), &session_claims());
    assert_eq!(
        refused(&client, &lying).await.to_string(),
        "the token says it is signed with RS256, but key `k-ec` is an ES256 key"
    );
}

#[tokio::test]
async fn the_configured_clock_decides_what_has_expired() {
    let key = TestKey::generate(Alg::EdDsa, "k1");
    let ahead = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&ahead);
    let config = SessionConfig::default()
        .verified_tokens(16)
        .clock(move || SystemTime::now() + Duration::from_secs(seen.load(Ordering::Relaxed)));
    let client = client_for(&key, config);
    let token = key.sign(&session_claims());
    client.validate_session(&token).await.unwrap();
    // An hour later by the test's clock, the ten-minute token has expired, remembered or not.
    ahead.store(3600, Ordering::Relaxed);
    assert!(matches!(
        refused(&client, &token).await,
        SessionError::Expired { .. }
    ));
    // A token issued by a clock that moved ahead is valid on the same clock, not on the system's.
    let later = key.sign(&with(
        session_claims(),
        json!({"iat": now() + 3600, "exp": now() + 4200}),
    ));
    client.validate_session(&later).await.unwrap();
    let system = client_for(&key, SessionConfig::default());
    assert!(matches!(
        refused(&system, &later).await,
        SessionError::IssuedInTheFuture { .. }
    ));
}
