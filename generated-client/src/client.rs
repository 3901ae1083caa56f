//! The hand-written methods of [`Client`], all in one place: making a client, the credentials
//! a copy carries, the call every generated `send` ends in, and local session validation.
//! progenitor writes the struct and one method per operation (`generated/client.rs`); each
//! method here hands its work to the module that does it.

use crate::credentials::{InvalidToken, ProjectId, RefreshJwt, SessionJwt};
#[cfg(feature = "session")]
use crate::session::{self, CheckedSession, RefreshedSession, Session, SessionError};
use crate::{BuildError, Call, Client, ClientBuilder, Error, Response};

impl Client {
    /// A client for the project, on the project's host with the default settings.
    pub fn new(project_id: impl Into<String>) -> Result<Client, BuildError> {
        Client::builder(project_id).build()
    }

    /// Starts configuring a client for the project.
    pub fn builder(project_id: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(project_id)
    }

    /// A copy of this client that acts for the signed-in user holding `refresh_jwt`: a sign-in
    /// on it is a step-up or MFA sign-in, which adds a factor to the user's session.
    ///
    /// Calls that always act for a user take their refresh JWT as their first argument instead
    /// (`client.logout(refresh_jwt)`, `client.me(refresh_jwt)`); a builder made with `new` on
    /// this copy takes its token. The copy shares the HTTP connection pool, so making one per
    /// request is cheap. A token that is empty or holds a character no JWT has is never sent:
    /// calls that need it are refused with `Error::InvalidRequest`
    /// ([`try_with_refresh_jwt`](Self::try_with_refresh_jwt) refuses it at once).
    pub fn with_refresh_jwt(&self, refresh_jwt: impl Into<RefreshJwt>) -> Client {
        let mut client = self.clone();
        client.inner.refresh_jwt = Some(refresh_jwt.into());
        client
    }

    /// Like [`with_refresh_jwt`](Self::with_refresh_jwt), but refuses a token that is empty or
    /// holds a character no JWT has, here rather than when a call would send it.
    pub fn try_with_refresh_jwt(
        &self,
        refresh_jwt: impl Into<RefreshJwt>,
    ) -> Result<Client, InvalidToken> {
        let refresh_jwt = refresh_jwt.into();
        refresh_jwt.check()?;
        Ok(self.with_refresh_jwt(refresh_jwt))
    }

    /// A copy of this client that presents `session_jwt` on calls built with a builder's `new`
    /// that ask the service about a session. The method
    /// ([`validate_session_remotely`](Self::validate_session_remotely)) takes the token as its
    /// argument instead. Like [`with_refresh_jwt`](Self::with_refresh_jwt), it shares the
    /// connection pool.
    pub fn with_session_jwt(&self, session_jwt: impl Into<SessionJwt>) -> Client {
        let mut client = self.clone();
        client.inner.session_jwt = Some(session_jwt.into());
        client
    }

    /// Like [`with_session_jwt`](Self::with_session_jwt), but refuses a token that is empty or
    /// holds a character no JWT has, here rather than when a call would send it.
    pub fn try_with_session_jwt(
        &self,
        session_jwt: impl Into<SessionJwt>,
    ) -> Result<Client, InvalidToken> {
        let session_jwt = session_jwt.into();
        session_jwt.check()?;
        Ok(self.with_session_jwt(session_jwt))
    }

    /// The project this client calls for.
    pub fn project_id(&self) -> &ProjectId {
        &self.inner.project_id
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }

    /// Sends `call` and decodes the answer: where every generated `send` ends (see `execute`).
    pub(crate) async fn execute<T>(&self, call: Call) -> Result<Response<T>, Error>
    where
        T: serde::de::DeserializeOwned,
    {
        crate::execute::execute(self, call).await
    }

    #[cfg(feature = "session")]
    /// Validates a session JWT locally and returns who it is for. The project's keys are
    /// fetched on first use and cached (see [`SessionConfig`](crate::SessionConfig)); no other
    /// call is made.
    ///
    /// ```no_run
    /// # async fn run(client: descope_client::Client, session_jwt: &str) {
    /// match client.validate_session(session_jwt).await {
    ///     Ok(session) if session.has_roles(&["admin"]) => println!("admin {}", session.user_id()),
    ///     Ok(session) => println!("user {}", session.user_id()),
    ///     Err(error) => println!("refused: {error}"),
    /// }
    /// # }
    /// ```
    pub async fn validate_session(&self, session_jwt: &str) -> Result<Session, SessionError> {
        session::validate_session(self, session_jwt).await
    }

    #[cfg(feature = "session")]
    /// Validates a machine client's access key: exchanges it at Descope for a session JWT
    /// (`POST /v1/auth/accesskey/exchange`), which is validated locally like a user's, and
    /// returns the session, whose [`kind`](Session::kind) is
    /// [`SessionKind::AccessKey`](crate::SessionKind::AccessKey) and whose
    /// [`user_id`](Session::user_id) is the key's id. The key's roles and tenants are the
    /// session's.
    ///
    /// The exchange is remembered by the SHA-256 of the key until its JWT expires, so a service
    /// that receives the same key on every request calls Descope about once per JWT lifetime,
    /// not per request. The price: a key deactivated at Descope is still accepted here until
    /// then (at most the project's access-key session timeout); a capacity of 0
    /// ([`SessionConfig::verified_tokens`](crate::SessionConfig::verified_tokens)) exchanges on
    /// every call, as the official SDKs do.
    ///
    /// For custom claims or a selected tenant in the JWT, exchange with options and validate
    /// the answer yourself (not remembered): `client.exchange_access_key(key).login_options(..)`,
    /// then [`validate_session`](Self::validate_session) on its `session_jwt`.
    ///
    /// An empty key is [`SessionError::Missing`]; a refused exchange is
    /// [`SessionError::Exchange`], a server fault when Descope did not answer
    /// ([`SessionError::is_server_fault`]).
    ///
    /// ```no_run
    /// # async fn run(client: descope_client::Client, access_key: &str) {
    /// match client.validate_access_key(access_key).await {
    ///     Ok(machine) if machine.has_permissions(&["reports:read"]) => {
    ///         println!("access key {} may read reports", machine.user_id())
    ///     }
    ///     Ok(machine) => println!("access key {} may not", machine.user_id()),
    ///     Err(error) if error.is_server_fault() => println!("try again later: {error}"),
    ///     Err(error) => println!("refused: {error}"),
    /// }
    /// # }
    /// ```
    pub async fn validate_access_key(
        &self,
        access_key: impl Into<crate::AccessKey>,
    ) -> Result<Session, SessionError> {
        session::validate_access_key(self, access_key.into()).await
    }

    #[cfg(feature = "session")]
    /// Renews a session with its refresh JWT. The refresh JWT is checked locally first (as
    /// Descope's Go SDK does), so an expired or forged one costs no call; the new session JWT
    /// is validated like any other.
    pub async fn refresh_session(
        &self,
        refresh_jwt: &str,
    ) -> Result<RefreshedSession, SessionError> {
        session::refresh_session(self, refresh_jwt).await
    }

    #[cfg(feature = "session")]
    /// Validates the session JWT locally and, only when it is missing or not valid, renews it
    /// with the refresh JWT (one call to Descope). Either token may be absent, as when a
    /// request carries only the `DSR` cookie.
    ///
    /// ```no_run
    /// # async fn run(client: descope_client::Client, session: Option<&str>, refresh: Option<&str>)
    /// # -> Result<(), descope_client::SessionError> {
    /// let checked = client.validate_and_refresh_session(session, refresh).await?;
    /// if let Some(refreshed) = checked.refreshed() {
    ///     // Send the new tokens back, e.g. as cookies (see `session::cookies`).
    /// #   let _ = refreshed;
    /// }
    /// println!("signed in as {}", checked.session().user_id());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn validate_and_refresh_session<'t>(
        &self,
        session_jwt: impl Into<Option<&'t str>>,
        refresh_jwt: impl Into<Option<&'t str>>,
    ) -> Result<CheckedSession, SessionError> {
        session::validate_and_refresh_session(self, session_jwt.into(), refresh_jwt.into()).await
    }

    /// Every user a search matches, page after page, as a stream (see [`UserSearch`](crate::UserSearch)): the
    /// filters of `request` (a [`SearchUsersRequest`](crate::types::SearchUsersRequest) or its builder), and each next page
    /// asked for only when the last one is used up. A management call, like
    /// [`search_users`](Self::search_users), which it calls once a page.
    #[cfg(feature = "users")]
    pub fn search_all_users(
        &self,
        request: impl Into<crate::types::builder::SearchUsersRequest>,
    ) -> crate::UserSearch<'_> {
        crate::UserSearch::new(self, request.into())
    }
}
