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
    assert_eq!(
        client.matches("**Authentication:**").count(),
        49,
        "one per operation, inside the method's own docs"
    );
}
