//! Access keys through management: create (the cleartext is answered once, here and by
//! rotate), load, search, update, (de)activate, delete (one or a batch) and import. A key's
//! roles must exist at project level, its tenants must exist with roles a member of them can
//! hold (the users' rules), and a bound user must exist. Keys are named by `id`; an unknown one
//! is 404 `E011004`, except in batches, which act on each id they know and skip the others.

use serde_json::{Map, Value, json};

use super::details::check_tenant_roles;
use super::{AccessKeyAction, Input, empty, new_id, read};
use crate::error::ApiError;
use crate::state::access_keys::{AccessKey, KeyTenant, parse_range};
use crate::state::{State, secret, unix};

/// Runs one access-key operation.
pub fn call(
    state: &mut State,
    action: AccessKeyAction,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    use AccessKeyAction::*;
    let body = input.body;
    match action {
        Load => {
            let id = read::query(input.query, "id")
                .ok_or_else(|| ApiError::missing("id is required"))?;
            answer(state, &id)
        }
        Search => Ok(search(state, body)),
        Create => create(state, body),
        Update => update(state, body),
        Activate(active) => {
            let id = read::required(body, "id")?;
            find(state, id)?;
            if let Some(key) = state.access_keys.get_mut(id) {
                key.active = active;
            }
            Ok(empty())
        }
        Delete => {
            let id = read::required(body, "id")?;
            find(state, id)?;
            state.access_keys.remove(id);
            Ok(empty())
        }
        ActivateBatch(active) => {
            for id in batch_ids(body)? {
                if let Some(key) = state.access_keys.get_mut(&id) {
                    key.active = active;
                }
            }
            Ok(empty())
        }
        DeleteBatch => {
            for id in batch_ids(body)? {
                state.access_keys.remove(&id);
            }
            Ok(empty())
        }
        Rotate => rotate(state, body),
        Import => import(state, body),
    }
}

fn find<'s>(state: &'s State, id: &str) -> Result<&'s AccessKey, ApiError> {
    state
        .access_keys
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("no access key has the id {id:?}")))
}

/// `{"key": AccessKey}`.
fn answer(state: &State, id: &str) -> Result<Value, ApiError> {
    let key = find(state, id)?;
    Ok(json!({ "key": key.to_json(&state.directory) }))
}

/// The `ids` of a batch, which must list at least one (as `DeleteUsers`' `userIds`).
fn batch_ids(body: &Value) -> Result<Vec<String>, ApiError> {
    let ids = read::list(body, "ids").unwrap_or_default();
    if ids.is_empty() {
        return Err(ApiError::missing(
            "ids must list at least one access key id",
        ));
    }
    Ok(ids)
}

/// A new cleartext: 64 hex digits, so never a `:` (the exchange's bearer is
/// `<ProjectId>:<cleartext>`).
fn new_cleartext() -> Result<String, ApiError> {
    secret::token().ok_or_else(crate::api::flows::entropy_failed)
}

/// What a create, update or import body says of a key, checked against the directory.
struct Fields {
    role_names: Option<Vec<String>>,
    key_tenants: Option<Vec<KeyTenant>>,
    custom_claims: Option<Map<String, Value>>,
    custom_attributes: Option<Map<String, Value>>,
    permitted_ips: Option<Vec<String>>,
    description: Option<String>,
}

impl Fields {
    fn read(state: &State, body: &Value) -> Result<Fields, ApiError> {
        let role_names = read::list(body, "roleNames");
        for role in role_names.iter().flatten() {
            if state.directory.role(role, None).is_none() {
                return Err(ApiError::conflict(format!(
                    "roleNames: no project-level role is named {role:?}"
                )));
            }
        }
        let key_tenants = body
            .get("keyTenants")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| {
                        Some(KeyTenant {
                            tenant_id: read::text(item, "tenantId")?.to_owned(),
                            role_names: read::list(item, "roleNames").unwrap_or_default(),
                        })
                    })
                    .collect::<Vec<_>>()
            });
        for tenant in key_tenants.iter().flatten() {
            check_tenant_roles(&state.directory, &tenant.tenant_id, &tenant.role_names)?;
        }
        let permitted_ips = read::list(body, "permittedIps");
        for entry in permitted_ips.iter().flatten() {
            if parse_range(entry).is_none() {
                return Err(ApiError::invalid_arguments(format!(
                    "permittedIps: {entry:?} is neither an IP address nor a CIDR range"
                )));
            }
        }
        Ok(Fields {
            role_names,
            key_tenants,
            custom_claims: read::object(body, "customClaims").cloned(),
            custom_attributes: read::object(body, "customAttributes").cloned(),
            permitted_ips,
            description: body
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }

    /// Sets what was given; what was absent or `null` stays.
    fn apply(self, key: &mut AccessKey) {
        if let Some(roles) = self.role_names {
            key.role_names = roles;
        }
        if let Some(tenants) = self.key_tenants {
            key.key_tenants = tenants;
        }
        if let Some(claims) = self.custom_claims {
            key.custom_claims = claims;
        }
        if let Some(attributes) = self.custom_attributes {
            key.custom_attributes = attributes;
        }
        if let Some(ips) = self.permitted_ips {
            key.permitted_ips = ips;
        }
        if let Some(description) = self.description {
            key.description = description;
        }
    }
}

/// `expireTime`: unix seconds, as a number (what both SDKs send) or a string of digits (the
/// published type); 0 or absent is never.
fn expire_time(body: &Value) -> Result<i64, ApiError> {
    let value = match body.get("expireTime") {
        None | Some(Value::Null) => return Ok(0),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(text)) if text.is_empty() => Some(0),
        Some(Value::String(text)) => text.parse::<i64>().ok(),
        Some(_) => None,
    };
    value
        .filter(|seconds| *seconds >= 0)
        .ok_or_else(|| ApiError::invalid_request("expireTime: must be unix seconds (0 for never)"))
}

/// The user a key is bound to (`userId`, a user id or a login id): they must exist.
fn bound_user(state: &State, body: &Value) -> Result<String, ApiError> {
    match read::text_of(body, &["userId", "boundUserId"]) {
        None => Ok(String::new()),
        Some(user) => state.find_user(user).ok_or_else(ApiError::user_not_found),
    }
}

/// `CreateAccessKey`: `{key, cleartext}`; the cleartext is answered here and nowhere else.
fn create(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let name = read::required(body, "name")?.to_owned();
    let fields = Fields::read(state, body)?;
    let cleartext = new_cleartext()?;
    let mut key = AccessKey {
        id: new_id("K2")?,
        name,
        digest: Some(secret::token_hash(&cleartext)),
        active: true,
        created: unix(state.now()),
        expire_time: expire_time(body)?,
        bound_user_id: bound_user(state, body)?,
        created_by: read::text(body, "createdBy").unwrap_or_default().to_owned(),
        client_id: new_id("C2")?,
        ..AccessKey::default()
    };
    fields.apply(&mut key);
    let id = key.id.clone();
    state.access_keys.keys.push(key);
    let mut answer = answer(state, &id)?;
    answer["cleartext"] = json!(cleartext);
    Ok(answer)
}

/// `UpdateAccessKey`: `name` (required) and `description`, `roleNames`, `keyTenants`,
/// `customClaims`, `permittedIps` when given; absent or `null` fields stay as they were.
fn update(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let id = read::required(body, "id")?.to_owned();
    find(state, &id)?;
    let name = read::text(body, "name").map(str::to_owned);
    let fields = Fields::read(state, body)?;
    if let Some(key) = state.access_keys.get_mut(&id) {
        if let Some(name) = name {
            key.name = name;
        }
        fields.apply(key);
    }
    answer(state, &id)
}

/// `RotateAccessKey`: a new cleartext for the same key (same id, roles and status); the old
/// cleartext is refused from now on.
fn rotate(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let id = read::required(body, "id")?.to_owned();
    find(state, &id)?;
    let cleartext = new_cleartext()?;
    if let Some(key) = state.access_keys.get_mut(&id) {
        key.digest = Some(secret::token_hash(&cleartext));
    }
    let mut answer = answer(state, &id)?;
    answer["cleartext"] = json!(cleartext);
    Ok(answer)
}

/// `ImportAccessKeys`: keys from another project, each with its own `id` (kept) or a new one,
/// and its `cleartext` when given (the key exchanges with it; without one it cannot be
/// exchanged until rotated). All or nothing: a taken id or a bad reference refuses the batch.
fn import(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let mut made = Vec::new();
    for item in read::objects(body, "keys") {
        let name = read::required(item, "name")?.to_owned();
        let id = match read::text(item, "id") {
            Some(id) => id.to_owned(),
            None => new_id("K2")?,
        };
        if state.access_keys.get(&id).is_some() || made.iter().any(|k: &AccessKey| k.id == id) {
            return Err(ApiError::conflict(format!(
                "an access key with the id {id:?} exists already"
            )));
        }
        let cleartext = read::text(item, "cleartext");
        if cleartext.is_some_and(|c| c.contains(':')) {
            return Err(ApiError::invalid_arguments(
                "cleartext: an access key cannot contain ':' (the bearer is <ProjectId>:<AccessKey>)",
            ));
        }
        let fields = Fields::read(state, item)?;
        let status = read::text(item, "status");
        let mut key = AccessKey {
            id,
            name,
            digest: cleartext.map(secret::token_hash),
            active: status != Some("inactive"),
            created: read::int(item, "createdTime").unwrap_or_else(|| unix(state.now())),
            expire_time: expire_time(item)?,
            bound_user_id: bound_user(state, item)?,
            created_by: read::text(item, "createdBy").unwrap_or_default().to_owned(),
            client_id: match read::text(item, "clientId") {
                Some(client) => client.to_owned(),
                None => new_id("C2")?,
            },
            ..AccessKey::default()
        };
        fields.apply(&mut key);
        made.push(key);
    }
    let keys: Vec<Value> = made
        .iter()
        .map(|key| key.to_json(&state.directory))
        .collect();
    state.access_keys.keys.extend(made);
    Ok(json!({ "keys": keys }))
}

/// `SearchAccessKeys`: every key matching all the filters given (`tenantIds`: a key in any of
/// them; `text`: in the name, id or description, ignoring case; `boundUserId`; `creatingUser`,
/// the key's `createdBy`; `customAttributes`: each value equal), in creation order (`sort` is
/// not applied: which fields it takes is undocumented).
fn search(state: &State, body: &Value) -> Value {
    let tenants = read::list(body, "tenantIds").unwrap_or_default();
    let text = read::text(body, "text").map(str::to_lowercase);
    let bound = read::text(body, "boundUserId")
        .map(|user| state.find_user(user).unwrap_or_else(|| user.to_owned()));
    let creator = read::text(body, "creatingUser");
    let attributes = read::object(body, "customAttributes");
    let keys: Vec<Value> = state
        .access_keys
        .keys
        .iter()
        .filter(|key| {
            (tenants.is_empty()
                || key
                    .key_tenants
                    .iter()
                    .any(|t| tenants.contains(&t.tenant_id)))
                && text.as_ref().is_none_or(|text| {
                    [&key.name, &key.id, &key.description]
                        .iter()
                        .any(|field| field.to_lowercase().contains(text))
                })
                && bound.as_ref().is_none_or(|user| key.bound_user_id == *user)
                && creator.is_none_or(|creator| key.created_by == creator)
                && attributes
                    .into_iter()
                    .flatten()
                    .all(|(name, value)| key.custom_attributes.get(name) == Some(value))
        })
        .map(|key| key.to_json(&state.directory))
        .collect();
    json!({ "keys": keys })
}
