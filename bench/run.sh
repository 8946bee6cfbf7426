#!/usr/bin/env bash
# make bench: starts a durable redis-server (appendfsync always) and the
# services on free loopback ports, loads the plan, then measures each scenario
# as a ratio to a bare echo service measured in the same run.
#   bench/run.sh [BUILD_DIR] [grpc_load flags…]   (three rounds unless --rounds=N)
# BENCH_REDIS_CORE=1 gives Redis the second core to itself and puts the
# services, the load tool (and so its echo) and redis-benchmark's clients on
# the first: Redis on a node of its own, as deployed, at the price of half the
# cores for everything else. The default shares both cores among all.
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
client=()
if [ "${BENCH_REDIS_CORE:-0}" = 1 ]; then
  [ "$(nproc)" -ge 2 ] || { echo "BENCH_REDIS_CORE=1 needs two cores" >&2; exit 1; }
  taskset -a -pc 1 "$redis_pid" >/dev/null
  for pid in "${pids[@]}"; do
    [ "$pid" = "$redis_pid" ] || taskset -a -pc 0 "$pid" >/dev/null
  done
  client=(taskset -c 0)
  echo "pinned: redis-server on core 1; the services, grpc_load (echo included) and redis-benchmark on core 0"
fi
echo "load average (1 min): $(load_average)"
"${client[@]}" "$build/bench/grpc_load" --tasks="127.0.0.1:$tasks_port" --gateway="127.0.0.1:$gateway_port" \
  --ledger="127.0.0.1:$ledger_port" --token="$token" --rounds=3 "$@" | tee "$work/load.txt"
echo "load average (1 min): $(load_average)"

# The store-bound baseline for the durable write: what the same Redis
# answers to bare SETs from as many clients as calls in flight.
sets=$("${client[@]}" redis-benchmark -p "$redis_port" -t set -c 16 -n 30000 -q |
  tr '\r' '\n' | awk '/^SET:/ {print $2}' | tail -1)
echo "redis-benchmark -t set -c 16 (appendfsync always): $sets requests/s"
awk -v sets="$sets" '$2 == "file-progress" { qps = $3 }  # the median, when there is one, comes last
  END { if (qps != "") printf "file-progress: %.0f/s = %.2f x redis-benchmark SET\n", qps, qps / sets }' \
  "$work/load.txt"
