//! The `descope-emulator` command line on clap: every [`EmulatorConfig`] field a flag, declared
//! here once with its value, its help and its default (read from [`EmulatorConfig::default`], so
//! the two cannot drift), and read into the configuration by [`parse`]; `--flag VALUE` or
//! `--flag=VALUE`, each value read by its parser (`values`), and refusals in clap's words, with
//! its "did you mean" tips (the binary exits with status 2 on them). The text `--help` adds
//! after the flags (formats, the test-only admin API, SDK set-up) is here too.

use std::ffi::OsString;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use super::values::{self, Algorithm, FixedCode, Ttl, UsersFile};
use crate::admin::ROUTES;
use crate::setup::config::{EmulatorConfig, RateLimit, TokenDelivery};
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
            listen: self.listen,
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
        config.management_key = self.management_key;
        config.allowed_hosts = self.allowed_host;
        config.state_file = self.state;
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

/// The port the binary listens on unless told otherwise (the library's default is 0, a free
/// port, which suits tests; a tool wants an address to point SDKs at).
pub const DEFAULT_PORT: u16 = 4000;

/// Every flag but `--help` and `--version`, in the order `--help` lists them. A flag without a
/// value of its own in the configuration's defaults (a switch, an optional or repeatable value)
/// says in its help what holds when it is absent.
#[derive(Debug, Parser)]
#[command(
    name = "descope-emulator",
    version,
    about = "Descope's OTP, magic-link, session and access-key API and its management of users, \
             tenants, roles, access keys and tokens, in memory on loopback, for tests and local \
             development.",
    help_template = "{name} {version}: {about}\n\n{usage-heading} {usage}   (--flag VALUE or \
                     --flag=VALUE)\n\n{all-args}{after-help}",
    after_help = after_help(),
)]
pub(crate) struct Flags {
    /// the port to listen on; 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PORT, value_parser = values::port)]
    pub port: u16,
    /// the address to listen on: 127.0.0.1 keeps the emulator to this machine; 0.0.0.0 (in a
    /// container) lets other machines reach it, its admin API included
    #[arg(long, value_name = "ADDR", default_value_t = defaults().listen)]
    pub listen: IpAddr,
    /// the project id bearers must carry and the JWTs' iss
    #[arg(long, value_name = "ID", default_value_t = defaults().project_id,
          value_parser = values::project_id)]
    pub project_id: String,
    /// algorithm of the JWT signing key
    #[arg(long, value_name = "ALG", value_enum,
          default_value_t = Algorithm(defaults().signing_algorithm))]
    pub signing_algorithm: Algorithm,
    #[arg(long, help = absent("deliver tokens in DS/DSR cookies instead of the body",
                              match defaults().token_delivery {
                                  TokenDelivery::Body => "off: tokens in the body",
                                  TokenDelivery::Cookies => "on",
                              }))]
    pub cookies: bool,
    #[arg(long, value_name = "DOMAIN", value_parser = values::cookie_domain,
          help = absent("cookieDomain in answers and Domain= on the DS/DSR cookies",
                        &none_if_empty(&defaults().cookie_domain)))]
    pub cookie_domain: Option<String>,
    #[arg(long, help = absent("a refresh also issues a new refresh JWT and revokes the old",
                              on_off(defaults().rotate_refresh_tokens)))]
    pub rotate_refresh_tokens: bool,
    /// how long a one-time code is valid
    #[arg(long, value_name = "DURATION", default_value_t = Ttl(defaults().otp_ttl),
          value_parser = values::ttl, allow_negative_numbers = true)]
    pub otp_ttl: Ttl,
    /// wrong codes that burn a code (the last answers E061103)
    #[arg(long, value_name = "N", default_value_t = defaults().max_otp_attempts,
          value_parser = values::attempts, allow_negative_numbers = true)]
    pub max_otp_attempts: u32,
    /// how long a magic link is valid
    #[arg(long, value_name = "DURATION", default_value_t = Ttl(defaults().link_ttl),
          value_parser = values::ttl, allow_negative_numbers = true)]
    pub link_ttl: Ttl,
    /// lifetime of session JWTs
    #[arg(long, value_name = "DURATION", default_value_t = Ttl(defaults().session_ttl),
          value_parser = values::ttl, allow_negative_numbers = true)]
    pub session_ttl: Ttl,
    /// lifetime of refresh JWTs
    #[arg(long, value_name = "DURATION", default_value_t = Ttl(defaults().refresh_ttl),
          value_parser = values::ttl, allow_negative_numbers = true)]
    pub refresh_ttl: Ttl,
    /// how long a rotated-out key stays published (0 allowed)
    #[arg(long, value_name = "DURATION", default_value_t = Ttl(defaults().retired_key_ttl),
          value_parser = values::ttl_or_zero, allow_negative_numbers = true)]
    pub retired_key_ttl: Ttl,
    /// where magic links point when the request has no URI
    #[arg(long, value_name = "URL", default_value_t = defaults().default_redirect_uri,
          value_parser = values::redirect_uri)]
    pub default_redirect_uri: String,
    #[arg(long, value_name = "N/DURATION", value_parser = values::rate_limit,
          help = absent("at most N API calls per window, then 429 E130429 with Retry-After",
                        &defaults().rate_limit.map_or("off".to_owned(), show_rate_limit)))]
    pub rate_limit: Option<RateLimit>,
    #[arg(long, value_name = "LOGIN_ID=CODE", value_parser = values::fixed_code,
          help = absent("every OTP for LOGIN_ID is CODE (six digits); repeatable",
                        &none_if_empty(&join(defaults().fixed_codes.keys()))))]
    pub fixed_code: Vec<FixedCode>,
    #[arg(long, value_name = "FILE.json", value_parser = values::users_file,
          help = absent("users that exist from the start (and after every reset); repeatable",
                        &none_if_empty(&join(defaults().users.iter().map(|u| &u.login_id)))))]
    pub users: Vec<UsersFile>,
    #[arg(long, help = absent("every /emulator/... path answers 404, as if it did not exist",
                              if defaults().admin_api { "admin API on" } else { "off" }))]
    pub no_admin: bool,
    #[arg(long, value_name = "KEY", value_parser = values::management_key,
          help = absent("the management key management calls must carry after the project id",
                        "a random one, printed at start"))]
    pub management_key: Option<String>,
    #[arg(long, value_name = "NAME", value_parser = values::allowed_host,
          help = absent("a Host name accepted besides 127.0.0.1, localhost and [::1] (any port), \
                         such as the emulator's docker-compose service name; repeatable",
                        &none_if_empty(&join(defaults().allowed_hosts.iter()))))]
    pub allowed_host: Vec<String>,
    #[arg(long, value_name = "FILE", value_parser = values::state_file,
          help = absent("keep users, tenants, roles, keys... in FILE: loaded at start if it \
                         exists, saved after every change and at exit",
                        "none: in memory only"))]
    pub state: Option<PathBuf>,
}

fn defaults() -> EmulatorConfig {
    EmulatorConfig::default()
}

/// A help line with what holds when the flag is absent, as clap shows defaults.
fn absent(help: &str, default: &str) -> String {
    format!("{help} [default: {default}]")
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn none_if_empty(text: &str) -> String {
    if text.is_empty() { "none" } else { text }.to_owned()
}

fn join<'a>(items: impl Iterator<Item = &'a String>) -> String {
    items.map(String::as_str).collect::<Vec<_>>().join(", ")
}

fn show_rate_limit(limit: RateLimit) -> String {
    format!("{}/{}", limit.max_calls, duration(limit.window))
}

/// A duration in the largest unit that divides it: `180s` → `3m`, `2419200s` → `28d`.
pub fn duration(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let unit = [(86_400, "d"), (3_600, "h"), (60, "m")]
        .into_iter()
        .find(|(size, _)| seconds > 0 && seconds.is_multiple_of(*size));
    match unit {
        Some((size, name)) => format!("{}{name}", seconds / size),
        None => format!("{seconds}s"),
    }
}

impl fmt::Display for Ttl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&duration(self.0))
    }
}

/// What `--help` says after the flags: the formats, the admin API, pointing an SDK at it.
fn after_help() -> String {
    let mut text = String::from(
        "DURATION: seconds, or a number with s, m, h or d (90, 90s, 10m, 12h, 28d).\n\
         FILE.json: an array of users, or {\"users\": [...]}; each {\"loginId\" (required), \
         \"email\", \"phone\", \"name\", \"givenName\", \"middleName\", \"familyName\", \
         \"verifiedEmail\", \"verifiedPhone\", \"roles\", \"permissions\", \"tenants\": \
         [{\"tenantId\", \"tenantName\", \"roles\", \"permissions\"}], \"fixedCode\"}. \
         A login id that is an email or a phone number is also the user's email or phone.\n\
         FILE (--state): users, tenants, roles, permissions, fixed codes, signing keys, live \
         refresh JWTs, the management key and the clock; not the outbox or codes in flight. \
         It holds secrets (mode 0600). A file that cannot be loaded stops the start (exit 1).\n\
         \nEvery request must be for Host 127.0.0.1, localhost or [::1] (any port), the \
         --listen address, or an --allowed-host NAME (403 otherwise; in a container, \
         --listen 0.0.0.0 --allowed-host <its service name>); bodies are JSON (Content-Type: application/json; \
         415 otherwise).\n\
         \nTest-only admin API: no authentication, never rate-limited; for tests on your own \
         machine only (--no-admin removes it). POST, PUT, PATCH and DELETE need Content-Type: \
         application/json even without a body, and no Origin but loopback's:\n",
    );
    for (path, _, what) in ROUTES {
        text.push_str(&format!("  {path:<24} {what}\n"));
    }
    text.push_str(
        "\nPoint an SDK at it, e.g. Python DescopeClient(project_id=\"P2Emulator\", \
         base_url=\"http://127.0.0.1:4000\"), Node DescopeClient({projectId: \"P2Emulator\", \
         baseUrl: \"http://127.0.0.1:4000\"}).",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::config::SigningAlgorithm;

    /// One accepted value per flag and what it sets, as `(args, check)`; `--users`, which
    /// needs a file, is tested apart.
    type Case = (&'static [&'static str], fn(&EmulatorConfig) -> bool);

    const ACCEPTED: [Case; 20] = [
        (&["--management-key", "K2local"], |c| {
            c.management_key.as_deref() == Some("K2local")
        }),
        (&["--port", "0"], |c| c.port == 0),
        (&["--listen", "0.0.0.0"], |c| {
            c.listen == std::net::IpAddr::from([0, 0, 0, 0])
        }),
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
        (
            &["--allowed-host", "emulator", "--allowed-host=my_app.local"],
            |c| c.allowed_hosts == ["emulator", "my_app.local"],
        ),
        (&["--state", "state.json"], |c| {
            c.state_file.as_deref() == Some(std::path::Path::new("state.json"))
        }),
    ];

    /// At least one refused value per flag: the arguments (split at spaces) `=>` what clap's
    /// error says.
    const REFUSED: [&str; 35] = [
        "--management-key a:b => '--management-key <KEY>': not a management key",
        "--port http => invalid value 'http' for '--port <N>': not a port number",
        "--port 70000 => '70000' for '--port <N>': not a port number",
        "--port => a value is required for '--port <N>' but none was supplied",
        "--port --cookies => a value is required for '--port <N>'",
        "--listen localhost => invalid value 'localhost' for '--listen <ADDR>': invalid IP address",
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
        "--allowed-host emulator:4000 => '--allowed-host <NAME>': \"emulator:4000\" is not a host",
        "--allowed-host http://emulator => \"http://emulator\" is not a host name",
        "--state= => '--state <FILE>': the path of the state file is empty",
        "--state / => '--state <FILE>': / is a directory",
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
            port: DEFAULT_PORT,
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
        let text = help();
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
        for (path, _, what) in ROUTES {
            assert!(text.contains(&format!("{path:<24} {what}")), "{path}");
        }
        for defined in [
            "/emulator/tenants ",
            "/emulator/roles ",
            "/emulator/permissions ",
        ] {
            assert!(text.contains(defined), "{defined} is not in --help");
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

    #[test]
    fn the_declaration_is_consistent() {
        Flags::command().debug_assert();
    }

    #[test]
    fn durations_show_in_their_largest_unit() {
        let shown: Vec<String> = [0, 90, 180, 3_600, 2_419_200]
            .map(|s| duration(Duration::from_secs(s)))
            .into();
        assert_eq!(shown, ["0s", "90s", "3m", "1h", "28d"]);
    }
}
