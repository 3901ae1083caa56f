//! Every flow of the emulator, through the generated `descope-client` over loopback (and raw
//! HTTP where the client would refuse to send what is tested).

mod magic_link;
mod otp;
mod support;
mod updates;
mod wire;
