//! A project's public keys, ready to verify with: each JWK of the set is read once, its algorithm
//! fixed by the key (never by a token), and unusable keys are left out with the reason kept.
//!
//! The algorithm of a key comes from its `alg`. A key without `alg` gets the only algorithm its
//! curve allows (P-256 → ES256, P-384 → ES384, Ed25519 → EdDSA); an RSA key without `alg` is left
//! out, since RS256, PS256 and their longer variants all fit it and guessing would let a token
//! choose. A key whose `use` is not `sig` is left out too.

use std::collections::HashMap;

use jsonwebtoken::{Algorithm, DecodingKey};

use super::error::SessionError;
use crate::types::Jwk;

/// One usable key.
pub(crate) struct Key {
    pub(crate) algorithm: Algorithm,
    pub(crate) key: DecodingKey,
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
        for (index, jwk) in keys.iter().enumerate() {
            let kid = jwk.kid.clone().unwrap_or_default();
            match usable(jwk) {
                Ok(_) if kid.is_empty() => set
                    .skipped
                    .push((format!("key {index}"), "it has no `kid`".to_owned())),
                Ok(key) => {
                    set.keys.insert(kid, key);
                }
                Err(reason) => set.skipped.push((kid, reason)),
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
        ) => DecodingKey::from_rsa_components(part(&jwk.n, "n")?, part(&jwk.e, "e")?),
        (Algorithm::ES256, "EC") | (Algorithm::ES384, "EC") => {
            let expected = if algorithm == Algorithm::ES256 {
                "P-256"
            } else {
                "P-384"
            };
            if crv != Some(expected) {
                return Err(format!("{algorithm:?} needs curve {expected}"));
            }
            DecodingKey::from_ec_components(part(&jwk.x, "x")?, part(&jwk.y, "y")?)
        }
        (Algorithm::EdDSA, "OKP") => {
            if crv != Some("Ed25519") {
                return Err("EdDSA needs curve Ed25519".to_owned());
            }
            DecodingKey::from_ed_components(part(&jwk.x, "x")?)
        }
        (algorithm, kty) => {
            return Err(format!("its type `{kty}` does not fit {algorithm:?}"));
        }
    }
    .map_err(|error| format!("its key material does not decode ({error})"))?;
    Ok(Key { algorithm, key })
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
