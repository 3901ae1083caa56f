//! User management through the generated client with the management key: create and load,
//! the license and the bearer, sign-in of managed users, status (a disabled user can neither
//! sign in nor refresh), deletion and sign-out (their refresh JWTs stop working), history,
//! invitations, and the wire forms the official SDKs send (Python's nulls and `+` in queries,
//! the bare-array history).

use descope_client::types;
use descope_emulator::Channel;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn a_created_user_loads_by_any_login_id_or_user_id_and_its_login_id_is_taken() {
    let Setup {
        emulator: _emulator,
        client,
    } = managed().await;
    let created = client
        .create_user("jane@example.com")
        .email("jane@example.com")
        .phone("+14155550100")
        .verified_phone(true)
        .display_name("Jane Doe")
        .given_name("Jane")
        .additional_login_ids(["jane.doe"])
        .picture("https://example.com/jane.png")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.created, Some(true));
    let user = created.user.unwrap();
    let id = user.user_id.clone().unwrap();
    assert!(id.starts_with('U'));
    assert_eq!(user.login_ids, ["jane@example.com", "jane.doe"]);
    assert_eq!(user.name.as_deref(), Some("Jane Doe"));
    assert_eq!(user.given_name.as_deref(), Some("Jane"));
    assert_eq!(user.status, Some(types::UserStatus::Enabled));
    assert_eq!(
        (user.verified_email, user.verified_phone),
        (Some(false), Some(true))
    );
    assert_eq!((user.test, user.password), (Some(false), Some(false)));

    for key in ["jane@example.com", "jane.doe"] {
        assert_eq!(load(&client, key).await.unwrap().user_id, Some(id.clone()));
    }
    let by_id = client
        .load_user()
        .user_id(id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_id.into_inner().user.unwrap().email.as_deref(),
        Some("jane@example.com")
    );

    let taken = client.create_user("jane.doe").send().await;
    assert_eq!(refusal(taken), (400, "E062107".to_owned()));
    let unknown = load(&client, "nobody@example.com").await;
    assert_eq!(refusal(unknown), (404, "E062108".to_owned()));
    let neither = client.load_user().send().await;
    assert_eq!(refusal(neither), (400, "E011002".to_owned()));
    let bad_email = client.create_user("x").email("not-an-email").send().await;
    assert_eq!(refusal(bad_email), (400, "E011004".to_owned()));
}

#[tokio::test]
async fn the_management_key_is_required_and_the_license_is_answered() {
    let Setup { emulator, client } = managed().await;
    let license = client.get_license().send().await.unwrap().into_inner();
    assert_eq!(license.rate_limit_tier, Some(types::RateLimitTier::Tier1));

    let base = emulator.base_url();
    let project = format!("Bearer {}", emulator.project_id());
    let wrong = format!("Bearer {}:K2wrong", emulator.project_id());
    for bearer in [project, wrong] {
        let response = reqwest::Client::new()
            .get(format!("{base}/v1/mgmt/license"))
            .header("Authorization", bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errorCode"], "E011003");
    }
}

#[tokio::test]
async fn a_management_user_signs_in_by_code_and_by_link_at_their_contacts() {
    let Setup { emulator, client } = managed().await;
    client
        .create_user("jane")
        .email("jane@example.com")
        .phone("+14155550101")
        .send()
        .await
        .unwrap();
    // By email code: the code goes to the user's email.
    let code = code_sent(&client, &emulator, Start::SignIn, Channel::Email, "jane").await;
    assert_eq!(
        emulator.last_message_for("jane").unwrap().destination,
        "jane@example.com"
    );
    let tokens = verify_otp(&client, Channel::Email, "jane", &code)
        .await
        .unwrap();
    let user_id = assert_signed_in(&emulator, &tokens).await;
    // By SMS magic link, to the user's phone.
    send_link(&client, Start::SignIn, Channel::Sms, "jane", None)
        .await
        .unwrap();
    assert_eq!(
        emulator.last_message_for("jane").unwrap().destination,
        "+14155550101"
    );
    let tokens = verify_link(&client, &token_for(&emulator, "jane"))
        .await
        .unwrap();
    assert_eq!(assert_signed_in(&emulator, &tokens).await, user_id);
    let user = load(&client, "jane").await.unwrap();
    assert_eq!(
        (user.verified_email, user.verified_phone),
        (Some(true), Some(true)),
        "signing in proved both contacts"
    );
}

#[tokio::test]
async fn a_disabled_user_can_neither_sign_in_nor_refresh_until_enabled_again() {
    let Setup { emulator, client } = managed().await;
    let login_id = "jane@example.com";
    client
        .create_user(login_id)
        .email(login_id)
        .send()
        .await
        .unwrap();
    let tokens = sign_in(&emulator, &client, login_id).await;
    // A code sent before the user was disabled is refused at verify.
    let pending = code_sent(&client, &emulator, Start::SignIn, Channel::Email, login_id).await;

    let disabled = client
        .update_user_status(login_id, types::UserStatus::Disabled)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        disabled.user.unwrap().status,
        Some(types::UserStatus::Disabled)
    );
    let forbidden = (403, "E062110".to_owned());
    let verify = verify_otp(&client, Channel::Email, login_id, &pending).await;
    assert_eq!(refusal(verify), forbidden);
    for start in [Start::SignIn, Start::SignUpOrIn] {
        let sent = send_otp(&client, start, Channel::Email, login_id).await;
        assert_eq!(refusal(sent), forbidden);
    }
    let link = send_link(&client, Start::SignIn, Channel::Email, login_id, None).await;
    assert_eq!(refusal(link), forbidden);
    assert_eq!(
        refusal(refresh(&client, &refresh_of(&tokens)).await),
        forbidden
    );
    // Try-refresh answers as it does without a usable refresh JWT.
    let tried = client
        .with_refresh_jwt(refresh_of(&tokens))
        .try_refresh()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(tried.session_jwt.is_none());
    let other = client.update_user_status(login_id, "archived").send().await;
    assert_eq!(refusal(other), (400, "E011003".to_owned()));

    client
        .update_user_status(login_id, types::UserStatus::Enabled)
        .send()
        .await
        .unwrap();
    refresh(&client, &refresh_of(&tokens)).await.unwrap();
    sign_in(&emulator, &client, login_id).await;
}

#[tokio::test]
async fn deleting_a_user_ends_their_sessions_and_logout_revokes_every_refresh_jwt() {
    let Setup { emulator, client } = managed().await;
    for login_id in ["jane@example.com", "bob@example.com"] {
        client
            .create_user(login_id)
            .email(login_id)
            .send()
            .await
            .unwrap();
    }
    let first = sign_in(&emulator, &client, "bob@example.com").await;
    let second = sign_in(&emulator, &client, "bob@example.com").await;
    let bob = first.user.as_ref().unwrap().user_id.clone().unwrap();
    client
        .logout_user()
        .user_id(bob.as_str())
        .send()
        .await
        .unwrap();
    for tokens in [&first, &second] {
        let refused = refresh(&client, &refresh_of(tokens)).await;
        assert_eq!(refusal(refused), (401, "E064001".to_owned()));
    }
    assert_eq!(
        refusal(client.logout_user().send().await),
        (400, "E011002".to_owned())
    );
    // Bob signs in again after the logout.
    sign_in(&emulator, &client, "bob@example.com").await;

    let jane = sign_in(&emulator, &client, "jane@example.com").await;
    let answer = client
        .delete_user()
        .login_id("jane@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let refused = refresh(&client, &refresh_of(&jane)).await;
    assert_eq!(refusal(refused), (401, "E064001".to_owned()));
    assert_eq!(
        refusal(load(&client, "jane@example.com").await),
        (404, "E062108".to_owned())
    );
    let again = client
        .delete_user()
        .login_id("jane@example.com")
        .send()
        .await;
    assert_eq!(refusal(again), (404, "E062108".to_owned()));
    // The login id is free again; a sign-in of it is a sign-in of nobody.
    let sent = send_otp(&client, Start::SignIn, Channel::Email, "jane@example.com").await;
    assert_eq!(refusal(sent), (404, "E062108".to_owned()));

    // The batch ignores unknown ids; every answer of the deletes is `{}`.
    let (status, body) = call_managed(
        &emulator,
        Method::POST,
        "/v1/mgmt/user/delete/batch",
        Some(json!({"userIds": [bob, "U-unknown"]})),
    )
    .await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(
        refusal(load(&client, "bob@example.com").await),
        (404, "E062108".to_owned())
    );
}

#[tokio::test]
async fn an_invitation_is_a_link_in_the_outbox_that_turns_the_user_enabled() {
    let Setup { emulator, client } = managed().await;
    let invited = client
        .create_user("jane@example.com")
        .email("jane@example.com")
        .invite(true)
        .invite_url("https://app.example.com/accept")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        invited.user.unwrap().status,
        Some(types::UserStatus::Invited)
    );
    let link = link_for(&emulator, "jane@example.com");
    assert!(
        link.starts_with("https://app.example.com/accept?t="),
        "{link}"
    );
    let tokens = verify_link(&client, &token_for(&emulator, "jane@example.com"))
        .await
        .unwrap();
    assert_eq!(
        tokens.user.unwrap().status,
        Some(types::UserStatus::Enabled)
    );
    // Inviting an existing user sends the invitation again.
    emulator.clear_outbox();
    let again = client
        .create_user("jane@example.com")
        .invite(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(again.created, Some(false));
    assert_eq!(emulator.outbox().len(), 1);
}

#[tokio::test]
async fn history_takes_a_bare_array_and_answers_one() {
    let Setup { emulator, client } = managed().await;
    client
        .create_user("jane@example.com")
        .email("jane@example.com")
        .send()
        .await
        .unwrap();
    let tokens = sign_in(&emulator, &client, "jane@example.com").await;
    sign_in(&emulator, &client, "jane@example.com").await;
    let id = tokens.user.unwrap().user_id.unwrap();
    let (status, history) = call_managed(
        &emulator,
        Method::POST,
        "/v1/mgmt/user/history",
        Some(json!([id, "U-unknown"])),
    )
    .await;
    assert_eq!(status, 200, "{history}");
    let entries = history.as_array().expect("a bare array");
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .all(|e| e["userId"] == json!(id) && e["ip"] == "127.0.0.1")
    );
    let (status, refused) = call_managed(
        &emulator,
        Method::POST,
        "/v1/mgmt/user/history",
        Some(json!({"userIds": [id]})),
    )
    .await;
    assert_eq!((status, &refused["errorCode"]), (400, &json!("E011001")));
    let v2 = client
        .get_users_auth_history_v2(vec![id.clone()])
        .send()
        .await
        .unwrap()
        .into_inner();
    match v2 {
        types::UsersAuthHistoryResponse::UsersAuthHistoryEnvelope(envelope) => {
            assert_eq!(envelope.users_auth_history.len(), 2);
        }
        other => panic!("the /v2 answer is the envelope: {other:?}"),
    }
}

#[tokio::test]
async fn queries_decode_spaces_both_ways_and_python_s_nulls_mean_not_set() {
    let Setup { emulator, client } = managed().await;
    let (status, created) = call_managed(
        &emulator,
        Method::POST,
        "/v1/mgmt/user/create",
        Some(json!({
            "loginId": "py+mgmt 01@example.com", "email": null, "phone": null,
            "displayName": null, "roleNames": [], "userTenants": [], "test": false,
            "picture": null, "customAttributes": null, "additionalLoginIds": null,
            "ssoAppIDs": null, "invite": false,
        })),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["created"], true);
    assert_eq!(created["user"]["email"], "");
    // Python writes a space as `+` and a `+` as `%2B`; Node a space as `%20`.
    for query in ["py%2Bmgmt+01%40example.com", "py%2Bmgmt%2001%40example.com"] {
        let (status, loaded) = call_managed(
            &emulator,
            Method::GET,
            &format!("/v1/mgmt/user?loginId={query}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{query}: {loaded}");
        assert_eq!(loaded["user"]["userId"], created["user"]["userId"]);
    }
    assert!(load(&client, "py+mgmt 01@example.com").await.is_ok());
}

#[tokio::test]
async fn extreme_values_are_answered_without_breaking_the_emulator() {
    let Setup { emulator, client } = managed().await;
    client
        .create_user("jane@example.com")
        .email("jane@example.com")
        .send()
        .await
        .unwrap();
    client.create_tenant("Acme").id("T1").send().await.unwrap();
    let calls = [
        (
            "/v1/mgmt/user/signin/embeddedlink",
            json!({"loginId": "jane@example.com", "timeout": i64::MAX}),
        ),
        (
            "/v2/mgmt/tenant/adminlinks/sso/generate",
            json!({"tenantId": "T1", "expireTime": i64::MAX}),
        ),
        (
            "/v2/mgmt/user/search",
            json!({"limit": i32::MAX, "page": i32::MAX, "fromCreatedTime": i64::MIN}),
        ),
        (
            "/v2/mgmt/user/search",
            json!({"offset": i32::MAX, "sort": [{"field": "nonsense"}], "customAttributes": {"x": [1, {}]}}),
        ),
        (
            "/v1/mgmt/user/create/batch",
            json!({"users": [{"loginId": "old@example.com", "createdTime": i64::MAX}]}),
        ),
        (
            "/v1/mgmt/user/update/impersonationConsent",
            json!({"loginId": "jane@example.com", "impersonationConsent": i64::MAX}),
        ),
        (
            "/v1/mgmt/user/customattribute/create",
            json!({"attributes": [{"name": "weird", "type": 99, "options": [1, "a", {"label": "no value"}]}]}),
        ),
        (
            "/v1/mgmt/role/search",
            json!({"sort": [{"field": "name", "desc": true}], "text": "\u{0}"}),
        ),
    ];
    for (path, body) in calls {
        let (status, answer) = call_managed(&emulator, Method::POST, path, Some(body)).await;
        assert!(status == 200 || status == 400, "{path}: {status} {answer}");
        assert!(answer.is_object(), "{path}: {answer}");
    }
    let license = client.get_license().send().await.unwrap();
    assert_eq!(license.status(), 200, "still serving");
}

#[tokio::test]
async fn a_migration_batch_larger_than_an_auth_body_is_taken() {
    let Setup { emulator, client } = managed().await;
    // About 150 KB: over the 64 KB an auth body may take, under the management limit.
    let users: Vec<types::BatchUser> = (0..800)
        .map(|n| {
            typed(json!({
                "loginId": format!("migrated{n:04}@example.com"),
                "email": format!("migrated{n:04}@example.com"),
                "displayName": "x".repeat(120),
            }))
        })
        .collect();
    let created = client
        .create_users(users)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (created.created_users.len(), created.failed_users.len()),
        (800, 0)
    );
    let found = client
        .search_users()
        .limit(1)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(found.total, Some(800));
    drop(emulator);
}
