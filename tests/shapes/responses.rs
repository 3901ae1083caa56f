//! Response snapshots: every documented response example, served with its status through the
//! loopback server and decoded by the generated client into its typed value.
//!
//! Each golden file `goldens/responses/<OperationId>.txt` shows, per documented status, whether
//! the client took it as success or as a service error and the decoded value.

use descope_client::operations::OPERATIONS;
use descope_shape_tests::{
    CannedResponse, CuratedSpec, RecordingServer, check_golden, finish_golden_run,
};

use crate::dispatch::{Outcome, call};
use crate::requests::{operation_ids, signed_in};

#[tokio::test]
async fn every_documented_response_decodes_into_the_generated_types() {
    let spec = CuratedSpec::load();
    let server = RecordingServer::start().await;
    let client = signed_in(&server);

    let mut failures = Vec::new();
    for operation in OPERATIONS {
        let inputs = spec.inputs(operation.http_method, operation.path);
        let mut text = String::new();
        for response in spec.responses(operation.http_method, operation.path) {
            server.respond_with(CannedResponse {
                status: response.status,
                headers: response.headers.clone(),
                body: response.body.to_string().into_bytes(),
            });
            let outcome = call(&client, operation.method_name, &inputs).await;
            server.take();
            let label = &response.status_label;
            let sent = response.status;
            let rendered = match &outcome {
                Outcome::Success {
                    status, decoded, ..
                } if *status == sent && (200..300).contains(&sent) => {
                    format!("success, status {status}\n{decoded}")
                }
                Outcome::ServiceError {
                    status,
                    decoded,
                    retry_after,
                } if *status == sent && sent >= 400 => {
                    let retry = retry_after
                        .as_deref()
                        .map(|r| format!(", Retry-After {r}"))
                        .unwrap_or_default();
                    format!("service error, status {status}{retry}\n{decoded}")
                }
                other => {
                    failures.push(format!(
                        "{} {label}: the client returned {other:?}",
                        operation.operation_id
                    ));
                    continue;
                }
            };
            text.push_str(&format!("== {label} (served as {sent}) ==\n{rendered}\n\n"));
        }
        if let Err(diff) = check_golden(&format!("responses/{}.txt", operation.operation_id), &text)
        {
            failures.push(diff);
        }
    }
    finish_golden_run("responses", &operation_ids(), failures);
}

/// A 429 must be a typed service error that keeps the Retry-After header for the caller.
#[tokio::test]
async fn rate_limiting_keeps_retry_after() {
    let spec = CuratedSpec::load();
    let server = RecordingServer::start().await;
    let client = signed_in(&server);
    let operation = &OPERATIONS[0];
    let documented = spec
        .responses(operation.http_method, operation.path)
        .into_iter()
        .find(|r| r.status == 429)
        .expect("every operation documents 429");
    server.respond_with(CannedResponse {
        status: 429,
        headers: vec![("Retry-After".into(), "7".into())],
        body: documented.body.to_string().into_bytes(),
    });
    let inputs = spec.inputs(operation.http_method, operation.path);
    match call(&client, operation.method_name, &inputs).await {
        Outcome::ServiceError {
            status: 429,
            retry_after: Some(seconds),
            decoded,
        } => {
            assert_eq!(seconds, "7");
            assert!(decoded.contains("E130429 (RateLimitExceeded)"), "{decoded}");
        }
        other => panic!("429 came back as {other:?}"),
    }
}
