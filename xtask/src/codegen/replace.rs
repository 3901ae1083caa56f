//! The one-unit write: the changed files replaced and the stale ones removed in the output
//! directory so that every file is new, or, on any error, every step undone and every file
//! exactly as before.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::drift::{Drift, GENERATED_MARKER};
use super::staging::{
    BACKUP, STAGED, link_backup, remove_all, remove_leftovers, sibling, write_synced,
};

/// One filesystem step of `replace_all`, named so that tests can make any of them fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Writing the staged copy of a file.
    Stage(PathBuf),
    /// Moving a staged file over its target.
    Replace(PathBuf),
    /// Moving a stale file aside.
    Remove(PathBuf),
}

/// A step that has happened, with what undoes it.
enum Done {
    /// `target` now holds the new contents; `backup` holds the old ones (none: it was new).
    Replaced {
        target: PathBuf,
        backup: Option<PathBuf>,
    },
    /// `target` was moved to `backup`.
    Removed { target: PathBuf, backup: PathBuf },
}

/// Writes the changed files and removes the stale ones in `out` as one unit: on success every
/// file is new; on any error every file is exactly as before and no file of ours is left.
///
/// How: all new contents are first written, complete and synced, to staged files beside their
/// targets; a failure there touches no target. Then each target is replaced by renaming its
/// staged file over it, which is atomic per file, after hard-linking the old file to a backup
/// name; a stale file is renamed to its backup name rather than deleted. A hard link, unlike a
/// rename, keeps the target present at every instant, with either complete version. If any
/// step fails, the steps done are undone in reverse by renaming the backups back, and staged
/// files are removed; only when all steps succeeded are the backups deleted. A directory swap
/// would need an atomic exchange of two paths, which std does not offer; and `out` may hold
/// hand-written files, which a swap would have to copy.
///
/// This covers errors, not a crash in the middle of the renames; a run after such a crash finds
/// the drift and repairs it, first clearing the staged and backup files left behind.
///
/// `fault` runs before each step and may fail it; `generate` passes one that never fails.
pub fn replace_all(
    out: &Path,
    drift: &Drift,
    fault: &mut dyn FnMut(&Step) -> io::Result<()>,
) -> anyhow::Result<()> {
    // Only generated files are ever replaced: a hand-written file of a generated file's name
    // stops the run before anything is written.
    for (file, current) in &drift.changed {
        let target = out.join(file.name);
        let is_file = fs::symlink_metadata(&target).is_ok_and(|m| !m.is_dir());
        anyhow::ensure!(
            current.is_some() || !is_file,
            "{} exists but is not a generated file (it lacks the `{GENERATED_MARKER}` marker); \
             move it away and run again",
            target.display()
        );
    }
    let out_existed = out.is_dir();
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    remove_leftovers(out)?;

    // Stage everything; nothing the user sees has changed yet.
    let mut staged = Vec::new();
    for (file, _) in &drift.changed {
        let target = out.join(file.name);
        let path = sibling(&target, STAGED);
        let written = fault(&Step::Stage(target.clone()))
            .and_then(|()| write_synced(&path, &file.contents, &target));
        if path.exists() {
            staged.push(path.clone());
        }
        if let Err(error) = written {
            let cleanup = remove_all(&staged);
            discard_dir(out, out_existed);
            return Err(anyhow::Error::new(error)
                .context(format!("cannot write {}", path.display()))
                .context(cleanup_note("nothing was changed", &cleanup)));
        }
    }

    // Land everything, undoing it all on the first failure.
    let mut done: Vec<Done> = Vec::new();
    let mut outcome = Ok(());
    for (file, current) in &drift.changed {
        let target = out.join(file.name);
        let step = fault(&Step::Replace(target.clone())).and_then(|()| {
            let backup = match current {
                Some(_) => Some(link_backup(&target)?),
                None => None,
            };
            match fs::rename(sibling(&target, STAGED), &target) {
                Ok(()) => Ok(Done::Replaced {
                    target: target.clone(),
                    backup,
                }),
                Err(error) => {
                    if let Some(backup) = backup {
                        let _ = fs::remove_file(backup);
                    }
                    Err(error)
                }
            }
        });
        match step {
            Ok(step) => done.push(step),
            Err(error) => {
                outcome = Err((error, format!("cannot replace {}", target.display())));
                break;
            }
        }
    }
    if outcome.is_ok() {
        for stale in &drift.stale {
            let backup = sibling(stale, BACKUP);
            let step =
                fault(&Step::Remove(stale.clone())).and_then(|()| fs::rename(stale, &backup));
            match step {
                Ok(()) => done.push(Done::Removed {
                    target: stale.clone(),
                    backup,
                }),
                Err(error) => {
                    outcome = Err((error, format!("cannot remove {}", stale.display())));
                    break;
                }
            }
        }
    }

    match outcome {
        Ok(()) => {
            // Committed: the backups are no longer needed.
            let backups: Vec<PathBuf> = done
                .into_iter()
                .filter_map(|step| match step {
                    Done::Replaced { backup, .. } => backup,
                    Done::Removed { backup, .. } => Some(backup),
                })
                .collect();
            let failed = remove_all(&backups);
            anyhow::ensure!(
                failed.is_empty(),
                "the generated files were replaced, but these backups could not be removed: {}",
                failed.join(", ")
            );
            Ok(())
        }
        Err((error, what)) => {
            let mut not_restored = undo(done);
            not_restored.extend(remove_all(&staged));
            if not_restored.is_empty() {
                discard_dir(out, out_existed);
            }
            Err(anyhow::Error::new(error)
                .context(what)
                .context(cleanup_note("every file was restored", &not_restored)))
        }
    }
}

/// Undoes completed steps in reverse, returning what could not be restored (with where its old
/// contents are), so that the error can say so rather than hide it.
fn undo(done: Vec<Done>) -> Vec<String> {
    let mut failed = Vec::new();
    for step in done.into_iter().rev() {
        let (restored, target, backup) = match step {
            Done::Replaced {
                target,
                backup: Some(backup),
            } => (fs::rename(&backup, &target), target, Some(backup)),
            Done::Replaced {
                target,
                backup: None,
            } => (fs::remove_file(&target), target, None),
            Done::Removed { target, backup } => {
                (fs::rename(&backup, &target), target, Some(backup))
            }
        };
        if let Err(error) = restored {
            failed.push(match backup {
                Some(backup) => format!(
                    "{} ({error}; its old contents are in {})",
                    target.display(),
                    backup.display()
                ),
                None => format!("{} ({error}; it should not exist)", target.display()),
            });
        }
    }
    failed
}

/// Removes `out` again when this run created it and it is empty.
fn discard_dir(out: &Path, existed: bool) {
    if !existed {
        let _ = fs::remove_dir(out);
    }
}

fn cleanup_note(done: &str, left: &[String]) -> String {
    if left.is_empty() {
        format!("generation failed while writing; {done}")
    } else {
        format!(
            "generation failed while writing, and these could not be cleaned up or restored: {}",
            left.join(", ")
        )
    }
}
