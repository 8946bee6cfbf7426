#!/usr/bin/env bash
# The restore drill deploy/README.md describes, run for real: write through
# the service, snapshot, wipe, restore, and verify through the service.
#   tests/ops/restore_drill.sh TASK_REGISTRY_BINARY VETCTL_BINARY
set -euo pipefail
registry=$1 vetctl=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=deploy/local/redis.sh
source "$repo/deploy/local/redis.sh"
# Restarts keep the same port and data: each start is what an operator's is.
start_redis() {
  start_durable_redis "$redis_port" "$work/data" "$work/redis.log"
  redis_pid=$durable_redis_pid
  pids+=("$redis_pid")
}

redis_port="" grpc_port=""
free_port redis_port
free_port grpc_port
mkdir -p "$work/data"
start_redis
"$registry" --listen="127.0.0.1:$grpc_port" --metrics= --redis="127.0.0.1:$redis_port" \
  >"$work/registry.log" 2>&1 &
registry_pid=$!
pids+=("$registry_pid")
wait_port "$grpc_port" "$registry_pid" || {
  echo "the task registry did not start; its log:" >&2
  cat "$work/registry.log" >&2
  exit 1
}

ctl() { "$vetctl" --addr "127.0.0.1:$grpc_port" "$@"; }
period="$(date +%Y)-Q$(( ($(date +%-m) - 1) / 3 + 1 ))"

echo "== write"
ctl --as operator catalog load "$repo/services/task-registry/data/jiangjin-vet-2021.json" >/dev/null
ctl --as department:hrss progress file 6 --period "$period" --status on_track \
  --narrative "备份演练前写入的进展" >/dev/null

echo "== snapshot"
"$repo/deploy/ops/redis-backup.sh" 127.0.0.1 "$redis_port" "$work/backup.rdb"
if [ "$(stat -c %a "$work/backup.rdb")" != 600 ]; then
  echo "the snapshot is readable by others: $(stat -c %A "$work/backup.rdb")" >&2
  exit 1
fi

echo "== wipe"
kill -9 "$redis_pid"
wait "$redis_pid" 2>/dev/null || true
rm -rf "$work/data" && mkdir -p "$work/data"

echo "== restore a damaged snapshot: refused, and it stays where it was put"
head -c 200 "$work/backup.rdb" >"$work/damaged.rdb"
mkdir -p "$work/damaged"
if "$repo/deploy/ops/redis-restore.sh" "$work/damaged.rdb" "$work/damaged" 2>"$work/damaged.err"; then
  echo "a damaged snapshot was restored" >&2
  exit 1
fi
if ! grep -q "the snapshot stays in" "$work/damaged.err" || [ ! -e "$work/damaged/dump.rdb" ]; then
  echo "the damaged restore did not keep its snapshot: $(cat "$work/damaged.err")" >&2
  exit 1
fi

echo "== restore"
"$repo/deploy/ops/redis-restore.sh" "$work/backup.rdb" "$work/data"
start_redis

echo "== verify"
tasks=$(ctl tasks list --json | grep -c '"number"')
[ "$tasks" -eq 33 ] || { echo "expected 33 tasks after restore, found $tasks" >&2; exit 1; }
ctl progress list 6 --period "$period" | grep -q "备份演练前写入的进展" \
  || { echo "the filing written before the backup is missing" >&2; exit 1; }
# The restored Redis is durable again: a new write survives a SIGKILL.
ctl --as department:edu progress file 6 --period "$period" --status on_track \
  --narrative "恢复后写入" >/dev/null
kill -9 "$redis_pid"
wait "$redis_pid" 2>/dev/null || true
start_redis
ctl progress list 6 --period "$period" | grep -q "恢复后写入" \
  || { echo "a write after the restore was lost" >&2; exit 1; }
echo "restore drill passed"
