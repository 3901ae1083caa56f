//! What the test-only controls do to the state, shared by the `/emulator/…` endpoints and the
//! Rust methods of `Emulator`: the start-up state from the configuration and the reset back to
//! it, seeded users, fixed codes, the rate limit, the clock, signing-key rotation, users'
//! roles and tenants and provider tokens, and tenants, roles and permissions defined as the
//! management API's create calls define them.

use std::collections::BTreeMap;
use std::time::Duration;

use hyper::Method;
use serde_json::{Value, json};

use crate::api::management::{permissions, roles, tenants};
use crate::api::routes::Found;
use crate::error::ApiError;
use crate::operations::{self as op, Operation};
use crate::setup::config::{EmulatorConfig, MAX_DURATION};
use crate::setup::seed::{SeedUser, check_fixed_code};
use crate::state::secret;
use crate::state::user::{Membership, ProviderToken, User};
use crate::state::{ResetReport, Shared, State, unix};
use crate::tokens::keys::SigningKey;

/// Seeds `config`'s users and fixed codes; returns how many users were added and how many
/// fixed codes are in force. A seeded user whose login id the state already holds (loaded from
/// a state file) is kept as it was saved, but its fixed code applies again. Fails only if the
/// random source does (the configuration was checked at start).
pub fn prepare(state: &mut State, config: &EmulatorConfig) -> Result<(usize, usize), ApiError> {
    let mut added = 0;
    for user in &config.users {
        if state.logins.contains_key(&user.login_id) {
            if let Some(code) = &user.fixed_code {
                state
                    .fixed_codes
                    .insert(user.login_id.clone(), code.clone());
            }
            continue;
        }
        add_user(state, user)?;
        added += 1;
    }
    // Explicit fixed codes win over the users' own.
    state.fixed_codes.extend(config.fixed_codes.clone());
    Ok((added, state.fixed_codes.len()))
}

/// Forgets users, codes, links, the outbox, refresh JWTs, fixed codes, the clock offset and
/// the rate-limit window; keeps the signing keys; then puts back the configuration's users,
/// fixed codes and rate limit, as at start-up.
pub fn reset(state: &mut State, config: &EmulatorConfig) -> Result<ResetReport, ApiError> {
    let mut report = state.clear(config);
    let (users, codes) = prepare(state, config)?;
    report.seeded_users = users;
    report.seeded_fixed_codes = codes;
    Ok(report)
}

/// Adds a user that can sign in at once; its fixed code, if any, applies from now on.
/// Refused with `E062107` when the login id is taken. Returns the stored user.
pub fn add_user<'s>(state: &'s mut State, seed: &SeedUser) -> Result<&'s User, ApiError> {
    seed.check().map_err(|error| {
        ApiError::invalid_request(format!("{}: {}", error.place, error.message))
    })?;
    if state.logins.contains_key(&seed.login_id) {
        return Err(ApiError::user_exists(&seed.login_id));
    }
    let id = secret::id().ok_or_else(|| ApiError::unavailable("the random source failed"))?;
    let user = seed.to_user(format!("U{id}"), unix(state.now()));
    if let Some(code) = &seed.fixed_code {
        state
            .fixed_codes
            .insert(seed.login_id.clone(), code.clone());
    }
    Ok(state.insert_user(user))
}

/// Changes the fixed codes: each `Some` code set for its login id, each `None` removed. All
/// are checked before any applies.
pub fn change_fixed_codes(
    state: &mut State,
    changes: BTreeMap<String, Option<String>>,
) -> Result<(), ApiError> {
    for (login_id, code) in &changes {
        if login_id.is_empty() {
            return Err(ApiError::invalid_request("a login id must not be empty"));
        }
        if let Some(code) = code {
            check_fixed_code(code)
                .map_err(|message| ApiError::invalid_request(format!("/{login_id}: {message}")))?;
        }
    }
    for (login_id, code) in changes {
        match code {
            Some(code) => state.fixed_codes.insert(login_id, code),
            None => state.fixed_codes.remove(&login_id),
        };
    }
    Ok(())
}

/// Moves the clock forward, at most to [`MAX_DURATION`] ahead of the system clock.
pub fn advance_clock(state: &mut State, by: Duration) {
    state.clock_offset = state.clock_offset.saturating_add(by).min(MAX_DURATION);
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
        .unwrap_or(now + MAX_DURATION);
    let retired = state.keys.install(key, now, until);
    Ok((kid, retired))
}

/// Replaces the user's project-level roles and permissions; returns the user.
pub fn set_roles<'s>(
    state: &'s mut State,
    login_id: &str,
    roles: Vec<String>,
    permissions: Vec<String>,
) -> Result<&'s User, ApiError> {
    let user = state
        .user_by_login_mut(login_id)
        .ok_or_else(ApiError::user_not_found)?;
    user.roles = roles;
    user.permissions = permissions;
    Ok(user)
}

/// Adds the user to a tenant, or replaces their membership of it; returns the user.
pub fn add_to_tenant<'s>(
    state: &'s mut State,
    login_id: &str,
    membership: Membership,
) -> Result<&'s User, ApiError> {
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
    Ok(user)
}

/// Defines a tenant, role or permission as `operation` (`CreateTenant`, `CreateRole`,
/// `CreatePermission`) would, from the same body checked against the same schema; answers
/// `{id}`, the role, or the permission.
pub fn define(shared: &Shared, operation: &Operation, body: &Value) -> Result<Value, ApiError> {
    if let Found::Route(route, _) = shared.routes.find(&Method::POST, operation.path)
        && let Some(spec) = &route.body
    {
        shared.routes.validate(spec, body)?;
    }
    let mut state = shared.state();
    match *operation {
        op::CREATE_TENANT => tenants::create(&mut state, body).map(|id| json!({ "id": id })),
        op::CREATE_ROLE => roles::create(&mut state, body).map(|role| role.to_json()),
        op::CREATE_PERMISSION => permissions::create(&mut state, body).map(|p| p.to_json()),
        _ => Err(ApiError::malformed(
            "only tenants, roles and permissions are defined here",
        )),
    }
}

/// Gives the user with this login id (or user id) a social provider's token, replacing the
/// one they held from the same provider; returns the user id.
pub fn set_provider_token(
    state: &mut State,
    login_id: &str,
    token: ProviderToken,
) -> Result<String, ApiError> {
    if token.provider.is_empty() {
        return Err(ApiError::missing("provider is required"));
    }
    let id = state
        .find_user(login_id)
        .ok_or_else(ApiError::user_not_found)?;
    let user = state
        .users
        .get_mut(&id)
        .ok_or_else(ApiError::user_not_found)?;
    user.provider_tokens
        .retain(|held| held.provider != token.provider);
    user.provider_tokens.push(token);
    Ok(id)
}
