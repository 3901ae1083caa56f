//! Test users and the codes and links management hands back: a test user's generated code,
//! magic link and enchanted link verify with the ordinary verify calls (and only test users
//! get them), embedded links (custom claims in the JWTs, sign-up on verify), the deletion of
//! every test user; and the sign-in methods management sees (passwords, passkeys, TOTP,
//! trusted devices, provider tokens), never a 404 for a known user.

use descope_client::types;
use descope_emulator::{Channel, ProviderToken};
use serde_json::{Map, Value, json};

use crate::support::*;

#[tokio::test]
async fn a_test_user_s_generated_code_and_links_verify_as_sign_ins() {
    let Setup { emulator, client } = managed().await;
    let created = client
        .create_test_user("e2e@example.com")
        .email("e2e@example.com")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.user.as_ref().unwrap().test, Some(true));
    let user_id = created.user.unwrap().user_id.unwrap();

    // A code, as a sign-in by email would make it; the newer one replaces it.
    let code = |answer: types::GenerateOtpForTestUserResponse| {
        assert_eq!(answer.login_id.as_deref(), Some("e2e@example.com"));
        answer.code.unwrap()
    };
    let first = client
        .generate_otp_for_test_user("e2e@example.com", types::TestDeliveryMethod::Email)
        .send()
        .await
        .unwrap();
    let first = code(first.into_inner());
    // The user id works in place of the login id.
    let second = client
        .generate_otp_for_test_user(user_id.as_str(), types::TestDeliveryMethod::Email)
        .send()
        .await
        .unwrap();
    let second = code(second.into_inner());
    assert!(emulator.outbox().is_empty(), "nothing is delivered");
    if first != second {
        let stale = verify_otp(&client, Channel::Email, "e2e@example.com", &first).await;
        assert_eq!(refusal(stale), (401, "E061102".to_owned()));
    }
    let tokens = verify_otp(&client, Channel::Email, "e2e@example.com", &second)
        .await
        .unwrap();
    assert_eq!(assert_signed_in(&emulator, &tokens).await, user_id);
    assert_eq!(claims_of(&session_of(&tokens))["tu"], true);

    // A magic link by SMS to a redirect URI; its token verifies once.
    let link = client
        .generate_magic_link_for_test_user("e2e@example.com", types::TestDeliveryMethod::Sms)
        .uri("https://app.example.com/verify")
        .send()
        .await
        .unwrap()
        .into_inner()
        .link
        .unwrap();
    let token = link
        .strip_prefix("https://app.example.com/verify?t=")
        .expect("the link goes to the URI");
    let tokens = verify_link(&client, token).await.unwrap();
    assert_eq!(claims_of(&session_of(&tokens))["amr"], json!(["sms"]));
    assert_eq!(refusal(verify_link(&client, token).await).0, 401);

    let enchanted = client
        .generate_enchanted_link_for_test_user("e2e@example.com")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(enchanted.pending_ref.is_some_and(|r| r.len() == 64));
    let token = enchanted
        .link
        .unwrap()
        .split("t=")
        .nth(1)
        .unwrap()
        .to_owned();
    verify_link(&client, &token).await.unwrap();

    // Embedded delivery verifies as an email code.
    let embedded = client
        .generate_otp_for_test_user("e2e@example.com", types::TestDeliveryMethod::Embedded)
        .send()
        .await
        .unwrap();
    let code = embedded.into_inner().code.unwrap();
    verify_otp(&client, Channel::Email, "e2e@example.com", &code)
        .await
        .unwrap();
}

#[tokio::test]
async fn only_test_users_get_generated_codes_and_deleting_them_spares_real_users() {
    let Setup { emulator, client } = managed().await;
    client
        .create_user("real@example.com")
        .email("real@example.com")
        .send()
        .await
        .unwrap();
    client
        .create_test_user("t1@example.com")
        .send()
        .await
        .unwrap();
    client
        .create_test_user("t2@example.com")
        .send()
        .await
        .unwrap();
    let real = client
        .generate_otp_for_test_user("real@example.com", types::TestDeliveryMethod::Email)
        .send()
        .await;
    assert_eq!(refusal(real), (400, "E011004".to_owned()));
    let unknown = client
        .generate_magic_link_for_test_user("ghost@example.com", types::TestDeliveryMethod::Email)
        .send()
        .await;
    assert_eq!(refusal(unknown), (404, "E062108".to_owned()));

    let answer = client.delete_all_test_users().send().await.unwrap();
    assert_eq!(answer.status(), 200);
    for test in ["t1@example.com", "t2@example.com"] {
        let gone = client.load_user().login_id(test).send().await;
        assert_eq!(refusal(gone), (404, "E062108".to_owned()));
    }
    assert!(
        client
            .load_user()
            .login_id("real@example.com")
            .send()
            .await
            .is_ok()
    );
    // With none left it succeeds all the same, and answers `{}`.
    let (status, body) = call_managed(
        &emulator,
        reqwest::Method::DELETE,
        "/v1/mgmt/user/test/delete/all",
        None,
    )
    .await;
    assert_eq!((status, body), (200, json!({})));
}

#[tokio::test]
async fn embedded_links_carry_custom_claims_and_sign_up_creates_the_user() {
    let Setup { emulator, client } = managed().await;
    client
        .create_user("jane@example.com")
        .email("jane@example.com")
        .send()
        .await
        .unwrap();
    let claims: Map<String, Value> = json!({"plan": "pro", "seats": 3, "sub": "forged"})
        .as_object()
        .cloned()
        .unwrap();
    let link = client
        .generate_embedded_link("jane@example.com")
        .custom_claims(claims)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(link.masked_email.as_deref(), Some("j***@example.com"));
    let tokens = verify_link(&client, &link.token.unwrap()).await.unwrap();
    let user_id = assert_signed_in(&emulator, &tokens).await;
    let session = claims_of(&session_of(&tokens));
    assert_eq!(
        (&session["plan"], &session["seats"]),
        (&json!("pro"), &json!(3))
    );
    assert_eq!(
        session["sub"],
        json!(user_id),
        "a reserved claim is not replaced"
    );
    // The claims stay through refreshes.
    let renewed = refresh(&client, &refresh_of(&tokens)).await.unwrap();
    assert_eq!(claims_of(&session_of(&renewed))["plan"], "pro");
    // An embedded link proves nothing about the email.
    let user = tokens.user.unwrap();
    assert_eq!(user.verified_email, Some(false));

    let sign_up = client
        .generate_sign_up_embedded_link("new@example.com")
        .user(typed::<types::EmbeddedLinkSignUpUser>(
            json!({"email": "new@example.com", "name": "New User"}),
        ))
        .email_verified(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    let missing = client.load_user().login_id("new@example.com").send().await;
    assert_eq!(refusal(missing).0, 404, "the user is made at verify time");
    let tokens = verify_link(&client, &sign_up.token.unwrap()).await.unwrap();
    let created = tokens.user.unwrap();
    assert_eq!(created.name.as_deref(), Some("New User"));
    assert_eq!(created.verified_email, Some(true));
    assert_eq!(tokens.first_seen, Some(true));
    let taken = client
        .generate_sign_up_embedded_link("new@example.com")
        .send()
        .await;
    assert_eq!(refusal(taken), (400, "E062107".to_owned()));
}

#[tokio::test]
async fn sign_in_methods_are_served_for_every_known_user() {
    let Setup { emulator, client } = managed().await;
    let login = "jane@example.com";
    client.create_user(login).email(login).send().await.unwrap();
    let loaded = async || {
        let answer = client.load_user().login_id(login).send().await.unwrap();
        answer.into_inner().user.unwrap()
    };

    // Passwords are kept (hashed) and never answered.
    let (status, body) = call_managed(
        &emulator,
        reqwest::Method::POST,
        "/v1/mgmt/user/password/set/active",
        Some(json!({"loginId": login, "password": "Tr0ub4dor&3", "setActive": true})),
    )
    .await;
    assert_eq!((status, &body), (200, &json!({})));
    assert_eq!(loaded().await.password, Some(true));
    client
        .set_user_temporary_password(login, "n3w-Passw0rd")
        .send()
        .await
        .unwrap();
    client.expire_user_password(login).send().await.unwrap();
    let user_json = call(
        &emulator.base_url(),
        reqwest::Method::GET,
        "/emulator/users?loginId=jane%40example.com",
        None,
    )
    .await
    .1;
    assert!(!user_json.to_string().contains("n3w-Passw0rd"));

    // Passkeys: none unless imported; removing what is absent succeeds.
    let listed = client.list_user_passkeys(login).send().await.unwrap();
    assert!(listed.into_inner().passkeys.is_empty());
    client
        .remove_user_passkey(login, "cred-0")
        .send()
        .await
        .unwrap();
    client
        .import_user_passkeys(
            login,
            vec![typed::<types::PasskeyImportDevice>(
                json!({"descope": {"credentialId": "cred-1", "rpId": "example.com"}}),
            )],
        )
        .send()
        .await
        .unwrap();
    let listed = client
        .list_user_passkeys(login)
        .send()
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<_> = listed
        .passkeys
        .iter()
        .map(|p| p.id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["cred-1"]);
    assert_eq!(loaded().await.webauthn, Some(true));
    client.remove_all_user_passkeys(login).send().await.unwrap();
    assert_eq!(loaded().await.webauthn, Some(false));

    client.remove_user_totp_seed(login).send().await.unwrap();
    let devices = client
        .list_user_trusted_devices(vec![login.to_owned()])
        .send()
        .await
        .unwrap();
    assert!(devices.into_inner().devices.is_empty());
    client
        .remove_user_trusted_devices(vec!["d1".to_owned()])
        .identifier(login)
        .send()
        .await
        .unwrap();

    // Provider tokens: only what was seeded.
    let none = client.get_user_provider_token(login, "google").send().await;
    assert_eq!(refusal(none), (404, "E011004".to_owned()));
    emulator
        .set_provider_token(
            login,
            ProviderToken {
                provider: "google".into(),
                provider_user_id: "g-1".into(),
                access_token: "ya29.access".into(),
                refresh_token: Some("1//refresh".into()),
                expiration: 1_900_000_000,
                scopes: vec!["email".into()],
            },
        )
        .unwrap();
    let token = client
        .get_user_provider_token(login, "google")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(token.access_token.as_deref(), Some("ya29.access"));
    assert_eq!(token.refresh_token, None, "only with withRefreshToken");
    let token = client
        .get_user_provider_token(login, "google")
        .with_refresh_token(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(token.refresh_token.as_deref(), Some("1//refresh"));

    // A user that does not exist is the only 404.
    let ghost = "ghost@example.com";
    assert_eq!(
        refusal(client.list_user_passkeys(ghost).send().await).0,
        404
    );
    assert_eq!(
        refusal(client.remove_user_totp_seed(ghost).send().await).0,
        404
    );
    assert_eq!(
        refusal(client.set_user_active_password(ghost, "x").send().await).0,
        404
    );
}
