//! API groups as cargo features: every item that belongs to the operations of some groups only
//! is compiled only with one of those groups' features (`#[cfg(feature = "otp")]`,
//! `#[cfg(any(feature = "otp", feature = "magic-link"))]`), so an application compiles only the
//! groups it enables.
//!
//! An operation's method and builder belong to its group (its tag). A type belongs to the groups
//! of every operation whose builder names it (body, parameters, success), directly or through
//! the fields of another type; its builder in `types::builder` and every impl for it go with
//! it. A type every group uses, or none, is always compiled, as are the client, the operation
//! table and progenitor's conversion error. A spec without groups (repair mode, relaxed
//! fixtures) is left as it is.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;
use syn::{ImplItem, Item, parse_quote};

use crate::model::Operation;

/// Gates the client's items by the groups of the operations that use them.
pub(crate) fn apply(file: &mut syn::File, operations: &[Operation]) {
    let by_builder: BTreeMap<String, &str> = operations
        .iter()
        .filter_map(|o| Some((o.builder_name(), o.group.as_deref()?)))
        .collect();
    let all: BTreeSet<&str> = by_builder.values().copied().collect();
    if all.is_empty() {
        return;
    }
    let by_method: BTreeMap<String, &str> = operations
        .iter()
        .filter_map(|o| Some((o.method_name(), o.group.as_deref()?)))
        .collect();

    let type_names = type_names(file);
    let mut groups_of_type: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    // Roots: the types each operation's builder names.
    if let Some(items) = module(&file.items, "builder") {
        for item in items {
            let Some(builder) = item_name(item) else {
                continue;
            };
            let Some(group) = by_builder.get(builder.as_str()) else {
                continue;
            };
            for name in names_in(item, &type_names) {
                groups_of_type.entry(name).or_default().insert(group);
            }
        }
    }
    // Through the fields of the types they name, to a fixed point.
    let references = type_references(file, &type_names);
    loop {
        let mut changed = false;
        for (name, referenced) in &references {
            let Some(groups) = groups_of_type.get(name).cloned() else {
                continue;
            };
            for other in referenced {
                let entry = groups_of_type.entry(other.clone()).or_default();
                let before = entry.len();
                entry.extend(groups.iter().copied());
                changed |= entry.len() != before;
            }
        }
        if !changed {
            break;
        }
    }

    for item in &mut file.items {
        match item {
            Item::Mod(module) if module.ident == "types" => {
                gate_types(module, &groups_of_type, &all);
            }
            Item::Mod(module) if module.ident == "builder" => {
                for item in module.content.iter_mut().flat_map(|(_, items)| items) {
                    if let Item::Use(import) = item {
                        // `use super::types;` is unused when no group is compiled.
                        import.attrs.push(parse_quote!(#[allow(unused_imports)]));
                    } else if let Some(group) =
                        item_name(item).and_then(|n| by_builder.get(n.as_str()))
                    {
                        gate(item_attrs(item), &BTreeSet::from([*group]), &all);
                    }
                }
            }
            Item::Impl(block) if block.trait_.is_none() => {
                for member in &mut block.items {
                    if let ImplItem::Fn(method) = member
                        && let Some(group) = by_method.get(&method.sig.ident.to_string())
                    {
                        gate(Some(&mut method.attrs), &BTreeSet::from([*group]), &all);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Gates each type of `mod types` and of `mod types::builder` by its groups, and each impl by
/// the groups of every type it names (one `cfg` each: an impl between two types exists only
/// where both do, such as `From<AuthHistoryList> for Vec<AuthHistoryEntry>`).
fn gate_types(
    module: &mut syn::ItemMod,
    groups_of_type: &BTreeMap<String, BTreeSet<&str>>,
    all: &BTreeSet<&str>,
) {
    let names: BTreeSet<String> = groups_of_type.keys().cloned().collect();
    for item in module.content.iter_mut().flat_map(|(_, items)| items) {
        match item {
            Item::Mod(inner) if inner.ident == "builder" => {
                gate_types(inner, groups_of_type, all);
            }
            Item::Impl(_) => {
                let mut seen = BTreeSet::new();
                for name in names_in(item, &names) {
                    let groups = &groups_of_type[&name];
                    if seen.insert(groups.clone()) {
                        gate(item_attrs(item), groups, all);
                    }
                }
            }
            _ => {
                if let Some(groups) = item_name(item).and_then(|name| groups_of_type.get(&name)) {
                    gate(item_attrs(item), groups, all);
                }
            }
        }
    }
}

/// Adds the `cfg` of `groups` to an item, unless every group (or none) uses it.
fn gate(attrs: Option<&mut Vec<syn::Attribute>>, groups: &BTreeSet<&str>, all: &BTreeSet<&str>) {
    let Some(attrs) = attrs else { return };
    if groups.is_empty() || groups == all {
        return;
    }
    let features = groups.iter().map(|group| quote::quote!(feature = #group));
    attrs.insert(
        0,
        if groups.len() == 1 {
            parse_quote!(#[cfg(#(#features)*)])
        } else {
            parse_quote!(#[cfg(any(#(#features),*))])
        },
    );
}

/// The name of the type an item defines or implements for (its last path segment).
fn item_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Impl(block) => match block.self_ty.as_ref() {
            syn::Type::Path(path) => Some(path.path.segments.last()?.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        Item::Struct(s) => Some(&mut s.attrs),
        Item::Enum(e) => Some(&mut e.attrs),
        Item::Type(t) => Some(&mut t.attrs),
        Item::Impl(i) => Some(&mut i.attrs),
        _ => None,
    }
}

fn module<'f>(items: &'f [Item], name: &str) -> Option<&'f [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

/// The names of the types `mod types` defines.
fn type_names(file: &syn::File) -> BTreeSet<String> {
    module(&file.items, "types")
        .into_iter()
        .flatten()
        .filter(|item| matches!(item, Item::Struct(_) | Item::Enum(_) | Item::Type(_)))
        .filter_map(item_name)
        .collect()
}

/// For each type of `mod types`, the other types its definition names.
fn type_references(
    file: &syn::File,
    type_names: &BTreeSet<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut references: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in module(&file.items, "types").into_iter().flatten() {
        if !matches!(item, Item::Struct(_) | Item::Enum(_) | Item::Type(_)) {
            continue;
        }
        let Some(name) = item_name(item) else {
            continue;
        };
        let mut named = names_in(item, type_names);
        named.remove(&name);
        references.entry(name).or_default().extend(named);
    }
    references
}

/// The type names of `wanted` that `item` mentions in any path.
fn names_in(item: &Item, wanted: &BTreeSet<String>) -> BTreeSet<String> {
    struct Names<'w> {
        wanted: &'w BTreeSet<String>,
        found: BTreeSet<String>,
    }
    impl<'ast> Visit<'ast> for Names<'_> {
        /// A segment after `Self` or after a type names a variant or an associated item
        /// (`Self::Tenant`, `UserSortField::Tenant`), not a type.
        fn visit_path(&mut self, path: &'ast syn::Path) {
            let mut after_type = false;
            for segment in &path.segments {
                let name = segment.ident.to_string();
                let is_type = self.wanted.contains(&name);
                if is_type && !after_type {
                    self.found.insert(name.clone());
                }
                after_type = is_type || name == "Self";
                self.visit_path_arguments(&segment.arguments);
            }
        }
    }
    let mut names = Names {
        wanted,
        found: BTreeSet::new(),
    };
    names.visit_item(item);
    names.found
}
