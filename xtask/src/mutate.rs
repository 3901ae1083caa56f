//! `cargo xtask mutate`: seeded mutations of the curated spec, each of which must end in a
//! diagnostic or in a client that compiles.
//!
//! Each mutant changes `openapi/descope-auth.yaml` one way, in turn through every kind of
//! [`Mutation`]: a key deleted, a value of another type, a duplicated YAML key, a new operation of
//! every HTTP method, a parameter in every location, another media type, bytes that are not UTF-8,
//! a YAML alias bomb, a very long string. The curated pipeline and repair mode both read every
//! mutant, each within a time limit. What holds: a refusal whose every diagnostic is a rule of the
//! documented set other than `internal` (an internal diagnostic is a generator bug), or a client
//! that `cargo check` accepts (the curated one over the stand-in runtime, the repaired one with
//! progenitor's dependencies). A panic, a hang, an internal diagnostic or a client that does not
//! compile fails the run. The same seed gives the same mutants.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use descope_generator::{Diagnostics, GeneratedFile, Rule};
use serde_json::{Value, json};

use crate::{corpus, stand_in};

/// How long one generation may take before it counts as a hang (the whole published spec
/// takes under a second).
const TIME_LIMIT: Duration = Duration::from_secs(60);

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const LOCATIONS: [&str; 4] = ["path", "query", "header", "cookie"];
const MEDIA_TYPES: [&str; 6] = [
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "multipart/form-data",
    "text/plain",
    "application/xml",
    "application/vnd.api+json",
];

/// The kinds of change, taken in turn so that any sample of at least nine covers them all.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    DeleteKey,
    SwapType,
    DuplicateKey,
    NewOperation,
    NewParameter,
    MediaType,
    InvalidBytes,
    AliasBomb,
    LongString,
}

const MUTATIONS: [Mutation; 9] = [
    Mutation::DeleteKey,
    Mutation::SwapType,
    Mutation::DuplicateKey,
    Mutation::NewOperation,
    Mutation::NewParameter,
    Mutation::MediaType,
    Mutation::InvalidBytes,
    Mutation::AliasBomb,
    Mutation::LongString,
];

/// SplitMix64: a small, well-mixed generator, enough to pick places and values reproducibly.
struct Seeded(u64);

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
struct Mutant {
    what: String,
    bytes: Vec<u8>,
}

/// What one pipeline made of one mutant.
enum Outcome {
    Refused(BTreeSet<&'static str>),
    Compiled,
    Failed(String),
}

/// Runs `count` mutants from `seed`; returns the report and whether every outcome held.
pub fn run(root: &Path, seed: u64, count: usize, work: &Path) -> anyhow::Result<(String, bool)> {
    let text = std::fs::read_to_string(root.join("openapi/descope-auth.yaml"))
        .context("cannot read the curated spec")?;
    let tree = descope_generator::load(&text, "openapi/descope-auth.yaml")?.raw;
    let curated_crate = work.join("curated");
    stand_in::create(root, &curated_crate)?;
    let target = work.join("target");
    let mut random = Seeded(seed);
    let mut compiled = BTreeSet::new();
    let mut out = format!(
        "{count} mutants of openapi/descope-auth.yaml, seed {seed}\n\n\
         | # | mutation | curated pipeline | repair mode |\n| ---: | --- | --- | --- |\n"
    );
    let mut held = true;
    let (mut refusals, mut clients) = (0, 0);
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for index in 0..count {
        let kind = MUTATIONS[index % MUTATIONS.len()];
        let mutant = mutate(kind, &text, &tree, &mut random);
        eprintln!("mutate: {index} {}", mutant.what);
        let mut cells = Vec::new();
        for foreign in [false, true] {
            let outcome = judge(
                &mutant.bytes,
                foreign,
                &curated_crate,
                work,
                &target,
                &mut compiled,
            )?;
            let cell = match &outcome {
                Outcome::Refused(rules) => {
                    refusals += 1;
                    format!(
                        "refused ({})",
                        rules.iter().copied().collect::<Vec<_>>().join(", ")
                    )
                }
                Outcome::Compiled => {
                    clients += 1;
                    "compiles".to_owned()
                }
                Outcome::Failed(why) => {
                    held = false;
                    format!("**{}**", why.replace('|', "\\|").replace('\n', " "))
                }
            };
            cells.push(cell);
        }
        let _ = writeln!(
            out,
            "| {index} | {} | {} | {} |",
            mutant.what.replace('|', "\\|"),
            cells[0],
            cells[1]
        );
    }
    std::panic::set_hook(quiet);
    let _ = writeln!(
        out,
        "\n{refusals} refusals with documented diagnostics, {clients} clients that compile \
         ({} distinct compiled); every outcome held: {}",
        compiled.len(),
        if held { "yes" } else { "no" }
    );
    Ok((out, held))
}

/// Generates the mutant (curated pipeline, or repair mode when `foreign`) and judges it.
fn judge(
    bytes: &[u8],
    foreign: bool,
    curated_crate: &Path,
    work: &Path,
    target: &Path,
    compiled: &mut BTreeSet<u64>,
) -> anyhow::Result<Outcome> {
    let bytes = bytes.to_vec();
    let (sender, receiver) = mpsc::channel();
    // A thread per generation, so a hang shows as a timeout (the thread is left behind, and
    // the run fails).
    std::thread::spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(|| generate(&bytes, foreign)));
        let _ = sender.send(result);
    });
    let generated = match receiver.recv_timeout(TIME_LIMIT) {
        Err(_) => return Ok(Outcome::Failed(format!("no answer in {TIME_LIMIT:?}"))),
        Ok(Err(_)) => return Ok(Outcome::Failed("the generator panicked".to_owned())),
        Ok(Ok(generated)) => generated,
    };
    let files = match generated {
        Err(diagnostics) => {
            let rules: BTreeSet<&'static str> = diagnostics.0.iter().map(|d| d.rule.id()).collect();
            if let Some(internal) = diagnostics.0.iter().find(|d| d.rule == Rule::Internal) {
                return Ok(Outcome::Failed(format!("internal: {}", internal.message)));
            }
            return Ok(Outcome::Refused(rules));
        }
        Ok(files) => files,
    };
    // Mutants often generate the same client; each distinct one is compiled once.
    let fingerprint = fingerprint(&files, foreign);
    if compiled.contains(&fingerprint) {
        return Ok(Outcome::Compiled);
    }
    let result = if foreign {
        let dir = work.join("repaired");
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(dir.join("Cargo.toml"), corpus::MANIFEST)?;
        std::fs::write(dir.join("src/lib.rs"), &files[0].contents)?;
        stand_in::cargo_check(&dir.join("Cargo.toml"), target, false)?
    } else {
        stand_in::check(curated_crate, target, &files)?
    };
    match result {
        Ok(()) => {
            compiled.insert(fingerprint);
            Ok(Outcome::Compiled)
        }
        Err(errors) => Ok(Outcome::Failed(format!("does not compile: {errors}"))),
    }
}

fn generate(bytes: &[u8], foreign: bool) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let text = descope_generator::decode(bytes, "mutant.yaml")?;
    if foreign {
        descope_generator::generate_foreign(&text, "mutant.yaml").outcome
    } else {
        descope_generator::generate(&text, "mutant.yaml", &Default::default())
    }
}

fn fingerprint(files: &[GeneratedFile], foreign: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    foreign.hash(&mut hasher);
    for file in files {
        file.name.hash(&mut hasher);
        file.contents.hash(&mut hasher);
    }
    hasher.finish()
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

fn mutate(kind: Mutation, text: &str, tree: &Value, random: &mut Seeded) -> Mutant {
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
            let all: Vec<String> = pointers(&tree)
                .into_iter()
                .filter(|pointer| pointer.ends_with("/content/application~1json"))
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
