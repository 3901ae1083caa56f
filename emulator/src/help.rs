//! The flags of the `descope-emulator` command line as clap declares them: each with its value,
//! its meaning and its default (read from [`EmulatorConfig::default`], so the two cannot drift),
//! and the text `--help` adds after them (formats, the test-only admin API, SDK set-up).

use std::fmt;
use std::time::Duration;

use clap::Parser;

use crate::admin::ROUTES;
use crate::config::{EmulatorConfig, RateLimit, TokenDelivery};
use crate::values::{self, Algorithm, FixedCode, Ttl, UsersFile};

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
    about = "Descope's OTP, magic-link and session API, in memory on 127.0.0.1, for tests and \
             local development.",
    help_template = "{name} {version}: {about}\n\n{usage-heading} {usage}   (--flag VALUE or \
                     --flag=VALUE)\n\n{all-args}{after-help}",
    after_help = after_help(),
)]
pub(crate) struct Flags {
    /// port on 127.0.0.1 (loopback only); 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PORT, value_parser = values::port)]
    pub port: u16,
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

/// What each admin endpoint does, by path, for `--help`.
pub(crate) const ADMIN_HELP: [(&str, &str); 10] = [
    (
        "/emulator/outbox",
        "GET [?loginId=ID]: codes and links that would have been sent; DELETE: forget them",
    ),
    (
        "/emulator/reset",
        "POST: forget all state but the keys; re-seed --users, --fixed-code, --rate-limit",
    ),
    (
        "/emulator/clock",
        "GET: {offsetSeconds, now}; POST {\"seconds\": N}: move the clock forward",
    ),
    (
        "/emulator/keys/rotate",
        "POST: sign with a new key; the old one stays published for --retired-key-ttl",
    ),
    (
        "/emulator/users",
        "GET ?loginId=ID: a user as stored; POST {one users-file entry}: add a user",
    ),
    (
        "/emulator/users/roles",
        "POST {loginId, roles, permissions}: replace a user's project roles",
    ),
    (
        "/emulator/users/tenants",
        "POST {loginId, tenantId, tenantName?, roles, permissions}: add to a tenant",
    ),
    (
        "/emulator/fixed-codes",
        "GET; PUT {\"<loginId>\": \"123456\"}: replace all; PATCH: merge (null removes)",
    ),
    (
        "/emulator/rate-limit",
        "GET; PUT {\"maxCalls\": N, \"windowSeconds\": S}: switch on; DELETE: switch off",
    ),
    (
        "/emulator/config",
        "GET: the configuration it started with (what a reset returns to)",
    ),
];

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
         \nTest-only admin API: no authentication, never rate-limited; for tests on your own \
         machine only (--no-admin removes it):\n",
    );
    for (path, _) in ROUTES {
        let what = ADMIN_HELP
            .iter()
            .find(|(route, _)| *route == path)
            .map_or("", |(_, what)| what);
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
    use clap::CommandFactory;

    use super::*;

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
