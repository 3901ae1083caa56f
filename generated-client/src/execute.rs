//! Sends one operation and turns the answer into a [`Response`] or an [`Error`]: headers,
//! retries, the per-attempt timeout and a tracing span; `answer` reads what comes back.
//!
//! Every generated `send` ends here (see `generator/src/emit/send/`), so this is the one place
//! where call policy lives.

use std::time::{Instant, SystemTime};

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::answer::{self, Answer};
use crate::call::Call;
use crate::error::{InvalidRequest, TransportError};
use crate::operations::Operation;
use crate::scrub::Sent;
use crate::{Client, Error, Response, auth};

/// Sends `call` and decodes the answer ([`Client::execute`], which every generated `send`
/// calls, is this).
///
/// Only decoding depends on the type; the exchange itself is one non-generic function shared by
/// every operation.
pub(crate) async fn execute<T>(client: &Client, call: Call) -> Result<Response<T>, Error>
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
    // Without a subscriber that wants it, the span is disabled, and instrumenting would only
    // cost every poll an enter and an exit.
    let exchanged = if span.is_disabled() {
        exchange(client, call).await
    } else {
        exchange(client, call).instrument(span.clone()).await
    };
    let result = exchanged.and_then(|answer| answer.decode::<T>(operation));
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
async fn exchange(client: &Client, mut call: Call) -> Result<Answer, Error> {
    let operation = call.operation;
    let url = call
        .url(&client.inner.base_url)
        .map_err(|reason| refused(operation, reason))?;
    let method = Method::from_bytes(operation.http_method.as_bytes()).map_err(|_| {
        refused(
            operation,
            format!("`{}` is not an HTTP method", operation.http_method),
        )
    })?;
    // Shared, not copied, by every attempt.
    let request_body = call.body.take().map(bytes::Bytes::from);
    let user_jwt = call.user_jwt.take();
    let request_headers = || {
        let mut headers = auth::headers(&client.inner, operation, user_jwt.as_ref())
            .map_err(|reason| refused(operation, reason))?;
        if request_body.is_none() {
            headers.remove(CONTENT_TYPE);
        } else if let Some(content_type) = &call.content_type {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        for (name, value) in &call.headers {
            headers.append(name.clone(), value.clone());
        }
        Ok::<_, Error>(headers)
    };
    let policy = &client.inner.retry;
    let mut attempts = 0;
    loop {
        attempts += 1;
        // Each attempt builds its request afresh: cheaper than keeping a copy for a retry
        // that rarely comes, and a retry waits at least 100 ms anyway.
        let mut request = reqwest::Request::new(method.clone(), url.clone());
        *request.headers_mut() = request_headers()?;
        *request.body_mut() = request_body.clone().map(Into::into);
        *request.timeout_mut() = client.inner.request_timeout;
        let transport = |source| {
            Error::Transport(Box::new(TransportError {
                operation,
                attempts,
                source,
            }))
        };
        let mut response = client.client.execute(request).await.map_err(transport)?;
        let status = response.status();
        // `None` once the policy's delays are used up (or for a status it does not retry), so
        // the loop ends; `Retry-After` is read only when a retry is possible.
        let delay = policy.retries(status).then(|| {
            let asked = answer::retry_after(response.headers(), SystemTime::now());
            policy.delay_after(status, attempts, asked)
        });
        if let Some(delay) = delay.flatten() {
            tracing::debug!(status = status.as_u16(), attempts, ?delay, "retrying");
            drop(response);
            tokio::time::sleep(delay).await;
            continue;
        }
        let mut headers = std::mem::take(response.headers_mut());
        answer::hide_cookies(&mut headers);
        let limit = client.inner.max_response_bytes;
        let body = answer::read_body(&mut response, limit)
            .await
            .map_err(transport)?;
        if !status.is_success() {
            let error = answer::service_error(operation, status, &headers, &body, limit, attempts);
            // Built again only on this path: the request's own were moved into it.
            let sent = Sent::of(&request_headers()?, request_body.as_deref());
            return Err(Error::Service(Box::new(sent.scrub(error))));
        }
        return Ok(Answer {
            status,
            headers,
            body,
            attempts,
            limit,
        });
    }
}

fn refused(operation: &'static Operation, reason: String) -> Error {
    Error::InvalidRequest(Box::new(InvalidRequest { operation, reason }))
}
