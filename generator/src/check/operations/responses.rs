//! The `responses` and `retry-after` rules: one success body type, one error body shared by
//! every error status, no `default` response, examples on JSON bodies, and `Retry-After` on a
//! 429.
//!
//! Two readings of the statuses meet here. The curated runtime takes every 2xx as the success
//! and every other status as an error. progenitor (which repair mode's plain client is) files
//! them as its `method.rs` does: 101, 2xx and `default` are successes, 4xx, 5xx and `default`
//! errors, and any other status (1xx, 3xx) neither; it asserts one body kind per side and
//! panics otherwise. What breaks progenitor's reading is reported in both modes; what breaks
//! only the curated one is dropped in repair mode.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Operation as SpecOperation, ReferenceOr, Response, StatusCode};

use super::checker::{JSON, OperationChecker};
use crate::diagnostic::Rule;

impl<'a> OperationChecker<'a> {
    pub(super) fn responses(&mut self, operation: &'a SpecOperation) {
        let responses = &operation.responses;
        if responses.default.is_some() {
            self.runtime(
                Rule::Responses,
                "the operation declares a `default` response",
                "list the error statuses (400, 401, 403, 404, 429, 5XX) with the shared error \
                 schema instead; the client tells errors by their status",
            );
        }
        let mut successes = Vec::new();
        let mut error_schemas: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut progenitor = ProgenitorSides::default();
        let mut unresolved = false;
        if let Some(default) = &responses.default {
            match self.resolve(default) {
                Some(response) => progenitor.add(Side::Default, "default", response),
                None => unresolved = true,
            }
        }
        for (status, response) in &responses.responses {
            let label = status.to_string();
            let Some(response): Option<&Response> = self.resolve(response) else {
                unresolved = true;
                continue;
            };
            progenitor.add(Side::of(status), &label, response);
            let is_success = match status {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            };
            let media = response.content.get(JSON);
            if let Some(media) = media {
                self.example_present(media, &format!("response {label}"));
            }
            let schema = media
                .and_then(|m| m.schema.as_ref())
                .map(|schema| match schema {
                    ReferenceOr::Reference { reference } => reference.clone(),
                    ReferenceOr::Item(_) => format!("an inline schema (response {label})"),
                });
            if is_success {
                successes.push((label, schema));
            } else {
                error_schemas
                    .entry(schema.unwrap_or_else(|| "no body".to_owned()))
                    .or_default()
                    .push(label.clone());
                if matches!(status, StatusCode::Code(429)) && !has_retry_after(response) {
                    self.fail(
                        Rule::RetryAfter,
                        "the 429 response does not declare the Retry-After header",
                        "add `headers: Retry-After: schema: {type: integer}` to the 429 response",
                    );
                }
            }
        }
        if unresolved {
            // The reference check named the response that leads nowhere; what is missing
            // from the rest follows from it.
            return;
        }
        match successes.as_slice() {
            [(_, Some(_))] => {}
            [] => self.runtime(
                Rule::Responses,
                "the operation has no success (2xx) response",
                "declare the 200 response and its JSON schema",
            ),
            // progenitor gives a body-less success `ResponseValue<ByteStream>`; the curated
            // client decodes every success as JSON.
            [(label, None)] => self.policy(
                Rule::Responses,
                format!("the success response {label} has no application/json schema"),
                "describe the success body; use an empty object schema when the service returns `{}`",
            ),
            // progenitor asserts that the successes share one body kind, and panics otherwise;
            // several successes of one kind it takes, the curated client does not.
            many => self.report_either(
                progenitor.successes.kinds() > 1,
                Rule::Responses,
                format!(
                    "the operation has {} success responses ({}); the client needs exactly one body type",
                    many.len(),
                    many.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>().join(", ")
                ),
                "keep one 2xx response",
            ),
        }
        if successes.len() < 2 && progenitor.successes.kinds() > 1 {
            // A 101 or a `default` beside the one 2xx: progenitor counts them as successes.
            self.fail(
                Rule::Responses,
                format!(
                    "the success responses use different bodies, counting 101 and `default` as \
                     progenitor does: {}",
                    progenitor.successes.describe()
                ),
                "give the 101 or `default` response the success's body, or remove it",
            );
        }
        if error_schemas.is_empty() && responses.default.is_none() {
            self.policy(
                Rule::Responses,
                "the operation declares no error responses",
                "add 400, 401, 403, 404, 429 and 5XX with the shared error schema",
            );
        } else if progenitor.errors.kinds() > 1 {
            // progenitor asserts that an operation has one error type, and panics otherwise.
            self.fail(
                Rule::Responses,
                format!(
                    "error responses use different bodies: {}",
                    progenitor.errors.describe()
                ),
                "give every error status the same `$ref` to the shared error schema",
            );
        } else if error_schemas.len() > 1 {
            // Only a status progenitor leaves aside (1xx, 3xx) differs: the curated runtime
            // reads it as an error, progenitor's plain client as an unexpected response.
            let shapes: Vec<String> = error_schemas
                .iter()
                .map(|(schema, statuses)| format!("{} -> {schema}", statuses.join("/")))
                .collect();
            self.runtime(
                Rule::Responses,
                format!(
                    "error responses use different bodies: {}",
                    shapes.join("; ")
                ),
                "give every error status the same `$ref` to the shared error schema; the client \
                 reads every status other than 2xx as an error",
            );
        }
    }
}

/// Where progenitor 0.15 files a response (`OperationResponseStatus` in its `method.rs`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// 101, 2xx and `2XX`.
    Success,
    /// 4xx, 5xx, `4XX` and `5XX`.
    Error,
    /// `default`: both a success and an error.
    Default,
    /// Any other status (1xx but 101, 3xx): progenitor generates nothing for it.
    Neither,
}

impl Side {
    fn of(status: &StatusCode) -> Side {
        match status {
            StatusCode::Code(101 | 200..=299) | StatusCode::Range(2) => Side::Success,
            StatusCode::Code(400..=599) | StatusCode::Range(4..=5) => Side::Error,
            StatusCode::Code(_) | StatusCode::Range(_) => Side::Neither,
        }
    }
}

/// The body kinds progenitor tells apart (`OperationResponseKind`): a JSON schema (by its
/// `$ref`, an inline one by its place), an upgrade (a 101 without JSON), other content read as
/// bytes, or nothing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum BodyKind {
    Json(String),
    Upgrade,
    Raw,
    Empty,
}

impl BodyKind {
    fn of(label: &str, response: &Response) -> BodyKind {
        let json = response.content.iter().find_map(|(media_type, media)| {
            (media_type == "application/json" || media_type.starts_with("application/json;"))
                .then_some(media)
        });
        match json {
            Some(media) => BodyKind::Json(match &media.schema {
                Some(ReferenceOr::Reference { reference }) => reference.clone(),
                _ => format!("an inline schema (response {label})"),
            }),
            None if label == "101" => BodyKind::Upgrade,
            None if !response.content.is_empty() => BodyKind::Raw,
            None => BodyKind::Empty,
        }
    }

    fn describe(&self) -> &str {
        match self {
            BodyKind::Json(schema) => schema,
            BodyKind::Upgrade => "a protocol upgrade",
            BodyKind::Raw => "a body that is not JSON",
            BodyKind::Empty => "no body",
        }
    }
}

/// The successes and the errors as progenitor reads them.
#[derive(Default)]
struct ProgenitorSides {
    successes: Statuses,
    errors: Statuses,
}

impl ProgenitorSides {
    fn add(&mut self, side: Side, label: &str, response: &Response) {
        let kind = BodyKind::of(label, response);
        match side {
            Side::Success => self.successes.0.push((label.to_owned(), kind)),
            Side::Error => self.errors.0.push((label.to_owned(), kind)),
            Side::Default => {
                self.successes.0.push((label.to_owned(), kind.clone()));
                self.errors.0.push((label.to_owned(), kind));
            }
            Side::Neither => {}
        }
    }
}

/// One side's statuses and their body kinds, in the spec's order (`default` first, as
/// progenitor reads it).
#[derive(Default)]
struct Statuses(Vec<(String, BodyKind)>);

impl Statuses {
    /// How many body kinds progenitor would meet. It sorts the statuses (stably, `2XX` as 200
    /// and `default` last) and drops a `default` that comes right after `2XX`, which would never
    /// answer.
    fn kinds(&self) -> usize {
        let mut sorted: Vec<&(String, BodyKind)> = self.0.iter().collect();
        sorted.sort_by_key(|(label, _)| sort_value(label));
        if let [.., (range, _), (default, _)] = sorted.as_slice()
            && range == "2XX"
            && default == "default"
        {
            sorted.pop();
        }
        sorted
            .iter()
            .map(|(_, kind)| kind)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// `400/5XX -> #/components/schemas/Error; 429 -> no body`.
    fn describe(&self) -> String {
        let mut by_kind: BTreeMap<&BodyKind, Vec<&str>> = BTreeMap::new();
        for (label, kind) in &self.0 {
            by_kind.entry(kind).or_default().push(label);
        }
        by_kind
            .iter()
            .map(|(kind, labels)| format!("{} -> {}", labels.join("/"), kind.describe()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn has_retry_after(response: &Response) -> bool {
    response
        .headers
        .keys()
        .any(|name| name.eq_ignore_ascii_case("retry-after"))
}

/// The value progenitor sorts a status by (`OperationResponseStatus::to_value`).
fn sort_value(label: &str) -> u16 {
    if label == "default" {
        return 1000;
    }
    match label
        .strip_suffix("XX")
        .and_then(|digit| digit.parse::<u16>().ok())
    {
        Some(range) => range.saturating_mul(100),
        None => label.parse().unwrap_or(u16::MAX),
    }
}
