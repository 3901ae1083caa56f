//! One operation's call, worked out: its [`CallShape`] (the arguments of its method, in the
//! spec's order, and the setters its builder gains), the method's new inputs and block, and
//! the setters.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse_quote;
use syn::visit_mut::VisitMut;

use super::read::{TypeField, generic_argument, map_arguments, type_name};
use crate::emit::nested_setters::takes_the_value;
use crate::emit::user_token::UserToken;
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
    /// The signed-in user's token, the method's first argument when the call acts for one.
    pub user_token: Option<UserToken>,
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
        let mut shape = CallShape {
            user_token: UserToken::of(self.operation.credential),
            ..CallShape::default()
        };
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

        // A required body that is no object (a list of ids) is an argument itself, named after
        // its schema: `UserIdList` becomes `user_ids`.
        if self
            .operation
            .request_body
            .as_ref()
            .is_some_and(|r| r.required)
            && let Some(body) = self.builder_fields.get("body")
            && !quote!(#body).to_string().contains("builder ::")
        {
            let name = format_ident!("{}", plain_body_name(type_name(body).as_deref()));
            let ty = self.qualified(body.clone());
            parameter_setters.push(quote!(.body(::std::convert::Into::<#ty>::into(#name))));
            shape.arguments.push(Argument {
                name,
                ty,
                wire: "requestBody".to_owned(),
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
                // A list takes any iterator of anything that converts into its items
                // (`["admin"]`, a `Vec<&str>`), as the list setters do.
                let value = match generic_argument(&ty, "Vec") {
                    Some(item) => quote!(#ident
                        .into_iter()
                        .map(::std::convert::Into::<#item>::into)
                        .collect::<#ty>()),
                    None => quote!(::std::convert::Into::<#ty>::into(#ident)),
                };
                // The body builder's setter takes the value itself (see `nested_setters`), but
                // for a map, whose setter takes the `Option`.
                body_values.push(if optional && !takes_the_value(&ty) {
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
        let mut token_setter = TokenStream::new();
        if let Some(token) = shape.user_token {
            let (name, ty) = (token.name(), token.ty());
            inputs.push(parse_quote!(#name: impl ::std::convert::Into<#ty>));
            token_setter = quote!(call.#name = ::std::option::Option::Some(#name.into()););
        }
        for argument in &shape.arguments {
            let (name, ty) = (&argument.name, &argument.ty);
            inputs.push(match generic_argument(ty, "Vec").filter(|_| argument.in_body) {
                Some(item) => parse_quote!(
                    #name: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>
                ),
                None => parse_quote!(#name: impl ::std::convert::Into<#ty>),
            });
        }
        let builder = format_ident!("{}", self.operation.builder_name());
        let body_map = if body_values.is_empty() {
            TokenStream::new()
        } else {
            quote!(.body_map(move |body| body #(#body_values)*))
        };
        let block = if token_setter.is_empty() {
            parse_quote!({
                builder::#builder::new(self) #(#parameter_setters)* #body_map
            })
        } else {
            parse_quote!({
                let mut call = builder::#builder::new(self) #(#parameter_setters)* #body_map;
                #token_setter
                call
            })
        };
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
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        if let Some(token) = shape.user_token {
            // The user's token comes first; a parameter or property of its name would clash.
            seen.insert(
                token.name().to_string(),
                "the signed-in user's token".to_owned(),
            );
        }
        for argument in &shape.arguments {
            if let Some(other) = seen.insert(argument.name.to_string(), argument.wire.clone()) {
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
        let wrapped = optional && !takes_the_value(&inner);
        let set = |value: TokenStream| {
            if wrapped {
                quote!(body.#name(::std::option::Option::Some(#value)))
            } else {
                quote!(body.#name(#value))
            }
        };
        let mut setter: syn::ImplItemFn = if let Some(item) = generic_argument(&inner, "Vec") {
            // Items convert as a single value does: `&str` into a string, a nested type's
            // builder into the type (which can fail, so the failure is kept for `send`).
            let shown = type_name(&item).unwrap_or_else(|| "item".to_owned());
            let set = set(quote!(values));
            parse_quote! {
                pub fn #name<I>(mut self, values: I) -> Self
                where
                    I: ::std::iter::IntoIterator,
                    I::Item: ::std::convert::TryInto<#item>,
                    <I::Item as ::std::convert::TryInto<#item>>::Error: ::std::fmt::Display,
                {
                    self.body = self.body.and_then(|body| {
                        let values = values
                            .into_iter()
                            .map(::std::convert::TryInto::try_into)
                            .collect::<::std::result::Result<#inner, _>>()
                            .map_err(|error| format!(
                                "conversion to `{}` for an item of `{}` failed: {}",
                                #shown, #wire, error
                            ))?;
                        Ok(#set)
                    });
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

/// The argument's name for a whole body that is not an object: its schema's name in snake
/// case, a trailing `List` read as a plural (`UserIdList` → `user_ids`); `body` without a name.
fn plain_body_name(schema: Option<&str>) -> String {
    let Some(schema) = schema else {
        return "body".to_owned();
    };
    let snake = heck::ToSnakeCase::to_snake_case(schema);
    match snake.strip_suffix("_list") {
        Some(item) => format!("{item}s"),
        None => snake,
    }
}

#[cfg(test)]
mod tests {
    use super::plain_body_name;

    #[test]
    fn a_plain_body_is_named_after_its_schema() {
        assert_eq!(plain_body_name(Some("UserIdList")), "user_ids");
        assert_eq!(plain_body_name(Some("Batch")), "batch");
        assert_eq!(plain_body_name(None), "body");
    }
}
