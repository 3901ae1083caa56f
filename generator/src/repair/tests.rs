//! The repairs one by one: each change made and reported with its place, and a clean spec (or
//! a tree that is not a mapping) left alone.

use serde_json::json;

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
fn ids_whose_builders_clash_are_duplicates() {
    // Methods `get_1x` and `get1x`, but progenitor's builder `Get1x` for both.
    let raw = json!({"paths": {
        "/a": {"get": {"operationId": "get_1x", "responses": {"200": {"description": "ok"}}}},
        "/b": {"get": {"operationId": "get1x", "responses": {"200": {"description": "ok"}}}}
    }});
    let (fixed, repairs) = repair(raw);
    assert_eq!(fixed["paths"]["/a"]["get"]["operationId"], "get_1x");
    assert_eq!(fixed["paths"]["/b"]["get"]["operationId"], "GetB");
    assert_eq!(
        messages(&repairs),
        [
            "repaired: operation get1x (GET /b): operationId `get1x` becomes the builder \
              `Get1x`, as `get_1x` (first used by GET /a) does; renamed `GetB` (from method and \
              path)"
        ]
    );
}

#[test]
fn ids_in_other_letter_case_with_distinct_rust_names_are_kept() {
    let raw = json!({"paths": {
        "/a": {"post": {"operationId": "SignUpMagicLinkEmail", "responses": {"200": {"description": "ok"}}}},
        "/b": {"post": {"operationId": "SIGNUPMAGICLINKEMAIL", "responses": {"200": {"description": "ok"}}}}
    }});
    let (_, repairs) = repair(raw);
    assert!(repairs.is_empty(), "{repairs:?}");
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

#[test]
fn options_and_trace_operations_are_removed_and_their_empty_path_with_them() {
    let raw = json!({"paths": {
        "/a": {"options": {"operationId": "Probe", "responses": {"200": {"description": "ok"}}},
               "get": {"operationId": "GetA", "responses": {"200": {"description": "ok"}}}},
        "/b": {"trace": {"responses": {"200": {"description": "ok"}}}}
    }});
    let (fixed, repairs) = repair(raw);
    assert!(fixed["paths"]["/a"].get("options").is_none());
    assert!(fixed["paths"]["/a"].get("get").is_some());
    assert!(fixed["paths"].get("/b").is_none());
    let messages = messages(&repairs);
    assert!(
        messages[0].contains("OPTIONS operation removed")
            && messages[0].contains("reqwest::Client::options"),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("TRACE operation removed")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("path /b has no operations")),
        "{messages:?}"
    );
}
