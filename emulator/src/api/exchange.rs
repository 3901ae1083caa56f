//! The access-key exchange (`POST /v1/auth/accesskey/exchange`, bearer
//! `<ProjectId>:<AccessKey>`): a machine client trades its key for a session JWT that
//! relying parties validate like a user's.
//!
//! The key must be known (401 `E011003`), active and unexpired (401 `E011003`: the SDKs treat
//! every refusal as "this key does not authenticate", as they do an expired JWT), and the
//! caller's address must be among its `permittedIps` when it has some (403 `E011003`: the key
//! authenticates, the address may not use it). The session JWT's `sub` is the key id; its
//! `roles`, `permissions` and `tenants` follow from the key's roles as a user's follow from
//! theirs (from the user's own, for a key bound to a user, who must still exist); its custom
//! claims are the key's, then `loginOptions.customClaims` (never replacing the claims the
//! emulator sets); `dct` is `loginOptions.selectedTenant`, which must be one of the key's
//! tenants (403 otherwise, as for users). It lives [`EmulatorConfig::session_ttl`], like a
//! user's session JWT; no refresh JWT is issued.

use std::net::IpAddr;

use serde_json::{Map, Value, json};

use crate::api::context::at;
use crate::error::ApiError;
use crate::setup::config::EmulatorConfig;
use crate::state::access_keys::AccessKey;
use crate::state::user::{Membership, User};
use crate::state::{State, unix};
use crate::tokens::{self, Bearer, GivenSecret, jwt};

/// Runs one exchange.
pub fn call(
    state: &State,
    config: &EmulatorConfig,
    peer: IpAddr,
    bearer: Bearer,
    body: &Value,
) -> Result<Value, ApiError> {
    let Bearer::AccessKey(GivenSecret(cleartext)) = bearer else {
        return Err(ApiError::unauthorized(
            "this call needs an access key: Bearer <ProjectId>:<AccessKey>",
        ));
    };
    let now = unix(state.now());
    let key = state
        .access_keys
        .by_cleartext(&cleartext)
        .ok_or_else(|| ApiError::unauthorized("the access key is not valid"))?;
    if !key.active {
        return Err(ApiError::unauthorized(
            "the access key is deactivated; activate it through management first",
        ));
    }
    if key.expired(now) {
        return Err(ApiError::unauthorized(format!(
            "the access key expired at {} (unix seconds)",
            key.expire_time
        )));
    }
    if !key.permits(peer) {
        return Err(ApiError::address_refused(peer));
    }
    if !key.bound_user_id.is_empty() && !state.users.contains_key(&key.bound_user_id) {
        return Err(ApiError::unauthorized(
            "the access key's user no longer exists",
        ));
    }
    let tenant = at(body, "/loginOptions/selectedTenant")
        .and_then(Value::as_str)
        .filter(|tenant| !tenant.is_empty());
    let has_tenant = |tenant: &str| match state.users.get(&key.bound_user_id) {
        Some(user) => user.membership(tenant).is_some(),
        None => key.key_tenants.iter().any(|t| t.tenant_id == tenant),
    };
    if let Some(tenant) = tenant
        && !has_tenant(tenant)
    {
        return Err(ApiError::not_a_member(tenant));
    }
    let requested = at(body, "/loginOptions/customClaims").and_then(Value::as_object);
    let exp = now.saturating_add(tokens::seconds(config.session_ttl));
    let claims = claims(state, config, key, requested, tenant, now, exp)?;
    let session = tokens::sign(state, &claims)?;
    Ok(json!({"keyId": key.id, "sessionJwt": session, "expiration": exp}))
}

/// The session JWT's claims: the key's custom claims and the requested ones, under the claims
/// the emulator sets.
fn claims(
    state: &State,
    config: &EmulatorConfig,
    key: &AccessKey,
    requested: Option<&Map<String, Value>>,
    tenant: Option<&str>,
    iat: i64,
    exp: i64,
) -> Result<Value, ApiError> {
    let mut claims: Map<String, Value> = key
        .custom_claims
        .iter()
        .chain(requested.into_iter().flatten())
        .filter(|(name, _)| !tokens::RESERVED.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    let standard = json!({
        "iss": config.project_id,
        "sub": key.id,
        "iat": iat,
        "exp": exp,
        "drn": jwt::SESSION,
        "jti": tokens::new_jti()?,
    });
    if let Value::Object(standard) = standard {
        claims.extend(standard);
    }
    // A key bound to a user acts with the user's roles and tenants; otherwise its own roles
    // grant permissions as a user's would.
    let holder = match state.users.get(&key.bound_user_id) {
        Some(user) => user.clone(),
        None => User {
            roles: key.role_names.clone(),
            tenants: key
                .key_tenants
                .iter()
                .map(|t| Membership {
                    tenant_id: t.tenant_id.clone(),
                    roles: t.role_names.clone(),
                    ..Membership::default()
                })
                .collect(),
            ..User::default()
        },
    };
    tokens::access_claims(&state.directory, &holder, &mut claims);
    if let Some(tenant) = tenant {
        claims.insert("dct".into(), json!(tenant));
    }
    Ok(Value::Object(claims))
}
