//! The `request-body` rule: a JSON body with a schema and an example, none on GET, and an
//! optional body that accepts `{}`; returns what the client needs to know of the body, its
//! required properties (the call's arguments) among it.

use openapiv3::{MediaType, Operation as SpecOperation, ReferenceOr, RequestBody};

use super::checker::{JSON, OperationChecker};

/// The one other body encoding the client sends.
const FORM: &str = "application/x-www-form-urlencoded";
use crate::diagnostic::Rule;
use crate::model::{BodyEncoding, JsonBody};

impl<'a> OperationChecker<'a> {
    /// Checks the request body and returns what the client needs to know of it.
    pub(super) fn request_body(
        &mut self,
        method: &str,
        operation: &'a SpecOperation,
    ) -> Option<JsonBody> {
        let body = operation.request_body.as_ref()?;
        let body: &RequestBody = self.resolve(body)?;
        if matches!(method, "get" | "head") {
            self.policy(
                Rule::RequestBody,
                format!(
                    "a {} request has a body, which HTTP gives no meaning and servers may drop",
                    method.to_uppercase()
                ),
                "send the data with POST, as the auth API does, or as query parameters",
            );
        }
        // A form alone is sent as a form; anything else beside or instead of JSON is not.
        let (media_type, encoding) =
            match body.content.keys().map(String::as_str).collect::<Vec<_>>()[..] {
                [FORM] => (FORM, BodyEncoding::Form),
                _ => (JSON, BodyEncoding::Json),
            };
        let others: Vec<String> = body
            .content
            .keys()
            .filter(|k| k.as_str() != media_type)
            .map(|k| format!("`{k}`"))
            .collect();
        if !others.is_empty() {
            let only = if body.content.contains_key(JSON) {
                ""
            } else {
                " only"
            };
            self.runtime(
                Rule::RequestBody,
                format!(
                    "the request body is offered as {}{only}; the client sends application/json, \
                     or a form when it is the only type",
                    others.join(", ")
                ),
                "describe the body as `application/json` or `application/x-www-form-urlencoded` \
                 only (multipart and binary bodies are not used by the auth API)",
            );
            if !only.is_empty() {
                // The missing JSON schema is the same mistake; report it once.
                return None;
            }
        }
        match body.content.get(media_type) {
            Some(media) if media.schema.is_some() => {
                self.example_present(media, "request body");
                if !body.required {
                    self.optional_body_needs_nothing(media);
                }
                let example = media.example.clone().or_else(|| {
                    let first = media.examples.values().next()?;
                    self.resolve(first)?.value.clone()
                });
                Some(JsonBody {
                    encoding,
                    required: body.required,
                    arguments: self.required_properties(media),
                    example,
                })
            }
            _ => {
                self.fail(
                    Rule::RequestBody,
                    "the request body has no application/json schema",
                    "add `content: application/json: schema: $ref: ...`",
                );
                None
            }
        }
    }

    /// The body's schema, itself or through one `$ref` to a component schema.
    fn body_schema(&self, media: &'a MediaType) -> Option<&'a openapiv3::Schema> {
        let schema = match &media.schema {
            Some(ReferenceOr::Reference { reference }) => reference
                .strip_prefix("#/components/schemas/")
                .and_then(|name| self.components.as_ref()?.schemas.get(name)),
            other => other.as_ref(),
        };
        match schema {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            _ => None,
        }
    }

    /// The properties an object body schema requires and declares, in the order of `required`:
    /// the arguments of the call (see `emit::call_shape`).
    pub(super) fn required_properties(&self, media: &'a MediaType) -> Vec<String> {
        let Some(schema) = self.body_schema(media) else {
            return Vec::new();
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind
        else {
            return Vec::new();
        };
        object
            .required
            .iter()
            .filter(|name| object.properties.contains_key(*name))
            .cloned()
            .collect()
    }

    /// progenitor sends an optional body anyway: the builder's default when the caller sets
    /// nothing. That default is `{}`, so the schema must accept an object without properties.
    pub(super) fn optional_body_needs_nothing(&mut self, media: &'a MediaType) {
        let Some(schema) = self.body_schema(media) else {
            return;
        };
        if let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind
            && !object.required.is_empty()
        {
            self.runtime(
                Rule::RequestBody,
                format!(
                    "the request body is optional, but its schema requires {}; a caller who sets \
                     no body would send `{{}}` and be refused",
                    object
                        .required
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "make the body `required: true`, or its properties optional",
            );
        }
    }
}
