//! The HTTP side: a hyper HTTP/1.1 server on loopback, the routing of each request through the
//! spec's route table, the `Authorization` check, body reading, and the JSON answers (with the
//! token cookies when the project delivers tokens in cookies).
//!
//! Before routing, `guard` checks the `Host` of every request (DNS rebinding) and that a change
//! to the admin API could not have come from another web page. With a state file, every call
//! that is not a `GET` is followed by a save (skipped when nothing durable changed) before it
//! is answered.
//!
//! Every failure is answered with Descope's error body, and never with 503 or 520–530, which
//! the Python SDK retries (503 only when the machine's random source or crypto library fails);
//! the only answers that are not JSON are hyper's own bare ones for bytes that are not HTTP at
//! all or headers over its limit, and closed connections after the header or body deadlines
//! (so a stalled client cannot hold a task forever).

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER, SET_COOKIE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::admin;
use crate::api::routes::{Found, Route};
use crate::api::{self, Behaviour, SessionAction};
use crate::error::ApiError;
use crate::guard;
use crate::operations::Credential;
use crate::setup::config::{EmulatorConfig, TokenDelivery};
use crate::state::{Shared, State, unix};
use crate::tokens::{self, Bearer};
use crate::url::{percent_decode, query_param};

/// Largest request body accepted; Descope's auth bodies are a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;
/// Largest management body: the batches (`CreateUsers` for a migration) carry thousands of
/// users.
const MAX_MANAGEMENT_BODY: usize = 1024 * 1024;
/// How long a client may take to send its headers, and then its body.
const READ_DEADLINE: Duration = Duration::from_secs(10);

/// A success: the JSON body and the `Set-Cookie` values to send with it.
struct Reply {
    body: Value,
    cookies: Vec<String>,
}

impl Reply {
    fn body(body: Value) -> Reply {
        Reply {
            body,
            cookies: Vec::new(),
        }
    }
}

/// Accepts connections until the task is aborted; aborting drops the `JoinSet`, which ends
/// every open connection too.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(connection(stream, peer.ip(), Arc::clone(&shared)));
                }
                // Out of file descriptors or a connection reset before accept: wait a little
                // rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn connection(stream: TcpStream, peer: IpAddr, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(handle(request, peer, &shared).await) }
    });
    // A failed connection (client gone, header deadline) concerns only that client.
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(READ_DEADLINE)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn handle(
    request: Request<Incoming>,
    peer: IpAddr,
    shared: &Arc<Shared>,
) -> Response<Full<Bytes>> {
    if let Err(error) = guard::check_host(request.headers(), request.uri(), &shared.config) {
        return error_response(&error);
    }
    let reads_only = matches!(*request.method(), Method::GET | Method::HEAD);
    let mut outcome = route(request, peer, shared).await;
    if !reads_only
        && shared.store.is_some()
        && let Err(error) = save(shared).await
        && outcome.is_ok()
    {
        outcome = Err(error);
    }
    match outcome {
        Ok(reply) => json_response(StatusCode::OK, &reply.body, None, &reply.cookies),
        Err(error) => error_response(&error),
    }
}

/// Writes the state file (if what it would hold changed) off the async workers; the call's
/// answer waits for it, so an answered change is on disk.
async fn save(shared: &Arc<Shared>) -> Result<(), ApiError> {
    let saving = Arc::clone(shared);
    match tokio::task::spawn_blocking(move || saving.save(false)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(ApiError::not_saved(error.to_string())),
        Err(_) => Err(ApiError::not_saved("the state file could not be written")),
    }
}

fn error_response(error: &ApiError) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    json_response(status, &error.body(), error.retry_after, &[])
}

fn json_response(
    status: StatusCode,
    body: &Value,
    retry_after: Option<u64>,
    cookies: &[String],
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(seconds) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    for cookie in cookies {
        // JWTs and the fixed attributes are header-safe; a value that is not is left out
        // rather than answered with a broken header.
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(SET_COOKIE, value);
        }
    }
    response
}

async fn route(
    request: Request<Incoming>,
    peer: IpAddr,
    shared: &Shared,
) -> Result<Reply, ApiError> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    // Without the admin API, `/emulator/…` paths fall through to the spec's routes: 404.
    if shared.config.admin_api && (path == "/emulator" || path.starts_with("/emulator/")) {
        if guard::is_change(&method) {
            guard::check_admin_change(&method, &path, request.headers(), &shared.config)?;
        }
        let body = match method {
            Method::POST => read_json(request, false, false, MAX_BODY, None).await?,
            Method::PUT | Method::PATCH => read_json(request, true, false, MAX_BODY, None).await?,
            _ => Value::Object(Map::new()),
        };
        let answer = admin::handle(shared, &method, &path, query.as_deref(), &body).await?;
        return Ok(Reply::body(answer));
    }
    let (route, parameters) = match shared.routes.find(&method, &path) {
        Found::Route(route, parameters) => (route, parameters),
        Found::WrongMethod(allowed) => {
            return Err(ApiError::method_not_allowed(method.as_str(), &allowed));
        }
        Found::Nothing => return Err(ApiError::no_such_path(method.as_str(), &path)),
    };
    let Some(behaviour) = route.behaviour else {
        return Err(ApiError::not_emulated(route.operation));
    };
    let action = match behaviour {
        Behaviour::Keys => return keys(shared, &path, &parameters, query.as_deref()),
        Behaviour::Session(action) => Some(action),
        Behaviour::Auth { .. } | Behaviour::Management(_) | Behaviour::AccessKeyExchange => None,
    };
    // Only the sign-in and session operations deliver tokens in cookies: management's and the
    // exchange's answers go to a backend, which reads them from the body.
    let cookie_tokens = matches!(behaviour, Behaviour::Auth { .. } | Behaviour::Session(_));
    let header = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    // A body under another type is refused once read, if it is not blank.
    let not_json = (!guard::declares_json(request.headers()))
        .then(|| ApiError::not_json_content(guard::content_type(request.headers())));
    shared.state().count_call()?;
    let lenient = action == Some(SessionAction::TryRefresh);
    // Refused before the body is read; checked again below under the lock that runs the call,
    // so that a logout landing while the body arrives is seen.
    authorize(
        &shared.state(),
        &shared.config,
        &shared.management_key,
        route,
        header.as_deref(),
        lenient,
    )?;
    let body = match &route.body {
        // No body in the spec (GET, validate): whatever came is not read.
        None => Value::Object(Map::new()),
        Some(spec) => {
            let limit = if route.operation.credential == Credential::ProjectIdAndManagementKey {
                MAX_MANAGEMENT_BODY
            } else {
                MAX_BODY
            };
            let body = read_json(request, spec.required, spec.array, limit, not_json).await?;
            shared.routes.validate(spec, &body)?;
            body
        }
    };
    let config = &shared.config;
    let mut state = shared.state();
    let bearer = authorize(
        &state,
        config,
        &shared.management_key,
        route,
        header.as_deref(),
        lenient,
    )?;
    let input = api::Input {
        body: &body,
        query: query.as_deref(),
    };
    let mut answer = api::call(&mut state, config, peer, behaviour, bearer, &input)?;
    let now = unix(state.now());
    drop(state);
    let cookies = match (config.token_delivery, action) {
        (TokenDelivery::Body, _) => Vec::new(),
        (TokenDelivery::Cookies, Some(SessionAction::Logout | SessionAction::LogoutAll)) => {
            tokens::deletion_cookies(&config.cookie_domain)
        }
        (TokenDelivery::Cookies, _) if cookie_tokens => {
            tokens::into_cookies(&mut answer, now, &config.cookie_domain)
        }
        (TokenDelivery::Cookies, _) => Vec::new(),
    };
    Ok(Reply {
        body: answer,
        cookies,
    })
}

/// `GET /v2/keys/{projectId}`: this project's JWKS, without authentication; another project's
/// is 404. `certs` must be a boolean when given; no certificate data is added (no source says
/// what it would be).
fn keys(
    shared: &Shared,
    path: &str,
    parameters: &[(&str, &str)],
    query: Option<&str>,
) -> Result<Reply, ApiError> {
    let project = parameters
        .iter()
        .find(|(name, _)| *name == "projectId")
        .map(|(_, value)| percent_decode(value));
    if project.as_deref() != Some(shared.config.project_id.as_str()) {
        return Err(ApiError::no_such_path("GET", path));
    }
    if let Some(certs) = query_param(query, "certs")
        && certs != "true"
        && certs != "false"
    {
        return Err(ApiError::invalid_request("certs: must be of type boolean"));
    }
    let state = shared.state();
    Ok(Reply::body(state.keys.jwks(state.now())))
}

/// Checks `Bearer <ProjectId>[:<JWT>]` against the operation's credential and returns what the
/// JWT proved. A third part (a management key) is ignored, as auth calls do not need it.
/// `lenient` (try-refresh) turns a refused refresh JWT into none.
fn authorize(
    state: &State,
    config: &EmulatorConfig,
    management_key: &str,
    route: &Route,
    header: Option<&str>,
    lenient: bool,
) -> Result<Bearer, ApiError> {
    let credential = route.operation.credential;
    if credential == Credential::None {
        return Ok(Bearer::Project);
    }
    let token = header
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::unauthorized("expected Authorization: Bearer <ProjectId>"))?;
    let mut parts = token.split(':');
    if parts.next().unwrap_or_default() != config.project_id {
        return Err(ApiError::unauthorized(
            "the project id is not this project's",
        ));
    }
    let jwt = parts.next().filter(|jwt| !jwt.is_empty());
    if credential == Credential::ProjectIdAndManagementKey {
        // Only the project's management key; a user's JWT in its place is refused like any
        // other wrong key. Compared in constant time: it is a secret.
        let given = jwt.unwrap_or_default().as_bytes();
        let expected = management_key.as_bytes();
        let same = given.len() == expected.len() && bool::from(given.ct_eq(expected));
        return if same && parts.next().is_none() {
            Ok(Bearer::Management)
        } else {
            Err(ApiError::unauthorized(
                "this call needs the project's management key: Bearer <ProjectId>:<ManagementKey>",
            ))
        };
    }
    match (credential, jwt) {
        (Credential::ProjectIdAndAccessKey, Some(key)) if parts.next().is_none() => {
            Ok(Bearer::AccessKey(tokens::GivenSecret(key.to_owned())))
        }
        (Credential::ProjectIdAndAccessKey, _) => Err(ApiError::unauthorized(
            "this call needs an access key: Bearer <ProjectId>:<AccessKey>",
        )),
        (Credential::ProjectIdAndRefreshJwt, None) => Err(ApiError::unauthorized(
            "this call needs the user's refresh JWT",
        )),
        (Credential::ProjectIdAndSessionJwt, None) => Err(ApiError::unauthorized(
            "this call needs the session JWT: Bearer <ProjectId>:<SessionJWT>",
        )),
        // Project-id operations do not look at a JWT, as the service's spec says.
        (Credential::None | Credential::ProjectId, _)
        | (Credential::ProjectIdOrRefreshJwt, None) => Ok(Bearer::Project),
        (Credential::ProjectIdAndManagementKey, _) => Err(ApiError::unauthorized(
            "this call needs the project's management key",
        )),
        (Credential::ProjectIdAndSessionJwt, Some(jwt)) => {
            tokens::check_session(state, config, jwt).map(Bearer::Session)
        }
        (Credential::ProjectIdOrRefreshJwt | Credential::ProjectIdAndRefreshJwt, Some(jwt)) => {
            match tokens::check_refresh(state, config, jwt) {
                Ok(presented) => Ok(Bearer::Refresh(presented)),
                Err(_) if lenient => Ok(Bearer::Project),
                Err(error) => Err(error),
            }
        }
    }
}

/// The body as a JSON object (or, when `array`, a JSON array: the operation's schema is one),
/// read within `limit` bytes (413 beyond) and the deadline. When the body is optional, an
/// absent or blank one stands for `{}` (Descope's Go SDK sends none). `not_json` is the refusal
/// (415) for a body that is not blank, when the request did not declare it JSON.
async fn read_json(
    request: Request<Incoming>,
    required: bool,
    array: bool,
    limit: usize,
    not_json: Option<ApiError>,
) -> Result<Value, ApiError> {
    let collect = Limited::new(request.into_body(), limit).collect();
    let bytes = match tokio::time::timeout(READ_DEADLINE, collect).await {
        Err(_) => return Err(ApiError::malformed("the body did not arrive in time")),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            return Err(ApiError::too_large(limit));
        }
        Ok(Err(_)) => return Err(ApiError::malformed("the body could not be read")),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let blank = bytes.iter().all(u8::is_ascii_whitespace);
    if let (false, Some(refusal)) = (blank, not_json) {
        return Err(refusal);
    }
    if !required && blank {
        return Ok(Value::Object(Map::new()));
    }
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|error| ApiError::malformed(format!("the body is not JSON: {error}")))?;
    match (&body, array) {
        (Value::Object(_), false) | (Value::Array(_), true) => {}
        (_, false) => return Err(ApiError::malformed("the body must be a JSON object")),
        (_, true) => return Err(ApiError::malformed("the body must be a JSON array")),
    }
    Ok(body)
}
