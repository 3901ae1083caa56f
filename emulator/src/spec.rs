//! The curated spec, embedded: it is the emulator's route table (every path with its family,
//! action, channel and credential) and its request validator, so the emulator serves exactly
//! the operations the client is generated from.

use std::collections::HashMap;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The spec the client is generated from.
pub const SPEC_YAML: &str = include_str!("../../openapi/descope-auth.yaml");

/// A delivery method, as it appears in paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Sms,
    Voice,
    Whatsapp,
    Im,
}

impl Channel {
    pub fn parse(text: &str) -> Option<Channel> {
        Some(match text {
            "email" => Channel::Email,
            "sms" => Channel::Sms,
            "voice" => Channel::Voice,
            "whatsapp" => Channel::Whatsapp,
            "im" => Channel::Im,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Whatsapp => "whatsapp",
            Channel::Im => "im",
        }
    }

    pub fn is_email(self) -> bool {
        self == Channel::Email
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Otp,
    MagicLink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignUp,
    SignIn,
    SignUpOrIn,
    Verify,
    Update,
}

/// What the `Authorization` header must carry, from the operation's `security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    ProjectId,
    /// Sign-in: the project id, plus the refresh JWT for step-up and MFA.
    RefreshOptional,
    RefreshRequired,
}

/// One operation of the spec.
pub struct Operation {
    pub family: Family,
    pub action: Action,
    /// `None` only for magic-link verify, whose channel is the link's.
    pub channel: Option<Channel>,
    pub credential: Credential,
    validator: jsonschema::Validator,
}

/// Every operation by path.
pub struct Spec {
    pub operations: HashMap<String, Operation>,
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
        let mut operations = HashMap::new();
        for (path, item) in paths {
            let post = item
                .get("post")
                .ok_or_else(|| format!("{path}: not a POST operation"))?;
            let operation = operation(path, post, &components)?;
            operations.insert(path.clone(), operation);
        }
        Ok(Spec { operations })
    }
}

fn operation(path: &str, post: &Value, components: &Value) -> Result<Operation, String> {
    let (family, action, channel) =
        classify(path).ok_or_else(|| format!("{path}: a path the emulator does not know"))?;
    let schemes: Vec<&str> = post
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().map(String::as_str))
        .collect();
    let credential = match (
        schemes.contains(&"ProjectId"),
        schemes.contains(&"ProjectIdRefreshJwt"),
    ) {
        (true, false) => Credential::ProjectId,
        (true, true) => Credential::RefreshOptional,
        (false, true) => Credential::RefreshRequired,
        (false, false) => return Err(format!("{path}: no known security scheme")),
    };
    let schema = post
        .pointer("/requestBody/content/application~1json/schema")
        .ok_or_else(|| format!("{path}: no JSON request schema"))?;
    // The schema inside a document that carries the spec's components, so `$ref`s resolve as
    // in the spec (the generator validates examples the same way). OpenAPI 3.0 ≈ draft 4.
    let mut document = schema.as_object().cloned().unwrap_or_else(Map::new);
    document.insert("components".to_owned(), components.clone());
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&Value::Object(document))
        .map_err(|e| format!("{path}: the request schema does not compile: {e}"))?;
    Ok(Operation {
        family,
        action,
        channel,
        credential,
        validator,
    })
}

/// `/v1/auth/{otp|magiclink}/{action}/{channel}`, `/…/update/email`, `/…/update/phone/{m}`,
/// `/v1/auth/magiclink/verify`.
fn classify(path: &str) -> Option<(Family, Action, Option<Channel>)> {
    let rest = path.strip_prefix("/v1/auth/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    let family = match *parts.first()? {
        "otp" => Family::Otp,
        "magiclink" => Family::MagicLink,
        _ => return None,
    };
    let action = match *parts.get(1)? {
        "signup" => Action::SignUp,
        "signin" => Action::SignIn,
        "signup-in" => Action::SignUpOrIn,
        "verify" => Action::Verify,
        "update" => Action::Update,
        _ => return None,
    };
    let channel = match (action, &parts[2..]) {
        (Action::Update, ["email"]) => Some(Channel::Email),
        (Action::Update, ["phone", method]) => Some(Channel::parse(method)?),
        (Action::Update, _) => return None,
        (Action::Verify, []) if family == Family::MagicLink => None,
        (_, [method]) => Some(Channel::parse(method)?),
        _ => return None,
    };
    Some((family, action, channel))
}

impl Operation {
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

    #[test]
    fn every_spec_path_is_understood() {
        let spec = Spec::load().unwrap();
        assert_eq!(spec.operations.len(), 38);
        let update = &spec.operations["/v1/auth/otp/update/phone/im"];
        assert_eq!(
            (update.action, update.channel, update.credential),
            (
                Action::Update,
                Some(Channel::Im),
                Credential::RefreshRequired
            )
        );
        let verify = &spec.operations["/v1/auth/magiclink/verify"];
        assert_eq!((verify.family, verify.channel), (Family::MagicLink, None));
        let sign_in = &spec.operations["/v1/auth/otp/signin/voice"];
        assert_eq!(sign_in.credential, Credential::RefreshOptional);
    }

    #[test]
    fn validation_names_the_field() {
        let spec = Spec::load().unwrap();
        let verify = &spec.operations["/v1/auth/otp/verify/email"];
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
        let nested = spec.operations["/v1/auth/otp/signup/sms"]
            .validate(&json!({"loginId": "+1", "user": {"name": 3}}))
            .unwrap_err();
        assert!(
            nested.message.starts_with("/user/name: "),
            "{}",
            nested.message
        );
    }
}
