//! The state file ([`EmulatorConfig::state_file`], `--state FILE`): which part of the state
//! lasts across restarts, its JSON form, reading it at start and writing it atomically.
//!
//! Durable: users (with their roles, tenants, history, password digests, passkeys and provider
//! tokens), tenants, roles, permissions, attribute definitions, access keys (their cleartexts'
//! SHA-256, never the cleartexts), fixed codes, the signing keys
//! (current and retired, private keys included, so tokens issued before a restart still
//! verify), the live refresh JWTs (so they still refresh, and revoked ones stay revoked), the
//! management key, and the clock offset (so those tokens' times stay in the past). Not durable:
//! codes and links in flight, SSO setup links, the outbox, and the rate limit with its window
//! (the configuration's is put in force at every start).
//!
//! A write goes to a temporary file beside the state file (mode 0600 on Unix: it holds private
//! keys and secrets), is synced, then renamed over it, so the file is always a whole state: the
//! one before the write or the one after.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::setup::config::{EmulatorConfig, MAX_DURATION, SigningAlgorithm, check_management_key};
use crate::setup::seed::check_fixed_code;
use crate::state::access_keys::{AccessKey, AccessKeys};
use crate::state::directory::{Attribute, Directory, Permission, Role, Tenant};
use crate::state::user::User;
use crate::state::{RefreshTokens, Shared, State, unix};
use crate::tokens::keys::{KeyRing, SigningKey};

/// The format this emulator writes and reads, the file's `descopeEmulatorState`.
pub const FORMAT: u64 = 1;

/// The state file, and what was last written to it.
pub struct Store {
    path: PathBuf,
    /// Held while a snapshot is taken and written, so that writes land in the order their
    /// snapshots were taken; the bytes last written, so that a call that changed nothing
    /// durable writes nothing.
    written: Mutex<Option<Vec<u8>>>,
}

impl Store {
    pub fn new(path: PathBuf) -> Store {
        Store {
            path,
            written: Mutex::new(None),
        }
    }
}

impl Shared {
    /// Writes the durable state to the state file, if there is one; unless `force`, only when
    /// it differs from what was last written. The error names the file.
    pub fn save(&self, force: bool) -> io::Result<()> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        let mut written = store.written.lock().unwrap_or_else(PoisonError::into_inner);
        let bytes = snapshot(&self.state(), &self.config.project_id, &self.management_key)?;
        if !force && written.as_deref() == Some(bytes.as_slice()) {
            return Ok(());
        }
        write_atomically(&store.path, &bytes).map_err(|error| {
            io::Error::new(
                error.kind(),
                format!(
                    "cannot write the state file {}: {error}",
                    store.path.display()
                ),
            )
        })?;
        *written = Some(bytes);
        Ok(())
    }
}

/// One signing key as the file holds it; the current key has no `retiredUntil`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedKey {
    kid: String,
    alg: String,
    /// The private key, PKCS#8 DER in standard base64.
    pkcs8: String,
    /// Unix seconds after which a retired key is dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retired_until: Option<u64>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedRefresh {
    jti: String,
    user_id: String,
    exp: i64,
}

/// What the file holds, as written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot<'a> {
    descope_emulator_state: u64,
    project_id: &'a str,
    management_key: &'a str,
    clock_offset_millis: u64,
    /// The current key first, then the retired ones, oldest first.
    signing_keys: Vec<SavedKey>,
    next_user_seq: u64,
    /// In creation order.
    users: Vec<&'a User>,
    tenants: &'a [Tenant],
    roles: &'a [Role],
    permissions: &'a [Permission],
    custom_attributes: &'a [Attribute],
    /// In creation order.
    access_keys: &'a [AccessKey],
    fixed_codes: &'a BTreeMap<String, String>,
    /// By `jti`.
    refresh_tokens: Vec<SavedRefresh>,
}

/// What the file holds, as read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    #[serde(rename = "descopeEmulatorState")]
    _format: u64,
    project_id: String,
    #[serde(default)]
    management_key: String,
    #[serde(default)]
    clock_offset_millis: u64,
    signing_keys: Vec<SavedKey>,
    #[serde(default)]
    next_user_seq: u64,
    #[serde(default)]
    users: Vec<User>,
    #[serde(default)]
    tenants: Vec<Tenant>,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    permissions: Vec<Permission>,
    #[serde(default)]
    custom_attributes: Vec<Attribute>,
    #[serde(default)]
    access_keys: Vec<AccessKey>,
    #[serde(default)]
    fixed_codes: BTreeMap<String, String>,
    #[serde(default)]
    refresh_tokens: Vec<SavedRefresh>,
}

/// The durable part of `state`, as the file's bytes (pretty JSON, every collection in a fixed
/// order, so that an unchanged state gives the same bytes).
fn snapshot(state: &State, project_id: &str, management_key: &str) -> io::Result<Vec<u8>> {
    let key = |key: &SigningKey, until: Option<SystemTime>| SavedKey {
        kid: key.kid().to_owned(),
        alg: key.algorithm().jose_name().to_owned(),
        pkcs8: STANDARD.encode(key.pkcs8()),
        retired_until: until.map(|until| unix(until).max(0) as u64),
    };
    let mut signing_keys = vec![key(state.keys.current(), None)];
    signing_keys.extend(
        state
            .keys
            .retired()
            .iter()
            .map(|(retired, until)| key(retired, Some(*until))),
    );
    let mut users: Vec<&User> = state.users.values().collect();
    users.sort_by(|a, b| (a.seq, &a.id).cmp(&(b.seq, &b.id)));
    let mut refresh_tokens: Vec<SavedRefresh> = state
        .refresh_tokens
        .live
        .iter()
        .map(|(jti, (user_id, exp))| SavedRefresh {
            jti: jti.clone(),
            user_id: user_id.clone(),
            exp: *exp,
        })
        .collect();
    refresh_tokens.sort_by(|a, b| a.jti.cmp(&b.jti));
    let snapshot = Snapshot {
        descope_emulator_state: FORMAT,
        project_id,
        management_key,
        clock_offset_millis: u64::try_from(state.clock_offset.as_millis()).unwrap_or(u64::MAX),
        signing_keys,
        next_user_seq: state.next_seq,
        users,
        tenants: &state.directory.tenants,
        roles: &state.directory.roles,
        permissions: &state.directory.permissions,
        custom_attributes: &state.directory.attributes,
        access_keys: &state.access_keys.keys,
        fixed_codes: &state.fixed_codes,
        refresh_tokens,
    };
    let mut bytes = serde_json::to_vec_pretty(&snapshot).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes `bytes` to a temporary file in `path`'s directory, syncs it, and renames it over
/// `path` (then syncs the directory, so that the rename itself survives a crash).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let temporary = directory.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written?;
    #[cfg(unix)]
    if let Ok(directory) = File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// Reads the state file: `None` when it does not exist; an error naming the file and the
/// problem when it cannot be read or is not a state this emulator can load.
pub fn read(path: &Path) -> io::Result<Option<Saved>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(io::Error::new(
                error.kind(),
                format!("the state file {} cannot be read: {error}", path.display()),
            ));
        }
    };
    parse(&bytes).map(Some).map_err(|problem| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the state file {} cannot be loaded: {problem} (it is left as it is; move it \
                 away to start with an empty state)",
                path.display()
            ),
        )
    })
}

fn parse(bytes: &[u8]) -> Result<Saved, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("it is empty".to_owned());
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| format!("not JSON: {error}"))?;
    match value.get("descopeEmulatorState") {
        None => {
            return Err(
                "not a descope-emulator state (no \"descopeEmulatorState\" format number)"
                    .to_owned(),
            );
        }
        Some(format) if format.as_u64() == Some(FORMAT) => {}
        Some(format) => {
            return Err(format!(
                "its format is {format}, and this descope-emulator reads format {FORMAT} \
                 (was it written by another version?)"
            ));
        }
    }
    serde_json::from_slice(bytes).map_err(|error| error.to_string())
}

impl Saved {
    /// Whether the saved signing key is of `algorithm` (if not, a new key of it takes over).
    pub fn signs_with(&self, algorithm: SigningAlgorithm) -> bool {
        self.signing_keys
            .first()
            .is_some_and(|key| key.alg == algorithm.jose_name())
    }

    /// The state the file held, for `config`, and its management key (empty if it held
    /// none). `fresh`, when the configured algorithm is not the saved key's, becomes the
    /// signing key, the saved one retired as by a rotation.
    pub fn into_state(
        self,
        config: &EmulatorConfig,
        fresh: Option<SigningKey>,
    ) -> Result<(State, String), String> {
        if self.project_id != config.project_id {
            return Err(format!(
                "it holds the state of project {:?}, not {:?}: start with --project-id {}, or \
                 give another --state file",
                self.project_id, config.project_id, self.project_id
            ));
        }
        if !self.management_key.is_empty() {
            check_management_key(&self.management_key)
                .map_err(|problem| format!("managementKey: {problem}"))?;
        }
        let mut keys = self
            .signing_keys
            .into_iter()
            .enumerate()
            .map(|(at, saved)| {
                let place = format!("signingKeys[{at}]");
                let algorithm = SigningAlgorithm::from_jose_name(&saved.alg).ok_or_else(|| {
                    format!("{place}.alg: {:?} is not RS256, ES256 or EdDSA", saved.alg)
                })?;
                let der = STANDARD
                    .decode(&saved.pkcs8)
                    .map_err(|_| format!("{place}.pkcs8: not base64"))?;
                let key = SigningKey::from_pkcs8(saved.kid, algorithm, &der)
                    .ok_or_else(|| format!("{place}.pkcs8: not a private {} key", saved.alg))?;
                let until = saved
                    .retired_until
                    .map(|until| UNIX_EPOCH + Duration::from_secs(until.min(i64::MAX as u64 / 2)));
                Ok::<_, String>((key, until))
            });
        let (current, _) = keys
            .next()
            .ok_or("signingKeys: there is no signing key")??;
        let mut retired = Vec::new();
        for key in keys {
            let (key, until) = key?;
            retired.push((key, until.ok_or("a retired key has no retiredUntil")?));
        }
        let clock_offset = Duration::from_millis(self.clock_offset_millis).min(MAX_DURATION);
        let mut ring = KeyRing::restore(current, retired);
        if let Some(fresh) = fresh {
            let now = SystemTime::now() + clock_offset;
            let until = now
                .checked_add(config.retired_key_ttl)
                .unwrap_or(now + MAX_DURATION);
            ring.install(fresh, now, until);
        }
        let mut state = State::new(ring, config);
        state.clock_offset = clock_offset;
        let mut ids = HashMap::new();
        for (at, user) in self.users.iter().enumerate() {
            if user.id.is_empty() {
                return Err(format!("users[{at}].id: is empty"));
            }
            if ids.insert(user.id.clone(), at).is_some() {
                return Err(format!(
                    "users[{at}].id: {:?} is another user's too",
                    user.id
                ));
            }
            for login_id in &user.login_ids {
                if let Some(owner) = state.logins.insert(login_id.clone(), user.id.clone()) {
                    return Err(format!(
                        "users[{at}].loginIds: {login_id:?} is also user {owner:?}'s"
                    ));
                }
            }
        }
        let next_seq = self
            .users
            .iter()
            .map(|user| user.seq + 1)
            .max()
            .unwrap_or(0);
        state.next_seq = self.next_user_seq.max(next_seq);
        state.users = self
            .users
            .into_iter()
            .map(|user| (user.id.clone(), user))
            .collect();
        state.directory = Directory {
            tenants: self.tenants,
            roles: self.roles,
            permissions: self.permissions,
            attributes: self.custom_attributes,
            admin_links: HashMap::new(),
        };
        state.access_keys = AccessKeys {
            keys: self.access_keys,
        };
        for (login_id, code) in &self.fixed_codes {
            check_fixed_code(code)
                .map_err(|problem| format!("fixedCodes[{login_id:?}]: {problem}"))?;
        }
        state.fixed_codes = self.fixed_codes;
        let now = unix(state.now());
        let mut refresh_tokens = RefreshTokens::default();
        for token in self
            .refresh_tokens
            .into_iter()
            .filter(|token| token.exp > now)
        {
            refresh_tokens.insert(token.jti, token.user_id, token.exp, now);
        }
        state.refresh_tokens = refresh_tokens;
        Ok((state, self.management_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::user::{Login, Membership, Password};

    fn state() -> State {
        let key = SigningKey::generate(SigningAlgorithm::EdDsa).unwrap();
        let mut state = State::new(KeyRing::new(key), &EmulatorConfig::default());
        let now = state.now();
        let next = SigningKey::generate(SigningAlgorithm::EdDsa).unwrap();
        state
            .keys
            .install(next, now, now + Duration::from_secs(600));
        state.insert_user(User {
            id: "U1".into(),
            login_ids: vec!["jane@example.com".into(), "jane".into()],
            email: Some("jane@example.com".into()),
            password: Some(Password {
                digest: Some([0xab; 32]),
                expired: false,
            }),
            tenants: vec![Membership {
                tenant_id: "T1".into(),
                tenant_name: "Acme".into(),
                roles: vec!["admin".into()],
                permissions: Vec::new(),
            }],
            history: vec![Login {
                time: 1,
                ip: "127.0.0.1".parse().unwrap(),
                selected_tenant: Some("T1".into()),
            }],
            ..User::default()
        });
        state.directory.tenants.push(Tenant {
            id: "T1".into(),
            name: "Acme".into(),
            ..Tenant::default()
        });
        state.fixed_codes.insert("jane".into(), "123456".into());
        state
            .access_keys
            .keys
            .push(crate::state::access_keys::AccessKey {
                id: "K2a".into(),
                name: "job".into(),
                digest: Some(crate::state::secret::token_hash("the-key-cleartext")),
                active: true,
                ..Default::default()
            });
        state
            .refresh_tokens
            .insert("j1".into(), "U1".into(), i64::MAX, 0);
        state.clock_offset = Duration::from_millis(61_500);
        state
    }

    #[test]
    fn a_saved_state_loads_back_to_the_same_bytes() {
        let state = state();
        let bytes = snapshot(&state, "P2Emulator", "K2key").unwrap();
        let again = snapshot(&state, "P2Emulator", "K2key").unwrap();
        assert_eq!(bytes, again, "an unchanged state gives the same bytes");
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(&"ab".repeat(32)), "the digest is kept in hex");
        let saved = parse(&bytes).unwrap();
        assert!(saved.signs_with(SigningAlgorithm::EdDsa));
        let (loaded, key) = saved.into_state(&EmulatorConfig::default(), None).unwrap();
        assert_eq!(key, "K2key");
        assert_eq!(loaded.logins["jane"], "U1");
        assert!(loaded.refresh_tokens.is_live("j1"));
        assert_eq!(
            loaded
                .access_keys
                .by_cleartext("the-key-cleartext")
                .unwrap()
                .id,
            "K2a"
        );
        assert!(
            !text.contains("the-key-cleartext"),
            "only the digest is kept"
        );
        assert_eq!(snapshot(&loaded, "P2Emulator", "K2key").unwrap(), bytes);
    }

    #[test]
    fn a_user_s_login_id_held_twice_is_refused() {
        let mut state = state();
        let mut twin = state.users["U1"].clone();
        twin.id = "U2".into();
        twin.seq = 1;
        twin.login_ids = vec!["jane".into()];
        state.users.insert("U2".into(), twin);
        let bytes = snapshot(&state, "P2Emulator", "").unwrap();
        let refused = parse(&bytes)
            .unwrap()
            .into_state(&EmulatorConfig::default(), None)
            .err()
            .unwrap();
        assert!(
            refused.contains("\"jane\" is also user \"U1\"'s"),
            "{refused}"
        );
    }
}
