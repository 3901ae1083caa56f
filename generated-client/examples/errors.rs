//! Tell the service's answers apart by their error code, and transport failures from both.
//!
//! Against the local emulator: `descope-emulator`, then `cargo run --example errors`.
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
    let client = Client::builder("P2Emulator")
        .base_url("http://127.0.0.1:4000")
        .build()?;

    // Signing in a login id that never signed up.
    let result = client.sign_in_otp_email("nobody@example.com").await;
    match result {
        Ok(sent) => println!(
            "code sent to {}",
            sent.masked_email.as_deref().unwrap_or("?")
        ),
        Err(Error::Service(error)) => match error.code {
            Some(ErrorCode::UserNotFound) => println!("no such user: offer sign-up"),
            Some(ErrorCode::RateLimitExceeded) => {
                println!("slow down; retry after {:?}", error.retry_after)
            }
            _ => println!("Descope said no: {error}"),
        },
        Err(error) if error.is_timeout() => println!("Descope did not answer in time"),
        Err(error) => println!("{error}"),
    }
    Ok(())
}
