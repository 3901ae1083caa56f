//! Rewrites each builder's `send` so the call goes through the client's runtime.
//!
//! progenitor's `send` builds the request, runs the hooks and decodes the answer into
//! `progenitor_client::Error`. That error type cannot tell a proxy's HTML page from the service's
//! error body (both become a status-less decode error), cannot name Descope's error codes, and the
//! hooks cannot retry. So `send` keeps progenitor's typed builder, its success type and its
//! checks of each input (the statements that turn each builder field into a value), and hands
//! the values to the runtime, each placed where the spec says it goes:
//!
//! ```text
//! pub async fn send(self) -> Result<crate::Response<Success>, crate::Error> {
//!     let Self { client, project_id, certs } = self;                  // progenitor's
//!     let operation = &super::super::operations::GET_KEYS;
//!     let project_id = project_id
//!         .map_err(|reason| crate::Error::invalid_argument(operation, "projectId", reason))?;
//!     let certs = certs
//!         .map_err(|reason| crate::Error::invalid_argument(operation, "certs", reason))?;
//!     client
//!         .execute(crate::Call::new(operation).path("projectId", &project_id).query("certs", &certs))
//!         .await
//! }
//! ```
//!
//! A body is checked the same way (`crate::Error::invalid_body`) and placed with `.json(&body)`,
//! or `.form(&body)` for a form. The runtime contract (`crate::Call`, `crate::Response`, the two error
//! constructors, `Client::execute`) is written down in ARCHITECTURE.md. Anything in progenitor's
//! output that does not have the shape this rewrite expects (a builder field the spec does not
//! explain, an input without its check) stops generation with an internal diagnostic rather
//! than a guess.
//!
//! In: the post-processed client and the operations by method name. Out: every builder's `send`
//! rewritten, and the method names it sends (the driver compares them with the operation
//! table).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span};
use quote::format_ident;
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Expr, ImplItem, Item, Stmt, parse_quote};

use crate::diagnostic::Report;
use crate::emit::syntax::{ReportedIds, internal, string_literal};
use crate::emit::user_token::UserToken;
use crate::model::Operation;

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
    for item in items {
        let Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            match rewrite_send(function, operations) {
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
    let block = send_block(&function.block.stmts, operation)
        .map_err(|problem| format!("`send` of `{method_name}`: {problem}"))?;
    function.sig.output = parse_quote!(-> Result<crate::Response<#success>, crate::Error>);
    function.block = block;
    Ok(method_name)
}

/// What each builder field carries, from the spec: the body or a parameter.
enum Input<'o> {
    Body,
    Parameter(&'o crate::model::Parameter),
}

/// The new body of `send`: progenitor's destructuring and its check of each input, then the
/// call through the runtime.
fn send_block(statements: &[Stmt], operation: &Operation) -> Result<syn::Block, String> {
    let destructuring = statements.first().ok_or("the function is empty")?.clone();
    let fields = destructured_fields(&destructuring)
        .ok_or("it does not begin with `let Self { .. } = self;`")?;
    let (client, inputs) = fields
        .split_first()
        .ok_or("the builder has no client field")?;

    // Each builder field must be an input the spec declares, and each input a field.
    let mut expected: BTreeMap<String, Input<'_>> = operation
        .parameters
        .iter()
        .map(|parameter| (parameter.rust_name(), Input::Parameter(parameter)))
        .collect();
    if operation.request_body.is_some() {
        expected.insert("body".to_owned(), Input::Body);
    }
    if statements.len() <= inputs.len() {
        return Err("it checks fewer inputs than the builder has".to_owned());
    }
    let found: BTreeSet<String> = inputs.iter().map(Ident::to_string).collect();
    if found != expected.keys().cloned().collect::<BTreeSet<_>>() {
        return Err(format!(
            "the builder's fields {found:?} differ from the spec's inputs {:?}",
            expected.keys().collect::<Vec<_>>()
        ));
    }

    let operation_ident = unique_ident("operation", &fields);
    let constant = format_ident!("{}", operation.constant_name());
    let mut block: syn::Block = parse_quote!({
        let #operation_ident = &super::super::operations::#constant;
    });
    let mut destructuring = destructuring;
    let mut call: Expr = parse_quote!(crate::Call::new(#operation_ident));
    // The user's token the method took (see `user_token`): destructured too, and handed to the
    // call, which prefers it to the client's.
    if let Some(token) = UserToken::of(operation.credential) {
        let name = token.name();
        if let Stmt::Local(local) = &mut destructuring {
            local.pat = parse_quote!(Self { #(#fields,)* #name });
        }
        call = method_call(call, &name.to_string(), vec![parse_quote!(#name)]);
    }
    block.stmts.insert(0, destructuring);
    for (field, statement) in inputs.iter().zip(&statements[1..]) {
        let input = &expected[&field.to_string()];
        let mut check = statement.clone();
        let error = match input {
            Input::Body => {
                parse_quote!(|reason| crate::Error::invalid_body(#operation_ident, reason))
            }
            Input::Parameter(parameter) => {
                let wire_name = string_literal(&parameter.name);
                parse_quote!(
                    |reason| crate::Error::invalid_argument(#operation_ident, #wire_name, reason)
                )
            }
        };
        if !replace_check_error(&mut check, field, error) {
            return Err(format!(
                "no `let {field} = {field}….map_err(Error::InvalidRequest)?;` where expected"
            ));
        }
        block.stmts.push(check);
        call = match input {
            Input::Body => {
                let encoding = operation
                    .request_body
                    .as_ref()
                    .map_or(crate::model::BodyEncoding::Json, |body| body.encoding);
                method_call(call, encoding.call_method(), vec![reference(field)])
            }
            Input::Parameter(parameter) => method_call(
                call,
                parameter.location.call_method(),
                vec![string_literal(&parameter.name), reference(field)],
            ),
        };
    }
    block
        .stmts
        .push(Stmt::Expr(parse_quote!(#client.execute(#call).await), None));
    Ok(block)
}

/// The field names of `let Self { a, b, c } = self;`, in order.
fn destructured_fields(statement: &Stmt) -> Option<Vec<Ident>> {
    let Stmt::Local(local) = statement else {
        return None;
    };
    let syn::Pat::Struct(pattern) = &local.pat else {
        return None;
    };
    if !pattern.path.is_ident("Self") {
        return None;
    }
    pattern
        .fields
        .iter()
        .map(|field| match &field.member {
            syn::Member::Named(name) => Some(name.clone()),
            syn::Member::Unnamed(_) => None,
        })
        .collect()
}

/// In `let field = field….map_err(Error::InvalidRequest)?;`, puts `error` in place of
/// `Error::InvalidRequest`. False when the statement does not have that shape.
fn replace_check_error(statement: &mut Stmt, field: &Ident, error: Expr) -> bool {
    let Stmt::Local(local) = statement else {
        return false;
    };
    let binds_field = matches!(&local.pat, syn::Pat::Ident(binding) if binding.ident == *field);
    let Some(init) = local.init.as_mut().filter(|_| binds_field) else {
        return false;
    };
    let Expr::Try(attempt) = init.expr.as_mut() else {
        return false;
    };
    let Expr::MethodCall(map_err) = attempt.expr.as_mut() else {
        return false;
    };
    let is_progenitor_error = matches!(map_err.args.first(), Some(Expr::Path(path))
        if path.path.segments.last().is_some_and(|s| s.ident == "InvalidRequest"));
    if map_err.method != "map_err" || map_err.args.len() != 1 || !is_progenitor_error {
        return false;
    }
    map_err.args[0] = error;
    true
}

/// `name`, or `_name`, `__name`, … when a builder field already has it (progenitor does the same
/// for its own locals).
fn unique_ident(name: &str, taken: &[Ident]) -> Ident {
    let mut candidate = name.to_owned();
    while taken.iter().any(|ident| *ident == candidate) {
        candidate.insert(0, '_');
    }
    Ident::new(&candidate, Span::call_site())
}

/// `receiver.method(arguments…)`, built directly rather than parsed.
fn method_call(receiver: Expr, method: &str, arguments: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: Ident::new(method, Span::call_site()),
        turbofish: None,
        paren_token: Default::default(),
        args: arguments.into_iter().collect::<Punctuated<_, _>>(),
    })
}

/// `&name`.
fn reference(name: &Ident) -> Expr {
    parse_quote!(&#name)
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
