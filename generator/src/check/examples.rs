//! Checks every request, response and header example in the spec against its schema.
//!
//! OpenAPI 3.0 schemas are close to JSON Schema draft 4, so each schema is validated with
//! `jsonschema` in that draft. The spec's `components` are registered once, as one draft 4
//! resource, and each example's schema has its `#/components/...` references pointed at that
//! resource, so they resolve exactly as they do in the spec without copying and re-indexing the
//! components for every example.

use std::collections::BTreeSet;

use jsonschema::{Draft, Registry};
use serde_json::Value;

use crate::diagnostic::{Location, Report, Rule};
use crate::pointer::{escape_pointer, location_of};

/// One example found in the spec, with the schema it must match.
#[derive(Debug, Clone)]
pub struct Example {
    /// JSON pointer to the example in the spec.
    pub pointer: String,
    pub value: Value,
    pub schema: Value,
}

/// Every example attached to a parameter, a request body, a response body or a response header.
pub fn collect(root: &Value) -> Vec<Example> {
    let mut examples = Vec::new();
    let Some(Value::Object(paths)) = root.get("paths") else {
        return examples;
    };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for (method, operation) in item {
            let base = format!("/paths/{}/{method}", escape_pointer(path));
            // The path item's own parameters sit beside its operations.
            let parameters = if method == "parameters" {
                Some(operation)
            } else {
                operation.get("parameters")
            };
            if let Some(Value::Array(parameters)) = parameters {
                let at = if method == "parameters" {
                    base.clone()
                } else {
                    format!("{base}/parameters")
                };
                for (index, parameter) in parameters.iter().enumerate() {
                    let (at, parameter) = follow(root, parameter, format!("{at}/{index}"));
                    value_example(parameter, &at, &mut examples);
                }
            }
            if let Some(body) = operation.get("requestBody") {
                let (at, body) = follow(root, body, format!("{base}/requestBody"));
                media_examples(body, &at, &mut examples);
            }
            let Some(Value::Object(responses)) = operation.get("responses") else {
                continue;
            };
            for (status, response) in responses {
                let here = format!("{base}/responses/{}", escape_pointer(status));
                let (at, response) = follow(root, response, here);
                media_examples(response, &at, &mut examples);
                if let Some(Value::Object(headers)) = response.get("headers") {
                    for (name, header) in headers {
                        let (at, header) = follow(
                            root,
                            header,
                            format!("{at}/headers/{}", escape_pointer(name)),
                        );
                        value_example(header, &at, &mut examples);
                    }
                }
            }
        }
    }
    examples
}

/// Follows a `$ref` (shared responses and bodies live under `components`), returning where the
/// object really is so that diagnostics name the shared component once per use.
fn follow<'v>(root: &'v Value, value: &'v Value, at: String) -> (String, &'v Value) {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => match reference.strip_prefix('#').and_then(|p| root.pointer(p)) {
            Some(target) => (reference.trim_start_matches('#').to_owned(), target),
            None => (at, &Value::Null),
        },
        None => (at, value),
    }
}

/// The `example` of a parameter or a header, which carry their schema themselves.
fn value_example(holder: &Value, at: &str, examples: &mut Vec<Example>) {
    if let (Some(example), Some(schema)) = (holder.get("example"), holder.get("schema")) {
        examples.push(Example {
            pointer: format!("{at}/example"),
            value: example.clone(),
            schema: schema.clone(),
        });
    }
}

fn media_examples(holder: &Value, at: &str, examples: &mut Vec<Example>) {
    let Some(Value::Object(content)) = holder.get("content") else {
        return;
    };
    for (media_type, media) in content {
        let Some(schema) = media.get("schema") else {
            continue;
        };
        let at = format!("{at}/content/{}", escape_pointer(media_type));
        if let Some(example) = media.get("example") {
            examples.push(Example {
                pointer: format!("{at}/example"),
                value: example.clone(),
                schema: schema.clone(),
            });
        }
        if let Some(Value::Object(named)) = media.get("examples") {
            for (name, example) in named {
                if let Some(value) = example.get("value") {
                    examples.push(Example {
                        pointer: format!("{at}/examples/{}/value", escape_pointer(name)),
                        value: value.clone(),
                        schema: schema.clone(),
                    });
                }
            }
        }
    }
}

/// Validates every example, reporting each mismatch with the place inside the example.
/// `references_dangle` says the reference check found a `$ref` that leads nowhere.
pub(crate) fn check(root: &Value, references_dangle: bool, report: &mut Report) {
    let components = root.get("components").cloned().unwrap_or(Value::Null);
    let registry = match ComponentRegistry::new(&components) {
        Ok(registry) => registry,
        Err(invalid) => {
            report.push(
                Location::Pointer("/components".into()),
                Rule::Examples,
                format!("the components cannot be read as JSON Schema: {invalid}"),
                "correct the schemas under `components`",
            );
            return;
        }
    };
    // A schema with a `$ref` that leads nowhere cannot be compiled; the reference check has
    // named the cause, and a second diagnostic per example would only bury it.
    let mut seen = BTreeSet::new();
    // Shared responses are reached once per operation; check each place once.
    let examples: Vec<Example> = collect(root)
        .into_iter()
        .filter(|example| seen.insert(example.pointer.clone()))
        .collect();
    for (example, outcome) in examples.iter().zip(registry.all_mismatches(&examples)) {
        let problems = match outcome {
            Ok(problems) => problems,
            Err(_) if references_dangle => continue,
            Err(invalid) => vec![invalid],
        };
        let location = location_of(root, &example.pointer);
        // A shared component is placed by the example's own pointer; no need to repeat it.
        let which = match &location {
            Location::Pointer(pointer) if *pointer == example.pointer => "the example".to_owned(),
            _ => format!("the example at {}", example.pointer),
        };
        for problem in problems {
            report.push(
                location.clone(),
                Rule::Examples,
                format!("{which} does not match its schema: {problem}"),
                "correct the example or the schema so that they agree",
            );
        }
    }
}

/// Why `example` fails its schema, one line per problem; empty when it matches. `components` is
/// the spec's `components` object.
pub fn mismatches(example: &Example, components: &Value) -> Vec<String> {
    ComponentRegistry::new(components)
        .and_then(|registry| {
            let mut outcomes = registry.all_mismatches(std::slice::from_ref(example));
            outcomes.pop().unwrap_or(Ok(Vec::new()))
        })
        .unwrap_or_else(|invalid| vec![invalid])
}

/// Where the spec's `components` are registered; the name only has to be absolute and unique.
const COMPONENTS_URI: &str = "https://descope-generator.invalid/components.json";

/// The spec's `components`, prepared once as a draft 4 resource that examples' schemas refer to.
struct ComponentRegistry {
    registry: Registry<'static>,
}

impl ComponentRegistry {
    fn new(components: &Value) -> Result<Self, String> {
        let mut document = serde_json::json!({ "components": components });
        nullable_as_json_schema(&mut document);
        let registry = Registry::new()
            .add(COMPONENTS_URI, Draft::Draft4.create_resource(document))
            .and_then(|builder| builder.prepare())
            .map_err(|error| error.to_string())?;
        Ok(ComponentRegistry { registry })
    }

    /// Each example's mismatches, or why its schema cannot be compiled, in order. All schemas
    /// are compiled as one (the items of an array schema) and all examples validated as one
    /// array: one compilation costs far less than one per example. When that compilation fails,
    /// each example is compiled alone, to say whose schema is at fault.
    fn all_mismatches(&self, examples: &[Example]) -> Vec<Result<Vec<String>, String>> {
        let mut schemas: Vec<Value> = examples.iter().map(|e| e.schema.clone()).collect();
        schemas.iter_mut().for_each(point_references_at_components);
        schemas.iter_mut().for_each(nullable_as_json_schema);
        let combined = serde_json::json!({ "type": "array", "items": schemas });
        let validator = match self.validator(&combined) {
            Ok(validator) => validator,
            Err(invalid) if examples.len() == 1 => return vec![Err(invalid)],
            Err(_) => {
                return examples
                    .iter()
                    .flat_map(|e| self.all_mismatches(std::slice::from_ref(e)))
                    .collect();
            }
        };
        let values = Value::Array(examples.iter().map(|e| e.value.clone()).collect());
        let mut outcomes: Vec<Result<Vec<String>, String>> =
            examples.iter().map(|_| Ok(Vec::new())).collect();
        for error in validator.iter_errors(&values) {
            let at = error.instance_path().to_string();
            // `/index/rest`: which example, and where inside it.
            let (index, inside) = match at.strip_prefix('/').map(|at| at.split_once('/')) {
                Some(Some((index, rest))) => (index.parse::<usize>().ok(), format!("/{rest}")),
                Some(None) => (at[1..].parse::<usize>().ok(), String::new()),
                None => (None, String::new()),
            };
            let Some(Ok(problems)) = index.and_then(|index| outcomes.get_mut(index)) else {
                // Not inside one example: the combined array itself, which cannot fail.
                continue;
            };
            problems.push(if inside.is_empty() {
                error.to_string()
            } else {
                format!("{inside}: {error}")
            });
        }
        outcomes
    }

    fn validator(&self, schema: &Value) -> Result<jsonschema::Validator, String> {
        jsonschema::options()
            .with_draft(Draft::Draft4)
            .with_registry(&self.registry)
            // Every reference is local to the spec; nothing may be fetched.
            .offline()
            .build(schema)
            .map_err(|error| format!("its schema is not valid: {error}"))
    }
}

/// OpenAPI 3.0's `nullable: true` beside `type: T` is JSON Schema's `type: [T, "null"]`; draft 4
/// knows only the latter, so a schema is rewritten before it is compiled. Beside a composition
/// without `type` (`nullable: true, allOf: [{$ref: ...}]`, how a nullable reference is written),
/// it is `anyOf: [the schema, {type: null}]`. (A `nullable` beside a bare `$ref` means nothing in
/// OpenAPI 3.0 and is left alone.)
pub(crate) fn nullable_as_json_schema(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            object.values_mut().for_each(nullable_as_json_schema);
            if object.get("nullable") != Some(&Value::Bool(true)) {
                return;
            }
            match object.get("type") {
                Some(Value::String(kind)) => {
                    let kind = kind.clone();
                    object.insert(
                        "type".to_owned(),
                        Value::Array(vec![Value::String(kind), Value::String("null".to_owned())]),
                    );
                }
                None if ["allOf", "anyOf", "oneOf"]
                    .iter()
                    .any(|keyword| object.contains_key(*keyword)) =>
                {
                    let mut inner = std::mem::take(object);
                    inner.remove("nullable");
                    let description = inner.get("description").cloned();
                    let mut wrapped = serde_json::Map::new();
                    wrapped.insert(
                        "anyOf".to_owned(),
                        Value::Array(vec![
                            Value::Object(inner),
                            serde_json::json!({"type": "null"}),
                        ]),
                    );
                    if let Some(description) = description {
                        wrapped.insert("description".to_owned(), description);
                    }
                    *object = wrapped;
                }
                _ => {}
            }
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_json_schema),
        _ => {}
    }
}

/// Rewrites `#/components/...` references in a schema taken out of the spec so they name the
/// registered components resource; other references are left to fail as dangling.
fn point_references_at_components(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    Value::String(reference) if key == "$ref" => {
                        if reference.starts_with("#/components/") {
                            *reference = format!("{COMPONENTS_URI}{reference}");
                        }
                    }
                    _ => point_references_at_components(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(point_references_at_components),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nullable_fields_take_null_and_only_they() {
        let components = json!({"schemas": {"Options": {"type": "object", "properties": {
            "claims": {"type": "object", "nullable": true},
            "locale": {"type": "string"}}}}});
        let example = |value: Value| Example {
            pointer: "/x".into(),
            value,
            schema: json!({"$ref": "#/components/schemas/Options"}),
        };
        assert!(mismatches(&example(json!({"claims": null})), &components).is_empty());
        assert!(mismatches(&example(json!({"claims": {"a": 1}})), &components).is_empty());
        assert_eq!(
            mismatches(&example(json!({"locale": null})), &components).len(),
            1
        );
        assert_eq!(
            mismatches(&example(json!({"claims": 5})), &components).len(),
            1
        );
    }

    #[test]
    fn a_nullable_reference_takes_null_and_its_schema() {
        let components = json!({"schemas": {
            "Status": {"type": "string"},
            "User": {"type": "object", "properties": {
                "status": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Status"}]}}}}});
        let example = |value: Value| Example {
            pointer: "/x".into(),
            value,
            schema: json!({"$ref": "#/components/schemas/User"}),
        };
        assert!(mismatches(&example(json!({"status": null})), &components).is_empty());
        assert!(mismatches(&example(json!({"status": "enabled"})), &components).is_empty());
        assert_eq!(
            mismatches(&example(json!({"status": 5})), &components).len(),
            1
        );
    }

    fn spec_with_example(example: Value) -> Value {
        json!({
            "paths": {"/v1/x": {"post": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
            "components": {
                "responses": {"Ok": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Masked"}, "example": example}}}},
                "schemas": {"Masked": {"type": "object", "required": ["maskedEmail"],
                    "properties": {"maskedEmail": {"type": "string"}, "attempts": {"type": "integer"}}}}
            }
        })
    }

    fn checked(spec: &Value) -> Report {
        let mut report = Report::new("spec.yaml");
        check(spec, false, &mut report);
        report
    }

    fn messages(report: &Report) -> Vec<&str> {
        report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect()
    }

    #[test]
    fn a_matching_example_passes() {
        let report = checked(&spec_with_example(
            json!({"maskedEmail": "j***@x.com", "attempts": 1}),
        ));
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    }

    #[test]
    fn a_wrong_type_and_a_missing_field_are_both_named() {
        let report = checked(&spec_with_example(json!({"attempts": "one"})));
        let messages = messages(&report);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages.iter().any(|m| m.contains("/attempts")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("maskedEmail")),
            "{messages:?}"
        );
        // A shared response is named by the example's own place, once.
        assert_eq!(
            report.diagnostics[0].location,
            Location::Pointer("/components/responses/Ok/content/application~1json/example".into())
        );
        assert!(
            messages[0].starts_with("the example does not match"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_schema_that_does_not_compile_is_named_and_the_others_still_checked() {
        let mut spec = spec_with_example(json!({"attempts": 1}));
        // A second operation whose inline schema is not JSON Schema at all.
        spec["paths"]["/v1/y"] = json!({"post": {"requestBody": {"content": {"application/json": {
            "schema": {"type": 5}, "example": {}}}}}});
        let report = checked(&spec);
        let messages = messages(&report);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("its schema is not valid")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("maskedEmail")),
            "{messages:?}"
        );
    }
}
