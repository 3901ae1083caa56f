//! What each operation of the spec does, read from its method and path: the family, action
//! and channel of the OTP and magic-link paths, the session action of the session paths, and
//! the keys.

use hyper::Method;

/// A delivery method, as it appears in paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Sms,
    Voice,
    Whatsapp,
    Im,
}

impl Channel {
    pub fn parse(text: &str) -> Option<Channel> {
        Some(match text {
            "email" => Channel::Email,
            "sms" => Channel::Sms,
            "voice" => Channel::Voice,
            "whatsapp" => Channel::Whatsapp,
            "im" => Channel::Im,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Whatsapp => "whatsapp",
            Channel::Im => "im",
        }
    }

    pub fn is_email(self) -> bool {
        self == Channel::Email
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Otp,
    MagicLink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignUp,
    SignIn,
    SignUpOrIn,
    Verify,
    Update,
}

/// The operations on a signed-in user's session (tag `session`).
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
pub enum Kind {
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
}

/// What the operation at `method path` does: the session paths by name; the auth paths
/// `/v1/auth/{otp|magiclink}/{action}/{channel}`, `/…/update/email`, `/…/update/phone/{m}` and
/// `/v1/auth/magiclink/verify`.
pub fn classify(method: &Method, path: &str) -> Option<Kind> {
    use SessionAction::*;
    let session = match (method.as_str(), path) {
        ("GET", "/v2/keys/{projectId}") => return Some(Kind::Keys),
        ("POST", "/v1/auth/refresh") => Refresh,
        ("POST", "/v1/auth/try-refresh") => TryRefresh,
        ("POST", "/v1/auth/logout") => Logout,
        ("POST", "/v1/auth/logoutall") => LogoutAll,
        ("GET", "/v1/auth/me") => Me,
        ("GET", "/v1/auth/me/history") => History,
        ("POST", "/v1/auth/me/tenants") => MyTenants,
        ("POST", "/v1/auth/tenant/select") => SelectTenant,
        ("POST", "/v1/auth/validate") => Validate,
        ("POST", _) => return classify_auth(path),
        _ => return None,
    };
    Some(Kind::Session(session))
}

fn classify_auth(path: &str) -> Option<Kind> {
    let rest = path.strip_prefix("/v1/auth/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    let family = match *parts.first()? {
        "otp" => Family::Otp,
        "magiclink" => Family::MagicLink,
        _ => return None,
    };
    let action = match *parts.get(1)? {
        "signup" => Action::SignUp,
        "signin" => Action::SignIn,
        "signup-in" => Action::SignUpOrIn,
        "verify" => Action::Verify,
        "update" => Action::Update,
        _ => return None,
    };
    let channel = match (action, parts.get(2..)?) {
        (Action::Update, ["email"]) => Some(Channel::Email),
        (Action::Update, ["phone", method]) => Some(Channel::parse(method)?),
        (Action::Update, _) => return None,
        (Action::Verify, []) if family == Family::MagicLink => None,
        (_, [method]) => Some(Channel::parse(method)?),
        _ => return None,
    };
    Some(Kind::Auth {
        family,
        action,
        channel,
    })
}
