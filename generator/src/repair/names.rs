//! Names repair mode makes up from what the spec says: an operation's from its method and
//! path, a schema's from the words of a name that is not an identifier.

/// The PascalCase name an operation gets from its method and path:
/// `GET /v1/mgmt/user/{id}` becomes `GetV1MgmtUserId`.
pub fn name_from_method_and_path(method: &str, path: &str) -> String {
    let mut name = capitalize(&method.to_ascii_lowercase());
    for word in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        name.push_str(&capitalize(word));
    }
    name
}

pub(super) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
