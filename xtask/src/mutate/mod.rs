//! `cargo xtask mutate`: seeded mutations of the curated spec, each of which must end in a
//! diagnostic or in a client that compiles.
//!
//! Each mutant changes `openapi/descope-auth.yaml` one way, in turn through every kind of
//! [`Mutation`](kinds::Mutation): a key deleted, a value of another type, a duplicated YAML key,
//! a new operation of every HTTP method, a parameter in every location, another media type, bytes
//! that are not UTF-8, a YAML alias bomb, one large string aliased many times, a very long
//! string. The curated pipeline and repair mode both read every mutant, each within a time
//! limit. What holds: a refusal whose every diagnostic is a rule of the documented set other than
//! `internal` (an internal diagnostic is a generator bug), or a client that `cargo check` accepts
//! (the curated one over the stand-in runtime, the repaired one with progenitor's dependencies).
//! A panic, a hang, an internal diagnostic or a client that does not compile fails the run. The
//! same seed gives the same mutants.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use descope_generator::{Diagnostics, GeneratedFile, Rule};

use crate::{corpus, stand_in};

mod kinds;

use kinds::{MUTATIONS, Seeded, mutate};

/// How long one generation may take before it counts as a hang (the whole published spec
/// takes under a second).
const TIME_LIMIT: Duration = Duration::from_secs(60);

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
