//! The management API (every operation whose bearer is `<ProjectId>:<ManagementKey>`): which
//! operation is which [`Management`] action, and the dispatch to the files that do the work:
//! `users` (create, load, update, delete, history), `details` (the user fields that create,
//! update and patch share), `user_updates` (one field or list at a time), `search`, `methods`
//! (passwords, passkeys, TOTP, trusted devices, provider tokens), `attributes` (custom
//! attribute definitions), `test_users` (generated codes and links, embedded links), `tenants`
//! (with `tenant_settings`: settings and SSO setup links), `roles` and `permissions`,
//! `access_keys`, and the token administration of `jwt` (JWT update, sign-in and sign-up from
//! the backend, anonymous sessions) and `impersonation`; `read` has the defensive body readers
//! they share.
//!
//! Bodies arrive validated against the spec; `null` means "not set" everywhere, as the Python
//! SDK sends it for every argument it was not given. A body's `loginId` may hold a login id or
//! a user id (the Node SDK passes either).

mod access_keys;
mod attributes;
mod details;
mod impersonation;
mod jwt;
mod methods;
pub(crate) mod permissions;
pub(crate) mod read;
pub(crate) mod roles;
mod search;
mod tenant_settings;
pub(crate) mod tenants;
mod test_users;
mod user_updates;
mod users;

use serde_json::{Value, json};

use super::Input;
use super::context::Context;
use crate::error::ApiError;
use crate::operations::{self as op, Operation};
use crate::state::State;

/// A change to a list: add to it, replace it, or remove from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListChange {
    Add,
    Set,
    Remove,
}

/// What a user operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    Load,
    LoadMany,
    /// `test_only`: the test-user search, whatever the body's flags say.
    Search {
        test_only: bool,
    },
    /// `test`: the test-user create, whatever the body's `test` says.
    Create {
        test: bool,
    },
    CreateBatch,
    Update,
    Patch,
    PatchBatch,
    Status,
    LoginId,
    Email,
    Phone,
    RecoveryEmail,
    RecoveryPhone,
    DisplayName,
    Picture,
    CustomAttribute,
    ImpersonationConsent,
    Roles(ListChange),
    /// `true`: add the user to the tenant; `false`: remove them.
    Tenant(bool),
    SsoApps(ListChange),
    /// `true`: an active password; `false`: a temporary one.
    Password(bool),
    ExpirePassword,
    ListPasskeys,
    ImportPasskeys,
    RemovePasskey,
    RemoveAllPasskeys,
    RemoveTotp,
    ListTrustedDevices,
    RemoveTrustedDevices,
    Logout,
    Delete,
    DeleteBatch,
    /// `true`: the `/v2` history, whose body and answer are objects.
    History(bool),
    Attributes,
    CreateAttributes,
    DeleteAttributes,
    ProviderToken,
    EmbeddedLink,
    SignUpEmbeddedLink,
}

/// What a test-user operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestUserAction {
    Otp,
    MagicLink,
    EnchantedLink,
    DeleteAll,
}

/// What a tenant operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantAction {
    LoadAll,
    Load,
    Search,
    DefaultRoles,
    Create,
    Update,
    Delete,
    SsoUserRemove,
    /// `true`: the link for a signed-in administrator; `false`: the generated one.
    AdminLink(bool),
    RevokeAdminLink,
    SendAdminLink,
    Settings,
    ConfigureSettings,
}

/// What a role or permission operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefinitionAction {
    LoadAll,
    Search,
    Create,
    Update,
    Delete,
    CreateBatch,
    UpdateBatch,
    DeleteBatch,
}

/// What an access-key operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKeyAction {
    Load,
    Search,
    Create,
    Update,
    /// `true`: activate; `false`: deactivate.
    Activate(bool),
    ActivateBatch(bool),
    Delete,
    DeleteBatch,
    Rotate,
    Import,
}

/// What a token-administration operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAction {
    UpdateJwt,
    /// `step_up`: `ImpersonateStepup`.
    Impersonate {
        step_up: bool,
    },
    StopImpersonation,
    Anonymous,
    SignIn,
    SignUp,
    SignUpOrIn,
}

/// A management operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Management {
    /// `GET /v1/mgmt/license`, the SDKs' handshake.
    License,
    User(UserAction),
    TestUser(TestUserAction),
    Tenant(TenantAction),
    Role(DefinitionAction),
    Permission(DefinitionAction),
    AccessKey(AccessKeyAction),
    Token(TokenAction),
}

impl Management {
    /// The management behaviour of `operation`, if it is a management operation.
    pub fn of(operation: &Operation) -> Option<Management> {
        use AccessKeyAction as K;
        use DefinitionAction as D;
        use ListChange::*;
        use Management::{Permission, Role, Tenant, TestUser, User};
        use TenantAction as T;
        use TokenAction as J;
        use UserAction as U;
        Some(match *operation {
            op::GET_LICENSE => Management::License,
            op::LOAD_USER => User(U::Load),
            op::LOAD_USERS => User(U::LoadMany),
            op::SEARCH_USERS => User(U::Search { test_only: false }),
            op::SEARCH_TEST_USERS => User(U::Search { test_only: true }),
            op::CREATE_USER => User(U::Create { test: false }),
            op::CREATE_TEST_USER => User(U::Create { test: true }),
            op::CREATE_USERS => User(U::CreateBatch),
            op::UPDATE_USER => User(U::Update),
            op::PATCH_USER => User(U::Patch),
            op::PATCH_USERS => User(U::PatchBatch),
            op::UPDATE_USER_STATUS => User(U::Status),
            op::UPDATE_USER_LOGIN_ID => User(U::LoginId),
            op::UPDATE_USER_EMAIL => User(U::Email),
            op::UPDATE_USER_PHONE => User(U::Phone),
            op::UPDATE_USER_RECOVERY_EMAIL => User(U::RecoveryEmail),
            op::UPDATE_USER_RECOVERY_PHONE => User(U::RecoveryPhone),
            op::UPDATE_USER_DISPLAY_NAME => User(U::DisplayName),
            op::UPDATE_USER_PICTURE => User(U::Picture),
            op::UPDATE_USER_CUSTOM_ATTRIBUTE => User(U::CustomAttribute),
            op::UPDATE_USER_IMPERSONATION_CONSENT => User(U::ImpersonationConsent),
            op::ADD_USER_ROLES | op::ADD_USER_ROLES_V1 => User(U::Roles(Add)),
            op::SET_USER_ROLES => User(U::Roles(Set)),
            op::REMOVE_USER_ROLES => User(U::Roles(Remove)),
            op::ADD_USER_TENANT => User(U::Tenant(true)),
            op::REMOVE_USER_TENANT => User(U::Tenant(false)),
            op::ADD_USER_SSO_APPS => User(U::SsoApps(Add)),
            op::SET_USER_SSO_APPS => User(U::SsoApps(Set)),
            op::REMOVE_USER_SSO_APPS => User(U::SsoApps(Remove)),
            op::SET_USER_ACTIVE_PASSWORD => User(U::Password(true)),
            op::SET_USER_TEMPORARY_PASSWORD => User(U::Password(false)),
            op::EXPIRE_USER_PASSWORD => User(U::ExpirePassword),
            op::LIST_USER_PASSKEYS => User(U::ListPasskeys),
            op::IMPORT_USER_PASSKEYS => User(U::ImportPasskeys),
            op::REMOVE_USER_PASSKEY => User(U::RemovePasskey),
            op::REMOVE_ALL_USER_PASSKEYS => User(U::RemoveAllPasskeys),
            op::REMOVE_USER_TOTP_SEED => User(U::RemoveTotp),
            op::LIST_USER_TRUSTED_DEVICES => User(U::ListTrustedDevices),
            op::REMOVE_USER_TRUSTED_DEVICES => User(U::RemoveTrustedDevices),
            op::LOGOUT_USER => User(U::Logout),
            op::DELETE_USER => User(U::Delete),
            op::DELETE_USERS => User(U::DeleteBatch),
            op::GET_USERS_AUTH_HISTORY => User(U::History(false)),
            op::GET_USERS_AUTH_HISTORY_V2 => User(U::History(true)),
            op::GET_USER_CUSTOM_ATTRIBUTES => User(U::Attributes),
            op::CREATE_USER_CUSTOM_ATTRIBUTES => User(U::CreateAttributes),
            op::DELETE_USER_CUSTOM_ATTRIBUTES => User(U::DeleteAttributes),
            op::GET_USER_PROVIDER_TOKEN => User(U::ProviderToken),
            op::GENERATE_EMBEDDED_LINK => User(U::EmbeddedLink),
            op::GENERATE_SIGN_UP_EMBEDDED_LINK => User(U::SignUpEmbeddedLink),
            op::GENERATE_OTP_FOR_TEST_USER => TestUser(TestUserAction::Otp),
            op::GENERATE_MAGIC_LINK_FOR_TEST_USER => TestUser(TestUserAction::MagicLink),
            op::GENERATE_ENCHANTED_LINK_FOR_TEST_USER => TestUser(TestUserAction::EnchantedLink),
            op::DELETE_ALL_TEST_USERS => TestUser(TestUserAction::DeleteAll),
            op::LOAD_ALL_TENANTS => Tenant(T::LoadAll),
            op::LOAD_TENANT => Tenant(T::Load),
            op::SEARCH_TENANTS => Tenant(T::Search),
            op::UPDATE_TENANT_DEFAULT_ROLES => Tenant(T::DefaultRoles),
            op::CREATE_TENANT => Tenant(T::Create),
            op::UPDATE_TENANT => Tenant(T::Update),
            op::DELETE_TENANT => Tenant(T::Delete),
            op::REMOVE_SSO_SUFFIX_FROM_EXTERNAL_ID => Tenant(T::SsoUserRemove),
            op::GET_TENANT_SSO_ADMIN_LINK_FOR_AUTHENTICATED_USER => Tenant(T::AdminLink(true)),
            op::GENERATE_TENANT_SSO_ADMIN_LINK => Tenant(T::AdminLink(false)),
            op::REVOKE_TENANT_SSO_ADMIN_LINK => Tenant(T::RevokeAdminLink),
            op::SEND_TENANT_SSO_ADMIN_LINK => Tenant(T::SendAdminLink),
            op::GET_TENANT_SETTINGS => Tenant(T::Settings),
            op::CONFIGURE_TENANT_SETTINGS => Tenant(T::ConfigureSettings),
            op::LOAD_ALL_ROLES => Role(D::LoadAll),
            op::SEARCH_ROLES => Role(D::Search),
            op::CREATE_ROLE => Role(D::Create),
            op::UPDATE_ROLE => Role(D::Update),
            op::DELETE_ROLE => Role(D::Delete),
            op::CREATE_ROLES => Role(D::CreateBatch),
            op::UPDATE_ROLES => Role(D::UpdateBatch),
            op::DELETE_ROLES => Role(D::DeleteBatch),
            op::LOAD_ALL_PERMISSIONS => Permission(D::LoadAll),
            op::CREATE_PERMISSION => Permission(D::Create),
            op::UPDATE_PERMISSION => Permission(D::Update),
            op::DELETE_PERMISSION => Permission(D::Delete),
            op::CREATE_PERMISSIONS => Permission(D::CreateBatch),
            op::UPDATE_PERMISSIONS => Permission(D::UpdateBatch),
            op::DELETE_PERMISSIONS => Permission(D::DeleteBatch),
            op::LOAD_ACCESS_KEY => Management::AccessKey(K::Load),
            op::SEARCH_ACCESS_KEYS => Management::AccessKey(K::Search),
            op::CREATE_ACCESS_KEY => Management::AccessKey(K::Create),
            op::UPDATE_ACCESS_KEY => Management::AccessKey(K::Update),
            op::ACTIVATE_ACCESS_KEY => Management::AccessKey(K::Activate(true)),
            op::DEACTIVATE_ACCESS_KEY => Management::AccessKey(K::Activate(false)),
            op::ACTIVATE_ACCESS_KEYS => Management::AccessKey(K::ActivateBatch(true)),
            op::DEACTIVATE_ACCESS_KEYS => Management::AccessKey(K::ActivateBatch(false)),
            op::DELETE_ACCESS_KEY => Management::AccessKey(K::Delete),
            op::DELETE_ACCESS_KEYS => Management::AccessKey(K::DeleteBatch),
            op::ROTATE_ACCESS_KEY => Management::AccessKey(K::Rotate),
            op::IMPORT_ACCESS_KEYS => Management::AccessKey(K::Import),
            op::UPDATE_JWT => Management::Token(J::UpdateJwt),
            op::IMPERSONATE => Management::Token(J::Impersonate { step_up: false }),
            op::IMPERSONATE_STEPUP => Management::Token(J::Impersonate { step_up: true }),
            op::STOP_IMPERSONATION => Management::Token(J::StopImpersonation),
            op::ANONYMOUS => Management::Token(J::Anonymous),
            op::GENERATE_JWT_SIGN_IN => Management::Token(J::SignIn),
            op::GENERATE_JWT_SIGN_UP => Management::Token(J::SignUp),
            op::GENERATE_JWT_SIGN_UP_OR_IN => Management::Token(J::SignUpOrIn),
            _ => return None,
        })
    }
}

/// The rate-limit tier the license handshake answers: the lowest of the four the Python
/// SDK's docstring lists. The SDKs treat it as opaque and send it back in `x-descope-license`,
/// which the emulator never requires.
const RATE_LIMIT_TIER: &str = "tier1";

/// Runs one validated management call.
pub fn call(
    state: &mut State,
    context: &Context<'_>,
    action: Management,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let body = input.body;
    match action {
        Management::License => Ok(json!({ "rateLimitTier": RATE_LIMIT_TIER })),
        Management::User(action) => users::call(state, context, action, input),
        Management::TestUser(action) => test_users::call(state, context, action, body),
        Management::Tenant(action) => tenants::call(state, context, action, input),
        Management::Role(action) => roles::call(state, action, body),
        Management::Permission(action) => permissions::call(state, action, body),
        Management::AccessKey(action) => access_keys::call(state, action, input),
        Management::Token(action) => jwt::call(state, context, action, input),
    }
}

/// The answer of the operations whose 200 is an empty object: `{}`, never an empty body
/// (the Node SDK parses every body as JSON).
fn empty() -> Value {
    json!({})
}

/// A new id: `prefix` and 32 hex digits.
fn new_id(prefix: &str) -> Result<String, ApiError> {
    crate::state::secret::id()
        .map(|id| format!("{prefix}{id}"))
        .ok_or_else(crate::api::flows::entropy_failed)
}

/// Keeps the first of each name, in order (a rename can make a name appear twice).
fn dedupe(names: &mut Vec<String>) {
    let mut seen: Vec<String> = Vec::with_capacity(names.len());
    names.retain(|name| {
        let first = !seen.contains(name);
        if first {
            seen.push(name.clone());
        }
        first
    });
}

/// Runs `change` on the state and, when it fails, puts back the users and the directory as
/// they were: the batch operations of roles and permissions are all or nothing.
fn atomically<T>(
    state: &mut State,
    change: impl FnOnce(&mut State) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let directory = state.directory.clone();
    let users = state.users.clone();
    let result = change(state);
    if result.is_err() {
        state.directory = directory;
        state.users = users;
    }
    result
}
