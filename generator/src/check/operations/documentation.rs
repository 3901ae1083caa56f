//! The `documentation` rule's part for operations: a summary, a description and an
//! externalDocs link (the part for schemas is in `check::docs`).

use openapiv3::Operation as SpecOperation;

use super::checker::OperationChecker;
use crate::diagnostic::Rule;

impl OperationChecker<'_> {
    pub(super) fn documentation(&mut self, operation: &SpecOperation) {
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
}
