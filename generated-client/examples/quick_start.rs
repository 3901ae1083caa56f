//! Sign a user in with a one-time code sent by email.
//!
//! Against the local emulator (no Descope account needed):
//!     descope-emulator --fixed-code jane@example.com=123456
//!     echo 123456 | cargo run --example quick_start
//! Against your project: DESCOPE_PROJECT_ID=P2... cargo run --example quick_start you@example.com
use std::process::ExitCode;

use descope_client::{Client, Error, ErrorCode};

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
    // Descope itself when DESCOPE_PROJECT_ID is set, else the emulator on its default port.
    let client = match std::env::var("DESCOPE_PROJECT_ID") {
        Ok(project_id) => Client::new(project_id)?,
        Err(_) => Client::builder("P2Emulator")
            .base_url("http://127.0.0.1:4000")
            .build()?,
    };
    let email = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "jane@example.com".to_owned());

    // 1. Send a code. The answer names where it went, masked.
    let sent = client.sign_up_or_in_otp_email(&email).await?;
    println!(
        "Code sent to {}. Type it:",
        sent.masked_email.as_deref().unwrap_or("?")
    );
    let mut code = String::new();
    std::io::stdin().read_line(&mut code)?;

    // 2. Verify the code the user typed: the user is signed in.
    let verified = client.verify_otp_email(&email, code.trim()).await;
    match verified {
        Ok(signed_in) => {
            let user_id = signed_in
                .user
                .as_ref()
                .and_then(|user| user.user_id.as_deref());
            println!("Signed in as {}", user_id.unwrap_or("?"));
            // The session JWT proves the sign-in to your backend; the refresh JWT renews it.
            let session_jwt = signed_in.session_jwt.as_deref().unwrap_or_default();
            let session = client.validate_session(session_jwt).await?;
            let left = session
                .expires_at()
                .duration_since(std::time::SystemTime::now())?;
            println!("Session valid for {} more seconds", left.as_secs());
        }
        Err(Error::Service(error)) if error.code == Some(ErrorCode::WrongOtpCode) => {
            println!("Wrong code")
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
