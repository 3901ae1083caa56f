//! Mechanical repairs that let a foreign spec (Descope's published one) reach progenitor.
//!
//! Each repair changes the raw tree in one place and is reported as a [`Repair`] naming that
//! place, so a user sees exactly how the client differs from the text they gave. Only what
//! progenitor or openapiv3 cannot accept is repaired; curated-slice policy (examples,
//! documentation, error responses, bearer formats) is relaxed by the rules instead, not
//! papered over here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use crate::diagnostic::Location;
use crate::rules::{CLIENT_METHODS, escape_pointer};
use crate::tree;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One change the repair made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    /// Where the change was made.
    pub location: Location,
    /// What was changed, and to what.
    pub message: String,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "repaired: {}: {}", self.location, self.message)
    }
}

/// Repairs `raw` where progenitor would refuse it, panic, or write code that does not compile,
/// returning the repaired tree and one [`Repair`] per change, in path order (the raw tree
/// keeps mappings sorted by key). A tree that is
/// not an OpenAPI-shaped mapping is returned unchanged: the loader reports what is wrong with it.
pub fn repair(mut raw: Value) -> (Value, Vec<Repair>) {
    let mut repairs = Vec::new();
    rename_schemas(&mut raw, &mut repairs);
    drop_empty_paths(&mut raw, &mut repairs);
    repair_operations(&mut raw, &mut repairs);
    untype_dangling_schemas(&mut raw, &mut repairs);
    drop_mistyped_defaults(&mut raw, &mut repairs);
    drop_clashing_properties(&mut raw, &mut repairs);
    (raw, repairs)
}

/// The PascalCase name an operation gets from its method and path:
/// `GET /v1/mgmt/user/{id}` becomes `GetV1MgmtUserId`.
pub fn name_from_method_and_path(method: &str, path: &str) -> String {
    let mut name = capitalize(&method.to_ascii_lowercase());
    for word in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        name.push_str(&capitalize(word));
    }
    name
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Gives every operation a unique, usable `operationId` and at least one response.
fn repair_operations(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    // First pass: the method names the spec's own ids claim, so a generated name never takes
    // one that a later operation holds legitimately.
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for item in paths.values() {
        for method in METHODS {
            if let Some(id) = item
                .get(*method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
            {
                claimed.insert(id.to_snake_case());
            }
        }
    }
    // Second pass, in path order: the first holder of a method name keeps it.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let location = |id: Option<&str>| Location::operation(method, path, id);
            let usable = id.as_deref().filter(|id| {
                let snake = id.to_snake_case();
                !snake.is_empty()
                    && syn::parse_str::<syn::Ident>(&snake).is_ok()
                    // The same list the curation check refuses, so a repaired spec passes it.
                    && !CLIENT_METHODS.contains(&snake.as_str())
            });
            let new_id = match (id.as_deref(), usable) {
                (Some(id), Some(_)) => match taken.get(&id.to_snake_case()) {
                    None => None,
                    Some(first) => {
                        let new = unique_name(method, path, &claimed, &taken);
                        repairs.push(Repair {
                            location: location(Some(id)),
                            message: format!(
                                "duplicate operationId `{id}` (first used by {first}) renamed \
                                 `{new}` (from method and path)"
                            ),
                        });
                        Some(new)
                    }
                },
                (Some(id), None) => {
                    let new = unique_name(method, path, &claimed, &taken);
                    repairs.push(Repair {
                        location: location(Some(id)),
                        message: format!(
                            "operationId `{id}` becomes no usable method name (empty, a Rust \
                             keyword, or one of the client's own methods); renamed `{new}` \
                             (from method and path)"
                        ),
                    });
                    Some(new)
                }
                (None, _) => {
                    let new = unique_name(method, path, &claimed, &taken);
                    repairs.push(Repair {
                        location: location(None),
                        message: format!(
                            "operation without operationId named `{new}` (from method and path)"
                        ),
                    });
                    Some(new)
                }
            };
            let final_id = match new_id {
                Some(new) => {
                    operation.insert("operationId".into(), Value::String(new.clone()));
                    new
                }
                None => id.unwrap_or_default(),
            };
            taken.insert(
                final_id.to_snake_case(),
                format!("{} {path}", method.to_uppercase()),
            );

            let unknown: Vec<String> = operation
                .keys()
                .filter(|k| !k.starts_with("x-") && !tree::OPERATION_FIELDS.contains(&k.as_str()))
                .cloned()
                .collect();
            for key in unknown {
                operation.remove(&key);
                repairs.push(Repair {
                    location: location(Some(&final_id)),
                    message: format!(
                        "`{key}` is not a field of an operation (OpenAPI ignores it); removed"
                    ),
                });
            }

            drop_clashing_parameters(operation, &location(Some(&final_id)), repairs);

            let has_responses = operation
                .get("responses")
                .and_then(Value::as_object)
                .is_some_and(|r| !r.is_empty());
            if !has_responses {
                operation.insert(
                    "responses".into(),
                    json!({"200": {"description": "Not described by the spec (added by repair)."}}),
                );
                repairs.push(Repair {
                    location: location(Some(&final_id)),
                    message: "operation without responses given an empty 200".to_owned(),
                });
            }
        }
    }
}

/// Removes path items without any operation; progenitor would generate nothing for them.
fn drop_empty_paths(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let empty: Vec<String> = paths
        .iter()
        .filter(|(_, item)| {
            item.as_object()
                .is_some_and(|item| !METHODS.iter().any(|m| item.contains_key(*m)))
        })
        .map(|(path, _)| path.clone())
        .collect();
    for path in empty {
        paths.remove(&path);
        repairs.push(Repair {
            location: Location::Pointer(format!("/paths/{}", escape_pointer(&path))),
            message: format!("path {path} has no operations; removed"),
        });
    }
}

/// Replaces each schema `$ref` that leads nowhere with the empty schema (any JSON value), so the
/// operations using it still get generated, with `serde_json::Value` in that place.
fn untype_dangling_schemas(raw: &mut Value, repairs: &mut Vec<Repair>) {
    for (at, reference) in tree::dangling_references(raw) {
        let in_schema = at.starts_with("/components/schemas/") || at.contains("/schema");
        if !in_schema {
            continue;
        }
        let location = tree::location_of(raw, &at);
        if let Some(place) = raw.pointer_mut(&at) {
            *place = json!({});
            repairs.push(Repair {
                location,
                message: format!(
                    "`$ref: {reference}` at {at} leads nowhere; replaced by the empty schema (any \
                     JSON value)"
                ),
            });
        }
    }
}

/// Removes each schema `default` whose value is not of the schema's `type` (`type: object` with
/// `default: false`): typify refuses the whole spec with "value does not conform to the given
/// schema" and names no place.
fn drop_mistyped_defaults(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let mut found = Vec::new();
    find_mistyped_defaults(raw, String::new(), &mut found);
    for (at, kind, value) in found {
        let location = tree::location_of(raw, &at);
        if let Some(schema) = raw.pointer_mut(&at).and_then(Value::as_object_mut) {
            schema.remove("default");
            repairs.push(Repair {
                location,
                message: format!(
                    "`default: {value}` at {at} is not of the schema's type `{kind}`; removed"
                ),
            });
        }
    }
}

fn find_mistyped_defaults(value: &Value, at: String, found: &mut Vec<(String, String, Value)>) {
    match value {
        Value::Object(map) => {
            if let (Some(kind), Some(default)) =
                (map.get("type").and_then(Value::as_str), map.get("default"))
            {
                let fits = match kind {
                    "string" => default.is_string(),
                    "boolean" => default.is_boolean(),
                    "integer" => default.is_i64() || default.is_u64(),
                    "number" => default.is_number(),
                    "object" => default.is_object(),
                    "array" => default.is_array(),
                    _ => true,
                };
                if !fits && !default.is_null() {
                    found.push((at.clone(), kind.to_owned(), default.clone()));
                }
            }
            for (key, child) in map {
                find_mistyped_defaults(child, format!("{at}/{}", escape_pointer(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                find_mistyped_defaults(child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// Removes each inline parameter whose Rust name (its name in snake_case) is that of an earlier
/// parameter in the same place (`login_hint` beside `loginHint`): progenitor would declare the
/// same field and builder method twice, which does not compile. The first one is kept.
fn drop_clashing_parameters(
    operation: &mut Map<String, Value>,
    location: &Location,
    repairs: &mut Vec<Repair>,
) {
    let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    parameters.retain(|parameter| {
        let (Some(name), Some(place)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) else {
            return true;
        };
        let rust = name.to_snake_case();
        match seen.get(&(place.to_owned(), rust.clone())) {
            Some(first) => {
                repairs.push(Repair {
                    location: location.clone(),
                    message: format!(
                        "{place} parameter `{name}` becomes the Rust name `{rust}`, as parameter \
                         `{first}` does; removed (`{first}` kept)"
                    ),
                });
                false
            }
            None => {
                seen.insert((place.to_owned(), rust), name.to_owned());
                true
            }
        }
    });
}

/// Removes each schema property whose Rust field name (snake_case) is that of another property
/// of the same schema (`LoginHint` beside `login_hint`): the struct would declare one field
/// twice. Properties are in key order; the first keeps the name.
fn drop_clashing_properties(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let mut found = Vec::new();
    find_clashing_properties(raw, String::new(), &mut found);
    for (at, name, first) in found {
        let location = tree::location_of(raw, &at);
        let Some(properties) = raw
            .pointer_mut(&format!("{at}/properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        properties.remove(&name);
        if let Some(required) = raw
            .pointer_mut(&format!("{at}/required"))
            .and_then(Value::as_array_mut)
        {
            required.retain(|r| r.as_str() != Some(name.as_str()));
        }
        repairs.push(Repair {
            location,
            message: format!(
                "property `{name}` at {at} becomes the field `{}`, as property `{first}` does; \
                 removed (`{first}` kept)",
                name.to_snake_case()
            ),
        });
    }
}

fn find_clashing_properties(value: &Value, at: String, found: &mut Vec<(String, String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(properties) = map.get("properties").and_then(Value::as_object)
                && properties.values().all(Value::is_object)
            {
                {
                    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
                    for name in properties.keys() {
                        match seen.get(&name.to_snake_case()) {
                            Some(first) => {
                                found.push((at.clone(), name.clone(), (*first).to_owned()))
                            }
                            None => {
                                seen.insert(name.to_snake_case(), name);
                            }
                        }
                    }
                }
            }
            for (key, child) in map {
                find_clashing_properties(child, format!("{at}/{}", escape_pointer(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                find_clashing_properties(child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// A name from method and path that no operation has or claims, with a number when needed.
fn unique_name(
    method: &str,
    path: &str,
    claimed: &BTreeSet<String>,
    taken: &BTreeMap<String, String>,
) -> String {
    let base = name_from_method_and_path(method, path);
    let free = |name: &String| {
        let snake = name.to_snake_case();
        !claimed.contains(&snake) && !taken.contains_key(&snake)
    };
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(free)
        .unwrap_or(base)
}

/// Renames component schemas whose names are not plain identifiers (`sessionv1.JWKSResponseV2`)
/// and rewrites every `$ref` to them.
fn rename_schemas(raw: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(schemas) = raw
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut existing: BTreeSet<String> = schemas.keys().cloned().collect();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let old = std::mem::take(schemas);
    let mut new = Map::new();
    for (name, schema) in old {
        let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            new.insert(name, schema);
            continue;
        }
        let base: String = name
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map(capitalize)
            .collect();
        let base = if base.is_empty() {
            "Schema".to_owned()
        } else {
            base
        };
        let target = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|candidate| !existing.contains(candidate))
            .unwrap_or(base);
        existing.insert(target.clone());
        repairs.push(Repair {
            location: Location::Schema(name.clone()),
            message: format!(
                "schema name `{name}` is not a plain identifier; renamed `{target}` and every \
                 `$ref` to it rewritten"
            ),
        });
        renamed.insert(name, target.clone());
        new.insert(target, schema);
    }
    *schemas = new;
    if !renamed.is_empty() {
        rewrite_refs(raw, &renamed);
    }
}

fn rewrite_refs(value: &mut Value, renamed: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Some(target) = child
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .and_then(|name| renamed.get(name))
                    {
                        *child = Value::String(format!("#/components/schemas/{target}"));
                    }
                } else {
                    rewrite_refs(child, renamed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renamed)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(repairs: &[Repair]) -> Vec<String> {
        repairs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn names_come_from_method_and_path() {
        assert_eq!(
            name_from_method_and_path("get", "/v1/mgmt/fga/mappable/resources"),
            "GetV1MgmtFgaMappableResources"
        );
        assert_eq!(
            name_from_method_and_path("DELETE", "/v1/user/{id}/x-y"),
            "DeleteV1UserIdXY"
        );
    }

    #[test]
    fn a_duplicate_id_is_renamed_from_method_and_path_and_the_first_keeps_it() {
        let raw = json!({"paths": {
            "/v1/mgmt/user/search": {
                "post": {"operationId": "SearchUsers", "responses": {"200": {"description": "ok"}}}
            },
            "/v2/mgmt/user/search": {
                "post": {"operationId": "SearchUsers", "responses": {"200": {"description": "ok"}}}
            }
        }});
        let (fixed, repairs) = repair(raw);
        assert_eq!(
            messages(&repairs),
            [
                "repaired: operation SearchUsers (POST /v2/mgmt/user/search): duplicate \
              operationId `SearchUsers` (first used by POST /v1/mgmt/user/search) renamed \
              `PostV2MgmtUserSearch` (from method and path)"
            ]
        );
        assert_eq!(
            fixed["paths"]["/v2/mgmt/user/search"]["post"]["operationId"],
            "PostV2MgmtUserSearch"
        );
        assert_eq!(
            fixed["paths"]["/v1/mgmt/user/search"]["post"]["operationId"],
            "SearchUsers"
        );
    }

    #[test]
    fn ids_differing_only_in_case_are_duplicates() {
        let raw = json!({"paths": {
            "/a": {"post": {"operationId": "VerifyOTP", "responses": {"200": {"description": "ok"}}}},
            "/b": {"post": {"operationId": "VerifyOtp", "responses": {"200": {"description": "ok"}}}}
        }});
        let (fixed, repairs) = repair(raw);
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        assert_eq!(fixed["paths"]["/b"]["post"]["operationId"], "PostB");
    }

    #[test]
    fn a_generated_name_never_takes_an_id_the_spec_uses_later() {
        let raw = json!({"paths": {
            "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/z": {"get": {"operationId": "GetA", "responses": {"200": {"description": "ok"}}}}
        }});
        let (fixed, repairs) = repair(raw);
        assert_eq!(fixed["paths"]["/a"]["get"]["operationId"], "GetA2");
        assert_eq!(fixed["paths"]["/z"]["get"]["operationId"], "GetA");
        assert_eq!(
            messages(&repairs),
            [
                "repaired: operation GET /a: operation without operationId named `GetA2` (from \
              method and path)"
            ]
        );
    }

    #[test]
    fn an_operation_without_id_or_responses_gets_both() {
        let raw = json!({"paths": {"/v1/mgmt/fga/mappable/resources": {"get": {"summary": "x"}}}});
        let (fixed, repairs) = repair(raw);
        let op = &fixed["paths"]["/v1/mgmt/fga/mappable/resources"]["get"];
        assert_eq!(op["operationId"], "GetV1MgmtFgaMappableResources");
        assert!(op["responses"]["200"]["description"].is_string());
        assert_eq!(
            messages(&repairs),
            [
                "repaired: operation GET /v1/mgmt/fga/mappable/resources: operation without \
                 operationId named `GetV1MgmtFgaMappableResources` (from method and path)",
                "repaired: operation GetV1MgmtFgaMappableResources (GET \
                 /v1/mgmt/fga/mappable/resources): operation without responses given an empty 200"
            ]
        );
    }

    #[test]
    fn an_id_that_is_a_keyword_or_a_client_method_is_renamed() {
        let raw = json!({"paths": {
            "/m": {"post": {"operationId": "Move", "responses": {"200": {"description": "ok"}}}},
            "/n": {"post": {"operationId": "New", "responses": {"200": {"description": "ok"}}}},
            "/v1/auth/validate": {"post": {"operationId": "ValidateSession",
                "responses": {"200": {"description": "ok"}}}}
        }});
        let (fixed, repairs) = repair(raw);
        assert_eq!(fixed["paths"]["/m"]["post"]["operationId"], "PostM");
        assert_eq!(fixed["paths"]["/n"]["post"]["operationId"], "PostN");
        // A runtime method (Descope's own `ValidateSession` would shadow the local validation).
        assert_eq!(
            fixed["paths"]["/v1/auth/validate"]["post"]["operationId"],
            "PostV1AuthValidate"
        );
        assert_eq!(repairs.len(), 3);
    }

    #[test]
    fn dotted_schema_names_are_renamed_and_refs_follow() {
        let raw = json!({
            "paths": {"/jwks": {"get": {"operationId": "Jwks", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/sessionv1.JWKSResponseV2"}}}
            }}}}},
            "components": {"schemas": {
                "sessionv1.JWKSResponseV2": {"type": "object", "properties": {
                    "keys": {"type": "array", "items": {"$ref": "#/components/schemas/sessionv1.JWKSResponseV2"}}
                }},
                "Plain": {"type": "string"}
            }}
        });
        let (fixed, repairs) = repair(raw);
        assert_eq!(
            messages(&repairs),
            [
                "repaired: schema sessionv1.JWKSResponseV2: schema name `sessionv1.JWKSResponseV2` \
              is not a plain identifier; renamed `Sessionv1JWKSResponseV2` and every `$ref` to \
              it rewritten"
            ]
        );
        let schemas = fixed["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("Sessionv1JWKSResponseV2"));
        assert!(schemas.contains_key("Plain"));
        assert!(!fixed.to_string().contains("sessionv1."));
    }

    #[test]
    fn unknown_operation_fields_and_empty_paths_are_removed() {
        let raw = json!({"paths": {
            "/a": {"get": {"operationId": "GetThing", "title": "T", "x-meta": 1,
                           "responses": {"200": {"description": "ok"}}}},
            "/v1/stop": {"parameters": []}
        }});
        let (fixed, repairs) = repair(raw);
        assert_eq!(
            messages(&repairs),
            [
                "repaired: /paths/~1v1~1stop: path /v1/stop has no operations; removed",
                "repaired: operation GetThing (GET /a): `title` is not a field of an operation \
                 (OpenAPI ignores it); removed"
            ]
        );
        assert!(fixed["paths"].get("/v1/stop").is_none());
        assert!(fixed["paths"]["/a"]["get"].get("title").is_none());
        assert_eq!(fixed["paths"]["/a"]["get"]["x-meta"], 1);
    }

    #[test]
    fn a_dangling_schema_ref_becomes_the_empty_schema() {
        let raw = json!({"paths": {"/r": {"post": {"operationId": "Register",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/m.Missing"}}}},
            "responses": {"200": {"description": "ok"}}}}}});
        let (fixed, repairs) = repair(raw);
        assert_eq!(
            messages(&repairs),
            [
                "repaired: operation Register (POST /r): `$ref: #/components/schemas/m.Missing` at \
              /paths/~1r/post/requestBody/content/application~1json/schema leads nowhere; \
              replaced by the empty schema (any JSON value)"
            ]
        );
        assert_eq!(
            fixed["paths"]["/r"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({})
        );
    }

    #[test]
    fn a_default_of_the_wrong_type_is_removed_and_a_fitting_one_kept() {
        let raw = json!({"components": {"schemas": {"Settings": {"type": "object", "properties": {
            "attributes": {"type": "object", "default": false},
            "attempts": {"type": "integer", "default": 3},
            "default": {"type": "boolean"}
        }}}}});
        let (fixed, repairs) = repair(raw);
        assert_eq!(
            messages(&repairs),
            ["repaired: schema Settings: `default: false` at \
              /components/schemas/Settings/properties/attributes is not of the schema's type \
              `object`; removed"]
        );
        let properties = &fixed["components"]["schemas"]["Settings"]["properties"];
        assert!(properties["attributes"].get("default").is_none());
        assert_eq!(properties["attempts"]["default"], 3);
    }

    #[test]
    fn parameters_with_the_same_rust_name_keep_only_the_first() {
        let raw = json!({"paths": {"/authorize": {"get": {"operationId": "Authorize",
            "parameters": [
                {"name": "login_hint", "in": "query", "schema": {"type": "string"}},
                {"name": "loginHint", "in": "query", "schema": {"type": "string"}},
                {"name": "state", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "ok"}}}}}});
        let (fixed, repairs) = repair(raw);
        assert_eq!(
            messages(&repairs),
            [
                "repaired: operation Authorize (GET /authorize): query parameter `loginHint` \
              becomes the Rust name `login_hint`, as parameter `login_hint` does; removed \
              (`login_hint` kept)"
            ]
        );
        let names: Vec<&str> = fixed["paths"]["/authorize"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["login_hint", "state"]);
    }

    #[test]
    fn properties_with_the_same_field_name_keep_only_the_first() {
        let raw = json!({"components": {"schemas": {"Req": {"type": "object", "properties": {
            "LoginHint": {"type": "string"},
            "login_hint": {"type": "string"},
            "state": {"type": "string"}
        }}}}});
        let (fixed, repairs) = repair(raw);
        assert_eq!(
            messages(&repairs),
            [
                "repaired: schema Req: property `login_hint` at /components/schemas/Req becomes the \
              field `login_hint`, as property `LoginHint` does; removed (`LoginHint` kept)"
            ]
        );
        let properties = fixed["components"]["schemas"]["Req"]["properties"]
            .as_object()
            .unwrap();
        assert_eq!(
            properties.keys().collect::<Vec<_>>(),
            ["LoginHint", "state"]
        );
    }

    #[test]
    fn a_clean_spec_and_a_non_mapping_are_left_alone() {
        let raw = json!({"paths": {"/a": {"get": {"operationId": "GetThing", "responses": {"200": {"description": "ok"}}}}}});
        assert_eq!(repair(raw.clone()), (raw, vec![]));
        assert_eq!(repair(json!([1, 2])), (json!([1, 2]), vec![]));
    }
}

#[cfg(test)]
mod foreign_tests {
    //! Repair mode end to end: curated-slice policy is relaxed, what breaks progenitor is kept.

    use crate::{Rule, generate_foreign};

    /// No examples, docs, security, error responses or JSON success body; a duplicate id.
    const FOREIGN: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v1/a:
    get:
      operationId: thing
      responses: {"200": {description: ok}}
  /v2/a:
    get:
      operationId: thing
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, additionalProperties: false}}}
"#;

    #[test]
    fn policy_is_relaxed_and_a_plain_client_comes_out() {
        let foreign = generate_foreign(FOREIGN, "foreign.yaml");
        assert_eq!(foreign.repairs.len(), 1, "{:?}", foreign.repairs);
        let files = foreign.outcome.expect("policy-only problems are relaxed");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "lib.rs");
        assert!(files[0].contents.contains("pub fn thing(&self)"));
        assert!(files[0].contents.contains("pub fn get_v2"));
        assert!(files[0].contents.contains("@generated"));
    }

    #[test]
    fn what_breaks_progenitor_is_still_reported() {
        let spec = FOREIGN.replace(
            "      responses: {\"200\": {description: ok}}",
            "      responses:\n        \"200\": {description: ok}\n        \"400\": {description: a, content: {application/json: {schema: {type: string}}}}\n        \"404\": {description: b, content: {application/json: {schema: {type: integer}}}}",
        );
        let diagnostics = generate_foreign(&spec, "foreign.yaml").outcome.unwrap_err();
        let rules: Vec<Rule> = diagnostics.0.iter().map(|d| d.rule).collect();
        assert_eq!(rules, [Rule::Responses], "{diagnostics}");
        assert!(
            diagnostics.0[0]
                .message
                .contains("error responses use different bodies")
        );
    }
}

#[cfg(test)]
mod foreign_shape_tests {
    //! Shapes plain progenitor takes and only the curated runtime cannot serve: repair mode
    //! accepts them (the curated corpus cases refuse them).

    use crate::generate_foreign;

    fn accepted(operation: &str) -> String {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: \"1\"}}\npaths:\n  /v1/a:\n{operation}"
        );
        let foreign = generate_foreign(&spec, "foreign.yaml");
        let files = foreign
            .outcome
            .unwrap_or_else(|diagnostics| panic!("refused:\n{diagnostics}\n{spec}"));
        files[0].contents.clone()
    }

    #[test]
    fn form_and_binary_bodies_are_accepted() {
        for (media, schema) in [
            (
                "application/x-www-form-urlencoded",
                "{type: object, properties: {a: {type: string}}}",
            ),
            ("application/octet-stream", "{type: string, format: binary}"),
        ] {
            let client = accepted(&format!(
                "    post:\n      operationId: Send\n      requestBody:\n        required: true\n        content:\n          {media}:\n            schema: {schema}\n      responses: {{\"200\": {{description: ok}}}}\n"
            ));
            assert!(client.contains("pub fn send(&self)"), "{media}");
        }
    }

    #[test]
    fn default_and_missing_success_responses_are_accepted() {
        for responses in [
            "{\"default\": {description: any}}",
            "{\"404\": {description: gone}}",
            "{\"202\": {description: queued}, \"204\": {description: done}}",
        ] {
            let client = accepted(&format!(
                "    get:\n      operationId: Look\n      responses: {responses}\n"
            ));
            assert!(client.contains("pub fn look(&self)"), "{responses}");
        }
    }

    #[test]
    fn an_optional_body_with_required_fields_and_a_spec_without_operations_are_accepted() {
        let client = accepted(
            "    post:\n      operationId: Send\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, required: [a], properties: {a: {type: string}}}\n      responses: {\"200\": {description: ok}}\n",
        );
        assert!(client.contains("pub fn send(&self)"));
        let empty = generate_foreign(
            "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
            "empty.yaml",
        );
        assert!(empty.outcome.is_ok(), "progenitor makes a client of it");
    }
}
