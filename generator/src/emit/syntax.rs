//! Syntax helpers the passes share, below all of them: attributes and literals built directly
//! (parsing each from tokens would cost more than the passes), the items of a module, the
//! operation ids progenitor's code names, and the internal diagnostic every pass reports when
//! progenitor's output does not have the shape it expects.

use std::collections::BTreeSet;

use syn::Item;
use syn::visit::Visit;

use crate::diagnostic::{Location, Report, Rule};

/// `#[doc = "…"]`, built directly: the generator adds one per operation, and parsing each from
/// tokens would cost more than all of the rest of this step.
pub(crate) fn doc_attribute(text: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Ident::new("doc", proc_macro2::Span::call_site()).into(),
            eq_token: Default::default(),
            value: string_literal(text),
        }),
    }
}

pub(crate) fn string_literal(text: &str) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(text, proc_macro2::Span::call_site())),
    })
}

/// Rewrites the text of each `#[doc = "…"]` among `attrs`: `change` gets the text and returns
/// the new one, or `None` to leave the attribute as it is.
pub(crate) fn rewrite_docs(
    attrs: &mut [syn::Attribute],
    mut change: impl FnMut(&str) -> Option<String>,
) {
    for attr in attrs {
        let syn::Meta::NameValue(doc) = &mut attr.meta else {
            continue;
        };
        if !doc.path.is_ident("doc") {
            continue;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &doc.value
        else {
            continue;
        };
        if let Some(changed) = change(&text.value()) {
            doc.value = string_literal(&changed);
        }
    }
}

pub(crate) fn internal(report: &mut Report, message: String) {
    report.push(
        Location::Document,
        Rule::Internal,
        message,
        "this is a generator bug (progenitor's output changed shape); please report it",
    );
}

/// The items of `mod name` among `items`.
pub(crate) fn module_items<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// Collects the `operation_id` of every `OperationInfo { .. }` progenitor builds.
#[derive(Default)]
pub(crate) struct ReportedIds {
    pub(crate) ids: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for ReportedIds {
    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        if expr.path.is_ident("OperationInfo") {
            for field in &expr.fields {
                let is_id = matches!(&field.member, syn::Member::Named(n) if n == "operation_id");
                if let (
                    true,
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(id),
                        ..
                    }),
                ) = (is_id, &field.expr)
                {
                    self.ids.insert(id.value());
                }
            }
        }
        syn::visit::visit_expr_struct(self, expr);
    }
}
