//! What every family of operation rules shares: the [`OperationChecker`] of one operation, how
//! it reports a problem (for every run, only for the curated runtime, or only as curated-slice
//! policy), whether a media type has an example, and how it follows a `$ref` into `components`.

use indexmap::IndexMap;
use openapiv3::{Components, MediaType, OpenAPI, ReferenceOr, RequestBody, Response};

use crate::diagnostic::{Location, Report, Rule};

pub(super) const JSON: &str = "application/json";

pub(super) struct OperationChecker<'a> {
    // Everything borrowed from the one spec, so resolved items share its lifetime.
    pub(super) spec: &'a OpenAPI,
    pub(super) components: &'a Option<Components>,
    pub(super) report: &'a mut Report,
    pub(super) location: Location,
}

impl<'a> OperationChecker<'a> {
    pub(super) fn fail(&mut self, rule: Rule, message: impl Into<String>, help: impl Into<String>) {
        self.report.push(self.location.clone(), rule, message, help);
    }

    /// A shape only the curated runtime cannot serve; repair mode drops it (`push_runtime`).
    pub(super) fn runtime(
        &mut self,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report
            .push_runtime(self.location.clone(), rule, message, help);
    }

    /// A problem for progenitor too (`fail`) when `breaks_progenitor`, else only for the curated
    /// runtime (`runtime`).
    pub(super) fn report_either(
        &mut self,
        breaks_progenitor: bool,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if breaks_progenitor {
            self.fail(rule, message, help);
        } else {
            self.runtime(rule, message, help);
        }
    }

    /// A problem of curated-slice policy only; repair mode drops it (see `Rule::is_policy`).
    pub(super) fn policy(
        &mut self,
        rule: Rule,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report
            .push_policy(self.location.clone(), rule, message, help);
    }

    pub(super) fn example_present(&mut self, media: &MediaType, what: &str) {
        if media.example.is_none() && media.examples.is_empty() {
            self.fail(
                Rule::Examples,
                format!("the {what} has no example"),
                "add an `example` under the media type; it documents the shape and is checked \
                 against the schema",
            );
        }
    }

    /// Follows a local `#/components/<kind>/<name>` reference. A dangling one was already
    /// reported by the reference check, so it is skipped here.
    pub(super) fn resolve<T: Lookup>(&self, item: &'a ReferenceOr<T>) -> Option<&'a T> {
        let mut current = item;
        // A component may itself be a reference; a chain longer than this is a cycle.
        for _ in 0..8 {
            match current {
                ReferenceOr::Item(item) => return Some(item),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(T::PREFIX)?;
                    current = T::table(self.components.as_ref()?).get(name)?;
                }
            }
        }
        None
    }
}

/// Component kinds that operations refer to.
pub(super) trait Lookup: Sized {
    const PREFIX: &'static str;
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Lookup for openapiv3::Parameter {
    const PREFIX: &'static str = "#/components/parameters/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Lookup for RequestBody {
    const PREFIX: &'static str = "#/components/requestBodies/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl Lookup for Response {
    const PREFIX: &'static str = "#/components/responses/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

impl Lookup for openapiv3::Example {
    const PREFIX: &'static str = "#/components/examples/";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.examples
    }
}
