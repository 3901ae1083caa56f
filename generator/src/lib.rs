//! Turns the curated Descope OpenAPI spec into the source files of the `descope-client` crate.
//!
//! The pipeline, in order, one module or folder per stage (each folder's `mod.rs` says what
//! comes in and what goes out):
//! 1. [`load`] (`load/`) parses YAML or JSON into a raw tree and openapiv3's typed model;
//! 2. the curation rules (`check/`) check both (references, open schemas, operations, security,
//!    responses, examples) and report every problem as a [`Diagnostic`];
//! 3. progenitor generates the client (`progenitor_stage`), its panics caught and reported;
//! 4. `emit/` edits progenitor's syntax tree with `syn` where the spec says more than
//!    progenitor writes, one file per pass (`redact` keeps `x-descope-sensitive` fields out of
//!    `Debug`), and `emit/operations_file` emits the per-operation credential table;
//! 5. `render` formats each file with prettyplease and adds the `@generated` header.
//!
//! [`generate_foreign`] is repair mode, for specs the project does not curate: [`repair()`]
//! (`repair/`) fixes what it can mechanically, policy rules are relaxed, and progenitor's plain
//! client comes out.
//!
//! Below the stages, shared by them: `diagnostic` (diagnostics and the report they are collected
//! in), `model` (what the generator knows of each operation), `pointer` (JSON pointers into the
//! raw tree) and `settings` ([`Settings`], [`Policy`]).
//!
//! Pure: no I/O, no clock, no environment; the same spec text always gives the same files.

#[doc(hidden)]
pub mod baseline;
mod cfg_lines;
mod check;
mod diagnostic;
mod emit;
#[cfg(test)]
mod foreign_shape_tests;
#[cfg(test)]
mod foreign_tests;
mod load;
mod model;
mod pointer;
mod progenitor_stage;
mod render;
mod repair;
mod settings;

pub use cfg_lines::lines_with_features;
pub use check::examples::{Example, collect as collect_examples, mismatches as example_mismatches};
pub use diagnostic::{Diagnostic, Diagnostics, Location, Rule};
pub use load::{Spec, decode, load};
pub use model::{BearerFormat, Credential, Model, Operation};
pub use repair::{Repair, name_from_method_and_path, repair};
pub use settings::{Policy, Settings};

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
    let model = check_with(&spec, settings.policy)?;

    let mut report = settings.policy.report(spec_file);
    let client = progenitor_stage::generate(&spec.typed, settings, &mut report)
        .and_then(|tokens| emit::client(tokens, &model, settings, &mut report))
        .map(|file| render::file(&file, spec_file, "the progenitor client, post-processed"));
    let table = render::parse(
        emit::operations_file::emit(&model.operations),
        "operation table",
        &mut report,
    )
    .map(|file| render::file(&file, spec_file, OPERATION_TABLE));
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
         /// The client, its operation builders and the request and response types.\n\
         pub mod client;\n\
         /// Each operation's method, path and bearer credential.\n\
         pub mod operations;\n",
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

/// What a curated spec gives the crates beside the client: the emulator's copy of the
/// operation table and its request schemas, and the shape tests' dispatch table. `cargo xtask
/// generate` writes them where they belong, `check` compares them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BesideTheClient {
    /// The operation table, byte for byte the client's `operations.rs`: the emulator routes
    /// and authorizes with the same data the client sends with.
    pub operation_table: String,
    /// The request bodies as one JSON Schema document (pretty-printed): `{"components",
    /// "requests": {"<OperationId>": {"required", "schema"}}}`, OpenAPI's `nullable` rewritten to
    /// draft 4's `null` type. The emulator validates every request with it.
    pub request_schemas: String,
    /// The input of the shape tests' `operations!` macro: each operation's method, builder,
    /// body type and parameters.
    pub shape_dispatch: String,
}

/// Generates [`BesideTheClient`] from spec text, as [`generate`] generates the client.
pub fn generate_beside_the_client(
    spec_text: &str,
    spec_file: &str,
) -> Result<BesideTheClient, Diagnostics> {
    let settings = Settings::default();
    let spec = load(spec_text, spec_file)?;
    let model = check(&spec)?;
    let mut report = settings.policy.report(spec_file);
    let client = progenitor_stage::generate(&spec.typed, &settings, &mut report)
        .and_then(|tokens| emit::client(tokens, &model, &settings, &mut report));
    let dispatch = client.and_then(|client| {
        emit::dispatch_file::emit(&client, &model)
            .map_err(|problem| emit::internal(&mut report, problem))
            .ok()
    });
    let table = render::parse(
        emit::operations_file::emit(&model.operations),
        "operation table",
        &mut report,
    );
    report.into_result()?;
    let (Some(dispatch), Some(table)) = (dispatch, table) else {
        let mut report = settings.policy.report(spec_file);
        emit::internal(
            &mut report,
            "a generation stage produced no file and gave no reason".to_owned(),
        );
        return Err(report.into_diagnostics());
    };
    let mut request_schemas =
        serde_json::to_string_pretty(&emit::request_schemas::emit(&spec.raw, &model, spec_file))
            .unwrap_or_default();
    request_schemas.push('\n');
    Ok(BesideTheClient {
        operation_table: render::file(&table, spec_file, OPERATION_TABLE),
        request_schemas,
        shape_dispatch: render::with_header(
            &dispatch,
            spec_file,
            "the shape tests' dispatch table, each operation's builder, body type and parameters",
        ),
    })
}

/// What the operation table's header says it is.
const OPERATION_TABLE: &str = "each operation's method, path and bearer credential";

/// What repair mode made of a foreign spec: the repairs, always, and either the client or the
/// problems that remain after repair.
#[derive(Debug)]
pub struct Foreign {
    /// Every change made to the spec, one per place.
    pub repairs: Vec<Repair>,
    /// `lib.rs` of a crate holding progenitor's plain client, or what still stops it.
    pub outcome: Result<Vec<GeneratedFile>, Diagnostics>,
}

/// Repair mode: generates a plain progenitor client from a spec the project does not curate
/// (Descope's published one). The spec is repaired mechanically ([`repair()`]), then checked only
/// by the rules that guard progenitor: curated-slice policy ([`Rule::is_policy`] and the policy
/// halves of mixed rules) is dropped. The output is one file, `lib.rs`, of a crate depending on
/// `progenitor-client`, `reqwest`, `serde` and `serde_json`: progenitor's own `Client` and hooks,
/// formatted by prettyplease, without the curated runtime's rewrite (credential table, `send`
/// through `Client::execute`, redaction), which needs `security` and `x-descope-sensitive` that a
/// foreign spec does not carry in our form.
pub fn generate_foreign(spec_text: &str, spec_file: &str) -> Foreign {
    let raw = match load::load_raw(spec_text, spec_file) {
        Ok(raw) => raw,
        Err(diagnostics) => {
            return Foreign {
                repairs: Vec::new(),
                outcome: Err(diagnostics),
            };
        }
    };
    let (raw, repairs) = repair::repair(raw);
    let outcome = load::from_tree(raw, spec_file).and_then(|spec| {
        check_foreign(&spec)?;
        let mut report = diagnostic::Report::foreign(spec_file);
        let client = progenitor_stage::generate_plain(&spec.typed, &mut report)
            .and_then(|tokens| render::parse(tokens, "client", &mut report));
        report.into_result()?;
        let Some(client) = client else {
            let mut report = diagnostic::Report::new(spec_file);
            report.push(
                Location::Document,
                Rule::Internal,
                "progenitor produced no client and gave no reason",
                "this is a generator bug; please report it with the spec",
            );
            return Err(report.into_diagnostics());
        };
        Ok(vec![GeneratedFile {
            name: "lib.rs",
            contents: render::file(
                &client,
                spec_file,
                "progenitor's plain client of the repaired spec (cargo xtask generate --repair)",
            ),
        }])
    });
    Foreign { repairs, outcome }
}

/// Runs only the rules that guard progenitor (repair mode), dropping curated-slice policy.
pub fn check_foreign(spec: &Spec) -> Result<(), Diagnostics> {
    let mut report = diagnostic::Report::foreign(&spec.file);
    check::keys::check_keys(&spec.raw, &mut report);
    check::references::check_references(&spec.raw, &mut report);
    let _ = check::operations::check(&spec.typed, &mut report);
    report.into_result()
}

/// Runs every curation rule, returning the spec's [`Model`] when all hold.
pub fn check(spec: &Spec) -> Result<Model, Diagnostics> {
    check_with(spec, Policy::Curated)
}

/// Runs the curation rules `policy` asks for, returning the spec's [`Model`] when they hold.
pub fn check_with(spec: &Spec, policy: Policy) -> Result<Model, Diagnostics> {
    check::model(spec, policy)
}
