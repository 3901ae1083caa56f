//! Rules checked on the raw JSON tree: references that lead nowhere, and schemas that would
//! make the client reject what the service adds later.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};
use crate::rules::escape_pointer;

/// Reports every `$ref` that is not a local JSON pointer to an existing place.
pub(crate) fn check_references(root: &Value, report: &mut Report) {
    let mut found = Vec::new();
    collect_references(root, String::new(), &mut found);
    for (at, reference) in found {
        let target_exists = reference
            .strip_prefix('#')
            .is_some_and(|pointer| root.pointer(pointer).is_some());
        if !target_exists {
            let help = if reference.starts_with('#') {
                "point the reference at an existing component, or define the missing one"
            } else {
                "inline the external document: only references within this file are supported"
            };
            report.push(
                location_of(&at),
                Rule::DanglingRef,
                format!("`$ref: {reference}` at {at} leads nowhere"),
                help,
            );
        }
    }
}

fn collect_references(value: &Value, at: String, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                found.push((at.clone(), reference.clone()));
            }
            for (key, child) in map {
                collect_references(child, format!("{at}/{}", escape_pointer(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_references(child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// Reports closed schemas under `components/schemas`: `additionalProperties: false` turns a new
/// response field into a decode error, and a string `enum` does the same for a new value.
pub(crate) fn check_open_schemas(root: &Value, report: &mut Report) {
    let Some(Value::Object(schemas)) = root.pointer("/components/schemas") else {
        return;
    };
    for (name, schema) in schemas {
        let mut problems = Vec::new();
        find_closed(schema, String::new(), &mut problems);
        for (at, what) in problems {
            let place = if at.is_empty() {
                String::new()
            } else {
                format!(" at {at}")
            };
            report.push(
                Location::Schema(name.clone()),
                Rule::OpenSchemas,
                format!("the schema uses {what}{place}"),
                "describe allowed values in the description instead, so the client keeps \
                 working when the service adds a field or a value",
            );
        }
    }
}

fn find_closed(schema: &Value, at: String, problems: &mut Vec<(String, &'static str)>) {
    let Value::Object(map) = schema else { return };
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        problems.push((at.clone(), "`additionalProperties: false`"));
    }
    if map.contains_key("enum") {
        problems.push((at.clone(), "a closed `enum`"));
    }
    for (key, child) in map {
        match (key.as_str(), child) {
            ("properties", Value::Object(properties)) => {
                for (property, schema) in properties {
                    find_closed(schema, format!("{at}/properties/{property}"), problems);
                }
            }
            ("items" | "additionalProperties", _) => {
                find_closed(child, format!("{at}/{key}"), problems);
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(parts)) => {
                for (index, part) in parts.iter().enumerate() {
                    find_closed(part, format!("{at}/{key}/{index}"), problems);
                }
            }
            _ => {}
        }
    }
}

/// The Rust names the spec chooses for properties whose derived name reads badly, by the name
/// progenitor derives: `x-rust-name: add_to_login_ids` on `addToLoginIDs` (which would
/// otherwise become `add_to_login_i_ds`). A wire name gets one Rust name across all schemas.
pub(crate) fn rust_names(root: &Value, report: &mut Report) -> BTreeMap<String, String> {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let Some(Value::Object(schemas)) = root.pointer("/components/schemas") else {
        return BTreeMap::new();
    };
    for (schema_name, schema) in schemas {
        let Some(Value::Object(properties)) = schema.get("properties") else {
            continue;
        };
        for (wire_name, property) in properties {
            let Some(chosen) = property.get("x-rust-name") else {
                continue;
            };
            let location = Location::Schema(schema_name.clone());
            let Some(chosen) = chosen.as_str().filter(|name| is_snake_identifier(name)) else {
                report.push(
                    location,
                    Rule::Structure,
                    format!(
                        "`x-rust-name` of property {wire_name} is not a snake_case Rust identifier"
                    ),
                    "use lower-case letters, digits and underscores, such as `add_to_login_ids`",
                );
                continue;
            };
            let derived = wire_name.to_snake_case();
            match renames.get(&derived) {
                Some(earlier) if earlier != chosen => report.push(
                    location,
                    Rule::Structure,
                    format!(
                        "property {wire_name} is named `{chosen}` here but `{earlier}` elsewhere"
                    ),
                    "give every property with this wire name the same `x-rust-name`",
                ),
                _ => {
                    renames.insert(derived, chosen.to_owned());
                }
            }
        }
    }
    renames
}

fn is_snake_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn::parse_str::<syn::Ident>(name).is_ok()
}

/// Names an operation when the pointer lies inside one, so messages say which.
pub(crate) fn location_of(pointer: &str) -> Location {
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .collect();
    match parts.as_slice() {
        [first, path, method, ..] if first == "paths" && is_method(method) => {
            Location::operation(method, path, None)
        }
        [first, second, name, ..] if first == "components" && second == "schemas" => {
            Location::Schema(name.clone())
        }
        _ => Location::Pointer(pointer.to_owned()),
    }
}

fn is_method(name: &str) -> bool {
    matches!(
        name,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_missing_component_is_reported_with_its_operation() {
        let root = json!({
            "paths": {"/v1/x": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Gone"}}}},
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}
        });
        let mut report = Report::new("spec.yaml");
        check_references(&root, &mut report);
        assert_eq!(report.diagnostics.len(), 1);
        let diagnostic = &report.diagnostics[0];
        assert_eq!(
            diagnostic.location,
            Location::operation("post", "/v1/x", None)
        );
        assert!(
            diagnostic
                .message
                .contains("#/components/requestBodies/Gone")
        );
    }

    #[test]
    fn closed_schemas_are_reported_where_they_close() {
        let root = json!({"components": {"schemas": {
            "Open": {"type": "object", "additionalProperties": true},
            "Closed": {"type": "object", "properties": {"status": {"type": "string", "enum": ["a"]}}}
        }}});
        let mut report = Report::new("spec.yaml");
        check_open_schemas(&root, &mut report);
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(
            report.diagnostics[0].location,
            Location::Schema("Closed".into())
        );
        assert!(report.diagnostics[0].message.contains("/properties/status"));
    }
}
