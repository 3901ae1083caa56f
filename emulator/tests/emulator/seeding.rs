//! Deterministic test users: fixed codes (from the configuration, `PUT`/`PATCH
//! /emulator/fixed-codes` and Rust) that keep the rules of random ones, users seeded from a
//! JSON file who sign in without signing up, and `POST /emulator/users`.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::time::Duration;

use descope_client::ErrorCode;
use descope_emulator::{Channel, EmulatorConfig, SeedUser, load_users, try_start};
use reqwest::Method;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_fixed_code_replaces_the_random_one_and_keeps_every_rule() {
    let jane = "jane@example.com";
    let config = EmulatorConfig {
        fixed_codes: BTreeMap::from([(jane.to_owned(), "123456".to_owned())]),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    assert_eq!(
        code_sent(&client, &emulator, Start::SignUp, Channel::Email, jane).await,
        "123456"
    );
    let tokens = verify_otp(&client, Channel::Email, jane, "123456")
        .await
        .unwrap();
    assert_signed_in(&emulator, &tokens).await;
    // Single use per send.
    let reused = verify_otp(&client, Channel::Email, jane, "123456").await;
    assert_eq!(error_code(reused), ErrorCode::WrongOtpCode);
    // Every send carries it again; wrong attempts still burn it.
    assert_eq!(
        code_sent(&client, &emulator, Start::SignIn, Channel::Email, jane).await,
        "123456"
    );
    for _ in 0..2 {
        let wrong = verify_otp(&client, Channel::Email, jane, "654321").await;
        assert_eq!(error_code(wrong), ErrorCode::WrongOtpCode);
    }
    let third = verify_otp(&client, Channel::Email, jane, "654321").await;
    assert_eq!(error_code(third), ErrorCode::TooManyOtpAttempts);
    let burnt = verify_otp(&client, Channel::Email, jane, "123456").await;
    assert_eq!(error_code(burnt), ErrorCode::TooManyOtpAttempts);
    // And it expires.
    send_otp(&client, Start::SignIn, Channel::Email, jane)
        .await
        .unwrap();
    emulator.advance_clock(emulator.config().otp_ttl + Duration::from_secs(1));
    let late = verify_otp(&client, Channel::Email, jane, "123456").await;
    assert_eq!(error_code(late), ErrorCode::WrongOtpCode);

    // Set over HTTP, on another channel; other login ids keep random codes.
    let phone = login_for(Channel::Sms);
    let body = json!({ phone.clone(): "000000" });
    let base = emulator.base_url();
    let (status, _) = call(&base, Method::PATCH, "/emulator/fixed-codes", Some(body)).await;
    assert_eq!(status, 200);
    assert_eq!(
        code_sent(&client, &emulator, Start::SignUp, Channel::Voice, &phone).await,
        "000000"
    );
    verify_otp(&client, Channel::Voice, &phone, "000000")
        .await
        .unwrap();
    let other = login_for(Channel::Email);
    let random = code_sent(&client, &emulator, Start::SignUp, Channel::Email, &other).await;
    assert_eq!(random.len(), 6);
}

#[tokio::test]
async fn the_fixed_codes_endpoint_replaces_merges_and_refuses_bad_codes() {
    let Setup { emulator, .. } = setup().await;
    let base = emulator.base_url();
    let path = "/emulator/fixed-codes";
    assert_eq!(call(&base, Method::GET, path, None).await.1, json!({}));
    let all = json!({"a@x.io": "111111", "b@x.io": "222222"});
    assert_eq!(
        call(&base, Method::PUT, path, Some(all.clone())).await,
        (200, all)
    );
    let merged = call(
        &base,
        Method::PATCH,
        path,
        Some(json!({"a@x.io": null, "c@x.io": "333333"})),
    );
    assert_eq!(
        merged.await.1,
        json!({"b@x.io": "222222", "c@x.io": "333333"})
    );
    let replaced = call(&base, Method::PUT, path, Some(json!({"d@x.io": "444444"}))).await;
    assert_eq!(
        replaced.1,
        json!({"d@x.io": "444444"}),
        "PUT replaces them all"
    );

    let refused = [
        (
            Method::PUT,
            json!({"a@x.io": "12345"}),
            "/a@x.io: \"12345\" is not a six-digit code",
        ),
        (
            Method::PUT,
            json!({"a@x.io": null}),
            "/a@x.io: must be a six-digit code",
        ),
        (
            Method::PATCH,
            json!({"a@x.io": 123456}),
            "/a@x.io: must be a six-digit code or null",
        ),
        (
            Method::PATCH,
            json!({"": "123456"}),
            "a login id must not be empty",
        ),
    ];
    for (method, body, message) in refused {
        let (status, error) = call(&base, method, path, Some(body)).await;
        assert_eq!(
            (status, &error["errorCode"]),
            (400, &json!("E011003")),
            "{error}"
        );
        assert_eq!(error["errorMessage"], message);
    }
    assert_eq!(
        call(&base, Method::GET, path, None).await.1,
        json!({"d@x.io": "444444"})
    );

    emulator.set_fixed_code("e@x.io", "555555").unwrap();
    assert!(emulator.set_fixed_code("e@x.io", "abcdef").is_err());
    emulator.remove_fixed_code("d@x.io");
    let codes = emulator.fixed_codes();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        [("e@x.io".to_owned(), "555555".to_owned())]
    );
}

#[tokio::test]
async fn seeded_users_sign_in_without_signing_up_with_their_roles_and_tenants() {
    let file = std::env::temp_dir().join(format!("emulator-users-{}.json", std::process::id()));
    let users = json!({"users": [
        {
            "loginId": "jane@example.com", "name": "Jane Doe", "verifiedEmail": true,
            "roles": ["admin"], "permissions": ["users:write"],
            "tenants": [{"tenantId": "T1", "tenantName": "Acme", "roles": ["member"]}],
        },
        {"loginId": "+14155550111", "fixedCode": "987654"},
    ]});
    std::fs::write(&file, users.to_string()).unwrap();
    let seeded = load_users(&file);
    let _ = std::fs::remove_file(&file);
    let config = EmulatorConfig {
        users: seeded.unwrap(),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;

    let code = code_sent(
        &client,
        &emulator,
        Start::SignIn,
        Channel::Email,
        "jane@example.com",
    );
    let tokens = verify_otp(&client, Channel::Email, "jane@example.com", &code.await)
        .await
        .unwrap();
    assert_signed_in(&emulator, &tokens).await;
    assert_eq!(tokens.first_seen, Some(true));
    let user = tokens.user.as_ref().unwrap();
    assert_eq!(
        (user.name.as_deref(), user.verified_email),
        (Some("Jane Doe"), Some(true))
    );
    let claims = claims_of(&session_of(&tokens));
    assert_eq!(
        (&claims["roles"], &claims["permissions"]),
        (&json!(["admin"]), &json!(["users:write"]))
    );
    assert_eq!(claims["tenants"]["T1"]["roles"], json!(["member"]));
    let selected = client.select_tenant(refresh_of(&tokens), "T1").send().await;
    assert_eq!(
        claims_of(&session_of(&selected.unwrap().into_inner()))["dct"],
        "T1"
    );

    // A phone login id is the phone; the fixed code from the file applies.
    let code = code_sent(
        &client,
        &emulator,
        Start::SignIn,
        Channel::Sms,
        "+14155550111",
    )
    .await;
    assert_eq!(code, "987654");
    let tokens = verify_otp(&client, Channel::Sms, "+14155550111", &code)
        .await
        .unwrap();
    assert_eq!(claims_of(&session_of(&tokens))["amr"], json!(["sms"]));
    let taken = send_otp(&client, Start::SignUp, Channel::Email, "jane@example.com").await;
    assert_eq!(error_code(taken), ErrorCode::UserAlreadyExists);
}

#[tokio::test]
async fn a_malformed_seed_user_stops_the_start() {
    let config = EmulatorConfig {
        users: vec![SeedUser::new("jane@example.com"), SeedUser::new("jane")],
        ..EmulatorConfig::default()
    };
    let error = try_start(config).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(
        error
            .to_string()
            .starts_with("users[1].loginId: \"jane\" is neither"),
        "{error}"
    );
    let twice = EmulatorConfig {
        users: vec![SeedUser::new("a@x.io"), SeedUser::new("a@x.io")],
        ..EmulatorConfig::default()
    };
    let error = try_start(twice).await.unwrap_err().to_string();
    assert!(
        error.contains("users[1].loginId: \"a@x.io\" is also"),
        "{error}"
    );
}

#[tokio::test]
async fn post_users_adds_a_user_at_run_time_and_refuses_bad_ones() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    let sam = json!({
        "loginId": "sam@example.com", "roles": ["r1"],
        "tenants": [{"tenantId": "T9"}], "fixedCode": "555555",
    });
    let (status, user) = call(&base, Method::POST, "/emulator/users", Some(sam.clone())).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["loginIds"], json!(["sam@example.com"]));
    assert_eq!(user["email"], "sam@example.com");
    assert_eq!(user["userTenants"][0]["tenantName"], "T9");
    send_otp(&client, Start::SignIn, Channel::Email, "sam@example.com")
        .await
        .unwrap();
    let tokens = verify_otp(&client, Channel::Email, "sam@example.com", "555555")
        .await
        .unwrap();
    assert_eq!(
        assert_signed_in(&emulator, &tokens).await,
        user["userId"].as_str().unwrap()
    );

    let refused = [
        (
            sam,
            "E062107",
            "a user with login id \"sam@example.com\" already exists",
        ),
        (json!({}), "E011002", "/loginId: is required"),
        (
            json!({"loginId": "x@y.z", "tenants": [{"tenantName": "A"}]}),
            "E011002",
            "/tenants/0/tenantId: is required",
        ),
        (
            json!({"loginId": "x@y.z", "verified_email": true}),
            "E011003",
            "/verified_email: unknown field",
        ),
        (
            json!({"loginId": "x@y.z", "phone": "12"}),
            "E011003",
            "/phone: \"12\" is not a phone number",
        ),
        (
            json!({"loginId": "x@y.z", "roles": "admin"}),
            "E011003",
            "/roles: must be an array of strings",
        ),
    ];
    for (body, code, message) in refused {
        let (status, error) = call(&base, Method::POST, "/emulator/users", Some(body)).await;
        assert_eq!(
            (status, &error["errorCode"]),
            (400, &json!(code)),
            "{error}"
        );
        let shown = error["errorMessage"].as_str().unwrap();
        assert!(shown.starts_with(message), "{shown}");
    }

    let id = emulator.add_user(&SeedUser::new("+14155550199")).unwrap();
    assert!(id.starts_with('U'));
    let again = emulator
        .add_user(&SeedUser::new("+14155550199"))
        .unwrap_err();
    assert_eq!(again.code, "E062107");
}
