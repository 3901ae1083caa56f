//! Sessions, checked where the application runs: a session JWT is validated locally against
//! the project's public keys (fetched through the generated `get_jwks` and cached), and a
//! refresh goes to Descope only when the session needs it.
//!
//! What a token must carry to be accepted, and why:
//! - a signature by a key of the project, with the key's own algorithm (RS256/384/512,
//!   PS256/384/512, ES256, ES384 or EdDSA): `none` and HMAC are refused before any key is looked
//!   up, so neither an unsigned token nor one "signed" with the public key as an HMAC secret
//!   passes;
//! - `exp` in the future and `nbf` (if present) in the past, with a leeway
//!   ([`SessionConfig::leeway`], 5 s as in Descope's SDKs);
//! - `iss` naming the project: its id, or a URL whose path ends in it;
//! - `aud` containing the configured audience, when one is configured;
//! - `drn: "DS"`: a refresh JWT (`DSR`) is not a session. Descope's official SDKs do not check
//!   this, so a stolen refresh JWT works as a session with them; here it does not, unless
//!   [`SessionConfig::require_session_token`] is turned off;
//! - `sub` (or `dsub`) naming the user, and claims of the types Descope writes.
//!
//! Tokens longer than [`SessionConfig::max_token_bytes`] are refused before parsing.
//!
//! ```no_run
//! use std::time::Duration;
//! use descope_client::{Client, SessionConfig, SessionError};
//!
//! # async fn run(session_jwt: &str, refresh_jwt: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder("P2abcdefghijklmnopqrstuvwxyz")
//!     .sessions(SessionConfig::default().audience("my-api").leeway(Duration::from_secs(10)))
//!     .build()?;
//!
//! match client.validate_session(session_jwt).await {
//!     Ok(session) => println!("{} may read: {}", session.user_id(), session.has_permissions(&["read"])),
//!     // Expired or missing: the refresh JWT renews it, validated too.
//!     Err(error) if error.is_expired_or_missing() => {
//!         let renewed = client.refresh_session(refresh_jwt).await?;
//!         println!("renewed for {}", renewed.session.user_id());
//!     }
//!     // Descope unreachable, or a wrong project id: not the user's fault.
//!     Err(error) if error.is_server_fault() => println!("try again later: {error}"),
//!     Err(SessionError::WrongAudience(audience)) => println!("not for {audience}"),
//!     Err(error) => println!("refused: {error}"),
//! }
//! # Ok(())
//! # }
//! ```

mod access_keys;
mod cache;
mod claims;
mod config;
pub mod cookies;
mod error;
pub mod extract;
mod history;
mod keys;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod middleware;
#[cfg(feature = "axum")]
mod responses;
mod strict_json;
mod token;
mod verified;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use cache::{FAILED_FETCH_BACKOFF, MAX_FAILED_FETCH_BACKOFF};
pub use claims::{Session, SessionKind, TenantAccess};
pub use config::{
    DEFAULT_KEY_FETCH_TIMEOUT, DEFAULT_KEYS_TTL, DEFAULT_LEEWAY, DEFAULT_MAX_TOKEN_BYTES,
    DEFAULT_UNKNOWN_KEY_COOLDOWN, DEFAULT_VERIFIED_TOKENS, SessionConfig,
};
pub use error::{Drn, SessionError};

use crate::{AccessKey, Client, RefreshJwt, Response, types};
use access_keys::RememberedAccessKeys;
use cache::{FetchError, KeyCache, KeySource};
use keys::KeySet;
use verified::{Entry, VerifiedTokens};

/// The `drn` of session and refresh JWTs.
const SESSION_DRN: &str = "DS";
const REFRESH_DRN: &str = "DSR";

/// What a client validates sessions with: its configuration and its keys. Shared by every copy
/// of the client.
pub(crate) struct Sessions {
    config: SessionConfig,
    keys: KeySource,
    verified: VerifiedTokens,
    /// Exchanged access keys, by their SHA-256 (see `access_keys`).
    access_keys: RememberedAccessKeys,
}

impl Sessions {
    /// Reads a static key set now, so a bad one fails the build rather than every request.
    pub(crate) fn new(config: SessionConfig) -> Result<Self, SessionError> {
        let Some(text) = &config.static_keys else {
            return Ok(Sessions::fetched(config));
        };
        let keys = KeySet::from_json(text).map_err(SessionError::InvalidStaticKeys)?;
        Ok(Sessions {
            verified: VerifiedTokens::new(config.verified_tokens),
            access_keys: RememberedAccessKeys::new(config.verified_tokens),
            config,
            keys: KeySource::Static(Arc::new(keys)),
        })
    }

    /// Keys fetched from Descope when needed (the static keys of `config`, if any, are ignored).
    pub(crate) fn fetched(config: SessionConfig) -> Self {
        let cache = KeyCache::new(config.keys_ttl, config.unknown_key_cooldown);
        Sessions {
            verified: VerifiedTokens::new(config.verified_tokens),
            access_keys: RememberedAccessKeys::new(config.verified_tokens),
            config,
            keys: KeySource::Fetched(Box::new(cache)),
        }
    }
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A session renewed at Descope: the new session, validated, and what came with it.
#[derive(Debug)]
pub struct RefreshedSession {
    /// The new session.
    pub session: Session,
    /// The refresh JWT to use from now on, when Descope rotated it; `None` means the one sent
    /// stays valid.
    pub rotated_refresh_jwt: Option<RefreshJwt>,
    /// Descope's answer: cookie domain, path and lifetimes, and the headers.
    pub response: Response<types::JwtResponse>,
}

/// What [`Client::validate_and_refresh_session`] found.
#[derive(Debug)]
pub enum CheckedSession {
    /// The session JWT was valid; nothing was sent.
    Valid(Session),
    /// The session JWT was missing or not valid, and the refresh JWT renewed it.
    Refreshed(Box<RefreshedSession>),
}

impl CheckedSession {
    /// The valid session, found or renewed.
    pub fn session(&self) -> &Session {
        match self {
            CheckedSession::Valid(session) => session,
            CheckedSession::Refreshed(refreshed) => &refreshed.session,
        }
    }

    /// The valid session, found or renewed.
    pub fn into_session(self) -> Session {
        match self {
            CheckedSession::Valid(session) => session,
            CheckedSession::Refreshed(refreshed) => refreshed.session,
        }
    }

    /// The refresh, when one happened: its tokens belong in the response's cookies.
    pub fn refreshed(&self) -> Option<&RefreshedSession> {
        match self {
            CheckedSession::Valid(_) => None,
            CheckedSession::Refreshed(refreshed) => Some(refreshed),
        }
    }
}

/// [`Client::validate_session`].
pub(crate) async fn validate_session(
    client: &Client,
    session_jwt: &str,
) -> Result<Session, SessionError> {
    validate_token(client, session_jwt, SESSION_DRN).await
}

/// [`Client::refresh_session`].
pub(crate) async fn refresh_session(
    client: &Client,
    refresh_jwt: &str,
) -> Result<RefreshedSession, SessionError> {
    validate_token(client, refresh_jwt, REFRESH_DRN)
        .await
        .map_err(|error| SessionError::InvalidRefreshToken(Box::new(error)))?;
    let response = client
        .refresh(refresh_jwt)
        .send()
        .await
        .map_err(SessionError::Refresh)?;
    let session_jwt = response
        .session_jwt
        .as_deref()
        .filter(|jwt| !jwt.is_empty())
        .ok_or(SessionError::IncompleteRefresh)?;
    let session = validate_session(client, session_jwt).await?;
    let rotated_refresh_jwt = response
        .refresh_jwt
        .as_deref()
        .filter(|jwt| !jwt.is_empty() && *jwt != refresh_jwt)
        .map(RefreshJwt::new);
    Ok(RefreshedSession {
        session,
        rotated_refresh_jwt,
        response,
    })
}

/// [`Client::validate_and_refresh_session`].
pub(crate) async fn validate_and_refresh_session(
    client: &Client,
    session_jwt: Option<&str>,
    refresh_jwt: Option<&str>,
) -> Result<CheckedSession, SessionError> {
    let refresh_jwt = refresh_jwt.filter(|jwt| !jwt.is_empty());
    let invalid = match session_jwt.filter(|jwt| !jwt.is_empty()) {
        Some(session_jwt) => match validate_session(client, session_jwt).await {
            Ok(session) => return Ok(CheckedSession::Valid(session)),
            Err(invalid) => invalid,
        },
        None => SessionError::Missing,
    };
    // Without a refresh JWT, the session's own error says what is wrong.
    let Some(refresh_jwt) = refresh_jwt else {
        return Err(invalid);
    };
    let refreshed = refresh_session(client, refresh_jwt).await?;
    Ok(CheckedSession::Refreshed(Box::new(refreshed)))
}

/// [`Client::validate_access_key`].
pub(crate) async fn validate_access_key(
    client: &Client,
    access_key: AccessKey,
) -> Result<Session, SessionError> {
    access_keys::validate_access_key(client, access_key).await
}

/// Validates `token`, which must say `drn: <drn>` (unless the check is off). Session JWTs that
/// verified before skip the signature check (see `verified`).
async fn validate_token(
    client: &Client,
    token: &str,
    drn: &'static str,
) -> Result<Session, SessionError> {
    Ok(validate_token_entry(client, token, drn).await?.session)
}

/// [`validate_token`], with the key that verified the token.
async fn validate_token_entry(
    client: &Client,
    token: &str,
    drn: &'static str,
) -> Result<Entry, SessionError> {
    let sessions = &client.inner.sessions;
    let remembered = drn == SESSION_DRN;
    if remembered && let Some(hit) = sessions.verified.get(token) {
        let keys = keys_for(client, &hit.kid).await?;
        if Arc::ptr_eq(&keys, &hit.keys) {
            return match hit
                .session
                .check_times(&sessions.config, sessions.config.clock.unix_seconds())
            {
                Ok(()) => Ok(hit),
                Err(expired) => {
                    sessions.verified.forget(token);
                    Err(expired)
                }
            };
        }
    }
    let unverified = token::parse(token, sessions.config.max_token_bytes)?;
    let keys = keys_for(client, &unverified.kid).await?;
    let kid: Box<str> = unverified.kid.as_str().into();
    let claims = unverified.verify(keys.key(&kid)?)?;
    let now = sessions.config.clock.unix_seconds();
    let session = claims::check(
        claims,
        token,
        &sessions.config,
        client.project_id().as_str(),
        now,
        drn,
    )?;
    let entry = Entry { kid, keys, session };
    if remembered {
        sessions.verified.insert(token, entry.clone(), now);
    }
    Ok(entry)
}

/// The key set to verify a token signed by `kid` with; starts a background refresh when the
/// held set is due one.
async fn keys_for(client: &Client, kid: &str) -> Result<Arc<KeySet>, SessionError> {
    let cache = match &client.inner.sessions.keys {
        KeySource::Static(keys) => return Ok(Arc::clone(keys)),
        KeySource::Fetched(cache) => cache,
    };
    let lookup = cache.keys_for(kid, || fetch_keys(client)).await?;
    if lookup.refresh_due {
        start_refresh(client, cache);
    }
    Ok(lookup.keys)
}

/// Runs the refresh this caller claimed on the current runtime, without waiting for it.
fn start_refresh(client: &Client, cache: &KeyCache) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        cache.abandon_refresh();
        return;
    };
    let client = client.clone();
    runtime.spawn(async move {
        if let KeySource::Fetched(cache) = &client.inner.sessions.keys {
            cache.refresh(|| fetch_keys(&client)).await;
        }
    });
}

/// The project's keys, through the generated operation, within the configured budget
/// ([`SessionConfig::key_fetch_timeout`]) whatever the client's timeout and retries are.
async fn fetch_keys(client: &Client) -> Result<KeySet, FetchError> {
    let project_id = client.project_id().as_str();
    let url = format!("{}/v2/keys/{project_id}", client.base_url());
    let budget = client.inner.sessions.config.key_fetch_timeout;
    let answer = match tokio::time::timeout(budget, client.get_jwks(project_id).send()).await {
        Err(_) => {
            return Err(FetchError::Unavailable(format!(
                "GET {url} gave no answer within {budget:?}"
            )));
        }
        Ok(Err(error)) if error.status() == Some(reqwest::StatusCode::NOT_FOUND) => {
            return Err(FetchError::Misconfigured(format!(
                "Descope has no keys for project id `{project_id}` (GET {url} answered 404): is \
                 the project id right, and the base URL its region's?"
            )));
        }
        Ok(Err(error)) => return Err(FetchError::Unavailable(format!("GET {url}: {error}"))),
        Ok(Ok(answer)) => answer,
    };
    KeySet::from_jwks(&answer.keys)
        .map_err(|why| FetchError::Unavailable(format!("GET {url}: {why}")))
}

/// Unix seconds now.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}
