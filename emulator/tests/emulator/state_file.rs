//! The state file (`EmulatorConfig::state_file`, `--state`): what survives a restart (users,
//! tenants, roles, permissions, fixed codes, keys, live refresh JWTs, the management key, the
//! clock) and what does not (the outbox, codes in flight); a file that cannot be loaded stops
//! the start and is left alone; every change is on disk once answered, written whole.

use std::path::{Path, PathBuf};
use std::time::Duration;

use descope_client::{Client, RetryPolicy};
use descope_emulator::{
    Channel, Emulator, EmulatorConfig, SigningAlgorithm, jwt, start, try_start,
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

/// A directory of its own under the temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("descope-emulator-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn kept_in(path: &Path) -> EmulatorConfig {
    EmulatorConfig {
        state_file: Some(path.to_owned()),
        ..EmulatorConfig::default()
    }
}

fn client_of(emulator: &Emulator) -> Client {
    Client::builder(emulator.project_id())
        .base_url(emulator.base_url())
        .management_key(emulator.management_key())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_durable_state_survives_a_restart_and_the_rest_does_not() {
    let dir = TempDir::new("restart");
    let path = dir.path().join("state.json");
    let first = start(kept_in(&path)).await;
    let client = client_of(&first);
    // Management over HTTP, as any SDK sends it.
    let jane = "jane@example.com";
    let password = json!({"loginId": jane, "password": "Tr0ub4dor&3", "setActive": true});
    let calls = [
        ("/v1/mgmt/permission/create", json!({"name": "docs:read"})),
        (
            "/v1/mgmt/role/create",
            json!({"name": "reader", "permissionNames": ["docs:read"]}),
        ),
        (
            "/v1/mgmt/tenant/create",
            json!({"name": "Acme", "id": "T1"}),
        ),
        (
            "/v1/mgmt/user/create",
            json!({"loginId": jane, "email": jane, "roleNames": ["reader"]}),
        ),
        ("/v1/mgmt/user/password/set/active", password),
    ];
    for (path, body) in calls {
        let (status, answer) = call_managed(&first, Method::POST, path, Some(body)).await;
        assert_eq!(status, 200, "{path}: {answer}");
    }
    first.set_fixed_code(jane, "123456").unwrap();
    let kept = sign_in(&first, &client, jane).await;
    let revoked = sign_in(&first, &client, jane).await;
    let logout = reqwest::Client::new()
        .post(format!("{}/v1/auth/logout", first.base_url()))
        .bearer_auth(format!("{}:{}", first.project_id(), refresh_of(&revoked)))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    // A code in flight, and a minute on the clock.
    send_otp(&client, Start::SignIn, Channel::Email, jane)
        .await
        .unwrap();
    first.advance_clock(Duration::from_secs(60));
    let (kid, key) = (first.signing_kid(), first.management_key().to_owned());
    let user_id = load(&client, jane).await.unwrap().user_id;
    // Dropped without a last save: every change was saved as it was answered.
    drop(first);

    let second = start(kept_in(&path)).await;
    assert_eq!(second.management_key(), key, "the made key is kept");
    assert_eq!(second.signing_kid(), kid);
    let ahead = second
        .now()
        .duration_since(std::time::SystemTime::now())
        .unwrap();
    assert!(ahead >= Duration::from_secs(59), "{ahead:?}");
    let client = client_of(&second);
    let user = load(&client, jane).await.unwrap();
    assert_eq!(user.user_id, user_id);
    assert_eq!(user.password, Some(true));
    assert_eq!(user.role_names, ["reader"]);
    assert_eq!(user.permissions, ["docs:read"]);
    let (status, tenant) = call_managed(&second, Method::GET, "/v1/mgmt/tenant?id=T1", None).await;
    assert_eq!((status, &tenant["name"]), (200, &json!("Acme")), "{tenant}");
    assert_eq!(second.fixed_codes()[jane], "123456");

    // Tokens issued before the restart: the session JWT verifies with the published keys, the
    // refresh JWT refreshes, the logged-out one stays revoked.
    let url = format!("{}/v2/keys/{}", second.base_url(), second.project_id());
    let jwks: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert!(jwt::verify_with_jwks(&jwks, &session_of(&kept)).is_some());
    let renewed = refresh(&client, &refresh_of(&kept)).await.unwrap();
    assert_eq!(claims_of(&session_of(&renewed))["roles"], json!(["reader"]));
    assert_eq!(
        refusal(refresh(&client, &refresh_of(&revoked)).await),
        (401, "E064001".to_owned())
    );

    // The outbox and the code in flight are gone; the fixed code signs in again.
    assert!(second.outbox().is_empty());
    let stale = verify_otp(&client, Channel::Email, jane, "123456").await;
    assert_eq!(refusal(stale), (401, "E061102".to_owned()));
    sign_in(&second, &client, jane).await;

    let (_, config) = call(&second.base_url(), Method::GET, "/emulator/config", None).await;
    assert_eq!(config["stateFile"], path.to_str().unwrap());
}

#[tokio::test]
async fn admin_changes_and_resets_are_saved_and_the_file_is_written_whole() {
    let dir = TempDir::new("admin");
    let path = dir.path().join("state.json");
    let emulator = start(kept_in(&path)).await;
    let base = emulator.base_url();
    let sam = json!({"loginId": "sam@example.com", "roles": ["admin"]});
    let (status, _) = call(&base, Method::POST, "/emulator/users", Some(sam)).await;
    assert_eq!(status, 200);
    let saved: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["descopeEmulatorState"], 1);
    assert_eq!(saved["users"][0]["loginIds"], json!(["sam@example.com"]));
    // Only the file: each write went to a temporary file renamed over it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["state.json"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "it holds private keys: {mode:o}");
    }
    // A rotation is saved: the new key signs after a restart.
    let (_, rotated) = call(&base, Method::POST, "/emulator/keys/rotate", None).await;
    drop(emulator);
    let again = start(kept_in(&path)).await;
    assert_eq!(again.signing_kid(), rotated["kid"].as_str().unwrap());
    assert_eq!(again.jwks()["keys"].as_array().unwrap().len(), 2);
    let query = "/emulator/users?loginId=sam%40example.com";
    assert_eq!(
        call(&again.base_url(), Method::GET, query, None).await.0,
        200
    );
    let (status, _) = call(&again.base_url(), Method::POST, "/emulator/reset", None).await;
    assert_eq!(status, 200);
    drop(again);
    let reset = start(kept_in(&path)).await;
    assert_eq!(
        call(&reset.base_url(), Method::GET, query, None).await.0,
        404
    );
}

#[tokio::test]
async fn a_state_file_that_cannot_be_loaded_stops_the_start_and_is_left_alone() {
    let dir = TempDir::new("refused");
    let other = dir.path().join("other.json");
    drop(
        start(EmulatorConfig {
            project_id: "P2Other".to_owned(),
            ..kept_in(&other)
        })
        .await,
    );
    let cases = [
        ("empty.json", String::new(), "it is empty".to_owned()),
        ("broken.json", "{\"users\": [".to_owned(), "not JSON: EOF while parsing".to_owned()),
        ("users.json", "[{\"loginId\": \"a@b.c\"}]".to_owned(), "not a descope-emulator state".to_owned()),
        ("newer.json", "{\"descopeEmulatorState\": 2}".to_owned(), "its format is 2".to_owned()),
        (
            "keyless.json",
            "{\"descopeEmulatorState\": 1, \"projectId\": \"P2Emulator\", \"signingKeys\": [{\"kid\": \"k\", \"alg\": \"RS256\", \"pkcs8\": \"AAAA\"}]}".to_owned(),
            "signingKeys[0].pkcs8: not a private RS256 key".to_owned(),
        ),
        (
            "other.json",
            std::fs::read_to_string(&other).unwrap(),
            "it holds the state of project \"P2Other\", not \"P2Emulator\"".to_owned(),
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let error = try_start(kept_in(&path)).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{name}");
        let message = error.to_string();
        let named = format!("the state file {} cannot be loaded: ", path.display());
        assert!(message.starts_with(&named), "{message}");
        assert!(message.contains(&expected), "{name}: {message}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "{name} is left alone"
        );
    }
    // A file that cannot be written stops the start too, naming it.
    let unwritable = dir.path().join("no-such-directory").join("state.json");
    let error = try_start(kept_in(&unwritable)).await.unwrap_err();
    assert!(
        error.to_string().starts_with(&format!(
            "cannot write the state file {}",
            unwritable.display()
        )),
        "{error}"
    );
}

#[tokio::test]
async fn a_new_signing_algorithm_takes_over_and_the_saved_key_retires() {
    let dir = TempDir::new("algorithm");
    let path = dir.path().join("state.json");
    let first = start(kept_in(&path)).await;
    let client = client_of(&first);
    let tokens = sign_in(&first, &client, &login_for(Channel::Email)).await;
    drop(first);
    let second = start(EmulatorConfig {
        signing_algorithm: SigningAlgorithm::EdDsa,
        ..kept_in(&path)
    })
    .await;
    let jwks = second.jwks();
    let algs: Vec<_> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["alg"].as_str().unwrap())
        .collect();
    assert_eq!(algs, ["EdDSA", "RS256"]);
    assert!(jwt::verify_with_jwks(&jwks, &session_of(&tokens)).is_some());
    let renewed = refresh(&client_of(&second), &refresh_of(&tokens))
        .await
        .unwrap();
    assert_eq!(header_of(&session_of(&renewed))["alg"], "EdDSA");
}
