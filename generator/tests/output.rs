//! What every curated client is, whatever its spec: free of progenitor's runtime crate, with
//! types that may grow, and with docs that render as written.

mod support;

use support::{client_of, valid_spec};

fn curated() -> String {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/descope-auth.yaml"
    ))
    .unwrap();
    client_of(&spec, "openapi/descope-auth.yaml")
}

#[test]
fn the_client_does_not_use_progenitor_s_runtime() {
    for client in [curated(), client_of(&valid_spec().to_string(), "spec.json")] {
        assert!(!client.contains("progenitor_client"));
        assert!(!client.contains("impl ClientInfo"));
        assert!(
            !client.contains("Version: "),
            "the spec's version is not the crate's"
        );
    }
}

#[test]
fn every_type_may_grow() {
    let client = curated();
    let types = &client
        [client.find("pub mod types {").unwrap()..client.find("\npub struct Client").unwrap()];
    let declared = types.matches("\n    pub struct ").count()
        + types.matches("\n    pub enum ").count()
        + types.matches("\n        pub struct ").count();
    assert!(declared > 40, "{declared}");
    assert_eq!(types.matches("#[non_exhaustive]").count(), declared);
}

#[test]
fn method_docs_have_no_block_of_their_own_for_the_credential() {
    // A doc block whose every line starts with `*` loses one `*` when rendered.
    let client = curated();
    assert!(!client.contains("/**\n\n**Authentication:**"));
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/descope-auth.yaml"
    ))
    .unwrap();
    let operations = descope_generator::check(
        &descope_generator::load(&spec, "openapi/descope-auth.yaml").unwrap(),
    )
    .unwrap()
    .operations
    .len();
    assert_eq!(
        client.matches("**Authentication:**").count(),
        operations,
        "one per operation, inside the method's own docs"
    );
}

/// What repair mode's plain client takes from `progenitor-client`: the `use` below compiles only
/// if the pinned release has every one of these, and the workspace's lock keeps that release
/// (`.ci/upstream` and `cargo xtask compile-time` build repair-mode output offline against it).
#[allow(unused_imports)]
use progenitor_client::{
    ByteStream, ClientHooks, ClientInfo, Error, OperationInfo, QueryParam, RequestBuilderExt,
    ResponseValue, encode_path,
};
const RUNTIME_NAMES: &[&str] = &[
    "ByteStream",
    "ClientHooks",
    "ClientInfo",
    "Error",
    "OperationInfo",
    "QueryParam",
    "RequestBuilderExt",
    "ResponseValue",
    "encode_path",
];

#[test]
fn a_repaired_client_names_only_what_the_pinned_progenitor_client_has() {
    let mut spec = valid_spec();
    // A query parameter, so the output reaches for `QueryParam` too.
    spec["paths"]["/v1/things/{id}"] = serde_json::json!({"get": {
        "operationId": "GetThing",
        "tags": ["auth"],
        "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "full", "in": "query", "schema": {"type": "boolean"}}
        ],
        "responses": {"200": {"description": "ok"}}
    }});
    let foreign = descope_generator::generate_foreign(&spec.to_string(), "spec.json");
    let files = foreign.outcome.expect("the spec generates");
    let client = &files[0].contents;
    let mut named = Vec::new();
    for (at, _) in client.match_indices("progenitor_client::") {
        let rest = &client[at + "progenitor_client::".len()..];
        let names = match rest.strip_prefix('{') {
            Some(group) => &group[..group.find('}').unwrap()],
            None => {
                &rest[..rest
                    .find(|c: char| !c.is_alphanumeric() && c != '_')
                    .unwrap()]
            }
        };
        named.extend(names.split(',').map(|name| name.trim().to_owned()));
    }
    assert!(named.iter().any(|name| name == "QueryParam"), "{named:?}");
    for name in &named {
        assert!(
            RUNTIME_NAMES.contains(&name.as_str()),
            "`{name}` is not in the list"
        );
    }
}

/// The method's signature and the builder's setters, whitespace removed.
fn squashed_client(spec: &serde_json::Value) -> String {
    client_of(&spec.to_string(), "spec.json")
        .split_whitespace()
        .collect()
}

#[test]
fn required_fields_are_arguments_in_the_order_of_required_and_the_rest_setters() {
    let mut spec = valid_spec();
    let verify = &mut spec["components"]["schemas"]["Verify"];
    verify["properties"]["uri"] = serde_json::json!({"type": "string", "description": "Where."});
    verify["properties"]["tags"] = serde_json::json!({"type": "array",
        "items": {"type": "string"}, "description": "Labels."});
    let client = squashed_client(&spec);
    assert!(
        client.contains(
            "pubfnverify_otp_email(&self,login_id:impl::std::convert::Into<::std::string::String>,\
             code:impl::std::convert::Into<::std::string::String>,)"
        ),
        "{client}"
    );
    // An optional scalar takes anything convertible, a list any iterator; both are documented.
    assert!(client.contains("///Where.pubfnuri<V>(mutself,value:V)->SelfwhereV:::std::convert::TryInto<::std::string::String>"));
    assert!(client.contains(
        "///Labels.pubfntags<I>(mutself,values:I)->SelfwhereI:::std::iter::IntoIterator"
    ));
    // Awaiting a builder sends it.
    assert!(client.contains("impl<'a>::std::future::IntoFutureforVerifyOtpEmail<'a>"));

    // The spec's `required` decides the order, not the properties'.
    spec["components"]["schemas"]["Verify"]["required"] = serde_json::json!(["code", "loginId"]);
    let client = squashed_client(&spec);
    assert!(
        client.contains("pubfnverify_otp_email(&self,code:impl"),
        "the order follows `required`"
    );
}

#[test]
fn a_body_field_named_like_a_builder_method_is_refused() {
    let mut spec = valid_spec();
    spec["components"]["schemas"]["Verify"]["properties"]["send"] =
        serde_json::json!({"type": "boolean", "description": "Whether to send."});
    let diagnostics = descope_generator::generate(
        &spec.to_string(),
        "spec.json",
        &descope_generator::Settings::default(),
    )
    .expect_err("the setter would replace `send`");
    let text = diagnostics.to_string();
    assert!(
        text.contains("body property `send` becomes the builder method `send`")
            && text.contains("x-rust-name"),
        "{text}"
    );
}

/// A property whose derived name is also a trait method's (`default`) is renamed where it is
/// the property, and nowhere else: `Default::default()` and `fn default` keep their names.
#[test]
fn a_renamed_property_named_like_a_trait_method_leaves_the_trait_alone() {
    let mut spec = valid_spec();
    spec["components"]["schemas"]["Verify"]["properties"]["default"] = serde_json::json!({
        "type": "boolean", "description": "Whether it is the default.", "x-rust-name": "is_default"
    });
    let client = client_of(&spec.to_string(), "spec.json");
    assert!(
        client.contains("pub is_default: ::std::option::Option<bool>"),
        "{client}"
    );
    assert!(client.contains("#[serde(rename = \"default\""), "{client}");
    assert!(client.contains("fn default() -> Self"), "{client}");
    assert!(!client.contains("fn is_default() -> Self"), "{client}");
    assert!(!client.contains("Default::is_default"), "{client}");
    assert!(
        client.contains("pub fn is_default<T>("),
        "the setter is renamed"
    );
}

/// A string schema marked `x-extensible-enum` becomes an enum of its known values with an
/// `Unknown` variant, in place of typify's newtype and its conversions; a nullable reference to
/// it is an optional field.
#[test]
fn an_extensible_enum_has_its_known_values_and_keeps_any_other() {
    let mut spec = valid_spec();
    spec["components"]["schemas"]["Status"] = serde_json::json!({
        "type": "string", "description": "A status.",
        "x-extensible-enum": ["enabled", "recovery_codes"]
    });
    spec["components"]["schemas"]["Verify"]["properties"]["status"] = serde_json::json!({
        "nullable": true, "description": "The status.",
        "allOf": [{"$ref": "#/components/schemas/Status"}]
    });
    let client = client_of(&spec.to_string(), "spec.json");
    assert!(client.contains("pub enum Status {"), "{client}");
    assert!(client.contains("RecoveryCodes,"), "{client}");
    assert!(
        client.contains("Unknown(::std::string::String)"),
        "{client}"
    );
    assert!(
        client.contains("\"recovery_codes\" => Self::RecoveryCodes"),
        "{client}"
    );
    assert!(
        !client.contains("pub struct Status("),
        "typify's newtype is gone"
    );
    assert!(!client.contains("Deref for Status"), "and its conversions");
    assert!(
        client.contains("pub status: ::std::option::Option<Status>"),
        "{client}"
    );
}
