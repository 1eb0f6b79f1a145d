#!/usr/bin/env bash
# Runs every test: builds the solution, starts one set of throwaway servers (PostgreSQL, RabbitMQ, S3) for the
# whole run through the AppHost, runs all test projects against them, and stops the servers by their PID.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Outbox).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"
deploy/local/prerequisites.sh

dotnet build Capture.sln -c Debug -nologo -clp:ErrorsOnly

data="$root/.test-data/shared-$$"
mkdir -p "$data"
env_file="$data/endpoints.env"
log_file="$root/.test-data/servers-$$.log"
dotnet AppHost/bin/Debug/net10.0/Capture.AppHost.dll --infra-only --throwaway --data "$data" \
  --env-file "$env_file" --parent-pid $$ --remove-data > "$log_file" 2>&1 &
servers=$!

stop_servers() {
  # SIGTERM, not SIGINT: a background job of a non-interactive shell starts with SIGINT ignored.
  if kill -0 "$servers" 2>/dev/null; then
    kill -TERM "$servers" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$servers" 2>/dev/null || break; sleep 0.1; done
  fi
  wait "$servers" 2>/dev/null || true
}
trap stop_servers EXIT

for _ in $(seq 1 600); do
  [ -f "$env_file" ] && break
  if ! kill -0 "$servers" 2>/dev/null; then
    echo "test servers failed to start:" >&2
    cat "$log_file" >&2
    exit 1
  fi
  sleep 0.2
done
[ -f "$env_file" ] || { echo "test servers did not start in 120 s" >&2; cat "$log_file" >&2; exit 1; }
# shellcheck disable=SC1090
source "$env_file"

results="$root/.test-data/results-$$.txt"
set +e
dotnet test Capture.sln --no-build -nologo "$@" 2>&1 | tee "$results"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)! +- /{
  for (i = 1; i <= NF; i++) {
    if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
  }
} END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$results"
rm -f "$results"
exit "$status"
