//! The API surface of a spec as users of the generated crate meet it: per operation, its method
//! and path, the Rust type names of its request and success body, every field (nested fields as
//! dotted paths) with its type, whether it is required and its enum values, its path, query and
//! header parameters, the bearer formats it accepts and its error statuses. `api_diff` compares
//! two of these.

use std::collections::{BTreeMap, BTreeSet};

use descope_generator::{BearerFormat, Credential};
use serde_json::Value;

/// Every operation of a spec, by `operationId`.
#[derive(Debug, Default)]
pub struct Surface {
    pub operations: BTreeMap<String, OperationSurface>,
}

#[derive(Clone, Debug, Default)]
pub struct OperationSurface {
    pub method: String,
    pub path: String,
    pub request: Body,
    pub response: Body,
    /// Parameters by `<location> <name>` (`path projectId`, `query certs`), the operation's and
    /// its path item's.
    pub parameters: BTreeMap<String, Field>,
    /// The `bearerFormat` of each accepted security scheme; [`NO_CREDENTIAL`] for `security: []`.
    pub bearer_formats: BTreeSet<String>,
    /// Documented statuses outside 2xx, such as `400`, `429`, `5XX`.
    pub error_statuses: BTreeSet<String>,
    /// Whether a documented 429 declares `Retry-After`.
    pub retry_after: bool,
    /// The arguments of the operation's client method, in order, as the generator's call shape
    /// takes them: the required parameters (`path projectId`) and then the properties the
    /// body's object schema requires (`body loginId`), in the order of its `required`.
    pub arguments: Vec<String>,
}

/// A JSON body: the component it names (the generated type) and its fields.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub type_name: Option<String>,
    pub fields: BTreeMap<String, Field>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// `string`, `integer (int64)`, `array of string`, `object UserResponse`, ...
    pub ty: String,
    pub required: bool,
    /// `nullable: true`: `null` is a value.
    pub nullable: bool,
    pub values: Option<BTreeSet<String>>,
}

/// Stands in the bearer formats of an operation that takes no credential (`security: []`).
pub const NO_CREDENTIAL: &str = "(no credential)";

/// The token the client method takes as its first argument, as the generator decides it
/// (`emit/user_token`): the user's refresh or session JWT, or an access key, when that is the
/// only credential the operation accepts; `None` otherwise.
pub fn user_token_argument(bearer_formats: &BTreeSet<String>) -> Option<&'static str> {
    let formats: Option<Vec<BearerFormat>> = bearer_formats
        .iter()
        .map(|format| BearerFormat::parse(format))
        .collect();
    match BearerFormat::credential(&formats?)? {
        Credential::ProjectIdAndRefreshJwt => Some("the user's refresh JWT"),
        Credential::ProjectIdAndSessionJwt => Some("the session JWT"),
        Credential::ProjectIdAndAccessKey => Some("the access key"),
        _ => None,
    }
}

/// The HTTP methods a path item may hold operations under.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Surface {
    pub fn of(spec: &Value) -> Surface {
        let mut surface = Surface::default();
        let Some(paths) = spec["paths"].as_object() else {
            return surface;
        };
        for (path, item) in paths {
            for method in METHODS {
                let operation = &item[method];
                let Some(id) = operation["operationId"].as_str() else {
                    continue;
                };
                let mut found = operation_surface(spec, method, path, operation);
                let (parameters, required) = parameters(spec, &[operation, item]);
                found.parameters = parameters;
                found.arguments = required;
                found.arguments.extend(
                    body_arguments(spec, request_schema(operation))
                        .into_iter()
                        .map(|name| format!("body {name}")),
                );
                surface.operations.insert(id.to_owned(), found);
            }
        }
        surface
    }
}

fn operation_surface(
    spec: &Value,
    method: &str,
    path: &str,
    operation: &Value,
) -> OperationSurface {
    let request_schema = request_schema(operation);
    let responses = operation["responses"].as_object();
    let success = responses
        .and_then(|all| all.iter().find(|(status, _)| status.starts_with('2')))
        .map(|(_, response)| resolve(spec, response))
        .map(|response| &response["content"]["application/json"]["schema"]);
    let mut error_statuses = BTreeSet::new();
    let mut retry_after = false;
    for (status, response) in responses.into_iter().flatten() {
        if status.starts_with('2') {
            continue;
        }
        error_statuses.insert(status.clone());
        let headers = &resolve(spec, response)["headers"];
        if status == "429"
            && headers
                .as_object()
                .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("retry-after")))
        {
            retry_after = true;
        }
    }
    let security = operation.get("security").unwrap_or(&spec["security"]);
    let mut bearer_formats: BTreeSet<String> = security
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys())
        .map(|scheme| {
            let definition = &spec["components"]["securitySchemes"][scheme];
            definition["bearerFormat"]
                .as_str()
                .unwrap_or(scheme)
                .to_owned()
        })
        .collect();
    if security.as_array().is_some_and(Vec::is_empty) {
        bearer_formats.insert(NO_CREDENTIAL.to_owned());
    }
    OperationSurface {
        method: method.to_uppercase(),
        path: path.to_owned(),
        request: body(spec, request_schema),
        response: success.map(|schema| body(spec, schema)).unwrap_or_default(),
        parameters: BTreeMap::new(),
        bearer_formats,
        error_statuses,
        retry_after,
        arguments: Vec::new(),
    }
}

fn request_schema(operation: &Value) -> &Value {
    &operation["requestBody"]["content"]["application/json"]["schema"]
}

/// The properties an object body schema (itself, or through one `$ref`) requires and declares,
/// in the order of `required`: what the generator makes arguments (`JsonBody::arguments`).
fn body_arguments(spec: &Value, schema: &Value) -> Vec<String> {
    let schema = resolve(spec, schema);
    if schema.get("$ref").is_some() || schema["type"] != "object" {
        return Vec::new();
    }
    let properties = &schema["properties"];
    schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| properties.get(*name).is_some())
        .map(str::to_owned)
        .collect()
}

/// The parameters of the first holder that declares each (the operation overrides its path
/// item), and the required ones in the order they are declared.
fn parameters(spec: &Value, holders: &[&Value]) -> (BTreeMap<String, Field>, Vec<String>) {
    let mut found = BTreeMap::new();
    let mut required = Vec::new();
    for holder in holders {
        for parameter in holder["parameters"].as_array().into_iter().flatten() {
            let parameter = resolve(spec, parameter);
            let (Some(location), Some(name)) =
                (parameter["in"].as_str(), parameter["name"].as_str())
            else {
                continue;
            };
            let values = resolve(spec, &parameter["schema"])["enum"]
                .as_array()
                .map(|values| {
                    values
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect()
                });
            let key = format!("{location} {name}");
            if found.contains_key(&key) {
                continue;
            }
            let field = Field {
                ty: type_of(spec, &parameter["schema"]),
                required: parameter["required"].as_bool() == Some(true),
                nullable: resolve(spec, &parameter["schema"])["nullable"] == Value::Bool(true),
                values,
            };
            if field.required {
                required.push(key.clone());
            }
            found.insert(key, field);
        }
    }
    (found, required)
}

fn body(spec: &Value, schema: &Value) -> Body {
    let mut fields = BTreeMap::new();
    let mut visiting = Vec::new();
    collect_fields(spec, schema, "", &mut visiting, &mut fields);
    Body {
        type_name: ref_name(schema).map(str::to_owned),
        fields,
    }
}

/// Adds the properties of `schema` (following `$ref` and `allOf`) under `prefix`.
fn collect_fields(
    spec: &Value,
    schema: &Value,
    prefix: &str,
    visiting: &mut Vec<String>,
    fields: &mut BTreeMap<String, Field>,
) {
    if let Some(name) = ref_name(schema) {
        // A recursive schema ends where it repeats.
        if visiting.iter().any(|seen| seen == name) {
            return;
        }
        visiting.push(name.to_owned());
        collect_fields(spec, resolve(spec, schema), prefix, visiting, fields);
        visiting.pop();
        return;
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        collect_fields(spec, part, prefix, visiting, fields);
    }
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let path = format!("{prefix}{name}");
        let resolved = resolve(spec, property);
        let values = resolved["enum"].as_array().map(|values| {
            values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect()
        });
        fields.insert(
            path.clone(),
            Field {
                ty: type_of(spec, property),
                required: required.contains(name.as_str()),
                nullable: resolved["nullable"] == Value::Bool(true),
                values,
            },
        );
        collect_fields(spec, property, &format!("{path}."), visiting, fields);
        let items = &resolved["items"];
        if !items.is_null() {
            collect_fields(spec, items, &format!("{path}[]."), visiting, fields);
        }
    }
}

/// A readable type: the generated type's name for a referenced object, else the JSON type with
/// its format or item type.
fn type_of(spec: &Value, schema: &Value) -> String {
    let resolved = resolve(spec, schema);
    // `allOf` of one schema and no type of its own: that schema (the form a nullable or
    // described reference takes in OpenAPI 3.0).
    if let (None, Some([only])) = (
        resolved["type"].as_str(),
        resolved["allOf"].as_array().map(Vec::as_slice),
    ) {
        return type_of(spec, only);
    }
    let kind = resolved["type"].as_str().unwrap_or("any");
    match (kind, ref_name(schema)) {
        ("object", Some(name)) => format!("object {name}"),
        ("array", _) => format!("array of {}", type_of(spec, &resolved["items"])),
        (_, _) => match resolved["format"].as_str() {
            Some(format) => format!("{kind} ({format})"),
            None => kind.to_owned(),
        },
    }
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str()?.rsplit('/').next()
}

/// Follows a local `$ref` (one level; components referring to components are followed by the
/// callers as they walk).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or(&Value::Null),
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nullable_reference_has_the_referenced_type() {
        let spec = json!({"components": {"schemas": {
            "Status": {"type": "string"},
            "Tenant": {"type": "object"},
        }}});
        let nullable = |name: &str| json!({"nullable": true, "allOf": [{"$ref": format!("#/components/schemas/{name}")}]});
        assert_eq!(type_of(&spec, &nullable("Status")), "string");
        assert_eq!(type_of(&spec, &nullable("Tenant")), "object Tenant");
        let two = json!({"allOf": [{"type": "string"}, {"type": "integer"}]});
        assert_eq!(
            type_of(&spec, &two),
            "any",
            "a real combination stays unnamed"
        );
    }
}
