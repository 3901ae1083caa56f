//! Email and phone updates: refused without the user's refresh JWT (by the client, and by the
//! emulator when sent raw), sent to the new contact with one, and applied on verify, with
//! `addToLoginIDs` and `onMergeUseExisting`.

use descope_client::{Client, Error, ErrorCode, types};
use descope_emulator::{Channel, Emulator};

use crate::support::*;

/// Signs up `login_id` over `channel` and returns the signed-in answer.
async fn signed_in(
    emulator: &Emulator,
    client: &Client,
    channel: Channel,
    login_id: &str,
) -> types::JwtResponse {
    send_otp(client, Start::SignUp, channel, login_id)
        .await
        .unwrap();
    verify_otp(client, channel, login_id, &code_for(emulator, login_id))
        .await
        .unwrap()
}

/// The refresh JWT an update is made with, for the user `tokens` signed in.
fn acting_as(tokens: &types::JwtResponse) -> String {
    tokens.refresh_jwt.clone().unwrap()
}

#[derive(Clone, Copy, Default)]
struct Options {
    add: bool,
    merge: bool,
}

/// An email update by OTP or magic link; returns the masked address.
async fn update_email(
    client: &Client,
    refresh_jwt: &str,
    link: bool,
    login_id: &str,
    email: &str,
    options: Options,
) -> Result<String, Error> {
    if link {
        let sent = client
            .update_email_magic_link(refresh_jwt, login_id, email)
            .add_to_login_ids(options.add)
            .on_merge_use_existing(options.merge)
            .send()
            .await?;
        Ok(sent.into_inner().masked_email.unwrap_or_default())
    } else {
        let sent = client
            .update_email_otp(refresh_jwt, login_id, email)
            .add_to_login_ids(options.add)
            .on_merge_use_existing(options.merge)
            .send()
            .await?;
        Ok(sent.into_inner().masked_email.unwrap_or_default())
    }
}

/// A phone update by OTP or magic link over `channel`; returns the masked number.
async fn update_phone(
    client: &Client,
    refresh_jwt: &str,
    link: bool,
    channel: Channel,
    login_id: &str,
    phone: &str,
) -> Result<String, Error> {
    macro_rules! masked {
        ($method:ident) => {
            client
                .$method(refresh_jwt, login_id, phone)
                .send()
                .await?
                .into_inner()
                .masked_phone
        };
    }
    let sent = match (link, channel) {
        (false, Channel::Sms) => masked!(update_phone_otp_sms),
        (false, Channel::Voice) => masked!(update_phone_otp_voice),
        (false, Channel::Whatsapp) => masked!(update_phone_otp_whatsapp),
        (false, Channel::Im) => masked!(update_phone_otp_im),
        (true, Channel::Sms) => masked!(update_phone_magic_link_sms),
        (true, Channel::Whatsapp) => masked!(update_phone_magic_link_whatsapp),
        (true, Channel::Im) => masked!(update_phone_magic_link_im),
        other => panic!("no phone update for {other:?}"),
    };
    Ok(sent.unwrap_or_default())
}

/// Verifies the newest message for `login_id`, code or link.
async fn verify_latest(
    emulator: &Emulator,
    client: &Client,
    channel: Channel,
    login_id: &str,
) -> types::JwtResponse {
    let message = emulator.last_message_for(login_id).unwrap();
    match (message.code(), message.token()) {
        (Some(code), _) => verify_otp(client, channel, login_id, code).await.unwrap(),
        (_, Some(token)) => verify_link(client, token).await.unwrap(),
        _ => unreachable!("a message carries a code or a link"),
    }
}

#[tokio::test]
async fn every_update_without_a_refresh_jwt_is_refused_before_sending() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    signed_in(&emulator, &client, Channel::Email, &login_id).await;
    emulator.clear_outbox();
    let mut refusals = Vec::new();
    for link in [false, true] {
        refusals.push(
            update_email(
                &client,
                "",
                link,
                &login_id,
                "new@example.com",
                Options::default(),
            )
            .await,
        );
    }
    for channel in OTP_PHONE_UPDATE_CHANNELS {
        refusals.push(update_phone(&client, "", false, channel, &login_id, "+14155550199").await);
    }
    for channel in LINK_PHONE_UPDATE_CHANNELS {
        refusals.push(update_phone(&client, "", true, channel, &login_id, "+14155550199").await);
    }
    assert_eq!(refusals.len(), 9);
    for refusal in refusals {
        assert!(
            matches!(refusal, Err(Error::InvalidRequest(_))),
            "{refusal:?}"
        );
    }
    assert!(emulator.outbox().is_empty());
}

#[tokio::test]
async fn the_emulator_itself_refuses_updates_without_the_user_s_refresh_jwt() {
    let Setup { emulator, client } = setup().await;
    let jane = login_for(Channel::Email);
    let john = login_for(Channel::Email);
    signed_in(&emulator, &client, Channel::Email, &jane).await;
    let johns = signed_in(&emulator, &client, Channel::Email, &john).await;

    let raw = reqwest::Client::new()
        .post(format!("{}/v1/auth/otp/update/email", emulator.base_url()))
        .bearer_auth(emulator.project_id())
        .json(&serde_json::json!({"loginId": jane, "email": "x@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 401);

    // John's token does not let him change Jane's address.
    let as_john = acting_as(&johns);
    let result = update_email(
        &client,
        &as_john,
        false,
        &jane,
        "x@example.com",
        Options::default(),
    )
    .await;
    match result {
        Err(Error::Service(error)) => assert_eq!(error.status, 401),
        other => panic!("expected 401, got {other:?}"),
    }
    // Nor does a forged one.
    let forged = "e30.e30.e30".to_owned();
    let result = update_email(
        &client,
        &forged,
        false,
        &john,
        "x@example.com",
        Options::default(),
    )
    .await;
    assert!(
        matches!(result, Err(Error::Service(ref error)) if error.status == 401),
        "{result:?}"
    );
}

#[tokio::test]
async fn phone_updates_go_to_the_new_number_and_replace_the_old_on_verify() {
    let Setup { emulator, client } = setup().await;
    for (link, channels) in [
        (false, &OTP_PHONE_UPDATE_CHANNELS[..]),
        (true, &LINK_PHONE_UPDATE_CHANNELS[..]),
    ] {
        for &channel in channels {
            let login_id = login_for(Channel::Email);
            let tokens = signed_in(&emulator, &client, Channel::Email, &login_id).await;
            let mut as_user = acting_as(&tokens);
            for _ in 0..2 {
                let phone = login_for(Channel::Sms);
                let masked = update_phone(&client, &as_user, link, channel, &login_id, &phone)
                    .await
                    .unwrap();
                assert!(masked.ends_with(&phone[phone.len() - 4..]), "{masked}");
                let message = emulator.last_message_for(&login_id).unwrap();
                assert_eq!(
                    (message.channel, message.destination.as_str()),
                    (channel, phone.as_str())
                );
                let tokens = verify_latest(&emulator, &client, channel, &login_id).await;
                assert_signed_in(&emulator, &tokens).await;
                let user = tokens.user.as_ref().unwrap();
                assert_eq!(
                    user.phone.as_deref(),
                    Some(phone.as_str()),
                    "replaced ({channel:?}, link {link})"
                );
                assert_eq!(user.verified_phone, Some(true));
                assert_eq!(
                    user.login_ids,
                    vec![login_id.clone()],
                    "not a login id without addToLoginIDs"
                );
                as_user = acting_as(&tokens);
            }
        }
    }
}

#[tokio::test]
async fn email_updates_replace_the_address_on_verify() {
    let Setup { emulator, client } = setup().await;
    for link in [false, true] {
        let login_id = login_for(Channel::Sms);
        let tokens = signed_in(&emulator, &client, Channel::Sms, &login_id).await;
        let mut as_user = acting_as(&tokens);
        for _ in 0..2 {
            let email = login_for(Channel::Email);
            let masked = update_email(
                &client,
                &as_user,
                link,
                &login_id,
                &email,
                Options::default(),
            )
            .await
            .unwrap();
            assert!(masked.starts_with("u***@"), "{masked}");
            let tokens = verify_latest(&emulator, &client, Channel::Email, &login_id).await;
            let user = tokens.user.as_ref().unwrap();
            assert_eq!(
                (user.email.as_deref(), user.verified_email),
                (Some(email.as_str()), Some(true))
            );
            as_user = acting_as(&tokens);
        }
    }
}

#[tokio::test]
async fn add_to_login_ids_makes_the_new_address_a_login_id() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Sms);
    let tokens = signed_in(&emulator, &client, Channel::Sms, &login_id).await;
    let email = login_for(Channel::Email);
    let add = Options {
        add: true,
        merge: false,
    };
    update_email(&client, &acting_as(&tokens), false, &login_id, &email, add)
        .await
        .unwrap();
    let updated = verify_latest(&emulator, &client, Channel::Email, &login_id).await;
    assert_eq!(
        updated.user.as_ref().unwrap().login_ids,
        vec![login_id.clone(), email.clone()]
    );

    // The new address signs the same user in.
    send_otp(&client, Start::SignIn, Channel::Email, &email)
        .await
        .unwrap();
    let by_email = verify_otp(
        &client,
        Channel::Email,
        &email,
        &code_for(&emulator, &email),
    )
    .await
    .unwrap();
    assert_eq!(
        assert_signed_in(&emulator, &by_email).await,
        assert_signed_in(&emulator, &tokens).await
    );
}

#[tokio::test]
async fn a_taken_login_id_needs_on_merge_use_existing() {
    let Setup { emulator, client } = setup().await;
    let existing = login_for(Channel::Email);
    let owner = signed_in(&emulator, &client, Channel::Email, &existing).await;
    let owner_id = assert_signed_in(&emulator, &owner).await;
    let login_id = login_for(Channel::Sms);
    let tokens = signed_in(&emulator, &client, Channel::Sms, &login_id).await;
    let as_user = acting_as(&tokens);

    let refused = update_email(
        &client,
        &as_user,
        false,
        &login_id,
        &existing,
        Options {
            add: true,
            merge: false,
        },
    )
    .await;
    assert_eq!(error_code(refused), ErrorCode::UserAlreadyExists);

    update_email(
        &client,
        &as_user,
        true,
        &login_id,
        &existing,
        Options {
            add: true,
            merge: true,
        },
    )
    .await
    .unwrap();
    let merged = verify_latest(&emulator, &client, Channel::Email, &login_id).await;
    assert_eq!(
        assert_signed_in(&emulator, &merged).await,
        owner_id,
        "the existing user is kept"
    );
    let user = merged.user.as_ref().unwrap();
    assert_eq!(user.login_ids, vec![existing.clone(), login_id.clone()]);
    assert_eq!(
        user.phone.as_deref(),
        Some(login_id.as_str()),
        "the merged user's phone comes along"
    );
}
