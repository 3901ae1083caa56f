//! The spec's API groups (its tags), which are the client crate's cargo features: `cargo xtask
//! groups` lists them (CI builds each alone), and `check` fails when the client's manifest does
//! not declare a feature for one.

use std::path::Path;

use anyhow::Context;

/// The client crate's manifest, relative to the repository root.
const CLIENT_MANIFEST: &str = "generated-client/Cargo.toml";

/// Every group of the spec at `spec_path` with its description, in the spec's order.
pub fn list(spec_path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let spec = descope_generator::load(&text, &spec_path.to_string_lossy())?;
    Ok(spec
        .typed
        .tags
        .iter()
        .map(|tag| {
            (
                tag.name.clone(),
                tag.description.clone().unwrap_or_default(),
            )
        })
        .collect())
}

/// The groups the client's manifest declares no feature for.
pub fn undeclared(root: &Path, groups: &[(String, String)]) -> anyhow::Result<Vec<String>> {
    let manifest = root.join(CLIENT_MANIFEST);
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let declared = declared_features(&text);
    Ok(groups
        .iter()
        .filter(|(name, _)| !declared.contains(&name.as_str()))
        .map(|(name, _)| name.clone())
        .collect())
}

/// The names declared in a manifest's `[features]` table (`name = [...]` lines).
fn declared_features(manifest: &str) -> Vec<&str> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[features]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_read_from_the_features_table_only() {
        let manifest = "[package]\nname = \"x\"\n[features]\n# a comment = no\ndefault = [\"otp\"]\n\
                        otp = []\nmagic-link = [\n  \"a\",\n]\n[dependencies]\nserde = \"1\"\n";
        assert_eq!(
            declared_features(manifest),
            ["default", "otp", "magic-link"]
        );
    }

    /// The checked-in manifest declares every group of the curated spec.
    #[test]
    fn the_client_declares_a_feature_for_every_group() {
        let root = crate::codegen::workspace_root();
        let groups = list(&root.join("openapi/descope-auth.yaml")).unwrap();
        assert!(!groups.is_empty());
        assert_eq!(undeclared(&root, &groups).unwrap(), Vec::<String>::new());
    }
}
