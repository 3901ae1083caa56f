//! No secret reaches `Debug`: every property the spec marks `x-descope-sensitive` is filled with
//! a recognisable secret, in requests and responses, and every value on the way is formatted.

use descope_client::operations::OPERATIONS;
use descope_shape_tests::{CannedResponse, CuratedSpec, RecordingServer};
use serde_json::Value;

use crate::dispatch::{Outcome, call, describe};
use crate::requests::client_for;

const SECRET: &str = "SECRET-VALUE";

/// Properties that hold secrets: codes, link tokens and JWTs. The spec must mark each of them.
const KNOWN_SECRETS: &[&str] = &[
    "code",
    "token",
    "sessionJwt",
    "refreshJwt",
    "trustedDeviceJwt",
    "externalToken",
];

/// Wire names of the properties marked sensitive in the spec.
fn sensitive_names(spec: &CuratedSpec) -> Vec<String> {
    let schemas = spec.spec.raw["components"]["schemas"]
        .as_object()
        .expect("schemas");
    let mut names: Vec<String> = schemas
        .values()
        .filter_map(|schema| schema["properties"].as_object())
        .flat_map(|properties| properties.iter())
        .filter(|(_, property)| property["x-descope-sensitive"] == Value::Bool(true))
        .map(|(name, _)| name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Sets every sensitive key in `value`, at any depth, and adds the missing ones at the top.
fn plant_secrets(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if names.contains(key) {
                    *child = Value::String(format!("{SECRET}-{key}"));
                } else {
                    plant_secrets(child, names);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| plant_secrets(item, names)),
        _ => {}
    }
}

#[tokio::test]
async fn no_secret_appears_in_debug_output() {
    let spec = CuratedSpec::load();
    let marked = sensitive_names(&spec);
    // Secrets are planted in every known secret and every marked property, so a missing mark
    // shows up below as a leak.
    let mut names: Vec<String> = KNOWN_SECRETS.iter().map(|s| s.to_string()).collect();
    names.extend(marked.iter().cloned());
    names.sort();
    names.dedup();
    let server = RecordingServer::start().await;
    let client = client_for(&server)
        .with_refresh_jwt(format!("{SECRET}-refresh-jwt"))
        .with_session_jwt(format!("{SECRET}-session-jwt"));

    let mut leaks = Vec::new();
    let mut planted = 0;
    for operation in OPERATIONS {
        let mut inputs = spec.inputs(operation.http_method, operation.path);
        let mut response = spec
            .responses(operation.http_method, operation.path)
            .remove(0)
            .body;
        // A signed-in response carries every sensitive field the schema allows, not only the
        // example's (unknown keys are ignored when decoding).
        if let Value::Object(map) = &mut response
            && map.contains_key("sessionJwt")
        {
            for name in &names {
                map.insert(name.clone(), Value::Null);
            }
        }
        plant_secrets(&mut inputs.body, &names);
        plant_secrets(&mut response, &names);
        planted += [&inputs.body, &response]
            .iter()
            .filter(|v| v.to_string().contains(SECRET))
            .count();
        // Projects that deliver tokens in cookies send them as `DS` / `DSR`.
        server.respond_with(CannedResponse {
            status: 200,
            headers: vec![
                ("set-cookie".into(), format!("DS={SECRET}-ds; Path=/")),
                ("set-cookie".into(), format!("DSR={SECRET}-dsr; Path=/")),
            ],
            body: response.to_string().into_bytes(),
        });

        let described = describe(&client, operation.method_name, &inputs).unwrap();
        let outcome = call(&client, operation.method_name, &inputs).await;
        let debug = match &outcome {
            Outcome::Success { debug, .. } => debug.clone(),
            other => format!("{other:?}"),
        };
        for (what, text) in [("request values", &described), ("response", &debug)] {
            if text.contains(SECRET) {
                leaks.push(format!("{} {what}: {text}", operation.operation_id));
            }
        }
    }
    let client_debug = format!("{client:?} {client:#?}");
    if client_debug.contains(SECRET) {
        leaks.push(format!("client: {client_debug}"));
    }
    assert!(
        planted > 0,
        "no secret was planted, so the test proves nothing"
    );
    assert!(
        leaks.is_empty(),
        "secrets in Debug output:\n{}",
        leaks.join("\n")
    );
    let unmarked: Vec<&&str> = KNOWN_SECRETS
        .iter()
        .filter(|s| !marked.iter().any(|m| m == *s))
        .collect();
    assert!(
        unmarked.is_empty(),
        "mark these properties `x-descope-sensitive: true`: {unmarked:?}"
    );
}
