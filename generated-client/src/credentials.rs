//! The values that go into `Authorization`: the project id and a signed-in user's refresh or
//! session JWT.

use std::fmt;

/// A Descope project id, checked once so that every request can carry it in a header.
#[derive(Clone, PartialEq, Eq)]
pub struct ProjectId(String);

impl ProjectId {
    /// Accepts an id of ASCII letters and digits, as every Descope project id is (`P` and a
    /// base-62 string, such as `P2aAc4T2V93bddihGEx2Ryhc8e5Z`, with the region after the `P`
    /// in ids of 32 characters or more). The id goes into the `Authorization` header and may
    /// choose the regional host name, so nothing else is let through: a `#`, `/`, `\`, `@`, `.`
    /// or `:` could otherwise build another host or bearer.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidProjectId> {
        let id = id.into();
        let id = id.trim().to_owned();
        if id.is_empty() {
            return Err(InvalidProjectId("the project id is empty".into()));
        }
        if let Some(bad) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(InvalidProjectId(format!(
                "the project id contains {bad:?}; ids are letters and digits such as `P2abc...`"
            )));
        }
        if id.len() > MAX_PROJECT_ID_LENGTH {
            return Err(InvalidProjectId(format!(
                "the project id is {} characters long; ids are at most {MAX_PROJECT_ID_LENGTH}",
                id.len()
            )));
        }
        Ok(ProjectId(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Real ids are 28 characters, regional ones 32; this leaves room and keeps a host label (at
/// most 63 characters) valid.
const MAX_PROJECT_ID_LENGTH: usize = 63;

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
            #[doc = concat!("Holds a ", stringify!($name), "; see [`", stringify!($name), "::check`].")]
            pub fn new(token: impl Into<String>) -> Self {
                $name(token.into())
            }

            /// The token itself, for building the `Authorization` header.
            pub(crate) fn expose(&self) -> &str {
                &self.0
            }

            /// The token itself, to hand back to the user (in a cookie or a JSON answer). It is
            /// a secret: keep it out of logs.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The token itself, as an owned string; see [`as_str`](Self::as_str).
            pub fn into_string(self) -> String {
                self.0
            }

            /// Checks that the token is made of a JWT's characters (base64url and dots) and is
            /// not empty, as it must be before it is sent.
            pub fn check(&self) -> Result<(), InvalidToken> {
                check_jwt_characters(&self.0, stringify!($name))
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

        impl From<&String> for $name {
            fn from(token: &String) -> Self {
                $name(token.clone())
            }
        }
    };
}

/// Why a token was refused: it is empty or holds a character no JWT has.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidToken(String);

fn check_jwt_characters(token: &str, kind: &str) -> Result<(), InvalidToken> {
    if token.is_empty() {
        return Err(InvalidToken(format!("the {kind} is empty")));
    }
    match token
        .chars()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        // The character is not shown: it is part of a secret.
        Some(at) => Err(InvalidToken(format!(
            "the {kind} holds a character no JWT has (at position {at}); a JWT is base64url and dots"
        ))),
        None => Ok(()),
    }
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
        assert!(ProjectId::new("P2aAc4T2V93bddihGEx2Ryhc8e5Z").is_ok());
        assert!(ProjectId::new("Puse12aAc4T2V93bddihGEx2Ryhc8e5Z").is_ok());
        for bad in [
            "",
            "P2:abc",
            "P2 abc",
            "P2\nabc",
            "Puse1#evil.example/aAc4T2V93bddihGEx2R",
            "Pab/c",
            "Pab\\c",
            "P@evil",
            "P.evil",
            "P-2",
            "Pé",
        ] {
            assert!(ProjectId::new(bad).is_err(), "{bad:?}");
        }
        assert!(ProjectId::new("P".repeat(64)).is_err());
    }

    #[test]
    fn tokens_must_be_made_of_jwt_characters() {
        assert!(RefreshJwt::new("eyJh.eyJz.c2ln-_").check().is_ok());
        for bad in ["", "   ", "eyJh.eyJz.sig\n", "ключ", "a b", "a;b"] {
            let error = RefreshJwt::new(bad).check().unwrap_err().to_string();
            assert!(
                !bad.trim().is_empty() || error.contains("empty") || error.contains("character")
            );
            assert!(error.starts_with("the RefreshJwt"), "{error}");
        }
        let shown = SessionJwt::new("secret;part")
            .check()
            .unwrap_err()
            .to_string();
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn refresh_jwts_never_show_in_debug() {
        let token = RefreshJwt::new("eyJhbGciOi.secret.part");
        assert_eq!(format!("{token:?}"), "RefreshJwt(<redacted>)");
        let token = SessionJwt::from("eyJhbGciOi.secret.part");
        assert_eq!(format!("{token:?}"), "SessionJwt(<redacted>)");
    }
}

/// An access key's cleartext, with which a machine client authenticates
/// (`Bearer <ProjectId>:<AccessKey>` on the exchange). A secret: its `Debug` never shows it, and
/// it cannot be read back from here.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey(String);

impl AccessKey {
    /// Holds an access key; see [`AccessKey::check`].
    pub fn new(key: impl Into<String>) -> Self {
        AccessKey(key.into())
    }

    /// Checks that the key can go into a bearer: not empty, printable ASCII without spaces or
    /// `:` (the bearer's separator), as it must be before it is sent.
    pub fn check(&self) -> Result<(), InvalidToken> {
        if self.0.is_empty() {
            return Err(InvalidToken("the access key is empty".to_owned()));
        }
        match self
            .0
            .bytes()
            .position(|b| !b.is_ascii_graphic() || b == b':')
        {
            // The character is not shown: it is part of a secret.
            Some(at) => Err(InvalidToken(format!(
                "the access key holds a character a bearer cannot carry (at position {at})"
            ))),
            None => Ok(()),
        }
    }

    /// The key itself, for building the `Authorization` header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessKey(<redacted>)")
    }
}

impl From<String> for AccessKey {
    fn from(key: String) -> Self {
        AccessKey(key)
    }
}

impl From<&str> for AccessKey {
    fn from(key: &str) -> Self {
        AccessKey(key.to_owned())
    }
}

impl From<&String> for AccessKey {
    fn from(key: &String) -> Self {
        AccessKey(key.clone())
    }
}

/// The project's management key, which every management call carries after the project id
/// (`Bearer <ProjectId>:<ManagementKey>`). A secret: its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ManagementKey(String);

impl ManagementKey {
    /// Holds a management key if it can go into a bearer: not empty, printable ASCII without
    /// spaces or `:` (the bearer's separator).
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidToken> {
        let key = key.into();
        if key.is_empty() {
            return Err(InvalidToken("the management key is empty".to_owned()));
        }
        if let Some(at) = key.bytes().position(|b| !b.is_ascii_graphic() || b == b':') {
            // The character is not shown: it is part of a secret.
            return Err(InvalidToken(format!(
                "the management key holds a character a bearer cannot carry (at position {at}): \
                 spaces, `:` and non-ASCII are not allowed"
            )));
        }
        Ok(ManagementKey(key))
    }

    /// The key itself, for building the `Authorization` header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ManagementKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ManagementKey(<redacted>)")
    }
}

/// A secret given to the builder and checked when the client is built; its `Debug` never shows
/// it, so a builder can be logged.
#[derive(Clone)]
pub(crate) struct UncheckedSecret(pub(crate) String);

impl fmt::Debug for UncheckedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
