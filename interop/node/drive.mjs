#!/usr/bin/env node
// Drives Descope's official Node SDK (`@descope/node-sdk`, pinned in package.json and
// package-lock.json), unchanged and through its public API only, against the emulator.
//
//   node drive.mjs --base-url URL --emulator-url URL --project-id ID --recording FILE
//
// `--base-url` is where the SDK sends its calls (the recording proxy in front of the emulator);
// `--emulator-url` is the emulator itself, for its test-only endpoints (the outbox, tenants),
// which the SDK knows nothing of. `--recording` is the proxy's JSONL file: when a call fails, the
// request the SDK sent and the emulator's answer are read back from it for the failure line.
//
// Prints one line per call: `PASS node <call> <method>`, `FAIL node <call> <method>: <reason>`,
// or `SKIP node <call> <method>: <why>` for a call that needs the result of one that failed, and
// `INFO node ...` lines naming the delivery methods the SDK exposes. Ends with
// `node: N passed, N failed, N skipped`; exits 1 when anything failed.
//
// The delivery methods are read from the SDK's own objects (`Object.keys(sdk.otp.signUp)`), so a
// method the SDK adds or drops shows up here without editing this file.
//
// drive_mgmt.mjs imports the harness below (Suite, data, ...); importing this file runs nothing.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import DescopeClient from '@descope/node-sdk';

export const SDK = 'node';
export const FAILED = Symbol('failed');

const REDIRECT_URI = 'https://app.example.com/interop/verify';
const TEMPLATE_OPTIONS = { greeting: 'Hello', product: 'Interop' };
const TEMPLATE_ID = 'interop-template';
const PROVIDER_ID = 'interop-provider';
const CUSTOM_CLAIMS = { plan: 'pro', seats: 3, beta: true };
const TENANT_ID = 'T2interopNode';
const TENANT_NAME = 'Interop Node Tenant';

export class Check extends Error {}
// An SdkResponse with ok=false: the emulator refused the request.
export class Refused extends Check {}

export function parseArgs(argv, required = []) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    args[key] = argv[i + 1];
  }
  for (const needed of ['baseUrl', 'emulatorUrl', 'projectId', 'recording', ...required]) {
    if (!args[needed]) throw new Error(`--${needed} is required`);
  }
  return args;
}

export const oneLine = (text) => String(text).split(/\s+/).join(' ');

export class Suite {
  constructor(emulatorUrl, recording) {
    this.emulatorUrl = emulatorUrl.replace(/\/$/, '');
    this.recording = recording;
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.emails = 0;
    this.phones = 0;
  }

  // Login ids: fixed counters, so that every run sends the same ids.
  email(what) {
    this.emails += 1;
    return `node-${String(this.emails).padStart(2, '0')}-${what}@example.com`;
  }

  phone() {
    this.phones += 1;
    return `+1555020${String(this.phones).padStart(4, '0')}`;
  }

  loginId(method, what) {
    return method === 'email' ? this.email(what) : this.phone();
  }

  // The emulator's test-only endpoints, straight to the emulator (not through the proxy).
  async admin(method, path, body) {
    const answer = await fetch(this.emulatorUrl + path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async lastMessage(loginId, channel, kind) {
    const messages = await this.admin('GET', `/emulator/outbox?loginId=${encodeURIComponent(loginId)}`);
    // By what the message carries (`code` or `token`), not only by `kind`.
    const field = kind === 'otp' ? 'code' : 'token';
    const found = messages.filter((m) => m.channel === channel && m[field]).at(-1);
    if (!found) throw new Check(`the outbox has no ${kind} message over ${channel} for ${loginId}`);
    return found;
  }

  async code(loginId, method) {
    return (await this.lastMessage(loginId, method, 'otp')).code;
  }

  async linkToken(loginId, method) {
    return (await this.lastMessage(loginId, method, 'magicLink')).token;
  }

  recorded() {
    try {
      return fs
        .readFileSync(this.recording, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line));
    } catch {
      return [];
    }
  }

  // Runs one SDK call; returns its result, or FAILED.
  async call(name, label, action, requires = []) {
    const title = `${name} ${label}`.trim();
    if (requires.some((needed) => needed === FAILED)) {
      this.skipped += 1;
      console.log(`SKIP ${SDK} ${title}: an earlier call it needs failed`);
      return FAILED;
    }
    const before = this.recorded().length;
    try {
      const result = await action();
      this.passed += 1;
      console.log(`PASS ${SDK} ${title}`);
      return result;
    } catch (error) {
      this.failed += 1;
      const [exchange, refused] = this.exchange(before);
      // When the emulator refused the request, its answer (quoted after `|`) is the reason; the
      // SdkResponse's error repeats it.
      const reason = refused && error instanceof Refused ? `SdkResponse ok=false (HTTP ${error.status})` : describe(error);
      console.log(`FAIL ${SDK} ${title}: ${reason}${exchange}`);
      return FAILED;
    }
  }

  // A harness step that is not an SDK call (the emulator's test-only endpoints).
  async setup(title, action, requires = []) {
    if (requires.some((needed) => needed === FAILED)) return FAILED;
    try {
      return await action();
    } catch (error) {
      this.failed += 1;
      console.log(`FAIL ${SDK} setup: ${title}: ${describe(error)}`);
      return FAILED;
    }
  }

  // The request the SDK sent during a failed call (the last one refused, else the last one) with
  // the emulator's answer, and whether one was refused.
  exchange(before) {
    const records = this.recorded().slice(before);
    if (records.length === 0) return [' (nothing reached the emulator)', false];
    const refused = records.filter((r) => r.response.status < 200 || r.response.status >= 300);
    const record = (refused.length ? refused : records).at(-1);
    const answer = typeof record.response.body === 'string' ? record.response.body : JSON.stringify(record.response.body);
    const query = record.query ? `?${record.query}` : '';
    return [
      ` | sent ${record.method} ${record.path}${query} body=${JSON.stringify(record.body)}` +
        ` auth='${record.headers.authorization}' | answer ${record.response.status} ${answer}`,
      refused.length > 0,
    ];
  }
}

export function describe(error) {
  if (error instanceof Check) return `Check: ${oneLine(error.message)}`;
  return `${error?.name || 'Error'}: ${oneLine(error?.message ?? error)}`;
}

// An SdkResponse that must be ok; returns its data.
export function data(response) {
  if (!response || typeof response !== 'object' || !('ok' in response)) {
    throw new Check(`not an SdkResponse: ${JSON.stringify(response)}`);
  }
  if (!response.ok) {
    const refused = new Refused(`SdkResponse ok=false code=${response.code} error=${JSON.stringify(response.error)}`);
    refused.status = response.code;
    throw refused;
  }
  return response.data;
}

function masked(method, response) {
  const answer = data(response);
  const key = method === 'email' ? 'maskedEmail' : 'maskedPhone';
  if (!answer || typeof answer[key] !== 'string' || !answer[key]) {
    throw new Check(`expected ${key} in the answer, got ${JSON.stringify(answer)}`);
  }
  return answer[key];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const suite = new Suite(args.emulatorUrl, args.recording);
  const sdk = DescopeClient({ projectId: args.projectId, baseUrl: args.baseUrl });
  const { otp, magicLink } = sdk;

  const methods = {
    otpSign: Object.keys(otp.signUp),
    otpUpdatePhone: Object.keys(otp.update.phone),
    linkSign: Object.keys(magicLink.signUp),
    linkUpdatePhone: Object.keys(magicLink.update.phone),
  };
  console.log(`INFO ${SDK} otp.signUp/signIn/signUpOrIn/verify: ${methods.otpSign.join(', ')}`);
  console.log(`INFO ${SDK} otp.update.phone: ${methods.otpUpdatePhone.join(', ')}`);
  console.log(`INFO ${SDK} magicLink.signUp/signIn/signUpOrIn: ${methods.linkSign.join(', ')}`);
  console.log(`INFO ${SDK} magicLink.update.phone: ${methods.linkUpdatePhone.join(', ')}`);

  // A verify answer's tokens, the session JWT validated locally with the emulator's JWKS
  // (which the SDK fetches itself from GET /v2/keys/<projectId>).
  async function tokensOf(response) {
    const answer = data(response);
    if (!answer?.sessionJwt) throw new Check(`no sessionJwt in the answer: ${JSON.stringify(answer)}`);
    if (!answer?.refreshJwt) throw new Check('no refreshJwt in the answer');
    const info = await sdk.validateSession(answer.sessionJwt);
    return { session: answer.sessionJwt, refresh: answer.refreshJwt, answer, info };
  }
  const verifyOtp = async (method, loginId) =>
    tokensOf(await otp.verify[method](loginId, await suite.code(loginId, method)));
  const verifyLink = async (method, loginId) =>
    tokensOf(await magicLink.verify(await suite.linkToken(loginId, method)));

  function fullUser(method, loginId, what) {
    const user = { name: 'Ada Lovelace', givenName: 'Ada', middleName: 'King', familyName: 'Lovelace' };
    if (method === 'email') {
      user.email = loginId;
      user.phone = suite.phone();
    } else {
      user.phone = loginId;
      user.email = suite.email(`${what}-contact`);
    }
    return user;
  }

  // 1. Every OTP operation over every delivery method the SDK exposes: sign-up (with a user
  //    object), verify, sign-in, verify, sign-up-or-in (new user, then existing), verify.
  const otpUsers = {};
  for (const method of methods.otpSign) {
    const loginId = suite.loginId(method, `otp-${method}`);
    let sent = await suite.call('sign_up_otp', method, async () =>
      masked(method, await otp.signUp[method](loginId, fullUser(method, loginId, `otp-${method}`))),
    );
    otpUsers[method] = {
      loginId,
      session: await suite.call('verify_otp', method, () => verifyOtp(method, loginId), [sent]),
    };
    sent = await suite.call('sign_in_otp', method, async () => masked(method, await otp.signIn[method](loginId)));
    await suite.call('verify_otp', `${method} (after sign-in)`, () => verifyOtp(method, loginId), [sent]);
    const other = suite.loginId(method, `otp-${method}-upin`);
    sent = await suite.call('sign_up_or_in_otp', `${method} (new user)`, async () =>
      masked(method, await otp.signUpOrIn[method](other)),
    );
    await suite.call('verify_otp', `${method} (after sign-up-or-in)`, () => verifyOtp(method, other), [sent]);
    sent = await suite.call('sign_up_or_in_otp', `${method} (existing user)`, async () =>
      masked(method, await otp.signUpOrIn[method](loginId)),
    );
    await suite.call('verify_otp', `${method} (after sign-up-or-in, existing)`, () => verifyOtp(method, loginId), [sent]);
  }

  // 2. Every magic-link operation over every delivery method the SDK exposes, with a redirect
  //    URI, and sign-up-or-in once without one (the SDK makes it optional).
  const linkUsers = {};
  for (const method of methods.linkSign) {
    const loginId = suite.loginId(method, `ml-${method}`);
    let sent = await suite.call('sign_up_magic_link', method, async () =>
      masked(method, await magicLink.signUp[method](loginId, REDIRECT_URI, fullUser(method, loginId, `ml-${method}`))),
    );
    linkUsers[method] = {
      loginId,
      session: await suite.call('verify_magic_link', method, () => verifyLink(method, loginId), [sent]),
    };
    sent = await suite.call('sign_in_magic_link', method, async () =>
      masked(method, await magicLink.signIn[method](loginId, REDIRECT_URI)),
    );
    await suite.call('verify_magic_link', `${method} (after sign-in)`, () => verifyLink(method, loginId), [sent]);
    const other = suite.loginId(method, `ml-${method}-upin`);
    sent = await suite.call('sign_up_or_in_magic_link', `${method} (new user)`, async () =>
      masked(method, await magicLink.signUpOrIn[method](other, REDIRECT_URI)),
    );
    await suite.call('verify_magic_link', `${method} (after sign-up-or-in)`, () => verifyLink(method, other), [sent]);
    const third = suite.loginId(method, `ml-${method}-nouri`);
    sent = await suite.call('sign_up_or_in_magic_link', `${method} (no redirect URI)`, async () =>
      masked(method, await magicLink.signUpOrIn[method](third)),
    );
    await suite.call('verify_magic_link', `${method} (after sign-up-or-in, no URI)`, () => verifyLink(method, third), [sent]);
  }

  // 3. Updates with the refresh JWT of a verify: email, then the phone over every method the
  //    SDK exposes, each verified with what the emulator sent.
  const allUpdateOptions = {
    addToLoginIDs: true,
    onMergeUseExisting: true,
    templateOptions: TEMPLATE_OPTIONS,
    templateId: TEMPLATE_ID,
    providerId: PROVIDER_ID,
  };
  {
    const { loginId } = otpUsers.email;
    let { session } = otpUsers.email;
    let sent = await suite.call(
      'update_email_otp',
      'email (addToLoginIDs, onMergeUseExisting, template, provider)',
      async () => masked('email', await otp.update.email(loginId, suite.email('otp-updated'), session.refresh, allUpdateOptions)),
      [session],
    );
    const updated = await suite.call('verify_otp', 'email (after update_email)', () => verifyOtp('email', loginId), [sent]);
    if (updated !== FAILED) session = updated;
    sent = await suite.call(
      'update_email_otp',
      'email (mfa)',
      async () => masked('email', await otp.update.email(loginId, suite.email('otp-updated-mfa'), session.refresh, { mfa: true })),
      [session],
    );
    await suite.call('verify_otp', 'email (after update_email, mfa)', () => verifyOtp('email', loginId), [sent]);
    for (const [index, method] of methods.otpUpdatePhone.entries()) {
      const options = index === 0 ? { ...allUpdateOptions, mfa: true } : undefined;
      const phone = suite.phone();
      sent = await suite.call(
        'update_phone_otp',
        method + (options ? ' (all options)' : ''),
        async () => masked(method, await otp.update.phone[method](loginId, phone, session.refresh, options)),
        [session],
      );
      await suite.call('verify_otp', `${method} (after update_phone)`, () => verifyOtp(method, loginId), [sent]);
    }
  }
  {
    const { loginId } = linkUsers.email;
    let { session } = linkUsers.email;
    let sent = await suite.call(
      'update_email_magic_link',
      'email (URI, addToLoginIDs, onMergeUseExisting, template, provider)',
      async () =>
        masked('email', await magicLink.update.email(loginId, suite.email('ml-updated'), REDIRECT_URI, session.refresh, allUpdateOptions)),
      [session],
    );
    const updated = await suite.call('verify_magic_link', 'email (after update_email)', () => verifyLink('email', loginId), [sent]);
    if (updated !== FAILED) session = updated;
    sent = await suite.call(
      'update_email_magic_link',
      'email (no URI)',
      async () => masked('email', await magicLink.update.email(loginId, suite.email('ml-updated-nouri'), undefined, session.refresh)),
      [session],
    );
    await suite.call('verify_magic_link', 'email (after update_email, no URI)', () => verifyLink('email', loginId), [sent]);
    for (const [index, method] of methods.linkUpdatePhone.entries()) {
      const options = index === 0 ? allUpdateOptions : undefined;
      const phone = suite.phone();
      sent = await suite.call(
        'update_phone_magic_link',
        method + (options ? ' (all options)' : ''),
        async () => masked(method, await magicLink.update.phone[method](loginId, phone, REDIRECT_URI, session.refresh, options)),
        [session],
      );
      await suite.call('verify_magic_link', `${method} (after update_phone)`, () => verifyLink(method, loginId), [sent]);
    }
  }

  // 4. Optional arguments: sign-up options, login options with and without custom claims,
  //    template options and id, provider id, revokeOtherSessions, step-up and MFA (with the
  //    refresh JWT), on both families. (Locale is not in this SDK's LoginOptions.)
  const optionCases = [
    ['login options without custom claims (template)', () => ({ templateOptions: TEMPLATE_OPTIONS, templateId: TEMPLATE_ID }), false],
    ['login options with custom claims', () => ({ customClaims: CUSTOM_CLAIMS, templateId: TEMPLATE_ID }), false],
    ['provider id', () => ({ providerId: PROVIDER_ID }), false],
    ['login options revokeOtherSessions', () => ({ revokeOtherSessions: true }), false],
    ['step-up', () => ({ stepup: true }), true],
    ['mfa', () => ({ mfa: true }), true],
    ['step-up with custom claims', () => ({ stepup: true, customClaims: CUSTOM_CLAIMS }), true],
  ];
  const signUpOptions = { customClaims: CUSTOM_CLAIMS, templateOptions: TEMPLATE_OPTIONS, templateId: TEMPLATE_ID, providerId: PROVIDER_ID };
  {
    const loginId = suite.email('options');
    let sent = await suite.call('sign_up_otp', 'email (user, sign-up options with custom claims, template, provider)', async () =>
      masked(
        'email',
        await otp.signUp.email(
          loginId,
          { name: 'Grace Hopper', givenName: 'Grace', middleName: 'Brewster', familyName: 'Hopper', email: loginId, phone: suite.phone() },
          signUpOptions,
        ),
      ),
    );
    let session = await suite.call('verify_otp', 'email (options user)', () => verifyOtp('email', loginId), [sent]);
    for (const [title, options, needsRefresh] of optionCases) {
      const token = needsRefresh && session !== FAILED ? session.refresh : undefined;
      sent = await suite.call(
        'sign_in_otp',
        `email (${title})`,
        async () => masked('email', await otp.signIn.email(loginId, options(), token)),
        needsRefresh ? [session] : [],
      );
      const verified = await suite.call('verify_otp', `email (after ${title})`, () => verifyOtp('email', loginId), [sent]);
      if (verified !== FAILED) session = verified;
    }
    sent = await suite.call('sign_up_or_in_otp', 'email (sign-up options with custom claims, template, provider)', async () =>
      masked('email', await otp.signUpOrIn.email(loginId, signUpOptions)),
    );
    await suite.call('verify_otp', 'email (after sign-up-or-in with options)', () => verifyOtp('email', loginId), [sent]);
    sent = await suite.call('sign_up_or_in_otp', 'email (sign-up options without custom claims)', async () =>
      masked('email', await otp.signUpOrIn.email(loginId, { templateId: TEMPLATE_ID })),
    );
    await suite.call('verify_otp', 'email (after sign-up-or-in without custom claims)', () => verifyOtp('email', loginId), [sent]);
  }
  {
    const loginId = suite.email('ml-options');
    let sent = await suite.call('sign_up_magic_link', 'email (user, sign-up options with custom claims, template, provider)', async () =>
      masked(
        'email',
        await magicLink.signUp.email(
          loginId,
          REDIRECT_URI,
          { name: 'Alan Turing', givenName: 'Alan', middleName: 'Mathison', familyName: 'Turing', email: loginId, phone: suite.phone() },
          signUpOptions,
        ),
      ),
    );
    let session = await suite.call('verify_magic_link', 'email (options user)', () => verifyLink('email', loginId), [sent]);
    for (const [title, options, needsRefresh] of optionCases) {
      const token = needsRefresh && session !== FAILED ? session.refresh : undefined;
      sent = await suite.call(
        'sign_in_magic_link',
        `email (${title})`,
        async () => masked('email', await magicLink.signIn.email(loginId, REDIRECT_URI, options(), token)),
        needsRefresh ? [session] : [],
      );
      const verified = await suite.call('verify_magic_link', `email (after ${title})`, () => verifyLink('email', loginId), [sent]);
      if (verified !== FAILED) session = verified;
    }
    sent = await suite.call('sign_up_or_in_magic_link', 'email (sign-up options with custom claims, template, provider)', async () =>
      masked('email', await magicLink.signUpOrIn.email(loginId, REDIRECT_URI, signUpOptions)),
    );
    await suite.call('verify_magic_link', 'email (after sign-up-or-in with options)', () => verifyLink('email', loginId), [sent]);
  }

  // 5. Sessions: a user of a tenant (set with the emulator's test-only endpoint before the
  //    sign-in), then local validation with the emulator's JWKS, refresh, me, tenants, tenant
  //    selection, history and the logouts.
  const loginId = suite.email('sessions');
  let sent = await suite.call('sign_up_otp', 'email (session user)', async () => masked('email', await otp.signUp.email(loginId)));
  await suite.call('verify_otp', 'email (session user)', () => verifyOtp('email', loginId), [sent]);
  const member = await suite.setup(
    'add the session user to a tenant (POST /emulator/users/tenants)',
    () =>
      suite.admin('POST', '/emulator/users/tenants', {
        loginId,
        tenantId: TENANT_ID,
        tenantName: TENANT_NAME,
        roles: ['member'],
        permissions: ['read'],
      }),
    [sent],
  );
  sent = await suite.call(
    'sign_in_otp',
    'email (session user, member of a tenant)',
    async () => masked('email', await otp.signIn.email(loginId)),
    [member],
  );
  const tokens = await suite.call('verify_otp', 'email (session user, member of a tenant)', () => verifyOtp('email', loginId), [sent]);

  await suite.call(
    'validate_session',
    '',
    async () => {
      const info = await sdk.validateSession(tokens.session);
      if (!info?.token?.tenants?.[TENANT_ID]) throw new Check(`no tenant ${TENANT_ID} in ${JSON.stringify(info?.token)}`);
      if (info.token.drn !== 'DS') throw new Check(`drn is ${info.token.drn}`);
      return info;
    },
    [tokens],
  );
  const refreshed = await suite.call(
    'refresh_session',
    '',
    async () => {
      const info = await sdk.refreshSession(tokens.refresh);
      if (!info?.jwt || info.jwt === tokens.session) throw new Check('no new session JWT');
      return info.jwt;
    },
    [tokens],
  );
  await suite.call(
    'refresh',
    '',
    async () => {
      const answer = data(await sdk.refresh(tokens.refresh));
      if (!answer?.sessionJwt) throw new Check(`no sessionJwt: ${JSON.stringify(answer)}`);
      await sdk.validateSession(answer.sessionJwt);
      return answer;
    },
    [tokens],
  );
  await suite.call(
    'validate_and_refresh_session',
    '(valid session)',
    async () => {
      const info = await sdk.validateAndRefreshSession(refreshed, tokens.refresh);
      if (info?.jwt !== refreshed) throw new Check('expected the session JWT itself back');
      return info;
    },
    [tokens, refreshed],
  );
  // A session token the SDK cannot read (a stale cookie, say) makes it refresh. (An expired one
  // would too, but the emulator's tokens cannot be made to expire on the SDK's clock.)
  await suite.call(
    'validate_and_refresh_session',
    '(unreadable session: refreshes)',
    async () => {
      const info = await sdk.validateAndRefreshSession('not-a-session-jwt', tokens.refresh);
      if (!info?.jwt) throw new Check('no session JWT');
      return info;
    },
    [tokens],
  );
  await suite.call(
    'me',
    '',
    async () => {
      const user = data(await sdk.me(tokens.refresh));
      if (!(user?.loginIds || []).includes(loginId)) throw new Check(`me has no loginIds with ${loginId}: ${JSON.stringify(user)}`);
      if (!(user?.userTenants || []).some((t) => t.tenantId === TENANT_ID)) throw new Check(`me has no userTenants entry for ${TENANT_ID}`);
      return user;
    },
    [tokens],
  );
  await suite.call(
    'my_tenants',
    'ids',
    async () => {
      const answer = data(await sdk.myTenants([TENANT_ID], tokens.refresh));
      const ids = (answer?.tenants || []).map((t) => t.id);
      if (JSON.stringify(ids) !== JSON.stringify([TENANT_ID])) throw new Check(`expected [${TENANT_ID}], got ${JSON.stringify(answer)}`);
      return answer;
    },
    [tokens],
  );
  // Before a tenant is selected, `dct` names none: an empty list.
  await suite.call('my_tenants', 'dct (no tenant selected)', async () => data(await sdk.myTenants(true, tokens.refresh)), [tokens]);
  const selected = await suite.call(
    'select_tenant',
    '',
    async () => {
      const answer = data(await sdk.selectTenant(TENANT_ID, tokens.refresh));
      if (!answer?.sessionJwt || !answer?.refreshJwt) throw new Check(`missing tokens: ${JSON.stringify(Object.keys(answer || {}))}`);
      const info = await sdk.validateSession(answer.sessionJwt);
      if (info.token.dct !== TENANT_ID) throw new Check(`dct is ${info.token.dct}`);
      return { session: answer.sessionJwt, refresh: answer.refreshJwt };
    },
    [tokens],
  );
  await suite.call(
    'my_tenants',
    'dct (tenant selected)',
    async () => {
      const answer = data(await sdk.myTenants(true, selected.refresh));
      const ids = (answer?.tenants || []).map((t) => t.id);
      if (JSON.stringify(ids) !== JSON.stringify([TENANT_ID])) throw new Check(`expected [${TENANT_ID}], got ${JSON.stringify(answer)}`);
      return answer;
    },
    [selected],
  );
  await suite.call(
    'history',
    '',
    async () => {
      const entries = data(await sdk.history(tokens.refresh));
      if (!Array.isArray(entries) || entries.length === 0) throw new Check(`expected a non-empty array, got ${JSON.stringify(entries)}`);
      if (!entries.every((e) => e && e.loginTime)) throw new Check(`entries without loginTime: ${JSON.stringify(entries)}`);
      return entries;
    },
    [tokens],
  );
  sent = await suite.call(
    'sign_in_otp',
    'email (login option tenantId)',
    async () => masked('email', await otp.signIn.email(loginId, { tenantId: TENANT_ID })),
    [member],
  );
  await suite.call(
    'verify_otp',
    'email (after sign-in with tenantId)',
    async () => {
      const signedIn = await verifyOtp('email', loginId);
      if (signedIn.info.token.dct !== TENANT_ID) throw new Check(`dct is ${signedIn.info.token.dct}`);
      return signedIn;
    },
    [sent],
  );
  async function logout(refresh, everywhere) {
    data(everywhere ? await sdk.logoutAll(refresh) : await sdk.logout(refresh));
    const again = await sdk.refresh(refresh);
    if (again.ok) throw new Check('the refresh JWT still refreshes after the logout');
    return true;
  }
  await suite.call('logout', '', () => logout(selected.refresh, false), [selected]);
  await suite.call('logout_all', '', () => logout(tokens.refresh, true), [tokens]);

  let total = `${suite.passed} passed, ${suite.failed} failed`;
  if (suite.skipped) total += `, ${suite.skipped} skipped`;
  console.log(`${SDK}: ${total}`);
  return suite.failed || suite.skipped ? 1 : 0;
}

// Run as a program only, not when drive_mgmt.mjs or drive_m2m.mjs imports the harness.
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.log(`FAIL ${SDK} driver: ${describe(error)}`);
      process.exit(2);
    },
  );
}
