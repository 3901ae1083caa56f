//! A compact JWS taken apart and its signature checked, before any claim is believed.
//!
//! The order is deliberate: the size is checked before anything is decoded, the header's
//! algorithm is refused before a key is looked up (`none` and HMAC never reach a verifier), the
//! algorithm must be the key's own, every part must be base64url before the signature is
//! checked (so a mangled token reads as malformed, not forged), and the claims are parsed only
//! once the signature holds. A header or payload that names a member twice is refused: parsers
//! disagree on which one counts (RFC 7519 §4 lets the last win; a gateway in front may read the
//! first), so a token that means two things means nothing.
//!
//! The signature is checked by the key's own verifier, made once when the key set is read
//! (`keys`): with aws-lc-rs, a key parsed once; with RustCrypto, jsonwebtoken's verifier for the
//! backend chosen at compile time by this crate's features. jsonwebtoken's process-wide provider
//! is never consulted, so no combination of features in an application can make validation
//! panic.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::error::SessionError;
use super::keys::{Key, parse_algorithm};
use super::strict_json;

#[cfg(not(any(feature = "jwt-aws-lc", feature = "jwt-rust-crypto")))]
compile_error!(
    "descope-client validates session JWTs with a crypto backend: enable the feature \
     `jwt-aws-lc` (the default) or `jwt-rust-crypto`"
);

/// A token whose shape is right, not yet verified.
pub(crate) struct Unverified<'t> {
    pub(crate) algorithm: jsonwebtoken::Algorithm,
    pub(crate) kid: String,
    /// `header.payload`, what the signature covers.
    signing_input: &'t str,
    /// The payload's bytes, decoded but not yet read as JSON.
    payload: Vec<u8>,
    signature: Vec<u8>,
}

/// Splits and decodes a compact JWS, checking everything that needs no key.
pub(crate) fn parse(token: &str, max_bytes: usize) -> Result<Unverified<'_>, SessionError> {
    if token.is_empty() {
        return Err(SessionError::Missing);
    }
    if token.len() > max_bytes {
        return Err(SessionError::TooLarge {
            length: token.len(),
            limit: max_bytes,
        });
    }
    let malformed = |what: &str| SessionError::Malformed(what.to_owned());
    let (signing_input, signature) = token
        .rsplit_once('.')
        .ok_or_else(|| malformed("it has no `.`; a JWT has three parts"))?;
    let (header, payload) = signing_input
        .split_once('.')
        .ok_or_else(|| malformed("it has two parts; a JWT has three"))?;
    if payload.contains('.') {
        return Err(malformed(
            "it has more than three parts (an encrypted JWE is not accepted)",
        ));
    }
    let header = decode(header).map_err(|why| malformed(&format!("the header {why}")))?;
    let header =
        strict_json::object(&header).map_err(|why| malformed(&format!("the header {why}")))?;
    let algorithm = match header.get("alg") {
        Some(Value::String(alg)) => {
            parse_algorithm(alg).map_err(|_| SessionError::UnsupportedAlgorithm(alg.clone()))?
        }
        _ => return Err(malformed("the header has no string `alg`")),
    };
    if header.contains_key("crit") {
        // Extensions the token says must be understood; none are, so any makes it unacceptable.
        return Err(malformed(
            "the header lists critical extensions (`crit`), which are not supported",
        ));
    }
    let kid = match header.get("kid") {
        Some(Value::String(kid)) if !kid.is_empty() => kid.clone(),
        _ => return Err(malformed("the header has no `kid` naming the signing key")),
    };
    let payload = decode(payload).map_err(|why| malformed(&format!("the payload {why}")))?;
    let signature = decode(signature).map_err(|why| malformed(&format!("the signature {why}")))?;
    if signature.is_empty() {
        return Err(malformed("the signature is empty"));
    }
    Ok(Unverified {
        algorithm,
        kid,
        signing_input,
        payload,
        signature,
    })
}

impl Unverified<'_> {
    /// Checks the signature with `key` and returns the claims.
    pub(crate) fn verify(self, key: &Key) -> Result<Map<String, Value>, SessionError> {
        if key.algorithm != self.algorithm {
            return Err(SessionError::AlgorithmMismatch {
                header: format!("{:?}", self.algorithm),
                key: format!("{:?}", key.algorithm),
                kid: self.kid,
            });
        }
        if !key.verifies(self.signing_input.as_bytes(), &self.signature) {
            return Err(SessionError::BadSignature);
        }
        strict_json::object(&self.payload)
            .map_err(|why| SessionError::Malformed(format!("the payload {why}")))
    }
}

/// base64url without padding, as JWS requires (RFC 7515 §2).
fn decode(part: &str) -> Result<Vec<u8>, &'static str> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "is not base64url without padding")
}

#[cfg(test)]
mod tests {
    //! Real signatures through whichever backend the features chose: CI runs these with
    //! `jwt-aws-lc`, with `jwt-rust-crypto` alone, and with both.

    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{
        ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256,
        RsaKeyPair,
    };
    use serde_json::json;

    use super::*;
    use crate::session::keys::KeySet;

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    type Signer = Box<dyn Fn(&[u8]) -> Vec<u8>>;

    /// A JWK and a signer for each algorithm family.
    fn keys() -> Vec<(serde_json::Value, Signer)> {
        let rsa = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let rsa_jwk = json!({"kty": "RSA", "kid": "rsa", "alg": "RS256",
            "n": b64(rsa.public_key().modulus().big_endian_without_leading_zero()),
            "e": b64(rsa.public_key().exponent().big_endian_without_leading_zero())});
        let ec = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
        let point = ec.public_key().as_ref().to_vec();
        let ec_jwk = json!({"kty": "EC", "kid": "ec", "alg": "ES256", "crv": "P-256",
            "x": b64(&point[1..33]), "y": b64(&point[33..65])});
        let ed = Ed25519KeyPair::generate().unwrap();
        let ed_jwk = json!({"kty": "OKP", "kid": "ed", "crv": "Ed25519",
            "x": b64(ed.public_key().as_ref())});
        vec![
            (
                rsa_jwk,
                Box::new(move |message: &[u8]| {
                    let mut signature = vec![0; rsa.public_modulus_len()];
                    rsa.sign(
                        &RSA_PKCS1_SHA256,
                        &SystemRandom::new(),
                        message,
                        &mut signature,
                    )
                    .unwrap();
                    signature
                }),
            ),
            (
                ec_jwk,
                Box::new(move |message: &[u8]| {
                    ec.sign(&SystemRandom::new(), message)
                        .unwrap()
                        .as_ref()
                        .to_vec()
                }),
            ),
            (
                ed_jwk,
                Box::new(move |message: &[u8]| ed.sign(message).as_ref().to_vec()),
            ),
        ]
    }

    #[test]
    fn signatures_verify_and_altered_ones_do_not() {
        for (jwk, sign) in keys() {
            let kid = jwk["kid"].as_str().unwrap().to_owned();
            let alg = match kid.as_str() {
                "rsa" => "RS256",
                "ec" => "ES256",
                _ => "EdDSA",
            };
            let set = KeySet::from_json(&json!({"keys": [jwk]}).to_string()).unwrap();
            let header = b64(json!({"alg": alg, "kid": kid}).to_string().as_bytes());
            let payload = b64(br#"{"sub":"U1"}"#);
            let input = format!("{header}.{payload}");
            let token = format!("{input}.{}", b64(&sign(input.as_bytes())));
            let parsed = parse(&token, 16 * 1024).unwrap();
            let claims = parsed.verify(set.key(&kid).unwrap()).unwrap();
            assert_eq!(claims["sub"], "U1", "{alg}");

            let other = b64(br#"{"sub":"U2"}"#);
            let altered = token.replacen(&payload, &other, 1);
            let parsed = parse(&altered, 16 * 1024).unwrap();
            assert!(
                matches!(
                    parsed.verify(set.key(&kid).unwrap()),
                    Err(SessionError::BadSignature)
                ),
                "{alg}"
            );
        }
    }
}
