//! Users that exist from the start, as a Descope project's test users do: [`SeedUser`], what
//! it must satisfy (each problem with its place, [`SeedError`]), and the stored user it becomes,
//! who signs in without signing up. Reading them from JSON is `users_file`'s.

use std::fmt;
use std::path::PathBuf;

use crate::state::outbox::Channel;
use crate::state::user::{Membership, User, check_contact};

/// A user the emulator holds from the start (and again after every reset), or adds at run
/// time. Only `login_id` is required. When `email` is absent and the login id is an email
/// address, the login id is the email; likewise for `phone` and a phone number. Either way the
/// user needs an email or a phone to receive codes and links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedUser {
    pub login_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub family_name: Option<String>,
    pub verified_email: bool,
    pub verified_phone: bool,
    /// Project-level roles and permissions.
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    pub tenants: Vec<Membership>,
    /// Six digits every OTP sent for this login id carries (a test user's static OTP).
    pub fixed_code: Option<String>,
}

/// A problem with seed users: where (`line 3, column 7` for JSON syntax; `[1].tenants[0]`
/// for content) and what, with the file when they were read from one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    pub file: Option<PathBuf>,
    /// Empty when the problem is with the whole document (or the whole file).
    pub place: String,
    pub message: String,
    /// A required field is absent (`E011002` over HTTP rather than `E011003`).
    pub(crate) missing: bool,
}

impl SeedError {
    pub(crate) fn new(place: &str, message: impl Into<String>) -> SeedError {
        SeedError {
            file: None,
            place: place.to_owned(),
            message: message.into(),
            missing: false,
        }
    }

    /// A required field that is absent.
    pub(crate) fn missing(place: &str) -> SeedError {
        SeedError {
            missing: true,
            ..SeedError::new(place, "is required")
        }
    }
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}: ", file.display())?;
        }
        if !self.place.is_empty() {
            write!(f, "{}: ", self.place)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for SeedError {}

/// `place.key`, or `key` at the top.
pub(crate) fn field(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_owned()
    } else {
        format!("{place}.{key}")
    }
}

/// A code a fixed code may be: six ASCII digits, like the codes the emulator draws.
pub fn check_fixed_code(code: &str) -> Result<(), String> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("{code:?} is not a six-digit code"))
    }
}

impl SeedUser {
    /// A user with this login id and nothing else.
    pub fn new(login_id: impl Into<String>) -> SeedUser {
        SeedUser {
            login_id: login_id.into(),
            ..SeedUser::default()
        }
    }

    /// Where the user receives messages over `channel`: `email` (or `phone`), else the login
    /// id when it is an email address (or a phone number).
    fn contact(&self, channel: Channel) -> Option<String> {
        let given = if channel.is_email() {
            &self.email
        } else {
            &self.phone
        };
        given.clone().or_else(|| {
            check_contact(channel, &self.login_id)
                .is_ok()
                .then(|| self.login_id.clone())
        })
    }

    /// Checks what JSON cannot: the login id, the contacts, the fixed code and the tenants.
    /// The error's place is relative to the user.
    pub fn check(&self) -> Result<(), SeedError> {
        if self.login_id.is_empty() {
            return Err(SeedError::new("loginId", "must be a non-empty string"));
        }
        for (key, channel, value) in [
            ("email", Channel::Email, &self.email),
            ("phone", Channel::Sms, &self.phone),
        ] {
            if let Some(value) = value {
                check_contact(channel, value)
                    .map_err(|error| SeedError::new(key, error.message))?;
            }
        }
        if self.contact(Channel::Email).is_none() && self.contact(Channel::Sms).is_none() {
            return Err(SeedError::new(
                "loginId",
                format!(
                    "{:?} is neither an email address nor a phone number; give email or phone \
                     so that the user can receive codes",
                    self.login_id
                ),
            ));
        }
        if let Some(code) = &self.fixed_code {
            check_fixed_code(code).map_err(|message| SeedError::new("fixedCode", message))?;
        }
        for (at, tenant) in self.tenants.iter().enumerate() {
            let place = format!("tenants[{at}]");
            if tenant.tenant_id.is_empty() {
                return Err(SeedError::new(
                    &field(&place, "tenantId"),
                    "must be a non-empty string",
                ));
            }
            if let Some(first) = self.tenants[..at]
                .iter()
                .position(|other| other.tenant_id == tenant.tenant_id)
            {
                return Err(SeedError::new(
                    &field(&place, "tenantId"),
                    format!("{:?} is also tenants[{first}]", tenant.tenant_id),
                ));
            }
        }
        Ok(())
    }

    /// The stored user: contacts filled from the login id where absent, never signed in.
    pub(crate) fn to_user(&self, id: String, created: i64) -> User {
        User {
            id,
            login_ids: vec![self.login_id.clone()],
            name: self.name.clone(),
            given_name: self.given_name.clone(),
            middle_name: self.middle_name.clone(),
            family_name: self.family_name.clone(),
            email: self.contact(Channel::Email),
            verified_email: self.verified_email,
            phone: self.contact(Channel::Sms),
            verified_phone: self.verified_phone,
            created,
            modified: created,
            roles: self.roles.clone(),
            permissions: self.permissions.clone(),
            tenants: self.tenants.clone(),
            ..User::default()
        }
    }
}
