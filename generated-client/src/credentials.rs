//! The values that go into `Authorization`: the project id and a signed-in user's refresh or
//! session JWT.

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

/// A token that authenticates a user: it goes into `Authorization` and nowhere else. Its
/// `Debug` never shows it.
macro_rules! user_token {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn new(token: impl Into<String>) -> Self {
                $name(token.into())
            }

            /// The token itself, for building the `Authorization` header.
            pub(crate) fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(token: String) -> Self {
                $name(token)
            }
        }

        impl From<&str> for $name {
            fn from(token: &str) -> Self {
                $name(token.to_owned())
            }
        }
    };
}

user_token!(
    /// A signed-in user's refresh JWT (`DSR`), for the calls that act on that user.
    RefreshJwt
);

user_token!(
    /// A signed-in user's session JWT (`DS`), for the calls that check a session.
    SessionJwt
);

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
        let token = SessionJwt::from("eyJhbGciOi.secret.part");
        assert_eq!(format!("{token:?}"), "SessionJwt(<redacted>)");
    }
}
