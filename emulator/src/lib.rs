//! An in-memory emulator of Descope's OTP, magic-link, session and access-key API and of its
//! management API for users, test users, tenants, roles, permissions, access keys and token
//! administration, served over loopback HTTP from
//! the same curated spec the `descope-client` crate is generated from: a library for Rust
//! tests, and a binary (`descope-emulator`) that any official SDK can be pointed at.
//!
//! As a tool (every flag, with its default, in `descope-emulator --help`; [`cli`]):
//!
//! ```text
//! cargo install --path emulator
//! descope-emulator --port 4000 --project-id P2Local --users users.json --fixed-code jane@example.com=123456
//! ```
//!
//! In Rust tests, one in-process emulator per test, on a free port:
//!
//! ```no_run
//! # async fn run() {
//! use descope_emulator::{EmulatorConfig, start};
//!
//! let emulator = start(EmulatorConfig::default()).await;
//! let client = descope_client::Client::builder(emulator.project_id())
//!     .base_url(emulator.base_url())
//!     .build()
//!     .unwrap();
//! // ... send a code with `client`, then read it:
//! let code = emulator.last_message_for("jane@example.com").and_then(|m| m.code().map(str::to_owned));
//! # let _ = (client, code);
//! # }
//! ```
//!
//! # What it does
//!
//! - **Routes** are the operations of the client's own table (every operation of the curated
//!   spec), by method and path template (`/v2/keys/{projectId}` matches any project id); a
//!   known path with another method is 405, any other path 404 with a message saying the
//!   emulator does not serve it.
//!   One path outside the spec is served as an alias: the Python SDK's magic-link phone update
//!   without a method (`POST /v1/auth/magiclink/update/phone`) is the SMS one.
//!   Every request body is validated against the operation's request schema (a JSON object,
//!   or for `POST /v1/mgmt/user/history` a bare array of user ids); an optional body
//!   (refresh, try-refresh, logout, logout-all) may be absent or empty, and operations without
//!   one (`me`, `me/history`, validate, keys, the management loads) do not read it. Every
//!   answer is a JSON body, `{}` where the spec's 200 is an empty object.
//! - **Who may call** (a loopback server is reachable from every page the developer has
//!   open): every request's `Host` must be `127.0.0.1`, `localhost` or `[::1]` (any port or
//!   none), the specific address of [`EmulatorConfig::listen`], or one of
//!   [`EmulatorConfig::allowed_hosts`] (`--allowed-host NAME`, such as a docker-compose service
//!   name), else 403 `E011003` naming the host and the flag that allows
//!   it: this stops DNS rebinding (a request without `Host`, which no browser sends, passes). An
//!   operation's body must be sent as `application/json` (parameters allowed), else 415
//!   `E011001`; a blank or absent body has no type to check. Bodies over 64 KiB (1 MiB for
//!   management calls) are 413 `E011001`.
//! - **Authorization** is what each operation's `security` says: `Bearer <ProjectId>`,
//!   `Bearer <ProjectId>:<RefreshJWT>`, `Bearer <ProjectId>:<SessionJWT>` (validate),
//!   `Bearer <ProjectId>:<ManagementKey>` (management; [`Emulator::management_key`]),
//!   `Bearer <ProjectId>:<AccessKey>` (the access-key exchange), or nothing (the keys). Updates (and step-up/MFA sign-in) need a refresh JWT of the user who
//!   owns the body's `loginId`.
//! - **Codes** are six random digits (or a fixed code, below); only the latest per (login id, method) is valid; they
//!   expire after [`EmulatorConfig::otp_ttl`]; the [`EmulatorConfig::max_otp_attempts`]-th wrong
//!   code burns the code. **Links** are `<URI or default>?t=<64 hex>`, single use, expiring
//!   after [`EmulatorConfig::link_ttl`]; earlier links stay valid.
//! - **JWTs** are signed with RSA (`RS256`, 2048 bits) by default, or ES256 / EdDSA
//!   ([`EmulatorConfig::signing_algorithm`]); the header names the key by `kid`. Claims:
//!   `iss` (project id), `sub` (user id), `iat`, `exp`, `drn` (`DS` session, `DSR` refresh),
//!   `amr` (the channel signed in with: `email`, `sms`, `voice`, `whatsapp`, `im`), `roles` and
//!   `permissions` (project level, always present), `tenants` (`{id: {roles, permissions}}`,
//!   only when the user has tenants), `dct` (only when a tenant is selected, by
//!   `loginOptions.tenantId` or `tenant/select`), `tu: true` for test users, the custom claims
//!   of an embedded link or a test user's `loginOptions` (never replacing these), and a unique
//!   `jti`. Claims are read from the user when a token is issued, so management changes show
//!   at the next sign-in or refresh; `permissions` are those given through the test-only API
//!   plus those the user's roles grant (project roles at the top; in a tenant, the tenant's own
//!   role of that name, else the project role).
//! - **Keys**: `GET /v2/keys/{projectId}` publishes the JWKS (`{"keys": [{"alg", "e", "kid",
//!   "kty", "n", "use"}]}` for RSA; `crv`/`x`/`y` for EC, `crv`/`x` for OKP) without
//!   authentication. A rotation
//!   ([`Emulator::rotate_signing_key`]) signs with a new key from then on and keeps the old one
//!   published and accepted for [`EmulatorConfig::retired_key_ttl`] of emulator clock.
//! - **Sessions**: refresh issues a new session JWT (and, with
//!   [`EmulatorConfig::rotate_refresh_tokens`], a new refresh JWT, revoking the old); logout
//!   revokes the refresh JWT it is called with, logout-all every refresh JWT of the user, a
//!   sign-in with `loginOptions.revokeOtherSessions` those of the user before it. Session JWTs
//!   are not recalled. `me` is the user as stored (`roleNames`, `userTenants`), `me/history`
//!   one entry per completed verify (`userId`, `loginTime`, `ip` of the peer, `selectedTenant`;
//!   no city or country) as a bare array; `me/tenants` takes `dct: true` or a non-empty `ids`;
//!   `tenant/select` issues tokens whose `dct` is the tenant; validate answers
//!   `{"parsedJWT": claims}` for a valid session JWT; try-refresh answers `{}` without a usable
//!   refresh JWT.
//! - **Access keys**: `POST /v1/auth/accesskey/exchange` with `Bearer <ProjectId>:<cleartext>`
//!   answers `{keyId, sessionJwt, expiration}`: a session JWT living
//!   [`EmulatorConfig::session_ttl`] (no refresh JWT) with `sub` the key id, `roles`,
//!   `permissions` and `tenants` from the key's roles (a key bound to a user, `userId`, acts
//!   with that user's, and is refused once the user is gone), the key's custom claims then
//!   `loginOptions.customClaims`, and `dct` from `loginOptions.selectedTenant`, which must be one
//!   of the key's tenants (403 `E011003`). No `amr`: no sign-in method was used. The key must be
//!   known, active and unexpired (`expireTime`, unix seconds, 0 never), else 401 `E011003`, and
//!   the caller's address must match an entry of its `permittedIps` (addresses or CIDR ranges,
//!   IPv4 or IPv6; none means anywhere), else 403 `E011003`. Management creates keys (the
//!   cleartext, 64 hex digits, is answered by create and rotate only; the emulator keeps its
//!   SHA-256), loads, searches (every filter given: `tenantIds`, `text` in the name, id or
//!   description ignoring case, `boundUserId`, `creatingUser` against `createdBy`,
//!   `customAttributes`; creation order, `sort` not applied), updates (fields given replace,
//!   absent or `null` ones stay), rotates, (de)activates and deletes them (batches act on each id
//!   they know and skip the others; an empty `ids` is 400 `E011002`), and imports them with the
//!   `cleartext` they had (all or nothing; an id taken or a `:` in a cleartext refuses the
//!   batch). Roles must exist at project level, tenants must exist with roles a member can hold,
//!   a bound user must exist (the users' rules and codes). `createdBy` is empty for keys created
//!   with the management key.
//! - **Token administration** (management key): `UpdateJWT` re-signs a valid session JWT of
//!   this project with its claims, `roles`, `permissions` and `tenants` read again from its user
//!   (when it is a stored user's), and `customClaims` added with their JSON types (a claim the
//!   emulator sets, or `act`, `danu`, `su`, is never taken from a caller); new `iat` and `jti`,
//!   `exp` `refreshDuration` seconds from now (else [`EmulatorConfig::session_ttl`]); another
//!   JWT is 401 `E011003`. `Impersonate` needs the impersonator (`impersonatorId`, a login or
//!   user id) to hold the `Impersonate` permission at project level, or in `selectedTenant`
//!   when given, else in a tenant of the user (403 `E011003`), and with `validateConsent` a
//!   consent of the user (`UpdateUserImpersonationConsent`) ending after now (403 `E011003`);
//!   it answers `{jwt}`, the user's refresh JWT with `act: {"sub": <impersonator's user id>}`
//!   (RFC 8693's actor claim; Descope names none and no SDK reads it), which the session JWTs
//!   refreshed from it carry too; `ImpersonateStepup` (or `stepup: true`) adds `su: true`.
//!   `StopImpersonation` takes such a refresh JWT (not one: 400 `E011004`), revokes it and
//!   answers `{jwt}`, a refresh JWT of the impersonator. The backend `GenerateJWTSignIn`,
//!   `GenerateJWTSignUp` (a taken login id is 400 `E062107`) and `GenerateJWTSignUpOrIn` answer
//!   as a verify does (tokens, cookie fields, `firstSeen`, `user`; an entry in the history;
//!   empty `amr`); `stepup` and `mfa` need the user's refresh JWT in `jwt` (401 `E011003`), and
//!   `stepup` adds `su: true`; `selectedTenantId` (or the Node SDK's `tenantId`) must be one of
//!   the user's tenants and becomes `dct`. `Anonymous` answers session and refresh JWTs of a user
//!   stored nowhere: `sub` a fresh `A…` id, `danu: true` (Descope's mark,
//!   docs.descope.com/anonymous-users), `roles` (existing project roles) with their
//!   permissions, `dct` the `selectedTenant` as given; refreshing works, `me` is 404.
//!   `refreshDuration` (seconds) sets the refresh JWT's lifetime in all of these, the session
//!   JWT never outliving it. Tokens of these calls stay in the body whatever the
//!   [`TokenDelivery`].
//! - **Cookies**: every token answer carries, as the service's do, `cookieDomain`
//!   ([`EmulatorConfig::cookie_domain`], empty when unset), `cookiePath` (`/`), `cookieMaxAge`
//!   and `cookieExpiration` (the refresh cookie's lifetime and expiry), `sessionExpiration`,
//!   `cookieName` (`DSR`) and `sessionCookieName` (`DS`). With [`TokenDelivery::Cookies`],
//!   verify, refresh, try-refresh and tenant-select answers carry the tokens in
//!   `Set-Cookie: DS=…` / `DSR=…` (`Path=/; [Domain=<cookie_domain>; ]HttpOnly; Secure;
//!   SameSite=Strict; Max-Age=<seconds to expiry>`) instead of the body; logout and logout-all
//!   send both cookies empty with `Max-Age=0` (and the same `Domain`, without which a browser
//!   keeps them).
//! - **Management** (users, test users, tenants, roles, permissions, custom attribute
//!   definitions, and `GET /v1/mgmt/license`, which answers `{"rateLimitTier": "tier1"}`). A
//!   body's `loginId` may be any login id of the user or the user id; `null` means "not set";
//!   `displayName` and `name`, `ssoAppIds` and `ssoAppIDs`, `additionalLoginIds` and
//!   `additionalIdentifiers` are read alike; queries decode `+` as a space. Users created
//!   through management sign in by code or link at their `email` and `phone`; `UpdateUser`
//!   overwrites (login ids, status and `test` excepted), `PatchUser` changes what it is given.
//!   A **disabled** user can neither sign in (sign-in, sign-up-or-in, verify) nor use a refresh
//!   JWT: 403 `E062110`; enabling them again revives their refresh JWTs. Deleting a user or
//!   `LogoutUser` revokes their refresh JWTs (401 `E064001`). An invitation (`invite: true`)
//!   puts a magic link in the outbox; signing in with it turns `invited` into `enabled`. Search
//!   applies every filter given (test users only with `withTestUser`, or only them with
//!   `testUsersOnly` and on the test path), sorts by `sort` (else creation order), and pages
//!   (`limit` 0 is 100, `page` from 0, a positive `offset` wins; `total` counts every match).
//!   Test users' generated codes and links verify with the ordinary verify calls (an `Embedded`
//!   code as an email code); other users are refused (400 `E011004`). Roles must exist and
//!   grant existing permissions; a role is project-level or scoped to a tenant (names are
//!   unique per scope); a user's roles in a tenant must be that tenant's or project-level ones,
//!   and the user must belong to the tenant. Deleting a **permission in use** takes it out of the
//!   roles that grant it (they stay); deleting a role takes it from its holders and from tenants'
//!   default roles, which new members of a tenant receive. Custom attributes must be defined
//!   before users carry them. Passwords are kept as a salted SHA-256 and never answered;
//!   passkeys exist only when imported, trusted devices never (the flows remember none), and
//!   provider tokens only when seeded ([`Emulator::set_provider_token`]); removing what is
//!   absent succeeds. Batches of users report failures per user; batches of roles and
//!   permissions are all or nothing. `DeleteRoles` without names or ids deletes every role of
//!   its scope (as the Python SDK says the service does); `DeletePermissions` without either is
//!   refused.
//! - **Seeded users and fixed codes**: [`EmulatorConfig::users`] (from a JSON file with
//!   [`load_users`] or `--users`) exist from the start and sign in without signing up; a file
//!   is an array of users, or `{"users": [...]}`, each `{"loginId"` (required), `"email"`,
//!   `"phone"`, `"name"`, `"givenName"`, `"middleName"`, `"familyName"`, `"verifiedEmail"`,
//!   `"verifiedPhone"`, `"roles"`, `"permissions"`, `"tenants": [{"tenantId", "tenantName"`
//!   (default: the id)`, "roles", "permissions"}]`, `"fixedCode"}`. A login id that is an email
//!   address (or a phone number) is also the user's email (or phone) unless one is given; a
//!   user must end up with one or the other. Unknown fields, wrong types, bad contacts,
//!   duplicate login ids or tenants are refused with the file and the place (`users.json:
//!   [1].tenants[0].tenantId: is required`, `users.json: line 3, column 7: not JSON: …`), and
//!   the emulator does not start. A **fixed code** ([`EmulatorConfig::fixed_codes`],
//!   `--fixed-code`, a user's `fixedCode`, [`Emulator::set_fixed_code`]) replaces the random
//!   code on every OTP sent for that login id, as a Descope test user's static OTP; it stays
//!   single-use per send, expires and counts wrong attempts.
//!
//! # Test-only endpoints
//!
//! **For tests on your own machine only**: they take no credential and are never
//! rate-limited (like the keys), and they reveal every code, change every user and reset
//! everything. The emulator binds `127.0.0.1` unless [`EmulatorConfig::listen`] (`--listen`)
//! names another address, which exposes these endpoints to whoever reaches it: a container's
//! private network, never a shared one. With [`EmulatorConfig::admin_api`] false
//! (`--no-admin`) every `/emulator/…` path answers 404 exactly as an unknown path does; the
//! Rust methods still work. Each endpoint has a Rust twin.
//!
//! So that no web page can change them (CSRF), every `POST`, `PUT`, `PATCH` and `DELETE` here
//! must carry `Content-Type: application/json`, **even without a body** (`POST
//! /emulator/reset`, `DELETE /emulator/outbox`), else 415 `E011001`: a page can have the browser
//! send a form, a `text/plain` body or none anywhere without a CORS preflight, but not JSON, and
//! the emulator grants no preflight. A change with an `Origin` that is not loopback or an
//! allowed host (`null` included) is 403 `E011003`. Reads need neither. The outbox is indexed
//! by login id: [`Emulator::last_message_for`] and `?loginId=` cost the same however many
//! messages were sent (it grows until cleared or reset, as before).
//!
//! | endpoint | does | Rust |
//! | --- | --- | --- |
//! | `GET /emulator/outbox[?loginId=…]` | what would have been sent | [`Emulator::outbox`] |
//! | `DELETE /emulator/outbox` | forget it | [`Emulator::clear_outbox`] |
//! | `POST /emulator/reset` | back to the start-up state (below); answers what was cleared | [`Emulator::reset`] |
//! | `POST /emulator/clock` `{"seconds": N}` | move the clock forward; answers `{offsetSeconds, now}` | [`Emulator::advance_clock`] |
//! | `GET /emulator/clock` | `{offsetSeconds, now}` | [`Emulator::now`] |
//! | `POST /emulator/keys/rotate` | new signing key; answers `{kid, retiredKid}` | [`Emulator::rotate_signing_key`] |
//! | `GET /emulator/users?loginId=…` | the user as stored (`ResponseUser`) | — |
//! | `POST /emulator/users` `{one users-file entry}` | add a user who signs in at once; answers it | [`Emulator::add_user`] |
//! | `POST /emulator/users/roles` `{loginId, roles?, permissions?}` | replace the user's project roles and permissions | [`Emulator::set_user_roles`] |
//! | `POST /emulator/users/tenants` `{loginId, tenantId, tenantName?, roles?, permissions?}` | add the user to a tenant (or replace that membership) | [`Emulator::add_user_to_tenant`] |
//! | `POST /emulator/users/provider-token` `{loginId, provider, accessToken, refreshToken?, expiration?, scopes?, providerUserId?}` | give the user a social provider's token; answers the user | [`Emulator::set_provider_token`] |
//! | `POST /emulator/tenants` `{a CreateTenant body}` | define a tenant as management does; answers `{id}` | [`Emulator::create_tenant`] |
//! | `POST /emulator/roles` `{a CreateRole body}` | define a role as management does; answers it | [`Emulator::create_role`] |
//! | `POST /emulator/permissions` `{a CreatePermission body}` | define a permission as management does; answers it | [`Emulator::create_permission`] |
//! | `GET /emulator/fixed-codes` | `{"<loginId>": "123456", …}` | [`Emulator::fixed_codes`] |
//! | `PUT /emulator/fixed-codes` `{"<loginId>": "123456", …}` | replace them all; answers them | [`Emulator::set_fixed_code`] |
//! | `PATCH /emulator/fixed-codes` `{"<loginId>": "123456" \| null, …}` | merge (`null` removes); answers them | [`Emulator::remove_fixed_code`] |
//! | `GET /emulator/rate-limit` | `{"rateLimit": {maxCalls, windowSeconds} \| null}` | [`Emulator::rate_limit`] |
//! | `PUT /emulator/rate-limit` `{"maxCalls": N, "windowSeconds": S}` | switch the limit on (N from 0, S ≥ 1) with a fresh window; answers it | [`Emulator::set_rate_limit`] |
//! | `DELETE /emulator/rate-limit` | switch it off; answers `{"rateLimit": null}` | [`Emulator::set_rate_limit`] |
//! | `GET /emulator/config` | the configuration it started with (what a reset returns to) | [`Emulator::config`] |
//!
//! The users endpoints answer the user; an unknown login id is 404 `E062108`, a taken one (on
//! `POST /emulator/users`) 400 `E062107`. Roles and permissions given through
//! `/emulator/users/roles` and `/emulator/users/tenants` are taken as they are (no role or
//! tenant need exist); the tenant, role and permission endpoints check their bodies as the
//! management calls do. A malformed body is 400 `E011002` (a required field
//! missing) or `E011003`, the message naming the field as a JSON pointer (`/tenants/0/roles`).
//! `PUT` and `PATCH` need a body.
//!
//! **Reset** forgets users (and their history, roles and tenants), tenants, roles, permissions,
//! custom attribute definitions and access keys, pending codes and links,
//! the outbox, the refresh JWTs (presented again they answer 401 `E064001`), the fixed codes,
//! the rate-limit window and the clock offset; it keeps the signing keys, so applications'
//! cached JWKS stay right. Then it seeds [`EmulatorConfig::users`] again (with new user ids),
//! and puts back [`EmulatorConfig::fixed_codes`] and [`EmulatorConfig::rate_limit`]. It
//! answers `{"cleared": {users, codes, links, outboxMessages, refreshTokens, tenants, roles,
//! permissions, customAttributes, accessKeys, fixedCodes, clockOffsetSeconds, rateWindowCalls},
//! "restored": {users, fixedCodes, rateLimit}}`
//! ([`ResetReport`]).
//!
//! # State file
//!
//! With [`EmulatorConfig::state_file`] (`--state FILE`) the durable state lasts across
//! restarts. At start it is loaded from the file when the file exists; a file that cannot be
//! read or is not a state this emulator wrote (empty, not JSON, another format, another
//! project id) stops the start ([`try_start`] answers `InvalidData` naming the file and the
//! problem; the binary exits 1) and is left untouched: never an empty state in its place. Then,
//! and after every call that changed it (before the call is answered; through the Rust methods
//! too), it is written to a temporary file in the same directory, synced and renamed over the
//! file (mode 0600 on Unix), so a `kill -9` loses nothing answered and the file is always whole.
//! The binary saves once more on Ctrl-C or SIGTERM ([`Emulator::save_state`]). A save that fails
//! answers the call 500 `E010000` naming the file (the change stands in memory; the next save
//! tries again).
//!
//! Kept: users (with roles, tenants, custom attributes, history, password digests, passkeys and
//! provider tokens), tenants, roles, permissions, attribute definitions, access keys (the
//! SHA-256 of their cleartexts), fixed codes; the
//! signing keys with their private keys and the retired ones, and the live refresh JWTs, so
//! tokens issued before a restart still verify and refresh (and revoked ones stay revoked); the
//! management key made at start ([`EmulatorConfig::management_key`] wins over it); the clock
//! offset, so those tokens' times stay in the past. Not kept: codes and links in flight, SSO
//! setup links, the outbox, the rate limit and its window (the configuration's is in force at
//! every start). The file therefore holds secrets (private keys, the management key, salted
//! SHA-256 password digests, provider tokens): it is for development, not for real users. The
//! configuration's users are added when the file does not hold them (a saved one is kept as
//! saved) and its fixed codes apply again; a reset forgets what the file held, and is saved. A
//! configured [`EmulatorConfig::signing_algorithm`] other than the saved key's makes a new key,
//! the saved one retired as by a rotation.
//!
//! # Error statuses
//!
//! | code | status | when |
//! | --- | --- | --- |
//! | `E011001` | 400 | body not JSON or not an object (not an array, for the management history); also 404/405 for unknown paths and methods |
//! | `E011002` | 400 | a required field or query parameter is missing (the message names it); `me/tenants` with neither `dct: true` nor `ids`; a management call naming its user, role or permission by neither key; empty `userIds`, `identifiers`, or `DeletePermissions` filter; an empty `ids` in an access-key batch |
//! | `E011003` | 400 | the body breaks the schema (the message gives the field's path; negative `limit`, `page`, `offset`); `me/tenants` with both `dct: true` and `ids`; an unknown `status`, `authType`, `deliveryMethod` or attribute type; both `name` and `id` |
//! | `E011003` | 401 | bad or missing bearer, wrong project; a refresh or session JWT that is forged, expired, of the other kind, of another project, signed by a dropped key, or whose user was merged away; an unknown, used or expired magic link; an access key that is unknown, deactivated or expired (or whose bound user is gone); `UpdateJWT`'s `jwt` not a valid session JWT; `StopImpersonation`'s not a live refresh JWT; a backend `stepup`/`mfa` sign-in without the user's refresh JWT |
//! | `E011003` | 403 | `tenant/select` or `loginOptions.tenantId` naming a tenant the user is not a member of (also the tenant selected by an access-key exchange, an impersonation or a backend sign-in); an access key exchanged from an address outside its `permittedIps` ("Address not allowed"); an impersonator without the `Impersonate` permission, or impersonation with `validateConsent` of a user without a current consent ("Forbidden") |
//! | `E011004` | 400 | an email without `@`, a phone that is not 6–15 digits, a user without that contact; a refresh with `externalToken` (not emulated); management: a tenant, role, permission or attribute definition whose id or name is taken, a reference to one that does not exist (a user's role or tenant, a role's permission, default roles), a user not in the tenant whose roles change, a role of another tenant, an attribute value of the wrong type, the last login id, codes for a user who is not a test user, a tenant with sub-tenants, bad lifetimes or units in tenant settings; an access key's role or tenant that does not exist, a `permittedIps` entry that is no address or CIDR range, an imported key whose id is taken or whose cleartext holds `:`; an anonymous session's role that does not exist; `StopImpersonation` of a JWT with no `act` |
//! | `E011004` | 404 | management: the tenant, role or permission named does not exist (also a role's tenant, a tenant's parent), or the user holds no token from that provider; no access key has the id (load, update, rotate, (de)activate, delete) |
//! | `E061102` | 401 | wrong, expired or never-sent code |
//! | `E061103` | 401 | too many wrong codes; the code is burnt until a new one is sent |
//! | `E062107` | 400 | sign-up of a registered login id; an update conflicting with another user; management: a login id (or a `newLoginId`, an additional login id, a sign-up link's) that another user holds, or an email or phone that is another user's login id with `failOnConflict` |
//! | `E062108` | 404 | sign-in (or verify) of an unknown login id; management: no user has that login id or user id (also an access key's `userId`, an impersonator or impersonated user, a backend sign-in) |
//! | `E062110` | 403 | a disabled user signs in (also through the backend sign-ins), verifies, presents a refresh JWT, is impersonated or ends an impersonation as the impersonator (the emulator's code: Descope documents none) |
//! | `E064001` | 401 | a revoked refresh JWT: after logout, logout-all, `revokeOtherSessions`, rotation, or management's `LogoutUser` or deletion of the user |
//! | `E011003` | 403 | a `Host` that is neither loopback nor an allowed host ("Host not allowed"); an admin change from another `Origin` ("Origin not allowed") |
//! | `E011001` | 413 | a body over the limit (64 KiB; 1 MiB for management calls) |
//! | `E011001` | 415 | an operation's body not sent as `application/json`; an admin change without `Content-Type: application/json` |
//! | `E130429` | 429 | over the rate limit in force ([`EmulatorConfig::rate_limit`], `PUT /emulator/rate-limit`), with `Retry-After` in seconds |
//! | `E011001` | 501 | an operation of the spec without a behaviour yet (a test keeps this from happening) |
//! | `E010000` | 500 | the call was made but the state file could not be written ("State not saved"); a defect of the emulator (a request schema that does not compile) |
//! | `E010000` | 503 | the machine's random source or crypto library failed |
//!
//! Every answer is a JSON body (`{}` at least, for the Node SDK, which parses every body), and
//! no ordinary error is 503 or 520–530, which the Python SDK retries with 5 s sleeps: 503 only
//! for a failing machine. The only answers without a JSON body are hyper's own, for bytes that
//! are not HTTP or headers over its limit.

mod admin;
mod api;
mod emulator;
mod error;
mod guard;
#[rustfmt::skip]
mod generated {
    //! Written by `cargo xtask generate`: the client's operation table, byte for byte.
    pub mod operations;
}
mod operations;
mod server;
mod setup;
mod state;
mod tokens;
mod url;

pub use emulator::{Emulator, start, try_start};
pub use error::ApiError;
pub use setup::cli;
pub use setup::config::{
    EmulatorConfig, MAX_DURATION, RateLimit, SigningAlgorithm, TokenDelivery, check_allowed_host,
    check_cookie_domain, check_project_id,
};
pub use setup::seed::{SeedError, SeedUser, check_fixed_code};
pub use setup::users_file::{load_users, users_from_json};
pub use state::ResetReport;
pub use state::outbox::{Channel, Delivery, OutboxMessage};
pub use state::user::Membership as TenantMembership;
pub use state::user::ProviderToken;
pub use tokens::jwt;
