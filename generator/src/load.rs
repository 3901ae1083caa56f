//! Reads spec text (YAML or JSON) into both a raw JSON tree and openapiv3's typed model.
//!
//! The raw tree keeps what the typed model drops (examples' exact JSON, `$ref` targets, vendor
//! extensions) and lets later checks point at any place with a JSON pointer.

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostic::{Diagnostics, Location, Report, Rule};

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
    let mut report = Report::new(file);
    let is_json = text.trim_start().starts_with('{');

    let raw: Value = match parse_raw(text, is_json) {
        Ok(raw) => raw,
        Err((location, message)) => {
            report.push(
                location,
                Rule::Syntax,
                format!(
                    "the file is not valid {}: {message}",
                    if is_json { "JSON" } else { "YAML" }
                ),
                "fix the syntax at the position shown; a YAML linter points at the same place",
            );
            return Err(report.into_diagnostics());
        }
    };

    match raw.get("openapi").and_then(Value::as_str) {
        Some(version) if version.trim().starts_with("3.0.") => {}
        Some(version) => {
            report.push(
                Location::Pointer("/openapi".into()),
                Rule::OpenApiVersion,
                format!("OpenAPI {version} is not supported; the generator reads OpenAPI 3.0.x"),
                "write the document as OpenAPI 3.0.3 (3.1 changes `nullable`, `exclusiveMinimum` \
                 and examples); a converter such as `@redocly/cli` can help",
            );
        }
        None => {
            report.push(
                Location::Pointer("/openapi".into()),
                Rule::OpenApiVersion,
                "the document has no `openapi` version string",
                "add `openapi: 3.0.3` at the top of the file",
            );
        }
    }
    if !report.is_clean() {
        return Err(report.into_diagnostics());
    }

    // The typed model is read from the text, not the tree, so that errors keep their position.
    let typed: Result<OpenAPI, (Location, String)> = if is_json {
        serde_json::from_str(text).map_err(|error| {
            (
                Location::Text {
                    line: error.line(),
                    column: error.column(),
                },
                error.to_string(),
            )
        })
    } else {
        serde_norway::from_str(text).map_err(|error| (yaml_location(&error), error.to_string()))
    };
    match typed {
        Ok(typed) => Ok(Spec {
            file: file.to_owned(),
            raw,
            typed,
        }),
        Err((location, message)) => {
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

fn parse_raw(text: &str, is_json: bool) -> Result<Value, (Location, String)> {
    if is_json {
        serde_json::from_str(text).map_err(|error| {
            (
                Location::Text {
                    line: error.line(),
                    column: error.column(),
                },
                error.to_string(),
            )
        })
    } else {
        serde_norway::from_str(text).map_err(|error| (yaml_location(&error), error.to_string()))
    }
}

fn yaml_location(error: &serde_norway::Error) -> Location {
    match error.location() {
        Some(place) => Location::Text {
            line: place.line(),
            column: place.column(),
        },
        None => Location::Document,
    }
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
    fn structural_errors_are_reported_not_panicked() {
        let error = load("openapi: 3.0.3\ninfo: 7\npaths: {}\n", "odd.yaml").unwrap_err();
        assert_eq!(error.0[0].rule, Rule::Structure);
    }
}
