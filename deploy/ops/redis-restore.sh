#!/usr/bin/env bash
# Restores a snapshot into an empty Redis data directory, rebuilding the AOF
# from it so that the normal durable configuration (appendonly yes) starts on
# exactly the snapshot's data. Redis must not be running on DATA_DIR.
#   deploy/ops/redis-restore.sh BACKUP.rdb DATA_DIR
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BACKUP.rdb DATA_DIR" >&2
  exit 2
fi
backup=$1 dir=$2
if [ -e "$dir/appendonlydir" ] || [ -e "$dir/dump.rdb" ]; then
  echo "$dir is not empty: move its contents away first" >&2
  exit 1
fi
mkdir -p "$dir"
cp "$backup" "$dir/dump.rdb"

# Load the RDB with AOF off (with AOF on, Redis would start empty from the
# missing AOF), then switch AOF on: Redis writes a fresh AOF of the dataset.
port=$(( 20000 + RANDOM % 20000 ))
redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --dbfilename dump.rdb \
  --appendonly no --save "" --daemonize no >"$dir/restore.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$port" config set appendonly yes >/dev/null
for _ in $(seq 600); do
  info=$(redis-cli -p "$port" info persistence)
  if grep -q "aof_rewrite_in_progress:0" <<<"$info" && grep -q "aof_rewrite_scheduled:0" <<<"$info" \
     && grep -q "aof_enabled:1" <<<"$info"; then
    break
  fi
  sleep 0.1
done
keys=$(redis-cli -p "$port" dbsize)
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
wait "$pid" 2>/dev/null || true
trap - EXIT
rm -f "$dir/dump.rdb"
echo "restored $keys keys into $dir (AOF rebuilt); start Redis with appendonly yes"
