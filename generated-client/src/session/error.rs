//! Why a session JWT was not accepted. Each reason names what was wrong and where, and none
//! quotes the token: values shown are header fields and claims that are not secret (`alg`,
//! `kid`, `iss`, `drn`, times).

use std::fmt;

/// Why [`Client::validate_session`](crate::Client::validate_session) (or a refresh) gave no
/// session.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// No token was given (empty, or absent from the request).
    #[error("no session token was given")]
    Missing,
    /// The token is longer than [`SessionConfig::max_token_bytes`](crate::SessionConfig::max_token_bytes);
    /// it was not parsed.
    #[error("the token is {length} bytes long, more than the {limit} allowed; it was not parsed")]
    TooLarge {
        /// The token's length in bytes.
        length: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The token is not a signed JWT: the reason says which part is broken.
    #[error("the token is not a well-formed JWT: {0}")]
    Malformed(String),
    /// The header names an algorithm that is never accepted (`none`, HMAC) or unknown.
    #[error("the token's algorithm `{0}` is not accepted (only RS*, PS*, ES256, ES384 and EdDSA)")]
    UnsupportedAlgorithm(String),
    /// The header's algorithm is not the one the signing key is for.
    #[error(
        "the token says it is signed with {header}, but key `{kid}` is {} {key} key",
        article(key)
    )]
    AlgorithmMismatch {
        /// The algorithm the header names.
        header: String,
        /// The key's algorithm.
        key: String,
        /// The key's id.
        kid: String,
    },
    /// No key of the project has the token's `kid`, even after fetching the keys again (or the
    /// cooldown forbade fetching).
    #[error("no key of the project has id `{0}`")]
    UnknownKey(String),
    /// The signature does not verify: the token was altered or signed by someone else.
    #[error("the signature does not verify")]
    BadSignature,
    /// `exp` is past, beyond the leeway.
    #[error("the token expired at {expired_at} (unix seconds)")]
    Expired {
        /// `exp`, in unix seconds.
        expired_at: i64,
    },
    /// `nbf` is ahead, beyond the leeway.
    #[error("the token is not valid before {not_before} (unix seconds)")]
    NotYetValid {
        /// `nbf`, in unix seconds.
        not_before: i64,
    },
    /// `iat` is ahead, beyond the leeway: the token says it was issued later than now.
    #[error("the token says it was issued at {issued_at} (unix seconds), which is still to come")]
    IssuedInTheFuture {
        /// `iat`, in unix seconds.
        issued_at: i64,
    },
    /// `iss` is neither the project id nor a URL whose path ends in it.
    #[error("the token was issued by `{0}`, not by this project")]
    WrongIssuer(String),
    /// The configured audience is not among `aud`.
    #[error("the token is not meant for audience `{0}`")]
    WrongAudience(String),
    /// `drn` does not name the kind of token expected: a refresh JWT (`DSR`) offered as a
    /// session (`DS`), or the other way round.
    #[error(
        "the token's `drn` is {found}, where `{expected}` is required (a session JWT says `DS`, a refresh JWT `DSR`)"
    )]
    WrongTokenKind {
        /// The `drn` required: `DS` for a session, `DSR` for a refresh JWT.
        expected: &'static str,
        /// The `drn` the token has.
        found: Drn,
    },
    /// A required claim is missing or has the wrong type.
    #[error("claim `{claim}` {problem}")]
    Claim {
        /// The claim's name.
        claim: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The project's keys could not be had and none were held: the first validation after start
    /// could not fetch them, or the fetched set was unusable.
    #[error("the project's public keys are unavailable: {0}")]
    KeysUnavailable(String),
    /// The keys cannot be fetched because the client asks for something that does not exist:
    /// Descope has no keys for the configured project id. Every validation fails the same way
    /// until the configuration is fixed; it is logged at error level once.
    #[error("the client is misconfigured: {0}")]
    Misconfigured(String),
    /// A static key set ([`SessionConfig::static_keys`](crate::SessionConfig::static_keys)) is
    /// unusable; reported when the client is built.
    #[error("the configured public key is unusable: {0}")]
    InvalidStaticKeys(String),
    /// Refreshing the session failed at Descope (the refresh JWT was refused, or no answer came).
    #[error("the session could not be refreshed: {0}")]
    Refresh(#[source] crate::Error),
    /// Descope's refresh answer carried no session JWT (neither in the body nor in a `DS`
    /// cookie).
    #[error("Descope's refresh answer carried no session JWT")]
    IncompleteRefresh,
    /// Descope did not exchange the access key for a session: the key is unknown, deactivated,
    /// expired or not allowed from this address (a 4xx), or no answer came.
    #[error("the access key was not exchanged: {0}")]
    Exchange(#[source] crate::Error),
    /// Descope's exchange answer carried no session JWT.
    #[error("Descope's access-key exchange answer carried no session JWT")]
    IncompleteExchange,
    /// The refresh JWT itself is not valid (checked locally before calling Descope).
    #[error("the refresh token is not valid: {0}")]
    InvalidRefreshToken(Box<SessionError>),
}

/// The article for an algorithm's name read letter by letter: "a PS256", but "an RS256",
/// "an ES256", "an EdDSA" key.
fn article(algorithm: &str) -> &'static str {
    if algorithm.starts_with('P') {
        "a"
    } else {
        "an"
    }
}

/// The `drn` claim as found, for [`SessionError::WrongTokenKind`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drn {
    /// `drn` is absent.
    Absent,
    /// `drn` holds this value (`DSR` for a refresh JWT).
    Value(String),
}

impl fmt::Display for Drn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drn::Absent => f.write_str("absent"),
            Drn::Value(value) => write!(f, "`{value}`"),
        }
    }
}

impl SessionError {
    /// Whether refreshing the session could help: the token is missing or has expired. A token
    /// that is forged, malformed or for another project stays refused whatever happens next.
    pub fn is_expired_or_missing(&self) -> bool {
        matches!(self, SessionError::Missing | SessionError::Expired { .. })
    }

    /// Whether the fault is the server's, not the token's: the keys could not be had, the client
    /// is misconfigured, or Descope did not answer a refresh or an access-key exchange (a 5xx, a
    /// timeout, no connection).
    /// Such a request deserves "try again later" (503), not "sign in again" (401).
    pub fn is_server_fault(&self) -> bool {
        match self {
            SessionError::KeysUnavailable(_) | SessionError::Misconfigured(_) => true,
            SessionError::Refresh(error) | SessionError::Exchange(error) => match error {
                crate::Error::Service(_) => error.status().is_some_and(|s| s.is_server_error()),
                crate::Error::Transport(_) => true,
                crate::Error::Decode(_) | crate::Error::InvalidRequest(_) => false,
            },
            SessionError::InvalidRefreshToken(inner) => inner.is_server_fault(),
            _ => false,
        }
    }
}
