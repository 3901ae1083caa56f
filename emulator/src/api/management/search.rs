//! `SearchUsers`, `SearchTestUsers` and `LoadUsers`: the filters (all given ones must match,
//! an empty list is no filter), the sort, and the paging (`limit` 0 means 100, `page` counts
//! from 0, a positive `offset` replaces `page * limit`; negative values never reach here, the
//! schema's `minimum: 0` refuses them with 400 `E011003`), with `total` counting every match.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::read;
use crate::error::ApiError;
use crate::state::State;
use crate::state::user::User;

/// The page size when `limit` is 0 or absent.
const DEFAULT_LIMIT: usize = 100;

/// `LoadUsers`: the users whose ids are listed and exist, in the order asked; disabled users
/// only with `includeInvalidUsers`.
pub fn load_many(state: &State, body: &Value) -> Result<Value, ApiError> {
    let ids = read::list(body, "userIds").unwrap_or_default();
    if ids.is_empty() {
        return Err(ApiError::missing("userIds must list at least one user id"));
    }
    let invalid_too = read::flag(body, "includeInvalidUsers") == Some(true);
    let users: Vec<Value> = ids
        .iter()
        .filter_map(|id| state.users.get(id))
        .filter(|user| invalid_too || !user.is_disabled())
        .map(|user| user.to_json(&state.directory))
        .collect();
    Ok(json!({"total": users.len(), "users": users}))
}

/// One page of the users matching every filter of `body`, and how many match in all.
pub fn search(state: &State, body: &Value, test_only: bool) -> Result<Value, ApiError> {
    let filter = Filter::read(body, test_only);
    let mut matches: Vec<&User> = state
        .users
        .values()
        .filter(|user| filter.matches(user))
        .collect();
    // Creation order first, so that equal sort keys keep it.
    matches.sort_by_key(|user| (user.created, user.seq));
    let sorts: Vec<(String, bool)> = read::objects(body, "sort")
        .filter_map(|sort| {
            let field = read::text(sort, "field")?.to_owned();
            Some((field, read::flag(sort, "desc") == Some(true)))
        })
        .collect();
    if !sorts.is_empty() {
        matches.sort_by(|a, b| {
            sorts
                .iter()
                .map(|(field, desc)| {
                    let order = compare(a, b, field);
                    if *desc { order.reverse() } else { order }
                })
                .find(|order| order.is_ne())
                .unwrap_or(Ordering::Equal)
        });
    }
    let total = matches.len();
    let limit = match read::int(body, "limit") {
        Some(limit) if limit > 0 => usize::try_from(limit).unwrap_or(usize::MAX),
        _ => DEFAULT_LIMIT,
    };
    let count = |key| read::int(body, key).and_then(|n| usize::try_from(n).ok());
    let skip = match count("offset") {
        Some(offset) if offset > 0 => offset,
        _ => count("page").unwrap_or(0).saturating_mul(limit),
    };
    let users: Vec<Value> = matches
        .into_iter()
        .skip(skip)
        .take(limit)
        .map(|user| user.to_json(&state.directory))
        .collect();
    Ok(json!({"users": users, "total": total}))
}

/// A sort field of `UserSortField`; one the emulator does not know keeps the order.
fn compare(a: &User, b: &User, field: &str) -> Ordering {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    match field {
        "id" => a.id.cmp(&b.id),
        "createdTime" => a.created.cmp(&b.created),
        "modifiedTime" => a.modified.cmp(&b.modified),
        "displayName" => a.display_name().cmp(b.display_name()),
        "email" => text(&a.email).cmp(&text(&b.email)),
        "phoneNumber" => text(&a.phone).cmp(&text(&b.phone)),
        "status" => a.status.as_str().cmp(b.status.as_str()),
        "tenant" => {
            let first = |user: &User| user.tenants.first().map(|m| m.tenant_id.clone());
            first(a).cmp(&first(b))
        }
        _ => Ordering::Equal,
    }
}

/// The filters of a search body.
struct Filter {
    login_ids: Vec<String>,
    user_ids: Vec<String>,
    tenant_ids: Vec<String>,
    role_names: Vec<String>,
    /// `tenantRoleNames`: per tenant, role names and whether all must be held.
    tenant_roles: Vec<(String, Vec<String>, bool)>,
    statuses: Vec<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    sso_app_ids: Vec<String>,
    text: Option<String>,
    custom_attributes: Map<String, Value>,
    flags: Vec<(&'static str, bool)>,
    /// Unix milliseconds, inclusive.
    created: (Option<i64>, Option<i64>),
    modified: (Option<i64>, Option<i64>),
    /// `Some(true)`: test users only; `Some(false)`: no test users; `None`: both.
    test: Option<bool>,
}

impl Filter {
    fn read(body: &Value, test_only: bool) -> Filter {
        let list = |key| read::list(body, key).unwrap_or_default();
        let mut login_ids = list("loginIds");
        login_ids.extend(read::text(body, "loginId").map(str::to_owned));
        let tenant_roles = read::object(body, "tenantRoleNames")
            .into_iter()
            .flatten()
            .map(|(tenant, filter)| {
                let values = read::list(filter, "values").unwrap_or_default();
                (
                    tenant.clone(),
                    values,
                    read::flag(filter, "and") == Some(true),
                )
            })
            .collect();
        let flags = [
            "verifiedEmail",
            "verifiedPhone",
            "password",
            "totp",
            "webauthn",
            "ssoOnly",
            "scimOnly",
            "scim",
        ]
        .into_iter()
        .filter_map(|key| Some((key, read::flag(body, key)?)))
        .collect();
        let test = if test_only || read::flag(body, "testUsersOnly") == Some(true) {
            Some(true)
        } else if read::flag(body, "withTestUser") == Some(true) {
            None
        } else {
            Some(false)
        };
        Filter {
            login_ids,
            user_ids: list("userIds"),
            tenant_ids: list("tenantIds"),
            role_names: list("roleNames"),
            tenant_roles,
            statuses: list("statuses"),
            emails: list("emails"),
            phones: list("phones"),
            sso_app_ids: list("ssoAppIds"),
            text: read::text(body, "text").map(str::to_lowercase),
            custom_attributes: read::object(body, "customAttributes")
                .cloned()
                .unwrap_or_default(),
            flags,
            created: (
                read::int(body, "fromCreatedTime"),
                read::int(body, "toCreatedTime"),
            ),
            modified: (
                read::int(body, "fromModifiedTime"),
                read::int(body, "toModifiedTime"),
            ),
            test,
        }
    }

    fn matches(&self, user: &User) -> bool {
        let any = |list: &[String], value: Option<&str>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|item| item == v))
        };
        let in_range = |(from, to): (Option<i64>, Option<i64>), seconds: i64| {
            let ms = seconds.saturating_mul(1000);
            from.is_none_or(|from| ms >= from) && to.is_none_or(|to| ms <= to)
        };
        self.test.is_none_or(|test| user.test == test)
            && (self.login_ids.is_empty()
                || user.login_ids.iter().any(|id| self.login_ids.contains(id)))
            && any(&self.user_ids, Some(&user.id))
            && (self.tenant_ids.is_empty()
                || user
                    .tenants
                    .iter()
                    .any(|m| self.tenant_ids.contains(&m.tenant_id)))
            && (self.role_names.is_empty() || self.role_names.iter().any(|r| holds(user, r)))
            && self.tenant_roles.iter().all(|(tenant, roles, all)| {
                let held = |role: &String| {
                    user.membership(tenant)
                        .is_some_and(|m| m.roles.contains(role))
                };
                roles.is_empty()
                    || if *all {
                        roles.iter().all(held)
                    } else {
                        roles.iter().any(held)
                    }
            })
            && any(&self.statuses, Some(user.status.as_str()))
            && any(&self.emails, user.email.as_deref())
            && any(&self.phones, user.phone.as_deref())
            && (self.sso_app_ids.is_empty()
                || user
                    .sso_app_ids
                    .iter()
                    .any(|a| self.sso_app_ids.contains(a)))
            && self.text.as_ref().is_none_or(|text| mentions(user, text))
            && self
                .custom_attributes
                .iter()
                .all(|(name, wanted)| attribute_matches(user.custom_attributes.get(name), wanted))
            && self
                .flags
                .iter()
                .all(|(key, wanted)| flag(user, key) == *wanted)
            && in_range(self.created, user.created)
            && in_range(self.modified, user.modified)
    }
}

/// A role held at project level or in any tenant.
fn holds(user: &User, role: &String) -> bool {
    user.roles.contains(role) || user.tenants.iter().any(|m| m.roles.contains(role))
}

/// `text`: a case-insensitive substring of a login id, a name, the email or the phone.
fn mentions(user: &User, text: &str) -> bool {
    let fields = [
        &user.name,
        &user.given_name,
        &user.middle_name,
        &user.family_name,
        &user.email,
        &user.phone,
    ];
    user.login_ids
        .iter()
        .chain(fields.into_iter().flatten())
        .any(|field| field.to_lowercase().contains(text))
}

/// A wanted value equals the user's value; a wanted list matches any of its values.
fn attribute_matches(held: Option<&Value>, wanted: &Value) -> bool {
    match wanted {
        Value::Array(options) => options.iter().any(|option| held == Some(option)),
        wanted => held == Some(wanted),
    }
}

/// The user's side of a boolean filter. No user of the emulator signed in by SSO or SCIM.
fn flag(user: &User, key: &str) -> bool {
    match key {
        "verifiedEmail" => user.verified_email,
        "verifiedPhone" => user.verified_phone,
        "password" => user.password.is_some(),
        "totp" => user.totp,
        "webauthn" => !user.passkeys.is_empty(),
        _ => false,
    }
}
