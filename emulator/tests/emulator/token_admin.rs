//! Token administration with the management key: a JWT update keeps the claims and adds
//! custom ones with their JSON types; impersonation needs the `Impersonate` permission and,
//! when asked, the user's consent, marks its tokens with `act`, and stops back to the
//! impersonator; the backend sign-in, sign-up, sign-up-or-in and anonymous sessions.

use descope_emulator::Emulator;
use reqwest::Method;
use serde_json::{Value, json};

use crate::access_keys::verified;
use crate::support::*;

async fn post(emulator: &Emulator, path: &str, body: Value) -> (u16, Value) {
    call_managed(emulator, Method::POST, path, Some(body)).await
}

async fn ok(emulator: &Emulator, path: &str, body: Value) -> Value {
    let (status, answer) = post(emulator, path, body).await;
    assert_eq!(status, 200, "{path}: {answer}");
    answer
}

/// The code and status of a refusal.
fn refused(answer: (u16, Value)) -> (u16, String) {
    let code = answer.1["errorCode"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (answer.0, code)
}

#[tokio::test]
async fn a_jwt_update_keeps_the_claims_and_adds_custom_ones_of_any_type() {
    let Setup { emulator, client } = managed().await;
    let tokens = sign_in(&emulator, &client, "jane@example.com").await;
    let session = session_of(&tokens);
    let before = claims_of(&session);
    let answer = ok(
        &emulator,
        "/v1/mgmt/jwt/update",
        json!({
            "jwt": session,
            "customClaims": {"seats": 5, "ratio": 0.5, "plan": "pro", "beta": true,
                             "sub": "someone-else", "drn": "DSR"},
            "refreshDuration": 0,
        }),
    )
    .await;
    let claims = verified(&emulator, answer["jwt"].as_str().unwrap()).await;
    for kept in ["sub", "iss", "drn", "amr", "roles", "permissions"] {
        assert_eq!(claims[kept], before[kept], "{kept}");
    }
    assert_eq!(claims["seats"], json!(5));
    assert!(claims["seats"].is_i64() && claims["ratio"].is_f64());
    assert_eq!(
        (&claims["plan"], &claims["beta"]),
        (&json!("pro"), &json!(true))
    );
    assert_ne!(claims["jti"], before["jti"]);
    client
        .validate_session(answer["jwt"].as_str().unwrap())
        .await
        .expect("the updated JWT is a session like any other");

    // `refreshDuration` sets the new JWT's lifetime.
    let answer = ok(
        &emulator,
        "/v1/mgmt/jwt/update",
        json!({"jwt": session, "customClaims": {}, "refreshDuration": 30}),
    )
    .await;
    let claims = claims_of(answer["jwt"].as_str().unwrap());
    assert_eq!(
        claims["exp"].as_i64().unwrap(),
        claims["iat"].as_i64().unwrap() + 30
    );

    for jwt in [refresh_of(&tokens), "not.a.jwt".to_owned()] {
        let answer = post(&emulator, "/v1/mgmt/jwt/update", json!({"jwt": jwt})).await;
        assert_eq!(refused(answer), (401, "E011003".to_owned()));
    }
}

/// A user through management, with project roles; their user id.
async fn user(emulator: &Emulator, login_id: &str, roles: &[&str]) -> String {
    let created = ok(
        emulator,
        "/v1/mgmt/user/create",
        json!({"loginId": login_id, "email": login_id, "roleNames": roles}),
    )
    .await;
    created["user"]["userId"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn impersonation_needs_the_permission_and_consent_and_stops_back_to_the_actor() {
    let Setup { emulator, client } = managed().await;
    ok(
        &emulator,
        "/v1/mgmt/permission/create",
        json!({"name": "Impersonate"}),
    )
    .await;
    ok(
        &emulator,
        "/v1/mgmt/role/create",
        json!({"name": "support", "permissionNames": ["Impersonate"]}),
    )
    .await;
    let admin = user(&emulator, "admin@example.com", &["support"]).await;
    let _plain = user(&emulator, "plain@example.com", &[]).await;
    let jane = user(&emulator, "jane@example.com", &[]).await;
    let impersonate = |impersonator: &str, consent: bool| {
        json!({"impersonatorId": impersonator, "loginId": "jane@example.com",
               "validateConsent": consent, "customClaims": {"ticket": 42}})
    };

    let answer = post(
        &emulator,
        "/v1/mgmt/impersonate",
        impersonate("plain@example.com", false),
    )
    .await;
    assert_eq!(refused(answer), (403, "E011003".to_owned()));
    let answer = post(
        &emulator,
        "/v1/mgmt/impersonate",
        impersonate("admin@example.com", true),
    )
    .await;
    assert_eq!(refused(answer), (403, "E011003".to_owned()));
    let consent_until = unix_now(&emulator) + 3600;
    ok(
        &emulator,
        "/v1/mgmt/user/update/impersonationConsent",
        json!({"loginId": "jane@example.com", "impersonationConsent": consent_until}),
    )
    .await;

    // The impersonator named by user id this time, by login id above.
    let answer = ok(&emulator, "/v1/mgmt/impersonate", impersonate(&admin, true)).await;
    let impersonated = answer["jwt"].as_str().unwrap().to_owned();
    let claims = verified(&emulator, &impersonated).await;
    assert_eq!(
        (&claims["sub"], &claims["drn"]),
        (&json!(jane), &json!("DSR"))
    );
    assert_eq!(claims["act"], json!({"sub": admin}));
    assert_eq!(claims["ticket"], 42);
    assert!(claims.get("su").is_none());
    // Its sessions record the impersonator too.
    let session = session_of(&refresh(&client, &impersonated).await.unwrap());
    assert_eq!(claims_of(&session)["act"], json!({"sub": admin}));

    let stepped = ok(
        &emulator,
        "/v1/mgmt/impersonate/stepup",
        impersonate("admin@example.com", false),
    )
    .await;
    let stepped = claims_of(stepped["jwt"].as_str().unwrap());
    assert_eq!(
        (&stepped["su"], &stepped["act"]),
        (&json!(true), &json!({"sub": admin}))
    );

    let answer = ok(
        &emulator,
        "/v1/mgmt/stop/impersonation",
        json!({"jwt": impersonated, "customClaims": {"back": true}}),
    )
    .await;
    let actor = verified(&emulator, answer["jwt"].as_str().unwrap()).await;
    assert_eq!(
        (&actor["sub"], &actor["drn"]),
        (&json!(admin), &json!("DSR"))
    );
    assert!(actor.get("act").is_none());
    assert_eq!(actor["back"], true);
    assert_eq!(
        error_code(refresh(&client, &impersonated).await).as_str(),
        "E064001"
    );
    // A JWT of no impersonation cannot be stopped.
    let answer = post(
        &emulator,
        "/v1/mgmt/stop/impersonation",
        json!({"jwt": answer["jwt"]}),
    )
    .await;
    assert_eq!(refused(answer), (400, "E011004".to_owned()));
}

#[tokio::test]
async fn the_backend_signs_users_up_and_in_and_anonymous_users_get_sessions() {
    let Setup { emulator, client } = managed().await;
    ok(
        &emulator,
        "/v1/mgmt/tenant/create",
        json!({"id": "T1", "name": "Acme"}),
    )
    .await;
    let up = ok(
        &emulator,
        "/v1/mgmt/auth/signup",
        json!({"loginId": "new@example.com", "user": {"name": "New", "email": "new@example.com"},
               "emailVerified": true, "customClaims": {"n": 1}, "refreshDuration": null,
               "userTenants": [{"tenantId": "T1", "roleNames": []}], "selectedTenantId": "T1"}),
    )
    .await;
    assert_eq!(up["firstSeen"], true);
    assert_eq!(up["user"]["verifiedEmail"], true);
    for field in [
        "cookieDomain",
        "cookiePath",
        "cookieMaxAge",
        "cookieExpiration",
    ] {
        assert!(up.get(field).is_some(), "{field}: {up}");
    }
    let user_id = up["user"]["userId"].as_str().unwrap();
    for (token, kind) in [(&up["sessionJwt"], "DS"), (&up["refreshJwt"], "DSR")] {
        let claims = verified(&emulator, token.as_str().unwrap()).await;
        assert_eq!(
            (&claims["sub"], &claims["drn"]),
            (&json!(user_id), &json!(kind))
        );
        assert_eq!((&claims["n"], &claims["dct"]), (&json!(1), &json!("T1")));
    }
    let again = post(
        &emulator,
        "/v1/mgmt/auth/signup",
        json!({"loginId": "new@example.com"}),
    )
    .await;
    assert_eq!(refused(again), (400, "E062107".to_owned()));

    let signed_in = ok(
        &emulator,
        "/v1/mgmt/auth/signin",
        json!({"loginId": "new@example.com", "customClaims": {"k": [1, 2]}, "stepup": false}),
    )
    .await;
    assert_eq!(signed_in["firstSeen"], false);
    assert_eq!(
        claims_of(signed_in["sessionJwt"].as_str().unwrap())["k"],
        json!([1, 2])
    );
    let unknown = post(
        &emulator,
        "/v1/mgmt/auth/signin",
        json!({"loginId": "ghost@example.com"}),
    )
    .await;
    assert_eq!(refused(unknown), (404, "E062108".to_owned()));
    // Step-up needs the user's refresh JWT, and marks the session.
    let bare = post(
        &emulator,
        "/v1/mgmt/auth/signin",
        json!({"loginId": "new@example.com", "stepup": true}),
    )
    .await;
    assert_eq!(refused(bare), (401, "E011003".to_owned()));
    let stepped = ok(
        &emulator,
        "/v1/mgmt/auth/signin",
        json!({"loginId": "new@example.com", "stepup": true, "jwt": up["refreshJwt"]}),
    )
    .await;
    assert_eq!(
        claims_of(stepped["sessionJwt"].as_str().unwrap())["su"],
        true
    );

    let fresh = ok(
        &emulator,
        "/v1/mgmt/auth/signup-in",
        json!({"loginId": "other@example.com"}),
    )
    .await;
    assert_eq!(fresh["firstSeen"], true);
    let known = ok(
        &emulator,
        "/v1/mgmt/auth/signup-in",
        json!({"loginId": "other@example.com"}),
    )
    .await;
    assert_eq!(known["firstSeen"], false);
    assert_eq!(known["user"]["userId"], fresh["user"]["userId"]);

    let anonymous = ok(
        &emulator,
        "/v1/mgmt/auth/anonymous",
        json!({"customClaims": {"cart": "C-1"}, "selectedTenant": null, "refreshDuration": null}),
    )
    .await;
    assert!(anonymous.get("user").is_none());
    let session = verified(&emulator, anonymous["sessionJwt"].as_str().unwrap()).await;
    let refresh_claims = verified(&emulator, anonymous["refreshJwt"].as_str().unwrap()).await;
    assert_eq!(
        (&session["danu"], &session["cart"]),
        (&json!(true), &json!("C-1"))
    );
    assert_eq!(session["sub"], refresh_claims["sub"]);
    let (status, _) = call_managed(
        &emulator,
        Method::GET,
        &format!("/v1/mgmt/user?userId={}", session["sub"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(status, 404, "an anonymous user is stored nowhere");
    let renewed = refresh(&client, anonymous["refreshJwt"].as_str().unwrap())
        .await
        .unwrap();
    let renewed = claims_of(&session_of(&renewed));
    assert_eq!(
        (&renewed["sub"], &renewed["danu"]),
        (&session["sub"], &json!(true))
    );
}
