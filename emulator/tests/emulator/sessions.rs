//! The session operations through the generated client: refresh (with and without rotation),
//! try-refresh, logout and logout-all with revocation, expiry, and remote validation.

use std::time::Duration;

use descope_client::{Error, ErrorCode, types};
use descope_emulator::{Channel, EmulatorConfig};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn refresh_issues_a_new_session_jwt_for_the_same_user() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let tokens = sign_in(&emulator, &client, &login_id).await;
    let user_id = assert_signed_in(&emulator, &tokens).await;

    let renewed = refresh(&client, &refresh_of(&tokens)).await.unwrap();
    let session = session_of(&renewed);
    assert_ne!(session, session_of(&tokens));
    assert_eq!(renewed.refresh_jwt, None, "no rotation by default");
    assert_eq!(renewed.first_seen, Some(false));
    assert_eq!(
        renewed.user.and_then(|user| user.user_id).as_deref(),
        Some(user_id.as_str())
    );
    let claims = claims_of(&session);
    assert_eq!(
        (&claims["sub"], &claims["drn"]),
        (&json!(user_id), &json!("DS"))
    );
    assert_eq!(
        claims["amr"],
        json!(["email"]),
        "the sign-in's amr carries over"
    );
    assert!(claims["exp"].as_i64().unwrap() > unix_now(&emulator));
    // The old refresh JWT still works: without rotation it is not replaced.
    refresh(&client, &refresh_of(&tokens)).await.unwrap();
}

#[tokio::test]
async fn with_rotation_a_refresh_replaces_the_refresh_jwt_and_revokes_the_old_one() {
    let config = EmulatorConfig {
        rotate_refresh_tokens: true,
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let old = refresh_of(&tokens);

    let renewed = refresh(&client, &old).await.unwrap();
    let new = refresh_of(&renewed);
    assert_ne!(new, old);
    assert_eq!(claims_of(&new)["drn"], "DSR");
    assert_eq!(
        error_code(refresh(&client, &old).await),
        ErrorCode::TokenExpiredByLogout
    );
    let again = refresh(&client, &new).await.unwrap();
    assert_ne!(refresh_of(&again), new);
}

#[tokio::test]
async fn logout_revokes_only_the_refresh_jwt_it_is_called_with() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let first = refresh_of(&sign_in(&emulator, &client, &login_id).await);
    let second = refresh_of(&sign_in(&emulator, &client, &login_id).await);

    let out = client
        .logout(first.as_str())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (out.session_jwt.as_deref(), out.refresh_jwt.as_deref()),
        (Some(""), Some("")),
        "the spec's SignedOut shape"
    );
    assert_eq!(out.cookie_max_age, Some(0));
    match refresh(&client, &first).await {
        Err(Error::Service(error)) => {
            assert_eq!(error.status, 401);
            assert_eq!(error.code, Some(ErrorCode::TokenExpiredByLogout));
        }
        other => panic!("expected 401 E064001, got {other:?}"),
    }
    assert_eq!(
        error_code(me(&client, &first).await),
        ErrorCode::TokenExpiredByLogout
    );
    refresh(&client, &second).await.unwrap();
}

#[tokio::test]
async fn logout_all_revokes_every_session_of_the_user_and_no_one_else_s() {
    let Setup { emulator, client } = setup().await;
    let jane = login_for(Channel::Email);
    let john = login_for(Channel::Email);
    let janes = [
        refresh_of(&sign_in(&emulator, &client, &jane).await),
        refresh_of(&sign_in(&emulator, &client, &jane).await),
    ];
    let johns = refresh_of(&sign_in(&emulator, &client, &john).await);

    let out = client
        .logout_all(janes[1].as_str())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(out.refresh_jwt.as_deref(), Some(""));
    for token in &janes {
        assert_eq!(
            error_code(refresh(&client, token).await),
            ErrorCode::TokenExpiredByLogout
        );
    }
    refresh(&client, &johns).await.unwrap();
    // Signing in again starts a new session.
    refresh(
        &client,
        &refresh_of(&sign_in(&emulator, &client, &jane).await),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn an_expired_refresh_jwt_is_refused_but_not_as_revoked() {
    let Setup { emulator, client } = setup().await;
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let token = refresh_of(&tokens);
    emulator.advance_clock(emulator.config().refresh_ttl - Duration::from_secs(5));
    refresh(&client, &token).await.unwrap();
    emulator.advance_clock(Duration::from_secs(6));
    match refresh(&client, &token).await {
        Err(Error::Service(error)) => {
            assert_eq!(error.status, 401);
            assert_eq!(error.code, Some(ErrorCode::InvalidRequest));
            assert!(error.message.contains("expired"), "{}", error.message);
        }
        other => panic!("expected 401, got {other:?}"),
    }
}

#[tokio::test]
async fn validate_accepts_a_fresh_session_jwt_and_nothing_else() {
    let Setup { emulator, client } = setup().await;
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let session = session_of(&tokens);
    let validate = |token: String| {
        let client = client.clone();
        async move {
            client
                .validate_session_remotely(token)
                .send()
                .await
                .map(|r| r.into_inner())
        }
    };
    let valid = validate(session.clone()).await.unwrap();
    assert_eq!(Value::Object(valid.parsed_jwt), claims_of(&session));

    let refused = |result: Result<types::ValidateSessionResponse, Error>| matches!(result, Err(Error::Service(ref e)) if e.status == 401);
    assert!(
        refused(validate(refresh_of(&tokens)).await),
        "a refresh JWT"
    );
    // Another emulator's key: a valid-looking JWT this project never signed.
    let other = setup().await;
    let foreign = sign_in(&other.emulator, &other.client, &login_for(Channel::Email)).await;
    assert!(
        refused(validate(session_of(&foreign)).await),
        "a forged JWT"
    );
    let (head, rest) = session.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let tampered = format!("{head}.e30.{signature}");
    assert!(refused(validate(tampered).await), "a tampered JWT");
    emulator.advance_clock(emulator.config().session_ttl + Duration::from_secs(1));
    assert!(refused(validate(session).await), "an expired JWT");
}

#[tokio::test]
async fn try_refresh_renews_with_a_valid_refresh_jwt_and_answers_empty_without() {
    let Setup { emulator, client } = setup().await;
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let token = refresh_of(&tokens);

    let renewed = client
        .with_refresh_jwt(token.as_str())
        .try_refresh()
        .send()
        .await
        .unwrap()
        .into_inner();
    let session = renewed.session_jwt.expect("a new session JWT");
    assert_eq!(claims_of(&session)["drn"], "DS");
    assert_eq!(
        renewed.session_expiration,
        claims_of(&session)["exp"].as_i64()
    );

    let empty = |answer: &types::OptionalJwtResponse| {
        answer.session_jwt.is_none() && answer.refresh_jwt.is_none()
    };
    let without = client.try_refresh().send().await.unwrap().into_inner();
    assert!(empty(&without), "{without:?}");
    let garbage = client
        .with_refresh_jwt("not-a-jwt")
        .try_refresh()
        .send()
        .await;
    assert!(empty(&garbage.unwrap().into_inner()));
    client.logout(token.as_str()).send().await.unwrap();
    let revoked = client
        .with_refresh_jwt(token.as_str())
        .try_refresh()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(empty(&revoked), "{revoked:?}");
}

#[tokio::test]
async fn sign_in_options_revoke_other_sessions_and_name_only_member_tenants() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let earlier = refresh_of(&sign_in(&emulator, &client, &login_id).await);
    let sign_in_with = |options: types::builder::LoginOptions| {
        client
            .sign_in_otp_email(login_id.as_str())
            .login_options(options)
            .send()
    };
    let refused = sign_in_with(types::LoginOptions::builder().tenant_id("T9")).await;
    match refused {
        Err(Error::Service(error)) => assert_eq!(
            (error.status.as_u16(), error.code),
            (403, Some(ErrorCode::InvalidRequest))
        ),
        other => panic!("expected 403, got {other:?}"),
    }

    sign_in_with(types::LoginOptions::builder().revoke_other_sessions(true))
        .await
        .unwrap();
    let code = code_for(&emulator, &login_id);
    let latest = verify_otp(&client, Channel::Email, &login_id, &code)
        .await
        .unwrap();
    assert_eq!(
        error_code(refresh(&client, &earlier).await),
        ErrorCode::TokenExpiredByLogout
    );
    refresh(&client, &refresh_of(&latest)).await.unwrap();
}
