//! Generation time of `descope_generator` against plain progenitor in the same run.
//!
//! Run with `cargo bench -p descope-generator --bench generation [-- OPTIONS]`; it prints
//! Markdown tables for `BENCHMARKS.md`. Each case times the generator and its baseline
//! (`descope_generator::baseline`: parse, `generate_tokens`, prettyplease, same settings) in
//! alternating order, one call each per round, so that load on a small shared machine hits both
//! sides alike; the figures are medians over the rounds.
//!
//! Options: `--upstream PATH` (Descope's published spec; default `$DESCOPE_UPSTREAM_SPEC`, else
//! `../shared/upstream/Descope_API.yaml` beside the workspace; skipped when absent),
//! `--sizes 50,100,…` (synthetic spec sizes), `--seconds S` (time budget per case, default 20),
//! `--min-rounds N` (default 7).

mod synthetic;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use descope_generator::{Settings, baseline, generate, generate_foreign, repair};

const CURATED: &str = include_str!("../../openapi/descope-auth.yaml");
const CURATED_FILE: &str = "openapi/descope-auth.yaml";

struct Options {
    upstream: PathBuf,
    sizes: Vec<usize>,
    budget: Duration,
    min_rounds: usize,
}

/// The medians of one case, and the spread of the per-round ratios.
struct Timing {
    ours: Duration,
    baseline: Duration,
    ratio_median: f64,
    ratio_quartiles: (f64, f64),
    rounds: usize,
}

impl Timing {
    fn ratio_of_medians(&self) -> f64 {
        self.ours.as_secs_f64() / self.baseline.as_secs_f64()
    }
}

fn main() {
    let options = options();
    let settings = Settings::default();
    println!("load average at start: {}", load_average());

    // Same-run ratios on the two real specs.
    let mut rows = Vec::new();
    let ours_files =
        generate(CURATED, CURATED_FILE, &settings).expect("the curated spec generates");
    baseline::curated(CURATED, &settings).expect("plain progenitor takes the curated spec");
    let timing = measure(
        &options,
        || {
            drop(black_box(generate(
                black_box(CURATED),
                CURATED_FILE,
                &settings,
            )))
        },
        || drop(black_box(baseline::curated(black_box(CURATED), &settings))),
    );
    let operations = descope_generator::check(
        &descope_generator::load(CURATED, CURATED_FILE).expect("the curated spec loads"),
    )
    .expect("the curated spec passes the rules")
    .operations
    .len();
    rows.push(("curated (`openapi/descope-auth.yaml`)", operations, timing));
    let mut lines = vec![(
        "curated, descope-client's `src/generated/`",
        ours_files
            .iter()
            .map(|f| f.contents.lines().count())
            .sum::<usize>(),
    )];

    match std::fs::read_to_string(&options.upstream) {
        Ok(upstream) => {
            let file = options.upstream.display().to_string();
            let foreign = generate_foreign(&upstream, &file);
            let files = foreign
                .outcome
                .unwrap_or_else(|d| panic!("the published spec does not generate:\n{d}"));
            // progenitor alone cannot take the published spec (duplicate operation ids, names
            // with dots); its baseline reads the repaired spec, written back as YAML like the
            // original, so both sides parse the same language.
            let raw: serde_json::Value = serde_norway::from_str(&upstream).expect("YAML");
            let (repaired, _) = repair(raw);
            let repaired = serde_norway::to_string(&repaired).expect("a tree serializes");
            baseline::foreign(&repaired).expect("plain progenitor takes the repaired spec");
            let operations = count_operations(&repaired);
            let timing = measure(
                &options,
                || drop(black_box(generate_foreign(black_box(&upstream), &file))),
                || drop(black_box(baseline::foreign(black_box(&repaired)))),
            );
            rows.push(("Descope's published spec, repair mode", operations, timing));
            lines.push((
                "published spec, repair mode's `lib.rs`",
                files[0].contents.lines().count(),
            ));
        }
        Err(error) => println!(
            "published spec skipped: cannot read {}: {error}",
            options.upstream.display()
        ),
    }

    println!(
        "\n| spec | operations | descope-generator, median | plain progenitor, median | ratio of medians | per-round ratio, median [quartiles] | rounds |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (name, operations, t) in &rows {
        println!(
            "| {name} | {operations} | {} | {} | **{:.3}** | {:.3} [{:.3}, {:.3}] | {} |",
            millis(t.ours),
            millis(t.baseline),
            t.ratio_of_medians(),
            t.ratio_median,
            t.ratio_quartiles.0,
            t.ratio_quartiles.1,
            t.rounds
        );
    }

    println!("\n| generated by descope-generator | lines |");
    println!("| --- | --- |");
    for (name, count) in &lines {
        println!("| {name} | {count} |");
    }

    // Growth with size.
    println!(
        "\n| operations | descope-generator, median | per operation | plain progenitor, median | per operation | ratio of medians | rounds |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for &size in &options.sizes {
        let spec = synthetic::spec(size);
        // Both sides must succeed, or the timing would compare a refusal with a generation.
        if let Err(d) = generate(&spec, "synthetic.json", &settings) {
            panic!("the synthetic spec of {size} operations:\n{d}");
        }
        baseline::curated(&spec, &settings).expect("plain progenitor takes the synthetic spec");
        let t = measure(
            &options,
            || {
                drop(black_box(generate(
                    black_box(&spec),
                    "synthetic.json",
                    &settings,
                )))
            },
            || drop(black_box(baseline::curated(black_box(&spec), &settings))),
        );
        println!(
            "| {size} | {} | {} | {} | {} | {:.3} | {} |",
            millis(t.ours),
            micros(t.ours / size as u32),
            millis(t.baseline),
            micros(t.baseline / size as u32),
            t.ratio_of_medians(),
            t.rounds
        );
    }
    println!("\nload average at end: {}", load_average());
}

/// Times `ours` and `baseline` once per round, alternating which goes first, until the budget is
/// spent and at least the minimum number of rounds has run.
fn measure(options: &Options, ours: impl Fn(), baseline: impl Fn()) -> Timing {
    // One untimed call each: first-touch allocation and lazy statics are not generation.
    ours();
    baseline();
    let started = Instant::now();
    let (mut ours_times, mut baseline_times) = (Vec::new(), Vec::new());
    while ours_times.len() < options.min_rounds || started.elapsed() < options.budget {
        let time = |work: &dyn Fn()| {
            let start = Instant::now();
            work();
            start.elapsed()
        };
        if ours_times.len() % 2 == 0 {
            ours_times.push(time(&ours));
            baseline_times.push(time(&baseline));
        } else {
            baseline_times.push(time(&baseline));
            ours_times.push(time(&ours));
        }
    }
    let mut ratios: Vec<f64> = ours_times
        .iter()
        .zip(&baseline_times)
        .map(|(o, b)| o.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let rounds = ours_times.len();
    Timing {
        ours: median(&mut ours_times),
        baseline: median(&mut baseline_times),
        ratio_median: ratios[rounds / 2],
        ratio_quartiles: (ratios[rounds / 4], ratios[rounds * 3 / 4]),
        rounds,
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

fn micros(duration: Duration) -> String {
    format!("{:.0} µs", duration.as_secs_f64() * 1e6)
}

fn count_operations(spec_yaml: &str) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let tree: serde_json::Value = serde_norway::from_str(spec_yaml).expect("YAML");
    tree["paths"]
        .as_object()
        .map(|paths| {
            paths
                .values()
                .filter_map(|item| item.as_object())
                .map(|item| {
                    item.keys()
                        .filter(|k| METHODS.contains(&k.as_str()))
                        .count()
                })
                .sum()
        })
        .unwrap_or(0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn options() -> Options {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut options = Options {
        upstream: std::env::var_os("DESCOPE_UPSTREAM_SPEC")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace.join("../shared/upstream/Descope_API.yaml")),
        sizes: vec![50, 100, 200, 400, 800],
        budget: Duration::from_secs(20),
        min_rounds: 7,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match arg.as_str() {
            "--upstream" => options.upstream = PathBuf::from(value("--upstream")),
            "--sizes" => {
                options.sizes = value("--sizes")
                    .split(',')
                    .map(|n| {
                        n.trim()
                            .parse()
                            .expect("--sizes takes numbers, as in 50,100")
                    })
                    .collect()
            }
            "--seconds" => {
                let seconds: f64 = value("--seconds")
                    .parse()
                    .expect("--seconds takes a number");
                options.budget = Duration::from_secs_f64(seconds);
            }
            "--min-rounds" => {
                options.min_rounds = value("--min-rounds")
                    .parse::<usize>()
                    .expect("--min-rounds takes a number")
                    .max(1)
            }
            // `cargo bench` passes `--bench`; filters and other harness flags do not apply.
            _ => {}
        }
    }
    options
}
