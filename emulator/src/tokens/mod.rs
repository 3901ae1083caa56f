//! What the JWTs say and how a presented one is judged: the claims of session and refresh JWTs,
//! their issue (refresh JWTs are registered by `jti`, which makes them revocable), the checks a
//! bearer JWT must pass, and the token fields of answers, in the body or in cookies.

pub mod jwt;
pub mod keys;

use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::setup::config::EmulatorConfig;
use crate::state::directory::Directory;
use crate::state::secret;
use crate::state::user::User;
use crate::state::{State, unix};

/// Who a token is for and what it carries beyond the user's current roles and tenants.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub user_id: String,
    /// How the user signed in (`amr`), such as `["email"]`.
    pub amr: Vec<String>,
    /// The selected tenant (`dct`), if any.
    pub dct: Option<String>,
    /// Claims added at sign-in (embedded links, test users' codes and links): kept in the
    /// refresh JWT, so every session JWT refreshed from it carries them too. They never
    /// replace the claims of [`RESERVED`].
    pub custom_claims: Map<String, Value>,
    /// An anonymous user's project roles (management's `Anonymous`): such a user is stored
    /// nowhere, so the roles travel in the refresh JWT. `None` for stored users, whose roles
    /// are read from them at each issue.
    pub anonymous_roles: Option<Vec<String>>,
}

/// The claims the emulator sets itself; a custom claim of one of these names is dropped.
pub const RESERVED: [&str; 12] = [
    "iss",
    "sub",
    "iat",
    "exp",
    "drn",
    "amr",
    "roles",
    "permissions",
    "tenants",
    "dct",
    "jti",
    "tu",
];

/// A valid, live refresh JWT that came with a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Presented {
    pub grant: Grant,
    pub jti: String,
    pub exp: i64,
}

/// What the call's `Authorization` header proved, beyond the project id.
#[derive(Debug, Clone, PartialEq)]
pub enum Bearer {
    /// The project id alone (or no header, where none is needed).
    Project,
    Refresh(Presented),
    /// The claims of a valid session JWT.
    Session(Value),
    /// The project's management key.
    Management,
    /// An access key's cleartext, as given (the exchange checks it).
    AccessKey(GivenSecret),
}

/// A secret a caller presented, such as an access key's cleartext; its `Debug` shows nothing.
#[derive(Clone, PartialEq)]
pub struct GivenSecret(pub String);

impl std::fmt::Debug for GivenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GivenSecret(<redacted>)")
    }
}

impl Bearer {
    pub fn user(&self) -> Option<&str> {
        match self {
            Bearer::Refresh(presented) => Some(&presented.grant.user_id),
            _ => None,
        }
    }
}

/// Newly signed tokens with their expiries (unix seconds).
pub struct Issued {
    pub session: String,
    pub session_exp: i64,
    pub refresh: Option<(String, i64)>,
}

/// Signs a session JWT and, when `with_refresh`, a refresh JWT (registered as live) for
/// `grant`. Roles, permissions and tenants are read from the user now, so a refresh picks up
/// changes made since sign-in.
pub fn issue(
    state: &mut State,
    config: &EmulatorConfig,
    grant: &Grant,
    with_refresh: bool,
) -> Result<Issued, ApiError> {
    issue_lasting(state, config, grant, with_refresh, None)
}

/// [`issue`], with the refresh JWT living `refresh_seconds` instead of
/// [`EmulatorConfig::refresh_ttl`] when given (management's `refreshDuration`); the session
/// JWT never outlives it.
pub fn issue_lasting(
    state: &mut State,
    config: &EmulatorConfig,
    grant: &Grant,
    with_refresh: bool,
    refresh_seconds: Option<i64>,
) -> Result<Issued, ApiError> {
    let now = unix(state.now());
    let refresh_exp =
        now.saturating_add(refresh_seconds.unwrap_or_else(|| seconds(config.refresh_ttl)));
    let mut session_exp = now.saturating_add(seconds(config.session_ttl));
    if refresh_seconds.is_some() {
        session_exp = session_exp.min(refresh_exp);
    }
    let session = sign(
        state,
        &claims(state, config, grant, jwt::SESSION, now, session_exp)?,
    )?;
    let refresh = if with_refresh {
        let exp = refresh_exp;
        let claims = claims(state, config, grant, jwt::REFRESH, now, exp)?;
        let token = sign(state, &claims)?;
        let jti = claims["jti"].as_str().unwrap_or_default().to_owned();
        state
            .refresh_tokens
            .insert(jti, grant.user_id.clone(), exp, now);
        Some((token, exp))
    } else {
        None
    };
    Ok(Issued {
        session,
        session_exp,
        refresh,
    })
}

pub(crate) fn seconds(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// Descope's claims: `iss` (the project id), `sub`, `iat`, `exp`, `drn`, `amr`, project-level
/// `roles` and `permissions` (always present, possibly empty; the permissions are those given
/// explicitly and those the user's project roles grant), `tenants` (only when the user has
/// some; each tenant's permissions likewise include its roles'), `dct` (only when a tenant is
/// selected), `tu: true` for test users, the grant's custom claims, and a unique `jti` (it
/// revokes refresh JWTs, and keeps two tokens issued in the same second apart).
fn claims(
    state: &State,
    config: &EmulatorConfig,
    grant: &Grant,
    drn: &str,
    iat: i64,
    exp: i64,
) -> Result<Value, ApiError> {
    // An anonymous user (management's `Anonymous`) is stored nowhere: no roles, no tenants.
    let anonymous;
    let user = match state.users.get(&grant.user_id) {
        Some(user) => user,
        None if is_anonymous(&grant.custom_claims) => {
            anonymous = User {
                id: grant.user_id.clone(),
                roles: grant.anonymous_roles.clone().unwrap_or_default(),
                ..User::default()
            };
            &anonymous
        }
        None => return Err(ApiError::user_not_found()),
    };
    let jti = new_jti()?;
    let mut claims: Map<String, Value> = grant
        .custom_claims
        .iter()
        .filter(|(name, _)| !RESERVED.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    let standard = json!({
        "iss": config.project_id,
        "sub": user.id,
        "iat": iat,
        "exp": exp,
        "drn": drn,
        "amr": grant.amr,
        "jti": jti,
    });
    if let Value::Object(standard) = standard {
        claims.extend(standard);
    }
    access_claims(&state.directory, user, &mut claims);
    if let Some(tenant) = &grant.dct {
        claims.insert("dct".into(), json!(tenant));
    }
    if user.test {
        claims.insert("tu".into(), json!(true));
    }
    Ok(Value::Object(claims))
}

/// Sets `roles` and `permissions` (project level, always present) and `tenants` (`{id: {roles,
/// permissions}}`, only when `holder` has tenants; removed otherwise) from `holder`'s current
/// roles as `directory` defines them. The holder is a user, or an access key seen as one.
pub(crate) fn access_claims(directory: &Directory, holder: &User, claims: &mut Map<String, Value>) {
    claims.insert("roles".into(), json!(holder.roles));
    claims.insert(
        "permissions".into(),
        json!(directory.project_permissions(holder)),
    );
    if holder.tenants.is_empty() {
        claims.remove("tenants");
    } else {
        let tenants: Map<String, Value> = holder
            .tenants
            .iter()
            .map(|m| {
                let permissions = directory.tenant_permissions(m);
                let roles = json!({"roles": m.roles, "permissions": permissions});
                (m.tenant_id.clone(), roles)
            })
            .collect();
        claims.insert("tenants".into(), Value::Object(tenants));
    }
}

/// `danu: true`, Descope's mark of an anonymous user's JWTs (docs.descope.com/anonymous-users).
pub const ANONYMOUS: &str = "danu";

/// Whether these claims are an anonymous user's.
pub fn is_anonymous(claims: &Map<String, Value>) -> bool {
    claims.get(ANONYMOUS) == Some(&Value::Bool(true))
}

/// A fresh `jti`.
pub(crate) fn new_jti() -> Result<String, ApiError> {
    secret::id().ok_or_else(|| ApiError::unavailable("the random source failed"))
}

/// Signs `claims` with the current key.
pub(crate) fn sign(state: &State, claims: &Value) -> Result<String, ApiError> {
    state
        .keys
        .current()
        .sign(claims)
        .ok_or_else(|| ApiError::unavailable("the signing key failed"))
}

/// The grant a refresh JWT carries, if it is one of this project's, signed by a live key and
/// not expired; refused with `E064001` when it was revoked, and with 403 `E062110` when its
/// user is disabled (enabling the user again makes it usable again).
pub fn check_refresh(
    state: &State,
    config: &EmulatorConfig,
    token: &str,
) -> Result<Presented, ApiError> {
    let refused = || ApiError::unauthorized("the refresh JWT is invalid or expired");
    let claims = valid_claims(state, config, token, jwt::REFRESH).ok_or_else(refused)?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let (Some(user_id), Some(jti)) = (text("sub"), text("jti")) else {
        return Err(refused());
    };
    if !state.refresh_tokens.is_live(&jti) {
        return Err(ApiError::revoked());
    }
    let anonymous = claims.get(ANONYMOUS) == Some(&Value::Bool(true));
    match state.users.get(&user_id) {
        None if anonymous => {}
        None => {
            return Err(ApiError::unauthorized(
                "the refresh JWT's user no longer exists",
            ));
        }
        Some(user) if user.is_disabled() => return Err(ApiError::user_disabled()),
        Some(_) => {}
    }
    let custom_claims = claims
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| !RESERVED.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    let strings = |name: &str| -> Vec<String> {
        claims
            .get(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let amr = strings("amr");
    Ok(Presented {
        grant: Grant {
            user_id,
            amr,
            dct: text("dct"),
            custom_claims,
            anonymous_roles: anonymous.then(|| strings("roles")),
        },
        jti,
        exp: claims
            .get("exp")
            .and_then(Value::as_i64)
            .unwrap_or_default(),
    })
}

/// The claims of a valid session JWT: signed by a live key, `drn` `DS`, this project's `iss`,
/// `exp` after the emulator's now.
pub fn check_session(
    state: &State,
    config: &EmulatorConfig,
    token: &str,
) -> Result<Value, ApiError> {
    valid_claims(state, config, token, jwt::SESSION)
        .ok_or_else(|| ApiError::unauthorized("the session JWT is invalid or expired"))
}

fn valid_claims(state: &State, config: &EmulatorConfig, token: &str, drn: &str) -> Option<Value> {
    let now = state.now();
    let claims = state.keys.verify(token, now)?;
    let valid = claims.get("drn").and_then(Value::as_str) == Some(drn)
        && claims.get("iss").and_then(Value::as_str) == Some(config.project_id.as_str())
        && claims
            .get("exp")
            .and_then(Value::as_i64)
            .is_some_and(|exp| exp > unix(now));
    valid.then_some(claims)
}

/// The token fields of a `JwtResponse`, as the service sends them whichever way the tokens
/// travel: the new session JWT and its expiry, the new refresh JWT if one was issued, and the
/// refresh cookie's domain (`cookie_domain`, empty when none is configured), path, lifetime and
/// expiry from `refresh_exp` (the refresh JWT in effect).
pub fn answer(
    issued: Issued,
    refresh_exp: i64,
    now: i64,
    cookie_domain: &str,
) -> Map<String, Value> {
    let mut answer = Map::new();
    answer.insert("sessionJwt".into(), json!(issued.session));
    if let Some((refresh, _)) = issued.refresh {
        answer.insert("refreshJwt".into(), json!(refresh));
    }
    let max_age = i32::try_from(refresh_exp.saturating_sub(now).max(0)).unwrap_or(i32::MAX);
    answer.insert("sessionExpiration".into(), json!(issued.session_exp));
    answer.insert("cookieExpiration".into(), json!(refresh_exp));
    answer.insert("cookieMaxAge".into(), json!(max_age));
    answer.insert("cookieDomain".into(), json!(cookie_domain));
    answer.insert("cookiePath".into(), json!("/"));
    answer.insert("cookieName".into(), json!("DSR"));
    answer.insert("sessionCookieName".into(), json!("DS"));
    answer
}

/// Sign-out's answer (the spec's `SignedOut`): every token field empty, the cookie lifetime
/// zero, so that a client mirroring it into cookies clears them.
pub fn signed_out() -> Value {
    json!({
        "sessionJwt": "",
        "refreshJwt": "",
        "cookieDomain": "",
        "cookiePath": "",
        "cookieMaxAge": 0,
        "cookieExpiration": 0,
    })
}

/// The attributes of both cookies, as Descope's Go SDK writes them by default, with
/// `Domain=<cookie_domain>` after the path when a domain is configured.
fn attributes(cookie_domain: &str) -> String {
    let domain = if cookie_domain.is_empty() {
        String::new()
    } else {
        format!("; Domain={cookie_domain}")
    };
    format!("Path=/{domain}; HttpOnly; Secure; SameSite=Strict")
}

/// Moves non-empty `sessionJwt` and `refreshJwt` out of `body` into `DS` and `DSR` cookies,
/// each living until its expiry (`sessionExpiration`, `cookieExpiration`); the body keeps the
/// cookie fields (`cookieDomain`, `cookiePath`, `cookieMaxAge`, `cookieExpiration`,
/// `sessionExpiration`).
pub fn into_cookies(body: &mut Value, now: i64, cookie_domain: &str) -> Vec<String> {
    let attributes = attributes(cookie_domain);
    let Some(fields) = body.as_object_mut() else {
        return Vec::new();
    };
    let mut cookies = Vec::new();
    for (field, name, expiry) in [
        ("sessionJwt", "DS", "sessionExpiration"),
        ("refreshJwt", "DSR", "cookieExpiration"),
    ] {
        let token = match fields.remove(field) {
            Some(Value::String(token)) if !token.is_empty() => token,
            _ => continue,
        };
        let exp = fields.get(expiry).and_then(Value::as_i64).unwrap_or(now);
        let max_age = exp.saturating_sub(now).max(0);
        cookies.push(format!("{name}={token}; {attributes}; Max-Age={max_age}"));
    }
    cookies
}

/// Cookies that delete `DS` and `DSR`: empty values, `Max-Age=0`, and the domain they were
/// set with (a browser keeps a cookie whose deletion names another domain).
pub fn deletion_cookies(cookie_domain: &str) -> Vec<String> {
    let attributes = attributes(cookie_domain);
    ["DS", "DSR"]
        .iter()
        .map(|name| format!("{name}=; {attributes}; Max-Age=0"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_carry_the_tokens_and_their_lifetimes() {
        let mut body = json!({
            "sessionJwt": "s.s.s",
            "refreshJwt": "r.r.r",
            "sessionExpiration": 1_600,
            "cookieExpiration": 11_000,
            "user": {},
        });
        let cookies = into_cookies(&mut body, 1_000, "");
        assert_eq!(
            cookies,
            [
                "DS=s.s.s; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=600",
                "DSR=r.r.r; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=10000",
            ]
        );
        assert!(body.get("sessionJwt").is_none() && body.get("refreshJwt").is_none());
        assert!(into_cookies(&mut signed_out(), 0, "").is_empty());
        assert!(
            deletion_cookies("")
                .iter()
                .all(|c| c.ends_with("Max-Age=0"))
        );
    }

    #[test]
    fn a_cookie_domain_goes_after_the_path_of_every_cookie() {
        let mut body = json!({"sessionJwt": "s.s.s", "sessionExpiration": 1_600});
        assert_eq!(
            into_cookies(&mut body, 1_000, "example.test"),
            [
                "DS=s.s.s; Path=/; Domain=example.test; HttpOnly; Secure; SameSite=Strict; Max-Age=600"
            ]
        );
        assert!(
            deletion_cookies("example.test")
                .iter()
                .all(|c| c.contains("; Domain=example.test;") && c.ends_with("Max-Age=0"))
        );
    }
}
