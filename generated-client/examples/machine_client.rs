//! A service that accepts machine clients: an access key is created with the management key
//! (the `access-keys` feature), then validated as a session, as each request bearing it would be.
//!
//! Against the local emulator:
//!     descope-emulator --management-key K2EmulatorKey
//!     DESCOPE_MANAGEMENT_KEY=K2EmulatorKey cargo run --example machine_client --features access-keys
//! Against your project, set DESCOPE_PROJECT_ID=P2... and your management key.
use std::process::ExitCode;
use std::time::SystemTime;

use descope_client::{Client, SessionKind};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A client of the project; the management key comes from DESCOPE_MANAGEMENT_KEY when the
/// builder is given none.
fn client() -> Result<Client, descope_client::BuildError> {
    match std::env::var("DESCOPE_PROJECT_ID") {
        Ok(project_id) => Client::builder(project_id).build(),
        Err(_) => Client::builder("P2Emulator")
            .base_url("http://127.0.0.1:4000")
            .build(),
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = client()?;

    // The key's cleartext comes back once, here: hand it to the machine client.
    let created = client
        .create_access_key("nightly-report")
        .description("the reporting job")
        .await?
        .into_inner();
    let key_id = created.key.and_then(|key| key.id).unwrap_or_default();
    let cleartext = created.cleartext.unwrap_or_default();
    println!("created access key {key_id}");

    // What a request bearing the key gets: a session of kind AccessKey whose user id is the
    // key's id. The exchange is remembered, so later requests with the same key cost no call.
    for _ in 0..3 {
        let session = client.validate_access_key(&cleartext).await?;
        assert_eq!(session.kind(), SessionKind::AccessKey);
        let left = session.expires_at().duration_since(SystemTime::now())?;
        println!(
            "machine client {}, valid for {} s more",
            session.user_id(),
            left.as_secs()
        );
    }

    // A deactivated key is refused at its next exchange. This client remembers the last one
    // until its JWT expires; a client that has not seen the key asks Descope.
    client.deactivate_access_key(&key_id).await?;
    match self::client()?.validate_access_key(&cleartext).await {
        Ok(_) => println!("still accepted"),
        Err(error) => println!("refused after deactivation: {error}"),
    }
    client.delete_access_key(&key_id).await?;
    Ok(())
}
