//! Reads spec text (YAML or JSON) into both a raw JSON tree and openapiv3's typed model.
//!
//! The raw tree keeps what the typed model drops (examples' exact JSON, `$ref` targets, vendor
//! extensions) and lets later checks point at any place with a JSON pointer.
//!
//! The raw tree is read strictly: a key repeated in one mapping is a syntax error. YAML and JSON
//! parsers keep the last value silently, which hides the mistake; worse, openapiv3 then sees a
//! repeated field from the text but a single one in the tree it retries with, and panics.

use std::cell::Cell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostic::{Diagnostics, Location, Report, Rule};
use crate::rules::escape_pointer;
use crate::tree;

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
                    tree::location_of(&raw, &pointer),
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

/// The typed model, read from the ordered tree when there is one. When that fails, it is read
/// again from the text, whose parser places the error at a line and column.
///
/// openapiv3 panics when a part fails to parse from the text but parses from its own re-read of
/// it (see the module docs); the strict raw parse removes the known cause, and any other is
/// caught here and answered by reading the model from the raw tree instead.
fn parse_typed(
    text: &str,
    is_json: bool,
    raw: &Value,
    ordered: Option<&Ordered>,
) -> Result<OpenAPI, (Location, String)> {
    // The ordered tree is already parsed and reads three times faster than the text.
    if let Some(Some(Ok(typed))) = ordered.map(|tree| catch_quietly(|| OpenAPI::deserialize(tree)))
    {
        return Ok(typed);
    }
    let from_text = catch_quietly(|| {
        if is_json {
            serde_json::from_str(text).map_err(|error| json_error(&error))
        } else {
            serde_norway::from_str(text).map_err(|error| yaml_error(&error))
        }
    });
    match from_text {
        Some(result) => result,
        None => match catch_quietly(|| OpenAPI::deserialize(raw)) {
            Some(Ok(typed)) => Ok(typed),
            Some(Err(error)) => Err((Location::Document, error.to_string())),
            None => Err((
                Location::Document,
                "openapiv3 failed while reading it".to_owned(),
            )),
        },
    }
}

fn parse_raw(text: &str, is_json: bool) -> Result<Ordered, (Location, String)> {
    if is_json {
        let mut parser = serde_json::Deserializer::from_str(text);
        StrictValue
            .deserialize(&mut parser)
            .and_then(|value| parser.end().map(|()| value))
            .map_err(|error| json_error(&error))
    } else {
        StrictValue
            .deserialize(serde_norway::Deserializer::from_str(text))
            .map_err(|error| yaml_error(&error))
    }
}

fn json_error(error: &serde_json::Error) -> (Location, String) {
    let (line, column) = (error.line(), error.column());
    let message = without_position(&error.to_string(), line, column);
    (Location::Text { line, column }, message)
}

fn yaml_error(error: &serde_norway::Error) -> (Location, String) {
    match error.location() {
        Some(place) => {
            let (line, column) = (place.line(), place.column());
            let message = without_position(&error.to_string(), line, column);
            (Location::Text { line, column }, message)
        }
        None => (Location::Document, error.to_string()),
    }
}

/// The innermost part of the document that openapiv3 refuses on its own, as a JSON pointer and
/// openapiv3's message for it; `None` when every part it tries parses.
fn locate_structure_error(root: &Value) -> Option<(String, String)> {
    if let Some(found) = root
        .get("info")
        .and_then(|info| innermost::<openapiv3::Info>(info, "/info".into(), || None))
    {
        return Some(found);
    }
    if let Some(Value::Object(paths)) = root.get("paths") {
        for (path, item) in paths {
            let at = format!("/paths/{}", escape_pointer(path));
            if let Some(found) = innermost::<ReferenceOr<PathItem>>(item, at.clone(), || {
                locate_in_path_item(item, &at)
            }) {
                return Some(found);
            }
        }
    }
    let components = |kind: &str| match root.pointer(&format!("/components/{kind}")) {
        Some(Value::Object(table)) => table
            .iter()
            .map(|(name, item)| (format!("/components/{kind}/{}", escape_pointer(name)), item))
            .collect(),
        _ => Vec::new(),
    };
    components("schemas")
        .into_iter()
        .find_map(|(at, schema)| locate_in_schema(schema, at))
        .or_else(|| {
            components("responses")
                .into_iter()
                .find_map(|(at, response)| locate_in_body::<Response>(response, at))
        })
        .or_else(|| {
            components("requestBodies")
                .into_iter()
                .find_map(|(at, body)| locate_in_body::<RequestBody>(body, at))
        })
        .or_else(|| {
            components("parameters")
                .into_iter()
                .find_map(|(at, parameter)| {
                    innermost::<ReferenceOr<Parameter>>(parameter, at, || None)
                })
        })
        .or_else(|| {
            components("securitySchemes")
                .into_iter()
                .find_map(|(at, scheme)| {
                    innermost::<ReferenceOr<SecurityScheme>>(scheme, at, || None)
                })
        })
}

/// Where `value` fails as a `T`: somewhere `inner` finds, or else `value` itself at `at`.
/// `None` when it parses.
fn innermost<T: for<'de> Deserialize<'de>>(
    value: &Value,
    at: String,
    inner: impl FnOnce() -> Option<(String, String)>,
) -> Option<(String, String)> {
    let message = T::deserialize(value).err()?.to_string();
    Some(inner().unwrap_or((at, message)))
}

fn locate_in_path_item(item: &Value, at: &str) -> Option<(String, String)> {
    let Value::Object(item) = item else {
        return None;
    };
    item.iter()
        .filter(|(method, _)| {
            matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            )
        })
        .find_map(|(method, operation)| {
            let at = format!("{at}/{method}");
            innermost::<Operation>(operation, at.clone(), || {
                locate_in_operation(operation, &at)
            })
        })
}

fn locate_in_operation(operation: &Value, at: &str) -> Option<(String, String)> {
    let body = operation
        .get("requestBody")
        .and_then(|body| locate_in_body::<RequestBody>(body, format!("{at}/requestBody")));
    let parameters = || {
        let list = operation.get("parameters")?.as_array()?;
        list.iter().enumerate().find_map(|(index, parameter)| {
            let at = format!("{at}/parameters/{index}");
            innermost::<ReferenceOr<Parameter>>(parameter, at, || None)
        })
    };
    let responses = || {
        let responses = operation.get("responses")?.as_object()?;
        responses.iter().find_map(|(status, response)| {
            let at = format!("{at}/responses/{}", escape_pointer(status));
            locate_in_body::<Response>(response, at)
        })
    };
    body.or_else(parameters).or_else(responses)
}

/// A request body or response: the failing schema of one of its media types, or itself.
fn locate_in_body<T: for<'de> Deserialize<'de>>(
    body: &Value,
    at: String,
) -> Option<(String, String)> {
    innermost::<ReferenceOr<T>>(body, at.clone(), || {
        let content = body.get("content")?.as_object()?;
        content.iter().find_map(|(media_type, media)| {
            let schema = media.get("schema")?;
            let at = format!("{at}/content/{}/schema", escape_pointer(media_type));
            locate_in_schema(schema, at)
        })
    })
}

fn locate_in_schema(schema: &Value, at: String) -> Option<(String, String)> {
    innermost::<ReferenceOr<Schema>>(schema, at.clone(), || {
        let mut parts: Vec<(String, &Value)> = Vec::new();
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, property) in properties {
                parts.push((
                    format!("{at}/properties/{}", escape_pointer(name)),
                    property,
                ));
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(part @ Value::Object(_)) = schema.get(key) {
                parts.push((format!("{at}/{key}"), part));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(list)) = schema.get(key) {
                for (index, part) in list.iter().enumerate() {
                    parts.push((format!("{at}/{key}/{index}"), part));
                }
            }
        }
        parts
            .into_iter()
            .find_map(|(at, part)| locate_in_schema(part, at))
    })
}

/// Parsers append the position to their message; the diagnostic already shows it up front.
fn without_position(message: &str, line: usize, column: usize) -> String {
    message.replacen(&format!(" at line {line} column {column}"), "", 1)
}

/// Runs `work`, returning `None` instead of unwinding when it panics, without printing the panic.
fn catch_quietly<T>(work: impl FnOnce() -> T) -> Option<T> {
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static INSTALL_HOOK: Once = Once::new();
    INSTALL_HOOK.call_once(|| {
        // Chained, so panics elsewhere (and other such hooks) still report as before.
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|quiet| quiet.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    QUIET.with(|quiet| quiet.set(was_quiet));
    outcome.ok()
}

/// The YAML parser places a repeated key at the start of its mapping; this finds the repeat
/// itself in a block mapping (whose keys all start in the mapping's column), or keeps the start.
fn repeated_yaml_key(text: &str, message: &str, start: Location) -> Location {
    let Location::Text { line, column } = start else {
        return start;
    };
    let Some(key) = message
        .split_once("key `")
        .and_then(|(_, rest)| rest.split_once(&format!("` {DUPLICATE_KEY}")))
        .map(|(key, _)| key)
    else {
        return start;
    };
    let indent = column.saturating_sub(1);
    let spellings = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    let mut seen = 0;
    for (index, text_line) in text.lines().enumerate().skip(line.saturating_sub(1)) {
        let content = text_line.trim_start();
        let this_indent = text_line.len() - content.len();
        let ends_mapping = index + 1 > line
            && !content.is_empty()
            && !content.starts_with('#')
            && this_indent < indent;
        if ends_mapping {
            break;
        }
        let at_column = text_line.get(indent..).unwrap_or("");
        if spellings.iter().any(|s| at_column.starts_with(s.as_str())) {
            seen += 1;
            if seen == 2 {
                return Location::Text {
                    line: index + 1,
                    column,
                };
            }
        }
    }
    start
}

/// The words that mark a repeated key, so its diagnostic gets its own help.
const DUPLICATE_KEY: &str = "is repeated in one mapping";

/// A document as parsed, its mappings in the order of the text. Only JSON-compatible values are
/// built: string keys, finite numbers, no YAML tags.
type Ordered = serde_norway::Value;

/// The raw JSON tree of an ordered document.
fn to_json(value: &Ordered) -> Value {
    match value {
        Ordered::Null | Ordered::Tagged(_) => Value::Null,
        Ordered::Bool(value) => Value::Bool(*value),
        Ordered::Number(number) => {
            if let Some(integer) = number.as_u64() {
                integer.into()
            } else if let Some(integer) = number.as_i64() {
                integer.into()
            } else {
                number
                    .as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Ordered::String(text) => Value::String(text.clone()),
        Ordered::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Ordered::Mapping(entries) => Value::Object(
            entries
                .iter()
                .filter_map(|(key, value)| Some((key.as_str()?.to_owned(), to_json(value))))
                .collect(),
        ),
    }
}

/// Reads any YAML or JSON value like `serde_json::Value`, keeping the order of keys, but refuses
/// a key repeated within one mapping; the parser attaches the position of the mapping to the
/// error.
struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Ordered;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Ordered, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Ordered, E> {
        Ok(Ordered::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Ordered, E> {
        Ok(Ordered::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Ordered, E> {
        Ok(Ordered::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Ordered, E> {
        if value.is_finite() {
            Ok(Ordered::Number(value.into()))
        } else {
            Err(E::custom(format!("{value} is not a JSON number")))
        }
    }

    fn visit_str<E>(self, value: &str) -> Result<Ordered, E> {
        Ok(Ordered::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Ordered, E> {
        Ok(Ordered::String(value))
    }

    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_none<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Ordered, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Ordered::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries = serde_norway::Mapping::new();
        while let Some(key) = map.next_key::<String>()? {
            let key = Ordered::String(key);
            if entries.contains_key(&key) {
                let key = key.as_str().unwrap_or_default();
                return Err(de::Error::custom(format!("key `{key}` {DUPLICATE_KEY}")));
            }
            let value = map.next_value_seed(StrictValue)?;
            entries.insert(key, value);
        }
        Ok(Ordered::Mapping(entries))
    }
}

/// A spec file's bytes as text. A spec must be UTF-8 (YAML and JSON files in the wild are; a
/// UTF-8 byte-order mark is dropped); anything else is a syntax diagnostic at the line and column
/// of the first byte that is not, with a help that names UTF-16 when the file starts with its
/// byte-order mark.
pub fn decode(bytes: &[u8], spec_file: &str) -> Result<String, Diagnostics> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => {
            let good = &bytes[..error.valid_up_to()];
            let line = good.iter().filter(|byte| **byte == b'\n').count() + 1;
            let line_start = good
                .iter()
                .rposition(|byte| *byte == b'\n')
                .map_or(0, |at| at + 1);
            // Characters, not bytes, before the bad one on its line.
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let bad = bytes[error.valid_up_to()];
            let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
            let help = if utf16 {
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
            } else {
                "save the file as UTF-8, or replace the byte with the character it was meant to be"
            };
            let mut report = Report::new(spec_file);
            report.push(
                Location::Text { line, column },
                Rule::Syntax,
                format!(
                    "the file is not UTF-8: byte 0x{bad:02X} cannot start or continue a character"
                ),
                help,
            );
            Err(report.into_diagnostics())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_placed() {
        let error = decode(
            b"openapi: 3.0.3\ninfo: {title: caf\xE9, version: '1'}\n",
            "s.yaml",
        )
        .unwrap_err();
        let diagnostic = &error.0[0];
        assert_eq!(diagnostic.rule, Rule::Syntax);
        assert_eq!(
            diagnostic.location,
            Location::Text {
                line: 2,
                column: 18
            }
        );
        assert!(diagnostic.message.contains("0xE9"), "{error}");
        assert!(
            error
                .to_string()
                .ends_with("1 problem found; nothing was generated")
        );

        let utf16 = decode(b"\xFF\xFEo\x00p\x00", "s.yaml").unwrap_err();
        assert_eq!(utf16.0[0].location, Location::Text { line: 1, column: 1 });
        assert!(utf16.0[0].help.contains("UTF-16"), "{utf16}");

        assert_eq!(
            decode(b"\xEF\xBB\xBFopenapi: 3.0.3", "s.yaml").unwrap(),
            "openapi: 3.0.3"
        );
    }

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
    fn a_panic_while_reading_becomes_none_quietly() {
        assert_eq!(catch_quietly(|| 7), Some(7));
        assert_eq!(catch_quietly(|| -> u8 { panic!("inside openapiv3") }), None);
    }

    #[test]
    fn structural_errors_are_reported_not_panicked() {
        let error = load("openapi: 3.0.3\ninfo: 7\npaths: {}\n", "odd.yaml").unwrap_err();
        assert_eq!(error.0[0].rule, Rule::Structure);
    }
}
