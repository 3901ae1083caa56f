//! The session operations on the emulator's state: refresh and try-refresh, sign-out of one or
//! every session, the user's details, history and tenants, tenant selection, and remote
//! validation of a session JWT.
//!
//! The bearer arrives already checked (`tokens::check_refresh`, `tokens::check_session`), under
//! the same lock as the call, so a revocation cannot slip in between.

use serde_json::{Value, json};

use super::SessionAction;
use crate::error::ApiError;
use crate::setup::config::EmulatorConfig;
use crate::state::user::User;
use crate::state::{State, unix};
use crate::tokens::{self, Bearer, Grant, Presented};

/// Runs one validated session call.
pub fn call(
    state: &mut State,
    config: &EmulatorConfig,
    action: SessionAction,
    bearer: Bearer,
    body: &Value,
) -> Result<Value, ApiError> {
    use SessionAction::*;
    let presented = match (action, bearer) {
        (Validate, Bearer::Session(claims)) => return Ok(json!({ "parsedJWT": claims })),
        (Validate, _) => {
            return Err(ApiError::unauthorized(
                "this call needs the session JWT: Bearer <ProjectId>:<SessionJWT>",
            ));
        }
        (_, Bearer::Refresh(presented)) => presented,
        // A missing, invalid or revoked refresh JWT is no failure here: no tokens, no fields.
        (TryRefresh, _) => return Ok(json!({})),
        (_, _) => {
            return Err(ApiError::unauthorized(
                "this call needs the user's refresh JWT",
            ));
        }
    };
    match action {
        Refresh => refresh(state, config, presented, body, true),
        TryRefresh => refresh(state, config, presented, body, false),
        Logout => {
            state.refresh_tokens.revoke(&presented.jti);
            Ok(tokens::signed_out())
        }
        LogoutAll => {
            state.refresh_tokens.revoke_user(&presented.grant.user_id);
            Ok(tokens::signed_out())
        }
        Me => Ok(user(state, &presented)?.to_json(&state.directory)),
        History => Ok(history(user(state, &presented)?)),
        MyTenants => my_tenants(state, user(state, &presented)?, &presented, body),
        SelectTenant => select_tenant(state, config, presented, body),
        Validate => Err(ApiError::malformed("validate takes a session JWT")),
    }
}

fn user<'s>(state: &'s State, presented: &Presented) -> Result<&'s User, ApiError> {
    state
        .users
        .get(&presented.grant.user_id)
        .ok_or_else(ApiError::user_not_found)
}

/// A new session JWT for the presented grant (same `amr` and `dct`, current roles). With
/// `rotate_refresh_tokens` also a new refresh JWT, and the presented one is revoked.
fn refresh(
    state: &mut State,
    config: &EmulatorConfig,
    presented: Presented,
    body: &Value,
    with_user: bool,
) -> Result<Value, ApiError> {
    let external = body.get("externalToken").and_then(Value::as_str);
    if external.is_some_and(|token| !token.is_empty()) {
        return Err(ApiError::invalid_arguments(
            "externalToken: exchanging another provider's token is not emulated",
        ));
    }
    let rotate = config.rotate_refresh_tokens;
    let issued = tokens::issue(state, config, &presented.grant, rotate)?;
    if rotate {
        state.refresh_tokens.revoke(&presented.jti);
    }
    signed_in(state, config, presented, issued, with_user)
}

/// The answer to a refresh or a tenant selection: the token fields, then (except for
/// try-refresh, whose answer never has them) `firstSeen` and the user.
fn signed_in(
    state: &State,
    config: &EmulatorConfig,
    presented: Presented,
    issued: tokens::Issued,
    with_user: bool,
) -> Result<Value, ApiError> {
    let now = unix(state.now());
    let refresh_exp = issued
        .refresh
        .as_ref()
        .map_or(presented.exp, |(_, exp)| *exp);
    let mut answer = tokens::answer(issued, refresh_exp, now, &config.cookie_domain);
    // An anonymous user (management's `Anonymous`) has no details to answer.
    if with_user && !tokens::is_anonymous(&presented.grant.custom_claims) {
        answer.insert("firstSeen".into(), json!(false));
        answer.insert(
            "user".into(),
            user(state, &presented)?.to_json(&state.directory),
        );
    }
    Ok(Value::Object(answer))
}

/// The bare-array shape the SDKs read. City and country are left out: the emulator locates
/// no address.
pub(crate) fn history(user: &User) -> Value {
    Value::Array(history_entries(user))
}

/// One `AuthHistoryEntry` per completed sign-in of the user, oldest first.
pub(crate) fn history_entries(user: &User) -> Vec<Value> {
    user.history
        .iter()
        .map(|login| {
            let mut entry = json!({
                "userId": user.id,
                "loginTime": login.time,
                "ip": login.ip.to_string(),
            });
            if let Some(tenant) = &login.selected_tenant {
                entry["selectedTenant"] = json!(tenant);
            }
            entry
        })
        .collect()
}

/// `dct: true` → the tenant selected in the refresh JWT (none: an empty list); `ids` (a
/// non-empty list) → those of them the user belongs to. Both, or neither, is refused, as the
/// SDKs refuse to send it. GO sends both keys, with `dct: false` or `ids: []` for the unused
/// one, which is why only `true` and a non-empty list count as given.
fn my_tenants(
    state: &State,
    user: &User,
    presented: &Presented,
    body: &Value,
) -> Result<Value, ApiError> {
    let dct = body.get("dct").and_then(Value::as_bool) == Some(true);
    let ids: Vec<&str> = body
        .get("ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let wanted: Vec<&str> = match (dct, ids.is_empty()) {
        (true, false) => {
            return Err(ApiError::invalid_request(
                "set either dct: true or ids, not both",
            ));
        }
        (false, true) => {
            return Err(ApiError::missing(
                "set dct: true (the selected tenant) or ids (the tenants to return)",
            ));
        }
        (true, true) => presented.grant.dct.as_deref().into_iter().collect(),
        (false, false) => ids,
    };
    let tenants: Vec<Value> = user
        .tenants
        .iter()
        .filter(|m| wanted.contains(&m.tenant_id.as_str()))
        .map(|m| {
            let attributes = state
                .directory
                .tenant(&m.tenant_id)
                .map(|t| Value::Object(t.custom_attributes.clone()))
                .unwrap_or_else(|| json!({}));
            json!({
                "id": m.tenant_id,
                "name": state.directory.tenant_name(m),
                "customAttributes": attributes,
            })
        })
        .collect();
    Ok(json!({ "tenants": tenants }))
}

/// New session and refresh JWTs whose `dct` is the tenant, which the user must belong to (403
/// otherwise). The presented refresh JWT stays valid unless refresh tokens rotate.
fn select_tenant(
    state: &mut State,
    config: &EmulatorConfig,
    presented: Presented,
    body: &Value,
) -> Result<Value, ApiError> {
    let tenant = body
        .get("tenant")
        .and_then(Value::as_str)
        .filter(|tenant| !tenant.is_empty())
        .ok_or_else(|| ApiError::missing("tenant is required"))?;
    if user(state, &presented)?.membership(tenant).is_none() {
        return Err(ApiError::not_a_member(tenant));
    }
    let grant = Grant {
        dct: Some(tenant.to_owned()),
        ..presented.grant.clone()
    };
    let issued = tokens::issue(state, config, &grant, true)?;
    if config.rotate_refresh_tokens {
        state.refresh_tokens.revoke(&presented.jti);
    }
    signed_in(state, config, presented, issued, true)
}
