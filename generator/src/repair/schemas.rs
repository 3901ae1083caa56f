//! Repairs of schemas: names that are not plain identifiers renamed (every `$ref` rewritten),
//! `$ref`s that lead nowhere replaced by the empty schema, `default`s not of the schema's type
//! removed, and properties whose Rust field names clash reduced to the first.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::change::Repair;
use super::names::capitalize;
use crate::check::references::dangling_references;
use crate::diagnostic::Location;
use crate::pointer::{escape_pointer, location_of};

/// and rewrites every `$ref` to them.
pub(super) fn rename_schemas(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(schemas) = raw
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut existing: BTreeSet<String> = schemas.keys().cloned().collect();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let old = std::mem::take(schemas);
    let mut new = Map::new();
    for (name, schema) in old {
        let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            new.insert(name, schema);
            continue;
        }
        let base: String = name
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map(capitalize)
            .collect();
        let base = if base.is_empty() {
            "Schema".to_owned()
        } else {
            base
        };
        let target = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|candidate| !existing.contains(candidate))
            .unwrap_or(base);
        existing.insert(target.clone());
        repairs.push(Repair {
            location: Location::Schema(name.clone()),
            message: format!(
                "schema name `{name}` is not a plain identifier; renamed `{target}` and every \
                 `$ref` to it rewritten"
            ),
        });
        renamed.insert(name, target.clone());
        new.insert(target, schema);
    }
    *schemas = new;
    if !renamed.is_empty() {
        rewrite_refs(raw, &renamed);
    }
}

fn rewrite_refs(value: &mut Value, renamed: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Some(target) = child
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .and_then(|name| renamed.get(name))
                    {
                        *child = Value::String(format!("#/components/schemas/{target}"));
                    }
                } else {
                    rewrite_refs(child, renamed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renamed)),
        _ => {}
    }
}

/// Replaces each schema `$ref` that leads nowhere with the empty schema (any JSON value), so the
/// operations using it still get generated, with `serde_json::Value` in that place.
pub(super) fn untype_dangling_schemas(raw: &mut Value, repairs: &mut Vec<Repair>) {
    for (at, reference) in dangling_references(raw) {
        let in_schema = at.starts_with("/components/schemas/") || at.contains("/schema");
        if !in_schema {
            continue;
        }
        let location = location_of(raw, &at);
        if let Some(place) = raw.pointer_mut(&at) {
            *place = json!({});
            repairs.push(Repair {
                location,
                message: format!(
                    "`$ref: {reference}` at {at} leads nowhere; replaced by the empty schema (any \
                     JSON value)"
                ),
            });
        }
    }
}

/// Removes each schema `default` whose value is not of the schema's `type` (`type: object` with
/// `default: false`): typify refuses the whole spec with "value does not conform to the given
/// schema" and names no place.
pub(super) fn drop_mistyped_defaults(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let mut found = Vec::new();
    find_mistyped_defaults(raw, String::new(), &mut found);
    for (at, kind, value) in found {
        let location = location_of(raw, &at);
        if let Some(schema) = raw.pointer_mut(&at).and_then(Value::as_object_mut) {
            schema.remove("default");
            repairs.push(Repair {
                location,
                message: format!(
                    "`default: {value}` at {at} is not of the schema's type `{kind}`; removed"
                ),
            });
        }
    }
}

fn find_mistyped_defaults(value: &Value, at: String, found: &mut Vec<(String, String, Value)>) {
    match value {
        Value::Object(map) => {
            if let (Some(kind), Some(default)) =
                (map.get("type").and_then(Value::as_str), map.get("default"))
            {
                let fits = match kind {
                    "string" => default.is_string(),
                    "boolean" => default.is_boolean(),
                    "integer" => default.is_i64() || default.is_u64(),
                    "number" => default.is_number(),
                    "object" => default.is_object(),
                    "array" => default.is_array(),
                    _ => true,
                };
                if !fits && !default.is_null() {
                    found.push((at.clone(), kind.to_owned(), default.clone()));
                }
            }
            for (key, child) in map {
                find_mistyped_defaults(child, format!("{at}/{}", escape_pointer(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                find_mistyped_defaults(child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// twice. Properties are in key order; the first keeps the name.
pub(super) fn drop_clashing_properties(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let mut found = Vec::new();
    find_clashing_properties(raw, String::new(), &mut found);
    for (at, name, first) in found {
        let location = location_of(raw, &at);
        let Some(properties) = raw
            .pointer_mut(&format!("{at}/properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        properties.remove(&name);
        if let Some(required) = raw
            .pointer_mut(&format!("{at}/required"))
            .and_then(Value::as_array_mut)
        {
            required.retain(|r| r.as_str() != Some(name.as_str()));
        }
        repairs.push(Repair {
            location,
            message: format!(
                "property `{name}` at {at} becomes the field `{}`, as property `{first}` does; \
                 removed (`{first}` kept)",
                name.to_snake_case()
            ),
        });
    }
}

fn find_clashing_properties(value: &Value, at: String, found: &mut Vec<(String, String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(properties) = map.get("properties").and_then(Value::as_object)
                && properties.values().all(Value::is_object)
            {
                {
                    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
                    for name in properties.keys() {
                        match seen.get(&name.to_snake_case()) {
                            Some(first) => {
                                found.push((at.clone(), name.clone(), (*first).to_owned()))
                            }
                            None => {
                                seen.insert(name.to_snake_case(), name);
                            }
                        }
                    }
                }
            }
            for (key, child) in map {
                find_clashing_properties(child, format!("{at}/{}", escape_pointer(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                find_clashing_properties(child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}
