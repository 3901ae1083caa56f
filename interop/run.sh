#!/usr/bin/env bash
# Interop suite: Descope's official SDKs (Python `descope`, Node `@descope/node-sdk`, pinned in
# interop/python/requirements.txt and interop/node/package-lock.json), unchanged, against the
# emulator, each through a recording proxy (interop/record_proxy.py) on loopback.
#
# Usage: interop/run.sh [--record] [--only python|node] [--part auth|mgmt|m2m]
#   --record       also write the normalized recordings to interop/recorded/<sdk>.jsonl
#                  (without it they go to the build directory only, and a difference from the
#                  committed ones is pointed out)
#   --only SDK     run one SDK
#   --part PART    run one driver per SDK: `auth` (drive.py, drive.mjs: OTP, magic link,
#                  sessions), `mgmt` (drive_mgmt.py, drive_mgmt.mjs: the management API with
#                  the management key) or `m2m` (drive_m2m.py, drive_m2m.mjs: access keys and
#                  their exchange, token administration); not with --record, whose files hold
#                  all three
#
# Needs python3 (with venv and pip), node and npm, and cargo; the SDKs are installed once under
# ${CARGO_TARGET_DIR:-target}/interop/ (venv/ and node/) from the package registries and reused
# while the pinned files are unchanged. INTEROP_EMULATOR=/path/to/descope-emulator skips the
# build and runs that binary. Every request goes to 127.0.0.1 only.
#
# Per SDK, one emulator (started with --management-key) and one proxy serve the three drivers,
# auth, then mgmt, then m2m, so the SDK's recording holds all three, in that order.
#
# Prints one line per call (`PASS python sign_up_otp email`, `FAIL node verify_magic_link sms:
# <reason>`, `SKIP ...` for a call that needs one that failed), then `N passed, N failed` per SDK
# and overall; exits 1 when any call failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

record=""
only=""
part=""
while [ $# -gt 0 ]; do
  case "$1" in
    --record) record=yes ;;
    --only) only="${2:?--only needs python or node}"; shift ;;
    --part) part="${2:?--part needs auth, mgmt or m2m}"; shift ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "interop/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case "$only" in ""|python|node) ;; *) echo "interop/run.sh: --only takes python or node" >&2; exit 2 ;; esac
case "$part" in ""|auth|mgmt|m2m) ;; *) echo "interop/run.sh: --part takes auth, mgmt or m2m" >&2; exit 2 ;; esac
if [ -n "$part" ] && [ -n "$record" ]; then
  echo "interop/run.sh: --record needs every part (the recordings hold all three); drop --part" >&2
  exit 2
fi

target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
work="$target/interop"
mkdir -p "$work"

# One project id for both SDKs (28 characters: the SDKs keep the default host for it, and the
# base URL option overrides the host anyway); the emulator accepts any id without `:`.
PROJECT_ID="P2InteropSdkEmulatorTest0001"
# The management key the emulator is started with and the management drivers are given (the
# recordings show it as `<key>`; the access keys the m2m drivers exchange show as
# `<access-key-N>`).
MANAGEMENT_KEY="K2InteropManagementKey0001"
# The SDKs read these from the environment; none may point them elsewhere or add a key.
unset DESCOPE_BASE_URI DESCOPE_PROJECT_ID DESCOPE_PUBLIC_KEY DESCOPE_MANAGEMENT_KEY \
  DESCOPE_AUTH_MANAGEMENT_KEY 2>/dev/null || true
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

step() { printf '==> %s\n' "$*"; }

# --- the SDKs, installed once per pinned file ---------------------------------------------
install_python() {
  local venv="$work/venv" stamp="$work/venv/.interop-requirements.txt"
  if [ -x "$venv/bin/python" ] && cmp -s "$stamp" interop/python/requirements.txt; then
    return
  fi
  step "installing the Python SDK into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r interop/python/requirements.txt
  cp interop/python/requirements.txt "$stamp"
}

install_node() {
  local dir="$work/node"
  mkdir -p "$dir"
  if [ -d "$dir/node_modules/@descope/node-sdk" ] \
    && cmp -s "$dir/package-lock.json" interop/node/package-lock.json \
    && cmp -s "$dir/package.json" interop/node/package.json; then
    return
  fi
  step "installing the Node SDK into $dir"
  cp interop/node/package.json interop/node/package-lock.json "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# --- the emulator -------------------------------------------------------------------------
if [ -n "${INTEROP_EMULATOR:-}" ]; then
  emulator="$INTEROP_EMULATOR"
else
  step "building the emulator"
  cargo build -q -p descope-emulator
  emulator="$target/debug/descope-emulator"
fi

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {  # port, what, pid
  local _
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "error: $2 exited before listening on 127.0.0.1:$1" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "error: $2 did not start listening on 127.0.0.1:$1 within 10 s" >&2
  return 1
}

declare -A passed failed skipped
summary_sdks=()

run_sdk() {  # sdk
  local sdk="$1" dir="$work/run/$1" port proxy_port
  rm -rf "$dir"
  mkdir -p "$dir"
  port="$(free_port)"
  "$emulator" --port "$port" --project-id "$PROJECT_ID" --management-key "$MANAGEMENT_KEY" \
    >"$dir/emulator.log" 2>&1 &
  pids+=("$!")
  wait_for_port "$port" "the emulator (log: $dir/emulator.log)" "$!"
  python3 interop/record_proxy.py serve --target "http://127.0.0.1:$port" --sdk "$sdk" \
    --project-id "$PROJECT_ID" --out "$dir/raw.jsonl" --port-file "$dir/proxy.port" \
    2>"$dir/proxy.log" &
  pids+=("$!")
  local proxy_pid="$!"
  for _ in $(seq 100); do [ -s "$dir/proxy.port" ] && break; sleep 0.1; done
  proxy_port="$(cat "$dir/proxy.port" 2>/dev/null || true)"
  [ -n "$proxy_port" ] || { echo "error: the recording proxy did not start (log: $dir/proxy.log)" >&2; return 1; }
  wait_for_port "$proxy_port" "the recording proxy" "$proxy_pid"

  local args=(--base-url "http://127.0.0.1:$proxy_port" --emulator-url "http://127.0.0.1:$port"
    --project-id "$PROJECT_ID" --recording "$dir/raw.jsonl")
  step "$sdk SDK against the emulator (http://127.0.0.1:$port, through the proxy on $proxy_port)"
  passed[$sdk]=0 failed[$sdk]=0 skipped[$sdk]=0
  local driver out err status
  for driver in auth mgmt m2m; do
    [ -z "$part" ] || [ "$part" = "$driver" ] || continue
    out="$dir/output-$driver.txt" err="$dir/stderr-$driver.txt" status=0
    case "$sdk/$driver" in
      python/auth) timeout 900 "$work/venv/bin/python" interop/python/drive.py "${args[@]}" >"$out" 2>"$err" || status=$? ;;
      python/mgmt)
        timeout 900 "$work/venv/bin/python" interop/python/drive_mgmt.py "${args[@]}" \
          --management-key "$MANAGEMENT_KEY" >"$out" 2>"$err" || status=$? ;;
      python/m2m)
        timeout 900 "$work/venv/bin/python" interop/python/drive_m2m.py "${args[@]}" \
          --management-key "$MANAGEMENT_KEY" >"$out" 2>"$err" || status=$? ;;
      node/auth)
        cp interop/node/drive.mjs "$work/node/drive.mjs"
        timeout 900 node "$work/node/drive.mjs" "${args[@]}" >"$out" 2>"$err" || status=$? ;;
      node/mgmt)
        cp interop/node/drive.mjs interop/node/drive_mgmt.mjs "$work/node/"
        timeout 900 node "$work/node/drive_mgmt.mjs" "${args[@]}" \
          --management-key "$MANAGEMENT_KEY" >"$out" 2>"$err" || status=$? ;;
      node/m2m)
        cp interop/node/drive.mjs interop/node/drive_m2m.mjs "$work/node/"
        timeout 900 node "$work/node/drive_m2m.mjs" "${args[@]}" \
          --management-key "$MANAGEMENT_KEY" >"$out" 2>"$err" || status=$? ;;
    esac
    # Per call lines only; the driver's own total is recomputed below.
    grep -E '^(PASS|FAIL|SKIP|INFO) ' "$out" || true
    local p f s
    p=$(grep -c '^PASS ' "$out" || true)
    f=$(grep -c '^FAIL ' "$out" || true)
    s=$(grep -c '^SKIP ' "$out" || true)
    # A driver that did not reach its own total line stopped early.
    if ! grep -q "^$sdk: " "$out" || { [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; }; then
      echo "FAIL $sdk $driver driver: stopped with status $status before the end (stderr: $err)"
      sed 's/^/    /' "$err" | tail -20
      f=$((f + 1))
    fi
    passed[$sdk]=$((passed[$sdk] + p))
    failed[$sdk]=$((failed[$sdk] + f))
    skipped[$sdk]=$((skipped[$sdk] + s))
  done
  cleanup

  mkdir -p "$work/recorded"
  python3 interop/record_proxy.py normalize "$dir/raw.jsonl" >"$work/recorded/$sdk.jsonl"
  if [ -n "$record" ]; then
    mkdir -p interop/recorded
    cp "$work/recorded/$sdk.jsonl" "interop/recorded/$sdk.jsonl"
    echo "recorded: interop/recorded/$sdk.jsonl ($(wc -l <"$work/recorded/$sdk.jsonl") requests)"
  elif [ -z "$part" ] && [ -f "interop/recorded/$sdk.jsonl" ] && ! cmp -s "$work/recorded/$sdk.jsonl" "interop/recorded/$sdk.jsonl"; then
    echo "note: what the $sdk SDK sent differs from interop/recorded/$sdk.jsonl:"
    diff "interop/recorded/$sdk.jsonl" "$work/recorded/$sdk.jsonl" | head -20 | sed 's/^/    /' || true
    echo "    (diff -u interop/recorded/$sdk.jsonl $work/recorded/$sdk.jsonl; interop/run.sh --record to accept)"
  fi
  summary_sdks+=("$sdk")
}

for sdk in python node; do
  [ -z "$only" ] || [ "$only" = "$sdk" ] || continue
  "install_$sdk"
done
for sdk in python node; do
  [ -z "$only" ] || [ "$only" = "$sdk" ] || continue
  run_sdk "$sdk"
done

total_passed=0 total_failed=0 total_skipped=0
echo
for sdk in "${summary_sdks[@]}"; do
  line="${passed[$sdk]} passed, ${failed[$sdk]} failed"
  [ "${skipped[$sdk]}" -eq 0 ] || line="$line, ${skipped[$sdk]} skipped"
  echo "$sdk: $line"
  total_passed=$((total_passed + passed[$sdk]))
  total_failed=$((total_failed + failed[$sdk]))
  total_skipped=$((total_skipped + skipped[$sdk]))
done
line="$total_passed passed, $total_failed failed"
[ "$total_skipped" -eq 0 ] || line="$line, $total_skipped skipped"
echo "overall: $line"
[ "$total_failed" -eq 0 ]
