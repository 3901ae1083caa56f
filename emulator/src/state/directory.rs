//! What management defines beside users: tenants (with their settings and SSO setup links),
//! roles and the permissions they grant, and the custom user attribute definitions; and how a
//! user's permissions follow from their roles.
//!
//! Lists keep creation order (the load-all answers list them so); the emulator holds few
//! enough of each for lookups by scanning.

use std::collections::HashMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::state::user::{Membership, User};

/// Everything management defines beside users.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub tenants: Vec<Tenant>,
    pub roles: Vec<Role>,
    pub permissions: Vec<Permission>,
    pub attributes: Vec<Attribute>,
    /// SSO setup links not yet revoked, by the SHA-256 of their token.
    pub admin_links: HashMap<[u8; 32], AdminLink>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    pub custom_attributes: Map<String, Value>,
    pub self_provisioning_domains: Vec<String>,
    /// SSO domains (settings).
    pub domains: Vec<String>,
    pub auth_type: String,
    pub created: i64,
    pub disabled: bool,
    pub enforce_sso: bool,
    pub enforce_sso_exclusions: Vec<String>,
    pub federated_app_ids: Vec<String>,
    pub parent: Option<String>,
    /// Project-level roles every user joining the tenant receives.
    pub default_roles: Vec<String>,
    pub role_inheritance: String,
    /// The settings `ConfigureTenantSettings` wrote, beside the fields shared with the tenant.
    pub settings: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: String,
    pub permission_names: Vec<String>,
    pub created: i64,
    /// `None`: a project-level role, usable in every tenant; else the tenant it belongs to.
    pub tenant_id: Option<String>,
    pub default: bool,
    pub private: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Permission {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Created by Descope with the project; the emulator seeds none, so none is.
    pub system_default: bool,
}

/// A custom user attribute definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Attribute {
    pub name: String,
    pub display_name: String,
    /// 1 string, 2 number, 3 boolean, 4 single select, 5 multi select, 6 date, 7 month-day.
    pub kind: i64,
    /// `(value, label)` of the select options.
    pub options: Vec<(String, String)>,
    pub default_value: Value,
    pub view_permissions: Vec<String>,
    pub edit_permissions: Vec<String>,
}

/// An SSO setup link for a tenant's administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminLink {
    pub tenant_id: String,
    pub sso_id: Option<String>,
    pub expires: SystemTime,
}

impl Directory {
    pub fn tenant(&self, id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    pub fn tenant_mut(&mut self, id: &str) -> Option<&mut Tenant> {
        self.tenants.iter_mut().find(|t| t.id == id)
    }

    /// The role named `name` in the scope (`None`: project level).
    pub fn role(&self, name: &str, tenant: Option<&str>) -> Option<&Role> {
        self.roles
            .iter()
            .find(|r| r.name == name && r.tenant_id.as_deref() == tenant)
    }

    /// What `name` means in tenant `tenant`: the tenant's own role, else the project role.
    pub fn role_in_tenant(&self, name: &str, tenant: &str) -> Option<&Role> {
        self.role(name, Some(tenant))
            .or_else(|| self.role(name, None))
    }

    pub fn permission(&self, name: &str) -> Option<&Permission> {
        self.permissions.iter().find(|p| p.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The name `userTenants` shows: the tenant's current name when it was created through
    /// management, else the name the membership was seeded with.
    pub fn tenant_name<'a>(&'a self, membership: &'a Membership) -> &'a str {
        self.tenant(&membership.tenant_id)
            .map_or(membership.tenant_name.as_str(), |t| t.name.as_str())
    }

    /// The user's project-level permissions: those given explicitly, then those their
    /// project roles grant, each once.
    pub fn project_permissions(&self, user: &User) -> Vec<String> {
        let granted = user.roles.iter().filter_map(|name| self.role(name, None));
        merge(&user.permissions, granted)
    }

    /// The user's permissions in one tenant: those given explicitly, then those their roles
    /// there grant (the tenant's own role of that name, else the project role), each once.
    pub fn tenant_permissions(&self, membership: &Membership) -> Vec<String> {
        let granted = membership
            .roles
            .iter()
            .filter_map(|name| self.role_in_tenant(name, &membership.tenant_id));
        merge(&membership.permissions, granted)
    }

    /// How many definitions of each kind there are, for the reset report.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        (
            self.tenants.len(),
            self.roles.len(),
            self.permissions.len(),
            self.attributes.len(),
        )
    }
}

fn merge<'r>(explicit: &[String], roles: impl Iterator<Item = &'r Role>) -> Vec<String> {
    let mut all = explicit.to_vec();
    for permission in roles.flat_map(|role| &role.permission_names) {
        if !all.contains(permission) {
            all.push(permission.clone());
        }
    }
    all
}

impl Tenant {
    /// The spec's `Tenant`; `successors` are the tenants whose parent it is.
    pub fn to_json(&self, directory: &Directory) -> Value {
        let successors: Vec<&str> = directory
            .tenants
            .iter()
            .filter(|t| t.parent.as_deref() == Some(self.id.as_str()))
            .map(|t| t.id.as_str())
            .collect();
        json!({
            "id": self.id,
            "name": self.name,
            "selfProvisioningDomains": self.self_provisioning_domains,
            "customAttributes": self.custom_attributes,
            "domains": self.domains,
            "authType": self.auth_type,
            "createdTime": self.created,
            "disabled": self.disabled,
            "enforceSSO": self.enforce_sso,
            "enforceSSOExclusions": self.enforce_sso_exclusions,
            "federatedAppIds": self.federated_app_ids,
            "parent": self.parent.clone().unwrap_or_default(),
            "successors": successors,
            "defaultRoles": self.default_roles,
            "roleInheritance": self.role_inheritance,
        })
    }
}

impl Role {
    /// The spec's `Role`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "permissionNames": self.permission_names,
            "createdTime": self.created,
            "tenantId": self.tenant_id.clone().unwrap_or_default(),
            "default": self.default,
            "private": self.private,
        })
    }
}

impl Permission {
    /// The spec's `Permission`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "systemDefault": self.system_default,
        })
    }
}

impl Attribute {
    /// The spec's `UserCustomAttribute`.
    pub fn to_json(&self) -> Value {
        let options: Vec<Value> = self
            .options
            .iter()
            .map(|(value, label)| json!({"value": value, "label": label}))
            .collect();
        json!({
            "name": self.name,
            "displayName": self.display_name,
            "type": self.kind,
            "options": options,
            "defaultValue": self.default_value,
            "viewPermissions": self.view_permissions,
            "editPermissions": self.edit_permissions,
            "editable": true,
        })
    }

    /// Whether `value` fits the attribute's type: a string (string, date as text, month-day,
    /// single select among the options when there are any), a number (number, date), a boolean,
    /// or a list of strings (multi select). `null` always fits: it clears the value.
    pub fn fits(&self, value: &Value) -> bool {
        let option =
            |text: &str| self.options.is_empty() || self.options.iter().any(|(v, _)| v == text);
        match (self.kind, value) {
            (_, Value::Null) => true,
            (1 | 7, Value::String(_)) => true,
            (2, Value::Number(_)) => true,
            (3, Value::Bool(_)) => true,
            (4, Value::String(text)) => option(text),
            (5, Value::Array(items)) => items.iter().all(|item| item.as_str().is_some_and(option)),
            (6, Value::Number(_) | Value::String(_)) => true,
            // A type the emulator does not know takes any value.
            (kind, _) => !(1..=7).contains(&kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, tenant: Option<&str>, permissions: &[&str]) -> Role {
        Role {
            name: name.into(),
            tenant_id: tenant.map(str::to_owned),
            permission_names: permissions.iter().map(|&p| p.to_owned()).collect(),
            ..Role::default()
        }
    }

    #[test]
    fn permissions_follow_roles_and_a_tenant_role_shadows_the_project_one() {
        let directory = Directory {
            roles: vec![
                role("admin", None, &["users:write", "users:read"]),
                role("admin", Some("T1"), &["t1:all"]),
                role("viewer", None, &["users:read"]),
            ],
            ..Directory::default()
        };
        let user = User {
            roles: vec!["admin".into(), "viewer".into(), "ghost".into()],
            permissions: vec!["extra".into()],
            ..User::default()
        };
        assert_eq!(
            directory.project_permissions(&user),
            ["extra", "users:write", "users:read"]
        );
        let in_t1 = Membership {
            tenant_id: "T1".into(),
            roles: vec!["admin".into(), "viewer".into()],
            ..Membership::default()
        };
        assert_eq!(
            directory.tenant_permissions(&in_t1),
            ["t1:all", "users:read"]
        );
        let in_t2 = Membership {
            tenant_id: "T2".into(),
            ..in_t1
        };
        assert_eq!(
            directory.tenant_permissions(&in_t2),
            ["users:write", "users:read"]
        );
    }

    #[test]
    fn attribute_values_must_fit_the_type() {
        let select = Attribute {
            kind: 4,
            options: vec![("a".into(), "A".into())],
            ..Attribute::default()
        };
        assert!(select.fits(&json!("a")) && !select.fits(&json!("b")) && select.fits(&Value::Null));
        let number = Attribute {
            kind: 2,
            ..Attribute::default()
        };
        assert!(number.fits(&json!(3)) && !number.fits(&json!("3")));
        let multi = Attribute {
            kind: 5,
            ..Attribute::default()
        };
        assert!(multi.fits(&json!(["x", "y"])) && !multi.fits(&json!([1])));
    }
}
