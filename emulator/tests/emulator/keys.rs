//! The keys: the JWKS from `get_jwks` verifies the emulator's tokens (checked here with
//! aws-lc-rs directly, not with the emulator's own helpers), a rotated key keeps verifying until
//! `retired_key_ttl` and then leaves the JWKS, and the ES256 and EdDSA variants publish what
//! they sign with.

use std::time::Duration;

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ED25519, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents,
    UnparsedPublicKey,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use descope_client::{Client, Error, types};
use descope_emulator::{Channel, EmulatorConfig, SigningAlgorithm};

use crate::support::*;

async fn jwks(client: &Client, project_id: &str) -> types::Jwks {
    client
        .get_jwks(project_id)
        .certs(false)
        .send()
        .await
        .unwrap()
        .into_inner()
}

fn kids(jwks: &types::Jwks) -> Vec<&str> {
    jwks.keys
        .iter()
        .filter_map(|key| key.kid.as_deref())
        .collect()
}

fn b64(text: &Option<String>) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text.as_deref().expect("a key member"))
        .expect("base64url")
}

/// Checks a token's signature against the JWK its header names, by hand: the algorithm comes
/// from the JWK, the key material from `n`/`e`, `x`/`y` or `x`.
fn signature_holds(jwks: &types::Jwks, token: &str) -> bool {
    let header = header_of(token);
    let Some(key) = jwks
        .keys
        .iter()
        .find(|key| key.kid.as_deref() == header["kid"].as_str())
    else {
        return false;
    };
    assert_eq!(
        key.alg.as_deref(),
        header["alg"].as_str(),
        "header and key agree"
    );
    let (input, signature) = token.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    let message = input.as_bytes();
    match key.alg.as_deref() {
        Some("RS256") => RsaPublicKeyComponents {
            n: b64(&key.n),
            e: b64(&key.e),
        }
        .verify(&RSA_PKCS1_2048_8192_SHA256, message, &signature)
        .is_ok(),
        Some("ES256") => {
            let point = [vec![4u8], b64(&key.x), b64(&key.y)].concat();
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(message, &signature)
                .is_ok()
        }
        Some("EdDSA") => UnparsedPublicKey::new(&ED25519, b64(&key.x))
            .verify(message, &signature)
            .is_ok(),
        other => panic!("unexpected algorithm {other:?}"),
    }
}

async fn validates(client: &Client, session: &str) -> bool {
    match client.validate_session_remotely(session).send().await {
        Ok(_) => true,
        Err(Error::Service(error)) if error.status == 401 => false,
        Err(other) => panic!("unexpected failure: {other:?}"),
    }
}

#[tokio::test]
async fn a_refreshed_session_jwt_verifies_as_rs256_against_the_keys_from_get_jwks() {
    let Setup { emulator, client } = setup().await;
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let renewed = client
        .refresh(refresh_of(&tokens))
        .send()
        .await
        .unwrap()
        .into_inner();
    let session = session_of(&renewed);

    let keys = jwks(&client, emulator.project_id()).await;
    assert_eq!(keys.keys.len(), 1);
    let key = &keys.keys[0];
    assert_eq!(
        (
            key.kty.as_deref(),
            key.alg.as_deref(),
            key.key_use.as_deref()
        ),
        (Some("RSA"), Some("RS256"), Some("sig"))
    );
    assert_eq!(b64(&key.e), [1, 0, 1], "e = 65537");
    assert_eq!(b64(&key.n).len(), 256, "a 2048-bit modulus");
    assert_eq!(header_of(&session)["alg"], "RS256");
    assert!(signature_holds(&keys, &session));
    assert!(signature_holds(&keys, &refresh_of(&tokens)));
    let (head, rest) = session.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    assert!(!signature_holds(&keys, &format!("{head}.e30.{signature}")));

    // No Authorization header is needed, and the JSON is Descope's shape, members in order.
    let url = format!("{}/v2/keys/{}", emulator.base_url(), emulator.project_id());
    let raw = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(
        raw.starts_with(r#"{"keys":[{"alg":"RS256","e":"AQAB","kid":"#),
        "{raw}"
    );
}

#[tokio::test]
async fn a_rotated_key_verifies_until_retired_key_ttl_then_leaves_the_jwks() {
    let config = EmulatorConfig {
        session_ttl: Duration::from_secs(3600),
        retired_key_ttl: Duration::from_secs(300),
        ..EmulatorConfig::default()
    };
    let Setup { emulator, client } = setup_with(config).await;
    let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
    let (old_session, old_refresh) = (session_of(&tokens), refresh_of(&tokens));
    let old_kid = header_of(&old_session)["kid"].as_str().unwrap().to_owned();

    let new_kid = emulator.rotate_signing_key().unwrap();
    assert_ne!(new_kid, old_kid);
    assert_eq!(emulator.signing_kid(), new_kid);
    let both = jwks(&client, emulator.project_id()).await;
    assert_eq!(kids(&both), [new_kid.as_str(), old_kid.as_str()]);
    assert!(signature_holds(&both, &old_session));
    assert!(
        validates(&client, &old_session).await,
        "signed before rotation"
    );

    let renewed = client
        .refresh(old_refresh.as_str())
        .send()
        .await
        .unwrap()
        .into_inner();
    let new_session = session_of(&renewed);
    assert_eq!(header_of(&new_session)["kid"], new_kid.as_str());
    assert!(validates(&client, &new_session).await);

    emulator.advance_clock(Duration::from_secs(301));
    let after = jwks(&client, emulator.project_id()).await;
    assert_eq!(kids(&after), [new_kid.as_str()]);
    assert!(!validates(&client, &old_session).await, "its key is gone");
    assert!(validates(&client, &new_session).await);
    let stale = client.refresh(old_refresh).send().await;
    assert!(
        matches!(stale, Err(Error::Service(ref e)) if e.status == 401),
        "{stale:?}"
    );
}

#[tokio::test]
async fn es256_and_eddsa_keys_sign_what_their_jwks_describe() {
    for (algorithm, alg, kty, crv) in [
        (SigningAlgorithm::Es256, "ES256", "EC", "P-256"),
        (SigningAlgorithm::EdDsa, "EdDSA", "OKP", "Ed25519"),
    ] {
        let config = EmulatorConfig {
            signing_algorithm: algorithm,
            ..EmulatorConfig::default()
        };
        let Setup { emulator, client } = setup_with(config).await;
        let tokens = sign_in(&emulator, &client, &login_for(Channel::Email)).await;
        let session = session_of(&tokens);
        assert_eq!(header_of(&session)["alg"], alg);
        let keys = jwks(&client, emulator.project_id()).await;
        let key = &keys.keys[0];
        assert_eq!(
            (key.alg.as_deref(), key.kty.as_deref(), key.crv.as_deref()),
            (Some(alg), Some(kty), Some(crv))
        );
        assert_eq!(key.n, None, "{alg}: no RSA members");
        assert_eq!(key.y.is_some(), kty == "EC", "{alg}: y only on EC keys");
        assert!(signature_holds(&keys, &session), "{alg}");
        assert!(validates(&client, &session).await, "{alg}");
        assert_signed_in(&emulator, &tokens).await;

        emulator.rotate_signing_key().unwrap();
        let rotated = jwks(&client, emulator.project_id()).await;
        assert!(
            rotated
                .keys
                .iter()
                .all(|key| key.alg.as_deref() == Some(alg))
        );
    }
}

#[tokio::test]
async fn the_keys_are_this_project_s_only_and_certs_must_be_boolean() {
    let Setup { emulator, client } = setup().await;
    let other = client.get_jwks("P2Other").send().await;
    assert!(
        matches!(other, Err(Error::Service(ref e)) if e.status == 404),
        "{other:?}"
    );
    let base = format!("{}/v2/keys/{}", emulator.base_url(), emulator.project_id());
    let bad = reqwest::get(format!("{base}?certs=maybe")).await.unwrap();
    assert_eq!(bad.status(), 400);
    // The first version of the keys is not in the spec, so not served: no SDK calls it.
    let v1 = format!("{}/v1/keys/{}", emulator.base_url(), emulator.project_id());
    assert_eq!(reqwest::get(v1).await.unwrap().status(), 404);
}
