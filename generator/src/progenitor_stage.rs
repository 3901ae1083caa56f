//! Runs progenitor with the project's settings, turning its errors and panics into diagnostics.
//!
//! progenitor panics on some specs instead of returning an error. The panic is caught here, its
//! message kept, and the default panic output suppressed, so a user sees a diagnostic rather
//! than a backtrace.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::ToTokens;

use crate::diagnostic::{Location, Report, Rule};
use crate::settings::Settings;

/// The single place where progenitor's options are chosen.
pub(crate) fn generation_settings(inner_type: TokenStream) -> GenerationSettings {
    let mut generation = GenerationSettings::new();
    generation
        // Builders read well at call sites and survive new optional fields without breaking.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // No hooks impl of progenitor's own: `emit/send/` replaces every call to the hooks with the
        // runtime's `Client::execute` and drops progenitor's assertion that they exist.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(inner_type);
    generation
}

/// progenitor's code for `spec`, or diagnostics when it refuses or panics.
pub(crate) fn generate(
    spec: &OpenAPI,
    settings: &Settings,
    report: &mut Report,
) -> Option<TokenStream> {
    let Ok(inner_type) = syn::parse_str::<syn::Path>(&settings.inner_type) else {
        report.push(
            Location::Document,
            Rule::Internal,
            format!(
                "Settings::inner_type `{}` is not a Rust path",
                settings.inner_type
            ),
            "pass a path such as `crate::ClientState`",
        );
        return None;
    };
    run(
        &generation_settings(inner_type.into_token_stream()),
        spec,
        report,
    )
}

/// The options for a foreign spec in repair mode: the same interface and tag style, but
/// progenitor's own hooks and `Client` (no runtime of ours behind it).
pub(crate) fn plain_settings() -> GenerationSettings {
    let mut generation = GenerationSettings::new();
    generation
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    generation
}

/// progenitor's plain client for a foreign spec, or diagnostics when it refuses or panics.
pub(crate) fn generate_plain(spec: &OpenAPI, report: &mut Report) -> Option<TokenStream> {
    run(&plain_settings(), spec, report)
}

fn run(settings: &GenerationSettings, spec: &OpenAPI, report: &mut Report) -> Option<TokenStream> {
    let mut generator = Generator::new(settings);
    match quietly(|| generator.generate_tokens(spec)) {
        Ok(Ok(tokens)) => Some(tokens),
        Ok(Err(error)) => {
            report.push(
                Location::Document,
                Rule::Progenitor,
                format!("progenitor refused the spec: {error}"),
                "the curation rules should have caught this; fix the spec at the place the \
                 message names, and report the gap in the rules",
            );
            None
        }
        Err(panic_message) => {
            report.push(
                Location::Document,
                Rule::Progenitor,
                format!("progenitor failed on the spec: {panic_message}"),
                "this usually means an operation has two success body types, or typed error \
                 bodies beside body-less ones; give every error status the shared error schema",
            );
            None
        }
    }
}

thread_local! {
    /// Set while `quietly` runs on this thread: holds the message of a panic instead of printing it.
    static CAPTURED: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Runs `work`, returning the message of any panic instead of letting it print and unwind.
fn quietly<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static INSTALL_HOOK: Once = Once::new();
    INSTALL_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURED.with(|slot| {
                let mut slot = slot.borrow_mut();
                match slot.as_mut() {
                    Some(message) => {
                        let text = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "a panic without a message".to_owned());
                        let place = info
                            .location()
                            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
                            .unwrap_or_default();
                        *message = Some(format!("{text}{place}"));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });

    CAPTURED.with(|slot| *slot.borrow_mut() = Some(None));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    let message = CAPTURED.with(|slot| slot.borrow_mut().take().flatten());
    outcome.map_err(|_| message.unwrap_or_else(|| "a panic without a message".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        let outcome: Result<(), String> = quietly(|| panic!("two response types"));
        let message = outcome.unwrap_err();
        assert!(message.starts_with("two response types (at "), "{message}");
    }

    #[test]
    fn normal_results_pass_through() {
        assert_eq!(quietly(|| 7), Ok(7));
    }
}
