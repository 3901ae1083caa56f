//! Shared pieces of the shape tests: the curated spec's examples, a loopback server that
//! records what the client sends, and golden files compared with a readable diff.

mod goldens;
mod server;
mod spec;

pub use goldens::{UPDATE_COMMAND, assert_no_failures, check_golden, finish_golden_run};
pub use server::{Behaviour, CannedResponse, RecordedRequest, RecordingServer};
pub use spec::{CuratedSpec, DocumentedResponse, Inputs};
