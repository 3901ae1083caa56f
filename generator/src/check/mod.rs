//! The curation rules: what a spec must say before the generator will turn it into a client.
//!
//! In: a loaded [`Spec`](crate::Spec) (the raw tree and openapiv3's typed model) and the
//! [`Report`](crate::diagnostic::Report) the policy chose. Out: a diagnostic in the report for
//! every problem, all reported at once, and, from [`operations::check`], the spec's operations
//! as the later stages need them. `lib.rs` runs the checks in order (misspelled keys first: a
//! dropped key often explains the problems reported after it).
//!
//! One file per family of rules. On the raw tree: `keys` (keys openapiv3 would drop, with
//! `schema_keywords` and `suggest`), `references` (`$ref`s that lead nowhere, loop, or point at
//! the wrong kind), `open_schemas`, `docs` (descriptions), `examples` (each example against its
//! schema) and `rust_names` (`x-rust-name` and names that would collide). On the typed model:
//! `operations`, one file per family (operation ids, documentation, parameters, request body,
//! responses, security). Together they also guard progenitor, which panics or silently drops
//! meaning on some inputs (see ARCHITECTURE.md).

pub(crate) mod docs;
pub(crate) mod examples;
pub(crate) mod keys;
pub(crate) mod open_schemas;
pub(crate) mod operations;
pub(crate) mod references;
pub(crate) mod rust_names;
mod schema_keywords;
mod suggest;
