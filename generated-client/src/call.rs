//! One request as a generated `send` describes it: the operation, where each parameter's value
//! goes (path, query, header) and the body, JSON or a form. `Client::execute` turns it into HTTP.
//!
//! Values arrive typed (progenitor's builders checked them) and are written out here with serde,
//! so every parameter type the spec can declare is sent the same way: a string as it is, a
//! number or boolean in its JSON spelling, an array as repeated query pairs (or comma-joined in
//! a path or header, OpenAPI's `simple` style), an absent optional value not at all. A value the
//! wire cannot carry (an object, an empty path segment, a header with a line break) refuses the
//! call before anything is sent, naming the parameter.

use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use crate::operations::Operation;

/// A request waiting to be sent.
pub(crate) struct Call {
    pub(crate) operation: &'static Operation,
    path_values: Vec<(&'static str, String)>,
    query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The encoded body, if the operation has one.
    pub(crate) body: Option<Vec<u8>>,
    /// The body's `Content-Type` when it is not JSON (the default every request carries).
    pub(crate) content_type: Option<HeaderValue>,
    /// The first value that cannot be sent: the call is refused with it.
    problem: Option<String>,
    /// The signed-in user's token the method was given (`logout(refresh_jwt)`); it wins over
    /// the one the client carries.
    pub(crate) user_jwt: Option<UserJwt>,
}

/// A signed-in user's token, given to one call.
pub(crate) enum UserJwt {
    Refresh(crate::RefreshJwt),
    Session(crate::SessionJwt),
    /// Not a JWT but given the same way: a machine client's key, for the exchange.
    AccessKey(crate::AccessKey),
}

impl Call {
    pub(crate) fn new(operation: &'static Operation) -> Self {
        Call {
            operation,
            path_values: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            content_type: None,
            problem: None,
            user_jwt: None,
        }
    }

    /// Authenticates the call with this refresh JWT, when one is given, instead of the client's.
    pub(crate) fn refresh_jwt(mut self, jwt: Option<crate::RefreshJwt>) -> Self {
        if let Some(jwt) = jwt {
            self.user_jwt = Some(UserJwt::Refresh(jwt));
        }
        self
    }

    /// Authenticates the call with this access key, when one is given.
    pub(crate) fn access_key(mut self, key: Option<crate::AccessKey>) -> Self {
        if let Some(key) = key {
            self.user_jwt = Some(UserJwt::AccessKey(key));
        }
        self
    }

    /// Authenticates the call with this session JWT, when one is given, instead of the client's.
    pub(crate) fn session_jwt(mut self, jwt: Option<crate::SessionJwt>) -> Self {
        if let Some(jwt) = jwt {
            self.user_jwt = Some(UserJwt::Session(jwt));
        }
        self
    }

    /// Puts `value` where the path says `{name}`.
    pub(crate) fn path(mut self, name: &'static str, value: &impl Serialize) -> Self {
        match scalars("parameter", name, value).map(|values| values.join(",")) {
            // URL parsers resolve `.` and `..` segments, even percent-encoded ones.
            Ok(text) if text.is_empty() || text == "." || text == ".." => {
                self.refuse(format!(
                    "path parameter `{name}` is {text:?}, which would change the path"
                ));
            }
            Ok(text) => self.path_values.push((name, text)),
            Err(problem) => self.refuse(problem),
        }
        self
    }

    /// Adds `name=value` to the query; nothing for an absent optional value.
    pub(crate) fn query(mut self, name: &'static str, value: &impl Serialize) -> Self {
        match scalars("parameter", name, value) {
            Ok(values) => self
                .query
                .extend(values.into_iter().map(|text| (name, text))),
            Err(problem) => self.refuse(problem),
        }
        self
    }

    /// Sends `value` in header `name`; nothing for an absent optional value.
    pub(crate) fn header(mut self, name: &'static str, value: &impl Serialize) -> Self {
        let text = match scalars("parameter", name, value) {
            Ok(values) if values.is_empty() => return self,
            Ok(values) => values.join(","),
            Err(problem) => {
                self.refuse(problem);
                return self;
            }
        };
        match (HeaderName::try_from(name), HeaderValue::try_from(text)) {
            (Ok(header), Ok(value)) => self.headers.push((header, value)),
            _ => self.refuse(format!(
                "header parameter `{name}` holds characters a header cannot carry"
            )),
        }
        self
    }

    /// Sends `body` as the JSON request body.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(error) => self.refuse(format!("the body cannot be encoded as JSON: {error}")),
        }
        self
    }

    /// Sends `body` as an `application/x-www-form-urlencoded` request body: each field as
    /// `name=value` in the query's spelling (a list as one pair per item, an absent field not at
    /// all). A field holding an object cannot be written in a form and refuses the call.
    pub(crate) fn form(mut self, body: &impl Serialize) -> Self {
        let fields = match serde_json::to_value(body) {
            Ok(Value::Object(fields)) => fields,
            _ => {
                self.refuse("the body cannot be encoded as a form: it is not an object".to_owned());
                return self;
            }
        };
        let mut encoded = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &fields {
            match scalars("form field", name, value) {
                Ok(values) => {
                    for text in values {
                        encoded.append_pair(name, &text);
                    }
                }
                Err(problem) => {
                    self.refuse(problem);
                    return self;
                }
            }
        }
        self.body = Some(encoded.finish().into_bytes());
        self.content_type = Some(HeaderValue::from_static(
            "application/x-www-form-urlencoded",
        ));
        self
    }

    fn refuse(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// The full URL under `base_url`, or why the call cannot be sent.
    pub(crate) fn url(&self, base_url: &reqwest::Url) -> Result<reqwest::Url, String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let template = self.operation.path;
        let mut path = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|at| open + at)
                .ok_or_else(|| format!("the path `{template}` has an unclosed `{{`"))?;
            let name = &rest[open + 1..close];
            let value = self
                .path_values
                .iter()
                .find(|(parameter, _)| *parameter == name)
                .map(|(_, value)| value)
                .ok_or_else(|| format!("path parameter `{name}` has no value"))?;
            path.push_str(&rest[..open]);
            push_path_segment(&mut path, value);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        // The base URL's own path (if any, without its trailing slash), then the operation's.
        let mut url = base_url.clone();
        let prefix = base_url.path().trim_end_matches('/');
        if prefix.is_empty() {
            url.set_path(&path);
        } else {
            url.set_path(&format!("{prefix}{path}"));
        }
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }
}

/// The value's scalars as text: none for `null`, one for a string, number or boolean, one per
/// item for an array of those. `kind` names the value in the refusal ("parameter").
fn scalars(kind: &str, name: &str, value: &impl Serialize) -> Result<Vec<String>, String> {
    let unsendable = || format!("{kind} `{name}` is not a string, number, boolean or list of them");
    let scalar = |value: Value| match value {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        _ => Err(unsendable()),
    };
    match serde_json::to_value(value).map_err(|_| unsendable())? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items.into_iter().map(scalar).collect(),
        other => scalar(other).map(|text| vec![text]),
    }
}

/// Appends `value` percent-encoded as one path segment: only RFC 3986's unreserved characters
/// stay as they are, so a `/`, `?` or `#` in a value cannot change which path is called (`.` and
/// `..` alone are refused in [`Call::path`]).
fn push_path_segment(path: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            path.push(char::from(byte));
        } else {
            path.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::{Credential, Operation};

    const KEYS: Operation = Operation {
        operation_id: "GetKeys",
        method_name: "get_keys",
        http_method: "GET",
        path: "/v2/keys/{projectId}",
        credential: Credential::None,
    };

    fn url(call: Call) -> Result<String, String> {
        call.url(&reqwest::Url::parse("http://127.0.0.1:9").unwrap())
            .map(String::from)
    }

    #[test]
    fn a_form_writes_scalar_fields_and_refuses_an_object() {
        let call =
            Call::new(&KEYS).form(&serde_json::json!({"a": "x y", "n": [1, 2], "gone": null}));
        assert_eq!(call.body.as_deref(), Some(&b"a=x+y&n=1&n=2"[..]));
        assert_eq!(
            call.content_type
                .as_ref()
                .map(|value| value.to_str().unwrap()),
            Some("application/x-www-form-urlencoded")
        );
        let nested = Call::new(&KEYS).form(&serde_json::json!({"user": {"name": "Jane"}}));
        assert_eq!(
            url(nested).unwrap_err(),
            "form field `user` is not a string, number, boolean or list of them"
        );
    }

    #[test]
    fn the_path_follows_the_base_url_s_own() {
        let call = || Call::new(&KEYS).path("projectId", &"P2abc");
        for (base, expected) in [
            ("http://127.0.0.1:9", "http://127.0.0.1:9/v2/keys/P2abc"),
            ("http://127.0.0.1:9/", "http://127.0.0.1:9/v2/keys/P2abc"),
            ("http://h:9/descope", "http://h:9/descope/v2/keys/P2abc"),
            ("http://h:9/descope/", "http://h:9/descope/v2/keys/P2abc"),
        ] {
            let base = reqwest::Url::parse(base).unwrap();
            assert_eq!(call().url(&base).unwrap().as_str(), expected);
        }
    }

    #[test]
    fn path_values_are_one_encoded_segment() {
        let sent = |value: &str| url(Call::new(&KEYS).path("projectId", &value));
        assert_eq!(sent("P2abc").unwrap(), "http://127.0.0.1:9/v2/keys/P2abc");
        assert_eq!(
            sent("a/b?c#d e").unwrap(),
            "http://127.0.0.1:9/v2/keys/a%2Fb%3Fc%23d%20e"
        );
        assert_eq!(sent("a..b").unwrap(), "http://127.0.0.1:9/v2/keys/a..b");
        for changes_the_path in ["", ".", ".."] {
            let refused = sent(changes_the_path).unwrap_err();
            assert!(refused.contains("would change the path"), "{refused}");
        }
        assert!(
            url(Call::new(&KEYS))
                .unwrap_err()
                .contains("`projectId` has no value")
        );
    }

    #[test]
    fn query_values_follow_their_type_and_absent_ones_are_left_out() {
        let call = Call::new(&KEYS)
            .path("projectId", &"P2")
            .query("certs", &Some(true))
            .query("skip", &None::<bool>)
            .query("ids", &vec!["a b", "c&d"])
            .query("limit", &5);
        assert_eq!(
            url(call).unwrap(),
            "http://127.0.0.1:9/v2/keys/P2?certs=true&ids=a+b&ids=c%26d&limit=5"
        );
    }

    #[test]
    fn unsendable_values_refuse_the_call_naming_the_parameter() {
        let object = serde_json::json!({"a": 1});
        let problem = url(Call::new(&KEYS)
            .path("projectId", &"P2")
            .query("filter", &object))
        .unwrap_err();
        assert!(problem.contains("`filter`"), "{problem}");
        let header = Call::new(&KEYS).header("X-Trace", &"a\nb");
        assert!(url(header).unwrap_err().contains("`X-Trace`"));
        let fine = Call::new(&KEYS).header("X-Trace", &Some("abc"));
        assert_eq!(fine.headers.len(), 1);
        assert!(
            Call::new(&KEYS)
                .header("X-Trace", &None::<String>)
                .headers
                .is_empty()
        );
    }

    #[test]
    fn the_body_is_encoded_once() {
        let call = Call::new(&KEYS).json(&serde_json::json!({"loginId": "jane"}));
        assert_eq!(call.body.as_deref(), Some(&br#"{"loginId":"jane"}"#[..]));
    }
}
