//! The emulator's memory: users (with roles, tenants and sign-in history) and their login ids,
//! what management defines beside them (tenants, roles, permissions, attribute definitions:
//! `directory`), access keys (`access_keys`), pending codes and links, the outbox, the live
//! refresh JWTs, the signing keys,
//! the clock offset, the rate limit with its window, and the fixed codes. One `Mutex` guards it
//! all; no lock is held across an `.await`. `persist` keeps the durable part in a state file.

pub mod access_keys;
pub mod directory;
pub mod outbox;
pub mod persist;
pub mod secret;
pub mod user;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::api::routes::Routes;
use crate::error::ApiError;
use crate::setup::config::{EmulatorConfig, RateLimit};
use crate::state::access_keys::AccessKeys;
use crate::state::directory::Directory;
use crate::state::outbox::Channel;
use crate::state::outbox::Outbox;
use crate::state::user::User;
use crate::tokens::keys::KeyRing;

/// Everything the request handlers share.
pub struct Shared {
    pub config: EmulatorConfig,
    /// The management key in force: the configuration's, or one made at start.
    pub management_key: String,
    pub routes: Routes,
    pub state: Mutex<State>,
    /// The state file, when the configuration names one ([`Shared::save`]).
    pub store: Option<persist::Store>,
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

/// A new email or phone that takes effect when the update's code or link is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub new_value: String,
    pub is_email: bool,
    pub add_to_login_ids: bool,
    pub on_merge_use_existing: bool,
}

/// Sign-in options that take effect when the code or link is verified.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignIn {
    /// `loginOptions.tenantId`: the tenant the new tokens' `dct` names.
    pub tenant: Option<String>,
    /// `loginOptions.revokeOtherSessions`: revoke the user's refresh JWTs first.
    pub revoke_others: bool,
    /// Claims added to the JWTs (embedded links and test users' codes and links, which
    /// management makes; the sign-in operations do not read `customClaims`).
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
    /// An embedded link proves nothing about the user's email or phone, so verifying it does
    /// not mark them verified; every other sign-in does.
    pub unverified_contact: bool,
}

/// A user that an embedded sign-up link creates when it is verified.
#[derive(Debug, Clone, Default)]
pub struct SignUp {
    pub login_id: String,
    pub user: User,
    pub options: SignIn,
}

/// What a verified code or link completes.
#[derive(Debug, Clone)]
pub enum Purpose {
    SignIn(SignIn),
    Update(Update),
    /// An embedded sign-up link: the user is created at verify time.
    SignUp(Box<SignUp>),
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

    /// How many refresh JWTs are live (or expired and not yet pruned).
    pub fn len(&self) -> usize {
        self.live.len()
    }
}

pub struct State {
    /// By user id.
    pub users: HashMap<String, User>,
    /// Login id → user id.
    pub logins: HashMap<String, String>,
    /// Tenants, roles, permissions and attribute definitions.
    pub directory: Directory,
    /// Access keys (management's, exchanged for session JWTs).
    pub access_keys: AccessKeys,
    /// The creation order the next user gets.
    next_seq: u64,
    pub codes: HashMap<(String, Channel), PendingCode>,
    pub links: HashMap<[u8; 32], PendingLink>,
    pub outbox: Outbox,
    pub refresh_tokens: RefreshTokens,
    pub keys: KeyRing,
    /// Added to the system clock; moved forward by `Emulator::advance_clock`.
    pub clock_offset: Duration,
    /// The limit in force: [`EmulatorConfig::rate_limit`] at start and after a reset, changed
    /// by `PUT`/`DELETE /emulator/rate-limit`.
    pub rate_limit: Option<RateLimit>,
    /// Start of the current rate-limit window and the calls counted in it.
    rate_window: Option<(SystemTime, u32)>,
    /// Login id → the code every OTP sent for it carries instead of a random one.
    pub fixed_codes: BTreeMap<String, String>,
}

/// What a reset (`Emulator::reset`, `POST /emulator/reset`) forgot, and what it put back from
/// the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResetReport {
    /// Users forgotten, seeded ones included, with their history, roles and tenants.
    pub users: usize,
    /// Codes and magic links not yet used.
    pub codes: usize,
    pub links: usize,
    pub outbox_messages: usize,
    /// Refresh JWTs registered as live; from now on they answer 401 `E064001` (revoked).
    pub refresh_tokens: usize,
    /// What management defined: tenants, roles, permissions, custom attribute definitions.
    pub tenants: usize,
    pub roles: usize,
    pub permissions: usize,
    pub custom_attributes: usize,
    pub access_keys: usize,
    pub fixed_codes: usize,
    /// The clock offset undone: the clock is the system's again.
    pub clock_offset: Duration,
    /// Calls counted in the current rate-limit window.
    pub rate_window_calls: u32,
    /// Put back from the configuration: its users, its fixed codes and its rate limit.
    pub seeded_users: usize,
    pub seeded_fixed_codes: usize,
    pub rate_limit: Option<RateLimit>,
}

impl State {
    /// An empty state signing with `keys`, with `config`'s rate limit (users and fixed codes
    /// are added by `control::prepare`).
    pub fn new(keys: KeyRing, config: &EmulatorConfig) -> State {
        State {
            users: HashMap::new(),
            logins: HashMap::new(),
            directory: Directory::default(),
            access_keys: AccessKeys::default(),
            next_seq: 0,
            codes: HashMap::new(),
            links: HashMap::new(),
            outbox: Outbox::default(),
            refresh_tokens: RefreshTokens::default(),
            keys,
            clock_offset: Duration::ZERO,
            rate_limit: config.rate_limit,
            rate_window: None,
            fixed_codes: BTreeMap::new(),
        }
    }

    /// Forgets everything but the keys, and puts `config`'s rate limit back in force; the
    /// report's `seeded_*` fields are left for the caller that seeds.
    pub fn clear(&mut self, config: &EmulatorConfig) -> ResetReport {
        let (tenants, roles, permissions, custom_attributes) = self.directory.counts();
        let forgotten = ResetReport {
            tenants,
            roles,
            permissions,
            custom_attributes,
            access_keys: self.access_keys.keys.len(),
            users: self.users.len(),
            codes: self.codes.len(),
            links: self.links.len(),
            outbox_messages: self.outbox.len(),
            refresh_tokens: self.refresh_tokens.len(),
            fixed_codes: self.fixed_codes.len(),
            clock_offset: self.clock_offset,
            rate_window_calls: self.rate_window.map_or(0, |(_, calls)| calls),
            rate_limit: config.rate_limit,
            ..ResetReport::default()
        };
        self.users.clear();
        self.logins.clear();
        self.directory = Directory::default();
        self.access_keys = AccessKeys::default();
        self.codes.clear();
        self.links.clear();
        self.outbox.clear();
        self.refresh_tokens = RefreshTokens::default();
        self.clock_offset = Duration::ZERO;
        self.rate_limit = config.rate_limit;
        self.rate_window = None;
        self.fixed_codes.clear();
        forgotten
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

    /// The id of the user that `key` names: one of their login ids or, failing that, their
    /// user id (management bodies carry either under `loginId`).
    pub fn find_user(&self, key: &str) -> Option<String> {
        match self.logins.get(key) {
            Some(id) => Some(id.clone()),
            None => self.users.contains_key(key).then(|| key.to_owned()),
        }
    }

    /// Stores a new user under its id and login ids, after every user stored before it in
    /// creation order. The login ids must be free (callers check).
    pub fn insert_user(&mut self, mut user: User) -> &mut User {
        user.seq = self.next_seq;
        self.next_seq += 1;
        for login_id in &user.login_ids {
            self.logins.insert(login_id.clone(), user.id.clone());
        }
        self.users.entry(user.id.clone()).or_insert(user)
    }

    /// Forgets a user for good: their login ids, pending codes and links, and their refresh
    /// JWTs (presented again they answer 401 `E064001`). Returns whether there was one.
    pub fn remove_user(&mut self, user_id: &str) -> bool {
        let Some(user) = self.users.remove(user_id) else {
            return false;
        };
        for login_id in &user.login_ids {
            if self
                .logins
                .get(login_id)
                .is_some_and(|owner| owner == user_id)
            {
                self.logins.remove(login_id);
            }
        }
        self.codes.retain(|_, code| code.user_id != user_id);
        self.links.retain(|_, link| link.user_id != user_id);
        self.refresh_tokens.revoke_user(user_id);
        true
    }

    /// The `ResponseUser` of the user with this id.
    pub fn user_json(&self, user_id: &str) -> Option<serde_json::Value> {
        let user = self.users.get(user_id)?;
        Some(user.to_json(&self.directory))
    }

    /// Puts `limit` in force (`None`: no limit) with a fresh window.
    pub fn set_rate_limit(&mut self, limit: Option<RateLimit>) {
        self.rate_limit = limit;
        self.rate_window = None;
    }

    /// Counts one call against the rate limit in force, a fixed window of `max_calls` calls per
    /// `window`; over the limit, the answer is 429 with the seconds left in the window (at
    /// least 1). Without a limit, nothing is counted.
    pub fn count_call(&mut self) -> Result<(), ApiError> {
        let Some(RateLimit {
            max_calls: max,
            window,
        }) = self.rate_limit
        else {
            return Ok(());
        };
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
        let key = crate::tokens::keys::SigningKey::generate(
            crate::setup::config::SigningAlgorithm::EdDsa,
        );
        State::new(KeyRing::new(key.unwrap()), &EmulatorConfig::default())
    }

    #[test]
    fn the_window_admits_max_calls_then_names_the_wait() {
        let mut state = state();
        for _ in 0..5 {
            state.count_call().unwrap();
        }
        state.set_rate_limit(Some(RateLimit {
            max_calls: 3,
            window: Duration::from_secs(10),
        }));
        for _ in 0..3 {
            state.count_call().unwrap();
        }
        let refused = state.count_call().unwrap_err();
        assert_eq!((refused.status, refused.code), (429, "E130429"));
        assert!(matches!(refused.retry_after, Some(1..=10)));
        state.clock_offset = Duration::from_secs(11);
        state.count_call().unwrap();
        let forgotten = state.clear(&EmulatorConfig::default());
        assert_eq!(forgotten.rate_window_calls, 1);
        assert_eq!(forgotten.clock_offset, Duration::from_secs(11));
        assert_eq!(
            (state.rate_limit, state.clock_offset),
            (None, Duration::ZERO)
        );
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
