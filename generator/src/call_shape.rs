//! Call shapes: each operation's client method takes what the call cannot do without as
//! arguments, and its builder gains a setter for every other body field.
//!
//! progenitor's method takes nothing and its builder takes the whole body
//! (`client.verify_otp_email().body(OtpVerifyRequest::builder().login_id(id).code(code))`), so a
//! missing field is found only by `send`. This pass rewrites the method to
//!
//! ```text
//! pub fn verify_otp_email(&self, login_id: impl Into<String>, code: impl Into<String>)
//!     -> builder::VerifyOtpEmail<'_>
//! {
//!     builder::VerifyOtpEmail::new(self).body_map(move |body| body.login_id(..).code(..))
//! }
//! ```
//!
//! The arguments are the required parameters (the operation's, then its path item's, in the
//! spec's order) and then the body properties the spec requires (`JsonBody::arguments`, in the
//! order of `required`), so the spec decides the order and `cargo xtask diff` can tell when it
//! changes. Every other top-level body field gets a setter on the builder that takes the field's
//! inner type without `Some` (`.uri("https://…")`), anything convertible to it (a nested type's
//! builder too), or, for lists and maps, any iterator of items or pairs. progenitor's `body` and
//! `body_map` stay, for bodies built at run time and for clearing a field.
//!
//! After `send` is rewritten, [`awaitable`] makes each builder `IntoFuture`, so awaiting it sends
//! it: `client.verify_otp_email(id, code).await`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{ImplItem, Item, parse_quote};

use crate::diagnostic::{Location, Report, Rule};
use crate::model::Operation;
use crate::postprocess::internal;

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

/// A field of a generated type: its Rust name, type and doc attributes, by wire name.
struct TypeField {
    name: syn::Ident,
    ty: syn::Type,
    docs: Vec<syn::Attribute>,
}

/// Rewrites every operation method and its builder; returns each operation's shape by method
/// name. Shapes the pass cannot build are reported (a spec problem, or an internal one).
pub(crate) fn apply(
    file: &mut syn::File,
    operations: &BTreeMap<String, &Operation>,
    report: &mut Report,
) -> BTreeMap<String, CallShape> {
    let types = type_fields(file);
    let type_names: BTreeSet<String> = types.keys().cloned().collect();
    let builders = builder_fields(file);
    let templates = Templates::new();
    let mut shapes = BTreeMap::new();
    let mut builder_setters: BTreeMap<String, Vec<syn::ImplItemFn>> = BTreeMap::new();

    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !is_named(&block.self_ty, "Client") {
            continue;
        }
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let method = function.sig.ident.to_string();
            let Some(operation) = operations.get(&method) else {
                continue;
            };
            let Some(builder) = returned_builder(&function.sig.output) else {
                internal(
                    report,
                    format!("`Client::{method}` does not return one of the builders"),
                );
                continue;
            };
            let Some(fields) = builders.get(&builder) else {
                internal(report, format!("builder `{builder}` was not found"));
                continue;
            };
            let plan = Plan {
                templates: &templates,
                operation,
                builder_fields: fields,
                types: &types,
                type_names: &type_names,
            };
            match plan.shape() {
                Ok((shape, body_setters, call)) => {
                    function.sig.inputs = call.inputs;
                    function.block = call.block;
                    builder_setters.insert(builder, body_setters);
                    shapes.insert(method, shape);
                }
                Err(problem) => report.push(
                    Location::operation(
                        &operation.http_method,
                        &operation.path,
                        Some(&operation.operation_id),
                    ),
                    Rule::RequestBody,
                    problem,
                    "give the property another Rust name with `x-rust-name`",
                ),
            }
        }
    }

    let Some((_, items)) = module_items_mut(file, "builder") else {
        internal(report, "progenitor's `mod builder` was not found".into());
        return shapes;
    };
    for item in items {
        let Item::Impl(block) = item else { continue };
        let Some(name) = type_name(&block.self_ty) else {
            continue;
        };
        if let Some(setters) = builder_setters.remove(&name) {
            // After the setters progenitor wrote, before `send`.
            let at = block
                .items
                .iter()
                .position(|item| matches!(item, ImplItem::Fn(f) if f.sig.ident == "send"))
                .unwrap_or(block.items.len());
            block
                .items
                .splice(at..at, setters.into_iter().map(ImplItem::Fn));
        }
    }
    shapes
}

/// Makes every builder in `mod builder` that has a `send` awaitable: `IntoFuture` whose future
/// is `send`'s, boxed (an `async fn`'s future has no name to put in `type IntoFuture`).
pub(crate) fn awaitable(file: &mut syn::File) {
    let Some((_, items)) = module_items_mut(file, "builder") else {
        return;
    };
    // Parsed once, filled in per builder (see `Templates`).
    let template: syn::ItemImpl = parse_quote! {
        ///Awaiting the builder sends the request, as [`send`](Self::send) does.
        impl<'a> ::std::future::IntoFuture for __Builder<'a> {
            type Output = __Inner;
            type IntoFuture = ::std::pin::Pin<
                ::std::boxed::Box<
                    dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a,
                >,
            >;
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
    let mut impls = Vec::new();
    for item in items.iter() {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let send = block.items.iter().find_map(|item| match item {
            ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
            _ => None,
        });
        let (Some(send), Some(name)) = (send, type_name(&block.self_ty)) else {
            continue;
        };
        let syn::ReturnType::Type(_, output) = &send.sig.output else {
            continue;
        };
        let mut awaitable = template.clone();
        if let syn::Type::Path(path) = awaitable.self_ty.as_mut()
            && let Some(segment) = path.path.segments.last_mut()
        {
            segment.ident = format_ident!("{name}");
        }
        Fill {
            field: &format_ident!("send"),
            inner: output,
            key: None,
            item: None,
            shown: "",
            wire: "",
        }
        .visit_item_impl_mut(&mut awaitable);
        impls.push(Item::Impl(awaitable));
    }
    items.extend(impls);
}

/// The method's new signature inputs and block.
struct Call {
    inputs: syn::punctuated::Punctuated<syn::FnArg, syn::Token![,]>,
    block: syn::Block,
}

struct Plan<'p> {
    templates: &'p Templates,
    operation: &'p Operation,
    builder_fields: &'p BTreeMap<String, syn::Type>,
    types: &'p BTreeMap<String, BTreeMap<String, TypeField>>,
    type_names: &'p BTreeSet<String>,
}

impl Plan<'_> {
    fn shape(&self) -> Result<(CallShape, Vec<syn::ImplItemFn>, Call), String> {
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
        let builder = format_ident!("{}", self.operation.operation_id);
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

    /// A setter on the operation's builder for one optional body field, from the template of
    /// its kind.
    fn setter(&self, wire: &str, field: &TypeField) -> syn::ImplItemFn {
        let (inner, optional) = match generic_argument(&field.ty, "Option") {
            Some(inner) => (self.qualified(inner), true),
            None => (self.qualified(field.ty.clone()), false),
        };
        let (template, key, item) = if let Some(item) = generic_argument(&inner, "Vec") {
            (
                &self.templates.list[usize::from(optional)],
                None,
                Some(item),
            )
        } else if let Some((key, item)) = map_arguments(&inner) {
            (
                &self.templates.map[usize::from(optional)],
                Some(key),
                Some(item),
            )
        } else {
            (&self.templates.plain[usize::from(optional)], None, None)
        };
        let shown = type_name(&inner).unwrap_or_else(|| "value".to_owned());
        let mut setter = template.clone();
        Fill {
            field: &field.name,
            inner: &inner,
            key: key.as_ref(),
            item: item.as_ref(),
            shown: &shown,
            wire,
        }
        .visit_impl_item_fn_mut(&mut setter);
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

/// The setters' shapes, parsed once and filled in per field (parsing one per field cost more
/// than the rest of the pass). Index 0 sets the field as it is, 1 wraps it in `Some`.
struct Templates {
    plain: [syn::ImplItemFn; 2],
    list: [syn::ImplItemFn; 2],
    map: [syn::ImplItemFn; 2],
}

impl Templates {
    fn new() -> Self {
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
struct Fill<'f> {
    field: &'f syn::Ident,
    inner: &'f syn::Type,
    key: Option<&'f syn::Type>,
    item: Option<&'f syn::Type>,
    shown: &'f str,
    wire: &'f str,
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

/// The fields of every struct in `mod types`, by struct name and then by wire name.
fn type_fields(file: &syn::File) -> BTreeMap<String, BTreeMap<String, TypeField>> {
    let mut types = BTreeMap::new();
    let Some((_, items)) = module_items(file, "types") else {
        return types;
    };
    for item in items {
        let (name, fields) = match item {
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
            Item::Enum(enumeration) => (enumeration.ident.to_string(), BTreeMap::new()),
            Item::Type(alias) => (alias.ident.to_string(), BTreeMap::new()),
            _ => continue,
        };
        types.insert(name, fields);
    }
    types
}

/// Each builder's fields (but the client) and the type its field holds: `Result<T, String>` and
/// `Result<Option<T>, String>` give `T`; the body's `types::builder::X` stays as it is.
fn builder_fields(file: &syn::File) -> BTreeMap<String, BTreeMap<String, syn::Type>> {
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

fn module_items_mut<'f>(
    file: &'f mut syn::File,
    name: &str,
) -> Option<&'f mut (syn::token::Brace, Vec<Item>)> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => module.content.as_mut(),
        _ => None,
    })
}

/// `X` of a method returning `builder::X<'_>`.
fn returned_builder(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return None;
    };
    let segments = &path.path.segments;
    (segments.len() == 2 && segments[0].ident == "builder").then(|| segments[1].ident.to_string())
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    type_name(ty).as_deref() == Some(name)
}

/// The last segment's name of a path type.
fn type_name(ty: &syn::Type) -> Option<String> {
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
fn map_arguments(ty: &syn::Type) -> Option<(syn::Type, syn::Type)> {
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
