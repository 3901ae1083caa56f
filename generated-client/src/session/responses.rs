//! The crate's errors as HTTP answers (the `axum` feature), so a handler can end in `?`:
//!
//! ```no_run
//! use axum::extract::State;
//! use descope_client::Client;
//!
//! // A failed logout answers for itself: 401 if Descope refused the refresh JWT, 502 if
//! // Descope could not be reached.
//! async fn logout(State(client): State<Client>, refresh_jwt: String) -> Result<(), descope_client::Error> {
//!     client.logout(refresh_jwt).await?;
//!     Ok(())
//! }
//! ```
//!
//! What each becomes, and why:
//! - [`Error::Service`] with a 4xx from Descope: the same status, with Descope's `errorCode` and
//!   `errorDescription` as JSON (a wrong code, an unknown user: the caller's to fix), and
//!   `Retry-After` on 429. A 401 or 403 on a management call is the application's own key
//!   being refused, not the caller's fault: 500, logged at error level.
//! - a 5xx from Descope, no answer, or an answer that does not decode: 502 (504 on a timeout),
//!   logged at warn level; the caller may try again.
//! - [`Error::InvalidRequest`] (a call refused before sending, such as an empty login id): 400
//!   with the reason, which names the parameter and never its value.
//! - [`SessionError`]: as [`SessionLayer`](super::middleware::SessionLayer) answers: 503 with
//!   `Retry-After` when the session cannot be checked now, else 401 with the RFC 6750
//!   challenge (bare when no token came).
//! - [`InvalidToken`] (`try_with_refresh_jwt` given a token no JWT looks like): 401 with
//!   `error="invalid_token"`, since the token came from the caller.
//!
//! Bodies never carry a token: service texts are already scrubbed of what the call sent.

use axum_core::body::Body;
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};

use super::SessionError;
use super::middleware::RETRY_AFTER_SECONDS;
use crate::operations::Credential;
use crate::{Error, InvalidToken};

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match &self {
            Error::Service(error) if error.status.is_client_error() => {
                let management =
                    error.operation.credential == Credential::ProjectIdAndManagementKey;
                if management && matches!(error.status.as_u16(), 401 | 403) {
                    tracing::error!(error = %self, "Descope refused the management key");
                    return status(StatusCode::INTERNAL_SERVER_ERROR);
                }
                let body = serde_json::json!({
                    "errorCode": error.code.as_ref().map(|code| code.as_str()),
                    "errorDescription": error.description,
                });
                let mut response = json(
                    StatusCode::from_u16(error.status.as_u16()).unwrap_or(StatusCode::BAD_REQUEST),
                    &body,
                );
                if let Some(delay) = error.retry_after {
                    response
                        .headers_mut()
                        .insert(RETRY_AFTER, HeaderValue::from(delay.as_secs()));
                }
                response
            }
            Error::InvalidRequest(error) => json(
                StatusCode::BAD_REQUEST,
                &serde_json::json!({"error": error.reason}),
            ),
            _ => {
                tracing::warn!(error = %self, "Descope did not answer usably");
                if self.is_timeout() {
                    status(StatusCode::GATEWAY_TIMEOUT)
                } else {
                    status(StatusCode::BAD_GATEWAY)
                }
            }
        }
    }
}

impl IntoResponse for SessionError {
    fn into_response(self) -> Response {
        if self.is_server_fault() {
            tracing::warn!(reason = %self, "a session cannot be checked now");
            let mut response = status(StatusCode::SERVICE_UNAVAILABLE);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
            return response;
        }
        tracing::debug!(reason = %self, "no valid session");
        let challenge = if matches!(self, SessionError::Missing) {
            "Bearer"
        } else {
            r#"Bearer error="invalid_token""#
        };
        let mut response = status(StatusCode::UNAUTHORIZED);
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        response
    }
}

impl IntoResponse for InvalidToken {
    fn into_response(self) -> Response {
        tracing::debug!(reason = %self, "a token that is no JWT");
        let mut response = status(StatusCode::UNAUTHORIZED);
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        );
        response
    }
}

fn status(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
