//! Keys the tests make and tokens they sign with them: well-formed session JWTs, and the forged
//! ones an attacker would try (unsigned, HMAC-signed with the public key, re-signed, altered).

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256,
    RsaKeyPair,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

pub const PROJECT: &str = "P2SessionTests";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    Es256,
    EdDsa,
}

impl Alg {
    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Es256 => "ES256",
            Alg::EdDsa => "EdDSA",
        }
    }
}

enum Private {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// A key pair with its id and public JWK.
pub struct TestKey {
    pub kid: String,
    pub alg: Alg,
    private: Private,
    pub jwk: Value,
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl TestKey {
    pub fn generate(alg: Alg, kid: &str) -> TestKey {
        let (private, jwk) = match alg {
            Alg::Rs256 => {
                let key = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
                let public = key.public_key();
                let jwk = json!({"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
                    "n": b64(public.modulus().big_endian_without_leading_zero()),
                    "e": b64(public.exponent().big_endian_without_leading_zero())});
                (Private::Rsa(key), jwk)
            }
            Alg::Es256 => {
                let key = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
                let point = key.public_key().as_ref().to_vec();
                let jwk = json!({"kty": "EC", "kid": kid, "alg": "ES256", "use": "sig",
                    "crv": "P-256", "x": b64(&point[1..33]), "y": b64(&point[33..65])});
                (Private::Ec(key), jwk)
            }
            Alg::EdDsa => {
                let key = Ed25519KeyPair::generate().unwrap();
                let jwk = json!({"kty": "OKP", "kid": kid, "alg": "EdDSA", "use": "sig",
                    "crv": "Ed25519", "x": b64(key.public_key().as_ref())});
                (Private::Ed(key), jwk)
            }
        };
        TestKey {
            kid: kid.to_owned(),
            alg,
            private,
            jwk,
        }
    }

    /// A token signed by this key, with the usual header.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(
            &json!({"alg": self.alg.name(), "kid": self.kid, "typ": "JWT"}),
            claims,
        )
    }

    /// A token signed by this key under any header (the header may lie about the algorithm).
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        self.sign_input(&signing_input(header, claims))
    }

    /// `input` (the encoded `header.payload`) with this key's signature appended.
    pub fn sign_input(&self, input: &str) -> String {
        let signature = match &self.private {
            Private::Rsa(key) => {
                let mut signature = vec![0; key.public_modulus_len()];
                key.sign(
                    &RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    input.as_bytes(),
                    &mut signature,
                )
                .unwrap();
                signature
            }
            Private::Ec(key) => key
                .sign(&SystemRandom::new(), input.as_bytes())
                .unwrap()
                .as_ref()
                .to_vec(),
            Private::Ed(key) => key.sign(input.as_bytes()).as_ref().to_vec(),
        };
        format!("{input}.{}", b64(&signature))
    }
}

pub fn signing_input(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    )
}

/// `{"keys": [...]}` of these keys, as text.
pub fn jwks(keys: &[&TestKey]) -> String {
    json!({"keys": keys.iter().map(|key| key.jwk.clone()).collect::<Vec<_>>()}).to_string()
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The claims of a Descope session JWT for user `U2user`, valid for ten minutes.
pub fn session_claims() -> Value {
    json!({
        "iss": PROJECT, "sub": "U2user", "iat": now(), "exp": now() + 600, "drn": "DS",
        "amr": ["email"], "roles": ["viewer"], "permissions": ["read"],
    })
}

/// The same claims as a refresh JWT.
pub fn refresh_claims() -> Value {
    let mut claims = session_claims();
    claims["drn"] = json!("DSR");
    claims["exp"] = json!(now() + 28 * 24 * 3600);
    claims
}

/// `claims` with `changes` merged in (a `null` removes the claim).
pub fn with(mut claims: Value, changes: Value) -> Value {
    for (name, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(name);
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

/// An unsigned token (`alg: none`), as in the classic attack.
pub fn unsigned(kid: &str, claims: &Value) -> String {
    format!(
        "{}.",
        signing_input(&json!({"alg": "none", "kid": kid, "typ": "JWT"}), claims)
    )
}

/// A token "signed" with HMAC-SHA256 using `secret`, such as the public key's own text.
pub fn hmac_signed(kid: &str, secret: &[u8], claims: &Value) -> String {
    let input = signing_input(&json!({"alg": "HS256", "kid": kid, "typ": "JWT"}), claims);
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}
