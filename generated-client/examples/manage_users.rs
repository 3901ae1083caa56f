//! Manage users, tenants and roles with the project's management key (the `management` feature).
//!
//! Against the local emulator:
//!     descope-emulator --management-key K2EmulatorKey
//!     DESCOPE_MANAGEMENT_KEY=K2EmulatorKey cargo run --example manage_users --features management
//! Against your project, set DESCOPE_PROJECT_ID=P2... and your management key.
use std::process::ExitCode;

use descope_client::{Client, types};
use futures_util::StreamExt;

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
    // The management key comes from DESCOPE_MANAGEMENT_KEY when the builder is given none.
    let client = match std::env::var("DESCOPE_PROJECT_ID") {
        Ok(project_id) => Client::builder(project_id).build()?,
        Err(_) => Client::builder("P2Emulator")
            .base_url("http://127.0.0.1:4000")
            .build()?,
    };

    // A permission, a role that grants it, and a tenant.
    client.create_permission("articles:write").await?;
    client
        .create_role("editor")
        .permission_names(["articles:write"])
        .await?;
    let tenant = client.create_tenant("Acme").id("T2acme").await?;
    println!("tenant {}", tenant.id.as_deref().unwrap_or("?"));

    // A user who is an editor in that tenant; they can sign in with a code or a magic link.
    let user = client
        .create_user("ada@example.com")
        .email("ada@example.com")
        .display_name("Ada Lovelace")
        .user_tenants([types::AssociatedTenant::builder()
            .tenant_id("T2acme")
            .role_names(["editor"])])
        .await?;
    let user_id = user.user.as_ref().and_then(|user| user.user_id.as_deref());
    println!("created {}", user_id.unwrap_or("?"));

    // Every user of the tenant, page after page, as a stream.
    let search = types::SearchUsersRequest::builder().tenant_ids(["T2acme"]);
    let mut users = std::pin::pin!(client.search_all_users(search));
    while let Some(found) = users.next().await {
        let found = found?;
        println!("in Acme: {:?}", found.login_ids);
    }

    // Disable the user: they can no longer sign in or refresh a session.
    client
        .update_user_status("ada@example.com", types::UserStatus::Disabled)
        .await?;
    let loaded = client.load_user().login_id("ada@example.com").await?;
    println!(
        "status: {:?}",
        loaded.user.as_ref().and_then(|user| user.status.as_ref())
    );

    // Clean up.
    client.delete_user().login_id("ada@example.com").await?;
    client.delete_tenant("T2acme").await?;
    println!("deleted");
    Ok(())
}
