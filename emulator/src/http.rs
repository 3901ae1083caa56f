//! The HTTP side: a hyper HTTP/1.1 server on loopback, the routing of each request, the
//! `Authorization` check and the JSON answers.
//!
//! Every failure is answered with Descope's error body; the only answers that are not are
//! hyper's own bare 400 for bytes that are not HTTP at all, and closed connections after the
//! header or body deadlines (so a stalled client cannot hold a task forever).

use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::EmulatorConfig;
use crate::error::ApiError;
use crate::flows::{self, Context};
use crate::jwt::{self, Signer};
use crate::spec::{Credential, Spec};
use crate::state::{State, unix};

/// Largest request body accepted; Descope's bodies are a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;
/// How long a client may take to send its headers, and then its body.
const READ_DEADLINE: Duration = Duration::from_secs(10);

/// Everything the request handlers share.
pub struct Shared {
    pub config: EmulatorConfig,
    pub spec: Spec,
    pub signer: Signer,
    pub state: Mutex<State>,
}

impl Shared {
    /// The state, even after a panic elsewhere poisoned the lock: the data stays consistent
    /// per call, and refusing every later call would turn one bug into an outage.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Accepts connections until the task is aborted; aborting drops the `JoinSet`, which ends
/// every open connection too.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, Arc::clone(&shared)));
                }
                // Out of file descriptors or a connection reset before accept: wait a little
                // rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(handle(request, &shared).await) }
    });
    // A failed connection (client gone, header deadline) concerns only that client.
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(READ_DEADLINE)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn handle(request: Request<Incoming>, shared: &Shared) -> Response<Full<Bytes>> {
    match route(request, shared).await {
        Ok(body) => json_response(StatusCode::OK, &body, None),
        Err(error) => {
            let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
            json_response(status, &error.body(), error.retry_after)
        }
    }
}

fn json_response(
    status: StatusCode,
    body: &Value,
    retry_after: Option<u64>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(seconds) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

async fn route(request: Request<Incoming>, shared: &Shared) -> Result<Value, ApiError> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    if let Some(operation) = shared.spec.operations.get(&path) {
        if method != Method::POST {
            return Err(ApiError::method_not_allowed(method.as_str()));
        }
        let bearer = request
            .headers()
            .get(hyper::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        if let Some(limit) = &shared.config.rate_limit {
            shared.state().count_call(limit.max_calls, limit.window)?;
        }
        let bearer_user = authorize(shared, operation.credential, bearer.as_deref())?;
        let body = read_json(request).await?;
        operation.validate(&body)?;
        let context = Context {
            config: &shared.config,
            signer: &shared.signer,
            bearer_user: bearer_user.as_deref(),
        };
        return flows::call(&mut shared.state(), &context, operation, &body);
    }
    match (method, path.as_str()) {
        (Method::GET, "/emulator/outbox") => {
            let login_id = query_param(request.uri().query(), "loginId");
            let state = shared.state();
            let messages = state
                .outbox
                .iter()
                .filter(|message| login_id.as_deref().is_none_or(|id| message.login_id == id))
                .map(|message| message.to_json())
                .collect();
            Ok(Value::Array(messages))
        }
        (Method::DELETE, "/emulator/outbox") => {
            shared.state().outbox.clear();
            Ok(Value::Array(Vec::new()))
        }
        (Method::GET, keys) => match keys
            .strip_prefix("/v2/keys/")
            .or_else(|| keys.strip_prefix("/v1/keys/"))
        {
            Some(project) if project == shared.config.project_id => Ok(shared.signer.jwks()),
            _ => Err(ApiError::no_such_path("GET", keys)),
        },
        (method, path) => Err(ApiError::no_such_path(method.as_str(), path)),
    }
}

/// Checks `Bearer <ProjectId>[:<RefreshJWT>]` against the operation's credential and returns
/// the user of a valid refresh JWT. A third part (a management key) is ignored, as auth calls
/// do not need it.
fn authorize(
    shared: &Shared,
    credential: Credential,
    header: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let token = header
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::unauthorized("expected Authorization: Bearer <ProjectId>"))?;
    let mut parts = token.split(':');
    let project = parts.next().unwrap_or_default();
    if project != shared.config.project_id {
        return Err(ApiError::unauthorized(
            "the project id is not this project's",
        ));
    }
    let refresh = parts.next().filter(|jwt| !jwt.is_empty());
    let user = match (credential, refresh) {
        (Credential::RefreshRequired, None) => {
            return Err(ApiError::unauthorized(
                "this call needs the user's refresh JWT",
            ));
        }
        // Project-id operations do not look at a refresh JWT, as the service's spec says.
        (Credential::ProjectId, _) | (_, None) => None,
        (_, Some(jwt)) => Some(refresh_user(shared, jwt)?),
    };
    Ok(user)
}

/// The subject of a refresh JWT this emulator issued for this project, still valid.
fn refresh_user(shared: &Shared, token: &str) -> Result<String, ApiError> {
    let refused = || ApiError::unauthorized("the refresh JWT is invalid or expired");
    let claims = shared.signer.verify(token).ok_or_else(refused)?;
    let now = unix(shared.state().now());
    let valid = claims.get("drn").and_then(Value::as_str) == Some(jwt::REFRESH)
        && claims.get("iss").and_then(Value::as_str) == Some(shared.config.project_id.as_str())
        && claims
            .get("exp")
            .and_then(Value::as_i64)
            .is_some_and(|exp| exp > now);
    match claims.get("sub").and_then(Value::as_str) {
        Some(user) if valid => Ok(user.to_owned()),
        _ => Err(refused()),
    }
}

/// The body as a JSON object, read within the size limit and the deadline.
async fn read_json(request: Request<Incoming>) -> Result<Value, ApiError> {
    let collect = Limited::new(request.into_body(), MAX_BODY).collect();
    let bytes = match tokio::time::timeout(READ_DEADLINE, collect).await {
        Err(_) => return Err(ApiError::malformed("the body did not arrive in time")),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            return Err(ApiError::malformed(format!(
                "the body is larger than {MAX_BODY} bytes"
            )));
        }
        Ok(Err(_)) => return Err(ApiError::malformed("the body could not be read")),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|error| ApiError::malformed(format!("the body is not JSON: {error}")))?;
    if !body.is_object() {
        return Err(ApiError::malformed("the body must be a JSON object"));
    }
    Ok(body)
}

/// One query parameter, percent-decoded. A literal `+` stays a `+` (phone numbers), unlike in
/// form encoding.
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = bytes
                    .get(at + 1..at + 3)
                    .and_then(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        at += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_decoded() {
        assert_eq!(
            query_param(Some("a=1&loginId=jane%40example.com"), "loginId").as_deref(),
            Some("jane@example.com")
        );
        assert_eq!(
            query_param(Some("loginId=%2B1415%zz"), "loginId").as_deref(),
            Some("+1415%zz")
        );
        assert_eq!(query_param(None, "loginId"), None);
    }
}
