//! The `open-schemas` rule: component schemas stay open, so a field or value the service adds
//! later never breaks decoding (no `additionalProperties: false`, no closed `enum`).

use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};

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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

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
