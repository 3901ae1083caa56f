//! The sign-in history in either shape the service may send: the sources disagree on whether the
//! entries come as a bare array or under `authHistory` (openapi/README.md, §4), so the generated
//! type is an untagged enum of both. These methods read the entries without matching on it.

use crate::types::{AuthHistoryEntry, MeAuthHistoryResponse};

impl MeAuthHistoryResponse {
    /// The sign-ins, in the order the service sent them, whichever shape carried them.
    pub fn entries(&self) -> &[AuthHistoryEntry] {
        match self {
            MeAuthHistoryResponse::List(list) => &list.0,
            MeAuthHistoryResponse::Envelope(envelope) => &envelope.auth_history,
        }
    }

    /// The sign-ins, owned.
    pub fn into_entries(self) -> Vec<AuthHistoryEntry> {
        match self {
            MeAuthHistoryResponse::List(list) => list.0,
            MeAuthHistoryResponse::Envelope(envelope) => envelope.auth_history,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(body: &str) -> MeAuthHistoryResponse {
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn both_shapes_give_the_same_entries() {
        let entry = r#"{"userId":"U1","loginTime":1790000000,"ip":"192.0.2.1"}"#;
        let bare = decoded(&format!("[{entry},{entry}]"));
        let wrapped = decoded(&format!(r#"{{"authHistory":[{entry},{entry}]}}"#));
        assert!(matches!(bare, MeAuthHistoryResponse::List(_)));
        assert!(matches!(wrapped, MeAuthHistoryResponse::Envelope(_)));
        for history in [bare, wrapped] {
            assert_eq!(history.entries().len(), 2);
            assert_eq!(history.entries()[1].ip.as_deref(), Some("192.0.2.1"));
            assert_eq!(history.into_entries()[0].login_time, Some(1790000000));
        }
        assert!(decoded("[]").entries().is_empty());
        assert!(
            decoded("{}").entries().is_empty(),
            "an envelope without entries"
        );
    }

    #[test]
    fn neither_shape_is_an_error() {
        assert!(serde_json::from_str::<MeAuthHistoryResponse>(r#""history""#).is_err());
    }
}
