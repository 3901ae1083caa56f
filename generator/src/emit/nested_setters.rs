//! The setters of the nested types' builders (`types::builder::LoginOptions`) take values as the
//! operation builders' setters do: an optional field takes the value itself, not an `Option`
//! (`.template_id("welcome")`, not `.template_id(Some("welcome".to_owned()))`), and a list takes
//! any iterator of anything that converts into its items (`.role_names(["editor"])`).
//!
//! typify writes every setter as `value: T where T: TryInto<FieldType>`, so an optional string
//! needs `Some(String)` and a list a `Vec` of the exact item type. This pass rewrites those two
//! kinds; a field left unset stays `None` (the builder's default), and a value that does not
//! convert is kept as the builder's error, as typify keeps it, for `send` to report.
//! Maps and other fields keep typify's setter.

use quote::quote;
use syn::{ImplItem, Item, parse_quote};

use super::call_shape::generic_argument;

/// Rewrites the setters of `types::builder`.
pub(crate) fn apply(file: &mut syn::File) {
    let Some(types) = module_mut(&mut file.items, "types") else {
        return;
    };
    let Some(builders) = module_mut(types, "builder") else {
        return;
    };
    for item in builders {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        for member in &mut block.items {
            if let ImplItem::Fn(setter) = member
                && let Some(rewritten) = rewritten(setter)
            {
                *setter = rewritten;
            }
        }
    }
}

fn module_mut<'i>(items: &'i mut [Item], name: &str) -> Option<&'i mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => module.content.as_mut().map(|(_, i)| i),
        _ => None,
    })
}

/// The setter rewritten, when it is typify's `fn f<T>(mut self, value: T) -> Self` over an
/// optional value or a list.
fn rewritten(setter: &syn::ImplItemFn) -> Option<syn::ImplItemFn> {
    let target = converted_into(setter)?;
    let name = &setter.sig.ident;
    let attrs = &setter.attrs;
    let message = format!("error converting supplied value for {name}: {{}}");
    let (optional, inner) = match generic_argument(&target, "Option") {
        Some(inner) => (true, inner),
        None => (false, target.clone()),
    };
    let wrap = |value: proc_macro2::TokenStream| {
        if optional {
            quote!(#value.map(::std::option::Option::Some))
        } else {
            value
        }
    };
    if let Some(item) = generic_argument(&inner, "Vec") {
        let converted = wrap(quote!(values
            .into_iter()
            .map(::std::convert::TryInto::try_into)
            .collect::<::std::result::Result<#inner, _>>()));
        return Some(parse_quote! {
            #(#attrs)*
            pub fn #name<I>(mut self, values: I) -> Self
            where
                I: ::std::iter::IntoIterator,
                I::Item: ::std::convert::TryInto<#item>,
                <I::Item as ::std::convert::TryInto<#item>>::Error: ::std::fmt::Display,
            {
                self.#name = #converted.map_err(|e| format!(#message, e));
                self
            }
        });
    }
    if !optional || !takes_the_value(&inner) {
        return None;
    }
    let converted = wrap(quote!(value.try_into()));
    Some(parse_quote! {
        #(#attrs)*
        pub fn #name<T>(mut self, value: T) -> Self
        where
            T: ::std::convert::TryInto<#inner>,
            T::Error: ::std::fmt::Display,
        {
            self.#name = #converted.map_err(|e| format!(#message, e));
            self
        }
    })
}

/// Whether the rewritten setter of an `Option<inner>` field takes the value itself (every
/// optional field but a map, which keeps typify's setter and so takes the `Option`).
pub(crate) fn takes_the_value(inner: &syn::Type) -> bool {
    !["HashMap", "BTreeMap", "Map"]
        .iter()
        .any(|map| generic_argument(inner, map).is_some())
}

/// `X` of a setter whose one generic parameter `T` is bounded by `TryInto<X>`.
fn converted_into(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let generics = &setter.sig.generics;
    if generics.params.len() != 1 || setter.sig.inputs.len() != 2 {
        return None;
    }
    let predicates = &generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(bounded) = predicate else {
            return None;
        };
        if quote!(#bounded).to_string().starts_with("T :") {
            bounded.bounds.iter().find_map(|bound| {
                let syn::TypeParamBound::Trait(bound) = bound else {
                    return None;
                };
                let last = bound.path.segments.last()?;
                if last.ident != "TryInto" {
                    return None;
                }
                let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                    return None;
                };
                match arguments.args.first()? {
                    syn::GenericArgument::Type(ty) => Some(ty.clone()),
                    _ => None,
                }
            })
        } else {
            None
        }
    })
}
