//! Edits progenitor's syntax tree where the spec implies code that progenitor does not write.
//!
//! - progenitor's `Client::new` unwraps the HTTP client build (a panic) and cannot know the
//!   project id: it is removed, and `new_with_client` is narrowed to the crate, so clients are
//!   made only through the runtime's fallible builder.
//! - progenitor ignores `security`: each operation method's docs gain the credential the spec
//!   requires, next to the table that `operations_file` emits from the same data.
//! - Properties with an `x-rust-name` in the spec get that name instead of the derived one
//!   (fields, builder methods, everything spelled with it); serde keeps the wire name.
//! - Types with `x-descope-sensitive` properties get a redacting `Debug` (see `redact`).
//! - Items progenitor and typify leave without docs get them from the spec (see `docs`).
//! - Each builder's `send` hands its body to the runtime (see `send`); every operation of the
//!   table must be sent by exactly one builder, or generation stops.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use syn::visit::Visit;
use syn::{ImplItem, Item, parse_quote};

use crate::Settings;
use crate::call_shape::{self, CallShape};
use crate::diagnostic::{Location, Report, Rule};
use crate::docs::SpecDocs;
use crate::model::{Credential, Operation};
use crate::redact::{self, SensitiveFields};
use crate::rename;
use crate::render;
use crate::send;
use crate::standalone;

pub(crate) fn client(
    tokens: TokenStream,
    operations: &[Operation],
    rust_names: &BTreeMap<String, String>,
    sensitive: &SensitiveFields,
    docs: &SpecDocs,
    settings: &Settings,
    report: &mut Report,
) -> Option<syn::File> {
    let mut file = render::parse(tokens, "progenitor client", report)?;

    rename::apply(&mut file, rust_names, report);
    // After the renames: the docs are keyed by the Rust names the spec chose.
    docs.apply(&mut file);
    redact::apply(&mut file, sensitive, report);

    let by_method_name: BTreeMap<String, &Operation> = operations
        .iter()
        .map(|operation| (operation.method_name(), operation))
        .collect();
    let shapes = call_shape::apply(&mut file, &by_method_name, report);
    let mut constructors_found = false;
    let mut documented = BTreeSet::new();
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            continue;
        }
        let before = block.items.len();
        block
            .items
            .retain(|item| !matches!(item, ImplItem::Fn(f) if f.sig.ident == "new"));
        let removed_new = before != block.items.len();
        for member in &mut block.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.to_string();
            if name == "new_with_client" {
                constructors_found = removed_new;
                function.vis = parse_quote!(pub(crate));
            } else if let Some(operation) = by_method_name.get(&name) {
                let Some(shape) = shapes.get(&name) else {
                    continue;
                };
                let example = doc_example(operation, shape, &settings.crate_name);
                replace_ignored_example(&mut function.attrs, &example);
                append_doc(&mut function.attrs, &credential_doc(operation.credential));
                documented.insert(name);
            }
        }
    }
    if !constructors_found {
        internal(
            report,
            "progenitor's `Client::new` / `new_with_client` pair was not found".into(),
        );
    }

    let expected: BTreeSet<String> = by_method_name.keys().cloned().collect();
    if documented != expected {
        internal(
            report,
            format!(
                "generated methods {documented:?} differ from the spec's operations {expected:?}"
            ),
        );
    }
    let rewritten = send::rewrite(&mut file, &by_method_name, report);
    call_shape::awaitable(&mut file);
    standalone::apply(&mut file, report);
    if rewritten != expected {
        internal(
            report,
            format!(
                "progenitor's builders send operations {rewritten:?}, but the operation table has \
                 {expected:?}"
            ),
        );
    }
    report.is_clean().then_some(file)
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}

/// progenitor's method docs end in an ```` ```ignore ```` example that would not compile. It is
/// replaced by a `no_run` example that compiles as a doctest.
fn replace_ignored_example(attrs: &mut [syn::Attribute], example: &str) {
    for attr in attrs.iter_mut() {
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
        let value = text.value();
        let Some(start) = value.find("```ignore") else {
            continue;
        };
        let Some(length) = value[start + 3..].find("```") else {
            continue;
        };
        let end = start + 3 + length + 3;
        let replaced = format!("{}{example}{}", &value[..start], &value[end..]);
        doc.value = string_literal(&replaced);
    }
}

/// Adds `text` to the end of the last doc attribute. A separate attribute would be rendered as
/// a block comment of its own, whose lines all start with `*` (the bold markup), and rustdoc
/// would take those asterisks for the comment's decoration and strip one: a stray `*` on every
/// page.
fn append_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    let last = attrs
        .iter_mut()
        .rev()
        .find_map(|attr| match &mut attr.meta {
            syn::Meta::NameValue(doc) if doc.path.is_ident("doc") => match &doc.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(existing),
                    ..
                }) => Some((existing.value(), doc)),
                _ => None,
            },
            _ => None,
        });
    match last {
        Some((existing, doc)) => doc.value = string_literal(&format!("{existing}{text}")),
        None => attrs.push(doc_attribute(text)),
    }
}

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

/// A compiling example of the call: each argument is the value of the spec's request example
/// where it has a string or a boolean there, else a parameter of the example function; the
/// example's other top-level strings and booleans show the setters; and the client carries the
/// credential the operation needs.
fn doc_example(operation: &Operation, shape: &CallShape, crate_name: &str) -> String {
    let method = operation.method_name();
    let example = operation
        .request_body
        .as_ref()
        .and_then(|body| body.example.as_ref());
    let literal = |wire: &str| match example.and_then(|example| example.get(wire)) {
        Some(serde_json::Value::String(text)) => Some(format!("{text:?}")),
        Some(serde_json::Value::Bool(flag)) => Some(flag.to_string()),
        _ => None,
    };
    let mut parameters = String::new();
    let mut arguments = Vec::new();
    for argument in &shape.arguments {
        let name = &argument.name;
        match literal(&argument.wire).filter(|_| argument.in_body) {
            Some(value) => arguments.push(value),
            None => {
                let ty = &argument.ty;
                let ty = quote::quote!(#ty).to_string().replace(' ', "");
                let ty = match ty.strip_prefix("types::") {
                    Some(rest) => format!("{crate_name}::types::{rest}"),
                    None => ty.replace("::std::string::String", "String"),
                };
                parameters.push_str(&format!(", {name}: {ty}"));
                arguments.push(name.to_string());
            }
        }
    }
    let mut setters = String::new();
    for setter in &shape.setters {
        if let Some(value) = literal(&setter.wire) {
            setters.push_str(&format!("\n    .{}({value})", setter.name));
        }
    }
    let (credential_parameter, receiver) = match operation.credential {
        Credential::ProjectIdAndRefreshJwt => (
            ", refresh_jwt: String",
            "client\n    .with_refresh_jwt(refresh_jwt)",
        ),
        Credential::ProjectIdAndSessionJwt => (
            ", session_jwt: String",
            "client\n    .with_session_jwt(session_jwt)",
        ),
        _ => ("", "client"),
    };
    let arguments = arguments.join(", ");
    format!(
        "```no_run\n\
         # async fn example(client: {crate_name}::Client{parameters}{credential_parameter})\n\
         # -> Result<(), {crate_name}::Error> {{\n\
         let response = {receiver}\n    .{method}({arguments}){setters}\n    .await?;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}

fn credential_doc(credential: Credential) -> String {
    let text = match credential {
        Credential::ProjectId => {
            "**Authentication:** `Bearer <ProjectId>`, from the client's project id."
        }
        Credential::ProjectIdOrRefreshJwt => {
            "**Authentication:** `Bearer <ProjectId>`; on a client made with \
             [`Client::with_refresh_jwt`] it sends `Bearer <ProjectId>:<RefreshJWT>`, which \
             step-up and MFA sign-in require."
        }
        Credential::ProjectIdAndRefreshJwt => {
            "**Authentication:** `Bearer <ProjectId>:<RefreshJWT>`. Call it on a client made \
             with [`Client::with_refresh_jwt`]; without one, `send` returns \
             `Error::InvalidRequest` before any request is made."
        }
        Credential::ProjectIdAndSessionJwt => {
            "**Authentication:** `Bearer <ProjectId>:<SessionJWT>`. Call it on a client made \
             with [`Client::with_session_jwt`]; without one, `send` returns \
             `Error::InvalidRequest` before any request is made."
        }
        Credential::None => "**Authentication:** none; no `Authorization` header is sent.",
    };
    format!("\n\n{text}")
}

pub(crate) fn internal(report: &mut Report, message: String) {
    report.push(
        Location::Document,
        Rule::Internal,
        message,
        "this is a generator bug (progenitor's output changed shape); please report it",
    );
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
