//! The curated spec, embedded: it is the emulator's route table (every operation by method and
//! path template, with what it does and the credential its `security` asks for) and its request
//! validator, so the emulator serves exactly the operations the client is generated from.

use hyper::Method;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::kind::{Kind, classify};

/// The spec the client is generated from: `cargo xtask generate` keeps this copy of
/// `openapi/descope-auth.yaml` inside the package, so an installed or packaged emulator holds it.
pub const SPEC_YAML: &str = include_str!("../spec/descope-auth.yaml");

/// Paths an official SDK calls that the spec does not describe, served as the operation beside
/// them (openapi/README.md §4.30 has the decision and the reason).
const ALIASES: [(&str, &str, &str); 1] = [(
    // Python's magic-link phone update posts without a method; the service's older route
    // (inferred) sends by SMS, as the method-less update of the same family would.
    "POST",
    "/v1/auth/magiclink/update/phone",
    "/v1/auth/magiclink/update/phone/sms",
)];

/// What the `Authorization` header must carry, from the operation's `security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// `security: []`: nothing; a header that comes anyway is ignored.
    None,
    ProjectId,
    /// The project id, plus the refresh JWT when there is one (sign-in, try-refresh).
    RefreshOptional,
    RefreshRequired,
    /// `<ProjectId>:<SessionJWT>` (`ProjectIdSessionJwt`).
    SessionJwt,
}

/// An operation's JSON request body.
pub struct Body {
    /// `requestBody.required`: when false, an absent or empty body stands for `{}`.
    pub required: bool,
    validator: jsonschema::Validator,
}

/// One operation of the spec.
pub struct Operation {
    pub kind: Kind,
    pub credential: Credential,
    /// `None` for operations without a request body (GET, validate): a body sent anyway is
    /// not read.
    pub body: Option<Body>,
}

/// One path template (`/v2/keys/{projectId}`), split at `/`, with its operations by method.
struct PathItem {
    segments: Vec<Segment>,
    operations: Vec<(Method, Operation)>,
}

enum Segment {
    Literal(String),
    /// `{name}`: any one non-empty segment.
    Parameter(String),
}

/// How a request's method and path resolve.
pub enum Route<'a> {
    /// The operation, and the path parameters by name (raw, not percent-decoded).
    Found(&'a Operation, Vec<(&'a str, &'a str)>),
    /// The path is the spec's, the method is not; the allowed methods.
    WrongMethod(Vec<&'a str>),
    NotFound,
}

/// Every operation by path template and method.
pub struct Spec {
    paths: Vec<PathItem>,
}

impl Spec {
    /// Parses the embedded spec; an error names what broke (a test runs this).
    pub fn load() -> Result<Spec, String> {
        let root: Value = serde_norway::from_str(SPEC_YAML).map_err(|e| e.to_string())?;
        let components = root.get("components").cloned().unwrap_or(Value::Null);
        let paths = root
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("the spec has no paths")?;
        let mut items = Vec::new();
        for (path, item) in paths {
            let mut operations = Vec::new();
            for (key, definition) in item.as_object().into_iter().flatten() {
                // Path-item members that are not methods (`parameters`, `summary`, …) are skipped.
                let method = match key.as_str() {
                    "get" => Method::GET,
                    "put" => Method::PUT,
                    "post" => Method::POST,
                    "delete" => Method::DELETE,
                    "patch" => Method::PATCH,
                    "head" => Method::HEAD,
                    "options" => Method::OPTIONS,
                    "trace" => Method::TRACE,
                    _ => continue,
                };
                let place = format!("{method} {path}");
                let operation = operation(&place, &method, path, definition, &components)?;
                operations.push((method, operation));
            }
            let segments = path
                .split('/')
                .skip(1)
                .map(|segment| match segment.strip_prefix('{') {
                    Some(name) => Segment::Parameter(name.trim_end_matches('}').to_owned()),
                    None => Segment::Literal(segment.to_owned()),
                })
                .collect();
            items.push(PathItem {
                segments,
                operations,
            });
        }
        // Literal segments win over parameters (OpenAPI's rule), so `/a/b` is tried before
        // `/a/{x}`: items with fewer parameters come first.
        items.sort_by_key(|item| {
            item.segments
                .iter()
                .filter(|s| matches!(s, Segment::Parameter(_)))
                .count()
        });
        Ok(Spec { paths: items })
    }

    /// Every operation with its method, in no particular order.
    #[cfg(test)]
    pub fn operations(&self) -> impl Iterator<Item = (&Method, &Operation)> {
        self.paths
            .iter()
            .flat_map(|item| item.operations.iter().map(|(m, o)| (m, o)))
    }

    /// The operation for a request, or why there is none.
    pub fn route<'a>(&'a self, method: &Method, path: &'a str) -> Route<'a> {
        let path = ALIASES
            .iter()
            .find(|(m, alias, _)| *m == method.as_str() && *alias == path)
            .map_or(path, |(_, _, target)| target);
        let parts: Vec<&str> = path.split('/').skip(1).collect();
        for item in &self.paths {
            let Some(parameters) = item.matches(&parts) else {
                continue;
            };
            return match item.operations.iter().find(|(m, _)| m == method) {
                Some((_, operation)) => Route::Found(operation, parameters),
                None => {
                    Route::WrongMethod(item.operations.iter().map(|(m, _)| m.as_str()).collect())
                }
            };
        }
        Route::NotFound
    }
}

impl PathItem {
    fn matches<'a>(&'a self, parts: &[&'a str]) -> Option<Vec<(&'a str, &'a str)>> {
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut parameters = Vec::new();
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(literal) if literal == part => {}
                Segment::Parameter(name) if !part.is_empty() => {
                    parameters.push((name.as_str(), *part));
                }
                _ => return None,
            }
        }
        Some(parameters)
    }
}

fn operation(
    place: &str,
    method: &Method,
    path: &str,
    definition: &Value,
    components: &Value,
) -> Result<Operation, String> {
    let kind = classify(method, path)
        .ok_or_else(|| format!("{place}: an operation the emulator does not know"))?;
    let credential =
        credential(definition).ok_or_else(|| format!("{place}: no known security scheme"))?;
    let body = match definition.get("requestBody") {
        None => None,
        Some(request_body) => {
            let schema = request_body
                .pointer("/content/application~1json/schema")
                .ok_or_else(|| format!("{place}: no JSON request schema"))?;
            // The schema inside a document that carries the spec's components, so `$ref`s
            // resolve as in the spec (the generator validates examples the same way). OpenAPI
            // 3.0 ≈ draft 4.
            let mut document = schema.as_object().cloned().unwrap_or_else(Map::new);
            document.insert("components".to_owned(), components.clone());
            let mut document = Value::Object(document);
            nullable_as_json_schema(&mut document);
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .build(&document)
                .map_err(|e| format!("{place}: the request schema does not compile: {e}"))?;
            // OpenAPI's default for `requestBody.required` is false.
            let required = request_body.get("required").and_then(Value::as_bool) == Some(true);
            Some(Body {
                required,
                validator,
            })
        }
    };
    Ok(Operation {
        kind,
        credential,
        body,
    })
}

/// OpenAPI 3.0's `nullable: true` beside `type: T` is JSON Schema's `type: [T, "null"]`, which is
/// all draft 4 knows (the generator rewrites its examples' schemas the same way).
fn nullable_as_json_schema(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if object.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(kind)) = object.get("type")
            {
                let kind = Value::String(kind.clone());
                object.insert("type".to_owned(), Value::Array(vec![kind, "null".into()]));
            }
            object.values_mut().for_each(nullable_as_json_schema);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_json_schema),
        _ => {}
    }
}

/// The credential from `security`: `[]` is none; otherwise the schemes listed as alternatives.
fn credential(definition: &Value) -> Option<Credential> {
    let requirements = definition.get("security")?.as_array()?;
    if requirements.is_empty() {
        return Some(Credential::None);
    }
    let schemes: Vec<&str> = requirements
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().map(String::as_str))
        .collect();
    let has = |scheme: &str| schemes.contains(&scheme);
    Some(
        match (
            has("ProjectId"),
            has("ProjectIdRefreshJwt"),
            has("ProjectIdSessionJwt"),
        ) {
            (true, false, false) => Credential::ProjectId,
            (true, true, false) => Credential::RefreshOptional,
            (false, true, false) => Credential::RefreshRequired,
            (false, false, true) => Credential::SessionJwt,
            _ => return None,
        },
    )
}

impl Body {
    /// Checks a parsed body against the operation's request schema; the error names the field.
    pub fn validate(&self, body: &Value) -> Result<(), ApiError> {
        let Some(error) = self.validator.iter_errors(body).next() else {
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kind::{Action, Channel, Family, SessionAction};

    fn found<'a>(spec: &'a Spec, method: Method, path: &'a str) -> &'a Operation {
        match spec.route(&method, path) {
            Route::Found(operation, _) => operation,
            _ => panic!("{method} {path} is not routed"),
        }
    }

    #[test]
    fn every_spec_operation_is_understood() {
        let spec = Spec::load().unwrap();
        assert_eq!(spec.operations().count(), 49);
        let update = found(&spec, Method::POST, "/v1/auth/otp/update/phone/im");
        assert_eq!(
            (update.kind, update.credential),
            (
                Kind::Auth {
                    family: Family::Otp,
                    action: Action::Update,
                    channel: Some(Channel::Im)
                },
                Credential::RefreshRequired
            )
        );
        let sign_in = found(&spec, Method::POST, "/v1/auth/otp/signin/voice");
        assert_eq!(sign_in.credential, Credential::RefreshOptional);
        let me = found(&spec, Method::GET, "/v1/auth/me");
        assert_eq!(me.kind, Kind::Session(SessionAction::Me));
        assert!(me.body.is_none());
        let validate = found(&spec, Method::POST, "/v1/auth/validate");
        assert_eq!(validate.credential, Credential::SessionJwt);
        assert!(validate.body.is_none());
        let refresh = found(&spec, Method::POST, "/v1/auth/refresh");
        assert!(refresh.body.as_ref().is_some_and(|body| !body.required));
        let try_refresh = found(&spec, Method::POST, "/v1/auth/try-refresh");
        assert_eq!(try_refresh.credential, Credential::RefreshOptional);
        match spec.route(&Method::GET, "/v2/keys/P2abc") {
            Route::Found(keys, parameters) => {
                assert_eq!((keys.kind, keys.credential), (Kind::Keys, Credential::None));
                assert_eq!(parameters, vec![("projectId", "P2abc")]);
            }
            _ => panic!("the keys path is not routed"),
        }
        assert!(matches!(
            spec.route(&Method::GET, "/v1/auth/refresh"),
            Route::WrongMethod(allowed) if allowed == ["POST"]
        ));
        assert!(matches!(
            spec.route(&Method::GET, "/v2/keys/"),
            Route::NotFound
        ));
        assert!(matches!(
            spec.route(&Method::GET, "/v2/keys/a/b"),
            Route::NotFound
        ));
        // Python's method-less magic-link phone update is served as the SMS one.
        match spec.route(&Method::POST, "/v1/auth/magiclink/update/phone") {
            Route::Found(update, _) => assert_eq!(
                update.kind,
                found(&spec, Method::POST, "/v1/auth/magiclink/update/phone/sms").kind
            ),
            _ => panic!("the alias is not routed"),
        }
        assert!(matches!(
            spec.route(&Method::GET, "/v1/auth/magiclink/update/phone"),
            Route::NotFound
        ));
    }

    #[test]
    fn a_nullable_property_takes_null() {
        let spec = Spec::load().unwrap();
        let sign_in = found(&spec, Method::POST, "/v1/auth/otp/signin/email")
            .body
            .as_ref()
            .unwrap();
        let options =
            |claims: Value| json!({"loginId": "a", "loginOptions": {"customClaims": claims}});
        assert!(sign_in.validate(&options(Value::Null)).is_ok());
        assert!(sign_in.validate(&options(json!({"plan": "pro"}))).is_ok());
        assert!(sign_in.validate(&options(json!("pro"))).is_err());
        assert!(
            sign_in.validate(&json!({"loginId": null})).is_err(),
            "not nullable"
        );
    }

    #[test]
    fn validation_names_the_field() {
        let spec = Spec::load().unwrap();
        let verify = found(&spec, Method::POST, "/v1/auth/otp/verify/email")
            .body
            .as_ref()
            .unwrap();
        assert!(
            verify
                .validate(&json!({"loginId": "a", "code": "1"}))
                .is_ok()
        );
        let missing = verify.validate(&json!({"loginId": "a"})).unwrap_err();
        assert_eq!(
            (missing.code, missing.message.as_str()),
            ("E011002", "code is required")
        );
        let typed = verify
            .validate(&json!({"loginId": 5, "code": "1"}))
            .unwrap_err();
        assert_eq!(typed.code, "E011003");
        assert!(typed.message.starts_with("/loginId: "), "{}", typed.message);
        let nested = found(&spec, Method::POST, "/v1/auth/otp/signup/sms")
            .body
            .as_ref()
            .unwrap()
            .validate(&json!({"loginId": "+1", "user": {"name": 3}}))
            .unwrap_err();
        assert!(
            nested.message.starts_with("/user/name: "),
            "{}",
            nested.message
        );
    }
}
