//! The mutations `cargo xtask mutate` makes: what each kind changes in the curated spec, the
//! seeded choice of where, and the JSON-pointer helpers they share.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::surface::METHODS;

const LOCATIONS: [&str; 4] = ["path", "query", "header", "cookie"];
const MEDIA_TYPES: [&str; 6] = [
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "multipart/form-data",
    "text/plain",
    "application/xml",
    "application/vnd.api+json",
];

/// The kinds of change, taken in turn so that any sample of at least ten covers them all.
#[derive(Clone, Copy, Debug)]
pub(super) enum Mutation {
    DeleteKey,
    SwapType,
    DuplicateKey,
    NewOperation,
    NewParameter,
    MediaType,
    InvalidBytes,
    AliasBomb,
    LargeAlias,
    LongString,
}

pub(super) const MUTATIONS: [Mutation; 10] = [
    Mutation::DeleteKey,
    Mutation::SwapType,
    Mutation::DuplicateKey,
    Mutation::NewOperation,
    Mutation::NewParameter,
    Mutation::MediaType,
    Mutation::InvalidBytes,
    Mutation::AliasBomb,
    Mutation::LargeAlias,
    Mutation::LongString,
];

/// SplitMix64: a small, well-mixed generator, enough to pick places and values reproducibly.
pub(super) struct Seeded(pub(super) u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One mutant: what was changed, and the bytes of the changed spec.
pub(super) struct Mutant {
    pub(super) what: String,
    pub(super) bytes: Vec<u8>,
}

/// Every JSON pointer in `tree` (the root excluded), in document order.
fn pointers(tree: &Value) -> Vec<String> {
    fn walk(value: &Value, at: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                    found.push(here.clone());
                    walk(child, &here, found);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let here = format!("{at}/{index}");
                    found.push(here.clone());
                    walk(child, &here, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(tree, "", &mut found);
    found
}

/// The parent's pointer and the last token of `pointer`.
fn split(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

/// The pointers of every operation: `/paths/<path>/<method>`.
fn operations(tree: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for (path, item) in tree["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if item.get(method).is_some() {
                found.push(format!(
                    "/paths/{}/{method}",
                    path.replace('~', "~0").replace('/', "~1")
                ));
            }
        }
    }
    found
}

fn as_json(tree: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(tree).unwrap_or_default()
}

pub(super) fn mutate(kind: Mutation, text: &str, tree: &Value, random: &mut Seeded) -> Mutant {
    let mut tree = tree.clone();
    match kind {
        Mutation::DeleteKey => {
            let all = pointers(&tree);
            let pointer = random.pick(&all).clone();
            let (parent, key) = split(&pointer);
            match tree.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = key.parse::<usize>() {
                        items.remove(index);
                    }
                }
                _ => {}
            }
            Mutant {
                what: format!("delete `{pointer}`"),
                bytes: as_json(&tree),
            }
        }
        Mutation::SwapType => {
            let all = pointers(&tree);
            let pointer = random.pick(&all).clone();
            let replacement = random
                .pick(&[
                    json!("mutant"),
                    json!(7),
                    json!(-1.5),
                    json!(true),
                    Value::Null,
                    json!([]),
                    json!({}),
                    json!([{"$ref": "#/components/schemas/Nowhere"}]),
                ])
                .clone();
            let shown = replacement.to_string();
            if let Some(value) = tree.pointer_mut(&pointer) {
                *value = replacement;
            }
            Mutant {
                what: format!("`{pointer}` becomes `{shown}`"),
                bytes: as_json(&tree),
            }
        }
        Mutation::DuplicateKey => {
            let lines: Vec<&str> = text.lines().collect();
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|index| {
                    let line = lines[*index].trim_start();
                    !line.starts_with('#') && !line.starts_with('-') && line.contains(": ")
                })
                .collect();
            let at = *random.pick(&keyed);
            let mut changed: Vec<&str> = lines.clone();
            changed.insert(at + 1, lines[at]);
            Mutant {
                what: format!("line {} repeated (a duplicated key)", at + 1),
                bytes: (changed.join("\n") + "\n").into_bytes(),
            }
        }
        Mutation::NewOperation => {
            let method = *random.pick(&METHODS);
            let source = random.pick(&operations(&tree)).clone();
            let mut operation = tree.pointer(&source).cloned().unwrap_or(Value::Null);
            let id = format!("Mutant{}", random.below(1000));
            operation["operationId"] = json!(id);
            let body = if random.below(2) == 0 {
                if let Some(map) = operation.as_object_mut() {
                    map.remove("requestBody");
                }
                "without a body"
            } else {
                "with the source's body"
            };
            tree["paths"]["/v1/mutant"] = json!({ method: operation });
            Mutant {
                what: format!(
                    "new {} operation {id}, {body}, from `{source}`",
                    method.to_uppercase()
                ),
                bytes: as_json(&tree),
            }
        }
        Mutation::NewParameter => {
            let location = *random.pick(&LOCATIONS);
            let target = random.pick(&operations(&tree)).clone();
            let required = location == "path" || random.below(2) == 0;
            let parameter = json!({
                "name": "mutantParam", "in": location, "required": required,
                "description": "A mutant.", "schema": {"type": "string"}, "example": "x"
            });
            let mut renamed = None;
            if let Some(operation) = tree.pointer_mut(&target) {
                match operation["parameters"].as_array_mut() {
                    Some(parameters) => parameters.push(parameter),
                    None => operation["parameters"] = json!([parameter]),
                }
            }
            // A path parameter needs its `{name}` in the path: move the operation there, most of
            // the time (else the mutant is an undeclared-template case).
            if location == "path" && random.below(4) != 0 {
                let (item, method) = split(&target);
                let (_, path) = split(item);
                let new_path = format!("{path}/{{mutantParam}}");
                if let Some(operation) = tree
                    .pointer_mut(item)
                    .and_then(Value::as_object_mut)
                    .and_then(|item| item.remove(&method))
                {
                    // A path item left without operations is refused on its own; drop it, so
                    // the mutant tests the parameter.
                    if tree["paths"][&path]
                        .as_object()
                        .is_some_and(|item| !item.keys().any(|key| METHODS.contains(&key.as_str())))
                        && let Some(paths) = tree["paths"].as_object_mut()
                    {
                        paths.remove(&path);
                    }
                    tree["paths"][&new_path] = json!({ method: operation });
                    renamed = Some(new_path);
                }
            }
            Mutant {
                what: format!(
                    "{} {location} parameter on `{target}`{}",
                    if required { "required" } else { "optional" },
                    renamed
                        .map(|path| format!(", moved to {path}"))
                        .unwrap_or_default()
                ),
                bytes: as_json(&tree),
            }
        }
        Mutation::MediaType => {
            // Request bodies half the time: responses far outnumber them.
            let request = random.below(2) == 0;
            let all: Vec<String> = pointers(&tree)
                .into_iter()
                .filter(|pointer| pointer.ends_with("/content/application~1json"))
                .filter(|pointer| !request || pointer.contains("/requestBody/"))
                .collect();
            let pointer = random.pick(&all).clone();
            let media = *random.pick(&MEDIA_TYPES);
            let (parent, _) = split(&pointer);
            if let Some(Value::Object(content)) = tree.pointer_mut(parent)
                && let Some(value) = content.remove("application/json")
            {
                content.insert(media.to_owned(), value);
            }
            Mutant {
                what: format!("`{pointer}` offered as {media}"),
                bytes: as_json(&tree),
            }
        }
        Mutation::InvalidBytes => {
            let mut bytes = text.as_bytes().to_vec();
            let at = random.below(bytes.len());
            let byte = *random.pick(&[0xFF_u8, 0xC0, 0x80, 0xFE]);
            bytes.insert(at, byte);
            Mutant {
                what: format!("byte 0x{byte:02X} inserted at offset {at}"),
                bytes,
            }
        }
        Mutation::AliasBomb => {
            // Nine levels of nine aliases each: 387 million nodes if expanded.
            let mut bomb =
                String::from("x-bomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for level in 1..9 {
                let previous = level - 1;
                let refs = vec![format!("*l{previous}"); 9].join(", ");
                let _ = writeln!(bomb, "  l{level}: &l{level} [{refs}]");
            }
            let place = if random.below(2) == 0 {
                "top level"
            } else {
                "info"
            };
            let bytes = if place == "top level" {
                format!("{text}{bomb}")
            } else {
                text.replacen(
                    "info:\n",
                    &format!("info:\n  {}", bomb.replace("\n  ", "\n    ")),
                    1,
                )
            };
            Mutant {
                what: format!("YAML alias bomb at the {place}"),
                bytes: bytes.into_bytes(),
            }
        }
        Mutation::LargeAlias => {
            // Few aliases, so under the YAML reader's repetition limit, but 2 GB if expanded.
            let copies = vec!["*text"; 20_000].join(", ");
            let extension = format!(
                "x-text: &text {}\nx-copies: [{copies}]\n",
                "mutant".repeat(100_000 / 6)
            );
            Mutant {
                what: "one 100 kB string aliased 20,000 times (2 GB if expanded)".to_owned(),
                bytes: format!("{text}{extension}").into_bytes(),
            }
        }
        Mutation::LongString => {
            let all: Vec<String> = pointers(&tree)
                .into_iter()
                .filter(|pointer| tree.pointer(pointer).is_some_and(Value::is_string))
                .collect();
            let pointer = random.pick(&all).clone();
            let length = *random.pick(&[10_000_usize, 1_000_000]);
            let long: String = "mutant".chars().cycle().take(length).collect();
            if let Some(value) = tree.pointer_mut(&pointer) {
                *value = json!(long);
            }
            Mutant {
                what: format!("`{pointer}` becomes a string of {length} characters"),
                bytes: as_json(&tree),
            }
        }
    }
}
