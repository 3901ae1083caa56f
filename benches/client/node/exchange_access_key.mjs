// Times Descope's official Node SDK exchanging an access key and validating the session JWT it
// gets back (`exchangeAccessKey`), for `cargo bench -p descope-client-benches --bench access_key`,
// which serves the exchange on loopback and runs this script in a fresh process per round.
// Usage: node exchange_access_key.mjs <input.json> <iterations> <warm-up>, where input.json holds
// {"projectId", "baseUrl", "jwk", "accessKey", "keyId"}. Prints the nanoseconds per call as one
// number. The SDK is resolved from NODE_PATH (the bench points it at its npm install).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH ?? process.cwd(), 'noop.js'));
const DescopeClient = require('@descope/node-sdk').default ?? require('@descope/node-sdk');

const [input, iterations, warmUp] = [
  process.argv[2],
  Number(process.argv[3] ?? 1000),
  Number(process.argv[4] ?? 200),
];
const { projectId, baseUrl, jwk, accessKey, keyId } = JSON.parse(readFileSync(input, 'utf8'));
// A static public key, so no keys are fetched: the only request is the exchange, as on the
// Rust side.
const sdk = DescopeClient({ projectId, baseUrl, publicKey: JSON.stringify(jwk), logger: undefined });

// Warm-up: key import, JIT, the keep-alive connection. The first answer is checked.
const first = await sdk.exchangeAccessKey(accessKey);
if (first?.token?.sub !== keyId) {
  console.error('unexpected exchange result', first);
  process.exit(1);
}
for (let i = 1; i < warmUp; i += 1) await sdk.exchangeAccessKey(accessKey);
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i += 1) await sdk.exchangeAccessKey(accessKey);
const elapsed = process.hrtime.bigint() - start;
console.log(Number(elapsed) / iterations);
