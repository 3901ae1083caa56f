//! Reading an answer: the body up to a limit, the error body turned into a [`ServiceError`],
//! `Retry-After` in both of its forms, and the tokens of the `DS`/`DSR` cookies.
//!
//! Nothing here holds more than the limit in memory, however long or endless the body, and
//! nothing quotes a success body (it may hold tokens). `Set-Cookie` values are marked sensitive
//! before the headers reach the caller, so a printed header map hides the tokens they carry.

use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_ENCODING, HeaderMap, LOCATION, RETRY_AFTER, SET_COOKIE};
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, ServiceError};
use crate::operations::Operation;
use crate::{Error, ErrorCode, Response};

/// How much of a non-Descope error body an error keeps, in characters.
const EXCERPT_CHARS: usize = 200;

/// The longest `Retry-After` the client reports; longer ones (and dates further away) are cut
/// to this, so `Instant::now() + retry_after` can never overflow in a caller's code.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Body fields that projects set to "deliver tokens in cookies" leave out, and the cookie each
/// arrives in instead (as Descope's Go and Python SDKs read them).
const COOKIE_TOKENS: [(&str, &str); 2] = [("refreshJwt", "DSR"), ("sessionJwt", "DS")];

/// A body read whole, or its first `limit` bytes when it is longer.
pub(crate) enum Body {
    Whole(Bytes),
    /// Longer than the limit; reading stopped there.
    TooLong(Bytes),
}

/// Reads the body up to `limit` bytes. A declared `Content-Length` over the limit is refused
/// without reading; a longer (or endless) body is read only up to the limit.
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Body, reqwest::Error> {
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Ok(Body::TooLong(Bytes::new()));
    }
    // Most answers arrive as one chunk: it is kept as it is, without a copy.
    let Some(first) = response.chunk().await? else {
        return Ok(Body::Whole(Bytes::new()));
    };
    if first.len() > limit {
        return Ok(Body::TooLong(first.slice(..limit)));
    }
    let Some(second) = response.chunk().await? else {
        return Ok(Body::Whole(first));
    };
    let mut body = BytesMut::with_capacity(first.len() + second.len());
    let mut next = Some(second);
    body.extend_from_slice(&first);
    while let Some(chunk) = next {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok(Body::TooLong(body.freeze()));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(Body::Whole(body.freeze()))
}

/// A 2xx answer, read but not yet decoded.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    pub(crate) attempts: u32,
    pub(crate) limit: usize,
}

impl Answer {
    pub(crate) fn decode<T: DeserializeOwned>(
        self,
        operation: &'static Operation,
    ) -> Result<Response<T>, Error> {
        let decoded = match &self.body {
            Body::Whole(body) => decode_success(body, &self.headers)
                .map_err(|reason| with_encoding(reason, &self.headers)),
            Body::TooLong(_) => Err(too_long(self.limit)),
        };
        match decoded {
            Ok(value) => Ok(Response::new(
                value,
                self.status,
                self.headers,
                self.attempts,
            )),
            Err(reason) => Err(Error::Decode(Box::new(DecodeError {
                operation,
                status: self.status,
                reason,
                attempts: self.attempts,
            }))),
        }
    }
}

fn too_long(limit: usize) -> String {
    format!(
        "the body is longer than the {limit}-byte limit (`ClientBuilder::max_response_bytes`); \
         reading stopped there"
    )
}

/// A decode failure says so when the body was compressed: the client neither asks for nor
/// decodes compressed bodies, so one from a proxy would otherwise read as garbage.
fn with_encoding(reason: String, headers: &HeaderMap) -> String {
    match headers
        .get(CONTENT_ENCODING)
        .and_then(|value| value.to_str().ok())
    {
        Some(encoding) if !encoding.eq_ignore_ascii_case("identity") => format!(
            "{reason}; the body is `{encoding}`-encoded, which the client neither asks for nor \
             decodes"
        ),
        _ => reason,
    }
}

/// Marks every `Set-Cookie` value sensitive: they carry the session and refresh JWTs.
pub(crate) fn hide_cookies(headers: &mut HeaderMap) {
    for (name, value) in headers.iter_mut() {
        if name == SET_COOKIE {
            value.set_sensitive(true);
        }
    }
}

/// Decodes a 2xx body, filling `refreshJwt` / `sessionJwt` from the `DSR` / `DS` cookies when
/// the body lacks them. A field present with another type than a string is the body's error,
/// not a gap for the cookie to fill. Only answers that set one of those cookies take the slower
/// path through `serde_json::Value`.
fn decode_success<T: DeserializeOwned>(body: &[u8], headers: &HeaderMap) -> Result<T, String> {
    let tokens: Vec<(&str, String)> = COOKIE_TOKENS
        .iter()
        .filter_map(|(field, cookie)| Some((*field, cookie_value(headers, cookie)?)))
        .collect();
    if tokens.is_empty() {
        return serde_json::from_slice(body).map_err(|error| describe_decode_error(&error));
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| describe_decode_error(&error))?;
    if let serde_json::Value::Object(fields) = &mut value {
        for (field, token) in tokens {
            let missing = match fields.get(field) {
                None | Some(serde_json::Value::Null) => true,
                Some(serde_json::Value::String(text)) => text.is_empty(),
                Some(_) => false,
            };
            if missing {
                fields.insert(field.to_owned(), serde_json::Value::String(token));
            }
        }
    }
    serde_json::from_value(value).map_err(|error| describe_decode_error(&error))
}

/// The value of cookie `name` among the `Set-Cookie` headers, if set and non-empty. When the
/// answer sets it more than once, the last one wins, as a browser would keep it.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(SET_COOKIE).iter().rev().find_map(|header| {
        let pair = header.to_str().ok()?.split(';').next()?;
        let (key, value) = pair.split_once('=')?;
        let value = value.trim().trim_matches('"');
        (key.trim() == name && !value.is_empty()).then(|| value.to_owned())
    })
}

/// Says where and how a body broke without quoting it: serde's messages can quote values, and a
/// success body holds tokens. "missing field" messages name only the field, so they are kept.
fn describe_decode_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let message = error.to_string();
    let what = match error.classify() {
        Category::Eof => "the body ends before the JSON does",
        Category::Syntax => "the body is not valid JSON",
        Category::Data if message.starts_with("missing field") => message
            .split(" at line")
            .next()
            .unwrap_or("a required field is missing"),
        Category::Data => "a value has a type the spec does not allow",
        Category::Io => "the body could not be read",
    };
    if error.line() == 0 {
        what.to_owned()
    } else {
        format!("{what} (line {}, column {})", error.line(), error.column())
    }
}

/// Descope's error body, as every operation answers a failure with it (`openapi/README.md`
/// §4.12). The runtime reads it itself rather than through a generated type, so that it needs
/// nothing of the generated code but the operation table.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default)]
    error_code: String,
    error_description: Option<String>,
    error_message: Option<String>,
}

/// The error for an answer outside 2xx: Descope's error body when it is one, else an excerpt of
/// the first bytes; the redirect target of a 3xx; `Retry-After`.
pub(crate) fn service_error(
    operation: &'static Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Body,
    limit: usize,
    attempts: u32,
) -> ServiceError {
    let parsed = match body {
        Body::Whole(bytes) => serde_json::from_slice::<ErrorBody>(bytes)
            .ok()
            .filter(|error| !error.error_code.is_empty()),
        Body::TooLong(_) => None,
    };
    let (code, description, message, body_excerpt) = match (parsed, body) {
        (Some(error), _) => (
            Some(ErrorCode::parse(&error.error_code)),
            error.error_description.unwrap_or_default(),
            error.error_message.unwrap_or_default(),
            None,
        ),
        (None, Body::Whole(bytes)) => (None, String::new(), String::new(), Some(excerpt(bytes))),
        (None, Body::TooLong(first)) => (
            None,
            String::new(),
            String::new(),
            Some(format!("{} [{}]", excerpt(first), too_long(limit))),
        ),
    };
    let location = status
        .is_redirection()
        .then(|| headers.get(LOCATION)?.to_str().ok().map(str::to_owned))
        .flatten();
    ServiceError {
        operation,
        status,
        code,
        description,
        message,
        retry_after: retry_after(headers, SystemTime::now()),
        redirected_to: location,
        body_excerpt,
        attempts,
    }
}

/// `Retry-After` in either form HTTP allows: a number of seconds, or an HTTP date (the time
/// left until it, zero if past). Cut to [`MAX_RETRY_AFTER`].
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let delay = match text.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(text)
            .ok()?
            .duration_since(now)
            .unwrap_or_default(),
    };
    Some(delay.min(MAX_RETRY_AFTER))
}

/// The first characters of a body, with whitespace runs folded, so an error line stays one line.
/// Only the first bytes are looked at, however long the body.
fn excerpt(body: &[u8]) -> String {
    // Four bytes per character at most in UTF-8, one more for a folded whitespace run.
    let head = &body[..body.len().min(EXCERPT_CHARS * 5)];
    let text = String::from_utf8_lossy(head);
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &folded[..end]),
        None if head.len() < body.len() => format!("{folded}…"),
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// The token fields of a sign-in answer, as a generated type holds them.
    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Tokens {
        session_jwt: Option<String>,
        refresh_jwt: Option<String>,
    }

    fn with(name: reqwest::header::HeaderName, values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn cookies_are_found_by_exact_name_and_the_last_one_wins() {
        let headers = with(
            SET_COOKIE,
            &["DSR=refresh; Path=/; HttpOnly", "DS=session; Secure"],
        );
        assert_eq!(cookie_value(&headers, "DSR").as_deref(), Some("refresh"));
        assert_eq!(cookie_value(&headers, "DS").as_deref(), Some("session"));
        assert_eq!(cookie_value(&with(SET_COOKIE, &["DSRX=1"]), "DSR"), None);
        assert_eq!(
            cookie_value(&with(SET_COOKIE, &["DSR=; Path=/"]), "DSR"),
            None
        );
        let twice = with(SET_COOKIE, &["DSR=first", "DSR=second", "DSR=; Max-Age=0"]);
        assert_eq!(cookie_value(&twice, "DSR").as_deref(), Some("second"));
    }

    #[test]
    fn cookie_tokens_fill_only_missing_fields() {
        let headers = with(SET_COOKIE, &["DSR=from-cookie", "DS=session-cookie"]);
        let decoded: Tokens =
            decode_success(br#"{"sessionJwt":"from-body","refreshJwt":null}"#, &headers).unwrap();
        assert_eq!(decoded.refresh_jwt.as_deref(), Some("from-cookie"));
        assert_eq!(decoded.session_jwt.as_deref(), Some("from-body"));
        // A token of the wrong type is the body's fault: the cookie does not paper over it.
        let wrong = decode_success::<Tokens>(br#"{"sessionJwt":42}"#, &headers);
        assert!(wrong.unwrap_err().contains("type the spec does not allow"));
    }

    #[test]
    fn decode_errors_do_not_quote_the_body_and_name_an_encoding() {
        let error = decode_success::<Tokens>(br#"{"sessionJwt": 12345678}"#, &HeaderMap::new())
            .unwrap_err();
        assert!(!error.contains("12345678"), "{error}");
        assert!(error.contains("line 1"), "{error}");
        let truncated =
            decode_success::<Tokens>(br#"{"sessionJwt":"ey"#, &HeaderMap::new()).unwrap_err();
        assert!(truncated.starts_with("the body ends"), "{truncated}");
        let gzip = with_encoding(
            "the body is not valid JSON".into(),
            &with(CONTENT_ENCODING, &["gzip"]),
        );
        assert!(gzip.ends_with(
            "the body is `gzip`-encoded, which the client neither asks for nor decodes"
        ));
    }

    #[test]
    fn excerpts_are_short_on_one_line_and_read_only_the_start() {
        let page = format!("<html>\n  <body>{}</body>\n</html>", "x".repeat(500));
        let shown = excerpt(page.as_bytes());
        assert!(shown.starts_with("<html> <body>xx"), "{shown}");
        assert_eq!(shown.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b""), "");
        let spaces = " ".repeat(10_000) + "end";
        assert_eq!(
            excerpt(spaces.as_bytes()),
            "…",
            "a head of blanks, then cut"
        );
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date_and_is_capped() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let at = |value: &str| retry_after(&with(RETRY_AFTER, &[value]), now);
        assert_eq!(at("7"), Some(Duration::from_secs(7)));
        assert_eq!(at(" 120 "), Some(Duration::from_secs(120)));
        let in_a_minute = httpdate::fmt_http_date(now + Duration::from_secs(60));
        assert_eq!(at(&in_a_minute), Some(Duration::from_secs(60)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(60));
        assert_eq!(at(&past), Some(Duration::ZERO));
        assert_eq!(at("18446744073709551615"), Some(MAX_RETRY_AFTER));
        assert_eq!(at("Fri, 31 Dec 9999 23:59:59 GMT"), Some(MAX_RETRY_AFTER));
        assert_eq!(at("soon"), None);
        assert_eq!(at("-5"), None);
    }
}
