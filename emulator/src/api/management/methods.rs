//! What management does to a user's other sign-in methods, which the emulator's flows do not
//! use yet but keep consistent: passwords (kept as a salted SHA-256, never answered), passkeys
//! (none unless imported), the TOTP seed, trusted devices (none unless a flow remembers one),
//! and the tokens social providers issued (seeded through the test-only API). Removing what
//! is absent succeeds; only an unknown user is a 404.

use aws_lc_rs::digest;
use serde_json::{Value, json};

use super::{Input, UserAction, empty, read};
use crate::error::ApiError;
use crate::state::user::{Passkey, Password};
use crate::state::{State, unix};

/// Runs one sign-in-method operation.
pub fn call(state: &mut State, action: UserAction, input: &Input<'_>) -> Result<Value, ApiError> {
    let body = input.body;
    match action {
        UserAction::ListTrustedDevices => return trusted_devices(state, body),
        UserAction::RemoveTrustedDevices => return remove_trusted_devices(state, body),
        UserAction::ProviderToken => return provider_token(state, input.query),
        _ => {}
    }
    let user_id = read::user(state, body, "loginId")?;
    let now = unix(state.now());
    let Some(user) = state.users.get_mut(&user_id) else {
        return Err(ApiError::user_not_found());
    };
    match action {
        UserAction::Password(active) => {
            let password = read::required(body, "password")?;
            user.password = Some(Password {
                digest: Some(digest(&user_id, password)),
                expired: !active,
            });
        }
        UserAction::ExpirePassword => {
            if let Some(password) = &mut user.password {
                password.expired = true;
            }
        }
        UserAction::ListPasskeys => {
            let passkeys: Vec<Value> = user
                .passkeys
                .iter()
                .map(|key| {
                    json!({
                        "id": key.id,
                        "rpId": key.rp_id,
                        "kind": key.kind,
                        "displayName": "",
                        "createdTime": key.created,
                    })
                })
                .collect();
            return Ok(json!({ "passkeys": passkeys }));
        }
        UserAction::ImportPasskeys => {
            for device in read::objects(body, "devices") {
                // A Descope export names the credential `credentialId`, an Auth0 one `keyId`.
                let (kind, credential, id_key) = match (device.get("descope"), device.get("auth0"))
                {
                    (Some(descope), _) => ("descope", descope, "credentialId"),
                    (None, Some(auth0)) => ("auth0", auth0, "keyId"),
                    (None, None) => continue,
                };
                let Some(id) = read::text(credential, id_key) else {
                    continue;
                };
                user.passkeys.retain(|key| key.id != id);
                user.passkeys.push(Passkey {
                    id: id.to_owned(),
                    rp_id: read::text(credential, "rpId")
                        .unwrap_or_default()
                        .to_owned(),
                    kind: kind.to_owned(),
                    created: now,
                });
            }
        }
        UserAction::RemovePasskey => {
            let credential = read::required(body, "credentialId")?;
            user.passkeys.retain(|key| key.id != credential);
        }
        UserAction::RemoveAllPasskeys => user.passkeys.clear(),
        UserAction::RemoveTotp => user.totp = false,
        _ => return Err(ApiError::malformed("not a sign-in-method operation")),
    }
    user.modified = now;
    // The password calls answer `SetUserPasswordResponse`, whose `cleartext` the emulator
    // never has to give: `{}` like the others.
    Ok(empty())
}

/// The salted SHA-256 a password is kept as: the user id, a colon, the password.
pub fn digest(user_id: &str, password: &str) -> [u8; 32] {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(user_id.as_bytes());
    context.update(b":");
    context.update(password.as_bytes());
    let mut hash = [0u8; 32];
    hash.copy_from_slice(context.finish().as_ref());
    hash
}

/// `ListUserTrustedDevices`: the devices of every user named (login id or user id), each with
/// its `userId` and its times as decimal strings.
fn trusted_devices(state: &State, body: &Value) -> Result<Value, ApiError> {
    let identifiers = read::list(body, "identifiers").unwrap_or_default();
    if identifiers.is_empty() {
        return Err(ApiError::missing("identifiers must name at least one user"));
    }
    let mut devices = Vec::new();
    for identifier in &identifiers {
        let id = state
            .find_user(identifier)
            .ok_or_else(ApiError::user_not_found)?;
        let Some(user) = state.users.get(&id) else {
            continue;
        };
        devices.extend(user.trusted_devices.iter().map(|device| {
            json!({
                "id": device.id,
                "name": device.name,
                "deviceType": "",
                "userId": user.id,
                "lastLoginTime": device.last_login.to_string(),
                "expirationTime": device.expires.to_string(),
                "lastLocation": "",
                "isCurrentDevice": false,
            })
        }));
    }
    Ok(json!({ "devices": devices }))
}

/// `RemoveUserTrustedDevices`: the user is `identifier` (what the SDKs send) or `loginId`.
fn remove_trusted_devices(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let key = read::text_of(body, &["identifier", "loginId"])
        .ok_or_else(|| ApiError::missing("identifier (or loginId) is required"))?;
    let id = state.find_user(key).ok_or_else(ApiError::user_not_found)?;
    let devices = read::list(body, "deviceIds").unwrap_or_default();
    if let Some(user) = state.users.get_mut(&id) {
        user.trusted_devices
            .retain(|device| !devices.contains(&device.id));
    }
    Ok(empty())
}

/// `GetUserProviderToken`: the token seeded for the user and provider; the refresh token
/// only with `withRefreshToken=true`. A user without one for the provider is 404 `E011004`.
fn provider_token(state: &State, query: Option<&str>) -> Result<Value, ApiError> {
    let login_id = read::query(query, "loginId")
        .ok_or_else(|| ApiError::missing("the loginId query parameter is required"))?;
    let provider = read::query(query, "provider")
        .ok_or_else(|| ApiError::missing("the provider query parameter is required"))?;
    let with_refresh = read::query_flag(query, "withRefreshToken")?;
    read::query_flag(query, "forceRefresh")?;
    let id = state
        .find_user(&login_id)
        .ok_or_else(ApiError::user_not_found)?;
    let token = state
        .users
        .get(&id)
        .and_then(|user| user.provider_tokens.iter().find(|t| t.provider == provider))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "the user holds no token from provider {provider:?}"
            ))
        })?;
    let mut answer = json!({
        "provider": token.provider,
        "providerUserId": token.provider_user_id,
        "accessToken": token.access_token,
        "expiration": token.expiration,
        "scopes": token.scopes,
    });
    if with_refresh && let Some(refresh) = &token.refresh_token {
        answer["refreshToken"] = json!(refresh);
    }
    Ok(answer)
}
