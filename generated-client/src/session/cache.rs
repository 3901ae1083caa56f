//! The project's keys, held between validations: fetched once however many validations wait
//! (single flight), trusted for a TTL, refetched for an unknown `kid` at most once per cooldown,
//! and kept serving when a refetch fails.
//!
//! The rules, for a token whose key id is `kid`:
//! - keys held, fresh, with `kid`: no fetch, no lock, no wait;
//! - keys held with `kid` but older than the TTL: one caller refetches while the others keep
//!   using the held keys; if the refetch fails, the held keys stay (a key-set outage must not sign
//!   everyone out) and the next attempt waits [`FAILED_FETCH_BACKOFF`];
//! - keys held without `kid`: one refetch per cooldown (key rotation), then the token is refused
//!   without a fetch until the cooldown ends (a stream of made-up ids costs one fetch);
//! - no keys held yet: one fetch for every waiting caller; if it fails, each caller gets a clear
//!   error, and the next fetch waits the backoff too.

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::error::SessionError;
use super::keys::KeySet;

/// After a failed fetch, the shortest wait before the next one.
pub const FAILED_FETCH_BACKOFF: Duration = Duration::from_secs(2);

/// Where keys come from, and the keys held.
pub(crate) enum KeySource {
    /// Configured keys; never fetched.
    Static(Arc<KeySet>),
    Fetched(KeyCache),
}

pub(crate) struct KeyCache {
    ttl: Duration,
    cooldown: Duration,
    held: RwLock<Option<Held>>,
    /// Taken by the one caller that fetches; the others wait on it, or use held keys.
    fetching: Mutex<FetchLog>,
}

#[derive(Clone)]
struct Held {
    keys: Arc<KeySet>,
    fetched_at: Instant,
    /// Counts successful fetches, so a caller that waited can tell whether one happened.
    generation: u64,
}

#[derive(Default)]
struct FetchLog {
    last_unknown_key_fetch: Option<Instant>,
    last_failure: Option<(Instant, String)>,
}

impl KeyCache {
    pub(crate) fn new(ttl: Duration, cooldown: Duration) -> Self {
        KeyCache {
            ttl,
            cooldown,
            held: RwLock::new(None),
            fetching: Mutex::new(FetchLog::default()),
        }
    }

    fn held(&self) -> Option<Held> {
        self.held
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The key set to verify a token signed with `kid`, fetching with `fetch` when the rules
    /// above say so.
    pub(crate) async fn keys_for<F, Fut>(
        &self,
        kid: &str,
        fetch: F,
    ) -> Result<Arc<KeySet>, SessionError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<KeySet, String>>,
    {
        let seen = self.held();
        let fresh = |held: &Held| held.fetched_at.elapsed() < self.ttl;
        let known = seen.as_ref().filter(|held| held.keys.get(kid).is_some());
        if let Some(held) = known {
            if fresh(held) {
                return Ok(Arc::clone(&held.keys));
            }
            // Stale but usable: refresh only if nobody else is, and keep serving meanwhile.
            let Ok(mut log) = self.fetching.try_lock() else {
                return Ok(Arc::clone(&held.keys));
            };
            if self
                .held()
                .is_some_and(|now| now.generation != held.generation)
                || backing_off(&log)
            {
                return Ok(Arc::clone(&held.keys));
            }
            return Ok(match self.fetch(&mut log, fetch).await {
                Ok(keys) => keys,
                Err(_) => Arc::clone(&held.keys),
            });
        }

        let mut log = self.fetching.lock().await;
        // Someone may have fetched while this caller waited.
        let now = self.held();
        if let Some(now) = &now
            && seen
                .as_ref()
                .is_none_or(|seen| seen.generation != now.generation)
        {
            return if now.keys.get(kid).is_some() {
                Ok(Arc::clone(&now.keys))
            } else {
                Err(unknown(&now.keys, kid))
            };
        }
        match now {
            None => {
                if let Some((at, why)) = &log.last_failure
                    && at.elapsed() < FAILED_FETCH_BACKOFF
                {
                    return Err(SessionError::KeysUnavailable(why.clone()));
                }
                let keys = self
                    .fetch(&mut log, fetch)
                    .await
                    .map_err(SessionError::KeysUnavailable)?;
                found_or_unknown(keys, kid)
            }
            Some(held) => {
                let cooling = log
                    .last_unknown_key_fetch
                    .is_some_and(|at| at.elapsed() < self.cooldown);
                if cooling || backing_off(&log) {
                    return Err(unknown(&held.keys, kid));
                }
                log.last_unknown_key_fetch = Some(Instant::now());
                match self.fetch(&mut log, fetch).await {
                    Ok(keys) => found_or_unknown(keys, kid),
                    Err(_) => Err(unknown(&held.keys, kid)),
                }
            }
        }
    }

    /// Fetches, and on success replaces the held keys. The caller holds the fetch lock.
    async fn fetch<F, Fut>(&self, log: &mut FetchLog, fetch: F) -> Result<Arc<KeySet>, String>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<KeySet, String>>,
    {
        match fetch().await {
            Ok(keys) => {
                let keys = Arc::new(keys);
                let mut held = self
                    .held
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let generation = held.as_ref().map_or(1, |held| held.generation + 1);
                *held = Some(Held {
                    keys: Arc::clone(&keys),
                    fetched_at: Instant::now(),
                    generation,
                });
                log.last_failure = None;
                Ok(keys)
            }
            Err(why) => {
                tracing::warn!(reason = %why, "fetching the project's public keys failed");
                log.last_failure = Some((Instant::now(), why.clone()));
                Err(why)
            }
        }
    }
}

fn backing_off(log: &FetchLog) -> bool {
    log.last_failure
        .as_ref()
        .is_some_and(|(at, _)| at.elapsed() < FAILED_FETCH_BACKOFF)
}

fn found_or_unknown(keys: Arc<KeySet>, kid: &str) -> Result<Arc<KeySet>, SessionError> {
    keys.key(kid)?;
    Ok(keys)
}

/// The error for a `kid` the set lacks.
fn unknown(keys: &KeySet, kid: &str) -> SessionError {
    match keys.key(kid) {
        Ok(_) => SessionError::UnknownKey(kid.to_owned()),
        Err(error) => error,
    }
}
