//! Calls that act for a signed-in user take the user's token as their first argument, as the
//! official SDKs' calls do: `client.logout(refresh_jwt)`, `client.me(refresh_jwt)`. Its presence
//! is then checked by the compiler like every other required input. The builder holds the token
//! and its `send` hands it to the call (`Call::refresh_jwt`), where it wins over a token the
//! client carries; a builder made directly (`builder::Logout::new(&client)`) still takes the
//! client's (`client.with_refresh_jwt(..)`), which step-up sign-ins use.
//!
//! This pass adds the builder's field and its start value; `call_shape` makes the method take the
//! token and `send` passes it on.

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;
use syn::{ImplItem, Item, parse_quote};

use super::call_shape::type_name;
use super::syntax::internal;
use crate::diagnostic::Report;
use crate::model::{Credential, Operation};

/// The user token an operation's method takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UserToken {
    Refresh,
    Session,
    /// A machine client's access key (the exchange): not a JWT, but given the same way.
    AccessKey,
}

impl UserToken {
    /// The token an operation with this credential needs from its caller, if any.
    pub(crate) fn of(credential: Credential) -> Option<Self> {
        match credential {
            Credential::ProjectIdAndRefreshJwt => Some(UserToken::Refresh),
            Credential::ProjectIdAndSessionJwt => Some(UserToken::Session),
            Credential::ProjectIdAndAccessKey => Some(UserToken::AccessKey),
            _ => None,
        }
    }

    /// The argument's and the builder field's name, which is also `Call`'s method.
    pub(crate) fn name(self) -> syn::Ident {
        match self {
            UserToken::Refresh => format_ident!("refresh_jwt"),
            UserToken::Session => format_ident!("session_jwt"),
            UserToken::AccessKey => format_ident!("access_key"),
        }
    }

    /// The runtime's type for the token.
    pub(crate) fn ty(self) -> syn::Type {
        match self {
            UserToken::Refresh => parse_quote!(crate::RefreshJwt),
            UserToken::Session => parse_quote!(crate::SessionJwt),
            UserToken::AccessKey => parse_quote!(crate::AccessKey),
        }
    }
}

/// Adds `pub(crate) <token>: Option<Token>` to the builder of every operation that takes a user
/// token, set to `None` by its `new`. Builders are found by name (`Operation::builder_name`) in `mod builder`; one
/// whose struct or `new` is not progenitor's usual shape is reported.
pub(crate) fn add_builder_fields(
    file: &mut syn::File,
    operations: &BTreeMap<String, &Operation>,
    report: &mut Report,
) {
    let tokens: BTreeMap<String, UserToken> = operations
        .values()
        .filter_map(|operation| {
            Some((
                operation.builder_name(),
                UserToken::of(operation.credential)?,
            ))
        })
        .collect();
    let Some((_, items)) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) else {
        return;
    };
    let (mut fields_added, mut starts_added) = (BTreeSet::new(), BTreeSet::new());
    for item in items {
        match item {
            Item::Struct(builder) => {
                let Some(token) = tokens.get(&builder.ident.to_string()) else {
                    continue;
                };
                let (name, ty) = (token.name(), token.ty());
                if let syn::Fields::Named(fields) = &mut builder.fields {
                    fields
                        .named
                        .push(parse_quote!(pub(crate) #name: ::std::option::Option<#ty>));
                    fields_added.insert(builder.ident.to_string());
                }
            }
            Item::Impl(block) if block.trait_.is_none() => {
                let Some((builder, token)) = type_name(&block.self_ty).and_then(|builder| {
                    let token = tokens.get(builder.as_str()).copied()?;
                    Some((builder, token))
                }) else {
                    continue;
                };
                let name = token.name();
                for member in &mut block.items {
                    let ImplItem::Fn(function) = member else {
                        continue;
                    };
                    if function.sig.ident != "new" {
                        continue;
                    }
                    // `Self { client: client, body: .. }`, the function's one expression.
                    if let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) =
                        function.block.stmts.last_mut()
                    {
                        value
                            .fields
                            .push(parse_quote!(#name: ::std::option::Option::None));
                        starts_added.insert(builder.clone());
                    }
                }
            }
            _ => {}
        }
    }
    for builder in tokens.keys() {
        if !fields_added.contains(builder) || !starts_added.contains(builder) {
            internal(
                report,
                format!(
                    "builder `{builder}` has no named fields or no `new` building `Self {{ .. }}`"
                ),
            );
        }
    }
}
