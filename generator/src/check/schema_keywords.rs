//! Schema keywords openapiv3 would drop without a word (a misspelled `type` turns a string into
//! an untyped `serde_json::Value`), in every schema: the component schemas and each `schema` of
//! a parameter, header or media type, with everything nested in them.

use serde_json::Value;

use super::suggest::{closest, cut_value_tail};
use crate::diagnostic::{Report, Rule};
use crate::pointer::{escape_pointer, location_of};

/// The keywords an OpenAPI 3.0 schema may have. openapiv3 drops any other without a word, so a
/// misspelled `type` turns a string into an untyped `serde_json::Value`.
pub(super) const SCHEMA_FIELDS: &[&str] = &[
    "$ref",
    "title",
    "description",
    "type",
    "format",
    "nullable",
    "default",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
    "discriminator",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
];

/// Finds every schema (component schemas and each `schema` of a parameter, header or media
/// type) and checks its keywords; examples are data, not schemas, and are skipped.
pub(super) fn schema_keywords(root: &Value, value: &Value, at: String, report: &mut Report) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{}", escape_pointer(key));
                match key.as_str() {
                    "example" | "examples" => {}
                    "schema" => schema_fields(root, child, here, report),
                    "schemas" if at == "/components" => {
                        if let Value::Object(schemas) = child {
                            for (name, schema) in schemas {
                                let at = format!("{here}/{}", escape_pointer(name));
                                schema_fields(root, schema, at, report);
                            }
                        }
                    }
                    _ => schema_keywords(root, child, here, report),
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                schema_keywords(root, child, format!("{at}/{index}"), report);
            }
        }
        _ => {}
    }
}

fn schema_fields(root: &Value, schema: &Value, at: String, report: &mut Report) {
    let Value::Object(map) = schema else { return };
    for (key, value) in map {
        if SCHEMA_FIELDS.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let (message, help) = match cut_value_tail(key, value, &format!(" at {at}")) {
            Some(cut) => cut,
            None => (
                format!("`{key}` at {at} is not a schema keyword, so it would be ignored"),
                match closest(key, SCHEMA_FIELDS) {
                    Some(near) => {
                        format!("did you mean `{near}`? vendor extensions start with `x-`")
                    }
                    None => "remove it, or start it with `x-` if it is a vendor extension; \
                             OpenAPI 3.0 schemas take a subset of JSON Schema"
                        .to_owned(),
                },
            ),
        };
        report.push(location_of(root, &at), Rule::Structure, message, help);
    }
    let mut parts: Vec<(String, &Value)> = Vec::new();
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, property) in properties {
            parts.push((
                format!("{at}/properties/{}", escape_pointer(name)),
                property,
            ));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(part) = map.get(key) {
            parts.push((format!("{at}/{key}"), part));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(list)) = map.get(key) {
            for (index, part) in list.iter().enumerate() {
                parts.push((format!("{at}/{key}/{index}"), part));
            }
        }
    }
    for (at, part) in parts {
        schema_fields(root, part, at, report);
    }
}
