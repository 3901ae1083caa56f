//! Shared set-up and the per-channel dispatch: the generated client has one method per
//! (action, channel), and these helpers let the tests loop over channels instead.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use descope_client::{Client, Error, ErrorCode, RetryPolicy, types};
use descope_emulator::{Channel, Emulator, EmulatorConfig, TenantMembership, jwt, start};
use serde_json::Value;

pub const OTP_CHANNELS: [Channel; 5] = [
    Channel::Email,
    Channel::Sms,
    Channel::Voice,
    Channel::Whatsapp,
    Channel::Im,
];
pub const LINK_CHANNELS: [Channel; 3] = [Channel::Email, Channel::Sms, Channel::Whatsapp];
pub const OTP_PHONE_UPDATE_CHANNELS: [Channel; 4] =
    [Channel::Sms, Channel::Voice, Channel::Whatsapp, Channel::Im];
pub const LINK_PHONE_UPDATE_CHANNELS: [Channel; 3] = [Channel::Sms, Channel::Whatsapp, Channel::Im];

pub struct Setup {
    pub emulator: Emulator,
    pub client: Client,
}

pub async fn setup() -> Setup {
    setup_with(EmulatorConfig::default()).await
}

pub async fn setup_with(config: EmulatorConfig) -> Setup {
    let emulator = start(config).await;
    let client = Client::builder(emulator.project_id())
        .base_url(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the emulator's URL is a valid base URL");
    Setup { emulator, client }
}

/// An emulator and a client that carries its management key (for management and auth calls
/// alike).
pub async fn managed() -> Setup {
    let emulator = start(EmulatorConfig::default()).await;
    let client = Client::builder(emulator.project_id())
        .base_url(emulator.base_url())
        .management_key(emulator.management_key())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the emulator's URL is a valid base URL");
    Setup { emulator, client }
}

/// The HTTP status and Descope error code of a failed call; panics on success.
pub fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> (u16, String) {
    match result {
        Err(Error::Service(error)) => (
            error.status.as_u16(),
            error
                .code
                .map(|code| code.as_str().to_owned())
                .unwrap_or_default(),
        ),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// A generated type from its JSON (the types are `#[non_exhaustive]`; JSON reads as the SDKs'
/// bodies do).
pub fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the JSON fits the type")
}

/// Sends `body` (when given) to `path` with the management bearer; the status and JSON answer.
pub async fn call_managed(
    emulator: &Emulator,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let bearer = format!(
        "Bearer {}:{}",
        emulator.project_id(),
        emulator.management_key()
    );
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", emulator.base_url()))
        .header("Authorization", bearer);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// A fresh login id that suits the channel: an address for email, an E.164 number otherwise.
pub fn login_for(channel: Channel) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    if channel == Channel::Email {
        format!("user{n}@example.com")
    } else {
        format!("+1415{n:07}")
    }
}

/// How a flow starts; the names are the API's operation names.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    SignUp,
    SignIn,
    SignUpOrIn,
}

macro_rules! masked {
    ($call:expr, $field:ident) => {
        $call
            .send()
            .await
            .map(|response| response.into_inner().$field.unwrap_or_default())
    };
}

/// Sends a code; returns the masked destination.
pub async fn send_otp(
    client: &Client,
    start: Start,
    channel: Channel,
    login_id: &str,
) -> Result<String, Error> {
    use Channel::*;
    let c = client;
    match (start, channel) {
        (Start::SignUp, Email) => masked!(c.sign_up_otp_email(login_id), masked_email),
        (Start::SignUp, Sms) => masked!(c.sign_up_otp_sms(login_id), masked_phone),
        (Start::SignUp, Voice) => masked!(c.sign_up_otp_voice(login_id), masked_phone),
        (Start::SignUp, Whatsapp) => masked!(c.sign_up_otp_whatsapp(login_id), masked_phone),
        (Start::SignUp, Im) => masked!(c.sign_up_otp_im(login_id), masked_phone),
        (Start::SignIn, Email) => masked!(c.sign_in_otp_email(login_id), masked_email),
        (Start::SignIn, Sms) => masked!(c.sign_in_otp_sms(login_id), masked_phone),
        (Start::SignIn, Voice) => masked!(c.sign_in_otp_voice(login_id), masked_phone),
        (Start::SignIn, Whatsapp) => masked!(c.sign_in_otp_whatsapp(login_id), masked_phone),
        (Start::SignIn, Im) => masked!(c.sign_in_otp_im(login_id), masked_phone),
        (Start::SignUpOrIn, Email) => masked!(c.sign_up_or_in_otp_email(login_id), masked_email),
        (Start::SignUpOrIn, Sms) => masked!(c.sign_up_or_in_otp_sms(login_id), masked_phone),
        (Start::SignUpOrIn, Voice) => masked!(c.sign_up_or_in_otp_voice(login_id), masked_phone),
        (Start::SignUpOrIn, Whatsapp) => {
            masked!(c.sign_up_or_in_otp_whatsapp(login_id), masked_phone)
        }
        (Start::SignUpOrIn, Im) => masked!(c.sign_up_or_in_otp_im(login_id), masked_phone),
    }
}

pub async fn verify_otp(
    client: &Client,
    channel: Channel,
    login_id: &str,
    code: &str,
) -> Result<types::JwtResponse, Error> {
    let sent = match channel {
        Channel::Email => client.verify_otp_email(login_id, code).send().await,
        Channel::Sms => client.verify_otp_sms(login_id, code).send().await,
        Channel::Voice => client.verify_otp_voice(login_id, code).send().await,
        Channel::Whatsapp => client.verify_otp_whatsapp(login_id, code).send().await,
        Channel::Im => client.verify_otp_im(login_id, code).send().await,
    };
    sent.map(|response| response.into_inner())
}

/// Sends a magic link (to `uri` when given); returns the masked destination.
pub async fn send_link(
    client: &Client,
    start: Start,
    channel: Channel,
    login_id: &str,
    uri: Option<&str>,
) -> Result<String, Error> {
    use Channel::*;
    let c = client;
    // The `uri` field is left out of the body when no URI is given.
    macro_rules! link {
        ($call:expr, $field:ident) => {{
            let call = $call;
            masked!(
                match uri {
                    Some(uri) => call.uri(uri),
                    None => call,
                },
                $field
            )
        }};
    }
    match (start, channel) {
        (Start::SignUp, Email) => link!(c.sign_up_magic_link_email(login_id), masked_email),
        (Start::SignUp, Sms) => link!(c.sign_up_magic_link_sms(login_id), masked_phone),
        (Start::SignUp, Whatsapp) => link!(c.sign_up_magic_link_whatsapp(login_id), masked_phone),
        (Start::SignIn, Email) => link!(c.sign_in_magic_link_email(login_id), masked_email),
        (Start::SignIn, Sms) => link!(c.sign_in_magic_link_sms(login_id), masked_phone),
        (Start::SignIn, Whatsapp) => link!(c.sign_in_magic_link_whatsapp(login_id), masked_phone),
        (Start::SignUpOrIn, Email) => {
            link!(c.sign_up_or_in_magic_link_email(login_id), masked_email)
        }
        (Start::SignUpOrIn, Sms) => link!(c.sign_up_or_in_magic_link_sms(login_id), masked_phone),
        (Start::SignUpOrIn, Whatsapp) => {
            link!(c.sign_up_or_in_magic_link_whatsapp(login_id), masked_phone)
        }
        (_, Voice | Im) => panic!("magic links have no {channel:?} method"),
    }
}

pub async fn verify_link(client: &Client, token: &str) -> Result<types::JwtResponse, Error> {
    client
        .verify_magic_link(token)
        .send()
        .await
        .map(|response| response.into_inner())
}

/// Sends a one-time code (the call must succeed) and returns the code from the outbox.
pub async fn code_sent(
    client: &Client,
    emulator: &Emulator,
    start: Start,
    channel: Channel,
    login_id: &str,
) -> String {
    send_otp(client, start, channel, login_id)
        .await
        .unwrap_or_else(|error| panic!("sending a code to {login_id} failed: {error}"));
    code_for(emulator, login_id)
}

/// The link in the latest outbox message to `login_id`.
pub fn link_for(emulator: &Emulator, login_id: &str) -> String {
    emulator
        .last_message_for(login_id)
        .and_then(|message| message.link().map(str::to_owned))
        .unwrap_or_else(|| panic!("no link for {login_id} in the outbox"))
}

/// The newest code sent for `login_id`.
pub fn code_for(emulator: &Emulator, login_id: &str) -> String {
    let message = emulator
        .last_message_for(login_id)
        .unwrap_or_else(|| panic!("nothing was sent for {login_id}"));
    message.code().expect("an OTP message").to_owned()
}

/// The newest magic-link token sent for `login_id`.
pub fn token_for(emulator: &Emulator, login_id: &str) -> String {
    let message = emulator
        .last_message_for(login_id)
        .unwrap_or_else(|| panic!("nothing was sent for {login_id}"));
    message.token().expect("a magic-link message").to_owned()
}

/// A six-digit code that is not `code`.
pub fn wrong(code: &str) -> String {
    let n: u32 = code.parse().expect("six digits");
    format!("{:06}", (n + 1) % 1_000_000)
}

/// The Descope error code of a failed call; panics on success or a non-service error.
pub fn error_code<T: std::fmt::Debug>(result: Result<T, Error>) -> ErrorCode {
    match result {
        Err(Error::Service(error)) => error.code.expect("an error body with a code"),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// Checks both JWTs against the JWKS the emulator publishes over HTTP: signature, `iss`,
/// `sub` (the user id in the answer), `exp` in the future, and the session/refresh kind.
/// Returns the user id.
pub async fn assert_signed_in(emulator: &Emulator, tokens: &types::JwtResponse) -> String {
    let url = format!("{}/v2/keys/{}", emulator.base_url(), emulator.project_id());
    let jwks: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let user_id = tokens
        .user
        .as_ref()
        .and_then(|user| user.user_id.clone())
        .expect("the answer names the user");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for (token, kind) in [(&tokens.session_jwt, "DS"), (&tokens.refresh_jwt, "DSR")] {
        let token = token.as_deref().expect("both JWTs are in the body");
        let claims = jwt::verify_with_jwks(&jwks, token).expect("the signature holds");
        assert_eq!(claims["iss"], emulator.project_id());
        assert_eq!(claims["sub"], user_id.as_str());
        assert_eq!(claims["drn"], kind);
        assert!(claims["exp"].as_i64().unwrap() > now);
    }
    user_id
}

/// Signs in by email code, signing up on first use; returns the tokens (both must come back).
pub async fn sign_in(emulator: &Emulator, client: &Client, login_id: &str) -> types::JwtResponse {
    let code = code_sent(
        client,
        emulator,
        Start::SignUpOrIn,
        Channel::Email,
        login_id,
    )
    .await;
    verify_otp(client, Channel::Email, login_id, &code)
        .await
        .unwrap_or_else(|error| panic!("signing {login_id} in failed: {error}"))
}

/// The refresh JWT of an answer that must carry one.
pub fn refresh_of(tokens: &types::JwtResponse) -> String {
    tokens.refresh_jwt.clone().expect("a refresh JWT")
}

/// The session JWT of an answer that must carry one.
pub fn session_of(tokens: &types::JwtResponse) -> String {
    tokens.session_jwt.clone().expect("a session JWT")
}

/// A token's claims, unverified (the tests that need the signature check it separately).
pub fn claims_of(token: &str) -> Value {
    jwt::decode_unverified(token).expect("a JWT").1
}

/// A token's header, unverified.
pub fn header_of(token: &str) -> Value {
    jwt::decode_unverified(token).expect("a JWT").0
}

/// The emulator's clock in unix seconds.
pub fn unix_now(emulator: &Emulator) -> i64 {
    emulator.now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// `refresh` with `refresh_jwt`; the answer's body.
pub async fn refresh(client: &Client, refresh_jwt: &str) -> Result<types::JwtResponse, Error> {
    client
        .refresh(refresh_jwt)
        .send()
        .await
        .map(|response| response.into_inner())
}

/// `me` with `refresh_jwt`; the answer's body.
pub async fn me(client: &Client, refresh_jwt: &str) -> Result<types::ResponseUser, Error> {
    client
        .me(refresh_jwt)
        .send()
        .await
        .map(|response| response.into_inner())
}

/// A membership of tenant `id` with these roles and the permission `<id>:read`.
pub fn tenant(id: &str, name: &str, roles: &[&str]) -> TenantMembership {
    TenantMembership {
        tenant_id: id.to_owned(),
        tenant_name: name.to_owned(),
        roles: roles.iter().map(|&role| role.to_owned()).collect(),
        permissions: vec![format!("{id}:read")],
    }
}

/// Sends `body` (when given) to `path` and returns the status and the JSON answer. Every call
/// but a `GET` says `Content-Type: application/json`, body or not, as the admin API's changes
/// must.
pub async fn call(
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let reads = method == reqwest::Method::GET;
    let mut request = reqwest::Client::new().request(method, format!("{base}{path}"));
    match body {
        Some(body) => request = request.json(&body),
        None if !reads => request = request.header("Content-Type", "application/json"),
        None => {}
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The JSON object of `value` as a map (for custom attributes and claims).
pub fn map(value: Value) -> serde_json::Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

/// `LoadUser` by login id (or user id); the user.
pub async fn load(client: &Client, login_id: &str) -> Result<types::ResponseUser, Error> {
    let answer = client.load_user().login_id(login_id).send().await?;
    Ok(answer.into_inner().user.expect("the user"))
}
