//! `cargo xtask upstream PATH`: compares the curated spec with Descope's published OpenAPI file
//! on the OTP, magic-link and session paths, and checks that every difference is explained in
//! `openapi/upstream-differences.yaml`. The report is clean only when each difference matches an
//! explanation and each explanation still matches a difference.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use crate::surface::{Body, OperationSurface, Surface};

/// The paths of the slice the curated spec covers: the OTP and magic-link families by prefix...
const SLICE_PREFIXES: [&str; 2] = ["/v1/auth/otp/", "/v1/auth/magiclink/"];
/// ...and the session calls one by one (their neighbours, such as `/v1/auth/me/...` siblings or
/// the management API, are not curated).
const SLICE_PATHS: [&str; 10] = [
    "/v1/auth/refresh",
    "/v1/auth/try-refresh",
    "/v1/auth/logout",
    "/v1/auth/logoutall",
    "/v1/auth/me",
    "/v1/auth/me/history",
    "/v1/auth/me/tenants",
    "/v1/auth/tenant/select",
    "/v1/auth/validate",
    "/v2/keys/{projectId}",
];

fn in_slice(path: &str) -> bool {
    SLICE_PREFIXES.iter().any(|prefix| path.starts_with(prefix)) || SLICE_PATHS.contains(&path)
}

/// One explained difference: `matches` is a pattern where `*` stands for any text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    pub matches: String,
    pub reason: String,
}

pub struct Outcome {
    pub report: String,
    pub clean: bool,
}

pub fn run(curated: &Path, upstream: &Path, explanations: &Path) -> anyhow::Result<Outcome> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let curated_spec = descope_generator::load(&read(curated)?, &curated.display().to_string())?;
    // Descope's file does not pass a strict OpenAPI model (an operation without `responses`);
    // the comparison needs only its tree.
    let upstream_raw: serde_json::Value = serde_norway::from_str(&read(upstream)?)
        .with_context(|| format!("{} is not YAML", upstream.display()))?;
    let explanations: Vec<Explanation> = serde_norway::from_str(&read(explanations)?)
        .with_context(|| {
            format!(
                "{} is not a list of {{matches, reason}}",
                explanations.display()
            )
        })?;
    let differences = differences(&Surface::of(&curated_spec.raw), &Surface::of(&upstream_raw));
    Ok(report(&differences, &explanations))
}

/// Every difference on the slice, as one line each.
pub fn differences(curated: &Surface, upstream: &Surface) -> BTreeSet<String> {
    let by_route = |surface: &Surface| -> BTreeMap<String, (String, OperationSurface)> {
        surface
            .operations
            .iter()
            .filter(|(_, op)| in_slice(&op.path))
            .map(|(id, op)| {
                (
                    format!("{} {}", op.method, op.path),
                    (id.clone(), op.clone()),
                )
            })
            .collect()
    };
    let (ours, theirs) = (by_route(curated), by_route(upstream));
    let mut found = BTreeSet::new();
    for route in ours.keys().filter(|r| !theirs.contains_key(*r)) {
        found.insert(format!("operation {route}: only in curated"));
    }
    for route in theirs.keys().filter(|r| !ours.contains_key(*r)) {
        found.insert(format!("operation {route}: only in upstream"));
    }
    for (route, (our_id, our_op)) in &ours {
        let Some((their_id, their_op)) = theirs.get(route) else {
            continue;
        };
        if our_id != their_id {
            found.insert(format!(
                "operation {route}: id {our_id}, upstream {their_id}"
            ));
        }
        compare_body(
            route,
            "request",
            &our_op.request,
            &their_op.request,
            &mut found,
        );
        compare_body(
            route,
            "response",
            &our_op.response,
            &their_op.response,
            &mut found,
        );
        compare_parameters(route, our_op, their_op, &mut found);
        let formats = |op: &OperationSurface| -> BTreeSet<String> {
            op.bearer_formats
                .iter()
                .map(|f| normalize_bearer(f))
                .collect()
        };
        let (our_formats, their_formats) = (formats(our_op), formats(their_op));
        if our_formats != their_formats {
            found.insert(format!(
                "operation {route}: bearer {}, upstream {}",
                list(&our_formats),
                list(&their_formats)
            ));
        }
        let only_ours: BTreeSet<_> = our_op
            .error_statuses
            .difference(&their_op.error_statuses)
            .cloned()
            .collect();
        if !only_ours.is_empty() {
            found.insert(format!(
                "operation {route}: error statuses only in curated: {}",
                list(&only_ours)
            ));
        }
    }
    found
}

fn compare_parameters(
    route: &str,
    ours: &OperationSurface,
    theirs: &OperationSurface,
    found: &mut BTreeSet<String>,
) {
    for (key, parameter) in &ours.parameters {
        match theirs.parameters.get(key) {
            None => {
                found.insert(format!("{route} parameter {key}: only in curated"));
            }
            Some(their) => {
                if parameter.ty != their.ty {
                    found.insert(format!(
                        "{route} parameter {key}: type {}, upstream {}",
                        parameter.ty, their.ty
                    ));
                }
                if parameter.required != their.required {
                    let side = if parameter.required {
                        "curated"
                    } else {
                        "upstream"
                    };
                    found.insert(format!("{route} parameter {key}: required only in {side}"));
                }
            }
        }
    }
    for key in theirs
        .parameters
        .keys()
        .filter(|k| !ours.parameters.contains_key(*k))
    {
        found.insert(format!("{route} parameter {key}: only in upstream"));
    }
}

fn compare_body(route: &str, side: &str, ours: &Body, theirs: &Body, found: &mut BTreeSet<String>) {
    for (path, field) in &ours.fields {
        match theirs.fields.get(path) {
            None => {
                found.insert(format!("{route} {side} field {path}: only in curated"));
            }
            Some(their) => {
                let (a, b) = (anonymous(&field.ty), anonymous(&their.ty));
                if a != b {
                    found.insert(format!(
                        "{route} {side} field {path}: type {a}, upstream {b}"
                    ));
                }
                if field.nullable && !their.nullable {
                    found.insert(format!(
                        "{route} {side} field {path}: nullable only in curated"
                    ));
                }
                if field.required && !their.required {
                    found.insert(format!(
                        "{route} {side} field {path}: required only in curated"
                    ));
                }
            }
        }
    }
    for path in theirs
        .fields
        .keys()
        .filter(|p| !ours.fields.contains_key(*p))
    {
        found.insert(format!("{route} {side} field {path}: only in upstream"));
    }
}

/// Component names differ between the files (`OtpSignUpRequest` / `OTPSignUpEmailRequest`); the
/// shape is what is compared.
fn anonymous(ty: &str) -> String {
    ty.split(' ')
        .fold((String::new(), false), |(mut out, after_object), word| {
            if after_object {
                return (out, false);
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            (out, word == "object")
        })
        .0
}

/// `<ProjectId>:<RefreshJWT>` and `Project ID:Refresh JWT` are the same format.
fn normalize_bearer(format: &str) -> String {
    format
        .chars()
        .filter(|c| !matches!(c, ' ' | '<' | '>' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn list(items: &BTreeSet<String>) -> String {
    items.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// `*` matches any run of characters; everything else matches itself.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (index, part) in parts.iter().enumerate() {
        if index + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

fn report(differences: &BTreeSet<String>, explanations: &[Explanation]) -> Outcome {
    let mut used = vec![0usize; explanations.len()];
    let mut unexplained = Vec::new();
    for difference in differences {
        match explanations
            .iter()
            .position(|e| glob_matches(&e.matches, difference))
        {
            Some(index) => used[index] += 1,
            None => unexplained.push(difference),
        }
    }
    let stale: Vec<&Explanation> = explanations
        .iter()
        .zip(&used)
        .filter(|(_, count)| **count == 0)
        .map(|(e, _)| e)
        .collect();
    let mut out = String::from(
        "## Curated spec vs Descope's published spec (OTP, magic link and sessions)\n\n",
    );
    let _ = writeln!(
        out,
        "{} differences: {} explained, {} unexplained; {} explanations, {} matching nothing.\n",
        differences.len(),
        differences.len() - unexplained.len(),
        unexplained.len(),
        explanations.len(),
        stale.len()
    );
    out.push_str("| explanation | differences | reason |\n| --- | --- | --- |\n");
    for (explanation, count) in explanations.iter().zip(&used) {
        let _ = writeln!(
            out,
            "| `{}` | {count} | {} |",
            explanation.matches,
            explanation.reason.trim().replace('\n', " ")
        );
    }
    if !unexplained.is_empty() {
        out.push_str("\n### Unexplained differences\n\nExplain each in `openapi/upstream-differences.yaml` or change the spec.\n\n");
        for difference in &unexplained {
            let _ = writeln!(out, "- {difference}");
        }
    }
    if !stale.is_empty() {
        out.push_str("\n### Explanations that match no difference\n\nRemove them.\n\n");
        for explanation in &stale {
            let _ = writeln!(out, "- `{}`", explanation.matches);
        }
    }
    Outcome {
        report: out,
        clean: unexplained.is_empty() && stale.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_any_run_and_nothing_else() {
        assert!(glob_matches("a*c", "abbbc"));
        assert!(glob_matches(
            "*whatsapp: only in curated",
            "operation POST /x/whatsapp: only in curated"
        ));
        assert!(glob_matches("exact", "exact"));
        assert!(!glob_matches("exact", "exactly"));
        assert!(!glob_matches("a*c", "abd"));
        assert!(glob_matches("a*b*c", "a-b-c"));
        assert!(!glob_matches("a*b*c", "a-c-b"));
    }

    #[test]
    fn object_names_are_left_out_of_compared_types() {
        assert_eq!(anonymous("object SignUpUser"), "object");
        assert_eq!(anonymous("array of object UserTenant"), "array of object");
        assert_eq!(anonymous("integer (int64)"), "integer (int64)");
    }

    #[test]
    fn unexplained_and_stale_entries_make_the_report_unclean() {
        let differences: BTreeSet<String> =
            ["operation POST /a: only in curated".to_owned()].into();
        let explain = |pattern: &str| Explanation {
            matches: pattern.into(),
            reason: "why".into(),
        };
        assert!(report(&differences, &[explain("operation * only in curated")]).clean);
        assert!(!report(&differences, &[]).clean);
        let stale = report(&differences, &[explain("operation *"), explain("nothing")]);
        assert!(!stale.clean);
        assert!(stale.report.contains("- `nothing`"), "{}", stale.report);
    }
}
