//! The rules checked on openapiv3's typed model, operation by operation: what each operation
//! must say before the generator will turn it into a client method. They also guard
//! progenitor, which panics or silently drops meaning on some inputs (see ARCHITECTURE.md).
//!
//! In: the typed model of a loaded spec, and the report. Out: every operation the rules accept,
//! as [`Operation`]s sorted by id (what the generator knows beyond progenitor), and a diagnostic
//! in the report for each problem. [`check`] walks the paths; an [`OperationChecker`] per
//! operation runs the families of rules, one file each: `operation_id`, `documentation`,
//! `group`, `parameters`, `request_body`, `responses`, `security`. `checker` holds what they share (how
//! they report, how they follow references).

mod checker;
mod documentation;
mod group;
pub(crate) mod operation_id;
mod parameters;
mod request_body;
mod responses;
mod security;

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostic::{Location, Report, Rule};
use crate::model::{Operation, type_identifier};
use crate::pointer::escape_pointer;
use checker::OperationChecker;

/// Checks the typed view of the spec and returns its operations when every rule holds.
pub(crate) fn check(spec: &OpenAPI, report: &mut Report) -> Vec<Operation> {
    let mut operations = Vec::new();
    // By builder name, the coarsest of the Rust names an id becomes: ids with one method name
    // (`VerifyOtpEmail`, `VerifyOTPEmail`) share it, and so do ids whose method names differ
    // only by an underscore before a digit (`get_1x`, `get1x` both give `Get1x`).
    let mut seen_builders: BTreeMap<String, (String, Location)> = BTreeMap::new();
    // By the id in lower case: ids that differ only in letter case and still give distinct
    // Rust names (`SignUpMagicLinkEmail`, `SIGNUPMAGICLINKEMAIL`) read as one id.
    let mut seen_lowercase: BTreeMap<String, (String, Location)> = BTreeMap::new();

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
            let builder_name = type_identifier(&method_name);
            match seen_builders.get(&builder_name) {
                Some((first_id, first)) if *first_id == operation_id => {
                    checker.fail(
                        Rule::DuplicateOperationId,
                        format!("operationId {operation_id} is already used by {first}"),
                        "give each operation its own operationId; it becomes the method name",
                    );
                    continue;
                }
                Some((first_id, first)) if first_id.to_snake_case() == method_name => {
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
                Some((_, first)) => {
                    checker.fail(
                        Rule::DuplicateOperationId,
                        format!(
                            "operationId {operation_id} becomes the builder `{builder_name}`, as \
                             {first} does"
                        ),
                        "give each operation an operationId whose words differ, not only its \
                         underscores; progenitor names the builder from the method name in \
                         UpperCamelCase",
                    );
                    continue;
                }
                None => {
                    seen_builders.insert(builder_name, (operation_id.clone(), location.clone()));
                }
            }
            match seen_lowercase.get(&operation_id.to_lowercase()) {
                // Distinct Rust names, so only the curated spec's policy: one id, one spelling.
                Some((_, first)) => checker.policy(
                    Rule::DuplicateOperationId,
                    format!(
                        "operationId {operation_id} differs from the id of {first} only in \
                         letter case"
                    ),
                    "give each operation an operationId that differs in more than letter case; \
                     ids that read alike name different methods, builders and constants",
                ),
                None => {
                    seen_lowercase.insert(
                        operation_id.to_lowercase(),
                        (operation_id.clone(), location),
                    );
                }
            }
            checker.documentation(operation);
            let group = checker.group(operation);
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
                    group,
                    parameters,
                    request_body,
                });
            }
        }
    }
    operations.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
    operations
}
