//! `descope-emulator [--port N] [--project-id ID]`: runs the emulator until Ctrl-C.

use std::process::ExitCode;

use descope_emulator::{EmulatorConfig, try_start};

const USAGE: &str = "usage: descope-emulator [--port N] [--project-id ID]";

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
        "descope-emulator listening on {} (project {}); outbox at {}/emulator/outbox",
        emulator.base_url(),
        emulator.project_id(),
        emulator.base_url()
    );
    // Runs until interrupted; a failure to listen for the signal also ends it.
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
