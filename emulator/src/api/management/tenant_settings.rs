//! A tenant's settings (session lifetimes, SSO domains and protocol, the setup suite) and its
//! SSO setup links: minted with a lifetime, emailed (into the outbox) when asked, revoked.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::tenants::{AUTH_TYPES, choice, tenant, tenant_mut};
use super::{read, users};
use crate::api::context::Context;
use crate::error::ApiError;
use crate::setup::config::MAX_DURATION;
use crate::state::directory::{AdminLink, Tenant};
use crate::state::outbox::{Channel, Delivery, OutboxMessage};
use crate::state::user::check_contact;
use crate::state::{State, secret};

/// How long an SSO setup link lives when `expireTime` is left out (undocumented; a day, as
/// the SDKs' examples use).
const ADMIN_LINK_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// Mints an SSO setup link for the body's tenant; with `email` (or when `send`) it goes to
/// the outbox too. Answers `{adminSSOConfigurationLink}`.
pub fn admin_link(
    state: &mut State,
    context: &Context<'_>,
    body: &Value,
    send: bool,
) -> Result<Value, ApiError> {
    let tenant_id = tenant(state, read::required(body, "tenantId")?)?.id.clone();
    let ttl = match read::int(body, "expireTime") {
        Some(seconds) if seconds < 0 => {
            return Err(ApiError::conflict("expireTime must not be negative"));
        }
        // At most a century, so that no lifetime overflows the clock.
        Some(seconds) if seconds > 0 => {
            Duration::from_secs(seconds.unsigned_abs()).min(MAX_DURATION)
        }
        _ => ADMIN_LINK_TTL,
    };
    let email = read::text(body, "email").filter(|_| send);
    if let Some(email) = email {
        check_contact(Channel::Email, email)?;
    }
    let token = users::token()?;
    let url = format!(
        "{}/sso-setup?t={token}",
        origin(&context.config.default_redirect_uri)
    );
    let now = state.now();
    state.directory.admin_links.insert(
        secret::token_hash(&token),
        AdminLink {
            tenant_id,
            sso_id: read::text(body, "ssoId").map(str::to_owned),
            expires: now + ttl,
        },
    );
    if let Some(email) = email {
        state.outbox.push(OutboxMessage {
            login_id: email.to_owned(),
            channel: Channel::Email,
            destination: email.to_owned(),
            delivery: Delivery::Link {
                token,
                url: url.clone(),
            },
            sent_at: now,
        });
    }
    Ok(json!({ "adminSSOConfigurationLink": url }))
}

/// `scheme://host[:port]` of a URI (the whole text when it has no path).
fn origin(uri: &str) -> &str {
    let after_scheme = uri.find("://").map_or(0, |at| at + 3);
    match uri[after_scheme..].find('/') {
        Some(slash) => &uri[..after_scheme + slash],
        None => uri,
    }
}

/// The settings keys `ConfigureTenantSettings` stores as they come.
const SETTINGS: [&str; 12] = [
    "enabled",
    "refreshTokenExpiration",
    "refreshTokenExpirationUnit",
    "sessionTokenExpiration",
    "sessionTokenExpirationUnit",
    "stepupTokenExpiration",
    "stepupTokenExpirationUnit",
    "enableInactivity",
    "inactivityTime",
    "inactivityTimeUnit",
    "JITDisabled",
    "ssoSetupSuiteSettings",
];

const UNITS: [&str; 4] = ["minutes", "hours", "days", "weeks"];

/// `GetTenantSettings`: the stored settings with the fields the tenant holds.
pub fn settings(tenant: &Tenant) -> Value {
    let mut settings = tenant.settings.clone();
    settings.entry("enabled").or_insert(json!(false));
    settings.insert("domains".into(), json!(tenant.domains));
    settings.insert(
        "selfProvisioningDomains".into(),
        json!(tenant.self_provisioning_domains),
    );
    settings.insert("authType".into(), json!(tenant.auth_type));
    Value::Object(settings)
}

/// `ConfigureTenantSettings`: overwrites the settings (checked: units, and with `enabled` a
/// session lifetime from 3 minutes up to the refresh lifetime) and the tenant's shared fields.
/// The Node SDK's type spells `InactivityTime` and `InactivityTimeUnit` with a capital I; those
/// are read when the usual spelling is absent.
pub fn configure(state: &mut State, body: &Value) -> Result<(), ApiError> {
    let id = read::required(body, "tenantId")?.to_owned();
    tenant(state, &id)?;
    let mut stored = Map::new();
    for key in SETTINGS {
        let capital = format!("I{}", key.strip_prefix('i').unwrap_or(key));
        let value = body
            .get(key)
            .filter(|v| !v.is_null())
            .or_else(|| {
                key.starts_with("inactivity")
                    .then(|| body.get(&capital))
                    .flatten()
            })
            .filter(|v| !v.is_null());
        if let Some(value) = value {
            stored.insert(key.to_owned(), value.clone());
        }
    }
    for (key, value) in &stored {
        if key.ends_with("Unit")
            && let Some(unit) = value.as_str()
            && !unit.is_empty()
            && !UNITS.contains(&unit)
        {
            return Err(ApiError::conflict(format!(
                "{key}: {unit:?} is none of {}",
                UNITS.join(", ")
            )));
        }
    }
    if stored.get("enabled") == Some(&Value::Bool(true)) {
        let session = lifetime(&stored, "sessionToken");
        let refresh = lifetime(&stored, "refreshToken");
        if session.is_some_and(|s| s < 3 * 60) {
            return Err(ApiError::conflict(
                "a session token must live at least 3 minutes",
            ));
        }
        if let (Some(session), Some(refresh)) = (session, refresh)
            && session > refresh
        {
            return Err(ApiError::conflict(
                "a session token must not outlive the refresh token",
            ));
        }
    }
    let auth_type = choice(body, "authType", &AUTH_TYPES)?.filter(|t| !t.is_empty());
    let tenant = tenant_mut(state, &id)?;
    tenant.settings = stored;
    tenant.self_provisioning_domains =
        read::list(body, "selfProvisioningDomains").unwrap_or_default();
    tenant.domains = read::list(body, "domains").unwrap_or_default();
    if let Some(auth_type) = auth_type {
        tenant.auth_type = auth_type;
    }
    if let Some(enforce) = read::flag(body, "enforceSSO") {
        tenant.enforce_sso = enforce;
    }
    if let Some(exclusions) = read::list(body, "enforceSSOExclusions") {
        tenant.enforce_sso_exclusions = exclusions;
    }
    if let Some(apps) = read::list(body, "federatedAppIds") {
        tenant.federated_app_ids = apps;
    }
    Ok(())
}

/// A lifetime of the settings in seconds (`<prefix>Expiration` in `<prefix>ExpirationUnit`,
/// minutes when the unit is absent).
fn lifetime(settings: &Map<String, Value>, prefix: &str) -> Option<i64> {
    let amount = settings.get(&format!("{prefix}Expiration"))?.as_i64()?;
    let unit = settings
        .get(&format!("{prefix}ExpirationUnit"))
        .and_then(Value::as_str)
        .unwrap_or("minutes");
    let seconds = match unit {
        "hours" => 3600,
        "days" => 86_400,
        "weeks" => 604_800,
        _ => 60,
    };
    Some(amount.saturating_mul(seconds))
}
