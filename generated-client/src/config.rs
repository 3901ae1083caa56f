//! Building a [`Client`]: the project id, the base URL and the HTTP settings.

use std::sync::Arc;
use std::time::Duration;

use crate::Client;
use crate::auth::CommonHeaders;
use crate::credentials::{
    InvalidProjectId, InvalidToken, ManagementKey, ProjectId, RefreshJwt, SessionJwt,
    UncheckedSecret,
};
use crate::retry::RetryPolicy;
#[cfg(feature = "session")]
use crate::session::{SessionConfig, SessionError, Sessions};

/// Descope's API host for projects without a regional host.
pub const DEFAULT_BASE_URL: &str = "https://api.descope.com";

/// Project ids at least this long name their region and are served from a regional host.
const REGIONAL_PROJECT_ID_LENGTH: usize = 32;

/// The host a project's calls go to: `https://api.<region>.descope.com` when the project id is
/// 32 or more characters long (the region is its characters 1 to 4), else [`DEFAULT_BASE_URL`].
/// This is how Descope's official SDKs derive it.
pub fn base_url_for_project(project_id: &ProjectId) -> String {
    let id = project_id.as_str();
    match id.get(1..5) {
        Some(region) if id.len() >= REGIONAL_PROJECT_ID_LENGTH => {
            format!("https://api.{}.descope.com", region.to_ascii_lowercase())
        }
        _ => DEFAULT_BASE_URL.to_owned(),
    }
}

/// The `User-Agent` of the HTTP client the builder makes; a caller's own client keeps its own.
pub const USER_AGENT: &str = concat!("descope-client-rust/", env!("CARGO_PKG_VERSION"));

/// The most bytes of an answer's body the client reads: far above any answer of Descope's (a
/// few kilobytes), far below what would strain memory. A longer body is an error that names
/// this limit; reading stops there.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The environment variable a client reads its management key from when the builder is given
/// none, as Descope's official SDKs do.
pub const MANAGEMENT_KEY_VARIABLE: &str = "DESCOPE_MANAGEMENT_KEY";

/// The request timeout Descope's official SDKs use; also the default connect timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What every call of a [`Client`] authenticates with, and how it is sent. Its `Debug` never
/// shows the refresh or session JWT.
#[derive(Clone, Debug)]
pub struct ClientState {
    pub(crate) project_id: ProjectId,
    /// The base URL, parsed once: each call's URL is a copy with the operation's path set, so
    /// the host is never parsed again (a whole-URL parse was a tenth of a call's work).
    pub(crate) base_url: reqwest::Url,
    pub(crate) refresh_jwt: Option<RefreshJwt>,
    pub(crate) session_jwt: Option<SessionJwt>,
    /// For the management API: given to the builder or read from `DESCOPE_MANAGEMENT_KEY`.
    pub(crate) management_key: Option<ManagementKey>,
    /// Built once from the project id; see `auth::headers`.
    pub(crate) headers: CommonHeaders,
    /// Set on each request only when the caller brought their own HTTP client; the builder's
    /// own client already carries the timeout (a per-request one costs a little on every call).
    pub(crate) request_timeout: Option<Duration>,
    /// Shared by every copy [`Client::with_refresh_jwt`] makes.
    pub(crate) retry: Arc<RetryPolicy>,
    /// The most bytes of a body read; see [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub(crate) max_response_bytes: usize,
    /// How sessions are validated, and the keys held; shared by every copy too.
    #[cfg(feature = "session")]
    pub(crate) sessions: Arc<Sessions>,
}

impl ClientState {
    pub(crate) fn new(project_id: ProjectId, base_url: reqwest::Url) -> Self {
        ClientState {
            headers: CommonHeaders::new(&project_id),
            project_id,
            base_url,
            refresh_jwt: None,
            session_jwt: None,
            management_key: None,
            request_timeout: None,
            retry: Arc::new(RetryPolicy::default()),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            #[cfg(feature = "session")]
            sessions: Arc::new(Sessions::fetched(SessionConfig::default())),
        }
    }
}

/// Why a [`Client`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The project id is not one (letters and digits).
    #[error(transparent)]
    ProjectId(#[from] InvalidProjectId),
    /// The management key (given, or read from `DESCOPE_MANAGEMENT_KEY`) cannot be sent.
    #[error("invalid management key{from}: {reason}")]
    ManagementKey {
        /// `" (from DESCOPE_MANAGEMENT_KEY)"` when the key came from the environment, else empty.
        from: &'static str,
        /// Why it is refused; never the key.
        reason: InvalidToken,
    },
    /// The base URL is refused.
    #[error("invalid base URL `{url}`: {reason}")]
    BaseUrl {
        /// The URL as given (without any user info it held).
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// reqwest could not build its HTTP client.
    #[error("cannot set up the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    /// The TLS configuration could not be built (`rustls-ring`: no platform roots).
    #[error("cannot set up TLS: {0}")]
    Tls(String),
    /// The session configuration is unusable (static keys that do not read).
    #[cfg(feature = "session")]
    #[error(transparent)]
    Sessions(#[from] SessionError),
}

/// Configures a [`Client`]; made by [`Client::builder`].
#[derive(Debug)]
pub struct ClientBuilder {
    project_id: String,
    management_key: Option<UncheckedSecret>,
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    http_client: Option<reqwest::Client>,
    #[cfg(feature = "session")]
    sessions: SessionConfig,
    max_response_bytes: usize,
}

impl ClientBuilder {
    pub(crate) fn new(project_id: impl Into<String>) -> Self {
        ClientBuilder {
            project_id: project_id.into(),
            management_key: None,
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            http_client: None,
            #[cfg(feature = "session")]
            sessions: SessionConfig::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The project's management key, for the management API (users, tenants, roles and
    /// permissions): its calls authenticate with `Bearer <ProjectId>:<ManagementKey>`. Without
    /// this, the builder reads the `DESCOPE_MANAGEMENT_KEY` environment variable; without either,
    /// management calls are refused before anything is sent. Keep the key on servers only: it
    /// administers the whole project. It never shows in `Debug` or logs.
    pub fn management_key(mut self, key: impl Into<String>) -> Self {
        self.management_key = Some(UncheckedSecret(key.into()));
        self
    }

    /// Sends requests to `url` instead of the project's host (see [`base_url_for_project`]), such
    /// as a test server or a proxy.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The longest one attempt may take, from connecting to the last byte of the answer.
    /// Defaults to [`DEFAULT_TIMEOUT`]. Retries (see [`retry_policy`](Self::retry_policy)) each
    /// get the whole timeout again.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take. Defaults to [`DEFAULT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Which answers are sent again and after what delays. Defaults to the policy of Descope's
    /// Go SDK; [`RetryPolicy::none`] switches retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses an HTTP client you configured. [`timeout`](Self::timeout) still bounds each attempt;
    /// [`connect_timeout`](Self::connect_timeout) and [`USER_AGENT`] are then yours to set, and
    /// so is the redirect policy: set `redirect(reqwest::redirect::Policy::none())`, as the
    /// builder's own client does, or a redirect would re-send bodies (codes, link tokens) where
    /// it points.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The most bytes of an answer's body to read; defaults to
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]. A longer body (or an endless one) stops being read at
    /// the limit, and the call fails with an error naming it.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How [`Client::validate_session`] validates session JWTs: leeway, audience, key caching,
    /// or static keys. Defaults to [`SessionConfig::default`].
    #[cfg(feature = "session")]
    pub fn sessions(mut self, config: SessionConfig) -> Self {
        self.sessions = config;
        self
    }

    /// Checks the settings and builds the client; nothing is sent.
    pub fn build(self) -> Result<Client, BuildError> {
        self.build_in(|name| std::env::var(name).ok())
    }

    /// [`build`](Self::build), reading the environment through `variable` (tests pass their
    /// own: setting a process's environment is not safe with threads running).
    fn build_in(self, variable: impl Fn(&str) -> Option<String>) -> Result<Client, BuildError> {
        let project_id = ProjectId::new(self.project_id)?;
        let base_url = match &self.base_url {
            Some(url) => checked_base_url(url)?,
            None => base_url_for_project(&project_id),
        };
        let parsed = reqwest::Url::parse(&base_url).map_err(|error| BuildError::BaseUrl {
            url: base_url.clone(),
            reason: error.to_string(),
        })?;
        let request_timeout = self.http_client.is_some().then_some(self.timeout);
        let http_client = match self.http_client {
            Some(client) => client,
            // Descope's API does not redirect; following a redirect would post the body (a code
            // or a link token) to wherever it points. A 3xx is an error naming its target.
            None => tls(reqwest::Client::builder())?
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(USER_AGENT)
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .build()
                .map_err(BuildError::Http)?,
        };
        let management_key = match self.management_key {
            Some(key) => Some(
                ManagementKey::new(key.0)
                    .map_err(|reason| BuildError::ManagementKey { from: "", reason })?,
            ),
            None => match variable(MANAGEMENT_KEY_VARIABLE) {
                Some(key) if !key.is_empty() => Some(ManagementKey::new(key).map_err(
                    |reason| BuildError::ManagementKey {
                        from: " (from DESCOPE_MANAGEMENT_KEY)",
                        reason,
                    },
                )?),
                _ => None,
            },
        };
        let state = ClientState {
            management_key,
            request_timeout,
            retry: Arc::new(self.retry),
            max_response_bytes: self.max_response_bytes,
            #[cfg(feature = "session")]
            sessions: Arc::new(Sessions::new(self.sessions)?),
            ..ClientState::new(project_id, parsed)
        };
        Ok(Client::new_with_client(&base_url, http_client, state))
    }
}

/// The TLS the builder's own HTTP client uses. With `rustls-ring`, a rustls configuration with
/// ring's provider and the platform's certificate roots, handed to reqwest whole: reqwest would
/// otherwise look for a process-wide provider, and panic if none was installed.
#[cfg(feature = "rustls-ring")]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BuildError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|config| config.with_platform_verifier())
        .map_err(|error| BuildError::Tls(error.to_string()))?
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

/// The TLS the builder's own HTTP client uses: reqwest's, as the features chose it.
#[cfg(not(feature = "rustls-ring"))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BuildError> {
    Ok(builder)
}

/// An absolute http(s) URL without a trailing slash (paths are appended to it as they are),
/// user info, query or fragment, and exactly as given (no surrounding spaces).
fn checked_base_url(url: &str) -> Result<String, BuildError> {
    let refuse = |shown: &str, reason: &str| BuildError::BaseUrl {
        url: shown.to_owned(),
        reason: reason.to_owned(),
    };
    if url.trim() != url {
        return Err(refuse(url, "it has spaces around it"));
    }
    let parsed = reqwest::Url::parse(url).map_err(|error| refuse(url, &error.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // The error must not show the password it refuses.
        let mut shown = parsed.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(refuse(
            shown.as_str(),
            "a base URL cannot carry user info (it would be shown wherever the URL is)",
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refuse(url, "the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse(url, "a base URL cannot carry a query or a fragment"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_descope_s_host() {
        let client = Client::new("P2abc").unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert_eq!(client.project_id().as_str(), "P2abc");
    }

    /// The cases of the Go SDK's `TestBaseURLForProjectID`, and the boundary around 32.
    #[test]
    fn regional_hosts_follow_the_official_sdks() {
        let host = |id: &str| base_url_for_project(&ProjectId::new(id).unwrap());
        assert_eq!(
            host("Puse12aAc4T2V93bddihGEx2Ryhc8e5Z"),
            "https://api.use1.descope.com"
        );
        assert_eq!(host("P2aAc4T2V93bddihGEx2Ryhc8e5Z"), DEFAULT_BASE_URL);
        assert_eq!(
            host("Peuc12aAc4T2V93bddihGEx2Ryhc8e5"),
            DEFAULT_BASE_URL,
            "31 characters"
        );
        assert_eq!(
            host("Peuc12aAc4T2V93bddihGEx2Ryhc8e5Zx"),
            "https://api.euc1.descope.com"
        );
        let client = Client::new("Puse12aAc4T2V93bddihGEx2Ryhc8e5Z").unwrap();
        assert_eq!(client.base_url(), "https://api.use1.descope.com");
        let pinned = Client::builder("Puse12aAc4T2V93bddihGEx2Ryhc8e5Z")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        assert_eq!(
            pinned.base_url(),
            "http://127.0.0.1:9",
            "an explicit base URL wins"
        );
    }

    #[test]
    fn base_urls_are_checked_and_lose_their_trailing_slash() {
        let client = Client::builder("P2abc")
            .base_url("http://127.0.0.1:4000/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:4000");
        for bad in [
            "not a url",
            "ftp://example.com",
            "https://example.com/?a=b",
            " http://127.0.0.1:4000",
            "http://127.0.0.1:4000 ",
            "https://user:hunter2@example.com",
            "https://user@example.com",
        ] {
            let error = Client::builder("P2abc").base_url(bad).build().unwrap_err();
            assert!(
                matches!(error, BuildError::BaseUrl { .. }),
                "{bad}: {error}"
            );
            assert!(!error.to_string().contains("hunter2"), "{error}");
        }
    }

    #[test]
    fn an_empty_project_id_is_refused() {
        let error = Client::new("  ").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid project id: the project id is empty"
        );
    }

    #[test]
    fn the_management_key_comes_from_the_builder_else_the_environment() {
        let environment = |name: &str| {
            (name == MANAGEMENT_KEY_VARIABLE).then(|| "K2fromTheEnvironment".to_owned())
        };
        let none = |_: &str| None;
        let key = |client: &Client| {
            client
                .inner
                .management_key
                .as_ref()
                .map(|key| key.expose().to_owned())
        };
        let given = Client::builder("P2abc").management_key("K2given");
        assert_eq!(
            key(&given.build_in(environment).unwrap()).as_deref(),
            Some("K2given")
        );
        let read = Client::builder("P2abc").build_in(environment).unwrap();
        assert_eq!(key(&read).as_deref(), Some("K2fromTheEnvironment"));
        assert_eq!(key(&Client::builder("P2abc").build_in(none).unwrap()), None);
        let empty = |_: &str| Some(String::new());
        assert_eq!(
            key(&Client::builder("P2abc").build_in(empty).unwrap()),
            None
        );
    }

    #[test]
    fn a_management_key_a_bearer_cannot_carry_is_refused_without_being_shown() {
        let none = |_: &str| None;
        let error = Client::builder("P2abc")
            .management_key("K2secret:part")
            .build_in(none)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("a character a bearer cannot carry"),
            "{error}"
        );
        assert!(!error.to_string().contains("secret"), "{error}");
        let spaced = |_: &str| Some("K2 secret".to_owned());
        let error = Client::builder("P2abc").build_in(spaced).unwrap_err();
        assert!(
            error.to_string().contains("(from DESCOPE_MANAGEMENT_KEY)"),
            "{error}"
        );
        assert!(!format!("{error:?}").contains("secret"), "{error:?}");
    }

    #[test]
    fn user_jwts_stay_out_of_debug() {
        let builder = Client::builder("P2abc").management_key("K2managementSecret");
        assert!(!format!("{builder:?}").contains("managementSecret"));
        let client = builder
            .build()
            .unwrap()
            .with_refresh_jwt("header.payload.signature")
            .with_session_jwt("session.claims.signature");
        let shown = format!("{client:?}");
        assert!(!shown.contains("managementSecret"), "{shown}");
        assert!(!shown.contains("payload"), "{shown}");
        assert!(!shown.contains("claims"), "{shown}");
        assert!(shown.contains("P2abc"), "{shown}");
    }
}
