//! Extensible string enums (`x-extensible-enum`): typify writes a named string schema as a
//! newtype over `String`; this pass puts in its place an enum of the known values with an
//! `Unknown(String)` variant, which (de)serializes as the plain string, so a value Descope adds
//! later decodes as `Unknown` with its text instead of failing. It converts from `&str` and
//! `String` (a known value becomes its variant), so setters take `"enabled"` as they took the
//! string.

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;
use syn::{Item, parse_quote};

use super::syntax::{doc_attribute, module_items};
use crate::check::extensible_enums::variant_name;
use crate::diagnostic::Report;
use crate::emit::syntax::internal;

/// Replaces each marked schema's newtype (and typify's impls for it) with the enum.
pub(crate) fn apply(
    file: &mut syn::File,
    enums: &BTreeMap<String, Vec<String>>,
    report: &mut Report,
) {
    if enums.is_empty() {
        return;
    }
    let Some(types) = module_items(&mut file.items, "types") else {
        internal(report, "progenitor's `mod types` was not found".into());
        return;
    };
    let mut replaced = BTreeSet::new();
    let mut output = Vec::with_capacity(types.len());
    for item in types.drain(..) {
        match &item {
            Item::Struct(newtype) if enums.contains_key(&newtype.ident.to_string()) => {
                let name = newtype.ident.to_string();
                let docs: Vec<syn::Attribute> = newtype
                    .attrs
                    .iter()
                    .filter(|attr| attr.path().is_ident("doc"))
                    .cloned()
                    .collect();
                output.extend(enum_items(&newtype.ident, &docs, &enums[&name]));
                replaced.insert(name);
            }
            // typify's conversions for the newtype (`Deref`, `From<String>`, `Display`,
            // `FromStr`): the enum brings its own.
            Item::Impl(block) if implements_for(block, enums) => {}
            _ => output.push(item),
        }
    }
    *types = output;
    for name in enums.keys().filter(|name| !replaced.contains(*name)) {
        internal(
            report,
            format!("schema {name} is an extensible enum, but progenitor wrote no newtype for it"),
        );
    }
}

/// Whether an impl is for (or converts into) one of the marked newtypes.
fn implements_for(block: &syn::ItemImpl, enums: &BTreeMap<String, Vec<String>>) -> bool {
    let names = |ty: &syn::Type| match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| enums.contains_key(&segment.ident.to_string())),
        _ => false,
    };
    if names(&block.self_ty) {
        return true;
    }
    // `impl From<Newtype> for String`.
    block.trait_.as_ref().is_some_and(|(path, _)| {
        path.segments
            .last()
            .is_some_and(|segment| match &segment.arguments {
                syn::PathArguments::AngleBracketed(arguments) => arguments.args.iter().any(
                    |argument| matches!(argument, syn::GenericArgument::Type(ty) if names(ty)),
                ),
                _ => false,
            })
    })
}

fn enum_items(name: &syn::Ident, docs: &[syn::Attribute], values: &[String]) -> Vec<Item> {
    let variants: Vec<syn::Ident> = values
        .iter()
        .map(|value| format_ident!("{}", variant_name(value)))
        .collect();
    let variant_docs = values
        .iter()
        .map(|value| doc_attribute(&format!("`{value}`")));
    let unknown_doc = doc_attribute(
        "A value this crate does not know yet, as the service sent it. Values it knows always \
         arrive as their own variant; make one from text with `From`, not with this variant.",
    );
    let extensible_doc = [
        doc_attribute(""),
        doc_attribute(
            "Descope may add values: one this crate does not know decodes as `Unknown`, keeping \
             its text, rather than failing.",
        ),
    ];
    let enumeration: Item = parse_quote! {
        #(#docs)*
        #(#extensible_doc)*
        #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #name {
            #(#variant_docs #variants,)*
            #unknown_doc
            Unknown(::std::string::String),
        }
    };
    let methods: Item = parse_quote! {
        impl #name {
            ///The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value,
                }
            }
        }
    };
    let from_str_ref: Item = parse_quote! {
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    };
    let from_string: Item = parse_quote! {
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#values => Self::#variants,)*
                    _ => Self::Unknown(value),
                }
            }
        }
    };
    let into_string: Item = parse_quote! {
        impl ::std::convert::From<#name> for ::std::string::String {
            fn from(value: #name) -> Self {
                match value {
                    #name::Unknown(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }
    };
    let display: Item = parse_quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    let parse: Item = parse_quote! {
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(value.into())
            }
        }
    };
    let serialize: Item = parse_quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    let deserialize: Item = parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
    vec![
        enumeration,
        methods,
        from_str_ref,
        from_string,
        into_string,
        display,
        parse,
        serialize,
        deserialize,
    ]
}
