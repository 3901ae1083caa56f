//! The `responses` and `retry-after` rules: one success body type, one error body shared by
//! every error status, no `default` response, examples on JSON bodies, and `Retry-After` on a
//! 429.

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
        let mut unresolved = false;
        for (status, response) in &responses.responses {
            let label = status.to_string();
            let Some(response): Option<&Response> = self.resolve(response) else {
                unresolved = true;
                continue;
            };
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
            // progenitor asserts that the successes share one body type, and panics otherwise;
            // several successes of one type (or none) it takes, the curated client does not.
            many => self.report_either(
                many.iter()
                    .filter_map(|(_, schema)| schema.as_ref())
                    .collect::<BTreeSet<_>>()
                    .len()
                    > 1,
                Rule::Responses,
                format!(
                    "the operation has {} success responses ({}); the client needs exactly one body type",
                    many.len(),
                    many.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>().join(", ")
                ),
                "keep one 2xx response",
            ),
        }
        if error_schemas.is_empty() && responses.default.is_none() {
            self.policy(
                Rule::Responses,
                "the operation declares no error responses",
                "add 400, 401, 403, 404, 429 and 5XX with the shared error schema",
            );
        } else if error_schemas.len() > 1 {
            let shapes: Vec<String> = error_schemas
                .iter()
                .map(|(schema, statuses)| format!("{} -> {schema}", statuses.join("/")))
                .collect();
            // progenitor asserts that an operation has one error type, and panics otherwise.
            self.fail(
                Rule::Responses,
                format!(
                    "error responses use different bodies: {}",
                    shapes.join("; ")
                ),
                "give every error status the same `$ref` to the shared error schema",
            );
        }
    }
}

fn has_retry_after(response: &Response) -> bool {
    response
        .headers
        .keys()
        .any(|name| name.eq_ignore_ascii_case("retry-after"))
}
