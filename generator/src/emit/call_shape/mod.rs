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
//!
//! In: the client after renaming, docs and redaction, and the operations by method name. Out:
//! each operation's method and builder rewritten, and each operation's [`CallShape`] (its
//! arguments and setters), from which the method docs' example is written. `plan` works out one
//! call and `read` reads what progenitor generated (the fields of each type and builder).

mod plan;
mod read;

pub(crate) use plan::CallShape;
pub(crate) use read::{builder_fields, generic_argument, type_name};

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;
use syn::{ImplItem, Item, parse_quote};

use crate::diagnostic::{Location, Report, Rule};
use crate::emit::syntax::internal;
use crate::model::Operation;
use plan::Plan;
use read::{is_named, module_items_mut, returned_builder, type_fields};

/// Rewrites every operation method and its builder; returns each operation's shape by method
/// name. Shapes the pass cannot build are reported (a spec problem, or an internal one).
pub(crate) fn apply(
    file: &mut syn::File,
    operations: &BTreeMap<String, &Operation>,
    report: &mut Report,
) -> BTreeMap<String, CallShape> {
    let builders = builder_fields(file);
    let bodies: BTreeSet<String> = builders
        .values()
        .filter_map(|fields| type_name(fields.get("body")?))
        .collect();
    let (type_names, types) = type_fields(file, &bodies);
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
        let builder = format_ident!("{name}");
        impls.push(parse_quote! {
            ///Awaiting the builder sends the request, as [`send`](Self::send) does.
            impl<'a> ::std::future::IntoFuture for #builder<'a> {
                type Output = #output;
                type IntoFuture = ::std::pin::Pin<
                    ::std::boxed::Box<
                        dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a,
                    >,
                >;
                fn into_future(self) -> Self::IntoFuture {
                    ::std::boxed::Box::pin(self.send())
                }
            }
        });
    }
    items.extend(impls);
}
