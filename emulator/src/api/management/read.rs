//! Defensive readers of management bodies and queries. Bodies arrive validated against the
//! spec, but no input may make the emulator panic, so every reader copes with a missing key, a
//! `null` (which the Python SDK sends for "not set") or a value of another type.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::state::State;
use crate::url::percent_decode;

/// The string at `key`, when it is a non-empty string; `null`, absent and `""` are none.
pub fn text<'b>(body: &'b Value, key: &str) -> Option<&'b str> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
}

/// The first of `keys` that holds a non-empty string (a field with two spellings).
pub fn text_of<'b>(body: &'b Value, keys: &[&str]) -> Option<&'b str> {
    keys.iter().find_map(|key| text(body, key))
}

/// The string at `key`, which must be there and not empty (400 `E011002` otherwise).
pub fn required<'b>(body: &'b Value, key: &str) -> Result<&'b str, ApiError> {
    text(body, key).ok_or_else(|| ApiError::missing(format!("{key} is required")))
}

pub fn flag(body: &Value, key: &str) -> Option<bool> {
    body.get(key).and_then(Value::as_bool)
}

pub fn int(body: &Value, key: &str) -> Option<i64> {
    body.get(key).and_then(Value::as_i64)
}

/// The strings of the list at `key`, in order, each once; `None` when absent or `null`.
pub fn list(body: &Value, key: &str) -> Option<Vec<String>> {
    let items = body.get(key)?.as_array()?;
    let mut strings: Vec<String> = Vec::with_capacity(items.len());
    for item in items.iter().filter_map(Value::as_str) {
        if !strings.iter().any(|known| known == item) {
            strings.push(item.to_owned());
        }
    }
    Some(strings)
}

/// The first of `keys` that holds a list.
pub fn list_of(body: &Value, keys: &[&str]) -> Option<Vec<String>> {
    keys.iter().find_map(|key| list(body, key))
}

pub fn object<'b>(body: &'b Value, key: &str) -> Option<&'b Map<String, Value>> {
    body.get(key).and_then(Value::as_object)
}

/// The objects of the list at `key` (anything else in it skipped).
pub fn objects<'b>(body: &'b Value, key: &str) -> impl Iterator<Item = &'b Value> {
    body.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|item| item.is_object())
}

/// The user that `body[key]` names (a login id or a user id): their user id, or 404
/// `E062108`; 400 `E011002` when the key is missing.
pub fn user(state: &State, body: &Value, key: &str) -> Result<String, ApiError> {
    let key = required(body, key)?;
    state.find_user(key).ok_or_else(ApiError::user_not_found)
}

/// One query parameter, decoded as a form is: `+` is a space (Python writes a space so; both
/// SDKs write a literal `+` as `%2B`). Empty values are none.
pub fn query(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let decoded = percent_decode(&value.replace('+', " "));
        (percent_decode(key) == name && !decoded.is_empty()).then_some(decoded)
    })
}

/// A boolean query parameter: `true` or `false` (what both SDKs send); absent is false, any
/// other value 400 `E011003`.
pub fn query_flag(query_string: Option<&str>, name: &str) -> Result<bool, ApiError> {
    match query(query_string, name).as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::invalid_request(format!(
            "{name}: must be true or false"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nulls_and_empty_strings_are_not_set() {
        let body = json!({"a": null, "b": "", "c": "x", "d": 3, "l": ["x", 1, "x", "y"]});
        assert_eq!((text(&body, "a"), text(&body, "b")), (None, None));
        assert_eq!(text(&body, "c"), Some("x"));
        assert_eq!(text(&body, "d"), None);
        assert_eq!(text_of(&body, &["b", "c"]), Some("x"));
        assert_eq!(list(&body, "l"), Some(vec!["x".to_owned(), "y".to_owned()]));
        assert_eq!(list(&body, "a"), None);
        assert_eq!(required(&body, "b").unwrap_err().code, "E011002");
        assert_eq!(objects(&json!({"o": [{}, 1, {"k": 1}]}), "o").count(), 2);
    }

    #[test]
    fn queries_decode_as_forms() {
        let query_string = Some("loginId=py%2Bmgmt+01%26x%3Dy%40example.com&id=&flag=yes");
        assert_eq!(
            query(query_string, "loginId").as_deref(),
            Some("py+mgmt 01&x=y@example.com")
        );
        assert_eq!(query(query_string, "id"), None);
        assert_eq!(
            query(Some("loginId=a%20b"), "loginId").as_deref(),
            Some("a b")
        );
        assert!(query_flag(query_string, "flag").is_err());
        assert!(query_flag(Some("x=true"), "x").unwrap());
        assert!(!query_flag(None, "x").unwrap());
    }
}
