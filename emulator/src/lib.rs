//! An in-memory emulator of Descope's OTP and magic-link API, served over loopback HTTP from the
//! same curated spec the `descope-client` crate is generated from.
//!
//! ```no_run
//! # async fn run() {
//! use descope_emulator::{EmulatorConfig, start};
//!
//! let emulator = start(EmulatorConfig::default()).await;
//! let client = descope_client::Client::builder(emulator.project_id())
//!     .base_url(emulator.base_url())
//!     .build()
//!     .unwrap();
//! // ... send a code with `client`, then read it:
//! let code = emulator.last_message_for("jane@example.com").and_then(|m| m.code().map(str::to_owned));
//! # let _ = (client, code);
//! # }
//! ```
//!
//! # What it does
//!
//! - **Routes** are the spec's 38 paths; every request body is validated against the
//!   operation's request schema. `GET /v2/keys/{projectId}` (and `/v1/keys/…`) publish the
//!   JWKS; `GET /emulator/outbox[?loginId=…]` lists what would have been sent and
//!   `DELETE /emulator/outbox` clears it (test-only endpoints, unauthenticated).
//! - **Authorization** is `Bearer <ProjectId>` or `Bearer <ProjectId>:<RefreshJWT>` as each
//!   operation's `security` says; updates (and step-up/MFA sign-in) need a refresh JWT of the
//!   user who owns the body's `loginId`.
//! - **Codes** are six random digits; only the latest per (login id, method) is valid; they
//!   expire after [`EmulatorConfig::otp_ttl`]; the [`EmulatorConfig::max_otp_attempts`]-th wrong
//!   code burns the code. **Links** are `<URI or default>?t=<64 hex>`, single use, expiring
//!   after [`EmulatorConfig::link_ttl`]; earlier links stay valid.
//! - **JWTs** are signed with Ed25519 (`alg: EdDSA`), with `iss` = project id, `sub` = user id,
//!   `exp`, and `drn` = `DS` (session) or `DSR` (refresh).
//!
//! # Error statuses
//!
//! | code | status | when |
//! | --- | --- | --- |
//! | `E011001` | 400 | body not JSON or not an object; also 404/405 for unknown paths and methods |
//! | `E011002` | 400 | a required field is missing (the message names it) |
//! | `E011003` | 400 | the body breaks the schema (the message gives the field's path) |
//! | `E011003` | 401 | bad or missing bearer, wrong project, invalid/expired refresh JWT, or an unknown, used or expired magic link |
//! | `E011004` | 400 | an email without `@`, a phone that is not 6–15 digits, a user without that contact |
//! | `E061102` | 401 | wrong, expired or never-sent code |
//! | `E061103` | 401 | too many wrong codes; the code is burnt until a new one is sent |
//! | `E062107` | 400 | sign-up of a registered login id; an update conflicting with another user |
//! | `E062108` | 404 | sign-in (or verify) of an unknown login id |
//! | `E130429` | 429 | over [`EmulatorConfig::rate_limit`], with `Retry-After` in seconds |

mod error;
mod flows;
mod http;
pub mod jwt;
mod outbox;
mod secret;
mod spec;
mod state;
mod updates;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use error::ApiError;
pub use outbox::{Channel, Delivery, OutboxMessage};

/// A fixed-window rate limit over every API call (the keys and outbox endpoints are exempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max_calls: u32,
    pub window: Duration,
}

/// How the emulator behaves. `Default` gives a project `P2Emulator` on a free loopback port.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The project id the bearer must carry, and the JWTs' `iss`.
    pub project_id: String,
    /// Loopback port to bind; 0 picks a free one.
    pub port: u16,
    pub otp_ttl: Duration,
    pub link_ttl: Duration,
    /// Wrong codes allowed per code: the last of these answers `E061103` and burns the code.
    pub max_otp_attempts: u32,
    pub session_ttl: Duration,
    pub refresh_ttl: Duration,
    /// Where links point when the request has no `URI` (the project's default redirect).
    pub default_redirect_uri: String,
    pub rate_limit: Option<RateLimit>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            project_id: "P2Emulator".to_owned(),
            port: 0,
            otp_ttl: Duration::from_secs(180),
            link_ttl: Duration::from_secs(600),
            max_otp_attempts: 3,
            session_ttl: Duration::from_secs(600),
            refresh_ttl: Duration::from_secs(28 * 24 * 3600),
            default_redirect_uri: "http://localhost:3000/verify".to_owned(),
            rate_limit: None,
        }
    }
}

/// A running emulator. Dropping it stops the server and closes its connections.
pub struct Emulator {
    address: SocketAddr,
    shared: Arc<http::Shared>,
    server: JoinHandle<()>,
}

/// Starts an emulator on `127.0.0.1` in the current Tokio runtime.
///
/// # Panics
///
/// When the port cannot be bound (with the default port 0 that means the machine has no
/// loopback) or the system's random source fails; [`try_start`] returns those as errors.
pub async fn start(config: EmulatorConfig) -> Emulator {
    match try_start(config).await {
        Ok(emulator) => emulator,
        Err(error) => panic!("the emulator could not start: {error}"),
    }
}

/// Starts an emulator on `127.0.0.1`, or tells why it could not.
pub async fn try_start(config: EmulatorConfig) -> io::Result<Emulator> {
    let spec = spec::Spec::load().map_err(io::Error::other)?;
    let signer = jwt::Signer::generate()
        .ok_or_else(|| io::Error::other("the system's random source failed"))?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
    let address = listener.local_addr()?;
    let shared = Arc::new(http::Shared {
        config,
        spec,
        signer,
        state: Mutex::new(state::State::default()),
    });
    let server = tokio::spawn(http::serve(listener, Arc::clone(&shared)));
    Ok(Emulator {
        address,
        shared,
        server,
    })
}

impl Emulator {
    /// `http://127.0.0.1:<port>`, for `Client::builder(..).base_url(..)`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn project_id(&self) -> &str {
        &self.shared.config.project_id
    }

    /// Every message sent so far, oldest first.
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        self.shared.state().outbox.clone()
    }

    /// The newest message sent for `login_id`.
    pub fn last_message_for(&self, login_id: &str) -> Option<OutboxMessage> {
        let state = self.shared.state();
        state
            .outbox
            .iter()
            .rev()
            .find(|message| message.login_id == login_id)
            .cloned()
    }

    pub fn clear_outbox(&self) {
        self.shared.state().outbox.clear();
    }

    /// Moves the emulator's clock forward, to expire codes, links and JWTs without waiting.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.state().clock_offset += by;
    }

    /// The JWKS served at `/v2/keys/{projectId}`.
    pub fn jwks(&self) -> Value {
        self.shared.signer.jwks()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("address", &self.address)
            .field("project_id", &self.shared.config.project_id)
            .finish_non_exhaustive()
    }
}
