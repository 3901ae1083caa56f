//! The `documentation` rule's part for types: every component schema and property has a
//! description, since the client's docs are made from them (the part for operations is in
//! `operations::documentation`). [`description`] reads one, here and for the docs pass.

use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};

/// The `documentation` rule's part for types: every component schema has a description, and
/// every property has one (a `$ref` property takes its schema's, since OpenAPI 3.0 ignores a
/// `$ref`'s siblings). Without them the client's types and setters would have no docs.
pub(crate) fn check(raw: &Value, report: &mut Report) {
    let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    for (name, schema) in schemas {
        let mut bare: Vec<&str> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, property)| {
                property.get("$ref").is_none() && description(property).is_none()
            })
            .map(|(wire, _)| wire.as_str())
            .collect();
        if description(schema).is_none() {
            bare.insert(0, "the schema itself");
        }
        if !bare.is_empty() {
            report.push_policy(
                Location::Schema(name.clone()),
                Rule::Documentation,
                format!("no description for {}", bare.join(", ")),
                "describe what each value means to a caller; the client's docs are made from it",
            );
        }
    }
}

pub(crate) fn description(value: &Value) -> Option<String> {
    value
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}
