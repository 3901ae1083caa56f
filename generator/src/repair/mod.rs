//! Mechanical repairs that let a foreign spec (Descope's published one) reach progenitor.
//!
//! Each repair changes the raw tree in one place and is reported as a [`Repair`] naming that
//! place, so a user sees exactly how the client differs from the text they gave. Only what
//! progenitor or openapiv3 cannot accept is repaired; curated-slice policy (examples,
//! documentation, error responses, bearer formats) is relaxed by the rules instead, not
//! papered over here.
//!
//! In: the raw tree of a foreign spec. Out: the repaired tree and one [`Repair`] per change, in
//! path order; `lib.rs` (`generate_foreign`) then loads it, checks it with the foreign report and
//! generates progenitor's plain client. The repairs, by family: `schemas` (names that are not
//! identifiers, `$ref`s that lead nowhere, mistyped `default`s, properties whose Rust names
//! clash) and `operations` (OPTIONS and TRACE operations, path items without operations, missing,
//! duplicate or unusable
//! operationIds, unknown operation fields, parameters whose Rust names clash, missing
//! responses). `change` is the record of one change, `names` the names made from method and
//! path.

mod change;
mod names;
mod operations;
mod schemas;
#[cfg(test)]
mod tests;

pub use change::Repair;
pub use names::name_from_method_and_path;

use serde_json::Value;

use operations::{drop_empty_paths, drop_unsendable_methods, repair_operations};
use schemas::{
    drop_clashing_properties, drop_mistyped_defaults, rename_schemas, untype_dangling_schemas,
};

/// Repairs `raw` where progenitor would refuse it, panic, or write code that does not compile,
/// returning the repaired tree and one [`Repair`] per change, in path order (the raw tree
/// keeps mappings sorted by key). A tree that is
/// not an OpenAPI-shaped mapping is returned unchanged: the loader reports what is wrong with it.
pub fn repair(mut raw: Value) -> (Value, Vec<Repair>) {
    let mut repairs = Vec::new();
    rename_schemas(&mut raw, &mut repairs);
    drop_unsendable_methods(&mut raw, &mut repairs);
    drop_empty_paths(&mut raw, &mut repairs);
    repair_operations(&mut raw, &mut repairs);
    untype_dangling_schemas(&mut raw, &mut repairs);
    drop_mistyped_defaults(&mut raw, &mut repairs);
    drop_clashing_properties(&mut raw, &mut repairs);
    (raw, repairs)
}
