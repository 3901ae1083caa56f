//! Every flow of the emulator, through the generated `descope-client` over loopback (and raw
//! HTTP where the client would refuse to send what is tested).

mod admin;
mod cli;
mod control;
mod cookies;
mod keys;
mod local_validation;
mod magic_link;
mod otp;
mod seeding;
mod sessions;
mod support;
mod updates;
mod users;
mod wire;
