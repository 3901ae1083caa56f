//! Every request Descope's official SDKs sent in the interop suite validates against the curated
//! spec. A request an official SDK sends is one the service takes, so the spec must accept it
//! too; the recordings (`interop/recorded/<sdk>.jsonl`, written by `interop/run.sh`) make that a
//! test that needs neither the SDKs nor the network, and a spec change that would reject one of
//! them fails here.

use std::path::Path;

use descope_generator::{Example, example_mismatches};
use descope_shape_tests::CuratedSpec;
use serde_json::Value;

/// The SDKs whose requests are recorded.
const SDKS: [&str; 2] = ["python", "node"];

/// Paths an official SDK calls that the spec deliberately does not describe, each with the
/// decision (openapi/README.md §4.30); every other path must be the spec's.
const OUTSIDE_THE_SPEC: [(&str, &str, &str); 4] = [
    (
        "POST",
        "/v1/auth/magiclink/update/phone",
        "Python's magic-link phone update without a method: the emulator serves it as SMS",
    ),
    (
        "POST",
        "/v1/auth/magiclink/signup/voice",
        "magic links by voice: Python's generic delivery method; the service is not known to send them",
    ),
    (
        "POST",
        "/v1/auth/magiclink/signin/voice",
        "magic links by voice (as above)",
    ),
    (
        "POST",
        "/v1/auth/magiclink/signup-in/voice",
        "magic links by voice (as above)",
    ),
];

/// The spec's operation for a method and a concrete path, and its path template.
fn operation<'s>(spec: &'s Value, method: &str, path: &str) -> Option<(&'s str, &'s Value)> {
    let paths = spec["paths"].as_object()?;
    paths.iter().find_map(|(template, item)| {
        let operation = item.get(method.to_lowercase())?;
        matches_template(template, path).then_some((template.as_str(), operation))
    })
}

/// `/v2/keys/{projectId}` matches `/v2/keys/P2abc`: each `{name}` is one non-empty segment.
fn matches_template(template: &str, path: &str) -> bool {
    let (mut wanted, mut given) = (template.split('/'), path.split('/'));
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') => {
                if g.is_empty() {
                    return false;
                }
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// Follows a local `$ref`.
fn follow<'v>(spec: &'v Value, value: &'v Value) -> &'v Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(&Value::Null),
        None => value,
    }
}

#[test]
fn every_recorded_sdk_request_validates_against_the_spec() {
    let spec = CuratedSpec::load();
    let raw = &spec.spec.raw;
    let components = raw["components"].clone();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../interop/recorded");
    let mut failures = Vec::new();
    let mut checked = 0;
    for sdk in SDKS {
        let file = root.join(format!("{sdk}.jsonl"));
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{}: {e}; run interop/run.sh", file.display()));
        for (index, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let place = format!("{sdk}.jsonl:{}", index + 1);
            let request: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{place} is not JSON: {e}"));
            let method = request["method"].as_str().unwrap_or("?");
            let path = request["path"].as_str().unwrap_or("?");
            if path.starts_with("/emulator/") {
                continue; // the suite's own test-only calls
            }
            let Some((template, operation)) = operation(raw, method, path) else {
                if !OUTSIDE_THE_SPEC
                    .iter()
                    .any(|(m, p, _)| *m == method && *p == path)
                {
                    failures.push(format!("{place}: {method} {path} is not in the spec"));
                }
                continue;
            };
            checked += 1;
            let body = &request["body"];
            let declared = follow(raw, &operation["requestBody"]);
            match (declared.is_null(), body.is_null()) {
                (true, true) => {}
                (true, false) if body == &Value::Object(Default::default()) => {}
                (true, false) => failures.push(format!(
                    "{place}: {method} {template} takes no body, but the SDK sent one"
                )),
                (false, true) if declared["required"] == Value::Bool(true) => failures.push(
                    format!("{place}: {method} {template} requires a body; the SDK sent none"),
                ),
                (false, true) => {}
                (false, false) => {
                    let example = Example {
                        pointer: place.clone(),
                        value: body.clone(),
                        schema: declared["content"]["application/json"]["schema"].clone(),
                    };
                    for problem in example_mismatches(&example, &components) {
                        failures.push(format!("{place}: {method} {template}: {problem}"));
                    }
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} recorded requests were checked"
    );
    assert!(
        failures.is_empty(),
        "requests the official SDKs send that the spec refuses:\n{}",
        failures.join("\n")
    );
}

#[test]
fn templates_match_one_segment_per_parameter() {
    assert!(matches_template("/v2/keys/{projectId}", "/v2/keys/P2abc"));
    assert!(!matches_template("/v2/keys/{projectId}", "/v2/keys/"));
    assert!(!matches_template(
        "/v2/keys/{projectId}",
        "/v2/keys/P2/extra"
    ));
    assert!(matches_template("/v1/auth/me", "/v1/auth/me"));
    assert!(!matches_template("/v1/auth/me", "/v1/auth/me/history"));
}
