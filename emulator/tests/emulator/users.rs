//! The signed-in user's side through the generated client: details (`me`), sign-in history,
//! tenants, tenant selection, and the claims the tokens carry.

use descope_client::{Error, ErrorCode, types};
use descope_emulator::Channel;
use serde_json::{Value, json};

use crate::support::*;

/// The tenant ids of a `me/tenants` answer.
fn ids(answer: &types::MyTenantsResponse) -> Vec<&str> {
    answer
        .tenants
        .iter()
        .filter_map(|t| t.id.as_deref())
        .collect()
}

#[tokio::test]
async fn me_returns_the_user_as_stored_with_roles_and_tenants() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let token = refresh_of(&sign_in(&emulator, &client, &login_id).await);
    // Assigned after sign-in: `me` reads the store, not the token.
    emulator
        .set_user_roles(&login_id, &["admin"], &["users:write"])
        .unwrap();
    emulator
        .add_user_to_tenant(&login_id, tenant("T1", "Acme", &["member"]))
        .unwrap();

    let user = me(&client, &token).await.unwrap();
    assert_eq!(user.login_ids, std::slice::from_ref(&login_id));
    assert_eq!(
        (user.email.as_deref(), user.verified_email),
        (Some(login_id.as_str()), Some(true))
    );
    assert_eq!(user.role_names, ["admin"]);
    assert_eq!(user.permissions, ["users:write"]);
    assert_eq!(user.user_tenants.len(), 1);
    let membership = &user.user_tenants[0];
    assert_eq!(
        (
            membership.tenant_id.as_deref(),
            membership.tenant_name.as_deref()
        ),
        (Some("T1"), Some("Acme"))
    );
    assert_eq!(
        (&membership.role_names[..], &membership.permissions[..]),
        (&["member".to_owned()][..], &["T1:read".to_owned()][..])
    );
    assert!(user.created_time.unwrap() > 0);
}

#[tokio::test]
async fn history_has_one_entry_per_sign_in() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let before = unix_now(&emulator);
    for _ in 0..3 {
        sign_in(&emulator, &client, &login_id).await;
    }
    // A sign-in into a tenant records it as selected.
    emulator
        .add_user_to_tenant(&login_id, tenant("T1", "Acme", &[]))
        .unwrap();
    client
        .sign_in_otp_email(login_id.as_str())
        .login_options(types::LoginOptions::builder().tenant_id("T1"))
        .send()
        .await
        .unwrap();
    let code = code_for(&emulator, &login_id);
    let last = verify_otp(&client, Channel::Email, &login_id, &code)
        .await
        .unwrap();
    assert_eq!(claims_of(&session_of(&last))["dct"], "T1");

    let history = client
        .me_auth_history(refresh_of(&last))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(
        matches!(history, types::MeAuthHistoryResponse::List(_)),
        "the bare-array shape is expected: {history:?}"
    );
    let entries = history.into_entries();
    assert_eq!(entries.len(), 4);
    let user_id = last.user.unwrap().user_id.unwrap();
    for entry in &entries {
        assert_eq!(entry.user_id.as_deref(), Some(user_id.as_str()));
        assert_eq!(entry.ip.as_deref(), Some("127.0.0.1"));
        assert!(entry.login_time.unwrap() >= before);
    }
    let tenants: Vec<_> = entries
        .iter()
        .map(|e| e.selected_tenant.as_deref())
        .collect();
    assert_eq!(tenants, [None, None, None, Some("T1")]);
}

#[tokio::test]
async fn my_tenants_answers_the_selected_tenant_or_the_listed_ones() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let token = refresh_of(&sign_in(&emulator, &client, &login_id).await);
    for (id, name) in [("T1", "Acme"), ("T2", "Globex")] {
        emulator
            .add_user_to_tenant(&login_id, tenant(id, name, &[]))
            .unwrap();
    }
    // `dct` is sent only when given, `ids` only when not empty.
    let ask = |token: String, dct: Option<bool>, tenant_ids: &'static [&'static str]| {
        let client = client.clone();
        async move {
            let mut call = client.my_tenants(token).ids(tenant_ids.iter().copied());
            if let Some(dct) = dct {
                call = call.dct(dct);
            }
            call.send().await.map(|r| r.into_inner())
        }
    };
    let listed = ask(token.clone(), None, &["T1", "T9"]).await.unwrap();
    assert_eq!(ids(&listed), ["T1"], "only tenants the user belongs to");
    assert_eq!(listed.tenants[0].name.as_deref(), Some("Acme"));
    let none = ask(token.clone(), Some(true), &[]).await.unwrap();
    assert!(none.tenants.is_empty(), "no tenant selected yet");

    let in_t2 = client
        .select_tenant(token.as_str(), "T2")
        .send()
        .await
        .unwrap()
        .into_inner();
    let current = ask(refresh_of(&in_t2), Some(true), &[]).await.unwrap();
    assert_eq!(ids(&current), ["T2"]);

    assert_eq!(
        error_code(ask(token.clone(), Some(true), &["T1"]).await),
        ErrorCode::InvalidRequest
    );
    match ask(token, None, &[]).await {
        Err(Error::Service(error)) => {
            assert_eq!(error.status, 400);
            assert_eq!(error.code, Some(ErrorCode::MissingArguments));
            assert!(error.message.contains("dct"), "{}", error.message);
        }
        other => panic!("expected 400, got {other:?}"),
    }
}

#[tokio::test]
async fn select_tenant_puts_dct_in_both_new_tokens_and_refuses_non_members() {
    let Setup { emulator, client } = setup().await;
    let login_id = login_for(Channel::Email);
    let token = refresh_of(&sign_in(&emulator, &client, &login_id).await);
    emulator
        .add_user_to_tenant(&login_id, tenant("T1", "Acme", &["member"]))
        .unwrap();
    let selected = client
        .select_tenant(token.as_str(), "T1")
        .send()
        .await
        .unwrap()
        .into_inner();
    let (session, refresh_jwt) = (session_of(&selected), refresh_of(&selected));
    assert_eq!(claims_of(&session)["dct"], "T1");
    assert_eq!(claims_of(&refresh_jwt)["dct"], "T1");
    assert_eq!(
        claims_of(&session)["tenants"]["T1"]["roles"],
        json!(["member"])
    );
    // A refresh with the new refresh JWT keeps the tenant.
    let renewed = refresh(&client, &refresh_jwt).await.unwrap();
    assert_eq!(claims_of(&session_of(&renewed))["dct"], "T1");

    let refused = client.select_tenant(token.as_str(), "T9").send().await;
    match refused {
        Err(Error::Service(error)) => {
            assert_eq!(error.status, 403);
            assert_eq!(error.code, Some(ErrorCode::InvalidRequest));
            assert!(error.message.contains("T9"), "{}", error.message);
        }
        other => panic!("expected 403, got {other:?}"),
    }
}

#[tokio::test]
async fn tokens_carry_descope_s_claims_with_their_types() {
    let Setup { emulator, client } = setup().await;
    let jane = login_for(Channel::Sms);
    let code = code_sent(&client, &emulator, Start::SignUp, Channel::Sms, &jane).await;
    let plain = verify_otp(&client, Channel::Sms, &jane, &code)
        .await
        .unwrap();
    let claims = claims_of(&session_of(&plain));
    assert_eq!(claims["amr"], json!(["sms"]));
    assert_eq!(
        (&claims["roles"], &claims["permissions"]),
        (&json!([]), &json!([]))
    );
    assert!(
        claims.get("tenants").is_none() && claims.get("dct").is_none(),
        "{claims}"
    );

    emulator.set_user_roles(&jane, &["admin"], &["p1"]).unwrap();
    emulator
        .add_user_to_tenant(&jane, tenant("T1", "Acme", &["member"]))
        .unwrap();
    let renewed = refresh(&client, &refresh_of(&plain)).await.unwrap();
    let session = claims_of(&session_of(&renewed));
    let refresh_claims = claims_of(&refresh_of(&plain));
    for (claims, drn) in [(&session, "DS"), (&refresh_claims, "DSR")] {
        assert_eq!(claims["iss"], emulator.project_id());
        assert!(claims["sub"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(claims["iat"].is_i64() && claims["exp"].is_i64());
        assert_eq!(claims["drn"], drn);
        assert!(claims["jti"].as_str().is_some_and(|s| s.len() >= 16));
        assert!(
            claims["amr"]
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string))
        );
    }
    let ttl = session["exp"].as_i64().unwrap() - session["iat"].as_i64().unwrap();
    assert_eq!(ttl, emulator.config().session_ttl.as_secs() as i64);
    assert_ne!(session["jti"], refresh_claims["jti"]);
    assert_eq!(
        (&session["roles"], &session["permissions"]),
        (&json!(["admin"]), &json!(["p1"]))
    );
    assert_eq!(
        session["tenants"],
        json!({"T1": {"roles": ["member"], "permissions": ["T1:read"]}})
    );
    assert!(session.get("dct").is_none());
}
