//! The client's runtime behaviour on the wire, observed through the loopback recording server.

mod faults;
mod hardening;
mod paging;
mod sessions;
mod tracing_span;

use descope_client::Client;
use descope_shape_tests::RecordingServer;

/// A client of a test project that sends to the loopback server.
fn client_for(server: &RecordingServer) -> Client {
    Client::builder("P2HeaderCheck")
        .base_url(&server.base_url)
        .build()
        .expect("a loopback base URL is valid")
}

async fn send_one(client: &Client) {
    client
        .verify_magic_link("t0ken")
        .send()
        .await
        .expect("the loopback server answers {} with 200");
}

#[tokio::test]
async fn every_call_identifies_the_sdk_and_project_and_drops_api_version() {
    let server = RecordingServer::start().await;
    let client = client_for(&server);
    send_one(&client).await;
    let [request] = server.take().try_into().expect("exactly one request");
    assert_eq!(request.header("x-descope-sdk-name"), Some("rust"));
    assert_eq!(
        request.header("x-descope-sdk-version"),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        request.header("x-descope-project-id"),
        Some("P2HeaderCheck")
    );
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("descope-client-rust/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(
        request.header("api-version"),
        None,
        "progenitor's header is not sent"
    );
}

#[tokio::test]
async fn a_caller_supplied_user_agent_is_kept() {
    let server = RecordingServer::start().await;
    let http = reqwest::Client::builder()
        .user_agent("my-app/2")
        .build()
        .unwrap();
    let client = Client::builder("P2HeaderCheck")
        .base_url(&server.base_url)
        .http_client(http)
        .build()
        .unwrap();
    send_one(&client).await;
    let [request] = server.take().try_into().expect("exactly one request");
    assert_eq!(request.header("user-agent"), Some("my-app/2"));
}

#[tokio::test]
async fn a_missing_refresh_jwt_sends_nothing() {
    let server = RecordingServer::start().await;
    let client = client_for(&server);
    let result = client
        .update_email_magic_link("a@b.c", "d@e.f")
        .send()
        .await;
    match result {
        Err(refused @ descope_client::Error::InvalidRequest(_)) => {
            let message = refused.to_string();
            assert!(message.contains("with_refresh_jwt"), "{message}");
            assert!(
                message.starts_with("UpdateEmailMagicLink (POST /v1/auth/magiclink/update/email)"),
                "{message}"
            );
            assert_eq!(refused.attempts(), 0);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(server.take().is_empty(), "nothing reached the server");
}
