//! The signing keys and the JWKS. One current key signs every new JWT; a rotation replaces it
//! and keeps the old one published (and accepted) for `retired_key_ttl` of emulator clock, so
//! tokens signed before the rotation still verify, then drops it, as an identity provider rolls
//! its keys.

use std::fmt;
use std::time::SystemTime;

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256,
    RsaKeyPair,
};
use serde_json::{Value, json};

use crate::setup::config::SigningAlgorithm;
use crate::tokens::jwt;

enum Private {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// One key pair with its id, its public JWK, and its private key as PKCS#8 (for a state file).
pub struct SigningKey {
    kid: String,
    algorithm: SigningAlgorithm,
    private: Private,
    jwk: Value,
    pkcs8: Vec<u8>,
}

// The private key never shows.
impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.algorithm.jose_name())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh key; `None` if the system's random source failed. RSA key generation takes tens
    /// of milliseconds, so callers on the async runtime run it off the lock.
    pub fn generate(algorithm: SigningAlgorithm) -> Option<SigningKey> {
        let kid = crate::state::secret::id()?;
        let private = match algorithm {
            SigningAlgorithm::Rs256 => Private::Rsa(RsaKeyPair::generate(KeySize::Rsa2048).ok()?),
            SigningAlgorithm::Es256 => {
                Private::Ec(EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).ok()?)
            }
            SigningAlgorithm::EdDsa => Private::Ed(Ed25519KeyPair::generate().ok()?),
        };
        SigningKey::assemble(kid, algorithm, private)
    }

    /// A key saved with [`pkcs8`](Self::pkcs8), under its id; `None` when the bytes are not a
    /// private key of that algorithm.
    pub fn from_pkcs8(
        kid: String,
        algorithm: SigningAlgorithm,
        pkcs8: &[u8],
    ) -> Option<SigningKey> {
        let private = match algorithm {
            SigningAlgorithm::Rs256 => Private::Rsa(RsaKeyPair::from_pkcs8(pkcs8).ok()?),
            SigningAlgorithm::Es256 => {
                Private::Ec(EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8).ok()?)
            }
            SigningAlgorithm::EdDsa => Private::Ed(Ed25519KeyPair::from_pkcs8(pkcs8).ok()?),
        };
        SigningKey::assemble(kid, algorithm, private)
    }

    /// The key with its public JWK and its PKCS#8 encoding.
    fn assemble(kid: String, algorithm: SigningAlgorithm, private: Private) -> Option<SigningKey> {
        let alg = algorithm.jose_name();
        // Members in the order Descope's JWKS lists them (alphabetical).
        let (jwk, pkcs8) = match &private {
            Private::Rsa(key) => {
                let public = key.public_key();
                let jwk = json!({
                    "alg": alg,
                    "e": jwt::b64(public.exponent().big_endian_without_leading_zero()),
                    "kid": kid,
                    "kty": "RSA",
                    "n": jwt::b64(public.modulus().big_endian_without_leading_zero()),
                    "use": "sig",
                });
                let der: Pkcs8V1Der<'static> = key.as_der().ok()?;
                (jwk, der.as_ref().to_vec())
            }
            Private::Ec(key) => {
                // Uncompressed SEC 1 point: 0x04 then 32 bytes of x and 32 of y.
                let point = key.public_key().as_ref();
                let (x, y) = point.get(1..33).zip(point.get(33..65))?;
                let jwk = json!({
                    "alg": alg,
                    "crv": "P-256",
                    "kid": kid,
                    "kty": "EC",
                    "use": "sig",
                    "x": jwt::b64(x),
                    "y": jwt::b64(y),
                });
                (jwk, key.to_pkcs8v1().ok()?.as_ref().to_vec())
            }
            Private::Ed(key) => {
                let jwk = json!({
                    "alg": alg,
                    "crv": "Ed25519",
                    "kid": kid,
                    "kty": "OKP",
                    "use": "sig",
                    "x": jwt::b64(key.public_key().as_ref()),
                });
                (jwk, key.to_pkcs8v1().ok()?.as_ref().to_vec())
            }
        };
        Some(SigningKey {
            kid,
            algorithm,
            private,
            jwk,
            pkcs8,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn algorithm(&self) -> SigningAlgorithm {
        self.algorithm
    }

    /// The private key, PKCS#8 (v1) DER: what a state file keeps.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// `header.claims.signature`; `None` only if the crypto library fails.
    pub fn sign(&self, claims: &Value) -> Option<String> {
        let header = json!({"alg": self.algorithm.jose_name(), "kid": self.kid, "typ": "JWT"});
        let input = jwt::signing_input(&header, claims);
        let message = input.as_bytes();
        let signature = match &self.private {
            Private::Rsa(key) => {
                let mut signature = vec![0u8; key.public_modulus_len()];
                key.sign(
                    &RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    message,
                    &mut signature,
                )
                .ok()?;
                signature
            }
            Private::Ec(key) => key
                .sign(&SystemRandom::new(), message)
                .ok()?
                .as_ref()
                .to_vec(),
            Private::Ed(key) => key.sign(message).as_ref().to_vec(),
        };
        Some(jwt::assemble(input, &signature))
    }
}

/// The current key and the retired ones still published, each with the instant it goes.
#[derive(Debug)]
pub struct KeyRing {
    current: SigningKey,
    retired: Vec<(SigningKey, SystemTime)>,
}

impl KeyRing {
    pub fn new(current: SigningKey) -> KeyRing {
        KeyRing {
            current,
            retired: Vec::new(),
        }
    }

    pub fn current(&self) -> &SigningKey {
        &self.current
    }

    /// Makes `next` the signing key; the old one is retired until `until`. Keys whose time
    /// has passed are dropped now. Returns the retired key's id.
    pub fn install(&mut self, next: SigningKey, now: SystemTime, until: SystemTime) -> String {
        let old = std::mem::replace(&mut self.current, next);
        let kid = old.kid.clone();
        self.retired.retain(|(_, gone)| *gone > now);
        self.retired.push((old, until));
        kid
    }

    /// The retired keys with the instant each goes, oldest first.
    pub fn retired(&self) -> &[(SigningKey, SystemTime)] {
        &self.retired
    }

    /// A ring as a state file held it: the current key and the retired ones with their ends.
    pub fn restore(current: SigningKey, retired: Vec<(SigningKey, SystemTime)>) -> KeyRing {
        KeyRing { current, retired }
    }

    /// The keys that verify tokens at `now`: the current one, then the retired ones not yet
    /// dropped (newest first).
    fn live(&self, now: SystemTime) -> impl Iterator<Item = &SigningKey> {
        let retired = self
            .retired
            .iter()
            .rev()
            .filter(move |(_, gone)| *gone > now)
            .map(|(key, _)| key);
        std::iter::once(&self.current).chain(retired)
    }

    /// The JWKS document served at `/v2/keys/{projectId}`.
    pub fn jwks(&self, now: SystemTime) -> Value {
        let keys: Vec<Value> = self.live(now).map(|key| key.jwk.clone()).collect();
        json!({ "keys": keys })
    }

    /// The claims of a token signed by a live key, found by the header's `kid`.
    pub fn verify(&self, token: &str, now: SystemTime) -> Option<Value> {
        let (header, _) = jwt::decode_unverified(token)?;
        let kid = header.get("kid")?.as_str()?;
        let key = self.live(now).find(|key| key.kid == kid)?;
        jwt::verify_with_jwk(&key.jwk, token)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn every_algorithm_signs_what_its_jwk_verifies_and_nothing_else() {
        let claims = json!({"sub": "U1"});
        for algorithm in [
            SigningAlgorithm::Rs256,
            SigningAlgorithm::Es256,
            SigningAlgorithm::EdDsa,
        ] {
            let key = SigningKey::generate(algorithm).unwrap();
            let token = key.sign(&claims).unwrap();
            assert_eq!(jwt::verify_with_jwk(&key.jwk, &token).unwrap(), claims);
            let forged = token.replacen('.', ".e30", 1);
            assert!(jwt::verify_with_jwk(&key.jwk, &forged).is_none());
            let other = SigningKey::generate(algorithm).unwrap();
            assert!(jwt::verify_with_jwk(&other.jwk, &token).is_none());
            assert!(!format!("{key:?}").contains("private"), "{key:?}");
            let again = SigningKey::from_pkcs8(key.kid.clone(), algorithm, key.pkcs8()).unwrap();
            assert_eq!((&again.jwk, again.pkcs8()), (&key.jwk, key.pkcs8()));
            let signed = again.sign(&claims).unwrap();
            assert_eq!(jwt::verify_with_jwk(&key.jwk, &signed).unwrap(), claims);
            assert!(SigningKey::from_pkcs8("k".into(), algorithm, &key.pkcs8()[1..]).is_none());
        }
    }

    #[test]
    fn a_retired_key_verifies_until_its_time_then_is_dropped() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let first = SigningKey::generate(SigningAlgorithm::EdDsa).unwrap();
        let old_kid = first.kid.clone();
        let mut ring = KeyRing::new(first);
        let old_token = ring.current().sign(&json!({"n": 1})).unwrap();
        let next = SigningKey::generate(SigningAlgorithm::EdDsa).unwrap();
        let until = now + Duration::from_secs(60);
        assert_eq!(ring.install(next, now, until), old_kid);
        assert_eq!(ring.jwks(now)["keys"].as_array().unwrap().len(), 2);
        assert!(ring.verify(&old_token, now).is_some());
        assert!(ring.verify(&old_token, until).is_none());
        assert_eq!(ring.jwks(until)["keys"].as_array().unwrap().len(), 1);
    }
}
