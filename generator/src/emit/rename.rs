//! Applies the spec's `x-rust-name` choices to the identifiers progenitor derived from property
//! names (`addToLoginIDs` would otherwise become `add_to_login_i_ds`).
//!
//! progenitor writes a property's derived name only in the code of the type that has the
//! property: its struct in `mod types`, the struct of its builder in `mod types::builder`, and the
//! impls of both (setters, conversions, `Default`, and the conversion messages inside their
//! macros). So the pass first finds, from struct fields alone, which types those are, then
//! renames only inside their items. Walking every expression of the whole client instead would
//! cost more than the rest of post-processing put together.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Item, Type};

use super::syntax::{internal, module_items};
use crate::diagnostic::Report;

/// Renames every derived identifier in `file` to the name the spec chose, reporting a choice
/// that renames nothing or that meets the chosen name already written in the same types.
pub(crate) fn apply(
    file: &mut syn::File,
    rust_names: &BTreeMap<String, String>,
    report: &mut Report,
) {
    if rust_names.is_empty() {
        return;
    }
    let mut renamer = Renamer {
        names: rust_names
            .iter()
            .map(|(derived, chosen)| Rename {
                derived,
                chosen,
                derived_seen: false,
                chosen_existed: false,
            })
            .collect(),
        in_trait_impl: false,
        #[cfg(test)]
        met: BTreeSet::new(),
    };
    let mut owners = BTreeSet::new();
    for_each_type_item(file, &mut |item| {
        if let Item::Struct(item) = item
            && item.fields.iter().any(|field| {
                field.ident.as_ref().is_some_and(|ident| {
                    renamer.names.iter().any(|rename| *ident == rename.derived)
                })
            })
        {
            owners.insert(item.ident.to_string());
        }
    });
    for_each_type_item(file, &mut |item| {
        let owner = match item {
            Item::Struct(item) => Some(item.ident.to_string()),
            Item::Impl(item) => last_segment(&item.self_ty),
            _ => None,
        };
        if owner.is_some_and(|owner| owners.contains(&owner)) {
            renamer.visit_item_mut(item);
        }
    });
    for rename in &renamer.names {
        let (derived, chosen) = (rename.derived, rename.chosen);
        if !rename.derived_seen {
            internal(
                report,
                format!("`x-rust-name: {chosen}` has no generated `{derived}` to rename"),
            );
        } else if rename.chosen_existed {
            internal(
                report,
                format!("`x-rust-name: {chosen}` would collide with an existing `{chosen}`"),
            );
        }
    }
}

/// Calls `visit` on every item of `mod types` and of `mod types::builder`.
fn for_each_type_item(file: &mut syn::File, visit: &mut dyn FnMut(&mut Item)) {
    let Some(types) = module_items(&mut file.items, "types") else {
        return;
    };
    for item in types.iter_mut() {
        if let Item::Mod(module) = item
            && module.ident == "builder"
            && let Some((_, builders)) = module.content.as_mut()
        {
            builders.iter_mut().for_each(&mut *visit);
        } else {
            visit(item);
        }
    }
}

/// `Foo` in `Foo`, `super::Foo` or `builder::Foo`: the type an impl is for.
fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// One `x-rust-name` choice and what the pass found about it.
struct Rename<'a> {
    derived: &'a str,
    chosen: &'a str,
    derived_seen: bool,
    chosen_existed: bool,
}

/// Renames identifiers in place. A spec names a handful of identifiers, so a linear scan per
/// identifier, comparing without allocating, is cheaper than a map lookup that needs each
/// identifier formatted into a string.
struct Renamer<'a> {
    names: Vec<Rename<'a>>,
    /// Inside an impl of a trait, whose method names are the trait's (`Default::default`), not
    /// the spec's.
    in_trait_impl: bool,
    /// Every identifier the pass met, for the test that the spec check reserves them all.
    #[cfg(test)]
    met: BTreeSet<String>,
}

impl Renamer<'_> {
    fn rename(&mut self, ident: &mut proc_macro2::Ident) {
        #[cfg(test)]
        self.met.insert(ident.to_string());
        let mut chosen = None;
        for rename in &mut self.names {
            if *ident == rename.derived {
                rename.derived_seen = true;
                chosen = Some(rename.chosen);
            } else if *ident == rename.chosen {
                rename.chosen_existed = true;
            }
        }
        if let Some(chosen) = chosen {
            *ident = proc_macro2::Ident::new(chosen, ident.span());
        }
    }

    /// Macro arguments are unparsed tokens: progenitor's conversion messages name the field
    /// there, inside string literals (`"error converting supplied value for add_to_login_i_ds: …"`).
    fn rename_tokens(&mut self, tokens: TokenStream) -> TokenStream {
        use proc_macro2::{Group, TokenTree};
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Ident(mut ident) => {
                    self.rename(&mut ident);
                    TokenTree::Ident(ident)
                }
                TokenTree::Group(group) => {
                    let mut renamed =
                        Group::new(group.delimiter(), self.rename_tokens(group.stream()));
                    renamed.set_span(group.span());
                    TokenTree::Group(renamed)
                }
                TokenTree::Literal(literal) => TokenTree::Literal(self.rename_literal(literal)),
                other => other,
            })
            .collect()
    }

    fn rename_literal(&self, literal: proc_macro2::Literal) -> proc_macro2::Literal {
        let text = literal.to_string();
        let renamed = self.names.iter().fold(text.clone(), |text, rename| {
            text.replace(
                &format!("value for {}:", rename.derived),
                &format!("value for {}:", rename.chosen),
            )
        });
        match (renamed != text).then(|| renamed.parse::<proc_macro2::Literal>()) {
            Some(Ok(renamed)) => renamed,
            _ => literal,
        }
    }
}

impl VisitMut for Renamer<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        self.rename(ident);
    }

    /// A field named as on the wire has no `serde(rename)`; renamed, it needs one to keep its
    /// wire name (only on the types serde reads and writes, not on their builders).
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if derives_serde(&item.attrs) {
            for field in &mut item.fields {
                let Some(ident) = &field.ident else { continue };
                let renamed = self.names.iter().any(|rename| *ident == rename.derived);
                if renamed && !has_serde_rename(&field.attrs) {
                    let wire = ident.to_string();
                    field
                        .attrs
                        .push(syn::parse_quote!(#[serde(rename = #wire)]));
                }
            }
        }
        syn::visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let outer = std::mem::replace(&mut self.in_trait_impl, item.trait_.is_some());
        syn::visit_mut::visit_item_impl_mut(self, item);
        self.in_trait_impl = outer;
    }

    /// A trait method keeps its name (a property `default` must not rename `fn default`).
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if self.in_trait_impl {
            for input in &mut function.sig.inputs {
                self.visit_fn_arg_mut(input);
            }
            self.visit_block_mut(&mut function.block);
        } else {
            syn::visit_mut::visit_impl_item_fn_mut(self, function);
        }
    }

    /// A path of several segments names an item elsewhere (`Default::default`,
    /// `::std::default::Default`), never a field: only its generic arguments are visited.
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.segments.len() == 1 {
            syn::visit_mut::visit_path_mut(self, path);
            return;
        }
        for segment in &mut path.segments {
            self.visit_path_arguments_mut(&mut segment.arguments);
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.rename_tokens(std::mem::take(&mut mac.tokens));
        syn::visit_mut::visit_macro_mut(self, mac);
    }
}

/// Whether a struct's `#[derive(..)]` names serde's `Serialize` or `Deserialize`.
fn derives_serde(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .any(|attr| {
            let text = attr.meta.to_token_stream().to_string();
            text.contains("Serialize") || text.contains("Deserialize")
        })
}

/// Whether a field already has `#[serde(rename = ..)]`.
fn has_serde_rename(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("serde"))
        .any(|attr| attr.meta.to_token_stream().to_string().contains("rename"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::check::rust_names::{GENERATED_NAMES, PRIMITIVE_TYPES};

    /// The check refuses an `x-rust-name` that is one of [`GENERATED_NAMES`] before this pass
    /// would meet it as an existing name (an internal error). The list holds if every name the
    /// pass meets in the types of the curated spec (the richest at hand), other than a type's
    /// own fields, is on it.
    #[test]
    fn every_name_the_generated_types_spell_is_refused_by_the_check() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../openapi/descope-auth.yaml"
        ))
        .unwrap();
        let spec = crate::load(&text, "openapi/descope-auth.yaml").unwrap();
        let mut report = Report::new("openapi/descope-auth.yaml");
        let tokens =
            crate::progenitor_stage::generate(&spec.typed, &Default::default(), &mut report)
                .unwrap();
        let mut file = crate::render::parse(tokens, "client", &mut report).unwrap();

        let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for_each_type_item(&mut file, &mut |item| {
            if let Item::Struct(item) = item {
                let names = item.fields.iter().filter_map(|f| f.ident.as_ref());
                fields
                    .entry(item.ident.to_string())
                    .or_default()
                    .extend(names.map(ToString::to_string));
            }
        });
        let mut unreserved = BTreeSet::new();
        for_each_type_item(&mut file, &mut |item| {
            let owner = match item {
                Item::Struct(item) => Some(item.ident.to_string()),
                Item::Impl(item) => last_segment(&item.self_ty),
                _ => None,
            };
            let Some(own_fields) = owner.and_then(|owner| fields.get(&owner)) else {
                return;
            };
            if own_fields.is_empty() {
                return;
            }
            let mut renamer = Renamer {
                names: Vec::new(),
                in_trait_impl: false,
                met: BTreeSet::new(),
            };
            renamer.visit_item_mut(item);
            unreserved.extend(renamer.met.into_iter().filter(|name| {
                !own_fields.contains(name)
                    && name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    // A keyword (`self`) is no `x-rust-name` the check lets through anyway.
                    && syn::parse_str::<syn::Ident>(name).is_ok()
                    && !GENERATED_NAMES.contains(&name.as_str())
                    && !PRIMITIVE_TYPES.contains(&name.as_str())
            }));
        });
        assert!(
            unreserved.is_empty(),
            "add these to GENERATED_NAMES (or PRIMITIVE_TYPES) in check/rust_names.rs: \
             {unreserved:?}"
        );
        assert!(!fields.is_empty());
    }
}
