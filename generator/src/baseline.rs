//! Plain progenitor with the settings [`crate::generate`] uses: the floor the generation
//! benchmarks measure the generator against (`generator/benches/generation.rs`).
//!
//! Each function does the least a user of progenitor would: parse the spec text into openapiv3's
//! model, `generate_tokens`, and format the tokens with prettyplease. No checks, no repair, no
//! post-processing, no diagnostics: errors come back as plain text.

use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator};

use crate::progenitor_stage;
use crate::settings::Settings;

/// progenitor's formatted client for `spec_text` with the settings [`crate::generate`] passes it.
pub fn curated(spec_text: &str, settings: &Settings) -> Result<String, String> {
    let inner_type = syn::parse_str::<syn::Path>(&settings.inner_type)
        .map_err(|error| format!("inner type: {error}"))?;
    let generation =
        progenitor_stage::generation_settings(quote::ToTokens::into_token_stream(inner_type));
    run(spec_text, &generation)
}

/// progenitor's formatted client for `spec_text` with the settings repair mode
/// ([`crate::generate_foreign`]) passes it. The spec must already generate: pass a repaired one.
pub fn foreign(spec_text: &str) -> Result<String, String> {
    run(spec_text, &progenitor_stage::plain_settings())
}

fn run(spec_text: &str, settings: &GenerationSettings) -> Result<String, String> {
    let spec: OpenAPI = if spec_text.trim_start().starts_with('{') {
        serde_json::from_str(spec_text).map_err(|error| error.to_string())?
    } else {
        serde_norway::from_str(spec_text).map_err(|error| error.to_string())?
    };
    let tokens = Generator::new(settings)
        .generate_tokens(&spec)
        .map_err(|error| error.to_string())?;
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| error.to_string())?;
    Ok(prettyplease::unparse(&file))
}
