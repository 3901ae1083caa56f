//! Keeps secrets out of `Debug`: properties marked `x-descope-sensitive: true` in the spec are
//! printed as `<redacted>` by the generated types and their builders.
//!
//! progenitor derives `Debug` on every type. For a schema with a sensitive property, the derive
//! is removed and a hand-shaped impl is emitted that prints every other field as usual. Marking a
//! new property in the spec is all it takes to protect it.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use quote::quote;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{Item, parse_quote};

use crate::diagnostic::{Location, Report, Rule};

const MARK: &str = "x-descope-sensitive";

/// Rust field names of the sensitive properties, by schema name.
pub(crate) type SensitiveFields = BTreeMap<String, BTreeSet<String>>;

/// Reads the `x-descope-sensitive` marks, naming fields as the generated code does.
pub(crate) fn sensitive_fields(
    root: &Value,
    rust_names: &BTreeMap<String, String>,
    report: &mut Report,
) -> SensitiveFields {
    let mut found = SensitiveFields::new();
    let Some(Value::Object(schemas)) = root.pointer("/components/schemas") else {
        return found;
    };
    for (schema_name, schema) in schemas {
        let Some(Value::Object(properties)) = schema.get("properties") else {
            continue;
        };
        for (wire_name, property) in properties {
            match property.get(MARK) {
                None | Some(Value::Bool(false)) => {}
                Some(Value::Bool(true)) => {
                    let derived = wire_name.to_snake_case();
                    let field = rust_names.get(&derived).cloned().unwrap_or(derived);
                    found.entry(schema_name.clone()).or_default().insert(field);
                }
                Some(other) => report.push(
                    Location::Schema(schema_name.clone()),
                    Rule::Structure,
                    format!("`{MARK}` of property {wire_name} is {other}, not a boolean"),
                    format!("write `{MARK}: true` on properties whose values are secrets"),
                ),
            }
        }
    }
    found
}

/// Replaces the derived `Debug` of every type (and type builder) with sensitive fields.
pub(crate) fn apply(file: &mut syn::File, sensitive: &SensitiveFields, report: &mut Report) {
    let mut redacted = BTreeSet::new();
    if let Some(types) = module_items(&mut file.items, "types") {
        redact_structs(types, sensitive, &mut redacted);
        if let Some(builders) = module_items(types, "builder") {
            redact_structs(builders, sensitive, &mut redacted);
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

pub(crate) fn module_items<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

fn redact_structs(
    items: &mut Vec<Item>,
    sensitive: &SensitiveFields,
    redacted: &mut BTreeSet<String>,
) {
    let mut index = 0;
    while index < items.len() {
        let Item::Struct(item) = &mut items[index] else {
            index += 1;
            continue;
        };
        let name = item.ident.to_string();
        let Some(fields) = sensitive.get(&name) else {
            index += 1;
            continue;
        };
        if !remove_derived_debug(&mut item.attrs) {
            index += 1;
            continue;
        }
        let debug_impl = debug_impl(item, fields);
        redacted.insert(name);
        items.insert(index + 1, debug_impl);
        index += 2;
    }
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
        *attr = parse_quote!(#[derive(#(#kept),*)]);
        return true;
    }
    false
}

fn debug_impl(item: &syn::ItemStruct, sensitive: &BTreeSet<String>) -> Item {
    let name = &item.ident;
    let label = name.to_string();
    let fields = item.fields.iter().filter_map(|field| {
        let ident = field.ident.as_ref()?;
        let text = ident.to_string();
        let shown = if !sensitive.contains(&text) {
            quote!(&self.#ident)
        } else if is_option(&field.ty) {
            // Whether a token came back is useful when debugging; its value never is.
            quote!(&self.#ident.as_ref().map(|_| "<redacted>"))
        } else {
            quote!(&"<redacted>")
        };
        Some(quote!(.field(#text, #shown)))
    });
    parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
