//! The `operation-id` rule: every operation has an operationId, PascalCase ASCII in the curated
//! spec, and the method it becomes is neither a Rust keyword nor one of the client's own methods
//! ([`CLIENT_METHODS`], which repair mode avoids too). Duplicates are found in `check`, across
//! operations.

use heck::ToSnakeCase;
use openapiv3::Operation as SpecOperation;

use super::checker::OperationChecker;
use crate::diagnostic::Rule;

impl OperationChecker<'_> {
    pub(super) fn operation_id(&mut self, operation: &SpecOperation) -> Option<String> {
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
