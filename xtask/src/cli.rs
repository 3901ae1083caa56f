//! The `cargo xtask` command line, declared with clap's derive API: one subcommand per job,
//! each with only the flags it reads, so a flag given to the wrong command is refused (exit
//! status 2, with clap's "did you mean" tip) instead of ignored.

use std::path::PathBuf;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::codegen;

/// Maintainer commands of the Descope Rust SDK: regenerate and check the client, compare the
/// spec with Descope's published one, report API changes, time rebuilds.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate the client from the spec and write the changed files (also the coverage map
    /// and the emulator's copy of the spec)
    Generate {
        #[command(flatten)]
        spec: Spec,
        #[command(flatten)]
        out: Out,
        /// Repair mode, for a spec this project does not curate, such as Descope's published one
        ///
        /// Repairs what can be repaired mechanically (missing or duplicate operationIds renamed
        /// from method and path, missing responses given an empty 200, schema names that are
        /// not identifiers) and prints one line per repair; keeps only the rules that guard
        /// progenitor (structure, references, operation ids, parameters, request and response
        /// shapes) and drops curated-slice policy (examples, documentation, error responses,
        /// Retry-After, open schemas, bearer formats); writes progenitor's plain client as
        /// DIR/lib.rs, without this project's runtime (use --out CRATE/src and a Cargo.toml
        /// depending on progenitor-client, reqwest, serde and serde_json; see .ci/upstream).
        #[arg(long)]
        repair: bool,
    },
    /// Regenerate in memory and fail with a diff when the checked-in files differ (and when the
    /// client's manifest lacks a feature for an API group)
    Check {
        #[command(flatten)]
        spec: Spec,
        #[command(flatten)]
        out: Out,
    },
    /// List the spec's API groups (its tags), one a line with its description: each is a cargo
    /// feature of the client crate
    Groups {
        #[command(flatten)]
        spec: Spec,
    },
    /// Compare the spec with Descope's published spec on the OTP, magic-link and session paths
    ///
    /// Exit status 1 unless every difference is explained in
    /// openapi/upstream-differences.yaml (and every explanation matches a difference).
    Upstream {
        /// Descope's published spec (such as ../shared/upstream/Descope_API.yaml)
        #[arg(value_name = "PATH")]
        published: PathBuf,
        #[command(flatten)]
        spec: Spec,
    },
    /// Report API changes of the spec since a git revision, as Markdown
    ///
    /// Exit status 1 when any change breaks users of the generated crate (or when the
    /// comparison cannot be made; the message says which).
    Diff {
        /// The revision to compare with [default: merge base with main, else HEAD]
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        #[command(flatten)]
        spec: Spec,
    },
    /// Check that `diff` and cargo-semver-checks agree on every fixture pair in xtask/tests/diff
    ///
    /// Generates each fixture spec into a crate (relaxed policy, a stand-in runtime), has rustdoc
    /// describe it, and asks cargo-semver-checks whether `base.yaml` → `<fixture>.yaml` needs a major
    /// version. Prints a table of both verdicts; exit status 1 on any disagreement. Changes that
    /// break only at run time are invisible to cargo-semver-checks, which must call them
    /// compatible.
    SemverFixtures {
        /// The cargo-semver-checks binary (`cargo install cargo-semver-checks --locked`)
        #[arg(long, value_name = "PATH", default_value = "cargo-semver-checks")]
        semver_checks: PathBuf,
    },
    /// Repair mode against real-world specs: each must give a client that compiles whenever
    /// plain progenitor's does
    ///
    /// The corpus is the OpenAPI documents the openapiv3 crate ships as fixtures (fetched with
    /// the workspace's dependencies). Each document goes through plain progenitor and repair
    /// mode; every client that comes out is compiled (`cargo check`, which may fetch chrono and
    /// uuid for `date-time` and `uuid` formats). Prints the table; exit status 1 when repair mode
    /// accepts a document whose client does not compile, or refuses one plain progenitor handles.
    Corpus {
        /// Read the documents (`*.json`, `*.yaml`) of DIR instead, such as progenitor's
        /// `sample_openapi/`
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Seeded mutations of the curated spec: each must end in a documented diagnostic or a
    /// client that compiles
    ///
    /// Mutates openapi/descope-auth.yaml COUNT times (every kind in turn: a key deleted, a value
    /// of another type, a duplicated key, a new operation of any method, a parameter in any
    /// location, another media type, bytes that are not UTF-8, a YAML alias bomb, a very long
    /// string), generates each in the curated pipeline and in repair mode, and compiles every
    /// client that comes out. Exit status 1 on a panic, a hang, an internal diagnostic or a client
    /// that does not compile.
    Mutate {
        /// The seed; the same seed gives the same mutants
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many mutants
        #[arg(long, value_name = "N", default_value_t = 36, value_parser = positive)]
        count: usize,
    },
    /// Time dev rebuilds of the generated code and count its lines; prints the table of
    /// BENCHMARKS.md
    ///
    /// Builds the curated client, progenitor's plain client of the same spec, and the client of
    /// Descope's published spec at PATH.
    CompileTime {
        /// Descope's published spec [default: $DESCOPE_UPSTREAM_SPEC, else
        /// ../shared/upstream/Descope_API.yaml]
        #[arg(value_name = "PATH")]
        published: Option<PathBuf>,
        /// Rebuilds per crate
        #[arg(long, value_name = "N", default_value_t = 5, value_parser = positive)]
        runs: usize,
    },
}

/// `--spec PATH`, for the commands that read the spec.
#[derive(Debug, Args)]
pub struct Spec {
    /// Spec to read [default: openapi/descope-auth.yaml]
    #[arg(long = "spec", value_name = "PATH")]
    pub path: Option<PathBuf>,
}

/// `--out DIR`, for the commands that write or compare generated files.
#[derive(Debug, Args)]
pub struct Out {
    /// Directory of the generated files [default: generated-client/src/generated]
    #[arg(long = "out", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl Cli {
    /// Reads the command line; exits with clap's message (status 2) when it is refused, and
    /// with the help or the version (status 0) when asked.
    pub fn read() -> Cli {
        let cli = Cli::try_parse().unwrap_or_else(|error| name_the_owner(error).exit());
        if let Err(message) = cli.check(&codegen::workspace_root()) {
            let mut command = Cli::command();
            command.build();
            let generate = command
                .find_subcommand_mut("generate")
                .expect("generate is a subcommand");
            generate.error(ErrorKind::ArgumentConflict, message).exit();
        }
        cli
    }

    /// What clap cannot say by itself: `--repair` must not overwrite the curated client.
    fn check(&self, root: &std::path::Path) -> Result<(), String> {
        match &self.command {
            Command::Generate { out, repair, .. } if *repair => {
                let curated = codegen::Options::defaults(root.to_path_buf()).out;
                if out.dir.as_ref().is_none_or(|dir| *dir == curated) {
                    return Err(
                        "--repair writes a plain progenitor client; give it its own \
                                --out DIR, not the curated client's directory"
                            .to_owned(),
                    );
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

impl Spec {
    /// The spec to read: `--spec`, else the curated one.
    pub fn or_default(&self, root: &std::path::Path) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| codegen::Options::defaults(root.to_path_buf()).spec)
    }
}

/// The options of `generate` and `check`: the defaults, with `--spec` and `--out` applied.
pub fn codegen_options(root: PathBuf, spec: &Spec, out: &Out) -> codegen::Options {
    let mut options = codegen::Options::defaults(root);
    if let Some(path) = &spec.path {
        options.spec = path.clone();
    }
    if let Some(dir) = &out.dir {
        options.out = dir.clone();
    }
    options
}

/// clap suggests the flags of the command given; a flag that belongs to other commands (such
/// as `check --runs`) gets a tip naming them.
fn name_the_owner(mut error: clap::Error) -> clap::Error {
    if error.kind() != ErrorKind::UnknownArgument || error.get(ContextKind::SuggestedArg).is_some()
    {
        return error;
    }
    let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) else {
        return error;
    };
    let Some(long) = arg.strip_prefix("--").and_then(|arg| arg.split('=').next()) else {
        return error;
    };
    let command = Cli::command();
    let owners: Vec<&str> = command
        .get_subcommands()
        .filter(|owner| owner.get_arguments().any(|a| a.get_long() == Some(long)))
        .map(|owner| owner.get_name())
        .collect();
    if owners.is_empty() {
        return error;
    }
    let tip = format!(
        "'--{long}' is a flag of 'cargo xtask {}'",
        owners.join("', 'cargo xtask ")
    );
    let mut tips = match error.get(ContextKind::Suggested) {
        Some(ContextValue::StyledStrs(tips)) => tips.clone(),
        _ => Vec::new(),
    };
    tips.push(StyledStr::from(tip));
    error.insert(ContextKind::Suggested, ContextValue::StyledStrs(tips));
    error
}

fn positive(text: &str) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|runs| *runs > 0)
        .ok_or_else(|| "takes a positive number".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("cargo xtask").chain(args.iter().copied()))
    }

    fn refusal(args: &[&str]) -> (ErrorKind, String) {
        let error = parse(args).expect_err("refused");
        (error.kind(), error.to_string())
    }

    #[test]
    fn the_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_takes_its_own_flags() {
        let accepted: [&[&str]; 9] = [
            &["generate", "--spec", "a.yaml", "--out", "dir"],
            &["generate", "--repair", "--spec", "a.yaml", "--out", "dir"],
            &["check", "--spec", "a.yaml", "--out", "dir"],
            &["upstream", "Descope_API.yaml"],
            &["upstream", "Descope_API.yaml", "--spec", "a.yaml"],
            &["diff"],
            &["diff", "--base", "main", "--spec", "a.yaml"],
            &["compile-time"],
            &["compile-time", "Descope_API.yaml", "--runs", "3"],
        ];
        for args in accepted {
            let cli = parse(args).unwrap_or_else(|error| panic!("{args:?}: {error}"));
            assert!(cli.check(std::path::Path::new("/repo")).is_ok(), "{args:?}");
        }
        let Command::CompileTime { runs, published } = parse(&["compile-time"]).unwrap().command
        else {
            panic!("compile-time");
        };
        assert_eq!((runs, published), (5, None));
    }

    #[test]
    fn a_flag_of_another_command_or_an_unknown_one_is_refused_with_a_tip() {
        let (kind, text) = refusal(&["check", "--runs", "3"]);
        assert_eq!(kind, ErrorKind::UnknownArgument, "{text}");
        assert!(text.contains("unexpected argument '--runs'"), "{text}");
        let text = name_the_owner(parse(&["check", "--runs", "3"]).unwrap_err()).to_string();
        assert!(
            text.contains("tip: '--runs' is a flag of 'cargo xtask compile-time'"),
            "{text}"
        );
        let text = name_the_owner(parse(&["compile-time", "--spec=a"]).unwrap_err()).to_string();
        assert!(
            text.contains("'--spec' is a flag of 'cargo xtask generate', 'cargo xtask check'"),
            "{text}"
        );
        let (kind, text) = refusal(&["generate", "--sepc", "a.yaml"]);
        assert_eq!(kind, ErrorKind::UnknownArgument, "{text}");
        assert!(
            text.contains("a similar argument exists: '--spec'"),
            "{text}"
        );
        let (_, text) = refusal(&["chek"]);
        assert!(
            text.contains("a similar subcommand exists: 'check'"),
            "{text}"
        );
        for args in [
            &["diff", "--out", "dir"][..],
            &["compile-time", "--base", "main"],
            &["check", "--repair"],
            &["upstream"],
            &["compile-time", "--runs", "0"],
            &["compile-time", "--runs", "many"],
        ] {
            assert_eq!(parse(args).unwrap_err().exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn repair_needs_its_own_output_directory() {
        let root = std::path::Path::new("/repo");
        for args in [
            &["generate", "--repair"][..],
            &[
                "generate",
                "--repair",
                "--out",
                "/repo/generated-client/src/generated",
            ],
        ] {
            let error = parse(args).unwrap().check(root).unwrap_err();
            assert!(error.contains("its own --out DIR"), "{error}");
        }
    }

    #[test]
    fn help_describes_every_command_and_flag() {
        let help = Cli::command().render_long_help().to_string();
        for command in ["generate", "check", "upstream", "diff", "compile-time"] {
            assert!(help.contains(command), "{help}");
        }
        let mut command = Cli::command();
        let generate = command.find_subcommand_mut("generate").unwrap();
        let help = generate.render_long_help().to_string();
        for text in ["--spec <PATH>", "--out <DIR>", "--repair", "DIR/lib.rs"] {
            assert!(help.contains(text), "{text}: {help}");
        }
    }
}
