//! The flags of the `descope-emulator` command line, each with its value, its default (read
//! from [`EmulatorConfig::default`], so the two cannot drift) and its meaning, and the
//! `--help` text made from them, with the test-only admin API and the users-file shape.

use std::time::Duration;

use crate::admin::ROUTES;
use crate::config::EmulatorConfig;

/// The port the binary listens on unless told otherwise (the library's default is 0, a free
/// port, which suits tests; a tool wants an address to point SDKs at).
pub const DEFAULT_PORT: u16 = 4000;

/// One flag: `--name VALUE` (or `--name=VALUE`), or a switch when `value` is empty.
pub struct Flag {
    pub name: &'static str,
    pub value: &'static str,
    pub default: fn(&EmulatorConfig) -> String,
    pub help: &'static str,
}

/// Every flag but `--help` and `--version`, in the order `--help` lists them.
pub const FLAGS: [Flag; 17] = [
    Flag {
        name: "--port",
        value: "N",
        default: |_| DEFAULT_PORT.to_string(),
        help: "port on 127.0.0.1 (loopback only); 0 picks a free one",
    },
    Flag {
        name: "--project-id",
        value: "ID",
        default: |c| c.project_id.clone(),
        help: "the project id bearers must carry and the JWTs' iss",
    },
    Flag {
        name: "--signing-algorithm",
        value: "RS256|ES256|EdDSA",
        default: |c| c.signing_algorithm.jose_name().to_owned(),
        help: "algorithm of the JWT signing key",
    },
    Flag {
        name: "--cookies",
        value: "",
        default: |_| "off: tokens in the body".to_owned(),
        help: "deliver tokens in DS/DSR cookies instead of the body",
    },
    Flag {
        name: "--cookie-domain",
        value: "DOMAIN",
        default: |_| "none".to_owned(),
        help: "cookieDomain in answers and Domain= on the DS/DSR cookies",
    },
    Flag {
        name: "--rotate-refresh-tokens",
        value: "",
        default: |_| "off".to_owned(),
        help: "a refresh also issues a new refresh JWT and revokes the old",
    },
    Flag {
        name: "--otp-ttl",
        value: "DURATION",
        default: |c| duration(c.otp_ttl),
        help: "how long a one-time code is valid",
    },
    Flag {
        name: "--max-otp-attempts",
        value: "N",
        default: |c| c.max_otp_attempts.to_string(),
        help: "wrong codes that burn a code (the last answers E061103)",
    },
    Flag {
        name: "--link-ttl",
        value: "DURATION",
        default: |c| duration(c.link_ttl),
        help: "how long a magic link is valid",
    },
    Flag {
        name: "--session-ttl",
        value: "DURATION",
        default: |c| duration(c.session_ttl),
        help: "lifetime of session JWTs",
    },
    Flag {
        name: "--refresh-ttl",
        value: "DURATION",
        default: |c| duration(c.refresh_ttl),
        help: "lifetime of refresh JWTs",
    },
    Flag {
        name: "--retired-key-ttl",
        value: "DURATION",
        default: |c| duration(c.retired_key_ttl),
        help: "how long a rotated-out key stays published (0 allowed)",
    },
    Flag {
        name: "--default-redirect-uri",
        value: "URL",
        default: |c| c.default_redirect_uri.clone(),
        help: "where magic links point when the request has no URI",
    },
    Flag {
        name: "--rate-limit",
        value: "N/DURATION",
        default: |_| "off".to_owned(),
        help: "at most N API calls per window, then 429 E130429 with Retry-After",
    },
    Flag {
        name: "--fixed-code",
        value: "LOGIN_ID=CODE",
        default: |_| "none".to_owned(),
        help: "every OTP for LOGIN_ID is CODE (six digits); repeatable",
    },
    Flag {
        name: "--users",
        value: "FILE.json",
        default: |_| "none".to_owned(),
        help: "users that exist from the start (and after every reset); repeatable",
    },
    Flag {
        name: "--no-admin",
        value: "",
        default: |_| "admin API on".to_owned(),
        help: "every /emulator/... path answers 404, as if it did not exist",
    },
];

/// What each admin endpoint does, by path, for `--help`.
const ADMIN_HELP: [(&str, &str); 10] = [
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

/// The `--help` text: usage, every flag with its default, the formats, the admin API.
pub fn help() -> String {
    let defaults = EmulatorConfig::default();
    let mut text = format!(
        "descope-emulator {}: Descope's OTP, magic-link and session API, in memory on \
         127.0.0.1, for tests and local development.\n\n\
         Usage: descope-emulator [FLAG]...   (--flag VALUE or --flag=VALUE)\n\nFlags:\n",
        env!("CARGO_PKG_VERSION")
    );
    for flag in &FLAGS {
        let left = format!("{} {}", flag.name, flag.value);
        text.push_str(&format!(
            "  {left:<38} {} [default: {}]\n",
            flag.help,
            (flag.default)(&defaults)
        ));
    }
    text.push_str(&format!("  {:<38} this help\n", "-h, --help"));
    text.push_str(&format!("  {:<38} the version\n", "-V, --version"));
    text.push_str(
        "\nDURATION: seconds, or a number with s, m, h or d (90, 90s, 10m, 12h, 28d).\n\
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
         baseUrl: \"http://127.0.0.1:4000\"}).\n",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_show_in_their_largest_unit() {
        let shown: Vec<String> = [0, 90, 180, 3_600, 2_419_200]
            .map(|s| duration(Duration::from_secs(s)))
            .into();
        assert_eq!(shown, ["0s", "90s", "3m", "1h", "28d"]);
    }

    #[test]
    fn help_lists_every_flag_with_its_default_and_every_admin_endpoint() {
        let text = help();
        for flag in &FLAGS {
            let line = text
                .lines()
                .find(|line| line.trim_start().starts_with(&format!("{} ", flag.name)))
                .unwrap_or_else(|| panic!("{} is not in --help", flag.name));
            assert!(line.contains("[default: "), "{line}");
        }
        for (path, _) in ROUTES {
            assert!(
                ADMIN_HELP.iter().any(|(route, _)| *route == path),
                "{path} has no help"
            );
            assert!(text.contains(path), "{path}");
        }
        assert!(text.contains("[default: 4000]") && text.contains("[default: 3m]"));
    }
}
