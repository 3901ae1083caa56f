//! `descope-emulator [FLAG]...`: runs the emulator on 127.0.0.1 until Ctrl-C. `--help` lists
//! every flag with its default (exit 0); a bad command line is refused in one line naming the
//! flag (exit 2); a failure to start, such as a port in use, exits 1.

use std::process::ExitCode;

use descope_emulator::cli::{self, Command};
use descope_emulator::try_start;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let parsed = match args {
        Ok(args) => cli::parse(args),
        Err(arg) => Err(cli::UsageError(format!("{arg:?} is not UTF-8"))),
    };
    let config = match parsed {
        Ok(Command::Run(config)) => *config,
        Ok(Command::Help) => {
            print!("{}", cli::help());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("descope-emulator {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("descope-emulator: {error}");
            return ExitCode::from(2);
        }
    };
    let admin = config.admin_api;
    let seeded = config.users.len();
    let emulator = match try_start(config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("descope-emulator: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let base = emulator.base_url();
    let admin = if admin {
        format!("test-only admin API at {base}/emulator/ (outbox: {base}/emulator/outbox)")
    } else {
        "admin API off".to_owned()
    };
    println!(
        "descope-emulator listening on {base} (project {}, {} keys, {seeded} seeded users); {admin}",
        emulator.project_id(),
        emulator.config().signing_algorithm.jose_name(),
    );
    // Runs until interrupted; a failure to listen for the signal also ends it.
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
