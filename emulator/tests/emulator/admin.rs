//! The test-only `/emulator/…` endpoints over raw HTTP: users' roles and tenants, the clock and
//! key rotation, their refusals, and that the rate limit counts neither them nor the keys.

use std::time::Duration;

use descope_emulator::{Channel, EmulatorConfig, RateLimit};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn roles_and_tenants_set_over_http_reach_me_and_the_tokens() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    let login_id = login_for(Channel::Email);
    let tokens = sign_in(&emulator, &client, &login_id).await;
    use reqwest::Method;

    let roles = json!({"loginId": login_id, "roles": ["admin"], "permissions": ["p1"]});
    let (status, user) = call(&base, Method::POST, "/emulator/users/roles", Some(roles)).await;
    assert_eq!(
        (status, &user["roleNames"]),
        (200, &json!(["admin"])),
        "{user}"
    );
    let membership = json!({"loginId": login_id, "tenantId": "T1", "roles": ["member"]});
    let (status, user) = call(
        &base,
        Method::POST,
        "/emulator/users/tenants",
        Some(membership),
    )
    .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(
        user["userTenants"],
        json!([{"tenantId": "T1", "tenantName": "T1", "roleNames": ["member"], "permissions": []}]),
        "the name defaults to the id"
    );
    let query = format!("/emulator/users?loginId={}", login_id.replace('@', "%40"));
    let (status, stored) = call(&base, Method::GET, &query, None).await;
    assert_eq!((status, &stored), (200, &user));

    let renewed = client
        .refresh(refresh_of(&tokens))
        .send()
        .await
        .unwrap()
        .into_inner();
    let claims = claims_of(&session_of(&renewed));
    assert_eq!(claims["roles"], json!(["admin"]));
    assert_eq!(claims["tenants"]["T1"]["roles"], json!(["member"]));

    let unknown = json!({"loginId": "nobody@example.com", "roles": []});
    let (status, error) = call(&base, Method::POST, "/emulator/users/roles", Some(unknown)).await;
    assert_eq!((status, &error["errorCode"]), (404, &json!("E062108")));
    let wrong = json!({"loginId": login_id, "roles": "admin"});
    let (status, error) = call(&base, Method::POST, "/emulator/users/roles", Some(wrong)).await;
    assert_eq!(
        (status, &error["errorCode"]),
        (400, &json!("E011003")),
        "{error}"
    );
    let missing = json!({"loginId": login_id});
    let (status, error) = call(
        &base,
        Method::POST,
        "/emulator/users/tenants",
        Some(missing),
    )
    .await;
    assert_eq!(
        (status, &error["errorCode"]),
        (400, &json!("E011002")),
        "{error}"
    );
}

#[tokio::test]
async fn the_clock_and_key_rotation_endpoints_move_time_and_keys() {
    let Setup { emulator, client } = setup().await;
    let base = emulator.base_url();
    use reqwest::Method;
    let login_id = login_for(Channel::Email);
    let tokens = sign_in(&emulator, &client, &login_id).await;

    let (status, clock) = call(
        &base,
        Method::POST,
        "/emulator/clock",
        Some(json!({"seconds": 60})),
    )
    .await;
    assert_eq!(
        (status, &clock["offsetSeconds"]),
        (200, &json!(60)),
        "{clock}"
    );
    assert_eq!(clock["now"].as_i64().unwrap(), unix_now(&emulator));
    let (_, read) = call(&base, Method::GET, "/emulator/clock", None).await;
    assert_eq!(read["offsetSeconds"], 60);
    let (status, _) = call(
        &base,
        Method::POST,
        "/emulator/clock",
        Some(json!({"seconds": -1})),
    )
    .await;
    assert_eq!(status, 400);
    // Beyond a century ahead: refused, not an overflow.
    let far = Some(json!({"seconds": u64::MAX}));
    let (status, _) = call(&base, Method::POST, "/emulator/clock", far).await;
    assert_eq!(status, 400);
    // Past the session's lifetime, it no longer validates.
    let seconds = emulator.config().session_ttl.as_secs();
    call(
        &base,
        Method::POST,
        "/emulator/clock",
        Some(json!({"seconds": seconds})),
    )
    .await;
    let expired = client
        .validate_session_remotely(session_of(&tokens))
        .send()
        .await;
    assert!(expired.is_err());

    let old_kid = emulator.signing_kid();
    let (status, rotated) = call(&base, Method::POST, "/emulator/keys/rotate", None).await;
    assert_eq!(
        (status, &rotated["retiredKid"]),
        (200, &json!(old_kid)),
        "{rotated}"
    );
    assert_eq!(rotated["kid"], emulator.signing_kid().as_str());
    assert_eq!(emulator.jwks()["keys"].as_array().unwrap().len(), 2);

    let (status, _) = call(&base, Method::GET, "/emulator/keys/rotate", None).await;
    assert_eq!(status, 405);
    let (status, _) = call(&base, Method::GET, "/emulator/nothing", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_rate_limit_counts_neither_the_keys_nor_the_emulator_endpoints() {
    let config = EmulatorConfig {
        rate_limit: Some(RateLimit {
            max_calls: 1,
            window: Duration::from_secs(60),
        }),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let base = emulator.base_url();
    for _ in 0..3 {
        let keys = format!("/v2/keys/{}", emulator.project_id());
        assert_eq!(call(&base, reqwest::Method::GET, &keys, None).await.0, 200);
        assert_eq!(
            call(&base, reqwest::Method::GET, "/emulator/clock", None)
                .await
                .0,
            200
        );
    }
    send_otp(
        &client,
        Start::SignUp,
        Channel::Email,
        &login_for(Channel::Email),
    )
    .await
    .unwrap();
    let limited = send_otp(
        &client,
        Start::SignUp,
        Channel::Email,
        &login_for(Channel::Email),
    )
    .await;
    assert!(limited.is_err(), "the second API call is over the limit");
}
