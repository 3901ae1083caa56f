//! Token administration with the management key: `UpdateJWT` (a session JWT with more
//! claims), the management sign-in, sign-up and sign-up-or-in (tokens for a user without a
//! code or link), and `Anonymous` (tokens for a user stored nowhere). Impersonation is in
//! `impersonation`; what they share is here.
//!
//! Tokens minted here have an empty `amr`: no sign-in method was used. Custom claims are kept
//! with their JSON types; those the emulator sets ([`tokens::RESERVED`]) and those whose meaning
//! it owns here ([`OWNED`]) are dropped from what the caller asks for.

use serde_json::{Map, Value, json};

use super::{Input, TokenAction, new_id, read, users};
use crate::api::context::Context;
use crate::error::ApiError;
use crate::state::{State, unix};
use crate::tokens::{self, Grant};

/// Claims these calls set themselves, never taken from a caller: `act` (who impersonates),
/// `danu` (an anonymous user) and `su` (a step-up).
pub const OWNED: [&str; 3] = ["act", "danu", "su"];

/// Runs one token-administration call.
pub fn call(
    state: &mut State,
    context: &Context<'_>,
    action: TokenAction,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let body = input.body;
    match action {
        TokenAction::UpdateJwt => update_jwt(state, context, body),
        TokenAction::Anonymous => anonymous(state, context, body),
        TokenAction::SignIn => sign_in(state, context, body),
        TokenAction::SignUp => sign_up(state, context, body, false),
        TokenAction::SignUpOrIn => sign_up(state, context, body, true),
        TokenAction::Impersonate { step_up } => {
            super::impersonation::impersonate(state, context, body, step_up)
        }
        TokenAction::StopImpersonation => super::impersonation::stop(state, context, body),
    }
}

/// The caller's `customClaims`, without the claims the emulator sets.
pub fn requested_claims(body: &Value) -> Map<String, Value> {
    read::object(body, "customClaims")
        .into_iter()
        .flatten()
        .filter(|(name, _)| {
            !tokens::RESERVED.contains(&name.as_str()) && !OWNED.contains(&name.as_str())
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// `refreshDuration` in seconds, when positive: the new refresh JWT's lifetime.
pub fn refresh_duration(body: &Value) -> Option<i64> {
    read::int(body, "refreshDuration").filter(|seconds| *seconds > 0)
}

/// `UpdateJWT`: the session JWT (issued here, valid, not expired) with its claims, the
/// caller's custom claims added (replacing custom claims of the same name), and its `roles`,
/// `permissions` and `tenants` read again from its user when it is a stored user's (the
/// Python SDK: "update its authz claims as well"). A new `iat` and `jti`; `exp` is
/// `refreshDuration` seconds from now when given, else [`EmulatorConfig::session_ttl`] from
/// now.
///
/// [`EmulatorConfig::session_ttl`]: crate::EmulatorConfig::session_ttl
fn update_jwt(state: &State, context: &Context<'_>, body: &Value) -> Result<Value, ApiError> {
    let token = read::required(body, "jwt")?;
    let Value::Object(mut claims) = tokens::check_session(state, context.config, token)? else {
        return Err(ApiError::unauthorized(
            "the session JWT is invalid or expired",
        ));
    };
    if let Some(user) = claims
        .get("sub")
        .and_then(Value::as_str)
        .and_then(|id| state.users.get(id))
    {
        tokens::access_claims(&state.directory, user, &mut claims);
    }
    claims.extend(requested_claims(body));
    let now = unix(state.now());
    claims.insert("iat".into(), json!(now));
    claims.insert("jti".into(), json!(tokens::new_jti()?));
    let lifetime =
        refresh_duration(body).unwrap_or_else(|| tokens::seconds(context.config.session_ttl));
    claims.insert("exp".into(), json!(now.saturating_add(lifetime)));
    let jwt = tokens::sign(state, &Value::Object(claims))?;
    Ok(json!({ "jwt": jwt }))
}

/// `Anonymous`: session and refresh JWTs for a new anonymous user, stored nowhere: `sub` a
/// fresh id (`A` and 32 hex digits), `danu: true`, `roles` (project roles, which must exist)
/// with the permissions they grant, `dct` the `selectedTenant` asked for (there is no
/// membership to check). The refresh JWT refreshes like a user's, keeping all of these.
fn anonymous(state: &mut State, context: &Context<'_>, body: &Value) -> Result<Value, ApiError> {
    let roles = read::list(body, "roles").unwrap_or_default();
    if let Some(role) = roles
        .iter()
        .find(|role| state.directory.role(role, None).is_none())
    {
        return Err(ApiError::conflict(format!(
            "roles: no project-level role is named {role:?}"
        )));
    }
    let mut custom_claims = requested_claims(body);
    custom_claims.insert(tokens::ANONYMOUS.into(), json!(true));
    let grant = Grant {
        user_id: new_id("A")?,
        amr: Vec::new(),
        dct: read::text_of(body, &["selectedTenant", "selectedTenantId"]).map(str::to_owned),
        custom_claims,
        anonymous_roles: Some(roles),
    };
    let issued =
        tokens::issue_lasting(state, context.config, &grant, true, refresh_duration(body))?;
    let now = unix(state.now());
    let refresh_exp = issued.refresh.as_ref().map_or(now, |(_, exp)| *exp);
    let answer = tokens::answer(issued, refresh_exp, now, &context.config.cookie_domain);
    Ok(Value::Object(answer))
}

/// `GenerateJWTSignUp` and (`or_in`) `GenerateJWTSignUpOrIn`: creates the user from `user`
/// (the fields of a create; `emailVerified`, `phoneVerified` beside it or inside it) and signs
/// them in; a taken login id is 400 `E062107`, or with `or_in` a sign-in.
fn sign_up(
    state: &mut State,
    context: &Context<'_>,
    body: &Value,
    or_in: bool,
) -> Result<Value, ApiError> {
    let login_id = read::required(body, "loginId")?;
    if state.find_user(login_id).is_some() {
        if or_in {
            return sign_in(state, context, body);
        }
        return Err(ApiError::user_exists(login_id));
    }
    let mut create = match body.get("user") {
        Some(Value::Object(user)) => user.clone(),
        _ => Map::new(),
    };
    create.insert("loginId".into(), json!(login_id));
    for (ours, theirs) in [
        ("verifiedEmail", "emailVerified"),
        ("verifiedPhone", "phoneVerified"),
    ] {
        if let Some(flag) = read::flag(body, theirs).or_else(|| read::flag(&body["user"], theirs)) {
            create.insert(ours.into(), json!(flag));
        }
    }
    for key in ["userTenants", "roleNames"] {
        if let Some(value) = body.get(key).filter(|value| !value.is_null()) {
            create.insert(key.into(), value.clone());
        }
    }
    users::new_user(state, &Value::Object(create), false)?;
    sign_in(state, context, body)
}

/// `GenerateJWTSignIn` (and the sign-in half of the others): the user must exist (404
/// `E062108`) and not be disabled (403 `E062110`). `stepup` and `mfa` need `jwt`, a valid
/// refresh JWT of that user (401 otherwise); `stepup` adds `su: true`. `revokeOtherSessions`
/// revokes the user's refresh JWTs first; `selectedTenantId` must be one of the user's tenants
/// (403 otherwise) and becomes `dct`. The answer is a verify's: tokens, cookie fields,
/// `firstSeen` and the user; the sign-in enters the user's history.
fn sign_in(state: &mut State, context: &Context<'_>, body: &Value) -> Result<Value, ApiError> {
    let user_id = read::user(state, body, "loginId")?;
    let user = state
        .users
        .get(&user_id)
        .ok_or_else(ApiError::user_not_found)?;
    if user.is_disabled() {
        return Err(ApiError::user_disabled());
    }
    let step_up = read::flag(body, "stepup") == Some(true);
    if step_up || read::flag(body, "mfa") == Some(true) {
        let jwt = read::text(body, "jwt").unwrap_or_default();
        let presented = tokens::check_refresh(state, context.config, jwt)
            .ok()
            .filter(|presented| presented.grant.user_id == user_id);
        if presented.is_none() {
            return Err(ApiError::unauthorized(
                "step-up and MFA sign-in need the user's refresh JWT in jwt",
            ));
        }
    }
    // The Node SDK spreads its login options into the body: `tenantId` is its spelling.
    let tenant = read::text_of(body, &["selectedTenantId", "selectedTenant", "tenantId"]);
    if let Some(tenant) = tenant
        && user.membership(tenant).is_none()
    {
        return Err(ApiError::not_a_member(tenant));
    }
    let mut custom_claims = requested_claims(body);
    if step_up {
        custom_claims.insert("su".into(), json!(true));
    }
    let grant = Grant {
        user_id: user_id.clone(),
        amr: Vec::new(),
        dct: tenant.map(str::to_owned),
        custom_claims,
        anonymous_roles: None,
    };
    if read::flag(body, "revokeOtherSessions") == Some(true) {
        state.refresh_tokens.revoke_user(&user_id);
    }
    let issued =
        tokens::issue_lasting(state, context.config, &grant, true, refresh_duration(body))?;
    crate::api::flows::signed_in(state, context, &grant, issued)
}
