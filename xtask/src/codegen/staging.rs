//! The files `replace_all` keeps beside the targets while it works: each new file staged,
//! complete and synced, and each old one kept as a backup until the whole set has landed; their
//! names, and their cleanup (after an interrupted run, or after a failure).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Suffixes of the files `replace_all` keeps beside the targets while it works: the new
/// contents, staged, and the old ones, kept until the whole set has landed.
pub(super) const STAGED: &str = ".xtask-new";
pub(super) const BACKUP: &str = ".xtask-old";

/// Writes `contents` to `path` and syncs it, with the permissions of `like` when it exists.
pub(super) fn write_synced(path: &Path, contents: &str, like: &Path) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(contents.as_bytes())?;
    if let Ok(metadata) = fs::metadata(like) {
        file.set_permissions(metadata.permissions())?;
    }
    file.sync_all()
}

/// Gives `target`'s current file a second name, the backup, so that it survives its
/// replacement. Copies when the filesystem has no hard links.
pub(super) fn link_backup(target: &Path) -> io::Result<PathBuf> {
    let backup = sibling(target, BACKUP);
    match fs::hard_link(target, &backup) {
        Ok(()) => Ok(backup),
        Err(_) => fs::copy(target, &backup).map(|_| backup),
    }
}

/// `dir/.name<suffix>`: hidden, beside the target, so that a rename never crosses filesystems.
pub(super) fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}{suffix}"))
}

/// Removes staged and backup files an interrupted run left in `out`.
pub(super) fn remove_leftovers(out: &Path) -> anyhow::Result<()> {
    for entry in fs::read_dir(out).with_context(|| format!("cannot list {}", out.display()))? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.starts_with('.') && (n.ends_with(STAGED) || n.ends_with(BACKUP)))
        {
            fs::remove_file(&path)
                .with_context(|| format!("cannot remove the leftover {}", path.display()))?;
        }
    }
    Ok(())
}

/// Removes each file, returning those that could not be removed; one already gone (a staged
/// file renamed over its target) is fine.
pub(super) fn remove_all(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|path| match fs::remove_file(path) {
            Ok(()) => None,
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) => Some(format!("{} ({error})", path.display())),
        })
        .collect()
}
