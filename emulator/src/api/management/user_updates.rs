//! The user operations that change one detail or one list: status, a login id, email and
//! phone (and their recovery twins), names, picture, one custom attribute, impersonation
//! consent, roles (project-level or in a tenant), tenant membership and SSO applications. Each
//! answers `{"user": …}` as it now is.
//!
//! Roles must exist: project-level ones for the user's project roles; in a tenant, the
//! tenant's own roles or project-level ones (a role of another tenant is refused). The user must
//! belong to the tenant whose roles change.

use serde_json::Value;

use super::details::{check_attribute, check_tenant_roles, joined, set_attribute};
use super::users::answer;
use super::{ListChange, UserAction, read};
use crate::error::ApiError;
use crate::state::outbox::Channel;
use crate::state::user::{Status, User, check_contact};
use crate::state::{State, unix};

/// Runs one single-detail user operation.
pub fn call(state: &mut State, action: UserAction, body: &Value) -> Result<Value, ApiError> {
    let user_id = read::user(state, body, "loginId")?;
    match action {
        UserAction::LoginId => login_id(state, &user_id, body)?,
        UserAction::Email | UserAction::Phone => {
            contact(state, &user_id, body, action == UserAction::Email)?;
        }
        UserAction::Roles(change) => roles(state, &user_id, body, change)?,
        UserAction::Tenant(add) => tenant(state, &user_id, body, add)?,
        UserAction::CustomAttribute => {
            let name = read::required(body, "attributeKey")?.to_owned();
            let value = body.get("attributeValue").cloned().unwrap_or(Value::Null);
            check_attribute(&state.directory, &name, &value)?;
            edit(state, &user_id, |user| set_attribute(user, name, value))?;
        }
        _ => {
            let change = detail(action, body)?;
            edit(state, &user_id, change)?;
        }
    }
    answer(state, &user_id)
}

/// Applies `change` to the user and marks them modified.
fn edit(state: &mut State, user_id: &str, change: impl FnOnce(&mut User)) -> Result<(), ApiError> {
    let now = unix(state.now());
    let user = state
        .users
        .get_mut(user_id)
        .ok_or_else(ApiError::user_not_found)?;
    change(user);
    user.modified = now;
    Ok(())
}

/// A change to one user, read from a body before the user is borrowed.
type Change = Box<dyn FnOnce(&mut User)>;

/// The change of the operations that touch only the user.
fn detail(action: UserAction, body: &Value) -> Result<Change, ApiError> {
    let text = |key| read::text(body, key).map(str::to_owned);
    let verified = read::flag(body, "verified") == Some(true);
    Ok(match action {
        UserAction::Status => {
            let wanted = read::required(body, "status")?;
            let status = Status::parse(wanted)
                .filter(|status| *status != Status::Expired)
                .ok_or_else(|| {
                    ApiError::invalid_request(format!(
                        "/status: {wanted:?} is none of enabled, disabled, invited"
                    ))
                })?;
            Box::new(move |user| user.status = status)
        }
        UserAction::RecoveryEmail | UserAction::RecoveryPhone => {
            let email = action == UserAction::RecoveryEmail;
            let key = if email {
                "recoveryEmail"
            } else {
                "recoveryPhone"
            };
            let value = text(key);
            if let Some(value) = &value {
                let channel = if email { Channel::Email } else { Channel::Sms };
                check_contact(channel, value)?;
            }
            Box::new(move |user| {
                if email {
                    user.verified_recovery_email = value.is_some() && verified;
                    user.recovery_email = value;
                } else {
                    user.verified_recovery_phone = value.is_some() && verified;
                    user.recovery_phone = value;
                }
            })
        }
        UserAction::DisplayName => {
            // Only the parts sent change; an empty string removes one.
            let part = |keys: &[&str]| {
                keys.iter()
                    .find_map(|key| body.get(*key).and_then(Value::as_str))
                    .map(|text| (!text.is_empty()).then(|| text.to_owned()))
            };
            let name = part(&["displayName", "name"]);
            let given = part(&["givenName"]);
            let middle = part(&["middleName"]);
            let family = part(&["familyName"]);
            Box::new(move |user| {
                for (slot, value) in [
                    (&mut user.name, name),
                    (&mut user.given_name, given),
                    (&mut user.middle_name, middle),
                    (&mut user.family_name, family),
                ] {
                    if let Some(value) = value {
                        *slot = value;
                    }
                }
            })
        }
        UserAction::Picture => {
            let picture = text("picture");
            Box::new(move |user| user.picture = picture)
        }
        UserAction::ImpersonationConsent => {
            // Its values are undocumented: the number is kept as the consent's end, and 0
            // (or nothing) withdraws it.
            let consent = read::int(body, "impersonationConsent").filter(|n| *n > 0);
            Box::new(move |user| user.consent_expiration = consent)
        }
        UserAction::SsoApps(change) => {
            let apps = read::list(body, "ssoAppIds").unwrap_or_default();
            Box::new(move |user| change_list(&mut user.sso_app_ids, apps, change))
        }
        _ => return Err(ApiError::malformed("not a single-detail user operation")),
    })
}

/// Adds, replaces or removes `items` in `list`, keeping its order and each item once.
fn change_list(list: &mut Vec<String>, items: Vec<String>, change: ListChange) {
    match change {
        ListChange::Set => *list = items,
        ListChange::Add => {
            for item in items {
                if !list.contains(&item) {
                    list.push(item);
                }
            }
        }
        ListChange::Remove => list.retain(|item| !items.contains(item)),
    }
}

/// `UpdateUserLoginId`: `loginId` (or, when it is the user id, the first login id) becomes
/// `newLoginId`, or goes when that is empty; the last login id cannot go.
fn login_id(state: &mut State, user_id: &str, body: &Value) -> Result<(), ApiError> {
    let key = read::required(body, "loginId")?;
    let user = state
        .users
        .get(user_id)
        .ok_or_else(ApiError::user_not_found)?;
    let old = if user.login_ids.iter().any(|id| id == key) {
        key.to_owned()
    } else {
        user.login_ids.first().cloned().unwrap_or_default()
    };
    let new = read::text(body, "newLoginId").map(str::to_owned);
    match &new {
        Some(new) if state.logins.get(new).is_some_and(|owner| owner != user_id) => {
            return Err(ApiError::user_exists(new));
        }
        None if user.login_ids.len() <= 1 => {
            return Err(ApiError::conflict(
                "a user keeps at least one login id; give newLoginId to replace it",
            ));
        }
        _ => {}
    }
    if new.as_deref() != Some(old.as_str()) {
        state.logins.remove(&old);
    }
    if let Some(new) = &new {
        state.logins.insert(new.clone(), user_id.to_owned());
    }
    edit(state, user_id, |user| {
        let at = user.login_ids.iter().position(|id| *id == old);
        match (at, new) {
            (Some(_), Some(new)) if new == old => {}
            (Some(at), Some(new)) if !user.login_ids.contains(&new) => user.login_ids[at] = new,
            (Some(at), _) => {
                user.login_ids.remove(at);
            }
            (None, _) => {}
        }
    })
}

/// `UpdateUserEmail` / `UpdateUserPhone`: set (checked) or, empty or `null`, remove. With
/// `failOnConflict`, a value that is another user's login id is refused.
fn contact(state: &mut State, user_id: &str, body: &Value, email: bool) -> Result<(), ApiError> {
    let (key, channel) = if email {
        ("email", Channel::Email)
    } else {
        ("phone", Channel::Sms)
    };
    let value = read::text(body, key).map(str::to_owned);
    if let Some(value) = &value {
        check_contact(channel, value)?;
        let taken = state
            .logins
            .get(value)
            .is_some_and(|owner| owner != user_id);
        if taken && read::flag(body, "failOnConflict") == Some(true) {
            return Err(ApiError::user_exists(value));
        }
    }
    let verified = read::flag(body, "verified");
    edit(state, user_id, |user| {
        let (slot, flag) = if email {
            (&mut user.email, &mut user.verified_email)
        } else {
            (&mut user.phone, &mut user.verified_phone)
        };
        // A new value is unverified unless said otherwise; the same value keeps its flag.
        *flag = match (&value, verified) {
            (None, _) => false,
            (Some(_), Some(verified)) => verified,
            (Some(value), None) => *flag && slot.as_ref() == Some(value),
        };
        *slot = value;
    })
}

/// `AddUserRoles`, `SetUserRoles`, `RemoveUserRoles`: project-level roles, or with `tenantId`
/// the roles in that tenant, which the user must belong to.
fn roles(
    state: &mut State,
    user_id: &str,
    body: &Value,
    change: ListChange,
) -> Result<(), ApiError> {
    let roles = read::list(body, "roleNames").unwrap_or_default();
    let tenant = read::text(body, "tenantId").map(str::to_owned);
    let adds = change != ListChange::Remove;
    match &tenant {
        None if adds => {
            if let Some(role) = roles
                .iter()
                .find(|r| state.directory.role(r, None).is_none())
            {
                return Err(ApiError::conflict(format!(
                    "no project-level role is named {role:?}"
                )));
            }
        }
        Some(tenant) => {
            let member = state
                .users
                .get(user_id)
                .is_some_and(|user| user.membership(tenant).is_some());
            if !member {
                return Err(ApiError::conflict(format!(
                    "the user is not a member of tenant {tenant:?}; add them with AddUserTenant"
                )));
            }
            if adds {
                check_tenant_roles(&state.directory, tenant, &roles)
                    .or_else(|error| accept_seeded(state, tenant, &roles, error))?;
            }
        }
        None => {}
    }
    edit(state, user_id, |user| match &tenant {
        None => change_list(&mut user.roles, roles, change),
        Some(tenant) => {
            if let Some(membership) = user.membership_mut(tenant) {
                change_list(&mut membership.roles, roles, change);
            }
        }
    })
}

/// A membership seeded through the test-only API may name a tenant that management never
/// created; its roles are then checked as project-level roles only.
fn accept_seeded(
    state: &State,
    tenant: &str,
    roles: &[String],
    error: ApiError,
) -> Result<(), ApiError> {
    if state.directory.tenant(tenant).is_some() {
        return Err(error);
    }
    match roles
        .iter()
        .find(|r| state.directory.role(r, None).is_none())
    {
        Some(role) => Err(ApiError::conflict(format!(
            "no role {role:?} in tenant {tenant:?} or at project level"
        ))),
        None => Ok(()),
    }
}

/// `AddUserTenant` (idempotent; a new member gets the tenant's default roles) and
/// `RemoveUserTenant` (with the roles in it; not being a member is no error).
fn tenant(state: &mut State, user_id: &str, body: &Value, add: bool) -> Result<(), ApiError> {
    let tenant = read::required(body, "tenantId")?.to_owned();
    let member = state
        .users
        .get(user_id)
        .is_some_and(|user| user.membership(&tenant).is_some());
    if !member && state.directory.tenant(&tenant).is_none() {
        return Err(ApiError::conflict(format!(
            "no tenant has the id {tenant:?}"
        )));
    }
    let membership = joined(&state.directory, &tenant, Vec::new());
    edit(state, user_id, |user| match (add, member) {
        (true, false) => user.tenants.push(membership),
        (false, true) => user.tenants.retain(|m| m.tenant_id != tenant),
        _ => {}
    })
}
