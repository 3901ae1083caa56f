//! Permissions: project-wide names that roles grant. A permission is named by `id` or `name`;
//! renaming one renames it in every role that grants it.
//!
//! **A permission in use can be deleted**: it is taken out of every role that granted it, and
//! the roles stay (so their holders lose it at their next sign-in or refresh). The spec's
//! description says so (inferred there from the docs' silence); refusing would leave no way
//! to delete a permission short of editing every role first. Batches are all or nothing.

use serde_json::{Value, json};

use super::{DefinitionAction, atomically, dedupe, empty, new_id, read};
use crate::error::ApiError;
use crate::state::State;
use crate::state::directory::Permission;

/// Runs one permission operation; only load-all answers more than `{}`.
pub fn call(state: &mut State, action: DefinitionAction, body: &Value) -> Result<Value, ApiError> {
    use DefinitionAction::*;
    match action {
        LoadAll | Search => {
            let permissions: Vec<Value> = state
                .directory
                .permissions
                .iter()
                .map(Permission::to_json)
                .collect();
            return Ok(json!({ "permissions": permissions }));
        }
        Create => drop(create(state, body)?),
        Update => update(state, body)?,
        Delete => delete(state, body)?,
        CreateBatch | UpdateBatch => atomically(state, |state| {
            for permission in read::objects(body, "permissions") {
                match action {
                    CreateBatch => drop(create(state, permission)?),
                    _ => update(state, permission)?,
                }
            }
            Ok(())
        })?,
        DeleteBatch => {
            let names = read::list(body, "names").unwrap_or_default();
            let ids = read::list(body, "ids").unwrap_or_default();
            if names.is_empty() && ids.is_empty() {
                // What the service does with neither is undocumented; deleting every
                // permission on an empty filter would be the worst guess.
                return Err(ApiError::missing("names or ids must list a permission"));
            }
            let bodies = names
                .iter()
                .map(|name| json!({ "name": name }))
                .chain(ids.iter().map(|id| json!({ "id": id })));
            atomically(state, |state| {
                for body in bodies {
                    delete(state, &body)?;
                }
                Ok(())
            })?;
        }
    }
    Ok(empty())
}

/// Creates a permission from a `PermissionCreateRequest` body and returns it; shared with
/// `POST /emulator/permissions`.
pub fn create(state: &mut State, body: &Value) -> Result<Permission, ApiError> {
    let name = read::required(body, "name")?.to_owned();
    if state.directory.permission(&name).is_some() {
        return Err(ApiError::conflict(format!(
            "a permission named {name:?} exists already"
        )));
    }
    let permission = Permission {
        id: new_id("PERM")?,
        name,
        description: read::text(body, "description")
            .unwrap_or_default()
            .to_owned(),
        system_default: false,
    };
    state.directory.permissions.push(permission.clone());
    Ok(permission)
}

/// Where the permission the body names (`id` or `name`, not both) is; Descope's own
/// (`systemDefault`) cannot be changed.
fn find(state: &State, body: &Value) -> Result<usize, ApiError> {
    let permissions = &state.directory.permissions;
    let (at, what) = match (read::text(body, "id"), read::text(body, "name")) {
        (Some(_), Some(_)) => return Err(ApiError::invalid_request("give name or id, not both")),
        (None, None) => return Err(ApiError::missing("name or id is required")),
        (Some(id), None) => (
            permissions.iter().position(|p| p.id == id),
            format!("no permission has the id {id:?}"),
        ),
        (None, Some(name)) => (
            permissions.iter().position(|p| p.name == name),
            format!("no permission is named {name:?}"),
        ),
    };
    let at = at.ok_or_else(|| ApiError::not_found(what))?;
    if permissions[at].system_default {
        return Err(ApiError::conflict(
            "Descope's own permissions (systemDefault) cannot be changed",
        ));
    }
    Ok(at)
}

/// Overwrites the description (absent clears) and renames to `newName`, in every role too.
fn update(state: &mut State, body: &Value) -> Result<(), ApiError> {
    let at = find(state, body)?;
    let new_name = read::required(body, "newName")?.to_owned();
    let old = state.directory.permissions[at].name.clone();
    if new_name != old && state.directory.permission(&new_name).is_some() {
        return Err(ApiError::conflict(format!(
            "a permission named {new_name:?} exists already"
        )));
    }
    let permission = &mut state.directory.permissions[at];
    permission.name = new_name.clone();
    permission.description = read::text(body, "description")
        .unwrap_or_default()
        .to_owned();
    for role in &mut state.directory.roles {
        for name in role
            .permission_names
            .iter_mut()
            .filter(|name| **name == old)
        {
            name.clone_from(&new_name);
        }
        dedupe(&mut role.permission_names);
    }
    Ok(())
}

/// Deletes the permission and takes it out of every role that granted it (the roles stay).
fn delete(state: &mut State, body: &Value) -> Result<(), ApiError> {
    let at = find(state, body)?;
    let gone = state.directory.permissions.remove(at);
    for role in &mut state.directory.roles {
        role.permission_names.retain(|name| *name != gone.name);
    }
    Ok(())
}
