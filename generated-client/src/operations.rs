//! The operations of the spec as the runtime sees them: the types are written here, and the
//! generator fills the table (`generated/operations.rs`, one constant per operation and
//! [`OPERATIONS`]) with each operation's method, path and bearer credential.

/// The bearer credential an operation authenticates with, from its `security` requirements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Credential {
    /// No `Authorization` header (`security: []`).
    None,
    /// `Authorization: Bearer <ProjectId>`.
    ProjectId,
    /// `Authorization: Bearer <ProjectId>`, or `Bearer <ProjectId>:<RefreshJWT>` when the
    /// client carries a signed-in user's refresh JWT (step-up and MFA).
    ProjectIdOrRefreshJwt,
    /// `Authorization: Bearer <ProjectId>:<RefreshJWT>`; refused before sending without one.
    ProjectIdAndRefreshJwt,
    /// `Authorization: Bearer <ProjectId>:<SessionJWT>`; refused before sending without one.
    ProjectIdAndSessionJwt,
    /// `Authorization: Bearer <ProjectId>:<ManagementKey>`, the management API; refused before
    /// sending when the client has no management key.
    ProjectIdAndManagementKey,
    /// `Authorization: Bearer <ProjectId>:<AccessKey>`, the access-key exchange: the key given
    /// to the call; refused before sending without one.
    ProjectIdAndAccessKey,
}

/// One operation of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The generated method name.
    pub method_name: &'static str,
    /// The upper-case HTTP method.
    pub http_method: &'static str,
    /// The path, relative to the base URL, with `{name}` where a path parameter goes.
    pub path: &'static str,
    /// What the `Authorization` header must carry.
    pub credential: Credential,
}

pub use crate::generated::operations::*;

/// The operation behind a generated method, by the method's name.
pub fn by_method_name(method_name: &str) -> Option<&'static Operation> {
    // The table is sorted by method name.
    OPERATIONS
        .binary_search_by(|operation| operation.method_name.cmp(method_name))
        .ok()
        .map(|index| &OPERATIONS[index])
}
