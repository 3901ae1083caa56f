//! Changing users through management: `UpdateUser` overwrites, `PatchUser` keeps what it is
//! not given, the batches report failures per user, and the single-detail calls (login ids,
//! contacts, names, picture, custom attributes, SSO applications, consent) change one thing.

use descope_client::types;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn update_overwrites_patch_keeps_and_batches_report_failures() {
    let Setup { emulator, client } = managed().await;
    client
        .create_user_custom_attributes(vec![typed::<types::UserCustomAttributeDefinition>(
            json!({"name": "plan", "type": 1}),
        )])
        .send()
        .await
        .unwrap();
    client
        .create_user("jane")
        .email("jane@example.com")
        .phone("+14155550102")
        .display_name("Jane")
        .custom_attributes(map(json!({"plan": "pro"})))
        .additional_login_ids(["jane-2"])
        .send()
        .await
        .unwrap();

    let patched = client
        .patch_user("jane")
        .display_name("Jane P")
        .send()
        .await
        .unwrap()
        .into_inner()
        .user
        .unwrap();
    assert_eq!(patched.name.as_deref(), Some("Jane P"));
    assert_eq!(patched.phone.as_deref(), Some("+14155550102"));
    assert_eq!(patched.custom_attributes["plan"], "pro");

    let updated = client
        .update_user("jane-2")
        .email("jane@example.org")
        .send()
        .await
        .unwrap()
        .into_inner()
        .user
        .unwrap();
    assert_eq!(updated.email.as_deref(), Some("jane@example.org"));
    assert_eq!(
        (updated.name, updated.phone),
        (Some(String::new()), Some(String::new()))
    );
    assert!(updated.custom_attributes.is_empty());
    assert_eq!(updated.login_ids, ["jane", "jane-2"], "login ids stay");

    // Python's update: nulls for what it was not given, `ssoAppIDs`, `test: false`.
    let (status, body) = call_managed(
        &emulator,
        Method::POST,
        "/v1/mgmt/user/update",
        Some(json!({
            "loginId": "jane", "email": null, "phone": null, "displayName": "Jane Py",
            "roleNames": [], "userTenants": [], "test": false, "picture": null,
            "customAttributes": null, "additionalLoginIds": null, "ssoAppIDs": ["app1"],
            "familyAssociations": [],
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["name"], "Jane Py");
    assert_eq!(body["user"]["email"], "");
    assert_eq!(body["user"]["ssoAppIds"], json!(["app1"]));

    let batch = client
        .patch_users(vec![
            typed::<types::PatchUserRequest>(json!({"loginId": "jane", "givenName": "J"})),
            typed(json!({"loginId": "ghost", "givenName": "G"})),
        ])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(batch.patched_users.len(), 1);
    assert_eq!(batch.patched_users[0].given_name.as_deref(), Some("J"));
    assert_eq!(batch.failed_users.len(), 1);
    assert!(
        batch.failed_users[0]
            .failure
            .as_deref()
            .unwrap()
            .contains("E062108")
    );

    let created = client
        .create_users(vec![
            typed::<types::BatchUser>(json!({"loginId": "a@example.com", "email": "a@example.com", "password": "s3cret!"})),
            typed(json!({"loginId": "jane"})),
        ])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.created_users.len(), 1);
    assert_eq!(created.created_users[0].password, Some(true));
    assert!(
        created.failed_users[0]
            .failure
            .as_deref()
            .unwrap()
            .contains("E062107")
    );
    let unknown = client.update_user("ghost").send().await;
    assert_eq!(refusal(unknown), (404, "E062108".to_owned()));
}

#[tokio::test]
async fn single_details_change_one_at_a_time() {
    let Setup { emulator, client } = managed().await;
    for login_id in ["jane", "bob"] {
        client
            .create_user(login_id)
            .email(format!("{login_id}@example.com"))
            .send()
            .await
            .unwrap();
    }
    let user = |answer: types::UserResponse| answer.user.unwrap();
    // Login ids: replaced, refused when taken, never the last one removed.
    let changed = client
        .update_user_login_id("jane")
        .new_login_id("jane@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(user(changed.into_inner()).login_ids, ["jane@example.com"]);
    let taken = client
        .update_user_login_id("jane@example.com")
        .new_login_id("bob")
        .send()
        .await;
    assert_eq!(refusal(taken), (400, "E062107".to_owned()));
    let last = client.update_user_login_id("jane@example.com").send().await;
    assert_eq!(refusal(last), (400, "E011004".to_owned()));
    assert_eq!(
        refusal(load(&client, "jane").await),
        (404, "E062108".to_owned())
    );

    let email = client
        .update_user_email("jane@example.com")
        .email("jane@example.org")
        .verified(true)
        .send()
        .await
        .unwrap();
    let email = user(email.into_inner());
    assert_eq!(
        (email.email.as_deref(), email.verified_email),
        (Some("jane@example.org"), Some(true))
    );
    let conflict = client
        .update_user_email("jane@example.com")
        .email("bob@example.com")
        .fail_on_conflict(true)
        .send()
        .await;
    assert!(
        conflict.is_ok(),
        "bob@example.com is bob's email, not a login id"
    );
    let conflict = client
        .update_user_phone("jane@example.com")
        .phone("+14155550103")
        .send()
        .await;
    assert_eq!(
        user(conflict.unwrap().into_inner()).phone.as_deref(),
        Some("+14155550103")
    );

    let names = client
        .update_user_display_name("jane@example.com")
        .display_name("Jane D")
        .family_name("Doe")
        .send()
        .await
        .unwrap();
    let names = user(names.into_inner());
    assert_eq!(
        (names.name.as_deref(), names.family_name.as_deref()),
        (Some("Jane D"), Some("Doe"))
    );
    let recovery = client
        .update_user_recovery_email("jane@example.com", "r@example.com")
        .verified(true)
        .send()
        .await
        .unwrap();
    let recovery = user(recovery.into_inner());
    assert_eq!(recovery.recovery_email.as_deref(), Some("r@example.com"));
    assert_eq!(recovery.verified_recovery_email, Some(true));
    let picture = client
        .update_user_picture("jane@example.com")
        .picture("https://example.com/p.png")
        .send()
        .await
        .unwrap();
    assert_eq!(
        user(picture.into_inner()).picture.as_deref(),
        Some("https://example.com/p.png")
    );

    // Custom attributes must be defined and fit their type; null clears.
    let undefined = client
        .update_user_custom_attribute("jane@example.com", "seats", 3)
        .send()
        .await;
    assert_eq!(refusal(undefined), (400, "E011004".to_owned()));
    client
        .create_user_custom_attributes(vec![typed::<types::UserCustomAttributeDefinition>(
            json!({"name": "seats", "type": "number"}),
        )])
        .send()
        .await
        .unwrap();
    let set = client
        .update_user_custom_attribute("jane@example.com", "seats", 3)
        .send()
        .await
        .unwrap();
    assert_eq!(user(set.into_inner()).custom_attributes["seats"], 3);
    let wrong_type = client
        .update_user_custom_attribute("jane@example.com", "seats", "three")
        .send()
        .await;
    assert_eq!(refusal(wrong_type), (400, "E011004".to_owned()));
    let cleared = client
        .update_user_custom_attribute("jane@example.com", "seats", Value::Null)
        .send()
        .await
        .unwrap();
    assert!(user(cleared.into_inner()).custom_attributes.is_empty());

    // SSO applications: add, set, remove.
    client
        .add_user_sso_apps("bob", vec!["a".to_owned(), "b".to_owned()])
        .send()
        .await
        .unwrap();
    client
        .remove_user_sso_apps("bob", vec!["a".to_owned()])
        .send()
        .await
        .unwrap();
    assert_eq!(load(&client, "bob").await.unwrap().sso_app_ids, ["b"]);
    client
        .set_user_sso_apps("bob", Vec::<String>::new())
        .send()
        .await
        .unwrap();
    assert!(load(&client, "bob").await.unwrap().sso_app_ids.is_empty());

    // The body's loginId may be the user id (the Node SDK passes either).
    let bob = load(&client, "bob").await.unwrap().user_id.unwrap();
    let consent = client
        .update_user_impersonation_consent(bob.as_str())
        .impersonation_consent(1_900_000_000)
        .send()
        .await
        .unwrap();
    assert_eq!(
        user(consent.into_inner()).consent_expiration,
        Some(1_900_000_000)
    );
    drop(emulator);
}
