//! A successful answer: the decoded body with the status, headers and attempt count it came with.

use std::fmt;
use std::ops::{Deref, DerefMut};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A decoded 2xx answer. It dereferences to the body, so `response.masked_email` reads a field.
pub struct Response<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> Response<T> {
    pub(crate) fn new(body: T, status: StatusCode, headers: HeaderMap, attempts: u32) -> Self {
        Response {
            body,
            status,
            headers,
            attempts,
        }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers. `Set-Cookie` may carry the session and refresh JWTs.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How many requests were sent, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.body
    }
}

/// Shows header names only: `Set-Cookie` values carry the `DS` and `DSR` tokens.
impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body", &self.body)
            .finish()
    }
}
