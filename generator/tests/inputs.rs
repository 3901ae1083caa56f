//! Operations beyond a JSON `POST`: path, query and header parameters, no body or an optional
//! one, no credential, and the session-JWT bearer. Each shape generates a `send` that places
//! every input where the spec says, and each way to get a shape wrong is refused by name.

mod support;

use descope_generator::{Rule, Settings, generate};
use serde_json::{Value, json};
use support::{OPERATION, assert_rule, at, refused, valid_spec};

const KEYS: &str = "/paths/~1v2~1keys~1{projectId}/get";

/// The valid spec plus `GET /v2/keys/{projectId}?certs=`: no body, no credential.
fn with_keys() -> Value {
    let mut spec = valid_spec();
    let error = json!({"$ref": "#/components/responses/Error"});
    spec["paths"]["/v2/keys/{projectId}"] = json!({"get": {
        "operationId": "GetKeys",
        "tags": ["auth"],
        "summary": "The project's public keys",
        "description": "Publishes the keys that sign session JWTs.",
        "externalDocs": {"url": "https://docs.descope.com/api"},
        "security": [],
        "parameters": [
            {"name": "projectId", "in": "path", "required": true,
             "schema": {"type": "string"}, "example": "P2abc"},
            {"name": "certs", "in": "query", "schema": {"type": "boolean"}, "example": true}
        ],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Jwt"}, "example": {}}}},
            "400": error.clone(),
            "429": at(&mut spec, &format!("{OPERATION}/responses/429")).clone(),
            "5XX": error
        }
    }});
    spec
}

/// `client.rs` and `operations.rs` of a spec that must generate.
fn generated(spec: &Value) -> (String, String) {
    let files = generate(&spec.to_string(), "spec.json", &Settings::default())
        .unwrap_or_else(|d| panic!("the spec is refused:\n{d}"));
    let file = |name: &str| {
        files
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} is generated"))
            .contents
            .clone()
    };
    (file("client.rs"), file("operations.rs"))
}

/// The rewritten `send` of builder `name`, without whitespace or trailing commas, so that
/// assertions do not depend on where prettyplease breaks lines.
fn send_of(client: &str, name: &str) -> String {
    let start = client
        .find(&format!("impl<'a> {name}<'a>"))
        .unwrap_or_else(|| panic!("builder {name} exists"));
    let send = start + client[start..].find("pub async fn send").unwrap();
    let end = send + client[send..].find("\n        }\n").unwrap();
    squashed(&client[send..end])
}

fn squashed(code: &str) -> String {
    code.split_whitespace()
        .collect::<String>()
        .replace(",)", ")")
}

fn assert_sends(send: &str, expected: &str) {
    assert!(
        send.contains(&squashed(expected)),
        "`{expected}` missing from:\n{send}"
    );
}

#[test]
fn a_get_with_path_and_query_parameters_and_no_credential() {
    let (client, operations) = generated(&with_keys());
    let send = send_of(&client, "GetKeys");
    for expected in [
        "let Self { client, project_id, certs } = self;",
        "crate::Error::invalid_argument(operation, \"projectId\", reason)",
        "crate::Error::invalid_argument(operation, \"certs\", reason)",
        ".path(\"projectId\", &project_id)",
        ".query(\"certs\", &certs)",
        "-> Result<crate::Response<types::Jwt>, crate::Error>",
    ] {
        assert_sends(&send, expected);
    }
    assert!(!send.contains(".json("), "no body is sent:\n{send}");
    assert!(!send.contains("Error::InvalidRequest"), "{send}");
    assert!(
        operations.contains("path: \"/v2/keys/{projectId}\"")
            && operations.contains("credential: Credential::None"),
        "{operations}"
    );
    // The required parameter is the method's argument, the optional one a builder method; the
    // doc example compiles only if it names the argument with its type.
    let squashed_client = squashed(&client);
    assert!(
        squashed_client.contains(
            "pubfnget_keys(&self,project_id:impl::std::convert::Into<::std::string::String>)"
        ) && squashed_client.contains("pubfncerts<V>(mutself,value:V)"),
        "the call shape"
    );
    assert!(
        client.contains("project_id: String)")
            && client.contains(".get_keys(project_id)")
            && client.contains("**Authentication:** none"),
        "the example and the credential are documented"
    );
}

#[test]
fn a_header_parameter_goes_to_a_header() {
    let mut spec = with_keys();
    at(&mut spec, &format!("{KEYS}/parameters"))
        .as_array_mut()
        .unwrap()
        .push(
            json!({"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"},
                     "example": "abc"}),
        );
    let (client, _) = generated(&spec);
    assert_sends(
        &send_of(&client, "GetKeys"),
        ".header(\"X-Trace-Id\", &x_trace_id)",
    );
}

#[test]
fn a_path_item_parameter_is_the_operation_s_unless_it_overrides_it() {
    let mut spec = with_keys();
    let parameters = at(&mut spec, &format!("{KEYS}/parameters")).take();
    let item = at(&mut spec, "/paths/~1v2~1keys~1{projectId}");
    item["parameters"] = parameters;
    item["get"]["parameters"] = json!([
        {"name": "certs", "in": "query", "schema": {"type": "string"}, "example": "yes"}
    ]);
    let (client, _) = generated(&spec);
    let send = send_of(&client, "GetKeys");
    assert_sends(&send, ".path(\"projectId\", &project_id)");
    assert_eq!(send.matches(".query(\"certs\"").count(), 1, "{send}");
    assert!(
        squashed(&client).contains("certs:Result<Option<::std::string::String>,String>"),
        "the override wins"
    );
}

#[test]
fn a_session_jwt_bearer_operation() {
    let mut spec = valid_spec();
    spec["components"]["securitySchemes"]["Session"] =
        json!({"type": "http", "scheme": "bearer", "bearerFormat": "<ProjectId>:<SessionJWT>"});
    *at(&mut spec, &format!("{OPERATION}/security")) = json!([{"Session": []}]);
    let (client, operations) = generated(&spec);
    assert!(operations.contains("credential: Credential::ProjectIdAndSessionJwt"));
    // The method takes the session JWT first, and `send` hands it to the call.
    assert!(client.contains("session_jwt: impl ::std::convert::Into<crate::SessionJwt>"));
    assert!(client.contains(".session_jwt(session_jwt)"));
}

#[test]
fn an_optional_body_is_sent_as_the_builder_s_default() {
    let mut spec = valid_spec();
    *at(&mut spec, &format!("{OPERATION}/requestBody/required")) = json!(false);
    spec["components"]["schemas"]["Verify"]
        .as_object_mut()
        .unwrap()
        .remove("required");
    let (client, _) = generated(&spec);
    let send = send_of(&client, "VerifyOtpEmail");
    assert_sends(&send, "crate::Call::new(operation).json(&body)");
    assert_sends(&send, "crate::Error::invalid_body(operation, reason)");
}

#[test]
fn an_optional_body_that_requires_properties() {
    let d = refused(|s| *at(s, &format!("{OPERATION}/requestBody/required")) = json!(false));
    assert_rule(&d, Rule::RequestBody, "requires `loginId`, `code`");
}

#[test]
fn a_path_parameter_that_is_not_required() {
    let mut spec = with_keys();
    *at(&mut spec, &format!("{KEYS}/parameters/0/required")) = json!(false);
    let d = descope_generator::generate(&spec.to_string(), "spec.json", &Settings::default())
        .unwrap_err();
    assert_rule(&d, Rule::Parameters, "`projectId` is not required");
}

#[test]
fn a_parameter_without_an_example() {
    let mut spec = with_keys();
    at(&mut spec, &format!("{KEYS}/parameters/1"))
        .as_object_mut()
        .unwrap()
        .remove("example");
    let d = generate(&spec.to_string(), "spec.json", &Settings::default()).unwrap_err();
    assert_rule(&d, Rule::Examples, "parameter `certs` has no example");
}

#[test]
fn a_parameter_example_that_does_not_match() {
    let mut spec = with_keys();
    *at(&mut spec, &format!("{KEYS}/parameters/1/example")) = json!("yes");
    let d = generate(&spec.to_string(), "spec.json", &Settings::default()).unwrap_err();
    assert_rule(&d, Rule::Examples, "parameters/1/example");
}

#[test]
fn parameters_that_become_one_rust_name() {
    let mut spec = with_keys();
    at(&mut spec, &format!("{KEYS}/parameters"))
        .as_array_mut()
        .unwrap()
        .push(
            json!({"name": "Certs", "in": "query", "schema": {"type": "boolean"},
                     "example": true}),
        );
    let d = generate(&spec.to_string(), "spec.json", &Settings::default()).unwrap_err();
    assert_rule(&d, Rule::Parameters, "`certs` and `Certs`");
}

#[test]
fn a_parameter_named_body() {
    let d = refused(|s| {
        at(s, OPERATION)["parameters"] = json!([{"name": "body", "in": "query",
            "schema": {"type": "string"}, "example": "x"}]);
    });
    assert_rule(&d, Rule::Parameters, "builder field `body`");
}

#[test]
fn an_empty_security_requirement() {
    let d = refused(|s| *at(s, &format!("{OPERATION}/security")) = json!([{}]));
    assert_rule(&d, Rule::Security, "makes the credential optional");
}

#[test]
fn bearers_the_client_cannot_choose_between() {
    let d = refused(|s| {
        s["components"]["securitySchemes"]["Session"] = json!({"type": "http",
            "scheme": "bearer", "bearerFormat": "<ProjectId>:<SessionJWT>"});
        *at(s, &format!("{OPERATION}/security")) = json!([{"ProjectId": []}, {"Session": []}]);
    });
    assert_rule(&d, Rule::Security, "cannot choose between");
}

#[test]
fn a_form_body_is_sent_as_a_form_and_json_beside_another_type_is_refused() {
    let mut spec = valid_spec();
    let content = at(&mut spec, &format!("{OPERATION}/requestBody/content"));
    let media = content["application/json"].take();
    *content = json!({ "application/x-www-form-urlencoded": media });
    let (client, _) = generated(&spec);
    let send = send_of(&client, "VerifyOtpEmail");
    assert_sends(&send, ".form(&body)");
    assert!(!send.contains(".json("), "{send}");
    // The call shape is the same whatever the encoding.
    assert!(client.contains("code: impl ::std::convert::Into<::std::string::String>"));

    let diagnostics = refused(|spec| {
        let content = at(spec, &format!("{OPERATION}/requestBody/content"));
        content["application/x-www-form-urlencoded"] = content["application/json"].clone();
    });
    assert_rule(&diagnostics, Rule::RequestBody, "offered as");
}
