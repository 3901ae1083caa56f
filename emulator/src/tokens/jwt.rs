//! Compact JWTs: how the emulator lays them out, and how anyone holding its JWKS checks them.
//!
//! The verification helpers are public so that tests and applications can check the emulator's
//! tokens the way a relying party does: look the key up by the header's `kid`, require the
//! header's `alg` to equal the key's, and check the signature (`RS256`, `ES256` or `EdDSA`).
//! Expiry and the other claims are the caller's to check.

use aws_lc_rs::signature::{
    self, ECDSA_P256_SHA256_FIXED, ED25519, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents,
    UnparsedPublicKey,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// `drn` claim values Descope uses to tell a session JWT from a refresh JWT.
pub const SESSION: &str = "DS";
pub const REFRESH: &str = "DSR";

/// `base64url(header).base64url(claims)`, the part a signature covers.
pub(crate) fn signing_input(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// Appends the signature to a signing input.
pub(crate) fn assemble(input: String, signature: &[u8]) -> String {
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Base64url without padding, as JWKs encode key material.
pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token split into its parts: the signing input, the decoded header and claims, and the raw
/// signature. `None` unless it is three base64url parts of which the first two are JSON objects.
struct Parts<'a> {
    input: &'a str,
    header: Value,
    claims: Value,
    signature: Vec<u8>,
}

fn split(token: &str) -> Option<Parts<'_>> {
    let (input, signature) = token.rsplit_once('.')?;
    let (header, payload) = input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let object = |part: &str| -> Option<Value> {
        let value: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()?;
        value.is_object().then_some(value)
    };
    Some(Parts {
        input,
        header: object(header)?,
        claims: object(payload)?,
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

/// The header and claims of a token, without checking its signature: for reading what a token
/// says (its `kid`, `alg`, `drn`), never for trusting it.
pub fn decode_unverified(token: &str) -> Option<(Value, Value)> {
    split(token).map(|parts| (parts.header, parts.claims))
}

/// Checks `token` against one JWK and returns its claims. The header's `alg` must equal the
/// key's; `RS256` (`kty` `RSA`, `n`/`e`), `ES256` (`kty` `EC`, `crv` `P-256`, `x`/`y`) and
/// `EdDSA` (`kty` `OKP`, `crv` `Ed25519`, `x`) are understood.
pub fn verify_with_jwk(jwk: &Value, token: &str) -> Option<Value> {
    let parts = split(token)?;
    let alg = jwk.get("alg")?.as_str()?;
    if parts.header.get("alg")?.as_str()? != alg {
        return None;
    }
    let member = |name: &str| -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD
            .decode(jwk.get(name)?.as_str()?)
            .ok()
            .filter(|bytes| !bytes.is_empty())
    };
    let field = |name: &str| jwk.get(name).and_then(Value::as_str);
    let message = parts.input.as_bytes();
    let signature = parts.signature.as_slice();
    let holds = match (alg, field("kty"), field("crv")) {
        ("RS256", Some("RSA"), _) => {
            let key = RsaPublicKeyComponents {
                n: member("n")?,
                e: member("e")?,
            };
            key.verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
                .is_ok()
        }
        ("ES256", Some("EC"), Some("P-256")) => {
            let (x, y) = (member("x")?, member("y")?);
            if x.len() != 32 || y.len() != 32 {
                return None;
            }
            // An uncompressed SEC 1 point: 0x04, then x, then y.
            let point = [&[4u8][..], &x, &y].concat();
            verify(&ECDSA_P256_SHA256_FIXED, &point, message, signature)
        }
        ("EdDSA", Some("OKP"), Some("Ed25519")) => {
            verify(&ED25519, &member("x")?, message, signature)
        }
        _ => false,
    };
    holds.then_some(parts.claims)
}

fn verify(
    algorithm: &'static dyn signature::VerificationAlgorithm,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    UnparsedPublicKey::new(algorithm, public_key)
        .verify(message, signature)
        .is_ok()
}

/// Checks `token` against the key of a JWKS document (`{"keys": [...]}`) whose `kid` its header
/// names, and returns its claims.
pub fn verify_with_jwks(jwks: &Value, token: &str) -> Option<Value> {
    let (header, _) = decode_unverified(token)?;
    let kid = header.get("kid")?.as_str()?;
    let key = jwks
        .get("keys")?
        .as_array()?
        .iter()
        .find(|key| key.get("kid").and_then(Value::as_str) == Some(kid))?;
    verify_with_jwk(key, token)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn malformed_tokens_are_refused_without_panicking() {
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "x": "AAAA"});
        for token in [
            "",
            ".",
            "..",
            "a.b.c",
            "e30.e30.e30",
            "e30.e30",
            "e30.e30.e30.e30",
        ] {
            assert!(verify_with_jwk(&jwk, token).is_none(), "{token}");
        }
        assert!(decode_unverified("e30.e30.").is_some());
        assert!(
            decode_unverified("W10.e30.").is_none(),
            "a header that is not an object"
        );
        assert!(verify_with_jwks(&json!({"keys": 5}), "e30.e30.e30").is_none());
    }
}
