//! Authenticates and identifies every call: builds `Authorization` from the spec's per-operation
//! credential table (`generated::operations`) and the client's project id and refresh JWT, and
//! adds the identification headers Descope's official SDKs send.

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::generated::operations::{self, Credential};
use crate::{Client, ClientState, Error};

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let value = authorization(&self.inner, info.operation_id).map_err(Error::InvalidRequest)?;
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, value);
        headers.insert(SDK_NAME, HeaderValue::from_static("rust"));
        headers.insert(
            SDK_VERSION,
            HeaderValue::from_static(env!("CARGO_PKG_VERSION")),
        );
        // Checked when the client was built: visible ASCII only.
        if let Ok(project_id) = HeaderValue::from_str(self.inner.project_id.as_str()) {
            headers.insert(PROJECT_ID, project_id);
        }
        // progenitor adds `api-version` (a Dropshot convention); Descope's API has no use for it.
        headers.remove("api-version");
        Ok(())
    }
}

const SDK_NAME: HeaderName = HeaderName::from_static("x-descope-sdk-name");
const SDK_VERSION: HeaderName = HeaderName::from_static("x-descope-sdk-version");
const PROJECT_ID: HeaderName = HeaderName::from_static("x-descope-project-id");

/// The `Authorization` value for one operation, or why the call cannot be made.
pub(crate) fn authorization(state: &ClientState, method_name: &str) -> Result<HeaderValue, String> {
    let operation = operations::by_method_name(method_name).ok_or_else(|| {
        format!("`{method_name}` is not an operation of the spec; no credential is known for it")
    })?;
    let refresh_jwt = state
        .refresh_jwt
        .as_ref()
        .filter(|jwt| !jwt.expose().is_empty());
    let project_id = state.project_id.as_str();
    let bearer = match (operation.credential, refresh_jwt) {
        (Credential::ProjectId, _) | (Credential::ProjectIdOrRefreshJwt, None) => {
            format!("Bearer {project_id}")
        }
        (Credential::ProjectIdOrRefreshJwt | Credential::ProjectIdAndRefreshJwt, Some(jwt)) => {
            format!("Bearer {project_id}:{}", jwt.expose())
        }
        (Credential::ProjectIdAndRefreshJwt, None) => {
            return Err(format!(
                "{method_name} ({} {}) acts on a signed-in user and needs their refresh JWT: \
                 call it on `client.with_refresh_jwt(refresh_jwt)`",
                operation.http_method, operation.path
            ));
        }
    };
    let mut value = HeaderValue::from_str(&bearer).map_err(|_| {
        "the refresh JWT contains characters that cannot be sent in a header".to_owned()
    })?;
    // Marked sensitive so that HTTP-level logging and `Debug` of the request leave it out.
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{ProjectId, RefreshJwt};

    fn state(refresh_jwt: Option<&str>) -> ClientState {
        ClientState {
            project_id: ProjectId::new("P2test").unwrap(),
            refresh_jwt: refresh_jwt.map(RefreshJwt::new),
        }
    }

    fn bearer(state: &ClientState, method: &str) -> Result<String, String> {
        authorization(state, method).map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn project_id_operations_ignore_a_refresh_jwt() {
        assert_eq!(
            bearer(&state(Some("r")), "verify_otp_email").unwrap(),
            "Bearer P2test"
        );
    }

    #[test]
    fn sign_in_sends_the_refresh_jwt_only_when_there_is_one() {
        assert_eq!(
            bearer(&state(None), "sign_in_otp_sms").unwrap(),
            "Bearer P2test"
        );
        assert_eq!(
            bearer(&state(Some("r")), "sign_in_otp_sms").unwrap(),
            "Bearer P2test:r"
        );
    }

    #[test]
    fn updates_refuse_to_go_without_a_refresh_jwt() {
        let error = bearer(&state(None), "update_email_otp").unwrap_err();
        assert!(error.contains("POST /v1/auth/otp/update/email"), "{error}");
        assert!(bearer(&state(Some("")), "update_email_otp").is_err());
        assert_eq!(
            bearer(&state(Some("r")), "update_email_otp").unwrap(),
            "Bearer P2test:r"
        );
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_an_error_not_a_panic() {
        assert!(bearer(&state(Some("bad\ntoken")), "update_email_otp").is_err());
    }

    #[test]
    fn the_header_value_is_marked_sensitive() {
        assert!(
            authorization(&state(None), "verify_magic_link")
                .unwrap()
                .is_sensitive()
        );
    }
}
