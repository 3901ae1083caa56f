//! A project's public keys, ready to verify with: each JWK of the set is read once, its algorithm
//! fixed by the key (never by a token), and unusable keys are left out with the reason kept.
//!
//! The algorithm of a key comes from its `alg`. A key without `alg` gets the only algorithm its
//! curve allows (P-256 → ES256, P-384 → ES384, Ed25519 → EdDSA); an RSA key without `alg` is left
//! out, since RS256, PS256 and their longer variants all fit it and guessing would let a token
//! choose. A key whose `use` is not `sig` is left out too, and so are two usable keys that share
//! a `kid` (which one signed a token would be a guess).
//!
//! Each key's verifier is made here, once: with aws-lc-rs (`jwt-aws-lc`), the key is parsed into
//! aws-lc's own form, so a signature check does no key work (building an RSA key from `n` and
//! `e` on every check cost more than a tenth of a validation); with RustCrypto alone
//! (`jwt-rust-crypto`), jsonwebtoken's verifier for that backend is made per check from the
//! decoded key.

use std::collections::HashMap;

use jsonwebtoken::{Algorithm, DecodingKey};

use super::error::SessionError;
use crate::types::Jwk;

/// One usable key.
pub(crate) struct Key {
    pub(crate) algorithm: Algorithm,
    verifier: Verifier,
}

/// What checks a signature with one key, for the backend the features chose.
enum Verifier {
    #[cfg(feature = "jwt-aws-lc")]
    AwsLc(aws_lc_rs::signature::ParsedPublicKey),
    #[cfg(not(feature = "jwt-aws-lc"))]
    Jsonwebtoken(DecodingKey),
}

impl Key {
    /// Whether `signature` is this key's over `message`.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.verifier {
            #[cfg(feature = "jwt-aws-lc")]
            Verifier::AwsLc(key) => key.verify_sig(message, signature).is_ok(),
            #[cfg(not(feature = "jwt-aws-lc"))]
            Verifier::Jsonwebtoken(key) => {
                let provider = &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
                (provider.verifier_factory)(&self.algorithm, key)
                    .is_ok_and(|verifier| verifier.verify(message, &signature.to_vec()).is_ok())
            }
        }
    }
}

/// The usable keys of a set, by `kid`.
pub(crate) struct KeySet {
    keys: HashMap<String, Key>,
    /// Why each left-out key was left out, for the error when a token names one of them.
    skipped: Vec<(String, String)>,
}

impl KeySet {
    /// Reads the keys of a set; `Err` when not one of them is usable.
    pub(crate) fn from_jwks(keys: &[Jwk]) -> Result<KeySet, String> {
        let mut set = KeySet {
            keys: HashMap::with_capacity(keys.len()),
            skipped: Vec::new(),
        };
        let mut shared = Vec::new();
        for (index, jwk) in keys.iter().enumerate() {
            let kid = jwk.kid.clone().unwrap_or_default();
            match usable(jwk) {
                Ok(_) if kid.is_empty() => set
                    .skipped
                    .push((format!("key {index}"), "it has no `kid`".to_owned())),
                Ok(key) => {
                    if set.keys.insert(kid.clone(), key).is_some() {
                        shared.push(kid);
                    }
                }
                Err(reason) => set.skipped.push((kid, reason)),
            }
        }
        // Two usable keys under one `kid` make a token's key a guess: neither is used.
        for kid in shared {
            if set.keys.remove(&kid).is_some() {
                let reason = "two usable keys of the set have this `kid`".to_owned();
                set.skipped.push((kid, reason));
            }
        }
        if set.keys.is_empty() {
            let reasons: Vec<String> = set
                .skipped
                .iter()
                .map(|(kid, reason)| format!("`{kid}`: {reason}"))
                .collect();
            return Err(if reasons.is_empty() {
                "the key set is empty".to_owned()
            } else {
                format!("no key is usable ({})", reasons.join("; "))
            });
        }
        Ok(set)
    }

    /// Reads a static key: a JWK, or a set `{"keys": [...]}`.
    pub(crate) fn from_json(text: &str) -> Result<KeySet, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
        let keys: Vec<Jwk> = match value.get("keys") {
            Some(keys) => serde_json::from_value(keys.clone()),
            None => serde_json::from_value(value).map(|key| vec![key]),
        }
        .map_err(|error| format!("not a JWK or a key set: {error}"))?;
        KeySet::from_jwks(&keys)
    }

    pub(crate) fn get(&self, kid: &str) -> Option<&Key> {
        self.keys.get(kid)
    }

    /// The key with this id, or why there is none: the set left it out (and why), or never had
    /// it.
    pub(crate) fn key(&self, kid: &str) -> Result<&Key, SessionError> {
        if let Some(key) = self.keys.get(kid) {
            return Ok(key);
        }
        Err(
            match self.skipped.iter().find(|(skipped, _)| skipped == kid) {
                Some((_, reason)) => {
                    SessionError::KeysUnavailable(format!("key `{kid}` is unusable: {reason}"))
                }
                None => SessionError::UnknownKey(kid.to_owned()),
            },
        )
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    #[cfg(test)]
    pub(crate) fn empty_for_tests() -> KeySet {
        KeySet {
            keys: HashMap::new(),
            skipped: Vec::new(),
        }
    }
}

/// The key, or why it cannot verify session JWTs.
fn usable(jwk: &Jwk) -> Result<Key, String> {
    if let Some(key_use) = jwk.key_use.as_deref()
        && key_use != "sig"
    {
        return Err(format!("its use is `{key_use}`, not `sig`"));
    }
    let kty = jwk.kty.as_deref().unwrap_or("");
    let crv = jwk.crv.as_deref();
    let algorithm = match (jwk.alg.as_deref(), kty, crv) {
        (Some(alg), _, _) => parse_algorithm(alg)?,
        (None, "EC", Some("P-256")) => Algorithm::ES256,
        (None, "EC", Some("P-384")) => Algorithm::ES384,
        (None, "OKP", Some("Ed25519")) => Algorithm::EdDSA,
        (None, _, _) => return Err("it has no `alg`, and its type allows several".to_owned()),
    };
    let key = match (algorithm, kty) {
        (
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512,
            "RSA",
        ) => Material::Rsa {
            n: part(&jwk.n, "n")?,
            e: part(&jwk.e, "e")?,
        },
        (Algorithm::ES256, "EC") | (Algorithm::ES384, "EC") => {
            let expected = if algorithm == Algorithm::ES256 {
                "P-256"
            } else {
                "P-384"
            };
            if crv != Some(expected) {
                return Err(format!("{algorithm:?} needs curve {expected}"));
            }
            Material::Ec {
                x: part(&jwk.x, "x")?,
                y: part(&jwk.y, "y")?,
            }
        }
        (Algorithm::EdDSA, "OKP") => {
            if crv != Some("Ed25519") {
                return Err("EdDSA needs curve Ed25519".to_owned());
            }
            Material::Ed {
                x: part(&jwk.x, "x")?,
            }
        }
        (algorithm, kty) => {
            return Err(format!("its type `{kty}` does not fit {algorithm:?}"));
        }
    };
    Ok(Key {
        algorithm,
        verifier: verifier(algorithm, &key)
            .map_err(|error| format!("its key material does not decode ({error})"))?,
    })
}

/// A key's public material, as its JWK members (base64url).
enum Material<'k> {
    Rsa { n: &'k str, e: &'k str },
    Ec { x: &'k str, y: &'k str },
    Ed { x: &'k str },
}

/// jsonwebtoken checks the material (and decodes it) either way, so a key both backends refuse
/// is refused alike.
fn decoding_key(material: &Material<'_>) -> Result<DecodingKey, String> {
    match material {
        Material::Rsa { n, e } => DecodingKey::from_rsa_components(n, e),
        Material::Ec { x, y } => DecodingKey::from_ec_components(x, y),
        Material::Ed { x } => DecodingKey::from_ed_components(x),
    }
    .map_err(|error| error.to_string())
}

#[cfg(not(feature = "jwt-aws-lc"))]
fn verifier(_: Algorithm, material: &Material<'_>) -> Result<Verifier, String> {
    decoding_key(material).map(Verifier::Jsonwebtoken)
}

#[cfg(feature = "jwt-aws-lc")]
fn verifier(algorithm: Algorithm, material: &Material<'_>) -> Result<Verifier, String> {
    use aws_lc_rs::signature::{self, ParsedPublicKey, RsaPublicKeyComponents};
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    decoding_key(material)?;
    let bytes = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| "not base64url".to_owned())
    };
    let rejected = |error: aws_lc_rs::error::KeyRejected| error.to_string();
    let parsed = match (algorithm, material) {
        (_, Material::Rsa { n, e }) => {
            let params: &'static signature::RsaParameters = match algorithm {
                Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
                Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
                _ => &signature::RSA_PSS_2048_8192_SHA512,
            };
            let (n, e) = (bytes(n)?, bytes(e)?);
            RsaPublicKeyComponents { n: &n, e: &e }
                .to_parsed_public_key(params)
                .map_err(rejected)?
        }
        (_, Material::Ec { x, y }) => {
            // An uncompressed point: 0x04, then x and y.
            let mut point = vec![4];
            point.extend(bytes(x)?);
            point.extend(bytes(y)?);
            let params: &'static dyn signature::VerificationAlgorithm =
                if algorithm == Algorithm::ES256 {
                    &signature::ECDSA_P256_SHA256_FIXED
                } else {
                    &signature::ECDSA_P384_SHA384_FIXED
                };
            ParsedPublicKey::new(params, point).map_err(rejected)?
        }
        (_, Material::Ed { x }) => {
            ParsedPublicKey::new(&signature::ED25519, bytes(x)?).map_err(rejected)?
        }
    };
    Ok(Verifier::AwsLc(parsed))
}

/// A key member that must be present and non-empty.
fn part<'k>(value: &'k Option<String>, name: &str) -> Result<&'k str, String> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("it lacks `{name}`"))
}

/// The asymmetric algorithms session JWTs may use. `none` and HMAC are refused: a public key
/// used as an HMAC secret would let anyone who read the key set sign tokens.
pub(crate) fn parse_algorithm(alg: &str) -> Result<Algorithm, String> {
    Ok(match alg {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        "ES256" => Algorithm::ES256,
        "ES384" => Algorithm::ES384,
        "EdDSA" => Algorithm::EdDSA,
        other => return Err(format!("algorithm `{other}` is not accepted")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwk(value: serde_json::Value) -> Jwk {
        serde_json::from_value(value).unwrap()
    }

    const N: &str = "wizahjy2piLh3koD_L_Uj0um8iDzoBJM16Sibr7g9Hv1NWmlTlu0ieHFENsCPYrcnD9pMeyXChMn9ZsuDgxE_UnoQVk2HlVdwljqfQGOb2Pq3EYLUgXGAUsetiRJ9BF5uLaKlCyb9BBIjOPryTPnYPFRRQuKhh3T6SjfhVAeW4CPwIFTwlHxBMYyn-XhHuYOkBK1483vDn5OjL7N5jJe-iEkef2eL5BpznGJZGpj54ffHsq7DE7H5DuRy58LGpUsVBU9DJtU0AtqWDuiB5ZQIoETwMMKbe3iS00JR54A0AkFhhdFVzmvF2X-44ZF06T1vjBj7-JPhkjzCAvwReynKw";

    #[test]
    fn usable_keys_are_kept_and_the_rest_say_why_not() {
        let set = KeySet::from_jwks(&[
            jwk(json!({"kty": "RSA", "kid": "rsa", "alg": "RS256", "use": "sig", "n": N, "e": "AQAB"})),
            jwk(json!({"kty": "RSA", "kid": "no-alg", "n": N, "e": "AQAB"})),
            jwk(json!({"kty": "RSA", "kid": "hmac", "alg": "HS256", "n": N, "e": "AQAB"})),
            jwk(json!({"kty": "RSA", "kid": "enc", "alg": "RS256", "use": "enc", "n": N, "e": "AQAB"})),
            jwk(json!({"kty": "EC", "kid": "curve", "alg": "ES256", "crv": "P-384", "x": "AA", "y": "AA"})),
            jwk(json!({"kty": "RSA", "alg": "RS256", "n": N, "e": "AQAB"})),
            jwk(json!({"kty": "RSA", "kid": "twice", "alg": "RS256", "n": N, "e": "AQAB"})),
            jwk(json!({"kty": "RSA", "kid": "twice", "alg": "PS256", "n": N, "e": "AQAB"})),
        ])
        .unwrap();
        assert_eq!(set.len(), 1);
        assert_eq!(set.get("rsa").unwrap().algorithm, Algorithm::RS256);
        let why = |kid: &str| set.key(kid).err().unwrap().to_string();
        assert!(why("no-alg").contains("no `alg`"), "{}", why("no-alg"));
        assert!(why("hmac").contains("HS256"));
        assert!(why("enc").contains("`enc`"));
        assert!(why("curve").contains("P-256"));
        assert!(why("key 5").contains("no `kid`"));
        assert!(why("twice").contains("two usable keys"), "{}", why("twice"));
        assert_eq!(why("other"), "no key of the project has id `other`");
    }

    #[test]
    fn a_set_without_a_usable_key_is_an_error_that_says_why() {
        let error = KeySet::from_jwks(&[jwk(json!({"kty": "oct", "kid": "s", "alg": "HS256"}))])
            .err()
            .unwrap();
        assert!(error.contains("`s`") && error.contains("HS256"), "{error}");
        assert_eq!(
            KeySet::from_jwks(&[]).err().unwrap(),
            "the key set is empty"
        );
    }

    #[test]
    fn static_keys_are_a_jwk_or_a_set() {
        let key = json!({"kty": "RSA", "kid": "k", "alg": "RS256", "n": N, "e": "AQAB"});
        assert!(KeySet::from_json(&key.to_string()).is_ok());
        assert!(KeySet::from_json(&json!({"keys": [key]}).to_string()).is_ok());
        assert!(
            KeySet::from_json("not json")
                .err()
                .unwrap()
                .starts_with("not JSON")
        );
        assert!(KeySet::from_json("[1]").is_err());
    }
}
