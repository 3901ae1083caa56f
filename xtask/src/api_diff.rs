//! `cargo xtask diff`: what a spec change means for users of the generated crate, as a Markdown
//! report for a pull request, each change classified as breaking at compile time, breaking at
//! run time only, or compatible ([`Impact`]), with the version to publish next.
//!
//! The classification assumes users call operations as the README shows: the method takes the
//! required parameters and top-level body fields as arguments, every other field is a setter
//! (see `generator/src/emit/call_shape/`), and responses are read (the generated types are
//! `#[non_exhaustive]`, so nobody can build them literally). So a new required parameter or
//! top-level field, one made required or optional, or arguments in a new order change the
//! method's signature and break at compile time; a new optional request field or a new response
//! field breaks nobody; a new required field of a nested request type compiles, but its builder
//! refuses requests without it (a break at run time). In Rust a field that turns optional
//! changes its type (`T` to `Option<T>`) and so breaks the reader too. `cargo xtask
//! semver-fixtures` checks these verdicts against cargo-semver-checks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::surface::{Body, Field, NO_CREDENTIAL, OperationSurface, Surface, user_token_argument};

/// What a change does to code that uses the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled no longer does (cargo-semver-checks sees these too).
    Breaking,
    /// Code still compiles, but a call it makes is now refused before sending (a parameter or
    /// field became required, a credential is needed). Breaking all the same, though no tool
    /// that compares APIs can see it.
    BreakingAtRunTime,
    /// Nothing that worked stops working.
    Compatible,
}

impl Impact {
    /// Whether the change needs a major version (before 1.0, a minor one).
    pub fn breaks(self) -> bool {
        self != Impact::Compatible
    }
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub impact: Impact,
    /// `SignUpOtpEmail (POST /v1/auth/otp/signup/email)`.
    pub operation: String,
    pub what: String,
}

/// Every user-visible change from `base` to `head`, breaking ones first.
pub fn compare(base: &Surface, head: &Surface) -> Vec<Change> {
    let mut changes = Vec::new();
    for (id, old) in &base.operations {
        let label = label(id, old);
        match head.operations.get(id) {
            None => changes.push(Change {
                impact: Impact::Breaking,
                operation: label,
                what: "operation removed: its method is gone from `Client`".into(),
            }),
            Some(new) => compare_operation(&label, old, new, &mut changes),
        }
    }
    for (id, new) in &head.operations {
        if !base.operations.contains_key(id) {
            changes.push(Change {
                impact: Impact::Compatible,
                operation: label(id, new),
                what: "operation added".into(),
            });
        }
    }
    changes.sort();
    changes
}

fn label(id: &str, operation: &OperationSurface) -> String {
    format!("{id} ({} {})", operation.method, operation.path)
}

fn compare_operation(
    label: &str,
    old: &OperationSurface,
    new: &OperationSurface,
    changes: &mut Vec<Change>,
) {
    let mut push = |impact, what: String| {
        changes.push(Change {
            impact,
            operation: label.to_owned(),
            what,
        })
    };
    if (&old.method, &old.path) != (&new.method, &new.path) {
        push(
            Impact::Compatible,
            format!(
                "now sent as `{} {}`; the Rust method keeps its name",
                new.method, new.path
            ),
        );
    }
    compare_body(
        "request",
        &old.request,
        &new.request,
        &new.arguments,
        &mut push,
    );
    compare_body("response", &old.response, &new.response, &[], &mut push);
    compare_parameters(&old.parameters, &new.parameters, &mut push);
    compare_argument_order(&old.arguments, &new.arguments, &mut push);

    let shown = |format: &str| {
        if format == NO_CREDENTIAL {
            "no credential".to_owned()
        } else {
            format!("`Bearer {format}`")
        }
    };
    // A token the credential makes the method's first argument: gaining, losing or changing it
    // changes the signature, so callers' code stops compiling.
    match (
        user_token_argument(&old.bearer_formats),
        user_token_argument(&new.bearer_formats),
    ) {
        (None, Some(token)) => push(
            Impact::Breaking,
            format!("the method gains a first argument, {token}"),
        ),
        (Some(token), None) => push(
            Impact::Breaking,
            format!("the method no longer takes {token} as its first argument"),
        ),
        (Some(before), Some(after)) if before != after => push(
            Impact::Breaking,
            format!("the method's first argument is now {after}, not {before}"),
        ),
        _ => {}
    }
    for removed in old.bearer_formats.difference(&new.bearer_formats) {
        let what = if removed == NO_CREDENTIAL {
            "now needs a credential; calls without one are refused".to_owned()
        } else {
            format!("no longer accepts {}", shown(removed))
        };
        push(Impact::BreakingAtRunTime, what);
    }
    for added in new.bearer_formats.difference(&old.bearer_formats) {
        push(Impact::Compatible, format!("also accepts {}", shown(added)));
    }
    for status in old.error_statuses.difference(&new.error_statuses) {
        push(
            Impact::Compatible,
            format!("error status {status} no longer documented"),
        );
    }
    for status in new.error_statuses.difference(&old.error_statuses) {
        push(
            Impact::Compatible,
            format!("error status {status} now documented"),
        );
    }
    if old.retry_after != new.retry_after {
        let state = if new.retry_after {
            "declares"
        } else {
            "no longer declares"
        };
        push(Impact::Compatible, format!("429 {state} `Retry-After`"));
    }
}

/// Arguments both versions take, in a new order: callers' values would land in the wrong
/// places (all strings, so often without a compile error), so it breaks like a new signature.
fn compare_argument_order(old: &[String], new: &[String], push: &mut impl FnMut(Impact, String)) {
    let kept_old: Vec<&String> = old.iter().filter(|name| new.contains(name)).collect();
    let kept_new: Vec<&String> = new.iter().filter(|name| old.contains(name)).collect();
    if kept_old != kept_new {
        let shown = |names: &[&String]| {
            names
                .iter()
                .map(|name| format!("`{}`", name.split_once(' ').map_or(&name[..], |(_, n)| n)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        push(
            Impact::Breaking,
            format!(
                "method arguments reordered from ({}) to ({})",
                shown(&kept_old),
                shown(&kept_new)
            ),
        );
    }
}

/// A required parameter is an argument of the method, an optional one a builder method: a
/// parameter removed, retyped, added as required, made required or made optional changes what
/// callers write; an optional one added breaks nobody.
fn compare_parameters(
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    push: &mut impl FnMut(Impact, String),
) {
    // Keys are `<location> <name>`, shown as "query parameter `certs`".
    let named = |key: &str| match key.split_once(' ') {
        Some((location, name)) => format!("{location} parameter `{name}`"),
        None => format!("parameter `{key}`"),
    };
    for (key, field) in old {
        let parameter = named(key);
        let Some(now) = new.get(key) else {
            push(
                Impact::Breaking,
                format!("{parameter} removed: its builder method is gone"),
            );
            continue;
        };
        if field.ty != now.ty {
            push(
                Impact::Breaking,
                format!("{parameter} retyped from {} to {}", field.ty, now.ty),
            );
        }
        match (field.required, now.required) {
            (false, true) => push(
                Impact::Breaking,
                format!("{parameter} made required: the method takes it as an argument"),
            ),
            (true, false) => push(
                Impact::Breaking,
                format!(
                    "{parameter} made optional: no longer an argument of the method, set with \
                     its builder method"
                ),
            ),
            _ => {}
        }
    }
    for (key, field) in new.iter().filter(|(key, _)| !old.contains_key(*key)) {
        let (impact, kind) = if field.required {
            (Impact::Breaking, "required")
        } else {
            (Impact::Compatible, "optional")
        };
        let refused = if field.required {
            ": the method gains an argument"
        } else {
            ""
        };
        push(
            impact,
            format!("{} added ({kind} {}){refused}", named(key), field.ty),
        );
    }
}

/// `arguments` are the new method's (`body <name>` for a body field), so that a field that is
/// one is told from a nested field its builder checks.
fn compare_body(
    side: &str,
    old: &Body,
    new: &Body,
    arguments: &[String],
    push: &mut impl FnMut(Impact, String),
) {
    let request = side == "request";
    let is_argument = |path: &str| arguments.iter().any(|a| a == &format!("body {path}"));
    if old.type_name != new.type_name {
        push(
            Impact::Breaking,
            format!(
                "{side} type renamed from `{}` to `{}`",
                old.type_name.as_deref().unwrap_or("(none)"),
                new.type_name.as_deref().unwrap_or("(none)")
            ),
        );
    }
    for (path, field) in &old.fields {
        match new.fields.get(path) {
            None => push(Impact::Breaking, format!("{side} field `{path}` removed")),
            Some(now) => compare_field(side, path, field, now, request, push),
        }
    }
    for (path, field) in &new.fields {
        if old.fields.contains_key(path) {
            continue;
        }
        let (impact, kind) = match (request, field.required) {
            (true, true) if is_argument(path) => (Impact::Breaking, "required "),
            (true, true) => (Impact::BreakingAtRunTime, "required "),
            (true, false) => (Impact::Compatible, "optional "),
            (false, _) => (Impact::Compatible, ""),
        };
        let refused = match impact {
            Impact::Breaking => ": the method gains an argument",
            Impact::BreakingAtRunTime => ": building the request fails without it",
            Impact::Compatible => "",
        };
        push(
            impact,
            format!("{side} field `{path}` added ({kind}{}){refused}", field.ty),
        );
    }
}

fn compare_field(
    side: &str,
    path: &str,
    old: &Field,
    new: &Field,
    request: bool,
    push: &mut impl FnMut(Impact, String),
) {
    if old.ty != new.ty {
        push(
            Impact::Breaking,
            format!(
                "{side} field `{path}` retyped from {} to {}",
                old.ty, new.ty
            ),
        );
    }
    if old.nullable != new.nullable {
        // The Rust type changes (`T` to `Option<T>` or back) where the field is required, or is
        // a map or list, which are plain (empty by default) when optional; an optional scalar
        // or `$ref` field is `Option<T>` either way.
        let container = new.ty == "object" || new.ty.starts_with("array");
        let (impact, why) = if new.required || container {
            (Impact::Breaking, ": its Rust type gains or loses `Option`")
        } else {
            (Impact::Compatible, "")
        };
        let now = if new.nullable {
            "nullable"
        } else {
            "no longer nullable"
        };
        push(impact, format!("{side} field `{path}` made {now}{why}"));
    }
    if old.required != new.required {
        let now = if new.required { "required" } else { "optional" };
        let why = if new.required {
            "its Rust type loses `Option`"
        } else {
            "its Rust type becomes `Option<_>`"
        };
        push(
            Impact::Breaking,
            format!("{side} field `{path}` made {now}: {why}"),
        );
    }
    let empty = BTreeSet::new();
    let (before, after) = (
        old.values.as_ref().unwrap_or(&empty),
        new.values.as_ref().unwrap_or(&empty),
    );
    for value in before.difference(after) {
        // A request value that disappears breaks callers who send it; responses stay open.
        let impact = if request {
            Impact::Breaking
        } else {
            Impact::Compatible
        };
        push(
            impact,
            format!("{side} field `{path}` drops value `{value}`"),
        );
    }
    for value in after.difference(before) {
        push(
            Impact::Compatible,
            format!("{side} field `{path}` gains value `{value}`"),
        );
    }
}

/// The version the crate should be published as after `changes`, by Cargo's semver rules: a
/// breaking change bumps the major version (the minor one before 1.0), any other change the
/// minor one (the patch one before 1.0), no change none. `None` when `current` is not
/// `major.minor.patch`.
pub fn next_version(current: &str, changes: &[Change]) -> Option<String> {
    let core = current.split(['-', '+']).next()?;
    let parts: Vec<u64> = core
        .split('.')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    let breaking = changes.iter().any(|change| change.impact.breaks());
    Some(match (changes.is_empty(), breaking, major) {
        (true, _, _) => current.to_owned(),
        (false, true, 0) => format!("0.{}.0", minor + 1),
        (false, true, _) => format!("{}.0.0", major + 1),
        (false, false, 0) => format!("0.{minor}.{}", patch + 1),
        (false, false, _) => format!("{major}.{}.0", minor + 1),
    })
}

/// The pull-request report.
pub fn markdown(changes: &[Change], base_label: &str, head_label: &str) -> String {
    let breaking = changes.iter().filter(|c| c.impact.breaks()).count();
    let mut out = format!("## API changes: {base_label} → {head_label}\n\n");
    if changes.is_empty() {
        out.push_str("No change to the API of the generated crate.\n");
        return out;
    }
    let at_run_time = changes
        .iter()
        .filter(|c| c.impact == Impact::BreakingAtRunTime)
        .count();
    let _ = writeln!(
        out,
        "**{breaking} breaking**, {} compatible, for users of the generated crate.\n",
        changes.len() - breaking
    );
    if at_run_time > 0 {
        let _ = writeln!(
            out,
            "Of these, {at_run_time} {} only at run time: code still compiles, but its calls \
             fail before sending. API checkers such as cargo-semver-checks cannot see that; bump \
             the version as for any break.\n",
            if at_run_time == 1 { "breaks" } else { "break" }
        );
    }
    out.push_str("| impact | operation | change |\n| --- | --- | --- |\n");
    for change in changes {
        let impact = match change.impact {
            Impact::Breaking => "**breaking**",
            Impact::BreakingAtRunTime => "**breaking** at run time",
            Impact::Compatible => "compatible",
        };
        let _ = writeln!(
            out,
            "| {impact} | `{}` | {} |",
            change.operation,
            change.what.replace('|', "\\|")
        );
    }
    out
}

#[cfg(test)]
mod tests;
