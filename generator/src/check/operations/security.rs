//! The `security` rule: each operation's requirements name defined HTTP bearer schemes of the
//! documented bearer formats, in a combination the client can choose between; returns the
//! [`Credential`] the operation authenticates with.

use openapiv3::{Operation as SpecOperation, ReferenceOr, SecurityScheme};

use super::checker::OperationChecker;
use crate::diagnostic::Rule;
use crate::model::{BearerFormat, Credential};

impl OperationChecker<'_> {
    pub(super) fn security(&mut self, operation: &SpecOperation) -> Option<Credential> {
        let Some(requirements) = operation.security.as_ref().or(self.spec.security.as_ref()) else {
            self.fail(
                Rule::Security,
                "the operation declares no security requirement",
                "add `security: [{ProjectId: []}]`, the refresh-JWT scheme for calls on a \
                 signed-in user, or `security: []` for a call that sends no credential",
            );
            return None;
        };
        // `security: []` says, explicitly, that the call is not authenticated.
        if requirements.is_empty() {
            return Some(Credential::None);
        }
        let schemes = self.components.as_ref().map(|c| &c.security_schemes);
        let mut formats = Vec::new();
        for requirement in requirements {
            if requirement.len() != 1 {
                let (message, help) = if requirement.is_empty() {
                    (
                        "an empty security requirement `{}` makes the credential optional"
                            .to_owned(),
                        "list the accepted bearers, or write `security: []` for a call that \
                         sends none",
                    )
                } else {
                    (
                        format!(
                            "a security requirement combines {} schemes; the service takes one \
                             bearer",
                            requirement.len()
                        ),
                        "list each accepted bearer as its own alternative",
                    )
                };
                self.fail(Rule::Security, message, help);
                return None;
            }
            let name = requirement.keys().next().expect("length checked above");
            let scheme = schemes.and_then(|s| s.get(name));
            let format = match scheme {
                Some(ReferenceOr::Item(SecurityScheme::HTTP {
                    scheme,
                    bearer_format,
                    ..
                })) if scheme.eq_ignore_ascii_case("bearer") => {
                    bearer_format.as_deref().and_then(BearerFormat::parse)
                }
                None => {
                    self.fail(
                        Rule::Security,
                        format!("security scheme `{name}` is not defined"),
                        "define it under components.securitySchemes",
                    );
                    return None;
                }
                Some(ReferenceOr::Reference { reference }) => {
                    self.fail(
                        Rule::Security,
                        format!("security scheme `{name}` is a `$ref` to {reference}"),
                        "write the scheme inline under components.securitySchemes",
                    );
                    return None;
                }
                _ => None,
            };
            match format {
                Some(format) => formats.push(format),
                None => {
                    self.fail(
                        Rule::Security,
                        format!(
                            "security scheme `{name}` is not an http bearer scheme with one of \
                             the bearer formats {}",
                            quoted(&BearerFormat::ALL)
                        ),
                        "declare it as `type: http`, `scheme: bearer` with one of those bearer \
                         formats; the generated client can build only those bearers",
                    );
                    return None;
                }
            }
        }
        let credential = BearerFormat::credential(&formats);
        if credential.is_none() {
            self.fail(
                Rule::Security,
                "the operation accepts a combination of bearers the client cannot choose \
                 between",
                "accept one bearer, or `<ProjectId>` together with `<ProjectId>:<RefreshJWT>` \
                 (sent when the client holds a refresh JWT)",
            );
        }
        credential
    }
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
