//! The test-only endpoints under `/emulator/` (unauthenticated and never rate-limited) and the
//! Rust API behind them: the outbox, the clock, signing-key rotation, and the roles and tenants
//! of users, which Descope manages through its management API and the emulator has no other way
//! to set.

use std::time::Duration;

use hyper::Method;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::keys::SigningKey;
use crate::state::{Membership, Shared, State, unix};
use crate::url::query_param;

/// Answers one `/emulator/…` request; `body` is the parsed JSON body (`{}` when empty).
pub async fn handle(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &Value,
) -> Result<Value, ApiError> {
    let allowed: &[&str] = match path {
        "/emulator/outbox" => &["GET", "DELETE"],
        "/emulator/clock" => &["GET", "POST"],
        "/emulator/keys/rotate" | "/emulator/users/roles" | "/emulator/users/tenants" => &["POST"],
        "/emulator/users" => &["GET"],
        _ => return Err(ApiError::no_such_path(method.as_str(), path)),
    };
    if !allowed.contains(&method.as_str()) {
        return Err(ApiError::method_not_allowed(method.as_str(), allowed));
    }
    match (method.as_str(), path) {
        ("GET", "/emulator/outbox") => {
            let login_id = query_param(query, "loginId");
            let state = shared.state();
            let messages = state
                .outbox
                .iter()
                .filter(|message| login_id.as_deref().is_none_or(|id| message.login_id == id))
                .map(|message| message.to_json())
                .collect();
            Ok(Value::Array(messages))
        }
        ("DELETE", "/emulator/outbox") => {
            shared.state().outbox.clear();
            Ok(Value::Array(Vec::new()))
        }
        ("POST", "/emulator/clock") => {
            let seconds = body
                .get("seconds")
                .ok_or_else(|| ApiError::missing("seconds is required"))?
                .as_u64()
                .ok_or_else(|| {
                    ApiError::invalid_request("/seconds: must be a non-negative integer")
                })?;
            let mut state = shared.state();
            let by = Duration::from_secs(seconds);
            if state.clock_offset.saturating_add(by) > MAX_CLOCK_OFFSET {
                return Err(ApiError::invalid_request(format!(
                    "/seconds: the clock moves at most {} seconds ahead in all",
                    MAX_CLOCK_OFFSET.as_secs()
                )));
            }
            advance_clock(&mut state, by);
            Ok(clock(&state))
        }
        ("GET", "/emulator/clock") => Ok(clock(&shared.state())),
        ("POST", "/emulator/keys/rotate") => {
            // RSA key generation takes tens of milliseconds: off the async workers and the lock.
            let algorithm = shared.config.signing_algorithm;
            let key = tokio::task::spawn_blocking(move || SigningKey::generate(algorithm))
                .await
                .ok()
                .flatten();
            let (kid, retired) = install_key(shared, key)?;
            Ok(json!({"kid": kid, "retiredKid": retired}))
        }
        ("POST", "/emulator/users/roles") => {
            let login_id = text(body, "loginId")?;
            let roles = strings(body, "roles")?;
            let permissions = strings(body, "permissions")?;
            set_roles(&mut shared.state(), login_id, roles, permissions)
        }
        ("POST", "/emulator/users/tenants") => {
            let tenant_id = text(body, "tenantId")?.to_owned();
            let membership = Membership {
                tenant_name: match body.get("tenantName") {
                    None => tenant_id.clone(),
                    Some(_) => text(body, "tenantName")?.to_owned(),
                },
                tenant_id,
                roles: strings(body, "roles")?,
                permissions: strings(body, "permissions")?,
            };
            add_to_tenant(&mut shared.state(), text(body, "loginId")?, membership)
        }
        ("GET", "/emulator/users") => {
            let login_id = query_param(query, "loginId")
                .ok_or_else(|| ApiError::missing("the loginId query parameter is required"))?;
            let state = shared.state();
            let user = state
                .user_by_login(&login_id)
                .ok_or_else(ApiError::user_not_found)?;
            Ok(user.to_json())
        }
        _ => Err(ApiError::no_such_path(method.as_str(), path)),
    }
}

fn text<'b>(body: &'b Value, key: &str) -> Result<&'b str, ApiError> {
    match body.get(key) {
        None => Err(ApiError::missing(format!("{key} is required"))),
        Some(Value::String(text)) if !text.is_empty() => Ok(text),
        Some(_) => Err(ApiError::invalid_request(format!(
            "/{key}: must be a non-empty string"
        ))),
    }
}

/// An optional array of strings; absent is empty.
fn strings(body: &Value, key: &str) -> Result<Vec<String>, ApiError> {
    let Some(value) = body.get(key) else {
        return Ok(Vec::new());
    };
    let invalid = || ApiError::invalid_request(format!("/{key}: must be an array of strings"));
    value
        .as_array()
        .ok_or_else(invalid)?
        .iter()
        .map(|item| item.as_str().map(str::to_owned).ok_or_else(invalid))
        .collect()
}

fn clock(state: &State) -> Value {
    json!({
        "offsetSeconds": state.clock_offset.as_secs(),
        "now": unix(state.now()),
    })
}

/// How far ahead of the system clock the emulator's clock may go: a century, far beyond any
/// token lifetime, and far from where `SystemTime` arithmetic would overflow and panic.
pub const MAX_CLOCK_OFFSET: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// Moves the clock forward, at most to [`MAX_CLOCK_OFFSET`] ahead of the system clock.
pub fn advance_clock(state: &mut State, by: Duration) {
    state.clock_offset = state.clock_offset.saturating_add(by).min(MAX_CLOCK_OFFSET);
}

/// Makes a freshly generated key the signing key; the old one stays published for
/// `retired_key_ttl`. Returns the new and the retired key ids.
pub fn install_key(shared: &Shared, key: Option<SigningKey>) -> Result<(String, String), ApiError> {
    let key = key.ok_or_else(|| ApiError::unavailable("the signing key could not be generated"))?;
    let kid = key.kid().to_owned();
    let mut state = shared.state();
    let now = state.now();
    // A TTL too large to add means the retired key is never dropped.
    let until = now
        .checked_add(shared.config.retired_key_ttl)
        .unwrap_or(now + MAX_CLOCK_OFFSET);
    let retired = state.keys.install(key, now, until);
    Ok((kid, retired))
}

/// Replaces the user's project-level roles and permissions; returns the user.
pub fn set_roles(
    state: &mut State,
    login_id: &str,
    roles: Vec<String>,
    permissions: Vec<String>,
) -> Result<Value, ApiError> {
    let user = state
        .user_by_login_mut(login_id)
        .ok_or_else(ApiError::user_not_found)?;
    user.roles = roles;
    user.permissions = permissions;
    Ok(user.to_json())
}

/// Adds the user to a tenant, or replaces their membership of it; returns the user.
pub fn add_to_tenant(
    state: &mut State,
    login_id: &str,
    membership: Membership,
) -> Result<Value, ApiError> {
    if membership.tenant_id.is_empty() {
        return Err(ApiError::missing("tenantId is required"));
    }
    let user = state
        .user_by_login_mut(login_id)
        .ok_or_else(ApiError::user_not_found)?;
    match user
        .tenants
        .iter_mut()
        .find(|m| m.tenant_id == membership.tenant_id)
    {
        Some(existing) => *existing = membership,
        None => user.tenants.push(membership),
    }
    Ok(user.to_json())
}
