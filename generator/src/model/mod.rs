//! The generator's one model of a spec: what it knows beyond what progenitor reads. `check/`
//! builds it while it reports every diagnostic; `emit/` takes it whole.
//!
//! Per operation: its Rust method name, its API group, the bearer credential its `security`
//! requirements call for, and where each of its inputs goes on the wire (path, query, header,
//! JSON body). For the spec as a whole: the Rust names it chooses (`x-rust-name`), the fields
//! that hold secrets (`x-descope-sensitive`), the extensible string enums
//! (`x-extensible-enum`) and its prose (`docs`).

mod docs;

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

pub use docs::SpecDocs;

/// A checked spec, as the emitters need it.
pub struct Model {
    /// Every operation, sorted by id.
    pub operations: Vec<Operation>,
    /// The Rust names the spec chooses (`x-rust-name`), by the name progenitor derives.
    pub rust_names: BTreeMap<String, String>,
    /// The fields that hold secrets (`x-descope-sensitive`).
    pub sensitive: SensitiveFields,
    /// The known values of each string schema the service may extend (`x-extensible-enum`), by
    /// schema name: its Rust type is an enum of them with an `Unknown` variant.
    pub extensible_enums: BTreeMap<String, Vec<String>>,
    /// What the spec says in prose about schemas, fields and parameters.
    pub docs: SpecDocs,
}

/// Rust field names of the sensitive properties, by schema name.
pub type SensitiveFields = BTreeMap<String, BTreeSet<String>>;

/// The bearer credential an operation authenticates with, derived from its `security` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Credential {
    /// `security: []`: the call sends no `Authorization` header (the public keys).
    None,
    /// Only `Bearer <ProjectId>` is accepted.
    ProjectId,
    /// `Bearer <ProjectId>`, or `Bearer <ProjectId>:<RefreshJWT>` when a signed-in user steps up.
    ProjectIdOrRefreshJwt,
    /// Only `Bearer <ProjectId>:<RefreshJWT>` is accepted.
    ProjectIdAndRefreshJwt,
    /// Only `Bearer <ProjectId>:<SessionJWT>` is accepted.
    ProjectIdAndSessionJwt,
    /// Only `Bearer <ProjectId>:<ManagementKey>` is accepted (the management API).
    ProjectIdAndManagementKey,
    /// Only `Bearer <ProjectId>:<AccessKey>` is accepted (the access-key exchange).
    ProjectIdAndAccessKey,
}

impl Credential {
    /// The variant's name in the generated `Credential` enum.
    pub fn variant_name(self) -> &'static str {
        match self {
            Credential::None => "None",
            Credential::ProjectId => "ProjectId",
            Credential::ProjectIdOrRefreshJwt => "ProjectIdOrRefreshJwt",
            Credential::ProjectIdAndRefreshJwt => "ProjectIdAndRefreshJwt",
            Credential::ProjectIdAndSessionJwt => "ProjectIdAndSessionJwt",
            Credential::ProjectIdAndManagementKey => "ProjectIdAndManagementKey",
            Credential::ProjectIdAndAccessKey => "ProjectIdAndAccessKey",
        }
    }
}

/// The bearer formats the service documents, recognised from a scheme's `bearerFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[allow(
    clippy::enum_variant_names,
    reason = "each names the format it stands for"
)]
pub enum BearerFormat {
    ProjectId,
    ProjectIdRefreshJwt,
    ProjectIdSessionJwt,
    ProjectIdManagementKey,
    ProjectIdAccessKey,
}

impl BearerFormat {
    /// Every format, as the `security` rule lists them in its help.
    pub const ALL: [&'static str; 5] = [
        "<ProjectId>",
        "<ProjectId>:<RefreshJWT>",
        "<ProjectId>:<SessionJWT>",
        "<ProjectId>:<ManagementKey>",
        "<ProjectId>:<AccessKey>",
    ];

    /// Recognises the formats of [`BearerFormat::ALL`], ignoring case, spaces and angle brackets,
    /// so that Descope's own spelling (`Project ID:Refresh JWT`) is recognised too.
    pub fn parse(bearer_format: &str) -> Option<Self> {
        let normalized: String = bearer_format
            .chars()
            .filter(|c| !matches!(c, ' ' | '<' | '>' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect();
        match normalized.as_str() {
            "projectid" => Some(BearerFormat::ProjectId),
            "projectid:refreshjwt" => Some(BearerFormat::ProjectIdRefreshJwt),
            "projectid:sessionjwt" => Some(BearerFormat::ProjectIdSessionJwt),
            "projectid:managementkey" => Some(BearerFormat::ProjectIdManagementKey),
            "projectid:accesskey" => Some(BearerFormat::ProjectIdAccessKey),
            _ => None,
        }
    }

    /// The credential for a non-empty `security` list whose alternatives use these formats, or
    /// `None` for a combination the client cannot choose between.
    pub fn credential(alternatives: &[BearerFormat]) -> Option<Credential> {
        match alternatives {
            [BearerFormat::ProjectIdManagementKey] => {
                return Some(Credential::ProjectIdAndManagementKey);
            }
            [BearerFormat::ProjectIdAccessKey] => return Some(Credential::ProjectIdAndAccessKey),
            _ => {}
        }
        let has = |format| alternatives.contains(&format);
        if has(BearerFormat::ProjectIdManagementKey) || has(BearerFormat::ProjectIdAccessKey) {
            return None;
        }
        match (
            has(BearerFormat::ProjectId),
            has(BearerFormat::ProjectIdRefreshJwt),
            has(BearerFormat::ProjectIdSessionJwt),
        ) {
            (true, false, false) => Some(Credential::ProjectId),
            (true, true, false) => Some(Credential::ProjectIdOrRefreshJwt),
            (false, true, false) => Some(Credential::ProjectIdAndRefreshJwt),
            (false, false, true) => Some(Credential::ProjectIdAndSessionJwt),
            _ => None,
        }
    }
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
}

impl ParameterLocation {
    /// The method of the runtime's `Call` that places a value here.
    pub fn call_method(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
        }
    }
}

/// One path, query or header parameter of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The name on the wire, such as `projectId`.
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
}

impl Parameter {
    /// The builder field and setter progenitor names the parameter with (its `sanitize` in
    /// snake case); `emit::send` checks that progenitor's builder has exactly these fields.
    pub fn rust_name(&self) -> String {
        rust_identifier(&self.name)
    }
}

/// progenitor's snake-case identifier for a wire name: characters that cannot continue an
/// identifier become word breaks, a leading digit gets `_`, and a keyword gets a trailing `_`.
pub(crate) fn rust_identifier(name: &str) -> String {
    progenitor_identifier(name, Case::Snake)
}

/// progenitor's `UpperCamelCase` identifier for a name (its `sanitize` with `Case::Pascal`), as
/// it names an operation's builder from the operation's snake-case name.
pub(crate) fn type_identifier(name: &str) -> String {
    progenitor_identifier(name, Case::Pascal)
}

/// The two cases progenitor's `sanitize` writes identifiers in.
#[derive(Clone, Copy)]
enum Case {
    Snake,
    Pascal,
}

fn progenitor_identifier(name: &str, case: Case) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut identifier = match case {
        Case::Snake => cleaned.to_snake_case(),
        Case::Pascal => cleaned.to_upper_camel_case(),
    };
    match identifier.chars().next() {
        None => {
            identifier = match case {
                Case::Snake => "x",
                Case::Pascal => "X",
            }
            .to_owned();
        }
        Some(first) if !(first.is_alphabetic() || first == '_') => identifier.insert(0, '_'),
        Some(_) => {}
    }
    if syn::parse_str::<syn::Ident>(&identifier).is_err() {
        identifier.push('_');
    }
    identifier
}

/// How a request body is encoded on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded` (Descope's OAuth endpoints take these).
    Form,
}

impl BodyEncoding {
    /// The method of the runtime's `Call` that places a body of this encoding.
    pub fn call_method(self) -> &'static str {
        match self {
            BodyEncoding::Json => "json",
            BodyEncoding::Form => "form",
        }
    }
}

/// An operation's request body (JSON, or a form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonBody {
    /// How the body goes on the wire.
    pub encoding: BodyEncoding,
    /// `requestBody.required`. progenitor sends the body either way: an optional body whose
    /// caller sets nothing goes out as the builder's default, `{}` (the rules make sure its
    /// schema requires no property, so that default is valid).
    pub required: bool,
    /// The wire names of the properties the call takes as arguments: those the body's object
    /// schema (itself, or through one `$ref`) lists in `required` and declares, in the order of
    /// `required`. A body of another shape (`allOf`, `oneOf`) takes every field by setter.
    pub arguments: Vec<String>,
    /// The request body's example, which the method's doc example fills its arguments from.
    pub example: Option<serde_json::Value>,
}

/// One operation of the spec, as the generator's own emitters see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`, such as `SignUpOtpEmail`.
    pub operation_id: String,
    /// The upper-case HTTP method.
    pub http_method: String,
    pub path: String,
    pub credential: Credential,
    /// The API group: the operation's one tag, which is also the client crate's cargo feature
    /// that compiles it. `None` only where the policy lets an operation go without (repair mode,
    /// relaxed fixtures): such an operation is always compiled.
    pub group: Option<String>,
    /// Path, query and header parameters, the operation's and its path item's.
    pub parameters: Vec<Parameter>,
    pub request_body: Option<JsonBody>,
}

impl Operation {
    /// The generated method name. progenitor snake-cases the `operationId` with `heck` too; the
    /// generator checks after generation that both agree (see `emit`).
    pub fn method_name(&self) -> String {
        self.operation_id.to_snake_case()
    }

    /// The operation's builder in the generated `builder` module: progenitor names it from the
    /// method name in UpperCamelCase, so `VERIFYOTPEMAIL` (method `verifyotpemail`) has the
    /// builder `Verifyotpemail`, not one named like the id.
    pub fn builder_name(&self) -> String {
        type_identifier(&self.method_name())
    }

    /// The name of the operation's constant in the generated `operations.rs`.
    pub fn constant_name(&self) -> String {
        self.operation_id.to_shouty_snake_case()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_formats_are_recognised_in_both_spellings() {
        assert_eq!(
            BearerFormat::parse("<ProjectId>"),
            Some(BearerFormat::ProjectId)
        );
        assert_eq!(
            BearerFormat::parse("Project ID"),
            Some(BearerFormat::ProjectId)
        );
        assert_eq!(
            BearerFormat::parse("<ProjectId>:<RefreshJWT>"),
            Some(BearerFormat::ProjectIdRefreshJwt)
        );
        assert_eq!(
            BearerFormat::parse("Project ID:Refresh JWT"),
            Some(BearerFormat::ProjectIdRefreshJwt)
        );
        assert_eq!(
            BearerFormat::parse("Project ID:Session JWT"),
            Some(BearerFormat::ProjectIdSessionJwt)
        );
        assert_eq!(
            BearerFormat::parse("Project ID:Management Key"),
            Some(BearerFormat::ProjectIdManagementKey)
        );
        assert_eq!(
            BearerFormat::parse("ProjectId:AccessKey"),
            Some(BearerFormat::ProjectIdAccessKey)
        );
        assert_eq!(BearerFormat::parse("ProjectId:Password"), None);
    }

    #[test]
    fn credential_follows_the_alternatives() {
        use BearerFormat::*;
        assert_eq!(
            BearerFormat::credential(&[ProjectId]),
            Some(Credential::ProjectId)
        );
        assert_eq!(
            BearerFormat::credential(&[ProjectId, ProjectIdRefreshJwt]),
            Some(Credential::ProjectIdOrRefreshJwt)
        );
        assert_eq!(
            BearerFormat::credential(&[ProjectIdRefreshJwt]),
            Some(Credential::ProjectIdAndRefreshJwt)
        );
        assert_eq!(
            BearerFormat::credential(&[ProjectIdSessionJwt]),
            Some(Credential::ProjectIdAndSessionJwt)
        );
        assert_eq!(
            BearerFormat::credential(&[ProjectId, ProjectIdSessionJwt]),
            None,
            "the client could not tell which to send"
        );
        assert_eq!(
            BearerFormat::credential(&[ProjectIdManagementKey]),
            Some(Credential::ProjectIdAndManagementKey)
        );
        assert_eq!(
            BearerFormat::credential(&[ProjectIdAccessKey]),
            Some(Credential::ProjectIdAndAccessKey)
        );
        assert_eq!(
            BearerFormat::credential(&[ProjectId, ProjectIdManagementKey]),
            None,
            "a management call has no project-id-only form"
        );
        assert_eq!(BearerFormat::credential(&[]), None);
    }

    #[test]
    fn parameter_names_follow_progenitor() {
        for (wire, rust) in [
            ("projectId", "project_id"),
            ("certs", "certs"),
            ("X-Request-ID", "x_request_id"),
            ("type", "type_"),
            ("1st", "_1st"),
            ("page[size]", "page_size"),
            ("", "x"),
        ] {
            assert_eq!(rust_identifier(wire), rust, "{wire}");
        }
    }
}
