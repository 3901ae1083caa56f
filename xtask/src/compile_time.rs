//! `cargo xtask compile-time`: how long the generated code takes to compile, and how many lines
//! it is, for the curated client and for Descope's whole published API.
//!
//! Each crate is built once so that its dependencies are compiled, then, round after round, its
//! generated file is touched and the crate rebuilt (dev profile, offline, without incremental
//! compilation): the time of that rebuild is the time the crate itself takes to compile, which is
//! what the generated code costs a developer each time it changes. Every round
//! also times a build with nothing changed (cargo's own overhead, the baseline), and progenitor's
//! plain client of the same curated spec (what our post-processing and runtime add). The crates
//! take turns within a round, so a busy machine slows them alike.
//!
//! The client is also built with each API group's feature alone (and TLS and JWT crypto), which
//! is what an application enabling only that group compiles; its lines are those of the
//! generated files with the other groups' items removed.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;

/// Dependencies of a crate holding progenitor's plain client, as in `.ci/upstream`: the versions
/// the workspace pins, so the workspace's lock file serves it.
const PLAIN_MANIFEST: &str = r#"[dependencies]
progenitor-client = "=0.15.1"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
"#;

/// One crate that the harness rebuilds.
struct Subject {
    name: String,
    /// The generated files, whose lines are counted; the first is touched before each build.
    generated: Vec<PathBuf>,
    /// The API groups the build compiles (`None`: every line of the files counts).
    groups: Option<BTreeSet<String>>,
    build: Box<dyn Fn() -> anyhow::Result<()>>,
    times: Vec<Duration>,
}

pub fn run(root: &Path, published: Option<&Path>, runs: usize) -> anyhow::Result<()> {
    let scratch = root.join("target/compile-time");
    let workspace_build = |root: PathBuf, features: Option<String>| {
        move || {
            let mut args = vec![
                "build",
                "--offline",
                "--quiet",
                "-p",
                "descope-client",
                "--lib",
            ];
            if let Some(features) = &features {
                args.extend(["--no-default-features", "--features", features]);
            }
            cargo(&root, &args, None)
        }
    };
    let generated_dir = root.join("generated-client/src/generated");
    let generated: Vec<PathBuf> = ["client.rs", "operations.rs", "mod.rs"]
        .iter()
        .map(|name| generated_dir.join(name))
        .collect();
    let mut subjects = vec![Subject {
        name: "descope-client, every API group (generated code and runtime)".into(),
        generated: generated.clone(),
        groups: None,
        build: Box::new(workspace_build(root.to_path_buf(), None)),
        times: Vec::new(),
    }];
    for (group, _) in crate::groups::list(&root.join("openapi/descope-auth.yaml"))? {
        subjects.push(Subject {
            name: format!("descope-client, `{group}` alone"),
            generated: generated.clone(),
            groups: Some(BTreeSet::from([group.clone()])),
            build: Box::new(workspace_build(
                root.to_path_buf(),
                Some(format!("rustls,jwt-aws-lc,{group}")),
            )),
            times: Vec::new(),
        });
    }

    let curated = root.join("openapi/descope-auth.yaml");
    subjects.push(plain_crate(
        root,
        &scratch,
        "curated-plain",
        &curated,
        "progenitor's plain client of the curated spec (repair mode)",
    )?);
    match published {
        Some(path) if path.exists() => subjects.push(plain_crate(
            root,
            &scratch,
            "published",
            path,
            "Descope's published spec (repair mode)",
        )?),
        Some(path) => println!("published spec skipped: no file at {}", path.display()),
        None => println!("published spec skipped: no path given"),
    }

    println!("building every crate once, so that only the generated code is timed…");
    for subject in &subjects {
        (subject.build)().with_context(|| format!("first build of {}", subject.name))?;
    }
    let mut unchanged = Vec::new();
    for round in 1..=runs {
        println!("round {round} of {runs}");
        for (at, subject) in subjects.iter_mut().enumerate() {
            touch(&subject.generated[0])?;
            let start = Instant::now();
            (subject.build)()?;
            subject.times.push(start.elapsed());
            if at == 0 {
                // The same build again, nothing changed: cargo's own overhead. (Later subjects
                // touch the same files, so this is measured right away.)
                let start = Instant::now();
                (subject.build)()?;
                unchanged.push(start.elapsed());
            }
        }
    }

    let floor = median(&unchanged);
    println!(
        "\n| crate | generated lines | dev rebuild after touching it, median | every run | minus a no-op build |"
    );
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| no-op build (nothing changed; the baseline) | | {} | {} | |",
        seconds(floor),
        every(&unchanged)
    );
    for subject in &subjects {
        let mut lines = 0;
        for path in &subject.generated {
            let text = fs::read_to_string(path)?;
            lines += match &subject.groups {
                None => text.lines().count(),
                Some(groups) => descope_generator::lines_with_features(
                    &text,
                    &groups.iter().map(String::as_str).collect(),
                )
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?,
            };
        }
        let time = median(&subject.times);
        println!(
            "| {} | {lines} | {} | {} | {} |",
            subject.name,
            seconds(time),
            every(&subject.times),
            seconds(time.saturating_sub(floor))
        );
    }
    Ok(())
}

/// A throwaway crate in `scratch/dir` holding the repair-mode client of `spec`.
fn plain_crate(
    root: &Path,
    scratch: &Path,
    dir: &str,
    spec: &Path,
    name: &str,
) -> anyhow::Result<Subject> {
    let text = fs::read_to_string(spec)
        .with_context(|| format!("cannot read the spec {}", spec.display()))?;
    let files = descope_generator::generate_foreign(&text, &spec.display().to_string())
        .outcome
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
    let crate_dir = scratch.join(dir);
    fs::create_dir_all(crate_dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"compile-time-{dir}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n{PLAIN_MANIFEST}"
    );
    write_if_changed(&crate_dir.join("Cargo.toml"), &manifest)?;
    fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
    let mut generated = Vec::new();
    for file in files {
        let path = crate_dir.join("src").join(file.name);
        write_if_changed(&path, &file.contents)?;
        generated.push(path);
    }
    let manifest_path = crate_dir.join("Cargo.toml");
    let target = scratch.join("target");
    let root = root.to_path_buf();
    Ok(Subject {
        name: name.to_owned(),
        generated,
        groups: None,
        build: Box::new(move || {
            let manifest = manifest_path.to_string_lossy();
            cargo(
                &root,
                &[
                    "build",
                    "--offline",
                    "--quiet",
                    "--manifest-path",
                    &manifest,
                ],
                Some(&target),
            )
        }),
        times: Vec::new(),
    })
}

fn cargo(dir: &Path, args: &[&str], target: Option<&Path>) -> anyhow::Result<()> {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // Without incremental compilation: a touched but unchanged file would otherwise be served
    // from the incremental cache, and the figure would say nothing about the code.
    command
        .current_dir(dir)
        .args(args)
        .env("CARGO_INCREMENTAL", "0");
    if let Some(target) = target {
        command.env("CARGO_TARGET_DIR", target);
    }
    let status = command
        .status()
        .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    anyhow::ensure!(
        status.success(),
        "cargo {} failed: {status}",
        args.join(" ")
    );
    Ok(())
}

/// Marks `path` as changed without changing it, so cargo rebuilds its crate.
fn touch(path: &Path) -> anyhow::Result<()> {
    fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .with_context(|| format!("cannot touch {}", path.display()))
}

/// Writes only when the contents differ, so a rerun does not rebuild for nothing.
fn write_if_changed(path: &Path, contents: &str) -> anyhow::Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn seconds(time: Duration) -> String {
    format!("{:.2} s", time.as_secs_f64())
}

fn every(times: &[Duration]) -> String {
    times
        .iter()
        .map(|time| format!("{:.2}", time.as_secs_f64()))
        .collect::<Vec<_>>()
        .join(", ")
}
