//! Step 4 of the pipeline: what the generator writes beyond progenitor.
//!
//! In: progenitor's tokens for the client, the spec's [`Model`] (operations, chosen Rust names,
//! sensitive fields, docs), and the settings. Out: the client's syntax tree, post-processed
//! ([`client`], one file per pass below), and the operation table ([`operations_file`]); or
//! diagnostics, an internal one whenever progenitor's output does not have the shape a pass
//! expects. `syntax` holds the helpers the passes share; `render` turns the trees into text.
//!
//! [`client`] edits progenitor's syntax tree where the spec implies code that progenitor does
//! not write.
//!
//! - progenitor's `Client::new` unwraps the HTTP client build (a panic) and cannot know the
//!   project id: it is removed, and `new_with_client` is narrowed to the crate, so clients are
//!   made only through the runtime's fallible builder.
//! - progenitor ignores `security`: each operation method's docs gain the credential the spec
//!   requires, next to the table that `operations_file` emits from the same data.
//! - Properties with an `x-rust-name` in the spec get that name instead of the derived one
//!   (fields, builder methods, everything spelled with it); serde keeps the wire name.
//! - Types with `x-descope-sensitive` properties get a redacting `Debug` (see `redact`).
//! - Strings the service may extend (`x-extensible-enum`) become enums of their known values
//!   with an `Unknown` variant that keeps any other (see `extensible_enums`).
//! - Items progenitor and typify leave without docs get them from the spec (see `docs`).
//! - Each operation's method takes the call's required inputs as arguments, and its builder
//!   gains a setter per optional body field (see `call_shape`); the method's docs show the call
//!   (see `method_docs`).
//! - Each builder's `send` hands its body to the runtime (see `send`); every operation of the
//!   table must be sent by exactly one builder, or generation stops.
//! - What progenitor still writes for its own runtime crate is removed, and the types become
//!   `#[non_exhaustive]` (see `standalone`).
//! - Each operation's method and builder, and the types only some groups use, are compiled only
//!   with their API groups' cargo features (see `groups`).

mod call_shape;
pub(crate) mod dispatch_file;
mod docs;
mod extensible_enums;
mod groups;
mod method_docs;
mod nested_setters;
pub(crate) mod operations_file;
mod redact;
mod rename;
pub(crate) mod request_schemas;
mod send;
mod standalone;
mod syntax;
mod user_token;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use syn::{ImplItem, Item, parse_quote};

use crate::diagnostic::Report;
use crate::model::{Model, Operation};
use crate::render;
use crate::settings::Settings;
use method_docs::{append_doc, credential_doc, doc_example, replace_ignored_example};
pub(crate) use syntax::internal;

pub(crate) fn client(
    tokens: TokenStream,
    model: &Model,
    settings: &Settings,
    report: &mut Report,
) -> Option<syn::File> {
    let mut file = render::parse(tokens, "progenitor client", report)?;

    rename::apply(&mut file, &model.rust_names, report);
    extensible_enums::apply(&mut file, &model.extensible_enums, report);
    // After the renames: the docs are keyed by the Rust names the spec chose.
    model.docs.apply(&mut file);
    redact::apply(&mut file, &model.sensitive, report);
    nested_setters::apply(&mut file);

    let by_method_name: BTreeMap<String, &Operation> = model
        .operations
        .iter()
        .map(|operation| (operation.method_name(), operation))
        .collect();
    user_token::add_builder_fields(&mut file, &by_method_name, report);
    let shapes = call_shape::apply(&mut file, &by_method_name, report);
    let mut constructors_found = false;
    let mut documented = BTreeSet::new();
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            continue;
        }
        let before = block.items.len();
        block
            .items
            .retain(|item| !matches!(item, ImplItem::Fn(f) if f.sig.ident == "new"));
        let removed_new = before != block.items.len();
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.to_string();
            if name == "new_with_client" {
                constructors_found = removed_new;
                function.vis = parse_quote!(pub(crate));
            } else if let Some(operation) = by_method_name.get(&name) {
                let Some(shape) = shapes.get(&name) else {
                    continue;
                };
                let example = doc_example(operation, shape, &settings.crate_name);
                replace_ignored_example(&mut function.attrs, &example);
                append_doc(&mut function.attrs, &credential_doc(operation.credential));
                documented.insert(name);
            }
        }
    }
    if !constructors_found {
        internal(
            report,
            "progenitor's `Client::new` / `new_with_client` pair was not found".into(),
        );
    }

    let expected: BTreeSet<String> = by_method_name.keys().cloned().collect();
    if documented != expected {
        internal(
            report,
            format!(
                "generated methods {documented:?} differ from the spec's operations {expected:?}"
            ),
        );
    }
    let rewritten = send::rewrite(&mut file, &by_method_name, report);
    call_shape::awaitable(&mut file);
    standalone::apply(&mut file, report);
    groups::apply(&mut file, &model.operations);
    if rewritten != expected {
        internal(
            report,
            format!(
                "progenitor's builders send operations {rewritten:?}, but the operation table has \
                 {expected:?}"
            ),
        );
    }
    report.is_clean().then_some(file)
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}
