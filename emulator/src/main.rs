//! `descope-emulator [FLAG]...`: runs the emulator (on 127.0.0.1 unless `--listen` says otherwise)
//! until Ctrl-C or SIGTERM (exit 0;
//! with `--state FILE`, once the state is saved to it, or 1 if it cannot be). `--help` lists
//! every flag with its default (exit 0); a bad command line is refused with clap's error, which
//! names the flag and suggests the nearest one (exit 2); a failure to start, such as a port in
//! use or a state file that cannot be loaded, exits 1.

use std::io::Write;
use std::process::ExitCode;

use descope_emulator::{EmulatorConfig, cli, try_start};

fn main() -> ExitCode {
    match cli::parse(std::env::args_os().skip(1)) {
        Ok(config) => serve(config),
        Err(error) => {
            // Help and version go to standard output with status 0, refusals to standard error
            // with status 2.
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn serve(config: EmulatorConfig) -> ExitCode {
    let admin = config.admin_api;
    let seeded = config.users.len();
    let port = config.port;
    let listen = config.listen;
    let emulator = match try_start(config).await {
        Ok(emulator) => emulator,
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "descope-emulator: cannot start: port {port} on {listen} is in use (another \
                 emulator?); choose another with --port N, or --port 0 for a free one"
            );
            return ExitCode::FAILURE;
        }
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
    // A key made at start is shown, so the developer can give it to their SDK; one they gave is
    // not repeated.
    let key = if emulator.config().management_key.is_none() {
        format!("; management key {}", emulator.management_key())
    } else {
        String::new()
    };
    let kept = match &emulator.config().state_file {
        Some(path) => format!("; state kept in {}", path.display()),
        None => String::new(),
    };
    let stopped = stop_signals();
    // One line, written without panicking: whoever started the emulator may have stopped
    // reading its output (a test reads the address and closes the pipe), which must not stop it.
    let _ = writeln!(
        std::io::stdout(),
        "descope-emulator listening on {base} (project {}, {} keys, {seeded} seeded users); {admin}{key}{kept}",
        emulator.project_id(),
        emulator.config().signing_algorithm.jose_name(),
    );
    stopped.await;
    // Every change was saved as it was made; this last save makes sure the file is there and
    // whole, and tells if it cannot be.
    if let Err(error) = emulator.save_state() {
        eprintln!("descope-emulator: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Waits for Ctrl-C or, on Unix, SIGTERM (what `kill`, Docker and CI runners send), so either
/// ends the emulator with status 0. On Unix the handlers are installed when this is called, not
/// when it is first awaited: a signal sent as soon as the "listening" line is read must not meet
/// the default handler, which ends the process without the last save. A failure to install them
/// falls back to Ctrl-C alone.
fn stop_signals() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let handlers = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        );
        async move {
            match handlers {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
