//! Keys openapiv3 would drop without a word, with everything under them: fields unknown to the
//! document, `components`, a path item or an operation (a misspelled `post` loses its whole
//! operation), response keys that are not status codes, paths without operations, and component
//! schemas whose names would become one Rust type. Schema keywords are checked in
//! `schema_keywords`.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::schema_keywords::schema_keywords;
use super::suggest::{closest, cut_value_tail};
use crate::diagnostic::{Location, Report, Rule};
use crate::pointer::{escape_pointer, is_method, location_of};

/// The fields an OpenAPI 3.0 object may have, for the objects whose unknown fields openapiv3
/// drops without a word: a misspelled `post` loses its whole operation, a misspelled
/// `requestBody` its body.
const DOCUMENT_FIELDS: &[&str] = &[
    "openapi",
    "info",
    "servers",
    "paths",
    "components",
    "security",
    "tags",
    "externalDocs",
];
const PATH_ITEM_FIELDS: &[&str] = &[
    "$ref",
    "summary",
    "description",
    "servers",
    "parameters",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
];
pub(crate) const OPERATION_FIELDS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];

pub(super) const COMPONENT_KINDS: [&str; 9] = [
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Reports keys that openapiv3 would ignore (with everything under them), response keys that
/// are not status codes, paths without operations, and component schemas whose Rust type names
/// collide.
pub(crate) fn check_keys(root: &Value, report: &mut Report) {
    let Value::Object(document) = root else {
        return;
    };
    unknown_fields(
        document,
        DOCUMENT_FIELDS,
        "the document",
        pointer_to(""),
        report,
    );
    if let Some(Value::Object(components)) = document.get("components") {
        let at = pointer_to("/components");
        unknown_fields(components, &COMPONENT_KINDS, "`components`", at, report);
    }
    match document.get("paths") {
        // progenitor makes a client without methods of it; the curated one would be useless.
        Some(Value::Object(paths)) if paths.is_empty() => report.push_runtime(
            Location::Pointer("/paths".into()),
            Rule::Structure,
            "the document declares no operations, so the client would have no methods",
            "add the operations under `paths`",
        ),
        Some(Value::Object(paths)) => {
            for (path, item) in paths {
                path_item_keys(root, path, item, report);
            }
        }
        _ => {}
    }
    schema_type_names(document, report);
    schema_keywords(root, root, String::new(), report);
}

fn path_item_keys(root: &Value, path: &str, item: &Value, report: &mut Report) {
    let Value::Object(item) = item else { return };
    if item.contains_key("$ref") {
        return; // The path-item-ref rule speaks for it.
    }
    let at = format!("/paths/{}", escape_pointer(path));
    let misspelled = unknown_fields(
        item,
        PATH_ITEM_FIELDS,
        "a path item",
        pointer_to(&at),
        report,
    );
    let methods: Vec<&String> = item.keys().filter(|key| is_method(key)).collect();
    if methods.is_empty() && !misspelled {
        report.push(
            Location::Pointer(at),
            Rule::Structure,
            format!("path {path} has no operations"),
            "add the operation under its lower-case HTTP method, such as `post:`, or remove \
             the path",
        );
    }
    for method in methods {
        let Some(Value::Object(operation)) = item.get(method) else {
            continue;
        };
        let here = location_of(root, &format!("/paths/{}/{method}", escape_pointer(path)));
        unknown_fields(
            operation,
            OPERATION_FIELDS,
            "an operation",
            |_| here.clone(),
            report,
        );
        if let Some(Value::Object(responses)) = operation.get("responses") {
            for status in responses.keys() {
                if !is_response_key(status) {
                    report.push(
                        here.clone(),
                        Rule::Responses,
                        format!(
                            "response key `{status}` is not a status code, so the response \
                             would be ignored"
                        ),
                        "use a three-digit code such as `400`, a range such as `4XX`, or \
                         `default`",
                    );
                }
            }
        }
    }
}

/// Reports each key of `object` that is neither in `known` nor a vendor extension, at the
/// location `place` gives for the key; returns whether there was one.
fn unknown_fields(
    object: &serde_json::Map<String, Value>,
    known: &[&str],
    what: &str,
    place: impl Fn(&str) -> Location,
    report: &mut Report,
) -> bool {
    let mut found = false;
    for (key, value) in object {
        if known.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        found = true;
        let lost = match value.get("operationId").and_then(Value::as_str) {
            Some(id) => format!(" (operation {id})"),
            None => String::new(),
        };
        let (message, help) = cut_value_tail(key, value, "").unwrap_or_else(|| {
            let help = match closest(key, known) {
                Some(near) => format!("did you mean `{near}`? vendor extensions start with `x-`"),
                None => format!(
                    "remove it, or start it with `x-` if it is a vendor extension; the fields \
                     here are {}",
                    known.join(", ")
                ),
            };
            let message = format!(
                "`{key}` is not a field of {what}, so it would be ignored with everything under \
                 it{lost}"
            );
            (message, help)
        });
        report.push(place(key), Rule::Structure, message, help);
    }
    found
}

/// Places a key of the object at `at` by its own JSON pointer.
fn pointer_to(at: &str) -> impl Fn(&str) -> Location + '_ {
    move |key| Location::Pointer(format!("{at}/{}", escape_pointer(key)))
}

/// `default`, a code from 100 to 599, a range `1XX` to `5XX`, or a vendor extension.
fn is_response_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    key == "default"
        || key.starts_with("x-")
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && (bytes[1..].iter().all(u8::is_ascii_digit) || &bytes[1..] == b"XX"))
}

/// Two component schemas whose names give the same Rust type name would be two types of one
/// name in the generated code.
fn schema_type_names(document: &serde_json::Map<String, Value>, report: &mut Report) {
    let Some(Value::Object(schemas)) = document.get("components").and_then(|c| c.get("schemas"))
    else {
        return;
    };
    let mut first_by_type: BTreeMap<String, &String> = BTreeMap::new();
    for name in schemas.keys() {
        let type_name = name.to_upper_camel_case();
        match first_by_type.get(&type_name) {
            Some(first) => report.push(
                Location::Schema(name.clone()),
                Rule::Structure,
                format!("schemas {first} and {name} would both become the Rust type `{type_name}`"),
                "rename one of the schemas (and the references to it)",
            ),
            None => {
                first_by_type.insert(type_name, name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::schema_keywords::SCHEMA_FIELDS;
    use crate::check::suggest::edit_distance;

    #[test]
    fn misspellings_are_matched_to_the_field_meant() {
        assert_eq!(closest("posts", PATH_ITEM_FIELDS), Some("post"));
        assert_eq!(
            closest("requestbody", OPERATION_FIELDS),
            Some("requestBody")
        );
        assert_eq!(closest("typ", SCHEMA_FIELDS), Some("type"));
        assert_eq!(closest("or to create.", SCHEMA_FIELDS), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn response_keys_are_codes_ranges_or_default() {
        for good in ["200", "429", "5XX", "default", "x-note"] {
            assert!(is_response_key(good), "{good}");
        }
        for bad in ["4O0", "600", "20", "2xx", "ok", "099"] {
            assert!(!is_response_key(bad), "{bad}");
        }
    }
}
