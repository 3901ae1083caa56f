//! The user details that create, update, patch and their batch forms share: reading them from
//! a body (checked against what exists: contacts, status, roles, tenants, attribute
//! definitions, free login ids) and applying them to a user, where the three differ only in
//! what an absent field means: unset (create), cleared (update, which overwrites), or kept
//! (patch).

use serde_json::{Map, Value};

use super::read;
use crate::error::ApiError;
use crate::state::State;
use crate::state::directory::Directory;
use crate::state::outbox::Channel;
use crate::state::user::{Membership, Status, User, check_contact};

/// What an absent (or `null`) field means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new user: absent is unset.
    Create,
    /// `UpdateUser` overwrites: absent is cleared (login ids, status and `test` excepted).
    Update,
    /// `PatchUser`: absent is kept.
    Patch,
}

/// A text field: `None` absent or `null`, `Some(None)` given empty (which clears),
/// `Some(Some(text))` given.
type Text = Option<Option<String>>;

/// The user details a body gives.
#[derive(Debug, Default)]
pub struct Details {
    /// Login ids beside the first (`additionalLoginIds`, or `additionalIdentifiers`).
    pub additional_login_ids: Option<Vec<String>>,
    email: Text,
    verified_email: Option<bool>,
    phone: Text,
    verified_phone: Option<bool>,
    name: Text,
    given_name: Text,
    middle_name: Text,
    family_name: Text,
    picture: Text,
    recovery_email: Text,
    verified_recovery_email: Option<bool>,
    recovery_phone: Text,
    verified_recovery_phone: Option<bool>,
    roles: Option<Vec<String>>,
    /// `userTenants`: tenant id and the roles in it.
    tenants: Option<Vec<(String, Vec<String>)>>,
    custom_attributes: Option<Map<String, Value>>,
    sso_app_ids: Option<Vec<String>>,
    pub status: Option<Status>,
    pub test: Option<bool>,
}

/// The first of `keys` that holds a string.
fn text(body: &Value, keys: &[&str]) -> Text {
    keys.iter()
        .find_map(|key| body.get(*key).and_then(Value::as_str))
        .map(|text| (!text.is_empty()).then(|| text.to_owned()))
}

impl Details {
    /// Reads and checks the details of `body` for the user `user_id` (`None`: a new user).
    pub fn read(state: &State, body: &Value, user_id: Option<&str>) -> Result<Details, ApiError> {
        let directory = &state.directory;
        let details = Details {
            additional_login_ids: read::list_of(
                body,
                &["additionalLoginIds", "additionalIdentifiers"],
            ),
            email: text(body, &["email"]),
            verified_email: read::flag(body, "verifiedEmail"),
            phone: text(body, &["phone"]),
            verified_phone: read::flag(body, "verifiedPhone"),
            // Both SDKs send `displayName`; the published description says `name`.
            name: text(body, &["displayName", "name"]),
            given_name: text(body, &["givenName"]),
            middle_name: text(body, &["middleName"]),
            family_name: text(body, &["familyName"]),
            picture: text(body, &["picture"]),
            recovery_email: text(body, &["recoveryEmail"]),
            verified_recovery_email: read::flag(body, "verifiedRecoveryEmail"),
            recovery_phone: text(body, &["recoveryPhone"]),
            verified_recovery_phone: read::flag(body, "verifiedRecoveryPhone"),
            roles: read::list(body, "roleNames"),
            tenants: body
                .get("userTenants")
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| {
                            let tenant = read::text(item, "tenantId")?.to_owned();
                            Some((tenant, read::list(item, "roleNames").unwrap_or_default()))
                        })
                        .collect()
                }),
            custom_attributes: read::object(body, "customAttributes").cloned(),
            // The Python SDK spells it `ssoAppIDs` in create, update and batch.
            sso_app_ids: read::list_of(body, &["ssoAppIds", "ssoAppIDs"]),
            status: match read::text(body, "status") {
                None => None,
                Some(text) => Some(Status::parse(text).ok_or_else(|| {
                    ApiError::invalid_request(format!(
                        "/status: {text:?} is none of enabled, disabled, invited, expired"
                    ))
                })?),
            },
            test: read::flag(body, "test"),
        };
        for (channel, value) in [
            (Channel::Email, &details.email),
            (Channel::Sms, &details.phone),
            (Channel::Email, &details.recovery_email),
            (Channel::Sms, &details.recovery_phone),
        ] {
            if let Some(Some(value)) = value {
                check_contact(channel, value)?;
            }
        }
        for role in details.roles.iter().flatten() {
            if directory.role(role, None).is_none() {
                return Err(ApiError::conflict(format!(
                    "roleNames: no project-level role is named {role:?}"
                )));
            }
        }
        for (tenant, roles) in details.tenants.iter().flatten() {
            check_tenant_roles(directory, tenant, roles)?;
        }
        for (name, value) in details.custom_attributes.iter().flatten() {
            check_attribute(directory, name, value)?;
        }
        for login_id in details.additional_login_ids.iter().flatten() {
            if let Some(owner) = state.logins.get(login_id)
                && Some(owner.as_str()) != user_id
            {
                return Err(ApiError::user_exists(login_id));
            }
        }
        Ok(details)
    }

    /// Applies the details to `user` as `mode` says; the login ids are the caller's.
    pub fn apply(self, user: &mut User, mode: Mode, directory: &Directory) {
        let overwrite = mode != Mode::Patch;
        let set_text = |slot: &mut Option<String>, value: Text| match (value, overwrite) {
            (Some(value), _) => *slot = value,
            (None, true) => *slot = None,
            (None, false) => {}
        };
        let set_flag = |slot: &mut bool, value: Option<bool>| match (value, overwrite) {
            (Some(value), _) => *slot = value,
            (None, true) => *slot = false,
            (None, false) => {}
        };
        set_text(&mut user.email, self.email);
        set_flag(&mut user.verified_email, self.verified_email);
        set_text(&mut user.phone, self.phone);
        set_flag(&mut user.verified_phone, self.verified_phone);
        set_text(&mut user.name, self.name);
        set_text(&mut user.given_name, self.given_name);
        set_text(&mut user.middle_name, self.middle_name);
        set_text(&mut user.family_name, self.family_name);
        set_text(&mut user.picture, self.picture);
        set_text(&mut user.recovery_email, self.recovery_email);
        set_flag(
            &mut user.verified_recovery_email,
            self.verified_recovery_email,
        );
        set_text(&mut user.recovery_phone, self.recovery_phone);
        set_flag(
            &mut user.verified_recovery_phone,
            self.verified_recovery_phone,
        );
        if let Some(roles) = self.roles.or_else(|| overwrite.then(Vec::new)) {
            user.roles = roles;
        }
        if let Some(apps) = self.sso_app_ids.or_else(|| overwrite.then(Vec::new)) {
            user.sso_app_ids = apps;
        }
        if let Some(tenants) = self.tenants.or_else(|| overwrite.then(Vec::new)) {
            let old = std::mem::take(&mut user.tenants);
            for (tenant, roles) in tenants {
                let membership = match old.iter().find(|m| m.tenant_id == tenant) {
                    Some(kept) => Membership {
                        roles,
                        ..kept.clone()
                    },
                    None => joined(directory, &tenant, roles),
                };
                user.tenants.push(membership);
            }
        }
        match (self.custom_attributes, mode) {
            // A patch sets the attributes it names (`null` clears one) and keeps the others.
            (Some(attributes), Mode::Patch) => {
                for (name, value) in attributes {
                    set_attribute(user, name, value);
                }
            }
            (Some(attributes), _) => {
                user.custom_attributes.clear();
                for (name, value) in attributes {
                    set_attribute(user, name, value);
                }
            }
            (None, Mode::Patch) => {}
            (None, _) => user.custom_attributes.clear(),
        }
        if let Some(status) = self.status {
            user.status = status;
        }
        // `test` is the create's (forced by `CreateTestUser`) and the patch's; `UpdateUser`
        // does not declare it, and the Python SDK sends `test: false` on every update.
        if mode == Mode::Patch
            && let Some(test) = self.test
        {
            user.test = test;
        }
    }
}

/// A new membership of `tenant`: its name, and the tenant's default roles before `roles`.
pub fn joined(directory: &Directory, tenant: &str, roles: Vec<String>) -> Membership {
    let found = directory.tenant(tenant);
    let mut all = found.map(|t| t.default_roles.clone()).unwrap_or_default();
    for role in roles {
        if !all.contains(&role) {
            all.push(role);
        }
    }
    Membership {
        tenant_id: tenant.to_owned(),
        tenant_name: found.map_or_else(|| tenant.to_owned(), |t| t.name.clone()),
        roles: all,
        permissions: Vec::new(),
    }
}

/// The tenant must exist, and each role must be one a member of it can hold: the tenant's own
/// or a project-level role (the emulator's rule; a role of another tenant is refused).
pub fn check_tenant_roles(
    directory: &Directory,
    tenant: &str,
    roles: &[String],
) -> Result<(), ApiError> {
    if directory.tenant(tenant).is_none() {
        return Err(ApiError::conflict(format!(
            "no tenant has the id {tenant:?}"
        )));
    }
    for role in roles {
        if directory.role_in_tenant(role, tenant).is_none() {
            return Err(ApiError::conflict(format!(
                "no role {role:?} in tenant {tenant:?} or at project level"
            )));
        }
    }
    Ok(())
}

/// The attribute must be defined, and the value must fit its type.
pub fn check_attribute(directory: &Directory, name: &str, value: &Value) -> Result<(), ApiError> {
    let attribute = directory.attribute(name).ok_or_else(|| {
        ApiError::conflict(format!(
            "no custom attribute is named {name:?}; define it with CreateUserCustomAttributes"
        ))
    })?;
    if attribute.fits(value) {
        Ok(())
    } else {
        Err(ApiError::conflict(format!(
            "the value of custom attribute {name:?} does not fit its type"
        )))
    }
}

/// Sets one attribute value; `null` removes it.
pub fn set_attribute(user: &mut User, name: String, value: Value) {
    if value.is_null() {
        user.custom_attributes.remove(&name);
    } else {
        user.custom_attributes.insert(name, value);
    }
}

/// Gives the user `first` and `additional` as their login ids (each once), freeing the ones
/// they no longer hold. The ids must be free or the user's (checked by [`Details::read`]).
pub fn set_login_ids(state: &mut State, user_id: &str, first: String, additional: Vec<String>) {
    let mut ids = vec![first];
    for id in additional {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let Some(user) = state.users.get_mut(user_id) else {
        return;
    };
    let old = std::mem::replace(&mut user.login_ids, ids.clone());
    for id in old.iter().filter(|id| !ids.contains(id)) {
        state.logins.remove(id);
    }
    for id in ids {
        state.logins.insert(id, user_id.to_owned());
    }
}
