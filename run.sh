#!/usr/bin/env bash
# Starts the whole system locally: PostgreSQL, RabbitMQ, S3, the five services and the gateway on
# http://localhost:8080. Ctrl+C stops everything. Options go to the AppHost (./run.sh --help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
deploy/local/prerequisites.sh
exec dotnet run --project AppHost -- "$@"
