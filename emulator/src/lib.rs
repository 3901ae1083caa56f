//! An in-memory emulator of Descope's OTP, magic-link and session API, served over loopback
//! HTTP from the same curated spec the `descope-client` crate is generated from.
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
//! - **Routes** are the spec's 48 operations, by method and path template (`/v2/keys/{projectId}`
//!   matches any project id); a known path with another method is 405, an unknown path 404.
//!   Every request body is validated against the operation's request schema; an optional body
//!   (refresh, try-refresh, logout, logout-all) may be absent or empty, and operations without
//!   one (`me`, `me/history`, validate, keys) do not read it.
//! - **Authorization** is what each operation's `security` says: `Bearer <ProjectId>`,
//!   `Bearer <ProjectId>:<RefreshJWT>`, `Bearer <ProjectId>:<SessionJWT>` (validate), or nothing
//!   (the keys). Updates (and step-up/MFA sign-in) need a refresh JWT of the user who owns the
//!   body's `loginId`.
//! - **Codes** are six random digits; only the latest per (login id, method) is valid; they
//!   expire after [`EmulatorConfig::otp_ttl`]; the [`EmulatorConfig::max_otp_attempts`]-th wrong
//!   code burns the code. **Links** are `<URI or default>?t=<64 hex>`, single use, expiring
//!   after [`EmulatorConfig::link_ttl`]; earlier links stay valid.
//! - **JWTs** are signed with RSA (`RS256`, 2048 bits) by default, or ES256 / EdDSA
//!   ([`EmulatorConfig::signing_algorithm`]); the header names the key by `kid`. Claims:
//!   `iss` (project id), `sub` (user id), `iat`, `exp`, `drn` (`DS` session, `DSR` refresh),
//!   `amr` (the channel signed in with: `email`, `sms`, `voice`, `whatsapp`, `im`), `roles` and
//!   `permissions` (project level, always present), `tenants` (`{id: {roles, permissions}}`,
//!   only when the user has tenants), `dct` (only when a tenant is selected, by
//!   `loginOptions.tenantId` or `tenant/select`) and a unique `jti`.
//! - **Keys**: `GET /v2/keys/{projectId}` publishes the JWKS (`{"keys": [{"alg", "e", "kid",
//!   "kty", "n", "use"}]}` for RSA; `crv`/`x`/`y` for EC, `crv`/`x` for OKP) without
//!   authentication; `GET /v1/keys/{projectId}` the same keys as a bare array. A rotation
//!   ([`Emulator::rotate_signing_key`]) signs with a new key from then on and keeps the old one
//!   published and accepted for [`EmulatorConfig::retired_key_ttl`] of emulator clock.
//! - **Sessions**: refresh issues a new session JWT (and, with
//!   [`EmulatorConfig::rotate_refresh_tokens`], a new refresh JWT, revoking the old); logout
//!   revokes the refresh JWT it is called with, logout-all every refresh JWT of the user, a
//!   sign-in with `loginOptions.revokeOtherSessions` those of the user before it. Session JWTs
//!   are not recalled. `me` is the user as stored (`roleNames`, `userTenants`), `me/history`
//!   one entry per completed verify (`userId`, `loginTime`, `ip` of the peer, `selectedTenant`;
//!   no city or country) as a bare array; `me/tenants` takes `dct: true` or a non-empty `ids`;
//!   `tenant/select` issues tokens whose `dct` is the tenant; validate answers
//!   `{"parsedJWT": claims}` for a valid session JWT; try-refresh answers `{}` without a usable
//!   refresh JWT.
//! - **Cookies**: with [`TokenDelivery::Cookies`], verify, refresh, try-refresh and
//!   tenant-select answers carry the tokens in `Set-Cookie: DS=…` / `DSR=…` (`Path=/; HttpOnly;
//!   Secure; SameSite=Strict; Max-Age=<seconds to expiry>`) instead of the body; logout and
//!   logout-all send both cookies empty with `Max-Age=0`.
//!
//! # Test-only endpoints
//!
//! Unauthenticated and never rate-limited, like the keys; each has a Rust method too.
//!
//! | endpoint | does | Rust |
//! | --- | --- | --- |
//! | `GET /emulator/outbox[?loginId=…]` | what would have been sent | [`Emulator::outbox`] |
//! | `DELETE /emulator/outbox` | forget it | [`Emulator::clear_outbox`] |
//! | `POST /emulator/clock` `{"seconds": N}` | move the clock forward; answers `{offsetSeconds, now}` | [`Emulator::advance_clock`] |
//! | `GET /emulator/clock` | `{offsetSeconds, now}` | [`Emulator::now`] |
//! | `POST /emulator/keys/rotate` | new signing key; answers `{kid, retiredKid}` | [`Emulator::rotate_signing_key`] |
//! | `POST /emulator/users/roles` `{loginId, roles?, permissions?}` | replace the user's project roles and permissions | [`Emulator::set_user_roles`] |
//! | `POST /emulator/users/tenants` `{loginId, tenantId, tenantName?, roles?, permissions?}` | add the user to a tenant (or replace that membership) | [`Emulator::add_user_to_tenant`] |
//! | `GET /emulator/users?loginId=…` | the user as stored (`ResponseUser`) | — |
//!
//! The users endpoints answer the user; an unknown login id is 404 `E062108`.
//!
//! # Error statuses
//!
//! | code | status | when |
//! | --- | --- | --- |
//! | `E011001` | 400 | body not JSON or not an object; also 404/405 for unknown paths and methods |
//! | `E011002` | 400 | a required field is missing (the message names it); `me/tenants` with neither `dct: true` nor `ids` |
//! | `E011003` | 400 | the body breaks the schema (the message gives the field's path); `me/tenants` with both `dct: true` and `ids` |
//! | `E011003` | 401 | bad or missing bearer, wrong project; a refresh or session JWT that is forged, expired, of the other kind, of another project, signed by a dropped key, or whose user was merged away; an unknown, used or expired magic link |
//! | `E011003` | 403 | `tenant/select` or `loginOptions.tenantId` naming a tenant the user is not a member of |
//! | `E011004` | 400 | an email without `@`, a phone that is not 6–15 digits, a user without that contact; a refresh with `externalToken` (not emulated) |
//! | `E061102` | 401 | wrong, expired or never-sent code |
//! | `E061103` | 401 | too many wrong codes; the code is burnt until a new one is sent |
//! | `E062107` | 400 | sign-up of a registered login id; an update conflicting with another user |
//! | `E062108` | 404 | sign-in (or verify) of an unknown login id |
//! | `E064001` | 401 | a revoked refresh JWT: after logout, logout-all, `revokeOtherSessions` or rotation |
//! | `E130429` | 429 | over [`EmulatorConfig::rate_limit`], with `Retry-After` in seconds |
//! | `E010000` | 503 | the machine's random source or crypto library failed |

mod admin;
mod config;
mod error;
mod flows;
mod http;
pub mod jwt;
mod keys;
mod kind;
mod outbox;
mod secret;
mod sessions;
mod spec;
mod state;
mod tokens;
mod updates;
mod url;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use config::{EmulatorConfig, RateLimit, SigningAlgorithm, TokenDelivery};
pub use error::ApiError;
pub use outbox::{Channel, Delivery, OutboxMessage};
pub use state::Membership as TenantMembership;

/// A running emulator. Dropping it stops the server and closes its connections.
pub struct Emulator {
    address: SocketAddr,
    shared: Arc<state::Shared>,
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
    let algorithm = config.signing_algorithm;
    // RSA key generation takes tens of milliseconds: off the async workers.
    let key = tokio::task::spawn_blocking(move || keys::SigningKey::generate(algorithm))
        .await
        .ok()
        .flatten()
        .ok_or_else(|| io::Error::other("the signing key could not be generated"))?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
    let address = listener.local_addr()?;
    let shared = Arc::new(state::Shared {
        config,
        spec,
        state: Mutex::new(state::State::new(keys::KeyRing::new(key))),
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

    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
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

    /// Moves the emulator's clock forward, to expire codes, links, JWTs and retired keys
    /// without waiting. The clock goes at most a century ahead of the system's.
    pub fn advance_clock(&self, by: Duration) {
        admin::advance_clock(&mut self.shared.state(), by);
    }

    /// The emulator's clock: the system's, plus every [`advance_clock`](Self::advance_clock).
    pub fn now(&self) -> SystemTime {
        self.shared.state().now()
    }

    /// The JWKS served at `/v2/keys/{projectId}`: the signing key, then the retired keys not
    /// yet dropped.
    pub fn jwks(&self) -> Value {
        let state = self.shared.state();
        state.keys.jwks(state.now())
    }

    /// The `kid` of the key that signs new JWTs.
    pub fn signing_kid(&self) -> String {
        self.shared.state().keys.current().kid().to_owned()
    }

    /// Signs with a new key (of [`EmulatorConfig::signing_algorithm`]) from now on; the old
    /// key stays in the JWKS, and keeps verifying the tokens it signed, for
    /// [`EmulatorConfig::retired_key_ttl`] of emulator clock. Returns the new key's `kid`.
    /// Generating an RSA key blocks for tens of milliseconds.
    pub fn rotate_signing_key(&self) -> Result<String, ApiError> {
        let key = keys::SigningKey::generate(self.shared.config.signing_algorithm);
        admin::install_key(&self.shared, key).map(|(kid, _)| kid)
    }

    /// Replaces the project-level roles and permissions of the user with this login id (the
    /// JWTs' `roles` and `permissions`, `me`'s `roleNames` and `permissions`). Tokens issued
    /// from then on (a refresh, for one) carry them.
    pub fn set_user_roles(
        &self,
        login_id: &str,
        roles: &[&str],
        permissions: &[&str],
    ) -> Result<(), ApiError> {
        let owned = |items: &[&str]| items.iter().map(|&item| item.to_owned()).collect();
        let mut state = self.shared.state();
        admin::set_roles(&mut state, login_id, owned(roles), owned(permissions)).map(drop)
    }

    /// Adds the user with this login id to a tenant, or replaces their membership of it (the
    /// JWTs' `tenants`, `me`'s `userTenants`, `me/tenants`, `tenant/select`).
    pub fn add_user_to_tenant(
        &self,
        login_id: &str,
        membership: TenantMembership,
    ) -> Result<(), ApiError> {
        admin::add_to_tenant(&mut self.shared.state(), login_id, membership).map(drop)
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
