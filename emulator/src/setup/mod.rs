//! How an emulator is set up: its configuration ([`config`]), the command line that fills one
//! ([`cli`], each flag declared there once, its values read by `values`), and the users that
//! exist from the start ([`seed`], read from a users file by `users_file`).

pub mod cli;
pub mod config;
pub mod seed;
pub mod users_file;
mod values;
