//! Reads spec text (YAML or JSON) into both a raw JSON tree and openapiv3's typed model.
//!
//! The raw tree keeps what the typed model drops (examples' exact JSON, `$ref` targets, vendor
//! extensions) and lets later checks point at any place with a JSON pointer.
//!
//! The raw tree is read strictly: a key repeated in one mapping is a syntax error. YAML and JSON
//! parsers keep the last value silently, which hides the mistake; worse, openapiv3 then sees a
//! repeated field from the text but a single one in the tree it retries with, and panics.
//!
//! In: spec text (bytes become text through [`decode()`], which refuses what is not UTF-8).
//! Out: a [`Spec`], the raw tree and the typed model of the same document, or the diagnostics
//! that stop it (syntax, version, structure). `strict` reads the text into the raw tree,
//! refusing repeated keys; `typed` reads openapiv3's model and places its errors.

mod decode;
mod strict;
mod typed;

pub use decode::decode;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostic::{Diagnostics, Location, Report, Rule};
use crate::pointer::location_of;
use strict::{
    DUPLICATE_KEY, EXPANDS_TOO_FAR, MAX_EXPANSION, Ordered, parse_raw, repeated_yaml_key, to_json,
};
use typed::{catch_quietly, locate_structure_error, parse_typed};

/// A parsed spec: the raw document and the typed view of the same text.
#[derive(Debug)]
pub struct Spec {
    /// The file name used in diagnostics.
    pub file: String,
    pub raw: Value,
    pub typed: OpenAPI,
}

/// Parses `text` as YAML or JSON (JSON when it starts with `{`), refusing anything that is not an
/// OpenAPI 3.0.x document. `file` names the source in diagnostics.
pub fn load(text: &str, file: &str) -> Result<Spec, Diagnostics> {
    let (raw, ordered) = load_trees(text, file)?;
    let is_json = text.trim_start().starts_with('{');
    let mut report = Report::new(file);
    check_version(&raw, &mut report);
    if !report.is_clean() {
        return Err(report.into_diagnostics());
    }
    typed(text, is_json, raw, Some(&ordered), file)
}

/// The spec a raw tree describes, for a tree the generator built itself (a repaired one).
pub(crate) fn from_tree(raw: Value, file: &str) -> Result<Spec, Diagnostics> {
    let mut report = Report::new(file);
    check_version(&raw, &mut report);
    if !report.is_clean() {
        return Err(report.into_diagnostics());
    }
    let text = raw.to_string();
    typed(&text, true, raw, None, file)
}

/// Parses `text` as YAML or JSON into the raw tree only, strictly (a repeated key is an error).
pub(crate) fn load_raw(text: &str, file: &str) -> Result<Value, Diagnostics> {
    load_trees(text, file).map(|(raw, _)| raw)
}

/// Parses `text` once, strictly, into the raw tree and the same document with its keys in the
/// order of the text, which is the order the typed model (and so the generated code) keeps.
fn load_trees(text: &str, file: &str) -> Result<(Value, Ordered), Diagnostics> {
    let mut report = Report::new(file);
    let is_json = text.trim_start().starts_with('{');
    let language = if is_json { "JSON" } else { "YAML" };
    match parse_raw(text, is_json) {
        Ok(ordered) => Ok((to_json(&ordered), ordered)),
        Err((mut location, message)) => {
            let help = if message.contains(DUPLICATE_KEY) {
                if !is_json {
                    location = repeated_yaml_key(text, &message, location);
                }
                "keep one of the two entries; parsers disagree on which one wins".to_owned()
            } else if message.contains(EXPANDS_TOO_FAR) {
                // The YAML reader's own limit counts aliases, not what they repeat.
                format!(
                    "an alias (`*name`) repeats what its anchor (`&name`) holds, and these repeat \
                     more than {} MiB, as an alias bomb does; write the repeated parts out, or \
                     share them with `$ref`",
                    MAX_EXPANSION >> 20
                )
            } else if message.contains("repetition limit exceeded") {
                // The YAML reader stops an alias bomb before it expands; it has no position.
                "the file's aliases (`*name`) would expand into more nodes than any spec has, as \
                 an alias bomb does; write the repeated parts out, or share them with `$ref`"
                    .to_owned()
            } else {
                format!(
                    "fix the syntax at the position shown; a {language} linter points at the same place"
                )
            };
            report.push(
                location,
                Rule::Syntax,
                format!("the file is not valid {language}: {message}"),
                help,
            );
            Err(report.into_diagnostics())
        }
    }
}

/// The typed view of a raw tree already read from `text`, or the innermost structure error.
fn typed(
    text: &str,
    is_json: bool,
    raw: Value,
    ordered: Option<&Ordered>,
    file: &str,
) -> Result<Spec, Diagnostics> {
    let mut report = Report::new(file);
    match parse_typed(text, is_json, &raw, ordered) {
        Ok(typed) => Ok(Spec {
            file: file.to_owned(),
            raw,
            typed,
        }),
        Err((location, message)) => {
            // The parsers place the error at the enclosing path or schema at best; the part
            // that fails on its own names the operation or schema and the exact place.
            let (location, message) = match catch_quietly(|| locate_structure_error(&raw)) {
                Some(Some((pointer, inner))) => (
                    location_of(&raw, &pointer),
                    format!("at {pointer}: {inner}"),
                ),
                _ => (location, message),
            };
            report.push(
                location,
                Rule::Structure,
                format!("the document is not a valid OpenAPI 3.0 description: {message}"),
                "compare the named place with the OpenAPI 3.0.3 specification's object definitions",
            );
            Err(report.into_diagnostics())
        }
    }
}

/// Refuses a document that is not OpenAPI 3.0.x, saying what it is instead when that is clear.
fn check_version(raw: &Value, report: &mut Report) {
    let at = || Location::Pointer("/openapi".into());
    let (message, help) = match (raw.get("openapi"), raw.get("swagger")) {
        (Some(Value::String(version)), _) if version.trim().starts_with("3.0.") => return,
        (Some(Value::String(version)), _) => (
            format!("OpenAPI {version} is not supported; the generator reads OpenAPI 3.0.x"),
            "write the document as OpenAPI 3.0.3 (3.1 changes `nullable`, `exclusiveMinimum` \
             and examples); a converter such as `@redocly/cli` can help",
        ),
        (Some(Value::Number(number)), _) => (
            format!("`openapi` is the number {number}, not a version string"),
            "quote the full version, as in `openapi: \"3.0.3\"`; YAML reads `3.0` as a number",
        ),
        (Some(other), _) => (
            format!("`openapi` is {other}, not a version string"),
            "write `openapi: 3.0.3` at the top of the file",
        ),
        (None, Some(swagger)) => (
            format!(
                "the document is Swagger {}, not OpenAPI 3.0",
                swagger
                    .as_str()
                    .map_or_else(|| swagger.to_string(), str::to_owned)
            ),
            "convert it to OpenAPI 3.0.3 (for example with `swagger2openapi`); progenitor reads \
             only OpenAPI 3.0.x",
        ),
        (None, None) if raw.is_null() => (
            "the file is empty".to_owned(),
            "write an OpenAPI 3.0.3 document, starting with `openapi: 3.0.3`",
        ),
        (None, None) => (
            "the document has no `openapi` version string".to_owned(),
            "add `openapi: 3.0.3` at the top of the file",
        ),
    };
    report.push(at(), Rule::OpenApiVersion, message, help);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_errors_carry_line_and_column() {
        let error = load("openapi: 3.0.3\ninfo: [unclosed\n", "bad.yaml").unwrap_err();
        let diagnostic = &error.0[0];
        assert_eq!(diagnostic.rule, Rule::Syntax);
        assert!(
            matches!(diagnostic.location, Location::Text { line, .. } if line >= 2),
            "{diagnostic}"
        );
    }

    #[test]
    fn an_alias_bomb_is_refused_and_named() {
        let mut text =
            String::from("openapi: 3.0.3\nx-bomb:\n  l0: &l0 [a, a, a, a, a, a, a, a, a]\n");
        for level in 1..9 {
            let refs = vec![format!("*l{}", level - 1); 9].join(", ");
            text.push_str(&format!("  l{level}: &l{level} [{refs}]\n"));
        }
        let error = load(&text, "bomb.yaml").unwrap_err();
        assert_eq!(error.0[0].rule, Rule::Syntax);
        assert!(error.0[0].help.contains("alias bomb"), "{error}");
    }

    #[test]
    fn one_large_anchored_string_aliased_many_times_is_refused_for_its_size() {
        // 100 kB repeated 20,000 times is 2 GB: few aliases for the reader's repetition limit,
        // far too much to copy.
        let mut text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: v}}\npaths: {{}}\nx-text: &text {}\n",
            "x".repeat(100_000)
        );
        text.push_str(&format!(
            "x-copies: [{}]\n",
            vec!["*text"; 20_000].join(", ")
        ));
        let error = load(&text, "big.yaml").unwrap_err();
        assert_eq!(error.0.len(), 1, "{error}");
        assert_eq!(error.0[0].rule, Rule::Syntax);
        assert!(error.0[0].message.contains("64 MiB"), "{error}");
        assert!(error.0[0].help.contains("alias bomb"), "{error}");
        // Repair mode reads the text the same way.
        assert!(crate::generate_foreign(&text, "big.yaml").outcome.is_err());
    }

    #[test]
    fn json_syntax_errors_carry_line_and_column() {
        let error = load("{\n  \"openapi\": \"3.0.3\",\n  oops\n}", "bad.json").unwrap_err();
        assert_eq!(error.0[0].location, Location::Text { line: 3, column: 3 });
    }

    #[test]
    fn openapi_3_1_is_refused_by_name() {
        let error = load(
            "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n",
            "new.yaml",
        )
        .unwrap_err();
        assert_eq!(error.0[0].rule, Rule::OpenApiVersion);
        assert!(error.0[0].message.contains("3.1.0"));
    }

    #[test]
    fn a_repeated_yaml_key_is_placed_at_the_repeat_not_a_panic() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: v\n  title: u\npaths: {}\n";
        let error = load(text, "dup.yaml").unwrap_err();
        assert_eq!(error.0.len(), 1, "{error}");
        assert_eq!(error.0[0].rule, Rule::Syntax);
        assert_eq!(error.0[0].location, Location::Text { line: 5, column: 3 });
        assert!(error.0[0].message.contains("`title`"), "{error}");
    }

    #[test]
    fn a_repeated_json_key_is_a_syntax_error() {
        let text = r#"{"openapi": "3.0.3", "openapi": "3.0.3", "info": {}, "paths": {}}"#;
        let error = load(text, "dup.json").unwrap_err();
        assert_eq!(error.0[0].rule, Rule::Syntax);
        assert!(matches!(
            error.0[0].location,
            Location::Text { line: 1, .. }
        ));
    }

    #[test]
    fn a_repeated_key_in_a_flow_mapping_keeps_the_parser_s_place() {
        let text = "openapi: 3.0.3\ninfo: {title: t, title: u, version: v}\npaths: {}\n";
        let error = load(text, "dup.yaml").unwrap_err();
        assert!(
            matches!(error.0[0].location, Location::Text { line: 2, .. }),
            "{error}"
        );
    }

    #[test]
    fn what_the_document_is_instead_of_3_0_is_named() {
        let message = |text: &str| load(text, "v.yaml").unwrap_err().0[0].message.clone();
        assert_eq!(message(""), "the file is empty");
        assert!(message("swagger: '2.0'\n").contains("Swagger 2.0"));
        assert!(message("openapi: 3.0\n").contains("the number 3.0"));
        assert!(message("info: {}\n").contains("no `openapi` version"));
    }

    #[test]
    fn structural_errors_name_the_innermost_failing_part() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /x:\n    post:\n      \
                    operationId: X\n      responses:\n        '200': [oops]\n";
        let error = load(text, "odd.yaml").unwrap_err();
        assert_eq!(error.0[0].rule, Rule::Structure);
        assert_eq!(
            error.0[0].location,
            Location::operation("post", "/x", Some("X"))
        );
        assert!(
            error.0[0]
                .message
                .contains("at /paths/~1x/post/responses/200:"),
            "{error}"
        );
    }

    #[test]
    fn structural_errors_are_reported_not_panicked() {
        let error = load("openapi: 3.0.3\ninfo: 7\npaths: {}\n", "odd.yaml").unwrap_err();
        assert_eq!(error.0[0].rule, Rule::Structure);
    }
}
