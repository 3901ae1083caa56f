//! The Rust names the spec chooses (`x-rust-name`) and the Rust names that would collide: read
//! from the raw tree before progenitor runs, checked (snake_case, one name per wire name, no two
//! properties of a schema on one field), and handed to the rename and redaction passes.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};

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
            if GENERATED_NAMES.contains(&chosen) || PRIMITIVE_TYPES.contains(&chosen) {
                report.push(
                    location,
                    Rule::Structure,
                    format!(
                        "`x-rust-name: {chosen}` of property {wire_name} is a name the generated \
                         code of the type already uses"
                    ),
                    format!(
                        "choose a name that says what the property holds, such as `{chosen}_value`; \
                         the generated types already spell {} and the primitive types' names",
                        GENERATED_NAMES
                            .iter()
                            .map(|name| format!("`{name}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                continue;
            }
            let derived = crate::model::rust_identifier(wire_name);
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
    field_names(schemas, &renames, report);
    renames
}

/// Two properties of one schema whose Rust names agree would be two fields of one name; the
/// spec's `x-rust-name` cannot part them, as it renames by the derived name.
fn field_names(
    schemas: &serde_json::Map<String, Value>,
    renames: &BTreeMap<String, String>,
    report: &mut Report,
) {
    for (schema_name, schema) in schemas {
        let Some(Value::Object(properties)) = schema.get("properties") else {
            continue;
        };
        let mut first_by_field: BTreeMap<String, &String> = BTreeMap::new();
        for wire_name in properties.keys() {
            let derived = crate::model::rust_identifier(wire_name);
            let field = renames.get(&derived).cloned().unwrap_or(derived);
            match first_by_field.get(&field) {
                Some(first) => report.push(
                    Location::Schema(schema_name.clone()),
                    Rule::Structure,
                    format!(
                        "properties {first} and {wire_name} would both become the Rust field \
                         `{field}`"
                    ),
                    "keep one spelling of the property; the service reads only one of them",
                ),
                None => {
                    first_by_field.insert(field, wire_name);
                }
            }
        }
    }
}

/// The snake_case names progenitor writes into the code of every type with properties, other
/// than its fields: its `builder()` constructor, and the variables, calls and attributes of the
/// builder's setters and conversions. A property renamed to one of them would be renamed into
/// that code as well, which the rename pass (`emit/rename.rs`) cannot tell apart from its own
/// error; its test holds this list to what progenitor writes for the curated spec.
pub(crate) const GENERATED_NAMES: &[&str] = &[
    // The type's constructor of its builder, and the builder's setters and conversions.
    "builder",
    "value",
    "e",
    "format",
    "map_err",
    "to_string",
    "try_into",
    // Attributes.
    "derive",
    "doc",
    "serde",
];

/// The primitive types, which fields are written with: all of them, as other specs use other
/// formats than the curated one. Reserved like [`GENERATED_NAMES`].
pub(crate) const PRIMITIVE_TYPES: &[&str] = &[
    "bool", "char", "str", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
    "u128", "usize", "f32", "f64",
];

fn is_snake_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn::parse_str::<syn::Ident>(name).is_ok()
}
