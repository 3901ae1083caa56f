//! The user operations that create, load, replace, patch and delete whole users, sign them out
//! and read their history; and the dispatch of every user operation to the file that does it.
//!
//! A user created here signs in like any other: the sign-in flows find them by any login id
//! and send codes and links to their email and phone. An invitation (`invite: true`) puts a
//! magic link in the outbox that signs the user in, which turns their status from `invited`
//! to `enabled`.

use serde_json::{Value, json};

use super::details::{Details, Mode, set_login_ids};
use super::{
    Input, UserAction, attributes, empty, methods, read, search, test_users, user_updates,
};
use crate::api::context::Context;
use crate::api::flows::new_link;
use crate::api::sessions::history_entries;
use crate::error::ApiError;
use crate::state::outbox::{Channel, Delivery, OutboxMessage};
use crate::state::user::{Password, Status, User};
use crate::state::{Purpose, SignIn, State, secret, unix};

/// Runs one user operation.
pub fn call(
    state: &mut State,
    context: &Context<'_>,
    action: UserAction,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    use UserAction::*;
    let body = input.body;
    match action {
        Load => load(state, input.query),
        LoadMany => search::load_many(state, body),
        Search { test_only } => search::search(state, body, test_only),
        Create { test } => create(state, context, body, test),
        CreateBatch => create_batch(state, context, body),
        Update => replace(state, body, Mode::Update),
        Patch => replace(state, body, Mode::Patch),
        PatchBatch => patch_batch(state, body),
        Logout => logout(state, body),
        Delete => delete(state, body),
        DeleteBatch => {
            for id in read::list(body, "userIds").unwrap_or_default() {
                state.remove_user(&id);
            }
            Ok(empty())
        }
        History(v2) => history(state, body, v2),
        Attributes | CreateAttributes | DeleteAttributes => attributes::call(state, action, body),
        Password(_) | ExpirePassword | ListPasskeys | ImportPasskeys | RemovePasskey
        | RemoveAllPasskeys | RemoveTotp | ListTrustedDevices | RemoveTrustedDevices
        | ProviderToken => methods::call(state, action, input),
        EmbeddedLink | SignUpEmbeddedLink => {
            test_users::embedded_link(state, context, action, body)
        }
        Status | LoginId | Email | Phone | RecoveryEmail | RecoveryPhone | DisplayName
        | Picture | CustomAttribute | ImpersonationConsent | Roles(_) | Tenant(_) | SsoApps(_) => {
            user_updates::call(state, action, body)
        }
    }
}

/// `{"user": ResponseUser}`, the answer of every call on one user.
pub fn answer(state: &State, user_id: &str) -> Result<Value, ApiError> {
    let user = state
        .user_json(user_id)
        .ok_or_else(ApiError::user_not_found)?;
    Ok(json!({ "user": user }))
}

/// `GET /v1/mgmt/user?loginId=…` or `?userId=…` (exactly one).
fn load(state: &State, query: Option<&str>) -> Result<Value, ApiError> {
    let user_id = match (read::query(query, "loginId"), read::query(query, "userId")) {
        (Some(login_id), None) => state.find_user(&login_id),
        (None, Some(user_id)) => state.users.contains_key(&user_id).then_some(user_id),
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_request(
                "give loginId or userId, not both",
            ));
        }
        (None, None) => return Err(ApiError::missing("loginId or userId is required")),
    };
    answer(state, &user_id.ok_or_else(ApiError::user_not_found)?)
}

/// `CreateUser` and `CreateTestUser`: a new user, or (with `invite`) an invitation, which for
/// an existing user is sent again with `created: false`.
fn create(
    state: &mut State,
    context: &Context<'_>,
    body: &Value,
    test: bool,
) -> Result<Value, ApiError> {
    let invite = read::flag(body, "invite") == Some(true);
    let login_id = read::required(body, "loginId")?;
    if let Some(existing) = state.find_user(login_id) {
        if !invite {
            return Err(ApiError::user_exists(login_id));
        }
        send_invitation(state, context, body, &existing)?;
        let mut answer = answer(state, &existing)?;
        answer["created"] = json!(false);
        return Ok(answer);
    }
    let user_id = new_user(state, body, test || read::flag(body, "test") == Some(true))?;
    if invite {
        if let Some(user) = state.users.get_mut(&user_id)
            && read::text(body, "status").is_none()
        {
            user.status = Status::Invited;
        }
        send_invitation(state, context, body, &user_id)?;
    }
    let mut answer = answer(state, &user_id)?;
    answer["created"] = json!(true);
    Ok(answer)
}

/// Checks and stores a new user from a create (or batch) body; returns the user id.
pub(super) fn new_user(state: &mut State, body: &Value, test: bool) -> Result<String, ApiError> {
    let login_id = read::required(body, "loginId")?.to_owned();
    if state.logins.contains_key(&login_id) {
        return Err(ApiError::user_exists(&login_id));
    }
    let mut details = Details::read(state, body, None)?;
    let additional = details.additional_login_ids.take().unwrap_or_default();
    if additional.contains(&login_id) {
        return Err(ApiError::user_exists(&login_id));
    }
    let id = super::new_id("U")?;
    let now = unix(state.now());
    // A batch user may carry its creation time (seconds; a value in milliseconds, which a
    // number this large must be, is read as such).
    let created = match read::int(body, "createdTime") {
        Some(time) if time > 100_000_000_000 => time / 1000,
        Some(time) if time > 0 => time,
        _ => now,
    };
    let mut user = User {
        id: id.clone(),
        test,
        created,
        modified: now,
        totp: read::text(body, "seed").is_some(),
        password: match (read::text(body, "password"), body.get("hashedPassword")) {
            (Some(password), _) => Some(Password {
                digest: Some(methods::digest(&id, password)),
                expired: false,
            }),
            // An imported hash counts as a password the emulator cannot check.
            (None, Some(hashed)) if hashed.is_object() => Some(Password {
                digest: None,
                expired: false,
            }),
            _ => None,
        },
        ..User::default()
    };
    details.apply(&mut user, Mode::Create, &state.directory);
    state.insert_user(user);
    set_login_ids(state, &id, login_id, additional);
    Ok(id)
}

/// The invitation: a magic link that signs the user in, in the outbox by email (unless
/// `sendMail` is false) and by SMS (when `sendSMS` is true), to `inviteUrl` or the default
/// redirect URI.
fn send_invitation(
    state: &mut State,
    context: &Context<'_>,
    body: &Value,
    user_id: &str,
) -> Result<(), ApiError> {
    let Some(user) = state.users.get(user_id) else {
        return Err(ApiError::user_not_found());
    };
    let login_id = user.login_ids.first().cloned().unwrap_or_default();
    let mut targets = Vec::new();
    if read::flag(body, "sendMail") != Some(false)
        && let Some(email) = &user.email
    {
        targets.push((Channel::Email, email.clone()));
    }
    if read::flag(body, "sendSMS") == Some(true)
        && let Some(phone) = &user.phone
    {
        targets.push((Channel::Sms, phone.clone()));
    }
    let uri = read::text(body, "inviteUrl").map_or_else(
        || context.config.default_redirect_uri.clone(),
        str::to_owned,
    );
    for (channel, destination) in targets {
        let now = state.now();
        let expires = now + context.config.link_ttl;
        let purpose = Purpose::SignIn(SignIn::default());
        let (token, url) = new_link(state, &uri, user_id.to_owned(), channel, purpose, expires)?;
        state.outbox.push(OutboxMessage {
            login_id: login_id.clone(),
            channel,
            destination,
            delivery: Delivery::Link { token, url },
            sent_at: now,
        });
    }
    Ok(())
}

/// `CreateUsers`: each user as `CreateUser`; a user that cannot be created goes to
/// `failedUsers` with the reason, and the call succeeds.
fn create_batch(state: &mut State, context: &Context<'_>, body: &Value) -> Result<Value, ApiError> {
    let invite = read::flag(body, "invite") == Some(true);
    let mut created = Vec::new();
    let mut failed = Vec::new();
    for user in read::objects(body, "users") {
        match new_user(state, user, read::flag(user, "test") == Some(true)) {
            Ok(id) => {
                if invite {
                    if let Some(stored) = state.users.get_mut(&id)
                        && read::text(user, "status").is_none()
                    {
                        stored.status = Status::Invited;
                    }
                    send_invitation(state, context, body, &id)?;
                }
                created.push(state.user_json(&id).unwrap_or_default());
            }
            Err(error) => failed.push(failure(user, &error)),
        }
    }
    Ok(json!({"createdUsers": created, "failedUsers": failed, "additionalErrors": {}}))
}

/// A `UserBatchFailure`: the reason, and the user as far as the request named them.
fn failure(user: &Value, error: &ApiError) -> Value {
    let login_id = read::text(user, "loginId").unwrap_or_default();
    json!({
        "failure": format!("{}: {}", error.code, error.message),
        "user": {"loginIds": [login_id]},
    })
}

/// `UpdateUser` (every detail replaced; absent clears) and `PatchUser` (only what is given).
fn replace(state: &mut State, body: &Value, mode: Mode) -> Result<Value, ApiError> {
    let user_id = change(state, body, mode)?;
    answer(state, &user_id)
}

fn change(state: &mut State, body: &Value, mode: Mode) -> Result<String, ApiError> {
    let user_id = read::user(state, body, "loginId")?;
    let mut details = Details::read(state, body, Some(&user_id))?;
    let additional = details.additional_login_ids.take();
    let now = unix(state.now());
    let State {
        users, directory, ..
    } = state;
    let user = users
        .get_mut(&user_id)
        .ok_or_else(ApiError::user_not_found)?;
    details.apply(user, mode, directory);
    user.modified = now;
    // Login ids are the user's identity: they change only when the body lists additional
    // ones, which then replace the additional ones the user had.
    if let Some(additional) = additional {
        let key = read::required(body, "loginId")?;
        let first = if user.login_ids.iter().any(|id| id == key) {
            key.to_owned()
        } else {
            user.login_ids.first().cloned().unwrap_or_default()
        };
        set_login_ids(state, &user_id, first, additional);
    }
    Ok(user_id)
}

/// `PatchUsers`: each as `PatchUser`; failures go to `failedUsers`.
fn patch_batch(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let mut patched = Vec::new();
    let mut failed = Vec::new();
    for user in read::objects(body, "users") {
        match change(state, user, Mode::Patch) {
            Ok(id) => patched.push(state.user_json(&id).unwrap_or_default()),
            Err(error) => failed.push(failure(user, &error)),
        }
    }
    Ok(json!({"patchedUsers": patched, "failedUsers": failed, "additionalErrors": {}}))
}

/// The user a delete or logout names by `loginId` or `userId` (the Go SDK sends both, one of
/// them empty).
fn named_user(state: &State, body: &Value) -> Result<String, ApiError> {
    let user_id = match (read::text(body, "loginId"), read::text(body, "userId")) {
        (Some(key), _) => state.find_user(key),
        (None, Some(id)) => state.users.contains_key(id).then(|| id.to_owned()),
        (None, None) => return Err(ApiError::missing("loginId or userId is required")),
    };
    user_id.ok_or_else(ApiError::user_not_found)
}

/// `LogoutUser`: every refresh JWT of the user is revoked (401 `E064001` when presented).
fn logout(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let user_id = named_user(state, body)?;
    state.refresh_tokens.revoke_user(&user_id);
    Ok(empty())
}

/// `DeleteUser`: the user, their login ids, pending codes and links, and sessions go.
fn delete(state: &mut State, body: &Value) -> Result<Value, ApiError> {
    let user_id = named_user(state, body)?;
    state.remove_user(&user_id);
    Ok(empty())
}

/// The sign-ins of the listed users (unknown ids contribute none): a bare array for `/v1`,
/// whose body is a bare array of ids, `{usersAuthHistory}` for `/v2`.
fn history(state: &State, body: &Value, v2: bool) -> Result<Value, ApiError> {
    let ids: Vec<String> = if v2 {
        read::list(body, "userIds").unwrap_or_default()
    } else {
        read::list(&json!({ "ids": body }), "ids").unwrap_or_default()
    };
    let entries: Vec<Value> = ids
        .iter()
        .filter_map(|id| state.users.get(id))
        .flat_map(history_entries)
        .collect();
    Ok(if v2 {
        json!({ "usersAuthHistory": entries })
    } else {
        Value::Array(entries)
    })
}

/// A fresh random token, for links and references the emulator hands out.
pub fn token() -> Result<String, ApiError> {
    secret::token().ok_or_else(crate::api::flows::entropy_failed)
}
