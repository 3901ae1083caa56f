//! Synthetic curated specs of any size, for measuring how generation time grows with the number
//! of operations (`generation.rs`) and checked to pass every curation rule (`tests/synthetic.rs`).
//!
//! Each operation is shaped like the curated ones, so its cost is representative: a POST with its
//! own request schema (strings, a sensitive code, an integer, an array and a nested
//! options object), its own success schema (a sensitive JWT and a reference to the shared user),
//! examples for both, one of the two bearer credentials, and the shared error responses with a
//! `Retry-After` header on 429. The schemas grow with the operations, as they do in a real API.

use serde_json::{Map, Value, json};

const CHANNELS: [&str; 5] = ["email", "sms", "voice", "whatsapp", "im"];

/// A spec with `operations` operations, as JSON text.
pub fn spec(operations: usize) -> String {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert("User".into(), user_schema());
    schemas.insert("Error".into(), error_schema());
    for index in 0..operations {
        let path = format!("/v1/synthetic/group{}/operation{index}", index / 10);
        paths.insert(path, json!({ "post": operation(index) }));
        schemas.insert(format!("Request{index}"), request_schema(index));
        schemas.insert(format!("Options{index}"), options_schema());
        schemas.insert(format!("Answer{index}"), answer_schema());
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": { "title": "Synthetic API", "version": "1.0.0" },
        "tags": [{ "name": "synthetic", "description": "Generated for benchmarks." }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "ProjectId": { "type": "http", "scheme": "bearer", "bearerFormat": "<ProjectId>" },
                "Refresh": {
                    "type": "http", "scheme": "bearer",
                    "bearerFormat": "<ProjectId>:<RefreshJWT>"
                }
            },
            "responses": {
                "Error": {
                    "description": "The shared error body.",
                    "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/Error" },
                        "example": { "errorCode": "E011001", "errorDescription": "Bad request" }
                    } }
                },
                "RateLimited": {
                    "description": "Too many requests.",
                    "headers": { "Retry-After": {
                        "description": "Seconds to wait.",
                        "schema": { "type": "integer" }, "example": 5
                    } },
                    "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/Error" },
                        "example": { "errorCode": "E130429" }
                    } }
                }
            },
            "schemas": schemas
        }
    });
    serde_json::to_string_pretty(&document).expect("a JSON tree always serializes")
}

fn operation(index: usize) -> Value {
    let channel = CHANNELS[index % CHANNELS.len()];
    let credential = if index.is_multiple_of(3) {
        "Refresh"
    } else {
        "ProjectId"
    };
    let error = json!({ "$ref": "#/components/responses/Error" });
    json!({
        "operationId": format!("SyntheticOperation{index}"),
        "tags": ["synthetic"],
        "summary": format!("Synthetic operation {index} over {channel}"),
        "description": "Sends a code to the login id and answers with the masked address.",
        "externalDocs": { "url": format!("https://docs.example.com/synthetic/{index}") },
        "security": [{ credential: [] }],
        "requestBody": {
            "required": true,
            "content": { "application/json": {
                "schema": { "$ref": format!("#/components/schemas/Request{index}") },
                "example": {
                    "loginId": "jane@example.com",
                    "code": "123456",
                    "channel": channel,
                    "attempts": 1,
                    "addToLoginIDs": true,
                    "labels": ["a", "b"],
                    "options": { "templateId": "welcome", "stepup": false }
                }
            } }
        },
        "responses": {
            "200": {
                "description": "The masked address and a session.",
                "content": { "application/json": {
                    "schema": { "$ref": format!("#/components/schemas/Answer{index}") },
                    "example": {
                        "maskedAddress": "j***@example.com",
                        "sessionJwt": "eyJ.session",
                        "user": { "loginIds": ["jane@example.com"], "name": "Jane" }
                    }
                } }
            },
            "400": error,
            "401": error,
            "403": error,
            "429": { "$ref": "#/components/responses/RateLimited" },
            "5XX": error
        }
    })
}

fn request_schema(index: usize) -> Value {
    json!({
        "type": "object",
        "description": "What the operation is sent.",
        "required": ["loginId"],
        "properties": {
            "loginId": { "type": "string", "description": "Who signs in." },
            "code": { "type": "string", "description": "The code.", "x-descope-sensitive": true },
            "channel": {
                "type": "string",
                "description": "One of email, sms, voice, whatsapp or im."
            },
            "attempts": { "type": "integer", "format": "int32", "description": "Attempts so far." },
            "addToLoginIDs": {
                "type": "boolean",
                "description": "Whether the address becomes a login id.",
                "x-rust-name": "add_to_login_ids"
            },
            "labels": { "type": "array", "items": { "type": "string" }, "description": "Labels." },
            "options": { "$ref": format!("#/components/schemas/Options{index}") }
        }
    })
}

fn options_schema() -> Value {
    json!({
        "type": "object",
        "description": "Options.",
        "properties": {
            "templateId": { "type": "string", "description": "The template." },
            "stepup": { "type": "boolean", "description": "Whether to step up." }
        }
    })
}

fn answer_schema() -> Value {
    json!({
        "type": "object",
        "description": "The answer.",
        "properties": {
            "maskedAddress": { "type": "string", "description": "Where the code went, masked." },
            "sessionJwt": {
                "type": "string",
                "description": "The session JWT.",
                "x-descope-sensitive": true
            },
            "user": { "$ref": "#/components/schemas/User" }
        }
    })
}

fn user_schema() -> Value {
    json!({
        "type": "object",
        "description": "A user.",
        "properties": {
            "loginIds": { "type": "array", "items": { "type": "string" }, "description": "Login ids." },
            "name": { "type": "string", "description": "The name." },
            "verifiedEmail": { "type": "boolean", "description": "Whether the email is verified." }
        }
    })
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "The error body.",
        "required": ["errorCode"],
        "properties": {
            "errorCode": { "type": "string", "description": "The code." },
            "errorDescription": { "type": "string", "description": "What the code means." },
            "errorMessage": { "type": "string", "description": "What went wrong." }
        }
    })
}
