//! A user as the emulator keeps it: login ids and contacts, project roles and permissions,
//! tenant memberships, the sign-in history, the `ResponseUser` the API answers with, and what
//! counts as an email address or a phone number.

use std::net::IpAddr;

use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::outbox::Channel;

/// A user as the emulator keeps it.
#[derive(Debug, Clone, Default)]
pub struct User {
    pub id: String,
    pub login_ids: Vec<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub verified_email: bool,
    pub phone: Option<String>,
    pub verified_phone: bool,
    pub created: i64,
    /// Whether a verify has completed for this user (`firstSeen` is its negation).
    pub signed_in_before: bool,
    /// Project-level roles and permissions (the JWTs' top-level `roles` and `permissions`).
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    /// The tenants the user belongs to, in the order they were added.
    pub tenants: Vec<Membership>,
    /// Every completed verify, oldest first.
    pub history: Vec<Login>,
}

/// A user's place in one tenant: the key of the JWTs' `tenants` claim with its roles and
/// permissions, and an entry of `userTenants` and `me/tenants`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    pub tenant_id: String,
    /// `tenantName` in `userTenants`, `name` in `me/tenants`.
    pub tenant_name: String,
    /// Roles and permissions in this tenant.
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
}

/// One completed sign-in, for `GET /v1/auth/me/history`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub time: i64,
    pub ip: IpAddr,
    pub selected_tenant: Option<String>,
}

impl User {
    /// The email or phone a message over `channel` goes to.
    pub fn contact(&self, channel: Channel) -> Option<&str> {
        if channel.is_email() {
            self.email.as_deref()
        } else {
            self.phone.as_deref()
        }
    }

    pub fn membership(&self, tenant_id: &str) -> Option<&Membership> {
        self.tenants.iter().find(|m| m.tenant_id == tenant_id)
    }

    /// The spec's `ResponseUser`.
    pub fn to_json(&self) -> Value {
        let tenants: Vec<Value> = self
            .tenants
            .iter()
            .map(|m| {
                json!({
                    "tenantId": m.tenant_id,
                    "tenantName": m.tenant_name,
                    "roleNames": m.roles,
                    "permissions": m.permissions,
                })
            })
            .collect();
        json!({
            "userId": self.id,
            "loginIds": self.login_ids,
            "name": self.name.clone().unwrap_or_default(),
            "givenName": self.given_name.clone().unwrap_or_default(),
            "middleName": self.middle_name.clone().unwrap_or_default(),
            "familyName": self.family_name.clone().unwrap_or_default(),
            "email": self.email.clone().unwrap_or_default(),
            "verifiedEmail": self.verified_email,
            "phone": self.phone.clone().unwrap_or_default(),
            "verifiedPhone": self.verified_phone,
            "status": "enabled",
            "roleNames": self.roles,
            "permissions": self.permissions,
            "userTenants": tenants,
            "createdTime": self.created,
            "test": false,
            "TOTP": false,
            "SAML": false,
            "SCIM": false,
            "OIDC": false,
            "OAuth": {},
            "webauthn": false,
            "password": false,
            "customAttributes": {},
        })
    }
}

/// A plausible destination for the channel: an address with `@`, or a number of 6 to 15 digits
/// with an optional `+` (E.164).
pub fn check_contact(channel: Channel, value: &str) -> Result<(), ApiError> {
    let ok = if channel.is_email() {
        matches!(value.split_once('@'), Some((local, domain)) if !local.is_empty() && !domain.is_empty())
    } else {
        let digits = value.strip_prefix('+').unwrap_or(value);
        (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if ok {
        Ok(())
    } else {
        let kind = if channel.is_email() {
            "an email address"
        } else {
            "a phone number"
        };
        Err(ApiError::invalid_arguments(format!(
            "{value:?} is not {kind}"
        )))
    }
}

/// The body field, and the word in messages, for the channel's contact.
pub fn contact_kind(channel: Channel) -> &'static str {
    if channel.is_email() { "email" } else { "phone" }
}
