//! Expire a session in a test without sleeping: move the emulator's clock and the validating
//! client's clock forward together.
//!
//! Against the local emulator:
//!     descope-emulator --fixed-code jane@example.com=123456
//!     cargo run --example expire_session
use std::process::ExitCode;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use descope_client::reqwest::header::CONTENT_TYPE;
use descope_client::{Client, SessionConfig, SessionError};

const EMULATOR: &str = "http://127.0.0.1:4000";

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

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // The seconds the test has moved time forward; the client's clock adds them to the system's.
    let ahead = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&ahead);
    let client =
        Client::builder("P2Emulator")
            .base_url(EMULATOR)
            .sessions(SessionConfig::default().clock(move || {
                SystemTime::now() + Duration::from_secs(seen.load(Ordering::Relaxed))
            }))
            .build()?;

    client.sign_up_or_in_otp_email("jane@example.com").await?;
    let signed_in = client
        .verify_otp_email("jane@example.com", "123456")
        .await?;
    let session_jwt = signed_in.session_jwt.clone().unwrap_or_default();
    let refresh_jwt = signed_in.refresh_jwt.clone().unwrap_or_default();
    client.validate_session(&session_jwt).await?;
    println!("the session is valid");

    // Two hours on, for the emulator and for the client alike.
    let seconds = 2 * 3600;
    descope_client::reqwest::Client::new()
        .post(format!("{EMULATOR}/emulator/clock"))
        .header(CONTENT_TYPE, "application/json")
        .body(format!(r#"{{"seconds": {seconds}}}"#))
        .send()
        .await?
        .error_for_status()?;
    ahead.fetch_add(seconds, Ordering::Relaxed);

    match client.validate_session(&session_jwt).await {
        Err(SessionError::Expired { .. }) => println!("the session has expired"),
        other => return Err(format!("expected an expired session, got {other:?}").into()),
    }
    // The refresh JWT still lives (weeks): it renews the session, issued at the emulator's time.
    let checked = client
        .validate_and_refresh_session(Some(session_jwt.as_str()), Some(refresh_jwt.as_str()))
        .await?;
    println!(
        "renewed: {}",
        if checked.refreshed().is_some() {
            "yes"
        } else {
            "no"
        }
    );
    Ok(())
}
