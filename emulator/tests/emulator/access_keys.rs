//! Access keys: created through management with a cleartext shown once, exchanged for a
//! session JWT that verifies with the emulator's JWKS (`sub` the key id, the key's roles,
//! permissions, tenants and claims), refused when unknown, deactivated, expired or called from
//! an address outside `permittedIps`, rotated, searched, and deleted.

use std::time::Duration;

use descope_emulator::{Emulator, jwt};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

/// `POST` to a management path; the status and answer.
async fn post(emulator: &Emulator, path: &str, body: Value) -> (u16, Value) {
    call_managed(emulator, Method::POST, path, Some(body)).await
}

/// A management call that must succeed; its answer.
async fn ok(emulator: &Emulator, path: &str, body: Value) -> Value {
    let (status, answer) = post(emulator, path, body).await;
    assert_eq!(status, 200, "{path}: {answer}");
    answer
}

/// Creates the key; its id and cleartext.
async fn create_key(emulator: &Emulator, body: Value) -> (String, String) {
    let created = ok(emulator, "/v1/mgmt/accesskey/create", body).await;
    let id = created["key"]["id"].as_str().unwrap().to_owned();
    let cleartext = created["cleartext"].as_str().unwrap().to_owned();
    (id, cleartext)
}

/// Exchanges `cleartext` as the SDKs do (`Bearer <ProjectId>:<cleartext>`).
pub async fn exchange(emulator: &Emulator, cleartext: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!(
            "{}/v1/auth/accesskey/exchange",
            emulator.base_url()
        ))
        .header(
            "Authorization",
            format!("Bearer {}:{cleartext}", emulator.project_id()),
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The claims of `token`, checked against the JWKS the emulator publishes.
pub async fn verified(emulator: &Emulator, token: &str) -> Value {
    let url = format!("{}/v2/keys/{}", emulator.base_url(), emulator.project_id());
    let jwks: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    jwt::verify_with_jwks(&jwks, token).expect("the signature holds")
}

/// A permission, a project role granting it, and tenant `T1` with a role of its own.
async fn directory(emulator: &Emulator) {
    for name in ["docs:read", "t1:manage"] {
        ok(
            emulator,
            "/v1/mgmt/permission/create",
            json!({"name": name}),
        )
        .await;
    }
    ok(
        emulator,
        "/v1/mgmt/role/create",
        json!({"name": "reader", "permissionNames": ["docs:read"]}),
    )
    .await;
    ok(
        emulator,
        "/v1/mgmt/tenant/create",
        json!({"id": "T1", "name": "Acme"}),
    )
    .await;
    ok(
        emulator,
        "/v1/mgmt/role/create",
        json!({"name": "owner", "tenantId": "T1", "permissionNames": ["t1:manage"]}),
    )
    .await;
}

#[tokio::test]
async fn a_key_shows_its_cleartext_once_and_exchanges_for_a_session_jwt_of_its_roles() {
    let Setup { emulator, .. } = managed().await;
    directory(&emulator).await;
    let created = ok(
        &emulator,
        "/v1/mgmt/accesskey/create",
        json!({
            "name": "billing-worker",
            "roleNames": ["reader"],
            "keyTenants": [{"tenantId": "T1", "roleNames": ["owner"]}],
            "customClaims": {"service": "billing", "tier": 2},
            "expireTime": null,
            "description": "nightly",
        }),
    )
    .await;
    let key = &created["key"];
    let id = key["id"].as_str().unwrap().to_owned();
    let cleartext = created["cleartext"].as_str().unwrap().to_owned();
    assert!(!cleartext.is_empty() && !cleartext.contains(':'));
    assert_eq!(key["status"], "active");
    assert_eq!(key["keyTenants"][0]["tenantName"], "Acme");

    // Never again: neither load nor search answers the cleartext.
    let (status, loaded) = call_managed(
        &emulator,
        Method::GET,
        &format!("/v1/mgmt/accesskey?id={id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{loaded}");
    assert_eq!(loaded["key"]["name"], "billing-worker");
    let found = ok(&emulator, "/v1/mgmt/accesskey/search", json!({})).await;
    for answer in [&loaded, &found] {
        assert!(!answer.to_string().contains(&cleartext), "{answer}");
    }

    let (status, answer) = exchange(
        &emulator,
        &cleartext,
        json!({"loginOptions": {"customClaims": {"run": 7}, "selectedTenant": "T1"}}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["keyId"], id.as_str());
    assert!(answer.get("refreshJwt").is_none());
    let claims = verified(&emulator, answer["sessionJwt"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["iss"], emulator.project_id());
    assert_eq!(claims["drn"], "DS");
    assert_eq!(claims["exp"], answer["expiration"]);
    // The session lifetime (10 minutes by default), from the emulator's clock.
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap(), iat + 600);
    assert!((iat - unix_now(&emulator)).abs() <= 1);
    assert_eq!(claims["roles"], json!(["reader"]));
    assert_eq!(claims["permissions"], json!(["docs:read"]));
    assert_eq!(
        claims["tenants"],
        json!({"T1": {"roles": ["owner"], "permissions": ["t1:manage"]}})
    );
    assert_eq!(claims["dct"], "T1");
    assert_eq!(
        (&claims["service"], &claims["tier"]),
        (&json!("billing"), &json!(2))
    );
    assert_eq!(claims["run"], 7);

    // A tenant the key is not in, and a key that does not exist.
    let (status, refused) = exchange(
        &emulator,
        &cleartext,
        json!({"loginOptions": {"selectedTenant": "T9"}}),
    )
    .await;
    assert_eq!((status, &refused["errorCode"]), (403, &json!("E011003")));
    let (status, refused) = exchange(&emulator, "not-a-key", json!({})).await;
    assert_eq!((status, &refused["errorCode"]), (401, &json!("E011003")));

    // A rotation: same key, new cleartext; the old one is refused.
    let rotated = ok(&emulator, "/v1/mgmt/accesskey/rotate", json!({"id": id})).await;
    assert_eq!(rotated["key"]["id"], id.as_str());
    let fresh = rotated["cleartext"].as_str().unwrap();
    assert_ne!(fresh, cleartext);
    assert_eq!(exchange(&emulator, &cleartext, json!({})).await.0, 401);
    assert_eq!(exchange(&emulator, fresh, json!({})).await.0, 200);
}

#[tokio::test]
async fn deactivated_and_expired_keys_are_refused() {
    let Setup { emulator, .. } = managed().await;
    let (id, cleartext) = create_key(&emulator, json!({"name": "job"})).await;
    assert_eq!(exchange(&emulator, &cleartext, json!({})).await.0, 200);

    ok(
        &emulator,
        "/v1/mgmt/accesskey/deactivate",
        json!({"id": id}),
    )
    .await;
    let (status, refused) = exchange(&emulator, &cleartext, json!({})).await;
    assert_eq!((status, &refused["errorCode"]), (401, &json!("E011003")));
    assert!(
        refused["errorMessage"]
            .as_str()
            .unwrap()
            .contains("deactivated")
    );
    ok(&emulator, "/v1/mgmt/accesskey/activate", json!({"id": id})).await;
    assert_eq!(exchange(&emulator, &cleartext, json!({})).await.0, 200);
    // The batches act on every id they know.
    ok(
        &emulator,
        "/v1/mgmt/accesskey/deactivate/batch",
        json!({"ids": [id, "K2unknown"]}),
    )
    .await;
    assert_eq!(exchange(&emulator, &cleartext, json!({})).await.0, 401);
    ok(
        &emulator,
        "/v1/mgmt/accesskey/activate/batch",
        json!({"ids": [id]}),
    )
    .await;
    assert_eq!(exchange(&emulator, &cleartext, json!({})).await.0, 200);

    let expires = unix_now(&emulator) + 60;
    let (_, expiring) =
        create_key(&emulator, json!({"name": "short", "expireTime": expires})).await;
    assert_eq!(exchange(&emulator, &expiring, json!({})).await.0, 200);
    emulator.advance_clock(Duration::from_secs(61));
    let (status, refused) = exchange(&emulator, &expiring, json!({})).await;
    assert_eq!((status, &refused["errorCode"]), (401, &json!("E011003")));
    assert!(
        refused["errorMessage"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    assert_eq!(exchange(&emulator, &cleartext, json!({})).await.0, 200);
}

#[tokio::test]
async fn permitted_ips_refuse_other_addresses_and_admit_loopback() {
    let Setup { emulator, .. } = managed().await;
    let (_, elsewhere) = create_key(
        &emulator,
        json!({"name": "dc", "permittedIps": ["10.0.0.0/8", "192.168.1.7"]}),
    )
    .await;
    let (status, refused) = exchange(&emulator, &elsewhere, json!({})).await;
    assert_eq!((status, &refused["errorCode"]), (403, &json!("E011003")));

    for permitted in [json!(["127.0.0.1"]), json!(["10.0.0.0/8", "127.0.0.0/8"])] {
        let (_, local) = create_key(
            &emulator,
            json!({"name": "local", "permittedIps": permitted}),
        )
        .await;
        let (status, answer) = exchange(&emulator, &local, json!({})).await;
        assert_eq!(status, 200, "{permitted}: {answer}");
    }
    let (status, refused) = post(
        &emulator,
        "/v1/mgmt/accesskey/create",
        json!({"name": "bad", "permittedIps": ["localhost"]}),
    )
    .await;
    assert_eq!((status, &refused["errorCode"]), (400, &json!("E011004")));
}

#[tokio::test]
async fn references_must_exist_and_search_filters_keys() {
    let Setup { emulator, client } = managed().await;
    directory(&emulator).await;
    for (body, status, code) in [
        (json!({"name": "k", "roleNames": ["ghost"]}), 400, "E011004"),
        (
            json!({"name": "k", "keyTenants": [{"tenantId": "T9", "roleNames": []}]}),
            400,
            "E011004",
        ),
        (json!({"name": "k", "userId": "nobody"}), 404, "E062108"),
        (json!({"name": ""}), 400, "E011002"),
    ] {
        let (got, refused) = post(&emulator, "/v1/mgmt/accesskey/create", body.clone()).await;
        assert_eq!(
            (got, &refused["errorCode"]),
            (status, &json!(code)),
            "{body}"
        );
    }

    let jane = sign_in(&emulator, &client, "jane@example.com").await;
    let jane_id = jane.user.unwrap().user_id.unwrap();
    let (tenant_key, _) = create_key(
        &emulator,
        json!({"name": "tenant job", "keyTenants": [{"tenantId": "T1", "roleNames": ["owner"]}]}),
    )
    .await;
    let (bound_key, bound_secret) = create_key(
        &emulator,
        json!({"name": "jane's script", "userId": "jane@example.com", "roleNames": ["reader"]}),
    )
    .await;
    let ids = |answer: &Value| -> Vec<String> {
        answer["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|key| key["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let search = |body: Value| {
        let emulator = &emulator;
        async move { ok(emulator, "/v1/mgmt/accesskey/search", body).await }
    };
    assert_eq!(
        ids(&search(json!({"tenantIds": ["T1"]})).await),
        [tenant_key.as_str()]
    );
    assert_eq!(
        ids(&search(json!({"boundUserId": jane_id})).await),
        [bound_key.as_str()]
    );
    assert_eq!(
        ids(&search(json!({"text": "SCRIPT"})).await),
        [bound_key.as_str()]
    );
    assert_eq!(
        ids(&search(json!({"tenantIds": null, "text": null})).await).len(),
        2
    );

    // A bound key acts with its user's roles, whatever its own.
    let (_, answer) = exchange(&emulator, &bound_secret, json!({})).await;
    let claims = verified(&emulator, answer["sessionJwt"].as_str().unwrap()).await;
    assert_eq!(
        (&claims["sub"], &claims["roles"]),
        (&json!(bound_key), &json!([]))
    );

    let updated = ok(
        &emulator,
        "/v1/mgmt/accesskey/update",
        json!({"id": tenant_key, "name": "renamed", "description": "d"}),
    )
    .await;
    assert_eq!(updated["key"]["name"], "renamed");
    assert_eq!(
        updated["key"]["keyTenants"][0]["roleNames"],
        json!(["owner"])
    );
    ok(
        &emulator,
        "/v1/mgmt/accesskey/delete",
        json!({"id": tenant_key}),
    )
    .await;
    let (status, missing) = call_managed(
        &emulator,
        Method::GET,
        &format!("/v1/mgmt/accesskey?id={tenant_key}"),
        None,
    )
    .await;
    assert_eq!((status, &missing["errorCode"]), (404, &json!("E011004")));
    ok(
        &emulator,
        "/v1/mgmt/accesskey/delete/batch",
        json!({"ids": [bound_key]}),
    )
    .await;
    assert!(ids(&search(json!({})).await).is_empty());
    assert_eq!(exchange(&emulator, &bound_secret, json!({})).await.0, 401);

    // Imported keys keep the secret they came with.
    let imported = ok(
        &emulator,
        "/v1/mgmt/accesskey/import",
        json!({"keys": [{"name": "legacy", "cleartext": "legacy-secret-1", "roleNames": ["reader"]}]}),
    )
    .await;
    assert!(!imported.to_string().contains("legacy-secret-1"));
    assert_eq!(
        exchange(&emulator, "legacy-secret-1", json!({})).await.0,
        200
    );
}
