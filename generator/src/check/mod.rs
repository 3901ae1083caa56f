//! The curation rules: what a spec must say before the generator will turn it into a client,
//! and the [`Model`] of the spec they build.
//!
//! In: a loaded [`Spec`] (the raw tree and openapiv3's typed model) and the policy. Out: the
//! [`Model`] when every rule holds, else a diagnostic for every problem, all reported at once.
//! [`model`] runs the checks in order (misspelled keys first: a dropped key often explains the
//! problems reported after it).
//!
//! One file per family of rules. On the raw tree: `keys` (keys openapiv3 would drop, with
//! `schema_keywords` and `suggest`), `references` (`$ref`s that lead nowhere, loop, or point at
//! the wrong kind), `open_schemas`, `docs` (descriptions), `examples` (each example against its
//! schema), `rust_names` (`x-rust-name` and names that would collide) and `sensitive`
//! (`x-descope-sensitive`) and `extensible_enums` (`x-extensible-enum`). On the typed model:
//! `operations`, one file per family (operation ids, documentation, parameters, request body,
//! responses, security). Together they also guard progenitor, which panics or silently drops
//! meaning on some inputs (see ARCHITECTURE.md). Last, on both: `runtime_needs`, what the
//! hand-written runtime above the generated code calls and reads.

pub(crate) mod docs;
pub(crate) mod examples;
pub(crate) mod extensible_enums;
pub(crate) mod keys;
pub(crate) mod open_schemas;
pub(crate) mod operations;
pub(crate) mod references;
pub(crate) mod runtime_needs;
pub(crate) mod rust_names;
mod schema_keywords;
mod sensitive;
mod suggest;

use crate::Spec;
use crate::diagnostic::Diagnostics;
use crate::model::{Model, SpecDocs};
use crate::settings::Policy;

/// Runs the curation rules `policy` asks for and builds the spec's [`Model`] when they hold.
pub(crate) fn model(spec: &Spec, policy: Policy) -> Result<Model, Diagnostics> {
    let mut report = policy.report(&spec.file);
    keys::check_keys(&spec.raw, &mut report);
    let references_dangle = references::check_references(&spec.raw, &mut report);
    open_schemas::check_open_schemas(&spec.raw, &mut report);
    docs::check(&spec.raw, &mut report);
    let operations = operations::check(&spec.typed, &mut report);
    examples::check(&spec.raw, references_dangle, &mut report);
    let rust_names = rust_names::rust_names(&spec.raw, &mut report);
    let sensitive = sensitive::sensitive_fields(&spec.raw, &rust_names, &mut report);
    let extensible_enums = extensible_enums::extensible_enums(&spec.raw, &mut report);
    runtime_needs::check(&spec.raw, &operations, &rust_names, &mut report);
    report.into_result()?;
    let docs = SpecDocs::read(&spec.raw, &rust_names, &operations);
    Ok(Model {
        operations,
        rust_names,
        sensitive,
        extensible_enums,
        docs,
    })
}
