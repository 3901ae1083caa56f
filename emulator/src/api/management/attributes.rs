//! Custom user attribute definitions: list, create (the Node SDK's numeric `type` and
//! `{value, label}` options, or the Python SDK's type words and plain-string options), and
//! delete (with the values users held). Users may only carry defined attributes.

use serde_json::{Value, json};

use super::{UserAction, read};
use crate::error::ApiError;
use crate::state::State;
use crate::state::directory::Attribute;

pub fn call(state: &mut State, action: UserAction, body: &Value) -> Result<Value, ApiError> {
    match action {
        UserAction::CreateAttributes => create(state, body)?,
        UserAction::DeleteAttributes => {
            let names = read::list(body, "names").unwrap_or_default();
            state
                .directory
                .attributes
                .retain(|a| !names.contains(&a.name));
            for user in state.users.values_mut() {
                user.custom_attributes
                    .retain(|name, _| !names.contains(name));
            }
        }
        _ => {}
    }
    Ok(list(state))
}

/// `{data, total}`, `total` a decimal string as the service's 64-bit counts are.
fn list(state: &State) -> Value {
    let data: Vec<Value> = state
        .directory
        .attributes
        .iter()
        .map(Attribute::to_json)
        .collect();
    json!({"total": data.len().to_string(), "data": data})
}

/// Adds every definition, or none: a name already defined (or twice in the call) is 400.
fn create(state: &mut State, body: &Value) -> Result<(), ApiError> {
    let mut added: Vec<Attribute> = Vec::new();
    for definition in read::objects(body, "attributes") {
        let name = read::required(definition, "name")?.to_owned();
        if state.directory.attribute(&name).is_some() || added.iter().any(|a| a.name == name) {
            return Err(ApiError::conflict(format!(
                "a custom attribute named {name:?} exists already"
            )));
        }
        let kind = match definition.get("type") {
            Some(Value::Number(number)) => number.as_i64().unwrap_or(1),
            Some(Value::String(word)) => kind_of(word).ok_or_else(|| {
                ApiError::invalid_request(format!("/attributes: unknown type {word:?}"))
            })?,
            _ => 1,
        };
        let options = definition
            .get("options")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|option| match option {
                Value::String(text) => Some((text.clone(), text.clone())),
                option => {
                    let value = read::text(option, "value")?.to_owned();
                    let label =
                        read::text(option, "label").map_or_else(|| value.clone(), str::to_owned);
                    Some((value, label))
                }
            })
            .collect();
        added.push(Attribute {
            display_name: read::text(definition, "displayName")
                .map_or_else(|| name.clone(), str::to_owned),
            name,
            kind,
            options,
            default_value: definition
                .get("defaultValue")
                .cloned()
                .unwrap_or(Value::Null),
            view_permissions: read::list(definition, "viewPermissions").unwrap_or_default(),
            edit_permissions: read::list(definition, "editPermissions").unwrap_or_default(),
        });
    }
    state.directory.attributes.extend(added);
    Ok(())
}

/// The number of a type word, as the Python SDK's docstring lists them.
fn kind_of(word: &str) -> Option<i64> {
    Some(match word {
        "string" | "text" => 1,
        "number" => 2,
        "boolean" => 3,
        "singleSelect" => 4,
        "multiSelect" => 5,
        "date" => 6,
        "monthDay" => 7,
        _ => return None,
    })
}
