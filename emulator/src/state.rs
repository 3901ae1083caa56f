//! The emulator's memory: users (with roles, tenants and sign-in history) and their login ids,
//! pending codes and links, the outbox, the live refresh JWTs, the signing keys, the clock
//! offset and the rate-limit window. One `Mutex` guards it all; no lock is held across an
//! `.await`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::config::EmulatorConfig;
use crate::error::ApiError;
use crate::keys::KeyRing;
use crate::kind::Channel;
use crate::outbox::OutboxMessage;
use crate::spec::Spec;

/// Everything the request handlers share.
pub struct Shared {
    pub config: EmulatorConfig,
    pub spec: Spec,
    pub state: Mutex<State>,
}

impl Shared {
    /// The state, even after a panic elsewhere poisoned the lock: the data stays consistent
    /// per call, and refusing every later call would turn one bug into an outage.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

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

/// A new email or phone that takes effect when the update's code or link is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub new_value: String,
    pub is_email: bool,
    pub add_to_login_ids: bool,
    pub on_merge_use_existing: bool,
}

/// Sign-in options that take effect when the code or link is verified.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignIn {
    /// `loginOptions.tenantId`: the tenant the new tokens' `dct` names.
    pub tenant: Option<String>,
    /// `loginOptions.revokeOtherSessions`: revoke the user's refresh JWTs first.
    pub revoke_others: bool,
}

/// What a verified code or link completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    SignIn(SignIn),
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

/// The refresh JWTs issued and not revoked, by `jti`: a refresh JWT whose signature and expiry
/// hold but whose `jti` is missing here was revoked. Expired entries are pruned in batches, so
/// the map stays proportional to the live sessions at an amortized constant cost.
#[derive(Default)]
pub struct RefreshTokens {
    /// `jti` → (user id, `exp`).
    live: HashMap<String, (String, i64)>,
    prune_at: usize,
}

impl RefreshTokens {
    pub fn insert(&mut self, jti: String, user_id: String, exp: i64, now: i64) {
        if self.live.len() >= self.prune_at {
            self.live.retain(|_, (_, exp)| *exp > now);
            self.prune_at = (self.live.len() * 2).max(1024);
        }
        self.live.insert(jti, (user_id, exp));
    }

    pub fn is_live(&self, jti: &str) -> bool {
        self.live.contains_key(jti)
    }

    pub fn revoke(&mut self, jti: &str) {
        self.live.remove(jti);
    }

    pub fn revoke_user(&mut self, user_id: &str) {
        self.live.retain(|_, (owner, _)| owner != user_id);
    }
}

pub struct State {
    /// By user id.
    pub users: HashMap<String, User>,
    /// Login id → user id.
    pub logins: HashMap<String, String>,
    pub codes: HashMap<(String, Channel), PendingCode>,
    pub links: HashMap<[u8; 32], PendingLink>,
    pub outbox: Vec<OutboxMessage>,
    pub refresh_tokens: RefreshTokens,
    pub keys: KeyRing,
    /// Added to the system clock; moved forward by `Emulator::advance_clock`.
    pub clock_offset: Duration,
    /// Start of the current rate-limit window and the calls counted in it.
    rate_window: Option<(SystemTime, u32)>,
}

impl State {
    pub fn new(keys: KeyRing) -> State {
        State {
            users: HashMap::new(),
            logins: HashMap::new(),
            codes: HashMap::new(),
            links: HashMap::new(),
            outbox: Vec::new(),
            refresh_tokens: RefreshTokens::default(),
            keys,
            clock_offset: Duration::ZERO,
            rate_window: None,
        }
    }

    pub fn now(&self) -> SystemTime {
        SystemTime::now() + self.clock_offset
    }

    pub fn user_by_login(&self, login_id: &str) -> Option<&User> {
        self.logins.get(login_id).and_then(|id| self.users.get(id))
    }

    pub fn user_by_login_mut(&mut self, login_id: &str) -> Option<&mut User> {
        let id = self.logins.get(login_id)?;
        self.users.get_mut(id)
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

    fn state() -> State {
        let key = crate::keys::SigningKey::generate(crate::config::SigningAlgorithm::EdDsa);
        State::new(KeyRing::new(key.unwrap()))
    }

    #[test]
    fn the_window_admits_max_calls_then_names_the_wait() {
        let mut state = state();
        for _ in 0..3 {
            state.count_call(3, Duration::from_secs(10)).unwrap();
        }
        let refused = state.count_call(3, Duration::from_secs(10)).unwrap_err();
        assert_eq!((refused.status, refused.code), (429, "E130429"));
        assert!(matches!(refused.retry_after, Some(1..=10)));
        state.clock_offset = Duration::from_secs(11);
        state.count_call(3, Duration::from_secs(10)).unwrap();
    }

    #[test]
    fn revoked_and_expired_refresh_tokens_leave_the_registry() {
        let mut tokens = RefreshTokens::default();
        tokens.insert("a".into(), "U1".into(), 100, 0);
        tokens.insert("b".into(), "U1".into(), 100, 0);
        tokens.insert("c".into(), "U2".into(), 100, 0);
        tokens.revoke("a");
        assert!(!tokens.is_live("a") && tokens.is_live("b"));
        tokens.revoke_user("U1");
        assert!(!tokens.is_live("b") && tokens.is_live("c"));
        // Pruning drops expired entries once the map reaches its threshold.
        tokens.prune_at = 0;
        tokens.insert("d".into(), "U3".into(), 300, 200);
        assert!(!tokens.is_live("c") && tokens.is_live("d"));
    }
}
