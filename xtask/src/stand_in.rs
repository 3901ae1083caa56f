//! A crate that holds a curated client over a stand-in for the runtime: what `cargo xtask
//! semver-fixtures` documents and `cargo xtask mutate` compiles. The stand-in has the surface the
//! generated code calls (`Call`, `Client::execute`, `Error`'s two constructors, `Response`,
//! `ClientState`), so a generated file that compiles against it compiles against the runtime's.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

/// What each fixture crate's `lib.rs` holds instead of the client's runtime: the runtime's own
/// `operations`, `call` and `response` modules, copied, and small stand-ins for the rest of what
/// the generated code names (`ClientState`, `Error`'s two constructors, `Client::execute`). The
/// runtime's `contract.rs`, copied too, holds every signature the generated code relies on, so
/// a stand-in that drifted from the runtime does not compile. The runtime is the same on both
/// sides of every comparison, so only the generated code can make a difference.
const LIB: &str = r#"//! The generated code of one fixture, over a stand-in for the client's runtime.
#![allow(dead_code, unused_variables, rustdoc::broken_intra_doc_links)]

#[rustfmt::skip]
mod generated;
mod call;
mod contract;
pub mod operations;
mod response;

pub use generated::client::{Client, builder, prelude, types};
pub use response::Response;
pub(crate) use call::Call;

/// Stands in for `descope_client::ClientState`.
#[derive(Clone, Debug, Default)]
pub struct ClientState;

/// Stands in for `descope_client::RefreshJwt`.
#[derive(Clone, Debug)]
pub struct RefreshJwt(String);

/// Stands in for `descope_client::SessionJwt`.
#[derive(Clone, Debug)]
pub struct SessionJwt(String);

/// Stands in for `descope_client::AccessKey`.
#[derive(Clone, Debug)]
pub struct AccessKey(String);

impl From<String> for AccessKey {
    fn from(key: String) -> Self {
        AccessKey(key)
    }
}

impl From<String> for RefreshJwt {
    fn from(token: String) -> Self {
        RefreshJwt(token)
    }
}

impl From<String> for SessionJwt {
    fn from(token: String) -> Self {
        SessionJwt(token)
    }
}

/// Stands in for `descope_client::Error`.
#[derive(Debug)]
pub struct Error;

impl Error {
    pub(crate) fn invalid_body(_: &'static operations::Operation, _: String) -> Self {
        Error
    }
    pub(crate) fn invalid_argument(_: &'static operations::Operation, _: &'static str, _: String) -> Self {
        Error
    }
}

impl Client {
    pub(crate) async fn execute<T: serde::de::DeserializeOwned>(
        &self,
        _: Call,
    ) -> Result<Response<T>, Error> {
        Err(Error)
    }
}
"#;

/// The runtime's files the stand-in uses as they are, relative to the client crate's `src/`.
const RUNTIME_FILES: [&str; 4] = ["operations.rs", "call.rs", "response.rs", "contract.rs"];

/// The crate's manifest: its own workspace, version 1.0.0 (so that cargo-semver-checks
/// reads "major" as breaking; before 1.0 a minor bump may break), the client's dependencies.
const MANIFEST: &str = r#"[package]
name = "fixture-client"
version = "1.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
reqwest = { version = "0.13", default-features = false, features = ["json"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
form_urlencoded = "1"
"#;

/// Writes the crate into `dir` (its generated files go to `src/generated/`), seeded with the
/// workspace's lock: the same reqwest and serde, nothing new downloaded.
pub fn create(root: &Path, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("src/generated"))?;
    std::fs::write(dir.join("Cargo.toml"), MANIFEST)?;
    std::fs::write(dir.join("src/lib.rs"), LIB)?;
    for file in RUNTIME_FILES {
        let runtime = root.join("generated-client/src").join(file);
        std::fs::copy(&runtime, dir.join("src").join(file))
            .with_context(|| format!("cannot copy {}", runtime.display()))?;
    }
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(())
}

/// Writes `files` into the crate in `dir` and checks it (offline; `target` as its target
/// directory): whether it compiles, and the first errors when it does not.
pub fn check(
    dir: &Path,
    target: &Path,
    files: &[descope_generator::GeneratedFile],
) -> anyhow::Result<Result<(), String>> {
    for file in files {
        std::fs::write(dir.join("src/generated").join(file.name), &file.contents)?;
    }
    // Every API group the generated code names is a feature, on by default, so that all of it
    // is compiled (and an undeclared one is not silently compiled out).
    let mut groups: Vec<&str> = files
        .iter()
        .flat_map(|file| file.contents.split("feature = \"").skip(1))
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let features = groups
        .iter()
        .map(|group| format!("{group:?} = []\n"))
        .collect::<String>();
    let quoted: Vec<String> = groups.iter().map(|group| format!("{group:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "{MANIFEST}\n[features]\ndefault = [{}]\n{features}",
            quoted.join(", ")
        ),
    )?;
    cargo_check(&dir.join("Cargo.toml"), target, true)
}

/// `cargo check` of the crate at `manifest`: `Ok(Ok(()))` when it compiles, `Ok(Err(errors))`
/// with its first error lines when it does not, `Err` when cargo could not judge at all.
pub fn cargo_check(
    manifest: &Path,
    target: &Path,
    offline: bool,
) -> anyhow::Result<Result<(), String>> {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .args(["check", "--quiet", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target);
    if offline {
        command.arg("--offline");
    }
    let output = command.output().context("cannot run cargo check")?;
    if output.status.success() {
        return Ok(Ok(()));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("error"))
        .take(3)
        .collect();
    if !errors
        .iter()
        .any(|line| line.starts_with("error[E") || line.starts_with("error: "))
    {
        bail!("cargo check failed without a compile error:\n{stderr}");
    }
    Ok(Err(errors.join("\n")))
}
