//! Rewrites each builder's `send` so the call goes through the client's runtime.
//!
//! progenitor's `send` builds the request, runs the hooks and decodes the answer into
//! `progenitor_client::Error`. That error type cannot tell a proxy's HTML page from the service's
//! error body (both become a status-less decode error), cannot name Descope's error codes, and the
//! hooks cannot retry. The spec says more: every operation is a JSON `POST` whose failures share
//! one error body. So `send` keeps progenitor's typed builder and success type but hands the
//! validated body to the runtime:
//!
//! ```text
//! pub async fn send(self) -> Result<crate::Response<Success>, crate::Error> {
//!     let Self { client, body } = self;
//!     let operation = &super::super::operations::SIGN_UP_OTP_EMAIL;
//!     let body = body.and_then(..).map_err(|reason| crate::Error::invalid_body(operation, reason))?;
//!     client.execute(operation, &body).await
//! }
//! ```
//!
//! The runtime contract (`crate::Response`, `crate::Error::invalid_body`, `Client::execute`) is
//! written down in ARCHITECTURE.md. Anything in progenitor's output that does not have the shape
//! this rewrite expects stops generation with an internal diagnostic rather than a guess.

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{ImplItem, Item, parse_quote};

use crate::diagnostic::Report;
use crate::model::Operation;
use crate::postprocess::{ReportedIds, internal};

/// Rewrites every `send` in `mod builder` and removes progenitor's assertion that the client
/// implements its hooks, which nothing calls any more. Returns the method names rewritten.
pub(crate) fn rewrite(
    file: &mut syn::File,
    operations: &BTreeMap<String, &Operation>,
    report: &mut Report,
) -> BTreeSet<String> {
    file.items.retain(|item| !is_hooks_assertion(item));
    let mut rewritten = BTreeSet::new();
    let builder = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    });
    let Some((_, items)) = builder else {
        internal(report, "progenitor's `mod builder` was not found".into());
        return rewritten;
    };
    let template = SendTemplate::new();
    for item in items {
        let Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            match rewrite_send(function, operations, &template) {
                Ok(method_name) => {
                    rewritten.insert(method_name);
                }
                Err(problem) => internal(report, problem),
            }
        }
    }
    rewritten
}

fn rewrite_send(
    function: &mut syn::ImplItemFn,
    operations: &BTreeMap<String, &Operation>,
    template: &SendTemplate,
) -> Result<String, String> {
    let mut reported = ReportedIds::default();
    reported.visit_impl_item_fn(function);
    let method_name = match reported.ids.len() {
        1 => reported.ids.pop_first().unwrap_or_default(),
        n => {
            return Err(format!(
                "a builder's `send` names {n} operations instead of one"
            ));
        }
    };
    let operation = operations
        .get(&method_name)
        .ok_or_else(|| format!("`send` of `{method_name}` matches no operation of the spec"))?;
    let success = success_type(&function.sig.output)
        .ok_or_else(|| format!("`send` of `{method_name}` does not return `ResponseValue<_>`"))?;
    let request_type = operation.request_type.as_deref().ok_or_else(|| {
        format!("`{method_name}` has no request body type, which every operation must have")
    })?;
    let constant = operation.constant_name();
    function.sig.output = template.output(success);
    function.block = template.block(&constant, request_type);
    Ok(method_name)
}

/// The rewritten `send`, parsed once per generation with placeholders that each operation
/// replaces in a copy: parsing the same code again for every operation would cost several times
/// more than copying it.
struct SendTemplate {
    output: syn::ReturnType,
    block: syn::Block,
}

const SUCCESS: &str = "__SUCCESS__";
const CONSTANT: &str = "__OPERATION_CONSTANT__";
const REQUEST_TYPE: &str = "__REQUEST_TYPE__";

impl SendTemplate {
    fn new() -> Self {
        let (success, constant, request_type) = (
            format_ident!("{SUCCESS}"),
            format_ident!("{CONSTANT}"),
            format_ident!("{REQUEST_TYPE}"),
        );
        SendTemplate {
            output: parse_quote!(-> Result<crate::Response<#success>, crate::Error>),
            block: parse_quote!({
                let Self { client, body } = self;
                let operation = &super::super::operations::#constant;
                let body = body
                    .and_then(|v| types::#request_type::try_from(v).map_err(|e| e.to_string()))
                    .map_err(|reason| crate::Error::invalid_body(operation, reason))?;
                client.execute(operation, &body).await
            }),
        }
    }

    /// `-> Result<crate::Response<success>, crate::Error>`.
    fn output(&self, success: syn::Type) -> syn::ReturnType {
        let mut output = self.output.clone();
        Fill {
            success: Some(success),
            idents: &[],
        }
        .visit_return_type_mut(&mut output);
        output
    }

    /// The body of `send` for the operation with this constant and request type.
    fn block(&self, constant: &str, request_type: &str) -> syn::Block {
        let mut block = self.block.clone();
        Fill {
            success: None,
            idents: &[(CONSTANT, constant), (REQUEST_TYPE, request_type)],
        }
        .visit_block_mut(&mut block);
        block
    }
}

/// Replaces the template's placeholders in a copy.
struct Fill<'a> {
    success: Option<syn::Type>,
    idents: &'a [(&'a str, &'a str)],
}

impl VisitMut for Fill<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if matches!(ty, syn::Type::Path(path) if path.path.is_ident(SUCCESS))
            && let Some(success) = self.success.take()
        {
            *ty = success;
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some((_, value)) = self.idents.iter().find(|(name, _)| ident == name) {
            *ident = proc_macro2::Ident::new(value, ident.span());
        }
    }
}

/// `T` in progenitor's `Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = last_segment(ty, "Result")?;
    let syn::GenericArgument::Type(ok) = generic_arguments(result)?.first()? else {
        return None;
    };
    let response_value = last_segment(ok, "ResponseValue")?;
    match generic_arguments(response_value)?.first()? {
        syn::GenericArgument::Type(success) => Some(success.clone()),
        _ => None,
    }
}

fn last_segment<'a>(ty: &'a syn::Type, name: &str) -> Option<&'a syn::PathSegment> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    path.path
        .segments
        .last()
        .filter(|segment| segment.ident == name)
}

fn generic_arguments(
    segment: &syn::PathSegment,
) -> Option<&syn::punctuated::Punctuated<syn::GenericArgument, syn::Token![,]>> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(arguments) => Some(&arguments.args),
        _ => None,
    }
}

/// progenitor's `const _: () = { fn assert_client_hooks() where Client: ClientHooks<..> {} };`.
fn is_hooks_assertion(item: &Item) -> bool {
    let Item::Const(constant) = item else {
        return false;
    };
    let syn::Expr::Block(block) = constant.expr.as_ref() else {
        return false;
    };
    block.block.stmts.iter().any(|statement| {
        matches!(statement, syn::Stmt::Item(Item::Fn(function))
            if function.sig.ident == "assert_client_hooks")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_success_type_is_read_from_progenitor_s_signature() {
        let output: syn::ReturnType =
            parse_quote!(-> Result<ResponseValue<types::JwtResponse>, Error<types::ErrorResponse>>);
        let shown = |ty: Option<syn::Type>| ty.map(|ty| quote::quote!(#ty).to_string());
        assert_eq!(
            shown(success_type(&output)).as_deref(),
            Some("types :: JwtResponse")
        );
        let other: syn::ReturnType = parse_quote!(-> Result<types::JwtResponse, Error<()>>);
        assert_eq!(shown(success_type(&other)), None);
        assert_eq!(shown(success_type(&syn::ReturnType::Default)), None);
    }

    #[test]
    fn only_the_hooks_assertion_is_recognised() {
        let assertion: Item = parse_quote! {
            const _: () = {
                fn assert_client_hooks() where Client: ClientHooks<crate::ClientState> {}
            };
        };
        let other: Item = parse_quote!(
            const _: () = {
                fn something_else() {}
            };
        );
        assert!(is_hooks_assertion(&assertion));
        assert!(!is_hooks_assertion(&other));
    }
}
