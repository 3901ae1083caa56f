//! `cargo run -p descope-emulator --example walkthrough`: an OTP flow, a magic-link flow and a
//! session (refresh, `me`, logout) against an in-process emulator, through the generated
//! client, one printed step at a time.
//! Tokens are shown by their first characters only.

use std::process::ExitCode;

use descope_client::{Client, Error};
use descope_emulator::{EmulatorConfig, start};

/// The first characters of a secret, enough to tell two apart on screen.
fn preview(secret: Option<&str>) -> String {
    match secret {
        Some(secret) => format!(
            "{}… ({} chars)",
            &secret[..secret.len().min(12)],
            secret.len()
        ),
        None => "<none>".to_owned(),
    }
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
    let emulator = start(EmulatorConfig::default()).await;
    println!(
        "1. emulator running at {} for project {}",
        emulator.base_url(),
        emulator.project_id()
    );
    let client = Client::builder(emulator.project_id())
        .base_url(emulator.base_url())
        .build()?;

    // One-time code by SMS.
    let phone = "+14155550123";
    let sent = client.sign_up_otp_sms(phone).send().await?;
    println!(
        "2. sign-up by SMS: code sent to {}",
        sent.masked_phone.as_deref().unwrap_or("?")
    );
    let message = emulator
        .last_message_for(phone)
        .ok_or("no SMS in the outbox")?;
    let code = message.code().ok_or("not a code")?.to_owned();
    println!(
        "3. the outbox holds the SMS to {} (code withheld here)",
        message.destination
    );

    let wrong = client.verify_otp_sms(phone, "000000").send().await;
    if let Err(Error::Service(error)) = &wrong {
        println!(
            "4. a wrong code is refused: {} {:?}",
            error.status, error.code
        );
    }
    let signed_in = client.verify_otp_sms(phone, code).send().await?;
    let user_id = signed_in
        .user
        .as_ref()
        .and_then(|user| user.user_id.clone());
    println!(
        "5. verified: user {}, session JWT {}, refresh JWT {}",
        user_id.as_deref().unwrap_or("?"),
        preview(signed_in.session_jwt.as_deref()),
        preview(signed_in.refresh_jwt.as_deref())
    );

    // Magic link by email, to add an address to the same user.
    let refresh_jwt = signed_in.refresh_jwt.clone().unwrap_or_default();
    let sent = client
        .update_email_magic_link(&refresh_jwt, phone, "jane@example.com")
        .add_to_login_ids(true)
        .uri("https://app.example.com/verify")
        .send()
        .await?;
    println!(
        "6. email update: link sent to {}",
        sent.masked_email.as_deref().unwrap_or("?")
    );
    let message = emulator
        .last_message_for(phone)
        .ok_or("no email in the outbox")?;
    let token = message.token().ok_or("not a link")?.to_owned();
    println!("7. the link points at https://app.example.com/verify?t=<token>");

    let updated = client.verify_magic_link(token.clone()).send().await?;
    let user = updated.user.as_ref().ok_or("no user")?;
    println!(
        "8. link verified: login ids {:?}, email {:?}",
        user.login_ids,
        user.email.as_deref().unwrap_or("")
    );

    let reused = client.verify_magic_link(token).send().await;
    if let Err(Error::Service(error)) = &reused {
        println!(
            "9. the same link again is refused: {} {:?}",
            error.status, error.code
        );
    }

    // The session: renew it, read the user as stored, sign out.
    let refresh_jwt = updated.refresh_jwt.clone().unwrap_or_default();
    let renewed = client.refresh(&refresh_jwt).send().await?;
    println!(
        "10. refresh: new session JWT {}",
        preview(renewed.session_jwt.as_deref())
    );
    let me = client.me(&refresh_jwt).send().await?;
    println!("11. me: login ids {:?}", me.login_ids);
    client.logout(&refresh_jwt).send().await?;
    if let Err(Error::Service(error)) = &client.refresh(&refresh_jwt).send().await {
        println!(
            "12. after logout the refresh JWT is refused: {} {:?}",
            error.status, error.code
        );
    }
    println!("done; dropping the emulator stops it");
    Ok(())
}
