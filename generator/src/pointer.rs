//! JSON pointers into the raw tree, shared by every stage that reads it (load, the checks,
//! repair): escaping a key into a pointer, splitting a pointer into its keys, and naming the
//! operation or schema a pointer lies in, so diagnostics say which.

use serde_json::Value;

use crate::diagnostic::Location;

/// Escapes a map key for use in a JSON pointer (RFC 6901).
pub(crate) fn escape_pointer(key: &str) -> String {
    let mut escaped = String::with_capacity(key.len());
    push_escaped_key(&mut escaped, key);
    escaped
}

/// Appends `key` to a JSON pointer, escaped: `~` as `~0`, `/` as `~1`.
pub(crate) fn push_escaped_key(pointer: &mut String, key: &str) {
    for character in key.chars() {
        match character {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            other => pointer.push(other),
        }
    }
}

/// The unescaped segments of a JSON pointer.
pub(crate) fn pointer_parts(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Names an operation (with its `operationId` when it has one) when the pointer lies inside
/// one, or a schema when it lies inside one, so messages say which.
pub(crate) fn location_of(root: &Value, pointer: &str) -> Location {
    let parts = pointer_parts(pointer);
    match parts.as_slice() {
        [first, path, method, ..] if first == "paths" && is_method(method) => {
            let operation_id = root
                .get("paths")
                .and_then(|paths| paths.get(path))
                .and_then(|item| item.get(method))
                .and_then(|operation| operation.get("operationId"))
                .and_then(Value::as_str);
            Location::operation(method, path, operation_id)
        }
        [first, second, name, ..] if first == "components" && second == "schemas" => {
            Location::Schema(name.clone())
        }
        _ => Location::Pointer(pointer.to_owned()),
    }
}

/// The HTTP methods a path item may hold operations under.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn is_method(name: &str) -> bool {
    METHODS.contains(&name)
}
