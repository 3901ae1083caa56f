//! What a caller of the pipeline chooses: the crate the generated code lives in ([`Settings`])
//! and how much curation the spec must pass ([`Policy`]), which picks the report the checks
//! write into.

use crate::diagnostic;

/// Choices that differ between the crates the generator writes.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The hand-written type progenitor stores in `Client::inner`; the runtime reads the project
    /// id, credentials and call settings from it.
    pub inner_type: String,
    /// The client crate's name as written in Rust paths; doc examples use it.
    pub crate_name: String,
    /// Which curation rules must hold.
    pub policy: Policy,
}

/// How much of the curation the spec must pass before the curated client is generated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    /// Every rule: the project's own spec (documented, with examples, every schema closed).
    #[default]
    Curated,
    /// Only the rules that guard the generated code: curated-slice policy
    /// ([`Rule::is_policy`](crate::Rule::is_policy) and the policy halves of mixed rules) is
    /// dropped. For small specs that exercise the generator, such as the `cargo xtask diff`
    /// fixtures that cargo-semver-checks judges.
    Relaxed,
}

impl Policy {
    pub(crate) fn report(self, file: &str) -> diagnostic::Report {
        match self {
            Policy::Curated => diagnostic::Report::new(file),
            Policy::Relaxed => diagnostic::Report::relaxed(file),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            inner_type: "crate::ClientState".to_owned(),
            crate_name: "descope_client".to_owned(),
            policy: Policy::Curated,
        }
    }
}
