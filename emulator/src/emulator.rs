//! A running emulator: start-up (the configuration checked, the state file loaded or the
//! signing key made, the seeded users stored, the loopback listener bound) and the Rust methods
//! tests call on it, each the twin of a test-only `/emulator/…` endpoint; with a state file,
//! each that changes the durable state saves it.

use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::admin::control;
use crate::api::routes::Routes;
use crate::error::ApiError;
use crate::operations as op;
use crate::server;
use crate::setup::config::{EmulatorConfig, RateLimit};
use crate::setup::seed::SeedUser;
use crate::state::outbox::OutboxMessage;
use crate::state::user::{Membership, ProviderToken};
use crate::state::{ResetReport, Shared, State};
use crate::state::{persist, secret};
use crate::tokens::keys;

/// A running emulator. Dropping it stops the server and closes its connections.
pub struct Emulator {
    address: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

/// Starts an emulator on `127.0.0.1` (or [`EmulatorConfig::listen`]) in the current Tokio
/// runtime.
///
/// # Panics
///
/// When the configuration is unusable ([`EmulatorConfig::check`]), the port cannot be bound
/// (with the default port 0 that means the machine has no loopback) or the system's random
/// source fails; [`try_start`] returns those as errors.
pub async fn start(config: EmulatorConfig) -> Emulator {
    match try_start(config).await {
        Ok(emulator) => emulator,
        Err(error) => panic!("the emulator could not start: {error}"),
    }
}

/// Starts an emulator on `127.0.0.1` (or [`EmulatorConfig::listen`]), or tells why it could not
/// (an unusable configuration is `InvalidInput`, with [`EmulatorConfig::check`]'s message).
///
/// With [`EmulatorConfig::state_file`], the state is loaded from the file when it exists (a
/// file that cannot be read or is not a state this emulator wrote is `InvalidData`, with a
/// message naming it), then written back at once: a file that cannot be written fails the
/// start too.
pub async fn try_start(config: EmulatorConfig) -> io::Result<Emulator> {
    config
        .check()
        .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
    let routes = Routes::new().map_err(io::Error::other)?;
    let saved = match &config.state_file {
        Some(path) => persist::read(path)?,
        None => None,
    };
    let algorithm = config.signing_algorithm;
    // RSA key generation takes tens of milliseconds: off the async workers. A saved key of the
    // configured algorithm needs none.
    let key = if saved
        .as_ref()
        .is_some_and(|saved| saved.signs_with(algorithm))
    {
        None
    } else {
        let key = tokio::task::spawn_blocking(move || keys::SigningKey::generate(algorithm))
            .await
            .ok()
            .flatten()
            .ok_or_else(|| io::Error::other("the signing key could not be generated"))?;
        Some(key)
    };
    let (mut state, saved_key) = match (saved, key) {
        (Some(saved), key) => saved.into_state(&config, key).map_err(|problem| {
            let path = config.state_file.as_deref().unwrap_or(Path::new(""));
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the state file {} cannot be loaded: {problem} (it is left as it is)",
                    path.display()
                ),
            )
        })?,
        (None, Some(key)) => (State::new(keys::KeyRing::new(key), &config), String::new()),
        (None, None) => return Err(io::Error::other("the signing key could not be generated")),
    };
    control::prepare(&mut state, &config).map_err(|error| io::Error::other(error.message))?;
    let management_key = match &config.management_key {
        Some(key) => key.clone(),
        None if !saved_key.is_empty() => saved_key,
        None => secret::id()
            .map(|id| format!("K2{id}"))
            .ok_or_else(|| io::Error::other("the random source failed"))?,
    };
    let listener = TcpListener::bind((config.listen, config.port)).await?;
    let address = listener.local_addr()?;
    let store = config.state_file.clone().map(persist::Store::new);
    let shared = Arc::new(Shared {
        config,
        management_key,
        routes,
        state: Mutex::new(state),
        store,
    });
    shared.save(true)?;
    let server = tokio::spawn(server::serve(listener, Arc::clone(&shared)));
    Ok(Emulator {
        address,
        shared,
        server,
    })
}

impl Emulator {
    /// `http://127.0.0.1:<port>`, for `Client::builder(..).base_url(..)`: the address listened
    /// on, or loopback when it listens on every address (`0.0.0.0`, `::`).
    pub fn base_url(&self) -> String {
        let ip = match self.address.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.address.port()))
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

    /// The management key management calls must carry (`Bearer <ProjectId>:<ManagementKey>`):
    /// [`EmulatorConfig::management_key`], or the one made at start.
    pub fn management_key(&self) -> &str {
        &self.shared.management_key
    }

    /// Every message sent so far, oldest first.
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        self.shared.state().outbox.to_vec()
    }

    /// The newest message sent for `login_id`.
    pub fn last_message_for(&self, login_id: &str) -> Option<OutboxMessage> {
        self.shared.state().outbox.last_for(login_id).cloned()
    }

    pub fn clear_outbox(&self) {
        self.shared.state().outbox.clear();
    }

    /// Back to the start-up state: forgets users, codes, links, the outbox, refresh JWTs (they
    /// answer `E064001` from then on), sign-in history, fixed codes, the rate-limit window and
    /// the clock offset; keeps the signing keys (applications' cached JWKS stay right); then
    /// stores the configuration's users and fixed codes again and puts its rate limit back.
    /// Fails only if the random source does.
    pub fn reset(&self) -> Result<ResetReport, ApiError> {
        let report = control::reset(&mut self.shared.state(), &self.shared.config);
        self.saved(report)
    }

    /// Puts a rate limit in force (`None`: none) with a fresh window, until the next change or
    /// reset.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.shared.state().set_rate_limit(limit);
    }

    /// The rate limit in force.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.shared.state().rate_limit
    }

    /// From now on, every OTP sent for `login_id` carries `code` (six digits) instead of a
    /// random one; single use per send, expiring and counting wrong attempts as usual.
    pub fn set_fixed_code(&self, login_id: &str, code: &str) -> Result<(), ApiError> {
        let change = BTreeMap::from([(login_id.to_owned(), Some(code.to_owned()))]);
        let changed = control::change_fixed_codes(&mut self.shared.state(), change);
        self.saved(changed)
    }

    /// Random codes again for `login_id`.
    pub fn remove_fixed_code(&self, login_id: &str) {
        self.shared.state().fixed_codes.remove(login_id);
        self.saved_or_told();
    }

    /// The fixed codes in force, by login id.
    pub fn fixed_codes(&self) -> BTreeMap<String, String> {
        self.shared.state().fixed_codes.clone()
    }

    /// Stores a user who can sign in at once (until the next reset); returns the user id.
    /// `E062107` when the login id is taken, `E011003` when the user is malformed.
    pub fn add_user(&self, user: &SeedUser) -> Result<String, ApiError> {
        let added = control::add_user(&mut self.shared.state(), user).map(|user| user.id.clone());
        self.saved(added)
    }

    /// Moves the emulator's clock forward, to expire codes, links, JWTs and retired keys
    /// without waiting. The clock goes at most a century ahead of the system's.
    pub fn advance_clock(&self, by: Duration) {
        control::advance_clock(&mut self.shared.state(), by);
        self.saved_or_told();
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
        let installed = control::install_key(&self.shared, key).map(|(kid, _)| kid);
        self.saved(installed)
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
        let set =
            control::set_roles(&mut state, login_id, owned(roles), owned(permissions)).map(drop);
        drop(state);
        self.saved(set)
    }

    /// Adds the user with this login id to a tenant, or replaces their membership of it (the
    /// JWTs' `tenants`, `me`'s `userTenants`, `me/tenants`, `tenant/select`).
    pub fn add_user_to_tenant(
        &self,
        login_id: &str,
        membership: Membership,
    ) -> Result<(), ApiError> {
        let added =
            control::add_to_tenant(&mut self.shared.state(), login_id, membership).map(drop);
        self.saved(added)
    }

    /// Creates a tenant as the management API's `CreateTenant` does, from the same body
    /// (`{"name": "Acme", "id": "T1", ...}`, checked against the same schema); returns its id.
    /// `E011004` (400) when the id or name is taken, (404) when the parent does not exist.
    pub fn create_tenant(&self, body: &Value) -> Result<String, ApiError> {
        let answer = self.saved(control::define(&self.shared, &op::CREATE_TENANT, body))?;
        Ok(answer["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Creates a role as `CreateRole` does (`{"name", "permissionNames"?, "tenantId"?, ...}`;
    /// its permissions must exist); returns the role as the API answers it.
    pub fn create_role(&self, body: &Value) -> Result<Value, ApiError> {
        self.saved(control::define(&self.shared, &op::CREATE_ROLE, body))
    }

    /// Creates a permission as `CreatePermission` does (`{"name", "description"?}`); returns
    /// it as `LoadAllPermissions` lists it.
    pub fn create_permission(&self, body: &Value) -> Result<Value, ApiError> {
        self.saved(control::define(&self.shared, &op::CREATE_PERMISSION, body))
    }

    /// Gives the user with this login id (or user id) a token from a social provider, which
    /// `GetUserProviderToken` then answers (replacing one from the same provider).
    pub fn set_provider_token(&self, login_id: &str, token: ProviderToken) -> Result<(), ApiError> {
        let set = control::set_provider_token(&mut self.shared.state(), login_id, token).map(drop);
        self.saved(set)
    }

    /// Writes the state file ([`EmulatorConfig::state_file`]) now; without one, does nothing.
    /// Every change through the API or these methods is saved already; the binary calls this
    /// once more when it is stopped. The error names the file.
    pub fn save_state(&self) -> io::Result<()> {
        self.shared.save(true)
    }

    /// `result` of a change, once the change is saved (when there is a state file): a save
    /// that fails turns it into a 500 naming the file.
    fn saved<T>(&self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        let saved = self.shared.save(false);
        let value = result?;
        saved.map_err(|error| ApiError::not_saved(error.to_string()))?;
        Ok(value)
    }

    /// Saves after a change whose method answers nothing; a failure is told on standard error
    /// (the next save tries again).
    fn saved_or_told(&self) {
        if let Err(error) = self.shared.save(false) {
            eprintln!("descope-emulator: {error}");
        }
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
