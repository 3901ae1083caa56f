//! Sends one operation and turns the answer into a [`Response`] or an [`Error`]: headers,
//! retries, the per-attempt timeout, decoding, the cookie fallback for tokens, and a tracing span.
//!
//! Every generated `send` ends here (see `generator/src/send.rs`), so this is the one place where
//! call policy lives.

use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::call::Call;
use crate::error::{DecodeError, InvalidRequest, ServiceError, TransportError};
use crate::operations::Operation;
use crate::{Client, Error, ErrorCode, Response, auth, types};

/// How much of a non-Descope error body an error keeps.
const EXCERPT_CHARS: usize = 200;

/// Body fields that projects set to "deliver tokens in cookies" leave out, and the cookie each
/// arrives in instead (as Descope's Go and Python SDKs read them).
const COOKIE_TOKENS: [(&str, &str); 2] = [("refreshJwt", "DSR"), ("sessionJwt", "DS")];

impl Client {
    /// Sends `call` and decodes the answer. The generated `send` methods call it.
    ///
    /// Only decoding depends on the type; the exchange itself is one non-generic function shared
    /// by every operation.
    pub(crate) async fn execute<T>(&self, call: Call) -> Result<Response<T>, Error>
    where
        T: DeserializeOwned,
    {
        let operation = call.operation;
        let span = tracing::info_span!(
            "descope.call",
            operation = operation.operation_id,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .exchange(call)
            .instrument(span.clone())
            .await
            .and_then(|answer| answer.decode::<T>(operation));
        let (status, attempts) = match &result {
            Ok(response) => (Some(response.status()), response.attempts()),
            Err(error) => (error.status(), error.attempts()),
        };
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        span.record("attempts", attempts);
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        result
    }

    /// Sends the request, retrying as the policy says, and reads the final answer: a 2xx as an
    /// [`Answer`], anything else as a service error.
    async fn exchange(&self, mut call: Call) -> Result<Answer, Error> {
        let operation = call.operation;
        let url = call
            .url(&self.baseurl)
            .map_err(|reason| refused(operation, reason))?;
        let method = Method::from_bytes(operation.http_method.as_bytes()).map_err(|_| {
            refused(
                operation,
                format!("`{}` is not an HTTP method", operation.http_method),
            )
        })?;
        // Shared, not copied, by every attempt.
        let body = call.body.take().map(bytes::Bytes::from);
        let headers = || {
            let mut headers = auth::headers(&self.inner, operation)
                .map_err(|reason| refused(operation, reason))?;
            if body.is_none() {
                headers.remove(CONTENT_TYPE);
            }
            for (name, value) in &call.headers {
                headers.append(name.clone(), value.clone());
            }
            Ok::<_, Error>(headers)
        };
        let policy = &self.inner.retry;
        let mut attempts = 0;
        loop {
            attempts += 1;
            // Each attempt builds its request afresh: cheaper than keeping a copy for a retry
            // that rarely comes, and a retry waits at least 100 ms anyway.
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            *request.headers_mut() = headers()?;
            *request.body_mut() = body.clone().map(Into::into);
            *request.timeout_mut() = self.inner.request_timeout;
            let transport = |source| {
                Error::Transport(Box::new(TransportError {
                    operation,
                    attempts,
                    source,
                }))
            };
            let mut response = self.client.execute(request).await.map_err(transport)?;
            let status = response.status();
            // `None` once the policy's delays are used up, so the loop ends.
            if let Some(delay) = policy.delay_after(status, attempts) {
                tracing::debug!(status = status.as_u16(), attempts, ?delay, "retrying");
                drop(response);
                tokio::time::sleep(delay).await;
                continue;
            }
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(transport)?;
            if !status.is_success() {
                return Err(Error::Service(Box::new(service_error(
                    operation, status, &headers, &body, attempts,
                ))));
            }
            return Ok(Answer {
                status,
                headers,
                body,
                attempts,
            });
        }
    }
}

/// A 2xx answer, read but not yet decoded.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
    attempts: u32,
}

impl Answer {
    fn decode<T: DeserializeOwned>(
        self,
        operation: &'static Operation,
    ) -> Result<Response<T>, Error> {
        match decode_success(&self.body, &self.headers) {
            Ok(value) => Ok(Response::new(
                value,
                self.status,
                self.headers,
                self.attempts,
            )),
            Err(reason) => Err(Error::Decode(Box::new(DecodeError {
                operation,
                status: self.status,
                reason,
                attempts: self.attempts,
            }))),
        }
    }
}

fn refused(operation: &'static Operation, reason: String) -> Error {
    Error::InvalidRequest(Box::new(InvalidRequest { operation, reason }))
}

/// Decodes a 2xx body, filling `refreshJwt` / `sessionJwt` from the `DSR` / `DS` cookies when
/// the body lacks them. Only answers that set one of those cookies take the slower path through
/// `serde_json::Value`.
fn decode_success<T: DeserializeOwned>(body: &[u8], headers: &HeaderMap) -> Result<T, String> {
    let tokens: Vec<(&str, String)> = COOKIE_TOKENS
        .iter()
        .filter_map(|(field, cookie)| Some((*field, cookie_value(headers, cookie)?)))
        .collect();
    if tokens.is_empty() {
        return serde_json::from_slice(body).map_err(|error| describe_decode_error(&error));
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| describe_decode_error(&error))?;
    if let serde_json::Value::Object(fields) = &mut value {
        for (field, token) in tokens {
            let present =
                matches!(fields.get(field), Some(serde_json::Value::String(s)) if !s.is_empty());
            if !present {
                fields.insert(field.to_owned(), serde_json::Value::String(token));
            }
        }
    }
    serde_json::from_value(value).map_err(|error| describe_decode_error(&error))
}

/// The value of cookie `name` among the `Set-Cookie` headers, if set and non-empty.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(SET_COOKIE).iter().find_map(|header| {
        let pair = header.to_str().ok()?.split(';').next()?;
        let (key, value) = pair.split_once('=')?;
        let value = value.trim().trim_matches('"');
        (key.trim() == name && !value.is_empty()).then(|| value.to_owned())
    })
}

/// Says where and how a body broke without quoting it: serde's messages can quote values, and a
/// success body holds tokens. "missing field" messages name only the field, so they are kept.
fn describe_decode_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let message = error.to_string();
    let what = match error.classify() {
        Category::Eof => "the body ends before the JSON does",
        Category::Syntax => "the body is not valid JSON",
        Category::Data if message.starts_with("missing field") => message
            .split(" at line")
            .next()
            .unwrap_or("a required field is missing"),
        Category::Data => "a value has a type the spec does not allow",
        Category::Io => "the body could not be read",
    };
    if error.line() == 0 {
        what.to_owned()
    } else {
        format!("{what} (line {}, column {})", error.line(), error.column())
    }
}

fn service_error(
    operation: &'static Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    attempts: u32,
) -> ServiceError {
    let parsed = serde_json::from_slice::<types::ErrorResponse>(body)
        .ok()
        .filter(|error| !error.error_code.is_empty());
    let (code, description, message, body_excerpt) = match parsed {
        Some(error) => (
            Some(ErrorCode::parse(&error.error_code)),
            error.error_description.unwrap_or_default(),
            error.error_message.unwrap_or_default(),
            None,
        ),
        None => (None, String::new(), String::new(), Some(excerpt(body))),
    };
    ServiceError {
        operation,
        status,
        code,
        description,
        message,
        retry_after: retry_after(headers),
        body_excerpt,
        attempts,
    }
}

/// `Retry-After` as a number of seconds, the form Descope sends.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// The first characters of a body, with whitespace runs folded, so an error line stays one line.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &folded[..end]),
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn with_cookies(cookies: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for cookie in cookies {
            headers.append(SET_COOKIE, HeaderValue::from_str(cookie).unwrap());
        }
        headers
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let headers = with_cookies(&["DSR=refresh; Path=/; HttpOnly", "DS=session; Secure"]);
        assert_eq!(cookie_value(&headers, "DSR").as_deref(), Some("refresh"));
        assert_eq!(cookie_value(&headers, "DS").as_deref(), Some("session"));
        assert_eq!(cookie_value(&with_cookies(&["DSRX=1"]), "DSR"), None);
        assert_eq!(cookie_value(&with_cookies(&["DSR=; Path=/"]), "DSR"), None);
    }

    #[test]
    fn cookie_tokens_fill_only_missing_fields() {
        let headers = with_cookies(&["DSR=from-cookie", "DS=session-cookie"]);
        let decoded: types::JwtResponse =
            decode_success(br#"{"sessionJwt":"from-body"}"#, &headers).unwrap();
        assert_eq!(decoded.refresh_jwt.as_deref(), Some("from-cookie"));
        assert_eq!(decoded.session_jwt.as_deref(), Some("from-body"));
    }

    #[test]
    fn decode_errors_do_not_quote_the_body() {
        let error =
            decode_success::<types::JwtResponse>(br#"{"sessionJwt": 12345678}"#, &HeaderMap::new())
                .unwrap_err();
        assert!(!error.contains("12345678"), "{error}");
        assert!(error.contains("line 1"), "{error}");
        let truncated =
            decode_success::<types::JwtResponse>(br#"{"sessionJwt":"ey"#, &HeaderMap::new())
                .unwrap_err();
        assert!(truncated.starts_with("the body ends"), "{truncated}");
    }

    #[test]
    fn excerpts_are_short_and_on_one_line() {
        let page = format!("<html>\n  <body>{}</body>\n</html>", "x".repeat(500));
        let shown = excerpt(page.as_bytes());
        assert!(shown.starts_with("<html> <body>xx"), "{shown}");
        assert_eq!(shown.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b""), "");
    }
}
