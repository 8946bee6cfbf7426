#!/usr/bin/env bash
# Takes a consistent snapshot (RDB) of a running Redis without stopping it.
#   deploy/ops/redis-backup.sh HOST PORT OUT.rdb
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 HOST PORT OUT.rdb" >&2
  exit 2
fi
host=$1 port=$2 out=$3
# redis-cli --rdb asks the server for a fresh snapshot over the replication
# protocol: consistent at one instant, and the server keeps serving.
# The snapshot holds everything the district stored: readable by this user
# alone (found in review: it was written 0644).
umask 077
rm -f "$out.partial"  # one left by a failed run keeps its mode through the mv
redis-cli -h "$host" -p "$port" --rdb "$out.partial" >/dev/null
mv "$out.partial" "$out"
echo "backup written: $out ($(stat -c %s "$out") bytes)"
