//! Turns the curated Descope OpenAPI spec into the source files of the `descope-client` crate.
//!
//! The pipeline, in order:
//! 1. [`load`] parses YAML or JSON into a raw tree and openapiv3's typed model;
//! 2. the curation rules check both (references, open schemas, operations, security,
//!    responses, examples) and report every problem as a [`Diagnostic`];
//! 3. progenitor generates the client, its panics caught and reported;
//! 4. `postprocess` edits progenitor's syntax tree with `syn` where the spec says more than
//!    progenitor writes (`redact` keeps `x-descope-sensitive` fields out of `Debug`), and
//!    `operations_file` emits the per-operation credential table;
//! 5. `render` formats each file with prettyplease and adds the `@generated` header.
//!
//! Pure: no I/O, no clock, no environment; the same spec text always gives the same files.

mod diagnostic;
mod examples;
mod load;
mod model;
mod operations_file;
mod postprocess;
mod progenitor_stage;
mod redact;
mod render;
mod rules;
mod send;
mod tree;

pub use diagnostic::{Diagnostic, Diagnostics, Location, Rule};
pub use examples::{Example, collect as collect_examples, mismatches as example_mismatches};
pub use load::{Spec, load};
pub use model::{Credential, Operation};

/// Choices that differ between the crates the generator writes.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The hand-written type progenitor stores in `Client::inner`; the runtime reads the project
    /// id, credentials and call settings from it.
    pub inner_type: String,
    /// The client crate's name as written in Rust paths; doc examples use it.
    pub crate_name: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            inner_type: "crate::ClientState".to_owned(),
            crate_name: "descope_client".to_owned(),
        }
    }
}

/// One generated file, relative to the client crate's `src/generated/` directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub name: &'static str,
    pub contents: String,
}

/// Generates the client files from spec text. `spec_file` names the spec in diagnostics and in
/// the files' headers; pass a path relative to the repository so the output is reproducible.
pub fn generate(
    spec_text: &str,
    spec_file: &str,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let spec = load(spec_text, spec_file)?;
    let operations = check(&spec)?;

    let mut report = diagnostic::Report::new(spec_file);
    let rust_names = tree::rust_names(&spec.raw, &mut report);
    let sensitive = redact::sensitive_fields(&spec.raw, &rust_names, &mut report);
    let client = progenitor_stage::generate(&spec.typed, settings, &mut report)
        .and_then(|tokens| {
            postprocess::client(
                tokens,
                &operations,
                &rust_names,
                &sensitive,
                settings,
                &mut report,
            )
        })
        .map(|file| render::file(&file, spec_file, "the progenitor client, post-processed"));
    let table = render::parse(
        operations_file::emit(&operations),
        "operation table",
        &mut report,
    )
    .map(|file| {
        render::file(
            &file,
            spec_file,
            "each operation's method, path and bearer credential",
        )
    });
    let (Some(client), Some(table)) = (client, table) else {
        if report.is_clean() {
            report.push(
                Location::Document,
                Rule::Internal,
                "a generation stage produced no file and gave no reason",
                "this is a generator bug; please report it with the spec",
            );
        }
        return Err(report.into_diagnostics());
    };
    report.into_result()?;

    let module = render::with_header(
        "//! Code generated from the curated spec. See ARCHITECTURE.md for how it is made.\n\n\
         pub mod client;\npub mod operations;\n",
        spec_file,
        "the module tree",
    );
    Ok(vec![
        GeneratedFile {
            name: "mod.rs",
            contents: module,
        },
        GeneratedFile {
            name: "client.rs",
            contents: client,
        },
        GeneratedFile {
            name: "operations.rs",
            contents: table,
        },
    ])
}

/// Runs every curation rule, returning the spec's operations when all hold.
pub fn check(spec: &Spec) -> Result<Vec<Operation>, Diagnostics> {
    let mut report = diagnostic::Report::new(&spec.file);
    // Misspelled keys first: a dropped key often explains the problems reported after it.
    tree::check_keys(&spec.raw, &mut report);
    tree::check_references(&spec.raw, &mut report);
    tree::check_open_schemas(&spec.raw, &mut report);
    let operations = rules::check(&spec.typed, &mut report);
    examples::check(&spec.raw, &mut report);
    report.into_result()?;
    Ok(operations)
}
