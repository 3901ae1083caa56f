//! openapiv3's typed model of a document already read into the raw tree, and, when openapiv3
//! refuses it, the innermost part it refuses (a path, an operation, a body, a schema), so the
//! diagnostic can name the place. openapiv3 may panic on what it refuses; the panic is caught
//! quietly.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::Deserialize;
use serde_json::Value;

use super::strict::{Ordered, json_error, yaml_error};
use crate::diagnostic::Location;
use crate::pointer::escape_pointer;

/// The typed model, read from the ordered tree when there is one. When that fails, it is read
/// again from the text, whose parser places the error at a line and column.
///
/// openapiv3 panics when a part fails to parse from the text but parses from its own re-read of
/// it (see the module docs); the strict raw parse removes the known cause, and any other is
/// caught here and answered by reading the model from the raw tree instead.
pub(super) fn parse_typed(
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

/// The innermost part of the document that openapiv3 refuses on its own, as a JSON pointer and
/// openapiv3's message for it; `None` when every part it tries parses.
pub(super) fn locate_structure_error(root: &Value) -> Option<(String, String)> {
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
        .filter(|(method, _)| crate::pointer::is_method(method))
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

/// Runs `work`, returning `None` instead of unwinding when it panics, without printing the panic.
pub(super) fn catch_quietly<T>(work: impl FnOnce() -> T) -> Option<T> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_reading_becomes_none_quietly() {
        assert_eq!(catch_quietly(|| 7), Some(7));
        assert_eq!(catch_quietly(|| -> u8 { panic!("inside openapiv3") }), None);
    }
}
