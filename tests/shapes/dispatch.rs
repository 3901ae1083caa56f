//! Calls any operation by method name through the generated client, with the spec's examples as
//! its body and parameters.
//!
//! The body is decoded from the spec's example at run time, so each call starts from the
//! operation's bare builder (`descope_client::builder::*::new`) and sets the whole body with
//! `body(..)`, instead of going through the client method that takes the required inputs as
//! arguments.
//!
//! Which operations exist, and each one's builder, request type and parameters, comes from
//! `operations.rs`, which `cargo xtask generate` writes from the spec: no hand-written list of
//! operations exists here, so a new operation cannot go untested.

use descope_client::types;
use descope_client::{Client, Error, Response};
use descope_shape_tests::Inputs;
use serde_json::Value;

/// What a call came back with, rendered for a golden file.
#[derive(Debug)]
pub enum Outcome {
    /// A 2xx, decoded into the operation's response type; `debug` is the `{:?}` of the value.
    Success {
        status: u16,
        decoded: String,
        debug: String,
    },
    /// A documented error status: the code, texts and `Retry-After` the client read from it.
    ServiceError {
        status: u16,
        decoded: String,
        retry_after: Option<String>,
    },
    /// Refused by the client before anything was sent.
    Refused(String),
    /// Anything else: a transport or decode failure.
    Failed(#[allow(dead_code, reason = "shown through Debug in failure messages")] String),
}

/// The decoded value's Rust type and its JSON as serde writes it back, with the wire names, so a
/// renamed field or a field the type drops shows up in the golden file.
fn render<T: serde::Serialize>(value: &T) -> String {
    let type_name = std::any::type_name::<T>()
        .rsplit("::")
        .next()
        .unwrap_or("?");
    let json =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("<cannot serialize: {e}>"));
    format!("{type_name} {json}")
}

fn outcome<T: serde::Serialize + std::fmt::Debug>(result: Result<Response<T>, Error>) -> Outcome {
    match result {
        Ok(value) => Outcome::Success {
            status: value.status().as_u16(),
            debug: format!("{value:?} {value:#?}"),
            decoded: render(&value.into_inner()),
        },
        Err(Error::Service(error)) => Outcome::ServiceError {
            status: error.status.as_u16(),
            retry_after: error.retry_after.map(|delay| delay.as_secs().to_string()),
            decoded: format!(
                "code {}\ndescription {:?}\nmessage {:?}\nbody excerpt {:?}",
                error
                    .code
                    .as_ref()
                    .map_or_else(|| "none".to_owned(), |code| format!("{code} ({code:?})")),
                error.description,
                error.message,
                error.body_excerpt,
            ),
        },
        Err(refused @ Error::InvalidRequest(_)) => Outcome::Refused(refused.to_string()),
        Err(other) => Outcome::Failed(other.to_string()),
    }
}

/// The builder a call starts from: the operation's bare builder, or, for an operation that takes
/// an access key (`with access_key` in the table), its method given the placeholder key, since
/// the builder has no public setter for the key.
macro_rules! start {
    ($client:expr, $method:ident, $builder:ident) => {
        descope_client::builder::$builder::new($client)
    };
    ($client:expr, $method:ident, $builder:ident, access_key) => {
        $client.$method(crate::requests::ACCESS_KEY)
    };
}

/// The operation builder with every documented input set, or why the spec's examples do not
/// fit it.
macro_rules! builder {
    ($start:expr, $inputs:expr, $body:tt $([$($param:ident: $ty:ty = $wire:literal),*])?) => {{
        let builder = $start;
        $($(
            let builder = builder.$param(parameter::<$ty>($inputs, $wire)?);
        )*)?
        with_body!(builder, $body, $inputs)
    }};
}

/// Sets the body of an operation that takes one; an operation without one must document none.
macro_rules! with_body {
    ($builder:ident, (), $inputs:expr) => {
        match &$inputs.body {
            Value::Null => Ok::<_, String>(($builder, String::new())),
            _ => Err("the operation takes no body, yet the spec documents one".to_owned()),
        }
    };
    // A body that is not an object (a list), which has no builder of its own.
    ($builder:ident, (plain $body:ident), $inputs:expr) => {{
        let body: types::$body = serde_json::from_value($inputs.body.clone()).map_err(|error| {
            format!(
                "the example does not decode into {}: {error}",
                stringify!($body)
            )
        })?;
        let values = format!("{body:?} {body:#?}");
        Ok::<_, String>(($builder.body(body), values))
    }};
    ($builder:ident, $body:ident, $inputs:expr) => {{
        let body: types::$body = serde_json::from_value($inputs.body.clone()).map_err(|error| {
            format!(
                "the example does not decode into {}: {error}",
                stringify!($body)
            )
        })?;
        let type_builder = types::builder::$body::from(body.clone());
        let values = format!("{body:?} {body:#?} {type_builder:?}");
        Ok::<_, String>(($builder.body(body), values))
    }};
}

/// A parameter's example, decoded into the type its setter takes.
fn parameter<T: serde::de::DeserializeOwned>(inputs: &Inputs, wire: &str) -> Result<T, String> {
    let example = inputs
        .parameters
        .get(wire)
        .ok_or_else(|| format!("the spec documents no parameter `{wire}`"))?;
    serde_json::from_value(example.clone())
        .map_err(|error| format!("the example of `{wire}` does not decode: {error}"))
}

macro_rules! operations {
    ($($method:ident => $builder:ident($body:tt) $(with $token:ident)? $([$($param:ident: $ty:ty = $wire:literal),*])?,)*) => {
        /// Method names this module can call.
        pub const COVERED: &[&str] = &[$(stringify!($method)),*];

        /// Each method name with the builder type its call starts from.
        const BUILDERS: &[(&str, &str)] = &[$((stringify!($method), stringify!($builder))),*];

        /// Calls `method_name` with the documented inputs, which must fit the operation's types.
        pub async fn call(client: &Client, method_name: &str, inputs: &Inputs) -> Outcome {
            let prepared = async {
                match method_name {
                    $(stringify!($method) => {
                        let (builder, _) = builder!(start!(client, $method, $builder $(, $token)?), inputs, $body $([$($param: $ty = $wire),*])?)?;
                        Ok(outcome(builder.send().await))
                    })*
                    other => Err(format!("no call is written for `{other}` in dispatch.rs")),
                }
            };
            prepared.await.unwrap_or_else(Outcome::Failed)
        }

        /// The `{:?}` and `{:#?}` of the typed body, its type builder and the operation builder.
        pub fn describe(client: &Client, method_name: &str, inputs: &Inputs) -> Result<String, String> {
            match method_name {
                $(stringify!($method) => {
                    let (builder, values) = builder!(start!(client, $method, $builder $(, $token)?), inputs, $body $([$($param: $ty = $wire),*])?)?;
                    Ok(format!("{values} {builder:?} {builder:#?}"))
                })*
                other => Err(format!("no call is written for `{other}` in dispatch.rs")),
            }
        }
    };
}

// Each operation's method, its builder type (the operation id) with its body type (`()` for
// none), and its parameters' setters, types and wire names.
include!("operations.rs");

#[test]
fn every_generated_operation_has_a_call() {
    let mut generated: Vec<&str> = descope_client::operations::OPERATIONS
        .iter()
        .map(|o| o.method_name)
        .collect();
    let mut covered = COVERED.to_vec();
    generated.sort_unstable();
    covered.sort_unstable();
    assert_eq!(covered, generated);
}

#[test]
fn every_call_starts_from_its_operation_s_builder() {
    for operation in descope_client::operations::OPERATIONS {
        let builder = BUILDERS
            .iter()
            .find(|(method, _)| *method == operation.method_name)
            .map(|(_, builder)| *builder);
        assert_eq!(
            builder,
            Some(operation.operation_id),
            "{}",
            operation.method_name
        );
    }
}
