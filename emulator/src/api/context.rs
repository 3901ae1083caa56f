//! What the sign-up, sign-in, verify and update operations share, below both `flows` and
//! `updates`: the [`Context`] of a call (besides the state), and the readers of its body.
//!
//! Bodies arrive already validated against the spec, so required fields are present and typed;
//! the readers still read them defensively, since no input may make the emulator panic.

use std::net::IpAddr;

use serde_json::Value;

use crate::error::ApiError;
use crate::setup::config::EmulatorConfig;

/// What a call needs besides the state.
pub struct Context<'a> {
    pub config: &'a EmulatorConfig,
    /// The user whose valid refresh JWT the call carried, if any.
    pub bearer_user: Option<&'a str>,
    /// Where the call came from, for the sign-in history.
    pub peer: IpAddr,
}

pub(crate) fn text<'b>(body: &'b Value, key: &str) -> Result<&'b str, ApiError> {
    body.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::missing(format!("{key} is required")))
}

pub(crate) fn flag(body: &Value, pointer: &str) -> bool {
    at(body, pointer).and_then(Value::as_bool) == Some(true)
}

/// The value at `pointer` (`/loginOptions/tenantId`): serde_json's `pointer` without the copies
/// it makes of each step to unescape it, which the emulator's pointers never need.
pub(crate) fn at<'b>(body: &'b Value, pointer: &str) -> Option<&'b Value> {
    pointer
        .split('/')
        .skip(1)
        .try_fold(body, |value, key| value.get(key))
}
