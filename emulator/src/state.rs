//! The emulator's memory: users and their login ids, pending codes and links, the outbox, the
//! clock offset and the rate-limit window. One `Mutex` guards it all; no lock is held across
//! an `.await`.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::error::ApiError;
use crate::outbox::OutboxMessage;
use crate::spec::Channel;

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

    /// The spec's `ResponseUser`.
    pub fn to_json(&self) -> Value {
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
            "roleNames": [],
            "userTenants": [],
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

/// A new email or phone that takes effect when the update's code or link is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub new_value: String,
    pub is_email: bool,
    pub add_to_login_ids: bool,
    pub on_merge_use_existing: bool,
}

/// What a verified code or link completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    SignIn,
    Update(Update),
}

/// The latest code for one (login id, channel). No `Debug`: it holds the code.
pub struct PendingCode {
    pub code: String,
    pub user_id: String,
    pub purpose: Purpose,
    pub expires: SystemTime,
    pub wrong_attempts: u32,
    /// Too many wrong attempts: refused until a new code is sent.
    pub burnt: bool,
}

/// A magic link not yet used; stored under the SHA-256 of its token.
#[derive(Debug)]
pub struct PendingLink {
    pub user_id: String,
    pub channel: Channel,
    pub purpose: Purpose,
    pub expires: SystemTime,
}

#[derive(Default)]
pub struct State {
    /// By user id.
    pub users: HashMap<String, User>,
    /// Login id → user id.
    pub logins: HashMap<String, String>,
    pub codes: HashMap<(String, Channel), PendingCode>,
    pub links: HashMap<[u8; 32], PendingLink>,
    pub outbox: Vec<OutboxMessage>,
    /// Added to the system clock; moved forward by `Emulator::advance_clock`.
    pub clock_offset: Duration,
    /// Start of the current rate-limit window and the calls counted in it.
    rate_window: Option<(SystemTime, u32)>,
}

impl State {
    pub fn now(&self) -> SystemTime {
        SystemTime::now() + self.clock_offset
    }

    pub fn user_by_login(&self, login_id: &str) -> Option<&User> {
        self.logins.get(login_id).and_then(|id| self.users.get(id))
    }

    /// Counts one call against a fixed window of `max` calls per `window`; over the limit, the
    /// answer is 429 with the seconds left in the window (at least 1).
    pub fn count_call(&mut self, max: u32, window: Duration) -> Result<(), ApiError> {
        let now = self.now();
        let (start, count) = match self.rate_window {
            Some((start, count)) if elapsed(start, now) < window => (start, count),
            _ => (now, 0),
        };
        let count = count.saturating_add(1);
        self.rate_window = Some((start, count));
        if count > max {
            let left = window.saturating_sub(elapsed(start, now));
            let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Err(ApiError::rate_limited(seconds.max(1)));
        }
        Ok(())
    }
}

fn elapsed(since: SystemTime, now: SystemTime) -> Duration {
    now.duration_since(since).unwrap_or_default()
}

/// Unix seconds, for JWT claims and `createdTime`.
pub fn unix(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_admits_max_calls_then_names_the_wait() {
        let mut state = State::default();
        for _ in 0..3 {
            state.count_call(3, Duration::from_secs(10)).unwrap();
        }
        let refused = state.count_call(3, Duration::from_secs(10)).unwrap_err();
        assert_eq!((refused.status, refused.code), (429, "E130429"));
        assert!(matches!(refused.retry_after, Some(1..=10)));
        state.clock_offset = Duration::from_secs(11);
        state.count_call(3, Duration::from_secs(10)).unwrap();
    }
}
