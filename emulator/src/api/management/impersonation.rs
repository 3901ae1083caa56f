//! Impersonation with the management key: `Impersonate` and `ImpersonateStepup` give a
//! refresh JWT of the target user that carries `act: {"sub": <impersonator's user id>}` (the
//! claim RFC 8693 §4.1 defines for an actor; no SDK reads it, Descope names none), and
//! `StopImpersonation` trades such a JWT for a refresh JWT of the impersonator, revoking it.
//!
//! The impersonator must hold the `Impersonate` permission at project level, or in the
//! `selectedTenant` when one is given, else in a tenant the target belongs to (through roles,
//! as permissions always follow); otherwise 403 `E011003`. With
//! `validateConsent`, the target's recorded consent (`UpdateUserImpersonationConsent`, kept as
//! `consentExpiration`, unix seconds) must end in the future; else 403 `E011003`.

use serde_json::{Value, json};

use super::jwt::{refresh_duration, requested_claims};
use super::read;
use crate::api::context::Context;
use crate::error::ApiError;
use crate::state::{State, unix};
use crate::tokens::{self, Grant};

/// The permission impersonation requires (docs.descope.com/user-impersonation).
pub const PERMISSION: &str = "Impersonate";

/// `Impersonate` and, with `step_up`, `ImpersonateStepup` (`su: true` in the JWT): `{jwt}`, a
/// refresh JWT of the user `loginId` names, whose session JWTs carry `act` (and `su`) too.
pub fn impersonate(
    state: &mut State,
    context: &Context<'_>,
    body: &Value,
    step_up: bool,
) -> Result<Value, ApiError> {
    let target_id = read::user(state, body, "loginId")?;
    let impersonator_id = read::user(state, body, "impersonatorId")?;
    let (Some(target), Some(impersonator)) = (
        state.users.get(&target_id),
        state.users.get(&impersonator_id),
    ) else {
        return Err(ApiError::user_not_found());
    };
    let tenant = read::text_of(body, &["selectedTenant", "selectedTenantId"]);
    let directory = &state.directory;
    let granted_in = |tenant_id: &str| {
        impersonator.membership(tenant_id).is_some_and(|own| {
            directory
                .tenant_permissions(own)
                .iter()
                .any(|p| p == PERMISSION)
        })
    };
    let in_project = directory
        .project_permissions(impersonator)
        .iter()
        .any(|p| p == PERMISSION);
    let in_tenant = match tenant {
        Some(tenant) => granted_in(tenant),
        None => target.tenants.iter().any(|m| granted_in(&m.tenant_id)),
    };
    if !in_project && !in_tenant {
        return Err(ApiError::forbidden(format!(
            "the impersonator lacks the {PERMISSION:?} permission, at project level or in {}",
            match tenant {
                Some(tenant) => format!("the selected tenant {tenant:?}"),
                None => "a tenant of the user".to_owned(),
            }
        )));
    }
    if target.is_disabled() {
        return Err(ApiError::user_disabled());
    }
    let now = unix(state.now());
    if read::flag(body, "validateConsent") == Some(true)
        && target.consent_expiration.is_none_or(|end| end <= now)
    {
        return Err(ApiError::forbidden(
            "the user has not consented to impersonation (or the consent ended); record it \
             with UpdateUserImpersonationConsent, a consent ending in the future (unix seconds)",
        ));
    }
    if let Some(tenant) = tenant
        && target.membership(tenant).is_none()
    {
        return Err(ApiError::not_a_member(tenant));
    }
    let mut custom_claims = requested_claims(body);
    custom_claims.insert("act".into(), json!({ "sub": impersonator_id }));
    if step_up || read::flag(body, "stepup") == Some(true) {
        custom_claims.insert("su".into(), json!(true));
    }
    let grant = Grant {
        user_id: target_id,
        amr: Vec::new(),
        dct: tenant.map(str::to_owned),
        custom_claims,
        anonymous_roles: None,
    };
    refresh_jwt(state, context, &grant, body)
}

/// `StopImpersonation`: `jwt` must be a live refresh JWT with an `act` claim (401 when it is
/// not valid, 400 `E011004` when it is no impersonation's); it is revoked, and the answer is
/// `{jwt}`, a refresh JWT of the impersonator (who must still exist and be enabled), with the
/// caller's custom claims and `selectedTenant` (one of theirs) as `dct`.
pub fn stop(state: &mut State, context: &Context<'_>, body: &Value) -> Result<Value, ApiError> {
    let token = read::required(body, "jwt")?;
    let presented = tokens::check_refresh(state, context.config, token)?;
    let actor = presented
        .grant
        .custom_claims
        .get("act")
        .and_then(|act| act.get("sub"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ApiError::invalid_arguments("jwt: not an impersonation's refresh JWT (no act claim)")
        })?
        .to_owned();
    let user = state
        .users
        .get(&actor)
        .ok_or_else(ApiError::user_not_found)?;
    if user.is_disabled() {
        return Err(ApiError::user_disabled());
    }
    let tenant = read::text_of(body, &["selectedTenant", "selectedTenantId"]);
    if let Some(tenant) = tenant
        && user.membership(tenant).is_none()
    {
        return Err(ApiError::not_a_member(tenant));
    }
    state.refresh_tokens.revoke(&presented.jti);
    let grant = Grant {
        user_id: actor,
        amr: Vec::new(),
        dct: tenant.map(str::to_owned),
        custom_claims: requested_claims(body),
        anonymous_roles: None,
    };
    refresh_jwt(state, context, &grant, body)
}

/// `{jwt}`: a new refresh JWT for `grant`, living `refreshDuration` when given.
fn refresh_jwt(
    state: &mut State,
    context: &Context<'_>,
    grant: &Grant,
    body: &Value,
) -> Result<Value, ApiError> {
    let issued = tokens::issue_lasting(state, context.config, grant, true, refresh_duration(body))?;
    let (jwt, _) = issued
        .refresh
        .ok_or_else(|| ApiError::internal("no refresh JWT was issued"))?;
    Ok(json!({ "jwt": jwt }))
}
