//! One operation's call, worked out: its [`CallShape`] (the arguments of its method, in the
//! spec's order, and the setters its builder gains), the method's new inputs and block, and
//! the setters.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse_quote;
use syn::visit_mut::VisitMut;

use super::read::{TypeField, generic_argument, map_arguments, type_name};
use crate::model::Operation;

/// One argument of an operation's client method.
#[derive(Clone)]
pub(crate) struct Argument {
    pub name: syn::Ident,
    /// The type it converts into (`impl Into<ty>`), as the builder module names it.
    pub ty: syn::Type,
    /// The name on the wire.
    pub wire: String,
    /// Whether it is a body property (else a parameter).
    pub in_body: bool,
}

/// One setter a builder gains.
#[derive(Clone)]
pub(crate) struct Setter {
    pub name: syn::Ident,
    pub wire: String,
}

/// What the pass made of one operation; the method docs' example is written from it.
#[derive(Clone, Default)]
pub(crate) struct CallShape {
    pub arguments: Vec<Argument>,
    pub setters: Vec<Setter>,
}

/// The method's new signature inputs and block.
pub(super) struct Call {
    pub(super) inputs: syn::punctuated::Punctuated<syn::FnArg, syn::Token![,]>,
    pub(super) block: syn::Block,
}

pub(super) struct Plan<'p> {
    pub(super) operation: &'p Operation,
    pub(super) builder_fields: &'p BTreeMap<String, syn::Type>,
    pub(super) types: &'p BTreeMap<String, BTreeMap<String, TypeField>>,
    pub(super) type_names: &'p BTreeSet<String>,
}

impl Plan<'_> {
    pub(super) fn shape(&self) -> Result<(CallShape, Vec<syn::ImplItemFn>, Call), String> {
        let mut shape = CallShape::default();
        let mut parameter_setters = Vec::new();
        for parameter in self.operation.parameters.iter().filter(|p| p.required) {
            let name = parameter.rust_name();
            let Some(ty) = self.builder_fields.get(&name) else {
                return Err(format!(
                    "parameter `{}` has no builder field `{name}`",
                    parameter.name
                ));
            };
            let ident = format_ident!("{name}");
            parameter_setters.push(quote!(.#ident(::std::convert::Into::<#ty>::into(#ident))));
            shape.arguments.push(Argument {
                name: ident,
                ty: ty.clone(),
                wire: parameter.name.clone(),
                in_body: false,
            });
        }

        let mut body_values = Vec::new();
        let mut setters = Vec::new();
        let body = self.body_fields()?;
        if let (Some(request), Some(fields)) = (&self.operation.request_body, body) {
            for wire in &request.arguments {
                let Some(field) = fields.get(wire) else {
                    return Err(format!("the body has no field for property `{wire}`"));
                };
                let (ty, optional) = match generic_argument(&field.ty, "Option") {
                    Some(inner) => (inner, true),
                    None => (field.ty.clone(), false),
                };
                let ty = self.qualified(ty);
                let ident = &field.name;
                let value = quote!(::std::convert::Into::<#ty>::into(#ident));
                body_values.push(if optional {
                    quote!(.#ident(::std::option::Option::Some(#value)))
                } else {
                    quote!(.#ident(#value))
                });
                shape.arguments.push(Argument {
                    name: ident.clone(),
                    ty,
                    wire: wire.clone(),
                    in_body: true,
                });
            }
            for (wire, field) in fields {
                if request.arguments.contains(wire) {
                    continue;
                }
                setters.push(self.setter(wire, field));
                shape.setters.push(Setter {
                    name: field.name.clone(),
                    wire: wire.clone(),
                });
            }
        }
        self.check_names(&shape)?;

        let mut inputs: syn::punctuated::Punctuated<syn::FnArg, syn::Token![,]> =
            parse_quote!(&self);
        for argument in &shape.arguments {
            let (name, ty) = (&argument.name, &argument.ty);
            inputs.push(parse_quote!(#name: impl ::std::convert::Into<#ty>));
        }
        let builder = format_ident!("{}", self.operation.builder_name());
        let body_map = if body_values.is_empty() {
            TokenStream::new()
        } else {
            quote!(.body_map(move |body| body #(#body_values)*))
        };
        let block = parse_quote!({
            builder::#builder::new(self) #(#parameter_setters)* #body_map
        });
        Ok((shape, setters, Call { inputs, block }))
    }

    /// The fields of the body's type, when the operation has a body and the builder holds it.
    fn body_fields(&self) -> Result<Option<&BTreeMap<String, TypeField>>, String> {
        if self.operation.request_body.is_none() {
            return Ok(None);
        }
        let Some(body) = self.builder_fields.get("body") else {
            return Err("the builder has no `body` field".into());
        };
        let Some(name) = type_name(body) else {
            return Err("the builder's body is not one of the generated types".into());
        };
        Ok(self.types.get(&name))
    }

    /// Two inputs of one Rust name, or a setter that would replace one of the builder's own
    /// methods, cannot be written.
    fn check_names(&self, shape: &CallShape) -> Result<(), String> {
        let mut seen = BTreeMap::new();
        for argument in &shape.arguments {
            if let Some(other) = seen.insert(argument.name.to_string(), &argument.wire) {
                return Err(format!(
                    "`{other}` and `{}` both become the argument `{}`",
                    argument.wire, argument.name
                ));
            }
        }
        let own: BTreeSet<String> = ["new", "body", "body_map", "send"]
            .into_iter()
            .map(str::to_owned)
            .chain(self.builder_fields.keys().cloned())
            .collect();
        for setter in &shape.setters {
            let name = setter.name.to_string();
            if own.contains(&name) {
                return Err(format!(
                    "body property `{}` becomes the builder method `{name}`, which the builder \
                     already has",
                    setter.wire
                ));
            }
        }
        Ok(())
    }

    /// A setter on the operation's builder for one optional body field: a list takes any
    /// iterator of items, a map any iterator of pairs, anything else any value that converts
    /// into the field's type (a nested type's builder too), without `Some`.
    fn setter(&self, wire: &str, field: &TypeField) -> syn::ImplItemFn {
        let (inner, optional) = match generic_argument(&field.ty, "Option") {
            Some(inner) => (self.qualified(inner), true),
            None => (self.qualified(field.ty.clone()), false),
        };
        let name = &field.name;
        let set = |value: TokenStream| {
            if optional {
                quote!(body.#name(::std::option::Option::Some(#value)))
            } else {
                quote!(body.#name(#value))
            }
        };
        let mut setter: syn::ImplItemFn = if let Some(item) = generic_argument(&inner, "Vec") {
            let set = set(quote!(values
                .into_iter()
                .map(::std::convert::Into::into)
                .collect::<#inner>()));
            parse_quote! {
                pub fn #name<I>(mut self, values: I) -> Self
                where
                    I: ::std::iter::IntoIterator,
                    I::Item: ::std::convert::Into<#item>,
                {
                    self.body = self.body.map(|body| #set);
                    self
                }
            }
        } else if let Some((key, item)) = map_arguments(&inner) {
            let set = set(quote!(entries
                .into_iter()
                .map(|(key, value)| (key.into(), value.into()))
                .collect::<#inner>()));
            parse_quote! {
                pub fn #name<I, K, V>(mut self, entries: I) -> Self
                where
                    I: ::std::iter::IntoIterator<Item = (K, V)>,
                    K: ::std::convert::Into<#key>,
                    V: ::std::convert::Into<#item>,
                {
                    self.body = self.body.map(|body| #set);
                    self
                }
            }
        } else {
            let shown = type_name(&inner).unwrap_or_else(|| "value".to_owned());
            let set = set(quote!(value));
            parse_quote! {
                pub fn #name<V>(mut self, value: V) -> Self
                where
                    V: ::std::convert::TryInto<#inner>,
                    V::Error: ::std::fmt::Display,
                {
                    self.body = self.body.and_then(|body| match value.try_into() {
                        Ok(value) => Ok(#set),
                        Err(error) => Err(format!(
                            "conversion to `{}` for `{}` failed: {}", #shown, #wire, error
                        )),
                    });
                    self
                }
            }
        };
        setter.attrs = field.docs.clone();
        setter
    }

    /// `ty` as the builder module names it: a type of `mod types` gets its `types::` prefix.
    fn qualified(&self, mut ty: syn::Type) -> syn::Type {
        Qualify {
            names: self.type_names,
        }
        .visit_type_mut(&mut ty);
        ty
    }
}

/// Prefixes the one-segment paths naming a type of `mod types` with `types::`.
struct Qualify<'n> {
    names: &'n BTreeSet<String>,
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
