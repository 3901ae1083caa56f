#!/usr/bin/env python3
"""Drives the management half of Descope's official Python SDK (`descope`, pinned in
requirements.txt), unchanged and through its public API only, against the emulator.

    drive_mgmt.py --base-url URL --emulator-url URL --project-id ID --management-key KEY \
        --recording FILE

The arguments are drive.py's, and the management key the emulator was started with
(`--management-key`). The client is `DescopeClient(project_id, management_key=…, base_url=…)`
and the calls go through `client.mgmt.user`, `.tenant`, `.role`, `.permission` and `.license`,
each answer read through the SDK's own parsing and checked against what the emulator's
semantics promise (emulator/README.md, emulator/src/api/management/). Where a management change
shows in sign-ins (roles and permissions in the JWTs, a disabled user, a logged-out user, test
users' codes and links, embedded links, invitations), the SDK's own auth calls check it.

One scenario, in order: permissions, tenants, roles, custom attributes, users (create, load,
search, update, patch, the one-field updates, roles, tenants, SSO apps, sign-in methods, status,
logout, history), test users and embedded links, then every deletion. It runs after drive.py
on the same emulator, so its login ids (`py-mgmt-…`, `py-test-…`) and phones (+1555030…) are
its own.

Prints drive.py's lines (`PASS python mgmt.user.create (all options)`, `FAIL …`, `SKIP …`),
then `python: N passed, N failed, N skipped`; exits 1 when anything failed.

A call the emulator refuses or whose request the spec does not accept is left in place,
commented out with `# TODO(spec):` and what happened, for the maintainer to decide.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse

from descope import AuthException, DeliveryMethod, DescopeClient, LoginOptions
from descope.management.common import (
    AssociatedTenant,
    Sort,
    SSOSetupSuiteSettings,
    SSOSetupSuiteSettingsDisabledFeatures,
)
from descope.management.user import CreateUserObj, UserObj
from descope.management.user_pwd import UserPassword, UserPasswordBcrypt

from drive import FAILED, SDK, Check, Suite, describe

EMAIL, SMS, VOICE, WHATSAPP, EMBEDDED = (
    DeliveryMethod.EMAIL,
    DeliveryMethod.SMS,
    DeliveryMethod.VOICE,
    DeliveryMethod.WHATSAPP,
    DeliveryMethod.EMBEDDED,
)
TENANT_ID = "T2interopMgmtPython"
TENANT_NAME = "Interop Python Management Tenant"
CUSTOM_CLAIMS = {"plan": "pro", "seats": 3, "beta": True}
TEMPLATE_OPTIONS = {"greeting": "Hello", "product": "Interop"}
REDIRECT_URI = "https://app.example.com/interop/verify"
INVITE_URL = "https://app.example.com/interop/invite"
PICTURE = "https://app.example.com/interop/ada.png"
# Login ids and phones of this driver only.
U1 = "py-mgmt-01@example.com"  # created with its login id only
U2 = "py-mgmt-02@example.com"  # created with every option; signs in
U3 = "py-mgmt-03@example.com"  # invited
U4 = "py-mgmt-04@example.com"  # replaced by update, then patched
BATCH1, BATCH2, BATCH3 = (f"py-batch-0{n}@example.com" for n in (1, 2, 3))
T1 = "py-test-01@example.com"  # a test user, login id only
T2 = "py-test-02@example.com"  # a test user with every option
SIGNUP = "py-signup-01@example.com"  # made by a sign-up embedded link
ADMIN_EMAIL = "py-sso-admin@example.com"


def phone(n: int) -> str:
    return f"+1555030{n:04d}"


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


def names(items) -> list:
    return [item.get("name") for item in items]


def by_name(items, name: str) -> dict:
    for item in items:
        if item.get("name") == name:
            return item
    raise Check(f"no {name!r} among {names(items)}")


def user_of(answer: dict, login_id: str | None = None) -> dict:
    """The `user` of a `{"user": …}` answer, checked to hold `login_id`."""
    user = answer.get("user") if isinstance(answer, dict) else None
    expect(isinstance(user, dict), f"expected {{'user': …}}, got {answer!r}")
    if login_id is not None:
        expect(login_id in (user.get("loginIds") or []), f"loginIds {user.get('loginIds')!r} lack {login_id}")
    return user


def tenant_roles(user: dict, tenant_id: str) -> list:
    for membership in user.get("userTenants") or []:
        if membership.get("tenantId") == tenant_id:
            return membership.get("roleNames") or []
    raise Check(f"the user is not in tenant {tenant_id}: {user.get('userTenants')!r}")


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

    # 0. The client: the constructor makes the license handshake (GET /v1/mgmt/license) itself.
    client = call(
        "mgmt.client", "construct (license handshake)",
        lambda: DescopeClient(project_id=args.project_id, management_key=args.management_key, base_url=args.base_url),
    )
    if client is FAILED:
        print(f"{SDK}: {suite.passed} passed, {suite.failed} failed", flush=True)
        return 1
    mgmt = client.mgmt
    user, tenant, role, permission = mgmt.user, mgmt.tenant, mgmt.role, mgmt.permission
    otp, magiclink = client.otp, client.magiclink

    def license_get():
        answer = mgmt.license.get()
        expect(answer.get("rateLimitTier") == "tier1", f"rateLimitTier: {answer!r}")
        return answer

    call("mgmt.license.get", "", license_get)

    # 1. Permissions.
    def all_permissions() -> list:
        answer = permission.load_all()
        expect(isinstance(answer.get("permissions"), list), f"expected {{'permissions': [...]}}, got {answer!r}")
        return answer["permissions"]

    call("mgmt.permission.create", "(name only)", lambda: permission.create("read"))
    call("mgmt.permission.create", "(description)", lambda: permission.create("write", description="Write things"))
    call("mgmt.permission.create_batch", "",
         lambda: permission.create_batch([{"name": "p1", "description": "P1"}, {"name": "p2"}]))

    def load_permissions():
        found = all_permissions()
        for name in ("read", "write", "p1", "p2"):
            by_name(found, name)
        expect(by_name(found, "write").get("description") == "Write things", "write's description")
        expect(by_name(found, "p1").get("description") == "P1", "p1's description")
        return {p["name"]: p["id"] for p in found}

    permission_ids = call("mgmt.permission.load_all", "", load_permissions)
    call("mgmt.permission.update", "(description)", lambda: permission.update("p1", "p1b", description="P1b"))
    call("mgmt.permission.update_by_id", "(new name only)",
         lambda: permission.update_by_id(permission_ids["p2"], "p2b"), [permission_ids])
    call("mgmt.permission.update_batch", "(by name and by id)",
         lambda: permission.update_batch([
             {"name": "p1b", "newName": "p1c"},
             {"id": permission_ids["p2"], "newName": "p2c", "description": "P2c"},
         ]), [permission_ids])

    def permissions_renamed():
        found = all_permissions()
        expect(by_name(found, "p1c").get("description") == "", "p1c's description (cleared by the batch)")
        expect(by_name(found, "p2c").get("description") == "P2c", "p2c's description")
        expect(not {"p1", "p1b", "p2", "p2b"} & set(names(found)), f"old names remain: {names(found)}")
        return found

    call("mgmt.permission.load_all", "(after the renames)", permissions_renamed)

    # 2. Tenants.
    def create_tenant_b():
        answer = tenant.create("Interop Python Tenant B")
        expect(isinstance(answer.get("id"), str) and answer["id"], f"expected {{'id': …}}, got {answer!r}")
        return answer["id"]

    tenant_b = call("mgmt.tenant.create", "(name only)", create_tenant_b)

    def create_tenant():
        answer = tenant.create(
            TENANT_NAME, id=TENANT_ID, self_provisioning_domains=["py.example.com"],
            custom_attributes={"region": "eu", "seats": 10}, enforce_sso=True,
            enforce_sso_exclusions=["py-excluded-user"], federated_app_ids=["fed-app-1"], disabled=False,
        )
        expect(answer.get("id") == TENANT_ID, f"id: {answer!r}")
        return answer

    created_tenant = call("mgmt.tenant.create", "(all options)", create_tenant)

    def load_tenant():
        # The SDK's docstring says a bare tenant, not `{"tenant": …}`.
        found = tenant.load(TENANT_ID)
        expect(found.get("id") == TENANT_ID and found.get("name") == TENANT_NAME, f"tenant: {found!r}")
        expect(found.get("selfProvisioningDomains") == ["py.example.com"], "selfProvisioningDomains")
        expect(found.get("customAttributes") == {"region": "eu", "seats": 10}, "customAttributes")
        expect(found.get("enforceSSO") is True and found.get("federatedAppIds") == ["fed-app-1"], "enforceSSO")
        return found

    call("mgmt.tenant.load", "", load_tenant, [created_tenant])

    def tenant_ids(answer) -> list:
        expect(isinstance(answer.get("tenants"), list), f"expected {{'tenants': [...]}}, got {answer!r}")
        return [t.get("id") for t in answer["tenants"]]

    def load_all_tenants():
        ids = tenant_ids(tenant.load_all())
        expect(TENANT_ID in ids and tenant_b in ids, f"tenants: {ids}")
        return ids

    call("mgmt.tenant.load_all", "", load_all_tenants, [created_tenant, tenant_b])

    def search_tenants(expected: list, **filters):
        ids = tenant_ids(tenant.search_all(**filters))
        expect(sorted(ids) == sorted(expected), f"expected {expected}, got {ids}")
        return ids

    call("mgmt.tenant.search_all", "(no arguments)",
         lambda: search_tenants([TENANT_ID, tenant_b]), [created_tenant, tenant_b])
    call("mgmt.tenant.search_all", "(ids)", lambda: search_tenants([TENANT_ID], ids=[TENANT_ID]), [created_tenant])
    call("mgmt.tenant.search_all", "(names, domains, custom attributes)",
         lambda: search_tenants([TENANT_ID], names=[TENANT_NAME], self_provisioning_domains=["py.example.com"],
                                custom_attributes={"region": "eu"}), [created_tenant])

    def rename_tenant_b():
        tenant.update(tenant_b, "Interop Python Tenant B2")
        found = tenant.load(tenant_b)
        expect(found.get("name") == "Interop Python Tenant B2", f"name: {found.get('name')!r}")
        return found

    call("mgmt.tenant.update", "(id, name)", rename_tenant_b, [tenant_b])

    def update_tenant():
        tenant.update(
            TENANT_ID, TENANT_NAME, self_provisioning_domains=["py.example.com", "py.example.org"],
            custom_attributes={"region": "us"}, enforce_sso=False, enforce_sso_exclusions=[],
            federated_app_ids=[], disabled=False,
        )
        found = tenant.load(TENANT_ID)
        expect(found.get("customAttributes") == {"region": "us"}, f"customAttributes: {found.get('customAttributes')!r}")
        expect(found.get("selfProvisioningDomains") == ["py.example.com", "py.example.org"], "domains")
        expect(found.get("enforceSSO") is False, "enforceSSO")
        return found

    call("mgmt.tenant.update", "(all options)", update_tenant, [created_tenant])

    def settings_domains_only():
        tenant.update_settings(TENANT_ID, ["py.example.com"])
        found = tenant.load_settings(TENANT_ID)
        expect(found.get("selfProvisioningDomains") == ["py.example.com"], f"settings: {found!r}")
        return found

    call("mgmt.tenant.update_settings", "(domains only)", settings_domains_only, [created_tenant])

    def settings_all():
        # The enum arguments as their string values: this SDK puts the enums it asks for into
        # the body unconverted, and `json` then refuses them before anything is sent.
        tenant.update_settings(
            TENANT_ID, ["py.example.com"], domains=["sso.py.example.com"], auth_type="saml",
            session_settings_enabled=True, refresh_token_expiration=4, refresh_token_expiration_unit="weeks",
            session_token_expiration=10, session_token_expiration_unit="minutes", stepup_token_expiration=5,
            stepup_token_expiration_unit="minutes", enable_inactivity=True, inactivity_time=30,
            inactivity_time_unit="minutes", JITDisabled=True,
            sso_setup_suite_settings=SSOSetupSuiteSettings(
                True, style_id="style-1", disabled_features=SSOSetupSuiteSettingsDisabledFeatures(saml=True, scim=True),
            ),
            enforce_sso=True, enforce_sso_exclusions=["py-excluded-user"], federated_app_ids=["fed-app-1"],
        )
        found = tenant.load_settings(TENANT_ID)
        wanted = {"enabled": True, "sessionTokenExpiration": 10, "refreshTokenExpirationUnit": "weeks",
                  "authType": "saml", "domains": ["sso.py.example.com"], "inactivityTime": 30, "JITDisabled": True}
        wrong = {key: found.get(key) for key, value in wanted.items() if found.get(key) != value}
        expect(not wrong, f"settings differ: {wrong!r}")
        return found

    call("mgmt.tenant.update_settings", "(all options, enum values as strings)", settings_all, [created_tenant])

    def sso_link(**options):
        link = tenant.generate_sso_configuration_link(TENANT_ID, **options)
        expect(isinstance(link, str) and "sso-setup" in link, f"link: {link!r}")
        return link

    call("mgmt.tenant.generate_sso_configuration_link", "(tenant only)", sso_link, [created_tenant])

    def sso_link_emailed():
        link = sso_link(expire_time=3600, email=ADMIN_EMAIL, sso_id="sso-1", actor_id="actor-1")
        messages = suite.admin("GET", "/emulator/outbox?" + urllib.parse.urlencode({"loginId": ADMIN_EMAIL}))
        expect(any(m.get("link") == link for m in messages), f"the link is not in the outbox: {messages!r}")
        return link

    call("mgmt.tenant.generate_sso_configuration_link", "(expire time, email, sso id, actor id)", sso_link_emailed,
         [created_tenant])
    call("mgmt.tenant.revoke_sso_configuration_link", "(sso id)",
         lambda: tenant.revoke_sso_configuration_link(TENANT_ID, sso_id="sso-1"), [created_tenant])
    call("mgmt.tenant.revoke_sso_configuration_link", "(tenant only)",
         lambda: tenant.revoke_sso_configuration_link(TENANT_ID), [created_tenant])

    # 3. Roles: project-level and the tenant's own.
    def all_roles() -> list:
        answer = role.load_all()
        expect(isinstance(answer.get("roles"), list), f"expected {{'roles': [...]}}, got {answer!r}")
        return answer["roles"]

    call("mgmt.role.create", "(name only)", lambda: role.create("viewer"))
    call("mgmt.role.create", "(description, permissions)",
         lambda: role.create("editor", description="Edits", permission_names=["read", "write"]))
    call("mgmt.role.create", "(all options, in a tenant)",
         lambda: role.create("tenant-admin", description="Administers the tenant", permission_names=["write"],
                             tenant_id=TENANT_ID, default=False, private=True), [created_tenant])
    call("mgmt.role.create_batch", "",
         lambda: role.create_batch([
             {"name": "r1", "description": "R1", "permissionNames": ["p1c"]},
             {"name": "r2", "tenantId": TENANT_ID},
         ]), [created_tenant])

    def load_roles():
        found = all_roles()
        editor = by_name(found, "editor")
        expect(editor.get("permissionNames") == ["read", "write"] and editor.get("tenantId") == "", f"editor: {editor!r}")
        admin = by_name(found, "tenant-admin")
        expect(admin.get("tenantId") == TENANT_ID and admin.get("private") is True, f"tenant-admin: {admin!r}")
        expect(by_name(found, "r1").get("permissionNames") == ["p1c"], "r1's permissions")
        return {(r["name"], r.get("tenantId") or None): r["id"] for r in found}

    role_ids = call("mgmt.role.load_all", "", load_roles)

    def search_roles(expected: list, **filters):
        answer = role.search(**filters)
        expect(isinstance(answer.get("roles"), list), f"expected {{'roles': [...]}}, got {answer!r}")
        found = sorted(names(answer["roles"]))
        expect(found == sorted(expected), f"expected {sorted(expected)}, got {found}")
        return found

    call("mgmt.role.search", "(no arguments)",
         lambda: search_roles(["viewer", "editor", "tenant-admin", "r1", "r2"]), [created_tenant])
    call("mgmt.role.search", "(tenant)", lambda: search_roles(["tenant-admin", "r2"], tenant_ids=[TENANT_ID]),
         [created_tenant])
    call("mgmt.role.search", "(all options)",
         lambda: search_roles(
             ["editor", "tenant-admin"], tenant_ids=[TENANT_ID], role_names=["editor", "tenant-admin", "viewer"],
             role_name_like="E", permission_names=["write"], include_project_roles=True,
             role_ids=[role_ids[("editor", None)], role_ids[("tenant-admin", TENANT_ID)]],
         ), [role_ids])
    call("mgmt.role.update", "(description, permissions)",
         lambda: role.update("r1", "r1b", description="R1b", permission_names=["read"]))
    call("mgmt.role.update_by_id", "(all options, in a tenant)",
         lambda: role.update_by_id(role_ids[("r2", TENANT_ID)], "r2b", description="R2b", permission_names=["write"],
                                   tenant_id=TENANT_ID, default=True, private=False), [role_ids])
    call("mgmt.role.update_batch", "(by name and by id)",
         lambda: role.update_batch([
             {"name": "r1b", "newName": "r1c", "permissionNames": ["read", "p2c"]},
             {"id": role_ids[("r2", TENANT_ID)], "newName": "r2c", "tenantId": TENANT_ID},
         ]), [role_ids])

    def roles_renamed():
        found = all_roles()
        expect(by_name(found, "r1c").get("permissionNames") == ["read", "p2c"], "r1c's permissions")
        r2 = by_name(found, "r2c")
        expect(r2.get("description") == "" and r2.get("default") is False, f"r2c (overwritten): {r2!r}")
        expect(not {"r1", "r1b", "r2", "r2b"} & set(names(found)), f"old names remain: {names(found)}")
        return found

    call("mgmt.role.load_all", "(after the renames)", roles_renamed)

    def default_roles():
        tenant.update_default_roles(TENANT_ID, ["viewer"])
        found = tenant.load(TENANT_ID)
        expect(found.get("defaultRoles") == ["viewer"], f"defaultRoles: {found.get('defaultRoles')!r}")
        return found

    call("mgmt.tenant.update_default_roles", "", default_roles, [created_tenant])

    # 4. Custom attributes (users may carry only defined ones).
    def attributes_of(answer) -> list:
        expect(isinstance(answer.get("data"), list), f"expected {{'data': [...]}}, got {answer!r}")
        return answer["data"]

    call("mgmt.user.create_custom_attribute", "(string)", lambda: user.create_custom_attribute("plan", "Plan", "string"))
    call("mgmt.user.create_custom_attribute", "(number)", lambda: user.create_custom_attribute("seats", "Seats", "number"))
    call("mgmt.user.create_custom_attribute", "(boolean)", lambda: user.create_custom_attribute("beta", "Beta", "boolean"))

    def create_select():
        found = attributes_of(user.create_custom_attribute("tier", "Tier", "singleSelect", required=True,
                                                            options=["free", "pro"]))
        tier = by_name(found, "tier")
        expect(tier.get("type") == 4, f"tier's type: {tier!r}")
        expect([o.get("value") for o in tier.get("options") or []] == ["free", "pro"], f"tier's options: {tier!r}")
        return found

    call("mgmt.user.create_custom_attribute", "(single select, required, options)", create_select)

    def load_attributes():
        found = attributes_of(user.load_custom_attributes())
        expect(sorted(names(found)) == ["beta", "plan", "seats", "tier"], f"attributes: {names(found)}")
        return found

    call("mgmt.user.load_custom_attributes", "", load_attributes)

    # 5. Users: create, load, search.
    def create_bare():
        found = user_of(user.create(U1), U1)
        expect(found.get("status") == "enabled" and found.get("test") is False, f"user: {found!r}")
        expect(found.get("email") == "" and found.get("roleNames") == [], f"user: {found!r}")
        return found["userId"]

    u1_id = call("mgmt.user.create", "(login id only)", create_bare)

    def create_full():
        found = user_of(user.create(
            U2, email=U2, phone=phone(2), display_name="Ada Lovelace", given_name="Ada", middle_name="King",
            family_name="Lovelace", role_names=["editor"], user_tenants=[AssociatedTenant(TENANT_ID, ["tenant-admin"])],
            picture=PICTURE, custom_attributes={"plan": "pro", "seats": 3, "beta": True}, verified_email=True,
            verified_phone=False, additional_login_ids=["py-ada-alt"], sso_app_ids=["sso-app-1"],
        ), U2)
        expect(found.get("loginIds") == [U2, "py-ada-alt"], f"loginIds: {found.get('loginIds')!r}")
        expect(found.get("name") == "Ada Lovelace" and found.get("middleName") == "King", "names")
        expect(found.get("verifiedEmail") is True and found.get("verifiedPhone") is False, "verified flags")
        expect(found.get("roleNames") == ["editor"], f"roleNames: {found.get('roleNames')!r}")
        expect(sorted(found.get("permissions") or []) == ["read", "write"], f"permissions: {found.get('permissions')!r}")
        # A new member gets the tenant's default roles before the given ones.
        expect(tenant_roles(found, TENANT_ID) == ["viewer", "tenant-admin"], "tenant roles")
        expect(found.get("customAttributes") == {"plan": "pro", "seats": 3, "beta": True}, "customAttributes")
        expect(found.get("ssoAppIds") == ["sso-app-1"], f"ssoAppIds: {found.get('ssoAppIds')!r}")
        return found["userId"]

    u2_id = call("mgmt.user.create", "(all options)", create_full, [created_tenant, role_ids])
    call("mgmt.user.create", "(a taken login id: 400)", lambda: refused(400, "E062107", lambda: user.create(U1)), [u1_id])

    def create_with_status():
        found = user_of(user.create(U4, email=U4, status="disabled"), U4)
        expect(found.get("status") == "disabled", f"status: {found.get('status')!r}")
        return found["userId"]

    u4_id = call("mgmt.user.create", "(status)", create_with_status)

    def load_user():
        found = user_of(user.load(U2), U2)
        expect(found.get("userId") == u2_id and found.get("phone") == phone(2), f"user: {found!r}")
        return found

    call("mgmt.user.load", "", load_user, [u2_id])
    call("mgmt.user.load", "(an additional login id)",
         lambda: expect(user_of(user.load("py-ada-alt")).get("userId") == u2_id, "not the same user"), [u2_id])
    call("mgmt.user.load", "(an unknown login id: 404)",
         lambda: refused(404, "E062108", lambda: user.load("py+mgmt nobody&x=y@example.com")))
    call("mgmt.user.load_by_user_id", "",
         lambda: expect(user_of(user.load_by_user_id(u2_id), U2).get("userId") == u2_id, "not the user"), [u2_id])

    def load_users(include_invalid: bool | None, expected: list):
        answer = user.load_users([u1_id, u2_id, u4_id], include_invalid_users=include_invalid)
        found = [u.get("userId") for u in answer.get("users") or []]
        expect(found == expected, f"expected {expected}, got {found} in {answer!r}")
        expect(answer.get("total") == len(expected), f"total: {answer.get('total')!r}")
        return answer

    call("mgmt.user.load_users", "(ids only: the disabled user left out)",
         lambda: load_users(None, [u1_id, u2_id]), [u1_id, u2_id, u4_id])
    call("mgmt.user.load_users", "(include invalid users)",
         lambda: load_users(True, [u1_id, u2_id, u4_id]), [u1_id, u2_id, u4_id])

    def search(expected: list, action):
        answer = action()
        found = [u.get("loginIds", [None])[0] for u in answer.get("users") or []]
        expect(found == expected, f"expected {expected}, got {found}")
        return answer

    call("mgmt.user.search_all", "(login ids)",
         lambda: search([U1, U2, U4], lambda: user.search_all(login_ids=[U1, U2, U4, T1])), [u1_id, u2_id, u4_id])
    call("mgmt.user.search_all", "(all options)",
         lambda: search([U2], lambda: user.search_all(
             tenant_ids=[TENANT_ID], role_names=["editor"], limit=10, page=0, custom_attributes={"plan": "pro"},
             statuses=["enabled", "invited"], emails=[U2], phones=[phone(2)], sso_app_ids=["sso-app-1"],
             sort=[Sort("createdTime", desc=True), Sort("email")], text="lovelace", login_ids=[U2],
             from_created_time=1_000_000_000_000, to_created_time=4_000_000_000_000,
             from_modified_time=1_000_000_000_000, to_modified_time=4_000_000_000_000, user_ids=[u2_id],
             tenant_role_names={TENANT_ID: {"values": ["tenant-admin", "viewer"], "and": True}},
         )), [u2_id])

    def search_paged():
        answer = search([U2], lambda: user.search_all(login_ids=[U1, U2, U4], limit=1, page=1,
                                                        sort=[Sort("createdTime")]))
        expect(answer.get("total") == 3, f"total: {answer.get('total')!r}")
        return answer

    call("mgmt.user.search_all", "(limit, page, sort)", search_paged, [u1_id, u2_id, u4_id])

    def search_everyone():
        answer = user.search_all()
        found = [u.get("loginIds", [None])[0] for u in answer.get("users") or []]
        expect({U1, U2, U4} <= set(found), f"{[U1, U2, U4]} not all in {found}")
        return answer

    call("mgmt.user.search_all", "(no arguments)", search_everyone, [u1_id, u2_id, u4_id])

    # 6. Update (overwrites), patch (keeps what it does not name), batches.
    def update_user():
        found = user_of(user.update(U4, email=U4, display_name="Grace Hopper", role_names=["viewer"],
                                    custom_attributes={"tier": "free"}, verified_email=True), U4)
        expect(found.get("name") == "Grace Hopper" and found.get("roleNames") == ["viewer"], f"user: {found!r}")
        expect(found.get("customAttributes") == {"tier": "free"}, "customAttributes")
        expect(found.get("status") == "disabled", "status (update keeps it)")
        found = user_of(user.update(U4), U4)
        expect(found.get("email") == "" and found.get("name") == "" and found.get("roleNames") == [],
               f"update with the login id only clears the details: {found!r}")
        expect(found.get("customAttributes") == {}, "customAttributes (cleared)")
        return found

    call("mgmt.user.update", "(some options, then the login id only)", update_user, [u4_id])

    def update_full():
        found = user_of(user.update(
            U4, email=U4, phone=phone(4), display_name="Grace Hopper", given_name="Grace", middle_name="Brewster",
            family_name="Hopper", role_names=["viewer", "editor"], user_tenants=[AssociatedTenant(TENANT_ID)],
            picture=PICTURE, custom_attributes={"seats": 5}, verified_email=True, verified_phone=True,
            additional_login_ids=["py-grace-alt"], sso_app_ids=["sso-app-2"], test=False,
        ), U4)
        expect(found.get("loginIds") == [U4, "py-grace-alt"], f"loginIds: {found.get('loginIds')!r}")
        expect(tenant_roles(found, TENANT_ID) == ["viewer"], "tenant roles (the default role)")
        expect(found.get("verifiedPhone") is True and found.get("ssoAppIds") == ["sso-app-2"], f"user: {found!r}")
        return found

    call("mgmt.user.update", "(all options)", update_full, [u4_id])

    def patch_one():
        found = user_of(user.patch(U4, display_name="Amazing Grace"), U4)
        expect(found.get("name") == "Amazing Grace" and found.get("givenName") == "Grace", f"user: {found!r}")
        expect(found.get("roleNames") == ["viewer", "editor"], "roleNames (kept)")
        return found

    call("mgmt.user.patch", "(one field)", patch_one, [u4_id])

    def patch_all():
        found = user_of(user.patch(
            U4, email=U4, phone=phone(4), display_name="Grace B. Hopper", given_name="Grace", middle_name="B.",
            family_name="Hopper", role_names=["editor"], user_tenants=[AssociatedTenant(TENANT_ID, ["tenant-admin"])],
            picture=PICTURE, custom_attributes={"plan": "team"}, verified_email=False, verified_phone=True,
            sso_app_ids=["sso-app-1"], status="enabled", test=False,
        ), U4)
        expect(found.get("status") == "enabled" and found.get("roleNames") == ["editor"], f"user: {found!r}")
        expect(tenant_roles(found, TENANT_ID) == ["tenant-admin"], "tenant roles (replaced)")
        expect(found.get("customAttributes") == {"seats": 5, "plan": "team"}, "customAttributes (merged)")
        return found

    call("mgmt.user.patch", "(all options)", patch_all, [u4_id])

    def patch_batch():
        answer = user.patch_batch([UserObj(U4, display_name="Grace"), UserObj("py-nobody@example.com", display_name="x")])
        patched = [u.get("loginIds", [None])[0] for u in answer.get("patchedUsers") or []]
        expect(patched == [U4], f"patchedUsers: {patched}")
        expect(len(answer.get("failedUsers") or []) == 1, f"failedUsers: {answer.get('failedUsers')!r}")
        return answer

    call("mgmt.user.patch_batch", "(one known, one unknown user)", patch_batch, [u4_id])

    def invite():
        found = user_of(user.invite(U3, email=U3, display_name="Invited User", invite_url=INVITE_URL), U3)
        expect(found.get("status") == "invited", f"status: {found.get('status')!r}")
        link = suite.last_message(U3, "email", "magicLink")
        expect(link.get("link", "").startswith(INVITE_URL), f"the invitation's link: {link!r}")
        answer = magiclink.verify(link["token"])
        expect((answer.get("sessionToken") or {}).get("jwt"), "no session JWT from the invitation's link")
        found = user_of(user.load(U3), U3)
        expect(found.get("status") == "enabled", f"status after the link: {found.get('status')!r}")
        return found["userId"]

    u3_id = call("mgmt.user.invite", "(invite URL; the link signs in and enables)", invite)

    def invite_all():
        found = user_of(user.invite(
            U3, invite_url=INVITE_URL, template_id="invite-template", test=False, email=U3, phone=phone(3),
            display_name="Invited User", given_name="Invited", family_name="User", verified_email=True,
        ), U3)
        return found

    call("mgmt.user.invite", "(again, with a template; an existing user is invited again)", invite_all, [u3_id])

    def invite_batch():
        answer = user.invite_batch(
            [
                UserObj(BATCH1, email=BATCH1, display_name="Batch One"),
                UserObj(BATCH2, email=BATCH2, phone=phone(12), display_name="Batch Two", given_name="Batch",
                        family_name="Two", role_names=["viewer"], user_tenants=[AssociatedTenant(TENANT_ID)],
                        custom_attributes={"plan": "pro"}, verified_email=True,
                        password=UserPassword(cleartext="Cleartext-Passw0rd!"), seed="JBSWY3DPEHPK3PXP",
                        status="enabled"),
                UserObj(BATCH3, email=BATCH3, password=UserPassword(
                    hashed=UserPasswordBcrypt("$2a$10$abcdefghijklmnopqrstuu0123456789abcdefghijklmnopqrstu"))),
                UserObj(U1),
            ],
            invite_url=INVITE_URL, send_mail=True, send_sms=False, locale="fr", template_options=TEMPLATE_OPTIONS,
            template_id="invite-template",
        )
        created = sorted(u.get("loginIds", [None])[0] for u in answer.get("createdUsers") or [])
        expect(created == [BATCH1, BATCH2, BATCH3], f"createdUsers: {created}")
        failed = answer.get("failedUsers") or []
        expect(len(failed) == 1 and "E062107" in failed[0].get("failure", ""), f"failedUsers: {failed!r}")
        by_login = {u["loginIds"][0]: u for u in answer["createdUsers"]}
        expect(by_login[BATCH1].get("status") == "invited", "an invited user's status")
        expect(by_login[BATCH2].get("status") == "enabled", "status given in the batch")
        expect(by_login[BATCH2].get("TOTP") is True, "the seed makes TOTP")
        suite.last_message(BATCH1, "email", "magicLink")
        return {login: user_["userId"] for login, user_ in by_login.items()}

    batch_ids = call("mgmt.user.invite_batch", "(all options, passwords, seed, status, a taken login id)", invite_batch,
                     [u1_id, created_tenant])

    # 7. One field at a time.
    def one(action, check):
        def run():
            found = user_of(action())
            check(found)
            return found
        return run

    call("mgmt.user.deactivate", "", one(lambda: user.deactivate(U2),
                                          lambda u: expect(u.get("status") == "disabled", f"status {u.get('status')!r}")),
         [u2_id])
    call("mgmt.user.activate", "", one(lambda: user.activate(U2),
                                        lambda u: expect(u.get("status") == "enabled", f"status {u.get('status')!r}")),
         [u2_id])
    call("mgmt.user.update_login_id", "(new login id)",
         one(lambda: user.update_login_id("py-ada-alt", "py-ada-second"),
             lambda u: expect(u.get("loginIds") == [U2, "py-ada-second"], f"loginIds {u.get('loginIds')!r}")), [u2_id])
    call("mgmt.user.update_login_id", "(no new login id: removes it)",
         one(lambda: user.update_login_id("py-ada-second"),
             lambda u: expect(u.get("loginIds") == [U2], f"loginIds {u.get('loginIds')!r}")), [u2_id])
    call("mgmt.user.update_email", "(email only)",
         one(lambda: user.update_email(U1, "py-mgmt-01-mail@example.com"),
             lambda u: expect(u.get("email") == "py-mgmt-01-mail@example.com" and u.get("verifiedEmail") is False,
                              f"email {u!r}")), [u1_id])
    call("mgmt.user.update_email", "(verified, fail on conflict)",
         one(lambda: user.update_email(U1, "py-mgmt-01-mail@example.com", verified=True, fail_on_conflict=True),
             lambda u: expect(u.get("verifiedEmail") is True, "verifiedEmail")), [u1_id])
    call("mgmt.user.update_email", "(fail on conflict with another user's login id: 400)",
         lambda: refused(400, "E062107", lambda: user.update_email(U1, U2, fail_on_conflict=True)), [u1_id, u2_id])
    call("mgmt.user.update_phone", "(phone only)",
         one(lambda: user.update_phone(U1, phone(1)),
             lambda u: expect(u.get("phone") == phone(1) and u.get("verifiedPhone") is False, f"phone {u!r}")), [u1_id])
    call("mgmt.user.update_phone", "(verified, fail on conflict)",
         one(lambda: user.update_phone(U1, phone(1), verified=True, fail_on_conflict=False),
             lambda u: expect(u.get("verifiedPhone") is True, "verifiedPhone")), [u1_id])
    call("mgmt.user.update_display_name", "(display name only)",
         one(lambda: user.update_display_name(U1, "Charles Babbage"),
             lambda u: expect(u.get("name") == "Charles Babbage", f"name {u.get('name')!r}")), [u1_id])
    call("mgmt.user.update_display_name", "(all name parts)",
         one(lambda: user.update_display_name(U1, "Charles Babbage", given_name="Charles", middle_name="X",
                                               family_name="Babbage"),
             lambda u: expect((u.get("givenName"), u.get("middleName"), u.get("familyName"))
                              == ("Charles", "X", "Babbage"), f"names {u!r}")), [u1_id])
    call("mgmt.user.update_picture", "",
         one(lambda: user.update_picture(U1, PICTURE), lambda u: expect(u.get("picture") == PICTURE, "picture")), [u1_id])
    call("mgmt.user.update_custom_attribute", "(string)",
         one(lambda: user.update_custom_attribute(U1, "plan", "enterprise"),
             lambda u: expect(u.get("customAttributes") == {"plan": "enterprise"}, f"{u.get('customAttributes')!r}")),
         [u1_id])
    call("mgmt.user.update_custom_attribute", "(number)",
         one(lambda: user.update_custom_attribute(U1, "seats", 12),
             lambda u: expect(u.get("customAttributes", {}).get("seats") == 12, f"{u.get('customAttributes')!r}")),
         [u1_id])
    call("mgmt.user.update_custom_attribute", "(boolean)",
         one(lambda: user.update_custom_attribute(U1, "beta", False),
             lambda u: expect(u.get("customAttributes", {}).get("beta") is False, f"{u.get('customAttributes')!r}")),
         [u1_id])
    call("mgmt.user.update_custom_attribute", "(an undefined attribute: 400)",
         lambda: refused(400, "E011004", lambda: user.update_custom_attribute(U1, "undefined", "x")), [u1_id])
    call("mgmt.user.update_recovery_email", "(email only)",
         one(lambda: user.update_recovery_email(U1, "py-recovery@example.com"),
             lambda u: expect(u.get("recoveryEmail") == "py-recovery@example.com"
                              and u.get("verifiedRecoveryEmail") is False, f"{u!r}")), [u1_id])
    call("mgmt.user.update_recovery_email", "(verified)",
         one(lambda: user.update_recovery_email(U1, "py-recovery@example.com", verified=True),
             lambda u: expect(u.get("verifiedRecoveryEmail") is True, "verifiedRecoveryEmail")), [u1_id])
    call("mgmt.user.update_recovery_phone", "(phone only)",
         one(lambda: user.update_recovery_phone(U1, phone(91)),
             lambda u: expect(u.get("recoveryPhone") == phone(91), f"{u!r}")), [u1_id])
    call("mgmt.user.update_recovery_phone", "(verified)",
         one(lambda: user.update_recovery_phone(U1, phone(91), verified=True),
             lambda u: expect(u.get("verifiedRecoveryPhone") is True, "verifiedRecoveryPhone")), [u1_id])

    # Roles (project-level, then in the tenant), tenants and SSO apps.
    roles_are = lambda wanted: lambda u: expect(u.get("roleNames") == wanted, f"roleNames {u.get('roleNames')!r}")  # noqa: E731
    call("mgmt.user.set_roles", "", one(lambda: user.set_roles(U1, ["viewer", "r1c"]), roles_are(["viewer", "r1c"])),
         [u1_id])
    call("mgmt.user.add_roles", "", one(lambda: user.add_roles(U1, ["editor", "viewer"]),
                                        roles_are(["viewer", "r1c", "editor"])), [u1_id])
    call("mgmt.user.remove_roles", "", one(lambda: user.remove_roles(U1, ["r1c"]), roles_are(["viewer", "editor"])),
         [u1_id])
    call("mgmt.user.add_roles", "(an unknown role: 400)",
         lambda: refused(400, "E011004", lambda: user.add_roles(U1, ["no-such-role"])), [u1_id])
    call("mgmt.user.add_tenant", "",
         one(lambda: user.add_tenant(U1, TENANT_ID), lambda u: expect(tenant_roles(u, TENANT_ID) == ["viewer"], "roles")),
         [u1_id, created_tenant])
    call("mgmt.user.add_tenant", "(the second tenant)",
         one(lambda: user.add_tenant(U1, tenant_b), lambda u: expect(tenant_roles(u, tenant_b) == [], "roles")),
         [u1_id, tenant_b])
    in_tenant = lambda wanted: lambda u: expect(tenant_roles(u, TENANT_ID) == wanted, f"tenant roles {tenant_roles(u, TENANT_ID)!r}")  # noqa: E731
    call("mgmt.user.set_tenant_roles", "",
         one(lambda: user.set_tenant_roles(U1, TENANT_ID, ["tenant-admin"]), in_tenant(["tenant-admin"])), [u1_id])
    call("mgmt.user.add_tenant_roles", "",
         one(lambda: user.add_tenant_roles(U1, TENANT_ID, ["r2c", "editor"]), in_tenant(["tenant-admin", "r2c", "editor"])),
         [u1_id])
    call("mgmt.user.remove_tenant_roles", "",
         one(lambda: user.remove_tenant_roles(U1, TENANT_ID, ["r2c"]), in_tenant(["tenant-admin", "editor"])), [u1_id])
    call("mgmt.user.add_tenant_roles", "(another tenant's role: 400)",
         lambda: refused(400, "E011004", lambda: user.add_tenant_roles(U1, tenant_b, ["tenant-admin"])), [u1_id, tenant_b])
    call("mgmt.user.remove_tenant", "",
         one(lambda: user.remove_tenant(U1, tenant_b),
             lambda u: expect([m.get("tenantId") for m in u.get("userTenants") or []] == [TENANT_ID], "userTenants")),
         [u1_id, tenant_b])
    apps_are = lambda wanted: lambda u: expect(u.get("ssoAppIds") == wanted, f"ssoAppIds {u.get('ssoAppIds')!r}")  # noqa: E731
    call("mgmt.user.set_sso_apps", "", one(lambda: user.set_sso_apps(U1, ["sso-app-1", "sso-app-2"]),
                                           apps_are(["sso-app-1", "sso-app-2"])), [u1_id])
    call("mgmt.user.add_sso_apps", "", one(lambda: user.add_sso_apps(U1, ["sso-app-3"]),
                                           apps_are(["sso-app-1", "sso-app-2", "sso-app-3"])), [u1_id])
    call("mgmt.user.remove_sso_apps", "", one(lambda: user.remove_sso_apps(U1, ["sso-app-2"]),
                                              apps_are(["sso-app-1", "sso-app-3"])), [u1_id])

    # Other sign-in methods: the answers the SDK parses (passwords, passkeys, TOTP, devices).
    call("mgmt.user.set_temporary_password", "", lambda: user.set_temporary_password(U1, "Temp-Passw0rd!"), [u1_id])
    call("mgmt.user.set_active_password", "", lambda: user.set_active_password(U1, "Active-Passw0rd!"), [u1_id])
    call("mgmt.user.expire_password", "", lambda: user.expire_password(U1), [u1_id])

    def passkeys():
        answer = user.list_passkeys(U1)
        expect(answer.get("passkeys") == [], f"passkeys: {answer!r}")
        return answer

    call("mgmt.user.list_passkeys", "", passkeys, [u1_id])
    call("mgmt.user.delete_passkey", "(none there)", lambda: user.delete_passkey(U1, "pk-1"), [u1_id])
    call("mgmt.user.remove_all_passkeys", "", lambda: user.remove_all_passkeys(U1), [u1_id])
    call("mgmt.user.remove_totp_seed", "",
         lambda: (user.remove_totp_seed(BATCH2),
                  expect(user_of(user.load(BATCH2)).get("TOTP") is False, "TOTP after the removal")),
         [batch_ids])

    def trusted_devices():
        answer = user.list_trusted_devices([U1, u2_id])
        expect(answer.get("devices") == [], f"devices: {answer!r}")
        return answer

    call("mgmt.user.list_trusted_devices", "", trusted_devices, [u1_id, u2_id])
    call("mgmt.user.remove_trusted_device", "", lambda: user.remove_trusted_device(U1, ["dev-1", "dev-2"]), [u1_id])

    def provider_token(**options):
        answer = user.get_provider_token(U2, "google", **options)
        expect(answer.get("provider") == "google" and answer.get("accessToken") == "py-google-access-token",
               f"token: {answer!r}")
        return answer

    seeded = suite.setup(
        "give the user a Google token (POST /emulator/users/provider-token)",
        lambda: suite.admin("POST", "/emulator/users/provider-token",
                            {"loginId": U2, "provider": "google", "accessToken": "py-google-access-token",
                             "refreshToken": "py-google-refresh-token", "scopes": ["email"]}),
        [u2_id],
    )
    call("mgmt.user.get_provider_token", "", provider_token, [seeded])
    call("mgmt.user.get_provider_token", "(with refresh token, force refresh)",
         lambda: expect(provider_token(withRefreshToken=True, forceRefresh=True).get("refreshToken")
                        == "py-google-refresh-token", "no refreshToken"), [seeded])

    # 8. What management changes shows in sign-ins (the SDK's own auth calls).
    def sign_in(login_id: str) -> dict:
        otp.sign_in(EMAIL, login_id)
        answer = otp.verify_code(EMAIL, login_id, suite.code(login_id, EMAIL))
        session = (answer.get("sessionToken") or {}).get("jwt")
        refresh = (answer.get("refreshSessionToken") or {}).get("jwt")
        expect(session and refresh, "no session or refresh JWT")
        return {"session": session, "refresh": refresh, "claims": client.validate_session(session)}

    def signed_in():
        tokens = sign_in(U2)
        claims = tokens["claims"]
        expect(claims.get("roles") == ["editor"], f"roles claim: {claims.get('roles')!r}")
        expect(sorted(claims.get("permissions") or []) == ["read", "write"], f"permissions: {claims.get('permissions')!r}")
        in_tenant_ = (claims.get("tenants") or {}).get(TENANT_ID) or {}
        expect(in_tenant_.get("roles") == ["viewer", "tenant-admin"], f"tenant claim: {claims.get('tenants')!r}")
        expect(in_tenant_.get("permissions") == ["write"], f"tenant permissions: {in_tenant_!r}")
        return tokens

    tokens = call("mgmt (auth) sign-in of a management user", "(roles and permissions in the JWT)", signed_in, [u2_id])

    def roles_in_refresh():
        user.add_roles(U2, ["r1c"])
        permission.update("read", "read-all", description="Reads")
        answer = client.refresh_session(tokens["refresh"])
        claims = client.validate_session(answer["sessionToken"]["jwt"])
        expect(claims.get("roles") == ["editor", "r1c"], f"roles after the refresh: {claims.get('roles')!r}")
        expect(sorted(claims.get("permissions") or []) == ["p2c", "read-all", "write"],
               f"permissions after the refresh: {claims.get('permissions')!r}")
        return claims

    call("mgmt (auth) refresh after add_roles and a permission rename", "", roles_in_refresh, [tokens])

    def disabled():
        user.deactivate(U2)
        refused(403, "E062110", lambda: otp.sign_in(EMAIL, U2))
        refused(403, "E062110", lambda: client.refresh_session(tokens["refresh"]))
        user.activate(U2)
        client.refresh_session(tokens["refresh"])
        return True

    call("mgmt (auth) a deactivated user", "(neither signs in nor refreshes: 403; activated again)", disabled, [tokens])

    def logout_user(action):
        signed = sign_in(U2)
        action()
        refused(401, "E064001", lambda: client.refresh_session(signed["refresh"]))
        return True

    call("mgmt.user.logout_user", "(the refresh JWT is revoked: 401)", lambda: logout_user(lambda: user.logout_user(U2)),
         [u2_id])
    call("mgmt.user.logout_user_by_user_id", "(the refresh JWT is revoked: 401)",
         lambda: logout_user(lambda: user.logout_user_by_user_id(u2_id)), [u2_id])

    def history():
        entries = user.history([u2_id, u1_id])
        expect(isinstance(entries, list) and entries, f"expected a non-empty list, got {entries!r}")
        expect(all(e.get("userId") == u2_id and e.get("loginTime") for e in entries), f"entries: {entries!r}")
        return entries

    call("mgmt.user.history", "", history, [u2_id, u1_id])

    # 9. Test users, their codes and links (verified with the ordinary verify calls), embedded links.
    def create_test_user():
        found = user_of(user.create_test_user(T1), T1)
        expect(found.get("test") is True, f"test: {found!r}")
        return found["userId"]

    t1_id = call("mgmt.user.create_test_user", "(login id only)", create_test_user)

    def create_test_user_full():
        found = user_of(user.create_test_user(
            T2, email=T2, phone=phone(77), display_name="Test User", given_name="Test", family_name="User",
            role_names=["viewer"], user_tenants=[AssociatedTenant(TENANT_ID, ["r2c"])], picture=PICTURE,
            custom_attributes={"plan": "pro"}, verified_email=True, verified_phone=True,
            additional_login_ids=["py-test-alt"], sso_app_ids=["sso-app-1"],
        ), T2)
        expect(found.get("test") is True and found.get("roleNames") == ["viewer"], f"user: {found!r}")
        return found["userId"]

    t2_id = call("mgmt.user.create_test_user", "(all options)", create_test_user_full, [created_tenant])

    def search_test_users(expected, **filters):
        answer = user.search_all_test_users(**filters)
        found = sorted(u.get("loginIds", [None])[0] for u in answer.get("users") or [])
        expect(found == sorted(expected), f"expected {sorted(expected)}, got {found}")
        return answer

    call("mgmt.user.search_all_test_users", "(no arguments)", lambda: search_test_users([T1, T2]), [t1_id, t2_id])
    call("mgmt.user.search_all_test_users", "(filters)",
         lambda: search_test_users([T2], tenant_ids=[TENANT_ID], role_names=["viewer"], limit=5, emails=[T2],
                                   statuses=["enabled"], text="test user", sort=[Sort("email")]), [t2_id])
    call("mgmt.user.search_all", "(test users left out unless asked)",
         lambda: search([U2], lambda: user.search_all(login_ids=[U2, T2])), [t2_id])
    call("mgmt.user.search_all", "(with test users)",
         lambda: search([U2, T2], lambda: user.search_all(login_ids=[U2, T2], with_test_user=True)), [t2_id])
    call("mgmt.user.generate_otp_for_test_user", "(a user that is not a test user: 400)",
         lambda: refused(400, "E011004", lambda: user.generate_otp_for_test_user(EMAIL, U2)), [u2_id])

    def verified_claims(answer) -> dict:
        session = (answer.get("sessionToken") or {}).get("jwt")
        expect(session, "no session JWT")
        return client.validate_session(session)

    def test_otp(method, login_id, options=None, expect_claims=None):
        def run():
            answer = user.generate_otp_for_test_user(method, login_id, login_options=options)
            expect(answer.get("loginId") == login_id and answer.get("code"), f"answer: {answer!r}")
            verify_as = EMAIL if method == EMBEDDED else method
            claims = verified_claims(otp.verify_code(verify_as, login_id, answer["code"]))
            for key, value in (expect_claims or {}).items():
                expect(claims.get(key) == value, f"claim {key}: {claims.get(key)!r}")
            return claims
        return run

    call("mgmt.user.generate_otp_for_test_user", "email (verified with verify_code)", test_otp(EMAIL, T1), [t1_id])
    call("mgmt.user.generate_otp_for_test_user", "sms (login options with custom claims, template, locale)",
         test_otp(SMS, T2, LoginOptions(custom_claims=CUSTOM_CLAIMS, template_options=TEMPLATE_OPTIONS,
                                       template_id="otp-template", locale="fr", revoke_other_sessions=False),
                  {"plan": "pro", "seats": 3}), [t2_id])
    call("mgmt.user.generate_otp_for_test_user", "voice", test_otp(VOICE, T2), [t2_id])
    call("mgmt.user.generate_otp_for_test_user", "whatsapp", test_otp(WHATSAPP, T2), [t2_id])
    call("mgmt.user.generate_otp_for_test_user", "embedded (verified as email)", test_otp(EMBEDDED, T1), [t1_id])

    def link_token(link: str) -> str:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
        expect(query.get("t"), f"no t= in {link!r}")
        return query["t"][0]

    def test_link(method, login_id, uri, options=None, expect_claims=None):
        def run():
            answer = user.generate_magic_link_for_test_user(method, login_id, uri, login_options=options)
            expect(answer.get("loginId") == login_id and answer.get("link"), f"answer: {answer!r}")
            if uri:
                expect(answer["link"].startswith(uri), f"link: {answer['link']!r}")
            claims = verified_claims(magiclink.verify(link_token(answer["link"])))
            for key, value in (expect_claims or {}).items():
                expect(claims.get(key) == value, f"claim {key}: {claims.get(key)!r}")
            return claims
        return run

    call("mgmt.user.generate_magic_link_for_test_user", "email (verified with magiclink.verify)",
         test_link(EMAIL, T1, REDIRECT_URI), [t1_id])
    call("mgmt.user.generate_magic_link_for_test_user", "sms (login options with custom claims)",
         test_link(SMS, T2, REDIRECT_URI, LoginOptions(custom_claims=CUSTOM_CLAIMS), {"beta": True}), [t2_id])
    call("mgmt.user.generate_magic_link_for_test_user", "email (empty URI: the default redirect)",
         test_link(EMAIL, T1, ""), [t1_id])

    def enchanted(options=None):
        answer = user.generate_enchanted_link_for_test_user(T1, REDIRECT_URI, login_options=options)
        expect(answer.get("link") and answer.get("pendingRef"), f"answer: {answer!r}")
        return verified_claims(magiclink.verify(link_token(answer["link"])))

    call("mgmt.user.generate_enchanted_link_for_test_user", "", enchanted, [t1_id])
    call("mgmt.user.generate_enchanted_link_for_test_user", "(custom claims)",
         lambda: expect(enchanted(LoginOptions(custom_claims=CUSTOM_CLAIMS)).get("seats") == 3, "custom claim"), [t1_id])

    def embedded(**options):
        token = user.generate_embedded_link(U1, **options)
        expect(isinstance(token, str) and token, f"token: {token!r}")
        return verified_claims(magiclink.verify(token))

    call("mgmt.user.generate_embedded_link", "(login id only)", embedded, [u1_id])
    call("mgmt.user.generate_embedded_link", "(custom claims, timeout)",
         lambda: expect(embedded(custom_claims=CUSTOM_CLAIMS, timeout=300).get("plan") == "pro", "custom claim"),
         [u1_id])

    def sign_up_embedded():
        token = user.generate_sign_up_embedded_link(
            SIGNUP, user=CreateUserObj(email=SIGNUP, phone=phone(55), name="Signed Up", given_name="Signed",
                                       middle_name="E.", family_name="Up"),
            email_verified=True, phone_verified=False,
            login_options=LoginOptions(custom_claims=CUSTOM_CLAIMS), timeout=300,
        )
        claims = verified_claims(magiclink.verify(token))
        expect(claims.get("plan") == "pro", f"custom claim: {claims!r}")
        found = user_of(user.load(SIGNUP), SIGNUP)
        # The SDK sends the name parts in snake case (`user.__dict__`), which the emulator reads.
        expect((found.get("email"), found.get("verifiedEmail"), found.get("givenName"))
               == (SIGNUP, True, "Signed"), f"user: {found!r}")
        return found["userId"]

    signup_id = call("mgmt.user.generate_sign_up_embedded_link", "(user, verified email, login options, timeout)",
                     sign_up_embedded)

    def sign_up_embedded_bare():
        token = user.generate_sign_up_embedded_link("py-signup-02@example.com")
        verified_claims(magiclink.verify(token))
        return user_of(user.load("py-signup-02@example.com"))["userId"]

    signup2_id = call("mgmt.user.generate_sign_up_embedded_link", "(login id only)", sign_up_embedded_bare)

    # This SDK's management methods whose paths are none of the spec's operations: the emulator
    # answers each 404 `E011001` ("not emulated: <METHOD> <path> is none of the 133 operations
    # this emulator serves (the curated spec's)"), and the shape test would report the path as
    # not in the spec. Left out until the maintainer decides (the family calls need
    # `AssociatedFamily` and `CustomAttribute` from descope.management.common).
    # TODO(spec): POST /v1/mgmt/user/password/set {"loginId", "password"} (deprecated):
    # call("mgmt.user.set_password", "(deprecated)", lambda: user.set_password(U1, "Old-Passw0rd!"), [u1_id])
    # TODO(spec): POST /v1/mgmt/user/recovery-codes/delete {"loginId"}:
    # call("mgmt.user.remove_recovery_codes", "", lambda: user.remove_recovery_codes(U1), [u1_id])
    # TODO(spec): POST /v1/mgmt/user/update/family/add {"loginId", "familyAssociations": [{"familyId", ...}]}:
    # call("mgmt.user.add_families", "", lambda: user.add_families(U1, [AssociatedFamily("F2family", ["parent"])]), [u1_id])
    # TODO(spec): POST /v1/mgmt/user/update/family/remove {"loginId", "familyIds"}:
    # call("mgmt.user.remove_families", "", lambda: user.remove_families(U1, ["F2family"]), [u1_id])
    # TODO(spec): GET /v1/mgmt/user/families/customattributes:
    # call("mgmt.user.load_family_scoped_custom_attributes", "", lambda: user.load_family_scoped_custom_attributes())
    # TODO(spec): POST /v1/mgmt/user/families/customattribute/create {"attributes": [{"name", "type": 1}]}:
    # call("mgmt.user.create_family_scoped_custom_attributes", "",
    #      lambda: user.create_family_scoped_custom_attributes([CustomAttribute("nickname", 1)]))
    # TODO(spec): POST /v1/mgmt/user/families/customattribute/delete {"names"}:
    # call("mgmt.user.delete_family_scoped_custom_attributes", "",
    #      lambda: user.delete_family_scoped_custom_attributes(["nickname"]))
    # TODO(spec): POST /v1/mgmt/user/import {"source", "users" (base64), "hashes" (base64), "dryrun"}:
    # call("mgmt.user.import_users", "(dry run)", lambda: user.import_users("auth0", users=b"[]", dryrun=True))
    # TODO(spec): PATCH /v1/mgmt/tenant/patch {"id", "name", ...}:
    # call("mgmt.tenant.patch_tenant", "(name)", lambda: tenant.patch_tenant(TENANT_ID, name="Patched"), [created_tenant])
    # (Not a spec question: `tenant.update_settings` with the `TenantAuthType` and
    # `SessionExpirationUnit` enums its signature asks for raises `TypeError: Object of type
    # TenantAuthType is not JSON serializable` before sending anything; the call above passes
    # their string values.)

    # 10. Deletions: users, test users, attributes, roles, permissions, tenants.
    def gone(login_id: str):
        refused(404, "E062108", lambda: user.load(login_id))
        return True

    call("mgmt.user.delete", "", lambda: (user.delete(U3), gone(U3)), [u3_id])
    call("mgmt.user.delete", "(an unknown user: 404)", lambda: refused(404, "E062108", lambda: user.delete(U3)), [u3_id])
    call("mgmt.user.delete_by_user_id", "", lambda: (user.delete_by_user_id(signup_id), gone(SIGNUP)), [signup_id])
    call("mgmt.user.delete_batch", "",
         lambda: (user.delete_batch([batch_ids[BATCH1], batch_ids[BATCH3], signup2_id]), gone(BATCH1), gone(BATCH3)),
         [batch_ids, signup2_id])

    def delete_test_users():
        user.delete_all_test_users()
        gone(T1)
        gone(T2)
        expect(user_of(user.load(U2)).get("userId") == u2_id, "a user that is not a test user went too")
        return True

    call("mgmt.user.delete_all_test_users", "", delete_test_users, [t1_id, t2_id])

    def delete_attribute():
        found = attributes_of(user.delete_custom_attribute("tier"))
        expect(sorted(names(found)) == ["beta", "plan", "seats"], f"attributes: {names(found)}")
        return found

    call("mgmt.user.delete_custom_attribute", "", delete_attribute)

    def delete_role(action, role_name, tenant_id=None):
        def run():
            action()
            left = [(r["name"], r.get("tenantId") or None) for r in all_roles()]
            expect((role_name, tenant_id) not in left, f"{role_name} is still there: {left}")
            return left
        return run

    call("mgmt.role.delete", "(a role users hold: they lose it)",
         delete_role(lambda: role.delete("r1c"), "r1c"), [role_ids])
    call("mgmt.role.delete", "(in a tenant)",
         delete_role(lambda: role.delete("r2c", tenant_id=TENANT_ID), "r2c", TENANT_ID), [role_ids])

    def lost_role():
        found = user_of(user.load(U2))
        expect(found.get("roleNames") == ["editor"], f"roleNames: {found.get('roleNames')!r}")
        return found

    call("mgmt.user.load", "(after the role's deletion)", lost_role, [u2_id])
    call("mgmt.role.create_batch", "(for the deletions below)",
         lambda: role.create_batch([{"name": "d1"}, {"name": "d2"}, {"name": "d3", "tenantId": TENANT_ID},
                                    {"name": "d4", "tenantId": TENANT_ID}, {"name": "d5"}]), [created_tenant])
    ids = call("mgmt.role.load_all", "(ids for the deletions)",
               lambda: {(r["name"], r.get("tenantId") or None): r["id"] for r in all_roles()})
    call("mgmt.role.delete_by_id", "", delete_role(lambda: role.delete_by_id(ids[("d1", None)]), "d1"), [ids])
    call("mgmt.role.delete_by_id", "(tenant)",
         delete_role(lambda: role.delete_by_id(ids[("d3", TENANT_ID)], tenant_id=TENANT_ID), "d3", TENANT_ID), [ids])
    call("mgmt.role.delete_batch", "(names)", delete_role(lambda: role.delete_batch(["d2"]), "d2"), [ids])
    call("mgmt.role.delete_batch", "(role objects with a tenant)",
         delete_role(lambda: role.delete_batch([{"name": "d4", "tenantId": TENANT_ID}]), "d4", TENANT_ID), [ids])
    call("mgmt.role.delete_batch_by_ids", "", delete_role(lambda: role.delete_batch_by_ids([ids[("d5", None)]]), "d5"),
         [ids])
    call("mgmt.role.delete", "(an unknown role: 404)", lambda: refused(404, "E011004", lambda: role.delete("d1")))

    def delete_permission(action, gone_names):
        def run():
            action()
            left = names(all_permissions())
            expect(not set(gone_names) & set(left), f"{gone_names} still in {left}")
            return left
        return run

    call("mgmt.permission.delete", "(a permission roles grant: they lose it)",
         delete_permission(lambda: permission.delete("write"), ["write"]))

    def lost_permission():
        editor = by_name(all_roles(), "editor")
        expect(editor.get("permissionNames") == ["read-all"], f"editor: {editor!r}")
        return editor

    call("mgmt.role.load_all", "(after the permission's deletion)", lost_permission)
    call("mgmt.permission.create_batch", "(for the deletions below)",
         lambda: permission.create_batch([{"name": "d1"}, {"name": "d2"}, {"name": "d3"}, {"name": "d4"}]))
    pids = call("mgmt.permission.load_all", "(ids for the deletions)",
                lambda: {p["name"]: p["id"] for p in all_permissions()})
    call("mgmt.permission.delete_by_id", "", delete_permission(lambda: permission.delete_by_id(pids["d1"]), ["d1"]),
         [pids])
    call("mgmt.permission.delete_batch", "", delete_permission(lambda: permission.delete_batch(["d2", "p1c"]),
                                                               ["d2", "p1c"]))
    call("mgmt.permission.delete_batch_by_ids", "",
         delete_permission(lambda: permission.delete_batch_by_ids([pids["d3"], pids["d4"]]), ["d3", "d4"]), [pids])
    call("mgmt.permission.delete", "(an unknown permission: 404)", lambda: refused(404, "E011004", lambda: permission.delete("d1")))

    def delete_cascade():
        # With `cascade`, the users that belonged to this tenant alone go (U1, U4, BATCH2);
        # U2, a member of tenant B too, stays without it; the tenant's roles go.
        user.add_tenant(U2, tenant_b)
        tenant.delete(TENANT_ID, cascade=True)
        refused(404, "E011004", lambda: tenant.load(TENANT_ID))
        for login_id in (U1, U4, BATCH2):
            gone(login_id)
        found = user_of(user.load(U2))
        expect([m.get("tenantId") for m in found.get("userTenants") or []] == [tenant_b], f"userTenants: {found!r}")
        refused(404, "E011004", lambda: role.delete("tenant-admin", tenant_id=TENANT_ID))
        return True

    call("mgmt.tenant.delete", "(cascade: its only members go, its roles go)", delete_cascade,
         [created_tenant, tenant_b, u2_id])

    def delete_tenant():
        tenant.delete(tenant_b)
        refused(404, "E011004", lambda: tenant.load(tenant_b))
        found = user_of(user.load(U2))
        expect(found.get("userTenants") == [], f"userTenants: {found.get('userTenants')!r}")
        return True

    call("mgmt.tenant.delete", "(its members stay, without it)", delete_tenant, [tenant_b, u2_id])

    total = f"{suite.passed} passed, {suite.failed} failed"
    if suite.skipped:
        total += f", {suite.skipped} skipped"
    print(f"{SDK}: {total}", flush=True)
    return 1 if suite.failed or suite.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
