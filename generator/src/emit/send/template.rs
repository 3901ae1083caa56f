//! The fixed parts of the rewritten `send` ([`SendTemplate`]), parsed once per generation with
//! placeholders, and [`Fill`], which puts one operation's names and types in place of the
//! placeholders in a copy.

use proc_macro2::Ident;
use quote::format_ident;
use syn::visit_mut::VisitMut;
use syn::{Expr, parse_quote};

use crate::emit::syntax::string_literal;

/// The fixed parts of the rewritten `send`, parsed once per generation with placeholders that
/// each operation replaces in a copy: parsing the same code again for every operation would
/// cost several times more than copying it.
pub(super) struct SendTemplate {
    output: syn::ReturnType,
    /// `let operation = &super::super::operations::CONSTANT;`, alone in a block.
    block: syn::Block,
    pub(super) call: Expr,
    pub(super) execute: Expr,
    argument_error: Expr,
    body_error: Expr,
}

const SUCCESS: &str = "__SUCCESS__";
const CONSTANT: &str = "__OPERATION_CONSTANT__";
pub(super) const OPERATION: &str = "__OPERATION__";
pub(super) const CLIENT: &str = "__CLIENT__";
const CALL: &str = "__CALL__";
const WIRE_NAME: &str = "__WIRE_NAME__";

impl SendTemplate {
    pub(super) fn new() -> Self {
        let [success, constant, operation, client, call, wire_name] =
            [SUCCESS, CONSTANT, OPERATION, CLIENT, CALL, WIRE_NAME]
                .map(|name| format_ident!("{name}"));
        SendTemplate {
            output: parse_quote!(-> Result<crate::Response<#success>, crate::Error>),
            block: parse_quote!({
                let #operation = &super::super::operations::#constant;
            }),
            call: parse_quote!(crate::Call::new(#operation)),
            execute: parse_quote!(#client.execute(#call).await),
            argument_error: parse_quote!(
                |reason| crate::Error::invalid_argument(#operation, #wire_name, reason)
            ),
            body_error: parse_quote!(|reason| crate::Error::invalid_body(#operation, reason)),
        }
    }

    /// `-> Result<crate::Response<success>, crate::Error>`.
    pub(super) fn output(&self, success: syn::Type) -> syn::ReturnType {
        let mut output = self.output.clone();
        Fill {
            success: Some(success),
            ..Fill::default()
        }
        .visit_return_type_mut(&mut output);
        output
    }

    /// A block holding only the operation's binding.
    pub(super) fn block(&self, constant: &str, operation: &Ident) -> syn::Block {
        let mut block = self.block.clone();
        Fill::idents(&[(CONSTANT, constant), (OPERATION, &operation.to_string())])
            .visit_block_mut(&mut block);
        block
    }

    pub(super) fn argument_error(&self, operation: &Ident, wire_name: &str) -> Expr {
        let mut error = self.argument_error.clone();
        Fill {
            wire_name: Some(string_literal(wire_name)),
            idents: &[(OPERATION, &operation.to_string())],
            ..Fill::default()
        }
        .visit_expr_mut(&mut error);
        error
    }

    pub(super) fn body_error(&self, operation: &Ident) -> Expr {
        let mut error = self.body_error.clone();
        Fill::idents(&[(OPERATION, &operation.to_string())]).visit_expr_mut(&mut error);
        error
    }
}

/// Replaces the template's placeholders in a copy.
#[derive(Default)]
pub(super) struct Fill<'a> {
    pub(super) success: Option<syn::Type>,
    pub(super) call: Option<Expr>,
    pub(super) wire_name: Option<Expr>,
    pub(super) idents: &'a [(&'a str, &'a str)],
}

impl<'a> Fill<'a> {
    pub(super) fn idents(idents: &'a [(&'a str, &'a str)]) -> Self {
        Fill {
            idents,
            ..Fill::default()
        }
    }
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

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(path) = expr {
            let replacement = if path.path.is_ident(CALL) {
                self.call.take()
            } else if path.path.is_ident(WIRE_NAME) {
                self.wire_name.take()
            } else {
                None
            };
            if let Some(replacement) = replacement {
                *expr = replacement;
                return;
            }
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some((_, value)) = self.idents.iter().find(|(name, _)| ident == name) {
            *ident = proc_macro2::Ident::new(value, ident.span());
        }
    }
}
