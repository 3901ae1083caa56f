//! The semantics of the sign-up, sign-in, verify and update operations on the emulator's state:
//! who may sign up or in (not a disabled user: 403 `E062110`, at the send and again at verify),
//! where the code or link goes, what verify checks, and the sign-in it completes (tokens,
//! history, an invited user's first sign-in enabling them). Management reuses `new_code` and
//! `new_link` for the codes and links it hands back instead of sending.
//!
//! Bodies arrive already validated against the spec, so required fields are present and typed;
//! the helpers (here and in `context`) still read them defensively, since no input may make the
//! emulator panic.

use std::time::SystemTime;

use serde_json::{Value, json};

use super::{Action, Family};
use crate::api::context::{Context, at, flag, text};
use crate::api::updates;
use crate::error::ApiError;
use crate::setup::config::EmulatorConfig;
use crate::state::outbox::Channel;
use crate::state::outbox::{Delivery, OutboxMessage};
use crate::state::secret;
use crate::state::user::{Login, Status, User, check_contact, contact_kind};
use crate::state::{PendingCode, PendingLink, Purpose, SignIn, SignUp, State, unix};
use crate::tokens::{self, Grant};

/// Runs one validated call.
pub fn call(
    state: &mut State,
    context: &Context<'_>,
    family: Family,
    action: Action,
    channel: Option<Channel>,
    body: &Value,
) -> Result<Value, ApiError> {
    match (action, channel) {
        (Action::Verify, Some(channel)) => verify_code(state, context, channel, body),
        (Action::Verify, None) => verify_link(state, context, body),
        (action, Some(channel)) => send(state, context, family, action, channel, body),
        (_, None) => Err(ApiError::malformed(
            "this operation needs a delivery method",
        )),
    }
}

fn optional_text(body: &Value, pointer: &str) -> Option<String> {
    at(body, pointer)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

pub(crate) fn entropy_failed() -> ApiError {
    ApiError::unavailable("the random source failed")
}

/// The sign-in options of the body; a tenant must be one the user (if any yet) belongs to,
/// refused now rather than after the code or link was used.
pub(crate) fn sign_in_options(
    state: &State,
    user_id: Option<&str>,
    body: &Value,
) -> Result<SignIn, ApiError> {
    let tenant = optional_text(body, "/loginOptions/tenantId");
    if let Some(tenant) = &tenant {
        let member = user_id
            .and_then(|id| state.users.get(id))
            .is_some_and(|user| user.membership(tenant).is_some());
        if !member {
            return Err(ApiError::not_a_member(tenant));
        }
    }
    Ok(SignIn {
        tenant,
        revoke_others: flag(body, "/loginOptions/revokeOtherSessions"),
        ..SignIn::default()
    })
}

/// Sign-up, sign-in, sign-up-or-in and updates: find or make the user, then send.
fn send(
    state: &mut State,
    context: &Context<'_>,
    family: Family,
    action: Action,
    channel: Channel,
    body: &Value,
) -> Result<Value, ApiError> {
    let login_id = text(body, "loginId")?.to_owned();
    let existing = state.user_by_login(&login_id).map(|user| user.id.clone());
    let (user_id, destination, purpose) = match (action, existing) {
        (Action::SignUp, Some(_)) => return Err(ApiError::user_exists(&login_id)),
        (Action::SignUp | Action::SignUpOrIn, None) => {
            let options = sign_in_options(state, None, body)?;
            let (user_id, destination) = sign_up(state, channel, &login_id, body)?;
            (user_id, destination, Purpose::SignIn(options))
        }
        (Action::SignIn | Action::SignUpOrIn, Some(user_id)) => {
            if state.users.get(&user_id).is_some_and(User::is_disabled) {
                return Err(ApiError::user_disabled());
            }
            let step_up = flag(body, "/loginOptions/stepup") || flag(body, "/loginOptions/mfa");
            if step_up && context.bearer_user != Some(user_id.as_str()) {
                return Err(ApiError::unauthorized(
                    "step-up and MFA sign-in need the user's refresh JWT",
                ));
            }
            let contact = state
                .users
                .get(&user_id)
                .and_then(|user| user.contact(channel))
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiError::invalid_arguments(format!(
                        "the user has no {}",
                        contact_kind(channel)
                    ))
                })?;
            let options = sign_in_options(state, Some(&user_id), body)?;
            (user_id, contact, Purpose::SignIn(options))
        }
        (Action::SignIn, None) => return Err(ApiError::user_not_found()),
        (Action::Update, existing) => updates::start(state, context, channel, existing, body)?,
        (Action::Verify, _) => return Err(ApiError::malformed("verify sends nothing")),
    };
    let now = state.now();
    let delivery = match family {
        Family::Otp => {
            let code = new_code(state, context.config, &login_id, channel, user_id, purpose)?;
            Delivery::Code(code)
        }
        Family::MagicLink => {
            let uri = optional_text(body, "/URI")
                .unwrap_or_else(|| context.config.default_redirect_uri.clone());
            let expires = now + context.config.link_ttl;
            let (token, url) = new_link(state, &uri, user_id, channel, purpose, expires)?;
            Delivery::Link { url, token }
        }
    };
    let masked = if channel.is_email() {
        json!({"maskedEmail": secret::mask_email(&destination)})
    } else {
        json!({"maskedPhone": secret::mask_phone(&destination)})
    };
    state.outbox.push(OutboxMessage {
        login_id,
        channel,
        destination,
        delivery: delivery.clone(),
        sent_at: now,
    });
    Ok(match (family, masked) {
        // OTP answers also carry the wrong attempts on the new code: none yet.
        (Family::Otp, mut masked) => {
            masked["verificationAttempts"] = json!(0);
            masked
        }
        (Family::MagicLink, masked) => masked,
    })
}

/// Stores a new code for (login id, channel), replacing any earlier one, and returns it. A
/// fixed code (a test user's static OTP) replaces the random one; it is still single-use per
/// send, expires and counts wrong attempts like any other.
pub(crate) fn new_code(
    state: &mut State,
    config: &EmulatorConfig,
    login_id: &str,
    channel: Channel,
    user_id: String,
    purpose: Purpose,
) -> Result<String, ApiError> {
    let code = match state.fixed_codes.get(login_id) {
        Some(fixed) => fixed.clone(),
        None => secret::otp_code().ok_or_else(entropy_failed)?,
    };
    let expires = state.now() + config.otp_ttl;
    state.codes.insert(
        (login_id.to_owned(), channel),
        PendingCode {
            code: code.clone(),
            user_id,
            purpose,
            expires,
            wrong_attempts: 0,
            burnt: false,
        },
    );
    Ok(code)
}

/// Stores a new single-use magic link to `uri` and returns its token and the whole link
/// (`<uri>?t=<token>`, or `&t=` when `uri` has a query already).
pub(crate) fn new_link(
    state: &mut State,
    uri: &str,
    user_id: String,
    channel: Channel,
    purpose: Purpose,
    expires: SystemTime,
) -> Result<(String, String), ApiError> {
    let token = secret::token().ok_or_else(entropy_failed)?;
    let separator = if uri.contains('?') { '&' } else { '?' };
    state.links.insert(
        secret::token_hash(&token),
        PendingLink {
            user_id,
            channel,
            purpose,
            expires,
        },
    );
    let url = format!("{uri}{separator}t={token}");
    Ok((token, url))
}

/// Creates the user; its contact for the channel is `user.email`/`user.phone` or the login id.
fn sign_up(
    state: &mut State,
    channel: Channel,
    login_id: &str,
    body: &Value,
) -> Result<(String, String), ApiError> {
    let mut email = optional_text(body, "/user/email");
    let mut phone = optional_text(body, "/user/phone");
    let slot = if channel.is_email() {
        &mut email
    } else {
        &mut phone
    };
    let destination = slot.get_or_insert_with(|| login_id.to_owned()).clone();
    check_contact(channel, &destination)?;
    let id = format!("U{}", secret::id().ok_or_else(entropy_failed)?);
    let now = unix(state.now());
    let user = User {
        id: id.clone(),
        login_ids: vec![login_id.to_owned()],
        name: optional_text(body, "/user/name"),
        given_name: optional_text(body, "/user/givenName"),
        middle_name: optional_text(body, "/user/middleName"),
        family_name: optional_text(body, "/user/familyName"),
        email,
        phone,
        created: now,
        modified: now,
        ..User::default()
    };
    state.insert_user(user);
    Ok((id, destination))
}

fn verify_code(
    state: &mut State,
    context: &Context<'_>,
    channel: Channel,
    body: &Value,
) -> Result<Value, ApiError> {
    let login_id = text(body, "loginId")?.to_owned();
    let submitted = text(body, "code")?;
    let now = state.now();
    let key = (login_id.clone(), channel);
    let max_attempts = context.config.max_otp_attempts.max(1);
    let Some(pending) = state.codes.get_mut(&key) else {
        return Err(match state.user_by_login(&login_id) {
            None => ApiError::user_not_found(),
            Some(_) => ApiError::wrong_code("no code is pending for this login id"),
        });
    };
    if pending.burnt {
        return Err(ApiError::too_many_attempts());
    }
    if now >= pending.expires {
        state.codes.remove(&key);
        return Err(ApiError::wrong_code("the code has expired"));
    }
    if !secret::same(submitted, &pending.code) {
        pending.wrong_attempts += 1;
        if pending.wrong_attempts >= max_attempts {
            pending.burnt = true;
            return Err(ApiError::too_many_attempts());
        }
        return Err(ApiError::wrong_code("the code is wrong"));
    }
    let Some(pending) = state.codes.remove(&key) else {
        return Err(ApiError::wrong_code("no code is pending for this login id"));
    };
    finish(state, context, pending.user_id, channel, pending.purpose)
}

fn verify_link(state: &mut State, context: &Context<'_>, body: &Value) -> Result<Value, ApiError> {
    let token = text(body, "token")?;
    let now = state.now();
    // Removed whatever happens next: a link works once.
    let link = state
        .links
        .remove(&secret::token_hash(token))
        .filter(|link| now < link.expires)
        .ok_or_else(|| ApiError::unauthorized("the magic link is unknown, used or expired"))?;
    match link.purpose {
        // An embedded sign-up link creates its user now, unless the login id was taken since.
        Purpose::SignUp(sign_up) => {
            let SignUp {
                login_id,
                mut user,
                options,
            } = *sign_up;
            if state.logins.contains_key(&login_id) {
                return Err(ApiError::user_exists(&login_id));
            }
            user.created = unix(now);
            user.modified = user.created;
            let user_id = state.insert_user(user).id.clone();
            finish(
                state,
                context,
                user_id,
                link.channel,
                Purpose::SignIn(options),
            )
        }
        purpose => finish(state, context, link.user_id, link.channel, purpose),
    }
}

/// Applies what was verified and signs the user in: new tokens whose `amr` names the channel
/// (Descope's `email` and `sms`; the other channels by their path names), `dct` the tenant asked
/// for at sign-in, and an entry in the user's history.
fn finish(
    state: &mut State,
    context: &Context<'_>,
    user_id: String,
    channel: Channel,
    purpose: Purpose,
) -> Result<Value, ApiError> {
    match state.users.get(&user_id) {
        None => return Err(ApiError::user_not_found()),
        // Disabled after the code or link was sent: refused all the same.
        Some(user) if user.is_disabled() => return Err(ApiError::user_disabled()),
        Some(_) => {}
    }
    let (user_id, options) = match purpose {
        Purpose::SignIn(options) => {
            if let Some(user) = state.users.get_mut(&user_id) {
                match (options.unverified_contact, channel.is_email()) {
                    (true, _) => {}
                    (false, true) => user.verified_email = true,
                    (false, false) => user.verified_phone = true,
                }
            }
            (user_id, options)
        }
        Purpose::Update(update) => (updates::apply(state, user_id, &update)?, SignIn::default()),
        Purpose::SignUp(_) => {
            return Err(ApiError::malformed("a sign-up link creates its user first"));
        }
    };
    if options.revoke_others {
        state.refresh_tokens.revoke_user(&user_id);
    }
    let Some(user) = state.users.get(&user_id) else {
        return Err(ApiError::user_not_found());
    };
    // Membership may have changed since the code was sent.
    let dct = options
        .tenant
        .filter(|tenant| user.membership(tenant).is_some());
    let grant = Grant {
        user_id,
        amr: vec![channel.as_str().to_owned()],
        dct,
        custom_claims: options.custom_claims,
        anonymous_roles: None,
    };
    let issued = tokens::issue(state, context.config, &grant, true)?;
    signed_in(state, context, &grant, issued)
}

/// The answer of a sign-in that issued `issued` for `grant`'s user (a verify, or a backend
/// sign-in with the management key): the tokens, `firstSeen`, and the user, whose sign-in is
/// recorded in their history and who is no longer only invited.
pub(crate) fn signed_in(
    state: &mut State,
    context: &Context<'_>,
    grant: &Grant,
    issued: tokens::Issued,
) -> Result<Value, ApiError> {
    let now = unix(state.now());
    let refresh_exp = issued.refresh.as_ref().map_or(now, |(_, exp)| *exp);
    let mut answer = tokens::answer(issued, refresh_exp, now, &context.config.cookie_domain);
    let Some(user) = state.users.get_mut(&grant.user_id) else {
        return Err(ApiError::user_not_found());
    };
    answer.insert("firstSeen".into(), json!(!user.signed_in_before));
    user.signed_in_before = true;
    // An invitation is accepted by signing in.
    if user.status == Status::Invited {
        user.status = Status::Enabled;
    }
    user.history.push(Login {
        time: now,
        ip: context.peer,
        selected_tenant: grant.dct.clone(),
    });
    answer.insert("user".into(), user.to_json(&state.directory));
    Ok(Value::Object(answer))
}
