//! How session JWTs are validated: clock leeway, expected audience, where the keys come from and
//! how long they are trusted. The defaults are the strict ones; each relaxation is explicit.

use std::time::Duration;

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
/// How many verified session JWTs are remembered, so a token presented again skips the
/// signature check. A few megabytes at most.
pub const DEFAULT_VERIFIED_TOKENS: usize = 1024;

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
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

    /// How long fetched keys are trusted before they are fetched again. Defaults to
    /// [`DEFAULT_KEYS_TTL`]. When a refetch fails, the keys already held keep serving.
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

    /// Validates with these keys only and never fetches any: for servers that cannot reach
    /// Descope. `jwks` is a JSON Web Key, or a key set `{"keys": [...]}`, as Descope publishes at
    /// `/v2/keys/<ProjectId>` (the official SDKs' `DESCOPE_PUBLIC_KEY`). It is checked when the
    /// client is built.
    pub fn static_keys(mut self, jwks: impl Into<String>) -> Self {
        self.static_keys = Some(jwks.into());
        self
    }
}
