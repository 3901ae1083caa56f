//! Repairs of paths and operations: OPTIONS and TRACE operations removed (reqwest cannot send
//! them as progenitor writes them); path items without operations removed; every operation
//! given a unique, usable operationId (named from method and path where the spec's is missing,
//! a duplicate of an earlier one's method or builder name, a keyword or a client method) and at
//! least one response; fields OpenAPI does not know removed; parameters whose Rust names clash
//! reduced to the first.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::change::Repair;
use super::names::name_from_method_and_path;
use crate::check::keys::OPERATION_FIELDS;
use crate::check::operations::operation_id::CLIENT_METHODS;
use crate::diagnostic::Location;
use crate::model::type_identifier;
use crate::pointer::{METHODS, escape_pointer};

/// Gives every operation a unique, usable `operationId` and at least one response.
pub(super) fn repair_operations(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    // First pass: the builder names the spec's own ids claim, so a generated name never takes
    // one that a later operation holds legitimately. The builder name is the coarsest of the
    // Rust names an id becomes (see `builder_name`), so ids apart in it are apart in all.
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for item in paths.values() {
        for method in &METHODS {
            if let Some(id) = item
                .get(*method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
            {
                claimed.insert(builder_name(id));
            }
        }
    }
    // Second pass, in path order: the first holder of a builder name keeps it (with its id and
    // place, for the report).
    let mut taken: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in &METHODS {
            let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let location = |id: Option<&str>| Location::operation(method, path, id);
            let usable = id.as_deref().filter(|id| {
                let snake = id.to_snake_case();
                !snake.is_empty()
                    && syn::parse_str::<syn::Ident>(&snake).is_ok()
                    // The same list the curation check refuses, so a repaired spec passes it.
                    && !CLIENT_METHODS.contains(&snake.as_str())
            });
            let new_id = match (id.as_deref(), usable) {
                (Some(id), Some(_)) => match taken.get(&builder_name(id)) {
                    None => None,
                    Some((first_id, first)) => {
                        let new = unique_name(method, path, &claimed, &taken);
                        let message = if first_id.to_snake_case() == id.to_snake_case() {
                            format!(
                                "duplicate operationId `{id}` (first used by {first}) renamed \
                                 `{new}` (from method and path)"
                            )
                        } else {
                            // Distinct methods, one builder: `get_1x` and `get1x` are both `Get1x`.
                            format!(
                                "operationId `{id}` becomes the builder `{}`, as `{first_id}` \
                                 (first used by {first}) does; renamed `{new}` (from method and \
                                 path)",
                                builder_name(id)
                            )
                        };
                        repairs.push(Repair {
                            location: location(Some(id)),
                            message,
                        });
                        Some(new)
                    }
                },
                (Some(id), None) => {
                    let new = unique_name(method, path, &claimed, &taken);
                    repairs.push(Repair {
                        location: location(Some(id)),
                        message: format!(
                            "operationId `{id}` becomes no usable method name (empty, a Rust \
                             keyword, or one of the client's own methods); renamed `{new}` \
                             (from method and path)"
                        ),
                    });
                    Some(new)
                }
                (None, _) => {
                    let new = unique_name(method, path, &claimed, &taken);
                    repairs.push(Repair {
                        location: location(None),
                        message: format!(
                            "operation without operationId named `{new}` (from method and path)"
                        ),
                    });
                    Some(new)
                }
            };
            let final_id = match new_id {
                Some(new) => {
                    operation.insert("operationId".into(), Value::String(new.clone()));
                    new
                }
                None => id.unwrap_or_default(),
            };
            taken.insert(
                builder_name(&final_id),
                (
                    final_id.clone(),
                    format!("{} {path}", method.to_uppercase()),
                ),
            );

            let unknown: Vec<String> = operation
                .keys()
                .filter(|k| !k.starts_with("x-") && !OPERATION_FIELDS.contains(&k.as_str()))
                .cloned()
                .collect();
            for key in unknown {
                operation.remove(&key);
                repairs.push(Repair {
                    location: location(Some(&final_id)),
                    message: format!(
                        "`{key}` is not a field of an operation (OpenAPI ignores it); removed"
                    ),
                });
            }

            drop_clashing_parameters(operation, &location(Some(&final_id)), repairs);

            let has_responses = operation
                .get("responses")
                .and_then(Value::as_object)
                .is_some_and(|r| !r.is_empty());
            if !has_responses {
                operation.insert(
                    "responses".into(),
                    json!({"200": {"description": "Not described by the spec (added by repair)."}}),
                );
                repairs.push(Repair {
                    location: location(Some(&final_id)),
                    message: "operation without responses given an empty 200".to_owned(),
                });
            }
        }
    }
}

/// Removes OPTIONS and TRACE operations: progenitor's plain client sends each method through
/// `reqwest::Client`'s method of that name, and reqwest has none for these two, so the client
/// would not compile. (The curated client sends any method through its runtime.)
pub(super) fn drop_unsendable_methods(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in ["options", "trace"] {
            let Some(operation) = item.remove(method) else {
                continue;
            };
            let id = operation.get("operationId").and_then(Value::as_str);
            repairs.push(Repair {
                location: Location::operation(method, path, id),
                message: format!(
                    "{} operation removed: progenitor's client sends it with \
                     `reqwest::Client::{method}`, which reqwest does not have",
                    method.to_uppercase()
                ),
            });
        }
    }
}

/// Removes path items without any operation; progenitor would generate nothing for them.
pub(super) fn drop_empty_paths(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let empty: Vec<String> = paths
        .iter()
        .filter(|(_, item)| {
            item.as_object()
                .is_some_and(|item| !METHODS.iter().any(|m| item.contains_key(*m)))
        })
        .map(|(path, _)| path.clone())
        .collect();
    for path in empty {
        paths.remove(&path);
        repairs.push(Repair {
            location: Location::Pointer(format!("/paths/{}", escape_pointer(&path))),
            message: format!("path {path} has no operations; removed"),
        });
    }
}

/// Removes each inline parameter whose Rust name (its name in snake_case) is that of an earlier
/// parameter in the same place (`login_hint` beside `loginHint`): progenitor would declare the
/// same field and builder method twice, which does not compile. The first one is kept.
fn drop_clashing_parameters(
    operation: &mut Map<String, Value>,
    location: &Location,
    repairs: &mut Vec<Repair>,
) {
    let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    parameters.retain(|parameter| {
        let (Some(name), Some(place)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) else {
            return true;
        };
        let rust = name.to_snake_case();
        match seen.get(&(place.to_owned(), rust.clone())) {
            Some(first) => {
                repairs.push(Repair {
                    location: location.clone(),
                    message: format!(
                        "{place} parameter `{name}` becomes the Rust name `{rust}`, as parameter \
                         `{first}` does; removed (`{first}` kept)"
                    ),
                });
                false
            }
            None => {
                seen.insert((place.to_owned(), rust), name.to_owned());
                true
            }
        }
    });
}

/// A name from method and path that no operation has or claims, with a number when needed.
fn unique_name(
    method: &str,
    path: &str,
    claimed: &BTreeSet<String>,
    taken: &BTreeMap<String, (String, String)>,
) -> String {
    let base = name_from_method_and_path(method, path);
    let free = |name: &String| {
        let builder = builder_name(name);
        !claimed.contains(&builder) && !taken.contains_key(&builder)
    };
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(free)
        .unwrap_or(base)
}

/// The builder progenitor names an operation with: its method name (the id in snake_case) in
/// UpperCamelCase. Two ids with one method name share it; so do ids whose method names differ
/// only by an underscore before a digit, whose builders then clash.
fn builder_name(id: &str) -> String {
    type_identifier(&id.to_snake_case())
}
