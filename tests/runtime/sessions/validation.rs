//! Local validation against keys the test made: what a valid token gives, and how each attack
//! and each broken claim is refused. The keys are configured statically, so nothing is fetched.

use std::time::Duration;

use descope_client::session::Drn;
use descope_client::{Client, SessionConfig, SessionError};
use serde_json::json;

use super::forge::{
    Alg, PROJECT, TestKey, hmac_signed, jwks, now, refresh_claims, session_claims, unsigned, with,
};

fn client_with(keys: &[&TestKey], config: SessionConfig) -> Client {
    Client::builder(PROJECT)
        .base_url("http://127.0.0.1:9")
        .sessions(config.static_keys(jwks(keys)))
        .build()
        .expect("the test keys are a valid key set")
}

fn client_for(key: &TestKey) -> Client {
    client_with(&[key], SessionConfig::default())
}

#[tokio::test]
async fn valid_tokens_of_each_algorithm_give_the_session() {
    for alg in [Alg::Rs256, Alg::Es256, Alg::EdDsa] {
        let key = TestKey::generate(alg, "k1");
        let claims = with(
            session_claims(),
            json!({"tenants": {"T1": {"roles": ["admin"], "permissions": []}}, "dct": "T1",
                   "custom": {"plan": "pro"}}),
        );
        let session = client_for(&key)
            .validate_session(&key.sign(&claims))
            .await
            .unwrap_or_else(|error| panic!("{alg:?}: {error}"));
        assert_eq!(session.user_id(), "U2user");
        assert_eq!(session.roles(), ["viewer"]);
        assert_eq!(session.authentication_methods(), ["email"]);
        assert_eq!(session.selected_tenant(), Some("T1"));
        assert!(session.has_tenant_roles("T1", &["admin"]));
        assert_eq!(session.claim("custom").unwrap()["plan"], "pro");
    }
}

async fn refused(client: &Client, token: &str) -> SessionError {
    client
        .validate_session(token)
        .await
        .expect_err("the token must be refused")
}

#[tokio::test]
async fn expiry_and_not_before_allow_the_leeway_and_no_more() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key);
    let token = |changes| key.sign(&with(session_claims(), changes));
    // The default leeway is 5 s; a second of margin either side keeps the test off the tick.
    assert!(
        client
            .validate_session(&token(json!({"exp": now() - 3})))
            .await
            .is_ok()
    );
    assert!(matches!(
        refused(&client, &token(json!({"exp": now() - 7}))).await,
        SessionError::Expired { .. }
    ));
    assert!(
        client
            .validate_session(&token(json!({"nbf": now() + 3})))
            .await
            .is_ok()
    );
    assert!(matches!(
        refused(&client, &token(json!({"nbf": now() + 7}))).await,
        SessionError::NotYetValid { .. }
    ));
    let strict = client_with(&[&key], SessionConfig::default().leeway(Duration::ZERO));
    assert!(matches!(
        refused(&strict, &token(json!({"exp": now() - 2}))).await,
        SessionError::Expired { .. }
    ));
    let no_exp = refused(&client, &token(json!({"exp": null}))).await;
    assert_eq!(
        no_exp.to_string(),
        "claim `exp` is missing; a session must expire"
    );
}

#[tokio::test]
async fn the_issuer_must_be_the_project() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key);
    let with_issuer = |iss: &str| key.sign(&with(session_claims(), json!({"iss": iss})));
    for accepted in [
        PROJECT.to_owned(),
        format!("https://api.descope.com/{PROJECT}"),
        format!("https://api.descope.com/v1/apps/{PROJECT}/"),
    ] {
        assert!(
            client
                .validate_session(&with_issuer(&accepted))
                .await
                .is_ok(),
            "{accepted}"
        );
    }
    for refused_issuer in [
        "P2OtherProject".to_owned(),
        format!("https://{PROJECT}/other"),
        format!("https://evil.example/{PROJECT}?x=1"),
        format!("{PROJECT}x"),
        format!("ftp://api.descope.com/{PROJECT}"),
    ] {
        let error = refused(&client, &with_issuer(&refused_issuer)).await;
        assert!(
            matches!(error, SessionError::WrongIssuer(_)),
            "{refused_issuer}: {error}"
        );
    }
}

#[tokio::test]
async fn a_refresh_jwt_is_not_a_session() {
    let key = TestKey::generate(Alg::Rs256, "k1");
    let client = client_for(&key);
    let refresh = key.sign(&refresh_claims());
    assert!(matches!(
        refused(&client, &refresh).await,
        SessionError::WrongTokenKind { expected: "DS", found: Drn::Value(drn) } if drn == "DSR"
    ));
    let no_drn = key.sign(&with(session_claims(), json!({"drn": null})));
    assert!(matches!(
        refused(&client, &no_drn).await,
        SessionError::WrongTokenKind {
            found: Drn::Absent,
            ..
        }
    ));
    let relaxed = client_with(
        &[&key],
        SessionConfig::default().require_session_token(false),
    );
    assert!(relaxed.validate_session(&no_drn).await.is_ok());
}

#[tokio::test]
async fn altered_tokens_do_not_verify() {
    let key = TestKey::generate(Alg::Rs256, "k1");
    let client = client_for(&key);
    let token = key.sign(&session_claims());
    let parts: Vec<&str> = token.split('.').collect();
    // The payload re-encoded with more roles, the signature kept.
    let escalated = with(session_claims(), json!({"roles": ["admin"]}));
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        super::forge::b64(escalated.to_string().as_bytes()),
        parts[2]
    );
    assert!(matches!(
        refused(&client, &tampered).await,
        SessionError::BadSignature
    ));
    // One signature character changed (the first, so base64 padding bits are not involved).
    let flipped = if parts[2].starts_with('A') { "B" } else { "A" };
    let forged = format!("{}.{}.{flipped}{}", parts[0], parts[1], &parts[2][1..]);
    assert!(matches!(
        refused(&client, &forged).await,
        SessionError::BadSignature
    ));
    // Signed by another key that claims the project key's id.
    let impostor = TestKey::generate(Alg::Rs256, "k1");
    assert!(matches!(
        refused(&client, &impostor.sign(&session_claims())).await,
        SessionError::BadSignature
    ));
}

#[tokio::test]
async fn algorithm_attacks_are_refused_before_any_key_is_used() {
    let key = TestKey::generate(Alg::Rs256, "k1");
    let client = client_for(&key);
    let none = refused(&client, &unsigned("k1", &session_claims())).await;
    assert!(
        matches!(&none, SessionError::UnsupportedAlgorithm(alg) if alg == "none"),
        "{none}"
    );
    // HMAC with the public key as the secret: the modulus, and the whole JWK text.
    for secret in [
        key.jwk["n"].as_str().unwrap().to_owned(),
        key.jwk.to_string(),
    ] {
        let error = refused(
            &client,
            &hmac_signed("k1", secret.as_bytes(), &session_claims()),
        )
        .await;
        assert!(matches!(&error, SessionError::UnsupportedAlgorithm(alg) if alg == "HS256"));
    }
    // The header names a different RSA algorithm than the key's.
    let lying = key.sign_with_header(&json!({"alg": "RS384", "kid": "k1"}), &session_claims());
    assert!(matches!(
        refused(&client, &lying).await,
        SessionError::AlgorithmMismatch { header, key, .. } if header == "RS384" && key == "RS256"
    ));
}

#[tokio::test]
async fn malformed_and_oversized_tokens_are_refused_without_panicking() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key);
    let good = key.sign(&session_claims());
    let (header, rest) = good.split_once('.').unwrap();
    let cases = [
        ("", "no session token"),
        ("abc", "has no `.`"),
        ("a.b", "two parts"),
        ("a.b.c.d", "more than three parts"),
        (&format!("{header}.{rest}.extra"), "more than three parts"),
        (&format!("!!.{rest}"), "header is not base64url"),
        (&format!("{header}=.{rest}"), "header is not base64url"),
        (
            &format!("{}.{rest}", super::forge::b64(b"[1,2]")),
            "not a JSON object",
        ),
        (
            &format!("{}.{rest}", super::forge::b64(br#"{"alg":"ES256"}"#)),
            "no `kid`",
        ),
        (
            &format!(
                "{}.{rest}",
                super::forge::b64(br#"{"alg":"ES256","kid":"k1","crit":["x"]}"#)
            ),
            "critical extensions",
        ),
        (
            &format!("{}.", good.rsplit_once('.').unwrap().0),
            "signature is empty",
        ),
        (
            &format!("{}.%%", good.rsplit_once('.').unwrap().0),
            "signature is not base64url",
        ),
    ];
    for (token, expected) in cases {
        let error = refused(&client, token).await.to_string();
        assert!(error.contains(expected), "{token:?}: {error}");
    }
    let huge = format!("{header}.{}.{}", "A".repeat(20_000), "A".repeat(100));
    assert!(matches!(
        refused(&client, &huge).await,
        SessionError::TooLarge { limit: 16384, .. }
    ));
}

#[tokio::test]
async fn claims_of_the_wrong_type_are_named() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key);
    for (changes, claim) in [
        (json!({"roles": "admin"}), "roles"),
        (json!({"tenants": ["T1"]}), "tenants"),
        (json!({"tenants": {"T1": {"roles": [1]}}}), "tenants"),
        (json!({"sub": null}), "sub"),
        (json!({"exp": "tomorrow"}), "exp"),
        (json!({"iss": 5}), "iss"),
    ] {
        let error = refused(&client, &key.sign(&with(session_claims(), changes.clone()))).await;
        assert!(
            matches!(&error, SessionError::Claim { claim: named, .. } if *named == claim),
            "{changes}: {error}"
        );
    }
}

#[tokio::test]
async fn an_expected_audience_must_be_listed() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_with(&[&key], SessionConfig::default().audience("api"));
    let token = |aud| key.sign(&with(session_claims(), json!({ "aud": aud })));
    assert!(client.validate_session(&token(json!("api"))).await.is_ok());
    assert!(
        client
            .validate_session(&token(json!(["web", "api"])))
            .await
            .is_ok()
    );
    for wrong in [json!("web"), json!(["web"]), json!(null)] {
        assert!(matches!(
            refused(&client, &token(wrong)).await,
            SessionError::WrongAudience(_)
        ));
    }
    // Without an expected audience, `aud` is not looked at.
    assert!(
        client_for(&key)
            .validate_session(&token(json!("web")))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn tenant_authorization_follows_the_tenants_claim_then_dct() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key);
    let claims = with(
        session_claims(),
        json!({"roles": ["viewer"], "permissions": ["read"], "dsub": "U2acting",
               "tenants": {"T1": {"roles": ["admin", "billing"], "permissions": ["write"]}}}),
    );
    let session = client.validate_session(&key.sign(&claims)).await.unwrap();
    assert_eq!(session.user_id(), "U2acting", "dsub wins over sub");
    assert!(session.has_roles(&["viewer"]) && !session.has_roles(&["viewer", "admin"]));
    assert_eq!(session.matched_roles(&["viewer", "admin"]), ["viewer"]);
    assert!(session.has_tenant_roles("T1", &["admin", "billing"]));
    assert!(!session.has_tenant_roles("T2", &[]), "not a member of T2");
    assert_eq!(
        session.matched_tenant_permissions("T1", &["write", "delete"]),
        ["write"]
    );
    assert!(session.matched_tenant_roles("T2", &["admin"]).is_empty());

    // No `tenants` claim: the selected tenant's roles are the top-level ones (Go's reading).
    let selected = with(session_claims(), json!({"dct": "T9", "roles": ["owner"]}));
    let session = client.validate_session(&key.sign(&selected)).await.unwrap();
    assert!(session.has_tenant_roles("T9", &["owner"]));
    assert!(!session.is_in_tenant("T8"));
    // With a `tenants` claim, `dct` alone grants nothing.
    let listed = with(selected, json!({"tenants": {"T1": {"roles": []}}}));
    let session = client.validate_session(&key.sign(&listed)).await.unwrap();
    assert!(!session.is_in_tenant("T9"));
}

#[tokio::test]
async fn no_token_appears_in_errors_or_sessions() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_for(&key);
    let token = key.sign(&session_claims());
    let session = client.validate_session(&token).await.unwrap();
    let signature = token.rsplit('.').next().unwrap();
    let shown = format!("{session:?} {:?}", session.token());
    assert!(!shown.contains(signature), "{shown}");
    let expired = key.sign(&with(session_claims(), json!({"exp": now() - 60})));
    let error = refused(&client, &expired).await;
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains(expired.rsplit('.').next().unwrap()),
        "{shown}"
    );
}

#[tokio::test]
async fn unusable_static_keys_fail_the_build() {
    let error = Client::builder(PROJECT)
        .sessions(SessionConfig::default().static_keys(
            r#"{"keys": [{"kty": "oct", "kid": "s", "alg": "HS256", "k": "c2VjcmV0"}]}"#,
        ))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("HS256"), "{error}");
}

#[tokio::test]
async fn a_remembered_token_is_refused_once_it_expires() {
    let key = TestKey::generate(Alg::Es256, "k1");
    let client = client_with(&[&key], SessionConfig::default().leeway(Duration::ZERO));
    let token = key.sign(&with(session_claims(), json!({"exp": now() + 1})));
    client.validate_session(&token).await.unwrap();
    client
        .validate_session(&token)
        .await
        .expect("remembered, still valid");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(matches!(
        refused(&client, &token).await,
        SessionError::Expired { .. }
    ));
}
