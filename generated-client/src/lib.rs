//! A typed client for Descope's API, for Rust backends: validate session JWTs and machine
//! clients' access keys locally and protect routes, sign users in with one-time codes or magic
//! links, and manage users, tenants, roles, permissions, access keys and tokens.
//!
//! The operations, request and response types are generated from the curated OpenAPI spec in
//! the repository's `openapi/` directory; this crate adds how a client is built, how each call
//! authenticates, and session validation.
//!
//! # Validate a session
//!
//! A request's session JWT (from `Authorization: Bearer …` or the `DS` cookie) is checked
//! locally against the project's public keys, fetched once and cached: no call to Descope per
//! request.
//!
//! ```no_run
//! use descope_client::Client;
//!
//! # async fn run(session_jwt: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("P2abcdefghijklmnopqrstuvwxyz")?;
//! let session = client.validate_session(session_jwt).await?;
//! println!("{} has roles {:?}", session.user_id(), session.roles());
//! if session.has_tenant_roles("T2acme", &["admin"]) {
//!     println!("and administers T2acme");
//! }
//! # Ok(())
//! # }
//! ```
//!
//! With the `axum` feature, `session::middleware`'s `SessionLayer` does it for every route
//! (refreshing an expired session from the `DSR` cookie), handlers take the
//! [`session::Session`] as an extractor, and `require::roles(..)` guards a route:
//!
//! ```no_run
//! # #[cfg(feature = "axum")]
//! # fn app(client: descope_client::Client) -> axum::Router {
//! # use axum::{Router, routing::get};
//! # use descope_client::session::{Session, middleware::{SessionLayer, require}};
//! # async fn me(session: Session) -> String { session.user_id().to_owned() }
//! # async fn admin(session: Session) -> String { session.user_id().to_owned() }
//! Router::new()
//!     .route("/admin", get(admin).layer(require::roles(&["admin"])))
//!     .route("/me", get(me))
//!     .layer(SessionLayer::new(client))
//! # }
//! ```
//!
//! Machine clients send an access key instead: `client.validate_access_key(key)` exchanges it at
//! Descope once and validates the session JWT it gives like a user's, remembering it until it
//! expires; `SessionLayer::new(client).accept(Accept::AccessKeys)` (or `UsersAndAccessKeys`)
//! does it in the middleware, and [`Session::kind`](session::Session::kind) tells which it was.
//!
//! What a token must carry to be accepted, and why, is on [`session`]; the errors are
//! [`session::SessionError`].
//!
//! # Sign a user in
//!
//! Send a one-time code by email, verify the code the user typed, then act for the user with
//! their refresh JWT:
//!
//! ```no_run
//! use descope_client::Client;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("P2abcdefghijklmnopqrstuvwxyz")?;
//!
//! let sent = client.sign_up_or_in_otp_email("jane@example.com").await?;
//! println!("code sent to {}", sent.masked_email.as_deref().unwrap_or("?"));
//!
//! let signed_in = client.verify_otp_email("jane@example.com", "123456").await?;
//! let refresh_jwt = signed_in.refresh_jwt.clone().unwrap_or_default();
//!
//! // Calls that act for the signed-in user take their refresh JWT first.
//! let me = client.me(&refresh_jwt).await?;
//! println!("signed in as {}", me.user_id.as_deref().unwrap_or("?"));
//! client.logout(&refresh_jwt).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Manage users, tenants and roles
//!
//! The management API (the `users`, `tenants`, `roles`, `access-keys` and `tokens` features, or
//! `management` for all) authenticates with the project's management key, from the builder or
//! the `DESCOPE_MANAGEMENT_KEY` environment variable:
//!
//! ```no_run
//! # #[cfg(feature = "users")]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use descope_client::{Client, types};
//! use futures_util::StreamExt;
//!
//! let client = Client::builder("P2abcdefghijklmnopqrstuvwxyz")
//!     .management_key(std::env::var("DESCOPE_MANAGEMENT_KEY")?)
//!     .build()?;
//! client.create_user("jane@example.com").email("jane@example.com").await?;
//! client.add_user_roles("jane@example.com", ["editor"]).await?;
//!
//! let search = types::SearchUsersRequest::builder().emails(["jane@example.com"]);
//! let mut users = std::pin::pin!(client.search_all_users(search));
//! while let Some(user) = users.next().await {
//!     println!("{:?}", user?.login_ids);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Coming from another SDK
//!
//! | Descope's Node SDK | Python SDK | Go SDK | this crate |
//! | --- | --- | --- | --- |
//! | `validateSession(token)` | `validate_session(token)` | `Auth.ValidateSessionWithToken(ctx, token)` | `client.validate_session(token)` |
//! | `refreshSession(refreshToken)` | `refresh_session(refresh_token)` | `Auth.RefreshSessionWithToken(ctx, token)` | `client.refresh_session(refresh_jwt)` |
//! | `validateAndRefreshSession(s, r)` | `validate_and_refresh_session(s, r)` | `Auth.ValidateAndRefreshSessionWithTokens(ctx, s, r)` | `client.validate_and_refresh_session(Some(s), Some(r))` |
//! | `otp.signUpOrIn.email(loginId)` | `otp.sign_up_or_in(DeliveryMethod.EMAIL, login_id)` | `Auth.OTP().SignUpOrIn(ctx, descope.MethodEmail, loginID, nil)` | `client.sign_up_or_in_otp_email(login_id)` |
//! | `otp.verify.email(loginId, code)` | `otp.verify_code(DeliveryMethod.EMAIL, login_id, code)` | `Auth.OTP().VerifyCode(ctx, descope.MethodEmail, loginID, code, w)` | `client.verify_otp_email(login_id, code)` |
//! | `magicLink.signIn.email(loginId, uri)` | `magiclink.sign_in(DeliveryMethod.EMAIL, login_id, uri)` | `Auth.MagicLink().SignIn(ctx, descope.MethodEmail, loginID, uri, r, nil)` | `client.sign_in_magic_link_email(login_id).uri(uri)` |
//! | `magicLink.verify(token)` | `magiclink.verify(token)` | `Auth.MagicLink().Verify(ctx, token, w)` | `client.verify_magic_link(token)` |
//! | `me(refreshToken)` | `me(refresh_token)` | `Auth.Me(r)` | `client.me(refresh_jwt)` |
//! | `logout(refreshToken)` | `logout(refresh_token)` | `Auth.Logout(r, w)` | `client.logout(refresh_jwt)` |
//! | `management.user.create(loginId, …)` | `mgmt.user.create(login_id, …)` | `Management.User().Create(ctx, loginID, user)` | `client.create_user(login_id)` and setters |
//! | `management.user.load(loginId)` | `mgmt.user.load(login_id)` | `Management.User().Load(ctx, loginID)` | `client.load_user().login_id(login_id)` |
//! | `management.user.searchAll(…)` | `mgmt.user.search_all(…)` | `Management.User().SearchAll(ctx, options)` | `client.search_all_users(request)` (a stream over every page) |
//! | `management.tenant.create(name)` | `mgmt.tenant.create(name)` | `Management.Tenant().Create(ctx, tenant)` | `client.create_tenant(name)` |
//! | `management.role.create(name, …)` | `mgmt.role.create(name, …)` | `Management.Role().Create(ctx, name, description, permissions, tenantID)` | `client.create_role(name)` and setters |
//! | `exchangeAccessKey(accessKey)` | `exchange_access_key(access_key)` | `Auth.ExchangeAccessKey(ctx, accessKey, loginOptions)` | `client.validate_access_key(access_key)` (remembered), or `client.exchange_access_key(access_key)` for the raw answer |
//! | `management.accessKey.create(name, …)` | `mgmt.access_key.create(name, …)` | `Management.AccessKey().Create(ctx, name, …)` | `client.create_access_key(name)` and setters (the answer's `cleartext` is shown once) |
//! | `management.jwt.update(jwt, claims)` | `mgmt.jwt.update_jwt(jwt, custom_claims)` | `Management.JWT().UpdateJWTWithCustomClaims(ctx, jwt, claims, 0)` | `client.update_jwt(jwt).custom_claims(claims)` |
//! | `management.jwt.impersonate(impersonatorId, loginId, validateConsent)` | `mgmt.jwt.impersonate(impersonator_id, login_id, validate_consent)` | `Management.JWT().Impersonate(ctx, impersonatorID, loginID, validateConsent, …)` | `client.impersonate(impersonator_id, login_id, validate_consent)` |
//! | `management.jwt.signIn(loginId)` | `mgmt.jwt.sign_in(login_id)` | `Management.JWT().SignIn(ctx, loginID, options)` | `client.generate_jwt_sign_in(login_id)` |
//!
//! # Calls
//!
//! Each operation's method takes what the call cannot do without, in the order the spec lists
//! it (`verify_otp_email(login_id, code)`), so a missing field does not compile. Every other
//! field of the request is a setter on the returned builder, taking the value itself (a `&str`
//! for a string, a nested type or its builder, any iterator for a list or a map). Awaiting the
//! builder makes the call (`.send().await` is the same):
//!
//! ```no_run
//! # use descope_client::{Client, types};
//! # async fn run(client: Client) -> Result<(), descope_client::Error> {
//! client
//!     .sign_in_magic_link_email("jane@example.com")
//!     .uri("https://app.example.com/verify")
//!     .login_options(types::LoginOptions::builder().mfa(true))
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! A request built at run time goes in whole through the operation's builder, whose `send`
//! checks it: `builder::VerifyOtpEmail::new(&client).body(request).send()`. `body_map` on any
//! builder changes the request in place, for instance to clear a field a setter set
//! (`.body_map(|body| body.uri(None))`).
//!
//! # API groups
//!
//! The operations come in groups, each a cargo feature, all on by default: `otp`, `magic-link`
//! and `session` (which also brings local session validation, [`session`]). An application
//! compiles only the groups it enables; `default-features = false` with `rustls`, `jwt-aws-lc`
//! and `session` makes a backend that only validates sessions. [`operations::OPERATIONS`] lists
//! every operation of the spec whatever is compiled.
//!
//! # Errors
//!
//! Every call returns [`Error`], which tells the service's answers ([`Error::Service`], with the
//! status, a named [`ErrorCode`] and `Retry-After`) from transport failures ([`Error::Transport`]),
//! undecodable success bodies ([`Error::Decode`]) and calls refused before sending
//! ([`Error::InvalidRequest`], such as an update without a refresh JWT).
//!
//! # Call policy
//!
//! Timeouts, retries ([`RetryPolicy`]), the regional host, identification headers, the cookie
//! fallback for tokens and the `descope.call` tracing span are described on [`ClientBuilder`].
//!
//! # More
//!
//! The crate's README (its crates.io page) walks through complete programs, each runnable
//! against the local emulator (`descope-emulator`): the quick start, sessions, protecting an
//! axum or any other API (`session::middleware` with the `axum` feature), configuration,
//! errors, and the TLS and JWT features.
// The middleware exists only with the `axum` feature; a link to it would be broken without it.
#![cfg_attr(
    feature = "axum",
    doc = "\nWith the `axum` feature: [`session::middleware`]."
)]
#![warn(missing_docs)]
// docs.rs (nightly, `--cfg docsrs`) marks what needs a feature, such as `session::middleware`.
#![cfg_attr(docsrs, feature(doc_cfg))]
mod answer;
mod auth;
mod call;
#[cfg(all(doctest, feature = "otp", feature = "magic-link", feature = "session"))]
mod call_shapes;
mod client;
mod config;
mod contract;
mod credentials;
mod error;
mod execute;
#[rustfmt::skip]
mod generated;
pub mod operations;
#[cfg(feature = "users")]
mod paging;
mod response;
mod retry;
mod scrub;
#[cfg(feature = "session")]
pub mod session;
#[cfg(test)]
mod wire_tests;

pub use answer::MAX_RETRY_AFTER;
pub(crate) use call::Call;
pub use config::{
    BuildError, ClientBuilder, ClientState, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, MANAGEMENT_KEY_VARIABLE, USER_AGENT, base_url_for_project,
};
pub use credentials::{
    AccessKey, InvalidProjectId, InvalidToken, ManagementKey, ProjectId, RefreshJwt, SessionJwt,
};
pub use error::{
    DecodeError, Error, ErrorCode, InvalidRequest, MAX_ERROR_TEXT_CHARS, ServiceError,
    TransportError,
};
pub use generated::client::{Client, builder, prelude, types};
#[cfg(feature = "users")]
pub use paging::{DEFAULT_PAGE_SIZE, UserSearch};
pub use response::Response;
pub use retry::{MAX_HONOURED_RETRY_AFTER, RetryPolicy};
#[cfg(feature = "session")]
pub use session::{
    CheckedSession, RefreshedSession, Session, SessionConfig, SessionError, SessionKind,
};

/// The HTTP client this crate is built on, re-exported: its types appear in this API
/// (`reqwest::Client` for [`ClientBuilder::http_client`], `StatusCode`, `HeaderMap`, the source
/// of a transport error), so name them through here to be sure of the same version.
pub use reqwest;
