//! `cargo xtask corpus`: repair mode against real-world specs nobody here wrote.
//!
//! The corpus is the OpenAPI documents the `openapiv3` crate ships as its test fixtures (the
//! OpenAPI Initiative's examples and public APIs: Stripe, Slack, Twilio, Docker, Quay, ...). They
//! come with the crate from crates.io, which the build already fetches, so the corpus needs no
//! copy in this repository and no other network. For each document, plain progenitor (the
//! `baseline`, unrepaired) and repair mode each try to generate a client, and each client that
//! comes out is compiled in a crate of its own. The check fails when repair mode accepts a
//! document whose client does not compile, or refuses one whose plain progenitor client compiles.

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::stand_in;

/// A crate holding a plain progenitor client: the dependencies progenitor's README lists for
/// its generated code (`chrono` and `uuid` for those formats, `futures` for streams, `base64`
/// and `rand` for websocket upgrades, `regress` for patterns).
pub const MANIFEST: &str = r#"[package]
name = "corpus-client"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
base64 = "0.22"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
futures = "0.3"
progenitor-client = "=0.15.1"
rand = "0.9"
regress = "0.12"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
uuid = { version = "1", features = ["serde"] }
"#;

/// What one generator made of one document.
#[derive(Debug)]
enum Outcome {
    /// Refused, with the first reason.
    Refused(String),
    /// Panicked (plain progenitor only; repair mode turns progenitor's panics into diagnostics).
    Panicked,
    /// Generated a client of this many lines, which compiled or not.
    Generated { lines: usize, compiles: bool },
}

impl Outcome {
    fn compiles(&self) -> bool {
        matches!(self, Outcome::Generated { compiles: true, .. })
    }

    fn cell(&self) -> String {
        match self {
            Outcome::Refused(reason) => format!("refused: {}", shorten(reason)),
            Outcome::Panicked => "panicked".to_owned(),
            Outcome::Generated { lines, compiles } => format!(
                "{lines} lines, {}",
                if *compiles {
                    "compiles"
                } else {
                    "**does not compile**"
                }
            ),
        }
    }
}

/// One document of the corpus.
struct Row {
    name: String,
    plain: Outcome,
    ours: Outcome,
    repairs: usize,
}

impl Row {
    fn holds(&self) -> bool {
        let accepted = matches!(self.ours, Outcome::Generated { .. });
        (!accepted || self.ours.compiles()) && (!self.plain.compiles() || self.ours.compiles())
    }
}

/// Runs the corpus (openapiv3's fixtures, or the documents of `dir`) in `work` (scratch crates
/// and their target directory); returns the report and whether every row holds.
pub fn run(root: &Path, dir: Option<&Path>, work: &Path) -> anyhow::Result<(String, bool)> {
    let fixtures = match dir {
        Some(dir) => dir.to_owned(),
        None => openapiv3_fixtures(root)?,
    };
    let mut documents: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .with_context(|| format!("cannot list {}", fixtures.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    documents.retain(|path| {
        path.extension()
            .is_some_and(|ext| ext == "json" || ext == "yaml")
    });
    documents.sort();
    if dir.is_none() && documents.len() < 20 {
        bail!(
            "only {} documents in {}; the corpus expects openapiv3's fixtures",
            documents.len(),
            fixtures.display()
        );
    }
    std::fs::create_dir_all(work)?;
    // progenitor asserts and panics on some documents; the table says so, the log need not.
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let rows: anyhow::Result<Vec<Row>> = documents.iter().map(|path| row(path, work)).collect();
    std::panic::set_hook(quiet);
    let rows = rows?;
    Ok(report(&fixtures, &rows))
}

fn row(path: &Path, work: &Path) -> anyhow::Result<Row> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    eprintln!("corpus: {name}");
    let plain = match catch_unwind(|| descope_generator::baseline::foreign(&text)) {
        Err(_) => Outcome::Panicked,
        Ok(Err(reason)) => Outcome::Refused(reason),
        Ok(Ok(client)) => compiled(&client, &work.join(format!("plain-{name}")), work)?,
    };
    let foreign = catch_unwind(AssertUnwindSafe(|| {
        descope_generator::generate_foreign(&text, &name)
    }));
    let (ours, repairs) = match foreign {
        Err(_) => (
            Outcome::Refused("repair mode panicked (a generator bug)".to_owned()),
            0,
        ),
        Ok(foreign) => {
            let repairs = foreign.repairs.len();
            let ours = match foreign.outcome {
                Err(diagnostics) => Outcome::Refused(
                    diagnostics
                        .0
                        .first()
                        .map(|d| format!("[{}] {}", d.rule.id(), d.message))
                        .unwrap_or_default(),
                ),
                Ok(files) => {
                    let client = files
                        .iter()
                        .find(|file| file.name == "lib.rs")
                        .context("repair mode wrote no lib.rs")?;
                    compiled(&client.contents, &work.join(format!("ours-{name}")), work)?
                }
            };
            (ours, repairs)
        }
    };
    Ok(Row {
        name,
        plain,
        ours,
        repairs,
    })
}

/// Writes `client` as the `lib.rs` of a crate in `dir` and checks it (cargo check: type errors
/// are what a generator gets wrong; code generation would only add time).
fn compiled(client: &str, dir: &Path, work: &Path) -> anyhow::Result<Outcome> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), MANIFEST)?;
    std::fs::write(dir.join("src/lib.rs"), client)?;
    let compiles = stand_in::cargo_check(&dir.join("Cargo.toml"), &work.join("target"), false)?;
    Ok(Outcome::Generated {
        lines: client.lines().count(),
        compiles: compiles.is_ok(),
    })
}

/// The directory of the `openapiv3` package the workspace resolves, and in it `fixtures/`.
fn openapiv3_fixtures(root: &Path) -> anyhow::Result<PathBuf> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let manifest = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|package| package["name"] == "openapiv3")
        .and_then(|package| package["manifest_path"].as_str())
        .context("the workspace does not resolve openapiv3")?;
    Ok(Path::new(manifest)
        .parent()
        .context("openapiv3's manifest has no directory")?
        .join("fixtures"))
}

fn report(fixtures: &Path, rows: &[Row]) -> (String, bool) {
    let mut out = format!(
        "Repair mode and plain progenitor 0.15.1 on the {} documents of {}\n\n\
         | document | plain progenitor | repair mode | repairs | holds |\n\
         | --- | --- | --- | ---: | --- |\n",
        rows.len(),
        fixtures.display()
    );
    let mut all = true;
    for row in rows {
        let holds = row.holds();
        all &= holds;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.name,
            row.plain.cell(),
            row.ours.cell(),
            row.repairs,
            if holds { "yes" } else { "**no**" }
        );
    }
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|row| f(row)).count();
    let _ = writeln!(
        out,
        "\nplain progenitor: {} compile; repair mode: {} compile, {} refused; \
         every plain client that compiles has a repaired one that compiles: {}",
        count(&|row| row.plain.compiles()),
        count(&|row| row.ours.compiles()),
        count(&|row| matches!(row.ours, Outcome::Refused(_))),
        if all { "yes" } else { "no" }
    );
    (out, all)
}

/// The first line of a reason, at most 90 characters, with `|` escaped for the table.
fn shorten(reason: &str) -> String {
    let line = reason.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(90).collect();
    if line.chars().count() > 90 {
        short.push('…');
    }
    short.replace('|', "\\|")
}
