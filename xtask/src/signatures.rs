//! The public types a crate's rustdoc JSON gives its struct fields and inherent methods, for
//! seeing a change cargo-semver-checks has no lint for: a public field or a method parameter
//! that keeps its name but changes its type (the Rust reference calls both major changes).

use std::collections::BTreeMap;

use anyhow::Context;
use serde_json::Value;

/// `types::SignUpRequest.login_id` (a field) or `builder::SignUpRequest::login_id()` (a
/// method), each with its type or signature as canonical JSON.
pub type Signatures = BTreeMap<String, String>;

/// The signatures of every public struct field and inherent method in a rustdoc JSON file.
pub fn read(json: &str) -> anyhow::Result<Signatures> {
    let doc: Value = serde_json::from_str(json).context("rustdoc JSON does not parse")?;
    let index = doc["index"]
        .as_object()
        .context("rustdoc JSON has no index")?;
    let paths = doc["paths"]
        .as_object()
        .context("rustdoc JSON has no paths")?;
    let item = |id: &Value| index.get(&id_key(id));
    let mut signatures = Signatures::new();
    for (id, entry) in index {
        let Some(strukt) = entry["inner"].get("struct") else {
            continue;
        };
        if entry["crate_id"] != 0 || entry["visibility"] != "public" {
            continue;
        }
        // Only what users can name: items re-exported or declared on a public path.
        let Some(path) = paths.get(id).and_then(|p| p["path"].as_array()) else {
            continue;
        };
        let path: Vec<&str> = path.iter().skip(1).filter_map(Value::as_str).collect();
        let path = path.join("::");
        let fields = strukt["kind"]["plain"]["fields"].as_array();
        for field in fields.into_iter().flatten().filter_map(item) {
            if field["visibility"] == "public" {
                let name = field["name"].as_str().unwrap_or("?");
                signatures.insert(
                    format!("{path}.{name}"),
                    canonical(&field["inner"]["struct_field"]),
                );
            }
        }
        let impls = strukt["impls"].as_array().into_iter().flatten();
        for block in impls.filter_map(item) {
            let block = &block["inner"]["impl"];
            if !block["trait"].is_null() {
                continue;
            }
            for method in block["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(item)
            {
                let Some(function) = method["inner"].get("function") else {
                    continue;
                };
                if method["visibility"] == "public" {
                    let name = method["name"].as_str().unwrap_or("?");
                    let signature = serde_json::json!({
                        "sig": function["sig"],
                        "generics": function["generics"],
                    });
                    signatures.insert(format!("{path}::{name}()"), canonical(&signature));
                }
            }
        }
    }
    Ok(signatures)
}

/// The names present on both sides whose type or signature differs.
pub fn changed(base: &Signatures, head: &Signatures) -> Vec<String> {
    base.iter()
        .filter(|(name, signature)| head.get(*name).is_some_and(|now| now != *signature))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Ids number items per build, so two builds of one type differ only in them: drop them.
fn canonical(value: &Value) -> String {
    fn strip(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(key, _)| key.as_str() != "id")
                    .map(|(key, value)| (key.clone(), strip(value)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(value).to_string()
}

/// Index keys are ids as strings; references to them are numbers (or strings, in some formats).
fn id_key(id: &Value) -> String {
    match id {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate with `pub struct S { pub a: T }` and `impl S { pub fn set(self, v: T) }`, where
    /// T is `field_type`, numbered with `offset` so two builds differ in ids.
    fn crate_json(field_type: &str, offset: u64) -> String {
        let (s, a, i, f) = (offset, offset + 1, offset + 2, offset + 3);
        let ty = serde_json::json!({"resolved_path": {"path": field_type, "id": offset + 9, "args": null}});
        serde_json::json!({
            "index": {
                s.to_string(): {"crate_id": 0, "visibility": "public", "name": "S",
                    "inner": {"struct": {"kind": {"plain": {"fields": [a]}}, "impls": [i]}}},
                a.to_string(): {"crate_id": 0, "visibility": "public", "name": "a",
                    "inner": {"struct_field": ty}},
                i.to_string(): {"crate_id": 0, "visibility": "default", "name": null,
                    "inner": {"impl": {"trait": null, "items": [f]}}},
                f.to_string(): {"crate_id": 0, "visibility": "public", "name": "set",
                    "inner": {"function": {"sig": {"inputs": [["v", ty]]}, "generics": {}}}},
            },
            "paths": { s.to_string(): {"path": ["krate", "types", "S"]} },
        })
        .to_string()
    }

    #[test]
    fn a_field_or_parameter_that_changes_type_is_seen_and_renumbering_is_not() {
        let base = read(&crate_json("String", 10)).unwrap();
        assert_eq!(
            base.keys().collect::<Vec<_>>(),
            ["types::S.a", "types::S::set()"]
        );
        assert!(changed(&base, &read(&crate_json("String", 500)).unwrap()).is_empty());
        assert_eq!(
            changed(&base, &read(&crate_json("i64", 500)).unwrap()),
            ["types::S.a", "types::S::set()"]
        );
    }
}
