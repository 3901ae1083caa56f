//! `x-descope-sensitive`: which properties hold secrets, read from the raw tree and checked (the
//! mark is a boolean), named as the generated code names their fields. `emit::redact` keeps
//! them out of `Debug`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};
use crate::model::SensitiveFields;

const MARK: &str = "x-descope-sensitive";

/// Reads the `x-descope-sensitive` marks, naming fields as the generated code does.
pub(crate) fn sensitive_fields(
    root: &Value,
    rust_names: &BTreeMap<String, String>,
    report: &mut Report,
) -> SensitiveFields {
    let mut found = SensitiveFields::new();
    let Some(Value::Object(schemas)) = root.pointer("/components/schemas") else {
        return found;
    };
    for (schema_name, schema) in schemas {
        let Some(Value::Object(properties)) = schema.get("properties") else {
            continue;
        };
        for (wire_name, property) in properties {
            match property.get(MARK) {
                None | Some(Value::Bool(false)) => {}
                Some(Value::Bool(true)) => {
                    let derived = crate::model::rust_identifier(wire_name);
                    let field = rust_names.get(&derived).cloned().unwrap_or(derived);
                    found.entry(schema_name.clone()).or_default().insert(field);
                }
                Some(other) => report.push(
                    Location::Schema(schema_name.clone()),
                    Rule::Structure,
                    format!("`{MARK}` of property {wire_name} is {other}, not a boolean"),
                    format!("write `{MARK}: true` on properties whose values are secrets"),
                ),
            }
        }
    }
    found
}
