//! The route table: every operation of the generated table by method and path template, with
//! what the emulator does for it and the schema its request body must match
//! (`generated/requests.json`, written by `cargo xtask generate`). Paths are matched segment by
//! segment; a literal segment wins over a parameter (OpenAPI's rule).

use std::collections::HashMap;
use std::sync::OnceLock;

use hyper::Method;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, Registry, Validator};
use serde_json::{Value, json};

use super::Behaviour;
use crate::error::ApiError;
use crate::operations::{OPERATIONS, Operation};

/// Each operation's request body as JSON Schema, with the spec's component schemas.
const REQUESTS: &str = include_str!("../generated/requests.json");
/// Where the requests document is registered; the name only has to be absolute and unique.
const REQUESTS_URI: &str = "https://descope-emulator.invalid/requests.json";

/// Paths an official SDK calls that the spec does not describe, served as the operation beside
/// them (openapi/README.md §4.30 has the decision and the reason).
const ALIASES: [(&str, &str, &str); 1] = [(
    // Python's magic-link phone update posts without a method; the service's older route
    // (inferred) sends by SMS, as the method-less update of the same family would.
    "POST",
    "/v1/auth/magiclink/update/phone",
    "/v1/auth/magiclink/update/phone/sms",
)];

/// An operation's request body: whether it must come, and its schema, compiled on first use
/// (most runs call a few operations; compiling all would slow every start).
pub struct Body {
    /// `requestBody.required`: when false, an absent or empty body stands for `{}`.
    pub required: bool,
    /// The schema is a JSON array (`GetUsersAuthHistory` takes a bare array of user ids);
    /// every other body must be a JSON object.
    pub array: bool,
    operation_id: &'static str,
    validator: OnceLock<Result<Validator, String>>,
}

/// One route: the operation, and what the emulator does for it (`None`: not emulated).
pub struct Route {
    pub operation: &'static Operation,
    pub behaviour: Option<Behaviour>,
    /// `None` for operations without a request body (GET, validate): a body sent anyway is
    /// not read.
    pub body: Option<Body>,
}

/// How a request's method and path resolve.
pub enum Found<'a> {
    /// The route, and the path parameters by name (raw, not percent-decoded).
    Route(&'a Route, Vec<(&'a str, &'a str)>),
    /// The path is the spec's, the method is not; the allowed methods.
    WrongMethod(Vec<&'static str>),
    /// No operation has this path.
    Nothing,
}

/// Every operation by path template and method.
pub struct Routes {
    /// Paths without parameters, exactly (most requests).
    literal: HashMap<&'static str, Vec<Route>>,
    /// Paths with parameters, the ones with fewer parameters first.
    templated: Vec<(Vec<Segment>, Vec<Route>)>,
    registry: Registry<'static>,
}

enum Segment {
    Literal(&'static str),
    /// `{name}`: any one non-empty segment.
    Parameter(&'static str),
}

impl Routes {
    /// Every operation of the table with its behaviour and body; an error names what broke in
    /// the request schemas (a test runs this).
    pub fn new() -> Result<Routes, String> {
        let document: Value = serde_json::from_str(REQUESTS)
            .map_err(|error| format!("generated/requests.json is not JSON: {error}"))?;
        let requests = document
            .get("requests")
            .and_then(Value::as_object)
            .ok_or("generated/requests.json has no requests")?;
        let mut routes = Routes {
            literal: HashMap::new(),
            templated: Vec::new(),
            registry: Registry::new()
                .add(
                    REQUESTS_URI,
                    Draft::Draft4.create_resource(document.clone()),
                )
                .and_then(|builder| builder.prepare())
                .map_err(|error| format!("generated/requests.json: {error}"))?,
        };
        for operation in OPERATIONS {
            let body = requests.get(operation.operation_id).map(|request| Body {
                required: request.get("required") == Some(&Value::Bool(true)),
                array: is_array(&document, request.get("schema")),
                operation_id: operation.operation_id,
                validator: OnceLock::new(),
            });
            let route = Route {
                operation,
                behaviour: Behaviour::of(operation),
                body,
            };
            if operation.path.contains('{') {
                let segments = segments(operation.path);
                match routes
                    .templated
                    .iter_mut()
                    .find(|(s, _)| same(s, &segments))
                {
                    Some((_, routes)) => routes.push(route),
                    None => routes.templated.push((segments, vec![route])),
                }
            } else {
                routes
                    .literal
                    .entry(operation.path)
                    .or_default()
                    .push(route);
            }
        }
        routes
            .templated
            .sort_by_key(|(segments, _)| segments.iter().filter(|s| s.is_parameter()).count());
        Ok(routes)
    }

    /// Every route, in no particular order.
    #[cfg(test)]
    pub fn all(&self) -> impl Iterator<Item = &Route> {
        self.literal
            .values()
            .chain(self.templated.iter().map(|(_, routes)| routes))
            .flatten()
    }

    /// The route for a request, or why there is none.
    pub fn find<'a>(&'a self, method: &Method, path: &'a str) -> Found<'a> {
        let path = ALIASES
            .iter()
            .find(|(m, alias, _)| *m == method.as_str() && *alias == path)
            .map_or(path, |(_, _, target)| target);
        let (candidates, parameters) = match self.literal.get(path) {
            Some(routes) => (routes, Vec::new()),
            None => {
                let parts: Vec<&str> = path.split('/').skip(1).collect();
                let Some(found) = self
                    .templated
                    .iter()
                    .find_map(|(segments, routes)| Some((routes, matches(segments, &parts)?)))
                else {
                    return Found::Nothing;
                };
                found
            }
        };
        match candidates
            .iter()
            .find(|route| route.operation.http_method == method.as_str())
        {
            Some(route) => Found::Route(route, parameters),
            None => {
                Found::WrongMethod(candidates.iter().map(|r| r.operation.http_method).collect())
            }
        }
    }

    /// Checks a parsed body against the operation's request schema; the error names the field.
    pub fn validate(&self, body: &Body, value: &Value) -> Result<(), ApiError> {
        let validator = body
            .validator
            .get_or_init(|| {
                let schema = json!({"$ref": format!(
                    "{REQUESTS_URI}#/requests/{}/schema",
                    body.operation_id
                )});
                jsonschema::options()
                    .with_draft(Draft::Draft4)
                    .with_registry(&self.registry)
                    .offline()
                    .build(&schema)
                    .map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(|error| {
                ApiError::internal(format!(
                    "the request schema of {} does not compile: {error}",
                    body.operation_id
                ))
            })?;
        let Some(error) = validator.iter_errors(value).next() else {
            return Ok(());
        };
        let at = error.instance_path().to_string();
        let place = if at.is_empty() {
            String::new()
        } else {
            format!("{at}: ")
        };
        Err(match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or("a field");
                ApiError::missing(format!("{place}{name} is required"))
            }
            // The message names the field by its path; the offending value is left out, since
            // it could be a code or token of the wrong type.
            ValidationErrorKind::Type {
                kind: TypeKind::Single(kind),
            } => ApiError::invalid_request(format!("{place}must be of type {kind}")),
            _ => ApiError::invalid_request(format!(
                "{place}does not match the schema ({})",
                error.kind().keyword()
            )),
        })
    }
}

/// Whether a request schema (a `$ref` into the document's components, or inline) is of type
/// array.
fn is_array(document: &Value, schema: Option<&Value>) -> bool {
    let schema = match schema.and_then(|s| s.get("$ref")).and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer)),
        None => schema,
    };
    schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("array")
}

impl Segment {
    fn is_parameter(&self) -> bool {
        matches!(self, Segment::Parameter(_))
    }
}

fn segments(path: &'static str) -> Vec<Segment> {
    path.split('/')
        .skip(1)
        .map(|segment| match segment.strip_prefix('{') {
            Some(name) => Segment::Parameter(name.trim_end_matches('}')),
            None => Segment::Literal(segment),
        })
        .collect()
}

fn same(a: &[Segment], b: &[Segment]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Segment::Literal(x), Segment::Literal(y)) => x == y,
            (Segment::Parameter(_), Segment::Parameter(_)) => true,
            _ => false,
        })
}

fn matches<'a>(segments: &'a [Segment], parts: &[&'a str]) -> Option<Vec<(&'a str, &'a str)>> {
    if parts.len() != segments.len() {
        return None;
    }
    let mut parameters = Vec::new();
    for (segment, part) in segments.iter().zip(parts) {
        match segment {
            Segment::Literal(literal) if literal == part => {}
            Segment::Parameter(name) if !part.is_empty() => parameters.push((*name, *part)),
            _ => return None,
        }
    }
    Some(parameters)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::operations::{self as op, Credential};

    fn found<'a>(routes: &'a Routes, method: Method, path: &'a str) -> &'a Route {
        match routes.find(&method, path) {
            Found::Route(route, _) => route,
            _ => panic!("{method} {path} is not routed"),
        }
    }

    #[test]
    fn every_operation_is_routed_by_its_method_and_path() {
        let routes = Routes::new().unwrap();
        assert_eq!(routes.all().count(), OPERATIONS.len());
        for route in routes.all() {
            let operation = route.operation;
            let path = operation.path.replace("{projectId}", "P2abc");
            let method = Method::from_bytes(operation.http_method.as_bytes()).unwrap();
            assert_eq!(found(&routes, method, &path).operation, operation);
        }
        let sign_in = found(&routes, Method::POST, "/v1/auth/otp/signin/voice");
        assert_eq!(
            sign_in.operation.credential,
            Credential::ProjectIdOrRefreshJwt
        );
        let me = found(&routes, Method::GET, "/v1/auth/me");
        assert!(me.body.is_none());
        let refresh = found(&routes, Method::POST, "/v1/auth/refresh");
        assert!(refresh.body.as_ref().is_some_and(|body| !body.required));
        match routes.find(&Method::GET, "/v2/keys/P2abc") {
            Found::Route(keys, parameters) => {
                assert_eq!(keys.operation, &op::GET_JWKS);
                assert_eq!(parameters, vec![("projectId", "P2abc")]);
            }
            _ => panic!("the keys path is not routed"),
        }
        assert!(matches!(
            routes.find(&Method::GET, "/v1/auth/refresh"),
            Found::WrongMethod(allowed) if allowed == ["POST"]
        ));
        for missing in ["/v2/keys/", "/v2/keys/a/b", "/v1/keys/P2abc"] {
            assert!(matches!(routes.find(&Method::GET, missing), Found::Nothing));
        }
    }

    #[test]
    fn only_the_history_takes_a_bare_array() {
        let routes = Routes::new().unwrap();
        let arrays: Vec<&str> = routes
            .all()
            .filter(|route| route.body.as_ref().is_some_and(|body| body.array))
            .map(|route| route.operation.operation_id)
            .collect();
        assert_eq!(arrays, ["GetUsersAuthHistory"]);
    }

    #[test]
    fn python_s_method_less_phone_update_is_the_sms_one() {
        let routes = Routes::new().unwrap();
        let alias = found(&routes, Method::POST, "/v1/auth/magiclink/update/phone");
        assert_eq!(alias.operation, &op::UPDATE_PHONE_MAGIC_LINK_SMS);
        assert!(matches!(
            routes.find(&Method::GET, "/v1/auth/magiclink/update/phone"),
            Found::Nothing
        ));
    }

    fn body<'a>(routes: &'a Routes, path: &'a str) -> &'a Body {
        found(routes, Method::POST, path).body.as_ref().unwrap()
    }

    #[test]
    fn a_nullable_property_takes_null() {
        let routes = Routes::new().unwrap();
        let sign_in = body(&routes, "/v1/auth/otp/signin/email");
        let options =
            |claims: Value| json!({"loginId": "a", "loginOptions": {"customClaims": claims}});
        assert!(routes.validate(sign_in, &options(Value::Null)).is_ok());
        assert!(
            routes
                .validate(sign_in, &options(json!({"plan": "pro"})))
                .is_ok()
        );
        assert!(routes.validate(sign_in, &options(json!("pro"))).is_err());
        let not_nullable = routes.validate(sign_in, &json!({"loginId": null}));
        assert!(not_nullable.is_err());
    }

    #[test]
    fn validation_names_the_field() {
        let routes = Routes::new().unwrap();
        let verify = body(&routes, "/v1/auth/otp/verify/email");
        assert!(
            routes
                .validate(verify, &json!({"loginId": "a", "code": "1"}))
                .is_ok()
        );
        let missing = routes
            .validate(verify, &json!({"loginId": "a"}))
            .unwrap_err();
        assert_eq!(
            (missing.code, missing.message.as_str()),
            ("E011002", "code is required")
        );
        let typed = routes
            .validate(verify, &json!({"loginId": 5, "code": "1"}))
            .unwrap_err();
        assert_eq!(typed.code, "E011003");
        assert!(typed.message.starts_with("/loginId: "), "{}", typed.message);
        let nested = routes
            .validate(
                body(&routes, "/v1/auth/otp/signup/sms"),
                &json!({"loginId": "+1", "user": {"name": 3}}),
            )
            .unwrap_err();
        assert!(
            nested.message.starts_with("/user/name: "),
            "{}",
            nested.message
        );
    }
}
