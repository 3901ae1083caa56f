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
//! use descope_client::{Client, types};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("P2abcdefghijklmnopqrstuvwxyz")?;
//!
//! let sent = client
//!     .sign_up_or_in_otp_email()
//!     .body(types::OtpSignUpOrInRequest::builder().login_id("jane@example.com"))
//!     .send()
//!     .await?;
//! println!("code sent to {}", sent.masked_email.as_deref().unwrap_or("?"));
//!
//! let signed_in = client
//!     .verify_otp_email()
//!     .body(
//!         types::OtpVerifyRequest::builder()
//!             .login_id("jane@example.com")
//!             .code("123456"),
//!     )
//!     .send()
//!     .await?;
//! let refresh_jwt = signed_in.refresh_jwt.clone().unwrap_or_default();
//!
//! // Calls on a signed-in user carry their refresh JWT.
//! client
//!     .with_refresh_jwt(refresh_jwt)
//!     .update_phone_otp_sms()
//!     .body(
//!         types::UpdatePhoneOtpRequest::builder()
//!             .login_id("jane@example.com")
//!             .phone("+14155550123"),
//!     )
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
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
//! axum or any other API ([`session::middleware`] with the `axum` feature), configuration,
//! errors, and the TLS and JWT features.

#![warn(missing_docs)]
// docs.rs (nightly, `--cfg docsrs`) marks what needs a feature, such as `session::middleware`.
#![cfg_attr(docsrs, feature(doc_cfg))]
mod answer;
mod auth;
mod call;
mod config;
mod credentials;
mod error;
mod execute;
#[rustfmt::skip]
mod generated;
mod history;
mod response;
mod retry;
pub mod session;

pub use answer::MAX_RETRY_AFTER;
pub(crate) use call::Call;
pub use config::{
    BuildError, ClientBuilder, ClientState, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, USER_AGENT, base_url_for_project,
};
pub use credentials::{InvalidProjectId, InvalidToken, ProjectId, RefreshJwt, SessionJwt};
pub use error::{DecodeError, Error, ErrorCode, InvalidRequest, ServiceError, TransportError};
pub use generated::client::{Client, builder, prelude, types};
/// Every operation of the spec with its method, path and bearer credential.
pub use generated::operations;
pub use response::Response;
pub use retry::{MAX_HONOURED_RETRY_AFTER, RetryPolicy};
pub use session::{CheckedSession, RefreshedSession, Session, SessionConfig, SessionError};

/// The HTTP client this crate is built on, re-exported: its types appear in this API
/// (`reqwest::Client` for [`ClientBuilder::http_client`], `StatusCode`, `HeaderMap`, the source
/// of a transport error), so name them through here to be sure of the same version.
pub use reqwest;
