//! The surface generated code calls, written as signatures that must hold. It compiles here,
//! against the runtime, and in every crate `cargo xtask mutate` and `cargo xtask semver-fixtures`
//! build over their stand-in runtime (`xtask/src/stand_in.rs` copies this file), so the stand-in
//! cannot drift from the runtime: a change to either side that the other does not follow fails
//! to compile. `Call`, `Response` and `operations` are not stood in for at all; the stand-in
//! copies their files.

use crate::operations::Operation;
use crate::{Call, Client, ClientState, Error, Response};

// An input that does not convert refuses the call, naming the operation and the reason; for
// a parameter, named by its wire name. (Anonymous constants are checked, and they keep the
// runtime's side of the contract in use whichever API groups a build compiles.)
const _: fn(&'static Operation, String) -> Error = Error::invalid_body;
const _: fn(&'static Operation, &'static str, String) -> Error = Error::invalid_argument;

// Each value goes where the spec says: a path, query or header parameter, a JSON or form body.
const _: fn(&'static Operation) -> Call = Call::new;
const _: fn(Call, &'static str, &String) -> Call = |call, name, value| call.path(name, value);
const _: fn(Call, &'static str, &String) -> Call = |call, name, value| call.query(name, value);
const _: fn(Call, &'static str, &String) -> Call = |call, name, value| call.header(name, value);
const _: fn(Call, &()) -> Call = |call, body| call.json(body);
const _: fn(Call, &()) -> Call = |call, body| call.form(body);
const _: fn(Call, Option<crate::RefreshJwt>) -> Call = Call::refresh_jwt;
const _: fn(Call, Option<crate::SessionJwt>) -> Call = Call::session_jwt;
const _: fn(Call, Option<crate::AccessKey>) -> Call = Call::access_key;

/// Every `send` ends in `Client::execute`, typed by the operation's success body.
#[allow(dead_code, reason = "a signature check; nothing calls it")]
async fn _execute<T: serde::de::DeserializeOwned>(
    client: &Client,
    call: Call,
) -> Result<Response<T>, Error> {
    client.execute(call).await
}

/// The client's `inner` state, which progenitor's `Client` holds.
#[allow(dead_code, reason = "a signature check; nothing calls it")]
fn _inner(client: &Client) -> &ClientState {
    &client.inner
}
