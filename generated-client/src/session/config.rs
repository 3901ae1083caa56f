//! How session JWTs are validated: clock leeway, expected audience, where the keys come from and
//! how long they are trusted. The defaults are the strict ones; each relaxation is explicit.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What [`Client::validate_session`](crate::Client::validate_session) accepts. Set it with
/// [`ClientBuilder::sessions`](crate::ClientBuilder::sessions).
///
/// ```
/// use std::time::Duration;
/// use descope_client::SessionConfig;
///
/// let config = SessionConfig::default()
///     .leeway(Duration::from_secs(10))
///     .audience("my-api");
/// # let _ = config;
/// ```
#[derive(Clone, Debug)]
pub struct SessionConfig {
    pub(crate) clock: Clock,
    pub(crate) key_fetch_timeout: Duration,
    pub(crate) leeway: Duration,
    pub(crate) audience: Option<String>,
    pub(crate) require_session_token: bool,
    pub(crate) keys_ttl: Duration,
    pub(crate) unknown_key_cooldown: Duration,
    pub(crate) max_token_bytes: usize,
    pub(crate) static_keys: Option<String>,
    pub(crate) verified_tokens: usize,
}

/// The clock skew allowed on `exp` and `nbf`, as Descope's official SDKs allow.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(5);
/// How long fetched keys are used before they are fetched again.
pub const DEFAULT_KEYS_TTL: Duration = Duration::from_secs(10 * 60);
/// The shortest time between two fetches caused by tokens naming an unknown key.
pub const DEFAULT_UNKNOWN_KEY_COOLDOWN: Duration = Duration::from_secs(30);
/// Tokens longer than this are refused before they are parsed. Descope's session JWTs are well
/// under 4 KiB (they fit in a cookie); a hostile header can be far longer.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;
/// The longest a fetch of the project's keys may take, retries included, before it counts as
/// failed. Short, because with no keys held a request waits for it.
pub const DEFAULT_KEY_FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// How many verified session JWTs are remembered, so a token presented again skips the
/// signature check. A few megabytes at most.
pub const DEFAULT_VERIFIED_TOKENS: usize = 1024;

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            clock: Clock::System,
            key_fetch_timeout: DEFAULT_KEY_FETCH_TIMEOUT,
            leeway: DEFAULT_LEEWAY,
            audience: None,
            require_session_token: true,
            keys_ttl: DEFAULT_KEYS_TTL,
            unknown_key_cooldown: DEFAULT_UNKNOWN_KEY_COOLDOWN,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            static_keys: None,
            verified_tokens: DEFAULT_VERIFIED_TOKENS,
        }
    }
}

impl SessionConfig {
    /// The clock skew allowed on `exp` and `nbf`. Defaults to [`DEFAULT_LEEWAY`].
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Requires the token's `aud` (a string or a list) to contain `audience`. Without it, `aud`
    /// is not checked, as in Descope's Node SDK.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Whether the token must say it is a session token (`drn: "DS"`). On by default, so that a
    /// refresh JWT (`drn: "DSR"`), which lives for weeks and is meant only for Descope, is never
    /// accepted as a session. Descope's official SDKs do not check this; turn it off only for
    /// tokens from a custom JWT template that leaves `drn` out.
    pub fn require_session_token(mut self, required: bool) -> Self {
        self.require_session_token = required;
        self
    }

    /// How long fetched keys are used before they are fetched again. Defaults to
    /// [`DEFAULT_KEYS_TTL`]. The new set is fetched in the background, from three quarters of
    /// the TTL on, while the held set keeps serving: no request waits for it. When a refetch
    /// fails, the held keys keep serving and the next try comes after a backoff (2 s, doubling
    /// to [`MAX_FAILED_FETCH_BACKOFF`](crate::session::MAX_FAILED_FETCH_BACKOFF)).
    pub fn keys_ttl(mut self, ttl: Duration) -> Self {
        self.keys_ttl = ttl;
        self
    }

    /// The shortest time between two fetches caused by tokens naming a key the client does not
    /// hold. Defaults to [`DEFAULT_UNKNOWN_KEY_COOLDOWN`]: a stream of tokens with made-up key ids
    /// costs Descope at most one fetch per cooldown.
    pub fn unknown_key_cooldown(mut self, cooldown: Duration) -> Self {
        self.unknown_key_cooldown = cooldown;
        self
    }

    /// Tokens longer than this many bytes are refused unread. Defaults to
    /// [`DEFAULT_MAX_TOKEN_BYTES`].
    pub fn max_token_bytes(mut self, bytes: usize) -> Self {
        self.max_token_bytes = bytes;
        self
    }

    /// How many verified session JWTs to remember; [`DEFAULT_VERIFIED_TOKENS`] by default, 0 to
    /// remember none. A remembered token presented again skips the signature check (nearly all
    /// of a validation's cost) but not the expiry check, and only while the key set that
    /// verified it is still the one held; see `session::verified` in the source for why that is
    /// as strict as a full validation.
    pub fn verified_tokens(mut self, capacity: usize) -> Self {
        self.verified_tokens = capacity;
        self
    }

    /// The longest a fetch of the keys may take, retries included. Defaults to
    /// [`DEFAULT_KEY_FETCH_TIMEOUT`]. Only a request that finds no usable key held waits for a
    /// fetch (the first after start, or a token naming a new key); it is refused with
    /// [`SessionError::KeysUnavailable`](crate::SessionError::KeysUnavailable) when the time
    /// is up.
    pub fn key_fetch_timeout(mut self, timeout: Duration) -> Self {
        self.key_fetch_timeout = timeout;
        self
    }

    /// The clock `exp`, `nbf` and `iat` are compared with; the system's by default. For tests
    /// that move time, such as the emulator's clock:
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use std::time::{Duration, SystemTime};
    /// use descope_client::SessionConfig;
    ///
    /// // Seconds the test has moved the clock forward (as it told the emulator too).
    /// let advanced = Arc::new(AtomicU64::new(0));
    /// let seen = Arc::clone(&advanced);
    /// let config = SessionConfig::default().clock(move || {
    ///     SystemTime::now() + Duration::from_secs(seen.load(Ordering::Relaxed))
    /// });
    /// advanced.fetch_add(3600, Ordering::Relaxed);
    /// # let _ = config;
    /// ```
    ///
    /// See the crate's README (*Expiring a session in a test*) for the whole recipe. Never set
    /// one in production: tokens are only as fresh as the clock says.
    pub fn clock(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Clock::Custom(Arc::new(now));
        self
    }

    /// Validates with these keys only and never fetches any: for servers that cannot reach
    /// Descope. `jwks` is a JSON Web Key, or a key set `{"keys": [...]}`, as Descope publishes at
    /// `/v2/keys/<ProjectId>` (the official SDKs' `DESCOPE_PUBLIC_KEY`). It is checked when the
    /// client is built.
    pub fn static_keys(mut self, jwks: impl Into<String>) -> Self {
        self.static_keys = Some(jwks.into());
        self
    }
}

/// Where "now" comes from for the time claims.
#[derive(Clone)]
pub(crate) enum Clock {
    System,
    Custom(Arc<dyn Fn() -> SystemTime + Send + Sync>),
}

impl Clock {
    /// Unix seconds now; times before 1970 read as 0.
    pub(crate) fn unix_seconds(&self) -> i64 {
        let now = match self {
            Clock::System => SystemTime::now(),
            Clock::Custom(now) => now(),
        };
        now.duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
            })
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Clock::System => "System",
            Clock::Custom(_) => "Custom",
        })
    }
}
