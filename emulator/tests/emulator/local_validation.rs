//! The client's local session validation against the emulator, as against Descope: tokens of
//! each signing algorithm validate with keys fetched through `get_jwks`, a refresh JWT is not a
//! session, key rotation is picked up without a restart, and `refresh_session` /
//! `validate_and_refresh_session` renew through the emulator.

use std::time::Duration;

use descope_client::{CheckedSession, Client, RetryPolicy, SessionConfig, SessionError};
use descope_emulator::{Channel, EmulatorConfig, SigningAlgorithm};

use crate::support::*;

/// A client of the emulator's project that validates sessions with `config`.
fn validating(emulator: &descope_emulator::Emulator, config: SessionConfig) -> Client {
    Client::builder(emulator.project_id())
        .base_url(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .sessions(config)
        .build()
        .unwrap()
}

#[tokio::test]
async fn session_jwts_of_each_algorithm_validate_locally() {
    for algorithm in [
        SigningAlgorithm::Rs256,
        SigningAlgorithm::Es256,
        SigningAlgorithm::EdDsa,
    ] {
        let config = EmulatorConfig {
            signing_algorithm: algorithm,
            ..EmulatorConfig::default()
        };
        let Setup { emulator, client } = setup_with(config).await;
        let login_id = login_for(Channel::Email);
        let signed_in = sign_in(&emulator, &client, &login_id).await;
        // Roles given after sign-in reach the next session JWT.
        emulator
            .set_user_roles(&login_id, &["admin"], &["write"])
            .unwrap();
        let tokens = refresh(&client, &refresh_of(&signed_in)).await.unwrap();
        let session = client
            .validate_session(&session_of(&tokens))
            .await
            .unwrap_or_else(|error| panic!("{algorithm:?}: {error}"));
        assert_eq!(
            header_of(&session_of(&tokens))["alg"],
            algorithm.jose_name()
        );
        assert_eq!(session.authentication_methods(), ["email"]);
        assert!(session.has_roles(&["admin"]) && session.has_permissions(&["write"]));
        assert_eq!(session.user_id(), claims_of(&session_of(&tokens))["sub"]);

        let refresh_jwt = refresh_of(&signed_in);
        assert!(matches!(
            client.validate_session(&refresh_jwt).await.unwrap_err(),
            SessionError::WrongTokenKind { expected: "DS", .. }
        ));
    }
}

#[tokio::test]
async fn a_rotated_signing_key_is_fetched_when_a_token_names_it() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let before = sign_in(&emulator, &client, &login_id).await;
    client.validate_session(&session_of(&before)).await.unwrap();

    let new_kid = emulator.rotate_signing_key().unwrap();
    let after = refresh(&client, &refresh_of(&before)).await.unwrap();
    assert_eq!(header_of(&session_of(&after))["kid"], new_kid.as_str());
    client
        .validate_session(&session_of(&after))
        .await
        .expect("the new key is fetched on first sight");
    client
        .validate_session(&session_of(&before))
        .await
        .expect("the retired key is still published");
}

#[tokio::test]
async fn refresh_session_renews_through_the_emulator_and_validates_the_result() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let tokens = sign_in(&emulator, &client, &login_id).await;
    let refreshed = client.refresh_session(&refresh_of(&tokens)).await.unwrap();
    assert_eq!(
        refreshed.session.user_id(),
        claims_of(&session_of(&tokens))["sub"]
    );
    assert!(refreshed.rotated_refresh_jwt.is_none());

    // After logout the refresh JWT is revoked at the emulator: the local check passes, the call
    // is refused.
    client.logout(refresh_of(&tokens)).send().await.unwrap();
    let error = client
        .refresh_session(&refresh_of(&tokens))
        .await
        .unwrap_err();
    assert!(matches!(error, SessionError::Refresh(_)), "{error}");
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_a_valid_one_is_not() {
    let config = EmulatorConfig {
        session_ttl: Duration::from_secs(1),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let strict = validating(&emulator, SessionConfig::default().leeway(Duration::ZERO));
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let (session, refresh_jwt) = (session_of(&tokens), refresh_of(&tokens));
    let checked = strict
        .validate_and_refresh_session(session.as_str(), refresh_jwt.as_str())
        .await
        .unwrap();
    assert!(matches!(checked, CheckedSession::Valid(_)));

    tokio::time::sleep(Duration::from_millis(2100)).await;
    let checked = strict
        .validate_and_refresh_session(session.as_str(), refresh_jwt.as_str())
        .await
        .unwrap();
    let refreshed = checked
        .refreshed()
        .expect("the expired session was renewed");
    assert_ne!(
        refreshed.session.token(),
        &descope_client::SessionJwt::new(session)
    );
}
