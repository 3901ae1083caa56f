//! Check a request's session without axum: the building blocks the middleware is made of.
//!
//! Against the local emulator:
//!     descope-emulator --fixed-code jane@example.com=123456
//!     cargo run --example any_framework
use std::process::ExitCode;

use descope_client::Client;
use descope_client::reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use descope_client::session::{cookies::CookieOptions, extract};

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

    // A request as your framework would hand it over, from a user who signed in (with the
    // emulator's fixed code).
    let login_id = "jane@example.com";
    client.sign_up_or_in_otp_email(login_id).await?;
    let signed_in = client.verify_otp_email(login_id, "123456").await?;
    let mut headers = HeaderMap::new();
    let bearer = format!(
        "Bearer {}",
        signed_in.session_jwt.as_deref().unwrap_or_default()
    );
    headers.insert(AUTHORIZATION, HeaderValue::from_str(&bearer)?);

    // Find the tokens (`Authorization: Bearer`, or the `DS` / `DSR` cookies), validate the
    // session JWT locally, and refresh it with the refresh JWT when it has expired.
    let names = CookieOptions::default();
    let checked = client
        .validate_and_refresh_session(
            extract::session_token(&headers, &names),
            extract::refresh_token(&headers, &names),
        )
        .await?;
    if let Some(refreshed) = checked.refreshed() {
        // Send these `Set-Cookie` values with the response, so the browser keeps the new tokens.
        let set_cookies = names.refreshed(refreshed);
        println!("refreshed; {} cookies to set", set_cookies.len());
    }
    let session = checked.session();
    println!(
        "request from {} (roles {:?})",
        session.user_id(),
        session.roles()
    );
    if session.has_tenant_roles("T2abc", &["admin"]) {
        println!("{} administers T2abc", session.user_id());
    }
    Ok(())
}
