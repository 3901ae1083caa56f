//! Maintainer commands: `cargo xtask generate` regenerates the client, `cargo xtask check` fails
//! when the checked-in client differs from what the spec produces, `cargo xtask diff` reports
//! what a spec change means for users of the client. The command line is declared in [`cli`];
//! `cargo xtask --help` and `cargo xtask <command> --help` describe every command and flag.

mod api_diff;
mod cli;
mod codegen;
mod compile_time;
mod corpus;
mod coverage;
mod derived;
mod diff_command;
mod groups;
mod mutate;
mod semver_fixtures;
mod signatures;
mod stand_in;
mod surface;
mod upstream;

use std::path::PathBuf;
use std::process::ExitCode;

use cli::{Cli, Command};

fn main() -> ExitCode {
    match run(Cli::read().command) {
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

/// Where cargo builds: `$CARGO_TARGET_DIR`, else the workspace's `target/`; the commands that
/// build scratch crates keep them below it.
fn target_dir(root: &std::path::Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    let root = codegen::workspace_root();
    match command {
        Command::Generate {
            spec,
            out,
            repair: true,
        } => {
            // `Cli::read` has refused the curated client's directory.
            codegen::generate_repaired(&cli::codegen_options(root, &spec, &out))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { spec, out, .. } => {
            let options = cli::codegen_options(root, &spec, &out);
            codegen::generate(&options)?;
            if maintains_derived_files(&options) {
                for path in derived::write(&options.root, &options.spec)? {
                    println!("wrote {}", options.root.join(path).display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Groups { spec } => {
            for (name, description) in groups::list(&spec.or_default(&root))? {
                println!("{name}\t{description}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { spec, out } => {
            let options = cli::codegen_options(root, &spec, &out);
            let code = codegen::check(&options)?;
            if maintains_derived_files(&options) {
                let undeclared = groups::undeclared(&options.root, &groups::list(&options.spec)?)?;
                if !undeclared.is_empty() {
                    eprintln!(
                        "generated-client/Cargo.toml declares no feature for the API group(s) {}.\n  \
                         help: add `<group> = []` to its [features] (and to `default` if a \
                         backend that signs users in needs it)",
                        undeclared.join(", ")
                    );
                    return Ok(ExitCode::FAILURE);
                }
            }
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
        Command::Upstream { published, spec } => {
            let explanations = root.join("openapi/upstream-differences.yaml");
            let outcome = upstream::run(&spec.or_default(&root), &published, &explanations)?;
            print!("{}", outcome.report);
            Ok(if outcome.clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Diff { base, spec } => {
            diff_command::run(&root, &spec.or_default(&root), base.as_deref())
        }
        Command::SemverFixtures { semver_checks } => {
            let target = target_dir(&root);
            let (report, agree) =
                semver_fixtures::run(&root, &semver_checks, &target.join("semver-fixtures"))?;
            print!("{report}");
            if !agree {
                eprintln!("cargo xtask diff and cargo-semver-checks disagree (rows marked **no**)");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Corpus { dir } => {
            let target = target_dir(&root);
            let (report, holds) = corpus::run(&root, dir.as_deref(), &target.join("corpus"))?;
            print!("{report}");
            if !holds {
                eprintln!("repair mode falls short of plain progenitor (rows marked **no**)");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Mutate { seed, count } => {
            let target = target_dir(&root);
            let (report, held) = mutate::run(&root, seed, count, &target.join("mutate"))?;
            print!("{report}");
            if !held {
                eprintln!("a mutant ended in neither a diagnostic nor a compiling client");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::CompileTime { published, runs } => {
            let published = published.unwrap_or_else(|| {
                std::env::var_os("DESCOPE_UPSTREAM_SPEC")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| root.join("../shared/upstream/Descope_API.yaml"))
            });
            compile_time::run(&root, Some(&published), runs)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
