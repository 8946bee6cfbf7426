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
# Absolute: Redis enters --dir before it binds the socket named below.
dir=$(CDPATH='' cd -- "$dir" && pwd -P)
cp "$backup" "$dir/dump.rdb"

# Load the RDB with AOF off (with AOF on, Redis would start empty from the
# missing AOF), then switch AOF on: Redis writes a fresh AOF of the dataset.
# It listens on a socket in DATA_DIR only, never on a TCP port: a port picked
# here could be another Redis's, which the commands below would reconfigure
# and shut down.
socket="$dir/restore.sock"
if [ "$(printf %s "$socket" | LC_ALL=C wc -c)" -ge 100 ]; then  # bytes, for Chinese names
  echo "$dir is too long a path for a Unix socket in it: use a shorter DATA_DIR" >&2
  rm -f "$dir/dump.rdb"
  exit 1
fi
redis-server --port 0 --unixsocket "$socket" --unixsocketperm 700 --dir "$dir" \
  --dbfilename dump.rdb --appendonly no --save "" --daemonize no >"$dir/restore.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
cli() { redis-cli -s "$socket" "$@"; }
fail() {
  echo "$1; the snapshot stays in $dir/dump.rdb (log: $dir/restore.log): move $dir's contents" \
    "away before running this again" >&2
  exit 1
}
# Loading a large snapshot takes a while: wait for as long as Redis runs.
until cli ping 2>/dev/null | grep -q PONG; do
  kill -0 "$pid" 2>/dev/null || fail "redis-server stopped while loading the snapshot"
  sleep 0.1
done
cli config set appendonly yes >/dev/null || fail "CONFIG SET appendonly failed"
[ "$(cli config get appendonly | tail -1)" = yes ] || fail "Redis did not switch AOF on"
# The rewrite ends when the whole dataset is in the AOF, however long that
# takes; the snapshot is removed only after it has. One INFO per look, so the
# fields agree; a failed rewrite stops here (Redis would retry it, backing off
# up to an hour between tries).
while :; do
  kill -0 "$pid" 2>/dev/null || fail "redis-server stopped while writing the AOF"
  info=$(cli info persistence | tr -d '\r') || true
  grep -qx "aof_last_bgrewrite_status:err" <<<"$info" && fail "the AOF rewrite failed"
  if grep -qx "aof_rewrite_in_progress:0" <<<"$info" \
      && grep -qx "aof_rewrite_scheduled:0" <<<"$info" \
      && grep -qx "aof_last_bgrewrite_status:ok" <<<"$info"; then
    break
  fi
  sleep 0.1
done
keys=$(cli dbsize) || fail "Redis did not say how many keys it holds"
cli shutdown nosave >/dev/null 2>&1 || true
wait "$pid" 2>/dev/null || true
trap - EXIT
rm -f "$dir/dump.rdb" "$socket"
echo "restored $keys keys into $dir (AOF rebuilt); start Redis with appendonly yes"
