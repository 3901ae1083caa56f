#!/usr/bin/env bash
# Contract test: schemathesis generates requests from openapi/descope-auth.yaml and checks that
# the emulator's answers conform to the spec (status codes, content types, response schemas)
# and never are server errors. Needs `st` (pip install schemathesis) on PATH, or ST=/path/to/st.
# Usage: emulator/contract.sh [extra st options, e.g. --max-examples 50]
set -euo pipefail
cd "$(dirname "$0")/.."

ST="${ST:-st}"
PROJECT_ID=P2Contract
# The management API is called with the project's management key, everything else with the
# project id alone: two runs, split by the management tags.
MANAGEMENT_KEY=K2Contract
MANAGEMENT_TAGS=(users tenants roles)
cargo build -q -p descope-emulator
# A free loopback port, chosen by the kernel.
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"${CARGO_TARGET_DIR:-target}/debug/descope-emulator" --port "$PORT" --project-id "$PROJECT_ID" \
  --management-key "$MANAGEMENT_KEY" >/dev/null &
EMULATOR_PID=$!
trap 'kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
up=""
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then up=yes; break; fi
  sleep 0.1
done
if [ -z "$up" ]; then
  echo "error: the emulator did not start listening on 127.0.0.1:$PORT within 5 s" >&2
  exit 1
fi

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
include=() exclude=()
for tag in "${MANAGEMENT_TAGS[@]}"; do include+=(--include-tag "$tag"); exclude+=(--exclude-tag "$tag"); done

echo "== sign-in and session operations, with Bearer <ProjectId>"
"$ST" run openapi/descope-auth.yaml \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Bearer $PROJECT_ID" \
  --checks "$CHECKS" "${exclude[@]}" \
  "$@"

echo "== management operations, with Bearer <ProjectId>:<ManagementKey>"
"$ST" run openapi/descope-auth.yaml \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Bearer $PROJECT_ID:$MANAGEMENT_KEY" \
  --checks "$CHECKS" "${include[@]}" \
  "$@"
