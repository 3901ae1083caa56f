//! Token delivery in cookies: the tokens leave the body for `Set-Cookie: DS` / `DSR`, the
//! generated client fills its fields from those cookies, and sign-out deletes them.

use descope_emulator::{Channel, EmulatorConfig, TenantMembership, TokenDelivery};
use reqwest::header::SET_COOKIE;
use serde_json::Value;

use crate::support::*;

const ATTRIBUTES: &str = "Path=/; HttpOnly; Secure; SameSite=Strict";

fn set_cookies(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect()
}

/// The value of cookie `name` among `cookies`, checking its attributes; `max_age` too when given.
fn cookie(cookies: &[String], name: &str, max_age: Option<u64>) -> String {
    let prefix = format!("{name}=");
    let cookie = cookies
        .iter()
        .find(|cookie| cookie.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {name} cookie in {} cookies", cookies.len()));
    let (pair, attributes) = cookie.split_once("; ").unwrap();
    assert!(attributes.starts_with(ATTRIBUTES), "{attributes}");
    if let Some(max_age) = max_age {
        assert!(
            attributes.ends_with(&format!("Max-Age={max_age}")),
            "{attributes}"
        );
    }
    pair[prefix.len()..].to_owned()
}

#[tokio::test]
async fn with_cookie_delivery_the_client_reads_the_tokens_from_ds_and_dsr() {
    let config = EmulatorConfig {
        token_delivery: TokenDelivery::Cookies,
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let login_id = login_for(Channel::Email);
    let code = code_sent(&client, &emulator, Start::SignUp, Channel::Email, &login_id).await;
    let verified = client
        .verify_otp_email(login_id.as_str(), code)
        .send()
        .await
        .unwrap();
    let cookies = set_cookies(verified.headers());
    let session_ttl = emulator.config().session_ttl.as_secs();
    let session = cookie(&cookies, "DS", Some(session_ttl));
    let refresh = cookie(
        &cookies,
        "DSR",
        Some(emulator.config().refresh_ttl.as_secs()),
    );
    let tokens = verified.into_inner();
    assert_eq!(tokens.session_jwt.as_deref(), Some(session.as_str()));
    assert_eq!(tokens.refresh_jwt.as_deref(), Some(refresh.as_str()));
    assert_signed_in(&emulator, &tokens).await;

    // On the wire, the body has no tokens; a refresh without rotation sets only `DS`.
    let raw = reqwest::Client::new()
        .post(format!("{}/v1/auth/refresh", emulator.base_url()))
        .bearer_auth(format!("{}:{refresh}", emulator.project_id()))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    let raw_cookies = set_cookies(raw.headers());
    assert_eq!(raw_cookies.len(), 1, "only DS");
    cookie(&raw_cookies, "DS", Some(session_ttl));
    let body: Value = raw.json().await.unwrap();
    assert!(
        body.get("sessionJwt").is_none() && body.get("refreshJwt").is_none(),
        "{body}"
    );
    assert!(body["sessionExpiration"].is_i64());

    let as_user = client.with_refresh_jwt(refresh.as_str());
    let renewed = client.refresh(&refresh).send().await.unwrap().into_inner();
    assert_eq!(claims_of(&session_of(&renewed))["drn"], "DS");
    let tried = as_user.try_refresh().send().await.unwrap().into_inner();
    assert!(tried.session_jwt.is_some());

    let membership = TenantMembership {
        tenant_id: "T1".into(),
        tenant_name: "Acme".into(),
        ..TenantMembership::default()
    };
    emulator.add_user_to_tenant(&login_id, membership).unwrap();
    let selected = client.select_tenant(&refresh, "T1").send().await.unwrap();
    let selected_cookies = set_cookies(selected.headers());
    let new_refresh = cookie(&selected_cookies, "DSR", None);
    assert_eq!(claims_of(&new_refresh)["dct"], "T1");
    assert_eq!(selected.into_inner().refresh_jwt, Some(new_refresh));

    let out = client.logout(&refresh).send().await.unwrap();
    let deletions = set_cookies(out.headers());
    assert_eq!(deletions.len(), 2);
    assert_eq!(cookie(&deletions, "DS", Some(0)), "");
    assert_eq!(cookie(&deletions, "DSR", Some(0)), "");
    assert_eq!(out.into_inner().refresh_jwt.as_deref(), Some(""));
}

#[tokio::test]
async fn the_cookie_fields_and_domain_reach_the_body_and_every_set_cookie() {
    let config = EmulatorConfig {
        token_delivery: TokenDelivery::Cookies,
        cookie_domain: "example.test".to_owned(),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let login_id = login_for(Channel::Email);
    let code = code_sent(&client, &emulator, Start::SignUp, Channel::Email, &login_id).await;
    let verified = client
        .verify_otp_email(login_id.as_str(), code)
        .send()
        .await
        .unwrap();
    let cookies = set_cookies(verified.headers());
    assert_eq!(cookies.len(), 2);
    for cookie in &cookies {
        let attributes = cookie.split_once("; ").unwrap().1;
        assert!(
            attributes.starts_with("Path=/; Domain=example.test; HttpOnly; Secure"),
            "{attributes}"
        );
    }
    let now = unix_now(&emulator);
    let config = emulator.config();
    let (session_ttl, refresh_ttl) = (
        config.session_ttl.as_secs() as i64,
        config.refresh_ttl.as_secs() as i64,
    );
    let tokens = verified.into_inner();
    assert_eq!(tokens.cookie_domain.as_deref(), Some("example.test"));
    assert_eq!(tokens.cookie_path.as_deref(), Some("/"));
    assert_eq!(tokens.cookie_max_age, Some(refresh_ttl as i32));
    let expiration = tokens.cookie_expiration.unwrap();
    assert!((expiration - now - refresh_ttl).abs() <= 2, "{expiration}");
    let session_expiration = tokens.session_expiration.unwrap();
    assert!((session_expiration - now - session_ttl).abs() <= 2);

    // On the wire the body has the cookie fields but not the tokens.
    let refresh = refresh_of(&tokens);
    let raw = reqwest::Client::new()
        .post(format!("{}/v1/auth/refresh", emulator.base_url()))
        .bearer_auth(format!("{}:{refresh}", emulator.project_id()))
        .send()
        .await
        .unwrap();
    let ds = set_cookies(raw.headers());
    assert!(ds[0].contains("; Domain=example.test;"), "{ds:?}");
    let body: Value = raw.json().await.unwrap();
    assert!(body.get("sessionJwt").is_none() && body.get("refreshJwt").is_none());
    assert_eq!(body["cookieDomain"], "example.test");
    assert_eq!(body["cookiePath"], "/");
    assert_eq!(body["cookieExpiration"], expiration);
    assert!(body["cookieMaxAge"].as_i64().unwrap() <= refresh_ttl);
    assert!(body["sessionExpiration"].is_i64());

    // The deletion cookies name the domain too, or a browser would keep the cookies.
    let out = client.logout(refresh).send().await.unwrap();
    let deletions = set_cookies(out.headers());
    assert_eq!(deletions.len(), 2);
    assert!(
        deletions
            .iter()
            .all(|c| c.contains("; Domain=example.test;") && c.ends_with("Max-Age=0")),
        "{deletions:?}"
    );
}

#[tokio::test]
async fn without_a_cookie_domain_the_body_carries_an_empty_one() {
    let Setup { emulator, client } = setup().await;
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    assert_eq!(tokens.cookie_domain.as_deref(), Some(""));
    assert_eq!(tokens.cookie_path.as_deref(), Some("/"));
    assert!(
        tokens.session_jwt.is_some(),
        "body delivery keeps the tokens in the body"
    );
}
