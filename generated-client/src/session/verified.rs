//! Session JWTs already verified, so the same token presented again (every request of a user,
//! for the session's lifetime) skips the signature check, which is nearly all of the cost.
//!
//! What makes a hit as safe as a full validation:
//! - the key is the whole token, so only the exact bytes that verified can hit;
//! - a hit counts only while the key set that verified it is still the one held (the same
//!   `Arc`): a refetched set, a rotation or a withdrawn key sends the token through the full
//!   check again;
//! - `exp` and `nbf` are checked again on every hit; every other check depends on the token
//!   alone and the client's fixed configuration, so its outcome cannot change;
//! - only successes are kept, at most `capacity` of them: when full, expired entries go first,
//!   then an arbitrary eighth of the rest (the map's hash order), so memory stays bounded
//!   however many distinct tokens arrive.
//!
//! [`SessionConfig::verified_tokens`](super::SessionConfig::verified_tokens) sets the capacity;
//! 0 turns the cache off.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::claims::Session;
use super::keys::KeySet;

pub(crate) struct VerifiedTokens {
    capacity: usize,
    entries: Mutex<HashMap<Box<str>, Entry>>,
}

/// One verified token: the key id and key set that verified it, and the session it gave.
#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) kid: Box<str>,
    pub(crate) keys: Arc<KeySet>,
    pub(crate) session: Session,
}

impl VerifiedTokens {
    pub(crate) fn new(capacity: usize) -> Self {
        VerifiedTokens {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<Box<str>, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn get(&self, token: &str) -> Option<Entry> {
        if self.capacity == 0 {
            return None;
        }
        self.entries().get(token).cloned()
    }

    pub(crate) fn forget(&self, token: &str) {
        self.entries().remove(token);
    }

    pub(crate) fn insert(&self, token: &str, entry: Entry, now: i64) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries();
        if entries.len() >= self.capacity && !entries.contains_key(token) {
            entries.retain(|_, kept| {
                kept.session
                    .expires_at()
                    .duration_since(std::time::UNIX_EPOCH)
                    .is_ok_and(|at| i64::try_from(at.as_secs()).unwrap_or(i64::MAX) > now)
            });
            if entries.len() >= self.capacity {
                let drop: Vec<Box<str>> = entries
                    .keys()
                    .take((self.capacity / 8).max(1))
                    .cloned()
                    .collect();
                for token in drop {
                    entries.remove(&token);
                }
            }
        }
        entries.insert(token.into(), entry);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::claims;
    use crate::session::config::SessionConfig;

    fn entry(expires_at: i64) -> Entry {
        let claims = serde_json::json!({"iss": "P2", "sub": "U1", "exp": expires_at, "drn": "DS"});
        let serde_json::Value::Object(claims) = claims else {
            unreachable!()
        };
        let session = claims::check(claims, "t", &SessionConfig::default(), "P2", 0, "DS").unwrap();
        Entry {
            kid: "k".into(),
            keys: Arc::new(KeySet::empty_for_tests()),
            session,
        }
    }

    #[test]
    fn memory_stays_bounded_and_expired_entries_go_first() {
        let verified = VerifiedTokens::new(16);
        for n in 0..8 {
            verified.insert(&format!("expired{n}"), entry(50), 0);
        }
        for n in 0..8 {
            verified.insert(&format!("live{n}"), entry(1000), 0);
        }
        assert_eq!(verified.len(), 16);
        // Full at `now` 100: the eight expired entries make room, the live ones stay.
        verified.insert("new", entry(1000), 100);
        assert_eq!(verified.len(), 9);
        assert!(verified.get("live3").is_some() && verified.get("expired3").is_none());
        for n in 0..1000 {
            verified.insert(&format!("flood{n}"), entry(1000), 100);
        }
        assert!(verified.len() <= 16, "{}", verified.len());
    }

    #[test]
    fn capacity_zero_remembers_nothing() {
        let verified = VerifiedTokens::new(0);
        verified.insert("t", entry(1000), 0);
        assert!(verified.get("t").is_none());
    }
}
