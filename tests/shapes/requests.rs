//! Request snapshots: what each operation puts on the wire, recorded by a loopback server.
//!
//! Each golden file `goldens/requests/<OperationId>.json` holds two exchanges, one from a client
//! with only the project id and one from a client carrying a signed-in user's refresh and session
//! JWTs, so that the method, path, query, bearer, content type and JSON body of every operation
//! are all pinned.

use descope_client::operations::{Credential, OPERATIONS};
use descope_client::{Client, RetryPolicy};
use descope_shape_tests::{
    CannedResponse, CuratedSpec, RecordingServer, check_golden, finish_golden_run,
};
use serde_json::{Value, json};

use crate::dispatch::{Outcome, call};

/// Placeholder credentials: what the goldens show instead of real ones.
pub const PROJECT_ID: &str = "P2PlaceholderProjectId";
pub const REFRESH_JWT: &str = "placeholder.refresh.jwt";
pub const SESSION_JWT: &str = "placeholder.session.jwt";
pub const MANAGEMENT_KEY: &str = "K2PlaceholderManagementKey";
pub const ACCESS_KEY: &str = "K2PlaceholderAccessKey";

/// A client of the placeholder project, with its placeholder management key, that carries a
/// signed-in user's placeholder tokens.
pub fn signed_in(server: &RecordingServer) -> Client {
    Client::builder(PROJECT_ID)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .management_key(MANAGEMENT_KEY)
        .build()
        .expect("a loopback base URL is valid")
        .with_refresh_jwt(REFRESH_JWT)
        .with_session_jwt(SESSION_JWT)
}

/// A client of the placeholder project that sends to the loopback server, without a management
/// key.
/// Retries are off: shape tests serve one canned answer per call (the runtime tests cover retries).
pub fn client_for(server: &RecordingServer) -> Client {
    Client::builder(PROJECT_ID)
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a loopback base URL is valid")
}

/// Every operation id of the spec: the names of the golden files.
pub fn operation_ids() -> Vec<String> {
    OPERATIONS
        .iter()
        .map(|o| o.operation_id.to_owned())
        .collect()
}

#[tokio::test]
async fn every_operation_sends_the_documented_request() {
    let spec = CuratedSpec::load();
    let server = RecordingServer::start().await;
    let plain = client_for(&server);
    let signed_in = signed_in(&server);

    let mut failures = Vec::new();
    for operation in OPERATIONS {
        let success = &spec.responses(operation.http_method, operation.path)[0];
        server.respond_with(CannedResponse {
            status: success.status,
            headers: Vec::new(),
            body: success.body.to_string().into_bytes(),
        });
        let inputs = spec.inputs(operation.http_method, operation.path);

        let mut exchanges = Vec::new();
        for (label, client) in [
            ("project id only", &plain),
            (
                "signed in (refresh and session JWT), with the management key",
                &signed_in,
            ),
        ] {
            let outcome = call(client, operation.method_name, &inputs).await;
            let recorded = server.take();
            let exchange = match (&outcome, recorded.as_slice()) {
                (Outcome::Success { .. }, [request]) => json!({
                    "client": label,
                    "method": request.method,
                    "path": request.path,
                    "authorization": request.header("authorization"),
                    "content-type": request.header("content-type"),
                    "body": match request.body.as_slice() {
                        [] => Value::Null,
                        bytes => serde_json::from_slice::<Value>(bytes)
                            .unwrap_or_else(|e| Value::String(format!("not JSON: {e}"))),
                    },
                }),
                (Outcome::Refused(message), []) => {
                    json!({ "client": label, "refused before sending": message })
                }
                (outcome, recorded) => {
                    failures.push(format!(
                        "{} with {label}: unexpected outcome {outcome:?} after {} recorded request(s)",
                        operation.operation_id,
                        recorded.len()
                    ));
                    continue;
                }
            };
            exchanges.push(exchange);
        }

        // The credential table and what arrived must agree, whatever the goldens say.
        let bearer_of = |index: usize| {
            exchanges
                .get(index)
                .and_then(|e| e["authorization"].as_str().map(str::to_owned))
        };
        let with_project = format!("Bearer {PROJECT_ID}");
        let with_refresh = format!("Bearer {PROJECT_ID}:{REFRESH_JWT}");
        let with_session = format!("Bearer {PROJECT_ID}:{SESSION_JWT}");
        let with_key = format!("Bearer {PROJECT_ID}:{MANAGEMENT_KEY}");
        let with_access_key = format!("Bearer {PROJECT_ID}:{ACCESS_KEY}");
        let expected = match operation.credential {
            Credential::None => (None, None),
            Credential::ProjectId => (Some(with_project.clone()), Some(with_project)),
            Credential::ProjectIdOrRefreshJwt => (Some(with_project), Some(with_refresh)),
            Credential::ProjectIdAndRefreshJwt => (None, Some(with_refresh)),
            Credential::ProjectIdAndSessionJwt => (None, Some(with_session)),
            Credential::ProjectIdAndManagementKey => (None, Some(with_key)),
            // The access key is the call's argument: both clients send it.
            Credential::ProjectIdAndAccessKey => {
                (Some(with_access_key.clone()), Some(with_access_key))
            }
        };
        if (bearer_of(0), bearer_of(1)) != expected {
            failures.push(format!(
                "{}: bearers {:?} but the spec requires {expected:?}",
                operation.operation_id,
                (bearer_of(0), bearer_of(1))
            ));
        }

        let text = serde_json::to_string_pretty(&Value::Array(exchanges)).unwrap() + "\n";
        if let Err(diff) = check_golden(&format!("requests/{}.json", operation.operation_id), &text)
        {
            failures.push(diff);
        }
    }
    finish_golden_run("requests", &operation_ids(), failures);
}
