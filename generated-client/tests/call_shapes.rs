//! The compile-fail examples of `src/call_shapes.rs` fail for the reason they name: each is the
//! `no_run` example before it with exactly one argument left out of one line (or added to it),
//! so nothing else in it can be what does not compile.

/// The fenced blocks of the module's docs, each with its info string.
fn blocks(source: &str) -> Vec<(String, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in source.lines() {
        let Some(text) = line.strip_prefix("//!") else {
            continue;
        };
        let text = text.strip_prefix(' ').unwrap_or(text);
        match (&mut current, text.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.to_owned(), Vec::new())),
            (Some(_), Some("")) => blocks.extend(current.take()),
            (Some((_, lines)), _) => lines.push(text.to_owned()),
            (None, None) => {}
        }
    }
    assert!(current.is_none(), "the docs end inside a block");
    blocks
}

#[test]
fn every_compile_fail_example_is_its_passing_twin_minus_one_argument() {
    let source = include_str!("../src/call_shapes.rs");
    let blocks = blocks(source);
    let mut pairs = 0;
    for (index, (info, failing)) in blocks.iter().enumerate() {
        if info != "compile_fail" {
            continue;
        }
        let (previous_info, passing) = &blocks[index - 1];
        assert_eq!(
            previous_info, "no_run",
            "block {index} follows no passing twin"
        );
        assert_eq!(passing.len(), failing.len(), "block {index}");
        let differing: Vec<(&String, &String)> = passing
            .iter()
            .zip(failing)
            .filter(|(ok, bad)| ok != bad)
            .collect();
        assert_eq!(differing.len(), 1, "block {index} differs in one line");
        // One line is the other with one stretch cut out, and what was cut is an argument: a
        // string literal, with the comma that joined it to the others.
        let (ok, bad) = if differing[0].0.len() > differing[0].1.len() {
            differing[0]
        } else {
            (differing[0].1, differing[0].0)
        };
        let start = ok
            .char_indices()
            .zip(bad.chars())
            .find(|((_, a), b)| a != b)
            .map(|((at, _), _)| at)
            .expect("the lines differ");
        let cut_length = ok.len() - bad.len();
        assert_eq!(
            format!("{}{}", &ok[..start], &ok[start + cut_length..]),
            *bad,
            "block {index}: not a single cut"
        );
        let cut = ok[start..start + cut_length].trim_matches(|c| c == ',' || c == ' ');
        assert!(
            cut.starts_with('"') && cut.ends_with('"') && cut.matches('"').count() == 2,
            "block {index}: the cut {cut:?} is not one argument"
        );
        pairs += 1;
    }
    assert_eq!(
        pairs, 8,
        "the families, the user token and the optional-field case"
    );
}
