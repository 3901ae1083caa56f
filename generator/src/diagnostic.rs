//! Problems found in a spec, each naming the file, the place, the rule broken and the fix.

use std::fmt;

/// Where in the spec a problem sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The document as a whole.
    Document,
    /// A line and column (1-based) in the source text, for syntax errors.
    Text { line: usize, column: usize },
    /// One operation, named by method and path (and its `operationId` when it has one).
    Operation {
        method: String,
        path: String,
        operation_id: Option<String>,
    },
    /// A named component schema.
    Schema(String),
    /// Any other place, as a JSON pointer into the document.
    Pointer(String),
}

impl Location {
    pub(crate) fn operation(method: &str, path: &str, operation_id: Option<&str>) -> Self {
        Location::Operation {
            method: method.to_uppercase(),
            path: path.to_owned(),
            operation_id: operation_id.map(str::to_owned),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Document => f.write_str("document"),
            Location::Text { line, column } => write!(f, "line {line}, column {column}"),
            Location::Operation {
                method,
                path,
                operation_id: Some(id),
            } => write!(f, "operation {id} ({method} {path})"),
            Location::Operation {
                method,
                path,
                operation_id: None,
            } => write!(f, "operation {method} {path}"),
            Location::Schema(name) => write!(f, "schema {name}"),
            Location::Pointer(pointer) => write!(f, "{pointer}"),
        }
    }
}

/// The curation rules a spec must follow before code is generated from it.
///
/// Each rule has a stable id so that diagnostics can be matched in tests and searched for in docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The text must parse as YAML or JSON.
    Syntax,
    /// The document must have the shape of an OpenAPI 3.0.x description, with no field that
    /// openapiv3 would silently drop and no two names that become one Rust identifier.
    Structure,
    /// Only OpenAPI 3.0.x is supported (progenitor's limit).
    OpenApiVersion,
    /// Every operation has an `operationId` in PascalCase ASCII whose method name is neither a
    /// Rust keyword nor one of the client's own methods.
    OperationId,
    /// No two operations share an `operationId`, a method name (ids differing only in case) or
    /// a builder name (`get_1x`, `get1x`); in the curated spec, no two ids differ only in case.
    DuplicateOperationId,
    /// Path items are written inline, not as `$ref`.
    PathItemRef,
    /// Every `$ref` points at something that exists, of the kind its place holds, and reaches a
    /// definition without looping.
    DanglingRef,
    /// Every operation declares security with known bearer schemes.
    Security,
    /// Request bodies are JSON, described by a schema, and not sent with GET or HEAD.
    RequestBody,
    /// Every operation has one JSON success response, error responses share one schema, and
    /// every response key is a status code.
    Responses,
    /// A 429 response declares the `Retry-After` header.
    RetryAfter,
    /// Parameters are limited to what the client can send: no cookies, no header the client sets
    /// itself, and path parameters that match the path's `{names}`.
    Parameters,
    /// Schemas stay open to fields and values the service adds later.
    OpenSchemas,
    /// Every request and response has an example, and every example matches its schema.
    Examples,
    /// Operations carry the documentation a caller needs.
    Documentation,
    /// Every operation names its API group: one tag, declared at the top with a description and
    /// spelled as a cargo feature (the client compiles a group only with its feature).
    Group,
    /// The operations and types the hand-written runtime uses (`generated-client/src/session/`,
    /// `paging.rs`) exist in the shape it uses, in each API group the spec has.
    RuntimeNeeds,
    /// progenitor refused or failed on the spec.
    Progenitor,
    /// The generator broke one of its own invariants: a bug to report, not a spec problem.
    Internal,
}

impl Rule {
    /// The rule's stable, kebab-case id.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::Structure => "structure",
            Rule::OpenApiVersion => "openapi-version",
            Rule::OperationId => "operation-id",
            Rule::DuplicateOperationId => "duplicate-operation-id",
            Rule::PathItemRef => "path-item-ref",
            Rule::DanglingRef => "dangling-ref",
            Rule::Security => "security",
            Rule::RequestBody => "request-body",
            Rule::Responses => "responses",
            Rule::RetryAfter => "retry-after",
            Rule::Parameters => "parameters",
            Rule::OpenSchemas => "open-schemas",
            Rule::Examples => "examples",
            Rule::Documentation => "documentation",
            Rule::Group => "group",
            Rule::RuntimeNeeds => "runtime-needs",
            Rule::Progenitor => "progenitor",
            Rule::Internal => "internal",
        }
    }

    /// Whether the whole rule is curated-slice policy: what this project asks of its own spec so
    /// the client is documented, tested and safe to use, but which progenitor does not need to
    /// produce compiling code. Repair mode (`generate_foreign`) drops these. Rules that mix both
    /// kinds mark their policy halves with `Report::push_policy` instead. `runtime-needs` is
    /// dropped with them: only this project's own crate has the hand-written modules it guards
    /// (relaxed fixtures compile over a stand-in without them, repair mode over progenitor's
    /// runtime).
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            Rule::Security
                | Rule::RetryAfter
                | Rule::OpenSchemas
                | Rule::Examples
                | Rule::Documentation
                | Rule::Group
                | Rule::RuntimeNeeds
        )
    }
}

/// One problem with a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as the caller named it.
    pub file: String,
    pub location: Location,
    pub rule: Rule,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error[{}]: {}: {}: {}\n  help: {}",
            self.rule.id(),
            self.file,
            self.location,
            self.message,
            self.help
        )
    }
}

/// Collects diagnostics for one spec file while the checks run.
#[derive(Debug)]
pub(crate) struct Report {
    file: String,
    /// Problems of curated-slice policy are not recorded (see [`Rule::is_policy`]).
    relaxed: bool,
    /// Repair mode: the output is progenitor's plain client, so what only the curated runtime
    /// needs (JSON bodies, one typed success) is not recorded either; progenitor decides.
    foreign: bool,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub(crate) fn new(file: &str) -> Self {
        Report {
            file: file.to_owned(),
            relaxed: false,
            foreign: false,
            diagnostics: Vec::new(),
        }
    }

    /// A report that drops curated-slice policy but keeps what the curated client needs: for
    /// small specs the curated pipeline generates ([`crate::Policy::Relaxed`]).
    pub(crate) fn relaxed(file: &str) -> Self {
        Report {
            relaxed: true,
            ..Report::new(file)
        }
    }

    /// A report for a foreign spec (repair mode): it keeps only what would make progenitor fail
    /// or produce broken code.
    pub(crate) fn foreign(file: &str) -> Self {
        Report {
            relaxed: true,
            foreign: true,
            ..Report::new(file)
        }
    }

    /// Records a shape that progenitor handles but the curated runtime cannot send or decode
    /// (a binary or multipart body, a `default` response, no typed success): kept in a curated
    /// run, dropped in repair mode, whose plain client progenitor's own runtime serves.
    pub(crate) fn push_runtime(
        &mut self,
        location: Location,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push_unless(self.foreign, location, rule, message, help);
    }

    /// Records a problem of curated-slice policy within a rule that also guards progenitor:
    /// kept in a curated run, dropped in repair mode.
    pub(crate) fn push_policy(
        &mut self,
        location: Location,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push_unless(self.relaxed, location, rule, message, help);
    }

    fn push_unless(
        &mut self,
        dropped: bool,
        location: Location,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if !dropped {
            self.push(location, rule, message, help);
        }
    }

    pub(crate) fn push(
        &mut self,
        location: Location,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if self.relaxed && rule.is_policy() {
            return;
        }
        self.diagnostics.push(Diagnostic {
            file: self.file.clone(),
            location,
            rule,
            message: message.into(),
            help: help.into(),
        });
    }

    pub(crate) fn is_relaxed(&self) -> bool {
        self.relaxed
    }

    pub(crate) fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Everything reported; callers use it only once something was.
    pub(crate) fn into_diagnostics(self) -> Diagnostics {
        Diagnostics(self.diagnostics)
    }

    pub(crate) fn into_result(self) -> Result<(), Diagnostics> {
        if self.diagnostics.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(self.diagnostics))
        }
    }
}

/// Every problem found in a spec; generation produces nothing when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        let count = self.0.len();
        write!(
            f,
            "\n{count} problem{} found; nothing was generated",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}
