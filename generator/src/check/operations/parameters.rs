//! The `parameters` rule: what the client can send (no cookies, no headers it sets itself),
//! path parameters that match the path template and are required, and Rust names that stay
//! apart; returns the parameters the client sends.

use std::collections::BTreeSet;

use openapiv3::{Operation as SpecOperation, ParameterData, ReferenceOr};

use super::checker::OperationChecker;
use crate::diagnostic::Rule;
use crate::model::{Parameter, ParameterLocation};

impl<'a> OperationChecker<'a> {
    /// Checks the parameters (the operation's, then its path item's that it does not override)
    /// and returns those the client sends.
    pub(super) fn parameters(
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
}

/// Headers the client sets itself; OpenAPI says parameters of these names are ignored.
const CLIENT_HEADERS: &[&str] = &["Authorization", "Content-Type", "Accept"];

/// The names in a path template's `{braces}`.
fn path_template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}
