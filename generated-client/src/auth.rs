//! Authenticates and identifies every call: builds `Authorization` from the spec's per-operation
//! credential table (`generated::operations`) and the client's project id and refresh JWT, and
//! adds the identification headers Descope's official SDKs send. (progenitor's `api-version`
//! header is never sent: the runtime builds every request itself.)

use std::fmt;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, InvalidHeaderValue,
};

use crate::ClientState;
use crate::call::UserJwt;
use crate::credentials::ProjectId;
use crate::operations::{Credential, Operation};

/// The headers every call of a client sends, built once when the client is made: the content
/// type, the SDK identification and `Authorization: Bearer <ProjectId>`. Its `Debug` shows names
/// only.
#[derive(Clone)]
pub(crate) struct CommonHeaders(HeaderMap);

impl CommonHeaders {
    pub(crate) fn new(project_id: &ProjectId) -> Self {
        let mut headers = HeaderMap::with_capacity(6);
        let json = HeaderValue::from_static("application/json");
        headers.insert(CONTENT_TYPE, json.clone());
        headers.insert(ACCEPT, json);
        headers.insert(SDK_NAME, HeaderValue::from_static("rust"));
        headers.insert(
            SDK_VERSION,
            HeaderValue::from_static(env!("CARGO_PKG_VERSION")),
        );
        // A project id is checked to be visible ASCII, so both values always build.
        if let Ok(value) = HeaderValue::from_str(project_id.as_str()) {
            headers.insert(PROJECT_ID, value);
        }
        if let Ok(value) = sensitive(&format!("Bearer {project_id}")) {
            headers.insert(AUTHORIZATION, value);
        }
        CommonHeaders(headers)
    }
}

impl fmt::Debug for CommonHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// Every header a call sends, or why the call cannot be made.
pub(crate) fn headers(
    state: &ClientState,
    operation: &Operation,
    given: Option<&UserJwt>,
) -> Result<HeaderMap, String> {
    let mut headers = state.headers.0.clone();
    // An empty token counts as none only where a token is optional; where one is required, an
    // empty one is reported as empty, not as missing.
    // A token given to the call (`logout(refresh_jwt)`) wins over the client's.
    let (refresh_jwt, session_jwt) = match given {
        Some(UserJwt::Refresh(jwt)) => (Some(jwt), state.session_jwt.as_ref()),
        Some(UserJwt::Session(jwt)) => (state.refresh_jwt.as_ref(), Some(jwt)),
        None | Some(UserJwt::AccessKey(_)) => {
            (state.refresh_jwt.as_ref(), state.session_jwt.as_ref())
        }
    };
    let access_key = match given {
        Some(UserJwt::AccessKey(key)) => Some(key),
        _ => None,
    };
    let refused = |invalid: crate::InvalidToken| format!("{}: {invalid}", operation.method_name);
    let user_token = match (operation.credential, refresh_jwt, session_jwt) {
        (Credential::None, _, _) => {
            headers.remove(AUTHORIZATION);
            None
        }
        // The common headers already carry `Bearer <ProjectId>`.
        (Credential::ProjectId, _, _) | (Credential::ProjectIdOrRefreshJwt, None, _) => None,
        (Credential::ProjectIdOrRefreshJwt, Some(jwt), _) if jwt.expose().is_empty() => None,
        (Credential::ProjectIdOrRefreshJwt | Credential::ProjectIdAndRefreshJwt, Some(jwt), _) => {
            jwt.check().map_err(refused)?;
            Some(jwt.expose())
        }
        (Credential::ProjectIdAndSessionJwt, _, Some(jwt)) => {
            jwt.check().map_err(refused)?;
            Some(jwt.expose())
        }
        (Credential::ProjectIdAndRefreshJwt, None, _) => {
            return Err(format!(
                "{} acts on a signed-in user and needs their refresh JWT: pass it to the \
                 client's method, or build the call on `client.with_refresh_jwt(refresh_jwt)`",
                operation.method_name
            ));
        }
        (Credential::ProjectIdAndSessionJwt, _, None) => {
            return Err(format!(
                "{} checks a session and needs its session JWT: pass it to the client's \
                 method, or build the call on `client.with_session_jwt(session_jwt)`",
                operation.method_name
            ));
        }
        (Credential::ProjectIdAndAccessKey, _, _) => match access_key {
            Some(key) => {
                key.check().map_err(refused)?;
                Some(key.expose())
            }
            None => {
                return Err(format!(
                    "{} authenticates with an access key: pass it to the client's method",
                    operation.method_name
                ));
            }
        },
        (Credential::ProjectIdAndManagementKey, _, _) => match &state.management_key {
            Some(key) => Some(key.expose()),
            None => {
                return Err(format!(
                    "{} is a management call and needs the project's management key: set it \
                     with `Client::builder(project_id).management_key(key)` or the \
                     DESCOPE_MANAGEMENT_KEY environment variable",
                    operation.method_name
                ));
            }
        },
    };
    if let Some(jwt) = user_token {
        // Both parts are checked to be header-safe, so this cannot fail; if it did, nothing
        // would be sent.
        let bearer = format!("Bearer {}:{jwt}", state.project_id);
        let value =
            sensitive(&bearer).map_err(|_| "the bearer cannot be sent in a header".to_owned())?;
        headers.insert(AUTHORIZATION, value);
    }
    Ok(headers)
}

const SDK_NAME: HeaderName = HeaderName::from_static("x-descope-sdk-name");
const SDK_VERSION: HeaderName = HeaderName::from_static("x-descope-sdk-version");
const PROJECT_ID: HeaderName = HeaderName::from_static("x-descope-project-id");

/// A header value marked sensitive, so that HTTP-level logging and `Debug` leave it out.
fn sensitive(text: &str) -> Result<HeaderValue, InvalidHeaderValue> {
    let mut value = HeaderValue::from_str(text)?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{RefreshJwt, SessionJwt};

    fn state(refresh_jwt: Option<&str>) -> ClientState {
        let state = ClientState::new(
            ProjectId::new("P2test").unwrap(),
            reqwest::Url::parse("http://127.0.0.1:9").unwrap(),
        );
        ClientState {
            refresh_jwt: refresh_jwt.map(RefreshJwt::new),
            ..state
        }
    }

    fn with_session(session_jwt: &str) -> ClientState {
        ClientState {
            session_jwt: Some(SessionJwt::new(session_jwt)),
            ..state(Some("r"))
        }
    }

    const KEYS: Operation = Operation {
        operation_id: "GetKeys",
        method_name: "get_keys",
        http_method: "GET",
        path: "/v2/keys/{projectId}",
        credential: Credential::None,
    };

    const VALIDATE: Operation = Operation {
        operation_id: "ValidateSessionRemotely",
        method_name: "validate_session_remotely",
        http_method: "POST",
        path: "/v1/auth/validate",
        credential: Credential::ProjectIdAndSessionJwt,
    };

    #[test]
    fn unauthenticated_operations_send_no_authorization() {
        let headers = headers(&with_session("s"), &KEYS, None).unwrap();
        assert!(!headers.contains_key(AUTHORIZATION));
        assert_eq!(headers[PROJECT_ID], "P2test");
    }

    #[test]
    fn session_operations_send_the_session_jwt_and_refuse_without_one() {
        let sent = headers(&with_session("s"), &VALIDATE, None).unwrap();
        assert_eq!(sent[AUTHORIZATION], "Bearer P2test:s");
        assert!(sent[AUTHORIZATION].is_sensitive());
        let error = headers(&state(Some("r")), &VALIDATE, None).unwrap_err();
        assert!(error.contains("with_session_jwt"), "{error}");
        assert!(headers(&with_session(""), &VALIDATE, None).is_err());
        let refused = headers(&with_session("a\nb"), &VALIDATE, None).unwrap_err();
        assert!(
            refused.contains("SessionJwt holds a character"),
            "{refused}"
        );
    }

    const CREATE_USER: Operation = Operation {
        operation_id: "CreateUser",
        method_name: "create_user",
        http_method: "POST",
        path: "/v1/mgmt/user/create",
        credential: Credential::ProjectIdAndManagementKey,
    };

    #[test]
    fn management_operations_send_the_management_key_and_refuse_without_one() {
        let with_key = ClientState {
            management_key: Some(crate::credentials::ManagementKey::new("K2key").unwrap()),
            ..state(Some("r"))
        };
        let sent = headers(&with_key, &CREATE_USER, None).unwrap();
        assert_eq!(sent[AUTHORIZATION], "Bearer P2test:K2key");
        assert!(sent[AUTHORIZATION].is_sensitive());
        // A user's refresh JWT is never a management credential.
        let error = headers(&state(Some("r")), &CREATE_USER, None).unwrap_err();
        assert!(
            error.contains("needs the project's management key"),
            "{error}"
        );
        assert!(error.contains("DESCOPE_MANAGEMENT_KEY"), "{error}");
    }

    fn bearer(state: &ClientState, method: &str) -> Result<String, String> {
        let operation = crate::operations::by_method_name(method).unwrap();
        headers(state, operation, None).map(|h| h[AUTHORIZATION].to_str().unwrap().to_owned())
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
        assert!(error.contains("with_refresh_jwt"), "{error}");
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
        let headers = headers(&state(None), &crate::operations::VERIFY_MAGIC_LINK, None).unwrap();
        assert!(headers[AUTHORIZATION].is_sensitive());
        assert!(!headers.contains_key("api-version"));
    }
}
