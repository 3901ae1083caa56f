//! Shape tests: every operation's request on the wire and every documented response, decoded,
//! are compared with reviewable golden files under `tests/goldens/`.

mod dispatch;
mod examples;
mod requests;
mod responses;
mod sdk_requests;
mod secrets;
