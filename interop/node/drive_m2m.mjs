#!/usr/bin/env node
// Drives the machine-to-machine half of Descope's official Node SDK (`@descope/node-sdk`, pinned
// in package.json and package-lock.json), unchanged and through its public API only, against the
// emulator: access keys (`sdk.management.accessKey`, `sdk.exchangeAccessKey`,
// `sdk.accessKey.exchange`) and the token administration of `sdk.management.jwt` (update,
// impersonate, impersonateStepup, stopImpersonation, signIn, signUp, signUpOrIn, anonymous).
//
//   node drive_m2m.mjs --base-url URL --emulator-url URL --project-id ID --management-key KEY \
//     --recording FILE
//
// The arguments are drive_mgmt.mjs's; the harness (Suite, data, ...) is drive.mjs's. Two clients:
// `DescopeClient({projectId, managementKey, baseUrl})` for management, and a keyless
// `DescopeClient({projectId, baseUrl})`, the machine client, that exchanges the keys and validates
// what it gets with the JWKS it fetches itself. Each SdkResponse must be ok and its data (what the
// SDK unwrapped: `.key`, `.keys`, ...) is checked against what the emulator's semantics promise
// (emulator/README.md, emulator/src/api/exchange.rs,
// emulator/src/api/management/{access_keys,jwt,impersonation}.rs); the JWTs the management calls
// answer are validated with the SDK's own `validateSession`, `validateJwt` and `refreshSession`.
//
// One scenario, in order: its permissions, roles, tenant and users (made with the SDK's role,
// permission, tenant and user calls), then access keys (create with every option, load, search,
// the exchange with and without login options, update, deactivate and activate one at a time and
// in batches, rotate, the refusals of an unknown, deactivated, expired, rotated-out, deleted key
// or one used from an address it does not permit, delete one and a batch), then tokens
// (management sign-in with step-up, MFA and a tenant, sign-up, sign-up-or-in, JWT update,
// impersonation, step-up impersonation and its stop, anonymous sessions). It runs after drive.mjs
// and drive_mgmt.mjs on the same emulator, so its login ids (`node-m2m-…`), roles and tenant are
// its own.
//
// Prints drive.mjs's lines (`PASS node mgmt.accessKey.create (name only)`, `FAIL …`, `SKIP …`),
// then `node: N passed, N failed, N skipped`; exits 1 when anything failed.
//
// What no call of this SDK reaches is said at the end (`ImportAccessKeys`,
// `UpdateUserImpersonationConsent`).

import DescopeClient from '@descope/node-sdk';
import { Check, SDK, Suite, data, describe, parseArgs } from './drive.mjs';

const TENANT_ID = 'T2interopM2mNode';
const TENANT_NAME = 'Interop Node M2M Tenant';
const READ = 'node-m2m-read'; // a permission the reader role grants
const IMPERSONATE = 'Impersonate'; // the permission impersonation needs (emulator/README.md)
const READER = 'node-m2m-reader'; // a project role granting READ
const IMPERSONATOR_ROLE = 'node-m2m-impersonator'; // a project role granting Impersonate
const TENANT_ROLE = 'node-m2m-tenant-role'; // a role of the tenant, granting READ
const CUSTOM_CLAIMS = { plan: 'pro', seats: 3, beta: true };
const KEY_ATTRIBUTES = { team: 'interop', level: 2 };
// Unix seconds: far in the future (2100-01-01), and long past (2001-09-09).
const FUTURE = 4102444800;
const PAST = 1000000000;
const UNKNOWN_KEY_ID = `K2${'0'.repeat(32)}`;
const EXCHANGE_PATH = '/v1/auth/accesskey/exchange';
// Login ids of this driver only.
const ADMIN = 'node-m2m-admin@example.com'; // holds the impersonator role
const TARGET = 'node-m2m-target@example.com'; // impersonated; a member of the tenant
const PLAIN = 'node-m2m-plain@example.com'; // without the Impersonate permission
const BOUND = 'node-m2m-bound@example.com'; // a key is bound to this user
const SIGNUP = 'node-m2m-signup-01@example.com'; // made by the management sign-up, every option
const SIGNUP2 = 'node-m2m-signup-02@example.com'; // made by the management sign-up, login id only
const SIGNUP_OR_IN = 'node-m2m-signup-in@example.com'; // made by sign-up-or-in, then signed in by it

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (value) => JSON.stringify(value);
// JSON with every object's keys sorted: equal values, whatever order the keys came in.
const canonical = (value) =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]))
      : value;
const same = (a, b) => json(canonical(a)) === json(canonical(b));
const sorted = (list) => [...list].sort();
const isJwt = (value) => typeof value === 'string' && value.split('.').length === 3;

function expect(condition, message) {
  if (!condition) throw new Check(message);
}

// A response the emulator must refuse with `status` and the error code `code`.
function refused(status, code, response) {
  expect(response && typeof response === 'object' && 'ok' in response, `not an SdkResponse: ${json(response)}`);
  expect(!response.ok, `expected HTTP ${status} ${code}, but it was served: ${json(response.data)}`);
  expect(
    response.code === status && response.error?.errorCode === code,
    `expected HTTP ${status} ${code}, got ${response.code} ${json(response.error)}`,
  );
  return response.error;
}

// Each wanted claim, with its JSON type (3 is not "3", true is not 1).
function hasClaims(claims, wanted) {
  for (const [name, value] of Object.entries(wanted)) {
    expect(same(claims?.[name], value) && typeof claims?.[name] === typeof value,
      `claim ${name}: ${json(claims?.[name])}, expected ${json(value)}`);
  }
}

// A create's or rotate's `{key, cleartext}`: the key and its cleartext.
function createdKey(response, name) {
  const answer = data(response);
  const key = answer?.key;
  expect(key && typeof key.id === 'string' && key.id.startsWith('K2'), `expected {key: {id}}, got ${json(answer)}`);
  expect(key.name === name, `name: ${json(key.name)}`);
  expect(key.status === 'active', `status: ${json(key.status)}`);
  const { cleartext } = answer;
  expect(typeof cleartext === 'string' && cleartext.length >= 16 && !cleartext.includes(':'), `cleartext: ${json(cleartext)}`);
  return { id: key.id, cleartext, key };
}

async function main() {
  const args = parseArgs(process.argv.slice(2), ['managementKey']);
  const suite = new Suite(args.emulatorUrl, args.recording);
  const call = suite.call.bind(suite);

  // The last answer to a request on `path` since `before` recorded requests.
  const lastAnswer = (before, path) => suite.recorded().slice(before).filter((r) => r.path === path).at(-1)?.response;

  // 0. The clients: the management one (its constructor starts the license handshake in the
  //    background; waited for, as drive_mgmt.mjs does, so every management request carries
  //    `x-descope-license`) and the machine client, with no key of its own.
  let sdk;
  await call('m2m.client', 'construct (license handshake, waited for)', async () => {
    const before = suite.recorded().length;
    sdk = DescopeClient({ projectId: args.projectId, managementKey: args.managementKey, baseUrl: args.baseUrl });
    for (let i = 0; i < 100; i += 1) {
      const handshake = suite.recorded().slice(before).find((r) => r.path === '/v1/mgmt/license');
      if (handshake) {
        expect(handshake.response.status === 200, `the handshake was answered ${handshake.response.status}`);
        await sleep(300); // for the SDK to read the answer
        return sdk;
      }
      await sleep(50);
    }
    throw new Check('the SDK made no license handshake within 5 s');
  });
  const machine = DescopeClient({ projectId: args.projectId, baseUrl: args.baseUrl });
  const { accessKey, jwt, user, role, permission, tenant } = sdk.management;

  // The exchange must be refused with `status` (E011003): the SDK rejects, and the answer it got
  // (read from the recording) says why.
  const exchangeRefused = async (cleartext, status, loginOptions) => {
    const before = suite.recorded().length;
    let info;
    try {
      info = await machine.exchangeAccessKey(cleartext, loginOptions);
    } catch (error) {
      expect(/could not exchange access key/.test(error.message), `rejected with ${describe(error)}`);
      const answer = lastAnswer(before, EXCHANGE_PATH);
      expect(answer?.status === status && answer.body?.errorCode === 'E011003',
        `expected HTTP ${status} E011003, got ${answer?.status} ${json(answer?.body)}`);
      return error.message;
    }
    throw new Check(`expected the exchange to be refused with ${status}, but it was served: ${json(info?.token)}`);
  };
  // A refresh the emulator must refuse with `status` and `code`; refreshSession rejects.
  const refreshRefused = async (refreshJwt, status, code) => {
    const before = suite.recorded().length;
    try {
      await sdk.refreshSession(refreshJwt);
    } catch (error) {
      const answer = lastAnswer(before, '/v1/auth/refresh');
      expect(answer?.status === status && answer.body?.errorCode === code,
        `expected HTTP ${status} ${code}, got ${answer?.status} ${json(answer?.body)} (${describe(error)})`);
      return error.message;
    }
    throw new Check(`expected the refresh to be refused with ${status} ${code}, but it was served`);
  };

  // 1. What the keys and the impersonation need, with the SDK's own management calls.
  const setup = await call('mgmt.permission.createBatch', `(${READ}, ${IMPERSONATE})`, async () =>
    data(await permission.createBatch([{ name: READ }, { name: IMPERSONATE }])));
  await call('mgmt.role.create', `(${READER}: ${READ})`, async () =>
    data(await role.create(READER, 'Reads', [READ])), [setup]);
  await call('mgmt.role.create', `(${IMPERSONATOR_ROLE}: ${IMPERSONATE})`, async () =>
    data(await role.create(IMPERSONATOR_ROLE, 'Impersonates', [IMPERSONATE])), [setup]);
  const madeTenant = await call('mgmt.tenant.createWithId', '', async () => data(await tenant.createWithId(TENANT_ID, TENANT_NAME)));
  await call('mgmt.role.create', `(${TENANT_ROLE} in the tenant)`, async () =>
    data(await role.create(TENANT_ROLE, 'Reads in the tenant', [READ], TENANT_ID)), [setup, madeTenant]);
  const createUser = (loginId, options = {}) => async () => {
    const found = data(await user.create(loginId, { email: loginId, ...options }));
    expect(typeof found?.userId === 'string' && found.userId, `user: ${json(found)}`);
    return found.userId;
  };
  const adminId = await call('mgmt.user.create', '(the impersonator)', createUser(ADMIN, { roles: [IMPERSONATOR_ROLE] }), [setup]);
  const targetId = await call('mgmt.user.create', '(the target, in the tenant)', createUser(TARGET, {
    displayName: 'Target', roles: [READER], userTenants: [{ tenantId: TENANT_ID, roleNames: [TENANT_ROLE] }],
  }), [setup, madeTenant]);
  const plainId = await call('mgmt.user.create', '(no Impersonate permission)', createUser(PLAIN));
  const boundId = await call('mgmt.user.create', "(a key's user)", createUser(BOUND, { roles: [READER] }), [setup]);

  // 2. Access keys: creation.
  const plain = await call('mgmt.accessKey.create', '(name, no expiry)', async () => {
    const made = createdKey(await accessKey.create('node-m2m-key-plain', 0), 'node-m2m-key-plain');
    expect(made.key.expireTime === 0 && same(made.key.roleNames, []) && same(made.key.keyTenants, []), `key: ${json(made.key)}`);
    return made;
  });
  const full = await call('mgmt.accessKey.create', '(expiry, roles, custom claims, description, permitted IPs, attributes)', async () => {
    const made = createdKey(
      await accessKey.create('node-m2m-key-full', FUTURE, [READER], undefined, undefined, CUSTOM_CLAIMS, 'Every option',
        ['127.0.0.1', '10.0.0.0/8'], KEY_ATTRIBUTES),
      'node-m2m-key-full',
    );
    const wanted = {
      expireTime: FUTURE, roleNames: [READER], customClaims: CUSTOM_CLAIMS, description: 'Every option',
      permittedIps: ['127.0.0.1', '10.0.0.0/8'], customAttributes: KEY_ATTRIBUTES,
    };
    const wrong = Object.entries(wanted).filter(([name, value]) => !same(made.key[name], value));
    expect(wrong.length === 0, `the key differs: ${json(Object.fromEntries(wrong.map(([k]) => [k, made.key[k]])))}`);
    return made;
  }, [setup]);
  const tenantKey = await call('mgmt.accessKey.create', '(a tenant with its roles)', async () => {
    const made = createdKey(
      await accessKey.create('node-m2m-key-tenant', 0, undefined, [{ tenantId: TENANT_ID, roleNames: [TENANT_ROLE] }]),
      'node-m2m-key-tenant',
    );
    const tenants = made.key.keyTenants || [];
    expect(tenants.length === 1 && tenants[0].tenantId === TENANT_ID && same(tenants[0].roleNames, [TENANT_ROLE])
      && tenants[0].tenantName === TENANT_NAME, `keyTenants: ${json(tenants)}`);
    return made;
  }, [madeTenant]);
  const bound = await call('mgmt.accessKey.create', '(bound to a user)', async () => {
    const made = createdKey(await accessKey.create('node-m2m-key-bound', 0, undefined, undefined, boundId), 'node-m2m-key-bound');
    expect(made.key.boundUserId === boundId, `boundUserId: ${json(made.key.boundUserId)}`);
    return made;
  }, [boundId]);
  await call('mgmt.accessKey.create', '(an unknown role: 400)', async () =>
    refused(400, 'E011004', await accessKey.create('node-m2m-key-bad', 0, ['no-such-role'])));
  await call('mgmt.accessKey.create', '(an unknown bound user: 404)', async () =>
    refused(404, 'E062108', await accessKey.create('node-m2m-key-bad', 0, undefined, undefined, 'U2nobody')));
  const far = await call('mgmt.accessKey.create', '(permitted from 10.0.0.0/8 only)', async () =>
    createdKey(await accessKey.create('node-m2m-key-far', 0, undefined, undefined, undefined, undefined, undefined, ['10.0.0.0/8']),
      'node-m2m-key-far'));
  const expired = await call('mgmt.accessKey.create', '(expired in 2001)', async () =>
    createdKey(await accessKey.create('node-m2m-key-expired', PAST), 'node-m2m-key-expired'));

  // Load and search.
  await call('mgmt.accessKey.load', '', async () => {
    const key = data(await accessKey.load(full.id));
    expect(key?.id === full.id && key.name === 'node-m2m-key-full' && same(key.roleNames, [READER]), `key: ${json(key)}`);
    expect(!('cleartext' in key) && key.status === 'active' && same(key.customClaims, CUSTOM_CLAIMS), `key: ${json(key)}`);
    return key;
  }, [full]);
  await call('mgmt.accessKey.load', '(an unknown id: 404)', async () => refused(404, 'E011004', await accessKey.load(UNKNOWN_KEY_ID)));
  const search = (expected, ...filters) => async () => {
    const keys = data(await accessKey.searchAll(...filters));
    expect(Array.isArray(keys), `expected a list of keys, got ${json(keys)}`);
    const found = sorted(keys.map((k) => k.name));
    expect(same(found, sorted(expected)), `expected ${json(sorted(expected))}, got ${json(found)}`);
    expect(!keys.some((k) => 'cleartext' in k), 'a searched key carries its cleartext');
    return keys;
  };
  const everyKey = ['node-m2m-key-plain', 'node-m2m-key-full', 'node-m2m-key-tenant', 'node-m2m-key-bound', 'node-m2m-key-far', 'node-m2m-key-expired'];
  const keysMade = [plain, full, tenantKey, bound, far, expired];
  await call('mgmt.accessKey.searchAll', '(no filter)', search(everyKey), keysMade);
  await call('mgmt.accessKey.searchAll', '(tenant ids)', search(['node-m2m-key-tenant'], [TENANT_ID]), [tenantKey]);
  await call('mgmt.accessKey.searchAll', '(bound user)', search(['node-m2m-key-bound'], undefined, boundId), [bound]);
  await call('mgmt.accessKey.searchAll', '(custom attributes)',
    search(['node-m2m-key-full'], undefined, undefined, undefined, { team: 'interop' }), [full]);
  await call('mgmt.accessKey.searchAll', '(creating user: none match)', search([], undefined, undefined, 'node-m2m-nobody'), keysMade);

  // The exchange: the machine client trades a cleartext for a session JWT and validates it with
  // the emulator's JWKS, which it fetches itself.
  const exchange = async (made, loginOptions) => {
    const info = await machine.exchangeAccessKey(made.cleartext, loginOptions);
    expect(isJwt(info?.jwt) && info.token, `AuthenticationInfo: ${json(info)}`);
    expect(info.token.sub === made.id, `sub: ${json(info.token.sub)}, the key is ${made.id}`);
    expect(info.token.iss === args.projectId && info.token.drn === 'DS', `iss, drn: ${json(info.token)}`);
    return info;
  };
  await call('exchangeAccessKey', '(name-only key)', async () => {
    const info = await exchange(plain);
    expect(same(info.token.roles, []) && same(info.token.permissions, []), `claims: ${json(info.token)}`);
    return info;
  }, [plain]);
  await call('exchangeAccessKey', "(roles, custom claims: the key's in the JWT)", async () => {
    const info = await exchange(full);
    expect(machine.validateRoles(info, [READER]), `roles: ${json(info.token.roles)}`);
    expect(machine.validatePermissions(info, [READ]), `permissions: ${json(info.token.permissions)}`);
    hasClaims(info.token, CUSTOM_CLAIMS);
    const again = await machine.validateSession(info.jwt);
    expect(again.token.sub === full.id, `validateSession: ${json(again.token)}`);
    return info;
  }, [full]);
  await call('exchangeAccessKey', '(login options: custom claims, selected tenant)', async () => {
    const info = await exchange(tenantKey, { customClaims: { job: 'nightly', attempt: 2, dry: false }, selectedTenant: TENANT_ID });
    expect(info.token.dct === TENANT_ID, `dct: ${json(info.token.dct)}`);
    expect(machine.validateTenantRoles(info, TENANT_ID, [TENANT_ROLE]), `tenants: ${json(info.token.tenants)}`);
    expect(machine.validateTenantPermissions(info, TENANT_ID, [READ]), `tenants: ${json(info.token.tenants)}`);
    hasClaims(info.token, { job: 'nightly', attempt: 2, dry: false });
    return info;
  }, [tenantKey]);
  await call('accessKey.exchange', '(the core call: keyId, sessionJwt, expiration)', async () => {
    const answer = data(await machine.accessKey.exchange(plain.cleartext));
    expect(answer?.keyId === plain.id && isJwt(answer.sessionJwt), `answer: ${json(answer)}`);
    expect(Number.isInteger(answer.expiration) && answer.expiration > 0, `expiration: ${json(answer.expiration)}`);
    const info = await machine.validateSession(answer.sessionJwt);
    expect(info.token.exp === answer.expiration, `exp ${info.token.exp}, expiration ${answer.expiration}`);
    return answer;
  }, [plain]);
  await call('exchangeAccessKey', "(a tenant that is not the key's: 403)", () =>
    exchangeRefused(plain.cleartext, 403, { selectedTenant: TENANT_ID }), [plain]);
  await call('exchangeAccessKey', "(a key bound to a user: the user's roles)", async () => {
    const info = await exchange(bound);
    expect(machine.validateRoles(info, [READER]), `the bound user's roles: ${json(info.token.roles)}`);
    return info;
  }, [bound]);
  await call('exchangeAccessKey', '(an unknown key: 401)', () => exchangeRefused('0'.repeat(64), 401));
  await call('exchangeAccessKey', '(an expired key: 401)', () => exchangeRefused(expired.cleartext, 401), [expired]);
  await call('exchangeAccessKey', '(from an address the key does not permit: 403)', () => exchangeRefused(far.cleartext, 403), [far]);

  // Update: this SDK sends roles and tenants too.
  await call('mgmt.accessKey.update', '(name, description, roles, tenants, custom claims, permitted IPs, attributes)', async () => {
    const key = data(await accessKey.update(plain.id, 'node-m2m-key-plain2', 'Renamed', [READER],
      [{ tenantId: TENANT_ID, roleNames: [TENANT_ROLE] }], { tier: 2 }, ['127.0.0.0/8'], { team: 'ops' }));
    expect(key?.id === plain.id && key.name === 'node-m2m-key-plain2', `key: ${json(key)}`);
    const loaded = data(await accessKey.load(plain.id));
    const wanted = {
      name: 'node-m2m-key-plain2', description: 'Renamed', roleNames: [READER], customClaims: { tier: 2 },
      permittedIps: ['127.0.0.0/8'], customAttributes: { team: 'ops' },
    };
    const wrong = Object.entries(wanted).filter(([name, value]) => !same(loaded[name], value));
    expect(wrong.length === 0, `the key differs: ${json(Object.fromEntries(wrong.map(([k]) => [k, loaded[k]])))}`);
    expect(same(loaded.keyTenants.map((t) => [t.tenantId, t.roleNames]), [[TENANT_ID, [TENANT_ROLE]]]), `keyTenants: ${json(loaded.keyTenants)}`);
    const info = await exchange(plain);
    hasClaims(info.token, { tier: 2 });
    expect(machine.validateRoles(info, [READER]) && machine.validateTenantRoles(info, TENANT_ID, [TENANT_ROLE]),
      `the new roles are not in the JWT: ${json(info.token)}`);
    return loaded;
  }, [plain, madeTenant]);
  await call('mgmt.accessKey.update', '(name only: the rest stays)', async () => {
    data(await accessKey.update(plain.id, 'node-m2m-key-plain3'));
    const key = data(await accessKey.load(plain.id));
    expect(key.name === 'node-m2m-key-plain3' && key.description === 'Renamed' && same(key.customClaims, { tier: 2 })
      && same(key.roleNames, [READER]), `what update was not given changed: ${json(key)}`);
    return key;
  }, [plain]);
  await call('mgmt.accessKey.update', '(an unknown id: 404)', async () => refused(404, 'E011004', await accessKey.update(UNKNOWN_KEY_ID, 'nobody')));

  // Deactivate and activate, one key.
  const status = async (made, wanted) => {
    const key = data(await accessKey.load(made.id));
    expect(key.status === wanted, `status: ${json(key.status)}, expected ${wanted}`);
  };
  const deactivated = await call('mgmt.accessKey.deactivate', '(its exchange is refused: 401)', async () => {
    data(await accessKey.deactivate(full.id));
    await status(full, 'inactive');
    return exchangeRefused(full.cleartext, 401);
  }, [full]);
  await call('mgmt.accessKey.activate', '(its exchange works again)', async () => {
    data(await accessKey.activate(full.id));
    await status(full, 'active');
    return exchange(full);
  }, [full, deactivated]);

  // Rotate: a new cleartext for the same key; the old one is refused.
  await call('mgmt.accessKey.rotate', '(the new cleartext exchanges, the old one is refused)', async () => {
    const old = full.cleartext;
    const made = createdKey(await accessKey.rotate(full.id), 'node-m2m-key-full');
    expect(made.id === full.id, `the id changed: ${made.id}`);
    expect(made.cleartext !== old, 'the same cleartext came back');
    expect(same(made.key.roleNames, [READER]), `roleNames: ${json(made.key.roleNames)}`);
    await exchangeRefused(old, 401);
    const info = await exchange(made);
    expect(machine.validateRoles(info, [READER]), `roles: ${json(info.token.roles)}`);
    full.cleartext = made.cleartext;
    return made;
  }, [full]);
  await call('mgmt.accessKey.rotate', '(an unknown id: 404)', async () => refused(404, 'E011004', await accessKey.rotate(UNKNOWN_KEY_ID)));

  // Batches.
  const batchOff = await call('mgmt.accessKey.deactivateBatch', '(both exchanges refused)', async () => {
    data(await accessKey.deactivateBatch([full.id, tenantKey.id]));
    for (const made of [full, tenantKey]) {
      await status(made, 'inactive');
      await exchangeRefused(made.cleartext, 401);
    }
    return true;
  }, [full, tenantKey]);
  await call('mgmt.accessKey.activateBatch', '(both exchange again)', async () => {
    data(await accessKey.activateBatch([full.id, tenantKey.id]));
    for (const made of [full, tenantKey]) {
      await status(made, 'active');
      await exchange(made);
    }
    return true;
  }, [full, tenantKey, batchOff]);

  // 3. Tokens with the management key. The answers are not validated by this SDK's management
  //    calls, so each JWT goes through its own validateSession / validateJwt / refreshSession.
  const bothTokens = async (response) => {
    const answer = data(response);
    expect(isJwt(answer?.sessionJwt) && isJwt(answer.refreshJwt), `answer: ${json(answer)}`);
    const session = await sdk.validateSession(answer.sessionJwt);
    const refresh = await sdk.validateJwt(answer.refreshJwt);
    expect(session.token.drn === 'DS' && refresh.token.drn === 'DSR', 'drn claims');
    expect(session.token.sub === refresh.token.sub, 'the two JWTs name different subjects');
    return { session: answer.sessionJwt, refresh: answer.refreshJwt, info: session, claims: session.token, refreshClaims: refresh.token, answer };
  };
  const signedIn = await call('mgmt.jwt.signIn', '(login id only: both JWTs validated)', async () => {
    const tokens = await bothTokens(await jwt.signIn(TARGET));
    expect(tokens.claims.sub === targetId, `sub: ${json(tokens.claims.sub)}`);
    expect(sdk.validateRoles(tokens.info, [READER]), `roles: ${json(tokens.claims.roles)}`);
    expect(sdk.validateTenantRoles(tokens.info, TENANT_ID, [TENANT_ROLE]), `tenants: ${json(tokens.claims.tenants)}`);
    expect((tokens.answer.user?.loginIds || []).includes(TARGET), `user: ${json(tokens.answer.user)}`);
    return tokens;
  }, [targetId]);
  await call('mgmt.jwt.signIn', '(custom claims, tenant, refresh duration)', async () => {
    const tokens = await bothTokens(await jwt.signIn(TARGET, { customClaims: CUSTOM_CLAIMS, tenantId: TENANT_ID, refreshDuration: 3600 }));
    hasClaims(tokens.claims, CUSTOM_CLAIMS);
    expect(tokens.claims.dct === TENANT_ID, `dct: ${json(tokens.claims.dct)}`);
    expect(tokens.refreshClaims.exp - tokens.refreshClaims.iat === 3600, `refresh lifetime: ${json(tokens.refreshClaims)}`);
    return tokens;
  }, [targetId, madeTenant]);
  await call('mgmt.jwt.signIn', '(step-up with the refresh JWT)', async () => {
    const tokens = await bothTokens(await jwt.signIn(TARGET, { stepup: true, jwt: signedIn.refresh }));
    expect(tokens.claims.su === true, `su: ${json(tokens.claims.su)}`);
    return tokens;
  }, [signedIn]);
  await call('mgmt.jwt.signIn', '(MFA with the refresh JWT)', async () =>
    bothTokens(await jwt.signIn(TARGET, { mfa: true, jwt: signedIn.refresh })), [signedIn]);
  await call('mgmt.jwt.signIn', "(step-up with another user's refresh JWT: 401)", async () =>
    refused(401, 'E011003', await jwt.signIn(PLAIN, { stepup: true, jwt: signedIn.refresh })), [signedIn, plainId]);
  await call('mgmt.jwt.signIn', '(an unknown user: 404)', async () => refused(404, 'E062108', await jwt.signIn('node-m2m-nobody@example.com')));

  await call('mgmt.jwt.signUp', '(user, verified email, custom claims, refresh duration)', async () => {
    const tokens = await bothTokens(await jwt.signUp(SIGNUP, {
      name: 'Signed Up', givenName: 'Signed', middleName: 'M.', familyName: 'Up', phone: '+15550700001', email: SIGNUP,
      verifiedEmail: true, verifiedPhone: false,
    }, { customClaims: CUSTOM_CLAIMS, refreshDuration: 1800 }));
    hasClaims(tokens.claims, CUSTOM_CLAIMS);
    const found = data(await user.load(SIGNUP));
    expect(found?.userId === tokens.claims.sub, `user: ${json(found)}`);
    const wanted = { name: 'Signed Up', givenName: 'Signed', familyName: 'Up', email: SIGNUP, verifiedEmail: true, phone: '+15550700001' };
    const wrong = Object.entries(wanted).filter(([name, value]) => !same(found[name], value));
    expect(wrong.length === 0, `the user differs: ${json(Object.fromEntries(wrong.map(([k]) => [k, found[k]])))}`);
    return tokens;
  });
  await call('mgmt.jwt.signUp', '(login id only)', async () => bothTokens(await jwt.signUp(SIGNUP2)));
  await call('mgmt.jwt.signUp', '(a taken login id: 400)', async () => refused(400, 'E062107', await jwt.signUp(TARGET)));
  await call('mgmt.jwt.signUpOrIn', '(a new user, then the same one signed in)', async () => {
    const first = await bothTokens(await jwt.signUpOrIn(SIGNUP_OR_IN, { name: 'Either Way', email: SIGNUP_OR_IN }));
    const second = await bothTokens(await jwt.signUpOrIn(SIGNUP_OR_IN, undefined, { customClaims: { n: 1 } }));
    expect(first.claims.sub === second.claims.sub, 'sign-up-or-in made a second user');
    expect(first.answer.firstSeen === true && second.answer.firstSeen === false,
      `firstSeen: ${json(first.answer.firstSeen)}, then ${json(second.answer.firstSeen)}`);
    hasClaims(second.claims, { n: 1 });
    return second;
  });

  // The JWT update: custom claims added to a session JWT, as the SDK's validation shows them.
  await call('mgmt.jwt.update', '(custom claims: numbers stay numbers)', async () => {
    const answer = data(await jwt.update(signedIn.session, CUSTOM_CLAIMS));
    expect(isJwt(answer?.jwt), `answer: ${json(answer)}`);
    const info = await sdk.validateSession(answer.jwt);
    hasClaims(info.token, CUSTOM_CLAIMS);
    expect(info.token.sub === targetId && (info.token.roles || []).includes(READER), `claims: ${json(info.token)}`);
    return info;
  }, [signedIn]);
  await call('mgmt.jwt.update', '(refresh duration, an object claim)', async () => {
    const info = await sdk.validateSession(data(await jwt.update(signedIn.session, { nested: { a: [1, 2] } }, 600)).jwt);
    expect(info.token.exp - info.token.iat === 600, `lifetime: ${info.token.exp} - ${info.token.iat}`);
    hasClaims(info.token, { nested: { a: [1, 2] } });
    return info;
  }, [signedIn]);
  await call('mgmt.jwt.update', '(no custom claims)', async () => {
    const info = await sdk.validateSession(data(await jwt.update(signedIn.session)).jwt);
    expect(info.token.sub === targetId, `sub: ${json(info.token.sub)}`);
    return info;
  }, [signedIn]);
  await call('mgmt.jwt.update', '(a refresh JWT is no session JWT: 401)', async () =>
    refused(401, 'E011003', await jwt.update(signedIn.refresh, { x: 1 })), [signedIn]);

  // Impersonation: the admin holds Impersonate through a project role.
  const impersonated = async (refreshJwt, who, actor) => {
    expect(isJwt(refreshJwt), `jwt: ${json(refreshJwt)}`);
    const info = await sdk.refreshSession(refreshJwt);
    expect(info.token.sub === who, `sub: ${json(info.token.sub)}, expected the target ${who}`);
    expect(info.token.act?.sub === actor, `act: ${json(info.token.act)}`);
    return info.token;
  };
  const impersonation = await call('mgmt.jwt.impersonate', '(login ids: a refresh JWT of the target, act = the admin)', async () => {
    const answer = data(await jwt.impersonate(ADMIN, TARGET, false));
    await impersonated(answer?.jwt, targetId, adminId);
    return answer.jwt;
  }, [adminId, targetId]);
  await call('mgmt.jwt.impersonate', '(user id, custom claims, tenant, refresh duration)', async () => {
    const answer = data(await jwt.impersonate(adminId, TARGET, false, { reason: 'support', ticket: 42 }, TENANT_ID, 900));
    const claims = await impersonated(answer?.jwt, targetId, adminId);
    expect(claims.dct === TENANT_ID, `dct: ${json(claims.dct)}`);
    hasClaims(claims, { reason: 'support', ticket: 42 });
    return answer.jwt;
  }, [adminId, targetId]);
  await call('mgmt.jwt.impersonateStepup', '(custom claims: su in the JWT)', async () => {
    const claims = await impersonated(data(await jwt.impersonateStepup(ADMIN, TARGET, false, { why: 'check' })).jwt, targetId, adminId);
    expect(claims.su === true, `su: ${json(claims.su)}`);
    hasClaims(claims, { why: 'check' });
    return claims;
  }, [adminId, targetId]);
  await call('mgmt.jwt.impersonate', '(an impersonator without the Impersonate permission: 403)', async () =>
    refused(403, 'E011003', await jwt.impersonate(PLAIN, TARGET, false)), [plainId, targetId]);
  // Neither SDK records a consent (UpdateUserImpersonationConsent), so a check of it refuses.
  await call('mgmt.jwt.impersonate', '(validate consent, none recorded: 403)', async () =>
    refused(403, 'E011003', await jwt.impersonate(ADMIN, TARGET, true)), [adminId, targetId]);
  await call('mgmt.jwt.stopImpersonation', "(the admin's refresh JWT; the impersonation's is revoked)", async () => {
    const back = data(await jwt.stopImpersonation(impersonation));
    expect(isJwt(back?.jwt), `answer: ${json(back)}`);
    const info = await sdk.refreshSession(back.jwt);
    expect(info.token.sub === adminId && !('act' in info.token), `claims: ${json(info.token)}`);
    await refreshRefused(impersonation, 401, 'E064001');
    return back.jwt;
  }, [impersonation]);
  await call('mgmt.jwt.stopImpersonation', '(custom claims, refresh duration)', async () => {
    const refreshJwt = data(await jwt.impersonate(ADMIN, TARGET, false)).jwt;
    const back = data(await jwt.stopImpersonation(refreshJwt, { back: true }, undefined, 600)).jwt;
    const info = await sdk.refreshSession(back);
    expect(info.token.sub === adminId, `sub: ${json(info.token.sub)}`);
    hasClaims(info.token, { back: true });
    return back;
  }, [adminId, targetId]);
  await call('mgmt.jwt.stopImpersonation', "(a JWT that is no impersonation's: 400)", async () =>
    refused(400, 'E011004', await jwt.stopImpersonation(signedIn.refresh)), [signedIn]);

  // Anonymous sessions.
  await call('mgmt.jwt.anonymous', '(no options: tokens that refresh)', async () => {
    const tokens = await bothTokens(await jwt.anonymous());
    expect(tokens.claims.danu === true, `claims: ${json(tokens.claims)}`);
    const refreshed = await sdk.refreshSession(tokens.refresh);
    expect(refreshed.token.sub === tokens.claims.sub && refreshed.token.danu === true, `after a refresh: ${json(refreshed.token)}`);
    return tokens;
  });
  await call('mgmt.jwt.anonymous', '(custom claims, tenant, refresh duration)', async () => {
    const tokens = await bothTokens(await jwt.anonymous(CUSTOM_CLAIMS, TENANT_ID, 1200));
    hasClaims(tokens.claims, CUSTOM_CLAIMS);
    expect(tokens.claims.dct === TENANT_ID && tokens.claims.danu === true, `claims: ${json(tokens.claims)}`);
    expect(tokens.refreshClaims.exp - tokens.refreshClaims.iat === 1200, `refresh lifetime: ${json(tokens.refreshClaims)}`);
    return tokens;
  });

  // 4. Deletions.
  await call('mgmt.accessKey.delete', '(gone, its exchange refused)', async () => {
    data(await accessKey.delete(bound.id));
    refused(404, 'E011004', await accessKey.load(bound.id));
    return exchangeRefused(bound.cleartext, 401);
  }, [bound]);
  await call('mgmt.accessKey.delete', '(an unknown id: 404)', async () => refused(404, 'E011004', await accessKey.delete(bound.id)), [bound]);
  await call('mgmt.accessKey.deleteBatch', '(every other key: none left)', async () => {
    const ids = [plain, full, tenantKey, far, expired].map((made) => made.id);
    data(await accessKey.deleteBatch(ids));
    for (const id of ids) refused(404, 'E011004', await accessKey.load(id));
    return search([])();
  }, [plain, full, tenantKey, far, expired]);

  // No call of this SDK reaches these operations of the spec:
  // - ImportAccessKeys (POST /v1/mgmt/accesskey/import): no method imports keys.
  // - UpdateUserImpersonationConsent (POST /v1/mgmt/user/update/impersonationConsent): no method
  //   records a consent, so `validateConsent: true` is checked only as a refusal above.
  // (`sdk.management.jwt.generateClientAssertionJwt`, POST /v1/mgmt/token/clientassertion, is
  // outside the spec: openapi/README.md §4.49.)

  let total = `${suite.passed} passed, ${suite.failed} failed`;
  if (suite.skipped) total += `, ${suite.skipped} skipped`;
  console.log(`${SDK}: ${total}`);
  return suite.failed || suite.skipped ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.log(`FAIL ${SDK} m2m driver: ${describe(error)}`);
    process.exit(2);
  },
);
