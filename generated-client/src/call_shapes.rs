//! Proof that a call missing a required field does not compile, one operation of each family.
//!
//! Each `compile_fail` example follows a `no_run` one that is the same text but for one argument
//! left out, so the failure can only be that argument (`tests/call_shapes.rs` checks the
//! pairing). Only doctests read this module (`#[cfg(doctest)]`).
//!
//! One-time codes: verifying needs the code.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.verify_otp_sms("+14155550123", "123456").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.verify_otp_sms("+14155550123").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! One-time codes: signing up needs the login id.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.sign_up_otp_email("jane@example.com").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.sign_up_otp_email().send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Magic links: verifying needs the token.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.verify_magic_link("token-from-the-link").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.verify_magic_link().send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Magic links: updating a phone needs the new number.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.update_phone_magic_link_sms("eyJ.refresh.jwt", "jane@example.com", "+14155550123").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.update_phone_magic_link_sms("eyJ.refresh.jwt", "jane@example.com").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Sessions: selecting a tenant needs the tenant.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.select_tenant("eyJ.refresh.jwt", "T2abc").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.select_tenant("eyJ.refresh.jwt").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! A call that acts for a signed-in user needs their refresh JWT, first.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.logout("eyJ.refresh.jwt").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.logout().send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! A required list takes any iterator of anything that converts into its items.
//!
//! ```no_run
//! # #[cfg(feature = "users")]
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.add_user_roles("jane@example.com", ["editor", "viewer"]).send().await?;
//! client.add_user_roles("jane@example.com", vec!["editor".to_owned()]).send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Keys: fetching them needs the project id.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.get_jwks("P2abc").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.get_jwks().send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! An optional field is no argument: a call compiles without it (a setter, `.uri(..)`, takes
//! it), and not with it as one.
//!
//! ```no_run
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.sign_in_magic_link_email("jane@example.com").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
//! client.sign_in_magic_link_email("jane@example.com", "https://app.example.com").send().await?;
//! # Ok(())
//! # }
//! ```
