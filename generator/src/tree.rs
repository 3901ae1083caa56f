//! Rules checked on the raw JSON tree: references that lead nowhere or to the wrong kind of
//! object, keys that openapiv3 would silently drop, names that would collide in Rust, and
//! schemas that would make the client reject what the service adds later.

use std::collections::BTreeMap;
use std::fmt::Write;

use heck::ToUpperCamelCase;
use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};
use crate::rules::{escape_pointer, push_escaped_key};

/// Reports every `$ref` that is not a local JSON pointer to an existing place, or that points
/// at a different kind of object than its place holds (a schema where a response belongs).
/// Returns whether any reference leads nowhere.
pub(crate) fn check_references(root: &Value, report: &mut Report) -> bool {
    let mut found = Vec::new();
    collect_references(root, &mut String::new(), &mut found);
    let mut any_dangles = false;
    for (at, reference) in found
        .iter()
        .filter(|(_, reference)| leads_nowhere(root, reference))
    {
        any_dangles = true;
        let help = if let Some(near) = nearest_component(root, reference) {
            format!("did you mean `{near}`? otherwise define the missing component")
        } else if reference.starts_with('#') {
            "point the reference at an existing component, or define the missing one".to_owned()
        } else {
            "inline the external document: only references within this file are supported"
                .to_owned()
        };
        report.push(
            location_of(root, at),
            Rule::DanglingRef,
            format!("`$ref: {reference}` at {at} leads nowhere"),
            help,
        );
    }
    for (at, reference) in &found {
        // Components that are only a `$ref` to each other, around a loop, never reach a
        // definition; progenitor follows such a loop until the stack overflows, which aborts
        // the process rather than panicking. Each loop is reported once, at its first member.
        let holder = format!("#{at}");
        if let Some(cycle) = reference_cycle(root, reference)
            && cycle.iter().min() == Some(&holder)
        {
            let start = cycle.iter().position(|r| *r == holder).unwrap_or(0);
            let mut shown: Vec<&str> = cycle[start..]
                .iter()
                .chain(&cycle[..start])
                .map(String::as_str)
                .collect();
            shown.push(&holder);
            report.push(
                location_of(root, at),
                Rule::DanglingRef,
                format!(
                    "the references loop without reaching a definition: {}",
                    shown.join(" -> ")
                ),
                "point one of the references at a component with content",
            );
        }
    }
    for (at, reference) in found {
        let Some(expected) = expected_kind(&at) else {
            continue;
        };
        let target_exists = reference
            .strip_prefix('#')
            .is_some_and(|pointer| root.pointer(pointer).is_some());
        if !target_exists || reference.starts_with(&format!("#/components/{expected}/")) {
            continue;
        }
        // openapiv3 and progenitor look a reference up by its last segment in the table they
        // expect, so a wrong kind either fails later or, worse, finds a namesake by accident.
        let target = match reference.split('/').nth(2) {
            Some(kind) if reference.starts_with("#/components/") => kind_name(kind),
            _ => "something other than a component",
        };
        report.push(
            location_of(root, &at),
            Rule::DanglingRef,
            format!(
                "`$ref: {reference}` at {at} points at {target}, but {} belongs here",
                kind_name(expected)
            ),
            match reference.rsplit('/').next().filter(|name| {
                root.pointer(&format!("/components/{expected}/{name}"))
                    .is_some()
            }) {
                Some(name) => format!("did you mean `#/components/{expected}/{name}`?"),
                None => format!("point the reference into `#/components/{expected}/`"),
            },
        );
    }
    any_dangles
}

/// An existing component a dangling `#/components/<kind>/<name>` most likely meant.
fn nearest_component(root: &Value, reference: &str) -> Option<String> {
    let (kind, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    let table = root.get("components")?.get(kind)?.as_object()?;
    let names: Vec<&str> = table.keys().map(String::as_str).collect();
    closest(name, &names).map(|near| format!("#/components/{kind}/{near}"))
}

/// The references around the loop that following `reference` enters, if it enters one: each a
/// `#`-pointer to an object that holds nothing but a `$ref` to the next.
fn reference_cycle(root: &Value, reference: &str) -> Option<Vec<String>> {
    let mut chain: Vec<String> = Vec::new();
    let mut current = reference.to_owned();
    loop {
        if let Some(start) = chain.iter().position(|seen| *seen == current) {
            return Some(chain.split_off(start));
        }
        let target = root.pointer(current.strip_prefix('#')?)?;
        let next = target.get("$ref")?.as_str()?.to_owned();
        chain.push(current);
        current = next;
    }
}

/// Every `$ref` (where it is, what it says) that is not a local pointer to an existing place.
pub(crate) fn dangling_references(root: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    collect_references(root, &mut String::new(), &mut found);
    found.retain(|(_, reference)| leads_nowhere(root, reference));
    found
}

/// Whether `reference` is not a local JSON pointer to an existing place in `root`.
fn leads_nowhere(root: &Value, reference: &str) -> bool {
    reference
        .strip_prefix('#')
        .is_none_or(|pointer| root.pointer(pointer).is_none())
}

/// The `components` table a reference at `at` (a JSON pointer to the object holding `$ref`)
/// must point into, when its place says.
fn expected_kind(at: &str) -> Option<&'static str> {
    let parts = pointer_parts(at);
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    // Anything under a `schema`, or inside a component schema, is a schema.
    if parts.contains(&"schema") || parts.starts_with(&["components", "schemas"]) {
        return Some("schemas");
    }
    let kind = match parts.as_slice() {
        ["components", kind, _] => *kind,
        [.., "requestBody"] => "requestBodies",
        [.., "responses", _] => "responses",
        [.., "parameters", _] => "parameters",
        [.., "headers", _] => "headers",
        [.., "examples", _] => "examples",
        [.., "links", _] => "links",
        _ => return None,
    };
    COMPONENT_KINDS.iter().copied().find(|k| *k == kind)
}

const COMPONENT_KINDS: [&str; 9] = [
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

/// A component kind as a phrase: `responses` is "a response".
fn kind_name(kind: &str) -> &'static str {
    match kind {
        "schemas" => "a schema",
        "responses" => "a response",
        "parameters" => "a parameter",
        "examples" => "an example",
        "requestBodies" => "a request body",
        "headers" => "a header",
        "securitySchemes" => "a security scheme",
        "links" => "a link",
        "callbacks" => "a callback",
        _ => "an unknown kind of component",
    }
}

/// Every `$ref` under `value`, with the JSON pointer of the object holding it. `at` is that
/// pointer while walking, grown and cut back in place: the walk visits every node of the spec,
/// and only the few holding a reference need a copy of it.
fn collect_references(value: &Value, at: &mut String, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                found.push((at.clone(), reference.clone()));
            }
            for (key, child) in map {
                let length = at.len();
                at.push('/');
                push_escaped_key(at, key);
                collect_references(child, at, found);
                at.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let length = at.len();
                // Writing to a `String` cannot fail.
                let _ = write!(at, "/{index}");
                collect_references(child, at, found);
                at.truncate(length);
            }
        }
        _ => {}
    }
}

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

/// The keywords an OpenAPI 3.0 schema may have. openapiv3 drops any other without a word, so a
/// misspelled `type` turns a string into an untyped `serde_json::Value`.
const SCHEMA_FIELDS: &[&str] = &[
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
fn schema_keywords(root: &Value, value: &Value, at: String, report: &mut Report) {
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

/// The message and help for a key that is the tail of a value cut at a comma: in a YAML flow
/// mapping (`{type: string, description: a, b}`) an unquoted comma ends the value, and the
/// rest becomes a key without a value. `place` is said after the key (" at /pointer" or "").
fn cut_value_tail(key: &str, value: &Value, place: &str) -> Option<(String, String)> {
    if !value.is_null() || !key.contains(' ') {
        return None;
    }
    Some((
        format!(
            "`{key}`{place} is the tail of a value cut short at an unquoted comma in a \
             `{{...}}` mapping; it became a key and the value lost it"
        ),
        "quote the value that holds the comma, as in `description: 'first part, second part'`"
            .to_owned(),
    ))
}

/// Places a key of the object at `at` by its own JSON pointer.
fn pointer_to(at: &str) -> impl Fn(&str) -> Location + '_ {
    move |key| Location::Pointer(format!("{at}/{}", escape_pointer(key)))
}

/// The known name a misspelled key most likely meant: same letters in another case, or at most
/// two edits away.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|name| (edit_distance(&lower, &name.to_lowercase()), *name))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance, for suggestions only.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
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

fn is_snake_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn::parse_str::<syn::Ident>(name).is_ok()
}

/// The unescaped segments of a JSON pointer.
fn pointer_parts(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Names an operation (with its `operationId` when it has one) when the pointer lies inside
/// one, or a schema when it lies inside one, so messages say which.
pub(crate) fn location_of(root: &Value, pointer: &str) -> Location {
    let parts = pointer_parts(pointer);
    match parts.as_slice() {
        [first, path, method, ..] if first == "paths" && is_method(method) => {
            let operation_id = root
                .get("paths")
                .and_then(|paths| paths.get(path))
                .and_then(|item| item.get(method))
                .and_then(|operation| operation.get("operationId"))
                .and_then(Value::as_str);
            Location::operation(method, path, operation_id)
        }
        [first, second, name, ..] if first == "components" && second == "schemas" => {
            Location::Schema(name.clone())
        }
        _ => Location::Pointer(pointer.to_owned()),
    }
}

fn is_method(name: &str) -> bool {
    matches!(
        name,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_missing_component_is_reported_with_its_operation() {
        let root = json!({
            "paths": {"/v1/x": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Gone"}}}},
            "components": {"schemas": {"A": {"type": "object"}, "B": {"$ref": "#/components/schemas/A"}}}
        });
        let mut report = Report::new("spec.yaml");
        check_references(&root, &mut report);
        assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
        let diagnostic = &report.diagnostics[0];
        assert_eq!(
            diagnostic.location,
            Location::operation("post", "/v1/x", None)
        );
        assert!(
            diagnostic
                .message
                .contains("#/components/requestBodies/Gone")
        );
    }

    #[test]
    fn a_loop_of_references_is_reported_once() {
        let root = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
            "Recursive": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Recursive"}}},
            "Self": {"$ref": "#/components/schemas/Self"}
        }}});
        let mut report = Report::new("spec.yaml");
        check_references(&root, &mut report);
        let places: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| d.location.to_string())
            .collect();
        assert_eq!(
            places,
            ["schema A", "schema Self"],
            "{:?}",
            report.diagnostics
        );
    }

    #[test]
    fn a_reference_to_the_wrong_kind_is_reported() {
        let root = json!({
            "paths": {"/v1/x": {"post": {"operationId": "X", "responses": {
                "400": {"$ref": "#/components/schemas/Error"},
                "500": {"$ref": "#/components/responses/Error"}}}}},
            "components": {"schemas": {"Error": {"type": "object"}},
                "responses": {"Error": {"description": "e"}}}
        });
        let mut report = Report::new("spec.yaml");
        check_references(&root, &mut report);
        assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
        assert_eq!(
            report.diagnostics[0].location,
            Location::operation("post", "/v1/x", Some("X"))
        );
        assert!(
            report.diagnostics[0]
                .message
                .contains("points at a schema, but a response")
        );
    }

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
