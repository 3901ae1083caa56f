//! Every answer, to every route of the spec and of the admin API, right or wrong, is a JSON
//! body (the Node SDK parses every body, even a 200 to a delete), and no ordinary error is a
//! 503 or a 520–530 (the Python SDK retries those, sleeping 5 s each time).

use descope_client::operations::OPERATIONS;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};

use crate::support::*;

/// Checks one answer; returns its status.
async fn answered(request: reqwest::RequestBuilder, what: &str) -> u16 {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.bytes().await.unwrap();
    assert_eq!(content_type, "application/json", "{what}: {status}");
    let body: serde_json::Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|error| panic!("{what}: {status} is not JSON ({error}): {bytes:?}"));
    assert!(
        status != 503 && !(520..=530).contains(&status),
        "{what}: {status} {body}"
    );
    if status >= 400 {
        assert!(body["errorCode"].is_string(), "{what}: {status} {body}");
    }
    status
}

#[tokio::test]
async fn every_route_answers_json_and_never_a_status_the_python_sdk_retries() {
    let Setup { emulator, .. } = managed().await;
    let base = emulator.base_url();
    let project = emulator.project_id().to_owned();
    let management = format!("{project}:{}", emulator.management_key());
    let http = reqwest::Client::new();
    let mut statuses = std::collections::BTreeSet::new();

    for operation in OPERATIONS {
        let path = operation.path.replace("{projectId}", &project);
        let url = format!("{base}{path}");
        let method = Method::from_bytes(operation.http_method.as_bytes()).unwrap();
        for bearer in [None, Some(project.as_str()), Some(management.as_str())] {
            let bodies = [
                (Some("application/json"), "{}"),
                (Some("application/json"), "[]"),
                (Some("text/plain"), "{}"),
                (None, ""),
            ];
            for (content_type, body) in bodies {
                let mut request = http.request(method.clone(), &url).body(body);
                if let Some(bearer) = bearer {
                    request = request.header(AUTHORIZATION, format!("Bearer {bearer}"));
                }
                if let Some(content_type) = content_type {
                    request = request.header(CONTENT_TYPE, content_type);
                }
                let what = format!("{} {path} ({bearer:?}, {content_type:?} {body})", method);
                statuses.insert(answered(request, &what).await);
            }
        }
        let other = if method == Method::GET {
            Method::DELETE
        } else {
            Method::GET
        };
        let what = format!("{other} {path}");
        statuses.insert(answered(http.request(other, &url), &what).await);
    }

    // The admin API, as `--help` lists it, with every method, body or not.
    let help = descope_emulator::cli::help();
    let admin: Vec<&str> = help
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("/emulator"))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    assert!(admin.len() >= 15, "{admin:?}");
    for rest in admin {
        let path = format!("/emulator{rest}");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            for body in [None, Some("{}")] {
                let mut request = http
                    .request(method.clone(), format!("{base}{path}"))
                    .header(CONTENT_TYPE, "application/json");
                if let Some(body) = body {
                    request = request.body(body);
                }
                let what = format!("{method} {path} {body:?}");
                statuses.insert(answered(request, &what).await);
            }
        }
    }
    for path in [
        "/",
        "/emulator",
        "/v1",
        "/v2/keys",
        "/v1/auth/otp/signup/email/x",
    ] {
        for method in [Method::GET, Method::POST, Method::OPTIONS] {
            let what = format!("{method} {path}");
            statuses.insert(answered(http.request(method, format!("{base}{path}")), &what).await);
        }
    }
    // A body over the limit, another host, an admin change without JSON.
    let signup = format!("{base}/v1/auth/otp/signup/email");
    let huge = "x".repeat(2 * 1024 * 1024);
    let request = http
        .post(&signup)
        .header(AUTHORIZATION, format!("Bearer {project}"))
        .header(CONTENT_TYPE, "application/json")
        .body(huge);
    statuses.insert(answered(request, "a huge body").await);
    let request = http
        .get(format!("{base}/emulator/outbox"))
        .header("Host", "evil.example");
    statuses.insert(answered(request, "another host").await);
    let request = http.post(format!("{base}/emulator/reset"));
    statuses.insert(answered(request, "a reset without JSON").await);

    // The sweep met the answers it is about.
    for expected in [200, 400, 401, 403, 404, 405, 413, 415] {
        assert!(
            statuses.contains(&expected),
            "{expected} not met: {statuses:?}"
        );
    }
}
