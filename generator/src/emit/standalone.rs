//! Cuts the curated client loose from progenitor's runtime crate, and makes its types safe to
//! grow.
//!
//! After the `send` rewrite, nothing in the client calls into `progenitor_client`: requests go
//! through the hand-written runtime. What progenitor still writes for it (the re-exports and
//! imports of its error, hooks and helpers, the `ClientInfo` impl, the API version in the
//! `Client` docs) is removed, so applications do not depend on progenitor's runtime at all, and
//! a check makes sure no mention is left.
//!
//! Every struct and enum of `types` becomes `#[non_exhaustive]`: a field the spec adds later
//! (an optional request field, any response field) or a variant is then a compatible change for
//! callers, who build values through the builders or `Default` and cannot write the type out in
//! full. Without it, adding a field breaks every struct literal, and `cargo xtask diff` would call
//! compatible what semver calls major.

use syn::visit::Visit;
use syn::{Item, parse_quote};

use super::syntax::{internal, rewrite_docs};
use crate::diagnostic::Report;

const RUNTIME_CRATE: &str = "progenitor_client";

pub(crate) fn apply(file: &mut syn::File, report: &mut Report) {
    file.items
        .retain(|item| !mentions_runtime(item) && !is_client_info(item));
    for item in &mut file.items {
        match item {
            Item::Mod(module) if module.ident == "builder" => {
                if let Some((_, items)) = &mut module.content {
                    items.retain(|item| !mentions_runtime(item) && !is_runtime_import(item));
                }
            }
            Item::Mod(module) if module.ident == "types" => {
                if let Some((_, items)) = &mut module.content {
                    mark_non_exhaustive(items);
                }
            }
            Item::Struct(client) if client.ident == "Client" => drop_version(&mut client.attrs),
            _ => {}
        }
    }
    let mut left = Mentions::default();
    left.visit_file(file);
    if left.0 > 0 {
        internal(
            report,
            format!(
                "{} mention(s) of `{RUNTIME_CRATE}` are left in the client after removing \
                 progenitor's runtime imports",
                left.0
            ),
        );
    }
}

/// `#[non_exhaustive]` on every struct and enum, nested modules (the type builders) included.
fn mark_non_exhaustive(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Struct(structure) => structure.attrs.push(parse_quote!(#[non_exhaustive])),
            Item::Enum(enumeration) => enumeration.attrs.push(parse_quote!(#[non_exhaustive])),
            Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    mark_non_exhaustive(items);
                }
            }
            _ => {}
        }
    }
}

/// A `use` of progenitor's runtime crate.
fn mentions_runtime(item: &Item) -> bool {
    let Item::Use(using) = item else {
        return false;
    };
    matches!(&using.tree, syn::UseTree::Path(path) if path.ident == RUNTIME_CRATE)
}

/// `use super::{encode_path, ClientHooks, …}` in `mod builder`: the names the file re-exported
/// from progenitor's runtime, all gone now.
fn is_runtime_import(item: &Item) -> bool {
    let Item::Use(using) = item else {
        return false;
    };
    let syn::UseTree::Path(path) = &using.tree else {
        return false;
    };
    path.ident == "super"
        && matches!(path.tree.as_ref(), syn::UseTree::Group(group)
            if group.items.iter().any(|tree| matches!(tree, syn::UseTree::Name(name) if name.ident == "ClientHooks")))
}

/// `impl ClientInfo<…> for Client`.
fn is_client_info(item: &Item) -> bool {
    let Item::Impl(block) = item else {
        return false;
    };
    block.trait_.as_ref().is_some_and(|(path, _)| {
        path.segments
            .last()
            .is_some_and(|segment| segment.ident == "ClientInfo")
    })
}

/// Removes progenitor's "Version: <info.version>" line from the `Client` docs: it is the
/// curated spec's version, which readers of the crate's page take for the crate's.
fn drop_version(attrs: &mut [syn::Attribute]) {
    rewrite_docs(attrs, |value| {
        let at = value.rfind("\n\nVersion: ")?;
        Some(value[..at].to_owned())
    });
}

/// Counts paths that still name progenitor's runtime crate.
#[derive(Default)]
struct Mentions(usize);

impl<'ast> Visit<'ast> for Mentions {
    fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
        if ident == RUNTIME_CRATE {
            self.0 += 1;
        }
    }
}
