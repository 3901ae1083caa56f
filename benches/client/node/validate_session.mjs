// Times Descope's official Node SDK validating one session JWT, for `cargo bench --bench session`.
// Usage: node validate_session.mjs <input.json> <iterations>, where input.json holds
// {"projectId", "jwk", "token"}. Prints the nanoseconds per validation as one number.
// The SDK is resolved from NODE_PATH (the bench points it at its npm install).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH ?? process.cwd(), 'noop.js'));
const DescopeClient = require('@descope/node-sdk').default ?? require('@descope/node-sdk');

const [input, iterations] = [process.argv[2], Number(process.argv[3] ?? 2000)];
const { projectId, jwk, token } = JSON.parse(readFileSync(input, 'utf8'));
// A static public key, so no request is made: the same setup as the Rust side's warm cache.
const sdk = DescopeClient({ projectId, publicKey: JSON.stringify(jwk), logger: undefined });

// Warm-up: key import, JIT.
for (let i = 0; i < 200; i += 1) await sdk.validateSession(token);
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i += 1) await sdk.validateSession(token);
const elapsed = process.hrtime.bigint() - start;
console.log(Number(elapsed) / iterations);
