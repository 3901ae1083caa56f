//! One-time codes on every channel: sign-up, sign-in, sign-up-or-in, verify, the latest-code
//! rule, the attempt limit and expiry.

use std::time::Duration;

use descope_client::ErrorCode;
use descope_emulator::{Channel, EmulatorConfig};

use crate::support::*;

#[tokio::test]
async fn sign_up_then_verify_signs_in_on_every_channel() {
    let Setup { emulator, client } = setup().await;
    for channel in OTP_CHANNELS {
        let login_id = login_for(channel);
        let masked = send_otp(&client, Start::SignUp, channel, &login_id)
            .await
            .unwrap();
        if channel == Channel::Email {
            assert!(masked.starts_with("u***@example.com"), "{masked}");
        } else {
            assert_eq!(masked.len(), login_id.len(), "{masked}");
            assert!(
                masked.starts_with("+****") && masked.ends_with(&login_id[login_id.len() - 4..])
            );
        }
        let message = emulator.last_message_for(&login_id).unwrap();
        assert_eq!(
            (message.channel, message.destination.as_str()),
            (channel, login_id.as_str())
        );
        let code = message.code().unwrap();
        assert!(
            code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
            "{channel:?}"
        );

        let tokens = verify_otp(&client, channel, &login_id, code).await.unwrap();
        assert_signed_in(&emulator, &tokens).await;
        assert_eq!(tokens.first_seen, Some(true), "{channel:?}");
        let user = tokens.user.as_ref().unwrap();
        assert_eq!(user.login_ids, vec![login_id.clone()]);
        if channel == Channel::Email {
            assert_eq!(
                (user.email.as_deref(), user.verified_email),
                (Some(login_id.as_str()), Some(true))
            );
        } else {
            assert_eq!(
                (user.phone.as_deref(), user.verified_phone),
                (Some(login_id.as_str()), Some(true))
            );
        }

        // The user now exists: sign-in works and is no longer the first sign-in.
        send_otp(&client, Start::SignIn, channel, &login_id)
            .await
            .unwrap();
        let again = verify_otp(&client, channel, &login_id, &code_for(&emulator, &login_id))
            .await
            .unwrap();
        assert_eq!(again.first_seen, Some(false));
        assert_eq!(
            assert_signed_in(&emulator, &again).await,
            user.user_id.clone().unwrap(),
            "{channel:?}: the same user"
        );
    }
}

#[tokio::test]
async fn sign_in_of_an_unknown_user_is_user_not_found() {
    let Setup { emulator, client } = setup().await;
    for channel in OTP_CHANNELS {
        let result = send_otp(&client, Start::SignIn, channel, &login_for(channel)).await;
        assert_eq!(error_code(result), ErrorCode::UserNotFound, "{channel:?}");
    }
    assert!(emulator.outbox().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn sign_up_of_an_existing_user_is_user_already_exists() {
    let Setup {
        client,
        emulator: _running,
    } = setup().await;
    for channel in OTP_CHANNELS {
        let login_id = login_for(channel);
        send_otp(&client, Start::SignUp, channel, &login_id)
            .await
            .unwrap();
        let again = send_otp(&client, Start::SignUp, channel, &login_id).await;
        assert_eq!(
            error_code(again),
            ErrorCode::UserAlreadyExists,
            "{channel:?}"
        );
    }
}

#[tokio::test]
async fn sign_up_or_in_creates_the_user_once() {
    let Setup { emulator, client } = setup().await;
    for channel in OTP_CHANNELS {
        let login_id = login_for(channel);
        let mut users = Vec::new();
        for _ in 0..2 {
            send_otp(&client, Start::SignUpOrIn, channel, &login_id)
                .await
                .unwrap();
            let tokens = verify_otp(&client, channel, &login_id, &code_for(&emulator, &login_id))
                .await
                .unwrap();
            users.push(assert_signed_in(&emulator, &tokens).await);
        }
        assert_eq!(users[0], users[1], "{channel:?}");
    }
}

#[tokio::test]
async fn a_second_code_invalidates_the_first() {
    let Setup { emulator, client } = setup().await;
    for channel in OTP_CHANNELS {
        let login_id = login_for(channel);
        let first = code_sent(&client, &emulator, Start::SignUp, channel, &login_id).await;
        // A repeat of the same six digits (one chance in a million) would prove nothing.
        let mut second = first.clone();
        while second == first {
            send_otp(&client, Start::SignIn, channel, &login_id)
                .await
                .unwrap();
            second = code_for(&emulator, &login_id);
        }
        let stale = verify_otp(&client, channel, &login_id, &first).await;
        assert_eq!(error_code(stale), ErrorCode::WrongOtpCode, "{channel:?}");
        let tokens = verify_otp(&client, channel, &login_id, &second)
            .await
            .unwrap();
        assert_signed_in(&emulator, &tokens).await;
        // A code works once.
        let reused = verify_otp(&client, channel, &login_id, &second).await;
        assert_eq!(error_code(reused), ErrorCode::WrongOtpCode, "{channel:?}");
    }
}

#[tokio::test]
async fn wrong_codes_count_up_to_too_many_attempts_and_burn_the_code() {
    let Setup { emulator, client } = setup().await;
    for channel in OTP_CHANNELS {
        let login_id = login_for(channel);
        let code = code_sent(&client, &emulator, Start::SignUp, channel, &login_id).await;
        for attempt in 1..=2 {
            let result = verify_otp(&client, channel, &login_id, &wrong(&code)).await;
            assert_eq!(
                error_code(result),
                ErrorCode::WrongOtpCode,
                "{channel:?} #{attempt}"
            );
        }
        let third = verify_otp(&client, channel, &login_id, &wrong(&code)).await;
        assert_eq!(
            error_code(third),
            ErrorCode::TooManyOtpAttempts,
            "{channel:?}"
        );
        let burnt = verify_otp(&client, channel, &login_id, &code).await;
        assert_eq!(
            error_code(burnt),
            ErrorCode::TooManyOtpAttempts,
            "the right code no longer works"
        );

        // A new code starts afresh.
        let fresh = code_sent(&client, &emulator, Start::SignIn, channel, &login_id).await;
        verify_otp(&client, channel, &login_id, &fresh)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_attempt_limit_is_configurable() {
    let config = EmulatorConfig {
        max_otp_attempts: 1,
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let login_id = login_for(Channel::Sms);
    let code = code_sent(&client, &emulator, Start::SignUp, Channel::Sms, &login_id).await;
    let first = verify_otp(&client, Channel::Sms, &login_id, &wrong(&code)).await;
    assert_eq!(error_code(first), ErrorCode::TooManyOtpAttempts);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let code = code_sent(&client, &emulator, Start::SignUp, Channel::Email, &login_id).await;
    emulator.advance_clock(Duration::from_secs(181));
    let late = verify_otp(&client, Channel::Email, &login_id, &code).await;
    assert_eq!(error_code(late), ErrorCode::WrongOtpCode);
}

#[tokio::test]
async fn a_code_verifies_only_on_its_own_channel() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Sms);
    let code = code_sent(&client, &emulator, Start::SignUp, Channel::Sms, &login_id).await;
    let elsewhere = verify_otp(&client, Channel::Voice, &login_id, &code).await;
    assert_eq!(error_code(elsewhere), ErrorCode::WrongOtpCode);
    verify_otp(&client, Channel::Sms, &login_id, &code)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_user_without_a_phone_cannot_get_an_sms() {
    let Setup {
        client,
        emulator: _running,
    } = setup().await;
    let login_id = login_for(Channel::Email);
    send_otp(&client, Start::SignUp, Channel::Email, &login_id)
        .await
        .unwrap();
    let sms = send_otp(&client, Start::SignIn, Channel::Sms, &login_id).await;
    assert_eq!(error_code(sms), ErrorCode::InvalidArguments);
}
