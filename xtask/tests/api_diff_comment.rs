//! `.ci/api-diff`, the pull-request workflow's diff step, run as the workflow runs it, against a
//! scratch git repository in the temporary directory: the curated spec committed, then one
//! compatible change and one breaking change in two commits. The comment body carries the
//! workflow's marker, the "breaking changes" headline only when something breaks, and the script
//! exits 0 either way. Every git command here names the scratch repository explicitly, so the
//! real repository's history is never read or written; nothing touches the network.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const MARKER: &str = "<!-- descope-api-diff -->";
const HEADLINE: &str = "## ⚠️ breaking changes";
const SPEC: &str = "openapi/descope-auth.yaml";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// A git repository of its own under the temporary directory, removed when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir =
            std::env::temp_dir().join(format!("descope-api-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(dir.join("openapi")).unwrap();
        let scratch = Scratch { dir };
        scratch.git(&["init", "--quiet", "--initial-branch=main"]);
        scratch
    }

    /// The environment every process started here gets: this repository and no other, and no
    /// user or system git configuration (hooks, signing).
    fn isolate<'a>(&self, command: &'a mut Command) -> &'a mut Command {
        command
            .current_dir(&self.dir)
            .env("GIT_DIR", self.dir.join(".git"))
            .env("GIT_WORK_TREE", &self.dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
    }

    fn git(&self, args: &[&str]) -> String {
        let output = self
            .isolate(&mut Command::new("git"))
            .args([
                "-c",
                "user.name=api-diff test",
                "-c",
                "user.email=test@example.com",
            ])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }

    /// Writes the spec into the working tree and commits it; returns the commit.
    fn commit(&self, spec: &str, message: &str) -> String {
        std::fs::write(self.dir.join(SPEC), spec).unwrap();
        self.git(&["add", SPEC]);
        self.git(&["commit", "--quiet", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// `.ci/api-diff BASE` in this repository, with the xtask this test was built with.
    fn api_diff(&self, base: &str) -> (Option<i32>, String) {
        let script = workspace().join(".ci/api-diff");
        let Output {
            status,
            stdout,
            stderr,
        } = self
            .isolate(&mut Command::new("bash"))
            .arg(script)
            .arg(base)
            .env("XTASK", env!("CARGO_BIN_EXE_xtask"))
            .output()
            .expect("bash runs");
        let body = String::from_utf8(stdout).unwrap();
        eprintln!("{}", String::from_utf8_lossy(&stderr));
        (status.code(), body)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn yaml(spec: &Value) -> String {
    serde_norway::to_string(spec).unwrap()
}

/// A copy of the first path item under a new path, its operation ids renamed: an operation
/// added, which is compatible.
fn add_an_operation(spec: &mut Value) {
    let paths = spec["paths"].as_object_mut().unwrap();
    let (_, first) = paths.iter().next().unwrap();
    let mut copy = first.clone();
    for operation in copy.as_object_mut().unwrap().values_mut() {
        if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
            operation["operationId"] = Value::from(format!("{id}AddedForTest"));
        }
    }
    paths.insert("/v1/auth/added-for-test".to_owned(), copy);
}

/// The last path item of the original spec removed: its operations are gone, which breaks.
fn remove_an_operation(spec: &mut Value) -> String {
    let paths = spec["paths"].as_object_mut().unwrap();
    let last = paths
        .keys()
        .rfind(|path| *path != "/v1/auth/added-for-test")
        .unwrap()
        .clone();
    paths.remove(&last);
    last
}

/// An operation that accepts either of two credentials (a sign-in, which takes the project id
/// alone or with a refresh JWT) made to accept only the second.
fn narrow_an_operation_s_security(spec: &mut Value) {
    let security = spec["paths"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .flat_map(|item| item.as_object_mut().unwrap().values_mut())
        .filter_map(|operation| operation.get_mut("security")?.as_array_mut())
        .find(|security| security.len() == 2)
        .expect("the curated spec has an operation with two credentials");
    security.remove(0);
}

#[test]
fn the_comment_body_marks_breaking_changes_and_the_step_never_fails_on_them() {
    let curated = std::fs::read_to_string(workspace().join(SPEC)).unwrap();
    let mut spec: Value = serde_norway::from_str(&curated).unwrap();
    let scratch = Scratch::new();
    let original = scratch.commit(&curated, "the curated spec");

    add_an_operation(&mut spec);
    let compatible = scratch.commit(&yaml(&spec), "a compatible change");
    let (status, body) = scratch.api_diff(&original);
    assert_eq!(status, Some(0), "{body}");
    assert_eq!(body.lines().next(), Some(MARKER), "{body}");
    assert!(!body.contains(HEADLINE), "{body}");
    assert!(body.contains("| compatible |"), "{body}");
    assert!(!body.contains("| **breaking** |"), "{body}");

    let removed = remove_an_operation(&mut spec);
    let broken = scratch.commit(&yaml(&spec), "a breaking change");
    let (status, body) = scratch.api_diff(&compatible);
    assert_eq!(
        status,
        Some(0),
        "a breaking change does not fail the step: {body}"
    );
    assert_eq!(body.lines().next(), Some(MARKER), "{body}");
    assert!(body.contains(HEADLINE), "{body}");
    assert!(body.contains("| **breaking** |"), "{body}");
    assert!(body.contains(&removed), "{removed}: {body}");
    assert!(
        !body.contains("| compatible |"),
        "only the breaking commit: {body}"
    );

    // A break that compiles (a call that took the project id alone now needs more) is headlined
    // all the same, though API checkers cannot see it.
    narrow_an_operation_s_security(&mut spec);
    scratch.commit(&yaml(&spec), "a break at run time");
    let (status, body) = scratch.api_diff(&broken);
    assert_eq!(status, Some(0), "{body}");
    assert!(body.contains(HEADLINE), "{body}");
    assert!(body.contains("| **breaking** at run time |"), "{body}");

    // From the first commit, both changes show, under the headline.
    let (status, body) = scratch.api_diff(&original);
    assert_eq!(status, Some(0), "{body}");
    assert!(
        body.contains(HEADLINE) && body.contains("| compatible |"),
        "{body}"
    );

    // No report at all (a revision the repository does not have) does fail the step.
    let (status, body) = scratch.api_diff("0000000000000000000000000000000000000000");
    assert_ne!(status, Some(0), "{body}");
    assert!(body.is_empty(), "{body}");
}
