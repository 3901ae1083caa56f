//! What an unknown key most likely meant, for the checks that report one: a known name at most
//! two edits away, or the tail of a YAML value cut short at an unquoted comma.

use serde_json::Value;

/// The message and help for a key that is the tail of a value cut at a comma: in a YAML flow
/// mapping (`{type: string, description: a, b}`) an unquoted comma ends the value, and the
/// rest becomes a key without a value. `place` is said after the key (" at /pointer" or "").
pub(super) fn cut_value_tail(key: &str, value: &Value, place: &str) -> Option<(String, String)> {
    if !value.is_null() || !key.contains(' ') {
        return None;
    }
    Some((
        format!(
            "`{key}`{place} is the tail of a value cut short at an unquoted comma in a \
             `{{...}}` mapping; it became a key and the value lost it"
        ),
        "quote the value that holds the comma, as in `description: 'first part, second part'`"
            .to_owned(),
    ))
}

/// The known name a misspelled key most likely meant: same letters in another case, or at most
/// two edits away.
pub(super) fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|name| (edit_distance(&lower, &name.to_lowercase()), *name))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance, for suggestions only.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}
