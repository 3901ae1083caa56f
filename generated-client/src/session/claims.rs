//! The claims of a verified session JWT: checked (time, issuer, audience, token kind, types) and
//! turned into a [`Session`], with the authorization questions applications ask of it.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::config::SessionConfig;
use super::error::{Drn, SessionError};
use crate::SessionJwt;

/// A validated session: who the user is and what they may do.
///
/// Roles and permissions come in two scopes: the project's (top-level `roles`, `permissions`)
/// and each tenant's (`tenants: {<id>: {roles, permissions}}`). `dct` names the tenant the
/// session currently acts in (set by tenant selection).
///
/// Its `Debug` shows the user, expiry, roles, permissions and tenants, never the token. Cloning
/// it is cheap (the claims are shared).
#[derive(Clone)]
pub struct Session(Arc<Claims>);

/// What a session holds, read once from its claims.
#[derive(Clone)]
struct Claims {
    kind: SessionKind,
    token: SessionJwt,
    user_id: String,
    expires_at: i64,
    not_before: Option<i64>,
    issued_at: Option<i64>,
    amr: Vec<String>,
    roles: Vec<String>,
    permissions: Vec<String>,
    tenants: Option<BTreeMap<String, TenantAccess>>,
    selected_tenant: Option<String>,
    claims: Map<String, Value>,
}

/// Who a [`Session`] is for: how it was validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionKind {
    /// A signed-in user's session JWT
    /// ([`Client::validate_session`](crate::Client::validate_session)).
    User,
    /// A machine client's access key, exchanged at Descope for a session JWT that was validated
    /// the same way ([`Client::validate_access_key`](crate::Client::validate_access_key)); its
    /// [`user_id`](Session::user_id) is the access key's id.
    AccessKey,
}

/// A user's roles and permissions in one tenant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TenantAccess {
    /// The user's roles in the tenant.
    pub roles: Vec<String>,
    /// The user's permissions in the tenant.
    pub permissions: Vec<String>,
}

/// Checks the claims of a token whose signature held, at `now` (unix seconds).
pub(crate) fn check(
    claims: Map<String, Value>,
    token: &str,
    config: &SessionConfig,
    project_id: &str,
    now: i64,
    required_drn: &'static str,
) -> Result<Session, SessionError> {
    let expires_at = time(&claims, "exp")?.ok_or(SessionError::Claim {
        claim: "exp",
        problem: "is missing; a session must expire",
    })?;
    let not_before = time(&claims, "nbf")?;
    let issued_at = time(&claims, "iat")?;
    check_times(expires_at, not_before, config, now)?;
    // A token issued in the future was made by a clock that cannot be trusted (or for a later
    // moment than this one): refused, beyond the leeway, as jose and PyJWT refuse it.
    let leeway = i64::try_from(config.leeway.as_secs()).unwrap_or(i64::MAX);
    if let Some(issued_at) = issued_at
        && issued_at > now.saturating_add(leeway)
    {
        return Err(SessionError::IssuedInTheFuture { issued_at });
    }
    let issuer = text(&claims, "iss")?.ok_or(SessionError::Claim {
        claim: "iss",
        problem: "is missing",
    })?;
    if !issued_by(issuer, project_id) {
        return Err(SessionError::WrongIssuer(issuer.to_owned()));
    }
    if let Some(audience) = &config.audience {
        let listed = match claims.get("aud") {
            Some(Value::String(single)) => single == audience,
            Some(Value::Array(many)) => many.iter().any(|a| a.as_str() == Some(audience)),
            _ => false,
        };
        if !listed {
            return Err(SessionError::WrongAudience(audience.clone()));
        }
    }
    if config.require_session_token {
        match claims.get("drn") {
            Some(Value::String(drn)) if drn == required_drn => {}
            Some(Value::String(other)) => {
                return Err(SessionError::WrongTokenKind {
                    expected: required_drn,
                    found: Drn::Value(other.clone()),
                });
            }
            Some(_) => {
                return Err(SessionError::Claim {
                    claim: "drn",
                    problem: "is not a string",
                });
            }
            None => {
                return Err(SessionError::WrongTokenKind {
                    expected: required_drn,
                    found: Drn::Absent,
                });
            }
        }
    }
    // `dsub` names the user when the token acts for another subject, as the SDKs read it.
    let user_id = match text(&claims, "dsub")? {
        Some(dsub) if !dsub.is_empty() => dsub,
        _ => text(&claims, "sub")?
            .filter(|sub| !sub.is_empty())
            .ok_or(SessionError::Claim {
                claim: "sub",
                problem: "is missing; a session names its user",
            })?,
    }
    .to_owned();
    let tenants = match claims.get("tenants") {
        None | Some(Value::Null) => None,
        Some(Value::Object(tenants)) => Some(
            tenants
                .iter()
                .map(|(id, access)| Ok((id.clone(), tenant_access(access)?)))
                .collect::<Result<BTreeMap<_, _>, SessionError>>()?,
        ),
        Some(_) => {
            return Err(SessionError::Claim {
                claim: "tenants",
                problem: "is not an object of tenant ids",
            });
        }
    };
    Ok(Session(Arc::new(Claims {
        kind: SessionKind::User,
        token: SessionJwt::new(token),
        user_id,
        expires_at,
        not_before,
        issued_at,
        amr: strings(claims.get("amr"), "amr")?,
        roles: strings(claims.get("roles"), "roles")?,
        permissions: strings(claims.get("permissions"), "permissions")?,
        tenants,
        selected_tenant: text(&claims, "dct")?.map(str::to_owned),
        claims,
    })))
}

/// `exp` not past and `nbf` not ahead, each beyond the leeway.
fn check_times(
    expires_at: i64,
    not_before: Option<i64>,
    config: &SessionConfig,
    now: i64,
) -> Result<(), SessionError> {
    let leeway = i64::try_from(config.leeway.as_secs()).unwrap_or(i64::MAX);
    if now > expires_at.saturating_add(leeway) {
        return Err(SessionError::Expired {
            expired_at: expires_at,
        });
    }
    match not_before {
        Some(not_before) if now.saturating_add(leeway) < not_before => {
            Err(SessionError::NotYetValid { not_before })
        }
        _ => Ok(()),
    }
}

/// `iss` is the project id, or a URL whose path ends in it (`https://api.descope.com/<id>`), as
/// Descope's Node SDK accepts. A URL with a query or fragment is refused.
fn issued_by(issuer: &str, project_id: &str) -> bool {
    if issuer == project_id {
        return true;
    }
    let Some(rest) = issuer
        .strip_prefix("https://")
        .or_else(|| issuer.strip_prefix("http://"))
    else {
        return false;
    };
    let Some((_host, path)) = rest.split_once('/') else {
        return false;
    };
    !path.contains(['?', '#']) && path.trim_end_matches('/').rsplit('/').next() == Some(project_id)
}

fn text<'c>(
    claims: &'c Map<String, Value>,
    name: &'static str,
) -> Result<Option<&'c str>, SessionError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(SessionError::Claim {
            claim: name,
            problem: "is not a string",
        }),
    }
}

/// A NumericDate claim, in whole seconds.
fn time(claims: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, SessionError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => number
            .as_i64()
            .or_else(|| {
                number
                    .as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.floor() as i64)
            })
            .map(Some)
            .ok_or(SessionError::Claim {
                claim: name,
                problem: "is not a time in seconds",
            }),
        Some(_) => Err(SessionError::Claim {
            claim: name,
            problem: "is not a number",
        }),
    }
}

fn strings(value: Option<&Value>, name: &'static str) -> Result<Vec<String>, SessionError> {
    let wrong = || SessionError::Claim {
        claim: name,
        problem: "is not a list of strings",
    };
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect(),
        Some(_) => Err(wrong()),
    }
}

fn tenant_access(value: &Value) -> Result<TenantAccess, SessionError> {
    let Value::Object(access) = value else {
        return Err(SessionError::Claim {
            claim: "tenants",
            problem: "holds a tenant that is not an object",
        });
    };
    Ok(TenantAccess {
        roles: strings(access.get("roles"), "tenants")?,
        permissions: strings(access.get("permissions"), "tenants")?,
    })
}

impl Session {
    /// Checks the times again: a session read earlier (and cached) may have expired since.
    pub(crate) fn check_times(&self, config: &SessionConfig, now: i64) -> Result<(), SessionError> {
        check_times(self.0.expires_at, self.0.not_before, config, now)
    }

    /// The same session, said to be of `kind` (a cold path: the claims are copied when shared).
    pub(crate) fn into_kind(self, kind: SessionKind) -> Session {
        let mut claims = Arc::unwrap_or_clone(self.0);
        claims.kind = kind;
        Session(Arc::new(claims))
    }

    /// Whether this is a user's session or a machine client's (an access key's).
    pub fn kind(&self) -> SessionKind {
        self.0.kind
    }

    /// The user's id: `dsub` when present, else `sub`.
    pub fn user_id(&self) -> &str {
        &self.0.user_id
    }

    /// The session JWT itself, for passing on (its `Debug` is redacted).
    pub fn token(&self) -> &SessionJwt {
        &self.0.token
    }

    /// When the session JWT expires (`exp`).
    pub fn expires_at(&self) -> SystemTime {
        unix_time(self.0.expires_at)
    }

    /// When the session JWT was issued (`iat`), if it says.
    pub fn issued_at(&self) -> Option<SystemTime> {
        self.0.issued_at.map(unix_time)
    }

    /// How the user authenticated (`amr`), such as `email`, `sms`, `oauth`, `webauthn`.
    pub fn authentication_methods(&self) -> &[String] {
        &self.0.amr
    }

    /// Whether the user authenticated with more than one method, as the Go SDK decides.
    pub fn is_mfa(&self) -> bool {
        self.0.amr.len() > 1
    }

    /// Project-level roles.
    pub fn roles(&self) -> &[String] {
        &self.0.roles
    }

    /// Project-level permissions.
    pub fn permissions(&self) -> &[String] {
        &self.0.permissions
    }

    /// The tenants the token lists, by id.
    pub fn tenants(&self) -> impl Iterator<Item = (&str, &TenantAccess)> {
        self.0
            .tenants
            .iter()
            .flatten()
            .map(|(id, access)| (id.as_str(), access))
    }

    /// The tenant the session acts in (`dct`), if one was selected.
    pub fn selected_tenant(&self) -> Option<&str> {
        self.0.selected_tenant.as_deref()
    }

    /// Any claim by name, custom claims included.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.0.claims.get(name)
    }

    /// Every claim of the token.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.0.claims
    }

    /// Whether the user has every one of `roles` at project level.
    pub fn has_roles(&self, roles: &[&str]) -> bool {
        all_granted(&self.0.roles, roles)
    }

    /// Whether the user has every one of `permissions` at project level.
    pub fn has_permissions(&self, permissions: &[&str]) -> bool {
        all_granted(&self.0.permissions, permissions)
    }

    /// Those of `roles` the user has at project level.
    pub fn matched_roles<'r>(&self, roles: &[&'r str]) -> Vec<&'r str> {
        matched(&self.0.roles, roles)
    }

    /// Those of `permissions` the user has at project level.
    pub fn matched_permissions<'p>(&self, permissions: &[&'p str]) -> Vec<&'p str> {
        matched(&self.0.permissions, permissions)
    }

    /// The user's roles and permissions in `tenant`, if they belong to it.
    ///
    /// A token without a `tenants` claim whose `dct` is `tenant` carries that tenant's roles and
    /// permissions at the top level (Descope writes the selected tenant's authorization there
    /// for projects configured so); the top-level ones are then the tenant's, as the Go SDK
    /// reads them. `dct` is set by Descope only for a tenant the user belongs to, so this grants
    /// nothing the token does not. A token that has a `tenants` claim is read only from it.
    pub fn tenant(&self, tenant: &str) -> Option<TenantAccess> {
        match &self.0.tenants {
            Some(tenants) => tenants.get(tenant).cloned(),
            None if self.0.selected_tenant.as_deref() == Some(tenant) => Some(TenantAccess {
                roles: self.0.roles.clone(),
                permissions: self.0.permissions.clone(),
            }),
            None => None,
        }
    }

    /// Whether the user belongs to `tenant` (see [`tenant`](Self::tenant)).
    pub fn is_in_tenant(&self, tenant: &str) -> bool {
        self.tenant(tenant).is_some()
    }

    /// Whether the user belongs to `tenant` and has every one of `roles` there.
    pub fn has_tenant_roles(&self, tenant: &str, roles: &[&str]) -> bool {
        self.tenant(tenant)
            .is_some_and(|access| all_granted(&access.roles, roles))
    }

    /// Whether the user belongs to `tenant` and has every one of `permissions` there.
    pub fn has_tenant_permissions(&self, tenant: &str, permissions: &[&str]) -> bool {
        self.tenant(tenant)
            .is_some_and(|access| all_granted(&access.permissions, permissions))
    }

    /// Those of `roles` the user has in `tenant` (none if not a member).
    pub fn matched_tenant_roles<'r>(&self, tenant: &str, roles: &[&'r str]) -> Vec<&'r str> {
        self.tenant(tenant)
            .map(|access| matched(&access.roles, roles))
            .unwrap_or_default()
    }

    /// Those of `permissions` the user has in `tenant` (none if not a member).
    pub fn matched_tenant_permissions<'p>(
        &self,
        tenant: &str,
        permissions: &[&'p str],
    ) -> Vec<&'p str> {
        self.tenant(tenant)
            .map(|access| matched(&access.permissions, permissions))
            .unwrap_or_default()
    }
}

fn all_granted(granted: &[String], asked: &[&str]) -> bool {
    asked.iter().all(|item| granted.iter().any(|g| g == item))
}

fn matched<'a>(granted: &[String], asked: &[&'a str]) -> Vec<&'a str> {
    asked
        .iter()
        .copied()
        .filter(|item| granted.iter().any(|g| g == item))
        .collect()
}

fn unix_time(seconds: i64) -> SystemTime {
    match u64::try_from(seconds) {
        Ok(after) => UNIX_EPOCH + Duration::from_secs(after),
        Err(_) => UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs()),
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("kind", &self.0.kind)
            .field("user_id", &self.0.user_id)
            .field("expires_at", &self.0.expires_at)
            .field("amr", &self.0.amr)
            .field("roles", &self.0.roles)
            .field("permissions", &self.0.permissions)
            .field("tenants", &self.0.tenants)
            .field("selected_tenant", &self.0.selected_tenant)
            .finish_non_exhaustive()
    }
}
