//! How many lines of a generated file a build compiles with a given set of cargo features: the
//! file with every item whose `#[cfg(..)]` does not hold removed, formatted again. `cargo xtask
//! compile-time` reports it per API group.

use std::collections::BTreeSet;

use syn::{ImplItem, Item};

/// The lines of `source` (a generated file) left after removing what `features` do not compile.
pub fn lines_with_features(source: &str, features: &BTreeSet<&str>) -> Result<usize, String> {
    let mut file: syn::File = syn::parse_str(source).map_err(|error| error.to_string())?;
    keep_compiled(&mut file.items, features);
    Ok(prettyplease::unparse(&file).lines().count())
}

fn keep_compiled(items: &mut Vec<Item>, features: &BTreeSet<&str>) {
    items.retain(|item| compiled(attrs(item), features));
    for item in items {
        match item {
            Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    keep_compiled(items, features);
                }
            }
            Item::Impl(block) => block.items.retain(|member| match member {
                ImplItem::Fn(function) => compiled(&function.attrs, features),
                _ => true,
            }),
            _ => {}
        }
    }
}

fn attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Struct(s) => &s.attrs,
        Item::Enum(e) => &e.attrs,
        Item::Type(t) => &t.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Fn(f) => &f.attrs,
        Item::Mod(m) => &m.attrs,
        Item::Use(u) => &u.attrs,
        Item::Const(c) => &c.attrs,
        _ => &[],
    }
}

/// Whether every `#[cfg(..)]` of the item holds (those this does not read count as holding).
fn compiled(attrs: &[syn::Attribute], features: &BTreeSet<&str>) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| attr.parse_args::<syn::Meta>().ok())
        .all(|meta| holds(&meta, features))
}

fn holds(meta: &syn::Meta, features: &BTreeSet<&str>) -> bool {
    match meta {
        syn::Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) => features.contains(name.value().as_str()),
            _ => true,
        },
        syn::Meta::List(list) => {
            let Ok(inner) = list.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            ) else {
                return true;
            };
            if list.path.is_ident("any") {
                inner.iter().any(|meta| holds(meta, features))
            } else if list.path.is_ident("all") {
                inner.iter().all(|meta| holds(meta, features))
            } else if list.path.is_ident("not") {
                !inner.iter().all(|meta| holds(meta, features))
            } else {
                true
            }
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_of_other_features_are_not_counted() {
        let source = r#"
            pub struct Always;
            #[cfg(feature = "otp")]
            pub struct Otp;
            #[cfg(any(feature = "otp", feature = "session"))]
            pub struct Shared;
            pub mod builder {
                #[cfg(feature = "session")]
                pub struct Refresh;
            }
            impl Always {
                #[cfg(feature = "otp")]
                pub fn otp(&self) {}
            }
        "#;
        let lines = |features: &[&str]| {
            lines_with_features(source, &features.iter().copied().collect()).unwrap()
        };
        assert!(lines(&[]) < lines(&["session"]));
        assert!(lines(&["session"]) < lines(&["otp", "session"]));
        assert_eq!(
            lines(&["otp", "session", "magic-link"]),
            lines(&["otp", "session"])
        );
    }
}
