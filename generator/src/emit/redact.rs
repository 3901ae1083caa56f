//! Keeps secrets out of `Debug`: properties marked `x-descope-sensitive: true` in the spec are
//! printed as `<redacted>` by the generated types and their builders.
//!
//! progenitor derives `Debug` on every type. For a schema with a sensitive property, the derive
//! is removed and a hand-shaped impl is emitted that prints every other field as usual. Marking a
//! new property in the spec is all it takes to protect it.

use std::collections::BTreeSet;

use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Item, parse_quote};

use super::syntax::{module_items, string_literal};
use crate::diagnostic::{Location, Report, Rule};
use crate::model::SensitiveFields;

/// Replaces the derived `Debug` of every type (and type builder) with sensitive fields.
pub(crate) fn apply(file: &mut syn::File, sensitive: &SensitiveFields, report: &mut Report) {
    let mut redacted = BTreeSet::new();
    if let Some(types) = module_items(&mut file.items, "types") {
        redact_structs(types, sensitive, &mut redacted);
        if let Some(builders) = module_items(types, "builder") {
            redact_structs(builders, sensitive, &mut redacted);
        }
    }
    for schema in sensitive.keys() {
        if !redacted.contains(schema) {
            report.push(
                Location::Schema(schema.clone()),
                Rule::Internal,
                format!("schema {schema} has sensitive properties but no generated type derives Debug for it"),
                "this is a generator bug (progenitor's output changed shape); please report it",
            );
        }
    }
}

fn redact_structs(
    items: &mut Vec<Item>,
    sensitive: &SensitiveFields,
    redacted: &mut BTreeSet<String>,
) {
    // Rebuilt rather than inserted into: one insertion shifts every later item, and a large spec
    // redacts thousands of types.
    let mut output = Vec::with_capacity(items.len());
    for mut item in items.drain(..) {
        let debug_impl = match &mut item {
            Item::Struct(item) => {
                let name = item.ident.to_string();
                match sensitive.get(&name) {
                    Some(fields) if remove_derived_debug(&mut item.attrs) => {
                        redacted.insert(name);
                        Some(debug_impl(item, fields))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        output.push(item);
        output.extend(debug_impl);
    }
    *items = output;
}

/// Removes `Debug` from the item's `#[derive(..)]`; false when it did not derive it.
fn remove_derived_debug(attrs: &mut [syn::Attribute]) -> bool {
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let is_debug = |path: &syn::Path| path.segments.last().is_some_and(|s| s.ident == "Debug");
        if !paths.iter().any(is_debug) {
            continue;
        }
        let kept = paths.iter().filter(|path| !is_debug(path));
        if let syn::Meta::List(list) = &mut attr.meta {
            list.tokens = quote!(#(#kept),*);
            return true;
        }
    }
    false
}

/// `Debug` for `item` that prints each field in `sensitive` as `<redacted>`; an optional one as
/// `Some("<redacted>")` or `None`, since whether a token came back is useful when debugging and
/// its value never is.
fn debug_impl(item: &syn::ItemStruct, sensitive: &BTreeSet<String>) -> Item {
    let name = &item.ident;
    let shown_name = string_literal(&name.to_string());
    let fields = item.fields.iter().filter_map(|field| {
        let ident = field.ident.as_ref()?;
        let text = string_literal(&ident.to_string());
        Some(if !sensitive.contains(&ident.to_string()) {
            quote!(.field(#text, &self.#ident))
        } else if is_option(&field.ty) {
            quote!(.field(#text, &self.#ident.as_ref().map(|_| "<redacted>")))
        } else {
            quote!(.field(#text, &"<redacted>"))
        })
    });
    parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#shown_name) #(#fields)* .finish()
            }
        }
    }
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
