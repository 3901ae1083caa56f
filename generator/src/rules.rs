//! The curation rules: what a spec must say before the generator will turn it into a client.
//!
//! Checks run over the whole document and report every problem at once. They also guard
//! progenitor, which panics or silently drops meaning on some inputs (see ARCHITECTURE.md).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use indexmap::IndexMap;
use openapiv3::{
    Components, MediaType, OpenAPI, Operation as SpecOperation, ParameterData, ReferenceOr,
    RequestBody, Response, SecurityScheme, StatusCode,
};

use crate::diagnostic::{Location, Report, Rule};
use crate::model::{BearerFormat, Credential, JsonBody, Operation, Parameter, ParameterLocation};

const JSON: &str = "application/json";

/// Checks the typed view of the spec and returns its operations when every rule holds.
pub(crate) fn check(spec: &OpenAPI, report: &mut Report) -> Vec<Operation> {
    let mut operations = Vec::new();
    // By method name: two ids that differ only in case (`VerifyOtpEmail`, `VerifyOTPEmail`)
    // become the same method, which is as much a clash as the same id twice.
    let mut seen_methods: BTreeMap<String, (String, Location)> = BTreeMap::new();

    for (path, item) in spec.paths.paths.iter() {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                report.push(
                    Location::Pointer(format!("/paths/{}", escape_pointer(path))),
                    Rule::PathItemRef,
                    format!("path {path} is a `$ref` to {reference}; progenitor cannot follow path item references"),
                    "write the path item inline under `paths`",
                );
                continue;
            }
        };
        for (method, operation) in item.iter() {
            let location = Location::operation(method, path, operation.operation_id.as_deref());
            let mut checker = OperationChecker {
                spec,
                components: &spec.components,
                report,
                location: location.clone(),
            };
            let Some(operation_id) = checker.operation_id(operation) else {
                continue;
            };
            let method_name = operation_id.to_snake_case();
            match seen_methods.get(&method_name) {
                Some((first_id, first)) if *first_id == operation_id => {
                    checker.fail(
                        Rule::DuplicateOperationId,
                        format!("operationId {operation_id} is already used by {first}"),
                        "give each operation its own operationId; it becomes the method name",
                    );
                    continue;
                }
                Some((_, first)) => {
                    checker.fail(
                        Rule::DuplicateOperationId,
                        format!(
                            "operationId {operation_id} becomes the method `{method_name}`, as \
                             {first} does"
                        ),
                        "give each operation an operationId that differs in more than letter \
                         case; the snake_case of the id is the method name",
                    );
                    continue;
                }
                None => {
                    seen_methods.insert(method_name, (operation_id.clone(), location));
                }
            }
            checker.documentation(operation);
            let parameters = checker.parameters(operation, path, &item.parameters);
            let request_body = checker.request_body(method, operation);
            checker.responses(operation);
            let credential = checker.security(operation);
            if let Some(credential) = credential {
                operations.push(Operation {
                    operation_id,
                    http_method: method.to_uppercase(),
                    path: path.clone(),
                    credential,
                    parameters,
                    request_body,
                });
            }
        }
    }
    operations.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
    operations
}

struct OperationChecker<'a> {
    // Everything borrowed from the one spec, so resolved items share its lifetime.
    spec: &'a OpenAPI,
    components: &'a Option<Components>,
    report: &'a mut Report,
    location: Location,
}

impl<'a> OperationChecker<'a> {
    fn fail(&mut self, rule: Rule, message: impl Into<String>, help: impl Into<String>) {
        self.report.push(self.location.clone(), rule, message, help);
    }

    /// A shape only the curated runtime cannot serve; repair mode drops it (`push_runtime`).
    fn runtime(&mut self, rule: Rule, message: impl Into<String>, help: impl Into<String>) {
        self.report
            .push_runtime(self.location.clone(), rule, message, help);
    }

    /// A problem for progenitor too (`fail`) when `breaks_progenitor`, else only for the curated
    /// runtime (`runtime`).
    fn report_either(
        &mut self,
        breaks_progenitor: bool,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if breaks_progenitor {
            self.fail(rule, message, help);
        } else {
            self.runtime(rule, message, help);
        }
    }

    /// A problem of curated-slice policy only; repair mode drops it (see `Rule::is_policy`).
    fn policy(&mut self, rule: Rule, message: impl Into<String>, help: impl Into<String>) {
        self.report
            .push_policy(self.location.clone(), rule, message, help);
    }

    fn operation_id(&mut self, operation: &SpecOperation) -> Option<String> {
        let Some(id) = operation.operation_id.as_deref() else {
            self.fail(
                Rule::OperationId,
                "the operation has no operationId",
                "add a PascalCase operationId such as `SignUpOtpEmail`; it becomes the method name",
            );
            return None;
        };
        let pascal = id.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && id.chars().all(|c| c.is_ascii_alphanumeric());
        if !pascal {
            // progenitor snake-cases any id; PascalCase keeps the curated spec's ids uniform.
            self.policy(
                Rule::OperationId,
                format!("operationId `{id}` is not PascalCase ASCII"),
                "use letters and digits only, starting with a capital, such as `SignUpOtpEmail`",
            );
            if !self.report.is_relaxed() {
                return None;
            }
        }
        let method = id.to_snake_case();
        if syn::parse_str::<syn::Ident>(&method).is_err() {
            // progenitor would name the method `move_`, while the credential table and the ids
            // it reports to hooks say `move`: generation would stop with an internal error.
            self.fail(
                Rule::OperationId,
                format!("operationId `{id}` becomes the method `{method}`, a Rust keyword"),
                "choose an operationId that says what the call does, such as `SignUpOtpEmail`",
            );
            return None;
        }
        if CLIENT_METHODS.contains(&method.as_str()) {
            self.fail(
                Rule::OperationId,
                format!(
                    "operationId `{id}` becomes the method `{method}`, which the client already \
                     has"
                ),
                format!(
                    "choose another operationId; the client's own methods are {}",
                    CLIENT_METHODS.join(", ")
                ),
            );
            return None;
        }
        Some(id.to_owned())
    }

    fn documentation(&mut self, operation: &SpecOperation) {
        let blank = |text: &Option<String>| text.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&operation.summary) || blank(&operation.description) {
            self.fail(
                Rule::Documentation,
                "the operation lacks a summary or a description",
                "state in the description what a caller must know: what it sends, when it fails, \
                 what the response means",
            );
        }
        if operation.external_docs.is_none() {
            self.fail(
                Rule::Documentation,
                "the operation has no externalDocs link",
                "link the Descope docs page of the endpoint under `externalDocs.url`",
            );
        }
    }

    /// Checks the parameters (the operation's, then its path item's that it does not override)
    /// and returns those the client sends.
    fn parameters(
        &mut self,
        operation: &'a SpecOperation,
        path: &str,
        shared: &'a [ReferenceOr<openapiv3::Parameter>],
    ) -> Vec<Parameter> {
        let mut declared_in_path = BTreeSet::new();
        let mut parameters: Vec<Parameter> = Vec::new();
        for parameter in operation.parameters.iter().chain(shared) {
            let Some(parameter) = self.resolve(parameter) else {
                continue;
            };
            let (data, location) = match parameter {
                openapiv3::Parameter::Cookie { parameter_data, .. } => {
                    let ParameterData { name, .. } = parameter_data;
                    self.fail(
                        Rule::Parameters,
                        format!("cookie parameter `{name}` cannot be sent by the generated client"),
                        "send the value in the JSON body or a header instead",
                    );
                    continue;
                }
                openapiv3::Parameter::Header { parameter_data, .. }
                    if CLIENT_HEADERS
                        .iter()
                        .any(|h| h.eq_ignore_ascii_case(&parameter_data.name)) =>
                {
                    // OpenAPI says such a parameter "SHALL be ignored"; progenitor sends it
                    // anyway, beside the one the client sets, so the request carries two.
                    // Our runtime sets them; a plain progenitor client does not.
                    self.policy(
                        Rule::Parameters,
                        format!(
                            "header parameter `{}` is one the client sets itself",
                            parameter_data.name
                        ),
                        "remove it: the bearer comes from `security`, and the client sets \
                         `Content-Type` and `Accept` for JSON",
                    );
                    continue;
                }
                openapiv3::Parameter::Header { parameter_data, .. } => {
                    (parameter_data, ParameterLocation::Header)
                }
                openapiv3::Parameter::Query { parameter_data, .. } => {
                    (parameter_data, ParameterLocation::Query)
                }
                openapiv3::Parameter::Path { parameter_data, .. } => {
                    declared_in_path.insert(parameter_data.name.as_str());
                    if !path.contains(&format!("{{{}}}", parameter_data.name)) {
                        self.fail(
                            Rule::Parameters,
                            format!(
                                "path parameter `{}` does not appear in the path",
                                parameter_data.name
                            ),
                            format!(
                                "write `{{{}}}` where it goes in the path, or remove the \
                                 parameter",
                                parameter_data.name
                            ),
                        );
                    }
                    // progenitor asserts this (a panic); OpenAPI requires it.
                    if !parameter_data.required {
                        self.fail(
                            Rule::Parameters,
                            format!(
                                "path parameter `{}` is not required; a path cannot leave a \
                                 segment out",
                                parameter_data.name
                            ),
                            "add `required: true` to the parameter",
                        );
                    }
                    (parameter_data, ParameterLocation::Path)
                }
            };
            // An operation's parameter overrides its path item's of the same name and place.
            if parameters
                .iter()
                .any(|p| p.name == data.name && p.location == location)
            {
                continue;
            }
            if data.example.is_none() && data.examples.is_empty() {
                self.policy(
                    Rule::Examples,
                    format!("parameter `{}` has no example", data.name),
                    "add an `example` to the parameter; it documents the value and the request \
                     goldens send it",
                );
            }
            let rust_name = crate::model::rust_identifier(&data.name);
            if let Some(other) = parameters.iter().find(|p| p.rust_name() == rust_name) {
                self.fail(
                    Rule::Parameters,
                    format!(
                        "parameters `{}` and `{}` both become the builder method `{rust_name}`",
                        other.name, data.name
                    ),
                    "rename one of them so their snake_case names differ",
                );
                continue;
            }
            if rust_name == "body" {
                // progenitor names the request body's field `body` too: two fields of one name.
                self.fail(
                    Rule::Parameters,
                    format!(
                        "parameter `{}` becomes the builder field `body`, which the builder uses \
                         for the request body",
                        data.name
                    ),
                    "rename the parameter",
                );
                continue;
            }
            parameters.push(Parameter {
                name: data.name.clone(),
                location,
                required: data.required,
            });
        }
        // progenitor panics on a `{name}` in the path that no parameter declares.
        for name in path_template_names(path) {
            if !declared_in_path.contains(name) {
                self.fail(
                    Rule::Parameters,
                    format!("the path has `{{{name}}}`, but no parameter `{name}` is declared"),
                    format!(
                        "declare it under `parameters` with `name: {name}`, `in: path`, \
                         `required: true` and a schema"
                    ),
                );
            }
        }
        parameters
    }

    /// Checks the request body and returns what the client needs to know of it.
    fn request_body(&mut self, method: &str, operation: &'a SpecOperation) -> Option<JsonBody> {
        let body = operation.request_body.as_ref()?;
        let body: &RequestBody = self.resolve(body)?;
        if matches!(method, "get" | "head") {
            self.policy(
                Rule::RequestBody,
                format!(
                    "a {} request has a body, which HTTP gives no meaning and servers may drop",
                    method.to_uppercase()
                ),
                "send the data with POST, as the auth API does, or as query parameters",
            );
        }
        let others: Vec<String> = body
            .content
            .keys()
            .filter(|k| k.as_str() != JSON)
            .map(|k| format!("`{k}`"))
            .collect();
        if !others.is_empty() {
            let only = if body.content.contains_key(JSON) {
                ""
            } else {
                " only"
            };
            self.runtime(
                Rule::RequestBody,
                format!(
                    "the request body is offered as {}{only}; the client sends application/json",
                    others.join(", ")
                ),
                "describe the body as `application/json` only (multipart and forms are not used by \
                 the auth API)",
            );
            if !only.is_empty() {
                // The missing JSON schema is the same mistake; report it once.
                return None;
            }
        }
        match body.content.get(JSON) {
            Some(media) if media.schema.is_some() => {
                self.example_present(media, "request body");
                if !body.required {
                    self.optional_body_needs_nothing(media);
                }
                let example = media.example.clone().or_else(|| {
                    let first = media.examples.values().next()?;
                    self.resolve(first)?.value.clone()
                });
                Some(JsonBody {
                    required: body.required,
                    arguments: self.required_properties(media),
                    example,
                })
            }
            _ => {
                self.fail(
                    Rule::RequestBody,
                    "the request body has no application/json schema",
                    "add `content: application/json: schema: $ref: ...`",
                );
                None
            }
        }
    }

    /// The properties an object body schema requires and declares, in the order of `required`:
    /// the arguments of the call (see `call_shape`).
    fn required_properties(&self, media: &'a MediaType) -> Vec<String> {
        let schema = match &media.schema {
            Some(ReferenceOr::Reference { reference }) => reference
                .strip_prefix("#/components/schemas/")
                .and_then(|name| self.components.as_ref()?.schemas.get(name)),
            other => other.as_ref(),
        };
        let Some(ReferenceOr::Item(schema)) = schema else {
            return Vec::new();
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind
        else {
            return Vec::new();
        };
        object
            .required
            .iter()
            .filter(|name| object.properties.contains_key(*name))
            .cloned()
            .collect()
    }

    /// progenitor sends an optional body anyway: the builder's default when the caller sets
    /// nothing. That default is `{}`, so the schema must accept an object without properties.
    fn optional_body_needs_nothing(&mut self, media: &'a MediaType) {
        let schema = match &media.schema {
            Some(ReferenceOr::Reference { reference }) => reference
                .strip_prefix("#/components/schemas/")
                .and_then(|name| self.components.as_ref()?.schemas.get(name)),
            other => other.as_ref(),
        };
        let Some(ReferenceOr::Item(schema)) = schema else {
            return;
        };
        if let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind
            && !object.required.is_empty()
        {
            self.runtime(
                Rule::RequestBody,
                format!(
                    "the request body is optional, but its schema requires {}; a caller who sets \
                     no body would send `{{}}` and be refused",
                    object
                        .required
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "make the body `required: true`, or its properties optional",
            );
        }
    }

    fn responses(&mut self, operation: &'a SpecOperation) {
        let responses = &operation.responses;
        if responses.default.is_some() {
            self.runtime(
                Rule::Responses,
                "the operation declares a `default` response",
                "list the error statuses (400, 401, 403, 404, 429, 5XX) with the shared error \
                 schema instead; the client tells errors by their status",
            );
        }
        let mut successes = Vec::new();
        let mut error_schemas: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut unresolved = false;
        for (status, response) in &responses.responses {
            let label = status.to_string();
            let Some(response): Option<&Response> = self.resolve(response) else {
                unresolved = true;
                continue;
            };
            let is_success = match status {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            };
            let media = response.content.get(JSON);
            if let Some(media) = media {
                self.example_present(media, &format!("response {label}"));
            }
            let schema = media
                .and_then(|m| m.schema.as_ref())
                .map(|schema| match schema {
                    ReferenceOr::Reference { reference } => reference.clone(),
                    ReferenceOr::Item(_) => format!("an inline schema (response {label})"),
                });
            if is_success {
                successes.push((label, schema));
            } else {
                error_schemas
                    .entry(schema.unwrap_or_else(|| "no body".to_owned()))
                    .or_default()
                    .push(label.clone());
                if matches!(status, StatusCode::Code(429)) && !has_retry_after(response) {
                    self.fail(
                        Rule::RetryAfter,
                        "the 429 response does not declare the Retry-After header",
                        "add `headers: Retry-After: schema: {type: integer}` to the 429 response",
                    );
                }
            }
        }
        if unresolved {
            // The reference check named the response that leads nowhere; what is missing
            // from the rest follows from it.
            return;
        }
        match successes.as_slice() {
            [(_, Some(_))] => {}
            [] => self.runtime(
                Rule::Responses,
                "the operation has no success (2xx) response",
                "declare the 200 response and its JSON schema",
            ),
            // progenitor gives a body-less success `ResponseValue<ByteStream>`; the curated
            // client decodes every success as JSON.
            [(label, None)] => self.policy(
                Rule::Responses,
                format!("the success response {label} has no application/json schema"),
                "describe the success body; use an empty object schema when the service returns `{}`",
            ),
            // progenitor asserts that the successes share one body type, and panics otherwise;
            // several successes of one type (or none) it takes, the curated client does not.
            many => self.report_either(
                many.iter()
                    .filter_map(|(_, schema)| schema.as_ref())
                    .collect::<BTreeSet<_>>()
                    .len()
                    > 1,
                Rule::Responses,
                format!(
                    "the operation has {} success responses ({}); the client needs exactly one body type",
                    many.len(),
                    many.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>().join(", ")
                ),
                "keep one 2xx response",
            ),
        }
        if error_schemas.is_empty() && responses.default.is_none() {
            self.policy(
                Rule::Responses,
                "the operation declares no error responses",
                "add 400, 401, 403, 404, 429 and 5XX with the shared error schema",
            );
        } else if error_schemas.len() > 1 {
            let shapes: Vec<String> = error_schemas
                .iter()
                .map(|(schema, statuses)| format!("{} -> {schema}", statuses.join("/")))
                .collect();
            // progenitor asserts that an operation has one error type, and panics otherwise.
            self.fail(
                Rule::Responses,
                format!(
                    "error responses use different bodies: {}",
                    shapes.join("; ")
                ),
                "give every error status the same `$ref` to the shared error schema",
            );
        }
    }

    fn security(&mut self, operation: &SpecOperation) -> Option<Credential> {
        let Some(requirements) = operation.security.as_ref().or(self.spec.security.as_ref()) else {
            self.fail(
                Rule::Security,
                "the operation declares no security requirement",
                "add `security: [{ProjectId: []}]`, the refresh-JWT scheme for calls on a \
                 signed-in user, or `security: []` for a call that sends no credential",
            );
            return None;
        };
        // `security: []` says, explicitly, that the call is not authenticated.
        if requirements.is_empty() {
            return Some(Credential::None);
        }
        let schemes = self.components.as_ref().map(|c| &c.security_schemes);
        let mut formats = Vec::new();
        for requirement in requirements {
            if requirement.len() != 1 {
                let (message, help) = if requirement.is_empty() {
                    (
                        "an empty security requirement `{}` makes the credential optional"
                            .to_owned(),
                        "list the accepted bearers, or write `security: []` for a call that \
                         sends none",
                    )
                } else {
                    (
                        format!(
                            "a security requirement combines {} schemes; the service takes one \
                             bearer",
                            requirement.len()
                        ),
                        "list each accepted bearer as its own alternative",
                    )
                };
                self.fail(Rule::Security, message, help);
                return None;
            }
            let name = requirement.keys().next().expect("length checked above");
            let scheme = schemes.and_then(|s| s.get(name));
            let format = match scheme {
                Some(ReferenceOr::Item(SecurityScheme::HTTP {
                    scheme,
                    bearer_format,
                    ..
                })) if scheme.eq_ignore_ascii_case("bearer") => {
                    bearer_format.as_deref().and_then(BearerFormat::parse)
                }
                None => {
                    self.fail(
                        Rule::Security,
                        format!("security scheme `{name}` is not defined"),
                        "define it under components.securitySchemes",
                    );
                    return None;
                }
                Some(ReferenceOr::Reference { reference }) => {
                    self.fail(
                        Rule::Security,
                        format!("security scheme `{name}` is a `$ref` to {reference}"),
                        "write the scheme inline under components.securitySchemes",
                    );
                    return None;
                }
                _ => None,
            };
            match format {
                Some(format) => formats.push(format),
                None => {
                    self.fail(
                        Rule::Security,
                        format!(
                            "security scheme `{name}` is not an http bearer scheme with one of \
                             the bearer formats {}",
                            quoted(&BearerFormat::ALL)
                        ),
                        "declare it as `type: http`, `scheme: bearer` with one of those bearer \
                         formats; the generated client can build only those bearers",
                    );
                    return None;
                }
            }
        }
        let credential = BearerFormat::credential(&formats);
        if credential.is_none() {
            self.fail(
                Rule::Security,
                "the operation accepts a combination of bearers the client cannot choose \
                 between",
                "accept one bearer, or `<ProjectId>` together with `<ProjectId>:<RefreshJWT>` \
                 (sent when the client holds a refresh JWT)",
            );
        }
        credential
    }

    fn example_present(&mut self, media: &MediaType, what: &str) {
        if media.example.is_none() && media.examples.is_empty() {
            self.fail(
                Rule::Examples,
                format!("the {what} has no example"),
                "add an `example` under the media type; it documents the shape and is checked \
                 against the schema",
            );
        }
    }

    /// Follows a local `#/components/<kind>/<name>` reference. A dangling one was already
    /// reported by the reference check, so it is skipped here.
    fn resolve<T: Lookup>(&self, item: &'a ReferenceOr<T>) -> Option<&'a T> {
        let mut current = item;
        // A component may itself be a reference; a chain longer than this is a cycle.
        for _ in 0..8 {
            match current {
                ReferenceOr::Item(item) => return Some(item),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(T::PREFIX)?;
                    current = T::table(self.components.as_ref()?).get(name)?;
                }
            }
        }
        None
    }
}

/// Methods the client has besides the operations: progenitor's (`new`, `new_with_client`, and
/// `baseurl`, `client`, `api_version`, `inner` of `ClientInfo`, which the generated builders call
/// and a same-named inherent method would shadow), the hooks its builders call (`pre`, `exec`,
/// `post`), and the runtime's in `generated-client/src/config.rs` and `session/mod.rs` (private
/// ones included: an inherent method of the same name would clash).
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
    "pre",
    "exec",
    "post",
    "builder",
    "with_refresh_jwt",
    "with_session_jwt",
    "project_id",
    "base_url",
    "execute",
    "exchange",
    "validate_session",
    "refresh_session",
    "validate_and_refresh_session",
    "validate_token",
    "keys_for",
    "fetch_keys",
];

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Headers the client sets itself; OpenAPI says parameters of these names are ignored.
const CLIENT_HEADERS: &[&str] = &["Authorization", "Content-Type", "Accept"];

/// The names in a path template's `{braces}`.
fn path_template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

fn has_retry_after(response: &Response) -> bool {
    response
        .headers
        .keys()
        .any(|name| name.eq_ignore_ascii_case("retry-after"))
}

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

/// Component kinds that operations refer to.
trait Lookup: Sized {
    const PREFIX: &'static str;
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Lookup for openapiv3::Parameter {
    const PREFIX: &'static str = "#/components/parameters/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Lookup for RequestBody {
    const PREFIX: &'static str = "#/components/requestBodies/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl Lookup for Response {
    const PREFIX: &'static str = "#/components/responses/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

impl Lookup for openapiv3::Example {
    const PREFIX: &'static str = "#/components/examples/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.examples
    }
}
