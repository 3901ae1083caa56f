//! The docs of each operation's client method: progenitor's example, which would not compile,
//! replaced by a compiling `no_run` one written from the call's shape and the spec's request
//! example, and the credential the operation needs, added at the end.

use super::call_shape::CallShape;
use super::syntax::{doc_attribute, rewrite_docs, string_literal};
use crate::model::{Credential, Operation};

/// progenitor's method docs end in an ```` ```ignore ```` example that would not compile. It is
/// replaced by a `no_run` example that compiles as a doctest.
pub(super) fn replace_ignored_example(attrs: &mut [syn::Attribute], example: &str) {
    rewrite_docs(attrs, |value| {
        let start = value.find("```ignore")?;
        let length = value[start + 3..].find("```")?;
        let end = start + 3 + length + 3;
        Some(format!("{}{example}{}", &value[..start], &value[end..]))
    });
}

/// Adds `text` to the end of the last doc attribute. A separate attribute would be rendered as
/// a block comment of its own, whose lines all start with `*` (the bold markup), and rustdoc
/// would take those asterisks for the comment's decoration and strip one: a stray `*` on every
/// page.
pub(super) fn append_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
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

/// A compiling example of the call: each argument is the value of the spec's request example
/// where it has a string or a boolean there, else a parameter of the example function; the
/// example's other top-level strings and booleans show the setters; and the client carries the
/// credential the operation needs.
pub(super) fn doc_example(operation: &Operation, shape: &CallShape, crate_name: &str) -> String {
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
                // Every generated type the parameter names, at any depth (`Vec<types::X>`).
                let ty = ty
                    .replace("::std::string::String", "String")
                    .replace("types::", &format!("{crate_name}::types::"))
                    .replace(&format!("::{crate_name}::"), &format!("{crate_name}::"));
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
    // The signed-in user's token is the first argument (see `user_token`).
    let credential_parameter = match shape.user_token {
        Some(token) => {
            arguments.insert(0, token.name().to_string());
            format!(", {}: String", token.name())
        }
        None => String::new(),
    };
    let arguments = arguments.join(", ");
    format!(
        "```no_run\n\
         # async fn example(client: {crate_name}::Client{parameters}{credential_parameter})\n\
         # -> Result<(), {crate_name}::Error> {{\n\
         let response = client\n    .{method}({arguments}){setters}\n    .await?;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}

pub(super) fn credential_doc(credential: Credential) -> String {
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
            "**Authentication:** `Bearer <ProjectId>:<RefreshJWT>`, with the signed-in user's \
             refresh JWT, the method's first argument. (A builder made with `new` takes the \
             one of a client made with [`Client::with_refresh_jwt`].) An empty or malformed \
             token makes `send` return `Error::InvalidRequest` before any request is made."
        }
        Credential::ProjectIdAndSessionJwt => {
            "**Authentication:** `Bearer <ProjectId>:<SessionJWT>`, with the session JWT, the \
             method's first argument. (A builder made with `new` takes the one of a client \
             made with [`Client::with_session_jwt`].) An empty or malformed token makes `send` \
             return `Error::InvalidRequest` before any request is made."
        }
        Credential::ProjectIdAndManagementKey => {
            "**Authentication:** `Bearer <ProjectId>:<ManagementKey>`, from the client's \
             management key; without one, `send` returns `Error::InvalidRequest` before any \
             request is made."
        }
        Credential::ProjectIdAndAccessKey => {
            "**Authentication:** `Bearer <ProjectId>:<AccessKey>`, with the access key, the \
             method's first argument; an empty key, or one a bearer cannot carry, makes `send` \
             return `Error::InvalidRequest` before any request is made."
        }
        Credential::None => "**Authentication:** none; no `Authorization` header is sent.",
    };
    format!("\n\n{text}")
}
