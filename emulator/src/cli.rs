//! The `descope-emulator` command line: every [`EmulatorConfig`] field as a flag (listed, with
//! defaults, in [`help`]), `--flag VALUE` or `--flag=VALUE`, and refusals in one line that name
//! the flag and the value (the binary exits with status 2 on them).

use std::fmt;
use std::path::Path;
use std::time::Duration;

use crate::config::{
    EmulatorConfig, MAX_DURATION, RateLimit, SigningAlgorithm, TokenDelivery, check_cookie_domain,
    check_project_id,
};
use crate::help::{DEFAULT_PORT, FLAGS};
use crate::seed::check_fixed_code;
use crate::users_file::load_users;

pub use crate::help::help;

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Box<EmulatorConfig>),
    Help,
    Version,
}

/// A refused command line, in one line that names the flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; see --help", self.0)
    }
}

impl std::error::Error for UsageError {}

/// Reads the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, UsageError> {
    let mut config = EmulatorConfig {
        port: DEFAULT_PORT,
        ..EmulatorConfig::default()
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            _ => {}
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let Some(flag) = FLAGS.iter().find(|flag| flag.name == name) else {
            return Err(UsageError(if name.starts_with('-') {
                format!("unknown flag {name:?}")
            } else {
                format!("unexpected argument {arg:?} (flags start with --)")
            }));
        };
        if flag.value.is_empty() {
            if inline.is_some() {
                return Err(UsageError(format!("{name} takes no value")));
            }
            switch(&mut config, name);
            continue;
        }
        let value = match inline {
            Some(value) => value,
            None => match args.next() {
                Some(value) if !value.starts_with("--") => value,
                _ => {
                    return Err(UsageError(format!("{name} needs a value ({})", flag.value)));
                }
            },
        };
        set(&mut config, name, &value).map_err(|reason| UsageError(format!("{name}: {reason}")))?;
    }
    // Each flag was checked on its own; this catches what only shows in combination.
    config.check().map_err(UsageError)?;
    Ok(Command::Run(Box::new(config)))
}

fn switch(config: &mut EmulatorConfig, name: &str) {
    match name {
        "--cookies" => config.token_delivery = TokenDelivery::Cookies,
        "--rotate-refresh-tokens" => config.rotate_refresh_tokens = true,
        "--no-admin" => config.admin_api = false,
        _ => unreachable!("every switch of FLAGS is handled: {name}"),
    }
}

fn set(config: &mut EmulatorConfig, name: &str, value: &str) -> Result<(), String> {
    match name {
        "--port" => {
            config.port = value
                .parse()
                .map_err(|_| format!("{value:?} is not a port number (0 to 65535)"))?;
        }
        "--project-id" => {
            check_project_id(value)?;
            config.project_id = value.to_owned();
        }
        "--signing-algorithm" => {
            config.signing_algorithm = SigningAlgorithm::from_jose_name(value)
                .ok_or(format!("{value:?} is not RS256, ES256 or EdDSA"))?;
        }
        "--cookie-domain" => {
            check_cookie_domain(value)?;
            config.cookie_domain = value.to_owned();
        }
        "--otp-ttl" => config.otp_ttl = duration(value, 1)?,
        "--link-ttl" => config.link_ttl = duration(value, 1)?,
        "--session-ttl" => config.session_ttl = duration(value, 1)?,
        "--refresh-ttl" => config.refresh_ttl = duration(value, 1)?,
        "--retired-key-ttl" => config.retired_key_ttl = duration(value, 0)?,
        "--max-otp-attempts" => {
            config.max_otp_attempts = value
                .parse()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or(format!("{value:?} is not a whole number of at least 1"))?;
        }
        "--default-redirect-uri" => {
            let usable = value.contains("://") && !value.chars().any(char::is_whitespace);
            if !usable {
                return Err(format!("{value:?} is not a URL (scheme://…, no spaces)"));
            }
            config.default_redirect_uri = value.to_owned();
        }
        "--rate-limit" => config.rate_limit = Some(rate_limit(value)?),
        "--fixed-code" => {
            let (login_id, code) = value
                .rsplit_once('=')
                .filter(|(login_id, _)| !login_id.is_empty())
                .ok_or(format!("{value:?} is not LOGIN_ID=CODE"))?;
            check_fixed_code(code)?;
            config
                .fixed_codes
                .insert(login_id.to_owned(), code.to_owned());
        }
        "--users" => {
            let users = load_users(Path::new(value)).map_err(|error| error.to_string())?;
            for (at, user) in users.iter().enumerate() {
                if config.users.iter().any(|u| u.login_id == user.login_id) {
                    return Err(format!(
                        "{value}: [{at}].loginId: {:?} is already a user of an earlier --users file",
                        user.login_id
                    ));
                }
            }
            config.users.extend(users);
        }
        _ => unreachable!("every flag with a value of FLAGS is handled: {name}"),
    }
    Ok(())
}

/// `90`, `90s`, `10m`, `12h` or `28d`, at least `min` seconds and at most a century.
fn duration(text: &str, min: u64) -> Result<Duration, String> {
    let (number, unit) = match text.char_indices().last() {
        Some((at, unit @ ('s' | 'm' | 'h' | 'd'))) => (&text[..at], unit),
        _ => (text, 's'),
    };
    let scale = match unit {
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        _ => 1,
    };
    let seconds = number
        .parse::<u64>()
        .ok()
        .filter(|_| number.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.checked_mul(scale))
        .ok_or(format!(
            "{text:?} is not a duration (seconds, or a number with s, m, h or d)"
        ))?;
    if seconds < min || seconds > MAX_DURATION.as_secs() {
        return Err(format!(
            "{text:?} is out of range ({min} seconds to a century)"
        ));
    }
    Ok(Duration::from_secs(seconds))
}

/// `N/DURATION`: at most N calls (0: none) per window of at least a second.
fn rate_limit(text: &str) -> Result<RateLimit, String> {
    let (calls, window) = text
        .split_once('/')
        .ok_or(format!("{text:?} is not N/DURATION, such as 100/60s"))?;
    let max_calls = calls
        .parse()
        .ok()
        .filter(|_| calls.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(format!("{calls:?} is not a number of calls"))?;
    Ok(RateLimit {
        max_calls,
        window: duration(window, 1)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<EmulatorConfig, String> {
        match parse(args.iter().map(|arg| (*arg).to_owned())) {
            Ok(Command::Run(config)) => Ok(*config),
            Ok(other) => panic!("{args:?}: {other:?}"),
            Err(error) => Err(error.to_string()),
        }
    }

    /// One accepted value per flag and what it sets, as `(args, check)`; `--users`, which
    /// needs a file, is tested apart.
    type Case = (&'static [&'static str], fn(&EmulatorConfig) -> bool);

    const ACCEPTED: [Case; 16] = [
        (&["--port", "0"], |c| c.port == 0),
        (&["--project-id", "P2Local"], |c| c.project_id == "P2Local"),
        (&["--signing-algorithm", "EdDSA"], |c| {
            c.signing_algorithm == SigningAlgorithm::EdDsa
        }),
        (&["--cookies"], |c| {
            c.token_delivery == TokenDelivery::Cookies
        }),
        (&["--cookie-domain", "example.test"], |c| {
            c.cookie_domain == "example.test"
        }),
        (&["--rotate-refresh-tokens"], |c| c.rotate_refresh_tokens),
        (&["--otp-ttl", "90"], |c| c.otp_ttl.as_secs() == 90),
        (&["--max-otp-attempts", "5"], |c| c.max_otp_attempts == 5),
        (&["--link-ttl", "2m"], |c| c.link_ttl.as_secs() == 120),
        (&["--session-ttl=1h"], |c| c.session_ttl.as_secs() == 3_600),
        (&["--refresh-ttl", "7d"], |c| {
            c.refresh_ttl.as_secs() == 604_800
        }),
        (&["--retired-key-ttl", "0"], |c| c.retired_key_ttl.is_zero()),
        (&["--default-redirect-uri", "myapp://verify"], |c| {
            c.default_redirect_uri == "myapp://verify"
        }),
        (&["--rate-limit", "10/1m"], |c| {
            c.rate_limit
                .is_some_and(|l| l.max_calls == 10 && l.window.as_secs() == 60)
        }),
        (
            &[
                "--fixed-code",
                "a=b@x.io=123456",
                "--fixed-code=+14155550123=000000",
            ],
            |c| c.fixed_codes["a=b@x.io"] == "123456" && c.fixed_codes["+14155550123"] == "000000",
        ),
        (&["--no-admin"], |c| !c.admin_api),
    ];

    #[test]
    fn every_flag_sets_its_field() {
        for flag in FLAGS.iter().filter(|flag| flag.name != "--users") {
            assert!(
                ACCEPTED
                    .iter()
                    .any(|(args, _)| args[0].starts_with(flag.name)),
                "{} has no case",
                flag.name
            );
        }
        for (args, check) in ACCEPTED {
            let config = run(args).unwrap_or_else(|error| panic!("{args:?}: {error}"));
            assert!(check(&config), "{args:?}");
        }
        let file = std::env::temp_dir().join(format!("seed-{}.json", std::process::id()));
        std::fs::write(&file, r#"[{"loginId": "jane@example.com"}]"#).unwrap();
        let config = run(&["--users", file.to_str().unwrap()]).unwrap();
        let _ = std::fs::remove_file(&file);
        assert_eq!(config.users[0].login_id, "jane@example.com");
        let defaults = run(&[]).unwrap();
        assert_eq!((defaults.port, defaults.admin_api), (4000, true));
    }

    #[test]
    fn every_bad_value_is_refused_in_one_line_naming_the_flag() {
        let refused: [(&[&str], &str); 21] = [
            (&["--port", "http"], "--port: \"http\" is not a port number"),
            (&["--port", "70000"], "--port: \"70000\""),
            (
                &["--project-id", "a:b"],
                "--project-id: \"a:b\" is not a project id",
            ),
            (
                &["--signing-algorithm", "HS256"],
                "--signing-algorithm: \"HS256\"",
            ),
            (&["--cookie-domain", "a;b"], "--cookie-domain: \"a;b\""),
            (&["--otp-ttl", "0"], "--otp-ttl: \"0\" is out of range"),
            (&["--otp-ttl", "3w"], "--otp-ttl: \"3w\" is not a duration"),
            (&["--max-otp-attempts", "0"], "--max-otp-attempts: \"0\""),
            (&["--link-ttl", "-1"], "--link-ttl: \"-1\""),
            (
                &["--session-ttl", "999999d"],
                "--session-ttl: \"999999d\" is out of range",
            ),
            (&["--refresh-ttl", ""], "--refresh-ttl: \"\""),
            (&["--retired-key-ttl", "x"], "--retired-key-ttl: \"x\""),
            (
                &["--default-redirect-uri", "verify"],
                "--default-redirect-uri: \"verify\"",
            ),
            (
                &["--rate-limit", "10"],
                "--rate-limit: \"10\" is not N/DURATION",
            ),
            (&["--rate-limit", "x/60"], "--rate-limit: \"x\""),
            (
                &["--fixed-code", "jane"],
                "--fixed-code: \"jane\" is not LOGIN_ID=CODE",
            ),
            (
                &["--fixed-code", "jane=12345"],
                "--fixed-code: \"12345\" is not a six-digit",
            ),
            (
                &["--users", "/nonexistent.json"],
                "--users: /nonexistent.json: cannot be read",
            ),
            (&["--cookies=yes"], "--cookies takes no value"),
            (&["--port"], "--port needs a value (N)"),
            (&["--port", "--cookies"], "--port needs a value (N)"),
        ];
        for (args, expected) in refused {
            let error = run(args).unwrap_err();
            assert!(error.starts_with(expected), "{args:?}: {error}");
            assert!(
                !error.contains('\n') && error.ends_with("; see --help"),
                "{error}"
            );
        }
        assert!(
            run(&["--frobnicate"])
                .unwrap_err()
                .starts_with("unknown flag \"--frobnicate\"")
        );
        assert!(
            run(&["4000"])
                .unwrap_err()
                .starts_with("unexpected argument \"4000\"")
        );
    }

    #[test]
    fn help_and_version_win() {
        let parsed = |args: &[&str]| parse(args.iter().map(|a| (*a).to_owned()));
        assert!(matches!(
            parsed(&["--port", "1", "--help"]),
            Ok(Command::Help)
        ));
        assert!(matches!(parsed(&["-V"]), Ok(Command::Version)));
    }
}
