//! What the emulator does for each operation of Descope's API: [`Behaviour::of`] gives every
//! operation of the generated table its behaviour, and [`call`] runs it on the state. The route
//! table (`routes`) finds the operation of a request; `flows` (sign-up, sign-in, verify),
//! `updates` (email and phone changes), `sessions` (refresh, sign-out, the user's details),
//! `exchange` (an access key for a session JWT) and `management` (users, test users, tenants,
//! roles and permissions, access keys and token administration, with the management key) do
//! the work, with what they share in `context`.
//!
//! An operation without a behaviour is answered with a "not emulated" error naming it, never a
//! 404; a test requires every operation of the table to have one, so a new operation in the spec
//! fails the tests until the emulator serves it.

pub(crate) mod context;
mod exchange;
mod flows;
pub(crate) mod management;
pub(crate) mod routes;
mod sessions;
mod updates;

use std::net::IpAddr;

use serde_json::Value;

use crate::error::ApiError;
use crate::operations::{self as op, Operation};
use crate::setup::config::EmulatorConfig;
use crate::state::State;
use crate::state::outbox::Channel;
use crate::tokens::Bearer;
use context::Context;
pub use management::Management;

/// A family of sign-in operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Otp,
    MagicLink,
}

/// What a sign-in operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignUp,
    SignIn,
    SignUpOrIn,
    Verify,
    Update,
}

/// The operations on a signed-in user's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAction {
    Refresh,
    TryRefresh,
    Logout,
    LogoutAll,
    Me,
    History,
    MyTenants,
    SelectTenant,
    Validate,
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Sign-up, sign-in, verify and updates by code or link. `channel` is `None` only for
    /// magic-link verify, whose channel is the link's.
    Auth {
        family: Family,
        action: Action,
        channel: Option<Channel>,
    },
    Session(SessionAction),
    /// The project's JWKS.
    Keys,
    /// The access-key exchange (`Bearer <ProjectId>:<AccessKey>`).
    AccessKeyExchange,
    /// The management API (`Bearer <ProjectId>:<ManagementKey>`).
    Management(Management),
}

/// What a call brings besides its bearer: the validated body (`{}` for operations without
/// one) and the raw query string (the management loads read their parameters from it). No
/// operation with a path parameter reaches `call` (the keys are answered by the server).
pub struct Input<'a> {
    pub body: &'a Value,
    pub query: Option<&'a str>,
}

impl Behaviour {
    /// The behaviour of `operation`, or `None` when the emulator does not serve it.
    pub fn of(operation: &Operation) -> Option<Behaviour> {
        use Action::*;
        use Channel::*;
        use Family::*;
        use SessionAction::*;
        let auth = |family, action, channel| Behaviour::Auth {
            family,
            action,
            channel,
        };
        Some(match *operation {
            op::SIGN_UP_OTP_EMAIL => auth(Otp, SignUp, Some(Email)),
            op::SIGN_UP_OTP_SMS => auth(Otp, SignUp, Some(Sms)),
            op::SIGN_UP_OTP_VOICE => auth(Otp, SignUp, Some(Voice)),
            op::SIGN_UP_OTP_WHATSAPP => auth(Otp, SignUp, Some(Whatsapp)),
            op::SIGN_UP_OTP_IM => auth(Otp, SignUp, Some(Im)),
            op::SIGN_IN_OTP_EMAIL => auth(Otp, SignIn, Some(Email)),
            op::SIGN_IN_OTP_SMS => auth(Otp, SignIn, Some(Sms)),
            op::SIGN_IN_OTP_VOICE => auth(Otp, SignIn, Some(Voice)),
            op::SIGN_IN_OTP_WHATSAPP => auth(Otp, SignIn, Some(Whatsapp)),
            op::SIGN_IN_OTP_IM => auth(Otp, SignIn, Some(Im)),
            op::SIGN_UP_OR_IN_OTP_EMAIL => auth(Otp, SignUpOrIn, Some(Email)),
            op::SIGN_UP_OR_IN_OTP_SMS => auth(Otp, SignUpOrIn, Some(Sms)),
            op::SIGN_UP_OR_IN_OTP_VOICE => auth(Otp, SignUpOrIn, Some(Voice)),
            op::SIGN_UP_OR_IN_OTP_WHATSAPP => auth(Otp, SignUpOrIn, Some(Whatsapp)),
            op::SIGN_UP_OR_IN_OTP_IM => auth(Otp, SignUpOrIn, Some(Im)),
            op::VERIFY_OTP_EMAIL => auth(Otp, Verify, Some(Email)),
            op::VERIFY_OTP_SMS => auth(Otp, Verify, Some(Sms)),
            op::VERIFY_OTP_VOICE => auth(Otp, Verify, Some(Voice)),
            op::VERIFY_OTP_WHATSAPP => auth(Otp, Verify, Some(Whatsapp)),
            op::VERIFY_OTP_IM => auth(Otp, Verify, Some(Im)),
            op::UPDATE_EMAIL_OTP => auth(Otp, Update, Some(Email)),
            op::UPDATE_PHONE_OTP_SMS => auth(Otp, Update, Some(Sms)),
            op::UPDATE_PHONE_OTP_VOICE => auth(Otp, Update, Some(Voice)),
            op::UPDATE_PHONE_OTP_WHATSAPP => auth(Otp, Update, Some(Whatsapp)),
            op::UPDATE_PHONE_OTP_IM => auth(Otp, Update, Some(Im)),
            op::SIGN_UP_MAGIC_LINK_EMAIL => auth(MagicLink, SignUp, Some(Email)),
            op::SIGN_UP_MAGIC_LINK_SMS => auth(MagicLink, SignUp, Some(Sms)),
            op::SIGN_UP_MAGIC_LINK_WHATSAPP => auth(MagicLink, SignUp, Some(Whatsapp)),
            op::SIGN_IN_MAGIC_LINK_EMAIL => auth(MagicLink, SignIn, Some(Email)),
            op::SIGN_IN_MAGIC_LINK_SMS => auth(MagicLink, SignIn, Some(Sms)),
            op::SIGN_IN_MAGIC_LINK_WHATSAPP => auth(MagicLink, SignIn, Some(Whatsapp)),
            op::SIGN_UP_OR_IN_MAGIC_LINK_EMAIL => auth(MagicLink, SignUpOrIn, Some(Email)),
            op::SIGN_UP_OR_IN_MAGIC_LINK_SMS => auth(MagicLink, SignUpOrIn, Some(Sms)),
            op::SIGN_UP_OR_IN_MAGIC_LINK_WHATSAPP => auth(MagicLink, SignUpOrIn, Some(Whatsapp)),
            op::VERIFY_MAGIC_LINK => auth(MagicLink, Verify, None),
            op::UPDATE_EMAIL_MAGIC_LINK => auth(MagicLink, Update, Some(Email)),
            op::UPDATE_PHONE_MAGIC_LINK_SMS => auth(MagicLink, Update, Some(Sms)),
            op::UPDATE_PHONE_MAGIC_LINK_WHATSAPP => auth(MagicLink, Update, Some(Whatsapp)),
            op::UPDATE_PHONE_MAGIC_LINK_IM => auth(MagicLink, Update, Some(Im)),
            op::REFRESH => Behaviour::Session(Refresh),
            op::TRY_REFRESH => Behaviour::Session(TryRefresh),
            op::LOGOUT => Behaviour::Session(Logout),
            op::LOGOUT_ALL => Behaviour::Session(LogoutAll),
            op::ME => Behaviour::Session(Me),
            op::ME_AUTH_HISTORY => Behaviour::Session(History),
            op::MY_TENANTS => Behaviour::Session(MyTenants),
            op::SELECT_TENANT => Behaviour::Session(SelectTenant),
            op::VALIDATE_SESSION_REMOTELY => Behaviour::Session(Validate),
            op::GET_JWKS => Behaviour::Keys,
            op::EXCHANGE_ACCESS_KEY => Behaviour::AccessKeyExchange,
            _ => return Management::of(operation).map(Behaviour::Management),
        })
    }
}

/// Runs one validated call of an operation with state (the keys are answered by the server).
pub fn call(
    state: &mut State,
    config: &EmulatorConfig,
    peer: IpAddr,
    behaviour: Behaviour,
    bearer: Bearer,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let body = input.body;
    match behaviour {
        Behaviour::Auth {
            family,
            action,
            channel,
        } => {
            let context = Context {
                config,
                bearer_user: bearer.user(),
                peer,
            };
            flows::call(state, &context, family, action, channel, body)
        }
        Behaviour::Session(action) => sessions::call(state, config, action, bearer, body),
        Behaviour::Keys => Err(ApiError::malformed("the keys take no call")),
        Behaviour::AccessKeyExchange => exchange::call(state, config, peer, bearer, body),
        // Authorization already required the management key.
        Behaviour::Management(action) => {
            let context = Context {
                config,
                bearer_user: None,
                peer,
            };
            management::call(state, &context, action, input)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::OPERATIONS;

    /// A new operation in the spec fails here until the emulator serves it.
    #[test]
    fn every_operation_of_the_table_has_a_behaviour() {
        let missing: Vec<&str> = OPERATIONS
            .iter()
            .filter(|operation| Behaviour::of(operation).is_none())
            .map(|operation| operation.operation_id)
            .collect();
        assert_eq!(missing, Vec::<&str>::new(), "not emulated");
    }

    #[test]
    fn operations_of_one_behaviour_differ_only_by_what_the_table_says() {
        let update = Behaviour::of(&op::UPDATE_PHONE_OTP_IM);
        assert_eq!(
            update,
            Some(Behaviour::Auth {
                family: Family::Otp,
                action: Action::Update,
                channel: Some(Channel::Im)
            })
        );
        assert_eq!(Behaviour::of(&op::GET_JWKS), Some(Behaviour::Keys));
    }

    /// Every management operation has a management behaviour, and nothing else has one.
    #[test]
    fn the_management_key_operations_are_the_management_behaviours() {
        use crate::operations::Credential;
        for operation in OPERATIONS {
            let management = matches!(Behaviour::of(operation), Some(Behaviour::Management(_)));
            assert_eq!(
                management,
                operation.credential == Credential::ProjectIdAndManagementKey,
                "{}",
                operation.operation_id
            );
        }
    }
}
