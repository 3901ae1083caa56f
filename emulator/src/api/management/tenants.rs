//! Tenants: create (an id given or made, unique ids and names, an existing parent), load,
//! list and search, overwrite, delete (members lose the tenant and its roles; with `cascade`,
//! users that belonged to it alone are deleted; a tenant with sub-tenants is refused), and
//! default roles (project-level roles new members receive); settings and SSO setup links are
//! `tenant_settings`'. A tenant that does not exist is 404 `E011004`; a taken id or name, or
//! an unknown role, 400 `E011004`.

use serde_json::{Value, json};

use super::tenant_settings as settings;
use super::{Input, TenantAction, empty, new_id, read};
use crate::api::context::Context;
use crate::error::ApiError;
use crate::state::directory::Tenant;
use crate::state::{State, unix};

/// Runs one tenant operation.
pub fn call(
    state: &mut State,
    context: &Context<'_>,
    action: TenantAction,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    use TenantAction::*;
    let body = input.body;
    match action {
        LoadAll => Ok(list(state, |_| true)),
        Load => {
            let id = read::query(input.query, "id")
                .ok_or_else(|| ApiError::missing("the id query parameter is required"))?;
            Ok(tenant(state, &id)?.to_json(&state.directory))
        }
        Search => search(state, body),
        Create => create(state, body).map(|id| json!({ "id": id })),
        Update => update(state, body).map(|()| empty()),
        Delete => delete(state, body).map(|()| empty()),
        DefaultRoles => {
            let id = read::required(body, "id")?;
            let roles = read::list(body, "defaultRoles").unwrap_or_default();
            if let Some(role) = roles
                .iter()
                .find(|r| state.directory.role(r, None).is_none())
            {
                return Err(ApiError::conflict(format!(
                    "defaultRoles: no project-level role is named {role:?}"
                )));
            }
            tenant_mut(state, id)?.default_roles = roles;
            Ok(empty())
        }
        // What this call changes is undocumented: the tenant is checked, nothing else.
        SsoUserRemove => tenant(state, read::required(body, "tenantId")?).map(|_| empty()),
        AdminLink(authenticated) => settings::admin_link(state, context, body, !authenticated),
        SendAdminLink => {
            read::required(body, "email")?;
            settings::admin_link(state, context, body, true).map(|_| empty())
        }
        RevokeAdminLink => {
            let id = tenant(state, read::required(body, "tenantId")?)?.id.clone();
            let sso = read::text(body, "ssoId");
            state.directory.admin_links.retain(|_, link| {
                link.tenant_id != id || sso.is_some_and(|sso| link.sso_id.as_deref() != Some(sso))
            });
            Ok(empty())
        }
        Settings => {
            let id = read::query(input.query, "id")
                .ok_or_else(|| ApiError::missing("the id query parameter is required"))?;
            Ok(settings::settings(tenant(state, &id)?))
        }
        ConfigureSettings => settings::configure(state, body).map(|()| empty()),
    }
}

pub(super) fn tenant<'s>(state: &'s State, id: &str) -> Result<&'s Tenant, ApiError> {
    state
        .directory
        .tenant(id)
        .ok_or_else(|| ApiError::not_found(format!("no tenant has the id {id:?}")))
}

pub(super) fn tenant_mut<'s>(state: &'s mut State, id: &str) -> Result<&'s mut Tenant, ApiError> {
    state
        .directory
        .tenant_mut(id)
        .ok_or_else(|| ApiError::not_found(format!("no tenant has the id {id:?}")))
}

/// `{tenants: [...]}` of the tenants `keep` keeps, in creation order.
fn list(state: &State, keep: impl Fn(&Tenant) -> bool) -> Value {
    let tenants: Vec<Value> = state
        .directory
        .tenants
        .iter()
        .filter(|t| keep(t))
        .map(|t| t.to_json(&state.directory))
        .collect();
    json!({ "tenants": tenants })
}

/// An extensible string field: one of `known` (or empty), else 400 `E011003`.
pub(super) fn choice(body: &Value, key: &str, known: &[&str]) -> Result<Option<String>, ApiError> {
    match body.get(key).and_then(Value::as_str) {
        None => Ok(None),
        Some(value) if value.is_empty() || known.contains(&value) => Ok(Some(value.to_owned())),
        Some(value) => Err(ApiError::invalid_request(format!(
            "/{key}: {value:?} is none of {}",
            known.join(", ")
        ))),
    }
}

pub(super) const AUTH_TYPES: [&str; 3] = ["none", "saml", "oidc"];
const INHERITANCE: [&str; 2] = ["none", "userOnly"];

/// Creates a tenant from a `TenantCreateRequest` body; returns its id. Shared with the
/// test-only `POST /emulator/tenants`.
pub fn create(state: &mut State, body: &Value) -> Result<String, ApiError> {
    let name = read::required(body, "name")?.to_owned();
    let id = match read::text(body, "id") {
        Some(id) => id.to_owned(),
        None => new_id("T")?,
    };
    if state.directory.tenant(&id).is_some() {
        return Err(ApiError::conflict(format!(
            "a tenant has the id {id:?} already"
        )));
    }
    if state.directory.tenants.iter().any(|t| t.name == name) {
        return Err(ApiError::conflict(format!(
            "a tenant is named {name:?} already"
        )));
    }
    let parent = read::text(body, "parent").map(str::to_owned);
    if let Some(parent) = &parent {
        tenant(state, parent)?;
    }
    let mut created = Tenant {
        id: id.clone(),
        name,
        created: unix(state.now()),
        parent,
        auth_type: "none".to_owned(),
        ..Tenant::default()
    };
    overwrite(&mut created, body)?;
    state.directory.tenants.push(created);
    Ok(id)
}

/// The fields create and update share, overwritten (absent or `null` clears; `authType` only
/// changes when given).
fn overwrite(tenant: &mut Tenant, body: &Value) -> Result<(), ApiError> {
    let list = |key| read::list(body, key).unwrap_or_default();
    if let Some(auth_type) = choice(body, "authType", &AUTH_TYPES)?.filter(|t| !t.is_empty()) {
        tenant.auth_type = auth_type;
    }
    tenant.role_inheritance = choice(body, "roleInheritance", &INHERITANCE)?.unwrap_or_default();
    tenant.self_provisioning_domains = list("selfProvisioningDomains");
    tenant.custom_attributes = read::object(body, "customAttributes")
        .cloned()
        .unwrap_or_default();
    tenant.disabled = read::flag(body, "disabled") == Some(true);
    tenant.enforce_sso = read::flag(body, "enforceSSO") == Some(true);
    tenant.enforce_sso_exclusions = list("enforceSSOExclusions");
    tenant.federated_app_ids = list("federatedAppIds");
    Ok(())
}

/// `UpdateTenant`: overwrites; the id, creation time, parent, default roles and settings stay.
/// A renamed tenant's new name shows in its members' `userTenants`.
fn update(state: &mut State, body: &Value) -> Result<(), ApiError> {
    let id = read::required(body, "id")?;
    let name = read::required(body, "name")?;
    if state
        .directory
        .tenants
        .iter()
        .any(|t| t.name == name && t.id != id)
    {
        return Err(ApiError::conflict(format!(
            "a tenant is named {name:?} already"
        )));
    }
    let mut changed = tenant(state, id)?.clone();
    changed.name = name.to_owned();
    overwrite(&mut changed, body)?;
    *tenant_mut(state, id)? = changed;
    for user in state.users.values_mut() {
        if let Some(membership) = user.membership_mut(id) {
            membership.tenant_name = name.to_owned();
        }
    }
    Ok(())
}

/// `DeleteTenant`: refused while it has sub-tenants (what the service does with them is
/// undocumented); its roles and setup links go, its members lose it, and with `cascade` the
/// users that belonged to it alone are deleted (their sessions end).
fn delete(state: &mut State, body: &Value) -> Result<(), ApiError> {
    let id = tenant(state, read::required(body, "id")?)?.id.clone();
    if let Some(child) = state
        .directory
        .tenants
        .iter()
        .find(|t| t.parent.as_deref() == Some(id.as_str()))
    {
        return Err(ApiError::conflict(format!(
            "tenant {id:?} has the sub-tenant {:?}; delete the sub-tenants first",
            child.id
        )));
    }
    let cascade = read::flag(body, "cascade") == Some(true);
    let directory = &mut state.directory;
    directory.tenants.retain(|t| t.id != id);
    directory
        .roles
        .retain(|r| r.tenant_id.as_deref() != Some(id.as_str()));
    directory.admin_links.retain(|_, link| link.tenant_id != id);
    let mut alone = Vec::new();
    for user in state.users.values_mut() {
        if user.membership(&id).is_some() {
            if cascade && user.tenants.len() == 1 {
                alone.push(user.id.clone());
            }
            user.tenants.retain(|m| m.tenant_id != id);
        }
    }
    for user_id in alone {
        state.remove_user(&user_id);
    }
    Ok(())
}

/// `SearchTenants`: every given filter must match; a list filter matches any of its values.
fn search(state: &State, body: &Value) -> Result<Value, ApiError> {
    let strings = |key| read::list(body, key).unwrap_or_default();
    let (ids, names) = (strings("tenantIds"), strings("tenantNames"));
    let (domains, sso_domains) = (
        strings("tenantSelfProvisioningDomains"),
        strings("tenantSSODomains"),
    );
    let attributes = read::object(body, "customAttributes")
        .cloned()
        .unwrap_or_default();
    let auth_type = read::text(body, "authType");
    let parent = read::text(body, "parentTenantId");
    let top_level = read::flag(body, "topLevelOnly") == Some(true);
    let any = |wanted: &[String], held: &[String]| {
        wanted.is_empty() || held.iter().any(|value| wanted.contains(value))
    };
    Ok(list(state, |t| {
        (ids.is_empty() || ids.contains(&t.id))
            && (names.is_empty() || names.contains(&t.name))
            && any(&domains, &t.self_provisioning_domains)
            && any(&sso_domains, &t.domains)
            && attributes.iter().all(|(key, wanted)| {
                let held = t.custom_attributes.get(key);
                match wanted {
                    Value::Array(options) => options.iter().any(|o| held == Some(o)),
                    wanted => held == Some(wanted),
                }
            })
            && auth_type.is_none_or(|a| t.auth_type == a)
            && parent.is_none_or(|p| t.parent.as_deref() == Some(p))
            && (!top_level || t.parent.is_none())
    }))
}
