#!/usr/bin/env python3
"""Drives Descope's official Python SDK (`descope`, pinned in requirements.txt), unchanged and
through its public API only, against the emulator.

    drive.py --base-url URL --emulator-url URL --project-id ID --recording FILE

`--base-url` is where the SDK sends its calls (the recording proxy in front of the emulator);
`--emulator-url` is the emulator itself, for its test-only endpoints (the outbox, tenants),
which the SDK knows nothing of. `--recording` is the proxy's JSONL file: when a call fails, the
request the SDK sent and the emulator's answer are read back from it for the failure line.

Prints one line per call: `PASS python <call> <method>`, `FAIL python <call> <method>: <reason>`,
or `SKIP python <call> <method>: <why>` for a call that needs the result of one that failed.
Ends with `python: N passed, N failed, N skipped`; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request

from descope import (
    AuthException,
    DeliveryMethod,
    DescopeClient,
    LoginOptions,
    SignUpOptions,
)

SDK = "python"
FAILED = object()

EMAIL, SMS, VOICE, WHATSAPP = (
    DeliveryMethod.EMAIL,
    DeliveryMethod.SMS,
    DeliveryMethod.VOICE,
    DeliveryMethod.WHATSAPP,
)
# Every method the SDK's URL builder knows (`Auth.compose_url`); `EMBEDDED` is refused by it
# before anything is sent, for OTP and magic link alike.
SIGN_METHODS = [EMAIL, SMS, VOICE, WHATSAPP]
# `Auth.validate_phone` accepts these for phone updates, in both families.
PHONE_METHODS = [SMS, VOICE, WHATSAPP]
REDIRECT_URI = "https://app.example.com/interop/verify"
TEMPLATE_OPTIONS = {"greeting": "Hello", "product": "Interop"}
TEMPLATE_ID = "interop-template"
PROVIDER_ID = "interop-provider"
CUSTOM_CLAIMS = {"plan": "pro", "seats": 3, "beta": True}
TENANT_ID = "T2interopPython"
TENANT_NAME = "Interop Python Tenant"


def method_name(method: DeliveryMethod) -> str:
    return method.name.lower()


class Check(Exception):
    """An answer the SDK accepted but that lacks what the flow needs."""


class Suite:
    def __init__(self, emulator_url: str, recording: str) -> None:
        self.emulator_url = emulator_url.rstrip("/")
        self.recording = recording
        self.passed = self.failed = self.skipped = 0
        self.emails = 0
        self.phones = 0

    # Login ids: fixed counters, so that every run sends the same ids.
    def email(self, what: str) -> str:
        self.emails += 1
        return f"py-{self.emails:02d}-{what}@example.com"

    def phone(self) -> str:
        self.phones += 1
        return f"+1555010{self.phones:04d}"

    def login_id(self, method: DeliveryMethod, what: str) -> str:
        return self.email(what) if method == EMAIL else self.phone()

    # The emulator's test-only endpoints, straight to the emulator (not through the proxy).
    def admin(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.emulator_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"} if data else {},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"null")

    def last_message(self, login_id: str, channel: str, kind: str) -> dict:
        query = urllib.parse.urlencode({"loginId": login_id})
        messages = self.admin("GET", f"/emulator/outbox?{query}")
        # By what the message carries (`code` or `token`), not only by `kind`.
        field = "code" if kind == "otp" else "token"
        for message in reversed(messages):
            if message.get("channel") == channel and message.get(field):
                return message
        raise Check(f"the outbox has no {kind} message over {channel} for {login_id}")

    def code(self, login_id: str, method: DeliveryMethod) -> str:
        return self.last_message(login_id, method_name(method), "otp")["code"]

    def link_token(self, login_id: str, method: DeliveryMethod) -> str:
        return self.last_message(login_id, method_name(method), "magicLink")["token"]

    def recorded_count(self) -> int:
        try:
            with open(self.recording, encoding="utf-8") as handle:
                return sum(1 for _ in handle)
        except FileNotFoundError:
            return 0

    def recorded_since(self, count: int) -> list[dict]:
        try:
            with open(self.recording, encoding="utf-8") as handle:
                lines = handle.readlines()[count:]
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def call(self, name: str, label: str, action, requires=()):
        """Runs one SDK call; returns its result, or FAILED."""
        title = f"{name} {label}".strip()
        for needed in requires:
            if needed is FAILED:
                self.skipped += 1
                print(f"SKIP {SDK} {title}: an earlier call it needs failed", flush=True)
                return FAILED
        before = self.recorded_count()
        try:
            result = action()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
            self.failed += 1
            exchange, refused = self.exchange(before)
            # When the emulator refused the request, its answer (quoted after `|`) is the
            # reason; the SDK's exception repeats it.
            reason = f"{type(error).__name__} (HTTP {error.status_code})" if refused and isinstance(
                error, AuthException) else describe(error)
            print(f"FAIL {SDK} {title}: {reason}{exchange}", flush=True)
            return FAILED
        self.passed += 1
        print(f"PASS {SDK} {title}", flush=True)
        return result

    def refused(self, name: str, label: str, action, why: str):
        """A call the emulator refuses by decision (the service is not known to serve it): it
        passes when the SDK's request is answered 4xx, and fails if it is served."""
        title = f"{name} {label}".strip()
        try:
            action()
        except AuthException as error:
            if 400 <= int(getattr(error, "status_code", 0) or 0) < 500:
                self.passed += 1
                print(f"PASS {SDK} {title}: refused as decided ({why})", flush=True)
                return
            self.failed += 1
            print(f"FAIL {SDK} {title}: expected a 4xx refusal, got {describe(error)}", flush=True)
            return
        except Exception as error:  # noqa: BLE001
            self.failed += 1
            print(f"FAIL {SDK} {title}: expected a 4xx refusal, got {describe(error)}", flush=True)
            return
        self.failed += 1
        print(f"FAIL {SDK} {title}: served, though the spec and the emulator decided not to ({why})", flush=True)

    def setup(self, title: str, action, requires=()):
        """A harness step that is not an SDK call (the emulator's test-only endpoints)."""
        if any(needed is FAILED for needed in requires):
            return FAILED
        try:
            return action()
        except Exception as error:  # noqa: BLE001
            self.failed += 1
            print(f"FAIL {SDK} setup: {title}: {describe(error)}", flush=True)
            return FAILED

    def exchange(self, before: int) -> tuple[str, bool]:
        """The request the SDK sent during a failed call (the last one refused, else the last
        one) with the emulator's answer, and whether one was refused."""
        records = self.recorded_since(before)
        if not records:
            return " (nothing reached the emulator)", False
        refused = [r for r in records if not 200 <= r["response"]["status"] < 300]
        record = (refused or records)[-1]
        body = json.dumps(record["body"], separators=(",", ":"))
        answer = record["response"]["body"]
        answer = json.dumps(answer, separators=(",", ":")) if not isinstance(answer, str) else answer
        query = f"?{record['query']}" if record.get("query") else ""
        return (
            f" | sent {record['method']} {record['path']}{query} body={body}"
            f" auth={record['headers'].get('authorization')!r}"
            f" | answer {record['response']['status']} {answer}"
        ), bool(refused)


def describe(error: Exception) -> str:
    if isinstance(error, AuthException):
        text = " ".join(str(error.error_message).split())
        return f"AuthException(status {error.status_code}, {error.error_type}): {text}"
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


def tokens_of(answer: dict) -> dict:
    """The session and refresh JWTs of a verify, refresh or select-tenant answer, which the SDK
    has already validated against the emulator's JWKS."""
    session = (answer.get("sessionToken") or {}).get("jwt")
    refresh = (answer.get("refreshSessionToken") or {}).get("jwt")
    if not session:
        raise Check("the SDK's answer has no session JWT")
    if not refresh:
        raise Check("the SDK's answer has no refresh JWT")
    return {"session": session, "refresh": refresh, "answer": answer}


def masked(answer) -> str:
    if not isinstance(answer, str) or not answer:
        raise Check(f"expected a masked address, got {answer!r}")
    return answer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--emulator-url", required=True)
    parser.add_argument("--project-id", required=True)
    parser.add_argument("--recording", required=True)
    args = parser.parse_args()

    suite = Suite(args.emulator_url, args.recording)
    client = DescopeClient(project_id=args.project_id, base_url=args.base_url)
    otp, magiclink = client.otp, client.magiclink

    def verify_otp(method: DeliveryMethod, login_id: str):
        return tokens_of(otp.verify_code(method, login_id, suite.code(login_id, method)))

    def verify_link(method: DeliveryMethod, login_id: str):
        return tokens_of(magiclink.verify(suite.link_token(login_id, method)))

    def full_user(method: DeliveryMethod, login_id: str, what: str) -> dict:
        user = {"name": "Ada Lovelace", "givenName": "Ada", "middleName": "King", "familyName": "Lovelace"}
        if method == EMAIL:
            user["email"] = login_id
            user["phone"] = suite.phone()
        else:
            user["phone"] = login_id
            user["email"] = suite.email(what + "-contact")
        return user

    # 1. Every OTP operation over every delivery method: sign-up (with a user object),
    #    verify, sign-in, verify, sign-up-or-in (new user), verify, sign-up-or-in (existing).
    otp_users: dict[DeliveryMethod, tuple[str, object]] = {}
    for method in SIGN_METHODS:
        label = method_name(method)
        login_id = suite.login_id(method, f"otp-{label}")
        sent = suite.call(
            "sign_up_otp", label,
            lambda: masked(otp.sign_up(method, login_id, user=full_user(method, login_id, f"otp-{label}"))),
        )
        session = suite.call("verify_otp", label, lambda: verify_otp(method, login_id), [sent])
        otp_users[method] = (login_id, session)
        sent = suite.call("sign_in_otp", label, lambda: masked(otp.sign_in(method, login_id)))
        suite.call("verify_otp", f"{label} (after sign-in)", lambda: verify_otp(method, login_id), [sent])
        other = suite.login_id(method, f"otp-{label}-upin")
        sent = suite.call("sign_up_or_in_otp", f"{label} (new user)", lambda: masked(otp.sign_up_or_in(method, other)))
        suite.call("verify_otp", f"{label} (after sign-up-or-in)", lambda: verify_otp(method, other), [sent])
        sent = suite.call(
            "sign_up_or_in_otp", f"{label} (existing user)", lambda: masked(otp.sign_up_or_in(method, login_id))
        )
        suite.call("verify_otp", f"{label} (after sign-up-or-in, existing)", lambda: verify_otp(method, login_id), [sent])

    # 2. Every magic-link operation over every delivery method (the SDK builds the same paths
    #    for magic link as for OTP, voice included), with a redirect URI.
    link_users: dict[DeliveryMethod, tuple[str, object]] = {}
    for method in SIGN_METHODS:
        label = method_name(method)
        login_id = suite.login_id(method, f"ml-{label}")
        if method == DeliveryMethod.VOICE:
            # Magic links by voice: the SDK builds the paths from its generic delivery method,
            # but no other source has them (the JS SDK filters voice out of magic links), so
            # neither the spec nor the emulator serves them (openapi/README.md §4.30).
            why = "magic links are not sent by voice, §4.30"
            suite.refused("sign_up_magic_link", label, lambda: magiclink.sign_up(method, login_id, REDIRECT_URI), why)
            suite.refused("sign_in_magic_link", label, lambda: magiclink.sign_in(method, login_id, REDIRECT_URI), why)
            suite.refused(
                "sign_up_or_in_magic_link", label, lambda: magiclink.sign_up_or_in(method, login_id, REDIRECT_URI), why
            )
            continue
        sent = suite.call(
            "sign_up_magic_link", label,
            lambda: masked(
                magiclink.sign_up(method, login_id, REDIRECT_URI, user=full_user(method, login_id, f"ml-{label}"))
            ),
        )
        session = suite.call("verify_magic_link", label, lambda: verify_link(method, login_id), [sent])
        link_users[method] = (login_id, session)
        sent = suite.call("sign_in_magic_link", label, lambda: masked(magiclink.sign_in(method, login_id, REDIRECT_URI)))
        suite.call("verify_magic_link", f"{label} (after sign-in)", lambda: verify_link(method, login_id), [sent])
        other = suite.login_id(method, f"ml-{label}-upin")
        sent = suite.call(
            "sign_up_or_in_magic_link", f"{label} (new user)",
            lambda: masked(magiclink.sign_up_or_in(method, other, REDIRECT_URI)),
        )
        suite.call("verify_magic_link", f"{label} (after sign-up-or-in)", lambda: verify_link(method, other), [sent])

    # 3. Updates with the refresh JWT of a verify: email, then the phone over every method the
    #    SDK accepts, each verified with what the emulator sent.
    def refresh_of(session) -> str:
        return session["refresh"]

    login_id, session = otp_users[EMAIL]
    new_email = suite.email("otp-updated")
    sent = suite.call(
        "update_email_otp", "email (addToLoginIDs, onMergeUseExisting, template, provider)",
        lambda: masked(
            otp.update_user_email(
                login_id, new_email, refresh_of(session),
                add_to_login_ids=True, on_merge_use_existing=True,
                template_options=TEMPLATE_OPTIONS, template_id=TEMPLATE_ID, provider_id=PROVIDER_ID,
            )
        ),
        [session],
    )
    updated = suite.call("verify_otp", "email (after update_email)", lambda: verify_otp(EMAIL, login_id), [sent])
    session = updated if updated is not FAILED else session
    sent = suite.call(
        "update_email_otp", "email (defaults, mfa)",
        lambda: masked(otp.update_user_email(login_id, suite.email("otp-updated-mfa"), refresh_of(session), mfa=True)),
        [session],
    )
    suite.call("verify_otp", "email (after update_email, mfa)", lambda: verify_otp(EMAIL, login_id), [sent])
    for index, method in enumerate(PHONE_METHODS):
        label = method_name(method)
        options = (
            dict(add_to_login_ids=True, on_merge_use_existing=True, template_options=TEMPLATE_OPTIONS,
                 template_id=TEMPLATE_ID, provider_id=PROVIDER_ID, mfa=True)
            if index == 0 else {}
        )
        phone = suite.phone()
        sent = suite.call(
            "update_phone_otp", label + (" (all options)" if options else ""),
            lambda: masked(otp.update_user_phone(method, login_id, phone, refresh_of(session), **options)),
            [session],
        )
        suite.call("verify_otp", f"{label} (after update_phone)", lambda: verify_otp(method, login_id), [sent])

    login_id, session = link_users[EMAIL]
    sent = suite.call(
        "update_email_magic_link", "email (addToLoginIDs, onMergeUseExisting, template, provider)",
        lambda: masked(
            magiclink.update_user_email(
                login_id, suite.email("ml-updated"), refresh_of(session),
                add_to_login_ids=True, on_merge_use_existing=True,
                template_options=TEMPLATE_OPTIONS, template_id=TEMPLATE_ID, provider_id=PROVIDER_ID,
            )
        ),
        [session],
    )
    updated = suite.call(
        "verify_magic_link", "email (after update_email)", lambda: verify_link(EMAIL, login_id), [sent]
    )
    session = updated if updated is not FAILED else session
    for index, method in enumerate(PHONE_METHODS):
        label = method_name(method)
        options = (
            dict(add_to_login_ids=True, on_merge_use_existing=True, template_options=TEMPLATE_OPTIONS,
                 template_id=TEMPLATE_ID, provider_id=PROVIDER_ID)
            if index == 0 else {}
        )
        phone = suite.phone()
        sent = suite.call(
            "update_phone_magic_link", label + (" (all options)" if options else ""),
            lambda: masked(magiclink.update_user_phone(method, login_id, phone, refresh_of(session), **options)),
            [session],
        )
        # The SDK posts this update without a method (`/v1/auth/magiclink/update/phone`), whatever
        # `method` says, and the emulator serves that path as the SMS one (§4.30): the link comes
        # by SMS.
        suite.call(
            "verify_magic_link", f"{label} (after update_phone, sent by SMS)",
            lambda: verify_link(SMS, login_id), [sent],
        )

    # 4. Optional arguments: sign-up options and login options with and without custom claims,
    #    template options and id, locale, step-up and MFA (with the refresh JWT), on both families.
    login_id = suite.email("options")
    sent = suite.call(
        "sign_up_otp", "email (user, signup options with custom claims, template)",
        lambda: masked(
            otp.sign_up(
                EMAIL, login_id,
                user={"name": "Grace Hopper", "givenName": "Grace", "middleName": "Brewster",
                      "familyName": "Hopper", "email": login_id, "phone": suite.phone()},
                signup_options=SignUpOptions(
                    custom_claims=CUSTOM_CLAIMS, template_options=TEMPLATE_OPTIONS, template_id=TEMPLATE_ID,
                ),
            )
        ),
    )
    session = suite.call("verify_otp", "email (options user)", lambda: verify_otp(EMAIL, login_id), [sent])
    option_cases = [
        ("login options without custom claims (template, locale)",
         lambda: LoginOptions(template_options=TEMPLATE_OPTIONS, template_id=TEMPLATE_ID, locale="fr-FR"), False),
        ("login options with custom claims",
         lambda: LoginOptions(custom_claims=CUSTOM_CLAIMS, template_id=TEMPLATE_ID), False),
        ("login options revoke_other_sessions",
         lambda: LoginOptions(revoke_other_sessions=True, custom_claims=CUSTOM_CLAIMS), False),
        ("step-up", lambda: LoginOptions(stepup=True), True),
        ("step-up with custom claims", lambda: LoginOptions(stepup=True, custom_claims=CUSTOM_CLAIMS), True),
        ("mfa", lambda: LoginOptions(mfa=True), True),
        ("mfa with custom claims", lambda: LoginOptions(mfa=True, custom_claims=CUSTOM_CLAIMS), True),
    ]
    for title, options, needs_refresh in option_cases:
        refresh = refresh_of(session) if needs_refresh and session is not FAILED else None
        sent = suite.call(
            "sign_in_otp", f"email ({title})",
            lambda: masked(otp.sign_in(EMAIL, login_id, login_options=options(), refresh_token=refresh)),
            [session] if needs_refresh else [],
        )
        verified = suite.call("verify_otp", f"email (after {title})", lambda: verify_otp(EMAIL, login_id), [sent])
        if verified is not FAILED:
            session = verified
    for title, options in [
        ("signup options with custom claims, template, revoke_other_sessions",
         lambda: SignUpOptions(custom_claims=CUSTOM_CLAIMS, template_options=TEMPLATE_OPTIONS,
                               template_id=TEMPLATE_ID, revoke_other_sessions=False)),
        ("signup options without custom claims (template)",
         lambda: SignUpOptions(template_options=TEMPLATE_OPTIONS, template_id=TEMPLATE_ID)),
    ]:
        sent = suite.call(
            "sign_up_or_in_otp", f"email ({title})",
            lambda: masked(otp.sign_up_or_in(EMAIL, login_id, signup_options=options())),
        )
        suite.call("verify_otp", f"email (after sign-up-or-in, {title})", lambda: verify_otp(EMAIL, login_id), [sent])

    login_id = suite.email("ml-options")
    sent = suite.call(
        "sign_up_magic_link", "email (user, signup options with custom claims, template)",
        lambda: masked(
            magiclink.sign_up(
                EMAIL, login_id, REDIRECT_URI,
                user={"name": "Alan Turing", "givenName": "Alan", "middleName": "Mathison",
                      "familyName": "Turing", "email": login_id, "phone": suite.phone()},
                signup_options=SignUpOptions(
                    custom_claims=CUSTOM_CLAIMS, template_options=TEMPLATE_OPTIONS, template_id=TEMPLATE_ID,
                ),
            )
        ),
    )
    session = suite.call("verify_magic_link", "email (options user)", lambda: verify_link(EMAIL, login_id), [sent])
    for title, options, needs_refresh in option_cases:
        refresh = refresh_of(session) if needs_refresh and session is not FAILED else None
        sent = suite.call(
            "sign_in_magic_link", f"email ({title})",
            lambda: masked(
                magiclink.sign_in(EMAIL, login_id, REDIRECT_URI, login_options=options(), refresh_token=refresh)
            ),
            [session] if needs_refresh else [],
        )
        verified = suite.call("verify_magic_link", f"email (after {title})", lambda: verify_link(EMAIL, login_id), [sent])
        if verified is not FAILED:
            session = verified
    sent = suite.call(
        "sign_up_or_in_magic_link", "email (signup options with custom claims, template)",
        lambda: masked(
            magiclink.sign_up_or_in(
                EMAIL, login_id, REDIRECT_URI,
                signup_options=SignUpOptions(custom_claims=CUSTOM_CLAIMS, template_options=TEMPLATE_OPTIONS,
                                             template_id=TEMPLATE_ID),
            )
        ),
    )
    suite.call("verify_magic_link", "email (after sign-up-or-in with options)", lambda: verify_link(EMAIL, login_id), [sent])

    # 5. Sessions: a user of a tenant (set with the emulator's test-only endpoint before the
    #    sign-in), then local validation with the emulator's JWKS, refresh, me, tenants, tenant
    #    selection, history and the logouts.
    login_id = suite.email("sessions")
    sent = suite.call("sign_up_otp", "email (session user)", lambda: masked(otp.sign_up(EMAIL, login_id)))
    suite.call("verify_otp", "email (session user)", lambda: verify_otp(EMAIL, login_id), [sent])
    member = suite.setup(
        "add the session user to a tenant (POST /emulator/users/tenants)",
        lambda: suite.admin(
            "POST", "/emulator/users/tenants",
            {"loginId": login_id, "tenantId": TENANT_ID, "tenantName": TENANT_NAME,
             "roles": ["member"], "permissions": ["read"]},
        ),
        [sent],
    )
    sent = suite.call(
        "sign_in_otp", "email (session user, member of a tenant)", lambda: masked(otp.sign_in(EMAIL, login_id)), [member]
    )
    session = suite.call("verify_otp", "email (session user, member of a tenant)", lambda: verify_otp(EMAIL, login_id), [sent])
    tokens = session

    def validate_session():
        claims = client.validate_session(tokens["session"])
        if TENANT_ID not in (claims.get("tenants") or {}):
            raise Check(f"the validated session has no tenant {TENANT_ID}: {claims.get('tenants')!r}")
        if claims.get("drn") != "DS":
            raise Check(f"drn is {claims.get('drn')!r}")
        return claims

    suite.call("validate_session", "", validate_session, [tokens])

    def refresh_session():
        answer = client.refresh_session(tokens["refresh"])
        session_jwt = (answer.get("sessionToken") or {}).get("jwt")
        if not session_jwt:
            raise Check("no session JWT in the refresh answer")
        client.validate_session(session_jwt)
        return session_jwt

    refreshed = suite.call("refresh_session", "", refresh_session, [tokens])

    def validate_and_refresh(session_jwt: str):
        answer = client.validate_and_refresh_session(session_jwt, tokens["refresh"])
        if not (answer.get("sessionToken") or {}).get("jwt"):
            raise Check("no session JWT in the answer")
        return answer

    suite.call("validate_and_refresh_session", "(valid session)",
               lambda: validate_and_refresh(refreshed), [tokens, refreshed])

    # A session token the SDK cannot read (a stale cookie, say) makes it refresh. (An expired
    # one would too, but the emulator's tokens cannot be made to expire on the SDK's clock; and
    # a forged signature raises PyJWT's own error, which this SDK does not catch.)
    suite.call("validate_and_refresh_session", "(unreadable session: refreshes)",
               lambda: validate_and_refresh("not-a-session-jwt"), [tokens])

    def me():
        user = client.me(tokens["refresh"])
        if login_id not in (user.get("loginIds") or []):
            raise Check(f"me has no loginIds with {login_id}: {user!r}")
        if TENANT_ID not in [t.get("tenantId") for t in user.get("userTenants") or []]:
            raise Check(f"me has no userTenants entry for {TENANT_ID}")
        return user

    suite.call("me", "", me, [tokens])

    def my_tenants(**selector):
        answer = client.my_tenants(tokens["refresh"], **selector)
        ids = [t.get("id") for t in answer.get("tenants") or []]
        return answer, ids

    def my_tenants_ids():
        answer, ids = my_tenants(ids=[TENANT_ID])
        if ids != [TENANT_ID]:
            raise Check(f"expected tenant {TENANT_ID}, got {answer!r}")
        return answer

    suite.call("my_tenants", "ids", my_tenants_ids, [tokens])
    # Before a tenant is selected, `dct` names none: an empty list.
    suite.call("my_tenants", "dct (no tenant selected)", lambda: my_tenants(dct=True), [tokens])

    def select_tenant():
        answer = client.select_tenant(TENANT_ID, tokens["refresh"])
        selected = tokens_of(answer)
        claims = client.validate_session(selected["session"])
        if claims.get("dct") != TENANT_ID:
            raise Check(f"the new session's dct is {claims.get('dct')!r}")
        return selected

    selected = suite.call("select_tenant", "", select_tenant, [tokens])

    def my_tenants_dct():
        answer = client.my_tenants(selected["refresh"], dct=True)
        ids = [t.get("id") for t in answer.get("tenants") or []]
        if ids != [TENANT_ID]:
            raise Check(f"expected the selected tenant {TENANT_ID}, got {answer!r}")
        return answer

    suite.call("my_tenants", "dct (tenant selected)", my_tenants_dct, [selected])

    def history():
        entries = client.history(tokens["refresh"])
        if not isinstance(entries, list) or not entries:
            raise Check(f"expected a non-empty list, got {entries!r}")
        if not all(isinstance(entry, dict) and entry.get("loginTime") for entry in entries):
            raise Check(f"entries without loginTime: {entries!r}")
        return entries

    suite.call("history", "", history, [tokens])

    def logout(refresh: str, everywhere: bool):
        answer = client.logout_all(refresh) if everywhere else client.logout(refresh)
        if not 200 <= answer.status_code < 300:
            raise Check(f"status {answer.status_code}")
        try:
            client.refresh_session(refresh)
        except AuthException:
            return answer
        raise Check("the refresh JWT still refreshes after the logout")

    suite.call("logout", "", lambda: logout(selected["refresh"], False), [selected])
    suite.call("logout_all", "", lambda: logout(tokens["refresh"], True), [tokens])

    total = f"{suite.passed} passed, {suite.failed} failed"
    if suite.skipped:
        total += f", {suite.skipped} skipped"
    print(f"{SDK}: {total}", flush=True)
    return 1 if suite.failed or suite.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
