//! Tenants through the management API: create, load (a bare tenant), search, overwrite,
//! delete (with `cascade`), default roles given to new members, membership in the users' JWTs,
//! settings, SSO setup links; and the test-only endpoints that define tenants, roles and
//! permissions as the management create calls do.

use descope_client::types;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn tenants_are_created_loaded_searched_overwritten_and_deleted() {
    let Setup { emulator, client } = managed().await;
    let acme = client
        .create_tenant("Acme")
        .id("T1")
        .self_provisioning_domains(["acme.com".to_owned()])
        .custom_attributes(json!({"region": "eu"}).as_object().cloned().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(acme.id.as_deref(), Some("T1"));
    let made = client
        .create_tenant("Globex")
        .send()
        .await
        .unwrap()
        .into_inner();
    let globex = made.id.unwrap();
    assert!(globex.starts_with('T') && globex.len() > 2);
    let sub = client
        .create_tenant("Acme EU")
        .id("T1-eu")
        .parent("T1")
        .send()
        .await
        .unwrap();
    assert_eq!(sub.into_inner().id.as_deref(), Some("T1-eu"));
    let invalid = (400, "E011004".to_owned());
    assert_eq!(
        refusal(client.create_tenant("Other").id("T1").send().await),
        invalid
    );
    assert_eq!(refusal(client.create_tenant("Acme").send().await), invalid);
    let orphan = client.create_tenant("Orphan").parent("T9").send().await;
    assert_eq!(refusal(orphan), (404, "E011004".to_owned()));

    let loaded = client.load_tenant("T1").send().await.unwrap().into_inner();
    assert_eq!(loaded.name.as_deref(), Some("Acme"));
    assert_eq!(loaded.self_provisioning_domains, ["acme.com"]);
    assert_eq!(loaded.successors, ["T1-eu"]);
    assert_eq!(loaded.auth_type, Some(types::TenantAuthType::None));
    let created_time = loaded.created_time.unwrap();
    // The answer is the bare tenant, as the SDKs parse it.
    let (status, bare) = call_managed(&emulator, Method::GET, "/v1/mgmt/tenant?id=T1", None).await;
    assert_eq!(
        (status, &bare["id"], &bare["customAttributes"]),
        (200, &json!("T1"), &json!({"region": "eu"}))
    );
    let (status, error) = call_managed(&emulator, Method::GET, "/v1/mgmt/tenant", None).await;
    assert_eq!((status, &error["errorCode"]), (400, &json!("E011002")));
    let unknown = client.load_tenant("T9").send().await;
    assert_eq!(refusal(unknown), (404, "E011004".to_owned()));

    let all = client.load_all_tenants().send().await.unwrap().into_inner();
    assert_eq!(all.tenants.len(), 3);
    let search = |body: Value| {
        let client = &client;
        async move {
            let found = client
                .search_tenants()
                .body(typed::<types::TenantSearchRequest>(body))
                .send()
                .await
                .unwrap()
                .into_inner();
            found
                .tenants
                .into_iter()
                .map(|t| t.id.unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search(json!({"tenantNames": ["Acme"]})).await, ["T1"]);
    assert_eq!(
        search(json!({"tenantSelfProvisioningDomains": ["acme.com"]})).await,
        ["T1"]
    );
    assert_eq!(
        search(json!({"customAttributes": {"region": "eu"}})).await,
        ["T1"]
    );
    assert_eq!(search(json!({"parentTenantId": "T1"})).await, ["T1-eu"]);
    assert_eq!(
        search(json!({"topLevelOnly": true})).await,
        ["T1", globex.as_str()]
    );
    assert_eq!(
        search(json!({"tenantIds": null, "tenantNames": null}))
            .await
            .len(),
        3
    );
    assert!(search(json!({"tenantIds": ["nope"]})).await.is_empty());

    // Update overwrites: what is left out is cleared; the id, time and parent stay.
    client
        .update_tenant("T1", "Acme Corp")
        .send()
        .await
        .unwrap();
    let loaded = client.load_tenant("T1").send().await.unwrap().into_inner();
    assert_eq!(loaded.name.as_deref(), Some("Acme Corp"));
    assert!(loaded.self_provisioning_domains.is_empty());
    assert_eq!(loaded.created_time, Some(created_time));
    let taken = client.update_tenant("T1", "Globex").send().await;
    assert_eq!(refusal(taken), invalid);

    // A tenant with sub-tenants cannot go first.
    assert_eq!(refusal(client.delete_tenant("T1").send().await), invalid);
    client.delete_tenant("T1-eu").send().await.unwrap();
    client.delete_tenant("T1").send().await.unwrap();
    assert_eq!(refusal(client.delete_tenant("T1").send().await).0, 404);
    let all = client.load_all_tenants().send().await.unwrap().into_inner();
    assert_eq!(all.tenants.len(), 1);
}

#[tokio::test]
async fn members_get_default_roles_and_tenant_claims_and_lose_them_with_the_tenant() {
    let Setup { emulator, client } = managed().await;
    client.create_permission("billing").send().await.unwrap();
    client
        .create_role("member")
        .permission_names(["billing".to_owned()])
        .send()
        .await
        .unwrap();
    for (id, name) in [("T1", "Acme"), ("T2", "Globex")] {
        client.create_tenant(name).id(id).send().await.unwrap();
    }
    let unknown_role = client
        .update_tenant_default_roles("T1", vec!["ghost".to_owned()])
        .send()
        .await;
    assert_eq!(refusal(unknown_role), (400, "E011004".to_owned()));
    client
        .update_tenant_default_roles("T1", vec!["member".to_owned()])
        .send()
        .await
        .unwrap();
    for login in ["jane@example.com", "bob@example.com"] {
        client.create_user(login).email(login).send().await.unwrap();
    }
    let tokens = sign_in(&emulator, &client, "jane@example.com").await;
    let joined = client
        .add_user_tenant("jane@example.com", "T1")
        .send()
        .await
        .unwrap()
        .into_inner()
        .user
        .unwrap();
    let membership = &joined.user_tenants[0];
    assert_eq!(membership.tenant_name.as_deref(), Some("Acme"));
    assert_eq!(
        membership.role_names,
        ["member"],
        "the tenant's default roles"
    );
    // Joining again changes nothing.
    client
        .add_user_tenant("jane@example.com", "T1")
        .send()
        .await
        .unwrap();
    client
        .add_user_tenant("jane@example.com", "T2")
        .send()
        .await
        .unwrap();
    let renewed = refresh(&client, &refresh_of(&tokens)).await.unwrap();
    let claims = claims_of(&session_of(&renewed));
    assert_eq!(
        claims["tenants"],
        json!({
            "T1": {"roles": ["member"], "permissions": ["billing"]},
            "T2": {"roles": [], "permissions": []},
        })
    );
    // A tenant joined through management can be selected.
    let selected = client
        .select_tenant(refresh_of(&tokens), "T1")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(claims_of(&session_of(&selected))["dct"], "T1");
    // A renamed tenant shows its new name to its members.
    client
        .update_tenant("T1", "Acme Corp")
        .send()
        .await
        .unwrap();
    let me = me(&client, &refresh_of(&tokens)).await.unwrap();
    assert_eq!(me.user_tenants[0].tenant_name.as_deref(), Some("Acme Corp"));

    // Bob belongs to T2 alone: a cascading delete takes him (and his sessions) along.
    client
        .add_user_tenant("bob@example.com", "T2")
        .send()
        .await
        .unwrap();
    let bob = sign_in(&emulator, &client, "bob@example.com").await;
    client
        .delete_tenant("T2")
        .cascade(true)
        .send()
        .await
        .unwrap();
    let gone = client.load_user().login_id("bob@example.com").send().await;
    assert_eq!(refusal(gone), (404, "E062108".to_owned()));
    assert_eq!(refusal(refresh(&client, &refresh_of(&bob)).await).0, 401);
    let jane = client
        .load_user()
        .login_id("jane@example.com")
        .send()
        .await
        .unwrap()
        .into_inner()
        .user
        .unwrap();
    let tenants: Vec<_> = jane
        .user_tenants
        .iter()
        .map(|m| m.tenant_id.clone().unwrap())
        .collect();
    assert_eq!(tenants, ["T1"], "jane stays, without T2");
}

#[tokio::test]
async fn settings_and_sso_setup_links() {
    let Setup { emulator, client } = managed().await;
    client.create_tenant("Acme").id("T1").send().await.unwrap();
    let settings = client
        .get_tenant_settings("T1")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(settings.enabled, Some(false));
    assert_eq!(settings.auth_type, Some(types::TenantAuthType::None));

    // Node's configureSettings spells InactivityTime with a capital I.
    let (status, body) = call_managed(
        &emulator,
        Method::POST,
        "/v1/mgmt/tenant/settings",
        Some(json!({
            "tenantId": "T1", "selfProvisioningDomains": ["acme.com"], "domains": ["sso.acme.com"],
            "authType": "saml", "enabled": true,
            "sessionTokenExpiration": 10, "sessionTokenExpirationUnit": "minutes",
            "refreshTokenExpiration": 4, "refreshTokenExpirationUnit": "weeks",
            "enableInactivity": true, "InactivityTime": 30, "InactivityTimeUnit": "minutes",
        })),
    )
    .await;
    assert_eq!((status, body), (200, json!({})));
    let settings = client
        .get_tenant_settings("T1")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(settings.enabled, Some(true));
    assert_eq!(settings.session_token_expiration, Some(10));
    assert_eq!(settings.inactivity_time, Some(30));
    assert_eq!(settings.domains, ["sso.acme.com"]);
    assert_eq!(settings.auth_type, Some(types::TenantAuthType::Saml));
    let tenant = client.load_tenant("T1").send().await.unwrap().into_inner();
    assert_eq!(
        tenant.self_provisioning_domains,
        ["acme.com"],
        "shared with the tenant"
    );

    let too_short = client
        .configure_tenant_settings("T1")
        .enabled(true)
        .session_token_expiration(2)
        .session_token_expiration_unit("minutes")
        .send()
        .await;
    assert_eq!(refusal(too_short), (400, "E011004".to_owned()));
    let bad_unit = client
        .configure_tenant_settings("T1")
        .refresh_token_expiration_unit("fortnights")
        .send()
        .await;
    assert_eq!(refusal(bad_unit), (400, "E011004".to_owned()));
    let unknown = client.get_tenant_settings("T9").send().await;
    assert_eq!(refusal(unknown), (404, "E011004".to_owned()));

    let link = client
        .generate_tenant_sso_admin_link("T1")
        .expire_time(3600)
        .email("it@acme.com")
        .send()
        .await
        .unwrap()
        .into_inner()
        .admin_sso_configuration_link
        .unwrap();
    assert!(link.contains("?t="), "{link}");
    let sent = emulator.last_message_for("it@acme.com").unwrap();
    assert_eq!(sent.link(), Some(link.as_str()));
    let negative = client
        .generate_tenant_sso_admin_link("T1")
        .expire_time(-1)
        .send()
        .await;
    assert_eq!(refusal(negative), (400, "E011004".to_owned()));
    let signed_in = client
        .get_tenant_sso_admin_link_for_authenticated_user("T1")
        .send()
        .await
        .unwrap();
    assert!(
        signed_in
            .into_inner()
            .admin_sso_configuration_link
            .is_some()
    );
    emulator.clear_outbox();
    let send = client
        .send_tenant_sso_admin_link("T1", "admin@acme.com")
        .send()
        .await
        .unwrap();
    assert_eq!(send.status(), 200);
    assert!(emulator.last_message_for("admin@acme.com").is_some());
    client
        .revoke_tenant_sso_admin_link("T1")
        .send()
        .await
        .unwrap();
    client
        .remove_sso_suffix_from_external_id("T1")
        .send()
        .await
        .unwrap();
    let unknown = client.revoke_tenant_sso_admin_link("T9").send().await;
    assert_eq!(refusal(unknown), (404, "E011004".to_owned()));
}

#[tokio::test]
async fn the_test_only_api_defines_tenants_roles_and_permissions_as_management_does() {
    let Setup { emulator, client } = managed().await;
    let base = emulator.base_url();
    let (status, permission) = call(
        &base,
        Method::POST,
        "/emulator/permissions",
        Some(json!({"name": "docs:read", "description": null})),
    )
    .await;
    assert_eq!(
        (status, &permission["name"]),
        (200, &json!("docs:read")),
        "{permission}"
    );
    let (status, tenant) = call(
        &base,
        Method::POST,
        "/emulator/tenants",
        Some(json!({"name": "Acme", "id": "T1"})),
    )
    .await;
    assert_eq!((status, tenant), (200, json!({"id": "T1"})));
    let (status, role) = call(
        &base,
        Method::POST,
        "/emulator/roles",
        Some(json!({"name": "reader", "permissionNames": ["docs:read"], "tenantId": "T1"})),
    )
    .await;
    assert_eq!(status, 200, "{role}");
    assert_eq!(
        (&role["tenantId"], &role["permissionNames"]),
        (&json!("T1"), &json!(["docs:read"]))
    );
    // The same checks as management: schema, then existence and uniqueness.
    let (status, error) = call(
        &base,
        Method::POST,
        "/emulator/tenants",
        Some(json!({"id": "T2"})),
    )
    .await;
    assert_eq!((status, &error["errorCode"]), (400, &json!("E011002")));
    let (status, error) = call(
        &base,
        Method::POST,
        "/emulator/roles",
        Some(json!({"name": "writer", "permissionNames": ["nope"]})),
    )
    .await;
    assert_eq!((status, &error["errorCode"]), (400, &json!("E011004")));

    // The Rust twins.
    let id = emulator.create_tenant(&json!({"name": "Globex"})).unwrap();
    assert!(id.starts_with('T'));
    emulator.create_permission(&json!({"name": "p2"})).unwrap();
    let role = emulator
        .create_role(&json!({"name": "admin", "permissionNames": ["p2"]}))
        .unwrap();
    assert_eq!(role["name"], "admin");
    let taken = emulator
        .create_tenant(&json!({"name": "Globex"}))
        .unwrap_err();
    assert_eq!((taken.status, taken.code), (400, "E011004"));

    let all = client.load_all_tenants().send().await.unwrap().into_inner();
    assert_eq!(all.tenants.len(), 2);
    let roles = client.load_all_roles().send().await.unwrap().into_inner();
    assert_eq!(roles.roles.len(), 2);

    // A reset forgets them.
    let (_, report) = call(&base, Method::POST, "/emulator/reset", None).await;
    assert_eq!(
        (
            &report["cleared"]["tenants"],
            &report["cleared"]["roles"],
            &report["cleared"]["permissions"]
        ),
        (&json!(2), &json!(2), &json!(2))
    );
    let all = client.load_all_tenants().send().await.unwrap().into_inner();
    assert!(all.tenants.is_empty());
}
