//! `x-extensible-enum`: a string whose known values the spec lists while the service may add
//! more (a user's status, a tenant's authentication type). The generated type is an enum of the
//! known values with an `Unknown` variant that keeps any other text, so a value Descope adds later
//! still decodes. The list must sit on a named component schema of `type: string` (the enum needs
//! a name), its values be distinct strings, and their Rust variant names distinct identifiers.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};
use crate::pointer::escape_pointer;

const MARK: &str = "x-extensible-enum";

/// The known values of each component schema marked `x-extensible-enum`, by schema name.
pub(crate) fn extensible_enums(root: &Value, report: &mut Report) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    let schemas = root
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let Some(values) = schema.get(MARK) else {
            continue;
        };
        let location = Location::Schema(name.clone());
        let mut fail = |message: String, help: &str| {
            report.push(location.clone(), Rule::Structure, message, help);
        };
        if schema.get("type").and_then(Value::as_str) != Some("string")
            || schema.get("enum").is_some()
        {
            fail(
                format!("`{MARK}` is on schema {name}, which is not an open `type: string`"),
                "list extensible values only on a string schema without `enum`",
            );
            continue;
        }
        let Some(values) = values.as_array().filter(|values| !values.is_empty()) else {
            fail(
                format!("`{MARK}` of schema {name} is not a list of values"),
                "write the known values as a list of strings, such as [enabled, disabled]",
            );
            continue;
        };
        let mut texts = Vec::new();
        let mut variants: BTreeMap<String, String> = BTreeMap::new();
        for value in values {
            let Some(text) = value.as_str() else {
                fail(
                    format!("`{MARK}` of schema {name} holds {value}, which is not a string"),
                    "list the values as strings, as they go on the wire",
                );
                continue;
            };
            let variant = variant_name(text);
            let problem = if syn::parse_str::<syn::Ident>(&variant).is_err() {
                Some(format!(
                    "becomes `{variant}`, which is not a Rust identifier"
                ))
            } else if variant == "Unknown" {
                Some(
                    "becomes `Unknown`, the variant kept for values the crate does not know".into(),
                )
            } else {
                variants.get(&variant).map(|other| {
                    format!("becomes the variant `{variant}`, as value `{other}` does")
                })
            };
            if let Some(problem) = problem {
                fail(
                    format!("value `{text}` of schema {name} {problem}"),
                    "list each value once; values that differ only in case or punctuation \
                     cannot both be known, and a value named like `unknown` is better left to \
                     `Unknown`",
                );
                continue;
            }
            variants.insert(variant, text.to_owned());
            texts.push(text.to_owned());
        }
        found.insert(name.clone(), texts);
    }
    inline_marks(root, &mut String::new(), report);
    found
}

/// The Rust variant of a value: `enabled` → `Enabled`, `recovery_codes` → `RecoveryCodes`.
pub(crate) fn variant_name(value: &str) -> String {
    value.to_upper_camel_case()
}

/// `x-extensible-enum` anywhere but directly on a component schema: the enum would have no name.
fn inline_marks(value: &Value, pointer: &mut String, report: &mut Report) {
    let Value::Object(object) = value else {
        if let Value::Array(items) = value {
            for (index, item) in items.iter().enumerate() {
                let length = pointer.len();
                pointer.push_str(&format!("/{index}"));
                inline_marks(item, pointer, report);
                pointer.truncate(length);
            }
        }
        return;
    };
    let is_component = pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'));
    if object.contains_key(MARK) && !is_component {
        report.push(
            Location::Pointer(pointer.clone()),
            Rule::Structure,
            format!("`{MARK}` is on an inline schema; its enum would have no name"),
            "move the schema to `components.schemas` under a name (the enum's) and `$ref` it \
             (`nullable: true` with `allOf: [{$ref: ...}]` where null is allowed)",
        );
    }
    for (key, child) in object {
        let length = pointer.len();
        pointer.push('/');
        pointer.push_str(&escape_pointer(key));
        inline_marks(child, pointer, report);
        pointer.truncate(length);
    }
}
