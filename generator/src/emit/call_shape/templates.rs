//! The setters' shapes, parsed once per generation ([`Templates`]), [`Fill`], which puts one
//! field's names and types into a copy (and into the awaitable impl), and [`Qualify`], which
//! names a type of `mod types` as the builder module does.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse_quote;
use syn::visit_mut::VisitMut;

/// The setters' shapes, parsed once and filled in per field (parsing one per field cost more
/// than the rest of the pass). Index 0 sets the field as it is, 1 wraps it in `Some`.
pub(super) struct Templates {
    pub(super) plain: [syn::ImplItemFn; 2],
    pub(super) list: [syn::ImplItemFn; 2],
    pub(super) map: [syn::ImplItemFn; 2],
}

impl Templates {
    pub(super) fn new() -> Self {
        let wrapped = |value: TokenStream, optional: bool| {
            if optional {
                quote!(::std::option::Option::Some(#value))
            } else {
                value
            }
        };
        let plain = |optional| {
            let value = wrapped(quote!(value), optional);
            parse_quote! {
                pub fn __field<V>(mut self, value: V) -> Self
                where
                    V: ::std::convert::TryInto<__Inner>,
                    V::Error: ::std::fmt::Display,
                {
                    self.body = self.body.and_then(|body| match value.try_into() {
                        Ok(value) => Ok(body.__field(#value)),
                        Err(error) => Err(format!(
                            "conversion to `{}` for `{}` failed: {}", "__shown", "__wire", error
                        )),
                    });
                    self
                }
            }
        };
        let list = |optional| {
            let value = wrapped(
                quote!(
                    values
                        .into_iter()
                        .map(::std::convert::Into::into)
                        .collect::<__Inner>()
                ),
                optional,
            );
            parse_quote! {
                pub fn __field<I>(mut self, values: I) -> Self
                where
                    I: ::std::iter::IntoIterator,
                    I::Item: ::std::convert::Into<__Item>,
                {
                    self.body = self.body.map(|body| body.__field(#value));
                    self
                }
            }
        };
        let map = |optional| {
            let value = wrapped(
                quote!(
                    entries
                        .into_iter()
                        .map(|(key, value)| (key.into(), value.into()))
                        .collect::<__Inner>()
                ),
                optional,
            );
            parse_quote! {
                pub fn __field<I, K, V>(mut self, entries: I) -> Self
                where
                    I: ::std::iter::IntoIterator<Item = (K, V)>,
                    K: ::std::convert::Into<__Key>,
                    V: ::std::convert::Into<__Item>,
                {
                    self.body = self.body.map(|body| body.__field(#value));
                    self
                }
            }
        };
        Templates {
            plain: [plain(false), plain(true)],
            list: [list(false), list(true)],
            map: [map(false), map(true)],
        }
    }
}

/// Puts one field's names and types into a setter template: `__field`, `__Inner`, `__Key`,
/// `__Item`, and the strings `"__shown"` and `"__wire"`.
pub(super) struct Fill<'f> {
    pub(super) field: &'f syn::Ident,
    pub(super) inner: &'f syn::Type,
    pub(super) key: Option<&'f syn::Type>,
    pub(super) item: Option<&'f syn::Type>,
    pub(super) shown: &'f str,
    pub(super) wire: &'f str,
}

impl VisitMut for Fill<'_> {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if ident == "__field" {
            *ident = self.field.clone();
        }
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(path) = ty
            && path.qself.is_none()
            && let Some(name) = path.path.get_ident()
        {
            let replacement = match name.to_string().as_str() {
                "__Inner" => Some(self.inner),
                "__Key" => self.key,
                "__Item" => self.item,
                _ => None,
            };
            if let Some(replacement) = replacement {
                *ty = replacement.clone();
                return;
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    /// The strings are arguments of `format!`, so they are tokens of the macro, not literals
    /// of the syntax tree.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = std::mem::take(&mut mac.tokens)
            .into_iter()
            .map(|token| match &token {
                proc_macro2::TokenTree::Literal(literal) => match literal.to_string().as_str() {
                    "\"__shown\"" => proc_macro2::Literal::string(self.shown).into(),
                    "\"__wire\"" => proc_macro2::Literal::string(self.wire).into(),
                    _ => token,
                },
                _ => token,
            })
            .collect();
    }
}

/// Prefixes the one-segment paths naming a type of `mod types` with `types::`.
pub(super) struct Qualify<'n> {
    pub(super) names: &'n BTreeSet<String>,
}

impl VisitMut for Qualify<'_> {
    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        let path = &mut ty.path;
        if ty.qself.is_none()
            && path.leading_colon.is_none()
            && path.segments.len() == 1
            && self.names.contains(&path.segments[0].ident.to_string())
        {
            path.segments.insert(0, parse_quote!(types));
        }
        syn::visit_mut::visit_type_path_mut(self, ty);
    }
}
