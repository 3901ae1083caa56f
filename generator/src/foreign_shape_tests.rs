//! Shapes plain progenitor takes and only the curated runtime cannot serve: repair mode
//! accepts them (the curated corpus cases refuse them).

use crate::generate_foreign;

fn accepted(operation: &str) -> String {
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: \"1\"}}\npaths:\n  /v1/a:\n{operation}"
    );
    let foreign = generate_foreign(&spec, "foreign.yaml");
    let files = foreign
        .outcome
        .unwrap_or_else(|diagnostics| panic!("refused:\n{diagnostics}\n{spec}"));
    files[0].contents.clone()
}

#[test]
fn form_and_binary_bodies_are_accepted() {
    for (media, schema) in [
        (
            "application/x-www-form-urlencoded",
            "{type: object, properties: {a: {type: string}}}",
        ),
        ("application/octet-stream", "{type: string, format: binary}"),
    ] {
        let client = accepted(&format!(
            "    post:\n      operationId: Send\n      requestBody:\n        required: true\n        content:\n          {media}:\n            schema: {schema}\n      responses: {{\"200\": {{description: ok}}}}\n"
        ));
        assert!(client.contains("pub fn send(&self)"), "{media}");
    }
}

#[test]
fn default_and_missing_success_responses_are_accepted() {
    for responses in [
        "{\"default\": {description: any}}",
        "{\"404\": {description: gone}}",
        "{\"202\": {description: queued}, \"204\": {description: done}}",
    ] {
        let client = accepted(&format!(
            "    get:\n      operationId: Look\n      responses: {responses}\n"
        ));
        assert!(client.contains("pub fn look(&self)"), "{responses}");
    }
}

#[test]
fn an_optional_body_with_required_fields_and_a_spec_without_operations_are_accepted() {
    let client = accepted(
        "    post:\n      operationId: Send\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, required: [a], properties: {a: {type: string}}}\n      responses: {\"200\": {description: ok}}\n",
    );
    assert!(client.contains("pub fn send(&self)"));
    let empty = generate_foreign(
        "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
        "empty.yaml",
    );
    assert!(empty.outcome.is_ok(), "progenitor makes a client of it");
}
