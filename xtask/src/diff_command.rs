//! `cargo xtask diff [--base REV]`: reads the spec at a git revision and in the working tree and
//! prints the `api_diff` report. Exit status 0 means nothing breaks, 1 that something breaks (or
//! the comparison could not be made; the message says which).

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

use crate::api_diff;
use crate::surface::Surface;

pub fn run(root: &Path, spec: &Path, base: Option<&str>) -> anyhow::Result<ExitCode> {
    let relative = spec.strip_prefix(root).unwrap_or(spec);
    let relative = relative.to_string_lossy().replace('\\', "/");
    let base = match base {
        Some(rev) => rev.to_owned(),
        None => default_base(root),
    };
    let base_text = git(root, &["show", &format!("{base}:{relative}")])
        .with_context(|| format!("cannot read `{relative}` at revision `{base}`"))?;
    let head_text =
        std::fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let base_spec = descope_generator::load(&base_text, &format!("{relative}@{base}"))?;
    let head_spec = descope_generator::load(&head_text, &relative)?;
    let changes = api_diff::compare(&Surface::of(&base_spec.raw), &Surface::of(&head_spec.raw));
    print!(
        "{}",
        api_diff::markdown(
            &changes,
            &format!("`{relative}` at `{base}`"),
            "the working tree"
        )
    );
    let current = client_version(root)?;
    if let Some(next) = api_diff::next_version(&current, &changes) {
        let why = if changes.iter().any(|c| c.impact.breaks()) {
            "breaking changes"
        } else if changes.is_empty() {
            "no API change"
        } else {
            "compatible changes only"
        };
        println!("\n**Next version of `descope-client`:** {next} (now {current}; {why}).");
    }
    let breaks = changes.iter().any(|c| c.impact.breaks());
    Ok(if breaks {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The version in `generated-client/Cargo.toml`.
fn client_version(root: &Path) -> anyhow::Result<String> {
    let manifest = root.join("generated-client/Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    text.lines()
        .find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("version")?
                .trim()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .with_context(|| format!("{} has no version", manifest.display()))
}

/// The merge base with `main` when there is one (a pull request's starting point), else `HEAD`.
fn default_base(root: &Path) -> String {
    git(root, &["merge-base", "HEAD", "main"])
        .map(|rev| rev.trim().chars().take(12).collect())
        .unwrap_or_else(|_| "HEAD".to_owned())
}

fn git(root: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
