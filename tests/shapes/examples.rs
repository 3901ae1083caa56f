//! Every example in the curated spec matches its schema, and the check would notice if not.

use descope_generator::{collect_examples, example_mismatches};
use descope_shape_tests::CuratedSpec;
use serde_json::{Value, json};

#[test]
fn every_example_in_the_spec_matches_its_schema() {
    let spec = CuratedSpec::load();
    let components = spec.spec.raw["components"].clone();
    let examples = collect_examples(&spec.spec.raw);
    // Every request body, every parameter and every documented response has its example: the
    // collection must find at least one per request body and parameter, and the success of every
    // operation.
    let operations = descope_generator::check(&spec.spec)
        .expect("the curated spec passes")
        .operations;
    let bodies = operations
        .iter()
        .filter(|o| o.request_body.is_some())
        .count();
    let parameters: usize = operations.iter().map(|o| o.parameters.len()).sum();
    let count = |part: &str| examples.iter().filter(|e| e.pointer.contains(part)).count();
    assert_eq!(count("/requestBody/"), bodies);
    assert_eq!(count("/parameters/"), parameters);
    assert!(
        examples.len() >= bodies + parameters + operations.len(),
        "only {} examples found",
        examples.len()
    );
    let failures: Vec<String> = examples
        .iter()
        .flat_map(|example| {
            example_mismatches(example, &components)
                .into_iter()
                .map(move |problem| format!("{}: {problem}", example.pointer))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wrongly_typed_example_is_caught() {
    let spec = CuratedSpec::load();
    let components = spec.spec.raw["components"].clone();
    let mut example = collect_examples(&spec.spec.raw)
        .into_iter()
        .find(|e| {
            e.pointer
                .ends_with("/components/responses/JwtResponse/content/application~1json/example")
        })
        .expect("the JWT response has an example");
    example.value["user"]["TOTP"] = json!("yes");
    example.value["cookieMaxAge"] = Value::String("long".into());
    let problems = example_mismatches(&example, &components);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().any(|p| p.starts_with("/user/TOTP")),
        "{problems:?}"
    );
}
