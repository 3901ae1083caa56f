//! Every setting of a client, at the values you would most likely change.
//!
//! `cargo run --example configuration` builds the client and says where it will call.
use std::process::ExitCode;
use std::time::Duration;

use descope_client::{Client, RetryPolicy, SessionConfig};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), descope_client::BuildError> {
    let client = Client::builder("P2abcdefghijklmnopqrstuvwxyz")
        .timeout(Duration::from_secs(10)) // each attempt, connect to last byte; default 60 s
        .connect_timeout(Duration::from_secs(3)) // default 60 s
        .retry_policy(RetryPolicy::default()) // the Go SDK's policy; RetryPolicy::none() turns it off
        .max_response_bytes(1024 * 1024) // longest body read; default 16 MiB
        .sessions(
            SessionConfig::default()
                .leeway(Duration::from_secs(10)) // on exp and nbf; default 5 s
                .audience("my-api"), // checked when set
        )
        .build()?;
    println!("calls go to {}", client.base_url());
    Ok(())
}
