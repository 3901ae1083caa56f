//! What the pass reads from progenitor's output: the fields of every type and builder (with
//! their wire names, types and docs), the builder a method returns, and the parts of a type it
//! needs (its last segment, its generic arguments).

use std::collections::{BTreeMap, BTreeSet};

use syn::Item;

/// A field of a generated type: its Rust name, type and doc attributes, by wire name.
pub(super) struct TypeField {
    pub(super) name: syn::Ident,
    pub(super) ty: syn::Type,
    pub(super) docs: Vec<syn::Attribute>,
}

/// The name of every type in `mod types`, and the fields of those in `wanted` (the request
/// bodies: reading every type's fields and docs would cost more than the rest of the pass), by
/// struct name and then by wire name.
pub(super) fn type_fields(
    file: &syn::File,
    wanted: &BTreeSet<String>,
) -> (
    BTreeSet<String>,
    BTreeMap<String, BTreeMap<String, TypeField>>,
) {
    let mut names = BTreeSet::new();
    let mut types = BTreeMap::new();
    let Some((_, items)) = module_items(file, "types") else {
        return (names, types);
    };
    for item in items {
        let (name, fields) = match item {
            Item::Struct(structure) if !wanted.contains(&structure.ident.to_string()) => {
                names.insert(structure.ident.to_string());
                continue;
            }
            Item::Struct(structure) => {
                let fields = structure
                    .fields
                    .iter()
                    .filter_map(|field| {
                        let name = field.ident.clone()?;
                        let wire = serde_rename(&field.attrs).unwrap_or_else(|| name.to_string());
                        let docs = field
                            .attrs
                            .iter()
                            .filter(|attr| attr.path().is_ident("doc"))
                            .cloned()
                            .collect();
                        let ty = field.ty.clone();
                        Some((wire, TypeField { name, ty, docs }))
                    })
                    .collect();
                (structure.ident.to_string(), fields)
            }
            Item::Enum(enumeration) => {
                names.insert(enumeration.ident.to_string());
                continue;
            }
            Item::Type(alias) => {
                names.insert(alias.ident.to_string());
                continue;
            }
            _ => continue,
        };
        names.insert(name.clone());
        types.insert(name, fields);
    }
    (names, types)
}

/// Each builder's fields (but the client) and the type its field holds: `Result<T, String>` and
/// `Result<Option<T>, String>` give `T`; the body's `types::builder::X` stays as it is.
pub(crate) fn builder_fields(file: &syn::File) -> BTreeMap<String, BTreeMap<String, syn::Type>> {
    let mut builders = BTreeMap::new();
    for item in module_items(file, "builder").map_or(&[][..], |(_, items)| items.as_slice()) {
        let Item::Struct(builder) = item else {
            continue;
        };
        let fields = builder
            .fields
            .iter()
            .filter_map(|field| {
                let name = field.ident.as_ref()?.to_string();
                let mut ty = generic_argument(&field.ty, "Result")?;
                if let Some(inner) = generic_argument(&ty, "Option") {
                    ty = inner;
                }
                Some((name, ty))
            })
            .collect();
        builders.insert(builder.ident.to_string(), fields);
    }
    builders
}

/// The `rename = "…"` of a field's `#[serde(..)]`.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut renamed = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                renamed = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Another `key = value`: read past its value.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed
}

fn module_items<'f>(file: &'f syn::File, name: &str) -> Option<&'f (syn::token::Brace, Vec<Item>)> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => module.content.as_ref(),
        _ => None,
    })
}

pub(super) fn module_items_mut<'f>(
    file: &'f mut syn::File,
    name: &str,
) -> Option<&'f mut (syn::token::Brace, Vec<Item>)> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => module.content.as_mut(),
        _ => None,
    })
}

/// `X` of a method returning `builder::X<'_>`.
pub(super) fn returned_builder(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return None;
    };
    let segments = &path.path.segments;
    (segments.len() == 2 && segments[0].ident == "builder").then(|| segments[1].ident.to_string())
}

pub(super) fn is_named(ty: &syn::Type, name: &str) -> bool {
    type_name(ty).as_deref() == Some(name)
}

/// The last segment's name of a path type.
pub(crate) fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => Some(path.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

/// `T` of `Name<T, ..>`.
pub(crate) fn generic_argument(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    generic_arguments(ty, name)?.into_iter().next()
}

/// `K` and `V` of a `HashMap<K, V>` or `BTreeMap<K, V>`.
pub(super) fn map_arguments(ty: &syn::Type) -> Option<(syn::Type, syn::Type)> {
    let arguments =
        generic_arguments(ty, "HashMap").or_else(|| generic_arguments(ty, "BTreeMap"))?;
    let mut arguments = arguments.into_iter();
    Some((arguments.next()?, arguments.next()?))
}

fn generic_arguments(ty: &syn::Type, name: &str) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last().filter(|s| s.ident == name)?;
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    Some(
        arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            })
            .collect(),
    )
}
