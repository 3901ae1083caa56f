//! What the spec says in prose, keyed as the generated code names things: each schema's
//! description, each property's (by the Rust field name), and each operation parameter's. The
//! emitters document the items progenitor leaves bare from it (`emit::docs`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Operation, rust_identifier};
use crate::check::docs::description;

/// What the spec says about each type's fields and each operation's parameters.
pub struct SpecDocs {
    /// Schema name → its description.
    pub(crate) schemas: BTreeMap<String, String>,
    /// Schema name → Rust field name → description.
    pub(crate) fields: BTreeMap<String, BTreeMap<String, String>>,
    /// Operation id → parameter's Rust name → description.
    pub(crate) parameters: BTreeMap<String, BTreeMap<String, String>>,
}

impl SpecDocs {
    /// Reads the descriptions of `raw`, naming fields with the spec's chosen Rust names.
    pub(crate) fn read(
        raw: &Value,
        rust_names: &BTreeMap<String, String>,
        operations: &[Operation],
    ) -> Self {
        let mut docs = SpecDocs {
            schemas: BTreeMap::new(),
            fields: BTreeMap::new(),
            parameters: BTreeMap::new(),
        };
        let schemas = raw
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            if let Some(text) = description(schema) {
                docs.schemas.insert(name.clone(), text);
            }
        }
        for (name, schema) in schemas.into_iter().flatten() {
            let properties = schema.get("properties").and_then(Value::as_object);
            let fields = properties
                .into_iter()
                .flatten()
                .filter_map(|(wire, property)| {
                    let derived = rust_identifier(wire);
                    let rust = rust_names.get(&derived).cloned().unwrap_or(derived);
                    Some((rust, docs.property(property)?))
                })
                .collect();
            docs.fields.insert(name.clone(), fields);
        }
        for operation in operations {
            let described = operation
                .parameters
                .iter()
                .map(|parameter| {
                    let text = parameter_description(raw, operation, &parameter.name)
                        .unwrap_or_else(|| format!("The `{}` parameter.", parameter.name));
                    (parameter.rust_name(), text)
                })
                .collect();
            docs.parameters
                .insert(operation.operation_id.clone(), described);
        }
        docs
    }

    /// A property's description, or for a `$ref` its schema's.
    fn property(&self, property: &Value) -> Option<String> {
        description(property).or_else(|| {
            let target = property.get("$ref")?.as_str()?.rsplit('/').next()?;
            self.schemas.get(target).cloned()
        })
    }
}

/// The description of an operation's parameter, the operation's own or its path item's.
fn parameter_description(raw: &Value, operation: &Operation, name: &str) -> Option<String> {
    let item = raw.get("paths")?.get(&operation.path)?;
    let method = operation.http_method.to_lowercase();
    [
        item.get(&method).and_then(|o| o.get("parameters")),
        item.get("parameters"),
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_array)
    .flatten()
    .map(
        |parameter| match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => raw
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or(parameter),
            None => parameter,
        },
    )
    .find(|parameter| parameter.get("name").and_then(Value::as_str) == Some(name))
    .and_then(description)
}
