//! References (`$ref`) in the raw tree: each must be a local JSON pointer to an existing place,
//! no chain of them may loop without reaching a definition, and each must point at the kind of
//! object its place holds (a response where a response belongs). Repair mode asks for the
//! dangling ones ([`dangling_references`]) to replace them.

use std::fmt::Write;

use serde_json::Value;

use super::keys::COMPONENT_KINDS;
use super::suggest::closest;
use crate::diagnostic::{Report, Rule};
use crate::pointer::{location_of, pointer_parts, push_escaped_key};

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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostic::Location;

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
}
