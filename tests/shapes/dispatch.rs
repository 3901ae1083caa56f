//! Calls any operation by method name through the generated client, with a spec example as body.
//!
//! The list below is the only hand-written mapping from operations to request types; a test
//! checks it against the generated operation table, so a new operation cannot go untested.

use descope_client::types;
use descope_client::{Client, Error, Response};
use serde_json::Value;

/// What a call came back with, rendered for a golden file.
#[derive(Debug)]
pub enum Outcome {
    /// A 2xx, decoded into the operation's response type; `debug` is the `{:?}` of the value.
    Success {
        status: u16,
        decoded: String,
        debug: String,
    },
    /// A documented error status: the code, texts and `Retry-After` the client read from it.
    ServiceError {
        status: u16,
        decoded: String,
        retry_after: Option<String>,
    },
    /// Refused by the client before anything was sent.
    Refused(String),
    /// Anything else: a transport or decode failure.
    Failed(#[allow(dead_code, reason = "shown through Debug in failure messages")] String),
}

/// The decoded value's Rust type and its JSON as serde writes it back, with the wire names, so a
/// renamed field or a field the type drops shows up in the golden file.
fn render<T: serde::Serialize>(value: &T) -> String {
    let type_name = std::any::type_name::<T>()
        .rsplit("::")
        .next()
        .unwrap_or("?");
    let json =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("<cannot serialize: {e}>"));
    format!("{type_name} {json}")
}

fn outcome<T: serde::Serialize + std::fmt::Debug>(result: Result<Response<T>, Error>) -> Outcome {
    match result {
        Ok(value) => Outcome::Success {
            status: value.status().as_u16(),
            debug: format!("{value:?} {value:#?}"),
            decoded: render(&value.into_inner()),
        },
        Err(Error::Service(error)) => Outcome::ServiceError {
            status: error.status.as_u16(),
            retry_after: error.retry_after.map(|delay| delay.as_secs().to_string()),
            decoded: format!(
                "code {}\ndescription {:?}\nmessage {:?}\nbody excerpt {:?}",
                error
                    .code
                    .as_ref()
                    .map_or_else(|| "none".to_owned(), |code| format!("{code} ({code:?})")),
                error.description,
                error.message,
                error.body_excerpt,
            ),
        },
        Err(refused @ Error::InvalidRequest(_)) => Outcome::Refused(refused.to_string()),
        Err(other) => Outcome::Failed(other.to_string()),
    }
}

macro_rules! operations {
    ($($method:ident => $body:ident,)*) => {
        /// Method names this module can call.
        pub const COVERED: &[&str] = &[$(stringify!($method)),*];

        /// Calls `method_name` with `body`, which must decode into the operation's request type.
        pub async fn call(client: &Client, method_name: &str, body: Value) -> Outcome {
            match method_name {
                $(stringify!($method) => {
                    let body: types::$body = match serde_json::from_value(body) {
                        Ok(body) => body,
                        Err(error) => return Outcome::Failed(format!(
                            "the example does not decode into {}: {error}", stringify!($body))),
                    };
                    outcome(client.$method().body(body).send().await)
                })*
                other => Outcome::Failed(format!("no call is written for `{other}` in dispatch.rs")),
            }
        }

        /// The `{:?}` and `{:#?}` of the typed body, its type builder and the operation builder.
        pub fn describe(client: &Client, method_name: &str, body: Value) -> Result<String, String> {
            match method_name {
                $(stringify!($method) => {
                    let body: types::$body = serde_json::from_value(body).map_err(|e| e.to_string())?;
                    let type_builder = types::builder::$body::from(body.clone());
                    let operation_builder = client.$method().body(body.clone());
                    Ok(format!("{body:?} {body:#?} {type_builder:?} {operation_builder:?} {operation_builder:#?}"))
                })*
                other => Err(format!("no call is written for `{other}` in dispatch.rs")),
            }
        }
    };
}

operations! {
    sign_up_otp_email => OtpSignUpRequest,
    sign_up_otp_sms => OtpSignUpRequest,
    sign_up_otp_voice => OtpSignUpRequest,
    sign_up_otp_whatsapp => OtpSignUpRequest,
    sign_up_otp_im => OtpSignUpRequest,
    sign_in_otp_email => OtpSignInRequest,
    sign_in_otp_sms => OtpSignInRequest,
    sign_in_otp_voice => OtpSignInRequest,
    sign_in_otp_whatsapp => OtpSignInRequest,
    sign_in_otp_im => OtpSignInRequest,
    sign_up_or_in_otp_email => OtpSignUpOrInRequest,
    sign_up_or_in_otp_sms => OtpSignUpOrInRequest,
    sign_up_or_in_otp_voice => OtpSignUpOrInRequest,
    sign_up_or_in_otp_whatsapp => OtpSignUpOrInRequest,
    sign_up_or_in_otp_im => OtpSignUpOrInRequest,
    verify_otp_email => OtpVerifyRequest,
    verify_otp_sms => OtpVerifyRequest,
    verify_otp_voice => OtpVerifyRequest,
    verify_otp_whatsapp => OtpVerifyRequest,
    verify_otp_im => OtpVerifyRequest,
    update_email_otp => UpdateEmailOtpRequest,
    update_phone_otp_sms => UpdatePhoneOtpRequest,
    update_phone_otp_voice => UpdatePhoneOtpRequest,
    update_phone_otp_whatsapp => UpdatePhoneOtpRequest,
    update_phone_otp_im => UpdatePhoneOtpRequest,
    sign_up_magic_link_email => MagicLinkSignUpRequest,
    sign_up_magic_link_sms => MagicLinkSignUpRequest,
    sign_up_magic_link_whatsapp => MagicLinkSignUpRequest,
    sign_in_magic_link_email => MagicLinkSignInRequest,
    sign_in_magic_link_sms => MagicLinkSignInRequest,
    sign_in_magic_link_whatsapp => MagicLinkSignInRequest,
    sign_up_or_in_magic_link_email => MagicLinkSignUpOrInRequest,
    sign_up_or_in_magic_link_sms => MagicLinkSignUpOrInRequest,
    sign_up_or_in_magic_link_whatsapp => MagicLinkSignUpOrInRequest,
    verify_magic_link => MagicLinkVerifyRequest,
    update_email_magic_link => UpdateEmailMagicLinkRequest,
    update_phone_magic_link_sms => UpdatePhoneMagicLinkRequest,
    update_phone_magic_link_whatsapp => UpdatePhoneMagicLinkRequest,
}

#[test]
fn every_generated_operation_has_a_call() {
    let mut generated: Vec<&str> = descope_client::operations::OPERATIONS
        .iter()
        .map(|o| o.method_name)
        .collect();
    let mut covered = COVERED.to_vec();
    generated.sort_unstable();
    covered.sort_unstable();
    assert_eq!(covered, generated);
    assert_eq!(generated.len(), 38);
}
