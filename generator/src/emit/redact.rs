//! Keeps secrets out of `Debug`: properties marked `x-descope-sensitive: true` in the spec are
//! printed as `<redacted>` by the generated types and their builders.
//!
//! progenitor derives `Debug` on every type. For a schema with a sensitive property, the derive
//! is removed and a hand-shaped impl is emitted that prints every other field as usual. Marking a
//! new property in the spec is all it takes to protect it.

use std::collections::BTreeSet;

use proc_macro2::Span;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Item, parse_quote};

use super::syntax::{module_items, string_literal};
use crate::diagnostic::{Location, Report, Rule};
use crate::model::SensitiveFields;

/// Replaces the derived `Debug` of every type (and type builder) with sensitive fields.
pub(crate) fn apply(file: &mut syn::File, sensitive: &SensitiveFields, report: &mut Report) {
    let mut redacted = BTreeSet::new();
    let template = DebugTemplate::new();
    if let Some(types) = module_items(&mut file.items, "types") {
        redact_structs(types, sensitive, &template, &mut redacted);
        if let Some(builders) = module_items(types, "builder") {
            redact_structs(builders, sensitive, &template, &mut redacted);
        }
    }
    for schema in sensitive.keys() {
        if !redacted.contains(schema) {
            report.push(
                Location::Schema(schema.clone()),
                Rule::Internal,
                format!("schema {schema} has sensitive properties but no generated type derives Debug for it"),
                "this is a generator bug (progenitor's output changed shape); please report it",
            );
        }
    }
}

fn redact_structs(
    items: &mut Vec<Item>,
    sensitive: &SensitiveFields,
    template: &DebugTemplate,
    redacted: &mut BTreeSet<String>,
) {
    // Rebuilt rather than inserted into: one insertion shifts every later item, and a large spec
    // redacts thousands of types.
    let mut output = Vec::with_capacity(items.len());
    for mut item in items.drain(..) {
        let debug_impl = match &mut item {
            Item::Struct(item) => {
                let name = item.ident.to_string();
                match sensitive.get(&name) {
                    Some(fields) if remove_derived_debug(&mut item.attrs) => {
                        redacted.insert(name);
                        Some(template.debug_impl(item, fields))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        output.push(item);
        output.extend(debug_impl);
    }
    *items = output;
}

/// Removes `Debug` from the item's `#[derive(..)]`; false when it did not derive it.
fn remove_derived_debug(attrs: &mut [syn::Attribute]) -> bool {
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let is_debug = |path: &syn::Path| path.segments.last().is_some_and(|s| s.ident == "Debug");
        if !paths.iter().any(is_debug) {
            continue;
        }
        let kept = paths.iter().filter(|path| !is_debug(path));
        if let syn::Meta::List(list) = &mut attr.meta {
            list.tokens = quote!(#(#kept),*);
            return true;
        }
    }
    false
}

/// The parts of every redacting `Debug` impl, parsed once per generation; each impl is assembled
/// from copies. Parsing a whole impl from tokens for every type was most of what redaction cost
/// on a large spec.
struct DebugTemplate {
    /// `impl Debug for PLACEHOLDER { fn fmt(&self, f) -> Result { f } }`.
    item: syn::ItemImpl,
    /// `&self.PLACEHOLDER`.
    shown: syn::Expr,
    /// `&self.PLACEHOLDER.as_ref().map(|_| "<redacted>")`: whether a token came back is useful
    /// when debugging; its value never is.
    shown_if_present: syn::Expr,
    /// `&"<redacted>"`.
    hidden: syn::Expr,
}

impl DebugTemplate {
    fn new() -> Self {
        DebugTemplate {
            item: parse_quote! {
                impl ::std::fmt::Debug for PLACEHOLDER {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f
                    }
                }
            },
            shown: parse_quote!(&self.PLACEHOLDER),
            shown_if_present: parse_quote!(&self.PLACEHOLDER.as_ref().map(|_| "<redacted>")),
            hidden: parse_quote!(&"<redacted>"),
        }
    }

    /// `Debug` for `item` that prints each field in `sensitive` as `<redacted>`.
    fn debug_impl(&self, item: &syn::ItemStruct, sensitive: &BTreeSet<String>) -> Item {
        let name = &item.ident;
        let mut chain = method_call(
            syn::Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: None,
                path: syn::Ident::new("f", Span::call_site()).into(),
            }),
            "debug_struct",
            vec![string_literal(&name.to_string())],
        );
        for field in &item.fields {
            let Some(ident) = &field.ident else { continue };
            let text = ident.to_string();
            let template = if !sensitive.contains(&text) {
                &self.shown
            } else if is_option(&field.ty) {
                &self.shown_if_present
            } else {
                &self.hidden
            };
            let mut shown = template.clone();
            FieldName(ident).visit_expr_mut(&mut shown);
            chain = method_call(chain, "field", vec![string_literal(&text), shown]);
        }
        let mut debug = self.item.clone();
        debug.self_ty = Box::new(syn::Type::Path(syn::TypePath {
            attrs: Vec::new(),
            qself: None,
            path: name.clone().into(),
        }));
        for member in &mut debug.items {
            if let syn::ImplItem::Fn(function) = member {
                function.block.stmts = vec![syn::Stmt::Expr(
                    method_call(chain, "finish", Vec::new()),
                    None,
                )];
                break;
            }
        }
        Item::Impl(debug)
    }
}

/// Puts the field's name where the template says `PLACEHOLDER`.
struct FieldName<'a>(&'a syn::Ident);

impl VisitMut for FieldName<'_> {
    fn visit_member_mut(&mut self, member: &mut syn::Member) {
        if matches!(member, syn::Member::Named(name) if name == "PLACEHOLDER") {
            *member = syn::Member::Named(self.0.clone());
        }
    }
}

fn method_call(receiver: syn::Expr, method: &str, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: syn::Ident::new(method, Span::call_site()),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
