//! The test-only HTTP endpoints under `/emulator/` (unauthenticated, never rate-limited, and
//! absent with `admin_api: false`): each reads its query or body, calls `control`, and answers
//! JSON. The outbox, the clock, key rotation, users (seeding, roles, tenants, provider
//! tokens), tenants, roles and permissions (as management creates them), fixed codes, the rate
//! limit, the configuration and the reset.

pub mod control;

use std::collections::BTreeMap;
use std::time::Duration;

use hyper::Method;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::operations as op;
use crate::setup::config::{MAX_DURATION, RateLimit};
use crate::setup::seed::SeedUser;
use crate::state::user::{Membership, ProviderToken};
use crate::state::{ResetReport, Shared, State, unix};
use crate::tokens::keys::SigningKey;
use crate::url::query_param;

/// Every endpoint: its path, its methods, and what it does (for `--help`), in the order the
/// docs list them.
pub const ROUTES: [(&str, &[&str], &str); 15] = [
    (
        "/emulator/health",
        &["GET"],
        "GET: {\"status\": \"ready\", \"projectId\"}, once it listens (wait on it before the first call)",
    ),
    (
        "/emulator/outbox",
        &["GET", "DELETE"],
        "GET [?loginId=ID]: codes and links that would have been sent; DELETE: forget them",
    ),
    (
        "/emulator/reset",
        &["POST"],
        "POST: forget all state but the keys; re-seed --users, --fixed-code, --rate-limit",
    ),
    (
        "/emulator/clock",
        &["GET", "POST"],
        "GET: {offsetSeconds, now}; POST {\"seconds\": N}: move the clock forward",
    ),
    (
        "/emulator/keys/rotate",
        &["POST"],
        "POST: sign with a new key; the old one stays published for --retired-key-ttl",
    ),
    (
        "/emulator/users",
        &["GET", "POST"],
        "GET ?loginId=ID: a user as stored; POST {one users-file entry}: add a user",
    ),
    (
        "/emulator/users/roles",
        &["POST"],
        "POST {loginId, roles, permissions}: replace a user's project roles",
    ),
    (
        "/emulator/users/tenants",
        &["POST"],
        "POST {loginId, tenantId, tenantName?, roles, permissions}: add to a tenant",
    ),
    (
        "/emulator/users/provider-token",
        &["POST"],
        "POST {loginId, provider, accessToken, refreshToken?, expiration?, scopes?}: seed one",
    ),
    (
        "/emulator/tenants",
        &["POST"],
        "POST {a CreateTenant body}: define a tenant as management does; answers {id}",
    ),
    (
        "/emulator/roles",
        &["POST"],
        "POST {a CreateRole body}: define a role as management does; answers the role",
    ),
    (
        "/emulator/permissions",
        &["POST"],
        "POST {a CreatePermission body}: define a permission; answers the permission",
    ),
    (
        "/emulator/fixed-codes",
        &["GET", "PUT", "PATCH"],
        "GET; PUT {\"<loginId>\": \"123456\"}: replace all; PATCH: merge (null removes)",
    ),
    (
        "/emulator/rate-limit",
        &["GET", "PUT", "DELETE"],
        "GET; PUT {\"maxCalls\": N, \"windowSeconds\": S}: switch on; DELETE: switch off",
    ),
    (
        "/emulator/config",
        &["GET"],
        "GET: the configuration it started with (what a reset returns to)",
    ),
];

/// Answers one `/emulator/…` request; `body` is the parsed JSON body (`{}` when empty).
pub async fn handle(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &Value,
) -> Result<Value, ApiError> {
    let Some((_, allowed, _)) = ROUTES.iter().find(|(route, _, _)| *route == path) else {
        return Err(ApiError::no_such_path(method.as_str(), path));
    };
    if !allowed.contains(&method.as_str()) {
        return Err(ApiError::method_not_allowed(method.as_str(), allowed));
    }
    let config = &shared.config;
    match (method.as_str(), path) {
        ("GET", "/emulator/health") => {
            Ok(json!({"status": "ready", "projectId": config.project_id}))
        }
        ("GET", "/emulator/outbox") => {
            let login_id = query_param(query, "loginId");
            let state = shared.state();
            let messages = match login_id.as_deref() {
                Some(login_id) => state
                    .outbox
                    .for_login(login_id)
                    .map(|m| m.to_json())
                    .collect(),
                None => state.outbox.iter().map(|m| m.to_json()).collect(),
            };
            Ok(Value::Array(messages))
        }
        ("DELETE", "/emulator/outbox") => {
            shared.state().outbox.clear();
            Ok(Value::Array(Vec::new()))
        }
        ("POST", "/emulator/reset") => {
            let report = control::reset(&mut shared.state(), config)?;
            Ok(reset_json(&report))
        }
        ("POST", "/emulator/clock") => {
            let seconds = body
                .get("seconds")
                .ok_or_else(|| ApiError::missing("seconds is required"))?
                .as_u64()
                .ok_or_else(|| {
                    ApiError::invalid_request("/seconds: must be a non-negative integer")
                })?;
            let mut state = shared.state();
            let by = Duration::from_secs(seconds);
            if state.clock_offset.saturating_add(by) > MAX_DURATION {
                return Err(ApiError::invalid_request(format!(
                    "/seconds: the clock moves at most {} seconds ahead in all",
                    MAX_DURATION.as_secs()
                )));
            }
            control::advance_clock(&mut state, by);
            Ok(clock(&state))
        }
        ("GET", "/emulator/clock") => Ok(clock(&shared.state())),
        ("POST", "/emulator/keys/rotate") => {
            // RSA key generation takes tens of milliseconds: off the async workers and the lock.
            let algorithm = config.signing_algorithm;
            let key = tokio::task::spawn_blocking(move || SigningKey::generate(algorithm))
                .await
                .ok()
                .flatten();
            let (kid, retired) = control::install_key(shared, key)?;
            Ok(json!({"kid": kid, "retiredKid": retired}))
        }
        ("GET", "/emulator/users") => {
            let login_id = query_param(query, "loginId")
                .ok_or_else(|| ApiError::missing("the loginId query parameter is required"))?;
            let state = shared.state();
            let user = state
                .user_by_login(&login_id)
                .ok_or_else(ApiError::user_not_found)?;
            Ok(user.to_json(&state.directory))
        }
        ("POST", "/emulator/users") => {
            let seed = SeedUser::from_json(body, "").map_err(|error| {
                // `tenants[0].roles` → `/tenants/0/roles`, as the other endpoints name fields.
                let pointer: String = error
                    .place
                    .chars()
                    .filter(|c| *c != ']')
                    .map(|c| if c == '.' || c == '[' { '/' } else { c })
                    .collect();
                let message = format!("/{pointer}: {}", error.message);
                if error.missing {
                    ApiError::missing(message)
                } else {
                    ApiError::invalid_request(message)
                }
            })?;
            let mut state = shared.state();
            let id = control::add_user(&mut state, &seed)?.id.clone();
            Ok(state.user_json(&id).unwrap_or_default())
        }
        ("POST", "/emulator/users/roles") => {
            let login_id = text(body, "loginId")?;
            let roles = strings(body, "roles")?;
            let permissions = strings(body, "permissions")?;
            let mut state = shared.state();
            let id = control::set_roles(&mut state, login_id, roles, permissions)?
                .id
                .clone();
            Ok(state.user_json(&id).unwrap_or_default())
        }
        ("POST", "/emulator/users/tenants") => {
            let tenant_id = text(body, "tenantId")?.to_owned();
            let membership = Membership {
                tenant_name: match body.get("tenantName") {
                    None => tenant_id.clone(),
                    Some(_) => text(body, "tenantName")?.to_owned(),
                },
                tenant_id,
                roles: strings(body, "roles")?,
                permissions: strings(body, "permissions")?,
            };
            let login_id = text(body, "loginId")?;
            let mut state = shared.state();
            let id = control::add_to_tenant(&mut state, login_id, membership)?
                .id
                .clone();
            Ok(state.user_json(&id).unwrap_or_default())
        }
        ("POST", "/emulator/users/provider-token") => {
            let login_id = text(body, "loginId")?;
            let token = ProviderToken {
                provider: text(body, "provider")?.to_owned(),
                provider_user_id: optional_text(body, "providerUserId")?,
                access_token: text(body, "accessToken")?.to_owned(),
                refresh_token: match body.get("refreshToken") {
                    None | Some(Value::Null) => None,
                    Some(_) => Some(text(body, "refreshToken")?.to_owned()),
                },
                expiration: match body.get("expiration") {
                    None => 0,
                    Some(value) => value.as_i64().ok_or_else(|| {
                        ApiError::invalid_request("/expiration: must be an integer")
                    })?,
                },
                scopes: strings(body, "scopes")?,
            };
            let mut state = shared.state();
            let id = control::set_provider_token(&mut state, login_id, token)?;
            Ok(state.user_json(&id).unwrap_or_default())
        }
        ("POST", "/emulator/tenants") => control::define(shared, &op::CREATE_TENANT, body),
        ("POST", "/emulator/roles") => control::define(shared, &op::CREATE_ROLE, body),
        ("POST", "/emulator/permissions") => control::define(shared, &op::CREATE_PERMISSION, body),
        ("GET", "/emulator/fixed-codes") => Ok(json!(shared.state().fixed_codes)),
        ("PUT" | "PATCH", "/emulator/fixed-codes") => {
            let replace = method == Method::PUT;
            let mut changes = fixed_codes(body, replace)?;
            let mut state = shared.state();
            if replace {
                for login_id in state.fixed_codes.keys() {
                    changes.entry(login_id.clone()).or_insert(None);
                }
            }
            control::change_fixed_codes(&mut state, changes)?;
            Ok(json!(state.fixed_codes))
        }
        ("GET", "/emulator/rate-limit") => Ok(rate_limit_json(shared.state().rate_limit)),
        ("PUT", "/emulator/rate-limit") => {
            let limit = rate_limit(body)?;
            shared.state().set_rate_limit(Some(limit));
            Ok(rate_limit_json(Some(limit)))
        }
        ("DELETE", "/emulator/rate-limit") => {
            shared.state().set_rate_limit(None);
            Ok(rate_limit_json(None))
        }
        ("GET", "/emulator/config") => Ok(serde_json::to_value(config).unwrap_or_default()),
        _ => Err(ApiError::no_such_path(method.as_str(), path)),
    }
}

fn text<'b>(body: &'b Value, key: &str) -> Result<&'b str, ApiError> {
    match body.get(key) {
        None => Err(ApiError::missing(format!("{key} is required"))),
        Some(Value::String(text)) if !text.is_empty() => Ok(text),
        Some(_) => Err(ApiError::invalid_request(format!(
            "/{key}: must be a non-empty string"
        ))),
    }
}

/// An optional string; absent is empty.
fn optional_text(body: &Value, key: &str) -> Result<String, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(ApiError::invalid_request(format!(
            "/{key}: must be a string"
        ))),
    }
}

/// An optional array of strings; absent is empty.
fn strings(body: &Value, key: &str) -> Result<Vec<String>, ApiError> {
    let Some(value) = body.get(key) else {
        return Ok(Vec::new());
    };
    let invalid = || ApiError::invalid_request(format!("/{key}: must be an array of strings"));
    value
        .as_array()
        .ok_or_else(invalid)?
        .iter()
        .map(|item| item.as_str().map(str::to_owned).ok_or_else(invalid))
        .collect()
}

/// `{"<loginId>": "123456", ...}`; with `PATCH` (not `replace`) a `null` removes the login id.
fn fixed_codes(body: &Value, replace: bool) -> Result<BTreeMap<String, Option<String>>, ApiError> {
    let object = body.as_object().map(Map::iter).into_iter().flatten();
    object
        .map(|(login_id, code)| match code {
            Value::String(code) => Ok((login_id.clone(), Some(code.clone()))),
            Value::Null if !replace => Ok((login_id.clone(), None)),
            _ => Err(ApiError::invalid_request(format!(
                "/{login_id}: must be a six-digit code{}",
                if replace { "" } else { " or null" }
            ))),
        })
        .collect()
}

/// `{"maxCalls": N, "windowSeconds": S}`: N from 0 (every call refused) up, S from 1 second
/// to a century.
fn rate_limit(body: &Value) -> Result<RateLimit, ApiError> {
    if let Some(unknown) = body.as_object().and_then(|object| {
        object
            .keys()
            .find(|key| *key != "maxCalls" && *key != "windowSeconds")
    }) {
        return Err(ApiError::invalid_request(format!(
            "/{unknown}: unknown field; the fields are maxCalls and windowSeconds"
        )));
    }
    let number = |key: &str| {
        body.get(key)
            .ok_or_else(|| ApiError::missing(format!("{key} is required")))
            .map(Value::as_u64)
    };
    let max_calls = number("maxCalls")?
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            ApiError::invalid_request("/maxCalls: must be an integer from 0 to 4294967295")
        })?;
    let window = number("windowSeconds")?
        .filter(|&seconds| (1..=MAX_DURATION.as_secs()).contains(&seconds))
        .ok_or_else(|| {
            ApiError::invalid_request(format!(
                "/windowSeconds: must be an integer from 1 to {}",
                MAX_DURATION.as_secs()
            ))
        })?;
    Ok(RateLimit {
        max_calls,
        window: Duration::from_secs(window),
    })
}

fn rate_limit_json(limit: Option<RateLimit>) -> Value {
    json!({ "rateLimit": limit })
}

fn clock(state: &State) -> Value {
    json!({
        "offsetSeconds": state.clock_offset.as_secs(),
        "now": unix(state.now()),
    })
}

/// `{"cleared": {...}, "restored": {...}}`.
fn reset_json(report: &ResetReport) -> Value {
    json!({
        "cleared": {
            "users": report.users,
            "codes": report.codes,
            "links": report.links,
            "outboxMessages": report.outbox_messages,
            "refreshTokens": report.refresh_tokens,
            "tenants": report.tenants,
            "roles": report.roles,
            "permissions": report.permissions,
            "customAttributes": report.custom_attributes,
            "accessKeys": report.access_keys,
            "fixedCodes": report.fixed_codes,
            "clockOffsetSeconds": report.clock_offset.as_secs(),
            "rateWindowCalls": report.rate_window_calls,
        },
        "restored": {
            "users": report.seeded_users,
            "fixedCodes": report.seeded_fixed_codes,
            "rateLimit": rate_limit_json(report.rate_limit)["rateLimit"],
        },
    })
}
