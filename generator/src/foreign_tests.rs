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
