//! Machine clients' access keys, validated as sessions: the key is exchanged at Descope for a
//! session JWT, which is validated locally like a user's, and the result is remembered so that a
//! service receiving the same key on every request does not exchange it every time.
//!
//! What makes a remembered exchange safe to reuse:
//! - it is found by the SHA-256 of the key, so the cleartext is never kept, and a different key
//!   cannot find it (a collision of SHA-256 is not within anyone's reach);
//! - it counts only while the JWT it gave is within its times, and while the key set that
//!   verified it is still the one held; when the set is fetched anew (every few minutes, or on
//!   a rotation) the JWT is checked against the new set, locally, and the key is exchanged
//!   again only if it no longer holds or has expired;
//! - only successful exchanges are kept, at most
//!   [`SessionConfig::verified_tokens`](super::SessionConfig::verified_tokens) of them (0: every
//!   call exchanges).
//!
//! The cost of reuse: a key deactivated or deleted at Descope is still accepted here until the
//! JWT of its last exchange expires, at most the project's access-key session timeout. The
//! official SDKs exchange on every call instead, which costs a round trip to Descope per
//! request.

use super::claims::SessionKind;
use super::verified::{Entry, VerifiedTokens};
use super::{SESSION_DRN, Session, SessionError, keys_for, validate_token_entry};
use crate::{AccessKey, Client};

/// [`Client::validate_access_key`].
pub(crate) async fn validate_access_key(
    client: &Client,
    access_key: AccessKey,
) -> Result<Session, SessionError> {
    if access_key.expose().is_empty() {
        return Err(SessionError::Missing);
    }
    let remembered = &client.inner.sessions.access_keys;
    let digest = digest_hex(access_key.expose());
    if let Some(hit) = remembered.get(&digest) {
        match still_valid(client, hit).await? {
            Some(Still::Held(session)) => return Ok(session),
            Some(Still::Rechecked(entry)) => return Ok(remember(client, &digest, entry)),
            None => remembered.forget(&digest),
        }
    }
    let answer = client
        .exchange_access_key(access_key)
        .send()
        .await
        .map_err(SessionError::Exchange)?;
    let session_jwt = answer
        .session_jwt
        .as_deref()
        .filter(|jwt| !jwt.is_empty())
        .ok_or(SessionError::IncompleteExchange)?;
    let mut entry = validate_token_entry(client, session_jwt, SESSION_DRN).await?;
    entry.session = entry.session.into_kind(SessionKind::AccessKey);
    Ok(remember(client, &digest, entry))
}

/// Keeps `entry` for the key of this digest, and gives its session.
fn remember(client: &Client, digest: &str, entry: Entry) -> Session {
    let session = entry.session.clone();
    let now = client.inner.sessions.config.clock.unix_seconds();
    client.inner.sessions.access_keys.insert(digest, entry, now);
    session
}

/// A remembered exchange that still holds.
enum Still {
    /// Verified by the key set held now.
    Held(Session),
    /// Verified again, locally, against a key set fetched since.
    Rechecked(Entry),
}

/// Whether a remembered exchange still holds: its JWT within its times, verified by the key set
/// held now (checked again, locally, when the set has been fetched anew since). `None` sends the
/// key to Descope again.
async fn still_valid(client: &Client, hit: Entry) -> Result<Option<Still>, SessionError> {
    let config = &client.inner.sessions.config;
    if hit
        .session
        .check_times(config, config.clock.unix_seconds())
        .is_err()
    {
        return Ok(None);
    }
    let keys = keys_for(client, &hit.kid).await?;
    if std::sync::Arc::ptr_eq(&keys, &hit.keys) {
        return Ok(Some(Still::Held(hit.session)));
    }
    let jwt = hit.session.token().as_str();
    Ok(validate_token_entry(client, jwt, SESSION_DRN)
        .await
        .ok()
        .map(|entry| {
            Still::Rechecked(Entry {
                session: hit.session,
                ..entry
            })
        }))
}

/// Exchanged access keys by the SHA-256 of the key, in hex.
pub(crate) type RememberedAccessKeys = VerifiedTokens;

/// The SHA-256 of `key`, in lowercase hex: what a remembered exchange is found by. Written from
/// a table: formatting a byte at a time was two fifths of a remembered validation's cost.
fn digest_hex(key: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for byte in sha256(key.as_bytes()) {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

#[cfg(feature = "jwt-aws-lc")]
fn sha256(bytes: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes)
        .as_ref()
        .to_vec()
}

#[cfg(all(feature = "jwt-rust-crypto", not(feature = "jwt-aws-lc")))]
fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_sha256_in_hex() {
        // FIPS 180-2's test vector for "abc".
        assert_eq!(
            digest_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
