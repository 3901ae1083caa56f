//! The `group` rule: each operation belongs to one API group, named by its one tag. The group
//! is the client crate's cargo feature that compiles the operation's method, builder and types,
//! so the tag must be declared (with a description, which the crate's docs show) and spelled as
//! a feature name. Policy: specs without groups (repair mode, relaxed fixtures) compile whole.

use openapiv3::Operation as SpecOperation;

use super::checker::OperationChecker;
use crate::diagnostic::Rule;

impl OperationChecker<'_> {
    pub(super) fn group(&mut self, operation: &SpecOperation) -> Option<String> {
        let [tag] = operation.tags.as_slice() else {
            self.fail(
                Rule::Group,
                format!(
                    "the operation has {} tags; its one tag names its API group",
                    operation.tags.len()
                ),
                "give the operation exactly one tag, such as `otp`; the client crate compiles the \
                 group's operations with the cargo feature of that name",
            );
            return None;
        };
        if !is_feature_name(tag) {
            self.fail(
                Rule::Group,
                format!("tag `{tag}` cannot name a cargo feature"),
                "spell groups with lower-case ASCII letters, digits and `-`, starting with a letter",
            );
            return None;
        }
        let declared = self.spec.tags.iter().find(|declared| declared.name == *tag);
        if declared.is_none_or(|declared| {
            declared
                .description
                .as_deref()
                .is_none_or(|text| text.trim().is_empty())
        }) {
            self.fail(
                Rule::Group,
                format!("tag `{tag}` is not declared with a description under `tags`"),
                "declare the group under the top-level `tags` with a description; the crate's \
                 docs list each group with it",
            );
            return None;
        }
        Some(tag.clone())
    }
}

/// Lower-case ASCII letters, digits and `-`, starting with a letter: a feature name that reads
/// the same in `Cargo.toml` and `#[cfg(feature = "…")]`.
fn is_feature_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
