//! Files derived from the spec (and the test tree) that live outside the generated client: the
//! coverage map; the emulator's copy of the operation table (byte for byte the client's) and its
//! request schemas, inside its package so that `cargo install --path emulator` needs nothing
//! outside it; and the shape tests' dispatch table. `generate` writes them, `check` fails when
//! one is stale, and a test does the same.

use std::path::Path;

use anyhow::Context;

use crate::coverage;

/// Where the emulator's copy of the operation table lives, relative to the repository root.
pub const EMULATOR_OPERATIONS: &str = "emulator/src/generated/operations.rs";
/// Where the emulator's request schemas live.
pub const EMULATOR_REQUESTS: &str = "emulator/src/generated/requests.json";
/// Where the shape tests' dispatch table lives.
pub const SHAPE_DISPATCH: &str = "tests/shapes/operations.rs";

/// One derived file: its repository-relative path and what it must hold.
struct Derived {
    path: &'static str,
    contents: String,
}

fn all(root: &Path, spec_path: &Path) -> anyhow::Result<Vec<Derived>> {
    let spec = std::fs::read_to_string(spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let beside = descope_generator::generate_beside_the_client(&spec, SPEC_NAME)?;
    Ok(vec![
        Derived {
            path: coverage::MAP,
            contents: coverage::expected(root, spec_path)?,
        },
        Derived {
            path: EMULATOR_OPERATIONS,
            contents: beside.operation_table,
        },
        Derived {
            path: EMULATOR_REQUESTS,
            contents: beside.request_schemas,
        },
        Derived {
            path: SHAPE_DISPATCH,
            contents: beside.shape_dispatch,
        },
    ])
}

/// How the derived files' headers name the spec (they are derived from the default spec only).
const SPEC_NAME: &str = "openapi/descope-auth.yaml";

/// Brings every derived file up to date; returns the paths it wrote. Each is written through a
/// rename, so a failed write leaves the old file whole.
pub fn write(root: &Path, spec_path: &Path) -> anyhow::Result<Vec<&'static str>> {
    let mut written = Vec::new();
    for derived in all(root, spec_path)? {
        let target = root.join(derived.path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(derived.contents.as_str()) {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        crate::codegen::write_whole(&target, &derived.contents)?;
        written.push(derived.path);
    }
    Ok(written)
}

/// The derived files that are not current; never writes.
pub fn stale(root: &Path, spec_path: &Path) -> anyhow::Result<Vec<&'static str>> {
    Ok(all(root, spec_path)?
        .into_iter()
        .filter(|derived| {
            std::fs::read_to_string(root.join(derived.path))
                .ok()
                .as_deref()
                != Some(derived.contents.as_str())
        })
        .map(|derived| derived.path)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checked_in_derived_files_are_current() {
        let options = crate::codegen::Options::defaults(crate::codegen::workspace_root());
        let stale = stale(&options.root, &options.spec).unwrap();
        assert!(
            stale.is_empty(),
            "{stale:?} are stale: run `cargo xtask generate`"
        );
    }

    /// Review diffs collapse generated files only if `.gitattributes` marks them; a file
    /// `generate` starts writing must be marked too.
    #[test]
    fn every_file_generate_writes_is_marked_generated_for_review() {
        let options = crate::codegen::Options::defaults(crate::codegen::workspace_root());
        let client = options
            .out
            .strip_prefix(&options.root)
            .unwrap()
            .join("client.rs");
        let mut paths: Vec<String> = all(&options.root, &options.spec)
            .unwrap()
            .into_iter()
            .map(|derived| derived.path.to_owned())
            .collect();
        paths.push(client.to_string_lossy().into_owned());
        let output = std::process::Command::new("git")
            .args(["check-attr", "linguist-generated", "--"])
            .args(&paths)
            .current_dir(&options.root)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git check-attr failed: {output:?}");
        let answers = String::from_utf8(output.stdout).unwrap();
        for path in &paths {
            assert!(
                answers.contains(&format!("{path}: linguist-generated: true")),
                "{path} is not marked `linguist-generated=true` in .gitattributes:\n{answers}"
            );
        }
    }

    #[test]
    fn the_emulator_s_table_is_the_client_s() {
        let options = crate::codegen::Options::defaults(crate::codegen::workspace_root());
        let client = std::fs::read_to_string(options.out.join("operations.rs")).unwrap();
        let emulator = std::fs::read_to_string(options.root.join(EMULATOR_OPERATIONS)).unwrap();
        assert_eq!(client, emulator, "run `cargo xtask generate`");
    }
}
