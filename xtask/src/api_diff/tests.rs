//! Golden reports over fixture pairs in `xtask/tests/diff/`: `base.yaml` is shared, each
//! `<case>.yaml` changes it one way, and `<case>.md` is the expected report.
//! `UPDATE_GOLDENS=1` rewrites the reports.

use std::path::Path;

use super::*;

fn surface(path: &Path) -> Surface {
    let text = std::fs::read_to_string(path).unwrap();
    let spec = descope_generator::load(&text, "fixture").unwrap();
    Surface::of(&spec.raw)
}

#[test]
fn every_fixture_pair_gives_its_golden_report() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let base = surface(&dir.join("base.yaml"));
    let update = std::env::var_os("UPDATE_GOLDENS").is_some();
    let mut cases = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .filter(|path| path.file_stem().is_some_and(|s| s != "base"))
        .collect();
    entries.sort();
    for head_path in entries {
        cases += 1;
        let name = head_path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let changes = compare(&base, &surface(&head_path));
        let report = markdown(&changes, "base.yaml", &format!("{name}.yaml"));
        let golden = head_path.with_extension("md");
        if update {
            std::fs::write(&golden, &report).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == report => {}
            Ok(expected) => failures.push(format!(
                "{name}: report differs\n--- expected\n{expected}\n--- actual\n{report}"
            )),
            Err(_) => failures.push(format!("{name}: no golden {}", golden.display())),
        }
    }
    assert!(cases >= 12, "only {cases} fixture pairs");
    assert!(
        failures.is_empty(),
        "{}\n(rerun with UPDATE_GOLDENS=1 to accept)",
        failures.join("\n\n")
    );
}

#[test]
fn the_next_version_follows_cargo_s_semver_rules() {
    let change = |impact| Change {
        impact,
        operation: "X".into(),
        what: "y".into(),
    };
    let breaking = [change(Impact::Breaking), change(Impact::Compatible)];
    let compatible = [change(Impact::Compatible)];
    for (current, after_breaking, after_compatible) in [
        ("0.1.0", "0.2.0", "0.1.1"),
        ("0.9.3", "0.10.0", "0.9.4"),
        ("1.4.2", "2.0.0", "1.5.0"),
        ("1.0.0-rc.1", "2.0.0", "1.1.0"),
    ] {
        assert_eq!(next_version(current, &breaking).unwrap(), after_breaking);
        assert_eq!(
            next_version(current, &compatible).unwrap(),
            after_compatible
        );
        assert_eq!(next_version(current, &[]).unwrap(), current);
    }
    assert_eq!(next_version("one", &compatible), None);
}

#[test]
fn an_unchanged_spec_has_no_changes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let base = surface(&dir.join("base.yaml"));
    assert!(compare(&base, &base).is_empty());
    let curated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/descope-auth.yaml");
    let operations = descope_generator::check(
        &descope_generator::load(&std::fs::read_to_string(&curated).unwrap(), "spec").unwrap(),
    )
    .unwrap()
    .operations
    .len();
    let curated = surface(&curated);
    assert_eq!(curated.operations.len(), operations);
    assert!(compare(&curated, &curated).is_empty());
}
