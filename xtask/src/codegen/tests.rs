//! `generate` and `check` against scratch directories: every file written whole, stale generated
//! files removed, a refused spec writing nothing; a hand-written file never replaced; `check`
//! never writing; and the checked-in client matching the spec.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use super::drift::GENERATED_MARKER;
use super::*;

/// A fresh directory under the system's temp dir, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("descope-xtask-{test}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Everything under `dir`, by relative path: a file's bytes, permissions and modification
/// time, or a directory. Equal snapshots mean nothing was written, replaced or left behind.
type Snapshot = BTreeMap<PathBuf, Option<(Vec<u8>, fs::Permissions, SystemTime)>>;

fn snapshot(dir: &Path) -> Snapshot {
    fn walk(root: &Path, dir: &Path, into: &mut Snapshot) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            let metadata = fs::symlink_metadata(&path).unwrap();
            if metadata.is_dir() {
                into.insert(relative, None);
                walk(root, &path, into);
            } else {
                let contents = fs::read(&path).unwrap();
                let modified = metadata.modified().unwrap();
                into.insert(relative, Some((contents, metadata.permissions(), modified)));
            }
        }
    }
    let mut found = Snapshot::new();
    walk(dir, dir, &mut found);
    found
}

fn options(out: &Path) -> Options {
    Options {
        out: out.to_path_buf(),
        ..Options::defaults(workspace_root())
    }
}

/// What the curated spec produces, made once: generation is the slow part of these tests.
fn produced() -> Vec<GeneratedFile> {
    static FILES: std::sync::OnceLock<Vec<GeneratedFile>> = std::sync::OnceLock::new();
    FILES
        .get_or_init(|| produce(&options(Path::new("unused"))).expect("the spec generates"))
        .clone()
}

/// An older generation, as a file on disk would hold it before the spec changed.
fn older(name: &str) -> String {
    format!("// This file is {GENERATED_MARKER} from an older spec: {name}.\n")
}

/// An output directory as an earlier generation left it: `mod.rs` and `client.rs` out of
/// date, `operations.rs` missing, two generated files the spec no longer produces, and
/// hand-written files that must never be touched.
fn populated(scratch: &Scratch) -> PathBuf {
    let out = scratch.0.join("generated");
    fs::create_dir_all(&out).unwrap();
    for name in ["mod.rs", "client.rs", "retired.rs", "also_retired.rs"] {
        fs::write(out.join(name), older(name)).unwrap();
    }
    fs::write(out.join("hand_written.rs"), "//! Not generated.\n").unwrap();
    fs::write(out.join("notes.txt"), "kept\n").unwrap();
    out
}

fn temporary_files(out: &Path) -> Vec<String> {
    fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn generate_writes_every_file_and_removes_only_stale_generated_ones() {
    let scratch = Scratch::new("writes");
    let out = populated(&scratch);
    generate(&options(&out)).unwrap();

    for file in produced() {
        assert_eq!(
            fs::read_to_string(out.join(file.name)).unwrap(),
            file.contents
        );
    }
    assert!(!out.join("retired.rs").exists() && !out.join("also_retired.rs").exists());
    assert_eq!(
        fs::read_to_string(out.join("hand_written.rs")).unwrap(),
        "//! Not generated.\n"
    );
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "kept\n");
    assert_eq!(temporary_files(&out), Vec::<String>::new());
    assert!(drift(produced(), &out).unwrap().is_empty());
}

#[test]
fn generate_into_a_missing_directory_creates_it() {
    let scratch = Scratch::new("creates");
    let out = scratch.0.join("a/b/generated");
    generate(&options(&out)).unwrap();
    assert!(drift(produced(), &out).unwrap().is_empty());
}

#[test]
fn a_bad_spec_changes_nothing() {
    let scratch = Scratch::new("bad-spec");
    let out = populated(&scratch);
    let spec = scratch.0.join("bad.yaml");
    fs::write(&spec, "openapi: 3.0.3\ninfo: [unclosed\n").unwrap();
    let before = snapshot(&scratch.0);

    let error = generate(&Options {
        spec,
        ..options(&out)
    })
    .unwrap_err();
    assert!(
        error
            .downcast_ref::<descope_generator::Diagnostics>()
            .is_some(),
        "{error:#}"
    );
    assert_eq!(
        snapshot(&scratch.0),
        before,
        "a refused spec must write nothing"
    );
}

#[test]
fn a_target_that_cannot_be_replaced_is_named_and_leaves_no_temporary_file() {
    let scratch = Scratch::new("dir-target");
    let out = populated(&scratch);
    // A generated file's name taken by a directory: its rename fails.
    fs::create_dir_all(out.join("operations.rs/inside")).unwrap();
    fs::write(out.join("operations.rs/inside/file"), "x").unwrap();

    let error = generate(&options(&out)).unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("operations.rs"), "{message}");
    assert_eq!(temporary_files(&out), Vec::<String>::new());
    assert_eq!(
        fs::read_to_string(out.join("operations.rs/inside/file")).unwrap(),
        "x"
    );
}

#[test]
fn a_hand_written_file_is_never_replaced() {
    let scratch = Scratch::new("hand-written");
    let out = populated(&scratch);
    fs::write(out.join("operations.rs"), "//! Mine.\n").unwrap();
    let before = snapshot(&scratch.0);

    let error = generate(&options(&out)).unwrap_err();
    assert!(
        format!("{error:#}").contains("is not a generated file"),
        "{error:#}"
    );
    assert_eq!(snapshot(&scratch.0), before);
}

#[test]
fn check_never_writes() {
    let scratch = Scratch::new("check");
    let out = populated(&scratch);
    let before = snapshot(&scratch.0);
    assert_eq!(check(&options(&out)).unwrap(), ExitCode::FAILURE);
    assert_eq!(snapshot(&scratch.0), before);

    // Nor does it create a missing output directory.
    let missing = scratch.0.join("missing");
    assert_eq!(check(&options(&missing)).unwrap(), ExitCode::FAILURE);
    assert!(!missing.exists());
}

/// `cargo test --workspace` fails on a stale client, as `cargo xtask check` does.
#[test]
fn checked_in_client_matches_the_spec() {
    let options = Options::defaults(workspace_root());
    let drift = drift(
        produce(&options).expect("the curated spec generates"),
        &options.out,
    )
    .unwrap();
    assert!(drift.is_empty(), "{}", report(&drift, &options));
}
