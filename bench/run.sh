#!/usr/bin/env bash
# make bench: starts a durable redis-server (appendfsync always) and the
# services on free loopback ports, loads the plan, then measures each scenario
# as a ratio to a bare echo service measured in the same run.
#   bench/run.sh [BUILD_DIR] [grpc_load flags…]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
shift || true
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  while :; do
    local port=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "port $1 never opened" >&2
  exit 1
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes \
  --appendfsync always --save "" --daemonize no >"$work/redis.log" 2>&1 &
pids+=("$!")
wait_port "$redis_port"

tasks_port=$(free_port)
"$build/services/task-registry/task-registry" --listen="127.0.0.1:$tasks_port" --metrics= \
  --redis="127.0.0.1:$redis_port" >"$work/task-registry.log" 2>&1 &
pids+=("$!")
wait_port "$tasks_port"
"$build/services/vetctl/vetctl" --addr "127.0.0.1:$tasks_port" --as operator \
  catalog load "$repo/services/task-registry/data/jiangjin-vet-2021.json" >/dev/null

# The other services and the gateway, for the district overview.
schools_port=$(free_port)
"$build/services/school-reporting/school-reporting" --listen="127.0.0.1:$schools_port" --metrics= \
  --redis="127.0.0.1:$redis_port" >"$work/school-reporting.log" 2>&1 &
pids+=("$!")
ledger_port=$(free_port)
"$build/services/training-ledger/training-ledger" --listen="127.0.0.1:$ledger_port" --metrics= \
  --redis="127.0.0.1:$redis_port" --schools="127.0.0.1:$schools_port" >"$work/training-ledger.log" 2>&1 &
pids+=("$!")
evaluation_port=$(free_port)
"$build/services/evaluation/evaluation" --listen="127.0.0.1:$evaluation_port" --metrics= \
  --redis="127.0.0.1:$redis_port" --schools="127.0.0.1:$schools_port" \
  --ledger="127.0.0.1:$ledger_port" >"$work/evaluation.log" 2>&1 &
pids+=("$!")
head -c 48 /dev/urandom | base64 -w0 >"$work/token.key"
gateway_port=$(free_port)
"$build/services/gateway/gateway" --listen="127.0.0.1:$gateway_port" --metrics= --http-listen= \
  --redis="127.0.0.1:$redis_port" --tasks="127.0.0.1:$tasks_port" \
  --schools="127.0.0.1:$schools_port" --ledger="127.0.0.1:$ledger_port" \
  --evaluation="127.0.0.1:$evaluation_port" --token-key-file="$work/token.key" \
  >"$work/gateway.log" 2>&1 &
pids+=("$!")
for port in "$schools_port" "$ledger_port" "$evaluation_port" "$gateway_port"; do wait_port "$port"; done
"$build/services/vetctl/vetctl" --schools-addr "127.0.0.1:$schools_port" --as operator \
  institutions import "$repo/services/school-reporting/data/institutions.json" >/dev/null
"$build/services/vetctl/vetctl" --evaluation-addr "127.0.0.1:$evaluation_port" --as operator \
  indicators load "$repo/services/evaluation/data/indicators.json" >/dev/null
token=$("$build/services/vetctl/vetctl" token issue --key-file "$work/token.key" --role coordinator)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; client, services and Redis share them"
"$build/bench/grpc_load" --tasks="127.0.0.1:$tasks_port" --gateway="127.0.0.1:$gateway_port" \
  --token="$token" "$@"
