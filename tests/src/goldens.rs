//! Golden files: compared with a unified diff, rewritten when `UPDATE_GOLDENS=1` is set.

use std::fs;
use std::path::{Path, PathBuf};

/// The one command that rewrites every golden file from the current client.
pub const UPDATE_COMMAND: &str = "UPDATE_GOLDENS=1 cargo test -p descope-shape-tests";

fn goldens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("goldens")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDENS").is_some_and(|v| v == "1")
}

/// A diff when `actual` differs from `goldens/<relative>`; writes the file instead when updating.
pub fn check_golden(relative: &str, actual: &str) -> Result<(), String> {
    let path = goldens_dir().join(relative);
    if updating() {
        fs::create_dir_all(path.parent().expect("goldens live in a directory")).unwrap();
        fs::write(&path, actual).unwrap();
        return Ok(());
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let diff = similar::TextDiff::from_lines(&expected, actual)
            .unified_diff()
            .header(&format!("goldens/{relative} (checked in)"), "actual")
            .to_string();
        return Err(format!(
            "golden file goldens/{relative} differs from what the client does now:\n{diff}"
        ));
    }
    Ok(())
}

/// Ends a golden run over `goldens/<dir>`: adds stale files (named for no id in `ids`) to the
/// failures, then panics listing them all.
pub fn finish_golden_run(dir: &str, ids: &[String], mut failures: Vec<String>) {
    for stale in stale_goldens(dir, ids) {
        failures.push(format!("{stale} belongs to no operation of the spec"));
    }
    assert_no_failures(&failures);
}

/// Panics listing every failure, with the command that accepts intended changes.
pub fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{}\n\n{} failure(s). If the changes are intended, run `{UPDATE_COMMAND}` and review the diff.",
        failures.join("\n"),
        failures.len()
    );
}

/// Golden files in `goldens/<dir>` whose stem is not in `expected` (left from a removed operation).
fn stale_goldens(dir: &str, expected: &[String]) -> Vec<String> {
    let Ok(entries) = fs::read_dir(goldens_dir().join(dir)) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            !stem.is_some_and(|stem| expected.contains(&stem))
        })
        .map(|path| path.display().to_string())
        .collect();
    if updating() {
        for path in &stale {
            fs::remove_file(path).unwrap();
        }
        stale.clear();
    }
    stale
}
