//! The client's runtime behaviour on the wire, observed through the loopback recording server.

mod faults;
mod hardening;
mod paging;
mod sessions;

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
    // The client's version, which its User-Agent ends in.
    let version = descope_client::USER_AGENT.rsplit('/').next();
    assert_eq!(request.header("x-descope-sdk-version"), version);
    assert_eq!(
        request.header("x-descope-project-id"),
        Some("P2HeaderCheck")
    );
    assert_eq!(
        request.header("user-agent"),
        version
            .map(|version| format!("descope-client-rust/{version}"))
            .as_deref()
    );
    assert_ne!(
        version,
        Some(""),
        "the User-Agent ends in the client's version"
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
async fn a_missing_or_empty_refresh_jwt_sends_nothing() {
    let server = RecordingServer::start().await;
    let client = client_for(&server);
    // Through the builder, with no token on the client; and an empty token given to the method.
    let missing = descope_client::builder::UpdateEmailMagicLink::new(&client)
        .body(
            descope_client::types::UpdateEmailMagicLinkRequest::builder()
                .login_id("a@b.c")
                .email("d@e.f"),
        )
        .send()
        .await;
    let empty = client
        .update_email_magic_link("", "a@b.c", "d@e.f")
        .send()
        .await;
    for (result, expected) in [
        (missing, "with_refresh_jwt"),
        (empty, "RefreshJwt is empty"),
    ] {
        match result {
            Err(refused @ descope_client::Error::InvalidRequest(_)) => {
                let message = refused.to_string();
                assert!(message.contains(expected), "{message}");
                assert!(
                    message
                        .starts_with("UpdateEmailMagicLink (POST /v1/auth/magiclink/update/email)"),
                    "{message}"
                );
                assert_eq!(refused.attempts(), 0);
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    assert!(server.take().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn the_refresh_jwt_given_to_a_call_wins_over_the_client_s() {
    let server = RecordingServer::start().await;
    let client = client_for(&server).with_refresh_jwt("eyJ.client.jwt");
    let _ = client.logout("eyJ.given.jwt").send().await;
    let _ = client.try_refresh().send().await;
    let sent = server.take();
    let bearers: Vec<_> = sent
        .iter()
        .map(|request| request.header("authorization").unwrap_or_default())
        .collect();
    assert_eq!(
        bearers,
        [
            "Bearer P2HeaderCheck:eyJ.given.jwt",
            "Bearer P2HeaderCheck:eyJ.client.jwt"
        ]
    );
}
