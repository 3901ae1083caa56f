//! Protecting an axum (or any tower) service: [`SessionLayer`] validates each request's session
//! (and, when it has expired, refreshes it from the `DSR` cookie, setting the new cookies on the
//! response); handlers take the [`Session`] (or `Option<Session>`) as an extractor; [`require`]
//! guards a route by role or permission.
//!
//! Answers tell the token's faults from the server's, so that a frontend signs its user out only
//! when the session is really over:
//! - no credentials at all: `401` with a bare `WWW-Authenticate: Bearer` (RFC 6750 §3.1: a
//!   request without authentication gets no error code);
//! - a session that is invalid, expired beyond refresh, forged or for another project: `401`
//!   with `WWW-Authenticate: Bearer error="invalid_token"`;
//! - a session that cannot be checked now (the project's keys are unavailable, the client is
//!   misconfigured, or Descope did not answer a refresh): `503` with `Retry-After`
//!   ([`RETRY_AFTER_SECONDS`]), logged at warn level, since the user's session may be fine;
//! - a failed role or permission check: `403` with `error="insufficient_scope"`;
//! - a [`Session`] extractor or [`require`] guard on a route no [`SessionLayer`] covers: `500`,
//!   logged at error level, since that is a bug in the application's routing.
//!
//! Machine clients authenticate with an access key as `Authorization: Bearer <access key>`; a
//! layer accepts them with [`SessionLayer::accept`] ([`Accept::AccessKeys`], or
//! [`Accept::UsersAndAccessKeys`] for both), exchanging each key at Descope once and remembering
//! the session until it expires ([`Client::validate_access_key`]). Handlers tell which it was
//! with [`Session::kind`](super::Session::kind).
//!
//! Bodies are empty and no reason is sent to the caller (the reason is logged, at debug level
//! for the token's faults, without the token).
//!
//! Handlers that call Descope themselves can end in `?`: [`Error`](crate::Error) and
//! [`SessionError`] implement axum's `IntoResponse` with the same statuses (a 4xx from Descope
//! passes through with its `errorCode`; an outage is 502, or 504 on a timeout; a call refused
//! before sending is 400; a refused management key is 500).
//!
//! ```no_run
//! use axum::{Router, routing::get};
//! use descope_client::Session;
//! use descope_client::session::middleware::{SessionLayer, require};
//!
//! async fn me(session: Session) -> String {
//!     format!("hello {}", session.user_id())
//! }
//!
//! async fn admin(session: Session) -> String {
//!     format!("admin {}", session.user_id())
//! }
//!
//! # fn app(client: descope_client::Client) -> Router {
//! Router::new()
//!     .route("/admin", get(admin).layer(require::roles(&["admin"])))
//!     .route("/me", get(me))
//!     .layer(SessionLayer::new(client))
//! # }
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum_core::extract::{FromRequestParts, OptionalFromRequestParts};
use http::header::{HeaderValue, RETRY_AFTER, SET_COOKIE, WWW_AUTHENTICATE};
use http::request::Parts;
use http::{Request, Response, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use super::cookies::CookieOptions;
use super::{CheckedSession, Session, SessionError, extract};
use crate::Client;

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// The `Retry-After` of a `503` for a session that cannot be checked now: a little more than the
/// first wait before the keys are fetched again.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// What a [`SessionLayer`] left in a request it let through without a [`Session`], so that an
/// extractor can tell "no layer" (a routing bug) from "no session".
#[derive(Clone, Copy, Debug)]
enum Checked {
    /// The request carried no token at all.
    NoCredentials,
    /// Its token was refused, or could not be checked.
    Refused,
}

/// Validates every request's session before the inner service sees it.
#[derive(Clone, Debug)]
pub struct SessionLayer {
    settings: Arc<Settings>,
}

#[derive(Clone, Debug)]
struct Settings {
    client: Client,
    cookies: CookieOptions,
    refresh: bool,
    required: bool,
    accept: Accept,
}

/// Which credentials a [`SessionLayer`] accepts, and so which [`kind`](super::SessionKind) of
/// [`Session`] its handlers see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Accept {
    /// Signed-in users' session JWTs, from `Authorization: Bearer` or the session cookie, and
    /// refreshed from the refresh cookie. The default.
    #[default]
    Users,
    /// Machine clients' access keys, from `Authorization: Bearer` only; cookies are not read.
    AccessKeys,
    /// Either: a bearer token made of three dot-separated parts is a user's session JWT, any
    /// other bearer token an access key; without a bearer, the session cookie.
    UsersAndAccessKeys,
}

impl Accept {
    /// The access key among the request's headers, if this choice takes one: `Some("")` when
    /// only an access key is accepted and none came (refused as missing).
    fn access_key(self, headers: &http::HeaderMap) -> Option<&str> {
        let bearer = extract::bearer_token(headers);
        match self {
            Accept::Users => None,
            Accept::AccessKeys => Some(bearer.unwrap_or_default()),
            Accept::UsersAndAccessKeys => bearer.filter(|token| token.split('.').count() != 3),
        }
    }
}

impl SessionLayer {
    /// Requests need a valid session (else `401`); an expired one is refreshed from the refresh
    /// cookie, and the new cookies are set on the response.
    pub fn new(client: Client) -> Self {
        SessionLayer {
            settings: Arc::new(Settings {
                client,
                cookies: CookieOptions::default(),
                refresh: true,
                required: true,
                accept: Accept::Users,
            }),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Settings)) -> Self {
        change(Arc::make_mut(&mut self.settings));
        self
    }

    /// Lets requests without a valid session through, without a [`Session`]: handlers then take
    /// `Option<Session>`. A session that cannot be checked now (a server fault) also goes on
    /// without one, after a warning in the log, so a public page stays up during an outage.
    pub fn optional(self) -> Self {
        self.with(|settings| settings.required = false)
    }

    /// Whether to refresh an expired or missing session from the refresh cookie (on by default).
    pub fn refresh(self, refresh: bool) -> Self {
        self.with(|settings| settings.refresh = refresh)
    }

    /// Which credentials are accepted: users' sessions (the default), machine clients' access
    /// keys, or both.
    ///
    /// ```no_run
    /// use axum::{Router, routing::get};
    /// use descope_client::{Session, SessionKind};
    /// use descope_client::session::middleware::{Accept, SessionLayer};
    ///
    /// async fn report(session: Session) -> String {
    ///     match session.kind() {
    ///         SessionKind::AccessKey => format!("machine client {}", session.user_id()),
    ///         _ => format!("user {}", session.user_id()),
    ///     }
    /// }
    ///
    /// # fn app(client: descope_client::Client) -> Router {
    /// Router::new()
    ///     .route("/report", get(report))
    ///     .layer(SessionLayer::new(client).accept(Accept::UsersAndAccessKeys))
    /// # }
    /// ```
    pub fn accept(self, accept: Accept) -> Self {
        self.with(|settings| settings.accept = accept)
    }

    /// Cookie names (read and written) and attributes.
    pub fn cookies(self, cookies: CookieOptions) -> Self {
        self.with(|settings| settings.cookies = cookies)
    }
}

impl<S> Layer<S> for SessionLayer {
    type Service = SessionService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SessionService {
            inner,
            settings: Arc::clone(&self.settings),
        }
    }
}

/// The service [`SessionLayer`] makes.
#[derive(Clone, Debug)]
pub struct SessionService<S> {
    inner: S,
    settings: Arc<Settings>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for SessionService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    ReqBody: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let mut inner = take_ready(&mut self.inner);
        let settings = Arc::clone(&self.settings);
        Box::pin(async move {
            let headers = request.headers();
            let checked = match settings.accept.access_key(headers).map(str::to_owned) {
                Some(access_key) => settings
                    .client
                    .validate_access_key(access_key)
                    .await
                    .map(CheckedSession::Valid),
                None => {
                    let session_jwt =
                        extract::session_token(headers, &settings.cookies).map(str::to_owned);
                    let refresh_jwt = settings
                        .refresh
                        .then(|| extract::refresh_token(headers, &settings.cookies))
                        .flatten()
                        .map(str::to_owned);
                    settings
                        .client
                        .validate_and_refresh_session(
                            session_jwt.as_deref(),
                            refresh_jwt.as_deref(),
                        )
                        .await
                }
            };
            match checked {
                Ok(checked) => {
                    let cookies = checked
                        .refreshed()
                        .map(|refreshed| settings.cookies.refreshed(refreshed))
                        .unwrap_or_default();
                    request.extensions_mut().insert(checked.into_session());
                    let mut response = inner.call(request).await?;
                    for cookie in cookies {
                        response.headers_mut().append(SET_COOKIE, cookie);
                    }
                    Ok(response)
                }
                Err(error) => {
                    let no_credentials = matches!(error, SessionError::Missing);
                    let server_fault = error.is_server_fault();
                    if server_fault {
                        tracing::warn!(reason = %error, "the request's session cannot be checked now");
                    } else {
                        tracing::debug!(reason = %error, "request without a valid session");
                    }
                    if !settings.required {
                        let checked = if no_credentials {
                            Checked::NoCredentials
                        } else {
                            Checked::Refused
                        };
                        request.extensions_mut().insert(checked);
                        return inner.call(request).await;
                    }
                    Ok(if server_fault {
                        unavailable()
                    } else if no_credentials {
                        refusal(StatusCode::UNAUTHORIZED, Challenge::Bare)
                    } else {
                        refusal(StatusCode::UNAUTHORIZED, Challenge::InvalidToken)
                    })
                }
            }
        })
    }
}

/// The inner service that was polled ready, to serve this request from a future; a fresh clone
/// takes its place (tower's rule: the ready one must be the one called).
fn take_ready<S: Clone>(inner: &mut S) -> S {
    let clone = inner.clone();
    std::mem::replace(inner, clone)
}

/// The RFC 6750 challenges sent.
#[derive(Clone, Copy, Debug)]
enum Challenge {
    /// No credentials came: the scheme alone.
    Bare,
    InvalidToken,
    InsufficientScope,
}

/// An empty response with an RFC 6750 challenge.
fn refusal<B: Default>(status: StatusCode, challenge: Challenge) -> Response<B> {
    let mut response = empty(status);
    let challenge = match challenge {
        Challenge::Bare => "Bearer",
        Challenge::InvalidToken => r#"Bearer error="invalid_token""#,
        Challenge::InsufficientScope => r#"Bearer error="insufficient_scope""#,
    };
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    response
}

/// `503` with `Retry-After`: the session could not be checked now.
fn unavailable<B: Default>() -> Response<B> {
    let mut response = empty(StatusCode::SERVICE_UNAVAILABLE);
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    response
}

fn empty<B: Default>(status: StatusCode) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = status;
    response
}

/// The answer for a request that reached a [`Session`] extractor or a [`require`] guard without a
/// session: what its [`SessionLayer`] found, or, with no layer in front, a `500` (logged at error
/// level).
fn missing_session<B: Default>(extensions: &http::Extensions) -> Response<B> {
    match extensions.get::<Checked>() {
        Some(Checked::NoCredentials) => refusal(StatusCode::UNAUTHORIZED, Challenge::Bare),
        Some(Checked::Refused) => refusal(StatusCode::UNAUTHORIZED, Challenge::InvalidToken),
        None => {
            tracing::error!(
                "a Session extractor or require guard runs on a route no SessionLayer covers; \
                 add the layer (SessionLayer::new(client)) around the route"
            );
            empty(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// What a handler gets when it asks for a [`Session`] the request does not have: `401` when an
/// optional [`SessionLayer`] found none (with a bare challenge if no token came), `500` when no
/// layer covers the route.
#[derive(Debug)]
pub struct NoSession {
    answer: Response<()>,
}

impl NoSession {
    /// The status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        self.answer.status()
    }
}

impl axum_core::response::IntoResponse for NoSession {
    fn into_response(self) -> axum_core::response::Response {
        let (parts, ()) = self.answer.into_parts();
        axum_core::response::Response::from_parts(parts, axum_core::body::Body::empty())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = NoSession;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Session>() {
            Some(session) => Ok(session.clone()),
            None => Err(NoSession {
                answer: missing_session(&parts.extensions),
            }),
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Session {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Session>().cloned())
    }
}

/// Guards that let a request through only when its session passes a check; put them inside a
/// [`SessionLayer`]. A request without a session is `401`, one whose session fails is `403`.
pub mod require {
    use super::*;

    /// Layer for a check on the [`Session`].
    #[derive(Clone)]
    pub struct RequireLayer {
        check: Arc<dyn Fn(&Session) -> bool + Send + Sync>,
    }

    impl std::fmt::Debug for RequireLayer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("RequireLayer").finish_non_exhaustive()
        }
    }

    /// Any check of your own.
    pub fn session(check: impl Fn(&Session) -> bool + Send + Sync + 'static) -> RequireLayer {
        RequireLayer {
            check: Arc::new(check),
        }
    }

    fn owned(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    fn borrowed(items: &[String]) -> Vec<&str> {
        items.iter().map(String::as_str).collect()
    }

    /// Every one of `roles` at project level.
    pub fn roles(roles: &[&str]) -> RequireLayer {
        let roles = owned(roles);
        session(move |s| s.has_roles(&borrowed(&roles)))
    }

    /// Every one of `permissions` at project level.
    pub fn permissions(permissions: &[&str]) -> RequireLayer {
        let permissions = owned(permissions);
        session(move |s| s.has_permissions(&borrowed(&permissions)))
    }

    /// Membership of `tenant` with every one of `roles` there.
    pub fn tenant_roles(tenant: &str, roles: &[&str]) -> RequireLayer {
        let (tenant, roles) = (tenant.to_owned(), owned(roles));
        session(move |s| s.has_tenant_roles(&tenant, &borrowed(&roles)))
    }

    /// Membership of `tenant` with every one of `permissions` there.
    pub fn tenant_permissions(tenant: &str, permissions: &[&str]) -> RequireLayer {
        let (tenant, permissions) = (tenant.to_owned(), owned(permissions));
        session(move |s| s.has_tenant_permissions(&tenant, &borrowed(&permissions)))
    }

    impl<S> Layer<S> for RequireLayer {
        type Service = RequireService<S>;

        fn layer(&self, inner: S) -> Self::Service {
            RequireService {
                inner,
                check: Arc::clone(&self.check),
            }
        }
    }

    /// The service [`RequireLayer`] makes.
    #[derive(Clone)]
    pub struct RequireService<S> {
        inner: S,
        check: Arc<dyn Fn(&Session) -> bool + Send + Sync>,
    }

    impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RequireService<S>
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
        S::Future: Send,
        ReqBody: Send + 'static,
        ResBody: Default + Send + 'static,
    {
        type Response = Response<ResBody>;
        type Error = S::Error;
        type Future = BoxFuture<Self::Response, Self::Error>;

        fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            self.inner.poll_ready(cx)
        }

        fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
            let verdict = match request.extensions().get::<Session>() {
                None => Some(missing_session(request.extensions())),
                Some(session) if !(self.check)(session) => {
                    tracing::debug!(user = session.user_id(), "session lacks a required grant");
                    Some(refusal(StatusCode::FORBIDDEN, Challenge::InsufficientScope))
                }
                Some(_) => None,
            };
            match verdict {
                Some(refused) => Box::pin(async move { Ok(refused) }),
                None => {
                    let mut inner = take_ready(&mut self.inner);
                    Box::pin(async move { inner.call(request).await })
                }
            }
        }
    }
}
