//! Generation and drift checking: everything is produced in memory first, then either compared
//! (check, which never writes) or written (generate), each file whole.
//!
//! In: the command's options (the spec, the output directory). Out: the generated files written,
//! or the drift between them and the files on disk reported with the command that fixes it. This
//! file is the command glue (reading the spec, producing the files, `generate`, `generate
//! --repair`, `check` and its report); `drift` compares the produced set with the generated files
//! on disk.
//!
//! A refused spec writes nothing, and no file is ever half-written (each is written beside its
//! target, then renamed over it). A set of files is not replaced as one transaction: should the
//! disk fail between two files, `git status` shows which were written, and running `generate`
//! again finishes the job.

mod drift;
#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use descope_generator::{GeneratedFile, Settings};

use drift::{Drift, drift};

pub struct Options {
    /// The repository root, against which the spec's name in headers is made relative.
    pub root: PathBuf,
    pub spec: PathBuf,
    pub out: PathBuf,
}

impl Options {
    pub fn defaults(root: PathBuf) -> Self {
        Options {
            spec: root.join("openapi/descope-auth.yaml"),
            out: root.join("generated-client/src/generated"),
            root,
        }
    }

    fn is_default_out(&self) -> bool {
        self.out == self.root.join("generated-client/src/generated")
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The spec's text and its name for diagnostics and headers: relative to the repository, so
/// output does not depend on where the checkout is.
fn read_spec(options: &Options) -> anyhow::Result<(String, String)> {
    let bytes = fs::read(&options.spec)
        .with_context(|| format!("cannot read the spec {}", options.spec.display()))?;
    let name = options
        .spec
        .strip_prefix(&options.root)
        .unwrap_or(&options.spec)
        .to_string_lossy()
        .replace('\\', "/");
    // Bytes that are not UTF-8 are a diagnostic with a position, like any other syntax error.
    let text = descope_generator::decode(&bytes, &name)?;
    Ok((text, name))
}

/// The files the spec produces, or the spec's diagnostics as the error.
fn produce(options: &Options) -> anyhow::Result<Vec<GeneratedFile>> {
    let (text, name) = read_spec(options)?;
    Ok(descope_generator::generate(
        &text,
        &name,
        &Settings::default(),
    )?)
}

/// Repair mode (`generate --repair`): repairs a foreign spec, prints one line per repair, and
/// writes progenitor's plain client as `lib.rs` into the output directory, or fails with every
/// problem that remains after repair.
pub fn generate_repaired(options: &Options) -> anyhow::Result<()> {
    let (text, name) = read_spec(options)?;
    let foreign = descope_generator::generate_foreign(&text, &name);
    for repair in &foreign.repairs {
        println!("{repair}");
    }
    println!("{} repairs", foreign.repairs.len());
    write_set(foreign.outcome?, &options.out)
}

pub fn generate(options: &Options) -> anyhow::Result<()> {
    write_set(produce(options)?, &options.out)
}

/// Writes the produced set over the generated files in `out`, and removes the generated files
/// the spec no longer produces. A file in the way that is not generated (it lacks the marker)
/// stops everything before anything is written.
fn write_set(files: Vec<GeneratedFile>, out: &Path) -> anyhow::Result<()> {
    let drift = drift(files, out)?;
    if drift.is_empty() {
        println!("{} is up to date", out.display());
        return Ok(());
    }
    for (file, on_disk) in &drift.changed {
        let target = out.join(file.name);
        if on_disk.is_none() && fs::symlink_metadata(&target).is_ok() {
            anyhow::bail!(
                "{} is not a generated file (it lacks the generated marker); move it away, then \
                 run generate again",
                target.display()
            );
        }
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (file, _) in &drift.changed {
        let target = out.join(file.name);
        write_whole(&target, &file.contents)?;
        println!("wrote {}", target.display());
    }
    for stale in &drift.stale {
        fs::remove_file(stale).with_context(|| format!("cannot remove {}", stale.display()))?;
        println!("removed {} (no longer generated)", stale.display());
    }
    Ok(())
}

/// Writes `contents` to `target` whole: beside it first, then renamed over it, so a reader (or
/// a crash) never meets half a file.
pub fn write_whole(target: &Path, contents: &str) -> anyhow::Result<()> {
    let mut staged = target.as_os_str().to_owned();
    staged.push(".tmp");
    let staged = PathBuf::from(staged);
    fs::write(&staged, contents).with_context(|| format!("cannot write {}", staged.display()))?;
    fs::rename(&staged, target).map_err(|error| {
        let _ = fs::remove_file(&staged);
        anyhow::Error::new(error).context(format!("cannot replace {}", target.display()))
    })
}

pub fn check(options: &Options) -> anyhow::Result<ExitCode> {
    let drift = drift(produce(options)?, &options.out)?;
    if drift.is_empty() {
        println!("generated code in {} is up to date", options.out.display());
        return Ok(ExitCode::SUCCESS);
    }
    eprint!("{}", report(&drift, options));
    Ok(ExitCode::FAILURE)
}

/// The failure report: a unified diff per file, then the command that fixes it.
pub fn report(drift: &Drift, options: &Options) -> String {
    let mut text = String::new();
    for (file, current) in &drift.changed {
        let path = options.out.join(file.name);
        let shown = path
            .strip_prefix(&options.root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let old = current.as_deref().unwrap_or("");
        let diff = similar::TextDiff::from_lines(old, file.contents.as_str());
        text.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("a/{shown} (checked in)"),
                    &format!("b/{shown} (generated)"),
                )
                .to_string(),
        );
    }
    for stale in &drift.stale {
        text.push_str(&format!(
            "{} is generated but no longer produced by the spec\n",
            stale.display()
        ));
    }
    let mut command = "cargo xtask generate".to_owned();
    if !options.is_default_out() || options.spec != options.root.join("openapi/descope-auth.yaml") {
        command.push_str(&format!(
            " --spec {} --out {}",
            options.spec.display(),
            options.out.display()
        ));
    }
    text.push_str(&format!(
        "\nerror: generated code is out of date relative to the spec ({} file(s) differ)\n\
         help: run `{command}` and commit the result; never edit generated files by hand\n",
        drift.changed.len() + drift.stale.len()
    ));
    text
}
