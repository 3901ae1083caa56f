//! Emits `operations.rs`: every operation's method, path and bearer credential, read from the
//! spec's `security` requirements, as data of the runtime's `operations::Operation` type.
//! progenitor ignores security; the client's runtime reads this table to build each request and
//! its `Authorization` header, so no hand-written list of operations exists. Each builder's
//! `send` names its operation's constant (see `send`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Operation;

pub(crate) fn emit(operations: &[Operation]) -> TokenStream {
    // Sorted by method name so that lookups can binary-search.
    let mut sorted: Vec<&Operation> = operations.iter().collect();
    sorted.sort_by_key(|operation| operation.method_name());
    let constants = sorted.iter().map(|operation| {
        let operation_id = &operation.operation_id;
        let method_name = operation.method_name();
        let http_method = &operation.http_method;
        let path = &operation.path;
        let credential = format_ident!("{}", operation.credential.variant_name());
        let constant = format_ident!("{}", operation.constant_name());
        let doc = format!("`{operation_id}`: `{http_method} {path}`.");
        quote! {
            #[doc = #doc]
            pub const #constant: Operation = Operation {
                operation_id: #operation_id,
                method_name: #method_name,
                http_method: #http_method,
                path: #path,
                credential: Credential::#credential,
            };
        }
    });
    let names = sorted
        .iter()
        .map(|operation| format_ident!("{}", operation.constant_name()));

    quote! {
        use crate::operations::{Credential, Operation};

        #(#constants)*

        /// Every operation of the spec, sorted by method name.
        pub const OPERATIONS: &[Operation] = &[#(#names),*];
    }
}
