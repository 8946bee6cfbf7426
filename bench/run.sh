#!/usr/bin/env bash
# make bench: starts a durable redis-server (appendfsync always) and the
# services on free loopback ports, loads the plan, then measures each scenario
# as a ratio to a bare echo service measured in the same run.
#   bench/run.sh [BUILD_DIR] [grpc_load flags…]   (three rounds unless --rounds=N)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
shift || true
work=$(mktemp -d)
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
trap cleanup_started EXIT

start_suite "$repo"

machine_note
echo "load average (1 min): $(load_average)"
"$build/bench/grpc_load" --tasks="127.0.0.1:$tasks_port" --gateway="127.0.0.1:$gateway_port" \
  --ledger="127.0.0.1:$ledger_port" --token="$token" --rounds=3 "$@" | tee "$work/load.txt"
echo "load average (1 min): $(load_average)"

# The store-bound baseline for the durable write: what the same Redis
# answers to bare SETs from as many clients as calls in flight.
sets=$(redis-benchmark -p "$redis_port" -t set -c 16 -n 30000 -q |
  tr '\r' '\n' | awk '/^SET:/ {print $2}' | tail -1)
echo "redis-benchmark -t set -c 16 (appendfsync always): $sets requests/s"
awk -v sets="$sets" '$2 == "file-progress" { qps = $3 }  # the median, when there is one, comes last
  END { if (qps != "") printf "file-progress: %.0f/s = %.2f x redis-benchmark SET\n", qps, qps / sets }' \
  "$work/load.txt"
