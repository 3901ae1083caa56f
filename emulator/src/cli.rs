//! The `descope-emulator` command line on clap: every [`EmulatorConfig`] field a flag (declared,
//! with its help and default, in the private `help` module), `--flag VALUE` or `--flag=VALUE`,
//! each value read by its parser (in the private `values` module), and refusals in clap's words,
//! with its "did you mean" tips (the binary exits with status 2 on them).

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use crate::config::{EmulatorConfig, TokenDelivery};
use crate::help::Flags;

/// The command line: what `--help` describes and [`parse`] reads.
pub fn command() -> clap::Command {
    Flags::command()
}

/// The `--help` text.
pub fn help() -> String {
    command().render_help().to_string()
}

/// Reads the arguments after the program name into the configuration to run. `--help` and
/// `--version` come back as errors of kind [`ErrorKind::DisplayHelp`] and
/// [`ErrorKind::DisplayVersion`], which print to standard output with exit code 0; a refused
/// command line has exit code 2 (see [`clap::Error::exit_code`]).
pub fn parse<I, T>(args: I) -> Result<EmulatorConfig, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args =
        std::iter::once(OsString::from("descope-emulator")).chain(args.into_iter().map(Into::into));
    let mut command = command();
    let flags = command
        .try_get_matches_from_mut(args)
        .and_then(|mut matches| Flags::from_arg_matches_mut(&mut matches))?;
    flags
        .into_config()
        .map_err(|message| command.error(ErrorKind::ValueValidation, message))
}

impl Flags {
    fn into_config(self) -> Result<EmulatorConfig, String> {
        let mut config = EmulatorConfig {
            port: self.port,
            project_id: self.project_id,
            signing_algorithm: self.signing_algorithm.0,
            rotate_refresh_tokens: self.rotate_refresh_tokens,
            otp_ttl: self.otp_ttl.0,
            max_otp_attempts: self.max_otp_attempts,
            link_ttl: self.link_ttl.0,
            session_ttl: self.session_ttl.0,
            refresh_ttl: self.refresh_ttl.0,
            retired_key_ttl: self.retired_key_ttl.0,
            default_redirect_uri: self.default_redirect_uri,
            ..EmulatorConfig::default()
        };
        if self.cookies {
            config.token_delivery = TokenDelivery::Cookies;
        }
        if let Some(domain) = self.cookie_domain {
            config.cookie_domain = domain;
        }
        if let Some(limit) = self.rate_limit {
            config.rate_limit = Some(limit);
        }
        if self.no_admin {
            config.admin_api = false;
        }
        // A login id given twice keeps its last code.
        let fixed = self.fixed_code.into_iter().map(|f| (f.login_id, f.code));
        config.fixed_codes.extend(fixed);
        for file in self.users {
            for (at, user) in file.users.iter().enumerate() {
                if config.users.iter().any(|u| u.login_id == user.login_id) {
                    return Err(format!(
                        "--users {}: [{at}].loginId: {:?} is already a user of an earlier \
                         --users file",
                        file.path, user.login_id
                    ));
                }
            }
            config.users.extend(file.users);
        }
        // Each flag was checked on its own; this catches what only shows in combination.
        config.check()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::ROUTES;
    use crate::cli;
    use crate::config::SigningAlgorithm;
    use crate::help::{self, ADMIN_HELP};

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

    /// At least one refused value per flag: the arguments (split at spaces) `=>` what clap's
    /// error says.
    const REFUSED: [&str; 29] = [
        "--port http => invalid value 'http' for '--port <N>': not a port number",
        "--port 70000 => '70000' for '--port <N>': not a port number",
        "--port => a value is required for '--port <N>' but none was supplied",
        "--port --cookies => a value is required for '--port <N>'",
        "--project-id a:b => '--project-id <ID>': \"a:b\" is not a project id",
        "--signing-algorithm HS256 => 'HS256' for '--signing-algorithm <ALG>'",
        "--signing-algorithm ES265 => tip: a similar value exists: 'ES256'",
        "--cookies=yes => unexpected value 'yes' for '--cookies' found",
        "--cookie-domain a;b => \"a;b\" is not a cookie domain",
        "--rotate-refresh-tokens=1 => unexpected value '1' for '--rotate-refresh",
        "--otp-ttl 0 => '0' for '--otp-ttl <DURATION>': out of range",
        "--otp-ttl 3w => '3w' for '--otp-ttl <DURATION>': not a duration",
        "--max-otp-attempts 0 => not a whole number of at least 1",
        "--link-ttl -1 => '-1' for '--link-ttl <DURATION>': not a duration",
        "--session-ttl 999999d => for '--session-ttl <DURATION>': out of range",
        "--refresh-ttl= => '' for '--refresh-ttl <DURATION>': not a duration",
        "--retired-key-ttl x => 'x' for '--retired-key-ttl <DURATION>'",
        "--default-redirect-uri verify => '--default-redirect-uri <URL>': not a URL",
        "--rate-limit 10 => '10' for '--rate-limit <N/DURATION>': not N/DURATION",
        "--rate-limit x/60 => \"x\" is not a number of calls",
        "--rate-limit 1/0 => window \"0\": out of range",
        "--fixed-code jane => '--fixed-code <LOGIN_ID=CODE>': not LOGIN_ID=CODE",
        "--fixed-code jane=12345 => \"12345\" is not a six-digit code",
        "--users /nonexistent.json => '--users <FILE.json>': /nonexistent.json: cannot",
        "--no-admin=yes => unexpected value 'yes' for '--no-admin' found",
        "--porrt 1 => tip: a similar argument exists: '--port'",
        "--project P2X => tip: a similar argument exists: '--project-id'",
        "--frobnicate => unexpected argument '--frobnicate' found",
        "4000 => unexpected argument '4000' found",
    ];

    fn refused(case: &str) -> (Vec<&str>, &str) {
        let (args, expected) = case.split_once(" => ").unwrap();
        (args.split(' ').collect(), expected)
    }

    fn is_case_of(args: &[&str], flag: &str) -> bool {
        args[0] == flag || args[0].starts_with(&format!("{flag}="))
    }

    #[test]
    fn every_flag_has_an_accepted_and_a_refused_case() {
        let command = command();
        let flags = command.get_arguments().filter_map(|arg| arg.get_long());
        for flag in flags.filter(|long| !["help", "version"].contains(long)) {
            let flag = format!("--{flag}");
            let accepted = flag == "--users" || ACCEPTED.iter().any(|(a, _)| is_case_of(a, &flag));
            assert!(accepted, "{flag} has no accepted case");
            let refused = REFUSED
                .iter()
                .any(|case| is_case_of(&refused(case).0, &flag));
            assert!(refused, "{flag} has no refused case");
        }
    }

    #[test]
    fn every_flag_sets_its_field() {
        for (args, check) in ACCEPTED {
            let config = parse(args).unwrap_or_else(|error| panic!("{args:?}: {error}"));
            assert!(check(&config), "{args:?}");
        }
        let file = std::env::temp_dir().join(format!("seed-{}.json", std::process::id()));
        std::fs::write(&file, r#"[{"loginId": "jane@example.com"}]"#).unwrap();
        let path = file.to_str().unwrap();
        let config = parse(["--users", path]);
        let twice = parse(["--users", path, "--users", path]);
        let _ = std::fs::remove_file(&file);
        assert_eq!(config.unwrap().users[0].login_id, "jane@example.com");
        let error = twice.unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(
            error
                .to_string()
                .contains("is already a user of an earlier --users file")
        );
    }

    #[test]
    fn without_flags_the_defaults_are_the_configuration_s() {
        let parsed = parse(Vec::<String>::new()).unwrap();
        let expected = EmulatorConfig {
            port: help::DEFAULT_PORT,
            ..EmulatorConfig::default()
        };
        assert_eq!(format!("{parsed:?}"), format!("{expected:?}"));
    }

    #[test]
    fn every_bad_value_is_refused_in_clap_s_words_naming_the_flag() {
        for (args, expected) in REFUSED.map(refused) {
            let error = parse(&args).expect_err(&format!("{args:?} is refused"));
            let text = error.to_string();
            assert_eq!(error.exit_code(), 2, "{args:?}: {text}");
            assert!(text.starts_with("error: "), "{args:?}: {text}");
            assert!(text.contains(expected), "{args:?}: {text}");
        }
    }

    #[test]
    fn help_and_version_win() {
        let help = parse(["--port", "1", "--help"]).unwrap_err();
        assert_eq!((help.kind(), help.exit_code()), (ErrorKind::DisplayHelp, 0));
        let version = parse(["-V"]).unwrap_err();
        assert_eq!(version.kind(), ErrorKind::DisplayVersion);
        assert_eq!(
            version.to_string().trim(),
            format!("descope-emulator {}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn help_lists_every_flag_with_its_default_and_every_admin_endpoint() {
        let text = cli::help();
        let command = Flags::command();
        let flags = command
            .get_arguments()
            .filter_map(|arg| arg.get_long())
            .filter(|long| !["help", "version"].contains(long));
        for flag in flags {
            let line = text
                .lines()
                .find(|line| line.trim_start().starts_with(&format!("--{flag} ")))
                .unwrap_or_else(|| panic!("--{flag} is not in --help"));
            assert!(line.contains("[default: "), "{line}");
        }
        for (path, _) in ROUTES {
            assert!(
                ADMIN_HELP.iter().any(|(route, _)| *route == path),
                "{path} has no help"
            );
            assert!(text.contains(path), "{path}");
        }
        for shown in [
            "[default: 4000]",
            "[default: 3m]",
            "[default: P2Emulator]",
            "[default: RS256] [possible values: RS256, ES256, EdDSA]",
            "[default: off: tokens in the body]",
            "[default: admin API on]",
        ] {
            assert!(text.contains(shown), "{shown}: {text}");
        }
        assert!(text.starts_with(&format!(
            "descope-emulator {}: Descope's",
            env!("CARGO_PKG_VERSION")
        )));
    }
}
