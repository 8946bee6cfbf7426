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

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; client, services and Redis share them"
"$build/bench/grpc_load" --tasks="127.0.0.1:$tasks_port" "$@"
