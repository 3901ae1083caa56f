//! Roles: project-level, or scoped to a tenant by `tenantId` (names are unique per scope), each
//! granting existing permissions (an unknown one is 400 `E011004`: permissions are not made on
//! the fly). A role is named by `id`, or by `name` in the scope of `tenantId` (project level
//! when absent). Renaming a role renames it where users hold it and in tenants' default roles;
//! deleting it takes it from them. Batches are all or nothing.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::{DefinitionAction, atomically, dedupe, empty, new_id, read};
use crate::error::ApiError;
use crate::state::directory::Role;
use crate::state::{State, unix};

/// Runs one role operation.
pub fn call(state: &mut State, action: DefinitionAction, body: &Value) -> Result<Value, ApiError> {
    use DefinitionAction::*;
    match action {
        LoadAll => Ok(roles(state.directory.roles.iter())),
        Search => Ok(search(state, body)),
        Create => create(state, body).map(|role| role.to_json()),
        Update => update(state, body).map(|role| role.to_json()),
        Delete => {
            let at = find(state, body)?;
            remove(state, at);
            Ok(empty())
        }
        CreateBatch | UpdateBatch => {
            let made = atomically(state, |state| {
                read::objects(body, "roles")
                    .map(|role| match action {
                        CreateBatch => create(state, role),
                        _ => update(state, role),
                    })
                    .collect::<Result<Vec<Role>, ApiError>>()
            })?;
            Ok(roles(made.iter()))
        }
        DeleteBatch => atomically(state, |state| delete_batch(state, body)).map(|()| empty()),
    }
}

fn roles<'r>(roles: impl Iterator<Item = &'r Role>) -> Value {
    let roles: Vec<Value> = roles.map(Role::to_json).collect();
    json!({ "roles": roles })
}

/// The permissions must exist.
fn check_permissions(state: &State, names: &[String]) -> Result<(), ApiError> {
    match names
        .iter()
        .find(|name| state.directory.permission(name).is_none())
    {
        Some(name) => Err(ApiError::conflict(format!(
            "permissionNames: no permission is named {name:?}; create it first"
        ))),
        None => Ok(()),
    }
}

/// Creates a role from a `RoleCreateRequest` body; shared with `POST /emulator/roles`.
pub fn create(state: &mut State, body: &Value) -> Result<Role, ApiError> {
    let name = read::required(body, "name")?.to_owned();
    let tenant = read::text(body, "tenantId").map(str::to_owned);
    if let Some(tenant) = &tenant
        && state.directory.tenant(tenant).is_none()
    {
        return Err(ApiError::not_found(format!(
            "no tenant has the id {tenant:?}"
        )));
    }
    if state.directory.role(&name, tenant.as_deref()).is_some() {
        return Err(ApiError::conflict(format!(
            "a role named {name:?} exists already in {}",
            scope(tenant.as_deref())
        )));
    }
    let permissions = read::list(body, "permissionNames").unwrap_or_default();
    check_permissions(state, &permissions)?;
    let role = Role {
        id: new_id("ROL")?,
        name,
        description: read::text(body, "description")
            .unwrap_or_default()
            .to_owned(),
        permission_names: permissions,
        created: unix(state.now()),
        tenant_id: tenant,
        default: read::flag(body, "default") == Some(true),
        private: read::flag(body, "private") == Some(true),
    };
    state.directory.roles.push(role.clone());
    Ok(role)
}

fn scope(tenant: Option<&str>) -> String {
    match tenant {
        Some(tenant) => format!("tenant {tenant:?}"),
        None => "the project".to_owned(),
    }
}

/// Where the role the body names (`id`, or `name` in the scope of `tenantId`) is.
fn find(state: &State, body: &Value) -> Result<usize, ApiError> {
    let tenant = read::text(body, "tenantId");
    let (at, what) = match (read::text(body, "id"), read::text(body, "name")) {
        (Some(_), Some(_)) => return Err(ApiError::invalid_request("give name or id, not both")),
        (None, None) => return Err(ApiError::missing("name or id is required")),
        (Some(id), None) => (
            state.directory.roles.iter().position(|r| r.id == id),
            format!("no role has the id {id:?}"),
        ),
        (None, Some(name)) => (
            state
                .directory
                .roles
                .iter()
                .position(|r| r.name == name && r.tenant_id.as_deref() == tenant),
            format!("no role named {name:?} in {}", scope(tenant)),
        ),
    };
    at.ok_or_else(|| ApiError::not_found(what))
}

/// Overwrites a role (`description`, `permissionNames`, `default`, `private`; absent clears)
/// and renames it to `newName`.
fn update(state: &mut State, body: &Value) -> Result<Role, ApiError> {
    let at = find(state, body)?;
    let new_name = read::required(body, "newName")?.to_owned();
    let old = state.directory.roles[at].clone();
    if new_name != old.name
        && state
            .directory
            .role(&new_name, old.tenant_id.as_deref())
            .is_some()
    {
        return Err(ApiError::conflict(format!(
            "a role named {new_name:?} exists already in {}",
            scope(old.tenant_id.as_deref())
        )));
    }
    let permissions = read::list(body, "permissionNames").unwrap_or_default();
    check_permissions(state, &permissions)?;
    let role = Role {
        name: new_name.clone(),
        description: read::text(body, "description")
            .unwrap_or_default()
            .to_owned(),
        permission_names: permissions,
        default: read::flag(body, "default") == Some(true),
        private: read::flag(body, "private") == Some(true),
        ..old.clone()
    };
    state.directory.roles[at] = role.clone();
    if new_name != old.name {
        rewrite(state, &old, Some(&new_name));
    }
    Ok(role)
}

/// Deletes the role at `at`, taking it from every user who holds it and from default roles.
fn remove(state: &mut State, at: usize) {
    let role = state.directory.roles.remove(at);
    rewrite(state, &role, None);
}

/// Renames (`Some`) or removes (`None`) the role's name where it refers to this role: users'
/// project roles and tenants' default roles for a project role, and memberships of tenants
/// whose own role of that name does not shadow it; memberships of its tenant for a tenant role.
fn rewrite(state: &mut State, role: &Role, new: Option<&str>) {
    let apply = |names: &mut Vec<String>| match new {
        Some(new) => {
            for name in names.iter_mut().filter(|name| **name == role.name) {
                *name = new.to_owned();
            }
            dedupe(names);
        }
        None => names.retain(|name| *name != role.name),
    };
    let directory = &mut state.directory;
    let shadowed = |tenant: &str| {
        directory
            .roles
            .iter()
            .any(|r| r.name == role.name && r.tenant_id.as_deref() == Some(tenant))
    };
    let shadowing: Vec<String> = directory
        .tenants
        .iter()
        .map(|t| t.id.clone())
        .chain(
            state
                .users
                .values()
                .flat_map(|u| u.tenants.iter().map(|m| m.tenant_id.clone())),
        )
        .filter(|tenant| shadowed(tenant))
        .collect();
    match &role.tenant_id {
        None => {
            for tenant in &mut directory.tenants {
                apply(&mut tenant.default_roles);
            }
            for user in state.users.values_mut() {
                apply(&mut user.roles);
                for membership in &mut user.tenants {
                    if !shadowing.contains(&membership.tenant_id) {
                        apply(&mut membership.roles);
                    }
                }
            }
        }
        Some(tenant) => {
            for user in state.users.values_mut() {
                if let Some(membership) = user.membership_mut(tenant) {
                    apply(&mut membership.roles);
                }
            }
        }
    }
}

/// `DeleteRoles`: the roles named and id'd, in the scope of `tenantId`; each must exist. With
/// neither names nor ids every role of the scope goes, as the Python SDK describes the service
/// (it refuses to send that itself; the Node SDK sends `{}`).
fn delete_batch(state: &mut State, body: &Value) -> Result<(), ApiError> {
    let tenant = read::text(body, "tenantId").map(str::to_owned);
    let names = read::list(body, "roleNames").unwrap_or_default();
    let ids = read::list(body, "roleIds").unwrap_or_default();
    if names.is_empty() && ids.is_empty() {
        while let Some(at) = state
            .directory
            .roles
            .iter()
            .position(|r| r.tenant_id == tenant)
        {
            remove(state, at);
        }
        return Ok(());
    }
    let scoped = |name: &String| json!({"name": name, "tenantId": tenant});
    for body in names
        .iter()
        .map(scoped)
        .chain(ids.iter().map(|id| json!({ "id": id })))
    {
        let at = find(state, &body)?;
        remove(state, at);
    }
    Ok(())
}

/// `SearchRoles`: with `tenantIds` those tenants' roles (and the project's with
/// `includeProjectRoles`), else every role; then the exact names and ids, `roleNameLike`
/// (part of the name, ignoring case), `text` (part of the name or description), and
/// `permissionNames` (roles granting any of them); sorted by `sort` when given.
fn search(state: &State, body: &Value) -> Value {
    let list = |key| read::list(body, key).unwrap_or_default();
    let (tenants, names, ids, permissions) = (
        list("tenantIds"),
        list("roleNames"),
        list("roleIds"),
        list("permissionNames"),
    );
    let with_project = read::flag(body, "includeProjectRoles") == Some(true);
    let like = read::text(body, "roleNameLike").map(str::to_lowercase);
    let text = read::text(body, "text").map(str::to_lowercase);
    let mut found: Vec<&Role> = state
        .directory
        .roles
        .iter()
        .filter(|r| match &r.tenant_id {
            _ if tenants.is_empty() => true,
            Some(tenant) => tenants.contains(tenant),
            None => with_project,
        })
        .filter(|r| names.is_empty() || names.contains(&r.name))
        .filter(|r| ids.is_empty() || ids.contains(&r.id))
        .filter(|r| {
            like.as_ref()
                .is_none_or(|like| r.name.to_lowercase().contains(like))
        })
        .filter(|r| {
            text.as_ref().is_none_or(|text| {
                r.name.to_lowercase().contains(text) || r.description.to_lowercase().contains(text)
            })
        })
        .filter(|r| {
            permissions.is_empty() || r.permission_names.iter().any(|p| permissions.contains(p))
        })
        .collect();
    let sorts: Vec<(String, bool)> = read::objects(body, "sort")
        .filter_map(|s| {
            Some((
                read::text(s, "field")?.to_owned(),
                read::flag(s, "desc") == Some(true),
            ))
        })
        .collect();
    found.sort_by(|a, b| {
        sorts
            .iter()
            .map(|(field, desc)| {
                let order = match field.as_str() {
                    "name" => a.name.cmp(&b.name),
                    "description" => a.description.cmp(&b.description),
                    "createdTime" => a.created.cmp(&b.created),
                    "tenantId" => a.tenant_id.cmp(&b.tenant_id),
                    _ => Ordering::Equal,
                };
                if *desc { order.reverse() } else { order }
            })
            .find(|order| order.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    roles(found.into_iter())
}
