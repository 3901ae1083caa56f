//! A typed client for Descope's authentication API: one-time codes, magic links and sessions.
//!
//! The operations, request and response types are generated from the curated OpenAPI spec in
//! the repository's `openapi/` directory; this crate adds how a client is built and how each
//! call authenticates.
//!
//! # Example
//!
//! Send a one-time code by email, then verify the code the user typed:
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
//! // Calls on a signed-in user carry their refresh JWT.
//! client
//!     .with_refresh_jwt(refresh_jwt)
//!     .update_phone_otp_sms("jane@example.com", "+14155550123")
//!     .await?;
//! # Ok(())
//! # }
//! ```
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
    InvalidProjectId, InvalidToken, ManagementKey, ProjectId, RefreshJwt, SessionJwt,
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
pub use session::{CheckedSession, RefreshedSession, Session, SessionConfig, SessionError};

/// The HTTP client this crate is built on, re-exported: its types appear in this API
/// (`reqwest::Client` for [`ClientBuilder::http_client`], `StatusCode`, `HeaderMap`, the source
/// of a transport error), so name them through here to be sure of the same version.
pub use reqwest;
