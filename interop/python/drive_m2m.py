#!/usr/bin/env python3
"""Drives the machine-to-machine half of Descope's official Python SDK (`descope`, pinned in
requirements.txt), unchanged and through its public API only, against the emulator: access keys
(`client.mgmt.access_key`, `client.exchange_access_key`) and the token administration of
`client.mgmt.jwt` (JWT update, impersonation and its stop, the management sign-in, sign-up and
sign-up-or-in, anonymous sessions).

    drive_m2m.py --base-url URL --emulator-url URL --project-id ID --management-key KEY \
        --recording FILE

The arguments are drive_mgmt.py's. Two clients: `DescopeClient(project_id, management_key=…,
base_url=…)` for management, and a keyless `DescopeClient(project_id, base_url=…)`, the machine
client, that exchanges the keys and validates what it gets with the JWKS it fetches itself.
Every answer is read through the SDK's own parsing and checked against what the emulator's
semantics promise (emulator/README.md, emulator/src/api/exchange.rs,
emulator/src/api/management/{access_keys,jwt,impersonation}.rs).

One scenario, in order: its permissions, roles, tenant and users (made with the SDK's role,
permission, tenant and user calls), then access keys (create with every option, load, search,
the exchange with and without login options, update, deactivate and activate one at a time and
in batches, rotate, the refusals of an unknown, deactivated, expired, rotated-out, deleted key or
one used from an address it does not permit, delete one and a batch), then tokens (management
sign-in with step-up and MFA, sign-up, sign-up-or-in, JWT update, impersonation, step-up
impersonation and its stop, anonymous sessions). It runs after drive.py and drive_mgmt.py on the
same emulator, so its login ids (`py-m2m-…`), roles and tenant are its own.

Prints drive.py's lines (`PASS python mgmt.access_key.create (name only)`, `FAIL …`, `SKIP …`),
then `python: N passed, N failed, N skipped`; exits 1 when anything failed.

What no call of this SDK reaches is said at the end (`ImportAccessKeys`,
`UpdateUserImpersonationConsent`).
"""

from __future__ import annotations

import argparse
import sys

from descope import AuthException, DescopeClient
from descope.common import AccessKeyLoginOptions
from descope.management.common import (
    AssociatedTenant,
    MgmtLoginOptions,
    MgmtSignUpOptions,
    MgmtUserRequest,
)

from drive import FAILED, SDK, Check, Suite, describe

TENANT_ID = "T2interopM2mPython"
TENANT_NAME = "Interop Python M2M Tenant"
READ = "py-m2m-read"  # a permission the reader role grants
IMPERSONATE = "Impersonate"  # the permission impersonation needs (emulator/README.md)
READER = "py-m2m-reader"  # a project role granting READ
IMPERSONATOR_ROLE = "py-m2m-impersonator"  # a project role granting Impersonate
TENANT_ROLE = "py-m2m-tenant-role"  # a role of the tenant, granting READ
CUSTOM_CLAIMS = {"plan": "pro", "seats": 3, "beta": True}
KEY_ATTRIBUTES = {"team": "interop", "level": 2}
# Unix seconds: far in the future (2100-01-01), and long past (2001-09-09).
FUTURE = 4102444800
PAST = 1000000000
# Login ids of this driver only.
ADMIN = "py-m2m-admin@example.com"  # holds the impersonator role
TARGET = "py-m2m-target@example.com"  # impersonated; a member of the tenant
PLAIN = "py-m2m-plain@example.com"  # without the Impersonate permission
BOUND = "py-m2m-bound@example.com"  # a key is bound to this user
SIGNUP = "py-m2m-signup-01@example.com"  # made by the management sign-up, every option
SIGNUP2 = "py-m2m-signup-02@example.com"  # made by the management sign-up, login id only
SIGNUP_OR_IN = "py-m2m-signup-in@example.com"  # made by sign-up-or-in, then signed in by it


def expect(condition, message: str) -> None:
    if not condition:
        raise Check(message)


def refused(status: int, code: str, action) -> AuthException:
    """Runs a call the emulator must refuse with `status` and the error code `code` (which this
    SDK leaves in the exception's raw message); returns the SDK's exception."""
    try:
        result = action()
    except AuthException as error:
        if int(error.status_code or 0) != status or code not in str(error.error_message):
            raise Check(f"expected HTTP {status} {code}, got {describe(error)}") from error
        return error
    raise Check(f"expected HTTP {status} {code}, but it was served: {result!r}")


def key_of(answer: dict, name: str | None = None) -> dict:
    """The `key` of a `{"key": …}` answer, checked to be named `name`."""
    key = answer.get("key") if isinstance(answer, dict) else None
    expect(isinstance(key, dict) and key.get("id"), f"expected {{'key': {{'id': …}}}}, got {answer!r}")
    if name is not None:
        expect(key.get("name") == name, f"name: {key.get('name')!r}")
    return key


def created_key(answer: dict, name: str) -> dict:
    """A create's or rotate's `{key, cleartext}`: the key and its cleartext."""
    key = key_of(answer, name)
    cleartext = answer.get("cleartext")
    expect(isinstance(cleartext, str) and len(cleartext) >= 16 and ":" not in cleartext,
           f"cleartext: {cleartext!r}")
    expect(key["id"].startswith("K2"), f"id: {key['id']!r}")
    expect(key.get("status") == "active", f"status: {key.get('status')!r}")
    return {"id": key["id"], "cleartext": cleartext, "key": key}


def session_of(answer: dict) -> dict:
    """The claims of the session JWT in an answer the SDK parsed (and validated)."""
    session = answer.get("sessionToken") if isinstance(answer, dict) else None
    expect(isinstance(session, dict) and session.get("jwt"), f"no session JWT in {sorted(answer or {})}")
    return session


def both_tokens(answer: dict) -> dict:
    """The session and refresh JWTs of a sign-in the SDK parsed and validated, with their claims."""
    session = session_of(answer)
    refresh = answer.get("refreshSessionToken")
    expect(isinstance(refresh, dict) and refresh.get("jwt"), "no refresh JWT")
    expect(session.get("drn") == "DS" and refresh.get("drn") == "DSR", "drn claims")
    expect(session.get("sub") == refresh.get("sub"), "the two JWTs name different subjects")
    return {"session": session["jwt"], "refresh": refresh["jwt"], "claims": session, "answer": answer}


def has_claims(claims: dict, wanted: dict) -> None:
    """Each wanted claim, with its JSON type (3 is not "3", True is not 1)."""
    for name, value in wanted.items():
        got = claims.get(name)
        expect(got == value and type(got) is type(value), f"claim {name}: {got!r}, expected {value!r}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--emulator-url", required=True)
    parser.add_argument("--project-id", required=True)
    parser.add_argument("--management-key", required=True)
    parser.add_argument("--recording", required=True)
    args = parser.parse_args()

    suite = Suite(args.emulator_url, args.recording)
    call = suite.call

    # 0. The clients: the management one (its constructor makes the license handshake) and the
    #    machine client, with no key of its own, that only exchanges access keys.
    client = call(
        "m2m.client", "construct (license handshake)",
        lambda: DescopeClient(project_id=args.project_id, management_key=args.management_key, base_url=args.base_url),
    )
    machine = call("m2m.client", "construct (keyless, for the exchanges)",
                   lambda: DescopeClient(project_id=args.project_id, base_url=args.base_url))
    if client is FAILED or machine is FAILED:
        print(f"{SDK}: {suite.passed} passed, {suite.failed} failed", flush=True)
        return 1
    mgmt = client.mgmt
    access_key, jwt, user, role, permission, tenant = (
        mgmt.access_key, mgmt.jwt, mgmt.user, mgmt.role, mgmt.permission, mgmt.tenant)

    # 1. What the keys and the impersonation need, with the SDK's own management calls.
    setup = call("mgmt.permission.create_batch", f"({READ}, {IMPERSONATE})",
                 lambda: permission.create_batch([{"name": READ}, {"name": IMPERSONATE}]))
    call("mgmt.role.create", f"({READER}: {READ})",
         lambda: role.create(READER, permission_names=[READ]), [setup])
    call("mgmt.role.create", f"({IMPERSONATOR_ROLE}: {IMPERSONATE})",
         lambda: role.create(IMPERSONATOR_ROLE, permission_names=[IMPERSONATE]), [setup])
    made_tenant = call("mgmt.tenant.create", "(with an id)", lambda: tenant.create(TENANT_NAME, id=TENANT_ID))
    call("mgmt.role.create", f"({TENANT_ROLE} in the tenant)",
         lambda: role.create(TENANT_ROLE, permission_names=[READ], tenant_id=TENANT_ID), [setup, made_tenant])

    def create_user(login_id: str, **options):
        def run():
            answer = user.create(login_id, email=login_id, **options)
            found = answer.get("user") or {}
            expect(found.get("userId"), f"answer: {answer!r}")
            return found["userId"]
        return run

    admin_id = call("mgmt.user.create", "(the impersonator)", create_user(ADMIN, role_names=[IMPERSONATOR_ROLE]),
                    [setup])
    target_id = call("mgmt.user.create", "(the target, in the tenant)",
                     create_user(TARGET, display_name="Target", role_names=[READER],
                                 user_tenants=[AssociatedTenant(TENANT_ID, [TENANT_ROLE])]), [setup, made_tenant])
    plain_id = call("mgmt.user.create", "(no Impersonate permission)", create_user(PLAIN))
    bound_id = call("mgmt.user.create", "(a key's user)", create_user(BOUND, role_names=[READER]), [setup])

    # 2. Access keys: creation.
    def create_plain():
        made = created_key(access_key.create("py-m2m-key-plain"), "py-m2m-key-plain")
        key = made["key"]
        expect(key.get("expireTime") == 0 and key.get("roleNames") == [] and key.get("keyTenants") == [],
               f"key: {key!r}")
        return made

    plain = call("mgmt.access_key.create", "(name only)", create_plain)

    def create_full():
        made = created_key(access_key.create(
            "py-m2m-key-full", expire_time=FUTURE, role_names=[READER], custom_claims=CUSTOM_CLAIMS,
            description="Every option", permitted_ips=["127.0.0.1", "10.0.0.0/8"],
            custom_attributes=KEY_ATTRIBUTES,
        ), "py-m2m-key-full")
        key = made["key"]
        wanted = {"expireTime": FUTURE, "roleNames": [READER], "customClaims": CUSTOM_CLAIMS,
                  "description": "Every option", "permittedIps": ["127.0.0.1", "10.0.0.0/8"],
                  "customAttributes": KEY_ATTRIBUTES}
        wrong = {name: key.get(name) for name, value in wanted.items() if key.get(name) != value}
        expect(not wrong, f"the key differs: {wrong!r}")
        return made

    full = call("mgmt.access_key.create", "(expiry, roles, custom claims, description, permitted IPs, attributes)",
                create_full, [setup])

    def create_tenant_key():
        made = created_key(access_key.create(
            "py-m2m-key-tenant", key_tenants=[AssociatedTenant(TENANT_ID, [TENANT_ROLE])]), "py-m2m-key-tenant")
        tenants = made["key"].get("keyTenants")
        expect(len(tenants or []) == 1 and tenants[0].get("tenantId") == TENANT_ID
               and tenants[0].get("roleNames") == [TENANT_ROLE]
               and tenants[0].get("tenantName") == TENANT_NAME, f"keyTenants: {tenants!r}")
        return made

    tenant_key = call("mgmt.access_key.create", "(a tenant with its roles)", create_tenant_key, [made_tenant])

    def create_bound():
        made = created_key(access_key.create("py-m2m-key-bound", user_id=bound_id), "py-m2m-key-bound")
        expect(made["key"].get("boundUserId") == bound_id, f"boundUserId: {made['key'].get('boundUserId')!r}")
        return made

    bound = call("mgmt.access_key.create", "(bound to a user)", create_bound, [bound_id])
    call("mgmt.access_key.create", "(an unknown role: 400)",
         lambda: refused(400, "E011004", lambda: access_key.create("py-m2m-key-bad", role_names=["no-such-role"])))
    call("mgmt.access_key.create", "(an unknown bound user: 404)",
         lambda: refused(404, "E062108", lambda: access_key.create("py-m2m-key-bad", user_id="U2nobody")))
    far = call("mgmt.access_key.create", "(permitted from 10.0.0.0/8 only)",
               lambda: created_key(access_key.create("py-m2m-key-far", permitted_ips=["10.0.0.0/8"]),
                                   "py-m2m-key-far"))
    expired = call("mgmt.access_key.create", "(expired in 2001)",
                   lambda: created_key(access_key.create("py-m2m-key-expired", expire_time=PAST),
                                       "py-m2m-key-expired"))

    # Load and search.
    def load_full():
        key = key_of(access_key.load(full["id"]), "py-m2m-key-full")
        expect(key.get("id") == full["id"] and key.get("roleNames") == [READER], f"key: {key!r}")
        expect("cleartext" not in key and key.get("status") == "active", f"key: {key!r}")
        expect(key.get("customClaims") == CUSTOM_CLAIMS, f"customClaims: {key.get('customClaims')!r}")
        return key

    call("mgmt.access_key.load", "", load_full, [full])
    call("mgmt.access_key.load", "(an unknown id: 404)",
         lambda: refused(404, "E011004", lambda: access_key.load("K2" + "0" * 32)))

    def search(expected: list, **filters):
        def run():
            answer = access_key.search_all_access_keys(**filters)
            keys = answer.get("keys") if isinstance(answer, dict) else None
            expect(isinstance(keys, list), f"expected {{'keys': [...]}}, got {answer!r}")
            found = sorted(k.get("name") for k in keys)
            expect(found == sorted(expected), f"expected {sorted(expected)}, got {found}")
            expect(not any("cleartext" in k for k in keys), "a searched key carries its cleartext")
            return keys
        return run

    every_key = ["py-m2m-key-plain", "py-m2m-key-full", "py-m2m-key-tenant", "py-m2m-key-bound",
                 "py-m2m-key-far", "py-m2m-key-expired"]
    keys_made = [plain, full, tenant_key, bound, far, expired]
    call("mgmt.access_key.search_all_access_keys", "(no filter)", search(every_key), keys_made)
    call("mgmt.access_key.search_all_access_keys", "(tenant ids)",
         search(["py-m2m-key-tenant"], tenant_ids=[TENANT_ID]), [tenant_key])
    call("mgmt.access_key.search_all_access_keys", "(bound user)",
         search(["py-m2m-key-bound"], bound_user_id=bound_id), [bound])
    call("mgmt.access_key.search_all_access_keys", "(custom attributes)",
         search(["py-m2m-key-full"], custom_attributes={"team": "interop"}), [full])
    call("mgmt.access_key.search_all_access_keys", "(creating user: none match)",
         search([], creating_user="py-m2m-nobody"), keys_made)

    # The exchange: the machine client trades a cleartext for a session JWT and validates it
    # with the emulator's JWKS, which it fetches itself.
    def exchange(made: dict, **options):
        answer = machine.exchange_access_key(made["cleartext"], **options)
        claims = session_of(answer)
        expect(claims.get("sub") == made["id"], f"sub: {claims.get('sub')!r}, the key is {made['id']}")
        expect(answer.get("keyId") == made["id"], f"keyId: {answer.get('keyId')!r}")
        expect(answer.get("projectId") == args.project_id, f"projectId: {answer.get('projectId')!r}")
        expect("refreshSessionToken" not in answer, "an exchange answered a refresh JWT")
        return answer

    def exchange_plain():
        answer = exchange(plain)
        expect(answer.get("roles") == [] and answer.get("permissions") == [], f"answer: {answer!r}")
        return answer

    call("exchange_access_key", "(name-only key)", exchange_plain, [plain])

    def exchange_full():
        answer = exchange(full)
        expect(machine.validate_roles(answer, [READER]), f"roles: {answer.get('roles')!r}")
        expect(machine.validate_permissions(answer, [READ]), f"permissions: {answer.get('permissions')!r}")
        has_claims(session_of(answer), CUSTOM_CLAIMS)
        # What the SDK validated is what the machine client's own validation accepts again.
        again = machine.validate_session(session_of(answer)["jwt"])
        expect(again.get("sub") == full["id"], f"validate_session: {again!r}")
        return answer

    call("exchange_access_key", "(roles, custom claims: the key's in the JWT)", exchange_full, [full])

    def exchange_tenant():
        answer = exchange(tenant_key, login_options=AccessKeyLoginOptions(
            custom_claims={"job": "nightly", "attempt": 2, "dry": False}, selected_tenant=TENANT_ID))
        claims = session_of(answer)
        expect(claims.get("dct") == TENANT_ID, f"dct: {claims.get('dct')!r}")
        expect(machine.validate_tenant_roles(answer, TENANT_ID, [TENANT_ROLE]), f"tenants: {answer.get('tenants')!r}")
        expect(machine.validate_tenant_permissions(answer, TENANT_ID, [READ]), f"tenants: {answer.get('tenants')!r}")
        has_claims(claims, {"job": "nightly", "attempt": 2, "dry": False})
        return answer

    call("exchange_access_key", "(login options: custom claims, selected tenant)", exchange_tenant, [tenant_key])
    call("exchange_access_key", "(a tenant that is not the key's: 403)",
         lambda: refused(403, "E011003", lambda: machine.exchange_access_key(
             plain["cleartext"], login_options=AccessKeyLoginOptions(selected_tenant=TENANT_ID))), [plain])

    def exchange_bound():
        answer = exchange(bound)
        expect(machine.validate_roles(answer, [READER]), f"the bound user's roles: {answer.get('roles')!r}")
        return answer

    call("exchange_access_key", "(a key bound to a user: the user's roles)", exchange_bound, [bound])
    call("exchange_access_key", "(an unknown key: 401)",
         lambda: refused(401, "E011003", lambda: machine.exchange_access_key("0" * 64)))
    call("exchange_access_key", "(an expired key: 401)",
         lambda: refused(401, "E011003", lambda: machine.exchange_access_key(expired["cleartext"])), [expired])
    call("exchange_access_key", "(from an address the key does not permit: 403)",
         lambda: refused(403, "E011003", lambda: machine.exchange_access_key(far["cleartext"])), [far])

    # Update.
    def update_all():
        result = access_key.update(plain["id"], "py-m2m-key-plain2", description="Renamed",
                                   custom_claims={"tier": 2}, permitted_ips=["127.0.0.0/8"],
                                   custom_attributes={"team": "ops"})
        expect(result is None, f"update returned {result!r}")
        key = key_of(access_key.load(plain["id"]), "py-m2m-key-plain2")
        wanted = {"description": "Renamed", "customClaims": {"tier": 2}, "permittedIps": ["127.0.0.0/8"],
                  "customAttributes": {"team": "ops"}}
        wrong = {name: key.get(name) for name, value in wanted.items() if key.get(name) != value}
        expect(not wrong, f"the key differs: {wrong!r}")
        has_claims(session_of(exchange(plain)), {"tier": 2})
        return key

    call("mgmt.access_key.update", "(name, description, custom claims, permitted IPs, attributes)", update_all,
         [plain])

    def update_name():
        access_key.update(plain["id"], "py-m2m-key-plain3")
        key = key_of(access_key.load(plain["id"]), "py-m2m-key-plain3")
        expect(key.get("description") == "Renamed" and key.get("customClaims") == {"tier": 2},
               f"what update was not given changed: {key!r}")
        return key

    call("mgmt.access_key.update", "(name only: the rest stays)", update_name, [plain])
    call("mgmt.access_key.update", "(an unknown id: 404)",
         lambda: refused(404, "E011004", lambda: access_key.update("K2" + "0" * 32, "nobody")))

    # Deactivate and activate, one key.
    def status(made: dict, wanted: str):
        key = key_of(access_key.load(made["id"]))
        expect(key.get("status") == wanted, f"status: {key.get('status')!r}, expected {wanted}")

    def deactivate():
        expect(access_key.deactivate(full["id"]) is None, "deactivate returned something")
        status(full, "inactive")
        refused(401, "E011003", lambda: machine.exchange_access_key(full["cleartext"]))
        return True

    deactivated = call("mgmt.access_key.deactivate", "(its exchange is refused: 401)", deactivate, [full])

    def activate():
        access_key.activate(full["id"])
        status(full, "active")
        return exchange(full)

    call("mgmt.access_key.activate", "(its exchange works again)", activate, [full, deactivated])

    # Rotate: a new cleartext for the same key; the old one is refused.
    def rotate():
        old = full["cleartext"]
        made = created_key(access_key.rotate(full["id"]), "py-m2m-key-full")
        expect(made["id"] == full["id"], f"the id changed: {made['id']}")
        expect(made["cleartext"] != old, "the same cleartext came back")
        expect(made["key"].get("roleNames") == [READER], f"roleNames: {made['key'].get('roleNames')!r}")
        refused(401, "E011003", lambda: machine.exchange_access_key(old))
        answer = exchange(made)
        expect(machine.validate_roles(answer, [READER]), f"roles: {answer.get('roles')!r}")
        full["cleartext"] = made["cleartext"]
        return made

    call("mgmt.access_key.rotate", "(the new cleartext exchanges, the old one is refused)", rotate, [full])
    call("mgmt.access_key.rotate", "(an unknown id: 404)",
         lambda: refused(404, "E011004", lambda: access_key.rotate("K2" + "0" * 32)))

    # Batches.
    def deactivate_batch():
        access_key.deactivate_batch([full["id"], tenant_key["id"]])
        for made in (full, tenant_key):
            status(made, "inactive")
            refused(401, "E011003", lambda: machine.exchange_access_key(made["cleartext"]))
        return True

    batch_off = call("mgmt.access_key.deactivate_batch", "(both exchanges refused)", deactivate_batch,
                     [full, tenant_key])

    def activate_batch():
        access_key.activate_batch([full["id"], tenant_key["id"]])
        for made in (full, tenant_key):
            status(made, "active")
            exchange(made)
        return True

    call("mgmt.access_key.activate_batch", "(both exchange again)", activate_batch, [full, tenant_key, batch_off])

    # 3. Tokens with the management key: the backend sign-in, sign-up and sign-up-or-in.
    def sign_in():
        tokens = both_tokens(jwt.sign_in(TARGET))
        expect(tokens["claims"].get("sub") == target_id, f"sub: {tokens['claims'].get('sub')!r}")
        answer = tokens["answer"]
        expect(answer.get("userId") == target_id, f"userId: {answer.get('userId')!r}")
        expect(client.validate_roles(answer, [READER]), f"roles: {answer.get('roles')!r}")
        expect(client.validate_tenant_roles(answer, TENANT_ID, [TENANT_ROLE]), f"tenants: {answer.get('tenants')!r}")
        expect(TARGET in ((answer.get("user") or {}).get("loginIds") or []), f"user: {answer.get('user')!r}")
        again = client.validate_session(tokens["session"])
        expect(again.get("sub") == target_id, "validate_session")
        return tokens

    signed_in = call("mgmt.jwt.sign_in", "(login id only: both JWTs validated by the SDK)", sign_in, [target_id])

    def sign_in_options():
        tokens = both_tokens(jwt.sign_in(TARGET, MgmtLoginOptions(
            custom_claims=CUSTOM_CLAIMS, revoke_other_sessions=False, refresh_duration=3600)))
        has_claims(tokens["claims"], CUSTOM_CLAIMS)
        refresh = tokens["answer"]["refreshSessionToken"]
        expect(refresh.get("exp", 0) - refresh.get("iat", 0) == 3600, f"refresh lifetime: {refresh!r}")
        return tokens

    call("mgmt.jwt.sign_in", "(custom claims, refresh duration)", sign_in_options, [target_id])

    def sign_in_stepup():
        tokens = both_tokens(jwt.sign_in(TARGET, MgmtLoginOptions(stepup=True, jwt=signed_in["refresh"])))
        expect(tokens["claims"].get("su") is True, f"su: {tokens['claims'].get('su')!r}")
        return tokens

    call("mgmt.jwt.sign_in", "(step-up with the refresh JWT)", sign_in_stepup, [signed_in])
    call("mgmt.jwt.sign_in", "(MFA with the refresh JWT)",
         lambda: both_tokens(jwt.sign_in(TARGET, MgmtLoginOptions(mfa=True, jwt=signed_in["refresh"]))), [signed_in])
    call("mgmt.jwt.sign_in", "(step-up with another user's refresh JWT: 401)",
         lambda: refused(401, "E011003", lambda: jwt.sign_in(
             PLAIN, MgmtLoginOptions(stepup=True, jwt=signed_in["refresh"]))), [signed_in, plain_id])
    call("mgmt.jwt.sign_in", "(an unknown user: 404)",
         lambda: refused(404, "E062108", lambda: jwt.sign_in("py-m2m-nobody@example.com")))

    def sign_up():
        tokens = both_tokens(jwt.sign_up(SIGNUP, MgmtUserRequest(
            name="Signed Up", given_name="Signed", middle_name="M.", family_name="Up", phone="+15550600001",
            email=SIGNUP, email_verified=True, phone_verified=False,
        ), MgmtSignUpOptions(custom_claims=CUSTOM_CLAIMS, refresh_duration=1800)))
        has_claims(tokens["claims"], CUSTOM_CLAIMS)
        found = user.load(SIGNUP).get("user") or {}
        expect(found.get("userId") == tokens["claims"].get("sub"), f"user: {found!r}")
        wanted = {"name": "Signed Up", "givenName": "Signed", "familyName": "Up", "email": SIGNUP,
                  "verifiedEmail": True, "phone": "+15550600001"}
        wrong = {name: found.get(name) for name, value in wanted.items() if found.get(name) != value}
        expect(not wrong, f"the user differs: {wrong!r}")
        return tokens

    call("mgmt.jwt.sign_up", "(user, verified email, custom claims, refresh duration)", sign_up)
    call("mgmt.jwt.sign_up", "(login id only)", lambda: both_tokens(jwt.sign_up(SIGNUP2)))
    call("mgmt.jwt.sign_up", "(a taken login id: 400)", lambda: refused(400, "E062107", lambda: jwt.sign_up(TARGET)))

    def sign_up_or_in():
        first = both_tokens(jwt.sign_up_or_in(SIGNUP_OR_IN, MgmtUserRequest(name="Either Way", email=SIGNUP_OR_IN)))
        second = both_tokens(jwt.sign_up_or_in(SIGNUP_OR_IN, signup_options=MgmtSignUpOptions(custom_claims={"n": 1})))
        expect(first["claims"]["sub"] == second["claims"]["sub"], "sign-up-or-in made a second user")
        expect(first["answer"].get("firstSeen") is True and second["answer"].get("firstSeen") is False,
               f"firstSeen: {first['answer'].get('firstSeen')!r}, then {second['answer'].get('firstSeen')!r}")
        has_claims(second["claims"], {"n": 1})
        return second

    call("mgmt.jwt.sign_up_or_in", "(a new user, then the same one signed in)", sign_up_or_in)

    # The JWT update: custom claims added to a session JWT, as the SDK's validation shows them.
    def update_jwt():
        updated = jwt.update_jwt(signed_in["session"], CUSTOM_CLAIMS)
        expect(isinstance(updated, str) and updated.count(".") == 2, f"jwt: {updated!r}")
        claims = client.validate_session(updated)
        has_claims(claims, CUSTOM_CLAIMS)
        expect(claims.get("sub") == target_id, f"sub: {claims.get('sub')!r}")
        expect(READER in (claims.get("roles") or []), f"roles: {claims.get('roles')!r}")
        return updated

    call("mgmt.jwt.update_jwt", "(custom claims: numbers stay numbers)", update_jwt, [signed_in])

    def update_jwt_duration():
        claims = client.validate_session(jwt.update_jwt(signed_in["session"], {"nested": {"a": [1, 2]}}, 600))
        expect(claims.get("exp", 0) - claims.get("iat", 0) == 600, f"lifetime: {claims.get('exp')} - {claims.get('iat')}")
        expect(claims.get("nested") == {"a": [1, 2]}, f"nested: {claims.get('nested')!r}")
        return claims

    call("mgmt.jwt.update_jwt", "(refresh duration, an object claim)", update_jwt_duration, [signed_in])
    call("mgmt.jwt.update_jwt", "(a refresh JWT is no session JWT: 401)",
         lambda: refused(401, "E011003", lambda: jwt.update_jwt(signed_in["refresh"], {"x": 1})), [signed_in])

    # Impersonation: the admin holds Impersonate through a project role.
    def impersonated(refresh_jwt: str, who: str, actor: str) -> dict:
        expect(isinstance(refresh_jwt, str) and refresh_jwt.count(".") == 2, f"jwt: {refresh_jwt!r}")
        answer = client.refresh_session(refresh_jwt)
        claims = session_of(answer)
        expect(claims.get("sub") == who, f"sub: {claims.get('sub')!r}, expected the target {who}")
        expect((claims.get("act") or {}).get("sub") == actor, f"act: {claims.get('act')!r}")
        return claims

    def impersonate():
        refresh_jwt = jwt.impersonate(ADMIN, TARGET, False)
        impersonated(refresh_jwt, target_id, admin_id)
        return refresh_jwt

    impersonation = call("mgmt.jwt.impersonate", "(login ids: a refresh JWT of the target, act = the admin)",
                         impersonate, [admin_id, target_id])

    def impersonate_options():
        refresh_jwt = jwt.impersonate(admin_id, TARGET, False, custom_claims={"reason": "support", "ticket": 42},
                                      tenant_id=TENANT_ID, refresh_duration=900, stepup=True)
        claims = impersonated(refresh_jwt, target_id, admin_id)
        expect(claims.get("dct") == TENANT_ID and claims.get("su") is True, f"dct, su: {claims!r}")
        has_claims(claims, {"reason": "support", "ticket": 42})
        return refresh_jwt

    call("mgmt.jwt.impersonate", "(user id, custom claims, tenant, refresh duration, step-up)",
         impersonate_options, [admin_id, target_id])

    def impersonate_stepup():
        claims = impersonated(jwt.impersonate_stepup(ADMIN, TARGET, False, custom_claims={"why": "check"}),
                              target_id, admin_id)
        expect(claims.get("su") is True, f"su: {claims.get('su')!r}")
        return claims

    call("mgmt.jwt.impersonate_stepup", "(custom claims: su in the JWT)", impersonate_stepup, [admin_id, target_id])
    call("mgmt.jwt.impersonate", "(an impersonator without the Impersonate permission: 403)",
         lambda: refused(403, "E011003", lambda: jwt.impersonate(PLAIN, TARGET, False)), [plain_id, target_id])
    # Neither SDK records a consent (UpdateUserImpersonationConsent), so a check of it refuses.
    call("mgmt.jwt.impersonate", "(validate consent, none recorded: 403)",
         lambda: refused(403, "E011003", lambda: jwt.impersonate(ADMIN, TARGET, True)), [admin_id, target_id])

    def stop():
        back = jwt.stop_impersonation(impersonation)
        expect(isinstance(back, str) and back.count(".") == 2, f"jwt: {back!r}")
        claims = session_of(client.refresh_session(back))
        expect(claims.get("sub") == admin_id and "act" not in claims, f"claims: {claims!r}")
        # The impersonation's refresh JWT is revoked.
        refused(401, "E064001", lambda: client.refresh_session(impersonation))
        return back

    call("mgmt.jwt.stop_impersonation", "(the admin's refresh JWT; the impersonation's is revoked)", stop,
         [impersonation])

    def stop_options():
        refresh_jwt = jwt.impersonate(ADMIN, TARGET, False)
        back = jwt.stop_impersonation(refresh_jwt, custom_claims={"back": True}, refresh_duration=600)
        claims = session_of(client.refresh_session(back))
        expect(claims.get("sub") == admin_id, f"sub: {claims.get('sub')!r}")
        has_claims(claims, {"back": True})
        return back

    call("mgmt.jwt.stop_impersonation", "(custom claims, refresh duration)", stop_options, [admin_id, target_id])
    call("mgmt.jwt.stop_impersonation", "(a JWT that is no impersonation's: 400)",
         lambda: refused(400, "E011004", lambda: jwt.stop_impersonation(signed_in["refresh"])), [signed_in])

    # Anonymous sessions.
    def anonymous():
        answer = jwt.anonymous()
        claims = session_of(answer)
        refresh = answer.get("refreshSessionToken") or {}
        expect(claims.get("danu") is True and refresh.get("sub") == claims.get("sub"), f"claims: {claims!r}")
        expect("user" not in answer and "firstSeen" not in answer, f"answer keys: {sorted(answer)}")
        refreshed = session_of(client.refresh_session(refresh["jwt"]))
        expect(refreshed.get("sub") == claims.get("sub") and refreshed.get("danu") is True,
               f"after a refresh: {refreshed!r}")
        return answer

    call("mgmt.jwt.anonymous", "(no options: tokens that refresh)", anonymous)

    def anonymous_options():
        answer = jwt.anonymous(custom_claims=CUSTOM_CLAIMS, tenant_id=TENANT_ID, refresh_duration=1200)
        claims = session_of(answer)
        has_claims(claims, CUSTOM_CLAIMS)
        expect(claims.get("dct") == TENANT_ID and claims.get("danu") is True, f"claims: {claims!r}")
        refresh = answer.get("refreshSessionToken") or {}
        expect(refresh.get("exp", 0) - refresh.get("iat", 0) == 1200, f"refresh lifetime: {refresh!r}")
        return answer

    call("mgmt.jwt.anonymous", "(custom claims, tenant, refresh duration)", anonymous_options)

    # 4. Deletions.
    def delete_one():
        expect(access_key.delete(bound["id"]) is None, "delete returned something")
        refused(404, "E011004", lambda: access_key.load(bound["id"]))
        refused(401, "E011003", lambda: machine.exchange_access_key(bound["cleartext"]))
        return True

    call("mgmt.access_key.delete", "(gone, its exchange refused)", delete_one, [bound])
    call("mgmt.access_key.delete", "(an unknown id: 404)",
         lambda: refused(404, "E011004", lambda: access_key.delete(bound["id"])), [bound])

    def delete_batch():
        ids = [made["id"] for made in (plain, full, tenant_key, far, expired)]
        access_key.delete_batch(ids)
        for key_id in ids:
            refused(404, "E011004", lambda: access_key.load(key_id))
        return search([])()

    call("mgmt.access_key.delete_batch", "(every other key: none left)", delete_batch,
         [plain, full, tenant_key, far, expired])

    # No call of this SDK reaches these operations of the spec:
    # - ImportAccessKeys (POST /v1/mgmt/accesskey/import): no method imports keys.
    # - UpdateUserImpersonationConsent (POST /v1/mgmt/user/update/impersonationConsent): no
    #   method records a consent, so `validate_consent=True` is checked only as a refusal above.

    total = f"{suite.passed} passed, {suite.failed} failed"
    if suite.skipped:
        total += f", {suite.skipped} skipped"
    print(f"{SDK}: {total}", flush=True)
    return 1 if suite.failed or suite.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
