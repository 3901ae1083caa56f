//! The values the command line's flags take, below both the declaration (`help`) and the
//! reading into a configuration (`cli`): the types clap fills in, and the parser of each value,
//! whose refusals clap shows beside the flag's name.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::setup::config::{
    MAX_DURATION, RateLimit, SigningAlgorithm, check_allowed_host, check_cookie_domain,
    check_management_key, check_project_id, check_state_file,
};
use crate::setup::seed::{SeedUser, check_fixed_code};
use crate::setup::users_file::load_users;

/// A signing algorithm by its JOSE name, as `--signing-algorithm` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Algorithm(pub SigningAlgorithm);

impl ValueEnum for Algorithm {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Algorithm(SigningAlgorithm::Rs256),
            Algorithm(SigningAlgorithm::Es256),
            Algorithm(SigningAlgorithm::EdDsa),
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.jose_name()))
    }
}

/// A duration flag's value, shown in `--help` in its largest unit (`3m`, `28d`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ttl(pub Duration);

/// One `--fixed-code LOGIN_ID=CODE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FixedCode {
    pub login_id: String,
    pub code: String,
}

/// One `--users FILE.json`, read when the command line is.
#[derive(Debug, Clone)]
pub(crate) struct UsersFile {
    pub path: String,
    pub users: Vec<SeedUser>,
}

pub(crate) fn port(text: &str) -> Result<u16, String> {
    text.parse()
        .map_err(|_| "not a port number (0 to 65535)".to_owned())
}

pub(crate) fn project_id(text: &str) -> Result<String, String> {
    check_project_id(text).map(|()| text.to_owned())
}

pub(crate) fn management_key(text: &str) -> Result<String, String> {
    check_management_key(text).map(|()| text.to_owned())
}

pub(crate) fn cookie_domain(text: &str) -> Result<String, String> {
    check_cookie_domain(text).map(|()| text.to_owned())
}

pub(crate) fn allowed_host(text: &str) -> Result<String, String> {
    check_allowed_host(text).map(|()| text.to_owned())
}

/// `--state FILE`: only the path is checked here; the file is read when the emulator starts,
/// and a file that cannot be read or parsed stops it then (exit status 1).
pub(crate) fn state_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    check_state_file(&path).map(|()| path)
}

/// A TTL or window: at least a second.
pub(crate) fn ttl(text: &str) -> Result<Ttl, String> {
    duration(text, 1).map(Ttl)
}

/// `--retired-key-ttl`, which may be 0.
pub(crate) fn ttl_or_zero(text: &str) -> Result<Ttl, String> {
    duration(text, 0).map(Ttl)
}

pub(crate) fn attempts(text: &str) -> Result<u32, String> {
    text.parse()
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| "not a whole number of at least 1".to_owned())
}

pub(crate) fn redirect_uri(text: &str) -> Result<String, String> {
    let usable = text.contains("://") && !text.chars().any(char::is_whitespace);
    if !usable {
        return Err("not a URL (scheme://…, no spaces)".to_owned());
    }
    Ok(text.to_owned())
}

/// `N/DURATION`: at most N calls (0: none) per window of at least a second.
pub(crate) fn rate_limit(text: &str) -> Result<RateLimit, String> {
    let (calls, window) = text
        .split_once('/')
        .ok_or("not N/DURATION, such as 100/60s")?;
    let max_calls = calls
        .parse()
        .ok()
        .filter(|_| calls.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(format!("{calls:?} is not a number of calls"))?;
    let window = duration(window, 1).map_err(|reason| format!("window {window:?}: {reason}"))?;
    Ok(RateLimit { max_calls, window })
}

/// `LOGIN_ID=CODE`, split at the last `=` (a login id may hold one).
pub(crate) fn fixed_code(text: &str) -> Result<FixedCode, String> {
    let (login_id, code) = text
        .rsplit_once('=')
        .filter(|(login_id, _)| !login_id.is_empty())
        .ok_or("not LOGIN_ID=CODE")?;
    check_fixed_code(code)?;
    Ok(FixedCode {
        login_id: login_id.to_owned(),
        code: code.to_owned(),
    })
}

pub(crate) fn users_file(text: &str) -> Result<UsersFile, String> {
    let users = load_users(Path::new(text)).map_err(|error| error.to_string())?;
    Ok(UsersFile {
        path: text.to_owned(),
        users,
    })
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
        .ok_or("not a duration (seconds, or a number with s, m, h or d)")?;
    if seconds < min || seconds > MAX_DURATION.as_secs() {
        return Err(format!("out of range ({min} seconds to a century)"));
    }
    Ok(Duration::from_secs(seconds))
}
