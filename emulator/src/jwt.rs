//! Session and refresh JWTs signed with an Ed25519 key made at start-up (`alg: EdDSA`), and the
//! JWKS that publishes its public half at `GET /v2/keys/{projectId}`.

use std::fmt;

use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// `drn` claim values Descope uses to tell a session JWT from a refresh JWT.
pub const SESSION: &str = "DS";
pub const REFRESH: &str = "DSR";

pub struct Signer {
    key: Ed25519KeyPair,
    kid: String,
}

// The private key never shows.
impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer").field("kid", &self.kid).finish()
    }
}

impl Signer {
    /// A fresh key; `None` if the system's entropy source failed.
    pub fn generate() -> Option<Signer> {
        let key = Ed25519KeyPair::generate().ok()?;
        let kid = crate::secret::id()?;
        Some(Signer { key, kid })
    }

    /// `header.payload.signature`, each part base64url without padding.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": self.kid});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }

    /// The claims of a token this signer made, if its signature holds. Expiry and the other
    /// claims are the caller's to check.
    pub fn verify(&self, token: &str) -> Option<Value> {
        verify_with(self.key.public_key().as_ref(), token)
    }

    /// The JWKS document (RFC 8037 `OKP` key).
    pub fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "EdDSA",
            "use": "sig",
            "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(self.key.public_key().as_ref()),
        }]})
    }
}

/// Checks `token`'s Ed25519 signature against a raw 32-byte public key and returns its claims.
/// Public so that tests and applications can check tokens against the published JWKS.
pub fn verify_with(public_key: &[u8], token: &str) -> Option<Value> {
    // The signature covers `header.payload`, everything before the last dot.
    let (input, signature) = token.rsplit_once('.')?;
    let (header, payload) = input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.get("alg")?.as_str()? != "EdDSA" {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(input.as_bytes(), &signature)
        .ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The raw public key from a JWKS document's first `OKP`/`Ed25519` key.
pub fn public_key_from_jwks(jwks: &Value) -> Option<Vec<u8>> {
    let key = jwks.get("keys")?.as_array()?.iter().find(|key| {
        key.get("kty").and_then(Value::as_str) == Some("OKP")
            && key.get("crv").and_then(Value::as_str) == Some("Ed25519")
    })?;
    URL_SAFE_NO_PAD
        .decode(key.get("x")?.as_str()?)
        .ok()
        .filter(|raw| raw.len() == 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_against_the_jwks_and_tampering_fails() {
        let signer = Signer::generate().unwrap();
        let token = signer.sign(&json!({"sub": "U1", "exp": 1}));
        let public = public_key_from_jwks(&signer.jwks()).unwrap();
        assert_eq!(verify_with(&public, &token).unwrap()["sub"], "U1");
        let forged = token.replacen('.', ".e30", 1);
        assert!(verify_with(&public, &forged).is_none());
        let other = Signer::generate().unwrap();
        assert!(other.verify(&token).is_none());
        assert!(signer.verify("not.a.jwt").is_none());
        assert!(signer.verify("").is_none());
        assert!(!format!("{signer:?}").contains("key"));
    }
}
