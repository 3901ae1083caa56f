//! The diagnostics corpus: every bad spec in `tests/corpus/` must be refused with exactly the
//! text in its golden file, so a change to any message, place or rule shows up in review.
//!
//! A case is two files: `<name>.yaml` (or `.json`), a small spec broken in one way, and
//! `<name>.expected`, the full `Diagnostics` text the generator prints for it. A new case is a
//! new pair of files; `UPDATE_GOLDENS=1 cargo test -p descope-generator --test corpus` writes
//! the goldens, which are then read and reviewed like code.
//!
//! A case named `repair-<name>` is read by repair mode (`generate_foreign`) instead, and its
//! golden is what `cargo xtask generate --repair` prints: one line per repair, then either the
//! diagnostics that remain or the methods of the plain client that came out. Such a case holds a
//! foreign shape repair mode must take (or repair), so accepting it is its expected outcome;
//! `cargo xtask corpus --dir` compiles the client.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use descope_generator::{Settings, generate, generate_foreign};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
/// How diagnostics name the specs: relative to the repository, as `cargo xtask` names its spec.
const SHOWN_DIR: &str = "generator/tests/corpus";
const GOLDEN: &str = "expected";
/// The prefix of the cases read by repair mode.
const REPAIR: &str = "repair-";
/// The last line of a repair case whose client came out.
const GENERATED: &str = "repair mode generated lib.rs";

/// The corpus's files by case name (the file stem): its spec and its golden, either may be absent.
#[derive(Default)]
struct Case {
    specs: Vec<PathBuf>,
    golden: Option<PathBuf>,
}

fn cases() -> BTreeMap<String, Case> {
    let mut cases: BTreeMap<String, Case> = BTreeMap::new();
    for entry in fs::read_dir(CORPUS).expect("the corpus directory exists") {
        let path = entry.expect("the corpus directory is readable").path();
        let (Some(stem), Some(extension)) = (path.file_stem(), path.extension()) else {
            panic!(
                "{} has no extension; the corpus holds only specs and goldens",
                path.display()
            );
        };
        let case = cases
            .entry(stem.to_string_lossy().into_owned())
            .or_default();
        match extension.to_str() {
            Some("yaml" | "json") => case.specs.push(path),
            Some(GOLDEN) => case.golden = Some(path),
            _ => panic!(
                "{} is neither a spec (.yaml, .json) nor a golden (.{GOLDEN})",
                path.display()
            ),
        }
    }
    cases
}

/// What the generator prints for one spec, or why the case itself is broken.
fn diagnose(spec: &Path) -> Result<String, String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("cannot read the spec: {e}"))?;
    let shown = format!(
        "{SHOWN_DIR}/{}",
        spec.file_name().unwrap().to_string_lossy()
    );
    let repair_mode = spec
        .file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with(REPAIR));
    if repair_mode {
        return repaired(&text, &shown);
    }
    // A panic would abort every later case; it is caught and reported as this case's failure.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        generate(&text, &shown, &Settings::default())
    }));
    match outcome {
        Err(payload) => Err(panicked(payload.as_ref())),
        Ok(Ok(files)) => Err(format!(
            "the spec was accepted and generated {} file(s); a corpus spec must be refused",
            files.len()
        )),
        Ok(Err(diagnostics)) if diagnostics.0.is_empty() => {
            Err("the spec was refused with no diagnostic".to_owned())
        }
        Ok(Err(diagnostics)) => Ok(format!("{diagnostics}\n")),
    }
}

/// What repair mode prints for one spec: its repairs, then the remaining diagnostics or the
/// methods of the client it wrote.
fn repaired(text: &str, shown: &str) -> Result<String, String> {
    let foreign = panic::catch_unwind(AssertUnwindSafe(|| generate_foreign(text, shown)))
        .map_err(|payload| panicked(payload.as_ref()))?;
    let mut out: String = foreign
        .repairs
        .iter()
        .map(|repair| format!("{repair}\n"))
        .collect();
    match foreign.outcome {
        Err(diagnostics) => out.push_str(&format!("{diagnostics}\n")),
        Ok(files) => {
            let client = files
                .iter()
                .find(|file| file.name == "lib.rs")
                .ok_or("repair mode wrote no lib.rs")?;
            // The operations' methods: those of the `impl Client` blocks, one level in.
            let mut methods: Vec<&str> = Vec::new();
            let mut in_client = false;
            for line in client.contents.lines() {
                match line {
                    "impl Client {" => in_client = true,
                    "}" => in_client = false,
                    _ if in_client => methods.extend(
                        line.strip_prefix("    pub fn ")
                            .and_then(|rest| rest.split(['(', '<']).next()),
                    ),
                    _ => {}
                }
            }
            out.push_str(&format!("methods: {}\n{GENERATED}\n", methods.join(", ")));
        }
    }
    Ok(out)
}

fn panicked(payload: &(dyn std::any::Any + Send)) -> String {
    format!(
        "the generator panicked: {}",
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    )
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header("expected (golden)", "actual (generator)")
        .to_string()
}

#[test]
fn every_bad_spec_gives_its_golden_diagnostics() {
    let update = std::env::var_os("UPDATE_GOLDENS").is_some_and(|v| v == "1");
    let cases = cases();
    assert!(
        cases.len() >= 15,
        "the corpus has only {} cases",
        cases.len()
    );

    let mut failures = Vec::new();
    for (name, case) in &cases {
        let spec = match case.specs.as_slice() {
            [spec] => spec,
            [] => {
                failures.push(format!("{name}: a golden without a spec"));
                continue;
            }
            _ => {
                failures.push(format!("{name}: two specs share the name; rename one"));
                continue;
            }
        };
        let actual = match diagnose(spec) {
            Ok(actual) => actual,
            Err(problem) => {
                failures.push(format!("{name}: {problem}"));
                continue;
            }
        };
        let golden = Path::new(CORPUS).join(format!("{name}.{GOLDEN}"));
        if update {
            if case.golden.is_none() || fs::read_to_string(&golden).ok().as_ref() != Some(&actual) {
                fs::write(&golden, &actual).expect("the golden is writable");
                eprintln!("updated {}", golden.display());
            }
            continue;
        }
        match fs::read_to_string(&golden) {
            Err(_) if case.golden.is_none() => failures.push(format!(
                "{name}: a spec without a golden; run with UPDATE_GOLDENS=1 and review it"
            )),
            Err(error) => failures.push(format!("{name}: cannot read the golden: {error}")),
            Ok(expected) if expected != actual => failures.push(format!(
                "{name}: diagnostics differ\n{}",
                diff(&expected, &actual)
            )),
            Ok(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus case(s) failed (UPDATE_GOLDENS=1 rewrites goldens after review):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The goldens are only worth reviewing if each names its place, rule and fix.
#[test]
fn every_golden_names_file_rule_and_fix() {
    for (name, case) in cases() {
        let Some(golden) = case.golden else { continue };
        let text = fs::read_to_string(&golden).unwrap();
        let problems: Vec<&str> = text.lines().filter(|l| l.starts_with("error[")).collect();
        if name.starts_with(REPAIR) && text.ends_with(&format!("{GENERATED}\n")) {
            assert!(problems.is_empty(), "{name}: a client and problems");
            continue;
        }
        assert!(!problems.is_empty(), "{name}: no `error[rule]` line");
        assert_eq!(
            problems.len(),
            text.lines().filter(|l| l.starts_with("  help: ")).count(),
            "{name}: every problem has a help line"
        );
        for line in problems {
            assert!(
                line.contains(&format!("]: {SHOWN_DIR}/{name}.")),
                "{name}: {line}"
            );
        }
        assert!(text.ends_with("nothing was generated\n"), "{name}");
    }
}
