//! The project's keys, held between validations, and the rule that held keys never cost a request
//! a wait: they are refreshed in the background, ahead of their expiry and, after a failure, with
//! a growing backoff, while every request keeps using them.
//!
//! The rules, for a token whose key id is `kid`:
//! - keys held with `kid`: they are used at once, whatever their age. Once they are three
//!   quarters through their TTL (or past it, when refreshing keeps failing), the request that
//!   notices starts one background refresh ([`Lookup::refresh_due`]); the others see it running;
//!   a failed refresh waits [`FAILED_FETCH_BACKOFF`], then twice that, up to
//!   [`MAX_FAILED_FETCH_BACKOFF`], before the next;
//! - keys held without `kid`: one refetch per cooldown (a key rotation), which the request
//!   waits for, within the fetch's own budget; otherwise the token is refused without a fetch (a
//!   stream of made-up ids costs one fetch per cooldown);
//! - no keys held yet: one fetch for every waiting caller (single flight), within the fetch's own
//!   budget; if it fails, each caller gets a clear error at once, until the backoff ends.
//!
//! A fetch that shows the client is misconfigured (the project has no keys: a wrong project id)
//! is reported as [`SessionError::Misconfigured`], and logged at error level once.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::error::SessionError;
use super::keys::KeySet;

/// After a failed fetch, the shortest wait before the next one.
pub const FAILED_FETCH_BACKOFF: Duration = Duration::from_secs(2);
/// The longest wait between two failed background refreshes.
pub const MAX_FAILED_FETCH_BACKOFF: Duration = Duration::from_secs(60);

/// Why a fetch of the keys failed.
#[derive(Clone, Debug)]
pub(crate) enum FetchError {
    /// The service did not give the keys (down, slow, an answer that is no key set).
    Unavailable(String),
    /// The client asks for something that does not exist: the project id is wrong.
    Misconfigured(String),
}

impl FetchError {
    fn into_session_error(self) -> SessionError {
        match self {
            FetchError::Unavailable(why) => SessionError::KeysUnavailable(why),
            FetchError::Misconfigured(why) => SessionError::Misconfigured(why),
        }
    }
}

/// Where keys come from, and the keys held.
pub(crate) enum KeySource {
    /// Configured keys; never fetched.
    Static(Arc<KeySet>),
    Fetched(Box<KeyCache>),
}

/// The keys to verify with, and whether the caller should start a background refresh.
pub(crate) struct Lookup {
    pub(crate) keys: Arc<KeySet>,
    pub(crate) refresh_due: bool,
}

pub(crate) struct KeyCache {
    ttl: Duration,
    cooldown: Duration,
    held: RwLock<Option<Held>>,
    /// Taken by the one caller that fetches in the foreground; the others wait on it.
    fetching: Mutex<FetchLog>,
    /// A background refresh is running (at most one).
    refreshing: AtomicBool,
    /// Background refreshes that failed in a row, and when the last one did.
    refresh_failures: std::sync::Mutex<(u32, Option<Instant>)>,
    /// A misconfiguration was logged already; it is logged once.
    misconfiguration_logged: AtomicBool,
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
    last_failure: Option<(Instant, FetchError)>,
}

impl KeyCache {
    pub(crate) fn new(ttl: Duration, cooldown: Duration) -> Self {
        KeyCache {
            ttl,
            cooldown,
            held: RwLock::new(None),
            fetching: Mutex::new(FetchLog::default()),
            refreshing: AtomicBool::new(false),
            refresh_failures: std::sync::Mutex::new((0, None)),
            misconfiguration_logged: AtomicBool::new(false),
        }
    }

    fn held(&self) -> Option<Held> {
        self.held
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The key set to verify a token signed with `kid`, fetching with `fetch` only when no held
    /// set has it (see the rules above).
    pub(crate) async fn keys_for<F, Fut>(&self, kid: &str, fetch: F) -> Result<Lookup, SessionError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<KeySet, FetchError>>,
    {
        let seen = self.held();
        if let Some(held) = seen.as_ref().filter(|held| held.keys.get(kid).is_some()) {
            return Ok(Lookup {
                keys: Arc::clone(&held.keys),
                refresh_due: self.claim_refresh(held),
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
                Ok(held_lookup(now))
            } else {
                Err(unknown(&now.keys, kid))
            };
        }
        let backing_off = log
            .last_failure
            .as_ref()
            .filter(|(at, _)| at.elapsed() < FAILED_FETCH_BACKOFF);
        match now {
            None => {
                if let Some((_, why)) = backing_off {
                    return Err(why.clone().into_session_error());
                }
                let keys = self
                    .fetch(&mut log, fetch)
                    .await
                    .map_err(FetchError::into_session_error)?;
                keys.key(kid)?;
                Ok(held_lookup(&Held {
                    keys,
                    fetched_at: Instant::now(),
                    generation: 0,
                }))
            }
            Some(held) => {
                let cooling = log
                    .last_unknown_key_fetch
                    .is_some_and(|at| at.elapsed() < self.cooldown);
                if cooling || backing_off.is_some() {
                    return Err(unknown(&held.keys, kid));
                }
                log.last_unknown_key_fetch = Some(Instant::now());
                match self.fetch(&mut log, fetch).await {
                    Ok(keys) => {
                        keys.key(kid)?;
                        Ok(Lookup {
                            keys,
                            refresh_due: false,
                        })
                    }
                    Err(_) => Err(unknown(&held.keys, kid)),
                }
            }
        }
    }

    /// Whether the held keys are due a background refresh that nobody has started; if so, this
    /// caller has claimed it and must run [`refresh`](Self::refresh).
    fn claim_refresh(&self, held: &Held) -> bool {
        if held.fetched_at.elapsed() < self.ttl.mul_f64(0.75) {
            return false;
        }
        let (failures, last) = *self
            .refresh_failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(last) = last
            && last.elapsed() < backoff(failures)
        {
            return false;
        }
        self.refreshing
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// The background refresh a caller claimed: fetches, replaces the held keys on success, and
    /// on failure keeps them and lengthens the backoff.
    pub(crate) async fn refresh<F, Fut>(&self, fetch: F)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<KeySet, FetchError>>,
    {
        let outcome = {
            let mut log = self.fetching.lock().await;
            self.fetch(&mut log, fetch).await
        };
        let mut failures = self
            .refresh_failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *failures = match outcome {
            Ok(_) => (0, None),
            Err(_) => (failures.0.saturating_add(1), Some(Instant::now())),
        };
        self.refreshing.store(false, Ordering::Release);
    }

    /// A claimed refresh that cannot run (no runtime to run it on): the claim is let go.
    pub(crate) fn abandon_refresh(&self) {
        self.refreshing.store(false, Ordering::Release);
    }

    /// Fetches, and on success replaces the held keys. The caller holds the fetch lock.
    async fn fetch<F, Fut>(&self, log: &mut FetchLog, fetch: F) -> Result<Arc<KeySet>, FetchError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<KeySet, FetchError>>,
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
                match &why {
                    FetchError::Misconfigured(reason) => {
                        if !self.misconfiguration_logged.swap(true, Ordering::AcqRel) {
                            tracing::error!(%reason, "the session keys cannot be fetched: the client is misconfigured");
                        }
                    }
                    FetchError::Unavailable(reason) => {
                        tracing::warn!(%reason, "fetching the project's public keys failed");
                    }
                }
                log.last_failure = Some((Instant::now(), why.clone()));
                Err(why)
            }
        }
    }
}

/// The wait after `failures` failed background refreshes in a row: the backoff, doubled per
/// failure after the first, at most [`MAX_FAILED_FETCH_BACKOFF`].
fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    FAILED_FETCH_BACKOFF
        .saturating_mul(1 << doublings)
        .min(MAX_FAILED_FETCH_BACKOFF)
}

fn held_lookup(held: &Held) -> Lookup {
    Lookup {
        keys: Arc::clone(&held.keys),
        refresh_due: false,
    }
}

/// The error for a `kid` the set lacks.
fn unknown(keys: &KeySet, kid: &str) -> SessionError {
    match keys.key(kid) {
        Ok(_) => SessionError::UnknownKey(kid.to_owned()),
        Err(error) => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_its_cap() {
        let waits: Vec<u64> = (0..8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [2, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(backoff(u32::MAX), MAX_FAILED_FETCH_BACKOFF);
    }
}
