//! Roles and permissions through the management API: the permissions a role grants must
//! exist, roles are scoped by tenant, a user's roles must exist (in a tenant: the tenant's own
//! or project-level ones), the JWTs carry the roles and the permissions they grant at the next
//! sign-in or refresh, renames and deletions reach the users, a permission in use is taken out
//! of its roles when deleted, and batches are all or nothing.

use descope_client::{Client, types};
use serde_json::{Value, json};

use crate::support::*;

async fn permission(client: &Client, name: &str) {
    client.create_permission(name).send().await.unwrap();
}

async fn role(
    client: &Client,
    name: &str,
    permissions: &[&str],
    tenant: Option<&str>,
) -> types::Role {
    let mut call = client
        .create_role(name)
        .permission_names(permissions.iter().map(|&p| p.to_owned()));
    if let Some(tenant) = tenant {
        call = call.tenant_id(tenant);
    }
    call.send().await.unwrap().into_inner()
}

async fn role_names(client: &Client) -> Vec<(String, String)> {
    let roles = client
        .load_all_roles()
        .send()
        .await
        .unwrap()
        .into_inner()
        .roles;
    roles
        .into_iter()
        .map(|r| (r.name.unwrap(), r.tenant_id.unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn roles_given_through_management_reach_the_claims_with_their_permissions() {
    let Setup { emulator, client } = managed().await;
    for name in ["docs:read", "docs:write", "t1:manage"] {
        permission(&client, name).await;
    }
    role(&client, "reader", &["docs:read"], None).await;
    role(&client, "writer", &["docs:write", "docs:read"], None).await;
    client.create_tenant("Acme").id("T1").send().await.unwrap();
    role(&client, "owner", &["t1:manage"], Some("T1")).await;
    client
        .create_user("jane@example.com")
        .email("jane@example.com")
        .role_names(["reader".to_owned()])
        .user_tenants([typed::<types::AssociatedTenant>(
            json!({"tenantId": "T1", "roleNames": ["owner"]}),
        )])
        .send()
        .await
        .unwrap();

    // At sign-in: the roles, and the permissions they grant.
    let tokens = sign_in(&emulator, &client, "jane@example.com").await;
    let claims = claims_of(&session_of(&tokens));
    assert_eq!(claims["roles"], json!(["reader"]));
    assert_eq!(claims["permissions"], json!(["docs:read"]));
    assert_eq!(
        claims["tenants"]["T1"],
        json!({"roles": ["owner"], "permissions": ["t1:manage"]})
    );
    let user = tokens.user.clone().unwrap();
    assert_eq!(user.permissions, ["docs:read"]);
    assert_eq!(user.user_tenants[0].permissions, ["t1:manage"]);

    // Changed through management: the next refresh carries the change.
    client
        .add_user_roles("jane@example.com", vec!["writer".to_owned()])
        .send()
        .await
        .unwrap();
    client
        .add_user_roles("jane@example.com", vec!["reader".to_owned()])
        .tenant_id("T1")
        .send()
        .await
        .unwrap();
    let renewed = refresh(&client, &refresh_of(&tokens)).await.unwrap();
    let claims = claims_of(&session_of(&renewed));
    assert_eq!(claims["roles"], json!(["reader", "writer"]));
    assert_eq!(claims["permissions"], json!(["docs:read", "docs:write"]));
    assert_eq!(
        claims["tenants"]["T1"],
        json!({"roles": ["owner", "reader"], "permissions": ["t1:manage", "docs:read"]})
    );

    client
        .remove_user_roles(
            "jane@example.com",
            vec!["reader".to_owned(), "ghost".to_owned()],
        )
        .send()
        .await
        .unwrap();
    let set = client
        .set_user_roles("jane@example.com", vec!["owner".to_owned()])
        .tenant_id("T1")
        .send()
        .await
        .unwrap()
        .into_inner()
        .user
        .unwrap();
    assert_eq!(set.role_names, ["writer"]);
    assert_eq!(set.user_tenants[0].role_names, ["owner"]);
    let renewed = refresh(&client, &refresh_of(&tokens)).await.unwrap();
    assert_eq!(claims_of(&session_of(&renewed))["roles"], json!(["writer"]));

    // The admin API's explicit permissions stay beside the roles' ones.
    emulator
        .set_user_roles("jane@example.com", &["writer"], &["extra"])
        .unwrap();
    let renewed = refresh(&client, &refresh_of(&tokens)).await.unwrap();
    assert_eq!(
        claims_of(&session_of(&renewed))["permissions"],
        json!(["extra", "docs:write", "docs:read"])
    );
}

#[tokio::test]
async fn a_user_s_roles_must_exist_and_tenant_roles_be_the_tenant_s_or_the_project_s() {
    let Setup { emulator, client } = managed().await;
    for (id, name) in [("T1", "Acme"), ("T2", "Globex")] {
        client.create_tenant(name).id(id).send().await.unwrap();
    }
    role(&client, "viewer", &[], None).await;
    role(&client, "t2-only", &[], Some("T2")).await;
    client
        .create_user("jane")
        .email("jane@example.com")
        .send()
        .await
        .unwrap();
    let invalid = (400, "E011004".to_owned());

    let unknown = client
        .add_user_roles("jane", vec!["ghost".to_owned()])
        .send()
        .await;
    assert_eq!(refusal(unknown), invalid);
    let tenant_role_at_project_level = client
        .add_user_roles("jane", vec!["t2-only".to_owned()])
        .send()
        .await;
    assert_eq!(refusal(tenant_role_at_project_level), invalid);
    let not_a_member = client
        .add_user_roles("jane", vec!["viewer".to_owned()])
        .tenant_id("T1")
        .send()
        .await;
    assert_eq!(refusal(not_a_member), invalid);
    client.add_user_tenant("jane", "T1").send().await.unwrap();
    let other_tenant_s = client
        .add_user_roles("jane", vec!["t2-only".to_owned()])
        .tenant_id("T1")
        .send()
        .await;
    assert_eq!(refusal(other_tenant_s), invalid);
    client
        .add_user_roles("jane", vec!["viewer".to_owned()])
        .tenant_id("T1")
        .send()
        .await
        .unwrap();
    let unknown_tenant = client.add_user_tenant("jane", "T9").send().await;
    assert_eq!(refusal(unknown_tenant), invalid);
    let created = client
        .create_user("bob")
        .email("bob@example.com")
        .user_tenants([typed::<types::AssociatedTenant>(
            json!({"tenantId": "T1", "roleNames": ["t2-only"]}),
        )])
        .send()
        .await;
    assert_eq!(refusal(created), invalid);
    let unknown_project_role = client
        .create_user("bob")
        .role_names(["ghost".to_owned()])
        .send()
        .await;
    assert_eq!(refusal(unknown_project_role), invalid);

    // Removing the tenant takes its roles along.
    let removed = client
        .remove_user_tenant("jane", "T1")
        .send()
        .await
        .unwrap()
        .into_inner()
        .user
        .unwrap();
    assert!(removed.user_tenants.is_empty());
    drop(emulator);
}

#[tokio::test]
async fn roles_are_unique_per_scope_and_need_existing_permissions_and_tenants() {
    let Setup { emulator, client } = managed().await;
    permission(&client, "p1").await;
    client.create_tenant("Acme").id("T1").send().await.unwrap();
    let project = role(&client, "admin", &["p1"], None).await;
    assert!(
        project
            .id
            .as_deref()
            .is_some_and(|id| id.starts_with("ROL"))
    );
    assert_eq!(project.permission_names, ["p1"]);
    // The same name in a tenant is another role.
    let scoped = role(&client, "admin", &[], Some("T1")).await;
    assert_eq!(scoped.tenant_id.as_deref(), Some("T1"));
    let taken = client.create_role("admin").send().await;
    assert_eq!(refusal(taken), (400, "E011004".to_owned()));
    let unknown_permission = client
        .create_role("editor")
        .permission_names(["ghost".to_owned()])
        .send()
        .await;
    assert_eq!(refusal(unknown_permission), (400, "E011004".to_owned()));
    let unknown_tenant = client.create_role("editor").tenant_id("T9").send().await;
    assert_eq!(refusal(unknown_tenant), (404, "E011004".to_owned()));
    assert_eq!(
        role_names(&client).await,
        [
            ("admin".to_owned(), String::new()),
            ("admin".to_owned(), "T1".to_owned())
        ]
    );

    let search = |body: Value| {
        let client = &client;
        async move {
            let found = client
                .search_roles()
                .body(typed::<types::RoleSearchRequest>(body))
                .send()
                .await
                .unwrap()
                .into_inner();
            found
                .roles
                .into_iter()
                .map(|r| r.tenant_id.unwrap_or_default())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search(json!({"tenantIds": ["T1"]})).await, ["T1"]);
    assert_eq!(
        search(json!({"tenantIds": ["T1"], "includeProjectRoles": true})).await,
        ["", "T1"]
    );
    assert_eq!(search(json!({"permissionNames": ["p1"]})).await, [""]);
    assert_eq!(search(json!({"roleNameLike": "ADM"})).await.len(), 2);
    assert!(search(json!({"roleNames": ["nobody"]})).await.is_empty());

    // Update overwrites (the description goes when left out) and renames for the holders.
    client
        .create_user("jane")
        .email("jane@example.com")
        .role_names(["admin".to_owned()])
        .send()
        .await
        .unwrap();
    client
        .update_role("administrator")
        .name("admin")
        .send()
        .await
        .unwrap();
    let jane = client
        .load_user()
        .login_id("jane")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(jane.user.unwrap().role_names, ["administrator"]);
    let updated = client
        .update_role("administrator")
        .name("administrator")
        .description("all of it")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(updated.permission_names.is_empty(), "left out: cleared");
    assert_eq!(updated.description.as_deref(), Some("all of it"));
    let both = client
        .update_role("x")
        .name("administrator")
        .id(updated.id.clone().unwrap())
        .send()
        .await;
    assert_eq!(refusal(both).0, 400);
    let missing = client.update_role("x").name("nobody").send().await;
    assert_eq!(refusal(missing), (404, "E011004".to_owned()));

    // Deleting by id takes the role from its holders; the tenant's namesake stays.
    client
        .delete_role()
        .id(updated.id.unwrap())
        .send()
        .await
        .unwrap();
    let jane = client
        .load_user()
        .login_id("jane")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(jane.user.unwrap().role_names.is_empty());
    assert_eq!(
        role_names(&client).await,
        [("admin".to_owned(), "T1".to_owned())]
    );
    let gone = client.delete_role().name("administrator").send().await;
    assert_eq!(refusal(gone), (404, "E011004".to_owned()));
    drop(emulator);
}

#[tokio::test]
async fn a_deleted_permission_leaves_its_roles_and_their_holders_tokens() {
    let Setup { emulator, client } = managed().await;
    permission(&client, "docs:read").await;
    permission(&client, "docs:write").await;
    role(&client, "editor", &["docs:read", "docs:write"], None).await;
    client
        .create_user("jane@example.com")
        .email("jane@example.com")
        .role_names(["editor".to_owned()])
        .send()
        .await
        .unwrap();
    let tokens = sign_in(&emulator, &client, "jane@example.com").await;
    assert_eq!(
        claims_of(&session_of(&tokens))["permissions"],
        json!(["docs:read", "docs:write"])
    );

    let duplicate = client.create_permission("docs:read").send().await;
    assert_eq!(refusal(duplicate), (400, "E011004".to_owned()));
    // Renamed: the role grants it under its new name.
    client
        .update_permission("docs:view")
        .name("docs:read")
        .description("look")
        .send()
        .await
        .unwrap();
    // Deleted while in use: out of the role, which stays.
    let answer = client
        .delete_permission()
        .name("docs:write")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let roles = client
        .load_all_roles()
        .send()
        .await
        .unwrap()
        .into_inner()
        .roles;
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].permission_names, ["docs:view"]);
    let renewed = refresh(&client, &refresh_of(&tokens)).await.unwrap();
    assert_eq!(
        claims_of(&session_of(&renewed))["permissions"],
        json!(["docs:view"])
    );

    let permissions = client
        .load_all_permissions()
        .send()
        .await
        .unwrap()
        .into_inner();
    let listed: Vec<_> = permissions
        .permissions
        .iter()
        .map(|p| {
            (
                p.name.clone().unwrap(),
                p.description.clone().unwrap(),
                p.system_default,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [("docs:view".to_owned(), "look".to_owned(), Some(false))]
    );
    let missing = client.delete_permission().name("docs:write").send().await;
    assert_eq!(refusal(missing), (404, "E011004".to_owned()));
    let neither = client.delete_permission().send().await;
    assert_eq!(refusal(neither), (400, "E011002".to_owned()));
}

#[tokio::test]
async fn batches_are_all_or_nothing() {
    let Setup { emulator, client } = managed().await;
    let created = client
        .create_permissions(vec![
            typed::<types::PermissionCreateRequest>(json!({"name": "a"})),
            typed(json!({"name": "b", "description": "B"})),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let failed = client
        .create_permissions(vec![
            typed::<types::PermissionCreateRequest>(json!({"name": "c"})),
            typed(json!({"name": "a"})),
        ])
        .send()
        .await;
    assert_eq!(refusal(failed), (400, "E011004".to_owned()));
    let names = |list: types::PermissionList| -> Vec<String> {
        list.permissions
            .into_iter()
            .map(|p| p.name.unwrap())
            .collect()
    };
    let all = client
        .load_all_permissions()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(all), ["a", "b"], "c was not created");

    let failed = client
        .create_roles(vec![
            typed::<types::RoleCreateRequest>(json!({"name": "r1", "permissionNames": ["a"]})),
            typed(json!({"name": "r2", "permissionNames": ["nope"]})),
        ])
        .send()
        .await;
    assert_eq!(refusal(failed), (400, "E011004".to_owned()));
    assert!(role_names(&client).await.is_empty());
    client.create_tenant("Acme").id("T1").send().await.unwrap();
    let made = client
        .create_roles(vec![
            typed::<types::RoleCreateRequest>(json!({"name": "r1", "permissionNames": ["a"]})),
            typed(json!({"name": "r2", "tenantId": "T1"})),
            typed(json!({"name": "r3", "tenantId": "T1"})),
        ])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(made.roles.len(), 3);
    let renamed = client
        .update_roles(vec![typed::<types::RoleUpdateRequest>(
            json!({"name": "r1", "newName": "r1b", "permissionNames": ["b"]}),
        )])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(renamed.roles[0].permission_names, ["b"]);

    let missing = client
        .delete_roles()
        .role_names(["r2".to_owned(), "nope".to_owned()])
        .tenant_id("T1")
        .send()
        .await;
    assert_eq!(refusal(missing).0, 404);
    assert_eq!(role_names(&client).await.len(), 3, "nothing was deleted");
    // No filter: every role of the scope, as the service does by the Python SDK's account.
    client.delete_roles().tenant_id("T1").send().await.unwrap();
    assert_eq!(
        role_names(&client).await,
        [("r1b".to_owned(), String::new())]
    );

    let empty = client.delete_permissions().send().await;
    assert_eq!(refusal(empty), (400, "E011002".to_owned()));
    client
        .delete_permissions()
        .names(["a".to_owned(), "b".to_owned()])
        .send()
        .await
        .unwrap();
    let all = client
        .load_all_permissions()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(names(all).is_empty());
    let roles = client
        .load_all_roles()
        .send()
        .await
        .unwrap()
        .into_inner()
        .roles;
    assert!(roles[0].permission_names.is_empty());
    drop(emulator);
}
