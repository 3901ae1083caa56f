//! What the rule and input tests share: the smallest valid spec, and ways to change it and read
//! what the generator makes of it.

#![allow(dead_code)] // each test binary uses its own part

use descope_generator::{Diagnostics, Rule, Settings, generate};
use serde_json::{Value, json};

/// The smallest spec that passes every rule: one operation with the shared error schema.
pub fn valid_spec() -> Value {
    let error = json!({"$ref": "#/components/responses/Error"});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "tags": [{"name": "auth", "description": "Sign-in."}],
        "paths": {"/v1/auth/otp/verify/email": {"post": {
            "operationId": "VerifyOtpEmail",
            "tags": ["auth"],
            "summary": "Verify a code",
            "description": "Completes the flow.",
            "externalDocs": {"url": "https://docs.descope.com/api/otp"},
            "security": [{"ProjectId": []}],
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Verify"},
                "example": {"loginId": "a@b.c", "code": "123456"}}}},
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Jwt"}, "example": {"sessionJwt": "s"}}}},
                "400": error.clone(),
                "429": {"description": "slow down",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}, "example": 5}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"},
                        "example": {"errorCode": "E130429"}}}},
                "5XX": error
            }
        }}},
        "components": {
            "securitySchemes": {
                "ProjectId": {"type": "http", "scheme": "bearer", "bearerFormat": "<ProjectId>"},
                "Refresh": {"type": "http", "scheme": "bearer", "bearerFormat": "<ProjectId>:<RefreshJWT>"}
            },
            "responses": {"Error": {"description": "error", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}, "example": {"errorCode": "E011001"}}}}},
            "schemas": {
                "Verify": {"type": "object", "description": "The code to check.",
                    "required": ["loginId", "code"], "properties": {
                    "loginId": {"type": "string", "description": "Where the code went."},
                    "code": {"type": "string", "description": "The code."}}},
                "Jwt": {"type": "object", "description": "The tokens.", "properties": {
                    "sessionJwt": {"type": "string", "description": "The session JWT."}}},
                "Error": {"type": "object", "description": "The error.", "required": ["errorCode"],
                    "properties": {"errorCode": {"type": "string", "description": "Its code."}}}
            }
        }
    })
}

pub const OPERATION: &str = "/paths/~1v1~1auth~1otp~1verify~1email/post";

pub fn run(spec: &Value) -> Result<(), Diagnostics> {
    generate(
        &serde_json::to_string_pretty(spec).unwrap(),
        "spec.json",
        &Settings::default(),
    )
    .map(|_| ())
}

/// Applies `change` to the valid spec and returns the diagnostics, which must all exist.
pub fn refused(change: impl FnOnce(&mut Value)) -> Diagnostics {
    let mut spec = valid_spec();
    change(&mut spec);
    run(&spec).expect_err("the changed spec must be refused")
}

pub fn at<'a>(spec: &'a mut Value, pointer: &str) -> &'a mut Value {
    spec.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} exists in the valid spec"))
}

pub fn assert_rule(diagnostics: &Diagnostics, rule: Rule, naming: &str) {
    let found = diagnostics
        .0
        .iter()
        .find(|d| d.rule == rule)
        .unwrap_or_else(|| panic!("no {rule:?} in:\n{diagnostics}"));
    let text = found.to_string();
    assert!(text.contains(naming), "{text}\nshould name {naming}");
    assert!(text.contains(&format!("error[{}]", rule.id())), "{text}");
    assert!(text.contains("help: "), "{text}");
}

/// The generated `client.rs` of a spec that must generate.
pub fn client_of(spec_text: &str, spec_file: &str) -> String {
    generate(spec_text, spec_file, &Settings::default())
        .unwrap_or_else(|d| panic!("the spec is refused:\n{d}"))
        .into_iter()
        .find(|f| f.name == "client.rs")
        .expect("generation writes client.rs")
        .contents
}
