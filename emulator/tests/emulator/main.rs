//! Every flow of the emulator, through the generated `descope-client` over loopback (and raw
//! HTTP where the client would refuse to send what is tested).

mod access_keys;
mod admin;
mod answers;
mod cli;
mod control;
mod cookies;
mod guards;
mod keys;
mod local_validation;
mod magic_link;
mod management_roles;
mod management_search;
mod management_tenants;
mod management_test_users;
mod management_user_updates;
mod management_users;
mod otp;
mod seeding;
mod sessions;
mod state_file;
mod support;
mod token_admin;
mod updates;
mod users;
mod wire;
