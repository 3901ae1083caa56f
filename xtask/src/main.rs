//! Maintainer commands: `cargo xtask generate` regenerates the client, `cargo xtask check` fails
//! when the checked-in client differs from what the spec produces, `cargo xtask diff` reports
//! what a spec change means for users of the client.

mod api_diff;
mod codegen;
mod compile_time;
mod coverage;
mod derived;
mod diff_command;
mod surface;
mod upstream;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  generate    regenerate the client from the spec and write the changed files (also the
              coverage map and the emulator's copy of the spec)
  check       regenerate in memory and fail with a diff when the checked-in files differ
  upstream P  compare the spec with Descope's published spec at path P on the OTP,
              magic-link and session paths; exit status 1 unless every difference is explained
              in openapi/upstream-differences.yaml
  diff        report API changes of the spec since a git revision, as Markdown; exit status 1
              when any change breaks users of the generated crate
  compile-time [P]
              time dev rebuilds of the generated code (curated client, progenitor's plain
              client of the same spec, and of Descope's published spec at path P, default
              $DESCOPE_UPSTREAM_SPEC or ../shared/upstream/Descope_API.yaml) and count its
              lines; prints the table of BENCHMARKS.md

options:
  --spec PATH   spec to read (default: openapi/descope-auth.yaml)
  --out DIR     directory of the generated files (default: generated-client/src/generated)
  --base REV    (diff) the revision to compare with (default: merge base with main, else HEAD)
  --runs N      (compile-time) rebuilds per crate (default: 5)
  --repair      (generate) repair mode, for a spec this project does not curate, such as
                Descope's published one: repairs what can be repaired mechanically (missing or
                duplicate operationIds renamed from method and path, missing responses given an
                empty 200, schema names that are not identifiers) and prints one line per
                repair; keeps only the rules that guard progenitor (structure, references,
                operation ids, parameters, request and response shapes) and drops curated-slice
                policy (examples, documentation, error responses, Retry-After, open schemas,
                bearer formats); writes progenitor's plain client as DIR/lib.rs, without this
                project's runtime (use --out CRATE/src and a Cargo.toml depending on
                progenitor-client, reqwest, serde and serde_json; see .ci/upstream)
";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(error) => {
            // Spec diagnostics carry their own `error[rule]:` prefix.
            match error.downcast_ref::<descope_generator::Diagnostics>() {
                Some(diagnostics) => eprintln!("{diagnostics}"),
                None => eprintln!("error: {error:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// The coverage map describes the repository's own spec, client and tests; generating another
/// spec elsewhere (`--spec`, `--out`) leaves it alone.
fn maintains_derived_files(options: &codegen::Options) -> bool {
    let defaults = codegen::Options::defaults(options.root.clone());
    options.spec == defaults.spec && options.out == defaults.out
}

fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut args = args.into_iter();
    let command = args.next();
    let mut options = codegen::Options::defaults(codegen::workspace_root());
    let mut base = None;
    let mut repair = false;
    let mut runs = 5;
    let mut positional = Vec::new();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .map(PathBuf::from)
                .ok_or_else(|| anyhow::anyhow!("{name} needs a value\n\n{USAGE}"))
        };
        match flag.as_str() {
            "--spec" => options.spec = value("--spec")?,
            "--out" => options.out = value("--out")?,
            "--repair" => repair = true,
            "--runs" => {
                let text = value("--runs")?;
                runs = text
                    .to_str()
                    .and_then(|text| text.parse::<usize>().ok())
                    .filter(|runs| *runs > 0)
                    .ok_or_else(|| {
                        anyhow::anyhow!("--runs takes a positive number, not {}", text.display())
                    })?;
            }
            "--base" => base = Some(value("--base")?.to_string_lossy().into_owned()),
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other if !other.starts_with('-') => positional.push(PathBuf::from(other)),
            other => anyhow::bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    match command.as_deref() {
        Some("generate") if repair => {
            if options.out == codegen::Options::defaults(options.root.clone()).out {
                anyhow::bail!(
                    "--repair writes a plain progenitor client; give it its own --out DIR, not \
                     the curated client's directory\n\n{USAGE}"
                );
            }
            codegen::generate_repaired(&options)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(_) if repair => anyhow::bail!("--repair applies to `generate` only\n\n{USAGE}"),
        Some("generate") => {
            codegen::generate(&options)?;
            if maintains_derived_files(&options) {
                for path in derived::write(&options.root, &options.spec)? {
                    println!("wrote {}", options.root.join(path).display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some("check") => {
            let code = codegen::check(&options)?;
            if maintains_derived_files(&options) {
                let stale = derived::stale(&options.root, &options.spec)?;
                if !stale.is_empty() {
                    eprintln!(
                        "{} stale: the spec or the test tree changed.\n  help: run `cargo xtask generate`",
                        stale.join(" and ") + if stale.len() == 1 { " is" } else { " are" }
                    );
                    return Ok(ExitCode::FAILURE);
                }
            }
            Ok(code)
        }
        Some("upstream") => {
            let [published] = positional.as_slice() else {
                anyhow::bail!("upstream needs the path of Descope's published spec\n\n{USAGE}");
            };
            let explanations = options.root.join("openapi/upstream-differences.yaml");
            let outcome = upstream::run(&options.spec, published, &explanations)?;
            print!("{}", outcome.report);
            Ok(if outcome.clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some("diff") => diff_command::run(&options.root, &options.spec, base.as_deref()),
        Some("compile-time") => {
            let published = positional.first().cloned().or_else(|| {
                let default = std::env::var_os("DESCOPE_UPSTREAM_SPEC")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| options.root.join("../shared/upstream/Descope_API.yaml"));
                Some(default)
            });
            compile_time::run(&options.root, published.as_deref(), runs)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("-h" | "--help") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => anyhow::bail!("unknown command `{other}`\n\n{USAGE}"),
        None => anyhow::bail!("no command given\n\n{USAGE}"),
    }
}
