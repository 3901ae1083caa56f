//! Keeping what a call sent out of the error it got back: a proxy's error page may quote the
//! `Authorization` header, and a service message may quote a token or a code from the body.
//!
//! Before a [`ServiceError`] leaves the runtime, every text it shows (description, message,
//! redirect target, body excerpt) loses
//! - each credential of the `Authorization` value (whatever follows the project id: a refresh or
//!   session JWT, a management or access key),
//! - each string the request body held under a secret-sounding name (`code`, `token`,
//!   `password`, `jwt`, `key`, `secret`, ...), at any depth,
//! - anything shaped like a JWT (`eyJ…` in three base64url parts), sent or not,
//!
//! and is cut to [`MAX_ERROR_TEXT_CHARS`], so that neither `Display` nor `Debug` can print a
//! secret or a megabyte.

use reqwest::header::{AUTHORIZATION, HeaderMap};
use serde_json::Value;

use crate::error::ServiceError;

/// What stands where a secret was.
pub(crate) const REDACTED: &str = "[redacted]";

/// The longest text an error field keeps; a longer one is cut and ends in `…`.
pub const MAX_ERROR_TEXT_CHARS: usize = 1024;

/// Secrets shorter than this are not looked for: a two-letter value would blank out words.
const SHORTEST_SECRET: usize = 4;

/// Names of body members whose values are secret, matched as parts of the name in any case
/// (`code`, `refreshJwt`, `newPassword`, `cleartext`, ...).
const SECRET_NAMES: &[&str] = &[
    "code",
    "token",
    "password",
    "jwt",
    "key",
    "secret",
    "cleartext",
    "credential",
    "authorization",
];

/// The secrets one call sent.
pub(crate) struct Sent {
    secrets: Vec<String>,
}

impl Sent {
    /// The secrets of the request's headers and JSON body.
    pub(crate) fn of(headers: &HeaderMap, body: Option<&[u8]>) -> Self {
        let mut secrets = Vec::new();
        if let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
            let value = value.strip_prefix("Bearer ").unwrap_or(value);
            // `<ProjectId>`, `<ProjectId>:<secret>` or `<ProjectId>:<secret>:<secret>`; the
            // project id is no secret.
            secrets.extend(value.split(':').skip(1).map(str::to_owned));
        }
        if let Some(Ok(body)) = body.map(serde_json::from_slice::<Value>) {
            collect(&body, false, &mut secrets);
        }
        secrets.retain(|secret| secret.len() >= SHORTEST_SECRET);
        // Longest first, so a secret containing another is replaced whole.
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        Sent { secrets }
    }

    /// `error`, with every text field scrubbed and bounded.
    pub(crate) fn scrub(&self, mut error: ServiceError) -> ServiceError {
        error.description = self.clean(&error.description);
        error.message = self.clean(&error.message);
        error.redirected_to = error.redirected_to.map(|text| self.clean(&text));
        error.body_excerpt = error.body_excerpt.map(|text| self.clean(&text));
        error
    }

    /// Scrubbed whole, then cut: a cut first could leave half a secret that no longer matches.
    fn clean(&self, text: &str) -> String {
        let mut text = without_jwts(text);
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), REDACTED);
            }
        }
        bounded(&text)
    }
}

/// The string values under secret-sounding names (or inside one), at any depth.
fn collect(value: &Value, secret: bool, into: &mut Vec<String>) {
    match value {
        Value::String(text) if secret => into.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| collect(item, secret, into)),
        Value::Object(members) => {
            for (name, member) in members {
                collect(member, secret || is_secret_name(name), into);
            }
        }
        _ => {}
    }
}

fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|secret| name.contains(secret))
}

fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_ERROR_TEXT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// `text` with every JWT-shaped run (`eyJ`, then base64url, a dot, base64url, a dot, and
/// base64url) replaced.
fn without_jwts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("eyJ") {
        let (before, candidate) = rest.split_at(start);
        out.push_str(before);
        match jwt_length(candidate) {
            Some(length) => {
                out.push_str(REDACTED);
                rest = &candidate[length..];
            }
            None => {
                out.push_str("eyJ");
                rest = &candidate[3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of the JWT `text` starts with, if it starts with one: three base64url parts,
/// the first two non-empty.
fn jwt_length(text: &str) -> Option<usize> {
    let base64url = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    let bytes = text.as_bytes();
    let mut at = 0;
    for part in 0..3 {
        let start = at;
        while at < bytes.len() && base64url(bytes[at]) {
            at += 1;
        }
        if part < 2 {
            if at == start || bytes.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn sent(authorization: &str, body: &str) -> Sent {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(authorization).unwrap());
        Sent::of(&headers, Some(body.as_bytes()))
    }

    #[test]
    fn the_credentials_of_authorization_are_scrubbed_but_not_the_project_id() {
        let sent = sent("Bearer P2abc:K2secretmanagementkey", "{}");
        assert_eq!(
            sent.clean("bad header Bearer P2abc:K2secretmanagementkey"),
            "bad header Bearer P2abc:[redacted]"
        );
    }

    #[test]
    fn secret_members_of_the_body_are_scrubbed_at_any_depth() {
        let sent = sent(
            "Bearer P2abc",
            r#"{"loginId": "jane@example.com", "code": "123456",
                "user": {"newPassword": "hunter22", "name": "Jane"},
                "keys": ["first-secret"]}"#,
        );
        assert_eq!(
            sent.clean("code 123456 for jane@example.com; hunter22; first-secret; Jane"),
            "code [redacted] for jane@example.com; [redacted]; [redacted]; Jane"
        );
    }

    #[test]
    fn jwt_shaped_text_is_scrubbed_even_when_not_sent() {
        let sent = sent("Bearer P2abc", "{}");
        assert_eq!(
            sent.clean("token eyJhbGciOi.eyJzdWIi.c2ln-_x expired; eyJ alone stays"),
            "token [redacted] expired; eyJ alone stays"
        );
        assert_eq!(sent.clean("eyJa.b"), "eyJa.b", "two parts are no JWT");
    }

    #[test]
    fn long_texts_are_cut() {
        let sent = sent("Bearer P2abc", "{}");
        let cleaned = sent.clean(&"x".repeat(1 << 20));
        assert_eq!(cleaned.chars().count(), MAX_ERROR_TEXT_CHARS + 1);
        assert!(cleaned.ends_with('…'));
    }
}
