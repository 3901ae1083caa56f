//! The shape tests' dispatch table (`tests/shapes/operations.rs`): every operation's method,
//! builder, request body type and parameters, as the input of the `operations!` macro that
//! `tests/shapes/dispatch.rs` defines. The tests call each operation through its builder with
//! the spec's examples; this table is how they know the builders, so no hand-written list of
//! operations exists there either.

use std::collections::BTreeMap;

use quote::quote;

use super::call_shape::{builder_fields, type_name};
use crate::model::{Credential, Model};

/// The `operations! { method => Builder(Body) [with access_key] [param: Type = "wire", ..], .. }`
/// invocation, one
/// operation a line (a macro's input is not formatted by prettyplease), or what the client
/// lacks (an internal error of the caller's).
pub(crate) fn emit(client: &syn::File, model: &Model) -> Result<String, String> {
    let builders: BTreeMap<String, BTreeMap<String, syn::Type>> = builder_fields(client);
    let mut entries = Vec::new();
    for operation in &model.operations {
        let builder = operation.builder_name();
        let fields = builders
            .get(&builder)
            .ok_or_else(|| format!("the client has no builder {builder}"))?;
        let method = operation.method_name();
        let body = match operation.request_body {
            None => "()".to_owned(),
            Some(_) => {
                let field = fields
                    .get("body")
                    .ok_or_else(|| format!("builder {builder} has no body field"))?;
                let name = type_name(field)
                    .ok_or_else(|| format!("builder {builder}'s body has no type"))?;
                // An object body is held as its builder (`types::builder::X`); any other (a
                // list) as the type itself.
                if shown(field).contains("builder::") {
                    name
                } else {
                    format!("(plain {name})")
                }
            }
        };
        let parameters = operation
            .parameters
            .iter()
            .map(|parameter| {
                let field = parameter.rust_name();
                let ty = fields.get(&field).ok_or_else(|| {
                    format!(
                        "builder {builder} has no field for parameter {}",
                        parameter.name
                    )
                })?;
                Ok(format!("{field}: {} = {:?}", shown(ty), parameter.name))
            })
            .collect::<Result<Vec<_>, String>>()?;
        // An operation that authenticates with an access key takes it as its method's first
        // argument, and its builder has no public setter for it: the call starts from the
        // method (`with access_key`) instead of the bare builder.
        let token = match operation.credential {
            Credential::ProjectIdAndAccessKey => " with access_key",
            _ => "",
        };
        entries.push(if parameters.is_empty() {
            format!("    {method} => {builder}({body}){token},\n")
        } else {
            format!(
                "    {method} => {builder}({body}){token} [{}],\n",
                parameters.join(", ")
            )
        });
    }
    Ok(format!("operations! {{\n{}}}\n", entries.concat()))
}

/// A path type as Rust code reads: `::std::string::String`, `Option<bool>`.
fn shown(ty: &syn::Type) -> String {
    quote!(#ty)
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}
