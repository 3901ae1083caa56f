//! After sign-in: renew the session, read the user, pick a tenant, sign out.
//!
//! Against the local emulator:
//!     descope-emulator --fixed-code jane@example.com=123456
//!     echo 123456 | cargo run --example sessions
//! Against your project: DESCOPE_PROJECT_ID=P2... cargo run --example sessions you@example.com
use std::process::ExitCode;

use descope_client::Client;

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
    let email = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "jane@example.com".to_owned());

    // Sign in as in the quick start.
    client.sign_up_or_in_otp_email(&email).await?;
    println!("Type the code sent to {email}:");
    let mut code = String::new();
    std::io::stdin().read_line(&mut code)?;
    let signed_in = client.verify_otp_email(&email, code.trim()).await?;

    // Calls on behalf of the user take their refresh JWT first, as the official SDKs' do.
    let mut refresh_jwt = signed_in.refresh_jwt.clone().unwrap_or_default();

    // A new session JWT, validated locally. Projects that rotate refresh tokens send a new
    // refresh JWT too, which replaces the old one from then on (`refresh_session` does both).
    let refreshed = client.refresh_session(&refresh_jwt).await?;
    if let Some(rotated) = refreshed.rotated_refresh_jwt {
        refresh_jwt = rotated.into_string();
    }
    println!(
        "Session of {} with roles {:?}",
        refreshed.session.user_id(),
        refreshed.session.roles()
    );

    // The user as Descope holds them now, and where they signed in from.
    let me = client.me(&refresh_jwt).await?;
    println!(
        "Email {} verified: {:?}",
        me.email.as_deref().unwrap_or("?"),
        me.verified_email
    );
    let history = client.me_auth_history(&refresh_jwt).await?;
    println!("{} sign-ins", history.entries().len());

    // Act in one of the user's tenants: the new session JWT names it in its `dct` claim.
    if let Some(tenant) = me
        .user_tenants
        .first()
        .and_then(|tenant| tenant.tenant_id.clone())
    {
        let selected = client.select_tenant(&refresh_jwt, tenant).await?;
        let session = client
            .validate_session(selected.session_jwt.as_deref().unwrap_or_default())
            .await?;
        println!("Now acting in tenant {:?}", session.selected_tenant());
    }

    // Start changing the user's email: a magic link goes to the new address.
    client
        .update_email_magic_link(&refresh_jwt, &email, "jane.doe@example.org")
        .uri("http://localhost:3000/verify")
        .await?;

    // Sign out of this session (`logout_all` signs out of every session of the user).
    client.logout(&refresh_jwt).await?;
    println!("Signed out");
    Ok(())
}
