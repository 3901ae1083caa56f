//! Codes and links that management hands back instead of sending: a test user's one-time code,
//! magic link and enchanted link, which the ordinary verify operations accept (they are stored
//! exactly as a sign-in stores them), the embedded sign-in and sign-up links of any user, and
//! the removal of every test user.

use serde_json::{Map, Value, json};

use super::{TestUserAction, UserAction, empty, read, users};
use crate::api::context::Context;
use crate::api::flows::{new_code, new_link, sign_in_options};
use crate::error::ApiError;
use crate::setup::config::MAX_DURATION;
use crate::state::outbox::Channel;
use crate::state::secret::{mask_email, mask_phone};
use crate::state::user::{User, check_contact};
use crate::state::{Purpose, SignIn, SignUp, State, unix};

/// Runs one test-user operation.
pub fn call(
    state: &mut State,
    context: &Context<'_>,
    action: TestUserAction,
    body: &Value,
) -> Result<Value, ApiError> {
    if action == TestUserAction::DeleteAll {
        let tests: Vec<String> = state
            .users
            .values()
            .filter(|user| user.test)
            .map(|user| user.id.clone())
            .collect();
        for id in tests {
            state.remove_user(&id);
        }
        return Ok(empty());
    }
    let user_id = read::user(state, body, "loginId")?;
    let user = state
        .users
        .get(&user_id)
        .ok_or_else(ApiError::user_not_found)?;
    if !user.test {
        return Err(ApiError::conflict(
            "the user is not a test user; only test users' codes and links can be generated",
        ));
    }
    // The verify call names the login id: the one given, or the first when given the user id.
    let key = read::required(body, "loginId")?;
    let login_id = if user.login_ids.iter().any(|id| id == key) {
        key.to_owned()
    } else {
        user.login_ids.first().cloned().unwrap_or_default()
    };
    let channel = match read::text(body, "deliveryMethod") {
        None => Channel::Email,
        // `Embedded` (capital E, as both SDKs spell it) has no channel of its own: its code
        // verifies as an email code, its link as any magic link.
        Some("Embedded") => Channel::Email,
        Some(method) => Channel::parse(method).ok_or_else(|| {
            ApiError::invalid_request(format!("/deliveryMethod: unknown method {method:?}"))
        })?,
    };
    let mut options = sign_in_options(state, Some(&user_id), body)?;
    options.custom_claims = claims(body.pointer("/loginOptions/customClaims"));
    let purpose = Purpose::SignIn(options);
    if action == TestUserAction::Otp {
        let code = new_code(state, context.config, &login_id, channel, user_id, purpose)?;
        return Ok(json!({"loginId": login_id, "code": code}));
    }
    let uri = read::text_of(body, &["URI", "redirectUrl"]).map_or_else(
        || context.config.default_redirect_uri.clone(),
        str::to_owned,
    );
    let expires = state.now() + context.config.link_ttl;
    let (_, link) = new_link(state, &uri, user_id, channel, purpose, expires)?;
    let mut answer = json!({"loginId": login_id, "link": link});
    if action == TestUserAction::EnchantedLink {
        // The enchanted-link session poll is not served: the reference only completes the
        // answer's shape, and the link's token verifies with `VerifyMagicLink`.
        answer["pendingRef"] = json!(users::token()?);
    }
    Ok(answer)
}

/// The custom claims of a body (`null` or anything but an object: none).
fn claims(value: Option<&Value>) -> Map<String, Value> {
    value
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// `GenerateEmbeddedLink` (an existing user, any user) and `GenerateSignUpEmbeddedLink` (a
/// user created when the token is verified): a magic-link token valid `timeout` seconds (0:
/// the link lifetime), whose verify adds `customClaims` to the JWTs.
pub fn embedded_link(
    state: &mut State,
    context: &Context<'_>,
    action: UserAction,
    body: &Value,
) -> Result<Value, ApiError> {
    let now = state.now();
    let expires = match read::int(body, "timeout") {
        // At most a century, so that no timeout overflows the clock.
        Some(seconds) if seconds > 0 => {
            now + std::time::Duration::from_secs(seconds.unsigned_abs()).min(MAX_DURATION)
        }
        _ => now + context.config.link_ttl,
    };
    let (user_id, purpose, email, phone) = if action == UserAction::SignUpEmbeddedLink {
        let (sign_up, email, phone) = sign_up(state, body)?;
        (
            String::new(),
            Purpose::SignUp(Box::new(sign_up)),
            email,
            phone,
        )
    } else {
        let user_id = read::user(state, body, "loginId")?;
        let user = state
            .users
            .get(&user_id)
            .ok_or_else(ApiError::user_not_found)?;
        let (email, phone) = (user.email.clone(), user.phone.clone());
        let options = SignIn {
            custom_claims: claims(body.get("customClaims")),
            unverified_contact: true,
            ..SignIn::default()
        };
        (user_id, Purpose::SignIn(options), email, phone)
    };
    let (token, _) = new_link(state, "", user_id, Channel::Email, purpose, expires)?;
    let mut answer = json!({ "token": token });
    if let Some(email) = email {
        answer["maskedEmail"] = json!(mask_email(&email));
    }
    if let Some(phone) = phone {
        answer["maskedPhone"] = json!(mask_phone(&phone));
    }
    Ok(answer)
}

/// The user a sign-up embedded link creates, with the contacts to mask. The Python SDK writes
/// the name parts in snake case, which are read too.
fn sign_up(
    state: &State,
    body: &Value,
) -> Result<(SignUp, Option<String>, Option<String>), ApiError> {
    let login_id = read::required(body, "loginId")?.to_owned();
    if state.logins.contains_key(&login_id) {
        return Err(ApiError::user_exists(&login_id));
    }
    let details = body.get("user").cloned().unwrap_or_else(|| json!({}));
    let text = |keys: &[&str]| read::text_of(&details, keys).map(str::to_owned);
    let email = text(&["email"]);
    let phone = text(&["phone"]);
    if let Some(email) = &email {
        check_contact(Channel::Email, email)?;
    }
    if let Some(phone) = &phone {
        check_contact(Channel::Sms, phone)?;
    }
    let now = unix(state.now());
    let user = User {
        id: super::new_id("U")?,
        login_ids: vec![login_id.clone()],
        name: text(&["name"]),
        given_name: text(&["givenName", "given_name"]),
        middle_name: text(&["middleName", "middle_name"]),
        family_name: text(&["familyName", "family_name"]),
        verified_email: email.is_some() && read::flag(body, "emailVerified") == Some(true),
        verified_phone: phone.is_some() && read::flag(body, "phoneVerified") == Some(true),
        email: email.clone(),
        phone: phone.clone(),
        created: now,
        modified: now,
        ..User::default()
    };
    let options = SignIn {
        custom_claims: claims(body.pointer("/loginOptions/customClaims")),
        unverified_contact: true,
        ..SignIn::default()
    };
    let sign_up = SignUp {
        login_id,
        user,
        options,
    };
    Ok((sign_up, email, phone))
}
