// Times Descope's official Node SDK paging through every user of the emulator, for
// `cargo bench -p descope-client-benches --bench search`.
// Usage: node search_users.mjs <base-url> <project-id> <management-key> <page-size> <passes>
// Each pass asks `management.user.search({ page, limit })` for page = 0, 1, … and stops, as the
// Rust crate's `search_all_users` does, after a page shorter than the limit or once the users
// counted reach the `total` the emulator reports. Prints one JSON line: per pass, the users
// counted, the requests sent and the nanoseconds taken, timed inside this process (Node's start
// and the SDK's import are not in them), and the CPU time this process spent on it. The SDK is
// resolved from NODE_PATH (the bench points it at its npm install).
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH ?? process.cwd(), 'noop.js'));
const DescopeClient = require('@descope/node-sdk').default ?? require('@descope/node-sdk');

const [baseUrl, projectId, managementKey] = process.argv.slice(2, 5);
const [limit, passes] = [Number(process.argv[5]), Number(process.argv[6])];
const sdk = DescopeClient({ projectId, managementKey, baseUrl, logger: undefined });

async function onePass() {
  let [counted, requests, page] = [0, 0, 0];
  for (;;) {
    const answer = await sdk.management.user.search({ page, limit });
    if (!answer.ok) throw new Error(`search failed: ${JSON.stringify(answer.error)}`);
    requests += 1;
    page += 1;
    const { users, total } = answer.data;
    counted += users.length;
    if (users.length < limit || (total !== undefined && counted >= total)) return [counted, requests];
  }
}

const result = { users: [], requests: [], nanos: [], cpuNanos: [] };
for (let pass = 0; pass < passes; pass += 1) {
  const [cpu, started] = [process.cpuUsage(), process.hrtime.bigint()];
  const [counted, requests] = await onePass();
  result.nanos.push(Number(process.hrtime.bigint() - started));
  const spent = process.cpuUsage(cpu);
  result.cpuNanos.push((spent.user + spent.system) * 1000);
  result.users.push(counted);
  result.requests.push(requests);
}
console.log(JSON.stringify(result));
