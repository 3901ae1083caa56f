//! The one error every call returns: what the service said, or why no usable answer came back.
//!
//! Nothing here holds a token, a code or a response body that could carry one: the texts a
//! service error shows are scrubbed of what the call sent and of anything shaped like a JWT, and
//! cut to [`MAX_ERROR_TEXT_CHARS`] (see `scrub`); a success body that fails to decode is
//! described by where it broke, not by what it contained.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::operations::Operation;
pub use crate::scrub::MAX_ERROR_TEXT_CHARS;

/// Why a call failed.
///
/// Match on the variant to tell the service's answer from a transport failure, and on
/// [`ServiceError::code`] to react to a specific Descope error:
///
/// ```no_run
/// use descope_client::{Client, Error, ErrorCode};
///
/// # async fn run(client: Client) {
/// let verified = client.verify_otp_email("jane@example.com", "123456").await;
/// match verified {
///     Ok(response) => println!("signed in after {} attempt(s)", response.attempts()),
///     Err(Error::Service(error)) if error.code == Some(ErrorCode::WrongOtpCode) => {
///         println!("wrong code, try again")
///     }
///     Err(Error::Service(error)) if error.status == 429 => {
///         println!("rate limited; retry after {:?}", error.retry_after)
///     }
///     Err(error) if error.is_timeout() => println!("Descope did not answer in time"),
///     Err(error) => println!("{error}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a status outside 2xx.
    Service(Box<ServiceError>),
    /// No answer came back: the connection failed, was reset, timed out, or TLS failed.
    Transport(Box<TransportError>),
    /// The service answered 2xx, but the body is not the documented shape.
    Decode(Box<DecodeError>),
    /// The call was refused before anything was sent.
    InvalidRequest(Box<InvalidRequest>),
}

/// An answer from the service with a status outside 2xx.
#[derive(Debug)]
#[non_exhaustive]
pub struct ServiceError {
    /// The operation called.
    pub operation: &'static Operation,
    /// The HTTP status of the last answer.
    pub status: StatusCode,
    /// The body's `errorCode`, named when known; `None` when the body did not carry one.
    pub code: Option<ErrorCode>,
    /// The body's `errorDescription`, empty when absent.
    pub description: String,
    /// The body's `errorMessage`, empty when absent.
    pub message: String,
    /// The `Retry-After` delay the service asked for (sent with 429), in seconds or as a date,
    /// at most [`MAX_RETRY_AFTER`](crate::MAX_RETRY_AFTER).
    pub retry_after: Option<Duration>,
    /// Where a redirect (3xx) pointed. Redirects are never followed: Descope's API does not
    /// redirect, and following one would send the body (a code or a link token) elsewhere.
    pub redirected_to: Option<String>,
    /// The start of the body when it was not a Descope error body (an HTML page from a proxy, an
    /// empty body), so the failure can still be diagnosed.
    pub body_excerpt: Option<String>,
    /// How many requests were sent, retries included.
    pub attempts: u32,
}

/// A call that got no answer.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// The operation called.
    pub operation: &'static Operation,
    /// How many requests were sent, retries included.
    pub attempts: u32,
    /// What went wrong, from the HTTP client.
    pub source: reqwest::Error,
}

/// A 2xx answer whose body could not be decoded.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation called.
    pub operation: &'static Operation,
    /// The status of the answer.
    pub status: StatusCode,
    /// Where and how the body broke, without its content (it may hold tokens).
    pub reason: String,
    /// How many requests were sent, retries included.
    pub attempts: u32,
}

/// A call refused before sending.
#[derive(Debug)]
#[non_exhaustive]
pub struct InvalidRequest {
    /// The operation called.
    pub operation: &'static Operation,
    /// Why it was refused.
    pub reason: String,
}

impl Error {
    /// The operation the failed call was for.
    pub fn operation(&self) -> &'static Operation {
        match self {
            Error::Service(error) => error.operation,
            Error::Transport(error) => error.operation,
            Error::Decode(error) => error.operation,
            Error::InvalidRequest(error) => error.operation,
        }
    }

    /// The HTTP status of the answer, when one came.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Service(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            Error::Transport(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// The Descope error code, when the service sent one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Service(error) => error.code.as_ref(),
            _ => None,
        }
    }

    /// How many requests were sent, retries included; 0 when the call was refused.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Service(error) => error.attempts,
            Error::Transport(error) => error.attempts,
            Error::Decode(error) => error.attempts,
            Error::InvalidRequest(_) => 0,
        }
    }

    /// Whether the call ran out of time (connecting or waiting for the answer).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(error) if error.source.is_timeout())
    }

    /// Used by the generated `send` methods when the builder holds an invalid body.
    pub(crate) fn invalid_body(operation: &'static Operation, reason: String) -> Self {
        Error::InvalidRequest(Box::new(InvalidRequest { operation, reason }))
    }

    /// Used by the generated `send` methods when a parameter is missing or invalid; `name` is
    /// the parameter's wire name.
    pub(crate) fn invalid_argument(
        operation: &'static Operation,
        name: &str,
        reason: String,
    ) -> Self {
        let reason = format!("parameter `{name}`: {reason}");
        Error::InvalidRequest(Box::new(InvalidRequest { operation, reason }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.operation();
        write!(
            f,
            "{} ({} {}) ",
            operation.operation_id, operation.http_method, operation.path
        )?;
        match self {
            Error::Service(error) => error.fmt(f),
            Error::Transport(error) => {
                match error
                    .source
                    .url()
                    .and_then(|url| Some((url.host_str()?, url)))
                {
                    Some((host, url)) => match url.port() {
                        Some(port) => write!(f, "got no answer from {host}:{port}: ")?,
                        None => write!(f, "got no answer from {host}: ")?,
                    },
                    None => write!(f, "got no answer: ")?,
                }
                describe_transport(&error.source, f)?;
                attempts_suffix(error.attempts, f)
            }
            Error::Decode(error) => write!(
                f,
                "answered {} with a body that does not match the spec: {}",
                error.status, error.reason
            ),
            Error::InvalidRequest(error) => write!(f, "was not sent: {}", error.reason),
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed with {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        for text in [&self.description, &self.message] {
            if !text.is_empty() {
                write!(f, ": {}", capped(text))?;
            }
        }
        if let Some(location) = &self.redirected_to {
            write!(
                f,
                "; it redirected to {}, which is not followed",
                capped(location)
            )?;
        }
        if let Some(excerpt) = &self.body_excerpt {
            if excerpt.is_empty() {
                write!(f, " (empty body)")?;
            } else {
                write!(f, " (body: {excerpt:?})")?;
            }
        }
        if let Some(delay) = self.retry_after {
            write!(f, "; retry after {} s", delay.as_secs())?;
        }
        attempts_suffix(self.attempts, f)
    }
}

/// The longest service text a `Display` shows: Descope's are a line; a hostile server's could
/// be megabytes. The field itself keeps up to [`MAX_ERROR_TEXT_CHARS`].
const DISPLAYED_TEXT_CHARS: usize = 300;

fn capped(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(DISPLAYED_TEXT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

fn attempts_suffix(attempts: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}

/// reqwest's own message is "error sending request for url (..)"; the kind is what a reader
/// needs, with the innermost cause.
fn describe_transport(error: &reqwest::Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    };
    write!(f, "{kind}")?;
    let mut innermost = None;
    let mut next = std::error::Error::source(error);
    while let Some(cause) = next {
        innermost = Some(cause);
        next = cause.source();
    }
    if let Some(cause) = innermost {
        write!(f, " ({cause})")?;
    }
    Ok(())
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(&error.source),
            _ => None,
        }
    }
}

/// Descope's error codes, named where Descope's SDKs name them; any other code is kept as
/// [`ErrorCode::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `E011001`: the request is malformed.
    BadRequest,
    /// `E011002`: arguments are missing.
    MissingArguments,
    /// `E011003`: the request failed validation.
    InvalidRequest,
    /// `E011004`: arguments are invalid.
    InvalidArguments,
    /// `E061102`: the one-time code is wrong.
    WrongOtpCode,
    /// `E061103`: too many wrong one-time codes.
    TooManyOtpAttempts,
    /// `E062107`: a user with this login id already exists.
    UserAlreadyExists,
    /// `E062108`: no user has this login id.
    UserNotFound,
    /// `E062503`: an enchanted link has not been clicked yet.
    EnchantedLinkPending,
    /// `E062802`: the access key is missing.
    MissingAccessKey,
    /// `E062803`: the access key is invalid.
    InvalidAccessKey,
    /// `E062909`: the password has expired.
    PasswordExpired,
    /// `E064001`: the token expired because the user logged out.
    TokenExpiredByLogout,
    /// `E066103`: nOTP is not authorized.
    NotpUnauthorized,
    /// `E112102`: management API: no such user.
    ManagementUserNotFound,
    /// `E130429`: the rate limit is exceeded; see [`ServiceError::retry_after`].
    RateLimitExceeded,
    /// A code without a name here.
    Other(String),
}

/// Each named code and its wire form; [`ErrorCode::parse`] and [`ErrorCode::as_str`] read it.
const NAMED_CODES: &[(ErrorCode, &str)] = &[
    (ErrorCode::BadRequest, "E011001"),
    (ErrorCode::MissingArguments, "E011002"),
    (ErrorCode::InvalidRequest, "E011003"),
    (ErrorCode::InvalidArguments, "E011004"),
    (ErrorCode::WrongOtpCode, "E061102"),
    (ErrorCode::TooManyOtpAttempts, "E061103"),
    (ErrorCode::UserAlreadyExists, "E062107"),
    (ErrorCode::UserNotFound, "E062108"),
    (ErrorCode::EnchantedLinkPending, "E062503"),
    (ErrorCode::MissingAccessKey, "E062802"),
    (ErrorCode::InvalidAccessKey, "E062803"),
    (ErrorCode::PasswordExpired, "E062909"),
    (ErrorCode::TokenExpiredByLogout, "E064001"),
    (ErrorCode::NotpUnauthorized, "E066103"),
    (ErrorCode::ManagementUserNotFound, "E112102"),
    (ErrorCode::RateLimitExceeded, "E130429"),
];

impl ErrorCode {
    /// The code for a wire value such as `"E061102"`.
    pub fn parse(code: &str) -> ErrorCode {
        NAMED_CODES
            .iter()
            .find(|(_, wire)| *wire == code)
            .map(|(named, _)| named.clone())
            .unwrap_or_else(|| ErrorCode::Other(code.to_owned()))
    }

    /// The wire value, such as `"E061102"`.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Other(code) => code,
            named => NAMED_CODES
                .iter()
                .find(|(candidate, _)| candidate == named)
                .map_or("", |(_, wire)| wire),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_code_round_trips_and_unknown_codes_are_kept() {
        for (named, wire) in NAMED_CODES {
            assert_eq!(&ErrorCode::parse(wire), named);
            assert_eq!(named.as_str(), *wire);
        }
        let unknown = ErrorCode::parse("E999999");
        assert_eq!(unknown, ErrorCode::Other("E999999".into()));
        assert_eq!(unknown.to_string(), "E999999");
    }

    #[test]
    fn a_service_error_reads_as_one_line_with_everything_known() {
        let operation = &crate::operations::VERIFY_OTP_EMAIL;
        let error = Error::Service(Box::new(ServiceError {
            operation,
            status: StatusCode::TOO_MANY_REQUESTS,
            code: Some(ErrorCode::RateLimitExceeded),
            description: "Rate limit exceeded".into(),
            message: String::new(),
            retry_after: Some(Duration::from_secs(7)),
            redirected_to: None,
            body_excerpt: None,
            attempts: 1,
        }));
        assert_eq!(
            error.to_string(),
            "VerifyOtpEmail (POST /v1/auth/otp/verify/email) failed with 429 Too Many Requests \
             E130429: Rate limit exceeded; retry after 7 s"
        );
        assert_eq!(error.code(), Some(&ErrorCode::RateLimitExceeded));
        assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    }

    #[test]
    fn huge_service_texts_are_cut_in_display_and_kept_in_the_field() {
        let huge = "x".repeat(1_000_000);
        let error = ServiceError {
            operation: &crate::operations::VERIFY_OTP_EMAIL,
            status: StatusCode::BAD_REQUEST,
            code: None,
            description: huge.clone(),
            message: String::new(),
            retry_after: None,
            redirected_to: Some(format!("https://elsewhere.example/{huge}")),
            body_excerpt: None,
            attempts: 1,
        };
        let shown = error.to_string();
        assert!(shown.len() < 1000, "{} bytes", shown.len());
        assert!(shown.contains("x…; it redirected to https://elsewhere.example/xx"));
        assert_eq!(error.description.len(), 1_000_000);
    }
}
