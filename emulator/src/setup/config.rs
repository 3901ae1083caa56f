//! How an emulator behaves: [`EmulatorConfig`] and the choices it is made of, and the check
//! that a configuration is usable. Kept apart from the crate root so that every module can read
//! the configuration without importing `lib.rs`.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Serialize, Serializer};

use crate::setup::seed::{SeedUser, check_fixed_code};

/// A fixed-window rate limit over every API call (the keys and `/emulator` endpoints are exempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    pub max_calls: u32,
    #[serde(rename = "windowSeconds", serialize_with = "seconds")]
    pub window: Duration,
}

/// The algorithm of the key that signs the emulator's JWTs.
///
/// Descope's production keys are RSA (its JWK schema has only `n` and `e`, and its Java and .NET
/// SDKs can only build RSA keys), so `RS256` is the default; the others let applications check
/// that their validation is not tied to one algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum SigningAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 on a 2048-bit key (`kty` `RSA`).
    #[default]
    #[serde(rename = "RS256")]
    Rs256,
    /// ECDSA on P-256 with SHA-256 (`kty` `EC`, `crv` `P-256`).
    #[serde(rename = "ES256")]
    Es256,
    /// Ed25519 (`kty` `OKP`, `crv` `Ed25519`, RFC 8037).
    #[serde(rename = "EdDSA")]
    EdDsa,
}

impl SigningAlgorithm {
    /// The JOSE name, as in a JWT header's and a JWK's `alg`.
    pub fn jose_name(self) -> &'static str {
        match self {
            SigningAlgorithm::Rs256 => "RS256",
            SigningAlgorithm::Es256 => "ES256",
            SigningAlgorithm::EdDsa => "EdDSA",
        }
    }

    /// The algorithm a JOSE name stands for (exact, case-sensitive, as JOSE names are).
    pub fn from_jose_name(name: &str) -> Option<SigningAlgorithm> {
        [
            SigningAlgorithm::Rs256,
            SigningAlgorithm::Es256,
            SigningAlgorithm::EdDsa,
        ]
        .into_iter()
        .find(|alg| alg.jose_name() == name)
    }
}

/// Where sign-in, refresh and tenant-selection answers put the session and refresh JWTs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenDelivery {
    /// In the body's `sessionJwt` and `refreshJwt`.
    #[default]
    Body,
    /// In `Set-Cookie: DS=…` and `DSR=…` (`Path=/; HttpOnly; Secure; SameSite=Strict`), left out
    /// of the body, as for a Descope project set to deliver tokens in cookies. Sign-out answers
    /// then delete both cookies.
    Cookies,
}

/// How the emulator behaves. `Default` gives a project `P2Emulator` on a free loopback port.
///
/// It serializes to what `GET /emulator/config` answers: camelCase names, durations in
/// seconds (`otpTtlSeconds`), and the seeded users by login id.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmulatorConfig {
    /// The project id the bearer must carry, and the JWTs' `iss`.
    pub project_id: String,
    /// The port to listen on; 0 picks a free one.
    pub port: u16,
    /// The address to listen on. 127.0.0.1, the default, keeps the emulator to this machine.
    /// `0.0.0.0` (or `::`, or an interface's own address) lets other machines and containers
    /// reach it, and with it the admin API, the codes and the keys: for a container's private
    /// network, never a shared one. Requests must still name an allowed host; a specific
    /// address is one.
    pub listen: IpAddr,
    #[serde(rename = "otpTtlSeconds", serialize_with = "seconds")]
    pub otp_ttl: Duration,
    #[serde(rename = "linkTtlSeconds", serialize_with = "seconds")]
    pub link_ttl: Duration,
    /// Wrong codes allowed per code: the last of these answers `E061103` and burns the code.
    pub max_otp_attempts: u32,
    #[serde(rename = "sessionTtlSeconds", serialize_with = "seconds")]
    pub session_ttl: Duration,
    #[serde(rename = "refreshTtlSeconds", serialize_with = "seconds")]
    pub refresh_ttl: Duration,
    /// Where links point when the request has no `URI` (the project's default redirect).
    pub default_redirect_uri: String,
    pub rate_limit: Option<RateLimit>,
    /// The algorithm of the signing key (and of every key a rotation makes). Default `RS256`.
    pub signing_algorithm: SigningAlgorithm,
    /// When true, a refresh also issues a new refresh JWT and revokes the one it was called
    /// with. Default false, like a Descope project without refresh-token rotation.
    pub rotate_refresh_tokens: bool,
    /// Body (default) or cookies.
    pub token_delivery: TokenDelivery,
    /// How long, on the emulator's clock, a key replaced by a rotation stays in the JWKS and
    /// keeps verifying the tokens it signed. Default 10 minutes, the default `session_ttl`, so
    /// every session JWT signed before a rotation verifies until it expires.
    #[serde(rename = "retiredKeyTtlSeconds", serialize_with = "seconds")]
    pub retired_key_ttl: Duration,
    /// The answers' `cookieDomain` and, with cookie delivery, the `Domain` attribute of the
    /// `DS`/`DSR` cookies. Empty (the default): no `Domain`, the cookies belong to the host
    /// that set them.
    pub cookie_domain: String,
    /// Whether the test-only `/emulator/…` endpoints are served (default true). When false,
    /// every `/emulator/…` path answers 404 like any unknown path; the Rust methods on
    /// `Emulator` still work.
    #[serde(rename = "adminApi")]
    pub admin_api: bool,
    /// The project's management key, which every management call must carry
    /// (`Bearer <ProjectId>:<ManagementKey>`). `None` (the default): one is made at random when
    /// the emulator starts ([`Emulator::management_key`](crate::Emulator::management_key); the
    /// binary prints it). Never in `GET /emulator/config`.
    #[serde(skip)]
    pub management_key: Option<String>,
    /// Login id → six digits that every OTP sent for that login id carries instead of a random
    /// code, as a Descope test user's static OTP. The code is still single-use per send,
    /// expires and counts wrong attempts. These win over a seeded user's `fixed_code`.
    pub fixed_codes: BTreeMap<String, String>,
    /// Users that exist from the start, and again after every reset; they sign in without
    /// signing up.
    #[serde(serialize_with = "login_ids")]
    pub users: Vec<SeedUser>,
    /// Host names requests may carry in their `Host` header besides loopback (`127.0.0.1`,
    /// `localhost`, `[::1]`), with any port: the name other containers reach the emulator by,
    /// such as `emulator` in docker-compose. Any other `Host` is answered 403, so that a web
    /// page whose name is made to resolve to 127.0.0.1 (DNS rebinding) cannot read the outbox
    /// or call the API. Names also count as allowed origins for the admin API's changes.
    /// Default: none.
    pub allowed_hosts: Vec<String>,
    /// Where the durable state (users, tenants, roles, permissions, attribute definitions,
    /// fixed codes, signing keys, live refresh JWTs, the management key, the clock offset) is
    /// kept: loaded at start when the file exists (a file that cannot be read or parsed stops
    /// the start with an error naming it), written after every call that changed it, atomically
    /// (a temporary file in the same directory, synced, renamed over it). Default: none, the
    /// state lives in memory only.
    #[serde(serialize_with = "optional_path")]
    pub state_file: Option<PathBuf>,
}

fn seconds<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(duration.as_secs())
}

fn optional_path<S: Serializer>(path: &Option<PathBuf>, serializer: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(path) => serializer.serialize_str(&path.to_string_lossy()),
        None => serializer.serialize_none(),
    }
}

fn login_ids<S: Serializer>(users: &[SeedUser], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(users.iter().map(|user| &user.login_id))
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
            signing_algorithm: SigningAlgorithm::default(),
            rotate_refresh_tokens: false,
            token_delivery: TokenDelivery::default(),
            retired_key_ttl: Duration::from_secs(600),
            cookie_domain: String::new(),
            admin_api: true,
            management_key: None,
            fixed_codes: BTreeMap::new(),
            users: Vec::new(),
            allowed_hosts: Vec::new(),
            state_file: None,
            listen: IpAddr::V4(Ipv4Addr::LOCALHOST),
        }
    }
}

/// The longest duration the emulator takes anywhere (a TTL, a rate-limit window, a clock
/// move): a century, far beyond any token lifetime and far from where `SystemTime` arithmetic
/// would overflow and panic.
pub const MAX_DURATION: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// A project id as `descope-client` accepts one (the same rule, so an id the emulator takes is
/// one every client can use): 1 to 63 ASCII letters and digits, as every Descope project id is.
pub fn check_project_id(id: &str) -> Result<(), String> {
    let usable = (1..=63).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if usable {
        Ok(())
    } else {
        Err(format!(
            "{id:?} is not a project id (1 to 63 letters and digits, such as P2Emulator)"
        ))
    }
}

/// A management key a bearer can carry: non-empty printable ASCII without `:` or spaces.
pub fn check_management_key(key: &str) -> Result<(), String> {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
        Ok(())
    } else {
        // The key is not shown: it is a secret.
        Err("not a management key (non-empty ASCII, no ':' or spaces)".to_owned())
    }
}

/// A name `--allowed-host` takes: a host name or IPv4 address (letters, digits, `-`, `_` and
/// `.`), without a port (every port is allowed) or a scheme.
pub fn check_allowed_host(name: &str) -> Result<(), String> {
    let usable = !name.is_empty()
        && name.len() <= 253
        && name.bytes().any(|b| b != b'.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if usable {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a host name (letters, digits, '-', '_' and '.', without a port: \
             every port is allowed)"
        ))
    }
}

/// A state file's path: not empty, and not a directory.
pub fn check_state_file(path: &Path) -> Result<(), String> {
    if path.as_os_str().is_empty() {
        return Err("the path of the state file is empty".to_owned());
    }
    if path.is_dir() {
        return Err(format!(
            "{} is a directory; name a file in it, such as {}",
            path.display(),
            path.join("descope-emulator-state.json").display()
        ));
    }
    Ok(())
}

/// A cookie domain: empty (none), or a host name of letters, digits, `-` and `.`.
pub fn check_cookie_domain(domain: &str) -> Result<(), String> {
    let usable = domain
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if usable {
        Ok(())
    } else {
        Err(format!(
            "{domain:?} is not a cookie domain (letters, digits, '-' and '.')"
        ))
    }
}

impl EmulatorConfig {
    /// Why this configuration cannot run, if it cannot: a bad project id, cookie domain or
    /// allowed host, a state file path that is empty or a directory, a duration beyond a
    /// century, a fixed code that is not six digits, or a seed user that is malformed or shares
    /// its login id with another.
    pub fn check(&self) -> Result<(), String> {
        check_project_id(&self.project_id).map_err(|e| format!("project_id: {e}"))?;
        check_cookie_domain(&self.cookie_domain).map_err(|e| format!("cookie_domain: {e}"))?;
        for name in &self.allowed_hosts {
            check_allowed_host(name).map_err(|e| format!("allowed_hosts: {e}"))?;
        }
        if let Some(path) = &self.state_file {
            check_state_file(path).map_err(|e| format!("state_file: {e}"))?;
        }
        if let Some(key) = &self.management_key {
            check_management_key(key).map_err(|e| format!("management_key: {e}"))?;
        }
        let durations = [
            ("otp_ttl", self.otp_ttl),
            ("link_ttl", self.link_ttl),
            ("session_ttl", self.session_ttl),
            ("refresh_ttl", self.refresh_ttl),
            ("retired_key_ttl", self.retired_key_ttl),
        ];
        let windows = self.rate_limit.map(|limit| ("rate_limit", limit.window));
        for (name, duration) in durations.into_iter().chain(windows) {
            if duration > MAX_DURATION {
                return Err(format!("{name}: longer than a century"));
            }
        }
        for (login_id, code) in &self.fixed_codes {
            if login_id.is_empty() {
                return Err("fixed_codes: a login id is empty".to_owned());
            }
            check_fixed_code(code).map_err(|e| format!("fixed_codes[{login_id:?}]: {e}"))?;
        }
        for (at, user) in self.users.iter().enumerate() {
            user.check()
                .map_err(|e| format!("users[{at}].{}: {}", e.place, e.message))?;
            if let Some(first) = self.users[..at]
                .iter()
                .position(|other| other.login_id == user.login_id)
            {
                return Err(format!(
                    "users[{at}].loginId: {:?} is also the login id of users[{first}]",
                    user.login_id
                ));
            }
        }
        Ok(())
    }
}
