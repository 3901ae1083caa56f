//! Documents every public item progenitor and typify leave bare, from the spec: a type's field
//! and its builder setter say what the property's `description` says (a `$ref` property what
//! its schema's says), an operation's parameter setter what the parameter's says, and the
//! builder plumbing (`new`, `body`, `body_map`, `builder()`) what it is for. The client crate
//! turns on `missing_docs`; the `documentation` rule makes sure every description exists.

use syn::{ImplItem, Item};

use super::syntax::doc_attribute;
use crate::model::SpecDocs;

/// What each of progenitor's top-level modules holds, in this crate's words.
fn module_doc(module: &str) -> Option<&'static str> {
    Some(match module {
        "types" => {
            "The request and response types of every operation, each field documented from the \
             spec, and their builders (`types::builder`)."
        }
        "builder" => {
            "Each operation's call, as the client's method of the same name returns it: a setter \
             for every optional field, then `.await` (or `send`) to make the call. `new` and \
             `body` build a call from a whole request made at run time."
        }
        "prelude" => {
            "`use descope_client::prelude::*` brings the [`Client`](crate::Client) into scope."
        }
        _ => return None,
    })
}

impl SpecDocs {
    /// Adds the docs the generated items lack.
    pub(crate) fn apply(&self, file: &mut syn::File) {
        for item in &mut file.items {
            let Item::Mod(module) = item else { continue };
            let Some((_, items)) = &mut module.content else {
                continue;
            };
            if module.ident == "types" {
                self.types(items);
            } else if module.ident == "builder" {
                self.operation_builders(items);
            }
            // progenitor's own module docs are generic ("Items consumers will typically use…").
            if let Some(text) = module_doc(&module.ident.to_string()) {
                module
                    .attrs
                    .retain(|attribute| !attribute.path().is_ident("doc"));
                module.attrs.insert(0, doc_attribute(text));
            }
        }
    }

    /// The types, and their builders in `types::builder`.
    fn types(&self, items: &mut [Item]) {
        for item in items {
            match item {
                Item::Struct(structure) => {
                    let name = structure.ident.to_string();
                    if let Some(fields) = self.fields.get(&name) {
                        for field in &mut structure.fields {
                            let described = field
                                .ident
                                .as_ref()
                                .and_then(|ident| fields.get(&ident.to_string()));
                            if let Some(text) = described {
                                document(&mut field.attrs, text);
                            }
                        }
                    }
                }
                Item::Enum(enumeration) => {
                    for variant in &mut enumeration.variants {
                        let wrapped = variant
                            .fields
                            .iter()
                            .next()
                            .and_then(|field| type_name(&field.ty));
                        let text = match wrapped.as_deref() {
                            Some(name) => self
                                .schemas
                                .get(name)
                                .map(String::as_str)
                                .or_else(|| primitive(name)),
                            None => None,
                        };
                        if let Some(text) = text {
                            document(&mut variant.attrs, text);
                        }
                    }
                }
                Item::Impl(block) => {
                    let Some(name) = type_name(&block.self_ty) else {
                        continue;
                    };
                    for member in &mut block.items {
                        let ImplItem::Fn(function) = member else {
                            continue;
                        };
                        if function.sig.ident == "builder" {
                            document(
                                &mut function.attrs,
                                &format!(
                                    "A builder of [`{name}`], with every field at its default."
                                ),
                            );
                        }
                    }
                }
                Item::Mod(module) if module.ident == "builder" => {
                    if let Some((_, items)) = &mut module.content {
                        self.type_builders(items);
                    }
                }
                _ => {}
            }
        }
    }

    /// `types::builder::X`: the struct and one setter per field.
    fn type_builders(&self, items: &mut [Item]) {
        for item in items {
            match item {
                Item::Struct(structure) => {
                    let name = structure.ident.to_string();
                    document(
                        &mut structure.attrs,
                        &format!(
                            "A builder of [`super::{name}`]: set its fields with the methods of the \
                             same names; it converts into the type (`try_into`), which checks that \
                             every required field was set."
                        ),
                    );
                }
                Item::Impl(block) if block.trait_.is_none() => {
                    let Some(fields) = type_name(&block.self_ty).and_then(|n| self.fields.get(&n))
                    else {
                        continue;
                    };
                    for member in &mut block.items {
                        if let ImplItem::Fn(function) = member
                            && let Some(text) = fields.get(&function.sig.ident.to_string())
                        {
                            document(&mut function.attrs, text);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// `mod builder`: each operation's `new`, `body`, `body_map` and parameter setters.
    fn operation_builders(&self, items: &mut [Item]) {
        for item in items {
            let Item::Impl(block) = item else { continue };
            let Some(operation) = type_name(&block.self_ty) else {
                continue;
            };
            let parameters = self.parameters.get(&operation);
            for member in &mut block.items {
                let ImplItem::Fn(function) = member else {
                    continue;
                };
                let name = function.sig.ident.to_string();
                let text = match name.as_str() {
                    "new" => "Starts the call; the client's method of the same name does it for you.".to_owned(),
                    "body" => "Sets the request body: the body type, or its builder (from its `builder()`).".to_owned(),
                    "body_map" => "Changes the request body's builder, starting from the body set so far (or the default).".to_owned(),
                    other => match parameters.and_then(|p| p.get(other)) {
                        Some(text) => text.clone(),
                        None => continue,
                    },
                };
                document(&mut function.attrs, &text);
            }
        }
    }
}

/// What a variant of a one-of that wraps a plain value holds (`String(String)`, `Int32(i32)`).
fn primitive(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "String" => "The value as text.",
        "bool" => "The value as a boolean.",
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64" => {
            "The value as a number."
        }
        "Vec" => "The value as a list.",
        "Map" | "HashMap" | "BTreeMap" => "The value as an object.",
        _ => return None,
    })
}

/// Adds `text` as the item's docs, unless it has some.
fn document(attrs: &mut Vec<syn::Attribute>, text: &str) {
    if attrs.iter().any(|attr| attr.path().is_ident("doc")) {
        return;
    }
    attrs.insert(0, doc_attribute(text));
}

/// The last segment of a type path: `builder::SignUpOtpEmail<'a>` gives `SignUpOtpEmail`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
