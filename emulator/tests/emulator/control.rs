//! The controls a test suite drives between tests, over raw HTTP and in Rust: the reset back
//! to the start-up state, the rate limit switched on and off at run time, and `admin_api:
//! false`, under which no `/emulator/…` path exists.

use std::collections::BTreeMap;
use std::time::Duration;

use descope_client::{Error, ErrorCode};
use descope_emulator::{Channel, EmulatorConfig, RateLimit, SeedUser};
use reqwest::Method;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn reset_forgets_the_state_keeps_the_keys_and_restores_the_configuration() {
    let jane = SeedUser {
        roles: vec!["admin".to_owned()],
        fixed_code: Some("111111".to_owned()),
        ..SeedUser::new("jane@example.com")
    };
    let config = EmulatorConfig {
        users: vec![jane],
        fixed_codes: BTreeMap::from([("bob@example.com".to_owned(), "222222".to_owned())]),
        rate_limit: Some(RateLimit {
            max_calls: 100,
            window: Duration::from_secs(60),
        }),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let base = emulator.base_url();
    // The seeded user signs in without signing up; bob signs up.
    let code = code_sent(
        &client,
        &emulator,
        Start::SignIn,
        Channel::Email,
        "jane@example.com",
    )
    .await;
    assert_eq!(code, "111111");
    let janes = verify_otp(&client, Channel::Email, "jane@example.com", "111111")
        .await
        .unwrap();
    let old_jane = assert_signed_in(&emulator, &janes).await;
    let bobs = sign_in(&emulator, &client, "bob@example.com").await;
    send_link(
        &client,
        Start::SignUp,
        Channel::Email,
        "carol@example.com",
        None,
    )
    .await
    .unwrap();
    emulator.advance_clock(Duration::from_secs(60));
    emulator
        .set_fixed_code("dan@example.com", "333333")
        .unwrap();
    let kid = emulator.signing_kid();

    let (status, report) = call(&base, Method::POST, "/emulator/reset", None).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        report,
        json!({
            "cleared": {
                "users": 3, "codes": 0, "links": 1, "outboxMessages": 3, "refreshTokens": 2,
                "tenants": 0, "roles": 0, "permissions": 0, "customAttributes": 0, "accessKeys": 0,
                "fixedCodes": 3, "clockOffsetSeconds": 60, "rateWindowCalls": 5,
            },
            "restored": {
                "users": 1, "fixedCodes": 2,
                "rateLimit": {"maxCalls": 100, "windowSeconds": 60},
            },
        })
    );

    assert!(emulator.outbox().is_empty());
    assert_eq!(
        emulator.fixed_codes(),
        BTreeMap::from([
            ("bob@example.com".to_owned(), "222222".to_owned()),
            ("jane@example.com".to_owned(), "111111".to_owned()),
        ])
    );
    assert_eq!(emulator.signing_kid(), kid, "the keys are kept");
    let (_, clock) = call(&base, Method::GET, "/emulator/clock", None).await;
    assert_eq!(clock["offsetSeconds"], 0);
    // Bob and carol are gone; jane is back as seeded, a new user with her roles.
    let (status, _) = call(
        &base,
        Method::GET,
        "/emulator/users?loginId=bob%40example.com",
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (_, jane) = call(
        &base,
        Method::GET,
        "/emulator/users?loginId=jane%40example.com",
        None,
    )
    .await;
    assert_eq!(jane["roleNames"], json!(["admin"]));
    assert_ne!(jane["userId"], json!(old_jane));
    // Refresh JWTs from before are refused as revoked.
    for tokens in [&janes, &bobs] {
        let refused = refresh(&client, &refresh_of(tokens)).await;
        assert_eq!(error_code(refused), ErrorCode::TokenExpiredByLogout);
    }

    let report = emulator.reset().unwrap();
    assert_eq!((report.users, report.seeded_users), (1, 1));
    assert_eq!(
        report.rate_window_calls, 2,
        "the two refused refreshes counted"
    );
}

#[tokio::test]
async fn the_rate_limit_switches_on_and_off_at_run_time() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    let (_, off) = call(&base, Method::GET, "/emulator/rate-limit", None).await;
    assert_eq!(off, json!({"rateLimit": null}));
    let limit = json!({"maxCalls": 1, "windowSeconds": 60});
    let (status, on) = call(
        &base,
        Method::PUT,
        "/emulator/rate-limit",
        Some(limit.clone()),
    )
    .await;
    assert_eq!((status, &on), (200, &json!({"rateLimit": limit})));
    let send = |login_id: String| {
        let client = client.clone();
        async move { send_otp(&client, Start::SignUp, Channel::Email, &login_id).await }
    };
    send(login_for(Channel::Email)).await.unwrap();
    match send(login_for(Channel::Email)).await {
        Err(Error::Service(error)) => {
            assert_eq!(error.code, Some(ErrorCode::RateLimitExceeded));
            let wait = error.retry_after.expect("Retry-After");
            assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60));
        }
        other => panic!("expected 429, got {other:?}"),
    }
    assert_eq!(
        emulator.rate_limit(),
        Some(RateLimit {
            max_calls: 1,
            window: Duration::from_secs(60)
        })
    );
    let (status, off) = call(&base, Method::DELETE, "/emulator/rate-limit", None).await;
    assert_eq!((status, &off), (200, &json!({"rateLimit": null})));
    for _ in 0..3 {
        send(login_for(Channel::Email)).await.unwrap();
    }
    // No calls at all: every API call is refused, the admin API still answers.
    emulator.set_rate_limit(Some(RateLimit {
        max_calls: 0,
        window: Duration::from_secs(5),
    }));
    assert!(send(login_for(Channel::Email)).await.is_err());
    assert_eq!(
        call(&base, Method::GET, "/emulator/rate-limit", None)
            .await
            .0,
        200
    );

    let refused = [
        (
            json!({"maxCalls": -1, "windowSeconds": 60}),
            400,
            "E011003",
            "/maxCalls",
        ),
        (
            json!({"maxCalls": 1, "windowSeconds": 0}),
            400,
            "E011003",
            "/windowSeconds",
        ),
        (json!({"maxCalls": 1}), 400, "E011002", "windowSeconds"),
        (
            json!({"maxCalls": 1, "windowSeconds": 9, "burst": 2}),
            400,
            "E011003",
            "/burst",
        ),
    ];
    for (body, status, code, named) in refused {
        let (got, error) = call(&base, Method::PUT, "/emulator/rate-limit", Some(body)).await;
        assert_eq!(
            (got, &error["errorCode"]),
            (status, &json!(code)),
            "{error}"
        );
        let message = error["errorMessage"].as_str().unwrap();
        assert!(message.contains(named), "{message}");
    }
    let empty = reqwest::Client::new()
        .put(format!("{base}/emulator/rate-limit"))
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400, "PUT needs a body");
}

#[tokio::test]
async fn without_the_admin_api_every_emulator_path_is_an_unknown_path() {
    let config = EmulatorConfig {
        admin_api: false,
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let base = emulator.base_url();
    let (_, unknown) = call(&base, Method::GET, "/nothing", None).await;
    let paths = [
        (Method::GET, "/emulator/outbox"),
        (Method::DELETE, "/emulator/outbox"),
        (Method::POST, "/emulator/reset"),
        (Method::GET, "/emulator/clock"),
        (Method::POST, "/emulator/keys/rotate"),
        (Method::POST, "/emulator/users"),
        (Method::PUT, "/emulator/fixed-codes"),
        (Method::PUT, "/emulator/rate-limit"),
        (Method::GET, "/emulator/config"),
        (Method::GET, "/emulator/health"),
        (Method::GET, "/emulator"),
    ];
    for (method, path) in paths {
        let body = (method != Method::GET).then(|| json!({}));
        let (status, error) = call(&base, method.clone(), path, body).await;
        assert_eq!(status, 404, "{method} {path}");
        assert_eq!(error["errorCode"], unknown["errorCode"]);
        let message = error["errorMessage"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(&format!("not emulated: {method} {path} is none of the ")),
            "{message}"
        );
    }
    // The API and the Rust methods still work.
    let login_id = login_for(Channel::Email);
    sign_in(&emulator, &client, &login_id).await;
    assert_eq!(emulator.outbox().len(), 1);
}
