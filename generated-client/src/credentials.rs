//! The values that go into `Authorization`: the project id and a signed-in user's refresh JWT.

use std::fmt;

/// A Descope project id, checked once so that every request can carry it in a header.
#[derive(Clone, PartialEq, Eq)]
pub struct ProjectId(String);

impl ProjectId {
    /// Accepts a non-empty id of visible ASCII without `:` (which separates the bearer's parts).
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidProjectId> {
        let id = id.into();
        let id = id.trim().to_owned();
        if id.is_empty() {
            return Err(InvalidProjectId("the project id is empty".into()));
        }
        if let Some(bad) = id.chars().find(|c| !c.is_ascii_graphic() || *c == ':') {
            return Err(InvalidProjectId(format!(
                "the project id contains {bad:?}; ids are letters and digits such as `P2abc...`"
            )));
        }
        Ok(ProjectId(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// A project id is public (browsers send it too), so it may be shown.
impl fmt::Debug for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ProjectId").field(&self.0).finish()
    }
}

impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a project id was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid project id: {0}")]
pub struct InvalidProjectId(String);

/// A signed-in user's refresh JWT. Its `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshJwt(String);

impl RefreshJwt {
    pub fn new(token: impl Into<String>) -> Self {
        RefreshJwt(token.into())
    }

    /// The token itself, for building the `Authorization` header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshJwt(<redacted>)")
    }
}

impl From<String> for RefreshJwt {
    fn from(token: String) -> Self {
        RefreshJwt(token)
    }
}

impl From<&str> for RefreshJwt {
    fn from(token: &str) -> Self {
        RefreshJwt(token.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_ids_are_trimmed_and_checked() {
        assert_eq!(ProjectId::new(" P2abc ").unwrap().as_str(), "P2abc");
        assert!(ProjectId::new("").is_err());
        assert!(ProjectId::new("P2:abc").is_err());
        assert!(ProjectId::new("P2 abc").is_err());
        assert!(ProjectId::new("P2\nabc").is_err());
    }

    #[test]
    fn refresh_jwts_never_show_in_debug() {
        let token = RefreshJwt::new("eyJhbGciOi.secret.part");
        assert_eq!(format!("{token:?}"), "RefreshJwt(<redacted>)");
    }
}
