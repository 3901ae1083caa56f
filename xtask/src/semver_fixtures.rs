//! `cargo xtask semver-fixtures`: does `cargo xtask diff` agree with cargo-semver-checks?
//!
//! Each fixture spec in `xtask/tests/diff/` is generated, with the curated pipeline and relaxed
//! policy, into a crate whose runtime is a stand-in with the surface the generated code calls;
//! rustdoc describes each version as JSON, and cargo-semver-checks compares `base.yaml`'s crate
//! with every other. Its verdict (a major version needed, or not) must be what `diff` says of
//! the same pair: breaking at compile time, or not.
//!
//! Two kinds of change are out of cargo-semver-checks' sight, and the check says which:
//! - A public field or method parameter that keeps its name but changes type (`Option<String>`
//!   to `String`, `String` to `i64`): major by the Rust reference, but cargo-semver-checks has no
//!   lint for type changes. Where `diff` says breaking and cargo-semver-checks compatible, the
//!   rustdoc JSON must show such a change ([`crate::signatures`]); then both agree on what the
//!   API did, and the report names the changed types.
//! - Changes that break only at run time (a request refused before sending: a field of a nested
//!   request type became required, a credential is needed) compile unchanged; cargo-semver-checks
//!   must call them compatible, and no type may change. (A required parameter or top-level field
//!   is an argument of the method, so adding one changes its signature: a compile-time break.)

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::api_diff::{self, Impact};
use crate::signatures::{self, Signatures};
use crate::stand_in;
use crate::surface::Surface;

/// One fixture pair's verdicts.
struct Verdict {
    name: String,
    /// `diff` finds a change that stops code from compiling.
    diff_compile_breaking: bool,
    /// `diff` finds a change that compiles but fails at run time.
    diff_runtime_breaking: bool,
    /// cargo-semver-checks asks for a major version.
    semver_checks_major: bool,
    /// The lints cargo-semver-checks failed, by name.
    lints: Vec<String>,
    /// Public fields and methods whose type changed (no cargo-semver-checks lint sees these).
    retyped: Vec<String>,
}

impl Verdict {
    /// Whether the API changed incompatibly, by cargo-semver-checks or a public type change.
    fn api_breaks(&self) -> bool {
        self.semver_checks_major || !self.retyped.is_empty()
    }

    fn agrees(&self) -> bool {
        self.diff_compile_breaking == self.api_breaks()
    }
}

/// Runs every fixture pair; returns the report and whether every verdict agreed.
pub fn run(root: &Path, semver_checks: &Path, work: &Path) -> anyhow::Result<(String, bool)> {
    let fixtures = root.join("xtask/tests/diff");
    let crate_dir = work.join("crate");
    let json_dir = work.join("rustdoc");
    stand_in::create(root, &crate_dir)?;
    std::fs::create_dir_all(&json_dir)?;

    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .with_context(|| format!("cannot read {}", fixtures.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .filter_map(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
        .filter(|name| name != "base")
        .collect();
    names.sort();

    let base_json = rustdoc_json(&fixtures, "base", &crate_dir, &json_dir, work)?;
    let base_signatures = read_signatures(&base_json)?;
    let base_surface = surface(&fixtures.join("base.yaml"))?;
    let mut verdicts = Vec::new();
    for name in names {
        let head_json = rustdoc_json(&fixtures, &name, &crate_dir, &json_dir, work)?;
        let changes = api_diff::compare(
            &base_surface,
            &surface(&fixtures.join(format!("{name}.yaml")))?,
        );
        let (semver_checks_major, lints) = judge(semver_checks, &base_json, &head_json)?;
        let retyped = signatures::changed(&base_signatures, &read_signatures(&head_json)?);
        verdicts.push(Verdict {
            diff_compile_breaking: changes.iter().any(|c| c.impact == Impact::Breaking),
            diff_runtime_breaking: changes
                .iter()
                .any(|c| c.impact == Impact::BreakingAtRunTime),
            name,
            semver_checks_major,
            lints,
            retyped,
        });
    }
    Ok(report(&verdicts))
}

fn read_signatures(json: &Path) -> anyhow::Result<Signatures> {
    let text =
        std::fs::read_to_string(json).with_context(|| format!("cannot read {}", json.display()))?;
    signatures::read(&text).with_context(|| format!("in {}", json.display()))
}

fn surface(path: &Path) -> anyhow::Result<Surface> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let spec = descope_generator::load(&text, &path.display().to_string())?;
    Ok(Surface::of(&spec.raw))
}

/// Generates fixture `name` into the crate and has rustdoc describe it; returns the JSON's path.
fn rustdoc_json(
    fixtures: &Path,
    name: &str,
    crate_dir: &Path,
    json_dir: &Path,
    work: &Path,
) -> anyhow::Result<PathBuf> {
    let spec_file = format!("{name}.yaml");
    let text = std::fs::read_to_string(fixtures.join(&spec_file))?;
    let settings = descope_generator::Settings {
        crate_name: "fixture_client".to_owned(),
        policy: descope_generator::Policy::Relaxed,
        ..Default::default()
    };
    let files = descope_generator::generate(&text, &spec_file, &settings)
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))
        .with_context(|| format!("fixture {spec_file} does not generate"))?;
    for file in files {
        std::fs::write(
            crate_dir.join("src/generated").join(file.name),
            file.contents,
        )?;
    }
    let target = work.join("target");
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["rustdoc", "--quiet", "--lib", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .env("CARGO_TARGET_DIR", &target)
        // rustdoc's JSON output is unstable; cargo-semver-checks reads it the same way.
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .context("cannot run cargo rustdoc")?;
    if !output.status.success() {
        bail!(
            "the crate of fixture {spec_file} does not document:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let json = json_dir.join(format!("{name}.json"));
    std::fs::copy(target.join("doc/fixture_client.json"), &json)?;
    Ok(json)
}

/// cargo-semver-checks on two rustdoc descriptions, as a release that may not break: whether
/// it asks for a major version, and the lints that failed.
fn judge(semver_checks: &Path, base: &Path, head: &Path) -> anyhow::Result<(bool, Vec<String>)> {
    let output = Command::new(semver_checks)
        .args([
            "semver-checks",
            "--color",
            "never",
            "--release-type",
            "minor",
        ])
        .arg("--baseline-rustdoc")
        .arg(base)
        .arg("--current-rustdoc")
        .arg(head)
        .output()
        .with_context(|| format!("cannot run {}", semver_checks.display()))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // "--- failure constructible_struct_adds_field: ..." for each failed lint.
    let lints: Vec<String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("--- failure "))
        .filter_map(|rest| rest.split(':').next())
        .map(str::to_owned)
        .collect();
    // cargo-semver-checks exits 0 when the release may go ahead, 100 when it may not.
    match output.status.code() {
        Some(0) => Ok((false, lints)),
        Some(100) if !lints.is_empty() => Ok((true, lints)),
        _ => bail!("cargo-semver-checks failed to judge:\n{text}"),
    }
}

fn report(verdicts: &[Verdict]) -> (String, bool) {
    let mut out = String::from(
        "| fixture | cargo xtask diff | cargo-semver-checks | public types changed | agree |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    let mut all_agree = true;
    for verdict in verdicts {
        let diff = match (verdict.diff_compile_breaking, verdict.diff_runtime_breaking) {
            (true, _) => "breaking",
            (false, true) => "breaking at run time only",
            (false, false) => "compatible",
        };
        let semver = if verdict.semver_checks_major {
            format!("major ({})", verdict.lints.join(", "))
        } else {
            "compatible".to_owned()
        };
        let retyped = if verdict.retyped.is_empty() {
            "none".to_owned()
        } else {
            verdict
                .retyped
                .iter()
                // Shown by the path users name them by (`lib.rs` re-exports the modules).
                .map(|name| format!("`{}`", name.trim_start_matches("generated::client::")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let agree = verdict.agrees();
        all_agree &= agree;
        let _ = writeln!(
            out,
            "| {} | {diff} | {semver} | {retyped} | {} |",
            verdict.name,
            if agree { "yes" } else { "**no**" }
        );
    }
    (out, all_agree)
}
