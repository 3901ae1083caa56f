//! The curated spec, read through the generator, and the examples each operation documents.

use std::collections::BTreeMap;
use std::path::Path;

use descope_generator::Spec;
use serde_json::Value;

/// A response an operation documents, with its example.
#[derive(Clone, Debug)]
pub struct DocumentedResponse {
    /// The status as the spec writes it: `200`, `429`, `5XX`.
    pub status_label: String,
    /// A concrete status to send for it (`5XX` becomes 503).
    pub status: u16,
    pub body: Value,
    /// Header examples, such as `Retry-After: 60`.
    pub headers: Vec<(String, String)>,
}

/// What a call sends besides its credential: the request body example (`null` for an operation
/// without a body) and each parameter's example, by wire name.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub body: Value,
    pub parameters: BTreeMap<String, Value>,
}

pub struct CuratedSpec {
    pub spec: Spec,
}

impl CuratedSpec {
    pub fn load() -> Self {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/descope-auth.yaml");
        let text = std::fs::read_to_string(&path).expect("the curated spec is readable");
        let spec = descope_generator::load(&text, "openapi/descope-auth.yaml")
            .expect("the curated spec loads");
        // The spec the tests read must be one the generator accepts.
        descope_generator::check(&spec).expect("the curated spec passes the curation rules");
        CuratedSpec { spec }
    }

    fn operation(&self, method: &str, path: &str) -> &Value {
        let pointer = format!(
            "/paths/{}/{}",
            path.replace('~', "~0").replace('/', "~1"),
            method.to_lowercase()
        );
        self.spec
            .raw
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("{method} {path} is in the spec"))
    }

    /// Follows a local `$ref`, if the value is one.
    fn follow<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => self
                .spec
                .raw
                .pointer(reference.trim_start_matches('#'))
                .expect("references resolve"),
            None => value,
        }
    }

    /// The documented inputs of an operation: its body example and its parameters' examples
    /// (the path item's too, unless the operation overrides them).
    pub fn inputs(&self, method: &str, path: &str) -> Inputs {
        let operation = self.operation(method, path);
        let body = self.follow(&operation["requestBody"]);
        let item = &self.spec.raw["paths"][path];
        let mut parameters = BTreeMap::new();
        for list in [&operation["parameters"], &item["parameters"]] {
            for parameter in list.as_array().into_iter().flatten() {
                let parameter = self.follow(parameter);
                if let Some(name) = parameter["name"].as_str() {
                    parameters
                        .entry(name.to_owned())
                        .or_insert_with(|| parameter["example"].clone());
                }
            }
        }
        Inputs {
            body: body["content"]["application/json"]["example"].clone(),
            parameters,
        }
    }

    /// Every response the operation documents, in the spec's order.
    pub fn responses(&self, method: &str, path: &str) -> Vec<DocumentedResponse> {
        let Value::Object(responses) = &self.operation(method, path)["responses"] else {
            panic!("{method} {path} documents responses");
        };
        responses
            .iter()
            .map(|(label, response)| {
                let response = self.follow(response);
                let status = match label.as_str() {
                    "5XX" => 503,
                    other => other.parse().expect("statuses are numbers or 5XX"),
                };
                let headers = match &response["headers"] {
                    Value::Object(headers) => headers
                        .iter()
                        .map(|(name, header)| {
                            (name.clone(), self.follow(header)["example"].to_string())
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                DocumentedResponse {
                    status_label: label.clone(),
                    status,
                    body: response["content"]["application/json"]["example"].clone(),
                    headers,
                }
            })
            .collect()
    }
}
