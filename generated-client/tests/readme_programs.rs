//! The README's programs are the files in `examples/`, character for character: cargo compiles
//! the examples (and CI runs them against the emulator), so the README cannot show code that
//! does not build or no longer works.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The bodies of the fenced blocks tagged `rust` (with any attributes after it).
fn rust_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) if info.split(',').next() == Some("rust") => {
                current = Some(String::new())
            }
            (Some(_), Some("")) => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "the README ends inside a rust block");
    blocks
}

/// Every `examples/*.rs`, by file name.
fn examples(dir: &Path) -> BTreeMap<String, String> {
    fs::read_dir(dir)
        .expect("examples/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                fs::read_to_string(&path).expect("an example is UTF-8"),
            )
        })
        .collect()
}

#[test]
fn every_readme_program_is_an_example_and_every_example_is_in_the_readme() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md is readable");
    let blocks = rust_blocks(&readme);
    let examples = examples(&root.join("examples"));
    assert!(!blocks.is_empty(), "the README has no rust block");

    for (index, block) in blocks.iter().enumerate() {
        assert!(
            examples.values().any(|example| example == block),
            "rust block {} of the README (starting {:?}) is not a file in examples/: \
             copy the example's text into the README, or the block into an example",
            index + 1,
            block.lines().next().unwrap_or_default(),
        );
        assert!(
            !block
                .lines()
                .any(|line| line.trim_start().starts_with("# ")),
            "rust block {} hides lines from rustdoc: a reader pasting it would miss them",
            index + 1,
        );
    }
    for (name, example) in &examples {
        assert!(
            blocks.contains(example),
            "examples/{name} is not shown in the README"
        );
    }
}

#[test]
fn blocks_are_found_with_their_attributes_and_only_rust_ones() {
    let markdown =
        "text\n```rust,no_run\nfn a() {}\n```\n```sh\nls\n```\n```rust\nfn b() {}\n```\n";
    assert_eq!(rust_blocks(markdown), ["fn a() {}\n", "fn b() {}\n"]);
}
