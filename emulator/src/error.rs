//! Descope's error answer: a status and the three-key JSON body every SDK reads.
//!
//! Which status each code comes with is not documented (facts §10); the choices are listed in
//! the crate docs and made here once, in the constructors, so that every handler agrees.

use serde_json::{Value, json};

/// An error answer: HTTP status, `errorCode`, `errorDescription`, `errorMessage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub description: &'static str,
    pub message: String,
    /// Seconds for `Retry-After` (429 only).
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: u16, code: &'static str, description: &'static str, message: String) -> Self {
        ApiError {
            status,
            code,
            description,
            message,
            retry_after: None,
        }
    }

    /// `E011001`, 400: the body is not JSON, or not an object.
    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(400, "E011001", "Request is malformed", message.into())
    }

    /// `E011002`, 400: a required field is missing.
    pub fn missing(message: impl Into<String>) -> Self {
        Self::new(400, "E011002", "Missing arguments", message.into())
    }

    /// `E011003`, 400: the body does not match the operation's schema.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(400, "E011003", "Request is invalid", message.into())
    }

    /// `E011004`, 400: well-formed but unusable values (an email without `@`, a user without a
    /// phone for an SMS).
    pub fn invalid_arguments(message: impl Into<String>) -> Self {
        Self::new(400, "E011004", "Invalid arguments", message.into())
    }

    /// `E011003`, 401: the bearer is missing, names another project, or its JWT is not valid
    /// (forged, expired, of another kind or project). No source names a code for this;
    /// `E011003` keeps it generic.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "E011003", "Unauthorized", message.into())
    }

    /// `E064001`, 401: the refresh JWT was revoked: by a logout, a logout of every session, a
    /// sign-in with `revokeOtherSessions`, or a rotation of refresh tokens. The code and
    /// description are Descope's (the spec's 401 example).
    pub fn revoked() -> Self {
        Self::new(
            401,
            "E064001",
            "Token expired by logout",
            "the refresh JWT was revoked; sign in again".into(),
        )
    }

    /// `E011003`, 403: the user is not a member of the tenant asked for. 403 rather than 400:
    /// the request is well-formed and the caller authenticated, but this user may not act in
    /// that tenant; a tenant that does not exist answers the same, so nothing is revealed.
    pub fn not_a_member(tenant: &str) -> Self {
        Self::new(
            403,
            "E011003",
            "Request is invalid",
            format!("the user is not a member of tenant {tenant:?}"),
        )
    }

    /// `E011003`, 403: the request is understood and its parties known, but what it asks is
    /// not allowed (an impersonator without the `Impersonate` permission, a user who has not
    /// consented). Descope documents no code; `E011003` keeps it generic, as for a tenant the
    /// user is not a member of.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "E011003", "Forbidden", message.into())
    }

    /// `E011003`, 403: an access key that authenticates, exchanged from an address outside
    /// its `permittedIps`. 403 as for a `Host` refused: the caller is known, the address may
    /// not use the key.
    pub fn address_refused(peer: std::net::IpAddr) -> Self {
        Self::new(
            403,
            "E011003",
            "Address not allowed",
            format!("the access key may not be used from {peer}: it is not among its permittedIps"),
        )
    }

    /// `E010000`, 503: the machine failed (the random source, the crypto library). A 5XX, which
    /// the spec declares, rather than a weak secret or a misleading 4XX.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(503, "E010000", "Service unavailable", message.into())
    }

    /// `E010000`, 500: a defect of the emulator itself (a request schema that does not
    /// compile), which a retry cannot mend: not 503, which the Python SDK retries.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "E010000", "Internal error", message.into())
    }

    /// `E061102`, 401: wrong, expired or never-sent code.
    pub fn wrong_code(message: impl Into<String>) -> Self {
        Self::new(401, "E061102", "Wrong OTP code", message.into())
    }

    /// `E061103`, 401: the code took too many wrong attempts and is burnt.
    pub fn too_many_attempts() -> Self {
        Self::new(
            401,
            "E061103",
            "Too many OTP attempts",
            "request a new code".into(),
        )
    }

    /// `E062107`, 400: sign-up (or a merge) with a login id that is taken.
    pub fn user_exists(login_id: &str) -> Self {
        Self::new(
            400,
            "E062107",
            "User already exists",
            format!("a user with login id {login_id:?} already exists"),
        )
    }

    /// `E062108`, 404: no user has this login id (the spec's 404 names this code).
    pub fn user_not_found() -> Self {
        Self::new(
            404,
            "E062108",
            "User not found",
            "no user has this login id".into(),
        )
    }

    /// `E062110`, 403: the user is disabled (`UpdateUserStatus`), so they can neither sign in
    /// (sign-in, sign-up-or-in, verify) nor use a refresh JWT. Descope documents no code for
    /// this; the emulator's is in the users' range beside `E062108`, and 403 says that the
    /// request was understood and the user is known but may not proceed.
    pub fn user_disabled() -> Self {
        Self::new(
            403,
            "E062110",
            "User disabled",
            "the user is disabled; enable them through management first".into(),
        )
    }

    /// `E011004`, 404: a tenant, role or permission that management names does not exist.
    /// Descope documents no code for these; the emulator answers `E011004` with the missing
    /// object in the message (`openapi/README.md`, §4.46).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "E011004", "Not found", message.into())
    }

    /// `E011004`, 400: a management change that conflicts with what exists (an id or name in
    /// use, a role or permission or tenant that a reference names and that does not exist,
    /// a user that is not a test user, the last login id).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(400, "E011004", "Invalid arguments", message.into())
    }

    /// `E130429`, 429 with `Retry-After`.
    pub fn rate_limited(retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..Self::new(429, "E130429", "Rate limit exceeded", String::new())
        }
    }

    /// 404 for a path that is no operation of the spec: the emulator does not serve it (it may
    /// well be one of Descope's).
    pub fn no_such_path(method: &str, path: &str) -> Self {
        Self::new(
            404,
            "E011001",
            "Request is malformed",
            format!(
                "not emulated: {method} {path} is none of the {} operations this emulator serves \
                 (the curated spec's)",
                crate::operations::OPERATIONS.len()
            ),
        )
    }

    /// 501 for an operation of the spec the emulator has no behaviour for yet (a test keeps
    /// this from happening; see `api`). Not 404, which would read as a wrong path, and not 503
    /// or 520–530, which the Python SDK retries.
    pub fn not_emulated(operation: &crate::operations::Operation) -> Self {
        Self::new(
            501,
            "E011001",
            "Not emulated",
            format!(
                "not emulated: {} ({} {}) is in the spec, but this emulator does not serve it yet",
                operation.operation_id, operation.http_method, operation.path
            ),
        )
    }

    /// 405 for a spec path called with a method the spec does not give it; names the ones it
    /// does.
    pub fn method_not_allowed(method: &str, allowed: &[&str]) -> Self {
        Self::new(
            405,
            "E011001",
            "Request is malformed",
            format!("{method} is not allowed here; use {}", allowed.join(" or ")),
        )
    }

    /// `E011003`, 403: the `Host` header names neither loopback nor an allowed host: a web page
    /// whose name resolves to 127.0.0.1 (DNS rebinding) or a name the emulator was not told
    /// of. The message names the host and how to allow it.
    pub fn host_refused(host: &str) -> Self {
        let name = match host.strip_prefix('[') {
            Some(rest) => rest
                .split_once(']')
                .map_or(host, |(inside, _)| &host[..inside.len() + 2]),
            None => host.split_once(':').map_or(host, |(name, _)| name),
        };
        let allow = if crate::setup::config::check_allowed_host(name).is_ok() {
            format!(
                "to reach it as {name:?} (a container's name, say), start it with \
                 --allowed-host {name} (EmulatorConfig::allowed_hosts)"
            )
        } else {
            "call it at http://127.0.0.1:<port>, or at a host name given with --allowed-host \
             NAME (EmulatorConfig::allowed_hosts)"
                .to_owned()
        };
        Self::new(
            403,
            "E011003",
            "Host not allowed",
            format!(
                "the Host {host:?} is refused: the emulator answers only requests for \
                 127.0.0.1, localhost or [::1] (any port) and the names it is given, so that no \
                 web page can reach it under a name of its own; {allow}"
            ),
        )
    }

    /// `E011003`, 403: a change to the admin API from a web page of another origin.
    pub fn origin_refused(origin: &str, method: &str, path: &str) -> Self {
        Self::new(
            403,
            "E011003",
            "Origin not allowed",
            format!(
                "{method} {path} from Origin {origin:?} is refused: the test-only API takes \
                 changes from scripts and tests (no Origin) or from pages on 127.0.0.1, \
                 localhost, [::1] or an --allowed-host name, never from other web pages"
            ),
        )
    }

    /// `E011001`, 415: a change to the admin API without `Content-Type: application/json`,
    /// which a web page could send without the browser asking the emulator first.
    pub fn admin_needs_json(method: &str, path: &str, content_type: Option<&str>) -> Self {
        let sent = content_type.map_or("no Content-Type".to_owned(), |v| format!("{v:?}"));
        Self::new(
            415,
            "E011001",
            "Unsupported media type",
            format!(
                "{method} {path} needs Content-Type: application/json, even without a body (it \
                 came with {sent}): a change a web page could send without it is refused"
            ),
        )
    }

    /// `E011001`, 415: an operation's body under a content type other than JSON.
    pub fn not_json_content(content_type: Option<&str>) -> Self {
        let sent =
            content_type.map_or("without a Content-Type".to_owned(), |v| format!("as {v:?}"));
        Self::new(
            415,
            "E011001",
            "Unsupported media type",
            format!("the body came {sent}; send it as Content-Type: application/json"),
        )
    }

    /// `E011001`, 413: the body is over the limit.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            413,
            "E011001",
            "Request is too large",
            format!("the body is larger than {limit} bytes"),
        )
    }

    /// `E010000`, 500: the call was made, but the state file could not be written (a full
    /// disk, a directory made read-only); the next change tries again.
    pub fn not_saved(message: impl Into<String>) -> Self {
        Self::new(500, "E010000", "State not saved", message.into())
    }

    /// The JSON body; `errorMessage` only when there is one, as Descope does.
    pub fn body(&self) -> Value {
        let mut body = json!({"errorCode": self.code, "errorDescription": self.description});
        if !self.message.is_empty() {
            body["errorMessage"] = Value::String(self.message.clone());
        }
        body
    }
}
