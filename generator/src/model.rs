//! What the generator needs to know about each operation beyond what progenitor reads:
//! its Rust method name and the bearer credential its `security` requirements call for.

use heck::{ToShoutySnakeCase, ToSnakeCase};

/// The bearer credential an operation authenticates with, derived from its `security` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Credential {
    /// Only `Bearer <ProjectId>` is accepted.
    ProjectId,
    /// `Bearer <ProjectId>`, or `Bearer <ProjectId>:<RefreshJWT>` when a signed-in user steps up.
    ProjectIdOrRefreshJwt,
    /// Only `Bearer <ProjectId>:<RefreshJWT>` is accepted.
    ProjectIdAndRefreshJwt,
}

impl Credential {
    /// The variant's name in the generated `Credential` enum.
    pub fn variant_name(self) -> &'static str {
        match self {
            Credential::ProjectId => "ProjectId",
            Credential::ProjectIdOrRefreshJwt => "ProjectIdOrRefreshJwt",
            Credential::ProjectIdAndRefreshJwt => "ProjectIdAndRefreshJwt",
        }
    }
}

/// The two bearer formats the service documents, recognised from a scheme's `bearerFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BearerFormat {
    ProjectId,
    ProjectIdRefreshJwt,
}

impl BearerFormat {
    /// Recognises `<ProjectId>` and `<ProjectId>:<RefreshJWT>`, ignoring case, spaces and angle
    /// brackets, so that Descope's own spelling (`Project ID:Refresh JWT`) is recognised too.
    pub fn parse(bearer_format: &str) -> Option<Self> {
        let normalized: String = bearer_format
            .chars()
            .filter(|c| !matches!(c, ' ' | '<' | '>' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect();
        match normalized.as_str() {
            "projectid" => Some(BearerFormat::ProjectId),
            "projectid:refreshjwt" => Some(BearerFormat::ProjectIdRefreshJwt),
            _ => None,
        }
    }

    /// The credential for a `security` list whose alternatives use these formats.
    pub fn credential(alternatives: &[BearerFormat]) -> Option<Credential> {
        let project_id = alternatives.contains(&BearerFormat::ProjectId);
        let refresh = alternatives.contains(&BearerFormat::ProjectIdRefreshJwt);
        match (project_id, refresh) {
            (true, false) => Some(Credential::ProjectId),
            (true, true) => Some(Credential::ProjectIdOrRefreshJwt),
            (false, true) => Some(Credential::ProjectIdAndRefreshJwt),
            (false, false) => None,
        }
    }
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
    /// The component schema of the JSON request body, when it is a `$ref` to one.
    pub request_type: Option<String>,
}

impl Operation {
    /// The generated method name. progenitor snake-cases the `operationId` with `heck` too; the
    /// generator checks after generation that both agree (see `postprocess`).
    pub fn method_name(&self) -> String {
        self.operation_id.to_snake_case()
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
        assert_eq!(BearerFormat::parse("ProjectId:AccessKey"), None);
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
        assert_eq!(BearerFormat::credential(&[]), None);
    }
}
