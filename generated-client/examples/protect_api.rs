//! A web API whose routes need a valid Descope session (the `axum` feature).
//!
//! Against the local emulator:
//!     descope-emulator
//!     cargo run --example protect_api --features axum
//! then call http://127.0.0.1:3000/profile with `Authorization: Bearer <session JWT>` or the
//! `DS` cookie. For your project, set DESCOPE_PROJECT_ID=P2... as well.
use std::process::ExitCode;

use axum::{Router, routing::get};
use descope_client::session::middleware::{SessionLayer, require};
use descope_client::{Client, Session};

async fn profile(session: Session) -> String {
    format!("signed in as {}\n", session.user_id())
}

async fn reports(session: Session) -> String {
    format!("reports for {}\n", session.user_id())
}

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
    let client = match std::env::var("DESCOPE_PROJECT_ID") {
        Ok(project_id) => Client::new(project_id)?,
        Err(_) => Client::builder("P2Emulator")
            .base_url("http://127.0.0.1:4000")
            .build()?,
    };
    let app = Router::new()
        // 403 unless the session has this permission at project level.
        .route(
            "/reports",
            get(reports).layer(require::permissions(&["reports:read"])),
        )
        .route("/profile", get(profile))
        // 401 without a valid session; an expired one is refreshed from the `DSR` cookie.
        // The project's public keys are fetched once and cached: no call to Descope per request.
        .layer(SessionLayer::new(client));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://127.0.0.1:3000");
    axum::serve(listener, app).await?;
    Ok(())
}
