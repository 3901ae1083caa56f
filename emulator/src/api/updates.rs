//! Email and phone updates: who may start one, the conflicts refused when it starts, and what
//! changes when its code or link is verified (`addToLoginIDs`, `onMergeUseExisting`).

use serde_json::Value;

use crate::api::context::{Context, flag, text};
use crate::error::ApiError;
use crate::state::outbox::Channel;
use crate::state::user::{check_contact, contact_kind};
use crate::state::{Purpose, State, Update};

/// An email or phone update: only the signed-in user may change their own contact; conflicts
/// with other users are refused now, and checked again when the change is verified.
pub fn start(
    state: &State,
    context: &Context<'_>,
    channel: Channel,
    existing: Option<String>,
    body: &Value,
) -> Result<(String, String, Purpose), ApiError> {
    let user_id = existing.ok_or_else(ApiError::user_not_found)?;
    if context.bearer_user != Some(user_id.as_str()) {
        return Err(ApiError::unauthorized(
            "the refresh JWT does not belong to the user of this login id",
        ));
    }
    let new_value = text(body, contact_kind(channel))?.to_owned();
    check_contact(channel, &new_value)?;
    let update = Update {
        is_email: channel.is_email(),
        add_to_login_ids: flag(body, "/addToLoginIDs"),
        on_merge_use_existing: flag(body, "/onMergeUseExisting"),
        new_value: new_value.clone(),
    };
    conflict(state, &user_id, &update)?;
    if flag(body, "/failOnConflict") {
        let taken = state.users.values().any(|user| {
            user.id != user_id
                && (user.contact(channel) == Some(new_value.as_str())
                    || user.login_ids.contains(&new_value))
        });
        if taken {
            return Err(ApiError::user_exists(&new_value));
        }
    }
    Ok((user_id, new_value, Purpose::Update(update)))
}

/// Adding a login id that another user holds needs `onMergeUseExisting`.
fn conflict(state: &State, user_id: &str, update: &Update) -> Result<(), ApiError> {
    let owner = state.logins.get(&update.new_value);
    match owner {
        Some(owner)
            if update.add_to_login_ids && owner != user_id && !update.on_merge_use_existing =>
        {
            Err(ApiError::user_exists(&update.new_value))
        }
        _ => Ok(()),
    }
}

/// Replaces the email or phone (verified, since the user just proved they own it). With
/// `addToLoginIDs` the value also becomes a login id; if another user holds it, that user is
/// kept and this one merged into it when `onMergeUseExisting` is set. Returns who is signed in.
pub fn apply(state: &mut State, user_id: String, update: &Update) -> Result<String, ApiError> {
    conflict(state, &user_id, update)?;
    let mut target = user_id.clone();
    if update.add_to_login_ids {
        match state.logins.get(&update.new_value).cloned() {
            Some(owner) if owner != user_id => {
                if let Some(merged) = state.users.remove(&user_id) {
                    if let Some(kept) = state.users.get_mut(&owner) {
                        // Contacts the kept user lacks come along, so every merged login id
                        // can still receive codes.
                        if kept.email.is_none() {
                            kept.email.clone_from(&merged.email);
                            kept.verified_email = merged.verified_email;
                        }
                        if kept.phone.is_none() {
                            kept.phone.clone_from(&merged.phone);
                            kept.verified_phone = merged.verified_phone;
                        }
                    }
                    for login_id in merged.login_ids {
                        state.logins.insert(login_id.clone(), owner.clone());
                        if let Some(kept) = state.users.get_mut(&owner)
                            && !kept.login_ids.contains(&login_id)
                        {
                            kept.login_ids.push(login_id);
                        }
                    }
                }
                target = owner;
            }
            Some(_) => {}
            None => {
                state
                    .logins
                    .insert(update.new_value.clone(), user_id.clone());
                if let Some(user) = state.users.get_mut(&user_id) {
                    user.login_ids.push(update.new_value.clone());
                }
            }
        }
    }
    let Some(user) = state.users.get_mut(&target) else {
        return Err(ApiError::user_not_found());
    };
    if update.is_email {
        user.email = Some(update.new_value.clone());
        user.verified_email = true;
    } else {
        user.phone = Some(update.new_value.clone());
        user.verified_phone = true;
    }
    Ok(target)
}
