//! `descope-emulator [--port N] [--project-id ID] [--signing-algorithm RS256|ES256|EdDSA]
//! [--cookies] [--rotate-refresh-tokens]`: runs the emulator until Ctrl-C.

use std::process::ExitCode;

use descope_emulator::{EmulatorConfig, SigningAlgorithm, TokenDelivery, try_start};

const USAGE: &str = "usage: descope-emulator [--port N] [--project-id ID] \
[--signing-algorithm RS256|ES256|EdDSA] [--cookies] [--rotate-refresh-tokens]";

fn parse(mut args: impl Iterator<Item = String>) -> Result<EmulatorConfig, String> {
    let mut config = EmulatorConfig::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                let text = value("--port")?;
                config.port = text
                    .parse()
                    .map_err(|_| format!("--port: {text:?} is not a port number"))?;
            }
            "--project-id" => {
                let id = value("--project-id")?;
                if id.is_empty() || id.contains(':') || !id.is_ascii() {
                    return Err(format!("--project-id: {id:?} is not a project id"));
                }
                config.project_id = id;
            }
            "--signing-algorithm" => {
                let name = value("--signing-algorithm")?;
                config.signing_algorithm = SigningAlgorithm::from_jose_name(&name).ok_or(
                    format!("--signing-algorithm: {name:?} is not RS256, ES256 or EdDSA"),
                )?;
            }
            // Tokens in `DS`/`DSR` cookies instead of the body.
            "--cookies" => config.token_delivery = TokenDelivery::Cookies,
            "--rotate-refresh-tokens" => config.rotate_refresh_tokens = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match parse(std::env::args().skip(1)) {
        Ok(config) => config,
        // Asking for help is not a mistake: usage on stdout, success.
        Err(message) if message == USAGE => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let emulator = match try_start(config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("descope-emulator: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "descope-emulator listening on {} (project {}, {} keys); outbox at {}/emulator/outbox",
        emulator.base_url(),
        emulator.project_id(),
        emulator.config().signing_algorithm.jose_name(),
        emulator.base_url()
    );
    // Runs until interrupted; a failure to listen for the signal also ends it.
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
