//! Session validation, key caching and refresh, against keys the tests make and a loopback
//! server that plays Descope's key and refresh endpoints.

mod access_keys;
mod axum_app;
mod forge;
mod key_cache;
mod refresh;
mod responses;
mod strict;
mod validation;
