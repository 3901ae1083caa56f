//! Repair mode end to end: curated-slice policy is relaxed, what breaks progenitor is kept.

use crate::{Rule, generate_foreign};

/// No examples, docs, security, error responses or JSON success body; a duplicate id.
const FOREIGN: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v1/a:
    get:
      operationId: thing
      responses: {"200": {description: ok}}
  /v2/a:
    get:
      operationId: thing
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, additionalProperties: false}}}
"#;

#[test]
fn policy_is_relaxed_and_a_plain_client_comes_out() {
    let foreign = generate_foreign(FOREIGN, "foreign.yaml");
    assert_eq!(foreign.repairs.len(), 1, "{:?}", foreign.repairs);
    let files = foreign.outcome.expect("policy-only problems are relaxed");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "lib.rs");
    assert!(files[0].contents.contains("pub fn thing(&self)"));
    assert!(files[0].contents.contains("pub fn get_v2"));
    assert!(files[0].contents.contains("@generated"));
}

#[test]
fn what_breaks_progenitor_is_still_reported() {
    let spec = FOREIGN.replace(
            "      responses: {\"200\": {description: ok}}",
            "      responses:\n        \"200\": {description: ok}\n        \"400\": {description: a, content: {application/json: {schema: {type: string}}}}\n        \"404\": {description: b, content: {application/json: {schema: {type: integer}}}}",
        );
    let diagnostics = generate_foreign(&spec, "foreign.yaml").outcome.unwrap_err();
    let rules: Vec<Rule> = diagnostics.0.iter().map(|d| d.rule).collect();
    assert_eq!(rules, [Rule::Responses], "{diagnostics}");
    assert!(
        diagnostics.0[0]
            .message
            .contains("error responses use different bodies")
    );
}

/// One operation whose responses are `responses` (YAML flow mappings keyed by status), typed
/// bodies by `$ref` to `A` or `E`.
fn with_responses(responses: &str) -> String {
    format!(
        r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      operationId: get_a
      responses: {{{responses}}}
components:
  schemas:
    A: {{type: object, properties: {{a: {{type: string}}}}}}
    E: {{type: object, properties: {{e: {{type: string}}}}}}
"#
    )
}

const A: &str =
    "{description: a, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}";
const E: &str =
    "{description: e, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}";

#[test]
fn statuses_are_read_as_progenitor_files_them() {
    let outcome =
        |responses: String| generate_foreign(&with_responses(&responses), "f.yaml").outcome;
    // progenitor files 3xx and 1xx (but 101) under neither successes nor errors.
    assert!(
        outcome(format!(
            r#""200": {A}, "302": {{description: r}}, "4XX": {E}"#
        ))
        .is_ok()
    );
    assert!(
        outcome(format!(
            r#""199": {{description: i}}, "200": {A}, "5XX": {E}"#
        ))
        .is_ok()
    );
    // A 101 is the success, an upgrade; beside typed errors it is fine.
    assert!(outcome(format!(r#""101": {{description: u}}, "4XX": {E}"#)).is_ok());
    // A `default` is a success too, unless it comes right after `2XX`.
    assert!(outcome(format!(r#""2XX": {A}, default: {E}"#)).is_ok());
    let both = outcome(format!(r#""200": {A}, default: {E}"#)).unwrap_err();
    assert!(
        both.0[0]
            .message
            .contains("success responses use different bodies"),
        "{both}"
    );
    // A 101 beside a typed 200: two success kinds, on which progenitor asserts.
    let upgrade = outcome(format!(r#""101": {{description: u}}, "200": {A}"#)).unwrap_err();
    assert!(
        upgrade.0[0].message.contains("a protocol upgrade"),
        "{upgrade}"
    );
    // Errors of two kinds: a body that is not JSON beside a typed one.
    let raw = r#"{description: t, content: {text/plain: {schema: {type: string}}}}"#;
    let errors = outcome(format!(r#""200": {A}, "400": {raw}, "5XX": {E}"#)).unwrap_err();
    assert!(
        errors.0[0].message.contains("a body that is not JSON"),
        "{errors}"
    );
}
