#!/usr/bin/env node
// Drives the management half of Descope's official Node SDK (`@descope/node-sdk`, pinned in
// package.json and package-lock.json), unchanged and through its public API only, against the
// emulator.
//
//   node drive_mgmt.mjs --base-url URL --emulator-url URL --project-id ID --management-key KEY \
//     --recording FILE
//
// The arguments are drive.mjs's, and the management key the emulator was started with
// (`--management-key`); the harness (Suite, data, ...) is drive.mjs's. The client is
// `DescopeClient({projectId, managementKey, baseUrl})` and the calls go through
// `sdk.management.user`, `.tenant`, `.role` and `.permission`; each SdkResponse must be ok and
// its data (what the SDK unwrapped: `.user`, `.tenants`, `.roles`, ...) is checked against what
// the emulator's semantics promise (emulator/README.md, emulator/src/api/management/). Where a
// management change shows in sign-ins (roles and permissions in the JWTs, a disabled user, a
// logged-out user, test users' codes and links, embedded links, invitations), the SDK's own auth
// calls check it.
//
// One scenario, in order: permissions, tenants (with a sub-tenant), roles, custom attributes,
// users (create, load, search, update, patch, the one-field updates, roles, tenants, SSO apps,
// sign-in methods, status, logout, history), test users and embedded links, then every deletion.
// It runs after drive.mjs on the same emulator, so its login ids (`node-mgmt-…`, `node-test-…`)
// and phones (+1555040…) are its own.
//
// Prints drive.mjs's lines (`PASS node mgmt.user.create (all options)`, `FAIL …`, `SKIP …`),
// then `node: N passed, N failed, N skipped`; exits 1 when anything failed.
//
// A call the emulator refuses or whose request the spec does not accept is left in place,
// commented out with `// TODO(spec):` and what happened, for the maintainer to decide.

import DescopeClient from '@descope/node-sdk';
import { Check, SDK, Suite, data, describe, parseArgs } from './drive.mjs';

const TENANT_ID = 'T2interopMgmtNode';
const TENANT_NAME = 'Interop Node Management Tenant';
const SUB_TENANT_ID = 'T2interopMgmtNodeSub';
const CUSTOM_CLAIMS = { plan: 'pro', seats: 3, beta: true };
const TEMPLATE_OPTIONS = { greeting: 'Hello', product: 'Interop' };
const REDIRECT_URI = 'https://app.example.com/interop/verify';
const INVITE_URL = 'https://app.example.com/interop/invite';
const PICTURE = 'https://app.example.com/interop/ada.png';
// Login ids and phones of this driver only.
const U1 = 'node-mgmt-01@example.com'; // created with its login id only
const U2 = 'node-mgmt-02@example.com'; // created with every option; signs in
const U3 = 'node-mgmt-03@example.com'; // invited
const U4 = 'node-mgmt-04@example.com'; // replaced by update, then patched
const [BATCH1, BATCH2, BATCH3] = [1, 2, 3].map((n) => `node-batch-0${n}@example.com`);
const T1 = 'node-test-01@example.com'; // a test user, login id only
const T2 = 'node-test-02@example.com'; // a test user with every option
const SIGNUP = 'node-signup-01@example.com'; // made by a sign-up embedded link
const ADMIN_EMAIL = 'node-sso-admin@example.com';

const phone = (n) => `+1555040${String(n).padStart(4, '0')}`;
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
const names = (items) => items.map((item) => item.name);
const firstLoginIds = (users) => users.map((u) => (u.loginIds || [])[0]);

function expect(condition, message) {
  if (!condition) throw new Check(message);
}

function byName(items, name) {
  const found = items.find((item) => item.name === name);
  if (!found) throw new Check(`no ${name} among ${json(names(items))}`);
  return found;
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

// The user an SdkResponse carries (the SDK unwraps `{user}`), checked to hold `loginId`.
function userOf(response, loginId) {
  const user = data(response);
  expect(user && typeof user === 'object' && Array.isArray(user.loginIds), `expected a user, got ${json(user)}`);
  if (loginId !== undefined) expect(user.loginIds.includes(loginId), `loginIds ${json(user.loginIds)} lack ${loginId}`);
  return user;
}

function tenantRoles(user, tenantId) {
  const membership = (user.userTenants || []).find((m) => m.tenantId === tenantId);
  if (!membership) throw new Check(`the user is not in tenant ${tenantId}: ${json(user.userTenants)}`);
  return membership.roleNames || [];
}

async function main() {
  const args = parseArgs(process.argv.slice(2), ['managementKey']);
  const suite = new Suite(args.emulatorUrl, args.recording);
  const call = suite.call.bind(suite);

  // 0. The client: the constructor starts the license handshake (GET /v1/mgmt/license) in the
  //    background, and a call made before it is answered goes out without `x-descope-license`.
  //    Waiting for the handshake's answer keeps the recording the same from run to run.
  let sdk;
  await call('mgmt.client', 'construct (license handshake, waited for)', async () => {
    const before = suite.recorded().length;
    sdk = DescopeClient({ projectId: args.projectId, managementKey: args.managementKey, baseUrl: args.baseUrl });
    for (let i = 0; i < 100; i += 1) {
      const handshake = suite.recorded().slice(before).find((r) => r.path === '/v1/mgmt/license');
      if (handshake) {
        expect(handshake.response.status === 200, `the handshake was answered ${handshake.response.status}`);
        expect(handshake.response.body?.rateLimitTier === 'tier1', `rateLimitTier: ${json(handshake.response.body)}`);
        await sleep(300); // for the SDK to read the answer
        return sdk;
      }
      await sleep(50);
    }
    throw new Check('the SDK made no license handshake within 5 s');
  });
  const { user, tenant, role, permission } = sdk.management;
  const { otp, magicLink } = sdk;

  // 1. Permissions.
  const allPermissions = async () => {
    const found = data(await permission.loadAll());
    expect(Array.isArray(found), `expected a list of permissions, got ${json(found)}`);
    return found;
  };
  await call('mgmt.permission.create', '(name only)', async () => {
    data(await permission.create('read'));
    // The first management call after the handshake carries the license header.
    const sent = suite.recorded().filter((r) => r.path === '/v1/mgmt/permission/create').at(-1);
    expect(sent?.headers['x-descope-license'] === 'tier1', `no x-descope-license: ${json(sent?.headers)}`);
  });
  await call('mgmt.permission.create', '(description)', async () => data(await permission.create('write', 'Write things')));
  await call('mgmt.permission.createBatch', '', async () =>
    data(await permission.createBatch([{ name: 'p1', description: 'P1' }, { name: 'p2' }])),
  );
  const permissionIds = await call('mgmt.permission.loadAll', '', async () => {
    const found = await allPermissions();
    for (const name of ['read', 'write', 'p1', 'p2']) byName(found, name);
    expect(byName(found, 'write').description === 'Write things', "write's description");
    return Object.fromEntries(found.map((p) => [p.name, p.id]));
  });
  await call('mgmt.permission.update', '(description)', async () => data(await permission.update('p1', 'p1b', 'P1b')));
  await call('mgmt.permission.updateWithId', '(new name only)', async () =>
    data(await permission.updateWithId(permissionIds.p2, 'p2b')), [permissionIds]);
  await call('mgmt.permission.updateBatch', '(by id)', async () =>
    data(await permission.updateBatch([{ id: permissionIds.p1, newName: 'p1c' }, { id: permissionIds.p2, newName: 'p2c', description: 'P2c' }])),
  [permissionIds]);
  await call('mgmt.permission.loadAll', '(after the renames)', async () => {
    const found = await allPermissions();
    expect(byName(found, 'p1c').description === '', "p1c's description (cleared by the batch)");
    expect(byName(found, 'p2c').description === 'P2c', "p2c's description");
    expect(!names(found).some((n) => ['p1', 'p1b', 'p2', 'p2b'].includes(n)), `old names remain: ${json(names(found))}`);
    return found;
  });

  // 2. Tenants, one of them a sub-tenant.
  const tenantB = await call('mgmt.tenant.create', '(name only)', async () => {
    const answer = data(await tenant.create('Interop Node Tenant B'));
    expect(typeof answer?.id === 'string' && answer.id, `expected {id}, got ${json(answer)}`);
    return answer.id;
  });
  const createdTenant = await call('mgmt.tenant.createWithId', '(all options)', async () => {
    const answer = data(
      await tenant.createWithId(TENANT_ID, TENANT_NAME, ['node.example.com'], { region: 'eu', seats: 10 }, true, false, undefined, 'none'),
    );
    expect(answer?.id === TENANT_ID, `id: ${json(answer)}`);
    return answer;
  });
  const subTenant = await call('mgmt.tenant.createWithId', '(a sub-tenant: parent, role inheritance)', async () =>
    data(await tenant.createWithId(SUB_TENANT_ID, 'Interop Node Sub-tenant', [], {}, false, false, TENANT_ID, 'userOnly')),
  [createdTenant]);
  await call('mgmt.tenant.create', '(all options, a generated id)', async () => {
    const answer = data(await tenant.create('Interop Node Tenant C', ['c.node.example.com'], { region: 'us' }, false, true, TENANT_ID, 'none'));
    expect(/^T[0-9a-f]{32}$/.test(answer?.id || ''), `id: ${json(answer)}`);
    const found = data(await tenant.load(answer.id));
    expect(found.parent === TENANT_ID && found.disabled === true, `tenant: ${json(found)}`);
    data(await tenant.delete(answer.id));
    return answer;
  }, [createdTenant]);
  await call('mgmt.tenant.load', '', async () => {
    // A bare tenant, which the SDK passes on as it comes.
    const found = data(await tenant.load(TENANT_ID));
    expect(found?.id === TENANT_ID && found.name === TENANT_NAME, `tenant: ${json(found)}`);
    expect(same(found.selfProvisioningDomains, ['node.example.com']), 'selfProvisioningDomains');
    expect(same(found.customAttributes, { region: 'eu', seats: 10 }), 'customAttributes');
    expect(found.enforceSSO === true && same(found.successors, [SUB_TENANT_ID]), `tenant: ${json(found)}`);
    return found;
  }, [createdTenant, subTenant]);
  const tenantIds = (found) => {
    expect(Array.isArray(found), `expected a list of tenants, got ${json(found)}`);
    return found.map((t) => t.id);
  };
  await call('mgmt.tenant.loadAll', '', async () => {
    const ids = tenantIds(data(await tenant.loadAll()));
    expect(same(sorted(ids), sorted([tenantB, TENANT_ID, SUB_TENANT_ID])), `tenants: ${json(ids)}`);
    return ids;
  }, [createdTenant, tenantB, subTenant]);
  const searchTenants = async (expected, ...filters) => {
    const ids = tenantIds(data(await tenant.searchAll(...filters)));
    expect(same(sorted(ids), sorted(expected)), `expected ${json(sorted(expected))}, got ${json(ids)}`);
    return ids;
  };
  await call('mgmt.tenant.searchAll', '(no arguments)', () => searchTenants([TENANT_ID, tenantB, SUB_TENANT_ID]), [tenantB, subTenant]);
  await call('mgmt.tenant.searchAll', '(ids)', () => searchTenants([TENANT_ID], [TENANT_ID]), [createdTenant]);
  await call('mgmt.tenant.searchAll', '(names, domains, custom attributes)', () =>
    searchTenants([TENANT_ID], undefined, [TENANT_NAME], ['node.example.com'], { region: 'eu' }), [createdTenant]);
  await call('mgmt.tenant.searchAll', '(parent tenant)', () =>
    searchTenants([SUB_TENANT_ID], undefined, undefined, undefined, undefined, TENANT_ID), [subTenant]);
  await call('mgmt.tenant.update', '(id, name)', async () => {
    data(await tenant.update(tenantB, 'Interop Node Tenant B2'));
    const found = data(await tenant.load(tenantB));
    expect(found.name === 'Interop Node Tenant B2', `name: ${found.name}`);
    return found;
  }, [tenantB]);
  await call('mgmt.tenant.update', '(all options)', async () => {
    data(await tenant.update(TENANT_ID, TENANT_NAME, ['node.example.com', 'node.example.org'], { region: 'us' }, false, false, 'userOnly'));
    const found = data(await tenant.load(TENANT_ID));
    expect(same(found.customAttributes, { region: 'us' }), `customAttributes: ${json(found.customAttributes)}`);
    expect(same(found.selfProvisioningDomains, ['node.example.com', 'node.example.org']), 'domains');
    expect(found.enforceSSO === false && found.roleInheritance === 'userOnly', `tenant: ${json(found)}`);
    return found;
  }, [createdTenant]);
  await call('mgmt.tenant.configureSettings', '(domains only)', async () => {
    data(await tenant.configureSettings(TENANT_ID, { selfProvisioningDomains: ['node.example.com'] }));
    const found = data(await tenant.getSettings(TENANT_ID));
    expect(same(found.selfProvisioningDomains, ['node.example.com']), `settings: ${json(found)}`);
    return found;
  }, [createdTenant]);
  await call('mgmt.tenant.configureSettings', '(all options, InactivityTime as the SDK spells it)', async () => {
    data(
      await tenant.configureSettings(TENANT_ID, {
        selfProvisioningDomains: ['node.example.com'],
        domains: ['sso.node.example.com'],
        authType: 'oidc',
        enabled: true,
        refreshTokenExpiration: 4,
        refreshTokenExpirationUnit: 'weeks',
        sessionTokenExpiration: 10,
        sessionTokenExpirationUnit: 'minutes',
        stepupTokenExpiration: 5,
        stepupTokenExpirationUnit: 'minutes',
        enableInactivity: true,
        InactivityTime: 30,
        InactivityTimeUnit: 'minutes',
        JITDisabled: true,
        ssoSetupSuiteSettings: { enabled: true, styleId: 'style-1', disabledFeatures: { saml: true, scim: true } },
      }),
    );
    const found = data(await tenant.getSettings(TENANT_ID));
    const wanted = {
      enabled: true,
      sessionTokenExpiration: 10,
      refreshTokenExpirationUnit: 'weeks',
      authType: 'oidc',
      domains: ['sso.node.example.com'],
      inactivityTime: 30,
      inactivityTimeUnit: 'minutes',
      JITDisabled: true,
    };
    const wrong = Object.entries(wanted).filter(([key, value]) => !same(found[key], value));
    expect(wrong.length === 0, `settings differ: ${json(Object.fromEntries(wrong.map(([k]) => [k, found[k]])))}`);
    return found;
  }, [createdTenant]);
  await call('mgmt.tenant.configureSettings', '(a session outliving the refresh token: 400)', async () =>
    refused(400, 'E011004', await tenant.configureSettings(TENANT_ID, {
      selfProvisioningDomains: [],
      enabled: true,
      sessionTokenExpiration: 2,
      sessionTokenExpirationUnit: 'days',
      refreshTokenExpiration: 1,
      refreshTokenExpirationUnit: 'days',
    })), [createdTenant]);
  const ssoLink = async (...options) => {
    const answer = data(await tenant.generateSSOConfigurationLink(TENANT_ID, ...options));
    expect(typeof answer?.adminSSOConfigurationLink === 'string' && answer.adminSSOConfigurationLink.includes('sso-setup'), `answer: ${json(answer)}`);
    return answer.adminSSOConfigurationLink;
  };
  await call('mgmt.tenant.generateSSOConfigurationLink', '(tenant, expire duration)', () => ssoLink(3600), [createdTenant]);
  await call('mgmt.tenant.generateSSOConfigurationLink', '(all options: sso id, email, template, actor)', async () => {
    const link = await ssoLink(3600, 'sso-1', ADMIN_EMAIL, 'sso-template', 'actor-1');
    const messages = await suite.admin('GET', `/emulator/outbox?loginId=${encodeURIComponent(ADMIN_EMAIL)}`);
    expect(messages.some((m) => m.link === link), `the link is not in the outbox: ${json(messages)}`);
    return link;
  }, [createdTenant]);
  await call('mgmt.tenant.revokeSSOConfigurationLink', '(sso id)', async () => data(await tenant.revokeSSOConfigurationLink(TENANT_ID, 'sso-1')), [createdTenant]);
  await call('mgmt.tenant.revokeSSOConfigurationLink', '(tenant only)', async () => data(await tenant.revokeSSOConfigurationLink(TENANT_ID)), [createdTenant]);

  // 3. Roles: project-level and the tenant's own.
  const allRoles = async () => {
    const found = data(await role.loadAll());
    expect(Array.isArray(found), `expected a list of roles, got ${json(found)}`);
    return found;
  };
  await call('mgmt.role.create', '(name only)', async () => data(await role.create('viewer')));
  await call('mgmt.role.create', '(description, permissions)', async () => data(await role.create('editor', 'Edits', ['read', 'write'])));
  await call('mgmt.role.create', '(all options, in a tenant)', async () =>
    data(await role.create('tenant-admin', 'Administers the tenant', ['write'], TENANT_ID, false)), [createdTenant]);
  await call('mgmt.role.createBatch', '(the created roles come back)', async () => {
    const made = data(
      await role.createBatch([
        { name: 'r1', description: 'R1', permissionNames: ['p1c'] },
        { name: 'r2', tenantId: TENANT_ID, default: true, private: true },
      ]),
    );
    expect(same(names(made), ['r1', 'r2']) && made[1].tenantId === TENANT_ID && made[1].private === true, `roles: ${json(made)}`);
    return made;
  }, [createdTenant]);
  const roleIds = await call('mgmt.role.loadAll', '', async () => {
    const found = await allRoles();
    const editor = byName(found, 'editor');
    expect(same(editor.permissionNames, ['read', 'write']) && editor.tenantId === '', `editor: ${json(editor)}`);
    expect(byName(found, 'tenant-admin').tenantId === TENANT_ID, 'tenant-admin is not the tenant\'s');
    return Object.fromEntries(found.map((r) => [`${r.name}@${r.tenantId || ''}`, r.id]));
  });
  const searchRoles = async (expected, options) => {
    const found = data(await role.search(options));
    expect(Array.isArray(found), `expected a list of roles, got ${json(found)}`);
    expect(same(sorted(names(found)), sorted(expected)), `expected ${json(sorted(expected))}, got ${json(sorted(names(found)))}`);
    return found;
  };
  await call('mgmt.role.search', '(empty options)', () => searchRoles(['viewer', 'editor', 'tenant-admin', 'r1', 'r2'], {}), [createdTenant]);
  await call('mgmt.role.search', '(tenant)', () => searchRoles(['tenant-admin', 'r2'], { tenantIds: [TENANT_ID] }), [createdTenant]);
  await call('mgmt.role.search', '(all options)', () =>
    searchRoles(['editor', 'tenant-admin'], {
      tenantIds: [TENANT_ID],
      roleNames: ['editor', 'tenant-admin', 'viewer'],
      roleNameLike: 'E',
      permissionNames: ['write'],
      includeProjectRoles: true,
    }), [createdTenant]);
  await call('mgmt.role.update', '(description, permissions)', async () => data(await role.update('r1', 'r1b', 'R1b', ['read'])));
  await call('mgmt.role.updateWithId', '(all options, in a tenant)', async () =>
    data(await role.updateWithId(roleIds[`r2@${TENANT_ID}`], 'r2b', 'R2b', ['write'], TENANT_ID, true)), [roleIds]);
  await call('mgmt.role.updateBatch', '(the updated roles come back)', async () => {
    const updated = data(
      await role.updateBatch([
        { id: roleIds['r1@'], newName: 'r1c', permissionNames: ['read', 'p2c'] },
        { id: roleIds[`r2@${TENANT_ID}`], newName: 'r2c', tenantId: TENANT_ID },
      ]),
    );
    expect(same(names(updated), ['r1c', 'r2c']), `roles: ${json(updated)}`);
    return updated;
  }, [roleIds]);
  await call('mgmt.role.loadAll', '(after the renames)', async () => {
    const found = await allRoles();
    expect(same(byName(found, 'r1c').permissionNames, ['read', 'p2c']), "r1c's permissions");
    const r2 = byName(found, 'r2c');
    expect(r2.description === '' && r2.default === false, `r2c (overwritten): ${json(r2)}`);
    expect(!names(found).some((n) => ['r1', 'r1b', 'r2', 'r2b'].includes(n)), `old names remain: ${json(names(found))}`);
    return found;
  });
  await call('mgmt.tenant.updateDefaultRoles', '', async () => {
    data(await tenant.updateDefaultRoles(TENANT_ID, ['viewer']));
    const found = data(await tenant.load(TENANT_ID));
    expect(same(found.defaultRoles, ['viewer']), `defaultRoles: ${json(found.defaultRoles)}`);
    return found;
  }, [createdTenant]);

  // 4. Custom attributes (users may carry only defined ones): the SDK's numeric types.
  await call('mgmt.user.createCustomAttributes', '(name and type, several)', async () => {
    const found = data(
      await user.createCustomAttributes([
        { name: 'plan', type: 1 },
        { name: 'seats', type: 2, displayName: 'Seats' },
        { name: 'beta', type: 3, displayName: 'Beta' },
        { name: 'tags', type: 5, displayName: 'Tags' },
      ]),
    );
    expect(Array.isArray(found) && byName(found, 'seats').type === 2, `attributes: ${json(found)}`);
    return found;
  });
  await call('mgmt.user.createCustomAttributes', '(all options)', async () => {
    const found = data(
      await user.createCustomAttributes([
        {
          name: 'tier',
          type: 4,
          displayName: 'Tier',
          options: [
            { value: 'free', label: 'Free' },
            { value: 'pro', label: 'Pro' },
          ],
          defaultValue: 'free',
          viewPermissions: ['read'],
          editPermissions: ['write'],
        },
      ]),
    );
    const tier = byName(found, 'tier');
    expect(same(tier.options, [{ value: 'free', label: 'Free' }, { value: 'pro', label: 'Pro' }]), `tier: ${json(tier)}`);
    return found;
  });
  await call('mgmt.user.getCustomAttributes', '', async () => {
    const found = data(await user.getCustomAttributes());
    expect(same(sorted(names(found)), ['beta', 'plan', 'seats', 'tags', 'tier']), `attributes: ${json(names(found))}`);
    return found;
  });

  // 5. Users: create, load, search.
  const u1Id = await call('mgmt.user.create', '(login id only)', async () => {
    const found = userOf(await user.create(U1), U1);
    expect(found.status === 'enabled' && found.test === false && found.email === '', `user: ${json(found)}`);
    return found.userId;
  });
  const u2Id = await call('mgmt.user.create', '(all options, options object)', async () => {
    const found = userOf(
      await user.create(U2, {
        email: U2,
        phone: phone(2),
        displayName: 'Ada Lovelace',
        givenName: 'Ada',
        middleName: 'King',
        familyName: 'Lovelace',
        roles: ['editor'],
        userTenants: [{ tenantId: TENANT_ID, roleNames: ['tenant-admin'] }],
        customAttributes: { plan: 'pro', seats: 3, beta: true, tags: ['a', 'b'] },
        picture: PICTURE,
        verifiedEmail: true,
        verifiedPhone: false,
        additionalLoginIds: ['node-ada-alt'],
        ssoAppIds: ['sso-app-1'],
      }),
      U2,
    );
    expect(same(found.loginIds, [U2, 'node-ada-alt']), `loginIds: ${json(found.loginIds)}`);
    expect(found.name === 'Ada Lovelace' && found.middleName === 'King', 'names');
    expect(found.verifiedEmail === true && found.verifiedPhone === false, 'verified flags');
    expect(same(found.roleNames, ['editor']) && same(sorted(found.permissions), ['read', 'write']), `roles: ${json(found)}`);
    // A new member gets the tenant's default roles before the given ones.
    expect(same(tenantRoles(found, TENANT_ID), ['viewer', 'tenant-admin']), 'tenant roles');
    expect(same(found.customAttributes, { plan: 'pro', seats: 3, beta: true, tags: ['a', 'b'] }), 'customAttributes');
    expect(same(found.ssoAppIds, ['sso-app-1']), `ssoAppIds: ${json(found.ssoAppIds)}`);
    return found.userId;
  }, [createdTenant, roleIds]);
  await call('mgmt.user.create', '(a taken login id: 400)', async () => refused(400, 'E062107', await user.create(U1)), [u1Id]);
  const u4Id = await call('mgmt.user.create', '(positional arguments)', async () => {
    const found = userOf(
      await user.create(U4, U4, phone(4), 'Grace Hopper', ['viewer'], [{ tenantId: TENANT_ID, roleNames: [] }], { seats: 1 },
        PICTURE, true, false, 'Grace', 'Brewster', 'Hopper', ['node-grace-alt']),
      U4,
    );
    expect(same(found.loginIds, [U4, 'node-grace-alt']) && found.familyName === 'Hopper', `user: ${json(found)}`);
    return found.userId;
  }, [createdTenant]);
  await call('mgmt.user.load', '', async () => {
    const found = userOf(await user.load(U2), U2);
    expect(found.userId === u2Id && found.phone === phone(2), `user: ${json(found)}`);
    return found;
  }, [u2Id]);
  await call('mgmt.user.load', '(an additional login id)', async () =>
    expect(userOf(await user.load('node-ada-alt')).userId === u2Id, 'not the same user'), [u2Id]);
  await call('mgmt.user.load', '(an unknown login id: 404)', async () =>
    refused(404, 'E062108', await user.load('node+mgmt nobody&x=y@example.com')));
  await call('mgmt.user.loadByUserId', '', async () => expect(userOf(await user.loadByUserId(u2Id), U2).userId === u2Id, 'not the user'), [u2Id]);
  await call('mgmt.user.deactivate', '', async () => {
    const found = userOf(await user.deactivate(U4), U4);
    expect(found.status === 'disabled', `status ${found.status}`);
    return found;
  }, [u4Id]);
  const loadUsers = async (expected, ...more) => {
    const found = data(await user.loadUsers([u1Id, u2Id, u4Id], ...more));
    expect(Array.isArray(found), `expected a list of users (the SDK drops total), got ${json(found)}`);
    expect(same(found.map((u) => u.userId), expected), `expected ${json(expected)}, got ${json(found.map((u) => u.userId))}`);
    return found;
  };
  await call('mgmt.user.loadUsers', '(ids only: the disabled user left out)', () => loadUsers([u1Id, u2Id]), [u1Id, u2Id, u4Id]);
  await call('mgmt.user.loadUsers', '(include invalid users)', () => loadUsers([u1Id, u2Id, u4Id], true), [u1Id, u2Id, u4Id]);
  await call('mgmt.user.activate', '', async () => {
    const found = userOf(await user.activate(U4), U4);
    expect(found.status === 'enabled', `status ${found.status}`);
    return found;
  }, [u4Id]);
  const search = async (expected, options, total = expected.length) => {
    const answer = data(await user.search(options));
    expect(Array.isArray(answer?.users), `expected {users, total}, got ${json(answer)}`);
    expect(same(firstLoginIds(answer.users), expected), `expected ${json(expected)}, got ${json(firstLoginIds(answer.users))}`);
    expect(answer.total === total, `total: ${answer.total}`);
    return answer;
  };
  await call('mgmt.user.search', '(login ids)', () => search([U1, U2, U4], { loginIds: [U1, U2, U4, T1] }), [u1Id, u2Id, u4Id]);
  await call('mgmt.user.search', '(all options)', () =>
    search([U2], {
      page: 0,
      limit: 10,
      sort: [{ field: 'createdTime', desc: true }, { field: 'email' }],
      text: 'lovelace',
      emails: [U2],
      phones: [phone(2)],
      statuses: ['enabled', 'invited'],
      roles: ['editor'],
      tenantIds: [TENANT_ID],
      customAttributes: { plan: 'pro' },
      withTestUser: false,
      testUsersOnly: false,
      ssoAppIds: ['sso-app-1'],
      loginIds: [U2],
      userIds: [u2Id],
      fromCreatedTime: 1_000_000_000_000,
      toCreatedTime: 4_000_000_000_000,
      fromModifiedTime: 1_000_000_000_000,
      toModifiedTime: 4_000_000_000_000,
      tenantRoleNames: { [TENANT_ID]: { values: ['tenant-admin', 'viewer'], and: true } },
      verifiedEmail: true,
      verifiedPhone: false,
    }), [u2Id]);
  await call('mgmt.user.search', '(limit, page, sort)', () =>
    search([U2], { loginIds: [U1, U2, U4], limit: 1, page: 1, sort: [{ field: 'createdTime' }] }, 3), [u1Id, u2Id, u4Id]);
  await call('mgmt.user.search', '(empty options)', async () => {
    const answer = data(await user.search({}));
    const found = firstLoginIds(answer.users || []);
    expect([U1, U2, U4].every((id) => found.includes(id)), `${json([U1, U2, U4])} not all in ${json(found)}`);
    return answer;
  }, [u1Id, u2Id, u4Id]);
  await call('mgmt.user.searchAll', '(deprecated, positional: the SDK returns the users only)', async () => {
    const found = data(await user.searchAll([TENANT_ID], ['editor'], 10, 0, false, false, { plan: 'pro' }, ['enabled'], [U2], [phone(2)]));
    expect(Array.isArray(found) && same(firstLoginIds(found), [U2]), `users: ${json(found)}`);
    return found;
  }, [u2Id]);

  // 6. Update (overwrites), patch (keeps what it does not name), batches, invitations.
  await call('mgmt.user.update', '(options object, then the login id only)', async () => {
    let found = userOf(await user.update(U4, { email: U4, displayName: 'Grace Hopper', roles: ['viewer'], customAttributes: { tier: 'free' } }), U4);
    expect(found.name === 'Grace Hopper' && same(found.roleNames, ['viewer']), `user: ${json(found)}`);
    expect(same(found.customAttributes, { tier: 'free' }) && same(found.loginIds, [U4, 'node-grace-alt']), `user: ${json(found)}`);
    found = userOf(await user.update(U4), U4);
    expect(found.email === '' && found.name === '' && same(found.roleNames, []), `the login id only clears the details: ${json(found)}`);
    expect(same(found.customAttributes, {}) && same(found.userTenants, []), 'customAttributes, userTenants (cleared)');
    return found;
  }, [u4Id]);
  await call('mgmt.user.update', '(all options, positional)', async () => {
    const found = userOf(
      await user.update(U4, U4, phone(4), 'Grace Hopper', ['viewer', 'editor'], [{ tenantId: TENANT_ID, roleNames: [] }], { seats: 5 },
        PICTURE, true, true, 'Grace', 'Brewster', 'Hopper', ['node-grace-second']),
      U4,
    );
    expect(same(found.loginIds, [U4, 'node-grace-second']), `loginIds: ${json(found.loginIds)}`);
    expect(same(tenantRoles(found, TENANT_ID), ['viewer']), 'tenant roles (the default role)');
    expect(found.verifiedPhone === true && same(found.customAttributes, { seats: 5 }), `user: ${json(found)}`);
    return found;
  }, [u4Id]);
  await call('mgmt.user.patch', '(one field)', async () => {
    const found = userOf(await user.patch(U4, { displayName: 'Amazing Grace' }), U4);
    expect(found.name === 'Amazing Grace' && found.givenName === 'Grace', `user: ${json(found)}`);
    expect(same(found.roleNames, ['viewer', 'editor']), 'roleNames (kept)');
    return found;
  }, [u4Id]);
  await call('mgmt.user.patch', '(all options)', async () => {
    const found = userOf(
      await user.patch(U4, {
        email: U4,
        phone: phone(4),
        displayName: 'Grace B. Hopper',
        givenName: 'Grace',
        middleName: 'B.',
        familyName: 'Hopper',
        roles: ['editor'],
        userTenants: [{ tenantId: TENANT_ID, roleNames: ['tenant-admin'] }],
        customAttributes: { plan: 'team' },
        picture: PICTURE,
        verifiedEmail: false,
        verifiedPhone: true,
        ssoAppIds: ['sso-app-1'],
        scim: false,
        status: 'enabled',
        additionalIdentifiers: ['node-grace-third'],
      }),
      U4,
    );
    expect(found.status === 'enabled' && same(found.roleNames, ['editor']), `user: ${json(found)}`);
    expect(same(tenantRoles(found, TENANT_ID), ['tenant-admin']), 'tenant roles (replaced)');
    expect(same(found.customAttributes, { seats: 5, plan: 'team' }), `customAttributes (merged): ${json(found.customAttributes)}`);
    expect(same(found.loginIds, [U4, 'node-grace-third']), `loginIds: ${json(found.loginIds)}`);
    return found;
  }, [u4Id]);
  await call('mgmt.user.patchBatch', '(one known by loginIdOrUserId, one unknown)', async () => {
    const answer = data(
      await user.patchBatch([
        { loginIdOrUserId: u4Id, displayName: 'Grace' },
        { loginId: 'node-nobody@example.com', displayName: 'x' },
      ]),
    );
    expect(same(firstLoginIds(answer?.patchedUsers || []), [U4]), `patchedUsers: ${json(answer?.patchedUsers)}`);
    expect((answer?.failedUsers || []).length === 1, `failedUsers: ${json(answer?.failedUsers)}`);
    return answer;
  }, [u4Id]);
  const u3Id = await call('mgmt.user.invite', '(options object: the link signs in and enables)', async () => {
    const found = userOf(
      await user.invite(U3, { email: U3, displayName: 'Invited User', inviteUrl: INVITE_URL, sendMail: true, sendSMS: false }),
      U3,
    );
    expect(found.status === 'invited', `status: ${found.status}`);
    const link = await suite.lastMessage(U3, 'email', 'magicLink');
    expect((link.link || '').startsWith(INVITE_URL), `the invitation's link: ${json(link)}`);
    const session = data(await magicLink.verify(link.token));
    expect(session?.sessionJwt, 'no session JWT from the invitation link');
    const after = userOf(await user.load(U3), U3);
    expect(after.status === 'enabled', `status after the link: ${after.status}`);
    return after.userId;
  });
  await call('mgmt.user.invite', '(positional, again: an existing user is invited again)', async () =>
    userOf(
      await user.invite(U3, U3, phone(3), 'Invited User', [], [], {}, undefined, true, false, INVITE_URL, true, true,
        'Invited', undefined, 'User', undefined, 'invite-template', 'fr'),
      U3,
    ), [u3Id]);
  await call('mgmt.user.invite', '(options object with template options)', async () => {
    const found = userOf(
      await user.invite('node-mgmt-05@example.com', {
        email: 'node-mgmt-05@example.com',
        phone: phone(5),
        inviteUrl: INVITE_URL,
        sendMail: false,
        sendSMS: true,
        templateOptions: TEMPLATE_OPTIONS,
        templateId: 'invite-template',
        locale: 'fr',
      }),
      'node-mgmt-05@example.com',
    );
    const messages = await suite.admin('GET', `/emulator/outbox?loginId=${encodeURIComponent('node-mgmt-05@example.com')}`);
    expect(same(messages.map((m) => m.channel), ['sms']), `sendMail false, sendSMS true: ${json(messages)}`);
    return found;
  });
  const batchUsers = [
    { loginIdOrUserId: BATCH1, email: BATCH1, displayName: 'Batch One' },
    {
      loginIdOrUserId: BATCH2,
      email: BATCH2,
      phone: phone(12),
      displayName: 'Batch Two',
      roles: ['viewer'],
      userTenants: [{ tenantId: TENANT_ID, roleNames: [] }],
      customAttributes: { plan: 'pro' },
      picture: PICTURE,
      verifiedEmail: true,
      verifiedPhone: true,
      test: false,
      additionalLoginIds: ['node-batch-two-alt'],
      password: 'Cleartext-Passw0rd!',
      seed: 'JBSWY3DPEHPK3PXP',
      status: 'enabled',
    },
    {
      loginId: BATCH3, // the deprecated spelling
      email: BATCH3,
      hashedPassword: { bcrypt: { hash: '$2a$10$abcdefghijklmnopqrstuu0123456789abcdefghijklmnopqrstu' } },
    },
    { loginIdOrUserId: U1 },
  ];
  const batchIds = await call('mgmt.user.inviteBatch', '(all options, passwords, seed, status, a taken login id)', async () => {
    const answer = data(await user.inviteBatch(batchUsers, INVITE_URL, true, false, TEMPLATE_OPTIONS, 'invite-template', 'fr'));
    const created = answer?.createdUsers || [];
    expect(same(sorted(firstLoginIds(created)), [BATCH1, BATCH2, BATCH3]), `createdUsers: ${json(firstLoginIds(created))}`);
    const failed = answer?.failedUsers || [];
    expect(failed.length === 1 && failed[0].failure.includes('E062107'), `failedUsers: ${json(failed)}`);
    const byLogin = Object.fromEntries(created.map((u) => [u.loginIds[0], u]));
    expect(byLogin[BATCH1].status === 'invited', "an invited user's status");
    expect(byLogin[BATCH2].status === 'enabled' && byLogin[BATCH2].TOTP === true, `batch two: ${json(byLogin[BATCH2])}`);
    await suite.lastMessage(BATCH1, 'email', 'magicLink');
    return Object.fromEntries(created.map((u) => [u.loginIds[0], u.userId]));
  }, [u1Id, createdTenant]);
  await call('mgmt.user.createBatch', '', async () => {
    const answer = data(await user.createBatch([{ loginIdOrUserId: 'node-batch-04@example.com', email: 'node-batch-04@example.com', test: true }]));
    const created = answer?.createdUsers || [];
    expect(same(firstLoginIds(created), ['node-batch-04@example.com']) && created[0].status === 'enabled' && created[0].test === true,
      `createdUsers: ${json(created)}`);
    return answer;
  });

  // 7. One field at a time.
  const one = (action, check) => async () => {
    const found = userOf(await action());
    check(found);
    return found;
  };
  await call('mgmt.user.updateLoginId', '(new login id)', one(() => user.updateLoginId('node-ada-alt', 'node-ada-second'),
    (u) => expect(same(u.loginIds, [U2, 'node-ada-second']), `loginIds ${json(u.loginIds)}`)), [u2Id]);
  await call('mgmt.user.updateLoginId', '(no new login id: removes it)', one(() => user.updateLoginId('node-ada-second'),
    (u) => expect(same(u.loginIds, [U2]), `loginIds ${json(u.loginIds)}`)), [u2Id]);
  await call('mgmt.user.updateEmail', '(not verified)', one(() => user.updateEmail(U1, 'node-mgmt-01-mail@example.com', false),
    (u) => expect(u.email === 'node-mgmt-01-mail@example.com' && u.verifiedEmail === false, `email ${json(u)}`)), [u1Id]);
  await call('mgmt.user.updateEmail', '(verified, fail on conflict)', one(() => user.updateEmail(U1, 'node-mgmt-01-mail@example.com', true, true),
    (u) => expect(u.verifiedEmail === true, 'verifiedEmail')), [u1Id]);
  await call('mgmt.user.updateEmail', "(another user's login id, fail on conflict: 400)", async () =>
    refused(400, 'E062107', await user.updateEmail(U1, U2, false, true)), [u1Id, u2Id]);
  await call('mgmt.user.updatePhone', '(not verified)', one(() => user.updatePhone(U1, phone(1), false),
    (u) => expect(u.phone === phone(1) && u.verifiedPhone === false, `phone ${json(u)}`)), [u1Id]);
  await call('mgmt.user.updatePhone', '(verified, fail on conflict)', one(() => user.updatePhone(U1, phone(1), true, true),
    (u) => expect(u.verifiedPhone === true, 'verifiedPhone')), [u1Id]);
  await call('mgmt.user.updateDisplayName', '(display name only)', one(() => user.updateDisplayName(U1, 'Charles Babbage'),
    (u) => expect(u.name === 'Charles Babbage', `name ${u.name}`)), [u1Id]);
  await call('mgmt.user.updateDisplayName', '(all name parts)', one(() => user.updateDisplayName(U1, 'Charles Babbage', 'Charles', 'X', 'Babbage'),
    (u) => expect(same([u.givenName, u.middleName, u.familyName], ['Charles', 'X', 'Babbage']), `names ${json(u)}`)), [u1Id]);
  await call('mgmt.user.updateUserNames', '(given name only: the rest kept)', one(() => user.updateUserNames(U1, 'Charlie'),
    (u) => expect(same([u.name, u.givenName, u.familyName], ['Charles Babbage', 'Charlie', 'Babbage']), `names ${json(u)}`)), [u1Id]);
  await call('mgmt.user.updateUserNames', '(all name parts)', one(() => user.updateUserNames(U1, 'Charles', 'Y', 'Babbage'),
    (u) => expect(u.middleName === 'Y', `names ${json(u)}`)), [u1Id]);
  await call('mgmt.user.updatePicture', '', one(() => user.updatePicture(U1, PICTURE), (u) => expect(u.picture === PICTURE, 'picture')), [u1Id]);
  await call('mgmt.user.updateCustomAttribute', '(string)', one(() => user.updateCustomAttribute(U1, 'plan', 'enterprise'),
    (u) => expect(same(u.customAttributes, { plan: 'enterprise' }), json(u.customAttributes))), [u1Id]);
  await call('mgmt.user.updateCustomAttribute', '(number)', one(() => user.updateCustomAttribute(U1, 'seats', 12),
    (u) => expect(u.customAttributes.seats === 12, json(u.customAttributes))), [u1Id]);
  await call('mgmt.user.updateCustomAttribute', '(boolean)', one(() => user.updateCustomAttribute(U1, 'beta', false),
    (u) => expect(u.customAttributes.beta === false, json(u.customAttributes))), [u1Id]);
  await call('mgmt.user.updateCustomAttribute', '(string list)', one(() => user.updateCustomAttribute(U1, 'tags', ['x', 'y']),
    (u) => expect(same(u.customAttributes.tags, ['x', 'y']), json(u.customAttributes))), [u1Id]);
  await call('mgmt.user.updateCustomAttribute', '(null: removes it)', one(() => user.updateCustomAttribute(U1, 'plan', null),
    (u) => expect(!('plan' in u.customAttributes), json(u.customAttributes))), [u1Id]);
  await call('mgmt.user.updateCustomAttribute', "(a value the type refuses: 400)", async () =>
    refused(400, 'E011004', await user.updateCustomAttribute(U1, 'tier', 'platinum')), [u1Id]);
  await call('mgmt.user.updateRecoveryEmail', '(email only)', one(() => user.updateRecoveryEmail(U1, 'node-recovery@example.com'),
    (u) => expect(u.recoveryEmail === 'node-recovery@example.com' && u.verifiedRecoveryEmail === false, json(u))), [u1Id]);
  await call('mgmt.user.updateRecoveryEmail', '(verified)', one(() => user.updateRecoveryEmail(U1, 'node-recovery@example.com', true),
    (u) => expect(u.verifiedRecoveryEmail === true, 'verifiedRecoveryEmail')), [u1Id]);
  await call('mgmt.user.updateRecoveryPhone', '(phone only)', one(() => user.updateRecoveryPhone(U1, phone(91)),
    (u) => expect(u.recoveryPhone === phone(91), json(u))), [u1Id]);
  await call('mgmt.user.updateRecoveryPhone', '(verified)', one(() => user.updateRecoveryPhone(U1, phone(91), true),
    (u) => expect(u.verifiedRecoveryPhone === true, 'verifiedRecoveryPhone')), [u1Id]);

  // Roles (project-level, then in the tenant), tenants and SSO apps.
  const rolesAre = (wanted) => (u) => expect(same(u.roleNames, wanted), `roleNames ${json(u.roleNames)}`);
  await call('mgmt.user.setRoles', '', one(() => user.setRoles(U1, ['viewer', 'r1c']), rolesAre(['viewer', 'r1c'])), [u1Id]);
  await call('mgmt.user.addRoles', '', one(() => user.addRoles(U1, ['editor', 'viewer']), rolesAre(['viewer', 'r1c', 'editor'])), [u1Id]);
  await call('mgmt.user.removeRoles', '', one(() => user.removeRoles(U1, ['r1c']), rolesAre(['viewer', 'editor'])), [u1Id]);
  await call('mgmt.user.addRoles', '(an unknown role: 400)', async () => refused(400, 'E011004', await user.addRoles(U1, ['no-such-role'])), [u1Id]);
  await call('mgmt.user.addTenant', '', one(() => user.addTenant(U1, TENANT_ID),
    (u) => expect(same(tenantRoles(u, TENANT_ID), ['viewer']), 'roles')), [u1Id, createdTenant]);
  await call('mgmt.user.addTenant', '(the second tenant)', one(() => user.addTenant(U1, tenantB),
    (u) => expect(same(tenantRoles(u, tenantB), []), 'roles')), [u1Id, tenantB]);
  const inTenant = (wanted) => (u) => expect(same(tenantRoles(u, TENANT_ID), wanted), `tenant roles ${json(tenantRoles(u, TENANT_ID))}`);
  await call('mgmt.user.setTenantRoles', '', one(() => user.setTenantRoles(U1, TENANT_ID, ['tenant-admin']), inTenant(['tenant-admin'])), [u1Id]);
  await call('mgmt.user.addTenantRoles', '', one(() => user.addTenantRoles(U1, TENANT_ID, ['r2c', 'editor']),
    inTenant(['tenant-admin', 'r2c', 'editor'])), [u1Id]);
  await call('mgmt.user.removeTenantRoles', '', one(() => user.removeTenantRoles(U1, TENANT_ID, ['r2c']), inTenant(['tenant-admin', 'editor'])), [u1Id]);
  await call('mgmt.user.addTenantRoles', "(another tenant's role: 400)", async () =>
    refused(400, 'E011004', await user.addTenantRoles(U1, tenantB, ['tenant-admin'])), [u1Id, tenantB]);
  await call('mgmt.user.addTenantRoles', '(a tenant the user is not in: 400)', async () =>
    refused(400, 'E011004', await user.addTenantRoles(U1, SUB_TENANT_ID, ['viewer'])), [u1Id, subTenant]);
  await call('mgmt.user.removeTenant', '', one(() => user.removeTenant(U1, tenantB),
    (u) => expect(same(u.userTenants.map((m) => m.tenantId), [TENANT_ID]), 'userTenants')), [u1Id, tenantB]);
  const appsAre = (wanted) => (u) => expect(same(u.ssoAppIds, wanted), `ssoAppIds ${json(u.ssoAppIds)}`);
  await call('mgmt.user.setSSOapps', '', one(() => user.setSSOapps(U1, ['sso-app-1', 'sso-app-2']), appsAre(['sso-app-1', 'sso-app-2'])), [u1Id]);
  await call('mgmt.user.addSSOapps', '', one(() => user.addSSOapps(U1, ['sso-app-3']), appsAre(['sso-app-1', 'sso-app-2', 'sso-app-3'])), [u1Id]);
  await call('mgmt.user.removeSSOapps', '', one(() => user.removeSSOapps(U1, ['sso-app-2']), appsAre(['sso-app-1', 'sso-app-3'])), [u1Id]);

  // Other sign-in methods: the answers the SDK parses (passwords, passkeys, TOTP, devices).
  await call('mgmt.user.setTemporaryPassword', '', async () => data(await user.setTemporaryPassword(U1, 'Temp-Passw0rd!')), [u1Id]);
  await call('mgmt.user.setActivePassword', '', async () => data(await user.setActivePassword(U1, 'Active-Passw0rd!')), [u1Id]);
  await call('mgmt.user.expirePassword', '', async () => data(await user.expirePassword(U1)), [u1Id]);
  await call('mgmt.user.listPasskeys', '', async () => {
    const found = data(await user.listPasskeys(U1));
    expect(same(found, []), `passkeys: ${json(found)}`);
    return found;
  }, [u1Id]);
  await call('mgmt.user.removePasskey', '(none there)', async () => data(await user.removePasskey(U1, 'pk-1')), [u1Id]);
  await call('mgmt.user.removeAllPasskeys', '', async () => data(await user.removeAllPasskeys(U1)), [u1Id]);
  await call('mgmt.user.removeTOTPSeed', '', async () => {
    data(await user.removeTOTPSeed(BATCH2));
    expect(userOf(await user.load(BATCH2)).TOTP === false, 'TOTP after the removal');
  }, [batchIds]);
  await call('mgmt.user.listTrustedDevices', '', async () => {
    const found = data(await user.listTrustedDevices([U1, u2Id]));
    expect(same(found, []), `devices: ${json(found)}`);
    return found;
  }, [u1Id, u2Id]);
  await call('mgmt.user.removeTrustedDevices', '', async () => data(await user.removeTrustedDevices(U1, ['dev-1', 'dev-2'])), [u1Id]);
  const seeded = await suite.setup(
    'give the user a Google token (POST /emulator/users/provider-token)',
    () =>
      suite.admin('POST', '/emulator/users/provider-token', {
        loginId: U2,
        provider: 'google',
        accessToken: 'node-google-access-token',
        refreshToken: 'node-google-refresh-token',
        scopes: ['email'],
      }),
    [u2Id],
  );
  await call('mgmt.user.getProviderToken', '', async () => {
    const answer = data(await user.getProviderToken(U2, 'google'));
    expect(answer?.accessToken === 'node-google-access-token' && !('refreshToken' in answer), `token: ${json(answer)}`);
    return answer;
  }, [seeded]);
  await call('mgmt.user.getProviderToken', '(with refresh token, force refresh)', async () => {
    const answer = data(await user.getProviderToken(U2, 'google', { withRefreshToken: true, forceRefresh: true }));
    expect(answer?.refreshToken === 'node-google-refresh-token', `token: ${json(answer)}`);
    return answer;
  }, [seeded]);

  // 8. What management changes shows in sign-ins (the SDK's own auth calls).
  const signIn = async (loginId) => {
    data(await otp.signIn.email(loginId));
    const answer = data(await otp.verify.email(loginId, await suite.code(loginId, 'email')));
    expect(answer?.sessionJwt && answer?.refreshJwt, 'no session or refresh JWT');
    return { session: answer.sessionJwt, refresh: answer.refreshJwt, claims: (await sdk.validateSession(answer.sessionJwt)).token };
  };
  const tokens = await call('mgmt (auth) sign-in of a management user', '(roles and permissions in the JWT)', async () => {
    const signed = await signIn(U2);
    const { claims } = signed;
    expect(same(claims.roles, ['editor']), `roles claim: ${json(claims.roles)}`);
    expect(same(sorted(claims.permissions || []), ['read', 'write']), `permissions: ${json(claims.permissions)}`);
    const inTenantClaims = claims.tenants?.[TENANT_ID] || {};
    expect(same(inTenantClaims.roles, ['viewer', 'tenant-admin']), `tenant claim: ${json(claims.tenants)}`);
    expect(same(inTenantClaims.permissions, ['write']), `tenant permissions: ${json(inTenantClaims)}`);
    return signed;
  }, [u2Id]);
  await call('mgmt (auth) refresh after addRoles and a permission rename', '', async () => {
    userOf(await user.addRoles(U2, ['r1c']));
    data(await permission.update('read', 'read-all', 'Reads'));
    const info = await sdk.refreshSession(tokens.refresh);
    const claims = (await sdk.validateSession(info.jwt)).token;
    expect(same(claims.roles, ['editor', 'r1c']), `roles after the refresh: ${json(claims.roles)}`);
    expect(same(sorted(claims.permissions || []), ['p2c', 'read-all', 'write']), `permissions after the refresh: ${json(claims.permissions)}`);
    return claims;
  }, [tokens]);
  await call('mgmt (auth) a deactivated user', '(neither signs in nor refreshes: 403; activated again)', async () => {
    userOf(await user.deactivate(U2));
    refused(403, 'E062110', await otp.signIn.email(U2));
    refused(403, 'E062110', await sdk.refresh(tokens.refresh));
    userOf(await user.activate(U2));
    data(await sdk.refresh(tokens.refresh));
  }, [tokens]);
  const logoutUser = async (action) => {
    const signed = await signIn(U2);
    data(await action());
    refused(401, 'E064001', await sdk.refresh(signed.refresh));
  };
  await call('mgmt.user.logoutUser', '(the refresh JWT is revoked: 401)', () => logoutUser(() => user.logoutUser(U2)), [u2Id]);
  await call('mgmt.user.logoutUserByUserId', '(the refresh JWT is revoked: 401)', () => logoutUser(() => user.logoutUserByUserId(u2Id)), [u2Id]);
  await call('mgmt.user.history', '', async () => {
    const entries = data(await user.history([u2Id, u1Id]));
    expect(Array.isArray(entries) && entries.length > 0, `expected a non-empty list, got ${json(entries)}`);
    expect(entries.every((e) => e.userId === u2Id && e.loginTime), `entries: ${json(entries)}`);
    return entries;
  }, [u2Id, u1Id]);

  // 9. Test users, their codes and links (verified with the ordinary verify calls), embedded links.
  const t1Id = await call('mgmt.user.createTestUser', '(login id only)', async () => {
    const found = userOf(await user.createTestUser(T1), T1);
    expect(found.test === true, `test: ${json(found)}`);
    return found.userId;
  });
  const t2Id = await call('mgmt.user.createTestUser', '(all options, options object)', async () => {
    const found = userOf(
      await user.createTestUser(T2, {
        email: T2,
        phone: phone(77),
        displayName: 'Test User',
        givenName: 'Test',
        familyName: 'User',
        roles: ['viewer'],
        userTenants: [{ tenantId: TENANT_ID, roleNames: ['r2c'] }],
        customAttributes: { plan: 'pro' },
        picture: PICTURE,
        verifiedEmail: true,
        verifiedPhone: true,
        additionalLoginIds: ['node-test-alt'],
        ssoAppIds: ['sso-app-1'],
      }),
      T2,
    );
    expect(found.test === true && same(found.roleNames, ['viewer']), `user: ${json(found)}`);
    return found.userId;
  }, [createdTenant]);
  await call('mgmt.user.createTestUser', '(positional arguments)', async () => {
    const found = userOf(await user.createTestUser('node-test-03@example.com', 'node-test-03@example.com', phone(78), 'Third Test'),
      'node-test-03@example.com');
    expect(found.test === true && found.name === 'Third Test', `user: ${json(found)}`);
    return found;
  });
  const searchTest = async (expected, options) => {
    const answer = data(await user.searchTestUsers(options));
    expect(Array.isArray(answer?.users), `expected {users, total}, got ${json(answer)}`);
    const found = sorted(firstLoginIds(answer.users));
    expect(same(found, sorted(expected)), `expected ${json(sorted(expected))}, got ${json(found)}`);
    return answer;
  };
  await call('mgmt.user.searchTestUsers', '(empty options)', () =>
    searchTest([T1, T2, 'node-test-03@example.com', 'node-batch-04@example.com'], {}), [t1Id, t2Id]);
  await call('mgmt.user.searchTestUsers', '(filters)', () =>
    searchTest([T2], { tenantIds: [TENANT_ID], roles: ['viewer'], limit: 5, emails: [T2], statuses: ['enabled'], text: 'test user', sort: [{ field: 'email' }] }),
  [t2Id]);
  await call('mgmt.user.search', '(test users left out unless asked)', () => search([U2], { loginIds: [U2, T2] }), [t2Id]);
  await call('mgmt.user.search', '(with test users)', () => search([U2, T2], { loginIds: [U2, T2], withTestUser: true }), [t2Id]);
  await call('mgmt.user.generateOTPForTestUser', '(a user that is not a test user: 400)', async () =>
    refused(400, 'E011004', await user.generateOTPForTestUser('email', U2)), [u2Id]);
  const verifiedClaims = async (response) => {
    const answer = data(response);
    expect(answer?.sessionJwt, 'no session JWT');
    return (await sdk.validateSession(answer.sessionJwt)).token;
  };
  const checkClaims = (claims, wanted) => {
    for (const [key, value] of Object.entries(wanted || {})) expect(same(claims[key], value), `claim ${key}: ${json(claims[key])}`);
    return claims;
  };
  const testOtp = (method, loginId, options, wanted) => async () => {
    const answer = data(await user.generateOTPForTestUser(method, loginId, options));
    expect(answer?.loginId === loginId && answer.code, `answer: ${json(answer)}`);
    const verifyAs = method === 'Embedded' ? 'email' : method;
    return checkClaims(await verifiedClaims(await otp.verify[verifyAs](loginId, answer.code)), wanted);
  };
  await call('mgmt.user.generateOTPForTestUser', 'email (verified with otp.verify.email)', testOtp('email', T1), [t1Id]);
  await call('mgmt.user.generateOTPForTestUser', 'sms (all login options)', testOtp('sms', T2, {
    stepup: false,
    mfa: false,
    revokeOtherSessions: false,
    customClaims: CUSTOM_CLAIMS,
    templateId: 'otp-template',
    templateOptions: TEMPLATE_OPTIONS,
    tenantId: TENANT_ID,
  }, { plan: 'pro', seats: 3, dct: TENANT_ID }), [t2Id]);
  await call('mgmt.user.generateOTPForTestUser', '(login options with a tenant the user is not in: 403)', async () =>
    refused(403, 'E011003', await user.generateOTPForTestUser('sms', T1, { tenantId: TENANT_ID })), [t1Id]);
  for (const method of ['voice', 'whatsapp', 'im']) {
    await call('mgmt.user.generateOTPForTestUser', method, testOtp(method, T2), [t2Id]);
  }
  await call('mgmt.user.generateOTPForTestUser', 'Embedded (verified as email)', testOtp('Embedded', T1), [t1Id]);
  const linkToken = (link) => {
    const token = new URL(link).searchParams.get('t');
    expect(token, `no t= in ${link}`);
    return token;
  };
  const testLink = (method, loginId, uri, options, wanted) => async () => {
    const answer = data(await user.generateMagicLinkForTestUser(method, loginId, uri, options));
    expect(answer?.loginId === loginId && answer.link, `answer: ${json(answer)}`);
    if (uri) expect(answer.link.startsWith(uri), `link: ${answer.link}`);
    return checkClaims(await verifiedClaims(await magicLink.verify(linkToken(answer.link))), wanted);
  };
  await call('mgmt.user.generateMagicLinkForTestUser', 'email (verified with magicLink.verify)', testLink('email', T1, REDIRECT_URI), [t1Id]);
  await call('mgmt.user.generateMagicLinkForTestUser', 'sms (custom claims, tenant)',
    testLink('sms', T2, REDIRECT_URI, { customClaims: CUSTOM_CLAIMS, tenantId: TENANT_ID }, { beta: true, dct: TENANT_ID }), [t2Id]);
  await call('mgmt.user.generateMagicLinkForTestUser', 'email (empty URI: the default redirect)', testLink('email', T1, ''), [t1Id]);
  const enchanted = async (options) => {
    const answer = data(await user.generateEnchantedLinkForTestUser(T1, REDIRECT_URI, options));
    expect(answer?.link && answer.pendingRef, `answer: ${json(answer)}`);
    return verifiedClaims(await magicLink.verify(linkToken(answer.link)));
  };
  await call('mgmt.user.generateEnchantedLinkForTestUser', '', () => enchanted(), [t1Id]);
  await call('mgmt.user.generateEnchantedLinkForTestUser', '(custom claims)', async () =>
    checkClaims(await enchanted({ customClaims: CUSTOM_CLAIMS }), { seats: 3 }), [t1Id]);
  const embedded = async (...options) => {
    const answer = data(await user.generateEmbeddedLink(U1, ...options));
    expect(typeof answer?.token === 'string' && answer.token, `answer: ${json(answer)}`);
    return verifiedClaims(await magicLink.verify(answer.token));
  };
  await call('mgmt.user.generateEmbeddedLink', '(login id only)', () => embedded(), [u1Id]);
  await call('mgmt.user.generateEmbeddedLink', '(custom claims, timeout)', async () =>
    checkClaims(await embedded(CUSTOM_CLAIMS, 300), { plan: 'pro' }), [u1Id]);
  const signupId = await call('mgmt.user.generateSignUpEmbeddedLink', '(user, verified email, login options, timeout)', async () => {
    const answer = data(
      await user.generateSignUpEmbeddedLink(
        SIGNUP,
        { name: 'Signed Up', givenName: 'Signed', middleName: 'E.', familyName: 'Up', phone: phone(55), email: SIGNUP },
        true,
        false,
        { customClaims: CUSTOM_CLAIMS },
        300,
      ),
    );
    expect(answer?.token, `answer: ${json(answer)}`);
    checkClaims(await verifiedClaims(await magicLink.verify(answer.token)), { plan: 'pro' });
    const found = userOf(await user.load(SIGNUP), SIGNUP);
    expect(same([found.email, found.verifiedEmail, found.givenName], [SIGNUP, true, 'Signed']), `user: ${json(found)}`);
    return found.userId;
  });
  const signup2Id = await call('mgmt.user.generateSignUpEmbeddedLink', '(login id only)', async () => {
    const answer = data(await user.generateSignUpEmbeddedLink('node-signup-02@example.com'));
    await verifiedClaims(await magicLink.verify(answer.token));
    return userOf(await user.load('node-signup-02@example.com')).userId;
  });

  // 10. A client without the management key: this SDK sends the call anyway, with the project
  //     id alone as the bearer, and the emulator refuses it.
  await call('mgmt.user.load', '(a client without the management key: 401)', async () => {
    const keyless = DescopeClient({ projectId: args.projectId, baseUrl: args.baseUrl });
    const response = await keyless.management.user.load(U2);
    expect(!response.ok && response.code === 401, `expected HTTP 401, got ${json(response)}`);
    return response;
  }, [u2Id]);

  // This SDK's management methods whose paths are none of the spec's operations: the emulator
  // answers each 404 `E011001` ("not emulated: <METHOD> <path> is none of the 133 operations this
  // emulator serves (the curated spec's)"), and the shape test would report the path as not in the
  // spec. Left out until the maintainer decides.
  // TODO(spec): POST /v1/mgmt/user/password/set {loginId, password} (deprecated):
  // await call('mgmt.user.setPassword', '(deprecated)', async () => data(await user.setPassword(U1, 'Old-Passw0rd!')), [u1Id]);
  // TODO(spec): POST /v1/mgmt/user/import {source, users, hashes, dryrun} (strings sent as given;
  // a Uint8Array goes out as an index-keyed object, an SDK bug):
  // await call('mgmt.user.import', '(dry run)', async () => data(await user.import('auth0', '[]', '[]', true)));

  // 11. Deletions: users, test users, attributes, roles, permissions, tenants.
  const gone = async (loginId) => refused(404, 'E062108', await user.load(loginId));
  await call('mgmt.user.delete', '', async () => {
    data(await user.delete(U3));
    await gone(U3);
  }, [u3Id]);
  await call('mgmt.user.delete', '(an unknown user: 404)', async () => refused(404, 'E062108', await user.delete(U3)), [u3Id]);
  await call('mgmt.user.deleteByUserId', '', async () => {
    data(await user.deleteByUserId(signupId));
    await gone(SIGNUP);
  }, [signupId]);
  await call('mgmt.user.deleteBatch', '', async () => {
    data(await user.deleteBatch([batchIds[BATCH1], batchIds[BATCH3], signup2Id]));
    await gone(BATCH1);
    await gone(BATCH3);
  }, [batchIds, signup2Id]);
  await call('mgmt.user.deleteAllTestUsers', '', async () => {
    data(await user.deleteAllTestUsers());
    for (const loginId of [T1, T2, 'node-test-03@example.com', 'node-batch-04@example.com']) await gone(loginId);
    expect(userOf(await user.load(U2)).userId === u2Id, 'a user that is not a test user went too');
  }, [t1Id, t2Id]);
  await call('mgmt.user.deleteCustomAttributes', '(their values go from users)', async () => {
    const found = data(await user.deleteCustomAttributes(['tier', 'tags']));
    expect(same(sorted(names(found)), ['beta', 'plan', 'seats']), `attributes: ${json(names(found))}`);
    const u2 = userOf(await user.load(U2));
    expect(same(u2.customAttributes, { plan: 'pro', seats: 3, beta: true }), `customAttributes: ${json(u2.customAttributes)}`);
    return found;
  });
  const deleteRole = (action, name, tenantId = '') => async () => {
    data(await action());
    const left = (await allRoles()).map((r) => `${r.name}@${r.tenantId || ''}`);
    expect(!left.includes(`${name}@${tenantId}`), `${name} is still there: ${json(left)}`);
    return left;
  };
  await call('mgmt.role.delete', '(a role users hold: they lose it)', deleteRole(() => role.delete('r1c'), 'r1c'));
  await call('mgmt.role.delete', '(in a tenant)', deleteRole(() => role.delete('r2c', TENANT_ID), 'r2c', TENANT_ID), [createdTenant]);
  await call('mgmt.user.load', "(after the role's deletion)", async () => {
    const found = userOf(await user.load(U2));
    expect(same(found.roleNames, ['editor']), `roleNames: ${json(found.roleNames)}`);
    return found;
  }, [u2Id]);
  const ids = await call('mgmt.role.createBatch', '(for the deletions below)', async () => {
    const made = data(
      await role.createBatch([{ name: 'd1' }, { name: 'd2' }, { name: 'd3', tenantId: TENANT_ID }, { name: 'd4', tenantId: TENANT_ID }, { name: 'd5' }]),
    );
    return Object.fromEntries(made.map((r) => [`${r.name}@${r.tenantId || ''}`, r.id]));
  }, [createdTenant]);
  await call('mgmt.role.deleteWithId', '', deleteRole(() => role.deleteWithId(ids['d1@']), 'd1'), [ids]);
  await call('mgmt.role.deleteWithId', '(tenant)', deleteRole(() => role.deleteWithId(ids[`d3@${TENANT_ID}`], TENANT_ID), 'd3', TENANT_ID), [ids]);
  await call('mgmt.role.deleteBatch', '(names)', deleteRole(() => role.deleteBatch(['d2']), 'd2'), [ids]);
  await call('mgmt.role.deleteBatch', '(names in a tenant, and ids)', async () => {
    await deleteRole(() => role.deleteBatch(['d4'], TENANT_ID, [ids['d5@']]), 'd4', TENANT_ID)();
    const left = names(await allRoles());
    expect(!left.includes('d5'), `d5 is still there: ${json(left)}`);
  }, [ids]);
  await call('mgmt.role.delete', '(an unknown role: 404)', async () => refused(404, 'E011004', await role.delete('d1')));
  const deletePermission = (action, goneNames) => async () => {
    data(await action());
    const left = names(await allPermissions());
    expect(!goneNames.some((n) => left.includes(n)), `${json(goneNames)} still in ${json(left)}`);
    return left;
  };
  await call('mgmt.permission.delete', '(a permission roles grant: they lose it)', deletePermission(() => permission.delete('write'), ['write']));
  await call('mgmt.role.loadAll', "(after the permission's deletion)", async () => {
    const editor = byName(await allRoles(), 'editor');
    expect(same(editor.permissionNames, ['read-all']), `editor: ${json(editor)}`);
    return editor;
  });
  await call('mgmt.permission.createBatch', '(for the deletions below)', async () =>
    data(await permission.createBatch([{ name: 'd1' }, { name: 'd2' }, { name: 'd3' }, { name: 'd4' }])));
  const pids = await call('mgmt.permission.loadAll', '(ids for the deletions)', async () =>
    Object.fromEntries((await allPermissions()).map((p) => [p.name, p.id])));
  await call('mgmt.permission.deleteWithId', '', deletePermission(() => permission.deleteWithId(pids.d1), ['d1']), [pids]);
  await call('mgmt.permission.deleteBatch', '(names)', deletePermission(() => permission.deleteBatch(['d2', 'p1c']), ['d2', 'p1c']));
  await call('mgmt.permission.deleteBatch', '(names and ids)', deletePermission(() => permission.deleteBatch(['d3'], [pids.d4]), ['d3', 'd4']), [pids]);
  await call('mgmt.permission.delete', '(an unknown permission: 404)', async () => refused(404, 'E011004', await permission.delete('d1')));
  await call('mgmt.tenant.delete', '(a tenant with a sub-tenant: 400)', async () =>
    refused(400, 'E011004', await tenant.delete(TENANT_ID, true)), [createdTenant, subTenant]);
  await call('mgmt.tenant.delete', '(the sub-tenant)', async () => {
    data(await tenant.delete(SUB_TENANT_ID));
    refused(404, 'E011004', await tenant.load(SUB_TENANT_ID));
  }, [subTenant]);
  await call('mgmt.tenant.delete', '(cascade: its only members go, its roles go)', async () => {
    // With `cascade`, the users that belonged to this tenant alone go (U1, U4, BATCH2); U2, a
    // member of tenant B too, stays without it.
    userOf(await user.addTenant(U2, tenantB));
    data(await tenant.delete(TENANT_ID, true));
    refused(404, 'E011004', await tenant.load(TENANT_ID));
    for (const loginId of [U1, U4, BATCH2]) await gone(loginId);
    const found = userOf(await user.load(U2));
    expect(same(found.userTenants.map((m) => m.tenantId), [tenantB]), `userTenants: ${json(found.userTenants)}`);
    refused(404, 'E011004', await role.delete('tenant-admin', TENANT_ID));
  }, [createdTenant, tenantB, u2Id]);
  await call('mgmt.tenant.delete', '(its members stay, without it)', async () => {
    data(await tenant.delete(tenantB));
    refused(404, 'E011004', await tenant.load(tenantB));
    const found = userOf(await user.load(U2));
    expect(same(found.userTenants, []), `userTenants: ${json(found.userTenants)}`);
  }, [tenantB, u2Id]);

  let total = `${suite.passed} passed, ${suite.failed} failed`;
  if (suite.skipped) total += `, ${suite.skipped} skipped`;
  console.log(`${SDK}: ${total}`);
  return suite.failed || suite.skipped ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.log(`FAIL ${SDK} mgmt driver: ${describe(error)}`);
    process.exit(2);
  },
);
