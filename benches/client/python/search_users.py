"""Times Descope's official Python SDK paging through every user of the emulator, for
`cargo bench -p descope-client-benches --bench search`.

    search_users.py <base-url> <project-id> <management-key> <page-size> <passes>

Each pass asks `client.mgmt.user.search_all(limit=L, page=p)` for p = 0, 1, … and stops, as the
Rust crate's `search_all_users` does, after a page shorter than L or once the users counted reach
the `total` the emulator reports. Prints one JSON line: per pass, the users counted, the
requests sent and the nanoseconds taken, timed inside this process (the interpreter's start and
the SDK's import are not in them), and the CPU time this process spent on it.
"""

import json
import sys
import time

from descope import DescopeClient


def one_pass(users, limit):
    counted = requests = page = 0
    while True:
        answer = users.search_all(limit=limit, page=page)
        requests += 1
        page += 1
        found = answer["users"]
        counted += len(found)
        total = answer.get("total")
        if len(found) < limit or (total is not None and counted >= total):
            return counted, requests


def main():
    base_url, project_id, management_key = sys.argv[1:4]
    limit, passes = int(sys.argv[4]), int(sys.argv[5])
    client = DescopeClient(project_id=project_id, management_key=management_key, base_url=base_url)
    result = {"users": [], "requests": [], "nanos": [], "cpuNanos": []}
    for _ in range(passes):
        cpu, started = time.process_time_ns(), time.perf_counter_ns()
        counted, requests = one_pass(client.mgmt.user, limit)
        result["nanos"].append(time.perf_counter_ns() - started)
        result["cpuNanos"].append(time.process_time_ns() - cpu)
        result["users"].append(counted)
        result["requests"].append(requests)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
