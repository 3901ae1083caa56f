//! The operations of the spec, as the emulator routes and authorizes them. The table
//! (`generated/operations.rs`) is byte for byte the client's, written by `cargo xtask generate`,
//! so the emulator serves exactly the methods, paths and bearers the client sends; the types it
//! fills are declared here as the client's runtime declares them (a difference does not compile).

/// The bearer credential an operation authenticates with, from its `security` requirements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Credential {
    /// No `Authorization` header (`security: []`); a header that comes anyway is ignored.
    None,
    /// `Bearer <ProjectId>`.
    ProjectId,
    /// `Bearer <ProjectId>`, or `Bearer <ProjectId>:<RefreshJWT>` (step-up and MFA sign-in,
    /// try-refresh).
    ProjectIdOrRefreshJwt,
    /// `Bearer <ProjectId>:<RefreshJWT>`.
    ProjectIdAndRefreshJwt,
    /// `Bearer <ProjectId>:<SessionJWT>`.
    ProjectIdAndSessionJwt,
    /// `Bearer <ProjectId>:<ManagementKey>`: the management API.
    ProjectIdAndManagementKey,
    /// `Bearer <ProjectId>:<AccessKey>`: the access-key exchange.
    ProjectIdAndAccessKey,
}

/// One operation of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The client's method name.
    pub method_name: &'static str,
    /// The upper-case HTTP method.
    pub http_method: &'static str,
    /// The path with `{name}` where a path parameter goes.
    pub path: &'static str,
    /// What the `Authorization` header must carry.
    pub credential: Credential,
}

pub use crate::generated::operations::*;
