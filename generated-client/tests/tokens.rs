//! The seven common tasks with this crate, compiled so the token count (`.ci/tokens`,
//! table in BENCHMARKS.md) is of code that builds. Each `// task:` line opens what is counted
//! and `// end` closes it; `tokens/tasks.py` and `tokens/tasks.mjs` do the same tasks with
//! Descope's Python and Node SDKs.

use descope_client::{Client, Error, ErrorCode};

#[allow(dead_code, clippy::too_many_arguments)]
async fn tasks(
    client: Client,
    email: &str,
    code: &str,
    token: &str,
    login_id: &str,
    phone: &str,
    session_jwt: &str,
    refresh_jwt: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    // task: otp
    client.sign_up_or_in_otp_email(email).await?;
    let res = client.verify_otp_email(email, code).await?;
    // end

    drop(res);

    // task: magic-link
    client
        .sign_in_magic_link_email(email)
        .uri("https://app.example.com/verify")
        .await?;
    let res = client.verify_magic_link(token).await?;
    // end

    drop(res);

    // task: update-phone
    client
        .update_phone_otp_sms(refresh_jwt, login_id, phone)
        .await?;
    // end

    // task: validate
    let session = client.validate_session(session_jwt).await?;
    // end

    // task: refresh
    let res = client.refresh_session(refresh_jwt).await?;
    // end

    // task: logout
    client.logout(refresh_jwt).await?;
    // end

    // task: errors
    match client.verify_otp_email(email, code).await {
        Err(Error::Service(e)) if e.status == 429 => {
            tokio::time::sleep(e.retry_after.unwrap_or_default()).await
        }
        Err(Error::Service(e)) if e.code == Some(ErrorCode::WrongOtpCode) => println!("wrong code"),
        other => drop(other?),
    }
    // end
    drop((res, session));
    Ok(())
}

#[test]
fn every_task_is_marked() {
    let source = include_str!("tokens.rs");
    let tasks = source.matches("\n    // task: ").count();
    assert_eq!(tasks, 7);
    assert_eq!(source.matches("\n    // end\n").count(), tasks);
}
