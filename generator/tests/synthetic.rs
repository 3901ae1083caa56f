//! The synthetic specs the generation benchmark grows pass every curation rule, and plain
//! progenitor, the benchmark's baseline, takes them and the curated spec with the same operations.

#[path = "../benches/synthetic/mod.rs"]
mod synthetic;

use descope_generator::{Settings, baseline, check, generate, load};

#[test]
fn a_synthetic_spec_generates_one_builder_per_operation() {
    let spec = synthetic::spec(12);
    let files = generate(&spec, "synthetic.json", &Settings::default())
        .unwrap_or_else(|d| panic!("the synthetic spec is refused:\n{d}"));
    let client = &files
        .iter()
        .find(|f| f.name == "client.rs")
        .unwrap()
        .contents;
    for index in 0..12 {
        assert!(
            client.contains(&format!(
                "pub fn synthetic_operation{index}(\n        &self,"
            )),
            "no builder for operation {index}"
        );
    }
    assert!(!client.contains("synthetic_operation12"));
    // Each operation carries its own request schema, so the types grow with the operations.
    assert!(client.contains("pub struct Request11 {"));
    assert!(client.contains("pub struct Options11 {"));
    let plain = baseline::curated(&spec, &Settings::default()).unwrap();
    assert!(plain.contains("pub fn synthetic_operation11(&self)"));
}

#[test]
fn the_baseline_is_progenitor_on_the_same_operations() {
    let settings = Settings::default();
    let curated = include_str!("../../openapi/descope-auth.yaml");
    let ours = generate(curated, "openapi/descope-auth.yaml", &settings).unwrap();
    let client = &ours
        .iter()
        .find(|f| f.name == "client.rs")
        .unwrap()
        .contents;
    let plain = baseline::curated(curated, &settings).unwrap();
    let operations = check(&load(curated, "openapi/descope-auth.yaml").unwrap())
        .unwrap()
        .operations;
    assert!(!operations.is_empty());
    // Both sides write a builder method for every operation.
    for operation in &operations {
        let method = format!("pub fn {}(", operation.method_name());
        assert!(client.contains(&method), "{method}");
        assert!(plain.contains(&method), "{method}");
    }
    assert!(baseline::curated("openapi: [", &settings).is_err());
}
