//! Magic links on every channel: the link's shape, single use, earlier links staying valid,
//! expiry, and the sign-up/sign-in rules.

use std::time::Duration;

use descope_client::ErrorCode;
use descope_emulator::Channel;

use crate::support::*;

#[tokio::test]
async fn sign_up_then_verify_signs_in_on_every_channel() {
    let Setup { emulator, client } = setup().await;
    for channel in LINK_CHANNELS {
        let login_id = login_for(channel);
        let masked = send_link(
            &client,
            Start::SignUp,
            channel,
            &login_id,
            Some("https://app.example.com/verify"),
        )
        .await
        .unwrap();
        assert!(masked.contains('*'), "{masked}");
        let message = emulator.last_message_for(&login_id).unwrap();
        assert_eq!(message.channel, channel);
        let token = message.token().unwrap();
        assert_eq!(
            message.link().unwrap(),
            format!("https://app.example.com/verify?t={token}")
        );
        let tokens = verify_link(&client, token).await.unwrap();
        assert_signed_in(&emulator, &tokens).await;
        assert_eq!(tokens.first_seen, Some(true));
        assert_eq!(tokens.user.as_ref().unwrap().login_ids, vec![login_id]);
    }
}

#[tokio::test]
async fn without_a_uri_the_default_applies_and_a_query_is_kept() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    send_link(&client, Start::SignUp, Channel::Email, &login_id, None)
        .await
        .unwrap();
    let link = link_for(&emulator, &login_id);
    assert!(
        link.starts_with("http://localhost:3000/verify?t="),
        "{link}"
    );
    send_link(
        &client,
        Start::SignIn,
        Channel::Email,
        &login_id,
        Some("https://a.example/v?x=1"),
    )
    .await
    .unwrap();
    let link = link_for(&emulator, &login_id);
    assert!(link.starts_with("https://a.example/v?x=1&t="), "{link}");
}

#[tokio::test]
async fn a_null_uri_as_the_python_sdk_sends_it_means_the_default() {
    let Setup {
        emulator,
        client: _,
    } = setup().await;
    let login_id = login_for(Channel::Email);
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/v1/auth/magiclink/signup-in/email",
            emulator.base_url()
        ))
        .bearer_auth(emulator.project_id())
        .json(&serde_json::json!({"loginId": login_id, "URI": null, "loginOptions": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
    let link = link_for(&emulator, &login_id);
    assert!(
        link.starts_with("http://localhost:3000/verify?t="),
        "{link}"
    );
}

#[tokio::test]
async fn an_older_link_still_works_and_a_used_one_fails() {
    let Setup { emulator, client } = setup().await;
    for channel in LINK_CHANNELS {
        let login_id = login_for(channel);
        send_link(&client, Start::SignUp, channel, &login_id, None)
            .await
            .unwrap();
        let first = token_for(&emulator, &login_id);
        send_link(&client, Start::SignIn, channel, &login_id, None)
            .await
            .unwrap();
        let second = token_for(&emulator, &login_id);
        assert_ne!(first, second);

        let by_first = verify_link(&client, &first).await.unwrap();
        let user = assert_signed_in(&emulator, &by_first).await;
        let reused = verify_link(&client, &first).await;
        assert_eq!(error_code(reused), ErrorCode::InvalidRequest, "{channel:?}");
        let by_second = verify_link(&client, &second).await.unwrap();
        assert_eq!(assert_signed_in(&emulator, &by_second).await, user);
    }
}

#[tokio::test]
async fn an_unknown_or_expired_link_fails() {
    let Setup { emulator, client } = setup().await;
    let unknown = verify_link(&client, &"0".repeat(64)).await;
    assert_eq!(error_code(unknown), ErrorCode::InvalidRequest);

    let login_id = login_for(Channel::Sms);
    send_link(&client, Start::SignUp, Channel::Sms, &login_id, None)
        .await
        .unwrap();
    let token = token_for(&emulator, &login_id);
    emulator.advance_clock(Duration::from_secs(601));
    let late = verify_link(&client, &token).await;
    assert_eq!(error_code(late), ErrorCode::InvalidRequest);
}

#[tokio::test]
async fn sign_up_and_sign_in_rules_hold_on_every_channel() {
    let Setup { emulator, client } = setup().await;
    for channel in LINK_CHANNELS {
        let unknown = send_link(&client, Start::SignIn, channel, &login_for(channel), None).await;
        assert_eq!(error_code(unknown), ErrorCode::UserNotFound, "{channel:?}");

        let login_id = login_for(channel);
        send_link(&client, Start::SignUpOrIn, channel, &login_id, None)
            .await
            .unwrap();
        let again = send_link(&client, Start::SignUp, channel, &login_id, None).await;
        assert_eq!(
            error_code(again),
            ErrorCode::UserAlreadyExists,
            "{channel:?}"
        );
        send_link(&client, Start::SignUpOrIn, channel, &login_id, None)
            .await
            .unwrap();
        let tokens = verify_link(&client, &token_for(&emulator, &login_id))
            .await
            .unwrap();
        assert_signed_in(&emulator, &tokens).await;
    }
}
