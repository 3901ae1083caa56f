//! Each curation rule refuses a spec that breaks it, naming the operation and the rule.

mod support;

use descope_generator::{Location, Policy, Rule, Settings, generate};
use serde_json::json;
use support::{OPERATION, assert_rule, at, client_of, refused, run, valid_spec};

#[test]
fn the_valid_spec_generates() {
    run(&valid_spec()).unwrap();
}

#[test]
fn a_missing_operation_id() {
    let d = refused(|s| {
        at(s, OPERATION)
            .as_object_mut()
            .unwrap()
            .remove("operationId");
    });
    assert_rule(&d, Rule::OperationId, "POST /v1/auth/otp/verify/email");
}

#[test]
fn a_duplicate_operation_id() {
    let d = refused(|s| {
        let copy = at(s, "/paths/~1v1~1auth~1otp~1verify~1email").clone();
        s["paths"]["/v1/auth/otp/verify/sms"] = copy;
    });
    assert_rule(&d, Rule::DuplicateOperationId, "/v1/auth/otp/verify/sms");
}

#[test]
fn an_id_in_capitals_names_the_builder_as_progenitor_does() {
    // progenitor names the builder from the method name (`signupmagiclinkemail`), not the id.
    let mut spec = valid_spec();
    at(&mut spec, OPERATION)["operationId"] = json!("VERIFYOTPEMAIL");
    let client = client_of(&spec.to_string(), "spec.json");
    assert!(client.contains("pub struct Verifyotpemail<'a>"), "{client}");
    assert!(client.contains("builder::Verifyotpemail::new(self)"));
    assert!(!client.contains("builder::VERIFYOTPEMAIL"));
}

#[test]
fn ids_that_become_one_builder_are_duplicates_in_every_policy() {
    // Method names `get_1x` and `get1x`, but one builder, `Get1x`.
    let mut spec = valid_spec();
    let copy = at(&mut spec, "/paths/~1v1~1auth~1otp~1verify~1email").clone();
    spec["paths"]["/v1/auth/otp/verify/sms"] = copy;
    at(&mut spec, OPERATION)["operationId"] = json!("get_1x");
    spec["paths"]["/v1/auth/otp/verify/sms"]["post"]["operationId"] = json!("get1x");
    let relaxed = Settings {
        policy: Policy::Relaxed,
        ..Settings::default()
    };
    let d = generate(&spec.to_string(), "spec.json", &relaxed).unwrap_err();
    assert_rule(
        &d,
        Rule::DuplicateOperationId,
        "becomes the builder `Get1x`",
    );
    assert_rule(&d, Rule::DuplicateOperationId, "/v1/auth/otp/verify/sms");
}

#[test]
fn ids_in_other_letter_case_are_duplicates_only_by_policy() {
    let mut spec = valid_spec();
    let copy = at(&mut spec, "/paths/~1v1~1auth~1otp~1verify~1email").clone();
    spec["paths"]["/v1/auth/otp/verify/sms"] = copy;
    spec["paths"]["/v1/auth/otp/verify/sms"]["post"]["operationId"] = json!("VERIFYOTPEMAIL");
    let d = run(&spec).unwrap_err();
    assert_rule(&d, Rule::DuplicateOperationId, "only in letter case");
    let relaxed = Settings {
        policy: Policy::Relaxed,
        ..Settings::default()
    };
    generate(&spec.to_string(), "spec.json", &relaxed).expect("distinct Rust names generate");
}

#[test]
fn the_runtime_s_needs_hold_in_a_curated_spec_of_their_group_only() {
    // The valid spec's one operation, in the `session` group: the session code's operations and
    // types are missing.
    let mut spec = valid_spec();
    spec["tags"][0]["name"] = json!("session");
    at(&mut spec, OPERATION)["tags"] = json!(["session"]);
    let d = run(&spec).unwrap_err();
    assert_rule(&d, Rule::RuntimeNeeds, "no operation `GetJwks`");
    assert_rule(&d, Rule::RuntimeNeeds, "session/mod.rs");
    assert!(d.0.iter().all(|d| d.rule == Rule::RuntimeNeeds), "{d}");
    // Relaxed fixtures compile over a stand-in without the session code; repair mode over
    // progenitor's runtime.
    let relaxed = Settings {
        policy: Policy::Relaxed,
        ..Settings::default()
    };
    generate(&spec.to_string(), "spec.json", &relaxed).expect("relaxed drops the rule");
    let foreign = descope_generator::generate_foreign(&spec.to_string(), "spec.json");
    foreign
        .outcome
        .expect("repair mode does not apply the rule");
    // Without the group, nothing of it is needed.
    run(&valid_spec()).unwrap();
}

#[test]
fn a_missing_security_requirement() {
    let d = refused(|s| {
        at(s, OPERATION).as_object_mut().unwrap().remove("security");
    });
    assert_rule(
        &d,
        Rule::Security,
        "operation VerifyOtpEmail (POST /v1/auth/otp/verify/email)",
    );
}

#[test]
fn an_unknown_bearer_format() {
    let d = refused(|s| {
        *at(s, "/components/securitySchemes/ProjectId/bearerFormat") = json!("ProjectId:Password")
    });
    assert_rule(&d, Rule::Security, "VerifyOtpEmail");
}

#[test]
fn a_default_response() {
    let d = refused(|s| {
        at(s, &format!("{OPERATION}/responses"))["default"] =
            json!({"$ref": "#/components/responses/Error"});
    });
    assert_rule(&d, Rule::Responses, "VerifyOtpEmail");
}

#[test]
fn a_body_less_error_beside_typed_ones() {
    let d = refused(
        |s| *at(s, &format!("{OPERATION}/responses/429")) = json!({"description": "slow down", "headers": {"Retry-After": {"schema": {"type": "integer"}}}}),
    );
    assert_rule(&d, Rule::Responses, "no body");
}

#[test]
fn a_429_without_retry_after() {
    let d = refused(|s| {
        at(s, &format!("{OPERATION}/responses/429"))
            .as_object_mut()
            .unwrap()
            .remove("headers");
    });
    assert_rule(&d, Rule::RetryAfter, "VerifyOtpEmail");
}

#[test]
fn an_example_that_does_not_match() {
    let d = refused(|s| {
        *at(
            s,
            &format!("{OPERATION}/requestBody/content/application~1json/example/code"),
        ) = json!(123456)
    });
    assert_rule(&d, Rule::Examples, "/code");
}

#[test]
fn a_missing_example() {
    let d = refused(|s| {
        at(
            s,
            &format!("{OPERATION}/requestBody/content/application~1json"),
        )
        .as_object_mut()
        .unwrap()
        .remove("example");
    });
    assert_rule(&d, Rule::Examples, "request body has no example");
}

#[test]
fn a_dangling_ref() {
    let d = refused(|s| {
        *at(
            s,
            &format!("{OPERATION}/responses/200/content/application~1json/schema"),
        ) = json!({"$ref": "#/components/schemas/Gone"})
    });
    assert_rule(&d, Rule::DanglingRef, "#/components/schemas/Gone");
}

#[test]
fn a_closed_schema() {
    let d = refused(|s| at(s, "/components/schemas/Jwt")["additionalProperties"] = json!(false));
    assert_rule(&d, Rule::OpenSchemas, "schema Jwt");
}

#[test]
fn a_multipart_body() {
    let d = refused(|s| {
        let media = at(
            s,
            &format!("{OPERATION}/requestBody/content/application~1json"),
        )
        .clone();
        at(s, &format!("{OPERATION}/requestBody/content"))["multipart/form-data"] = media;
    });
    assert_rule(&d, Rule::RequestBody, "multipart/form-data");
}

#[test]
fn a_path_item_ref() {
    let d = refused(|s| s["paths"]["/v1/other"] = json!({"$ref": "#/components/pathItems/Other"}));
    assert!(
        d.0.iter().any(|x| x.rule == Rule::PathItemRef
            && x.location == Location::Pointer("/paths/~1v1~1other".into())),
        "{d}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let d = refused(|s| {
        let operation = at(s, OPERATION).as_object_mut().unwrap();
        operation.remove("security");
        operation.remove("externalDocs");
    });
    assert!(d.0.iter().any(|x| x.rule == Rule::Security), "{d}");
    assert!(d.0.iter().any(|x| x.rule == Rule::Documentation), "{d}");
    assert!(d.to_string().ends_with("nothing was generated"), "{d}");
}

#[test]
fn generation_is_deterministic() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/descope-auth.yaml"
    ))
    .unwrap();
    let first = generate(&text, "openapi/descope-auth.yaml", &Settings::default()).unwrap();
    let second = generate(&text, "openapi/descope-auth.yaml", &Settings::default()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn x_rust_name_renames_every_derived_identifier() {
    let mut spec = valid_spec();
    spec["components"]["schemas"]["Jwt"]["properties"]["sessionJwt"]["x-rust-name"] =
        json!("session_token");
    let client = client_of(&serde_json::to_string(&spec).unwrap(), "spec.json");
    assert!(
        client.contains("pub session_token:"),
        "the field is renamed"
    );
    assert!(
        !client.contains("session_jwt"),
        "no identifier keeps the derived name"
    );
    assert!(
        client.contains("rename = \"sessionJwt\""),
        "the wire name is kept"
    );
}

#[test]
fn x_rust_name_may_take_a_field_name_of_another_type() {
    // `login_id` is a field of the request type; the response type may have one too.
    let mut spec = valid_spec();
    spec["components"]["schemas"]["Jwt"]["properties"]["sessionJwt"]["x-rust-name"] =
        json!("login_id");
    let client = client_of(&serde_json::to_string(&spec).unwrap(), "spec.json");
    assert_eq!(client.matches("pub login_id:").count(), 2, "{client}");
}

#[test]
fn no_derived_name_of_the_curated_spec_survives() {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/descope-auth.yaml"
    ))
    .unwrap();
    let client = client_of(&spec, "openapi/descope-auth.yaml");
    // `addToLoginIDs`, `OAuth` and `tenantSSOID` as heck would write them.
    for derived in ["add_to_login_i_ds", "o_auth", "tenant_ssoid"] {
        assert!(
            !client.contains(derived),
            "`{derived}` is still in the client"
        );
    }
    assert!(client.contains("pub add_to_login_ids:"));
    assert!(client.contains("value for add_to_login_ids:"));
}

#[test]
fn x_rust_name_must_be_a_snake_case_identifier() {
    let d = refused(|s| {
        s["components"]["schemas"]["Jwt"]["properties"]["sessionJwt"]["x-rust-name"] =
            json!("Session-Token")
    });
    assert_rule(&d, Rule::Structure, "schema Jwt");
}

#[test]
fn x_rust_name_must_agree_across_schemas() {
    let d = refused(|s| {
        let schemas = &mut s["components"]["schemas"];
        schemas["Verify"]["properties"]["code"]["x-rust-name"] = json!("otp_code");
        schemas["Jwt"]["properties"]["code"] =
            json!({"type": "string", "description": "A code.", "x-rust-name": "other_code"});
    });
    assert_rule(&d, Rule::Structure, "elsewhere");
}

#[test]
fn a_bad_inner_type_setting_is_a_diagnostic_not_a_panic() {
    let settings = Settings {
        inner_type: "not a path!".to_owned(),
        ..Settings::default()
    };
    let d = generate(&valid_spec().to_string(), "spec.json", &settings).unwrap_err();
    assert_rule(&d, Rule::Internal, "not a path!");
}

#[test]
fn a_sensitive_mark_must_be_a_boolean() {
    let d = refused(|s| {
        s["components"]["schemas"]["Verify"]["properties"]["code"]["x-descope-sensitive"] =
            json!("yes")
    });
    assert_rule(&d, Rule::Structure, "x-descope-sensitive");
}

#[test]
fn a_sensitive_property_is_redacted_in_the_type_and_its_builder() {
    let mut spec = valid_spec();
    spec["components"]["schemas"]["Verify"]["properties"]["code"]["x-descope-sensitive"] =
        json!(true);
    let files = generate(&spec.to_string(), "spec.json", &Settings::default()).unwrap();
    let client = &files
        .iter()
        .find(|f| f.name == "client.rs")
        .unwrap()
        .contents;
    assert_eq!(
        client
            .matches("impl ::std::fmt::Debug for Verify {")
            .count(),
        2,
        "type and builder"
    );
    assert_eq!(
        client.matches(r#".field("code", &"<redacted>")"#).count(),
        2
    );
}

#[test]
fn relaxed_policy_generates_the_curated_client_from_an_undocumented_spec_but_not_a_broken_one() {
    // Without examples or descriptions: curation refuses it, relaxed policy does not.
    let mut spec = valid_spec();
    at(
        &mut spec,
        &format!("{OPERATION}/requestBody/content/application~1json"),
    )
    .as_object_mut()
    .unwrap()
    .remove("example");
    spec["components"]["schemas"]["Verify"]["properties"]["code"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    let text = spec.to_string();
    let curated = generate(&text, "spec.json", &Settings::default()).unwrap_err();
    assert_rule(&curated, Rule::Examples, "request body has no example");
    assert_rule(&curated, Rule::Documentation, "code");

    let relaxed = Settings {
        policy: Policy::Relaxed,
        ..Settings::default()
    };
    let files = generate(&text, "spec.json", &relaxed).unwrap();
    let client = &files
        .iter()
        .find(|f| f.name == "client.rs")
        .unwrap()
        .contents;
    // The curated pipeline's output: sends through the runtime, types that may grow.
    assert!(client.contains("crate::Call::new"), "{client}");
    assert!(client.contains("#[non_exhaustive]"), "{client}");

    // What would break the generated code is still refused.
    spec["components"]["schemas"]["Verify"]["properties"]["code"]["$ref"] =
        json!("#/components/schemas/Missing");
    let broken = generate(&spec.to_string(), "spec.json", &relaxed).unwrap_err();
    assert_rule(&broken, Rule::DanglingRef, "Missing");
}

/// `check` alone (what `cargo xtask coverage` and the shape tests call) runs every rule,
/// the `x-rust-name` and `x-descope-sensitive` ones among them: it builds the same model
/// `generate` emits from.
#[test]
fn check_alone_reports_the_extension_rules() {
    let mut spec = valid_spec();
    *at(&mut spec, "/components/schemas/Verify/properties/code") =
        json!({"type": "string", "description": "The code.", "x-descope-sensitive": "yes"});
    *at(&mut spec, "/components/schemas/Verify/properties/loginId") =
        json!({"type": "string", "description": "Where.", "x-rust-name": "Login-Id"});
    let loaded = descope_generator::load(&spec.to_string(), "spec.json").unwrap();
    let diagnostics = match descope_generator::check(&loaded) {
        Ok(_) => panic!("the spec must be refused"),
        Err(diagnostics) => diagnostics,
    };
    let text = diagnostics.to_string();
    assert!(
        text.contains("`x-descope-sensitive` of property code"),
        "{text}"
    );
    assert!(text.contains("`x-rust-name` of property loginId"), "{text}");
    let model = descope_generator::check(
        &descope_generator::load(&valid_spec().to_string(), "spec.json").unwrap(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(model.operations[0].group.as_deref(), Some("auth"));
}
